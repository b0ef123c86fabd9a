# The budgets' measurements under the real MicroPython interpreter (unix port): the real
# app loop (app.App.run) on a bench board, the simulated board with a virtual clock that
# advances by the loop's sleeps plus a fixed model of what each pass costs on the ESP32.
# `micropython bench/mp_bench.py MODE [ARG]` (or BENCH_ARGS="MODE ARG" when imported)
# prints one JSON line; bench/run.py drives it.
#
#   week [DAYS] [TICK0] [LOOP_MS]  a scripted week: heap, cue timing, button latency, power
#                        (LOOP_MS 0: the loop sleeps to each deadline, for the fast heap search)
#   alloc                gc.disable(): gc.mem_alloc() across a running session's ticks
#   boot                 import and boot to the first screen: time and heap
#   soak [DAYS] [CUTS]   random presses and power cuts, the journal checked after each reboot
import gc
import os
import random
import sys
import time

# The firmware's folder: BENCH_DEVICE (bench/run.py gives the .mpy files, as deployed), else device/.
_BENCH = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
if _BENCH[0] != "/":
    _BENCH = os.getcwd() + "/" + _BENCH
_DEVICE = os.getenv("BENCH_DEVICE") or _BENCH + "/../device"
sys.path.insert(0, _DEVICE)
# The device tests' helper for flash folders.
sys.path.insert(0, _BENCH + "/../tests/device")

T0_US = time.ticks_us()
ALLOC0 = gc.mem_alloc()

# 2026-11-24 06:59:00 UTC (the settings' UTC offset is 0): a minute before the first prompt.
START = 1795503540000
DAY_MS = 86400000
HOUR_MS = 3600000

# The model of one loop pass on the ESP32 (stated in the bench's output).
STEP_US = 3000  # a pass of the loop: read time, decoder, coach update (MicroPython at 160 MHz)
SHOW_US = 23200  # SSD1306 show(): 1031 bytes over I2C at 400 kHz, 9 bits a byte
FLASH_US = 8000  # one journal record appended on littlefs (open, write, close)
SLICE_MS = 10  # board/esp32.py wait(): how often it looks at the button ring
WDT_HALF_MS = 4000  # board/esp32.py wait(): never longer than half the watchdog's timeout
CUE_NAMES = ("up", "down", "tick", "circles", "melody")


def fresh_flash(name):
    # BENCH_TMP: bench/run.py's scratch folder, removed after (a run that fails leaves its flash).
    path = "%s/anklepump-bench-%s-%d-%d" % (os.getenv("BENCH_TMP") or "/tmp", name, time.time_ns(), time.ticks_us())
    os.mkdir(path)
    os.chdir(path)
    with open("state.json", "w") as f:
        f.write('{"boots": 0, "first_day": null}')
    return path


class Cut(BaseException):
    """The power goes: the app is abandoned where it stands."""


# Imported after the path is set: the firmware's own modules.
import app  # noqa: E402
from board.sim import Board, actions_to_edges  # noqa: E402
from core.coach import SESSION  # noqa: E402
from flashdir import remove  # noqa: E402
from sounds import PATTERNS  # noqa: E402

_CUES = tuple(PATTERNS[n] for n in CUE_NAMES)
_NO_EDGES = ()


class BenchBoard(Board):
    """The simulated board with the ESP32's costs: each loop pass, show() and journal write
    advance the virtual clock; wait() returns on a button edge at its next 10 ms look, as the
    ESP32's does. Its own per-tick methods allocate nothing. Times are kept in µs of virtual time.
    """

    def __init__(self, script=(), start_unix_ms=START, for_ms=None, tick0=0, loop_ms=20, t0_ms=0):
        super().__init__(
            {"events": "/dev/null", "speed": 0, "loop_ms": loop_ms, "start_unix_ms": start_unix_ms, "script": ()}
        )
        self._pending = actions_to_edges(script)
        self.until_ms = for_ms
        self.tick0 = tick0
        self.running = True
        self._ms = t0_ms
        self._wall0 = start_unix_ms - t0_ms if start_unix_ms is not None else None
        self._cost_us = STEP_US
        self.cut_at = None
        # heap (gc.mem_free() scans the heap's table: the soak, which does not need it, skips it)
        self.sample_heap = True
        self.peak_alloc = 0
        self.min_free = 1 << 40
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
        # As Board.read_time, without divmod's tuple: the bench board allocates nothing per tick.
        ms = self._ms
        now.ms = time.ticks_add(self.tick0, ms) if self.tick0 else ms
        if self._wall0 is None:
            now.t = ms // 1000
            now.frac_ms = ms % 1000
            now.clock_set = False
        else:
            now.t = (self._wall0 + ms) // 1000
            now.frac_ms = (self._wall0 + ms) % 1000
            now.clock_set = True

    def button_edges(self):
        pending = self._pending
        if self._next >= len(pending) or pending[self._next][0] > self._ms:
            return _NO_EDGES
        self._take_due_edges()
        edges = self._edges
        self._edges = []
        if self.tick0:
            # A loop, not a comprehension: one would make `self` a closure cell, allocated at every call.
            for i in range(len(edges)):
                edges[i] = (edges[i][0], time.ticks_add(self.tick0, edges[i][1]))
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
        player = app.CURRENT.player if app.CURRENT is not None else None
        if self.on_cue is not None and player is not None and player._index == 0 and player._notes in _CUES:
            self.on_cue(at)

    def silence(self):
        if self._buzz_from >= 0:
            self.buzzer_us += self.now_us() - self._buzz_from
            self._buzz_from = -1

    def trace(self, kind, data):
        if kind == "log":
            self._cost_us += FLASH_US
            if self.on_log is not None:
                self.on_log(data)
            if self.keep_logs:
                self.logs.append(data)

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
        if self.until_ms is not None and self._ms >= self.until_ms:
            raise SystemExit
        if not self.sample_heap:
            return
        free = gc.mem_free()
        if free < self.min_free:
            self.min_free = free
        alloc = gc.mem_alloc()
        if alloc > self.peak_alloc:
            self.peak_alloc = alloc


