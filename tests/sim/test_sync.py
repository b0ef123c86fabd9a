"""`anklepump sync` end to end: the real firmware on the simulated board behind a pseudo-terminal,
the real mpremote transport, a real SQLite database."""

import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import serial
from simrun import ANKLEPUMP, flash_files, flash_read, flash_write, headless, serial_port, set_up_before, write_journal

BIN = Path(sys.executable).parent
HEADER = ("seq", "event", "t", "up", "boot")


@contextmanager
def serial_sim(state, *args):
    """The firmware on `state`, its REPL on a pseudo-terminal; yields the port."""
    sim = subprocess.Popen(
        [ANKLEPUMP, "sim", "--serial", "--state", str(state), *args], stdout=subprocess.PIPE, text=True
    )
    try:
        yield serial_port(sim)
    finally:
        sim.terminate()
        sim.wait(timeout=300)


def sync(port, db, *extra):
    done = subprocess.run(
        [ANKLEPUMP, "sync", "--port", port, "--db", str(db), *extra], capture_output=True, text=True, timeout=300
    )
    return done.returncode, done.stdout, done.stderr


def run_headless(state, start, duration, script=""):
    """Run the firmware on `state` for a while; the records it logged."""
    path = state.parent / "script.txt"
    path.write_text(script)
    trace = state.parent / "trace.jsonl"
    args = headless(state, "--for", duration, "--trace", str(trace), "--script", str(path))
    if start:
        args += ["--start", start]
    subprocess.run(args, check=True, timeout=300)
    return [json.loads(line)["record"] for line in trace.read_text().splitlines() if '"kind": "log"' in line]


def stored(db):
    dump = subprocess.run([ANKLEPUMP, "journal", "dump", "--db", str(db)], capture_output=True, text=True, check=True)
    return [json.loads(line) for line in dump.stdout.splitlines()]


def same(record):
    """A record as logged, without what the database adds."""
    return {k: v for k, v in record.items() if k not in ("device", "journal", "anchored", "local")}


def fresh_state(tmp_path):
    return set_up_before(tmp_path / "flash")


def test_a_week_synced_twice_arrives_exactly_once(tmp_path):
    state = fresh_state(tmp_path)
    db = tmp_path / "coach.db"
    # Four days: the first with a snooze, each with its morning sessions.
    script = "07:00:05 press\n08:00:05 hold\n08:10:10 press\n" + "".join(
        "%d+%02d:00:05 press\n" % (day, hour) for day in (1, 2, 3) for hour in (7, 8)
    )
    logged = run_headless(state, "2026-11-24T00:00:00", "4d", script)
    with serial_sim(state, "--start", "2026-11-28T00:00:00") as port:
        code, out, err = sync(port, db)
    assert code == 0, err
    assert out.startswith("synced 53494d000001: %d new records (8 sessions), clock set" % (len(logged) + 1))
    first = stored(db)
    assert [same(r) for r in first[: len(logged)]] == logged
    assert first[len(logged)]["event"] == "boot"  # the serial run's own boot
    # The rest of the week, then a second sync: only what is new arrives.
    more = run_headless(state, "2026-11-28T00:00:00", "3d", "07:00:05 press\n1+07:00:05 press\n2+07:00:05 press\n")
    with serial_sim(state, "--start", "2026-12-01T00:00:00") as port:
        code, out, err = sync(port, db)
        assert code == 0, err
        code, out2, err = sync(port, db)
        assert code == 0, err
    records = stored(db)
    seqs = [r["seq"] for r in records]
    assert seqs == list(range(1, len(records) + 1))
    by_seq = {r["seq"]: same(r) for r in records}
    for record in logged + more:
        assert by_seq[record["seq"]] == record
    # The second sync found only the first one's clock record and the restart's boot.
    assert out2.startswith("synced 53494d000001: 2 new records (0 sessions)")


