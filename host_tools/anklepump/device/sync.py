"""`anklepump sync`: bring the device's new journal records into the local database.

Order matters, so that nothing is lost whatever stops it: read, verify, commit to the
database, and only then acknowledge on the device (which may then free the space);
set the clock; restart the coach. A sync cut off anywhere is completed by the next one.
"""

import base64
import sys
import time
from itertools import pairwise

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from ..firmware import load_core
from ..store.database import Store, location
from ..words import plural
from .link import coach_stopped


class SyncError(Exception):
    pass


def decode_lines(text: str) -> tuple[list[dict], int]:
    """The device's base64 lines -> (decoded records, joined; how many failed their CRC)."""
    load_core()
    from core.journal_reader import decode_all

    return decode_all(base64.b64decode(line) for line in text.split())


class Synced:
    """What a sync brought in, and the lines that tell it."""

    def __init__(self, device, journal_note, added, records, corrupt, clock, anchored, now):
        self.device = device
        self.added = added
        self.sessions = sum(1 for r in records if r["event"] == "session_end")
        summary = f"synced {device}: {plural(added, 'new record')} ({plural(self.sessions, 'session')}), clock set"
        summary += " (it was not set)" if not clock["was_set"] else f" (it was {clock['was'] - now:+d} s off)"
        self.lines = [summary]
        if journal_note:
            self.lines.append(journal_note)
        if anchored:
            self.lines.append(f"{plural(anchored, 'record')} made while the clock was not set given their time")
        if corrupt:
            self.lines.append(f"warning: {plural(corrupt, 'corrupt record')} skipped (CRC mismatch)")


def synchronise(port: str | None, db: str | None, progress=None) -> Synced:
    """One sync of the coach on `port` (or the one on USB) into the database `db` names.
    progress(records read, records expected) is called as the journal arrives."""
    load_core()
    # Made only once there are records to store: a sync that fails first leaves nothing behind.
    store = Store(location(db), create=False)
    try:
        with coach_stopped(port) as link:
            return Synced(*_sync(link, store, progress))
    finally:
        store.close()


def run(args) -> int:
    console = Console(stderr=True)
    with Progress(
        TextColumn("reading journal"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("records"),
        console=console,
        transient=True,
        disable=args.quiet or not sys.stderr.isatty(),
    ) as bar:
        task = bar.add_task("read", total=None)

        def progress(read: int, expected: int) -> None:
            bar.update(task, completed=read, total=expected)

        synced = synchronise(args.port, args.db, progress)
    for line in synced.lines:
        print(line)
    return 0


def _sync(link, store, progress):
    from core.journal_codec import SIZE, VERSION
    from journal import FORMAT

    info = link.call_json("remote.info()")
    # A device of the first format has neither field: its journal is the one without an identity.
    if info["version"] > VERSION or info.get("format", 1) > FORMAT:
        raise SyncError(
            f"the device's journal is format version {info.get('format', 1)} (records version "
            f"{info['version']}); this anklepump reads format {FORMAT}, records version {VERSION}: update anklepump"
        )
    device = info["id"]
    journal = info.get("journal") or ""
    after = store.last_seq(device, journal)
    # A journal not seen before (the flash was erased, the board reflashed): all of it is new.
    journal_note = None if after else f"journal {journal or '(no identity)'}: new to this database, all of it read"
    expected = max(0, info["next"] - 1 - after)
    received = 0

    def arrived(count: int) -> None:
        nonlocal received
        received += count
        if progress is not None:
            # Base64: four characters for three bytes (line ends make it a little ahead).
            progress(min(expected, received * 3 // (4 * SIZE)), expected)

    text = link.call(f"remote.read({after})", progress=arrived)
    records, corrupt = decode_lines(text)
    seqs = [r["seq"] for r in records]
    if seqs and (seqs[0] <= after or any(b <= a for a, b in pairwise(seqs))):
        raise SyncError(f"the device sent records out of sequence (after {after}: {seqs[:3]}...); nothing was stored")
    added = store.add(device, journal, records, corrupt)
    newest = max((r["seq"] for r in records), default=after)
    if newest > info["ack"]:
        link.call(f"remote.ack({newest})")
    now = int(time.time())
    clock = link.call_json(f"remote.set_time({now})")
    current = None if clock["was_set"] else (info["boot"], clock["was"], now)
    anchored = store.anchor(device, journal, current)
    return device, journal_note, added, records, corrupt, clock, anchored, now
