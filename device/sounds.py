# Sound cues as note patterns, played without blocking: the loop calls step()
# at the deadlines it returns. Each pattern is told apart by its rhythm as well as
# its pitch, so that a patient who hears pitch poorly can follow it with eyes closed:
# toes up is two short notes rising, toes down one long note, lower; the tick is a
# click. Every note lies between 1 and 3 kHz: a small piezo (or a 12 mm magnetic
# buzzer) resonates at 2-4 kHz and is 10-25 dB quieter far below it, and hearing
# often fades above 2-3 kHz with age (hardware/README.md, the buzzer).
from core.compat import const, ticks_add, ticks_diff

_REST = const(0)

# name -> frequency Hz (or _REST), milliseconds, frequency, milliseconds, ...: a flat
# tuple each, as a tuple a note would be a heap object of its own on the board.
PATTERNS = {
    "chime": (1047, 150, _REST, 40, 1319, 150, _REST, 40, 1568, 300),
    "reminder": (1319, 120, _REST, 100, 1319, 120),
    # A hold that can snooze no more: two notes falling, the second long, as a voice says "no".
    "no": (1568, 150, _REST, 50, 1047, 400),
    "up": (1568, 120, _REST, 60, 2093, 240),
    "down": (1175, 500),
    "tick": (2637, 15),
    # A hold begins: a quick note and a longer one at the same pitch, "and hold".
    "hold": (1976, 70, _REST, 70, 1976, 140),
    # The circles one way, three short notes rising and falling; the other way, two long falling.
    "circles": (1397, 150, _REST, 60, 1760, 150, _REST, 60, 1397, 150),
    "circles_back": (1760, 300, _REST, 60, 1397, 300),
    "melody": (1047, 140, 1319, 140, 1568, 140, 2093, 450),
    # The pain question: two quick notes, then one higher, as a voice rises asking.
    "pain": (1760, 80, _REST, 60, 1760, 80, _REST, 60, 2093, 160),
    "error": (1000, 120, 1480, 120, 1000, 120, 1480, 120, _REST, 300, 1000, 120, 1480, 120, 1000, 120, 1480, 120),
}

# The PWM duty (of 65535) for volume 0..3. A piezo's loudness follows the amplitude of
# the square wave's fundamental, which goes as sin(pi * duty): duties of 8 %, 17 % and
# 50 % give -12 dB, -6 dB and 0 dB, a step that is heard at every volume (9 % and 1.8 %
# were -11 dB and -25 dB: the default barely audible, the lowest lost).
VOLUME_DUTY = (0, 5270, 10923, 32768)


class Player:
    """Plays one pattern at a time; a new cue replaces whatever is sounding."""

    def __init__(self, board, volume):
        self.board = board
        self.volume = volume
        self._notes = None
        self._index = 0
        self._due = 0

    def play(self, name, now_ms):
        if not self.volume:
            return
        self._notes = PATTERNS[name]
        self._index = 0
        self._due = now_ms
        self.step(now_ms)

    def step(self, now_ms):
        """Start every note that is due. Returns ms until the next note change, or None."""
        while self._notes is not None and ticks_diff(now_ms, self._due) >= 0:
            if self._index == len(self._notes):
                self.board.silence()
                self._notes = None
                return None
            freq = self._notes[self._index]
            ms = self._notes[self._index + 1]
            if freq == _REST:
                self.board.silence()
            else:
                self.board.tone(freq, ms, self.volume)
            self._index += 2
            self._due = ticks_add(self._due, ms)
        if self._notes is None:
            return None
        return ticks_diff(self._due, now_ms)
