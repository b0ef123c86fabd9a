"""`anklepump report`: the figures (summary.py) from the database, as a table on the terminal and
as HTML, PNG, CSV or JSON files, for a therapist and a caregiver."""

import argparse
import csv
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .. import zones
from ..store.database import add_db_option, open_existing
from ..words import printable
from .language import ENGLISH_WORDS, LANGUAGES, Words
from .summary import GOAL, Day, Summary, Zone, fmt, last_week, summarise, total

MIN_OFFSET, MAX_OFFSET = -720, 840
FIGURES = ("expected", "done", "partial", "missed", "snoozed", "declined", "minutes", "adherence", "pain_mean")
# A row a day, then the total; every row names the devices, journals and time zone it is from.
CSV_COLUMNS = ("date", "no_data", *FIGURES, "devices", "journals", "time_zone")


class ReportError(Exception):
    pass


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
    add_db_option(p)
    p.add_argument("--device", metavar="ID", help="only this device (default: every device in the database)")
    span = p.add_mutually_exclusive_group()
    span.add_argument("--from", dest="first", type=_date, metavar="YYYY-MM-DD", help="from this day on")
    span.add_argument("--days", type=_count, metavar="N", help="the last N days (up to today, or --to)")
    p.add_argument("--to", dest="last", type=_date, metavar="YYYY-MM-DD", help="up to this day, inclusive")
    add_zone_options(p)
    p.add_argument("--html", metavar="FILE", help="a page with charts and the table, to open or print")
    p.add_argument(
        "--pdf", metavar="FILE", help="one A4 page to print and file: figures, charts, each day, the patient's box"
    )
    p.add_argument(
        "--handout", action="store_true", help="with --pdf: a second page, the patient's sheet in large print"
    )
    p.add_argument("--png", metavar="FILE", help="the adherence chart alone")
    p.add_argument("--csv", metavar="FILE", help="the table by day")
    p.add_argument("--json", metavar="FILE", help="days and sessions")
    p.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="the table's, the page's and the charts' language (default en)"
    )
    p.add_argument("--quiet", action="store_true", help="no table on the terminal")
    p.set_defaults(run=run)


def add_zone_options(p) -> None:
    """Where local days begin: --tz (a zone, as sync gives the device) or --utc-offset."""
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--tz",
        metavar="ZONE",
        help="where local days begin: the patient's time zone, as `sync --tz` takes it: a zone of the tz"
        " database (Europe/Berlin) or a POSIX rule; default: this computer's, which sync gives the device",
    )
    where.add_argument(
        "--utc-offset",
        type=_offset,
        metavar="MINUTES",
        help="where local days begin: minutes east of UTC all year, e.g. 60",
    )


def zone_of(args) -> Zone:
    """The local time --tz or --utc-offset give, or this computer's."""
    if args.tz:
        try:
            return Zone(rule=zones.resolve(args.tz))
        except zones.ZoneError as exc:
            raise ReportError(f"--tz {args.tz}: {exc}") from None
    return Zone(args.utc_offset)


def _range(args, zone: Zone) -> tuple[date | None, date | None]:
    last = args.last
    first = args.first
    if args.days:
        last = last or zone.today()
        first = last - timedelta(days=args.days - 1)
    if first and last and first > last:
        raise ReportError(f"--from {first} is after --to {last}")
    return first, last


def _nothing(device: str | None, db: Path | str, first: date | None, last: date | None, others: list[str]) -> str:
    who = f"device {device}" if device else "any device"
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


class Report:
    """The figures for a device (None: every device) and a range of local days, from the database;
    `summary` is None when no record falls in the range, and `nothing` then says so."""

    def __init__(self, db: str | None, device: str | None, first: date | None, last: date | None, zone: Zone):
        store = open_existing(db)
        try:
            records = list(store.records(device))
            others = [] if records or not device else store.devices()
            patients = [p for p in store.patients() if p["device"] in {r["device"] for r in records}]
        finally:
            store.close()
        timed = [r for r in records if "t" in r]
        self.zone = zone
        self.untimed = len(records) - len(timed)
        # The therapist's goal when the patients have one (devices with different goals: the default).
        goals = {p["goal"] for p in patients if p["goal"]}
        self.summary = summarise(timed, zone, first, last, goals.pop() if len(goals) == 1 else GOAL)
        self.nothing = None
        if self.summary is None:
            self.nothing = _nothing(device, store.path, first, last, others) + _untimed(self.untimed, "; ")
        else:
            self.summary.patients = [p for p in patients if p["device"] in self.summary.devices]


def _figures(day: Day) -> dict:
    row = day.row()
    return {k: row[k] for k in FIGURES}


