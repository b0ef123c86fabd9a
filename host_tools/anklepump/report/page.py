"""The report as one self-contained HTML page: charts embedded as PNG data, no outside links,
so it can be mailed, opened offline or printed."""

import base64
from datetime import datetime
from html import escape

from .language import ENGLISH_WORDS, Words
from .summary import Summary, fmt, last_week, total

STYLE = """
body { font-family: system-ui, "Report CJK", "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #222;
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
th:first-child, td:first-child { text-align: left; white-space: nowrap; }
tr.no-data td { color: #666; font-style: italic; }
tr.no-data td + td { text-align: center; }
tfoot td { font-weight: 600; border-top: 2px solid #444; border-bottom: none; }
td.below { color: #a04a00; font-weight: 600; }
.notes { color: #444; font-size: .9rem; }
.notes li { margin: .15rem 0; }
/* Printed: the summary, the charts and two weeks' table on one A4 page; the notes after them. */
@page { size: A4; margin: 10mm 11mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 8pt; line-height: 1.25; }
  h1 { font-size: 13pt; }
  h2 { font-size: 9pt; margin: 1.5mm 0 1mm; break-after: avoid; }
  /* The charts carry their own titles. */
  section.chart h2 { display: none; }
  .key { grid-template-columns: max-content 1fr max-content 1fr; gap: .3mm 3mm; margin: 2mm 0; }
  figure { margin: 0 0 1mm; }
  table { font-size: 7.5pt; }
  th, td { padding: .3mm 1.5mm; }
  tr { break-inside: avoid; }
  /* The totals once, under the last day, never carried to a page of their own. */
  tfoot { display: table-row-group; break-before: avoid; }
  .notes { columns: 2; column-gap: 6mm; font-size: 6.5pt; margin: 0; padding-left: 3mm; }
}
"""


def _section(title: str, body: str) -> str:
    return f'<section class="chart"><h2>{escape(title)}</h2>\n{body}</section>'


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<figure><img alt="{escape(alt)}" src="data:image/png;base64,{data}"></figure>'


def long_date(day, words: Words = ENGLISH_WORDS) -> str:
    return words.day(day)


def key_figures(summary: Summary, goal: int, untimed: int, words: Words = ENGLISH_WORDS) -> list[tuple[str, str]]:
    """The report's headline figures, (name, text) each: the period, the last 7 days, the streak."""
    days = summary.days
    whole = total(days)
    sessions = [s for s in summary.sessions if s.result]
    key = [
        (
            words["done"],
            words.say(
                "done_text", done=whole.done, expected=whole.expected, adherence=fmt(whole.adherence, "%"), goal=goal
            ),
        ),
        (words["week"], words.week(last_week(days))),
        (words["streak"], words.streak(summary)),
        (
            words["exercise"],
            words.say(
                "exercise_text",
                minutes=f"{whole.minutes:.0f}",
                sessions=words.count(len(sessions), "session"),
                partial=whole.partial,
            ),
        ),
        (
            words["missed"],
            words.say(
                "missed_text",
                missed=whole.missed,
                snoozed=whole.snoozed,
                prompts=words.count(whole.missed, "prompt"),
                snoozes=words.count(whole.snoozed, "snooze"),
            ),
        ),
        (
            words["pain"],
            words.say("pain_text", mean=fmt(whole.pain_mean), scores=words.count(len(whole.pain), "score"))
            if whole.pain
            else words["pain_none"],
        ),
    ]
    if untimed:
        key.append((words["left_out"], words.say("left_out_text", records=words.count(untimed, "record"))))
    return key


def span_text(summary: Summary, words: Words = ENGLISH_WORDS) -> str:
    days = summary.days
    first, last = words.day(days[0].date), words.day(days[-1].date)
    return words.say("span", first=first, last=last, days=words.count(len(days), "day"))


