# The event journal on flash (docs/journal-format.md): append-only fixed-size
# records in segment files of one flash erase block each, named by their first
# sequence number. A write cut short by a power loss is dropped at the next boot
# and the sequence goes on past every record seen. Records stay until the host
# has acknowledged them; when the byte budget is reached the oldest segment goes,
# and if the host had not acknowledged it, a records_lost record says how many.
import os

from core import journal_codec as codec
from core.clock import unix
from core.compat import const
from flash import cut_atomic, read_bytes, write_atomic

try:
    from micropython import kbd_intr
except ImportError:
    kbd_intr = None

# Not "journal": on the flash root beside journal.mpy, a folder of that name is what
# `import journal` finds (MicroPython takes a folder for a namespace package).
FOLDER = "records"
ACK = "ack"
IDENTITY = "id"
# The names of what else boot found in the folder, as last reported.
SKIPPED = "skipped"
# The journal format (docs/journal-format.md): 2 = the folder holds its identity.
FORMAT = const(2)
_SEGMENT_BYTES = const(4096)
# 96 segments: 384 KB, under a fifth of an ESP32's 2 MB filesystem, and over 90 days
# of hourly use (about 110 records a day when every prompt is missed with reminders).
BUDGET_BYTES = const(393216)
# An ack file holds one number: more than this is not one.
_ACK_BYTES = const(16)
_SKIPPED_BYTES = const(80)
# A record found in a segment numbered further than this past its name is not to be trusted.
_SPAN = const(65536)
# A segment's first number leaves room for every number after it in 32 bits (a plain int,
# not const(): past the ESP32's small ints).
_LAST_FIRST = 0xFFFF0000
_DIR = const(0x4000)  # the folder bit of a stat mode, and of ilistdir's type


