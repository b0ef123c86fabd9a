"""The clinic's store: 50 devices x 90 days of journal records stored, as 50 syncs at a front
desk, into SQLite and into a PostgreSQL server (a throw-away one, tests/pgserver.py); then the
report for the whole list (every device's days summarised) from each.

Each day of each device: a boot, 15 hourly prompts, 13 answered by a complete session, 2
missed, a pain score: 45 records a day, 202,500 in all."""

import json
import sys
import tempfile
import time
from itertools import groupby
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from anklepump.report.summary import Zone, summarise
from anklepump.store.database import Store

DEVICES, DAYS = 50, 90
MONDAY = 1795392000  # 2026-11-23T00:00:00Z


def journal(days: int) -> list[dict]:
    records = []

    def log(event, t, **fields):
        records.append({"seq": len(records) + 1, "event": event, "boot": 1, "t": t, **fields})

    for day in range(days):
        midnight = MONDAY + day * 86400
        log("boot", midnight + 6 * 3600)
        for hour in range(7, 22):
            t = midnight + hour * 3600
            log("prompt", t, hour=hour, snoozes=0)
            if hour in (12, 18):
                log("missed", t + 1800, hour=hour, snoozes=0)
                continue
            log("session_start", t + 5, reason="prompt", latency_s=5, snoozes=0, minutes=5)
            log("session_end", t + 305, result="complete", seconds=300, reps=12)
        log("pain", midnight + 20 * 3600, score=day % 6)
    return records


def measure(location) -> dict:
    """Records/s stored, and the seconds the whole list's report takes (wall clock: the server
    is another process), with the CPU seconds of this one beside them."""
    records = journal(DAYS)
    store = Store(location)
    start = time.perf_counter()
    for n in range(DEVICES):
        store.add(f"c0ffee{n:06x}", "journal1", records)
    stored = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    zone = Zone(0)
    for _, device_records in groupby(store.records(), key=lambda r: r["device"]):
        summarise(list(device_records), zone)
    store.close()
    return {
        "records_per_s": round(DEVICES * len(records) / stored),
        "report_s": round(time.perf_counter() - start, 2),
        "report_cpu_s": round(time.process_time() - cpu, 2),
        "records": DEVICES * len(records),
    }


def main() -> None:
    import pgserver

    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        figures["sqlite"] = measure(Path(tmp) / "clinic.db")
    try:
        server = pgserver.start()
    except pgserver.NoServer as exc:
        figures["postgresql_missing"] = str(exc)
    else:
        try:
            figures["postgresql"] = measure(server.database("clinic"))
        finally:
            server.stop()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
