import struct
from binascii import crc32

from core.journal_codec import EVENTS, SIZE, code_of, encode, fields, valid
from core.journal_reader import RecordError, decode, join

EVERY_EVENT = [
    ("boot",),
    ("gesture", "double", "decline"),
    ("prompt", 21, 3),
    ("reminder", 9),
    ("snooze", 2, 10),
    ("missed", 7, 0),
    ("session_start", "extra", -1, 0, 30),
    ("pause", 57),
    ("resume", 1800),
    ("session_end", "partial", 123, 5),
    ("pain", 10),
    ("clock_set", 1795503540, True),
    ("settings_changed", "volume"),
    ("settings_rejected", "volume must be 0 to 3, got 9; using 2"),
    ("error", "ValueError: boom"),
    ("records_lost", 4096),
    ("restart",),
    ("declined", 14, 1),
]


def decode_all(data):
    return join([decode(data, at) for at in range(0, len(data), SIZE)])


def test_every_event_round_trips_with_the_clock_set():
    assert sorted(line.split()[0] for line in EVENTS.split("\n")) == sorted(r[0] for r in EVERY_EVENT)
    seq = 1
    for record in EVERY_EVENT:
        data = encode(record, seq, 1795503540, True, 7)
        expected = {"event": record[0], "seq": seq, "t": 1795503540, "boot": 7}
        for (name, _), value in zip(fields(code_of(record[0])), record[1:]):
            expected[name] = value
        assert decode_all(data) == [expected], record
        seq += len(data) // SIZE


def test_the_event_table_reads_as_codes_and_fields():
    assert [code_of(r[0]) for r in EVERY_EVENT] == list(range(1, 19))
    assert fields(code_of("clock_set")) == [("was", "I"), ("was_set", "?")]
    assert fields(code_of("boot")) == []
    assert fields(code_of("records_lost")) == [("count", "I")]
    # A name is matched whole: neither a prefix of an event nor an event with more after it.
    for name in ("paus", "pauses", "session", ""):
        try:
            code_of(name)
            raise AssertionError("found an event for %r" % name)
        except KeyError:
            pass


def test_without_the_clock_records_carry_the_uptime():
    data = encode(("prompt", 1, 0), 12, 3600, False, 4)
    assert decode(data) == {"event": "prompt", "hour": 1, "snoozes": 0, "seq": 12, "up": 3600, "boot": 4}


def test_the_exact_bytes_of_a_record():
    data = encode(("session_end", "complete", 291, 12), 0x01020304, 1795503540, True, 2)
    assert len(data) == SIZE
    assert bytes(data[:28]) == (
        b"\x01"  # version
        b"\x0a"  # event 10: session_end
        b"\x01"  # flags: clock set
        b"\x00"
        b"\x04\x03\x02\x01"  # seq, little-endian
        b"\xb4\x35\x05\x6b"  # 1795503540
        b"\x02\x00"  # boot 2
        b"\x00"  # result 0: complete
        b"\x23\x01\x00\x00"  # 291 s
        b"\x0c\x00"  # 12 reps
        b"\x00\x00\x00\x00\x00\x00\x00"
    )


def test_a_long_text_spans_records_and_is_cut_at_112_bytes():
    text = "display_off_seconds (60) must not be less than display_dim_seconds (300); using 120 and 30"
    data = encode(("settings_rejected", text), 40, 1795503540, True, 1)
    assert len(data) == 7 * SIZE
    assert decode_all(data)[0]["problem"] == text
    data = encode(("error", "x" * 500), 1, 0, False, 1)
    assert len(data) == 8 * SIZE
    assert decode_all(data)[0]["message"] == "x" * 112


def test_a_text_whose_first_part_is_lost_is_dropped_and_a_cut_one_kept():
    data = encode(("error", "a" * 30), 5, 0, False, 1) + encode(("pain", 3), 8, 0, False, 1)
    parts = [decode(data, at) for at in range(0, len(data), SIZE)]
    assert [r["event"] for r in join(parts[1:])] == ["pain"]
    kept = join(parts[:2] + parts[3:])
    assert [r["event"] for r in kept] == ["error", "pain"]
    assert kept[0]["message"] == "a" * 28


def test_a_flipped_bit_fails_the_crc():
    data = encode(("pain", 3), 1, 0, False, 1)
    for byte in range(SIZE):
        for bit in range(8):
            broken = bytearray(data)
            broken[byte] ^= 1 << bit
            assert not valid(broken)
            try:
                decode(broken)
                raise AssertionError("decoded a damaged record")
            except RecordError:
                pass


def test_a_newer_format_is_refused_naming_both_versions():
    data = bytearray(encode(("pain", 3), 1, 0, False, 1))
    data[0] = 2
    try:
        decode(data)
        raise AssertionError("decoded a version 2 record")
    except RecordError as err:
        assert str(err) == "journal format version 2 (this reads version 1)"


def test_an_event_code_this_firmware_does_not_know_is_an_error():
    from core.journal_codec import CRC_AT

    for code in (0, 19, 254):
        data = bytearray(encode(("pain", 3), 1, 0, False, 1))
        data[1] = code
        struct.pack_into("<I", data, CRC_AT, crc32(bytes(data[:CRC_AT])) & 0xFFFFFFFF)
        try:
            decode(data)
            raise AssertionError("decoded event code %d" % code)
        except RecordError as err:
            assert str(err) == "unknown event code %d" % code


def test_short_input_is_an_error():
    try:
        decode(b"\x01" * 31)
        raise AssertionError("decoded 31 bytes")
    except RecordError as err:
        assert str(err) == "short record"
