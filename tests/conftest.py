import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# Device tests import firmware modules the way the board does (device/ is the flash root),
# and share helpers that must also run under MicroPython, so they live beside the tests.
sys.path.insert(0, str(TESTS.parent / "device"))
sys.path.insert(0, str(TESTS / "device"))