def test_a_reflashed_board_starts_a_journal_the_database_takes_whole(tmp_path):
    state = fresh_state(tmp_path)
    db = tmp_path / "coach.db"
    before = run_headless(state, "2026-11-24T06:30:00", "3h", "07:00:05 press\n08:00:05 press\n")
    with serial_sim(state, "--start", "2026-11-24T09:30:00") as port:
        code, out, err = sync(port, db)
    assert code == 0, err
    first_journal = flash_read(state, "records/id").decode()
    # Erased and set up again: the same board (the same id), a journal numbered from 1 again.
    shutil.rmtree(state)
    state = fresh_state(tmp_path)
    after = run_headless(state, "2026-11-25T06:30:00", "3h", "07:00:05 press\n")
    second_journal = flash_read(state, "records/id").decode()
    assert second_journal != first_journal
    with serial_sim(state, "--start", "2026-11-25T09:30:00") as port:
        code, out, err = sync(port, db)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("synced 53494d000001: %d new records (1 session), clock set" % (len(after) + 1))
    assert lines[2] == f"journal {second_journal}: new to this database, all of it read"
    records = stored(db)
    old = [same(r) for r in records if r["journal"] == first_journal]
    new = [same(r) for r in records if r["journal"] == second_journal]
    assert old[: len(before)] == before
    assert new[: len(after)] == after
    # The report counts both journals' sessions, each on its day.
    report = subprocess.run(
        [
            ANKLEPUMP,
            "report",
            "--db",
            str(db),
            "--from",
            "2026-11-24",
            "--to",
            "2026-11-25",
            "--utc-offset",
            "0",
            "--json",
            str(tmp_path / "r.json"),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert report.returncode == 0
    days = json.loads((tmp_path / "r.json").read_text())["days"]
    assert [(d["date"], d["done"]) for d in days] == [("2026-11-24", 2), ("2026-11-25", 1)]


def test_a_command_that_stops_the_coach_keeps_the_time_of_unclocked_records(tmp_path):
    state = fresh_state(tmp_path)
    db = tmp_path / "coach.db"
    with serial_sim(state) as port:
        # Each of these restarts the coach: the boot without a clock ends.
        for command in (["time", "show"], ["config", "show"]):
            done = subprocess.run([ANKLEPUMP, *command, "--port", port], capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, done.stderr
        code, out, err = sync(port, db)
    assert code == 0, err
    records = stored(db)
    assert [(r["event"], r["boot"]) for r in records] == [
        ("boot", 1),
        ("restart", 1),
        ("boot", 2),
        ("restart", 2),
        ("boot", 3),
    ]
    assert all("t" in r for r in records), records
    assert "5 records made while the clock was not set given their time" in out
    # In order, and the last boot's records no later than the sync.
    times = [r["t"] for r in records]
    assert times == sorted(times) and times[-1] <= time.time()


def test_records_made_without_a_clock_get_their_time_at_sync(tmp_path):
    state = fresh_state(tmp_path)
    db = tmp_path / "coach.db"
    with serial_sim(state) as port:
        time.sleep(1.2)
        before = int(time.time())
        code, out, err = sync(port, db)
        after = int(time.time())
    assert code == 0, err
    assert "clock set (it was not set)\n" in out
    assert "1 record made while the clock was not set given its time" in out
    boot = stored(db)[0]
    assert (boot["event"], boot["up"], boot["anchored"]) == ("boot", 0, True)
    # The board booted about a second before the sync set its clock.
    assert before - 3 <= boot["t"] <= after


def test_a_corrupt_record_is_skipped_reported_and_counted(tmp_path):
    state = fresh_state(tmp_path)
    db = tmp_path / "coach.db"
    logged = run_headless(state, "2026-11-24T06:30:00", "3h")
    segment = "records/" + next(n for n in flash_files(state) if n.endswith(".seg")).rpartition("/")[2]
    data = bytearray(flash_read(state, segment))
    data[3 * 32 + 20] ^= 0xFF  # the fourth record
    flash_write(state, segment, bytes(data))
    with serial_sim(state, "--start", "2026-11-24T09:30:00") as port:
        code, out, err = sync(port, db)
    assert code == 0, err
    assert "warning: 1 corrupt record skipped (CRC mismatch)" in out
    assert [r["seq"] for r in stored(db)][:5] == [1, 2, 3, 5, 6]
    assert len(logged) > 5
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT corrupt FROM devices").fetchone() == (1,)


def test_errors_are_one_line_and_lose_nothing(tmp_path):
    state = fresh_state(tmp_path)
    db = tmp_path / "coach.db"
    code, out, err = sync("/dev/ttyNOSUCH", db)
    assert (code, out) == (1, "")
    assert err.startswith("anklepump: cannot open /dev/ttyNOSUCH") and err.count("\n") == 1
    # Nothing made: no database, so report says to sync first.
    assert not db.exists()
    with serial_sim(state, "--start", "2026-11-24T09:30:00") as port:
        # Another program holds the port.
        with serial.Serial(port, exclusive=True):
            code, out, err = sync(port, db)
        assert (code, err) == (
            1,
            f"anklepump: device busy: {port} is in use by another program; close it and try again\n",
        )
        # The database is locked by another program.
        con = sqlite3.connect(db)
        con.execute("CREATE TABLE IF NOT EXISTS hold (x)")
        con.execute("BEGIN EXCLUSIVE")
        code, out, err = sync(port, db)
        con.rollback()
        con.close()
        assert (code, err) == (
            1,
            f"anklepump: the database {db} is locked by another program; try again when it is done\n",
        )
        # Nothing was stored by the failed syncs; now one goes through.
        code, out, err = sync(port, db)
        assert code == 0, err
        assert [r["event"] for r in stored(db)] == ["boot"]
        # A device whose firmware writes a newer journal format than this anklepump reads.
        subprocess.run(
            [str(BIN / "mpremote"), "connect", port, "resume", "exec", "import remote; remote.VERSION = 2"],
            check=True,
            capture_output=True,
        )
        code, out, err = sync(port, db)
        assert (code, err) == (
            1,
            "anklepump: the device's journal is format version 2 (records version 2); this anklepump reads"
            " format 2, records version 1: update anklepump\n",
        )
        # Refused before reading anything, and the coach runs again.
        assert [r["event"] for r in stored(db)] == ["boot"]
        subprocess.run(
            [str(BIN / "mpremote"), "connect", port, "resume", "exec", "import remote; remote.VERSION = 1"],
            check=True,
            capture_output=True,
        )
        code, out, err = sync(port, db)
        assert code == 0, err
    # The refused sync's restart left a boot record, found by the last sync.
    assert [r["event"] for r in stored(db)] == ["boot", "clock_set", "boot", "boot"]


def test_no_device_plugged_in(tmp_path):
    done = subprocess.run(
        [ANKLEPUMP, "sync", "--db", str(tmp_path / "coach.db")], capture_output=True, text=True, timeout=300
    )
    assert (done.returncode, done.stderr) == (
        1,
        "anklepump: no device found: plug the coach in over USB, or give --port\n",
    )


def big_journal(state, records):
    """A journal of many records, a prompt a minute."""
    write_journal(state, ((1795503600 + 60 * (i + 1), ("prompt", i % 24, 0)) for i in range(records)))


def test_a_cable_pulled_or_a_sync_killed_mid_sync_loses_nothing(tmp_path):
    state = fresh_state(tmp_path)
    db = tmp_path / "coach.db"
    # 12000 records, near the journal's whole budget: reading them takes a few seconds.
    big_journal(state, 12000)
    # The cable: the device goes away while its journal is being read (the coach has stopped
    # for the sync once its screen went dark).
    trace = tmp_path / "cable.jsonl"
    with serial_sim(state, "--start", "2026-11-24T09:30:00", "--trace", str(trace)) as port:
        syncing = subprocess.Popen(
            [ANKLEPUMP, "sync", "--port", port, "--db", str(db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        until(screen_dark, trace)
    _, err = syncing.communicate(timeout=300)
    assert syncing.returncode == 1
    assert err.startswith("anklepump: ") and port in err and err.count("\n") == 1, err
    # The sync itself killed at random moments, then a sync left alone.
    rng = random.Random(7)
    with serial_sim(state, "--start", "2026-11-24T09:40:00") as port:
        for _ in range(4):
            syncing = subprocess.Popen(
                [ANKLEPUMP, "sync", "--port", port, "--db", str(db)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(rng.uniform(0.1, 2.5))
            syncing.send_signal(signal.SIGKILL)
            syncing.wait()
        code, _, err = sync(port, db)
        assert code == 0, err
    seqs = [r["seq"] for r in stored(db)]
    assert seqs == list(range(1, len(seqs) + 1))
    assert len(seqs) >= 12000
    assert sum(1 for r in stored(db) if r["event"] == "prompt") == 12000


def fill_one(flash, name, size):
    """A file of `size` bytes, or as much of it as fits; False once the flash takes no more."""
    from littlefs import LittleFSError

    try:
        f = flash.fs.open(name, "wb")
    except LittleFSError:
        return False
    try:
        f.write(b"\xa5" * size)
        written = True
    except LittleFSError:
        written = False
    try:
        f.close()
    except LittleFSError:
        # lfs.c has let the file go, but littlefs-python still takes it for open and would close
        # it again when collected (lfs.c then asserts): mark the raw file closed, as its own
        # close() does (open() gives it inside a buffered writer).
        setattr(f.raw, "__IOBase_closed", True)
        return False
    return written


def fill_the_flash(state):
    """Fill the simulated flash to its last block with a file of no use, as a board whose other
    files grew would be."""
    from anklepump.sim import image

    with image.changed(state) as flash:
        n = 0
        for size in (65536, 4096, 512, 32):
            while fill_one(flash, f"filler{n}", size):
                n += 1


def test_a_full_flash_never_stops_the_coach_and_the_next_sync_says_so(tmp_path):
    state = fresh_state(tmp_path)
    db = tmp_path / "coach.db"
    run_headless(state, "2026-11-24T06:30:00", "1h")
    fill_the_flash(state)
    # Boot on the full flash: state.json cannot be replaced, nor any record appended.
    trace = tmp_path / "full.jsonl"
    path = tmp_path / "full-script.txt"
    path.write_text("")
    args = headless(
        state, "--for", "4h", "--trace", str(trace), "--script", str(path), "--start", "2026-11-24T08:30:00"
    )
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in trace.read_text().splitlines()]
    # One boot, no crash, no reset: the coach ran all four hours and prompted on each hour.
    assert [e["cause"] for e in events if e["kind"] == "reset"] == []
    logged = [e["record"]["event"] for e in events if e["kind"] == "log"]
    assert logged.count("boot") == 1 and "error" not in logged
    assert logged.count("prompt") >= 3
    # Between prompts the idle screen says so where the next prompt's time was.
    idle = [e["text"] for e in events if e["kind"] == "screen" and e["name"] == "idle"]
    assert idle and all(text[1:3] == ["Memory full", "please sync"] for text in idle)
    with serial_sim(state, "--start", "2026-11-24T12:40:00") as port:
        # A zone other than the device's (UTC): the sync would write it into settings.json.
        code, out, err = sync(port, db, "--tz", "CET-1CEST,M3.5.0,M10.5.0/3")
    assert code == 0, err
    assert "warning: the device's flash is full: new records may not be kept; sync often and see docs/flash.md" in out
    # Nor is there room for a new settings.json: the time zone is said not to be set, the clock is.
    lines = out.splitlines()
    assert lines[1].startswith("warning: time zone not set to ") and "(the device failed: OSError: " in lines[1]


def trace_entries(trace):
    return [json.loads(line) for line in trace.read_text().splitlines()] if trace.exists() else []


def until(condition, trace):
    """The trace once condition(entries) holds (300 s: a hang guard only)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        entries = trace_entries(trace)
        if condition(entries):
            return entries
        time.sleep(0.1)
    raise AssertionError("the simulated board never got there")


def screen_dark(entries):
    """The coach has stopped (for a sync): its screen went dark."""
    return any(e["kind"] == "screen" and e["name"] == "off" for e in entries)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
@pytest.mark.parametrize("point", ["stopped", "storing"])
def test_a_sync_stopped_by_a_signal_starts_the_coach_again_at_once(tmp_path, point, stop):
    """SIGTERM (a kill, a shutdown) or SIGHUP (its terminal closed) mid-sync: the sync ends with
    one line, and starts the coach again on its way out, without waiting for the board's
    ten-minute watchdog; the next sync completes it, every record held once."""
    state = fresh_state(tmp_path)
    big_journal(state, 12000)
    trace = tmp_path / "serial.jsonl"
    db = tmp_path / "coach.db"
    with serial_sim(state, "--start", "2026-11-24T09:30:00", "--trace", str(trace)) as port:
        syncing = subprocess.Popen(
            [ANKLEPUMP, "sync", "--port", port, "--db", str(db)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if point == "stopped":
            # The coach has stopped for the sync once its screen went dark: the host is entering
            # the raw REPL, or reading the journal.
            until(screen_dark, trace)
        else:
            # The database is made once the journal has been read: its records are being stored,
            # or acknowledged on the device, or its clock set.
            until(lambda entries: db.exists(), trace)
        syncing.send_signal(stop)
        _, err = syncing.communicate(timeout=300)
        assert (syncing.returncode, err) == (130, "anklepump: interrupted\n")
        entries = until(lambda entries: [e["kind"] for e in entries].count("reset") >= 1, trace)
        assert [e["cause"] for e in entries if e["kind"] == "reset"] == ["restart"]
        code, _, err = sync(port, db)
    assert code == 0, err
    records = stored(db)
    # Each number once: the 12,000 prompts, then the boots and clock records since (how many
    # depends on how far the first sync got).
    assert [r["seq"] for r in records] == list(range(1, len(records) + 1))
    assert [r["event"] for r in records[:12000]] == ["prompt"] * 12000
    assert records[12000]["event"] == "boot"
