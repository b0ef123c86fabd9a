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
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

from ..firmware import load_core
from ..store.database import Store, default_path
from .link import coach_stopped


class SyncError(Exception):
    pass


def decode_lines(text: str) -> tuple[list[dict], int]:
    """The device's base64 lines -> (decoded records, joined; how many failed their CRC)."""
    load_core()
    from core.journal_reader import decode_all

    return decode_all(base64.b64decode(line) for line in text.split())


def run(args) -> int:
    load_core()
    store = Store(args.db or default_path())
    try:
        with coach_stopped(args.port) as link:
            device, added, records, corrupt, clock, anchored, now = _sync(link, store, args.quiet)
    finally:
        store.close()
    sessions = sum(1 for r in records if r["event"] == "session_end")
    summary = f"synced {device}: {added} new records ({sessions} sessions), clock set"
    if not clock["was_set"]:
        summary += f" (it was not set; {anchored} records of this boot given their time)"
    else:
        summary += f" (it was {clock['was'] - now:+d} s off)"
    print(summary)
    if corrupt:
        print(f"warning: {corrupt} corrupt records skipped (CRC mismatch)")
    return 0


def _sync(link, store, quiet):
    from core.journal_codec import SIZE, VERSION

    info = link.call_json("remote.info()")
    if info["version"] > VERSION:
        raise SyncError(
            f"the device's journal is format version {info['version']}; this anklepump "
            f"reads version {VERSION}: update anklepump"
        )
    device = info["id"]
    after = store.last_seq(device)
    expected = max(0, info["next"] - 1 - after) * SIZE * 4 // 3
    console = Console(stderr=True)
    with Progress(
        TextColumn("reading journal"),
        BarColumn(),
        DownloadColumn(),
        console=console,
        transient=True,
        disable=quiet or not sys.stderr.isatty(),
    ) as progress:
        task = progress.add_task("read", total=expected or None)
        text = link.call(f"remote.read({after})", progress=lambda n: progress.advance(task, n))
    records, corrupt = decode_lines(text)
    seqs = [r["seq"] for r in records]
    if seqs and (seqs[0] <= after or any(b <= a for a, b in pairwise(seqs))):
        raise SyncError(f"the device sent records out of sequence (after {after}: {seqs[:3]}...); nothing was stored")
    added = store.add(device, records, corrupt)
    newest = max((r["seq"] for r in records), default=after)
    if newest > info["ack"]:
        link.call(f"remote.ack({newest})")
    now = int(time.time())
    clock = link.call_json(f"remote.set_time({now})")
    anchored = 0 if clock["was_set"] else store.anchor(device, info["boot"], clock["was"], now)
    return device, added, records, corrupt, clock, anchored, now
