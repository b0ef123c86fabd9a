# A board with no hardware under it: a virtual clock that moves only when the
# firmware sleeps (straight to the deadline or the next button edge), the OLED
# as a framebuffer, and a button pressed by a script of timed actions. The
# simulator (board/sim.py) puts the launcher and the keyboard on top of it; the
# benchmarks put the ESP32's costs on top of it. Not part of the firmware on a
# board. Its per-tick methods allocate nothing, as the ESP32's must not.
import framebuf
from core.clock import EPOCH
from core.compat import const

# How long the simulated finger keeps the button down for each scripted action.
_PRESS_MS = const(150)
_DOUBLE_GAP_MS = const(150)
_HOLD_MS = const(2000)
_LONG_MS = const(5500)

_NO_EDGES = ()


class Restart(BaseException):
    """The firmware asked for a hard reset."""


class VirtualDisplay(framebuf.FrameBuffer):
    """The OLED: a 128x64 MONO_VLSB framebuffer whose show() goes to board.frame()."""

    def __init__(self, board, width=128, height=64):
        self.board = board
        self.buf = bytearray(width * height // 8)
        super().__init__(self.buf, width, height, framebuf.MONO_VLSB)
        self.level = 255
        self.on = True

    def show(self):
        self.board.frame(self.buf)

    def contrast(self, level):
        self.level = level

    def poweroff(self):
        self.on = False

    def poweron(self):
        self.on = True


def actions_to_edges(actions):
    """[(ms, 'press'|'hold'|'double'|'long'), ...] -> sorted [(ms, pressed), ...]."""
    edges = []
    for at, action in actions:
        if action == "double":
            edges += [(at, True), (at + _PRESS_MS, False)]
            at += _PRESS_MS + _DOUBLE_GAP_MS
            edges += [(at, True), (at + _PRESS_MS, False)]
        else:
            held = {"press": _PRESS_MS, "hold": _HOLD_MS, "long": _LONG_MS}[action]
            edges += [(at, True), (at + held, False)]
    edges.sort()
    return edges


class VirtualBoard:
    """start_unix_ms: the wall clock at virtual time 0 (None: not set). until_ms: the
    virtual time at which wait() ends the run with SystemExit (None: never)."""

    def __init__(self, script=(), start_unix_ms=None, loop_ms=20, until_ms=None):
        self.loop_ms = loop_ms
        self.until_ms = until_ms
        self._wall0 = start_unix_ms
        self._ms = 0
        self._pending = actions_to_edges(script)
        self._next = 0
        self._edges = []
        self._pressed = False
        self.display = VirtualDisplay(self)
        self.running = False

    # time

    def read_time(self, now):
        ms = self._ms
        now.ms = ms
        if self._wall0 is None:
            now.t = ms // 1000
            now.frac_ms = ms % 1000
            now.clock_set = False
        else:
            now.t = (self._wall0 + ms) // 1000 - EPOCH
            now.frac_ms = (self._wall0 + ms) % 1000
            now.clock_set = True

    def set_time(self, unix):
        self._wall0 = unix * 1000 - self._ms

    # button

    def _take_due_edges(self):
        pending = self._pending
        while self._next < len(pending) and pending[self._next][0] <= self._ms:
            at, pressed = pending[self._next]
            self._edges.append((pressed, at))
            self._pressed = pressed
            self._next += 1

    def button_edges(self):
        """(pressed, ms) of the edges due by now; the empty tuple when none are."""
        pending = self._pending
        if self._next >= len(pending) or pending[self._next][0] > self._ms:
            return _NO_EDGES
        self._take_due_edges()
        edges = self._edges
        self._edges = []
        return edges

    def button_pressed(self):
        return self._pressed

    # the loop's sleep

    def _wake_at(self, ms):
        """When a sleep of ms from now ends: at its deadline, the next edge or the run's end."""
        target = self._ms + ms
        if self._next < len(self._pending) and self._pending[self._next][0] < target:
            target = self._pending[self._next][0]
        if self.until_ms is not None and target >= self.until_ms:
            target = self.until_ms
        return target

    def _check_end(self):
        if self.until_ms is not None and self._ms >= self.until_ms:
            raise SystemExit

    def wait(self, ms):
        self._ms = self._wake_at(ms)
        self._check_end()

    # the rest of the board: sound, display reports and resets go nowhere

    def tone(self, freq, ms, volume):
        pass

    def silence(self):
        pass

    def frame(self, buf):
        pass

    def trace(self, kind, data):
        pass

    def feed(self):
        pass

    def device_id(self):
        return "53494d000001"

    def restart(self):
        raise Restart

    def deinit(self):
        pass
