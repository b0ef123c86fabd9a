"""Bring-up on the simulated board, booted as the ESP32 boots (boot.py, then main.py): firmware
that cannot load waits at the REPL instead of restarting in a loop, and a .mpy cut short is found
before MicroPython's loader can hang in it."""

import json
import subprocess

import pytest
from anklepump.firmware import device_dir
from anklepump.sim import image
from simrun import flash_read, headless, set_up_before

DEVICE = device_dir()


def run(state, tmp_path, *args):
    trace = tmp_path / "trace.jsonl"
    done = subprocess.run(
        headless(state, "--for", "1h", "--trace", str(trace), "--start", "2026-11-24T09:30:00", *args),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in trace.read_text().splitlines()]


@pytest.mark.parametrize(
    # app.py itself (main.py's guard) and a module the app loads (the app's own).
    "module",
    ["app.py", "shell.py"],
)
def test_firmware_cut_short_by_a_copy_waits_at_the_repl_instead_of_a_reset_loop(tmp_path, module):
    state = set_up_before(tmp_path / "flash")
    run(state, tmp_path)
    # A by-hand `mpremote fs cp` that stopped part way (here just past an open bracket), the
    # source MicroPython imports in place of the .mpy beside it.
    source = (DEVICE / module).read_bytes()
    with image.changed(state) as flash:
        flash.write(module, source[: source.index(b"(", len(source) // 2) + 1])
    events = run(state, tmp_path, "--keep-firmware")
    assert [e for e in events if e["kind"] == "reset"] == []
    assert [e for e in events if e["kind"] == "tone"] == []
    report = flash_read(state, "error.txt").decode()
    assert report.startswith("Traceback") and report.splitlines()[-1].startswith("SyntaxError")
    # The journal holds the first run's boot only: nothing was started, so nothing was logged.
    assert [e["record"]["event"] for e in events if e["kind"] == "log"] == []


@pytest.mark.parametrize(
    # The app (main.py's import), a module the app loads, and one that boot.py itself imports.
    "module",
    ["app.mpy", "shell.mpy", "board/config.mpy"],
)
def test_a_mpy_cut_short_is_named_and_the_board_waits_at_the_repl_instead_of_hanging(tmp_path, module):
    """MicroPython's loader never comes back from a .mpy cut short (read_uint, py/persistentcode.c,
    reads on past its end): here the real interpreter would spin until this test's hang guard, on
    a board until its watchdog, boot after boot. boot.py finds it by its size first."""
    state = set_up_before(tmp_path / "flash")
    run(state, tmp_path)
    listed = dict(line.split() for line in flash_read(state, "firmware.txt").decode().splitlines())
    whole = flash_read(state, module)
    assert listed[module] == str(len(whole))
    with image.changed(state) as flash:
        flash.write(module, whole[:40])
    events = run(state, tmp_path, "--keep-firmware")
    assert [e for e in events if e["kind"] in ("reset", "tone", "log")] == []
    assert flash_read(state, "error.txt").decode() == (
        f"{module} is not the size deploy wrote (firmware.txt): cut short? Moved aside; deploy again\n"
    )
    # Moved aside: no import at the REPL (the host's calls) can hang in it either.
    assert (flash_read(state, module), flash_read(state, module + ".cut")) == (None, whole[:40])
    # The next deploy mends it, and the coach runs again.
    events = run(state, tmp_path)
    assert [e["record"]["event"] for e in events if e["kind"] == "log"][:1] == ["boot"]
