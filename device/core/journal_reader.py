# Reading the journal's records back (docs/journal-format.md): one record to a
# dict, texts joined from their continuation records, whole segments at once.
# Pure. The host reads with it; on the device only the REPL does (the running
# firmware only writes, and keeps this out of its heap).
import struct

from core.journal_codec import (
    CHOICES,
    CLOCK_SET,
    CONTINUES,
    CRC_AT,
    EVENTS,
    HEADER,
    MORE,
    PAYLOAD_AT,
    SIZE,
    VERSION,
    fields,
    pack_format,
    valid,
)

# The event table parsed once, as reading goes record by record: code -> (name, fields).
_EVENTS = {}
for _code, _line in enumerate(EVENTS.split("\n"), 1):
    _EVENTS[_code] = (_line.split()[0], fields(_code))
_TEXT_FIELDS = {}
for _name, _fields in _EVENTS.values():
    for _field, _kind in _fields:
        if _kind == "t":
            _TEXT_FIELDS[_name] = _field


class RecordError(ValueError):
    pass


def decode(buf, at=0):
    """One record -> {'seq', 'event', 'boot', 't' or 'up', fields...}; text continuations come
    back as event 'more' with 'text' and 'continues', for join() to put together."""
    if len(buf) - at < SIZE:
        raise RecordError("short record")
    if buf[at] != VERSION:
        raise RecordError("journal format version %d (this reads version %d)" % (buf[at], VERSION))
    if not valid(buf, at):
        raise RecordError("CRC mismatch")
    _, code, flags, _, seq, t, boot = struct.unpack_from(HEADER, buf, at)
    record = {"seq": seq, "boot": boot}
    if flags & CLOCK_SET:
        record["t"] = t
    else:
        record["up"] = t
    payload = bytes(buf[at + PAYLOAD_AT : at + CRC_AT])
    if code == MORE:
        record["event"] = "more"
        record["text"] = payload
        record["continues"] = bool(flags & CONTINUES)
        return record
    if code not in _EVENTS:
        raise RecordError("unknown event code %d" % code)
    name, event_fields = _EVENTS[code]
    record["event"] = name
    pos = 0
    for field, kind in event_fields:
        if kind == "t":
            record[field] = payload
            record["continues"] = bool(flags & CONTINUES)
        elif kind in CHOICES:
            index = payload[pos]
            choices = CHOICES[kind]
            record[field] = choices[index] if index < len(choices) else index
            pos += 1
        else:
            fmt = pack_format(kind)
            value = struct.unpack_from(fmt, payload, pos)[0]
            record[field] = bool(value) if kind == "?" else value
            pos += struct.calcsize(fmt)
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
    return _TEXT_FIELDS.get(event)


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
