"""`anklepump sim --serial`: mpremote talks to the simulated board as to a real one."""

import json
import subprocess
import sys
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
        assert "journal/" in done.stdout and "state.json" in done.stdout
    finally:
        sim.terminate()
        assert sim.wait(timeout=30) == 0
    entries = [json.loads(line) for line in trace.read_text().splitlines()]
    assert entries[0]["kind"] == "log" and entries[0]["record"]["event"] == "boot"
    # In real time the firmware boots within moments of the clock's start.
    assert entries[0]["t"].startswith("2026-11-24T09:00:00.")
