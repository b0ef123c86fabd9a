"""`anklepump sync`: bring the device's new journal records into the local database.

Order matters, so that nothing is lost whatever stops it: read, verify, commit to the
database, and only then acknowledge on the device (which may then free the space);
set the time zone and the clock; restart the coach. A sync cut off anywhere is completed by
the next one.
"""

import base64
import json
import sys
import time
from itertools import pairwise

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from ..firmware import load_core
from ..store.database import Store, location
from ..words import plural, printable
from . import clock as device_clock
from .link import coach_stopped


class SyncError(Exception):
    pass


# A journal holds at most 12,288 records (96 segments of 128) and counts what it loses: a
# record numbered this far past the one before it is damage, not history.
MAX_JUMP = 1 << 20
# Sequence numbers are 32 bits on the device.
_SEQ_LIMIT = 1 << 32


def _number(answer: dict, key: str, low: int = 0, high: int = _SEQ_LIMIT) -> int:
    value = answer.get(key)
    if type(value) is not int or not low <= value < high:
        raise SyncError(f"the device's answer has {key} = {printable(repr(value))[:40]}, not a number from {low}")
    return value


def _text(answer: dict, key: str, optional: bool = False) -> str | None:
    value = answer.get(key)
    if value is None and optional:
        return None
    if type(value) is not str or not value or len(value) > 64:
        raise SyncError(f"the device's answer has {key} = {printable(repr(value))[:40]}, not a name")
    return value


def _flag(answer: dict, key: str) -> bool:
    value = answer.get(key, False)
    if type(value) is not bool:
        raise SyncError(f"the device's answer has {key} = {printable(repr(value))[:40]}, not true or false")
    return value


def check_info(info: dict) -> dict:
    """remote.info() as the device sent it, every field checked before any is acted on."""
    checked = {
        "id": _text(info, "id"),
        "journal": _text(info, "journal", optional=True) or "",
        "version": _number(info, "version"),
        "format": _number({"format": info.get("format", 1)}, "format"),
        "next": _number(info, "next", 1),
        "ack": _number(info, "ack"),
        "boot": _number(info, "boot"),
        "full": _flag(info, "full"),
        "lost": _number({"lost": info.get("lost", 0)}, "lost"),
    }
    return checked


def check_clock(clock: dict) -> dict:
    """remote.set_time()'s answer, checked."""
    return {"was": _number(clock, "was"), "was_set": _flag(clock, "was_set"), "t": _number(clock, "t")}


def decode_lines(text: str) -> tuple[list[dict], int]:
    """The device's answer to remote.read(): base64 lines of records, then (from devices that
    send it) one JSON line of what it left out -> (decoded records, joined; how many failed
    their CRC, here or on the device)."""
    load_core()
    from core.journal_reader import decode_all

    lines = [line.strip() for line in text.splitlines() if line.strip()]
    damaged = 0
    if lines and lines[-1].startswith("{"):
        try:
            damaged = _number(json.loads(lines.pop()), "damaged")
        except (ValueError, AttributeError) as exc:
            raise SyncError("the device's count of damaged records is not JSON: nothing was stored") from exc
    blobs = []
    for line in lines:
        try:
            blobs.append(base64.b64decode(line, validate=True))
        except ValueError as exc:
            shown = printable(line[:40])
            raise SyncError(f"the device sent a line that is not base64 ({shown}): nothing was stored") from exc
    records, corrupt = decode_all(blobs)
    return records, corrupt + damaged


def check_sequence(records: list[dict], after: int, following: int) -> None:
    """The records must follow `after` in rising order, each below the device's next number and
    none an implausible jump past the one before: else nothing is stored (a record numbered near
    2**32 would make every later sync ask for records after it)."""
    seqs = [r["seq"] for r in records]
    if seqs and (seqs[0] <= after or any(b <= a for a, b in pairwise(seqs))):
        raise SyncError(f"the device sent records out of sequence (after {after}: {seqs[:3]}...); nothing was stored")
    for before, seq in pairwise([after, *seqs]):
        if seq >= following or (before and seq - before > MAX_JUMP):
            raise SyncError(
                f"the device sent record {seq} after {before} (its journal says the next is {following}):"
                " a jump no journal makes, so its journal is damaged; nothing was stored"
            )


