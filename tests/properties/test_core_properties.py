"""The properties in tests/device/properties.py, explored by hypothesis (CPython only;
the same checks run on MicroPython with seeded examples)."""

from core.compat import TICKS_PERIOD
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from properties import (
    BURST_GAPS,
    DEBOUNCE_MS,
    PAUSE_MAX_MS,
    check_bounce_adds_no_gesture,
    check_noise_is_ignored,
    check_pauses_shift_cues_exactly,
    check_stuck_button,
    check_wraparound_changes_nothing,
    usable_presses,
)


@st.composite
def press_sequences(draw, most=5):
    steps = draw(st.lists(st.tuples(st.integers(1, 2000), st.integers(1, 7000)), min_size=1, max_size=most))
    presses = []
    t = 200
    for gap, duration in steps:
        presses.append((t + gap, t + gap + duration))
        t += gap + duration
    assume(usable_presses(presses))
    return presses


bursts = st.lists(
    st.integers(0, BURST_GAPS // 2).flatmap(
        lambda pairs: st.lists(st.integers(1, DEBOUNCE_MS - 1), min_size=2 * pairs, max_size=2 * pairs)
    ),
    max_size=10,
)


@given(press_sequences(), bursts)
def test_bounce_adds_no_gesture(presses, bursts):
    check_bounce_adds_no_gesture(presses, bursts)


@st.composite
def glitch_trains(draw):
    steps = draw(st.lists(st.tuples(st.integers(1, 400), st.integers(1, DEBOUNCE_MS - 1)), max_size=40))
    glitches = []
    t = 0
    for gap, width in steps:
        t += gap
        glitches.append((t, width))
        t += width
    return glitches


@given(glitch_trains(), st.booleans())
def test_noise_is_ignored(glitches, held):
    check_noise_is_ignored(glitches, held)


@given(press_sequences(most=4), st.integers(1, 30000))
def test_wraparound_changes_nothing(presses, before_wrap):
    check_wraparound_changes_nothing(presses, TICKS_PERIOD - before_wrap)


@given(st.integers(0, 20000))
def test_stuck_button(watch_ms):
    check_stuck_button(watch_ms)


@st.composite
def pause_patterns(draw):
    windows = draw(st.lists(st.tuples(st.integers(1, 90000), st.integers(1, PAUSE_MAX_MS)), max_size=4))
    # Every press must fall inside the session (300 s of session time).
    assume(sum(run for run, _ in windows) < 299000)
    pauses = []
    t = 0
    for run, pause in windows:
        t += run
        pauses.append(t)
        t += pause
        pauses.append(t)
    return pauses


@settings(max_examples=40, deadline=None)
@given(pause_patterns())
def test_pauses_shift_cues_exactly(pauses):
    check_pauses_shift_cues_exactly(pauses)
