# The simulated board: the real firmware under the unix port of MicroPython on
# the virtual board (board/virtual.py), reporting to the host launcher
# (`anklepump sim`) as JSON lines: screens, tones, journal records and frames.
# Its clock follows the real one, sped up (or runs as fast as it can); keys
# press the button; the flash is a LittleFS image (board/vflash.py), from which the
# firmware runs. The launcher passes its settings in a JSON file named by the
# ANKLEPUMP_SIM environment variable.
# A process is a boot: a reset (the firmware's, or its watchdog's) ends it with a
# "reset" report, and the launcher starts the next boot where this one left off.
import gc
import json
import os
import select
import sys
import time

from core.compat import const
from core.journal_reader import decode_all
from sounds import VOLUME_DUTY

from board.config import REPL_HOLD_MS, WDT_MS
from board.vflash import BlockDevice, PowerCut, mount
from board.virtual import (
    Restart,
    VirtualBoard,
    VirtualDisplay,
    Watchdog,
    WatchdogReset,
    actions_to_edges,
    esp32_ticks,
)

_CTRL_C = const(3)
# At --speed max, reports go to the launcher this many at a time: one write, not one a line.
_BATCH = const(64)


class MissingDisplay(VirtualDisplay):
    """An OLED that does not answer on I2C: every write to it fails as the ESP32's I2C does
    (OSError ENODEV, 19), while drawing into its framebuffer still works."""

    def show(self):
        raise OSError(19)

    def contrast(self, level):
        raise OSError(19)

    def poweroff(self):
        raise OSError(19)

    def poweron(self):
        raise OSError(19)

    def init_display(self):
        raise OSError(19)


