# The firmware's heap under the real MicroPython interpreter (unix port), with as little
# beside it as can drive it: the virtual board and a patient's script, read an action at a
# time from the file BENCH_SCRIPT names (bench/run.py writes it from bench/patient.py: the
# script's own code and tables stay out of this heap). As on the ESP32 (main.py), the board
# is built first, then the collector's threshold is set and the app is imported and run; as
# on the ESP32, it runs in the flash folder that holds it (bench/run.py makes one for each run).
# With BENCH_ARGS="MODE ARG..." it prints one JSON line; bench/run.py bisects the heap
# size (micropython -X heapsize=N) on it.
#
#   week [LOOP_MS]  the script's week: the peak gc.mem_alloc(), the lowest free heap and the
#                   live heap (after a collection) at each hour, micropython.qstr_info()'s
#                   line before the JSON's; LOOP_MS 0: the loop sleeps to each deadline
#                   (the same code, fewer passes)
#   boot            power-on to the first screen: time and heap
import gc
import os
import time

# Power-on: the clock for the boot figure starts before anything is loaded.
T0_US = time.ticks_us()

from board.config import GC_THRESHOLD  # noqa: E402
from board.virtual import VirtualBoard, actions_to_edges, esp32_ticks  # noqa: E402
from micropython import const  # noqa: E402

_HOUR_MS = const(3600000)


class HeapBoard(VirtualBoard):
    """Feeds the firmware the script's actions one at a time, read from its file as they come
    due; samples the heap at every wait and the live heap once an hour. The script's first line
    is "START_UNIX_MS UNTIL_MS", each next one "MS ACTION". With first_frame, it ends the run at
    the first screen, noting the time and heap it took."""

    def __init__(self, script_path, loop_ms=20, first_frame=False):
        self._script = open(script_path)  # noqa: SIM115 (read as the run goes)
        start, until = self._script.readline().split()
        super().__init__((), int(start), loop_ms or None, int(until))
        self.first_frame = first_frame
        self.first = None
        self.peak_alloc = 0
        self.min_free = 1 << 40
        self.live_peak = 0
        self._next_hour = 0

    def wait(self, ms):
        if self._next >= len(self._pending):
            line = self._script.readline()
            if line:
                at, action = line.split()
                self._pending = actions_to_edges(((int(at), action),))
                self._next = 0
        super().wait(ms)
        self.min_free = min(self.min_free, gc.mem_free())
        self.peak_alloc = max(self.peak_alloc, gc.mem_alloc())
        if self._ms >= self._next_hour:
            self._next_hour = self._ms + _HOUR_MS
            gc.collect()
            self.live_peak = max(self.live_peak, gc.mem_alloc())

    def frame(self, buf):
        if self.first_frame:
            self.first = (time.ticks_diff(time.ticks_us(), T0_US), gc.mem_alloc())
            raise SystemExit


def run(board):
    gc.threshold(GC_THRESHOLD)
    import core.compat

    esp32_ticks(core.compat)
    import app

    try:
        app.run(board)
    except SystemExit:
        pass
    else:
        # app.run returns only at the REPL: the firmware could not load (a MemoryError among its
        # imports, say) or stopped. The run did not reach its end, and must not count as done.
        raise RuntimeError("the firmware stopped before the run's end: see the traceback above")
    # The firmware is done with: its memory is free for the answer.
    app.CURRENT = None


def main():
    argv = os.getenv("BENCH_ARGS").split()
    script = os.getenv("BENCH_SCRIPT")
    if argv[0] == "week":
        board = HeapBoard(script, *[int(a) for a in argv[1:]])
        run(board)
        result = {"peak_alloc": board.peak_alloc, "min_free": board.min_free, "live_peak": board.live_peak}
        # The interned names, on a line of their own before the answer (bench/run.py reads it):
        # they stay for good, in pools that double in size as they fill (py/qstr.c).
        import micropython

        micropython.qstr_info()
    else:
        board = HeapBoard(script, 20, True)
        run(board)
        us, alloc = board.first
        gc.collect()
        result = {"us": us, "alloc": alloc, "live": gc.mem_alloc()}
    import json

    print(json.dumps(result))


main()
