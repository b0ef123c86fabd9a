"""Power cuts on the simulated board's LittleFS flash: at a chosen block write of a run
(`anklepump sim --cut-after-writes N [--torn]`), at sampled block writes of the journal's
workload (tests/powercut.py; `make bench` cuts at every one), and during a deploy."""

import json
import shutil
import subprocess
import sys
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