def gaps(records: list[dict], after: int) -> list[tuple[int, int]]:
    """The ranges of numbers missing between `after` (0: a journal not seen before, which
    starts at 1) and the records, and between them."""
    missing = []
    for before, seq in pairwise([after, *(r["seq"] for r in records)]):
        if seq - before > 1:
            missing.append((before + 1, seq - 1))
    return missing


class Synced:
    """What a sync brought in, and the lines that tell it (device text in them escaped)."""

    def __init__(self, result: dict):
        self.device = result["device"]
        self.added = added = result["added"]
        clock, now = result["clock"], result["now"]
        self.sessions = sum(1 for r in result["records"] if r["event"] == "session_end")
        summary = f"synced {printable(self.device)}: {plural(added, 'new record')}"
        summary += f" ({plural(self.sessions, 'session')}), clock set"
        summary += " (it was not set)" if not clock["was_set"] else f" (it was {clock['was'] - now:+d} s off)"
        self.lines = [summary, result["zone"]]
        if result["journal"]:
            self.lines.append(printable(result["journal"]))
        if result["anchored"]:
            anchored = plural(result["anchored"], "record")
            their = "its" if result["anchored"] == 1 else "their"
            self.lines.append(f"{anchored} made while the clock was not set given {their} time")
        corrupt = result["corrupt"]
        if corrupt:
            self.lines.append(f"warning: {plural(corrupt, 'corrupt record')} skipped (CRC mismatch)")
        # Numbers missing from what the device sent, less those it said were damaged.
        missing = sum(b - a + 1 for a, b in result["gaps"]) - corrupt
        if missing > 0:
            ranges = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in result["gaps"][:5])
            self.lines.append(
                f"warning: {plural(missing, 'record')} lost on the device before they were synced (numbers {ranges})"
            )
        if result["unstored"]:
            self.lines.append(
                f"warning: the database kept {plural(result['unstored'], 'record')} fewer than the device sent:"
                f" acknowledged up to {result['acked']} only, the rest stay on the device"
            )
        if result["full"]:
            self.lines.append(
                "warning: the device's flash is full: new records may not be kept; sync often and see docs/flash.md"
            )


def synchronise(port: str | None, db: str | None, progress=None, tz: str | None = None) -> Synced:
    """One sync of the coach on `port` (or the one on USB) into the database `db` names, giving it
    the time zone `tz` names (default: this computer's). progress(records read, records expected)
    is called as the journal arrives."""
    load_core()
    zone = device_clock.wanted(tz)
    # Made only once there are records to store: a sync that fails first leaves nothing behind.
    store = Store(location(db), create=False)
    try:
        with coach_stopped(port) as link:
            return Synced(_sync(link, store, progress, zone))
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

        synced = synchronise(args.port, args.db, progress, args.tz)
    for line in synced.lines:
        print(line)
    return 0


def _sync(link, store, progress, zone):
    from core.journal_codec import SIZE, VERSION
    from journal import FORMAT

    info = check_info(link.call_json("remote.info()"))
    if info["version"] > VERSION or info["format"] > FORMAT:
        raise SyncError(
            f"the device's journal is format version {info['format']} (records version "
            f"{info['version']}); this anklepump reads format {FORMAT}, records version {VERSION}: update anklepump"
        )
    # A device of the first format has no journal identity: its journal is the one without one.
    device, journal = info["id"], info["journal"]
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
    check_sequence(records, after, info["next"])
    added = store.add(device, journal, records, corrupt)
    # What the database holds now, asked of it after the commit: not what was sent.
    acked = store.held_through(device, journal, after, [r["seq"] for r in records])
    if acked > info["ack"]:
        link.call(f"remote.ack({acked})")
    said, _ = device_clock.set_zone(link, zone)
    now = int(time.time())
    clock = check_clock(link.call_json(f"remote.set_time({now})"))
    current = None if clock["was_set"] else (info["boot"], clock["was"], now)
    anchored = store.anchor(device, journal, current)
    return {
        "device": device,
        "journal": journal_note,
        "added": added,
        "records": records,
        "corrupt": corrupt,
        "gaps": gaps(records, after),
        "unstored": sum(1 for r in records if r["seq"] > acked),
        "acked": acked,
        "full": info["full"] or info["lost"] > 0,
        "clock": clock,
        "anchored": anchored,
        "now": now,
        "zone": said,
    }
