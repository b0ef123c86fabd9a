"""Running `anklepump sim` from tests and benchmarks."""

import os
import sys
from pathlib import Path

ANKLEPUMP = str(Path(sys.executable).parent / "anklepump")


def headless(state, *args):
    """The command for the firmware on `state`, headless, as fast as it goes."""
    return [ANKLEPUMP, "sim", "--headless", "--speed", "max", "--state", str(state), *args]


def set_up_before(state: Path) -> Path:
    """A flash folder of a device that was set up before: no first-start notice to dismiss."""
    state.mkdir(exist_ok=True)
    if not (state / "state.json").exists():
        (state / "state.json").write_text('{"boots": 0, "first_day": null}')
    return state


def write_journal(state: Path, timed_records) -> int:
    """Write (Unix seconds, coach record) pairs into the journal of `state` with the firmware's
    own journal code (device/ must be importable); returns the records written."""
    from core.clock import EPOCH
    from core.coach import Now
    from journal import Journal

    home = os.getcwd()
    os.chdir(state)
    try:
        journal = Journal(1)
        now = Now(0, 0, 0, True)
        for t, record in timed_records:
            now.t = t - EPOCH  # Unix seconds, as the board's clock counts them
            journal.append(record, now)
        return journal.seq - 1
    finally:
        os.chdir(home)
