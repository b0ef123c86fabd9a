"""The report as one self-contained HTML page: charts embedded as PNG data, no outside links,
so it can be mailed, opened offline or printed."""

import base64
from datetime import datetime
from html import escape

from . import charts
from .summary import Summary, devices_text, fmt, patients_text, plural, streak_text, total

STYLE = """
body { font-family: system-ui, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #222;
       max-width: 62rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.55rem; margin: 0 0 .3rem; }
h2 { font-size: 1.15rem; margin: 1.8rem 0 .4rem; border-bottom: 1px solid #ccc; }
.meta { color: #555; margin: 0; }
.key { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1.2rem; margin: 1rem 0; }
.key dt { font-weight: 600; }
.key dd { margin: 0; }
section { break-inside: avoid; }
section.table { break-inside: auto; }
figure { margin: .6rem 0 1rem; }
figure img { width: 100%; height: auto; display: block; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: .92rem; }
th, td { padding: .22rem .55rem; text-align: right; border-bottom: 1px solid #e2e2e2; }
th { border-bottom: 2px solid #444; }
th:first-child, td:first-child { text-align: left; }
tfoot td { font-weight: 600; border-top: 2px solid #444; border-bottom: none; }
td.below { color: #a04a00; font-weight: 600; }
.notes { color: #444; font-size: .9rem; }
.notes li { margin: .15rem 0; }
@page { size: A4; margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
}
"""


def _section(title: str, body: str) -> str:
    return f"<section><h2>{escape(title)}</h2>\n{body}</section>"


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<figure><img alt="{escape(alt)}" src="data:image/png;base64,{data}"></figure>'


def long_date(day) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def key_figures(summary: Summary, goal: int, untimed: int) -> list[tuple[str, str]]:
    """The report's headline figures, (name, text) each: the period, the last 7 days, the streak."""
    days = summary.days
    whole, week = total(days), total(days[-7:])
    sessions = [s for s in summary.sessions if s.result]
    key = [
        ("Done", f"{whole.done} of {whole.expected} prompted hours ({fmt(whole.adherence, '%')}); goal {goal}% a day"),
        (
            "Last 7 days",
            f"{week.done} of {week.expected} ({fmt(week.adherence, '%')}), {long_date(days[-7:][0].date)} to "
            f"{long_date(days[-1].date)}",
        ),
        ("Streak", streak_text(summary)),
        (
            "Exercise",
            f"{whole.minutes:.0f} minutes in {plural(len(sessions), 'session')}; {whole.partial} stopped early",
        ),
        ("Missed, snoozed", f"{whole.missed} prompts missed; {whole.snoozed} snoozes"),
        (
            "Pain",
            f"mean {fmt(whole.pain_mean)} of 10, from {len(whole.pain)} scores"
            if whole.pain
            else "no pain scores recorded",
        ),
    ]
    if untimed:
        key.append(("Left out", f"{plural(untimed, 'record')} made while the device's clock was not set"))
    return key


def span_text(summary: Summary) -> str:
    days = summary.days
    return f"{long_date(days[0].date)} to {long_date(days[-1].date)} ({plural(len(days), 'day')})"


def page(summary: Summary, zone: str, goal: int, untimed: int) -> str:
    days = summary.days
    whole = total(days)
    devices = ", ".join(summary.devices)
    span = span_text(summary)
    generated = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    key = key_figures(summary, goal, untimed)
    if summary.hours:
        hours = _img(charts.hours(days, summary.hours), "each day's prompts by hour and outcome")
    else:
        hours = "<p>No prompts in this range.</p>"
    if whole.pain:
        pain = _img(charts.pain(days), "pain scores after sessions, by day")
    else:
        pain = "<p>No pain scores recorded (the device asks for them only with <code>pain_check</code> on).</p>"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Ankle pump report: {escape(devices)}, {escape(span)}</title>",
        f"<style>{STYLE}</style></head><body>",
        "<header><h1>Ankle pump exercises: report</h1>",
        *([f'<p class="patient">{escape(patients_text(summary) or "")}</p>'] if summary.patients else []),
        f'<p class="meta">{escape(devices_text(summary).capitalize())} · {escape(span)} · days in {escape(zone)}</p>',
        f'<p class="meta">Generated {escape(generated)} by anklepump</p></header>',
        '<dl class="key">',
        *(f"<dt>{escape(name)}</dt><dd>{escape(text)}</dd>" for name, text in key),
        "</dl>",
        _section("Adherence by day", _img(charts.adherence(days, goal), "adherence by day, with the goal as a line")),
        _section("Hour by hour", hours),
        _section("Pain", pain),
        '<section class="table"><h2>Day by day</h2>',
        _table(summary, goal),
        "</section>",
        _notes(goal),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


TABLE_HEAD = ("day", "done / expected", "adherence", "minutes", "partial", "missed", "snoozed", "pain (mean)")


def day_cells(label: str, day) -> tuple[str, ...]:
    """A row of the day table, as TABLE_HEAD names its cells."""
    return (
        label,
        f"{day.done} / {day.expected}",
        fmt(day.adherence, "%"),
        f"{day.minutes:.1f}",
        str(day.partial),
        str(day.missed),
        str(day.snoozed),
        fmt(day.pain_mean),
    )


def _table(summary: Summary, goal: int) -> str:
    def row(cells, adherence):
        below = adherence is not None and adherence < goal
        out = []
        for i, cell in enumerate(cells):
            mark = ' class="below"' if i == 2 and below else ""
            out.append(f"<td{mark}>{escape(cell)}</td>")
        return "<tr>" + "".join(out) + "</tr>"

    whole = total(summary.days)
    return "\n".join(
        [
            "<table><thead>",
            "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in TABLE_HEAD) + "</tr>",
            "</thead><tbody>",
            *(row(day_cells(long_date(d.date), d), d.adherence) for d in summary.days),
            "</tbody><tfoot>",
            row(day_cells("total", whole), whole.adherence),
            "</tfoot></table>",
        ]
    )


def _notes(goal: int) -> str:
    notes = [
        "<b>expected</b>: the hourly prompts, and the hours the device did not need to prompt because a "
        "session had just been completed in them.",
        "<b>done</b>: prompts answered by a complete session, after snoozes or not, and those hours.",
        "<b>partial</b>: sessions stopped early (or paused for 10 minutes). <b>missed</b>: prompts with no "
        "session started in time (30 minutes by default). <b>snoozed</b>: each time a prompt was put off.",
        "<b>minutes</b>: time in every session, extra sessions included.",
        f"<b>adherence</b>: done as a share of expected; the goal is {goal}% a day. Prompts count on the day "
        "they were given, sessions on the day they ended.",
    ]
    return '<h2>How this is counted</h2><ul class="notes">' + "".join(f"<li>{n}</li>" for n in notes) + "</ul>"