class Board(VirtualBoard):
    """config: what the launcher says of this boot; "watchdog": [timeout, deadline] handed on
    by a soft reset, else the board starts its watchdog as the ESP32 board does (WDT_MS)."""

    # How long the keepalive feeds the watchdog at the REPL after the host's last call, as the
    # ESP32 board's keepalive timer does.
    repl_keepalive_ms = REPL_HOLD_MS
    # The shell draws each screen with its words, for the trace.
    trace_words = True
    # The collector runs only when the simulator's heap (1 MB, not the board's) is full: at
    # --speed max, collecting every few KB took a sixth of the run. What the board's heap
    # holds is measured by the heap bench (bench/mp_heap.py), at the board's threshold.
    gc_threshold = -1

    def __init__(self, config):
        handed_on = config.get("watchdog")
        super().__init__(
            # Taken out: the board keeps its edges, and the collector need not go through both.
            config.pop("script", ()),
            config.get("start_unix_ms"),
            config.get("loop_ms", 20),
            config.get("for_ms"),
            config.get("boot_ms", 0),
            Watchdog(*handed_on) if handed_on else None,
        )
        if not handed_on:
            self.watchdog.start(WDT_MS, self._ms)
        if config.get("fault") == "display":
            # No display answering on I2C, as the ESP32 board finds at bring-up.
            self.display = MissingDisplay(self)
            self.display_missing = True
        self.flash = None
        self._held = False
        self._reported = (0, 0, 0, 0, 0)
        self._us = 0
        self.speed = config.get("speed", 1)  # 0 = as fast as possible
        self.frames = config.get("frames", False)
        self.keys = config.get("keys", False)
        self.serial = config.get("serial", False)
        self._real_anchor = time.ticks_ms()
        self._virtual_anchor = self._ms
        # Open for the board's whole life; close() ends it.
        self._out = open(config["events"], "w")  # noqa: SIM115
        self._lines = []
        # The last frame sent: an unchanged one is not sent again.
        self._sent = None
        self._sent_on = True
        self._sent_level = 0
        # A sleep waits on the launcher's end of the report pipe as well as on keys: the launcher
        # is the board's power. Once it is gone (killed, say), the pipe reports an error and the
        # board switches off, as at a power cut, where it would otherwise run on unwatched; and
        # with no keys to read, a sleep still has something to sleep on, not spin.
        self._poll = select.poll()
        self._poll.register(self._out, 0)
        self._input = self.keys or self.serial
        if self._input:
            self._poll.register(sys.stdin, select.POLLIN)

    # time

    def _sync(self):
        """In real-time modes the virtual clock follows the real one, sped up."""
        if self.speed:
            real = time.ticks_diff(time.ticks_ms(), self._real_anchor)
            self._ms = self._virtual_anchor + real * self.speed

    def read_time(self, now):
        self._sync()
        if self.serial and self._input and self._ready(0):
            # The ESP32's UART raises a Ctrl-C's KeyboardInterrupt wherever the firmware is, its
            # bring-up too: the simulated board notices one at each reading of its clock (the
            # first comes as the coach is built), as well as in its waits.
            self._read_input()
        # Named, not super(): that is an object made at every call, at every loop pass.
        VirtualBoard.read_time(self, now)

    def set_time(self, unix):
        self._sync()
        super().set_time(unix)
        self._emit('"kind": "clock", "unix": %d' % unix)

    # button

    def _press_key(self, action):
        """A key from the launcher's keyboard: the action starts now."""
        edges = actions_to_edges([(self._ms, action)])
        rest = self._pending[self._next :]
        self._pending = sorted(rest + edges)
        self._next = 0

    def _read_input(self):
        data = sys.stdin.buffer.read(1)
        if not data:
            self._poll.unregister(sys.stdin)
            self._input = False
            return
        key = data[0]
        if self.serial:
            if key == _CTRL_C:
                raise KeyboardInterrupt
            return
        if key in b" \r\n":
            self._press_key("press")
        elif key in b"hH":
            self._press_key("hold")
        elif key in b"dD":
            self._press_key("double")
        elif key in b"lL":
            self._press_key("long")
        elif key in b"qQ":
            raise SystemExit

    # sound

    def tone(self, freq, ms, volume):
        duty = VOLUME_DUTY[max(0, min(3, volume))]
        self._emit('"kind": "tone", "freq": %d, "dur": %d, "volume": %d, "duty": %d' % (freq, ms, volume, duty))

    # the flash

    def charge(self, us):
        """A flash operation's time, on the simulated clock (at --speed max)."""
        self._us += us
        if self._us >= 1000:
            self._ms += self._us // 1000
            self._us %= 1000

    def _report_flash(self):
        """The flash operations since the last report, and their time by the flash model."""
        flash = self.flash
        # Only writes are reported: a pass that made none makes no tuple either.
        if flash is None or (flash.programs == self._reported[1] and flash.erases == self._reported[2]):
            return
        now = (flash.reads, flash.programs, flash.erases, flash.typical_us, flash.worst_us)
        was = self._reported
        self._reported = now
        self._emit(
            '"kind": "flash", "reads": %d, "programs": %d, "erases": %d, "us": %d, "worst_us": %d'
            % tuple(now[i] - was[i] for i in range(5))
        )

    # the loop's sleep: keys are read while it lasts

    def _ready(self, ms):
        """Whether a key (or the host's byte) is waiting, after up to ms of sleep; the power
        goes (PowerCut) if the launcher has. ipoll: no list made at each call."""
        for stream, _ in self._poll.ipoll(ms):
            if stream is self._out:
                raise PowerCut
            return True
        return False

    def wait(self, ms):
        self._report_flash()
        self._sync()
        target = self._wake_at(ms)
        if self._input and self._ready(0):
            self._read_input()
            if self.speed:
                self._sync()
                return
        if self.speed:
            while self._ms < target:
                left = (target - self._ms + self.speed - 1) // self.speed
                if self._ready(left):
                    self._read_input()
                    self._sync()
                    return
                self._sync()
        else:
            self._ms = target
        self._check_end()

    # the watchdog and resets

    def feed(self):
        self._sync()
        VirtualBoard.feed(self)
        if not self.running:
            self._repl_watchdog()

    def _check_end(self):
        # At the REPL (a remote call's wait) the launcher holds the watchdog.
        if self.running:
            VirtualBoard._check_end(self)

    def _repl_watchdog(self, kept=True):
        """At the REPL the firmware runs nothing: the launcher holds the watchdog, which fires
        at "deadline" (null: never). The keepalive feeds it (for repl_keepalive_ms after the
        host's last call, or for good once held) until a soft reset stops the board's timers."""
        keep = None if self._held else self.repl_keepalive_ms
        dog = self.watchdog
        if not dog.timeout or (kept and keep is None):
            at = "null"
        else:
            at = "%d" % (self._ms + keep + dog.timeout if kept else dog.deadline)
        self._emit('"kind": "watchdog", "timeout": %d, "deadline": %s' % (dog.timeout, at))

    def deinit(self, hold=False):
        self._sync()
        self._held = hold
        try:
            self.display.poweroff()  # as the ESP32 board leaves it
        except OSError:  # no display answering
            pass
        if not self.display.on:
            # Dark at the REPL: the trace says so, as the shell's "off" screen.
            self._emit('"kind": "screen", "name": "off", "text": []')
        self._repl_watchdog()

    def restart(self):
        if self.running:
            raise Restart
        # Called at the REPL (the host's sync): the board resets, and the launcher boots it again.
        self.reset("restart")
        sys.exit()

    def power_cut(self):
        """The power fails: the last report, and this boot (and run) ends. At the REPL, where
        nothing would end it, the launcher switches the board off."""
        self._report_flash()
        self._emit(
            '"kind": "power", "writes": %d, "torn": %s' % (self.flash.writes(), "true" if self.flash.torn else "false")
        )
        self.close()

    def reset(self, cause):
        """This boot ends: the launcher starts the next one, the clock going on (the RTC keeps it)."""
        self._sync()
        wall = "null" if self._wall0 is None else "%d" % self._wall0
        self._emit('"kind": "reset", "cause": "%s", "wall0": %s' % (cause, wall))
        self.close()

    # reports to the launcher

    def _emit(self, body):
        lines = self._lines
        # The stamp, the body and the end go as pieces of the next write, with no string made of
        # them together: at --speed max every piece is garbage the collector has to find.
        if self._wall0 is None:
            lines.append('{"ms": %d, "wall": null, ' % self._ms)
        else:
            lines.append('{"ms": %d, "wall": %d, ' % (self._ms, self._wall0 + self._ms))
        lines.append(body)
        lines.append("}\n")
        # In real time each report goes at once: the launcher shows it, or acts on it.
        if self.speed or len(lines) >= 3 * _BATCH:
            self.flush()

    def flush(self):
        if self._lines:
            try:
                self._out.write("".join(self._lines))
            except OSError:  # EPIPE: the launcher is gone, and the board's power with it
                raise PowerCut from None
            self._lines.clear()

    def frame(self, buf):
        if not self.frames:
            return
        display = self.display
        if self._sent == buf and self._sent_on == display.on and self._sent_level == display.level:
            return
        if self._sent is None:
            self._sent = bytearray(len(buf))
        self._sent[:] = buf
        self._sent_on = display.on
        self._sent_level = display.level
        self._emit(
            '"kind": "frame", "on": %s, "level": %d, "fb": "%s"'
            % ("true" if display.on else "false", display.level, buf.hex())
        )

    def trace(self, kind, data, words=None):
        if kind == "screen":
            # The words draw() gave for the screen shown (none for "off", which draws nothing).
            self._emit('"kind": "screen", "name": "%s", "text": %s' % (data.name, json.dumps(words or [])))
        elif kind == "log":
            # The record's bytes as the journal wrote them, read back as the host reads them.
            self._emit('"kind": "log", "record": %s' % json.dumps(decode_all((data,))[0][0]))

    def say(self, line):
        # The console is the serial line with --serial; otherwise the launcher's stderr, where
        # nobody waits for it. The launcher is told the coach is up.
        if self.serial:
            print(line)
        self._emit('"kind": "up"')

    def close(self):
        self.flush()
        self._out.close()


