"""The CircuitPython build, without a board: its layer (device/circuitpython/) and the real
Adafruit libraries run on CPython over fake CircuitPython modules (harness.py, fakes/).

The screens reach the OLED, through adafruit_ssd1306 and the I2C bus, as the reviewed pictures
the MicroPython build draws (tests/device/screens/); and a scripted day journals, and sounds,
exactly what the MicroPython simulator does with the same script."""

import base64
import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from anklepump.sim.simulator import parse_duration, parse_script, parse_start
from simrun import ANKLEPUMP, headless, set_up_before

HERE = Path(__file__).resolve().parent
SCREENS = HERE.parent / "device" / "screens"
# Generous: a hang guard, not a speed test.
TIMEOUT_S = 900


def harness(*args, cwd=None):
    done = subprocess.run(
        [sys.executable, str(HERE / "harness.py"), *args], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT_S
    )
    assert done.returncode == 0, done.stderr
    return done


def test_every_screen_reaches_the_oled_as_its_reviewed_picture(tmp_path):
    out = tmp_path / "screens.json"
    harness("screens", str(out))
    drawn = json.loads(out.read_text())
    assert len(drawn) == len(list(SCREENS.glob("*.txt")))
    for name, picture in drawn.items():
        want = (SCREENS / (name + ".txt")).read_text()
        rows = [y for y, (g, w) in enumerate(zip(picture.split("\n"), want.split("\n"), strict=True)) if g != w]
        assert not rows, f"{name}: the OLED differs from screens/{name}.txt in rows {rows}"