def run_app(board):
    """The real loop until the board ends the run (SystemExit) or the power is cut (Cut)."""
    try:
        app.run(board)
    except SystemExit:
        pass


def day_script(day, rng):
    """A day of a patient: most prompts answered, some snoozed, some missed, pauses, extras."""
    script = []
    for hour in range(7, 22):
        at = day * DAY_MS + 60000 + (hour - 7) * HOUR_MS
        r = rng.random()
        if r < 0.65:
            start = at + rng.randrange(2000, 300000)
            script.append((start, "press" if rng.random() < 0.8 else "double"))
            if rng.random() < 0.2:
                pause = start + rng.randrange(20000, 200000)
                script.append((pause, "press"))
                script.append((pause + rng.randrange(5000, 60000), "press"))
        elif r < 0.8:
            script.append((at + rng.randrange(2000, 60000), "hold"))
        if rng.random() < 0.1:
            # A press in idle: wakes the display (a second within 30 s starts an extra session).
            script.append((at + rng.randrange(40 * 60000, 55 * 60000), "press"))
    script.sort()
    return script


def decision_points(script):
    """When each scripted action's gesture is decided (the decoder's decision point), in order."""
    points = []
    for at, action in script:
        if action == "press":
            points.append(at + 150 + 400)  # released after 150 ms, then the double-press window
        elif action == "double":
            points.append(at + 450 + 30)  # the second release, once debounced
        elif action == "hold":
            points.append(at + 1500)
        elif action == "long":
            points += [at + 1500, at + 5000]
    return points


