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

# The ESP32's ticks_ms counts from 0 at boot and wraps at 2**30: its period is the small ints'
# positive range (py/mpconfig.h MICROPY_PY_TIME_TICKS_PERIOD = MP_SMALL_INT_POSITIVE_MASK + 1,
# 31-bit small ints on a 32-bit port), where the 64-bit unix port's is 2**62. The virtual board
# reads the ESP32's ticks, and esp32_ticks() gives the firmware the ESP32's arithmetic on them,
# so that a boot longer than 12.4 days crosses a wrap as a board's does.
_TICKS_MASK = const((1 << 30) - 1)
_TICKS_HALF = const(1 << 29)


def esp32_ticks_add(ticks, delta):
    return (ticks + delta) & _TICKS_MASK


def esp32_ticks_diff(end, start):
    return ((end - start + _TICKS_HALF) & _TICKS_MASK) - _TICKS_HALF


def esp32_ticks(compat):
    """The firmware's core.compat made to count as the ESP32's ticks do; before the modules that
    take their ticks functions from it are imported."""
    compat.ticks_add = esp32_ticks_add
    compat.ticks_diff = esp32_ticks_diff
    compat.TICKS_PERIOD = _TICKS_MASK + 1


class Restart(BaseException):
    """The board resets: the firmware asked (a hard reset), or its watchdog fired."""


class WatchdogReset(Restart):
    """The watchdog was not fed in time."""


class Watchdog:
    """The ESP32's watchdog as MicroPython drives it (ports/esp32/machine_wdt.c), on simulated
    time. machine.WDT(timeout=ms) starts the ESP-IDF task watchdog, or gives it a new timeout
    (there is only the one); feed() starts the count again; nothing stops it, and a soft reset
    leaves it running (main.c's soft-reset path deinitialises no watchdog): only a reset of
    the chip does. `deadline` is the simulated ms at which it fires."""

    def __init__(self, timeout_ms=0, deadline=0):
        self.timeout = timeout_ms  # 0: not started
        self.deadline = deadline

    def start(self, timeout_ms, now_ms):
        if timeout_ms <= 0:
            raise ValueError("WDT timeout too short")
        self.timeout = timeout_ms
        self.deadline = now_ms + timeout_ms

    def feed(self, now_ms):
        if self.timeout:
            self.deadline = now_ms + self.timeout


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

    def init_display(self):
        self.fill(0)
        self.on = True


def actions_to_edges(actions):
    """[(ms, 'press'|'hold'|'double'|'long'[, ms held]), ...] -> sorted [(ms, pressed), ...]."""
    edges = []
    for entry in actions:
        at, action = entry[0], entry[1]
        if len(entry) > 2:
            held = entry[2]
        else:
            held = {"press": _PRESS_MS, "double": _PRESS_MS, "hold": _HOLD_MS, "long": _LONG_MS}[action]
        if action == "double":
            edges += [(at, True), (at + held, False)]
            at += held + _DOUBLE_GAP_MS
        edges += [(at, True), (at + held, False)]
    edges.sort()
    return edges


class VirtualBoard:
    """start_unix_ms: the wall clock at virtual time 0 (None: not set). until_ms: the
    virtual time at which wait() ends the run with SystemExit (None: never). boot_ms: the
    virtual time this boot starts at (a run goes on across resets). watchdog: the board's
    Watchdog, started by whoever drives the board as the ESP32 board starts its own (a
    soft reset hands the running one on); a stopped one by default."""

    # The shell draws the screens without their words, as on the ESP32.
    trace_words = False

    def __init__(self, script=(), start_unix_ms=None, loop_ms=20, until_ms=None, boot_ms=0, watchdog=None):
        self.loop_ms = loop_ms
        self.until_ms = until_ms
        self._ms = boot_ms
        self._boot_ms = boot_ms
        self._set_wall(start_unix_ms)
        self._pending = actions_to_edges(script)
        self._next = 0
        while self._next < len(self._pending) and self._pending[self._next][0] < boot_ms:
            self._next += 1
        self.watchdog = watchdog or Watchdog()
        self._fed = False
        self._edges = []
        self._pressed = False
        self.display = VirtualDisplay(self)
        self.display_missing = False
        self.running = False

    # time

    def _set_wall(self, wall0):
        """The wall clock at virtual time 0 (Unix ms, or None), kept for the loop's reading as
        seconds from EPOCH and the ms past them: small ints, not Unix ms."""
        self._wall0 = wall0
        if wall0 is not None:
            self._t0 = wall0 // 1000 - EPOCH
            self._f0 = wall0 % 1000

    def read_time(self, now):
        ms = self._ms
        now.ms = (ms - self._boot_ms) & _TICKS_MASK
        if self._wall0 is None:
            now.t = ms // 1000
            now.frac_ms = ms % 1000
            now.clock_set = False
        else:
            left = self._f0 + ms
            now.t = self._t0 + left // 1000
            now.frac_ms = left % 1000
            now.clock_set = True

    def set_time(self, unix):
        self._set_wall(unix * 1000 - self._ms)

    # button

    def _take_due_edges(self):
        pending = self._pending
        while self._next < len(pending) and pending[self._next][0] <= self._ms:
            at, pressed = pending[self._next]
            self._edges.append((pressed, (at - self._boot_ms) & _TICKS_MASK))
            self._pressed = pressed
            self._next += 1

    def button_edges(self):
        """(pressed, ticks) of the edges due by now; the empty tuple when none are."""
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

    # The ESP32 board's wait() sleeps no longer than half the watchdog's timeout, so that
    # the loop comes back to feed it. Here a sleep that follows a feed() runs to its end as
    # if those passes had fed it (they would change nothing but the time a run takes); a
    # sleep with no feed() before it ends at the watchdog's deadline, and the watchdog fires.

    def _wake_at(self, ms):
        """When a sleep of ms from now ends: at its deadline, the next edge, the run's end or
        an unfed watchdog's deadline."""
        target = self._ms + ms
        if self._next < len(self._pending) and self._pending[self._next][0] < target:
            target = self._pending[self._next][0]
        if self.until_ms is not None and target >= self.until_ms:
            target = self.until_ms
        dog = self.watchdog
        if dog.timeout and not self._fed and target > dog.deadline:
            target = dog.deadline
        return target

    def _check_end(self):
        if self.until_ms is not None and self._ms >= self.until_ms:
            raise SystemExit
        dog = self.watchdog
        if dog.timeout:
            if self._fed and dog.deadline < self._ms + (dog.timeout >> 1):
                dog.deadline = self._ms + (dog.timeout >> 1)
            self._fed = False
            if self._ms >= dog.deadline:
                raise WatchdogReset

    def wait(self, ms):
        self._ms = self._wake_at(ms)
        self._check_end()

    # the rest of the board: sound, display reports and resets go nowhere

    def _nowhere(self, *what):
        """Sound, frames, trace, what the board says and its deinit: one function for all
        (each function is heap the board keeps); the simulator's board reports all but silence."""

    tone = silence = frame = trace = say = deinit = _nowhere

    def feed(self):
        self.watchdog.feed(self._ms)
        self._fed = True

    def device_id(self):
        return "53494d000001"

    def restart(self):
        raise Restart
