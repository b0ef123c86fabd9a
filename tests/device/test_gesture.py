from core.compat import TICKS_PERIOD
from core.gesture import GestureDecoder
from traces import bouncy, clean, decode


def test_short_press_is_reported_once_the_double_window_closes():
    assert decode(clean([(100, 300)]), 2000) == [(700, "press")]


def test_hold_is_reported_at_the_threshold_before_release():
    assert decode(clean([(100, 3000)]), 4000) == [(1600, "hold")]


def test_long_hold_reports_hold_then_long():
    assert decode(clean([(100, 6000)]), 7000) == [(1600, "hold"), (5100, "long")]


def test_stuck_button_reports_one_hold_and_one_long_never_a_stream():
    assert decode(clean([(100, None)]), 60000) == [(1600, "hold"), (5100, "long")]


def test_double_press_is_reported_when_the_second_release_settles():
    assert decode(clean([(100, 250), (500, 650)]), 2000) == [(680, "double")]


def test_two_presses_further_apart_than_the_double_window_are_two_presses():
    assert decode(clean([(100, 250), (700, 850)]), 2000) == [(650, "press"), (1250, "press")]


def test_the_double_window_is_the_whole_setting_not_less_the_debounce():
    # The second press goes down 390 ms after the first's release: within the 400 ms window,
    # though its level settles only 30 ms later, after the window.
    assert decode(clean([(100, 250), (640, 790)]), 2000) == [(820, "double")]
    assert decode(clean([(100, 250), (649, 790)]), 2000, poll_ms=1) == [(820, "double")]
    assert decode(clean([(100, 250), (650, 800)]), 2000, poll_ms=1) == [(650, "press"), (1200, "press")]


def test_second_press_held_long_is_a_press_then_a_hold():
    assert decode(clean([(100, 250), (500, 3000)]), 4000) == [(1100, "press"), (2000, "hold")]


def test_recorded_bouncy_press_gives_one_press():
    # A worn tactile switch: 6 ms of chatter on press and 9 ms on release.
    edges = [
        (1000, True),
        (1001, False),
        (1003, True),
        (1004, False),
        (1006, True),
        (1180, False),
        (1182, True),
        (1185, False),
        (1186, True),
        (1189, False),
    ]
    assert decode(edges, 3000, poll_ms=1) == [(1589, "press")]


def test_noise_shorter_than_debounce_produces_nothing():
    edges = [(t, level) for t in range(500, 5000, 97) for level in (True,)] + [
        (t + 20, False) for t in range(500, 5000, 97)
    ]
    assert decode(edges, 6000, poll_ms=1) == []


def test_debounced_times_are_exact_so_bounce_does_not_shorten_a_hold():
    edges = bouncy([(100, 2000)], lambda i: [3, 4, 5, 6] if i == 0 else [2, 2])
    # The level settles at 118 (100 + 3 + 4 + 5 + 6), so the hold is at 118 + 1500.
    assert decode(edges, 3000, poll_ms=1) == [(1618, "hold")]


def test_sparse_polls_still_see_everything_in_order():
    # The idle loop may sleep: edges arrive from the IRQ ring, polls are rare.
    assert decode(clean([(100, 250), (1000, 1150)]), 3000, poll_ms=700) == [(700, "press"), (2100, "press")]


def test_wraparound_of_the_ticks_counter():
    presses = [(100, 250), (500, 650), (2000, 2200), (4000, 9000)]
    expected = decode(clean(presses), 12000)
    assert expected == [(680, "double"), (2600, "press"), (5500, "hold"), (9000, "long")]
    for start in (TICKS_PERIOD - 3000, TICKS_PERIOD - 1, TICKS_PERIOD - 5500):
        assert decode(clean(presses), 12000, start=start) == expected


def test_thresholds_are_tunable():
    decoder = GestureDecoder(0, hold_ms=800)
    decoder.feed(True, 0)
    assert decoder.poll(799) is None
    assert decoder.poll(830) == "hold"


def test_a_slow_press_released_before_the_hold_is_a_press():
    # Elderly hands: held 0.6 s to 1.5 s, still a press (the SPEC logs every press).
    for held in (700, 1000, 1450):
        assert decode(clean([(100, 100 + held)]), 4000) == [(100 + held + 400, "press")]
