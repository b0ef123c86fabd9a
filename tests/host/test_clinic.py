"""A clinic's shared store: a real PostgreSQL server (tests/pgserver.py) that several syncs
write at once, killed mid-way, losing and duplicating nothing; the report the same from it as
from a file; a newer layout or an unreachable server refused in one line."""

import json
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from anklepump.store.database import Store, StoreError
from test_report import DEVICE, OTHER, Journal, a_monday, run_json

ANKLEPUMP = str(Path(sys.executable).parent / "anklepump")

# One writer: the records of a journal in batches, a line printed after each batch's commit.
WRITER = """
import json, sys
from anklepump.store.database import Store
url, device, journal, path, seed = sys.argv[1:]
records = json.load(open(path))
import random
rng = random.Random(int(seed))
store = Store(url)
start = 0
while start < len(records):
    size = rng.randint(1, 40)
    store.add(device, journal, records[start:start + size])
    start += size
    print(start, flush=True)
store.close()
"""


def anklepump(*argv):
    return subprocess.run([ANKLEPUMP, *argv], capture_output=True, text=True, timeout=300)


def fill(location, *journals):
    store = Store(location)
    for device, journal in journals:
        store.add(device, "j-" + device, journal.records)
    store.close()


def test_the_report_from_the_server_is_the_report_from_a_file(tmp_path, postgres_server):
    other = Journal()
    for day in range(3):
        other.done(day, 9)
        other.missed(day, 10)
    url = postgres_server.database("report_same")
    fill(url, (DEVICE, a_monday()), (OTHER, other))
    fill(tmp_path / "coach.db", (DEVICE, a_monday()), (OTHER, other))
    from_server = run_json(tmp_path, url, "--utc-offset", "0")
    from_file = run_json(tmp_path, tmp_path / "coach.db", "--utc-offset", "0")
    assert from_server == from_file
    assert [d["adherence"] for d in from_server["days"]] == [55.6, 50.0, 50.0]


def many_records(count, boot=1):
    return [
        {"seq": seq, "event": "prompt", "boot": boot, "t": 1795392000 + 60 * seq, "hour": seq % 24, "snoozes": 0}
        for seq in range(1, count + 1)
    ]


def test_concurrent_writers_killed_mid_way_lose_and_duplicate_nothing(tmp_path, postgres_server):
    url = postgres_server.database("concurrent")
    devices = {f"c0ffee00000{n}": many_records(600 + 100 * n) for n in range(3)}
    for device, records in devices.items():
        (tmp_path / f"{device}.json").write_text(json.dumps(records))
    rng = random.Random(20)
    # Three computers for each device's journal, all at once; most are killed after a random
    # number of their batches have been committed.
    writers = []
    for round_ in range(3):
        for device in devices:
            command = [sys.executable, "-c", WRITER, url, device, "j1", str(tmp_path / f"{device}.json"), str(round_)]
            writer = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
            writers.append((writer, rng.choice([None, 1, 3, 8])))
    for writer, kill_after in writers:
        if kill_after is not None:
            for _ in range(kill_after):
                if not writer.stdout.readline():
                    break
            writer.send_signal(signal.SIGKILL)
        writer.communicate(timeout=300)
    assert any(kill is not None for _, kill in writers) and any(kill is None for _, kill in writers)
    # Then one more sync of each, left alone, as the next sync at the front desk would.
    store = Store(url)
    for device, records in devices.items():
        store.add(device, "j1", records)
    held = list(store.records())
    store.close()
    for device, records in devices.items():
        mine = [r for r in held if r["device"] == device]
        assert [r["seq"] for r in mine] == [r["seq"] for r in records]
        assert [{k: r[k] for k in records[0]} for r in mine] == records


def test_a_layout_from_a_newer_anklepump_is_refused(postgres_server):
    import psycopg

    url = postgres_server.database("newer")
    Store(url).close()
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("UPDATE anklepump_schema SET version = 99")
    with pytest.raises(StoreError, match="layout 99, written by a newer anklepump: update anklepump"):
        Store(url)
    done = anklepump("report", "--db", url)
    assert done.returncode == 1
    assert done.stderr == (
        f"anklepump: the database {url} is layout 99, written by a newer anklepump: update anklepump\n"
    )


def test_an_unreachable_server_or_a_missing_database_is_one_line(postgres_server):
    for url in (
        f"postgresql://postgres@127.0.0.1:{postgres_server.port}/no_such_database",
        "postgresql://postgres:secret@127.0.0.1:1/anklepump",
    ):
        done = anklepump("journal", "dump", "--db", url)
        assert done.returncode == 1
        shown = url.replace(":secret", "")
        assert done.stderr.startswith(f"anklepump: cannot reach the database {shown}: "), done.stderr
        assert done.stderr.count("\n") == 1 and "secret" not in done.stderr
