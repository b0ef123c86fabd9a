# The event journal on flash (docs/journal-format.md): append-only fixed-size
# records in segment files of one flash erase block each, named by their first
# sequence number. A write cut short by a power loss is dropped at the next boot
# and the sequence goes on past every record seen. Records stay until the host
# has acknowledged them; when the byte budget is reached the oldest segment goes,
# and if the host had not acknowledged it, a records_lost record says how many.
# Opening the folder at boot (journal_open.py) and reading records back
# (journal_read.py) are modules of their own: the running coach only appends, and
# keeps neither in its heap.
import os

from core import journal_codec as codec
from core.clock import unix
from core.compat import const
from flash import write_atomic

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
# How much of a skipped entry's names is kept (journal_open.py reads no more back).
SKIPPED_BYTES = const(80)


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
        # Filled in by journal_open.open_journal(), which reads the folder at boot.
        self.segments = []
        self.seq = 1
        self._count = 0
        self.ack = 0

    def try_change(self, step, *args):
        """A change to the flash that a full flash may refuse: the coach goes on without it."""
        try:
            step(*args)
            return True
        except OSError:
            self.full = True
            return False

    def report(self):
        """The problems have been journaled: name the skipped entries no more."""
        self.problems = []
        if self._skipped is not None:
            self.try_change(write_atomic, self.folder + "/" + SKIPPED, self._skipped)
            self._skipped = None

    def segment_path(self, first):
        return "%s/%010d.seg" % (self.folder, first)

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
        if self.try_change(os.remove, self.segment_path(first)):
            self.segments.pop(0)

    def _write_lost(self, now):
        """The count of records lost so far, as a records_lost record; its number is taken
        even if the flash refuses it (the count then waits for the next record)."""
        lost = self.lost
        if self._write(self.segment_path(self.segments[-1]), self._encode(("records_lost", lost), now)):
            self.lost -= lost
        self.seq += 1
        self._count += 1

    def _encode(self, record, now):
        return codec.encode(record, self.seq, unix(now.t, now.clock_set), now.clock_set, self.boot)

    def append(self, record, now):
        """Write one coach record, stamped with the time; returns its records' bytes, as the flash
        has them (or would have them: a record the flash refused is counted as lost)."""
        seq = self.seq
        data = self._encode(record, now)
        n = len(data) // codec.SIZE
        self._room_for(n + (1 if self.lost else 0), now)
        if self.lost:
            self._write_lost(now)
        if self.seq != seq:
            data = self._encode(record, now)
        if not self._write(self.segment_path(self.segments[-1]), data):
            # The flash is full (other files grew): make room and try once more; the
            # coach goes on either way, and what could not be kept is counted (the count
            # of the segment removed too: the flash has just refused to write it first).
            if len(self.segments) > 1:
                self._drop_oldest(now, False)
            if not self._write(self.segment_path(self.segments[-1]), data):
                self.lost += n
        self._count += n
        self.seq += n
        return data

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