def as_json(report: Report) -> str:
    """The range, where its records came from, its totals, days and sessions."""
    summary = report.summary
    days, week = summary.days, last_week(summary.days)
    document = {
        "first": days[0].date.isoformat(),
        "last": days[-1].date.isoformat(),
        "devices": summary.devices,
        "journals": [{"device": device, "journal": journal} for device, journal in summary.journals],
        "time_zone": report.zone.name(),
        "totals": {
            "days": len(days),
            "days_with_data": sum(not d.no_data for d in days),
            **_figures(total(days)),
        },
        "last_7_days": {
            "first": week.days[0].date.isoformat(),
            "last": week.days[-1].date.isoformat(),
            "days_with_data": week.with_data,
            **_figures(week.whole),
        },
        "records_without_time": report.untimed,
        "days": [d.row() for d in days],
        "sessions": [s.row() for s in summary.sessions],
        "streak": summary.streak,
        "goal": summary.goal,
        "patients": summary.patients,
    }
    return json.dumps(document, indent=2) + "\n"


def as_csv(report: Report) -> str:
    summary = report.summary
    origin = {
        "devices": " ".join(summary.devices),
        "journals": " ".join(journal for _, journal in summary.journals if journal),
        "time_zone": report.zone.name(),
    }
    text = io.StringIO()
    writer = csv.DictWriter(text, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for day in summary.days:
        writer.writerow({**day.row(), "no_data": "yes" if day.no_data else "no", **origin})
    writer.writerow({"date": "total", "no_data": "", **_figures(total(summary.days)), **origin})
    return text.getvalue()


def run(args) -> int:
    words = Words(args.lang)
    zone = zone_of(args)
    first, last = _range(args, zone)
    if args.handout and not args.pdf:
        raise ReportError("--handout is the second page of --pdf: give --pdf FILE too")
    report = Report(args.db, args.device, first, last, zone)
    if report.summary is None:
        print(report.nothing)
        return 0
    written = _write(args, report, words)
    if not args.quiet:
        _show(report.summary, zone, report.untimed, written, words)
    return 0


def _untimed(count: int, before: str, words: Words = ENGLISH_WORDS) -> str:
    if not count:
        return ""
    return before + words.say("untimed", records=words.count(count, "record"))


def _write(args, report: Report, words: Words) -> list[str]:
    summary, zone, untimed = report.summary, report.zone, report.untimed
    outputs = []
    if args.json:
        outputs.append((args.json, as_json(report), "t"))
    if args.csv:
        outputs.append((args.csv, as_csv(report), "t"))
    if args.png or args.html or args.pdf:
        # matplotlib takes a while to load: only for the files that need it.
        from . import charts

        if args.png:
            outputs.append((args.png, charts.adherence(summary.days, summary.goal, words), "b"))
        if args.html:
            from .page import page

            outputs.append((args.html, page(summary, words.zone(zone), summary.goal, untimed, words), "t"))
        if args.pdf:
            from .printout import pdf

            outputs.append((args.pdf, pdf(summary, words.zone(zone), untimed, words, args.handout), "b"))
    for name, content, mode in outputs:
        try:
            with open(name, "w" + mode) as out:
                out.write(content)
        except OSError as exc:
            raise ReportError(f"cannot write {name}: {exc.strerror}") from exc
    return [name for name, _, _ in outputs]


def _show(summary: Summary, zone: Zone, untimed: int, written: list[str], words: Words) -> None:
    days = summary.days
    console = Console(highlight=False)
    heading = words.patients(summary)
    if heading:
        console.print(printable(heading), markup=False)
    table = Table(
        # Device ids are what devices sent: never read as markup, never a terminal escape.
        title=words.say(
            "terminal_title", first=days[0].date, last=days[-1].date, devices=escape(printable(words.devices(summary)))
        ),
        caption=words.say("terminal_caption", zone=words.zone(zone)),
        show_footer=True,
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    whole = total(days)
    footers = (
        words["total"],
        f"{whole.done}/{whole.expected}",
        fmt(whole.adherence, "%"),
        f"{whole.minutes:.1f}",
        str(whole.partial),
        str(whole.missed),
        str(whole.snoozed),
        str(whole.declined),
        fmt(whole.pain_mean),
    )
    for i, (name, footer) in enumerate(zip(words["terminal_heads"], footers)):
        table.add_column(name, footer=footer, justify="left" if i == 0 else "right", no_wrap=True)
    for day in days:
        if day.no_data:
            table.add_row(words.terminal_day(day.date), f"[dim]{words['no_data']}[/]", *[""] * 7)
            continue
        adherence = fmt(day.adherence, "%")
        if day.adherence is not None and day.adherence < summary.goal:
            adherence = f"[bold yellow]{adherence}[/]"
        table.add_row(
            words.terminal_day(day.date),
            f"{day.done}/{day.expected}",
            adherence,
            f"{day.minutes:.1f}",
            str(day.partial),
            str(day.missed),
            str(day.snoozed),
            str(day.declined),
            fmt(day.pain_mean),
        )
    console.print(table)
    console.print(words.week(last_week(days), terminal=True), markup=False, soft_wrap=True)
    console.print(words.say("terminal_streak", streak=words.streak(summary)))
    if untimed:
        console.print(_untimed(untimed, "", words), markup=False)
    for name in written:
        console.print(words.say("wrote", file=name), markup=False)
