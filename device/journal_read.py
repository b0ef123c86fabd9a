# Reading the journal back: the raw records after a number, for the host's sync at
# the REPL (remote.py), and every record decoded, for the host's tools. The running
# coach never reads its journal, and keeps this out of its heap.
from core import journal_codec as codec
from core.journal_reader import decode_all
from journal import FOLDER, Journal
from journal_open import segments_in


def raw_after(journal, seq):
    """Yield the stored bytes of every record after seq, a segment at a time: only records
    whose CRC holds and whose number fits their place (between the segment's name and the
    next segment's), in rising order. A damaged one is skipped and counted in
    journal.damaged; its number is never trusted. The sync reads with it, at the REPL."""
    journal.damaged = 0
    last = seq
    for i in range(len(journal.segments)):
        first = journal.segments[i]
        following = journal.segments[i + 1] if i + 1 < len(journal.segments) else journal.seq
        if following - 1 <= seq:
            continue
        with open(journal.segment_path(first), "rb") as f:
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
                journal.damaged += unsure
                unsure = 0
                out += view[at : at + codec.SIZE]
                last = number
        journal.damaged += unsure
        yield out


def read_records(folder=FOLDER):
    """Every record in a journal folder, decoded and joined, oldest first, and the
    number of records that could not be read."""
    # A Journal of the folder, not opened (no boot of its own): for its segments' names.
    return decode_all(_segment_bytes(Journal(0, folder)))


def _segment_bytes(journal):
    for first in segments_in(journal.folder)[0]:
        with open(journal.segment_path(first), "rb") as f:
            yield f.read()
