# Seeded examples of the properties in properties.py; the same checks get
# hypothesis examples on CPython in tests/properties/.
import random

from core.compat import TICKS_PERIOD
from properties import (
    check_bounce_adds_no_gesture,
    check_noise_is_ignored,
    check_pauses_shift_cues_exactly,
    check_stuck_button,
    check_wraparound_changes_nothing,
    random_bursts,
    random_glitches,
    random_pauses,
    random_presses,
)


def rng(seed):
    random.seed(seed)
    return random


def test_bounce_adds_no_gesture():
    for seed in range(40):
        r = rng(seed)
        presses = random_presses(r, r.randint(1, 5))
        check_bounce_adds_no_gesture(presses, random_bursts(r, 2 * len(presses)))


def test_noise_is_ignored():
    for seed in range(40):
        r = rng(1000 + seed)
        check_noise_is_ignored(random_glitches(r, r.randint(1, 30)), seed % 2 == 0)


def test_wraparound_changes_nothing():
    for seed in range(20):
        r = rng(2000 + seed)
        presses = random_presses(r, r.randint(1, 4))
        check_wraparound_changes_nothing(presses, TICKS_PERIOD - r.randint(1, 20000))


def test_stuck_button():
    for watch in (0, 1499, 1500, 1549, 1550, 5049, 5050, 60000):
        check_stuck_button(watch)


def test_pauses_shift_cues_exactly():
    for seed in range(6):
        r = rng(3000 + seed)
        check_pauses_shift_cues_exactly(random_pauses(r, r.randint(1, 3)))
