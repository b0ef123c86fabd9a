# The simulated board: the real firmware under the unix port of MicroPython,
# with a virtual clock, a framebuffer for the OLED, a buzzer and a button that
# report to the host launcher (`anklepump sim`) as JSON lines, and the current
# folder as the flash. The launcher passes its settings in a JSON file named by
# the ANKLEPUMP_SIM environment variable.
import json
import os
import select
import sys
import time

import framebuf
from core.compat import const

# How long the simulated finger keeps the button down for each scripted action.
_PRESS_MS = const(150)
_DOUBLE_GAP_MS = const(150)
_HOLD_MS = const(2000)
_LONG_MS = const(5500)
_CTRL_C = const(3)


class Restart(BaseException):
    """The firmware asked for a hard reset."""


class SimDisplay(framebuf.FrameBuffer):
    """The OLED: a 128x64 MONO_VLSB framebuffer whose show() goes to the launcher."""

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


class Board:
    def __init__(self, config):
        self.loop_ms = config.get("loop_ms", 20)
        self.speed = config.get("speed", 1)  # 0 = as fast as possible
        self.until_ms = config.get("for_ms")
        self.frames = config.get("frames", False)
        self.keys = config.get("keys", False)
        self.serial = config.get("serial", False)
        start = config.get("start_unix_ms")
        # Unix ms at virtual time 0, or None while the clock is not set.
        self._wall0 = start
        self._ms = 0
        self._real_anchor = time.ticks_ms()
        self._virtual_anchor = 0
        self._pending = actions_to_edges([(at, action) for at, action in config.get("script", ())])
        self._next = 0
        self._edges = []
        self._pressed = False
        # Open for the board's whole life; close() ends it.
        self._out = open(config["events"], "w")  # noqa: SIM115
        self._poll = None
        if self.keys or self.serial:
            self._poll = select.poll()
            self._poll.register(sys.stdin, select.POLLIN)
        self.display = SimDisplay(self)
        self.running = False

    # time

    def _sync(self):
        """In real-time modes the virtual clock follows the real one, sped up."""
        if self.speed:
            real = time.ticks_diff(time.ticks_ms(), self._real_anchor)
            self._ms = self._virtual_anchor + real * self.speed

    def read_time(self, now):
        self._sync()
        now.ms = self._ms
        if self._wall0 is None:
            now.t, now.frac_ms = divmod(self._ms, 1000)
            now.clock_set = False
        else:
            now.t, now.frac_ms = divmod(self._wall0 + self._ms, 1000)
            now.clock_set = True

    def set_time(self, unix):
        self._sync()
        self._wall0 = unix * 1000 - self._ms
        self._emit('"kind": "clock", "unix": %d' % unix)

    # button

    def _take_due_edges(self):
        pending = self._pending
        while self._next < len(pending) and pending[self._next][0] <= self._ms:
            at, pressed = pending[self._next]
            self._edges.append((pressed, at))
            self._pressed = pressed
            self._next += 1

    def button_edges(self):
        self._take_due_edges()
        edges = self._edges
        self._edges = []
        return edges

    def button_pressed(self):
        return self._pressed

    def _press_key(self, action):
        """A key from the launcher's keyboard: the action starts now."""
        edges = actions_to_edges([(self._ms, action)])
        rest = self._pending[self._next :]
        self._pending = sorted(rest + edges)
        self._next = 0

    def _read_input(self):
        data = sys.stdin.buffer.read(1)
        if not data:
            self._poll = None
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
        self._emit('"kind": "tone", "freq": %d, "dur": %d, "volume": %d' % (freq, ms, volume))

    def silence(self):
        pass

    # the loop's sleep

    def wait(self, ms):
        self._sync()
        target = self._ms + ms
        if self._next < len(self._pending) and self._pending[self._next][0] < target:
            target = self._pending[self._next][0]
        if self.until_ms is not None and target >= self.until_ms:
            target = self.until_ms
        if self.speed:
            if self._poll is not None and self._poll.poll(0):
                self._read_input()
            while self._ms < target:
                left = (target - self._ms + self.speed - 1) // self.speed
                if self._poll is not None and self._poll.poll(left):
                    self._read_input()
                    self._sync()
                    return
                self._sync()
        else:
            if self._poll is not None and self._poll.poll(0):
                self._read_input()
            self._ms = target
        if self.until_ms is not None and self._ms >= self.until_ms:
            raise SystemExit

    # the rest of the board

    def feed(self):
        pass

    def device_id(self):
        return "53494d000001"

    def restart(self):
        if self.running:
            raise Restart
        # Called at the REPL (the host's sync): start the firmware again, as a reset would.
        run_firmware(self)

    def deinit(self):
        pass

    # reports to the launcher

    def _emit(self, body):
        wall = "null" if self._wall0 is None else str(self._wall0 + self._ms)
        self._out.write('{"ms": %d, "wall": %s, %s}\n' % (self._ms, wall, body))

    def frame(self, buf):
        if self.frames:
            self._emit(
                '"kind": "frame", "on": %s, "level": %d, "fb": "%s"'
                % ("true" if self.display.on else "false", self.display.level, buf.hex())
            )

    def trace(self, kind, data):
        if kind == "screen":
            name, text = data
            self._emit('"kind": "screen", "name": "%s", "text": %s' % (name, json.dumps(list(text))))
        elif kind == "log":
            self._emit('"kind": "log", "record": %s' % json.dumps(data))

    def close(self):
        self._out.close()


def run_firmware(board):
    """Run the app until it leaves to the REPL, starting it again after each restart."""
    import app

    board.running = True
    try:
        while True:
            try:
                app.run(board)
                return
            except Restart:
                board._emit('"kind": "restart"')
    finally:
        board.running = False


def main():
    with open(os.getenv("ANKLEPUMP_SIM")) as f:
        config = json.load(f)
    board = Board(config)
    try:
        run_firmware(board)
    except SystemExit:
        pass
    if not board.serial:
        board.close()
