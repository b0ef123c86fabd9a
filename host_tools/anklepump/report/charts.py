"""The report's charts, as PNG bytes: adherence by day, an hour-by-day map, pain.

Drawn on matplotlib Figures directly (the Agg canvas, no pyplot and no display). The three
share one day axis and the same margins, so on the page their days line up.
"""

import inspect
import io
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import wraps

from matplotlib import font_manager, rc_context
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .language import ENGLISH_WORDS, Words
from .summary import DECLINED, DONE, MISSED, OPEN, PARTIAL, SNOOZED_DONE, Day

WIDTH = 10.0
DPI = 150
# Inches: room for the y labels and the title, the same on every chart.
LEFT, RIGHT, TOP = 0.8, 0.2, 0.45
INK = "#222222"
GRID = "#dddddd"
MET, BELOW = "#2166ac", "#e08214"
# Days and hours without a prompt: quiet hours, or the device off.
QUIET = "#f0f0f0"
# Days without a single record (the device off all day, or not synced yet): hatched, drawn as nothing done.
NO_DATA = "#9e9e9e"
HATCH = "////"
# A blue-to-orange scale reads in colour blindness and in grey on paper: dark is done or missed.
# Each with the key of its words (language.py).
HOUR_COLOURS = {
    DONE: ("#2166ac", "hour_done"),
    SNOOZED_DONE: ("#92c5de", "hour_snoozed_done"),
    PARTIAL: ("#fdb863", "hour_partial"),
    MISSED: ("#b35806", "hour_missed"),
    DECLINED: ("#d8daeb", "hour_declined"),
    OPEN: ("#bdbdbd", "hour_open"),
    None: (QUIET, "hour_none"),
}
PAIN = "#6a3d9a"
# Inches: the adherence and pain charts, the hour map without its rows; short enough that with the
# summary and a two weeks' table they print on one A4 page (page.py's print style).
CHART_HEIGHTS = {"adherence": 2.5, "hours": 1.25, "pain": 2.0}
HOUR_ROW = 0.19
# For a printed page (printout.py): the part of each chart inside its axes this much as tall.
_SQUEEZE: ContextVar[float] = ContextVar("squeeze", default=1.0)


@contextmanager
def squeezed(factor: float):
    """Charts drawn inside are lower by `factor` within their axes; titles, labels and legends keep their room."""
    token = _SQUEEZE.set(factor)
    try:
        yield
    finally:
        _SQUEEZE.reset(token)


def _lettered(draw):
    """A chart with its text in its words' font: Chinese in the CJK font, English in matplotlib's own."""
    signature = inspect.signature(draw)

    @wraps(draw)
    def chart(*args, **kwargs):
        font = signature.bind(*args, **kwargs).arguments.get("words", ENGLISH_WORDS).font
        if font is None:
            return draw(*args, **kwargs)
        font_manager.fontManager.addfont(str(font))
        family = font_manager.FontProperties(fname=str(font)).get_name()
        with rc_context({"font.family": "sans-serif", "font.sans-serif": [family, "DejaVu Sans"]}):
            return draw(*args, **kwargs)

    return chart


def _figure(height: float, bottom: float) -> tuple[Figure, Axes]:
    """A chart `height` inches tall with `bottom` inches under its axes, for labels and legend."""
    height = bottom + TOP + (height - bottom - TOP) * _SQUEEZE.get()
    figure = Figure(figsize=(WIDTH, height), dpi=DPI)
    axes = figure.add_subplot()
    figure.subplots_adjust(left=LEFT / WIDTH, right=1 - RIGHT / WIDTH, bottom=bottom / height, top=1 - TOP / height)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors=INK, labelsize=8)
    return figure, axes


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, facecolor="white")
    return out.getvalue()


def _day_axis(axes: Axes, dates: list[date], words: Words) -> None:
    """Days along x, labelled each day up to 16 days, then on Mondays, then on the 1st."""
    if len(dates) <= 16:
        shown = range(len(dates))
    elif len(dates) <= 120:
        shown = [i for i, d in enumerate(dates) if d.weekday() == 0]
    else:
        shown = [i for i, d in enumerate(dates) if d.day == 1]
    axes.set_xticks(list(shown))
    axes.set_xticklabels([words.axis_day(dates[i]) for i in shown])
    # A week wide at least, so that a day or two are not drawn as walls of colour.
    axes.set_xlim(-0.5, max(len(dates), 7) - 0.5)


def _no_data(axes: Axes, days: list[Day]) -> bool:
    """Hatch the days without records; whether there were any."""
    gaps = [x for x, day in enumerate(days) if day.no_data]
    for x in gaps:
        axes.axvspan(x - 0.5, x + 0.5, facecolor="white", edgecolor=NO_DATA, hatch=HATCH, linewidth=0, zorder=1)
    return bool(gaps)


def _no_data_key(words: Words) -> Patch:
    return Patch(facecolor="white", edgecolor=NO_DATA, hatch=HATCH, label=words["chart_no_data"])


@_lettered
def adherence(days: list[Day], goal: int, words: Words = ENGLISH_WORDS) -> bytes:
    return _png(adherence_figure(days, goal, words))


