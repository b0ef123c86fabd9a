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
_PAYLOAD_BYTES = const(14)
# Texts (errors, settings problems) are cut to this many bytes: 8 records at most.
_MAX_TEXT = const(112)
CRC_AT = const(28)
HEADER = "<BBBBIIH"

CLOCK_SET = const(1)
CONTINUES = const(2)
MORE = const(255)  # event code of a continuation record: the next bytes of a text

# Kinds G, A, R and S: one byte naming an entry of one of these.
CHOICES = {
    "G": ("press", "hold", "double", "long"),
    "A": (
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
        "no_snooze",
        "decline",
    ),
    "R": ("prompt", "extra"),
    "S": ("complete", "partial"),
}

# Event code n is line n: "event field:kind ...", its fields in payload order. Kinds: b, h,
# i and I as struct packs them, ? one byte 0/1, t text, a letter of CHOICES. Codes are never
# reused. One text, not nested tuples or a tuple of lines: on the board each of those is an
# object of its own in the heap.
EVENTS = """boot
gesture gesture:G action:A
prompt hour:b snoozes:b
reminder hour:b
snooze count:b minutes:b
missed hour:b snoozes:b
session_start reason:R latency_s:i snoozes:b minutes:b
pause elapsed_s:i
resume elapsed_s:i
session_end result:S seconds:i reps:h
pain score:b
clock_set was:I was_set:?
settings_changed key:t
settings_rejected problem:t
error message:t
records_lost count:I
restart
declined hour:b snoozes:b"""


def code_of(event):
    """The code of an event name; KeyError if there is none."""
    code = 1
    at = 0
    while True:
        end = at + len(event)
        if EVENTS.startswith(event, at) and (end == len(EVENTS) or EVENTS[end] == " " or EVENTS[end] == "\n"):
            return code
        at = EVENTS.find("\n", at) + 1
        if not at:
            raise KeyError(event)
        code += 1


def spec(code):
    """Line `code` of EVENTS: the event's name and its fields; ValueError if there is none."""
    if code < 1:
        raise ValueError("no event code %d" % code)
    at = 0
    for _ in range(code - 1):
        at = EVENTS.find("\n", at) + 1
        if not at:
            raise ValueError("no event code %d" % code)
    end = EVENTS.find("\n", at)
    return EVENTS[at : end if end >= 0 else len(EVENTS)]


def fields(code):
    """The event's fields in payload order, as (name, kind) pairs."""
    return [(field[:-2], field[-1]) for field in spec(code).split()[1:]]


def pack_format(kind):
    """The struct format of a number kind."""
    return "<B" if kind == "?" else "<" + kind


def _seal(buf, at):
    struct.pack_into("<I", buf, at + CRC_AT, crc32(memoryview(buf)[at : at + CRC_AT]) & 0xFFFFFFFF)


def encode(record, seq, t, clock_set, boot):
    """A coach record ('prompt', 9, 0) -> bytes: one 32-byte record, or several for a long text."""
    code = code_of(record[0])
    payload = bytearray(_PAYLOAD_BYTES)
    text = b""
    at = 0
    i = 1
    for _, kind in fields(code):
        value = record[i]
        i += 1
        if kind == "t":
            text = str(value).encode()[:_MAX_TEXT]
        elif kind in CHOICES:
            payload[at] = CHOICES[kind].index(value)
            at += 1
        else:
            fmt = pack_format(kind)
            struct.pack_into(fmt, payload, at, int(value))
            at += struct.calcsize(fmt)
    chunks = [text[i : i + _PAYLOAD_BYTES] for i in range(0, len(text), _PAYLOAD_BYTES)] if text else [bytes(payload)]
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
