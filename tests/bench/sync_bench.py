"""`make bench-sync`: sync 90 days of journal records from the simulated board over a serial
line throttled to 115200 baud (a USB-UART bridge's usual rate), and print the rates."""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BAUD = 115200
DAYS = 90
sys.path.insert(0, str(ROOT / "device"))
sys.path.insert(0, str(ROOT / "tests"))

from anklepump.sim import image  # noqa: E402
from core.journal_codec import SIZE, code_of, fields  # noqa: E402
from journal import FOLDER  # noqa: E402
from journal_read import read_records  # noqa: E402
from simrun import ANKLEPUMP, headless, serial_port, set_up_before, write_journal  # noqa: E402


def one_day(tmp: Path) -> list[tuple]:
    """The coach's records for a day of hourly use, from the firmware on the simulator."""
    state = set_up_before(tmp / "day")
    script = tmp / "day.txt"
    script.write_text("".join("%02d:00:03 press\n" % h for h in range(7, 22)))
    subprocess.run(
        headless(state, "--start", "2026-11-24T00:00:00", "--for", "24h", "--script", str(script)), check=True
    )
    with image.extracted(state, FOLDER) as folder:
        records, _ = read_records(str(folder))
    return [(r["event"], *(r[f] for f, _ in fields(code_of(r["event"])))) for r in records]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        day = one_day(tmp)
        state = set_up_before(tmp / "flash")
        step = 86400 // len(day)
        records = write_journal(
            state, ((1795478400 + (d * len(day) + i) * step, r) for d in range(DAYS) for i, r in enumerate(day))
        )
        sim = subprocess.Popen(
            [
                ANKLEPUMP,
                "sim",
                "--serial",
                "--baud",
                str(BAUD),
                "--state",
                str(state),
                "--start",
                "2027-02-22T08:00:00",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            port = serial_port(sim)
            started = time.monotonic()
            subprocess.run(
                [ANKLEPUMP, "sync", "--quiet", "--port", port, "--db", str(tmp / "db")],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            seconds = time.monotonic() - started
        finally:
            sim.terminate()
            sim.wait()
    payload = records * SIZE
    line = payload * 4 / 3 + payload / (16 * SIZE)  # base64 lines of 16 records
    line_rate = BAUD / 10
    print(
        f"sync-bench: {DAYS} days, {records} records ({len(day)} a day), {payload / 1024:.0f} KB, "
        f"in {seconds:.1f} s at {BAUD} baud"
    )
    print(f"sync-bench: records per second  {records / seconds:8.0f}")
    print(f"sync-bench: journal bytes/s     {payload / seconds:8.0f}")
    print(f"sync-bench: line bytes/s        {line / seconds:8.0f}  (base64 framing)")
    print(f"sync-bench: line rate           {line_rate:8.0f}  (the physical limit: {BAUD} baud, 10 bits a byte)")


if __name__ == "__main__":
    main()
