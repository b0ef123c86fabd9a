"""Power cuts on the simulated board's LittleFS flash: at a chosen block write of a run
(`anklepump sim --cut-after-writes N [--torn]`), at sampled block writes of the journal's
workload (tests/powercut.py; `make bench` cuts at every one), and during a deploy; and the
launcher itself as the board's power: killed, it takes the board with it."""

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from anklepump.device import deploy
from anklepump.sim import image
from simrun import ANKLEPUMP, flash_read, headless, set_up_before

ROOT = Path(__file__).resolve().parents[2]
MICROPYTHON = str(Path(sys.executable).parent / "micropython")
DAY = "2026-11-24T"
SCRIPT = "07:00:05 press\n08:00:05 hold\n08:10:10 press\n"


def run(state, tmp_path, *args, script=SCRIPT):
    trace = tmp_path / "trace.jsonl"
    (tmp_path / "script.txt").write_text(script)
    done = subprocess.run(
        headless(state, "--trace", str(trace), "--script", str(tmp_path / "script.txt"), *args),
        capture_output=True,
        text=True,
        timeout=300,
    )
    entries = [json.loads(line) for line in trace.read_text().splitlines()]
    return done, entries


def journal(state):
    out = subprocess.run(
        [ANKLEPUMP, "journal", "dump", "--state", str(state)], capture_output=True, text=True, check=True
    ).stdout
    # As the device logged them: without the local time the dump adds.
    return [{k: v for k, v in json.loads(line).items() if k != "local"} for line in out.splitlines()]


def writes(entries):
    return sum(e["programs"] + e["erases"] for e in entries if e["kind"] == "flash")


@pytest.mark.parametrize("torn", [False, True])
def test_the_power_cut_at_a_block_write_keeps_every_record_written_before_it(tmp_path, torn):
    whole = set_up_before(tmp_path / "whole")
    done, entries = run(whole, tmp_path, "--start", DAY + "06:55:00", "--for", "4h")
    assert done.returncode == 0, done.stderr
    total = writes(entries)
    cut = total * 2 // 3
    state = set_up_before(tmp_path / "cut")
    done, entries = run(
        state,
        tmp_path,
        "--start",
        DAY + "06:55:00",
        "--for",
        "4h",
        "--cut-after-writes",
        str(cut),
        *(["--torn"] * torn),
    )
    assert done.returncode == 0, done.stderr
    half = ", itself half done" if torn else ""
    assert done.stdout == f"power cut after block write {cut} of this boot{half}; the next run is the next power-on\n"
    assert entries[-1]["kind"] == "power" and entries[-1]["writes"] == cut
    assert writes(entries) == cut
    logged = [e["record"] for e in entries if e["kind"] == "log"]
    assert len(logged) > 0
    # The next power-on: every record whose append had returned is there, the sequence goes on.
    done, after = run(state, tmp_path, "--start", DAY + "09:00:00", "--for", "10m", script="")
    assert done.returncode == 0, done.stderr
    records = journal(state)
    assert records[: len(logged)] == logged
    seqs = [r["seq"] for r in records]
    assert seqs == list(range(1, len(seqs) + 1))
    assert next(e["record"]["event"] for e in after if e["kind"] == "log") == "boot"


