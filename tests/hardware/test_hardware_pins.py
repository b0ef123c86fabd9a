"""The pins in the diagrams' input, the README's table and the Wokwi diagram are the firmware's.

device/board/config.py is the one source; `make diagrams` regenerates the rest from it.
Each check reads its file on its own terms, so a hand edit there is caught too.
"""

import json
import re
from pathlib import Path

import diagrams
import pytest
from pins import BOARD_CONFIG, board_config, signals

HARDWARE = Path(diagrams.__file__).resolve().parent
NAMES = ("SDA", "SCL", "BUTTON", "BUZZER")


def config_pins(text: str) -> dict[str, int]:
    """The config's pins by a plain reading of its lines, independent of pins.py's parser."""
    found = dict(re.findall(r"^(\w+) = const\((\d+)\)", text, re.M))
    return {name: int(found[name]) for name in NAMES}


def readme_pins(text: str) -> dict[str, int]:
    """The pin table's rows: | `NAME` | GPIO n | ..."""
    return {name: int(gpio) for name, gpio in re.findall(r"^\| `(\w+)` \| GPIO (\d+) \|", text, re.M)}


def wokwi_pins(diagram: dict) -> dict[str, int]:
    """Which ESP32 pin each part's pin is wired to, as the firmware names them."""
    wired = {}
    for a, b, *_ in diagram["connections"]:
        for mine, other in ((a, b), (b, a)):
            if mine.startswith("esp:") and mine[4:].isdigit():
                wired.setdefault(other, set()).add(int(mine[4:]))
    # The buzzer's resistor: whatever it connects to on the ESP32 side drives the piezo.
    pins = {}
    for name, ends in (("SDA", ("oled:SDA", "rtc:SDA")), ("SCL", ("oled:SCL", "rtc:SCL"))):
        found = set().union(*(wired.get(end, set()) for end in ends))
        assert len(found) == 1, "%s goes to %s in diagram.json" % (name, found)
        pins[name] = found.pop()
    (pins["BUTTON"],) = wired["btn:1.r"]
    (pins["BUZZER"],) = wired["r1:2"]
    assert ["r1:1", "bz:2"] in [c[:2] for c in diagram["connections"]], "the resistor must lead to the piezo's +"
    return pins


@pytest.fixture(scope="module")
def config():
    return config_pins(BOARD_CONFIG.read_text())


def test_the_parser_reads_the_config_as_the_firmware_does(config):
    values = board_config()
    assert {name: values[name] for name in NAMES} == config
    assert values["OLED_ADDR"] == 0x3C and values["DS3231_ADDR"] == 0x68


def test_the_diagrams_input_is_the_config(config):
    assert {s.name: s.gpio for s in signals()} == config


def test_the_readme_pin_table_is_the_config(config):
    assert readme_pins((HARDWARE / "README.md").read_text()) == config


def test_the_wokwi_diagram_is_the_config(config):
    diagram = json.loads((HARDWARE / "wokwi" / "diagram.json").read_text())
    assert wokwi_pins(diagram) == config
    oled = next(p for p in diagram["parts"] if p["id"] == "oled")
    assert int(oled["attrs"]["i2cAddress"], 16) == board_config()["OLED_ADDR"]


def test_the_pictures_show_the_configs_pins(config):
    wiring = (HARDWARE / "images" / "wiring.svg").read_text()
    schematic = (HARDWARE / "images" / "schematic.svg").read_text()
    for name, gpio in config.items():
        assert "GPIO %d" % gpio in wiring, name
        assert "GPIO%d (%s)" % (gpio, name) in schematic, name
    for stem in ("wiring", "schematic"):
        assert (HARDWARE / "images" / (stem + ".png")).stat().st_size > 10_000


def test_the_generated_files_are_up_to_date():
    """What `make diagrams` would write now is what is in the repository."""
    on_disk = json.loads((HARDWARE / "wokwi" / "diagram.json").read_text())
    assert on_disk == diagrams.wokwi_diagram(), "run make diagrams"
    assert diagrams.pin_table() in (HARDWARE / "README.md").read_text(), "run make diagrams"


def test_a_changed_pin_is_caught(tmp_path, config):
    """Move the buzzer in a copy of the config: the checks above then see a difference."""
    moved = tmp_path / "config.py"
    moved.write_text(BOARD_CONFIG.read_text().replace("BUZZER = const(%d)" % config["BUZZER"], "BUZZER = const(26)"))
    assert config_pins(moved.read_text())["BUZZER"] == 26
    assert {s.name: s.gpio for s in signals(board_config(moved))} != config
    assert readme_pins((HARDWARE / "README.md").read_text()) != config_pins(moved.read_text())


def test_a_pin_off_the_header_is_refused():
    with pytest.raises(SystemExit, match="not on a DevKitC header"):
        diagrams.header_anchor("L", "20")


def test_the_drawings_build():
    """Both drawings lay out without error (saving them is `make diagrams`' job)."""
    for drawing in (diagrams.wiring_diagram(), diagrams.schematic()):
        drawing.draw(show=False)


def test_the_circuitpython_builds_pin_table_is_its_config():
    from pins import CIRCUITPYTHON_CONFIG, circuitpython_config

    text = CIRCUITPYTHON_CONFIG.read_text()
    named = dict(re.findall(r"^(SDA|SCL|BUTTON|BUZZER) = board\.(\w+)", text, re.M))
    assert {k: v for k, v in circuitpython_config().items() if k in NAMES} == named
    readme = (HARDWARE / "README.md").read_text()
    assert diagrams.circuitpython_pin_table() in readme, "run make diagrams"
    rows = dict(re.findall(r"^\| `(BUTTON|BUZZER)` \| (\w+) \|", readme.split(diagrams.CP_TABLE_START)[1], re.M))
    assert rows == {"BUTTON": named["BUTTON"], "BUZZER": named["BUZZER"]}