def week(days=7, tick0=0, loop_ms=20):
    if tick0 < 0:
        # That many ms before ticks_ms wraps (2**62 on the unix port, 2**30 on the ESP32).
        tick0 = time.ticks_add(0, tick0)
    random.seed(7)
    flash = fresh_flash("week")
    board = BenchBoard((), for_ms=days * DAY_MS + 60000, tick0=tick0, loop_ms=loop_ms or None)
    points = []  # decision points of the actions given to the board, and their kinds
    kinds = []
    day = [0]

    def refill():
        if day[0] >= days:
            return None
        script = day_script(day[0], random)
        day[0] += 1
        del points[: state[0]]
        del kinds[: state[0]]
        state[0] = 0
        points.extend(decision_points(script))
        kinds.extend(a for _, a in script)
        return actions_to_edges(script)

    board.refill = refill
    stats = {"cues": 0, "worst_us": 0, "first_us": -1, "second_us": -1, "k1000_us": -1, "last_us": -1, "sessions": 0}
    ideal = []  # the current session's ideal cue times, virtual µs
    sess = [0, None]  # next ideal index, the session's run
    state = [0, -1]  # index of the next decision point, its kind
    count = [0, 0]  # records written, gestures

    def on_cue(at):
        coach = app.CURRENT.coach
        run = coach.run
        if run is not sess[1]:
            # A new session: its ideal cue times from the plan, on the virtual clock.
            sess[1] = run
            sess[0] = 0
            ideal.clear()
            start = time.ticks_diff(run.start_ms, board.tick0) if board.tick0 else run.start_ms
            plan = coach.plan
            e = plan.next_event(-1)
            while e is not None:
                ideal.append(start + e)
                e = plan.next_event(e)
            stats["sessions"] += 1
        paused = run.paused_ms
        i = sess[0]
        # The ideal time of the cue that sounds now: the first not yet sounded.
        dev = at - (ideal[i] + paused) * 1000
        sess[0] = i + 1
        n = stats["cues"] + 1
        stats["cues"] = n
        if abs(dev) > abs(stats["worst_us"]):
            stats["worst_us"] = dev
        if n == 1:
            stats["first_us"] = dev
        if n == 2:
            stats["second_us"] = dev
        if n == 1000:
            stats["k1000_us"] = dev
        stats["last_us"] = dev

    lat = {"n": 0, "worst_us": 0, "sum_us": 0, "none": 0, "press_worst_us": 0, "hold_worst_us": 0}

    def close_latency():
        if board.mark_us >= 0:
            if board.response_us < 0:
                lat["none"] += 1
            else:
                d = board.response_us - board.mark_us
                lat["n"] += 1
                lat["sum_us"] += d
                if d > lat["worst_us"]:
                    lat["worst_us"] = d
                key = "hold_worst_us" if state[1] == "hold" else "press_worst_us"
                if d > lat[key]:
                    lat[key] = d
        board.mark_us = -1
        board.response_us = -1

    def on_log(record):
        count[0] += 1
        if record["event"] == "gesture" and state[0] < len(points):
            count[1] += 1
            close_latency()
            if record["action"] == "none":
                # A gesture the state ignores shows and sounds nothing: no latency to measure.
                state[0] += 1
                return
            board.mark_us = points[state[0]] * 1000
            state[1] = kinds[state[0]] if state[0] < len(kinds) else None
            state[0] += 1
            # The app shows and sounds before it writes the journal: the answer to this gesture
            # is this pass's first screen or tone, if it had one, else the next.
            board.response_us = board.step_response_us

    board.on_cue = on_cue
    board.on_log = on_log
    live = [0]
    hourly = [0]

    orig_wait = board.wait

    def wait(ms):
        orig_wait(ms)
        if board._ms >= hourly[0]:
            hourly[0] = board._ms + HOUR_MS
            gc.collect()
            used = gc.mem_alloc()
            if used > live[0]:
                live[0] = used

    board.wait = wait
    run_app(board)
    close_latency()
    os.chdir("/")
    remove(flash)
    total_us = board._ms * 1000
    return {
        "days": days,
        "tick0": tick0,
        "heap_peak_alloc": board.peak_alloc,
        "heap_min_free": board.min_free,
        "heap_live_peak": live[0],
        "cues": stats,
        "latency": lat,
        "gestures": count[1],
        "records": count[0],
        "power": {
            "total_us": total_us,
            "awake_us": board.awake_us,
            "display_on_us": board.display_on_us,
            "buzzer_us": board.buzzer_us,
            "sleepable_us": board.sleep_waits_us,
            "short_waits_us": board.short_waits_us,
            "sleepable_waits": board.long_waits,
        },
    }


def alloc():
    """gc.mem_alloc() at every tick of a running session, with the collector off: the ticks
    that change no screen, and the once-a-second redraws, counted apart."""
    flash = fresh_flash("alloc")
    board = BenchBoard([(62000, "press")], for_ms=8 * 60000)
    # Preset keys: setting an existing key to a small int allocates nothing.
    seen = {"ticks": 0, "quiet_ticks": 0, "quiet_grew": 0, "redraws": 0, "redraw_grew": 0, "last": -1, "frames": 0}
    orig_wait = board.wait
    orig_frame = board.frame

    def frame(buf):
        seen["frames"] += 1
        orig_frame(buf)

    def wait(ms):
        orig_wait(ms)
        coach = app.CURRENT.coach if app.CURRENT is not None else None
        if coach is None or coach.state != SESSION:
            if seen["last"] >= 0:
                raise SystemExit
            return
        used = gc.mem_alloc()
        if seen["last"] >= 0:
            grew = used - seen["last"]
            if seen["frames"]:
                seen["redraws"] += 1
                seen["redraw_grew"] += grew
            else:
                seen["quiet_ticks"] += 1
                seen["quiet_grew"] += grew
            seen["ticks"] += 1
        seen["frames"] = 0
        seen["last"] = gc.mem_alloc()

    board.wait = wait
    board.frame = frame
    gc.collect()
    gc.disable()
    try:
        run_app(board)
    finally:
        gc.enable()
    os.chdir("/")
    remove(flash)
    seen.pop("last")
    seen.pop("frames")
    return seen


def boot():
    """From the interpreter's start (this script's first line) to the first screen."""
    flash = fresh_flash("boot")
    first = {}

    class BootBoard(BenchBoard):
        def frame(self, buf):
            if not first:
                first["us"] = time.ticks_diff(time.ticks_us(), T0_US)
                first["alloc"] = gc.mem_alloc()
                gc.collect()
                first["live"] = gc.mem_alloc()
            raise SystemExit

    board = BootBoard([], start_unix_ms=START + HOUR_MS, for_ms=1000)
    run_app(board)
    os.chdir("/")
    remove(flash)
    return {"us": first.get("us", -1), "alloc": first.get("alloc", -1), "live": first.get("live", -1)}


