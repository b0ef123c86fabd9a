# The journal's record format (docs/journal-format.md): fixed 32-byte records,
# each with a version byte, sequence number, time, event, arguments and CRC-32.
# Pure: encodes into and decodes from caller-owned buffers; the device and the
# host share it.
import struct
from binascii import crc32

from core.compat import const

VERSION = const(1)
SIZE = const(32)
_PAYLOAD = const(14)
# Texts (errors, settings problems) are cut to this many bytes: 8 records at most.
MAX_TEXT = const(112)
_CRC_AT = const(28)
_HEADER = "<BBBBIIH"

CLOCK_SET = const(1)
CONTINUES = const(2)
MORE = const(255)  # event code of a continuation record: the next bytes of a text

GESTURES = ("press", "hold", "double", "long")
ACTIONS = (
    "none",
    "start",
    "snooze",
    "pause",
    "resume",
    "stop",
    "wake",
    "dismiss",
    "next",
    "pain_up",
    "pain_save",
    "set_clock",
    "step",
)
REASONS = ("prompt", "extra")
RESULTS = ("complete", "partial")

# Field kinds: 'b' byte, 'h' 16-bit, 'i' 32-bit signed, 'I' 32-bit unsigned,
# '?' true/false, a tuple = one byte naming an entry of that tuple, 't' text.
# code -> (event name, ((field name, kind), ...)); codes are never reused.
EVENTS = {
    1: ("boot", ()),
    2: ("gesture", (("gesture", GESTURES), ("action", ACTIONS))),
    3: ("prompt", (("hour", "b"), ("snoozes", "b"))),
    4: ("reminder", (("hour", "b"),)),
    5: ("snooze", (("count", "b"), ("minutes", "b"))),
    6: ("missed", (("hour", "b"), ("snoozes", "b"))),
    7: ("session_start", (("reason", REASONS), ("latency_s", "i"), ("snoozes", "b"), ("minutes", "b"))),
    8: ("pause", (("elapsed_s", "i"),)),
    9: ("resume", (("elapsed_s", "i"),)),
    10: ("session_end", (("result", RESULTS), ("seconds", "i"), ("reps", "h"))),
    11: ("pain", (("score", "b"),)),
    12: ("clock_set", (("was", "I"), ("was_set", "?"))),
    13: ("settings_changed", (("key", "t"),)),
    14: ("settings_rejected", (("problem", "t"),)),
    15: ("error", (("message", "t"),)),
    16: ("records_lost", (("count", "I"),)),
}
CODES = {}
for _code in EVENTS:
    CODES[EVENTS[_code][0]] = _code

_WIDTH = {"b": 1, "?": 1, "h": 2, "i": 4, "I": 4}
_PACK = {"b": "<b", "?": "<B", "h": "<h", "i": "<i", "I": "<I"}


class RecordError(ValueError):
    pass


def _seal(buf, at):
    struct.pack_into("<I", buf, at + _CRC_AT, crc32(memoryview(buf)[at : at + _CRC_AT]) & 0xFFFFFFFF)


def encode(record, seq, t, clock_set, boot):
    """A coach record ('prompt', 9, 0) -> bytes: one 32-byte record, or several for a long text."""
    code = CODES[record[0]]
    fields = EVENTS[code][1]
    payload = bytearray(_PAYLOAD)
    text = b""
    at = 0
    for i in range(len(fields)):
        kind = fields[i][1]
        value = record[i + 1]
        if kind == "t":
            text = str(value).encode()[:MAX_TEXT]
        elif type(kind) is tuple:
            payload[at] = kind.index(value)
            at += 1
        else:
            struct.pack_into(_PACK[kind], payload, at, int(value))
            at += _WIDTH[kind]
    chunks = [text[i : i + _PAYLOAD] for i in range(0, len(text), _PAYLOAD)] if text else [bytes(payload)]
    out = bytearray(SIZE * len(chunks))
    flags = CLOCK_SET if clock_set else 0
    for n in range(len(chunks)):
        base = n * SIZE
        more = CONTINUES if n + 1 < len(chunks) else 0
        struct.pack_into(_HEADER, out, base, VERSION, code if n == 0 else MORE, flags | more, 0, seq + n, t, boot)
        out[base + 14 : base + 14 + len(chunks[n])] = chunks[n]
        _seal(out, base)
    return out


