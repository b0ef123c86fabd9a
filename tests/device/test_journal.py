# The journal on flash: records survive reboots, a write cut at any byte loses at
# most that record, and the byte budget drops the oldest (acknowledged) data first.
import os

from core.clock import EPOCH
from core.coach import Now
from core.journal_codec import SIZE, encode, seq_of
from flashdir import fresh, remove
from journal import Journal
from journal_open import open_journal
from journal_read import raw_after, read_records

T0 = 1795503540


def now(t=T0, clock_set=True):
    """A reading of the board's clock at Unix seconds t (the board counts from EPOCH)."""
    return Now(0, t - EPOCH if clock_set else t, 0, clock_set)


def opened(boot, folder, **sizes):
    """The journal in folder as a boot opens it."""
    return open_journal(Journal(boot, folder, **sizes))


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
        journal = opened(1, folder)
        fill(journal, 5)
        assert journal.seq == 6
        again = opened(2, folder)
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
            journal = opened(1, folder)
            fill(journal, 7)
            torn = encode(("pain", 9), 8, T0, True, 1)[:cut]
            with open(folder + "/" + segment_files(folder)[-1], "ab") as f:
                f.write(torn)
            rebooted = opened(2, folder)
            assert rebooted.seq == 8, cut
            assert rebooted.torn == (1 if cut else 0)
            rebooted.append(("boot",), now())
            assert events(folder) == [(s, "pain") for s in range(1, 8)] + [(8, "boot")], cut
        finally:
            remove(folder)


def test_a_cut_first_write_of_a_new_segment_falls_back_to_the_previous_one():
    folder = fresh("torn-segment")
    try:
        journal = opened(1, folder, segment_bytes=4 * SIZE)
        fill(journal, 8)
        assert segment_files(folder) == ["0000000001.seg", "0000000005.seg"]
        with open(folder + "/0000000009.seg", "wb") as f:
            f.write(encode(("pain", 1), 9, T0, True, 1)[:13])
        rebooted = opened(2, folder, segment_bytes=4 * SIZE)
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
        journal = opened(1, folder, segment_bytes=4 * SIZE)
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
        journal = opened(1, folder, budget=3 * 4 * SIZE, segment_bytes=4 * SIZE)
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
        journal = opened(1, folder, budget=3 * 4 * SIZE, segment_bytes=4 * SIZE)
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
        journal = opened(1, folder, segment_bytes=4 * SIZE)
        fill(journal, 10)
        for after, expected in ((0, list(range(1, 11))), (4, list(range(5, 11))), (6, [7, 8, 9, 10]), (10, [])):
            data = b"".join(raw_after(journal, after))
            assert [seq_of(data, at) for at in range(0, len(data), SIZE)] == expected, after
    finally:
        remove(folder)


def test_the_acknowledgement_survives_a_reboot_and_never_passes_the_last_record():
    folder = fresh("ack")
    try:
        journal = opened(1, folder)
        fill(journal, 3)
        journal.acknowledge(99)
        assert opened(2, folder).ack == 3
    finally:
        remove(folder)


class FullFlash(Journal):
    """Every append fails, as on a flash with no space left."""

    def _append_bytes(self, path, data):
        raise OSError(28)


def test_a_full_flash_never_stops_the_coach():
    folder = fresh("full")
    try:
        journal = open_journal(FullFlash(1, folder))
        seqs = [seq_of(journal.append(("pain", i), now())) for i in range(3)]
        # Each append after the first also tried to record the loss so far: seq 2 and 4.
        assert seqs == [1, 3, 5]
        assert journal.lost == 3
        assert journal.full
    finally:
        remove(folder)


def test_a_new_journal_has_an_identity_of_its_own_and_keeps_it():
    flash, other_flash = fresh("ident1"), fresh("ident2")
    first, second = flash + "/journal", other_flash + "/journal"
    try:
        opened(1, first).append(("boot",), now())
        opened(1, second)
        with open(first + "/id") as f:
            identity = f.read()
        with open(second + "/id") as f:
            other = f.read()
        assert len(identity) == 12 and int(identity, 16) >= 0
        assert other != identity
        opened(2, first)
        with open(first + "/id") as f:
            assert f.read() == identity
    finally:
        remove(flash)
        remove(other_flash)


