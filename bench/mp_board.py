# The bench's board for the real MicroPython interpreter (unix port): the virtual board
# (device/board/virtual.py) with a fixed model of what each loop pass, screen update and
# journal write costs on the ESP32 added to its clock, and a record of what the timing and
# power figures need. Imports none of the firmware but the virtual board and the journal's
# reader (which the firmware does not load), so a run builds its board before it imports
# the app (run_app), as main.py does on the ESP32.
#
# bench/run.py runs the bench modules with the compiled firmware, and the device tests'
# flashdir, on sys.path.
from board.virtual import VirtualBoard, esp32_ticks_add
from core.journal_reader import decode_all
from patient import START

# The model of one loop pass on the ESP32 (stated in the bench's output).
STEP_US = 3000  # a pass of the loop: read time, decoder, coach update (MicroPython at 160 MHz)
SHOW_US = 23200  # SSD1306 show(): 1031 bytes over I2C at 400 kHz, 9 bits a byte
FLASH_US = 8000  # one journal record appended on littlefs (open, write, close)
SLICE_MS = 50  # board/esp32.py wait(): how often it looks at the button ring
WDT_HALF_MS = 4000  # board/esp32.py wait(): never longer than half the watchdog's timeout


class Cut(BaseException):
    """The power goes: the app is abandoned where it stands."""


class BenchBoard(VirtualBoard):
    """The virtual board with the ESP32's costs: each loop pass, show() and journal write
    advance the virtual clock; wait() returns on a button edge at its next 10 ms look, as the
    ESP32's does. Its own per-tick methods allocate nothing. Times are kept in µs of virtual time.
    tick0: the ticks_ms reading at virtual time 0 (to run across its wraparound).
    """

    def __init__(self, script=(), start_unix_ms=START, for_ms=None, tick0=0, loop_ms=20):
        super().__init__(script, start_unix_ms, loop_ms, for_ms)
        self.tick0 = tick0
        self.running = True
        self._cost_us = STEP_US
        self.cut_at = None
        # power (µs)
        self.awake_us = 0
        self.display_on_us = 0
        self.buzzer_us = 0
        self._buzz_from = -1
        self.sleep_waits_us = 0  # waits long enough to light-sleep through
        self.short_waits_us = 0
        self.long_waits = 0
        self.light_min_ms = 100
        # responses: virtual µs of the first screen or tone after a mark
        self.mark_us = -1
        self.response_us = -1
        self.step_response_us = -1  # the first screen or tone of this loop pass
        self.logs = []
        self.keep_logs = False
        self.on_cue = None
        self.on_log = None
        self.refill = None

    def now_us(self):
        return self._ms * 1000 + self._cost_us

    def read_time(self, now):
        super().read_time(now)
        if self.tick0:
            now.ms = esp32_ticks_add(self.tick0, now.ms)

    def button_edges(self):
        edges = super().button_edges()
        if self.tick0:
            # A loop, not a comprehension: one would make `self` a closure cell, allocated at every call.
            for i in range(len(edges)):
                edges[i] = (edges[i][0], esp32_ticks_add(self.tick0, edges[i][1]))
        return edges

    def frame(self, buf):
        self._cost_us += SHOW_US
        if self.step_response_us < 0:
            self.step_response_us = self.now_us()
        if self.response_us < 0 <= self.mark_us:
            self.response_us = self.now_us()

    def tone(self, freq, ms, volume):
        at = self.now_us()
        if self._buzz_from < 0:
            self._buzz_from = at
        if self.step_response_us < 0:
            self.step_response_us = at
        if self.response_us < 0 <= self.mark_us:
            self.response_us = at
        if self.on_cue is not None:
            self.on_cue(at)

    def silence(self):
        if self._buzz_from >= 0:
            self.buzzer_us += self.now_us() - self._buzz_from
            self._buzz_from = -1

    def trace(self, kind, data, words=None):
        if kind == "log":
            self._cost_us += FLASH_US
            # The record's bytes as the journal wrote them, read back as the host reads them.
            record = decode_all((data,))[0][0]
            if self.on_log is not None:
                self.on_log(record)
            if self.keep_logs:
                self.logs.append(record)

    def wait(self, ms):
        used = self._cost_us
        self.awake_us += used
        start = self._ms + (used + 999) // 1000
        target = start + min(ms, WDT_HALF_MS)
        if self.refill is not None and self._next >= len(self._pending):
            # The script comes a day at a time: the bench's own memory stays small.
            more = self.refill()
            if more:
                self._pending = more
                self._next = 0
        pending = self._pending
        if self._next < len(pending):
            edge = pending[self._next][0]
            if edge < target:
                seen = start if edge <= start else start + (edge - start + SLICE_MS - 1) // SLICE_MS * SLICE_MS
                if seen < target:
                    target = seen
        if self.cut_at is not None and target >= self.cut_at:
            self._ms = self.cut_at
            raise Cut
        if self.until_ms is not None and target >= self.until_ms:
            target = self.until_ms
        span = (target - self._ms) * 1000
        if self.display.on:
            self.display_on_us += span
        waited = (target - start) * 1000
        if target - start >= self.light_min_ms and self._buzz_from < 0:
            self.sleep_waits_us += waited
            self.long_waits += 1
        else:
            self.short_waits_us += waited
        self._ms = target
        self._cost_us = STEP_US
        self.step_response_us = -1
        self._check_end()


def run_app(board):
    """The real loop until the board ends the run (SystemExit) or the power is cut (Cut).
    The app is imported here, once the board is built: main.py's order on the ESP32."""
    import app

    try:
        app.run(board)
    except SystemExit:
        pass
    else:
        # app.run returns only at the REPL: the firmware could not load (a MemoryError among its
        # imports, say) or stopped. The run did not reach its end, and must not count as done.
        raise RuntimeError("the firmware stopped before the run's end: see the traceback above")
