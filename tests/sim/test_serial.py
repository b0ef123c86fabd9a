"""`anklepump sim --serial`: mpremote talks to the simulated board as to a real one."""

import json
import subprocess
import sys
import time
from pathlib import Path

from simrun import ANKLEPUMP

MPREMOTE = Path(sys.executable).parent / "mpremote"


def test_mpremote_reaches_the_firmware_repl(tmp_path):
    state = tmp_path / "flash"
    trace = tmp_path / "trace.jsonl"
    sim = subprocess.Popen(
        [
            ANKLEPUMP,
            "sim",
            "--serial",
            "--state",
            str(state),
            "--start",
            "2026-11-24T09:00:00",
            "--trace",
            str(trace),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        first = sim.stdout.readline()
        assert first.startswith("serial: /dev/pts/"), first
        port = first.split()[1]
        done = subprocess.run(
            [
                str(MPREMOTE),
                "connect",
                port,
                "resume",
                "exec",
                "import journal; print(journal.read_records()[0][0]['event'])",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert (done.returncode, done.stdout) == (0, "boot\n"), done.stderr
        done = subprocess.run(
            [str(MPREMOTE), "connect", port, "resume", "fs", "ls", ":"], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert "records/" in done.stdout and "state.json" in done.stdout
    finally:
        sim.terminate()
        assert sim.wait(timeout=30) == 0
    entries = [json.loads(line) for line in trace.read_text().splitlines()]
    assert entries[0]["kind"] == "log" and entries[0]["record"]["event"] == "boot"
    # In real time the firmware boots within moments of the clock's start.
    assert entries[0]["t"].startswith("2026-11-24T09:00:00.")


def test_a_soft_reset_leaves_the_watchdog_running_and_it_resets_the_board(tmp_path):
    """mpremote without `resume` soft-resets the board: main.py does not run again, the
    watchdog goes on with nothing to feed it, and the board resets and boots the coach."""
    state = tmp_path / "flash"
    trace = tmp_path / "trace.jsonl"
    sim = subprocess.Popen(
        [ANKLEPUMP, "sim", "--serial", "--state", str(state), "--start", "2026-11-24T09:00:00", "--trace", str(trace)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = sim.stdout.readline().split()[1]
        subprocess.run([str(MPREMOTE), "connect", port, "exec", "print(1)"], capture_output=True, text=True, timeout=60)
        boots = []
        deadline = time.monotonic() + 300  # a hang guard only: the reset comes 8 s after the soft reset
        while len(boots) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
            entries = [json.loads(line) for line in trace.read_text().splitlines()]
            boots = [e for e in entries if e["kind"] == "log" and e["record"]["event"] == "boot"]
    finally:
        sim.terminate()
        assert sim.wait(timeout=30) == 0
    resets = [e for e in entries if e["kind"] == "reset"]
    assert [e["cause"] for e in resets] == ["watchdog"]
    assert len(boots) == 2
    assert boots[0]["t"] < resets[0]["t"] <= boots[1]["t"]