def soak(days, cuts):
    """Random presses for `days`, the power cut `cuts` times at random moments: after each cut
    the newest journal segment loses a random part of its last record (the write under way),
    the board boots again on the same flash, and the journal is checked."""
    from journal import FOLDER, read_records

    random.seed(30)
    rng = random
    end = days * DAY_MS
    cut_times = sorted(rng.randrange(60000, end) for _ in range(cuts))
    script = []
    at = 0
    while at < end:
        at += rng.randrange(60000, 50 * 60000)
        r = rng.random()
        script.append((at, "press" if r < 0.7 else ("hold" if r < 0.85 else ("double" if r < 0.95 else "long"))))
    flash = fresh_flash("soak")
    committed = []  # (seq, event) of every record known to be whole on flash
    problems = []
    torn = 0
    t = 0
    boots = 0
    for k in range(len(cut_times) + 1):
        cut = cut_times[k] if k < len(cut_times) else None
        rest = [(a - t, x) for a, x in script if a >= t + 1000]
        board = BenchBoard(rest, start_unix_ms=START + t, for_ms=None if cut is not None else end - t, loop_ms=None)
        board.cut_at = None if cut is None else cut - t
        board.sample_heap = False
        board.keep_logs = True
        if k:
            # The first record of the new boot: its journal has recovered from the cut.
            board.on_log = lambda record, k=k: record["event"] == "boot" and _check(committed, problems, k)
        app.CURRENT = None
        boots += 1
        try:
            run_app(board)
        except Cut:
            pass
        for record in board.logs:
            committed.append((record["seq"], record["event"]))
        if cut is None:
            t = end
            break
        t = cut
        # The cut lands in the write of the next record, torn anywhere in its 32 bytes, half the time.
        names = sorted(n for n in os.listdir(FOLDER) if n.endswith(".seg"))
        if names and rng.random() < 0.5:
            path = FOLDER + "/" + names[-1]
            with open(path, "ab") as f:
                f.write(bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 32))))
            torn += 1
        # Off for a while before it is switched on again.
        t += rng.randrange(0, 10 * 60000)
        board.close()
    records, bad = read_records()
    if bad:
        problems.append("end: %d bad records" % bad)
    _check(committed, problems, "end")
    # Every prompt is followed by a start, a snooze or a miss (or the power went first).
    events = [r["event"] for r in records]
    unanswered = interrupted = prompts = 0
    for i, e in enumerate(events):
        if e != "prompt":
            continue
        prompts += 1
        answer = None
        for later in events[i + 1 :]:
            if later in ("session_start", "snooze", "missed", "boot", "prompt"):
                answer = later
                break
        if answer == "boot":
            interrupted += 1
        elif answer not in ("session_start", "snooze", "missed") and i < len(events) - 1:
            unanswered += 1
    os.chdir("/")
    remove(flash)
    return {
        "days": days,
        "cuts": len(cut_times),
        "torn_writes": torn,
        "boots": boots,
        "records": len(records),
        "committed": len(committed),
        "prompts": prompts,
        "prompts_cut_off": interrupted,
        "prompts_unanswered": unanswered,
        "problems": problems[:10],
        "problem_count": len(problems),
    }


def _check(committed, problems, k):
    """The journal as a rebooted board reads it: whole, in sequence, every committed record kept."""
    from journal import read_records

    records, bad = read_records()
    if bad:
        problems.append("cut %s: %d bad records after recovery" % (k, bad))
    seqs = [r["seq"] for r in records]
    if seqs != list(range(seqs[0], seqs[0] + len(seqs))) if seqs else False:
        problems.append("cut %s: sequence has gaps" % k)
    have = {r["seq"]: r["event"] for r in records}
    for seq, event in committed:
        if have.get(seq) != event:
            problems.append("cut %s: committed record %d (%s) lost" % (k, seq, event))
            break
    return records


def main():
    import json

    argv = (os.getenv("BENCH_ARGS") or "").split() or sys.argv[1:]
    mode = argv[0]
    args = [int(a) for a in argv[1:]]
    if mode == "week":
        result = week(*(args or [7]))
    elif mode == "alloc":
        result = alloc()
    elif mode == "boot":
        result = boot()
    elif mode == "soak":
        result = soak(*(args or [30, 200]))
    else:
        raise SystemExit("unknown mode " + mode)
    # The firmware is done with: its memory is free for the answer.
    app.CURRENT = None
    gc.collect()
    print(json.dumps(result))


main()
