"""A front desk and a therapist's room syncing coaches into one PostgreSQL server at once:
the real firmware on simulated boards, the real `anklepump sync`, a real server; syncs killed
mid-way, then synced again: every record of every journal stored once."""

import json
import random
import signal
import subprocess
import time

from simrun import ANKLEPUMP
from test_sync import big_journal, fresh_state, serial_sim, sync


def dump(url):
    done = subprocess.run([ANKLEPUMP, "journal", "dump", "--db", url], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_coaches_synced_at_once_into_one_server_lose_and_duplicate_nothing(tmp_path, postgres_server):
    url = postgres_server.database("ward")
    states = []
    for n, count in enumerate((3000, 4000)):
        (tmp_path / str(n)).mkdir()
        states.append(fresh_state(tmp_path / str(n)))
        big_journal(states[-1], count)
    rng = random.Random(4)
    with (
        serial_sim(states[0], "--start", "2026-11-24T09:30:00") as one,
        serial_sim(states[1], "--start", "2026-11-24T09:30:00") as two,
    ):
        for _ in range(2):
            syncing = [
                subprocess.Popen(
                    [ANKLEPUMP, "sync", "--port", port, "--db", url],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for port in (one, two)
            ]
            time.sleep(rng.uniform(0.5, 3.0))
            syncing[rng.randrange(2)].send_signal(signal.SIGKILL)
            for process in syncing:
                process.wait(timeout=300)
        for port in (one, two):
            code, _, err = sync(port, url)
            assert code == 0, err
    stored = dump(url)
    prompts = []
    for journal in {r["journal"] for r in stored}:
        mine = [r for r in stored if r["journal"] == journal]
        assert [r["seq"] for r in mine] == list(range(1, len(mine) + 1))
        prompts.append(sum(1 for r in mine if r["event"] == "prompt"))
    assert sorted(prompts) == [3000, 4000]