def journal(state):
    done = subprocess.run([ANKLEPUMP, "journal", "dump", "--state", str(state)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


START = "2026-11-24T06:55:00"
# A day of use: a session, a snooze then a session, a session stopped early, a session paused
# and resumed, prompts missed with their reminders, a press that wakes the display and a second
# that starts an extra session, and the evening's last prompt.
DAY_SCRIPT = """\
07:00:05 press
08:00:05 hold
08:10:10 press
09:00:05 press
09:01:00 hold
12:00:05 press
12:01:00.500 press
12:01:40.500 press
15:20:00 press
15:20:01 press
21:00:04 double
21:00:09 press
"""


def test_a_scripted_day_journals_and_sounds_as_the_micropython_simulator(tmp_path):
    for_ = "910m"  # to 22:05, past the last prompt
    script = tmp_path / "day.txt"
    script.write_text(DAY_SCRIPT)
    micropython_state = set_up_before(tmp_path / "micropython")
    trace = tmp_path / "trace.jsonl"
    command = headless(micropython_state, "--start", START, "--for", for_, "--script", str(script))
    done = subprocess.run([*command, "--trace", str(trace)], capture_output=True, text=True, timeout=TIMEOUT_S)
    assert done.returncode == 0, done.stderr

    start_ms = parse_start(START, timezone.utc)
    config = tmp_path / "day.json"
    config.write_text(
        json.dumps(
            {
                "start_unix_ms": start_ms,
                "for_ms": parse_duration(for_),
                "script": parse_script(DAY_SCRIPT, (6 * 60 + 55) * 60 * 1000),
            }
        )
    )
    circuitpython_state = set_up_before(tmp_path / "circuitpython")
    out = tmp_path / "day-out.json"
    harness("day", str(config), str(out), cwd=circuitpython_state)
    ran = json.loads(out.read_text())

    records = journal(circuitpython_state)
    assert records == journal(micropython_state)
    events = [r["event"] for r in records]
    for event in ("prompt", "snooze", "session_start", "session_end", "pause", "resume", "missed", "reminder"):
        assert event in events, event
    assert sorted({r["result"] for r in records if r["event"] == "session_end"}) == ["complete", "partial"]

    # Every tone starts at the simulator's millisecond and frequency (the ticks wrapped 65 s in).
    t0 = datetime.fromisoformat(START)
    want = [
        (round((datetime.fromisoformat(e["t"]) - t0).total_seconds() * 1000), e["freq"])
        for e in map(json.loads, trace.read_text().splitlines())
        if e["kind"] == "tone"
    ]
    got = [(ms, freq) for ms, freq, duty in ran["tones"] if duty]
    assert len(got) > 400
    assert got == want
    assert ran["restarts"] == 0
    assert ran["watchdog"] == [8, True]


def test_a_fitted_ds3231_sets_the_clock_at_boot(tmp_path):
    state = set_up_before(tmp_path / "flash")
    config = tmp_path / "boot.json"
    config.write_text(json.dumps({"start_unix_ms": None, "ds3231": [2026, 11, 24, 6, 55, 0, 1], "for_ms": 5000}))
    out = tmp_path / "out.json"
    harness("day", str(config), str(out), cwd=state)
    (boot,) = journal(state)
    assert (boot["event"], boot["t"]) == ("boot", parse_start(START, timezone.utc) // 1000)
    assert json.loads(out.read_text())["ds3231"] == [2026, 11, 24, 6, 55, 5]


def test_the_font_is_micropythons_own_as_the_unix_port_draws_it():
    micropython = Path(sys.executable).parent / "micropython"
    tool = HERE.parents[1] / "tools" / "font_petme128.py"
    made = subprocess.run([str(micropython), str(tool)], capture_output=True, text=True, timeout=TIMEOUT_S)
    assert made.returncode == 0, made.stderr
    generated = HERE.parents[1] / "device" / "circuitpython" / "lib" / "font_petme128.py"
    assert made.stdout == generated.read_text(), "run `make circuitpython-font`"


def test_boot_makes_the_flash_the_firmwares_and_the_button_held_at_reset_gives_the_drive_back(tmp_path):
    runs = {}
    for button in ("released", "held"):
        state = set_up_before(tmp_path / button)
        harness("boot", button, str(tmp_path / f"{button}.json"), cwd=state)
        runs[button] = json.loads((tmp_path / f"{button}.json").read_text())
    released, held = runs["released"], runs["held"]
    assert released["remounts"] == [["/", False]]
    assert "records" in released["files"]  # the journal's folder
    # Held: the drive stays the computer's, the coach does not start and writes nothing, and
    # the screen says so (four lines of text, nothing else lit).
    assert held["remounts"] == []
    assert held["files"] == ["state.json"]
    assert held["on"]
    lit = [y for y, row in enumerate(held["screen"].splitlines()) if "#" in row]
    assert lit and lit[0] >= 8 and lit[-1] < 56


def anklepump(*args):
    return subprocess.run([ANKLEPUMP, *args], capture_output=True, text=True, timeout=TIMEOUT_S)


def test_deploy_onto_the_drive_copies_a_build_that_boots_and_then_only_what_changed(tmp_path):
    drive = tmp_path / "CIRCUITPY"
    drive.mkdir()
    (drive / "boot_out.txt").write_text("Adafruit CircuitPython 10.0.0 on 2026-01-01; Adafruit Feather ESP32-S3\n")
    done = anklepump("deploy", "--circuitpython", "--drive", str(drive))
    assert done.returncode == 0, done.stderr
    on_drive = sorted(p.relative_to(drive).as_posix() for p in drive.rglob("*") if p.is_file())
    for path in (
        "code.py",
        "boot.py",
        "app.py",
        "shell.py",
        "remote.py",
        "core/coach.py",
        "ui/screens.py",
        "circuitpython/hardware.py",
        "circuitpython/config.py",
        "lib/framebuf.py",
        "lib/font_petme128.py",
        "lib/adafruit_ssd1306.py",
        "lib/adafruit_bus_device/i2c_device.py",
        "lib/adafruit_ds3231.py",
    ):
        assert path in on_drive, path
    assert not [p for p in on_drive if p == "main.py" or p.startswith("board/") or p.endswith(".mpy")]
    assert done.stdout.splitlines()[-1] == (
        f"{len(on_drive) - 1} of {len(on_drive) - 1} files copied; press the board's reset button to start the coach"
    )

    # The drive alone is the whole build: it boots and runs the coach over the fakes.
    (drive / "state.json").write_text('{"boots": 0, "first_day": null}')
    out = tmp_path / "boot.json"
    done = subprocess.run(
        [sys.executable, str(HERE / "harness.py"), "boot", "released", str(out)],
        cwd=drive,
        env={**os.environ, "ANKLEPUMP_DRIVE": str(drive)},
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr
    assert "records" in json.loads(out.read_text())["files"]

    (drive / "code.py").write_text("# changed on the drive\n")
    again = anklepump("deploy", "--circuitpython", "--drive", str(drive))
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == [
        "copied code.py",
        f"1 of {len(on_drive) - 1} files copied; press the board's reset button to start the coach",
    ]


def test_deploy_refuses_a_folder_that_is_no_circuitpython_drive(tmp_path):
    done = anklepump("deploy", "--circuitpython", "--drive", str(tmp_path))
    assert (done.returncode, done.stderr) == (
        1,
        f"anklepump: {tmp_path} is not a CircuitPython drive (it has no boot_out.txt)\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_the_hosts_calls_work_at_the_repl_a_new_vm_from_what_the_coach_left_on_flash(tmp_path):
    state = set_up_before(tmp_path / "flash")
    config = tmp_path / "day.json"
    start_ms = parse_start(START, timezone.utc)
    config.write_text(json.dumps({"start_unix_ms": start_ms, "for_ms": 6 * 60 * 1000, "script": []}))
    harness("day", str(config), str(tmp_path / "out.json"), cwd=state)
    before = journal(state)
    assert [r["event"] for r in before] == ["boot", "prompt"]

    later = start_ms // 1000 + 600  # the RTC kept time through the VM's reset
    code = "import remote\nremote.info()\nremote.read(0)\nremote.set_time(%d)\nremote.ack(2)\nremote.info()" % (
        later + 5
    )
    lines = harness("repl", code, str(later), cwd=state).stdout.splitlines()
    first, last = json.loads(lines[0]), json.loads(lines[-1])
    assert (first["id"], first["next"], first["ack"], first["boot"], first["clock_set"], first["t"]) == (
        "53494d000001",
        3,
        0,
        1,
        True,
        later,
    )
    assert len(base64.b64decode(lines[1])) == 2 * 32
    assert json.loads(lines[2]) == {"damaged": 0}
    assert json.loads(lines[3]) == {"was": later, "was_set": True, "t": later + 5}
    assert (last["next"], last["ack"], last["t"]) == (4, 2, later + 5)
    clock_set = journal(state)[-1]
    assert (clock_set["event"], clock_set["boot"], clock_set["t"]) == ("clock_set", 1, later + 5)
