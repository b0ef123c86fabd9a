"""`anklepump sim --serial`: mpremote talks to the simulated board as to a real one."""

import json
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from simrun import ANKLEPUMP, serial_port

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
        port = serial_port(sim)
        done = subprocess.run(
            [
                str(MPREMOTE),
                "connect",
                port,
                "resume",
                "exec",
                "import journal_read; print(journal_read.read_records()[0][0]['event'])",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert (done.returncode, done.stdout) == (0, "boot\n"), done.stderr
        done = subprocess.run(
            [str(MPREMOTE), "connect", port, "resume", "fs", "ls", ":"], capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        assert "records/" in done.stdout and "state.json" in done.stdout
    finally:
        sim.terminate()
        assert sim.wait(timeout=300) == 0
    entries = [json.loads(line) for line in trace.read_text().splitlines()]
    assert entries[0]["kind"] == "log" and entries[0]["record"]["event"] == "boot"
    # In real time the firmware boots within moments of the clock's start.
    assert entries[0]["t"].startswith("2026-11-24T09:00:00.")


def serial_sim(trace, *args):
    """`anklepump sim --serial` at 100 times real time (ten minutes at the REPL pass in six
    seconds); the process and its port."""
    sim = subprocess.Popen(
        [
            ANKLEPUMP,
            "sim",
            "--serial",
            "--speed",
            "100",
            "--start",
            "2026-11-24T09:00:00",
            "--trace",
            str(trace),
            *args,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    return sim, serial_port(sim)


def until_booted_twice(sim, trace):
    """The trace once the board has booted a second time (300 s real: only a hang guard)."""
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            entries = [json.loads(line) for line in trace.read_text().splitlines()]
            if len([e for e in entries if e["kind"] == "log" and e["record"]["event"] == "boot"]) >= 2:
                return entries
            time.sleep(0.2)
        raise AssertionError("the board did not boot again")
    finally:
        sim.terminate()
        assert sim.wait(timeout=300) == 0


def at(entry):
    return datetime.fromisoformat(entry["t"]).timestamp()


def test_a_soft_reset_keeps_the_watchdog_fed_ten_minutes_then_the_board_resets(tmp_path):
    """mpremote without `resume` soft-resets the board: main.py does not run again, and the
    watchdog goes on. boot.py keeps it fed for ten minutes (a by-hand session can finish its
    copy), then the board resets and boots the coach."""
    trace = tmp_path / "trace.jsonl"
    sim, port = serial_sim(trace, "--state", str(tmp_path / "flash"))
    done = subprocess.run([str(MPREMOTE), "connect", port, "exec", "print(6 * 7)"], capture_output=True, timeout=300)
    assert done.stdout.strip() == b"42"
    entries = until_booted_twice(sim, trace)
    resets = [e for e in entries if e["kind"] == "reset"]
    boots = [e for e in entries if e["kind"] == "log" and e["record"]["event"] == "boot"]
    assert [e["cause"] for e in resets] == ["watchdog"]
    # Ten minutes and at most the watchdog's 8 s after the soft reset, itself within moments of the boot.
    assert 600 <= at(resets[0]) - at(boots[0]) <= 600 + 8 + 100
    assert at(resets[0]) <= at(boots[1])


def test_a_host_gone_silent_at_the_repl_leaves_the_coach_stopped_ten_minutes_at_most(tmp_path):
    """The coach stopped for the host's calls (a sync), and the host never comes back (killed,
    asleep, its cable pulled): each call keeps the watchdog fed another ten minutes, then the
    board resets and the coach runs again. The screen is dark meanwhile."""
    trace = tmp_path / "trace.jsonl"
    sim, port = serial_sim(trace, "--state", str(tmp_path / "flash"))
    call = [str(MPREMOTE), "connect", port, "resume", "exec", "import remote; remote.info()"]
    first = json.loads(subprocess.run(call, capture_output=True, timeout=300, check=True).stdout)
    # The host calls again a few simulated minutes later: the ten minutes start again.
    time.sleep(2)
    last = json.loads(subprocess.run(call, capture_output=True, timeout=300, check=True).stdout)
    assert last["t"] - first["t"] >= 100
    entries = until_booted_twice(sim, trace)
    resets = [e for e in entries if e["kind"] == "reset"]
    assert [e["cause"] for e in resets] == ["watchdog"]
    assert 600 <= at(resets[0]) - last["t"] <= 600 + 8 + 100
    stopped = [e for e in entries if e["kind"] == "screen" and at(e) < first["t"] + 1]
    assert stopped[-1]["name"] == "off"
    after = [e for e in entries if e["kind"] == "screen" and at(e) > at(resets[0])]
    assert after and after[0]["name"] != "off"
