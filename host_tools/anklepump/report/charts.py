"""The report's charts, as PNG bytes: adherence by day, an hour-by-day map, pain.

Drawn on matplotlib Figures directly (the Agg canvas, no pyplot and no display). The three
share one day axis and the same margins, so on the page their days line up.
"""

import io
from datetime import date

from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .summary import DONE, MISSED, OPEN, PARTIAL, SNOOZED_DONE, Day

WIDTH = 10.0
DPI = 150
# Inches: room for the y labels and the title, the same on every chart.
LEFT, RIGHT, TOP = 0.8, 0.2, 0.45
INK = "#222222"
GRID = "#dddddd"
MET, BELOW = "#2166ac", "#e08214"
# Days and hours without a prompt: quiet hours, or the device off.
QUIET = "#f0f0f0"
# A blue-to-orange scale reads in colour blindness and in grey on paper: dark is done or missed.
HOUR_COLOURS = {
    DONE: ("#2166ac", "done"),
    SNOOZED_DONE: ("#92c5de", "done after a snooze"),
    PARTIAL: ("#fdb863", "partial (stopped early)"),
    MISSED: ("#b35806", "missed"),
    OPEN: ("#bdbdbd", "prompted, no result recorded"),
    None: (QUIET, "no prompt (quiet hours, device off)"),
}
PAIN = "#6a3d9a"


def _figure(height: float, bottom: float) -> tuple[Figure, Axes]:
    """A chart `height` inches tall with `bottom` inches under its axes, for labels and legend."""
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


def _day_axis(axes: Axes, dates: list[date]) -> None:
    """Days along x, labelled each day up to 16 days, then on Mondays, then on the 1st."""
    if len(dates) <= 16:
        shown = range(len(dates))
    elif len(dates) <= 120:
        shown = [i for i, d in enumerate(dates) if d.weekday() == 0]
    else:
        shown = [i for i, d in enumerate(dates) if d.day == 1]
    axes.set_xticks(list(shown))
    axes.set_xticklabels([f"{dates[i]:%a}\n{dates[i].day} {dates[i]:%b}" for i in shown])
    # A week wide at least, so that a day or two are not drawn as walls of colour.
    axes.set_xlim(-0.5, max(len(dates), 7) - 0.5)


def adherence(days: list[Day], goal: int) -> bytes:
    figure, axes = _figure(3.2, 0.6)
    xs = range(len(days))
    values = [d.adherence or 0 for d in days]
    colours = [MET if (d.adherence or 0) >= goal else BELOW for d in days]
    axes.bar(xs, values, width=0.7, color=colours, zorder=2)
    axes.axhline(goal, color=INK, linestyle="--", linewidth=1, zorder=3)
    few = len(days) <= 21
    for x, day in zip(xs, days):
        if day.expected == 0:
            axes.axvspan(x - 0.5, x + 0.5, color=QUIET, zorder=1, linewidth=0)
            if few:
                axes.text(x, 2, "no\nprompts", ha="center", va="bottom", fontsize=6.5, color="#666666", zorder=4)
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
    axes.set_ylabel("% of prompts done", fontsize=9, color=INK)
    axes.grid(axis="y", color=GRID, zorder=0)
    _day_axis(axes, [d.date for d in days])
    axes.set_title("Adherence by day" + (" (done / expected in each bar)" if few else ""), fontsize=11, loc="left")
    axes.legend(
        handles=[
            Patch(color=MET, label=f"{goal}% or more"),
            Patch(color=BELOW, label=f"under {goal}%"),
            Patch(color=QUIET, label="no prompts"),
            Line2D([], [], color=INK, linestyle="--", linewidth=1, label=f"goal {goal}%"),
        ],
        loc="lower right",
        bbox_to_anchor=(1, 1.0),
        ncol=4,
        fontsize=8,
        frameon=False,
    )
    return _png(figure)


def hours(days: list[Day], states: dict[tuple[date, int], str]) -> bytes:
    """One cell per day and hour: what became of that hour's prompt."""
    dates = [d.date for d in days]
    used = sorted({hour for _, hour in states})
    rows = list(range(used[0], used[-1] + 1))
    kinds = list(HOUR_COLOURS)
    grid = [[kinds.index(states.get((d, hour))) for d in dates] for hour in rows]
    figure, axes = _figure(1.6 + 0.24 * len(rows), 1.15)
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
    _day_axis(axes, dates)
    axes.set_title("Hour by hour: what became of each prompt", fontsize=11, loc="left")
    present = set(states.values())
    figure.legend(
        handles=[
            Patch(facecolor=colour, edgecolor="#999999", label=label)
            for kind, (colour, label) in HOUR_COLOURS.items()
            if kind != OPEN or OPEN in present
        ],
        loc="lower center",
        bbox_to_anchor=(0.5, 0.02),
        ncol=3,
        fontsize=8,
        frameon=False,
    )
    return _png(figure)


def pain(days: list[Day]) -> bytes:
    """The day's mean as a line, each score as a dot."""
    figure, axes = _figure(2.8, 0.6)
    dates = [d.date for d in days]
    dots = [(x, score) for x, day in enumerate(days) for score in day.pain]
    axes.scatter([x for x, _ in dots], [s for _, s in dots], s=14, color=PAIN, alpha=0.25, linewidths=0, zorder=2)
    means = [(x, day.pain_mean) for x, day in enumerate(days) if day.pain]
    axes.plot([x for x, _ in means], [m for _, m in means], color=PAIN, marker="o", markersize=4, zorder=3)
    axes.set_ylim(-0.5, 10.5)
    axes.set_yticks(range(0, 11, 2))
    axes.set_ylabel("pain, 0 to 10", fontsize=9, color=INK)
    axes.grid(axis="y", color=GRID, zorder=0)
    _day_axis(axes, dates)
    axes.set_title("Pain after sessions: the day's mean (line) and each score (dots)", fontsize=11, loc="left")
    return _png(figure)
