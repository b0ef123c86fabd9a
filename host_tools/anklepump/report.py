"""`anklepump report`: what was done, day by day, from the database, for a therapist and a caregiver.

Counted per local day (the time of each record plus a UTC offset):

- expected: the hourly prompts (a re-prompt after a snooze is the same prompt), plus the hours
  whose prompt the device held back because a session was completed in that hour already;
- done: those prompts answered by a completed session (snoozed first or not), plus those hours;
- partial, missed, snoozed: sessions stopped early, prompts left unanswered, snoozes;
- minutes: the time of every session, extra sessions too;
- adherence: done / expected, in percent.

A prompt counts on the day it was given, a session on the day it ended. Records made while the
device's clock was not set, and not given a time at a sync since, cannot be placed on a day.
"""

import argparse
import csv
import io
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from itertools import groupby
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from .store import Store, default_path

GOAL = 80
MIN_OFFSET, MAX_OFFSET = -720, 840
CSV_COLUMNS = ("date", "expected", "done", "partial", "missed", "snoozed", "minutes", "adherence", "pain_mean")

# What became of an hour's prompt, for the heat map; when two devices share an hour, the earlier here wins.
DONE, SNOOZED_DONE, PARTIAL, MISSED, OPEN = "done", "snoozed_done", "partial", "missed", "open"
HOUR_STATES = (DONE, SNOOZED_DONE, PARTIAL, MISSED, OPEN)


class ReportError(Exception):
    pass


@dataclass
class Day:
    date: date
    expected: int = 0
    done: int = 0
    partial: int = 0
    missed: int = 0
    snoozed: int = 0
    seconds: int = 0
    pain: list[int] = field(default_factory=list)

    @property
    def adherence(self) -> float | None:
        return round(100 * self.done / self.expected, 1) if self.expected else None

    @property
    def minutes(self) -> float:
        return round(self.seconds / 60, 2)

    @property
    def pain_mean(self) -> float | None:
        return round(sum(self.pain) / len(self.pain), 2) if self.pain else None

    def row(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "expected": self.expected,
            "done": self.done,
            "partial": self.partial,
            "missed": self.missed,
            "snoozed": self.snoozed,
            "minutes": self.minutes,
            "adherence": self.adherence,
            "pain_mean": self.pain_mean,
        }


def total(days: list[Day]) -> Day:
    """The days added up (dated by the last)."""
    whole = Day(days[-1].date)
    for day in days:
        whole.expected += day.expected
        whole.done += day.done
        whole.partial += day.partial
        whole.missed += day.missed
        whole.snoozed += day.snoozed
        whole.seconds += day.seconds
        whole.pain += day.pain
    return whole


@dataclass
class Prompt:
    at: datetime
    snoozed: bool = False
    outcome: str | None = None


@dataclass
class Session:
    device: str
    start: datetime | None
    reason: str | None = None
    latency_s: int | None = None
    snoozes: int | None = None
    prompt: Prompt | None = None
    end: datetime | None = None
    result: str | None = None
    seconds: int | None = None
    reps: int | None = None

    @property
    def day(self) -> date:
        return (self.start or self.end).date()

    def row(self) -> dict:
        return {
            "device": self.device,
            "start": self.start and self.start.isoformat(),
            "end": self.end and self.end.isoformat(),
            "reason": self.reason,
            "result": self.result,
            "seconds": self.seconds,
            "reps": self.reps,
            "latency_s": self.latency_s,
            "snoozes": self.snoozes,
        }


@dataclass
class Summary:
    days: list[Day]
    sessions: list[Session]
    hours: dict[tuple[date, int], str]
    streak: int
    streak_to: date | None
    devices: list[str]


class Zone:
    """Local time: a fixed offset from UTC, or (None) this computer's time zone, summer time included."""

    def __init__(self, offset_minutes: int | None):
        self.offset = offset_minutes
        self.tz = None if offset_minutes is None else timezone(timedelta(minutes=offset_minutes))

    def at(self, t: float) -> datetime:
        moment = datetime.fromtimestamp(t, self.tz)
        return moment if self.tz else moment.astimezone()

    def today(self) -> date:
        return self.at(time.time()).date()

    def describe(self) -> str:
        if self.offset is None:
            return f"this computer's time zone ({datetime.now().astimezone().tzname()})"
        hours, minutes = divmod(abs(self.offset), 60)
        return f"UTC{'-' if self.offset < 0 else '+'}{hours:02d}:{minutes:02d}"


