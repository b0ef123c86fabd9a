import importlib.util
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# Device tests import firmware modules the way the board does (device/ is the flash root),
# and share helpers that must also run under MicroPython, so they live beside the tests.
sys.path.insert(0, str(TESTS.parent / "device"))
sys.path.insert(0, str(TESTS / "device"))
sys.path.insert(0, str(TESTS))

if importlib.util.find_spec("framebuf") is None:
    # The screens are tested under MicroPython, which has the real framebuf.
    collect_ignore = ["device/test_screens.py"]
    # The SSD1306 driver's pixel layout needs the real framebuf too.
    collect_ignore.append("device/test_board_ssd1306.py")
    # So does the app on the simulated board, whose display is a framebuf.
    collect_ignore.append("device/test_app.py")
