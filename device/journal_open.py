# Opening the journal's folder at boot (docs/journal-format.md): the folder made
# or mended, its segments found, a write cut short by a power loss dropped, the
# sequence taken up past every record seen, the host's ack read back. Needed once
# a boot: the shell loads it to open the journal and lets it go (journal.py says
# what the running coach keeps).
import os

from core import journal_codec as codec
from core.compat import const
from flash import cut_atomic, read_bytes, write_atomic
from journal import ACK, IDENTITY, SKIPPED, SKIPPED_BYTES

# An ack file holds one number: more than this is not one.
_ACK_BYTES = const(16)
# A record found in a segment numbered further than this past its name is not to be trusted.
_SPAN = const(65536)
# A segment's first number leaves room for every number after it in 32 bits (a plain int,
# not const(): past the ESP32's small ints).
_LAST_FIRST = 0xFFFF0000
_DIR = const(0x4000)  # the folder bit of a stat mode, and of ilistdir's type


def open_journal(journal):
    """A new Journal (journal.py), its folder read: ready to append to."""
    folder = journal.folder
    _ready(journal)
    try:
        journal.segments, junk = segments_in(folder)
    except OSError:  # no folder: the flash had no room to make it; nothing is kept
        journal.segments, junk = [], []
        journal.full = True
    if junk:
        _notice_junk(journal, junk)
    journal.seq, journal._count = _recover(journal)
    # Never past the newest record: an ack beyond it (a damaged or altered file) would let
    # records the host has not seen go without a count.
    ack = read_bytes(folder + "/" + ACK, _ACK_BYTES)
    try:
        journal.ack = max(0, min(int(ack), journal.seq - 1))
    except (TypeError, ValueError):
        pass
    return journal


def _ready(journal):
    """Its folder, made if it is missing, put aside if a file stands where it should be."""
    folder = journal.folder
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
            journal.try_change(os.remove, folder)
        journal.try_change(os.mkdir, folder)
        journal.problems.append("%s was not a folder: kept as %s.bad" % (folder, folder))
    # A new journal (a first boot, a reflash, an erased flash) numbers its records
    # from 1 again: an identity of its own tells the host it is not the one before.
    from binascii import hexlify

    journal.try_change(write_atomic, folder + "/" + IDENTITY, hexlify(os.urandom(6)))


def _notice_junk(journal, junk):
    """Entries that are not the journal's own are left alone, and named once."""
    text = " ".join(junk)[:SKIPPED_BYTES]
    if read_bytes(journal.folder + "/" + SKIPPED, SKIPPED_BYTES + 1) != text.encode():
        journal.problems.append("%s: skipped %s" % (journal.folder, text))
        journal._skipped = text


def _recover(journal):
    """(next sequence number, records in the newest segment), dropping a torn or damaged tail.

    The next number stays above every record seen, damaged ones too: the host may hold
    a record that has since been damaged here, and a number given twice would be taken
    for the record it already holds. Reads a record at a time from the end: a whole
    segment read in one piece would want 4 KB of contiguous heap at boot, when the heap
    is fullest."""
    record = bytearray(codec.SIZE)
    floor = 1
    segments = journal.segments
    while segments:
        first = segments[-1]
        path = journal.segment_path(first)
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
            journal.torn += 1
            if not journal.try_change(os.remove, path):
                # It stays (the reader skips what fails its CRC); records go to a new segment.
                return floor, journal.segment_records
            segments.pop()
            continue
        following = max(floor, codec.seq_of(record) + 1 + damaged)
        if good * codec.SIZE < size:
            journal.torn += 1
            if not journal.try_change(cut_atomic, path, good * codec.SIZE, record):
                # Appended after a tail that stays, records would be out of step with
                # the 32-byte grid: they start a segment of their own.
                return following, journal.segment_records
        return following, good
    return floor, 0


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