class Tally:
    """Records counted into local days, sessions and hours."""

    def __init__(self, zone: Zone):
        self.zone = zone
        self.days: dict[date, Day] = {}
        self.sessions: list[Session] = []
        self.hours: dict[tuple[date, int], str] = {}
        self.devices: dict[date, set[str]] = defaultdict(set)

    def day(self, moment: datetime) -> Day:
        return self.days.setdefault(moment.date(), Day(moment.date()))

    def follow(self, device: str, records) -> None:
        """One device's timed records, in sequence: prompts tied to the sessions that answered them."""
        prompts: list[Prompt] = []
        sessions: list[Session] = []
        prompt = session = None
        for record in records:
            moment = self.zone.at(record["t"])
            event = record["event"]
            today = self.day(moment)
            self.devices[today.date].add(device)
            if event == "boot":
                # Neither a prompt nor a session outlives a restart.
                prompt = session = None
            elif event == "prompt" and record["snoozes"] == 0:
                prompt = Prompt(moment)
                prompts.append(prompt)
            elif event == "snooze":
                today.snoozed += 1
                if prompt:
                    prompt.snoozed = True
            elif event == "missed":
                today.missed += 1
                if prompt:
                    prompt.outcome = MISSED
            elif event == "session_start":
                answers = prompt if record["reason"] == "prompt" else None
                latency = record["latency_s"] if answers else None
                session = Session(device, moment, record["reason"], latency, record["snoozes"], answers)
                sessions.append(session)
            elif event == "session_end":
                if session is None:
                    # Its start was lost (records_lost): the time done still counts.
                    session = Session(device, None)
                    sessions.append(session)
                session.end, session.result = moment, record["result"]
                session.seconds, session.reps = record["seconds"], record["reps"]
                today.seconds += record["seconds"]
                if record["result"] == "partial":
                    today.partial += 1
                if session.prompt:
                    session.prompt.outcome = DONE if record["result"] == "complete" else PARTIAL
                session = None
            elif event == "pain":
                today.pain.append(record["score"])
        self.sessions += sessions
        prompted = defaultdict(set)
        for prompt in prompts:
            today = self.day(prompt.at)
            today.expected += 1
            state = prompt.outcome or OPEN
            if state == DONE:
                today.done += 1
                if prompt.snoozed:
                    state = SNOOZED_DONE
            prompted[today.date].add(prompt.at.hour)
            self._mark((today.date, prompt.at.hour), state)
        # A session completed in an hour stands in for that hour's prompt, which the device then
        # skips; only hours inside the day's prompted span count, as quiet hours get no prompt anyway.
        held_back = set()
        for session in sessions:
            if session.result != "complete":
                continue
            when = (session.end.date(), session.end.hour)
            span = prompted.get(when[0])
            if span and min(span) <= when[1] <= max(span) and when[1] not in span and when not in held_back:
                held_back.add(when)
                self.days[when[0]].expected += 1
                self.days[when[0]].done += 1
                self._mark(when, DONE)

    def _mark(self, when: tuple[date, int], state: str) -> None:
        if when not in self.hours or HOUR_STATES.index(state) < HOUR_STATES.index(self.hours[when]):
            self.hours[when] = state