def _power_on(board, flash):
    """The flash mounted as the ESP32's _boot.py mounts it; the firmware is then imported from
    it, and nothing of it from the host's copy that loaded this board."""
    board.flash = BlockDevice(
        flash["image"],
        flash.get("cut_after"),
        flash.get("torn", False),
        board.charge if flash.get("charge") else None,
        board.power_cut,
    )
    mount(board.flash)
    kept = ("board.sim", "board.virtual", "board.vflash")
    for name in list(sys.modules):
        if name.split(".")[0] in ("board", "core", "ui", "sounds") and name not in kept:
            del sys.modules[name]


class _Esp32Module:
    """What boot.py and main.py take from board.esp32, for this board: the simulator boots
    them as the ESP32 does."""

    def __init__(self, board, soft):
        self._board = board
        self._soft = soft

    def Board(self):  # main.py's name for the class of the board it builds
        return self._board

    def after_soft_reset(self):
        if self._soft:
            # The keepalive feeds the watchdog for repl_keepalive_ms from now.
            self._board._repl_watchdog()


def boot(board, soft=False):
    """Boot as the ESP32 does: boot.py at every reset, then main.py (the coach) unless the
    reset was a soft one from the raw REPL, until it leaves to the REPL or the board resets."""
    import core.compat

    esp32_ticks(core.compat)
    sys.modules["board.esp32"] = _Esp32Module(board, soft)
    for script in ("boot", "main"):
        # Run again at each boot, where one process boots many times (tests/powercut.py).
        sys.modules.pop(script, None)
    board.running = not soft
    try:
        try:
            __import__("boot")
        except ImportError:
            # No boot.py (a flash from before it): nothing holds the watchdog after a soft reset.
            if soft:
                board._repl_watchdog(kept=False)
        except Exception as exc:
            # ports/esp32/main.c runs no main.py after a boot.py that raised: the board waits at
            # the REPL, where no Board() has started a watchdog since the chip's reset (a soft
            # reset's goes on, unfed).
            sys.print_exception(exc)
            if not soft:
                board.watchdog = Watchdog()
            board._repl_watchdog(kept=False)
            return
        if not soft:
            __import__("main")
    finally:
        board.running = False


def main():
    with open(os.getenv("ANKLEPUMP_SIM")) as f:
        config = json.load(f)
    board = Board(config)
    if config.get("flash"):
        _power_on(board, config["flash"])
    gc.threshold(board.gc_threshold)
    soft = config.get("soft", False)
    if soft:
        # A soft reset from the REPL: main.py does not run again (ports/esp32/main.c runs it
        # only for the friendly REPL), and the watchdog goes on.
        sys.stdout.write("MPY: soft reboot\r\n")
    try:
        boot(board, soft)
    except SystemExit:
        pass
    except PowerCut:
        return
    except WatchdogReset:
        board.reset("watchdog")
        return
    except Restart:
        board.reset("restart")
        return
    except BaseException:
        # The reports up to the failure reach the trace.
        board.flush()
        raise
    if not board.serial:
        board.close()
