"""Running `anklepump sim` from tests and benchmarks."""

import os
import select
import sys
from pathlib import Path

ANKLEPUMP = str(Path(sys.executable).parent / "anklepump")


def serial_port(sim) -> str:
    """The pseudo-terminal `anklepump sim --serial` names once the coach is up. 300 s is only a
    hang guard: a simulator that never comes up fails the test instead of hanging it."""
    ready, _, _ = select.select([sim.stdout], [], [], 300)
    line = sim.stdout.readline() if ready else ""
    assert line.startswith("serial: /dev/pts/"), line or "the simulator named no port in 300 s"
    return line.split()[1]


def headless(state, *args):
    """The command for the firmware on `state`, headless, as fast as it goes."""
    return [ANKLEPUMP, "sim", "--headless", "--speed", "max", "--state", str(state), *args]


def set_up_before(state: Path) -> Path:
    """A state folder of a device that was set up before: no first-start notice to dismiss.
    The state.json left in the folder goes onto the flash image at the next run."""
    state.mkdir(exist_ok=True)
    if not (state / "state.json").exists() and flash_read(state, "state.json") is None:
        (state / "state.json").write_text('{"boots": 0, "first_day": null}')
    return state


def flash_read(state: Path, name: str) -> bytes | None:
    """A file on the simulated flash in `state` (None: no such file, or no flash yet)."""
    from anklepump.sim import image

    if not image.image_path(state).exists():
        return None
    return image.read_file(state, name)


def flash_write(state: Path, name: str, data: bytes) -> None:
    """A file onto the simulated flash in `state` (made if there is none), while no board runs on it."""
    from anklepump.sim import image

    with image.changed(state) as flash:
        flash.write(name, data)


def flash_files(state: Path) -> dict[str, bytes]:
    from anklepump.sim import image

    return image.open_image(state).files()


def write_journal(state: Path, timed_records) -> int:
    """Write (Unix seconds, coach record) pairs into the journal of `state` with the firmware's
    own journal code (device/ must be importable); returns the records written."""
    from core.clock import EPOCH
    from core.coach import Now
    from journal import Journal
    from journal_open import open_journal

    home = os.getcwd()
    os.chdir(state)
    try:
        journal = open_journal(Journal(1))
        now = Now(0, 0, 0, True)
        for t, record in timed_records:
            now.t = t - EPOCH  # Unix seconds, as the board's clock counts them
            journal.append(record, now)
        return journal.seq - 1
    finally:
        os.chdir(home)