def summarise(records, zone: Zone, first: date | None = None, last: date | None = None) -> Summary | None:
    """Records with a time, ordered by device and sequence, counted per local day from first to
    last (inclusive; None: from the first record, to the last). None if no record falls there."""
    tally = Tally(zone)
    for device, group in groupby(records, key=lambda r: r["device"]):
        tally.follow(device, group)
    inside = [d for d in tally.days if (first is None or d >= first) and (last is None or d <= last)]
    if not inside:
        return None
    first, last = min(inside), max(inside)
    # Every day, those without a record too (a gap is a gap), from the very first: the streak
    # may have begun before the range.
    run = [tally.days.get(d) or Day(d) for d in _dates(min(tally.days), last)]

    count, latest = streak(run)

    def within(when: date) -> bool:
        return first <= when <= last

    return Summary(
        days=[d for d in run if within(d.date)],
        sessions=sorted((s for s in tally.sessions if within(s.day)), key=lambda s: s.start or s.end),
        hours={k: v for k, v in tally.hours.items() if within(k[0])},
        streak=count,
        streak_to=latest,
        devices=sorted(set().union(*(tally.devices[d] for d in inside))),
    )


def _dates(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def streak(days: list[Day]) -> tuple[int, date | None]:
    """Consecutive days at or above the goal, counting back from the latest day with prompts
    (days given one for each date, oldest first); and that latest day."""
    prompted = [i for i, d in enumerate(days) if d.expected]
    if not prompted:
        return 0, None
    count = 0
    for day in reversed(days[: prompted[-1] + 1]):
        if day.adherence is None or day.adherence < GOAL:
            break
        count += 1
    return count, days[prompted[-1]].date


# the command


def _date(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of days, 1 or more: {text!r}")
    return int(text)


def _offset(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be whole minutes: {text!r}") from None
    if not MIN_OFFSET <= value <= MAX_OFFSET:
        raise argparse.ArgumentTypeError(f"must be {MIN_OFFSET} to {MAX_OFFSET} minutes, got {value}")
    return value


def register(commands) -> None:
    p = commands.add_parser("report", help="what was done, day by day: a table, and HTML, PNG, CSV or JSON files")
    p.add_argument("--db", metavar="FILE", help="the database (default: ~/.local/share/anklepump/anklepump.db)")
    p.add_argument("--device", metavar="ID", help="only this device (default: every device in the database)")
    span = p.add_mutually_exclusive_group()
    span.add_argument("--from", dest="first", type=_date, metavar="YYYY-MM-DD", help="from this day on")
    span.add_argument("--days", type=_count, metavar="N", help="the last N days (up to today, or --to)")
    p.add_argument("--to", dest="last", type=_date, metavar="YYYY-MM-DD", help="up to this day, inclusive")
    p.add_argument(
        "--utc-offset",
        type=_offset,
        metavar="MINUTES",
        help="where local days begin: minutes east of UTC, e.g. 60 (default: this computer's time zone)",
    )
    p.add_argument("--html", metavar="FILE", help="a page with charts and the table, to open or print")
    p.add_argument("--png", metavar="FILE", help="the adherence chart alone")
    p.add_argument("--csv", metavar="FILE", help="the table by day")
    p.add_argument("--json", metavar="FILE", help="days and sessions")
    p.add_argument("--quiet", action="store_true", help="no table on the terminal")
    p.set_defaults(run=run)


def _range(args, zone: Zone) -> tuple[date | None, date | None]:
    last = args.last
    first = args.first
    if args.days:
        last = last or zone.today()
        first = last - timedelta(days=args.days - 1)
    if first and last and first > last:
        raise ReportError(f"--from {first} is after --to {last}")
    return first, last


def _nothing(args, db: Path, first: date | None, last: date | None, others: list[str]) -> str:
    who = f"device {args.device}" if args.device else "any device"
    if first and last:
        where = f"between {first} and {last}"
    elif first or last:
        where = f"from {first} on" if first else f"up to {last}"
    else:
        where = f"in {db}"
    text = f"no records for {who} {where}"
    if others:
        text += f" (the database holds {', '.join(others)})"
    return text


def run(args) -> int:
    db = Path(args.db) if args.db else default_path()
    if not db.exists():
        raise ReportError(f"no database at {db} (run anklepump sync first)")
    zone = Zone(args.utc_offset)
    first, last = _range(args, zone)
    store = Store(db)
    try:
        records = list(store.records(args.device))
        others = [] if records or not args.device else sorted({r["device"] for r in store.records()})
    finally:
        store.close()
    timed = [r for r in records if "t" in r]
    untimed = len(records) - len(timed)
    summary = summarise(timed, zone, first, last)
    if summary is None:
        print(_nothing(args, db, first, last, others) + _untimed(untimed, "; "))
        return 0
    written = _write(args, summary, zone, untimed)
    if not args.quiet:
        _show(summary, zone, untimed, written)
    return 0


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def streak_text(summary: Summary) -> str:
    if summary.streak_to is None:
        return f"none yet (no prompts); the goal is {GOAL}% of prompts done a day"
    days = plural(summary.streak, "day")
    return f"{days} in a row at the {GOAL}% goal or above, up to {summary.streak_to:%a %Y-%m-%d}"


def _untimed(count: int, before: str) -> str:
    if not count:
        return ""
    return f"{before}{plural(count, 'record')} without a time left out (made while the clock was not set)"


def _write(args, summary: Summary, zone: Zone, untimed: int) -> list[str]:
    outputs = []
    if args.json:
        document = {"days": [d.row() for d in summary.days], "sessions": [s.row() for s in summary.sessions]}
        document["streak"] = summary.streak
        outputs.append((args.json, json.dumps(document, indent=2) + "\n", "t"))
    if args.csv:
        text = io.StringIO()
        writer = csv.DictWriter(text, CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(d.row() for d in summary.days)
        outputs.append((args.csv, text.getvalue(), "t"))
    if args.png or args.html:
        # matplotlib takes a while to load: only for the files that need it.
        from . import charts

        if args.png:
            outputs.append((args.png, charts.adherence(summary.days, GOAL), "b"))
        if args.html:
            from .report_html import page

            outputs.append((args.html, page(summary, zone.describe(), GOAL, untimed), "t"))
    for name, content, mode in outputs:
        try:
            with open(name, "w" + mode) as out:
                out.write(content)
        except OSError as exc:
            raise ReportError(f"cannot write {name}: {exc.strerror}") from exc
    return [name for name, _, _ in outputs]


def fmt(value: float | None, unit: str = "") -> str:
    """One decimal, or a dash for a value there is none of (no prompts, no pain scores)."""
    return "\N{EN DASH}" if value is None else f"{value:.1f}{unit}"


def devices_text(summary: Summary) -> str:
    return ("devices " if len(summary.devices) > 1 else "device ") + ", ".join(summary.devices)


def _show(summary: Summary, zone: Zone, untimed: int, written: list[str]) -> None:
    days = summary.days
    console = Console(highlight=False)
    table = Table(
        title=f"Ankle pump sessions, {days[0].date} to {days[-1].date}, {devices_text(summary)}",
        caption=f"done/expected prompts; days in {zone.describe()}",
        show_footer=True,
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    whole = total(days)
    columns = [
        ("day", "total", "left"),
        ("done", f"{whole.done}/{whole.expected}", "right"),
        ("adherence", fmt(whole.adherence, "%"), "right"),
        ("min", f"{whole.minutes:.1f}", "right"),
        ("partial", str(whole.partial), "right"),
        ("missed", str(whole.missed), "right"),
        ("snoozed", str(whole.snoozed), "right"),
        ("pain", fmt(whole.pain_mean), "right"),
    ]
    for name, footer, justify in columns:
        table.add_column(name, footer=footer, justify=justify, no_wrap=True)
    for day in days:
        adherence = fmt(day.adherence, "%")
        if day.adherence is not None and day.adherence < GOAL:
            adherence = f"[bold yellow]{adherence}[/]"
        table.add_row(
            day.date.strftime("%a %Y-%m-%d"),
            f"{day.done}/{day.expected}",
            adherence,
            f"{day.minutes:.1f}",
            str(day.partial),
            str(day.missed),
            str(day.snoozed),
            fmt(day.pain_mean),
        )
    console.print(table)
    week = total(days[-7:])
    console.print(
        f"last 7 days ({days[-7:][0].date} to {days[-1].date}): {week.done}/{week.expected} done"
        f" ({fmt(week.adherence, '%')}), {week.minutes:.1f} min"
    )
    console.print(f"streak: {streak_text(summary)}")
    if untimed:
        console.print(_untimed(untimed, ""))
    for name in written:
        console.print(f"wrote {name}")