class Journal:
    def __init__(self, boot, folder=FOLDER, budget=BUDGET_BYTES, segment_bytes=_SEGMENT_BYTES):
        self.boot = boot
        self.folder = folder
        self.segment_records = segment_bytes // codec.SIZE
        self.max_segments = max(2, budget // segment_bytes)
        # Records counted lost (not yet written as a records_lost record), records whose
        # tail was torn or damaged at boot, records raw_after() skipped as damaged.
        self.lost = 0
        self.torn = 0
        self.damaged = 0
        # A write failed since boot: the flash is full (the host hears of it at the next sync).
        self.full = False
        # What the boot found wrong in the folder, for the App to journal once (report()).
        self.problems = []
        self._skipped = None
        self._ready(folder)
        try:
            self.segments, junk = segments_in(folder)
        except OSError:  # no folder: the flash had no room to make it; nothing is kept
            self.segments, junk = [], []
            self.full = True
        if junk:
            self._notice_junk(junk)
        self.seq, self._count = self._recover()
        # Never past the newest record: an ack beyond it (a damaged or altered file) would let
        # records the host has not seen go without a count.
        self.ack = 0
        ack = read_bytes(folder + "/" + ACK, _ACK_BYTES)
        try:
            self.ack = max(0, min(int(ack), self.seq - 1))
        except (TypeError, ValueError):
            pass

    def _ready(self, folder):
        """The folder, made if it is missing, put aside if a file stands where it should be."""
        try:
            os.listdir(folder)
            return
        except OSError:
            pass
        try:
            os.mkdir(folder)
        except OSError:
            # Not a folder: something else has its name. Kept, under another.
            try:
                os.rename(folder, folder + ".bad")
            except OSError:
                self._try(os.remove, folder)
            self._try(os.mkdir, folder)
            self.problems.append("%s was not a folder: kept as %s.bad" % (folder, folder))
        # A new journal (a first boot, a reflash, an erased flash) numbers its records
        # from 1 again: an identity of its own tells the host it is not the one before.
        from binascii import hexlify

        self._try(write_atomic, folder + "/" + IDENTITY, hexlify(os.urandom(6)))

    def _try(self, step, *args):
        """A change to the flash that a full flash may refuse: the coach goes on without it."""
        try:
            step(*args)
            return True
        except OSError:
            self.full = True
            return False

    def _notice_junk(self, junk):
        """Entries that are not the journal's own are left alone, and named once."""
        text = " ".join(junk)[:_SKIPPED_BYTES]
        if read_bytes(self.folder + "/" + SKIPPED, _SKIPPED_BYTES + 1) != text.encode():
            self.problems.append("%s: skipped %s" % (self.folder, text))
            self._skipped = text

    def report(self):
        """The problems have been journaled: name the skipped entries no more."""
        self.problems = []
        if self._skipped is not None:
            self._try(write_atomic, self.folder + "/" + SKIPPED, self._skipped)
            self._skipped = None

    def _path(self, first):
        return "%s/%010d.seg" % (self.folder, first)

    def _recover(self):
        """(next sequence number, records in the newest segment), dropping a torn or damaged tail.

        The next number stays above every record seen, damaged ones too: the host may hold
        a record that has since been damaged here, and a number given twice would be taken
        for the record it already holds. Reads a record at a time from the end: a whole
        segment read in one piece would want 4 KB of contiguous heap at boot, when the heap
        is fullest."""
        record = bytearray(codec.SIZE)
        floor = 1
        while self.segments:
            first = self.segments[-1]
            path = self._path(first)
            size = os.stat(path)[6]
            whole = size // codec.SIZE
            good = whole
            with open(path, "rb") as f:
                while good:
                    f.seek((good - 1) * codec.SIZE)
                    f.readinto(record)
                    if codec.valid(record) and first <= codec.seq_of(record) < first + _SPAN:
                        break
                    good -= 1
            # Damaged records at the end each had a number past the last good one.
            damaged = whole - good
            if not good:
                floor = max(floor, first + damaged)
                self.torn += 1
                if not self._try(os.remove, path):
                    # It stays (the reader skips what fails its CRC); records go to a new segment.
                    return floor, self.segment_records
                self.segments.pop()
                continue
            following = max(floor, codec.seq_of(record) + 1 + damaged)
            if good * codec.SIZE < size:
                self.torn += 1
                if not self._try(cut_atomic, path, good * codec.SIZE, record):
                    # Appended after a tail that stays, records would be out of step with
                    # the 32-byte grid: they start a segment of their own.
                    return following, self.segment_records
            return following, good
        return floor, 0

    def acknowledge(self, seq):
        """The host holds every record up to seq: those may go when space runs short."""
        self.ack = max(0, min(seq, self.seq - 1))
        write_atomic(self.folder + "/" + ACK, str(self.ack))

    def _drop_oldest(self, now, count_first=True):
        """Remove the oldest segment. Its unacknowledged records are counted in a records_lost
        record written before it goes: a power cut between the two loses no count."""
        first = self.segments[0]
        following = self.segments[1]
        if following - 1 > self.ack:
            self.lost += following - max(first, self.ack + 1)
        if self.lost and count_first:
            self._write_lost(now)
        if self._try(os.remove, self._path(first)):
            self.segments.pop(0)

    def _write_lost(self, now):
        """The count of records lost so far, as a records_lost record; its number is taken
        even if the flash refuses it (the count then waits for the next record)."""
        lost = self.lost
        if self._write(self._path(self.segments[-1]), self._encode(("records_lost", lost), now)):
            self.lost -= lost
        self.seq += 1
        self._count += 1

    def _encode(self, record, now):
        return codec.encode(record, self.seq, unix(now.t, now.clock_set), now.clock_set, self.boot)

    def append(self, record, now):
        """Write one coach record, stamped with the time; returns it as a dict (for the trace)."""
        seq = self.seq
        data = self._encode(record, now)
        n = len(data) // codec.SIZE
        self._room_for(n + (1 if self.lost else 0), now)
        if self.lost:
            self._write_lost(now)
        if self.seq != seq:
            data = self._encode(record, now)
        event = codec.as_dict(record)
        event["seq"] = self.seq
        event["boot"] = self.boot
        event["t" if now.clock_set else "up"] = unix(now.t, now.clock_set)
        if not self._write(self._path(self.segments[-1]), data):
            # The flash is full (other files grew): make room and try once more; the
            # coach goes on either way, and what could not be kept is counted (the count
            # of the segment removed too: the flash has just refused to write it first).
            if len(self.segments) > 1:
                self._drop_oldest(now, False)
            if not self._write(self._path(self.segments[-1]), data):
                self.lost += n
        self._count += n
        self.seq += n
        return event

    def _room_for(self, n, now):
        """A segment started for n more records if the current one has no room for them."""
        if self.segments and self._count + n <= self.segment_records:
            return
        self.segments.append(self.seq)
        self._count = 0
        while len(self.segments) > self.max_segments:
            self._drop_oldest(now)

    def _write(self, path, data):
        """Append whole records; False if the flash would not take them."""
        # Ctrl-C (mpremote connecting) waits until the record is whole on flash.
        if kbd_intr:
            kbd_intr(-1)
        try:
            self._append_bytes(path, data)
            return True
        except OSError:
            self.full = True
            return False
        finally:
            if kbd_intr:
                kbd_intr(3)

    def _append_bytes(self, path, data):
        with open(path, "ab") as f:
            f.write(data)

    def raw_after(self, seq):
        """Yield the stored bytes of every record after seq, a segment at a time: only records
        whose CRC holds and whose number fits their place (between the segment's name and the
        next segment's), in rising order. A damaged one is skipped and counted in
        self.damaged; its number is never trusted."""
        self.damaged = 0
        last = seq
        for i in range(len(self.segments)):
            first = self.segments[i]
            following = self.segments[i + 1] if i + 1 < len(self.segments) else self.seq
            if following - 1 <= seq:
                continue
            with open(self._path(first), "rb") as f:
                data = f.read()
            # Slices through a view: no copy of each record on the way out.
            view = memoryview(data)
            out = bytearray()
            # Damaged records are counted once a good one after them shows they were not
            # among those the host holds.
            unsure = 0
            for at in range(0, len(data) - codec.SIZE + 1, codec.SIZE):
                number = codec.seq_of(data, at) if codec.valid(data, at) else 0
                if first <= number <= seq:
                    unsure = 0  # the host has it, and whatever came before it
                elif number <= last or number >= following:
                    unsure += 1
                else:
                    self.damaged += unsure
                    unsure = 0
                    out += view[at : at + codec.SIZE]
                    last = number
            self.damaged += unsure
            yield out


def segments_in(folder):
    """(the first sequence numbers of the folder's segments, in order; the names of what else
    is there). A segment is a file named by 10 digits and ".seg"; the journal's own small files
    and files left by a cut-short replace (".tmp") are neither."""
    segments = []
    junk = []
    ilistdir = getattr(os, "ilistdir", None)
    entries = ilistdir(folder) if ilistdir else ((n, os.stat(folder + "/" + n)[0]) for n in os.listdir(folder))
    for entry in entries:
        name = entry[0]
        if name in (ACK, IDENTITY, SKIPPED) or name.endswith(".tmp"):
            continue
        first = _first_of(name) if entry[1] & _DIR == 0 else None
        if first is None:
            junk.append(name)
        else:
            segments.append(first)
    segments.sort()
    junk.sort()
    return segments, junk


def _first_of(name):
    """The first sequence number a segment's name gives, or None if it is not a segment's."""
    if len(name) != 14 or not name.endswith(".seg"):
        return None
    for c in name[:10]:
        if not "0" <= c <= "9":
            return None
    first = int(name[:10])
    # Past this, numbers would not fit the record's 32 bits.
    return first if 0 < first < _LAST_FIRST else None


def read_records(folder=FOLDER):
    """Every record in a journal folder, decoded and joined, oldest first, and the
    number of records that could not be read."""
    from core.journal_reader import decode_all

    return decode_all(_segment_bytes(folder))


def _segment_bytes(folder):
    for first in segments_in(folder)[0]:
        with open("%s/%010d.seg" % (folder, first), "rb") as f:
            yield f.read()
