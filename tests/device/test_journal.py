# The journal on flash: records survive reboots, a write cut at any byte loses at
# most that record, and the byte budget drops the oldest (acknowledged) data first.
import os

from core.clock import EPOCH
from core.coach import Now
from core.journal_codec import SIZE, encode, seq_of
from flashdir import fresh, remove
from journal import Journal, read_records

T0 = 1795503540


def now(t=T0, clock_set=True):
    """A reading of the board's clock at Unix seconds t (the board counts from EPOCH)."""
    return Now(0, t - EPOCH if clock_set else t, 0, clock_set)


def fill(journal, count, start=0):
    for i in range(count):
        journal.append(("pain", (start + i) % 11), now(T0 + start + i))


def events(folder):
    records, bad = read_records(folder)
    assert bad == 0
    return [(r["seq"], r["event"]) for r in records]


def segment_files(folder):
    return sorted(n for n in os.listdir(folder) if n.endswith(".seg"))


def test_records_survive_a_reboot_and_the_sequence_goes_on():
    folder = fresh("reboot")
    try:
        journal = Journal(1, folder)
        fill(journal, 5)
        assert journal.seq == 6
        again = Journal(2, folder)
        assert again.seq == 6
        again.append(("boot",), now())
        records, _ = read_records(folder)
        assert [r["seq"] for r in records] == [1, 2, 3, 4, 5, 6]
        assert (records[5]["event"], records[5]["boot"]) == ("boot", 2)
        assert records[0] == {"event": "pain", "score": 0, "seq": 1, "t": T0, "boot": 1}
    finally:
        remove(folder)


def test_a_write_cut_at_any_byte_loses_only_that_record():
    for cut in range(SIZE):
        folder = fresh("torn%d" % cut)
        try:
            journal = Journal(1, folder)
            fill(journal, 7)
            torn = encode(("pain", 9), 8, T0, True, 1)[:cut]
            with open(folder + "/" + segment_files(folder)[-1], "ab") as f:
                f.write(torn)
            rebooted = Journal(2, folder)
            assert rebooted.seq == 8, cut
            assert rebooted.torn == (1 if cut else 0)
            rebooted.append(("boot",), now())
            assert events(folder) == [(s, "pain") for s in range(1, 8)] + [(8, "boot")], cut
        finally:
            remove(folder)


def test_a_cut_first_write_of_a_new_segment_falls_back_to_the_previous_one():
    folder = fresh("torn-segment")
    try:
        journal = Journal(1, folder, segment_bytes=4 * SIZE)
        fill(journal, 8)
        assert segment_files(folder) == ["0000000001.seg", "0000000005.seg"]
        with open(folder + "/0000000009.seg", "wb") as f:
            f.write(encode(("pain", 1), 9, T0, True, 1)[:13])
        rebooted = Journal(2, folder, segment_bytes=4 * SIZE)
        assert rebooted.seq == 9
        assert segment_files(folder) == ["0000000001.seg", "0000000005.seg"]
        rebooted.append(("boot",), now())
        assert segment_files(folder) == ["0000000001.seg", "0000000005.seg", "0000000009.seg"]
        assert events(folder)[-1] == (9, "boot")
    finally:
        remove(folder)


def test_a_long_text_never_straddles_two_segments():
    folder = fresh("text")
    try:
        journal = Journal(1, folder, segment_bytes=4 * SIZE)
        fill(journal, 3)
        journal.append(("error", "E" * 30), now())  # three records: starts a new segment
        assert segment_files(folder) == ["0000000001.seg", "0000000004.seg"]
        assert journal.seq == 7
        records, _ = read_records(folder)
        assert records[-1]["message"] == "E" * 30
    finally:
        remove(folder)


def test_acknowledged_segments_go_first_when_the_budget_is_reached():
    folder = fresh("budget")
    try:
        journal = Journal(1, folder, budget=3 * 4 * SIZE, segment_bytes=4 * SIZE)
        fill(journal, 12)
        journal.acknowledge(8)
        fill(journal, 4, start=12)
        assert segment_files(folder) == ["0000000005.seg", "0000000009.seg", "0000000013.seg"]
        fill(journal, 4, start=16)
        assert segment_files(folder) == ["0000000009.seg", "0000000013.seg", "0000000017.seg"]
        assert events(folder) == [(s, "pain") for s in range(9, 21)]
    finally:
        remove(folder)


def test_unacknowledged_data_is_dropped_only_with_a_count_of_what_was_lost():
    folder = fresh("lost")
    try:
        journal = Journal(1, folder, budget=3 * 4 * SIZE, segment_bytes=4 * SIZE)
        fill(journal, 12)
        journal.acknowledge(2)
        fill(journal, 1, start=12)
        # Segment 1..4 went: 1 and 2 were acknowledged, 3 and 4 were not.
        assert events(folder)[-2:] == [(13, "records_lost"), (14, "pain")]
        records, _ = read_records(folder)
        assert records[-2]["count"] == 2
        fill(journal, 8, start=13)
        lost = [r for r in read_records(folder)[0] if r["event"] == "records_lost"]
        # 5..8 and 9..12 went unacknowledged as segments 17 and 21 were started.
        assert [(r["seq"], r["count"]) for r in lost] == [(13, 2), (17, 4), (21, 4)]
    finally:
        remove(folder)


def test_raw_after_gives_exactly_the_records_the_host_lacks():
    folder = fresh("raw")
    try:
        journal = Journal(1, folder, segment_bytes=4 * SIZE)
        fill(journal, 10)
        for after, expected in ((0, list(range(1, 11))), (4, list(range(5, 11))), (6, [7, 8, 9, 10]), (10, [])):
            data = b"".join(journal.raw_after(after))
            assert [seq_of(data, at) for at in range(0, len(data), SIZE)] == expected, after
    finally:
        remove(folder)


def test_the_acknowledgement_survives_a_reboot_and_never_passes_the_last_record():
    folder = fresh("ack")
    try:
        journal = Journal(1, folder)
        fill(journal, 3)
        journal.acknowledge(99)
        assert Journal(2, folder).ack == 3
    finally:
        remove(folder)


class FullFlash(Journal):
    """Every write fails, as on a flash with no space left."""

    def _write(self, path, data):
        raise OSError(28)


def test_a_full_flash_never_stops_the_coach():
    folder = fresh("full")
    try:
        journal = FullFlash(1, folder)
        seqs = [journal.append(("pain", i), now())["seq"] for i in range(3)]
        # Each append after the first also tried to record the loss so far: seq 2 and 4.
        assert seqs == [1, 3, 5]
        assert journal.lost == 3
    finally:
        remove(folder)


def test_a_new_journal_has_an_identity_of_its_own_and_keeps_it():
    flash, other_flash = fresh("ident1"), fresh("ident2")
    first, second = flash + "/journal", other_flash + "/journal"
    try:
        Journal(1, first).append(("boot",), now())
        Journal(1, second)
        with open(first + "/id") as f:
            identity = f.read()
        with open(second + "/id") as f:
            other = f.read()
        assert len(identity) == 12 and int(identity, 16) >= 0
        assert other != identity
        Journal(2, first)
        with open(first + "/id") as f:
            assert f.read() == identity
    finally:
        remove(flash)
        remove(other_flash)


def test_a_journal_begun_without_an_identity_is_given_none():
    # fresh() makes the folder: a journal there is one that was begun before identities.
    folder = fresh("legacy")
    try:
        Journal(1, folder).append(("boot",), now())
        assert "id" not in os.listdir(folder)
        assert events(folder) == [(1, "boot")]
    finally:
        remove(folder)