def valid(buf, at=0):
    """Is the 32 bytes at `at` a whole record of a version this code reads, with a matching CRC?"""
    if len(buf) - at < SIZE or buf[at] != VERSION:
        return False
    (crc,) = struct.unpack_from("<I", buf, at + _CRC_AT)
    return crc == crc32(memoryview(buf)[at : at + _CRC_AT]) & 0xFFFFFFFF


def seq_of(buf, at=0):
    return struct.unpack_from("<I", buf, at + 4)[0]


def decode(buf, at=0):
    """One record -> {'seq', 'event', 'boot', 't' or 'up', fields...}; text continuations come
    back as event 'more' with 'text' and 'continues', for join() to put together."""
    if len(buf) - at < SIZE:
        raise RecordError("short record")
    if buf[at] != VERSION:
        raise RecordError("journal format version %d (this reads version %d)" % (buf[at], VERSION))
    if not valid(buf, at):
        raise RecordError("CRC mismatch")
    _, code, flags, _, seq, t, boot = struct.unpack_from(_HEADER, buf, at)
    record = {"seq": seq, "boot": boot}
    if flags & CLOCK_SET:
        record["t"] = t
    else:
        record["up"] = t
    payload = bytes(buf[at + 14 : at + _CRC_AT])
    if code == MORE:
        record["event"] = "more"
        record["text"] = payload
        record["continues"] = bool(flags & CONTINUES)
        return record
    if code not in EVENTS:
        raise RecordError("unknown event code %d" % code)
    name, fields = EVENTS[code]
    record["event"] = name
    pos = 0
    for field, kind in fields:
        if kind == "t":
            record[field] = payload
            record["continues"] = bool(flags & CONTINUES)
        elif type(kind) is tuple:
            index = payload[pos]
            record[field] = kind[index] if index < len(kind) else index
            pos += 1
        else:
            value = struct.unpack_from(_PACK[kind], payload, pos)[0]
            record[field] = bool(value) if kind == "?" else value
            pos += _WIDTH[kind]
    return record


def decode_all(blobs):
    """Byte strings of whole records, in order -> (the events, joined; how many records
    could not be read: damaged, or of a version this code does not know)."""
    decoded = []
    bad = 0
    for data in blobs:
        for at in range(0, len(data) - SIZE + 1, SIZE):
            try:
                decoded.append(decode(data, at))
            except RecordError:
                bad += 1
    return join(decoded), bad


def text_field(event):
    """The name of the event's text field, or None."""
    for field, kind in EVENTS[CODES[event]][1]:
        if kind == "t":
            return field
    return None


def join(records):
    """Decoded records in order -> whole events: each text put back together from its
    continuation records. A continuation whose first part is missing is dropped."""
    out = []
    i = 0
    while i < len(records):
        record = records[i]
        i += 1
        if record["event"] == "more":
            continue
        field = text_field(record["event"])
        if field is not None:
            raw = record[field]
            continues = record.pop("continues")
            seq = record["seq"]
            while continues and i < len(records) and records[i]["event"] == "more" and records[i]["seq"] == seq + 1:
                raw += records[i]["text"]
                continues = records[i]["continues"]
                seq += 1
                i += 1
            record[field] = _text(raw.rstrip(b"\x00"))
        out.append(record)
    return out


def _text(raw):
    try:
        return raw.decode("utf-8", "replace")
    except UnicodeError:
        # MicroPython has no "replace": a text cut mid-character keeps its ASCII.
        return "".join(chr(b) if b < 128 else "?" for b in raw)


def as_dict(record):
    """A coach record ('prompt', 9, 0) -> {'event': 'prompt', 'hour': 9, 'snoozes': 0}."""
    event = {"event": record[0]}
    fields = EVENTS[CODES[record[0]]][1]
    for i in range(len(fields)):
        event[fields[i][0]] = record[i + 1] if i + 1 < len(record) else None
    return event