def page(summary: Summary, zone: str, goal: int, untimed: int, words: Words = ENGLISH_WORDS) -> str:
    """The page in `words`' language; `zone` says where its days begin."""
    # matplotlib takes a while to load: only when a page is made, not for every command that
    # imports this module (the printout's, and through it the errors every command names).
    from . import charts

    days = summary.days
    whole = total(days)
    span = span_text(summary, words)
    generated = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    key = key_figures(summary, goal, untimed, words)
    if summary.hours:
        hours = _img(charts.hours(days, summary.hours, words), words["alt_hours"])
    else:
        hours = f"<p>{escape(words['no_prompts'])}</p>"
    pain = _img(charts.pain(days, words), words["alt_pain"]) if whole.pain else f"<p>{words['no_pain']}</p>"
    devices = words.devices(summary)
    meta = words.say("meta", devices=devices[:1].upper() + devices[1:], span=span, zone=zone)
    body = [
        "<header><h1>" + escape(words["title"]) + "</h1>",
        *([f'<p class="patient">{escape(words.patients(summary) or "")}</p>'] if summary.patients else []),
        f'<p class="meta">{escape(meta)}</p>',
        f'<p class="meta">{escape(words.say("generated", when=generated))}</p></header>',
        '<dl class="key">',
        *(f"<dt>{escape(name)}</dt><dd>{escape(text)}</dd>" for name, text in key),
        "</dl>",
        _section(words["by_day"], _img(charts.adherence(days, goal, words), words["alt_adherence"])),
        _section(words["by_hour"], hours),
        _section(words["pain"], pain),
        f'<section class="table"><h2>{escape(words["table"])}</h2>',
        _table(summary, goal, words),
        "</section>",
        _notes(goal, words),
        "</body></html>",
    ]
    title = words.say("page_title", devices=", ".join(summary.devices), span=span)
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{words["html_lang"]}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{words.font_face(title + chr(10).join(body))}{STYLE}</style></head><body>",
    ]
    return "\n".join(head + body) + "\n"


TABLE_HEAD = ENGLISH_WORDS["heads"]


def day_cells(label: str, day, words: Words = ENGLISH_WORDS) -> tuple[str, ...]:
    """A row of the day table, as TABLE_HEAD names its cells; a day without records says so."""
    if day.no_data:
        return (label, words["no_data"], *[""] * (len(TABLE_HEAD) - 2))
    return (
        label,
        f"{day.done} / {day.expected}",
        fmt(day.adherence, "%"),
        f"{day.minutes:.1f}",
        str(day.partial),
        str(day.missed),
        str(day.snoozed),
        str(day.declined),
        fmt(day.pain_mean),
    )


def _table(summary: Summary, goal: int, words: Words) -> str:
    def row(cells, adherence, gap=False):
        below = adherence is not None and adherence < goal
        if gap:
            span = f'<td colspan="{len(cells) - 1}">{escape(cells[1])}</td>'
            return f'<tr class="no-data"><td>{escape(cells[0])}</td>{span}</tr>'
        out = []
        for i, cell in enumerate(cells):
            mark = ' class="below"' if i == 2 and below else ""
            out.append(f"<td{mark}>{escape(cell)}</td>")
        return "<tr>" + "".join(out) + "</tr>"

    whole = total(summary.days)
    return "\n".join(
        [
            "<table><thead>",
            "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in words["heads"]) + "</tr>",
            "</thead><tbody>",
            *(row(day_cells(words.day(d.date), d, words), d.adherence, d.no_data) for d in summary.days),
            "</tbody><tfoot>",
            row(day_cells(words["total"], whole), whole.adherence),
            "</tfoot></table>",
        ]
    )


def _notes(goal: int, words: Words) -> str:
    notes = "".join(f"<li>{note.format(goal=goal)}</li>" for note in words["notes"])
    return f'<section class="counted"><h2>{escape(words["counted"])}</h2><ul class="notes">{notes}</ul></section>'
