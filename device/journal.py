# The event journal on flash (docs/journal-format.md): append-only fixed-size
# records in segment files of one flash erase block each, named by their first
# sequence number. A write cut short by a power loss is dropped at the next boot
# and the sequence goes on from the last whole record. Records stay until the host
# has acknowledged them; when the byte budget is reached the oldest segment goes,
# and if the host had not acknowledged it, a records_lost record says how many.
import os

from core import journal_codec as codec
from core.clock import unix
from core.compat import const
from flash import cut_atomic, write_atomic

try:
    from micropython import kbd_intr
except ImportError:
    kbd_intr = None

# Not "journal": on the flash root beside journal.mpy, a folder of that name is what
# `import journal` finds (MicroPython takes a folder for a namespace package).
FOLDER = "records"
ACK = "ack"
IDENTITY = "id"
# The journal format (docs/journal-format.md): 2 = the folder holds its identity.
FORMAT = const(2)
_SEGMENT_BYTES = const(4096)
# 96 segments: 384 KB, under a fifth of an ESP32's 2 MB filesystem, and over 90 days
# of hourly use (about 110 records a day when every prompt is missed with reminders).
BUDGET_BYTES = const(393216)


class Journal:
    def __init__(self, boot, folder=FOLDER, budget=BUDGET_BYTES, segment_bytes=_SEGMENT_BYTES):
        self.boot = boot
        self.folder = folder
        self.segment_records = segment_bytes // codec.SIZE
        self.max_segments = max(2, budget // segment_bytes)
        self.lost = 0
        self.torn = 0
        try:
            os.mkdir(folder)
            # A new journal (a first boot, a reflash, an erased flash) numbers its records
            # from 1 again: an identity of its own tells the host it is not the one before.
            from binascii import hexlify

            write_atomic(folder + "/" + IDENTITY, hexlify(os.urandom(6)))
        except OSError:
            pass
        self.segments = sorted(int(n[:-4]) for n in os.listdir(folder) if n.endswith(".seg"))
        self.seq, self._count = self._recover()
        try:
            with open(folder + "/" + ACK) as f:
                self.ack = int(f.read())
        except (OSError, ValueError):
            self.ack = 0

    def _path(self, first):
        return "%s/%010d.seg" % (self.folder, first)

    def _recover(self):
        """(next sequence number, records in the newest segment), dropping a torn tail.

        Reads a record at a time from the end: a whole segment read in one piece would
        want 4 KB of contiguous heap at boot, when the heap is fullest."""
        record = bytearray(codec.SIZE)
        while self.segments:
            path = self._path(self.segments[-1])
            size = os.stat(path)[6]
            good = size - size % codec.SIZE
            with open(path, "rb") as f:
                while good:
                    f.seek(good - codec.SIZE)
                    f.readinto(record)
                    if codec.valid(record):
                        break
                    good -= codec.SIZE
            if not good:
                self.torn += 1
                os.remove(path)
                self.segments.pop()
                continue
            following = codec.seq_of(record) + 1
            if good < size:
                self.torn += 1
                cut_atomic(path, good, record)
            return following, good // codec.SIZE
        return 1, 0

    def acknowledge(self, seq):
        """The host holds every record up to seq: those may go when space runs short."""
        self.ack = min(seq, self.seq - 1)
        write_atomic(self.folder + "/" + ACK, str(self.ack))

    def _drop_oldest(self):
        first = self.segments.pop(0)
        following = self.segments[0] if self.segments else self.seq
        if following - 1 > self.ack:
            self.lost += following - max(first, self.ack + 1)
        os.remove(self._path(first))

    def append(self, record, now):
        """Write one coach record, stamped with the time; returns it as a dict (for the trace)."""
        data = self._room_for(record, now)
        if self.lost and record[0] != "records_lost":
            lost, self.lost = self.lost, 0
            self.append(("records_lost", lost), now)
            data = self._room_for(record, now)
        n = len(data) // codec.SIZE
        event = codec.as_dict(record)
        event["seq"] = self.seq
        event["boot"] = self.boot
        event["t" if now.clock_set else "up"] = unix(now.t, now.clock_set)
        try:
            self._write(self._path(self.segments[-1]), data)
        except OSError:
            # The flash is full (other files grew): make room and try once more; the
            # coach goes on either way, and what could not be kept is counted.
            if len(self.segments) > 1:
                self._drop_oldest()
            try:
                self._write(self._path(self.segments[-1]), data)
            except OSError:
                self.lost += record[1] if record[0] == "records_lost" else n
        self._count += n
        self.seq += n
        return event

    def _room_for(self, record, now):
        """The record's bytes, with a segment started for them if the current one is full."""
        data = codec.encode(record, self.seq, unix(now.t, now.clock_set), now.clock_set, self.boot)
        if not self.segments or self._count + len(data) // codec.SIZE > self.segment_records:
            while len(self.segments) >= self.max_segments:
                self._drop_oldest()
            self.segments.append(self.seq)
            self._count = 0
        return data

    def _write(self, path, data):
        # Ctrl-C (mpremote connecting) waits until the record is whole on flash.
        if kbd_intr:
            kbd_intr(-1)
        try:
            with open(path, "ab") as f:
                f.write(data)
        finally:
            if kbd_intr:
                kbd_intr(3)

    def raw_after(self, seq):
        """Yield the stored bytes of every record after seq, a segment at a time."""
        for i in range(len(self.segments)):
            following = self.segments[i + 1] if i + 1 < len(self.segments) else self.seq
            if following - 1 <= seq:
                continue
            with open(self._path(self.segments[i]), "rb") as f:
                data = f.read()
            start = 0
            while start < len(data) and codec.seq_of(data, start) <= seq:
                start += codec.SIZE
            yield data[start:]


def read_records(folder=FOLDER):
    """Every record in a journal folder, decoded and joined, oldest first, and the
    number of records that could not be read."""
    from core.journal_reader import decode_all

    return decode_all(_segment_bytes(folder))


def _segment_bytes(folder):
    for name in sorted(n for n in os.listdir(folder) if n.endswith(".seg")):
        with open(folder + "/" + name, "rb") as f:
            yield f.read()