def test_a_journal_begun_without_an_identity_is_given_none():
    # fresh() makes the folder: a journal there is one that was begun before identities.
    folder = fresh("legacy")
    try:
        opened(1, folder).append(("boot",), now())
        assert "id" not in os.listdir(folder)
        assert events(folder) == [(1, "boot")]
    finally:
        remove(folder)


def damage(folder, seq, at=20):
    """Flip one bit of record `seq` (at byte `at` of it: the payload, or 4 for its number)."""
    for name in segment_files(folder):
        path = folder + "/" + name
        with open(path, "rb") as f:
            data = bytearray(f.read())
        for offset in range(0, len(data), SIZE):
            if seq_of(data, offset) == seq:
                data[offset + at] ^= 1
                with open(path, "wb") as f:
                    f.write(data)
                return
    raise AssertionError("no record %d" % seq)


def test_junk_in_the_folder_is_skipped_and_named_once():
    folder = fresh("junk")
    try:
        fill(opened(1, folder, segment_bytes=4 * SIZE), 6)
        for name in ("notes.seg", "12ab.seg", "7.seg"):
            with open(folder + "/" + name, "w") as f:
                f.write("not records")
        os.mkdir(folder + "/0000000099.seg")
        os.mkdir(folder + "/old.seg")
        rebooted = opened(2, folder, segment_bytes=4 * SIZE)
        assert rebooted.segments == [1, 5]
        assert rebooted.seq == 7
        assert rebooted.problems == [folder + ": skipped 0000000099.seg 12ab.seg 7.seg notes.seg old.seg"]
        rebooted.report()
        fill(rebooted, 3, start=6)
        records, bad = read_records(folder)
        assert (bad, [r["seq"] for r in records]) == (0, list(range(1, 10)))
        assert [first for first in rebooted.segments] == [1, 5, 9]
        data = b"".join(raw_after(rebooted, 0))
        assert [seq_of(data, at) for at in range(0, len(data), SIZE)] == list(range(1, 10))
        # Named once: the next boot finds the same junk and says nothing.
        assert opened(3, folder, segment_bytes=4 * SIZE).problems == []
        os.remove(folder + "/notes.seg")
        assert opened(4, folder, segment_bytes=4 * SIZE).problems == [
            folder + ": skipped 0000000099.seg 12ab.seg 7.seg old.seg"
        ]
    finally:
        remove(folder)


def test_a_file_where_the_folder_should_be_is_kept_aside_and_a_new_journal_begun():
    flash = fresh("notafolder")
    folder = flash + "/records"
    try:
        with open(folder, "w") as f:
            f.write("stray")
        journal = opened(1, folder)
        assert journal.problems == [folder + " was not a folder: kept as " + folder + ".bad"]
        journal.append(("boot",), now())
        assert events(folder) == [(1, "boot")]
        assert "id" in os.listdir(folder)
        with open(folder + ".bad") as f:
            assert f.read() == "stray"
        assert opened(2, folder).problems == []
    finally:
        remove(flash)


def test_a_damaged_newest_record_never_gives_its_number_again():
    folder = fresh("renumber")
    try:
        fill(opened(1, folder), 5)
        damage(folder, 5)
        rebooted = opened(2, folder)
        # The host may hold record 5 as it was: the next record is 6.
        assert (rebooted.seq, rebooted.torn) == (6, 1)
        rebooted.append(("boot",), now())
        assert events(folder) == [(1, "pain"), (2, "pain"), (3, "pain"), (4, "pain"), (6, "boot")]
    finally:
        remove(folder)


