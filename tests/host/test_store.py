"""The database: records keyed by device, journal and sequence; the first layout migrated in
place; the patient table; unclocked records timed from what the journal tells."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from anklepump.store.database import Store

ANKLEPUMP = str(Path(sys.executable).parent / "anklepump")
DEVICE = "53494d000001"
T = 1795392000  # 2026-11-23T00:00:00Z

# The records table as the first layout made it: keyed by device and sequence alone.
FIRST_LAYOUT = """
CREATE TABLE records (
    device TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL, time INTEGER,
    anchored INTEGER NOT NULL DEFAULT 0, boot INTEGER NOT NULL, uptime INTEGER,
    fields TEXT NOT NULL, synced INTEGER NOT NULL, PRIMARY KEY (device, seq)
);
CREATE TABLE devices (device TEXT PRIMARY KEY, last_sync INTEGER NOT NULL, corrupt INTEGER NOT NULL DEFAULT 0);
"""


def boot(seq, t=None, up=None, boot=1, event="boot", **fields):
    record = {"seq": seq, "event": event, "boot": boot, **fields}
    record.update({"t": t} if t is not None else {"up": up})
    return record


def test_a_journal_started_afresh_is_kept_apart_from_the_one_before(db_location):
    store = Store(db_location)
    assert store.add(DEVICE, "aaaaaaaaaaaa", [boot(1, T), boot(2, T + 60)]) == 2
    assert store.last_seq(DEVICE, "aaaaaaaaaaaa") == 2
    # The board reflashed: a new journal, numbered from 1 again, all of it new.
    assert store.last_seq(DEVICE, "bbbbbbbbbbbb") == 0
    assert store.add(DEVICE, "bbbbbbbbbbbb", [boot(1, T + 86400)]) == 1
    assert store.add(DEVICE, "bbbbbbbbbbbb", [boot(1, T + 86400)]) == 0
    assert [(r["journal"], r["seq"], r["t"]) for r in store.records()] == [
        ("aaaaaaaaaaaa", 1, T),
        ("aaaaaaaaaaaa", 2, T + 60),
        ("bbbbbbbbbbbb", 1, T + 86400),
    ]
    store.close()


def test_a_database_of_the_first_layout_is_migrated_and_keeps_its_records(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.executescript(FIRST_LAYOUT)
        db.execute(
            "INSERT INTO records VALUES (?, 1, 'boot', ?, 0, 1, NULL, '{}', ?)",
            (DEVICE, T, T),
        )
        db.execute("INSERT INTO devices VALUES (?, ?, 0)", (DEVICE, T))
    db.close()
    store = Store(path)
    assert list(store.records()) == [{"device": DEVICE, "journal": "", "seq": 1, "event": "boot", "boot": 1, "t": T}]
    # The device's journal without an identity syncs on where it was; a new one from the start.
    assert store.last_seq(DEVICE, "") == 1
    assert store.add(DEVICE, "", [boot(2, T + 5)]) == 1
    assert store.add(DEVICE, "cccccccccccc", [boot(1, T + 99)]) == 1
    assert [(r["journal"], r["seq"]) for r in store.records()] == [("", 1), ("", 2), ("cccccccccccc", 1)]
    store.close()
    # Opened again: nothing migrated twice.
    store = Store(path)
    assert len(list(store.records())) == 3
    store.close()


def test_records_of_a_boot_ended_by_the_host_take_their_time_from_the_next(db_location):
    store = Store(db_location)
    journal = "dddddddddddd"
    store.add(
        DEVICE,
        journal,
        [
            boot(1, up=0),
            boot(2, up=100, event="prompt", hour=1, snoozes=0),
            boot(3, up=130, event="restart"),
            boot(4, up=0, boot=2),
            boot(5, up=40, boot=2, event="restart"),
            boot(6, up=0, boot=3),
            # A boot ended by a power cut: no restart, nothing to tie it to.
            boot(7, up=9, boot=4),
            boot(8, up=0, boot=5),
        ],
    )
    # The sync set the clock to T when boot 5 had been up 20 s.
    assert store.anchor(DEVICE, journal, (5, 20, T)) == 1
    assert [r.get("t") for r in store.records()] == [None] * 7 + [T - 20]
    # Boot 3 was tied to the clock by a `time set` later: records stamped from the new time.
    store.add(DEVICE, journal, [boot(9, T + 500, boot=3, event="clock_set", was=600, was_set=False)])
    assert store.anchor(DEVICE, journal) == 6
    start3 = T + 500 - 600
    start2 = start3 - 40
    start1 = start2 - 130
    assert [r.get("t") for r in store.records()] == [
        start1,
        start1 + 100,
        start1 + 130,
        start2,
        start2 + 40,
        start3,
        None,
        T - 20,
        T + 500,
    ]
    store.close()


def test_the_patient_heads_the_report_and_sets_the_goal(tmp_path, db_location):
    db = db_location

    def anklepump(*argv):
        return subprocess.run([ANKLEPUMP, *argv], capture_output=True, text=True, timeout=300)

    done = anklepump("patient", "set", "--device", DEVICE, "--name", "Ward 4, bed 2", "--goal", "50", "--db", str(db))
    assert (done.returncode, done.stdout) == (0, f"Ward 4, bed 2 (device {DEVICE}), goal 50%\n")
    done = anklepump("patient", "set", "--device", DEVICE, "--goal", "60", "--db", str(db))
    assert done.stdout == f"Ward 4, bed 2 (device {DEVICE}), goal 60%\n"
    for goal in ("0", "101", "eighty"):
        done = anklepump("patient", "set", "--device", DEVICE, "--goal", goal, "--db", str(db))
        assert done.returncode == 2 and "must be a percentage, 1 to 100" in done.stderr
    done = anklepump("patient", "set", "--device", DEVICE, "--db", str(db))
    assert (done.returncode, done.stderr) == (1, "anklepump: nothing to set: give --name, --goal or both\n")
    store = Store(db)
    # A day at 2 of 3 prompts done: 66.7%, over a goal of 60.
    records = []
    for hour, done_ in ((7, True), (8, True), (9, False)):
        t = T + hour * 3600
        records.append({"event": "prompt", "t": t, "hour": hour, "snoozes": 0})
        if done_:
            records.append(
                {"event": "session_start", "t": t + 5, "reason": "prompt", "latency_s": 5, "snoozes": 0, "minutes": 5}
            )
            records.append({"event": "session_end", "t": t + 300, "result": "complete", "seconds": 295, "reps": 12})
    store.add(DEVICE, "", [dict(r, seq=i + 1, boot=1) for i, r in enumerate(records)])
    store.close()
    out = tmp_path / "r.json"
    done = anklepump("report", "--db", str(db), "--utc-offset", "0", "--json", str(out))
    assert done.returncode == 0, done.stderr
    shown = done.stdout.splitlines()
    assert shown[0] == f"Patient: Ward 4, bed 2 (device {DEVICE}), goal 60%"
    assert any(line.startswith("streak: 1 day in a row at the 60% goal or above") for line in shown)
    document = json.loads(out.read_text())
    assert document["patients"] == [{"device": DEVICE, "name": "Ward 4, bed 2", "goal": 60}]
    done = anklepump("patient", "show", "--db", str(db))
    assert done.stdout == f"Ward 4, bed 2 (device {DEVICE}), goal 60%\n"


def test_reading_takes_no_lock_while_another_program_writes(tmp_path):
    """The report, and the web app's page and charts side by side, read while a sync (or any
    program) holds the database's write lock: reading writes nothing, so it waits for nothing."""
    from anklepump.store.database import open_existing

    path = tmp_path / "coach.db"
    store = Store(path)
    store.add(DEVICE, "aaaaaaaaaaaa", [boot(1, T)])
    store.close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        reader = open_existing(str(path))
        assert [r["seq"] for r in reader.records(DEVICE)] == [1]
        reader.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()
