# One-button gestures from raw levels. Feed every level change (from the pin
# IRQ's ring) and a poll now and then; times are ticks_ms values, so the decoder
# is wraparound-safe and never reads a clock itself.
from core.compat import const, ticks_diff

PRESS = "press"
HOLD = "hold"
DOUBLE = "double"
LONG = "long"

_UP = const(0)  # released, nothing pending
_DOWN = const(1)  # pressed, not yet a hold
_HELD = const(2)  # hold reported, waiting for the long hold or release
_LONG = const(3)  # long reported, waiting for release
_GAP = const(4)  # one short press released, waiting to see if a second follows
_SECOND = const(5)  # second press of a possible double is down


class GestureDecoder:
    """press (released before hold_ms), hold (reported at hold_ms, before release),
    long (hold kept to long_ms), double (a second press starting within double_ms of
    the first's release and shorter than press_ms). A level must stay put for debounce_ms to count; the time of
    a change is when the level became stable, so durations are exact.
    """

    def __init__(self, now, debounce_ms=30, press_ms=600, hold_ms=1500, long_ms=5000, double_ms=400):
        self.debounce_ms = debounce_ms
        self.press_ms = press_ms
        self.hold_ms = hold_ms
        self.long_ms = long_ms
        self.double_ms = double_ms
        self._raw = False
        self._raw_at = now
        self._level = False
        self._state = _UP
        self._at = now  # when the current state's level change happened

    def feed(self, level, now):
        """A raw sample or edge: level True = pressed. Returns a gesture or None."""
        level = bool(level)
        gesture = self.poll(now)
        if level != self._raw:
            self._raw = level
            self._raw_at = now
        return gesture

    def busy(self):
        """Is a gesture under way (so the caller should poll soon)?"""
        return self._state != _UP or self._raw != self._level

    def poll(self, now):
        """Advance to `now` without new input. Returns a gesture or None."""
        if self._raw != self._level and ticks_diff(now, self._raw_at) >= self.debounce_ms:
            # The level settled at _raw_at: first what timed out by then, then the edge.
            at = self._raw_at
            gesture = self._timeouts(at)
            state = self._state
            self._level = self._raw
            if self._level:
                self._state = _SECOND if state == _GAP else _DOWN
            else:
                # A press (released before the hold: any length, as elderly hands press slowly)
                # waits in _GAP to see if a second follows.
                self._state = _GAP if state == _DOWN else _UP
                if state == _SECOND:
                    # Nothing timed out first: _timeouts leaves _SECOND only by reporting a press.
                    gesture = DOUBLE
            self._at = at
            if gesture is not None:
                return gesture
        # A second press still settling is dated from its start: the debounce must not shorten
        # the double-press window.
        return self._timeouts(self._raw_at if self._state == _GAP and self._raw != self._level else now)

    def _timeouts(self, now):
        held = ticks_diff(now, self._at)
        state = self._state
        if state == _DOWN and held >= self.hold_ms:
            self._state = _HELD
            return HOLD
        if state == _HELD and held >= self.long_ms:
            self._state = _LONG
            return LONG
        if state == _GAP and held >= self.double_ms:
            self._state = _UP
            return PRESS
        if state == _SECOND and held >= self.press_ms:
            # Too long for a double: the first press stands alone, the second goes on as a press.
            self._state = _DOWN
            return PRESS
        return None
