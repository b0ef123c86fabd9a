# The journal's record format (docs/journal-format.md): fixed 32-byte records,
# each with a version byte, sequence number, time, event, arguments and CRC-32.
# Pure; the device and the host share it. This half writes (what the running
# firmware needs); core/journal_reader.py reads records back.
import struct
from binascii import crc32

from core.compat import const

VERSION = const(1)
SIZE = const(32)
# A record: header (HEADER) | payload | CRC-32 of header and payload.
PAYLOAD_AT = const(14)
PAYLOAD_BYTES = const(14)
# Texts (errors, settings problems) are cut to this many bytes: 8 records at most.
MAX_TEXT = const(112)
CRC_AT = const(28)
HEADER = "<BBBBIIH"

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

FIELD_WIDTH = {"b": 1, "?": 1, "h": 2, "i": 4, "I": 4}
FIELD_PACK = {"b": "<b", "?": "<B", "h": "<h", "i": "<i", "I": "<I"}


def _seal(buf, at):
    struct.pack_into("<I", buf, at + CRC_AT, crc32(memoryview(buf)[at : at + CRC_AT]) & 0xFFFFFFFF)


def encode(record, seq, t, clock_set, boot):
    """A coach record ('prompt', 9, 0) -> bytes: one 32-byte record, or several for a long text."""
    code = CODES[record[0]]
    fields = EVENTS[code][1]
    payload = bytearray(PAYLOAD_BYTES)
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
            struct.pack_into(FIELD_PACK[kind], payload, at, int(value))
            at += FIELD_WIDTH[kind]
    chunks = [text[i : i + PAYLOAD_BYTES] for i in range(0, len(text), PAYLOAD_BYTES)] if text else [bytes(payload)]
    out = bytearray(SIZE * len(chunks))
    flags = CLOCK_SET if clock_set else 0
    for n in range(len(chunks)):
        base = n * SIZE
        more = CONTINUES if n + 1 < len(chunks) else 0
        struct.pack_into(HEADER, out, base, VERSION, code if n == 0 else MORE, flags | more, 0, seq + n, t, boot)
        out[base + PAYLOAD_AT : base + PAYLOAD_AT + len(chunks[n])] = chunks[n]
        _seal(out, base)
    return out


def valid(buf, at=0):
    """Is the 32 bytes at `at` a whole record of a version this code reads, with a matching CRC?"""
    if len(buf) - at < SIZE or buf[at] != VERSION:
        return False
    (crc,) = struct.unpack_from("<I", buf, at + CRC_AT)
    return crc == crc32(memoryview(buf)[at : at + CRC_AT]) & 0xFFFFFFFF


def seq_of(buf, at=0):
    return struct.unpack_from("<I", buf, at + 4)[0]


def as_dict(record):
    """A coach record ('prompt', 9, 0) -> {'event': 'prompt', 'hour': 9, 'snoozes': 0}."""
    event = {"event": record[0]}
    fields = EVENTS[CODES[record[0]]][1]
    for i in range(len(fields)):
        event[fields[i][0]] = record[i + 1] if i + 1 < len(record) else None
    return event
