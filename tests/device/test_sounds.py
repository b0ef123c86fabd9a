from core.compat import TICKS_PERIOD, ticks_add
from sounds import PATTERNS, VOLUME_DUTY, Player


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


def notes(name):
    """(frequency, ms) of a pattern's notes, its rests left out."""
    pattern = PATTERNS[name]
    return [(pattern[i], pattern[i + 1]) for i in range(0, len(pattern), 2) if pattern[i]]


def test_every_note_is_where_a_small_buzzer_is_loud_and_old_ears_still_hear():
    for name in PATTERNS:
        assert all(1000 <= freq <= 3000 for freq, _ in notes(name)), name


def test_up_and_down_differ_in_rhythm_as_well_as_pitch_and_the_tick_is_a_click():
    up, down, tick = notes("up"), notes("down"), notes("tick")
    # Up: two short notes, rising; down: one long note, below both.
    assert len(up) == 2 and up[0][0] < up[1][0] and max(ms for _, ms in up) < 300
    assert len(down) == 1 and down[0][1] >= 400 and down[0][0] < up[0][0]
    # Told apart with the pitch ignored: the notes' lengths alone differ.
    assert [ms for _, ms in up] != [ms for _, ms in down]
    assert len(tick) == 1 and tick[0][1] <= 20


def test_every_volume_step_is_heard():
    """A piezo's loudness follows the square wave's fundamental, sin(pi * duty): each step at
    least 5 dB above the one below, and the loudest at half duty."""
    import math

    levels = [20 * math.log10(math.sin(math.pi * duty / 65536)) for duty in VOLUME_DUTY[1:]]
    assert VOLUME_DUTY[0] == 0 and VOLUME_DUTY[3] == 32768
    assert all(levels[i + 1] - levels[i] >= 5 for i in range(len(levels) - 1))
    assert levels[0] >= -15


def test_every_cue_the_coach_can_ask_for_has_a_distinct_pattern():
    names = (
        "chime",
        "reminder",
        "up",
        "down",
        "hold",
        "tick",
        "circles",
        "circles_back",
        "melody",
        "pain",
        "error",
        "no",
    )
    assert sorted(PATTERNS) == sorted(names)

    # Told apart by rhythm alone, as well as by pitch: no two have the same note and rest lengths.
    def every(n, first):
        p = PATTERNS[n]
        return tuple(p[i] for i in range(first, len(p), 2))

    assert len({every(n, 1) for n in names}) == len(names)
    assert all(1000 <= f <= 3000 for n in names for f in every(n, 0) if f)


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
    buzzer.at = 115
    assert player.step(115) is None
    assert buzzer.calls == [(0, "tone", 1047, 140, 3), (100, "tone", 2637, 15, 3), (115, "silence")]