def campaign(tmp_path, every, *torn):
    done = subprocess.run(
        [MICROPYTHON, "-X", "heapsize=32M", str(ROOT / "tests" / "powercut.py"), str(tmp_path), str(every), *torn],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize(("every", "torn"), [(29, ()), (31, ("torn",))])
def test_a_cut_at_sampled_writes_of_the_journal_workload_loses_nothing(tmp_path, every, torn):
    figures = campaign(tmp_path, every, *torn)
    assert figures["writes"] > 200
    assert figures["cuts"] == len(range(1, figures["writes"] + 1, every))
    assert {k: v for k, v in figures.items() if k not in ("writes", "cuts")} == {
        "boots_failed": 0,
        "records_lost": 0,
        "records_duplicated": 0,
        "seq_reused": 0,
        "files_damaged": 0,
    }


def test_a_cut_during_a_deploy_leaves_a_board_that_boots(tmp_path):
    """A deploy writes every new file beside its old one, then renames each over: cut anywhere,
    each module is old or new, never half written, and the board boots."""
    source = tmp_path / "device"
    shutil.copytree(ROOT / "device", source)
    (source / "sounds.py").write_text((source / "sounds.py").read_text() + "\nTUNED = True\n")
    (source / "core" / "plan.py").write_text((source / "core" / "plan.py").read_text() + "\nREVISED = True\n")
    base = set_up_before(tmp_path / "base")
    done, _ = run(base, tmp_path, "--start", DAY + "06:55:00", "--for", "1m")
    assert done.returncode == 0, done.stderr
    old = {p: flash_read(base, p) for p in ("sounds.mpy", "core/plan.mpy")}
    probe = tmp_path / "probe"
    shutil.copytree(base, probe)
    copied, _, _, total = deploy.to_image(probe, source, deploy.MPY_CACHE)
    assert copied == ["core/plan.mpy", "sounds.mpy"] and total > 10
    new = {p: flash_read(probe, p) for p in old}
    # Cut at any write, firmware.txt (which boot.py checks before anything is imported) allows
    # every module at the size it was left: old or new, never taken for one cut short.
    for cut in range(1, total + 1):
        state = tmp_path / "listed"
        shutil.rmtree(state, ignore_errors=True)
        shutil.copytree(base, state)
        with pytest.raises(image.PowerCut):
            deploy.to_image(state, source, deploy.MPY_CACHE, cut_after=cut, torn=True)
        files = image.open_image(state).files()
        for line in files["firmware.txt"].decode().splitlines():
            name, *sizes = line.split()
            assert str(len(files[name])) in sizes, (cut, name)
    for cut in sorted({1, total // 3, total // 2, total - 1, total}):
        state = tmp_path / f"cut{cut}"
        shutil.copytree(base, state)
        with pytest.raises(image.PowerCut):
            deploy.to_image(state, source, deploy.MPY_CACHE, cut_after=cut, torn=True)
        for path in old:
            assert flash_read(state, path) in (old[path], new[path]), (cut, path)
        done, entries = run(state, tmp_path, "--start", DAY + "07:30:00", "--for", "2m", "--keep-firmware", script="")
        assert done.returncode == 0, (cut, done.stderr)
        assert [e["record"]["event"] for e in entries if e["kind"] == "log"][:1] == ["boot"], cut


def real_time(state, speed, length, *args):
    return [ANKLEPUMP, "sim", "--headless", "--quiet", "--speed", speed, "--for", length, "--state", str(state), *args]


def test_a_real_time_run_sleeps_until_its_next_deadline(tmp_path):
    """At --speed N the board sleeps between deadlines, headless too, where it has no keys to
    wait on: a board that spun instead took a whole core for as long as the run lasted."""
    state = set_up_before(tmp_path / "flash")
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Two simulated minutes at 20 times real time: 6 s.
    done = subprocess.run(
        real_time(state, "20", "120s", "--start", DAY + "06:30:00"), capture_output=True, text=True, timeout=300
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert done.returncode == 0, done.stderr
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    assert cpu < (time.monotonic() - started) / 2


def status(pid):
    """A process's /proc stat fields from its state on (state, ppid, ...), or None if it is gone.
    Its name comes before them in brackets and may hold spaces: the fields after its ")"."""
    try:
        return Path("/proc", str(pid), "stat").read_text().rpartition(")")[2].split()
    except (FileNotFoundError, ProcessLookupError):  # ended, or ending as it is read
        return None


def children(pid):
    """The processes whose parent is pid."""
    return [int(n) for n in filter(str.isdigit, os.listdir("/proc")) if (f := status(n)) and int(f[1]) == pid]


def gone(pid):
    """Whether pid has ended: no such process, or one ended and not yet reaped."""
    fields = status(pid)
    return fields is None or fields[0] in "ZX"


@pytest.mark.parametrize("speed", ["1", "max"])
def test_the_board_switches_off_when_its_launcher_is_killed(tmp_path, speed):
    """The launcher is the board's power: killed (a test's hang guard, a terminal closed on
    it), it takes the board with it, asleep in real time or running flat out, where the board
    would run on unwatched for as long as its run was to last."""
    state = set_up_before(tmp_path / "flash")
    trace = tmp_path / "trace.jsonl"
    launcher = subprocess.Popen(
        real_time(state, speed, "30d", "--start", DAY + "06:30:00", "--trace", str(trace)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Up once it has reported its first screen (300 s: a hang guard only).
    deadline = time.monotonic() + 300
    try:
        while not (trace.exists() and '"kind": "screen"' in trace.read_text()):
            assert time.monotonic() < deadline and launcher.poll() is None, "the board never came up"
            time.sleep(0.1)
        [board] = children(launcher.pid)
    finally:
        launcher.send_signal(signal.SIGKILL)
        launcher.wait(timeout=300)
    while not gone(board):
        assert time.monotonic() < deadline, "the board ran on without its launcher"
        time.sleep(0.1)
