"""Running `anklepump sim` from tests and benchmarks."""

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
