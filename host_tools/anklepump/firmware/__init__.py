"""The firmware on the host: where it lives, its pure core importable here (one source of truth),
and the commands that run that core: the session plan, a settings file checked."""

import sys
from pathlib import Path


class FirmwareNotFound(Exception):
    pass


def device_dir() -> Path:
    """The firmware folder (device/) of the checkout this package was installed from."""
    here = Path(__file__).resolve().parent
    candidate = here.parent.parent.parent / "device"
    if (candidate / "core" / "coach.py").is_file():
        return candidate
    raise FirmwareNotFound(f"firmware folder not found beside {here} (install with `pip install -e host_tools`)")


def load_core() -> None:
    """Make the firmware's core modules (`core.settings`, `core.plan`, ...) importable on the host."""
    path = str(device_dir())
    if path not in sys.path:
        sys.path.insert(0, path)
