# The simulated board: the real firmware under the unix port of MicroPython on
# the virtual board (board/virtual.py), reporting to the host launcher
# (`anklepump sim`) as JSON lines: screens, tones, journal records and frames.
# Its clock follows the real one, sped up (or runs as fast as it can); keys
# press the button; the current folder is the flash. The launcher passes its
# settings in a JSON file named by the ANKLEPUMP_SIM environment variable.
import gc
import json
import os
import select
import sys
import time

from core.compat import const

from board.config import GC_THRESHOLD
from board.virtual import Restart, VirtualBoard, VirtualDisplay, actions_to_edges

_CTRL_C = const(3)


class Board(VirtualBoard):
    def __init__(self, config):
        super().__init__(
            config.get("script", ()), config.get("start_unix_ms"), config.get("loop_ms", 20), config.get("for_ms")
        )
        self.speed = config.get("speed", 1)  # 0 = as fast as possible
        self.frames = config.get("frames", False)
        self.keys = config.get("keys", False)
        self.serial = config.get("serial", False)
        self._real_anchor = time.ticks_ms()
        self._virtual_anchor = 0
        # Open for the board's whole life; close() ends it.
        self._out = open(config["events"], "w")  # noqa: SIM115
        self._poll = None
        # A second screen, never shown, for the words of the one the firmware draws.
        self._scratch = VirtualDisplay(self)
        if self.keys or self.serial:
            self._poll = select.poll()
            self._poll.register(sys.stdin, select.POLLIN)

    # time

    def _sync(self):
        """In real-time modes the virtual clock follows the real one, sped up."""
        if self.speed:
            real = time.ticks_diff(time.ticks_ms(), self._real_anchor)
            self._ms = self._virtual_anchor + real * self.speed

    def read_time(self, now):
        self._sync()
        super().read_time(now)

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

    # the loop's sleep: keys are read while it lasts

    def wait(self, ms):
        self._sync()
        target = self._wake_at(ms)
        if self._poll is not None and self._poll.poll(0):
            self._read_input()
            if self.speed:
                self._sync()
                return
        if self.speed:
            while self._ms < target:
                left = (target - self._ms + self.speed - 1) // self.speed
                if self._poll is not None and self._poll.poll(left):
                    self._read_input()
                    self._sync()
                    return
                self._sync()
        else:
            self._ms = target
        self._check_end()

    # the rest of the board

    def restart(self):
        if self.running:
            raise Restart
        # Called at the REPL (the host's sync): start the firmware again, as a reset would.
        run_firmware(self)

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
            # The screen's words, as draw() gives them for this view on a scratch screen (the
            # shell draws without them: a session's redraws then allocate nothing).
            from ui import screens

            text = screens.draw(self._scratch, data)
            self._emit('"kind": "screen", "name": "%s", "text": %s' % (data.name, json.dumps(text)))
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
    # As main.py on the ESP32.
    gc.threshold(GC_THRESHOLD)
    try:
        run_firmware(board)
    except SystemExit:
        pass
    if not board.serial:
        board.close()
