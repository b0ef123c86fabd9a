"""The interactive simulator's view in a terminal: the status line on the board's clock as it
runs, a tone only while it sounds, why the screen is dark, and a terminal too small for it."""

import io
import re
from datetime import timezone

from anklepump.sim import simulator
from anklepump.sim.simulator import Terminal, Trace, dark_hint


def settings(**changes):
    from core.settings import parse

    simulator.load_core()
    return {**parse(b"{}")[0], **changes}


class Screen(io.StringIO):
    """A terminal of a size."""

    def __init__(self, columns, lines, monkeypatch):
        super().__init__()
        monkeypatch.setattr(
            simulator.shutil,
            "get_terminal_size",
            lambda fallback: type("Size", (), {"columns": columns, "lines": lines}),
        )

    def isatty(self):
        return True


def shown(text):
    """What the terminal shows, escapes taken out, a line each."""
    return [line.rstrip() for line in re.split(r"\x1b\[[0-9;?]*[A-Za-z]|\n", text) if line.strip()]


def test_the_status_line_runs_on_the_boards_clock_and_a_tone_goes_from_it(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(simulator.time, "monotonic", lambda: now[0])
    out = io.StringIO()
    terminal = Terminal(out)
    trace = Trace(timezone.utc, terminal=terminal)
    wall0 = 1795510800000  # 2026-11-24T09:00:00Z
    trace.handle({"ms": 1000, "wall": wall0 + 1000, "kind": "frame", "fb": "00" * 1024, "level": 255})
    trace.handle(
        {"ms": 1000, "wall": wall0 + 1000, "kind": "tone", "freq": 1568, "dur": 120, "volume": 2, "duty": 10922}
    )
    trace.handle({"ms": 1000, "wall": wall0 + 1000, "kind": "screen", "name": "prompt", "text": []})
    assert " 2026-11-24T09:00:01.000  screen: prompt     ♪ 1568 Hz 120 ms" in shown(out.getvalue())
    now[0] += 0.5
    trace.tick()
    assert shown(out.getvalue())[-1] == " 2026-11-24T09:00:01.500  screen: prompt     ♪ 1568 Hz 120 ms"
    # A minute on, with nothing from the board: the clock has gone on, the tone is long over.
    now[0] += 60
    trace.tick()
    assert shown(out.getvalue())[-1] == " 2026-11-24T09:01:01.500  screen: prompt"
    # Nor does a screen drawn later show it.
    trace.handle({"ms": 70_000, "wall": wall0 + 70_000, "kind": "screen", "name": "idle", "text": []})
    assert " 2026-11-24T09:01:10.000  screen: idle" in shown(out.getvalue())


def test_a_dark_screen_says_why():
    night = dark_hint(settings(), "off", "2026-12-02T23:30:00.000")
    assert night == (
        "quiet hours (22:00 to 07:00): no prompts, so the screen stays dark (a press shows the clock); to see the"
        " day's prompts, start at a morning: make sim START=2026-12-03T06:59:00"
        " (anklepump sim --start 2026-12-03T06:59:00)"
    )
    early = dark_hint(settings(active_start="08:30"), "off", "2026-12-03T05:10:00.000")
    assert "start at a morning: make sim START=2026-12-03T08:29:00" in early
    assert dark_hint(settings(), "off", "2026-12-02T15:00:00.000") == (
        "the screen went dark after 120 s without a press: press a key to wake it"
    )
    assert dark_hint(settings(), "idle", "2026-12-02T23:30:00.000") == ""
    assert dark_hint(settings(), "off", "+00:05:00.000").startswith("the screen is dark: press a key to wake it")


def test_the_hint_is_drawn_under_the_screen(monkeypatch):
    out = Screen(140, 40, monkeypatch)
    Terminal(out, settings()).draw(bytes(1024), 255, "off", "2026-12-02T23:30:00.000", "")
    lines = shown(out.getvalue())
    assert lines[-4] == " 2026-12-02T23:30:00.000  screen: off"
    assert lines[-1] == " space/enter press · h hold · d double · l long hold · q quit"
    # The hint on two lines inside the frame's width.
    assert all(len(line) <= 130 for line in lines[-3:-1])
    assert " ".join(line.strip() for line in lines[-3:-1]) == dark_hint(settings(), "off", "2026-12-02T23:30:00.000")


def test_a_terminal_too_small_for_the_view_says_so(monkeypatch):
    out = Screen(100, 30, monkeypatch)
    terminal = Terminal(out, settings())
    terminal.draw(bytes([255]) * 1024, 255, "idle", "2026-12-02T09:00:00.000", "")
    text = out.getvalue()
    assert "█" not in text
    lines = shown(text)
    assert " ".join(lines[:2]) == (
        "this terminal is 100 x 30: the coach's screen needs 130 columns and 38 lines; widen the window or make"
        " its font smaller (or run --headless --screens DIR for PNGs)"
    )
    assert lines[2] == " 2026-12-02T09:00:00.000  screen: idle"
    # Made wide enough, the next tick draws the screen.
    monkeypatch.setattr(
        simulator.shutil, "get_terminal_size", lambda fallback: type("Size", (), {"columns": 130, "lines": 38})
    )
    terminal.tick("2026-12-02T09:00:01.000", "")
    assert "█" * 128 in out.getvalue()
