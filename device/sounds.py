# Sound cues as note patterns, played without blocking: the loop calls step()
# at the deadlines it returns. Each pattern is distinct by pitch and rhythm so
# it can be told apart with eyes closed: high = toes up, low = toes down.
from core.compat import const, ticks_add, ticks_diff

_REST = const(0)

# name -> frequency Hz (or _REST), milliseconds, frequency, milliseconds, ...: a flat
# tuple each, as a tuple a note would be a heap object of its own on the board.
PATTERNS = {
    "chime": (1047, 150, _REST, 40, 1319, 150, _REST, 40, 1568, 300),
    "reminder": (1319, 120, _REST, 100, 1319, 120),
    "up": (1760, 300),
    "down": (440, 300),
    "tick": (2000, 25),
    "circles": (880, 150, _REST, 60, 1175, 150),
    "melody": (1047, 140, 1319, 140, 1568, 140, 2093, 450),
    "error": (220, 400, _REST, 120, 220, 400),
}


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
