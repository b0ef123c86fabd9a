from core.compat import TICKS_PERIOD, ticks_add
from sounds import PATTERNS, Player


class Buzzer:
    """Records what the player asks of the board's buzzer."""

    def __init__(self, start):
        self.start = start
        self.calls = []
        self.at = start

    def tone(self, freq, ms, volume):
        self.calls.append((self.at, "tone", freq, ms, volume))

    def silence(self):
        self.calls.append((self.at, "silence"))


def play_out(player, buzzer, name, start=0):
    """Play a pattern, stepping exactly at each deadline the player gives; times relative to start."""
    t = ticks_add(buzzer.start, start)
    buzzer.at = start
    player.play(name, t)
    while True:
        nxt = player.step(t)
        if nxt is None:
            return buzzer.calls
        t = ticks_add(t, nxt)
        buzzer.at += nxt


def test_the_chime_plays_its_notes_at_exact_times():
    buzzer = Buzzer(TICKS_PERIOD - 200)  # the ticks counter wraps during the chime
    calls = play_out(Player(buzzer, 2), buzzer, "chime")
    assert calls == [
        (0, "tone", 1047, 150, 2),
        (150, "silence"),
        (190, "tone", 1319, 150, 2),
        (340, "silence"),
        (380, "tone", 1568, 300, 2),
        (680, "silence"),
    ]


def test_up_is_high_and_down_is_low():
    up = PATTERNS["up"]
    down = PATTERNS["down"]
    assert up[0] >= 3 * down[0]
    assert up[1] == down[1]


def test_every_cue_the_coach_can_ask_for_has_a_distinct_pattern():
    names = ("chime", "reminder", "up", "down", "tick", "circles", "melody", "error")
    assert sorted(PATTERNS) == sorted(names)
    assert len({PATTERNS[n] for n in names}) == len(names)


def test_volume_zero_is_silent():
    buzzer = Buzzer(0)
    player = Player(buzzer, 0)
    player.play("melody", 0)
    assert player.step(0) is None
    assert buzzer.calls == []


def test_a_new_cue_replaces_the_one_sounding():
    buzzer = Buzzer(0)
    player = Player(buzzer, 3)
    player.play("melody", 0)
    player.step(100)
    buzzer.at = 100
    player.play("tick", 100)
    buzzer.at = 125
    assert player.step(125) is None
    assert buzzer.calls == [(0, "tone", 1047, 140, 3), (100, "tone", 2000, 25, 3), (125, "silence")]
