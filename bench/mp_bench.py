# The budgets' measurements under the real MicroPython interpreter (unix port): the real
# app loop (shell.App.run) on the bench board (bench/mp_board.py), whose virtual clock
# advances by the loop's sleeps plus a fixed model of what each pass costs on the ESP32.
# With BENCH_ARGS="MODE ARG..." it prints one JSON line; bench/run.py drives it. The heap's
# figures come from bench/mp_heap.py, which loads none of this.
#
#   week [DAYS] [TICK0]  a scripted week: cue timing, button latency, power
#   alloc                gc.disable(): gc.mem_alloc() across a running session's ticks
#   soak [DAYS] [CUTS]   random presses and power cuts, the journal checked after each reboot
import gc
import os
import random
import time

import core.compat
from board.virtual import actions_to_edges, esp32_ticks, esp32_ticks_add

# The firmware counts its ticks as the ESP32's do (board/virtual.py): set before it is imported.
esp32_ticks(core.compat)

import app  # noqa: E402
from core.coach import SESSION  # noqa: E402
from core.plan import DONE  # noqa: E402
from flashdir import remove  # noqa: E402
from mp_board import BenchBoard, Cut, run_app  # noqa: E402
from patient import DAY_MS, FIRST_HOUR, LAST_HOUR, START, hour_script  # noqa: E402
from sounds import PATTERNS  # noqa: E402


def fresh_flash(name):
    # BENCH_TMP: bench/run.py's scratch folder, removed after (a run that fails leaves its flash).
    path = "%s/anklepump-bench-%s-%d-%d" % (os.getenv("BENCH_TMP") or "/tmp", name, time.time_ns(), time.ticks_us())
    os.mkdir(path)
    os.chdir(path)
    with open("state.json", "w") as f:
        f.write('{"boots": 0, "first_day": null}')
    return path


def day_script(day, rng):
    """A day of a patient: the prompted hours, 07 to 21, one after the other."""
    script = []
    for hour in range(FIRST_HOUR, LAST_HOUR + 1):
        script += hour_script(day, hour, rng)
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


def week(days=7, tick0=0):
    if tick0 < 0:
        # That many ms before ticks_ms wraps (at 2**30, as on the ESP32).
        tick0 = esp32_ticks_add(0, tick0)
    random.seed(7)
    flash = fresh_flash("week")
    board = BenchBoard((), for_ms=days * DAY_MS + 60000, tick0=tick0)
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
    stats = {"cues": 0, "worst_us": 0, "sessions": 0}
    # Each cue's lateness in the first session and in the one running now (at the end: the last),
    # by its place in the session: a cue's lateness depends on where it falls in the session
    # (what else the loop does in its pass), so drift is the same cue come later.
    first_run = []
    this_run = []
    ideal = []  # the current session's ideal cue times, virtual µs
    cues = []  # the patterns its cues sound
    sess = [0, None]  # next ideal index, the session's run
    state = [0, -1]  # index of the next decision point, its kind
    count = [0, 0]  # records written, gestures

    def on_cue(at):
        # A tone is a cue when it is the first note of a pattern the session's plan sounds (the
        # shell plays what the coach names, the plan's cues and "melody" for the end).
        player = app.CURRENT.player
        run = app.CURRENT.coach.run
        if player._index != 0 or run is None:
            return
        if run is not sess[1]:
            # A new session: its ideal cue times from the plan, on the virtual clock, and its cues.
            sess[1] = run
            sess[0] = 0
            ideal.clear()
            cues.clear()
            start = esp32_ticks_add(run.start_ms, -board.tick0)
            plan = run.plan
            e = plan.next_event(-1)
            while e is not None:
                ideal.append(start + e)
                name = plan.cue(e)
                cues.append(PATTERNS["melody" if name == DONE else name])
                e = plan.next_event(e)
            this_run.clear()
            stats["sessions"] += 1
        if player._notes not in cues:
            return
        paused = run.paused_ms
        i = sess[0]
        # The ideal time of the cue that sounds now: the first not yet sounded.
        dev = at - (ideal[i] + paused) * 1000
        sess[0] = i + 1
        n = stats["cues"] + 1
        stats["cues"] = n
        if abs(dev) > abs(stats["worst_us"]):
            stats["worst_us"] = dev
        if stats["sessions"] == 1:
            first_run.append(dev)
        this_run.append(dev)

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
    run_app(board)
    close_latency()
    stats["first_run_us"] = first_run
    stats["last_run_us"] = this_run
    os.chdir("/")
    remove(flash)
    total_us = board._ms * 1000
    return {
        "days": days,
        "tick0": tick0,
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


def soak(days, cuts):
    """Random presses for `days`, the power cut `cuts` times at random moments: after each cut
    the newest journal segment loses a random part of its last record (the write under way),
    the board boots again on the same flash, and the journal is checked."""
    from journal import FOLDER
    from journal_read import read_records

    random.seed(30)
    rng = random
    end = days * DAY_MS
    # Drawn in seconds: randrange takes no bound past 2**31 on a 32-bit MicroPython.
    cut_times = sorted(rng.randrange(60, end // 1000) * 1000 for _ in range(cuts))
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
    records, bad = read_records()
    if bad:
        problems.append("end: %d bad records" % bad)
    _check(committed, problems, "end")
    # Every prompt is followed by a start, a snooze, a "not now" or a miss (or the power went first).
    events = [r["event"] for r in records]
    unanswered = interrupted = prompts = 0
    for i, e in enumerate(events):
        if e != "prompt":
            continue
        prompts += 1
        answer = None
        for later in events[i + 1 :]:
            if later in ("session_start", "snooze", "declined", "missed", "boot", "prompt"):
                answer = later
                break
        if answer == "boot":
            interrupted += 1
        elif answer not in ("session_start", "snooze", "declined", "missed") and i < len(events) - 1:
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
    from journal_read import read_records

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

    argv = os.getenv("BENCH_ARGS").split()
    mode = argv[0]
    args = [int(a) for a in argv[1:]]
    if mode == "week":
        result = week(*(args or [7]))
    elif mode == "alloc":
        result = alloc()
    elif mode == "soak":
        result = soak(*(args or [30, 200]))
    else:
        raise SystemExit("unknown mode " + mode)
    # The firmware is done with: its memory is free for the answer.
    app.CURRENT = None
    gc.collect()
    print(json.dumps(result))


main()