def adherence_figure(days: list[Day], goal: int, words: Words = ENGLISH_WORDS) -> Figure:
    """A bar for each day with prompts; a day without records hatched and marked, with no bar."""
    figure, axes = _figure(CHART_HEIGHTS["adherence"], 0.8)
    prompted = [(x, d) for x, d in enumerate(days) if d.expected]
    values = {x: d.adherence for x, d in prompted}
    colours = [MET if d.adherence >= goal else BELOW for _, d in prompted]
    axes.bar([x for x, _ in prompted], [values[x] for x, _ in prompted], width=0.7, color=colours, zorder=2)
    axes.axhline(goal, color=INK, linestyle="--", linewidth=1, zorder=3)
    gaps = _no_data(axes, days)
    few = len(days) <= 21
    for x, day in enumerate(days):
        if day.no_data:
            if few:
                label = words["chart_no_data_bar"]
                axes.text(
                    x,
                    2,
                    label,
                    ha="center",
                    va="bottom",
                    fontsize=6.5,
                    color="#444444",
                    zorder=4,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
                )
        elif day.expected == 0:
            axes.axvspan(x - 0.5, x + 0.5, color=QUIET, zorder=1, linewidth=0)
            if few:
                label = words["chart_no_prompts_bar"]
                axes.text(x, 2, label, ha="center", va="bottom", fontsize=6.5, color="#666666", zorder=4)
        elif few:
            # Inside the bar's top, clear of the goal line; above a bar too short to hold it.
            inside = values[x] >= 12
            axes.text(
                x,
                values[x] - 1.5 if inside else values[x] + 1.5,
                f"{day.done}/{day.expected}",
                ha="center",
                va="top" if inside else "bottom",
                fontsize=7,
                color="white" if inside else INK,
                zorder=4,
            )
    axes.set_ylim(0, 110)
    axes.set_yticks(range(0, 101, 20))
    axes.set_ylabel(words["chart_adherence_axis"], fontsize=9, color=INK)
    axes.grid(axis="y", color=GRID, zorder=0)
    _day_axis(axes, [d.date for d in days], words)
    title = words["chart_adherence"] + (words["chart_adherence_bars"] if few else "")
    axes.set_title(title, fontsize=11, loc="left")
    handles = [
        Patch(color=MET, label=words.say("chart_met", goal=goal)),
        Patch(color=BELOW, label=words.say("chart_below", goal=goal)),
        Patch(color=QUIET, label=words["chart_no_prompts"]),
        *([_no_data_key(words)] if gaps else []),
        Line2D([], [], color=INK, linestyle="--", linewidth=1, label=words.say("chart_goal", goal=goal)),
    ]
    figure.legend(
        handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.01), ncol=len(handles), fontsize=8, frameon=False
    )
    return figure


@_lettered
def hours(days: list[Day], states: dict[tuple[date, int], str], words: Words = ENGLISH_WORDS) -> bytes:
    """One cell per day and hour: what became of that hour's prompt."""
    dates = [d.date for d in days]
    used = sorted({hour for _, hour in states})
    rows = list(range(used[0], used[-1] + 1))
    kinds = list(HOUR_COLOURS)
    grid = [[kinds.index(states.get((d, hour))) for d in dates] for hour in rows]
    figure, axes = _figure(CHART_HEIGHTS["hours"] + HOUR_ROW * len(rows), 0.95)
    axes.imshow(
        grid,
        cmap=ListedColormap([HOUR_COLOURS[k][0] for k in kinds]),
        vmin=-0.5,
        vmax=len(kinds) - 0.5,
        aspect="auto",
        interpolation="nearest",
        extent=(-0.5, len(dates) - 0.5, len(rows) - 0.5, -0.5),
    )
    # White seams between the cells, so single hours can be counted.
    axes.set_xticks([x - 0.5 for x in range(1, len(dates))], minor=True)
    axes.set_yticks([y - 0.5 for y in range(1, len(rows))], minor=True)
    axes.grid(which="minor", color="white", linewidth=1.5)
    axes.tick_params(which="minor", length=0)
    for side in ("left", "bottom"):
        axes.spines[side].set_visible(False)
    axes.set_yticks(range(len(rows)))
    axes.set_yticklabels([f"{hour:02d}:00" for hour in rows])
    _day_axis(axes, dates, words)
    axes.set_title(words["chart_hours"], fontsize=11, loc="left")
    present = set(states.values())
    gaps = _no_data(axes, days)
    figure.legend(
        handles=[
            *(
                Patch(facecolor=colour, edgecolor="#999999", label=words[label])
                for kind, (colour, label) in HOUR_COLOURS.items()
                # The rarer outcomes are keyed only where they are drawn.
                if (kind != OPEN and kind != DECLINED) or kind in present
            ),
            *([_no_data_key(words)] if gaps else []),
        ],
        loc="lower center",
        bbox_to_anchor=(0.5, 0.02),
        ncol=4,
        fontsize=8,
        frameon=False,
    )
    return _png(figure)


@_lettered
def pain(days: list[Day], words: Words = ENGLISH_WORDS) -> bytes:
    """The day's mean as a line, each score as a dot."""
    figure, axes = _figure(CHART_HEIGHTS["pain"], 0.6)
    dates = [d.date for d in days]
    _no_data(axes, days)
    dots = [(x, score) for x, day in enumerate(days) for score in day.pain]
    axes.scatter([x for x, _ in dots], [s for _, s in dots], s=14, color=PAIN, alpha=0.25, linewidths=0, zorder=2)
    means = [(x, day.pain_mean) for x, day in enumerate(days) if day.pain]
    axes.plot([x for x, _ in means], [m for _, m in means], color=PAIN, marker="o", markersize=4, zorder=3)
    axes.set_ylim(-0.5, 10.5)
    axes.set_yticks(range(0, 11, 2))
    axes.set_ylabel(words["chart_pain_axis"], fontsize=9, color=INK)
    axes.grid(axis="y", color=GRID, zorder=0)
    _day_axis(axes, dates, words)
    axes.set_title(words["chart_pain"], fontsize=11, loc="left")
    return _png(figure)
