"""The coach's wiring, read from the firmware's own device/board/config.py.

The firmware's board config is the one source for pin numbers: the diagrams, the README's
pin table and the Wokwi diagram are generated from what this module reads there, and
tests/hardware checks all of them against it. The file is parsed rather than imported
because it imports MicroPython's `const` through the firmware's compat layer.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOARD_CONFIG = ROOT / "device" / "board" / "config.py"


def board_config(path: Path = BOARD_CONFIG) -> dict[str, int]:
    """Every `NAME = const(number)` (or a plain number) at the top of the config file."""
    values = {}
    for node in ast.parse(path.read_text()).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            continue
        value = node.value
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "const":
            value = value.args[0]
        if isinstance(value, ast.Constant) and isinstance(value.value, int):
            values[node.targets[0].id] = value.value
    return values


@dataclass(frozen=True)
class Signal:
    """One GPIO the firmware drives or reads, and where it goes."""

    name: str  # the constant in device/board/config.py
    gpio: int
    to: str  # the parts' pins it connects to
    colour: str  # the wire colour used in the wiring diagram and in Wokwi
    note: str


def signals(config: dict[str, int] | None = None) -> list[Signal]:
    """The four GPIOs of the coach, in the order the README's table lists them."""
    c = board_config() if config is None else config
    return [
        Signal(
            "SDA",
            c["SDA"],
            "OLED SDA, RTC SDA",
            "blue",
            "I2C data; OLED at 0x%02X, RTC at 0x%02X" % (c["OLED_ADDR"], c["DS3231_ADDR"]),
        ),
        Signal("SCL", c["SCL"], "OLED SCL, RTC SCL", "gold", "I2C clock, %d kHz" % (c["I2C_FREQ"] // 1000)),
        Signal(
            "BUTTON",
            c["BUTTON"],
            "push button, leg 1",
            "green",
            "leg 2 to GND; the ESP32's internal pull-up is used, no resistor",
        ),
        Signal(
            "BUZZER",
            c["BUZZER"],
            "100 Ω resistor, then piezo +",
            "orange",
            "piezo \u2212 to GND; a passive piezo, driven by PWM",
        ),
    ]


CIRCUITPYTHON_CONFIG = ROOT / "device" / "circuitpython" / "config.py"


def circuitpython_config(path: Path = CIRCUITPYTHON_CONFIG) -> dict[str, str | int]:
    """The CircuitPython build's pins (`NAME = board.PIN`, as the pin's name) and numbers."""
    values: dict[str, str | int] = {}
    for node in ast.parse(path.read_text()).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            continue
        value = node.value
        if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id == "board":
            values[node.targets[0].id] = value.attr
        elif (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id == "const"
            and isinstance(value.args[0], ast.Constant)
            and isinstance(value.args[0].value, int)
        ):
            values[node.targets[0].id] = value.args[0].value
    return values


def circuitpython_signals(config: dict[str, str | int] | None = None) -> list[tuple[str, str, str, str]]:
    """(config name, the Feather's pin label, goes to, notes) for the CircuitPython build."""
    c = circuitpython_config() if config is None else config
    return [
        (
            "SDA",
            "STEMMA QT (%s)" % c["SDA"],
            "OLED, RTC",
            "the STEMMA QT cable; OLED at 0x%02X, RTC at 0x68" % c["OLED_ADDR"],
        ),
        ("SCL", "STEMMA QT (%s)" % c["SCL"], "OLED, RTC", "the same cable; %d kHz" % (int(c["I2C_FREQ"]) // 1000)),
        ("BUTTON", str(c["BUTTON"]), "push button, leg 1", "leg 2 to GND; the internal pull-up is used, no resistor"),
        ("BUZZER", str(c["BUZZER"]), "100 Ω resistor, then piezo +", "piezo \u2212 to GND; a passive piezo, on PWM"),
    ]
