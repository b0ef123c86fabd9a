"""The firmware's CircuitPython build on CPython, over fake CircuitPython modules (fakes/: the
buses, the buzzer's PWM, keypad, the RTC, the watchdog and a virtual clock) and the real Adafruit
libraries from .venv/circuitpython-lib. Run by test_circuitpython.py, one process a run, as the
fakes take the names `board` and `framebuf` that the MicroPython build's modules have on CPython:

    python harness.py screens OUT.json       every reviewed screen, drawn and sent to the OLED
    python harness.py day CONFIG.json OUT.json   a scripted run, in the current folder (the flash)
    python harness.py boot held|released OUT.json  boot.py, then code.py briefly
    python harness.py repl CODE UNIX         CODE at the REPL, in a new VM as CircuitPython's is,
                                             the RTC at Unix seconds UNIX
"""

import importlib.util
import json
import os
import runpy
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEVICE = ROOT / "device"
# ANKLEPUMP_DRIVE: a CIRCUITPY drive that `deploy --circuitpython --drive` wrote, run as the board
# runs it (its root, then lib/) instead of this checkout's device/.
DRIVE = os.environ.get("ANKLEPUMP_DRIVE")
if DRIVE:
    FIRMWARE = [DRIVE, DRIVE + "/lib"]
    ENTRY = Path(DRIVE)
else:
    FIRMWARE = [str(DEVICE / "circuitpython" / "lib"), str(Path(sys.prefix) / "circuitpython-lib"), str(DEVICE)]
    ENTRY = DEVICE / "circuitpython"
sys.path[:0] = [
    str(HERE / "fakes"),
    *FIRMWARE,
    str(Path(sys.prefix) / "circuitpython-host"),
    str(ROOT / "tests" / "device"),
]

import busio  # noqa: E402
import digitalio  # noqa: E402
import keypad  # noqa: E402
import microcontroller  # noqa: E402
import pwmio  # noqa: E402
import rtc  # noqa: E402
import storage  # noqa: E402
import vclock  # noqa: E402

time.sleep = vclock.sleep


def _virtual_board_module():
    """The MicroPython build's board/virtual.py, for its scripted finger: loaded from its file, as
    the name `board` is CircuitPython's here."""
    spec = importlib.util.spec_from_file_location("virtual_board", DEVICE / "board" / "virtual.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def screens(out):
    import test_screens
    from circuitpython.hardware import Board
    from ui import screens

    board = Board()
    oled = busio.last.devices[0x3C]
    drawn = {}
    for name, view, _ in test_screens.CASES:
        screens.draw(board.display, view)
        board.display.show()
        drawn[name] = oled.picture()
    # And in Chinese, its glyphs read from ui/zh.bin as on the board.
    test_screens.chinese()
    for name, view, _ in test_screens.CASES_ZH:
        screens.draw(board.display, view)
        board.display.show()
        drawn[name] = oled.picture()
    Path(out).write_text(json.dumps(drawn))


def day(config_path, out):
    config = json.loads(Path(config_path).read_text())
    # As boot.py leaves it when the button is not held (boot() runs the real one).
    storage.remount("/", readonly=False)
    if config.get("start_unix_ms") is not None:
        rtc.unix_at_zero = config["start_unix_ms"] // 1000
    if config.get("ds3231"):
        # Fitted, keeping this time (year, month, day, hour, minute, second, weekday) while the
        # chip's own RTC has lost it.
        busio.ds3231 = busio.DS3231()
        busio.ds3231.keep(*config["ds3231"])
    keypad.script[:] = _virtual_board_module().actions_to_edges(config.get("script", []))
    vclock.until_ms = config["for_ms"]
    restarts = 0
    try:
        while True:
            try:
                runpy.run_path(str(ENTRY / "code.py"), run_name="__main__")
                break
            except microcontroller.Restart:
                restarts += 1
    except SystemExit:
        pass
    Path(out).write_text(
        json.dumps(
            {
                "tones": [[ms, f, duty] for ms, f, duty in pwmio.changes],
                "restarts": restarts,
                "watchdog": [microcontroller.watchdog.timeout, microcontroller.watchdog.mode is not None],
                "ds3231": None if busio.ds3231 is None else list(busio.ds3231.time()),
            }
        )
    )


def boot(button, out):
    """A reset with the button held or not: boot.py, then code.py for a few seconds."""
    digitalio.held = button == "held"
    runpy.run_path(str(ENTRY / "boot.py"))
    vclock.until_ms = 3000
    try:
        runpy.run_path(str(ENTRY / "code.py"), run_name="__main__")
    except SystemExit:
        pass
    oled = busio.last.devices[0x3C]
    Path(out).write_text(
        json.dumps({"remounts": storage.remounts, "screen": oled.picture(), "on": oled.on, "files": os.listdir(".")})
    )


if __name__ == "__main__":
    if sys.argv[1] == "screens":
        screens(sys.argv[2])
    elif sys.argv[1] == "repl":
        storage.remount("/", readonly=False)
        rtc.unix_at_zero = int(sys.argv[3])
        exec(sys.argv[2], {})
    elif sys.argv[1] == "boot":
        boot(sys.argv[2], sys.argv[3])
    else:
        day(sys.argv[2], sys.argv[3])