def test_a_newest_segment_wholly_damaged_keeps_its_numbers_used():
    folder = fresh("renumber-segment")
    try:
        fill(opened(1, folder, segment_bytes=4 * SIZE), 7)
        for seq in (5, 6, 7):
            damage(folder, seq)
        rebooted = opened(2, folder, segment_bytes=4 * SIZE)
        assert rebooted.seq == 8
        rebooted.append(("boot",), now())
        assert events(folder)[-2:] == [(4, "pain"), (8, "boot")]
        assert opened(3, folder, segment_bytes=4 * SIZE).seq == 9
    finally:
        remove(folder)


def test_raw_after_sends_only_records_whose_crc_holds_and_counts_the_rest():
    for after, hit, at in ((0, 6, 20), (6, 5, 4), (6, 5, 20), (4, 7, 4)):
        folder = fresh("raw-damaged")
        try:
            journal = opened(1, folder, segment_bytes=4 * SIZE)
            fill(journal, 10)
            # A bit of record `hit` flipped: in its payload, or in its sequence number.
            damage(folder, hit, at)
            data = b"".join(raw_after(journal, after))
            sent = [seq_of(data, i) for i in range(0, len(data), SIZE)]
            assert sent == [s for s in range(after + 1, 11) if s != hit], (after, hit, at)
            # One the host already holds (a good record after it says so) is not counted.
            assert journal.damaged == (1 if hit > after else 0), (after, hit, at)
        finally:
            remove(folder)


def test_a_record_number_out_of_its_place_is_not_sent():
    folder = fresh("raw-wild")
    try:
        journal = opened(1, folder, segment_bytes=4 * SIZE)
        fill(journal, 6)
        # A record with a good CRC and a number that cannot be its own (a host-altered copy).
        with open(folder + "/0000000001.seg", "r+b") as f:
            f.seek(2 * SIZE)
            f.write(encode(("pain", 1), 0xFFFFFFFF, T0, True, 1))
        data = b"".join(raw_after(journal, 0))
        assert [seq_of(data, i) for i in range(0, len(data), SIZE)] == [1, 2, 4, 5, 6]
        assert journal.damaged == 1
    finally:
        remove(folder)


class PowerCut(Exception):
    pass


class CutAtRemoval(Journal):
    """The power goes as a segment is about to be removed: what the flash holds then is kept."""

    def try_change(self, step, *args):
        if step is os.remove:
            self.at_cut = events(self.folder)
            raise PowerCut()
        return Journal.try_change(self, step, *args)


def test_the_count_of_lost_records_is_on_flash_before_their_segment_goes():
    folder = fresh("lost-first")
    try:
        journal = open_journal(CutAtRemoval(1, folder, budget=3 * 4 * SIZE, segment_bytes=4 * SIZE))
        fill(journal, 12)
        journal.acknowledge(2)
        try:
            fill(journal, 1, start=12)
        except PowerCut:
            pass
        # Records 3 and 4 were about to go unacknowledged: their count was already written.
        assert journal.at_cut[-1] == (13, "records_lost")
        records, _ = read_records(folder)
        assert (records[-1]["event"], records[-1]["count"]) == ("records_lost", 2)
        assert opened(2, folder, budget=3 * 4 * SIZE, segment_bytes=4 * SIZE).seq == 14
    finally:
        remove(folder)


def test_an_ack_past_the_newest_record_is_taken_as_the_newest():
    folder = fresh("ack-huge")
    try:
        fill(opened(1, folder), 3)
        for text in ("99999999999999999999", "4294967295", "-5", "junk", ""):
            with open(folder + "/ack", "w") as f:
                f.write(text)
            assert opened(2, folder).ack == (3 if text[:1].isdigit() else 0), text
    finally:
        remove(folder)


def test_a_full_flash_keeps_the_sequence_and_the_coach_going():
    folder = fresh("full-tail")
    try:
        fill(opened(1, folder), 3)
        with open(folder + "/0000000001.seg", "ab") as f:
            f.write(b"torn")
        # No room to cut the torn tail or write anything: the journal still opens.
        journal = open_journal(FullFlash(2, folder))
        journal.try_change = lambda step, *args: False
        journal.append(("boot",), now())
        assert (journal.seq, journal.lost, journal.full) == (5, 1, True)
    finally:
        remove(folder)
