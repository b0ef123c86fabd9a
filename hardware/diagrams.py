"""Draws the wiring diagram and the schematic, writes the Wokwi diagram and the README's pin table.

Every pin number comes from the firmware's device/board/config.py (through pins.py), so
changing a pin there and running `make diagrams` updates all of them; tests/hardware fails
until that is done.

    python hardware/diagrams.py          # writes hardware/images/, hardware/wokwi/, the README table
"""

import itertools
import json
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on CI
import schemdraw  # after the backend is chosen
import schemdraw.elements as elm

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pins import board_config, circuitpython_signals, signals

HERE = Path(__file__).resolve().parent
IMAGES = HERE / "images"
WOKWI = HERE / "wokwi"
README = HERE / "README.md"

# SVG text stays text, so the pictures can be searched (and tests can read the pin numbers).
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["svg.hashsalt"] = "ankle-pump-coach"  # the same SVG ids on every run

# ESP32-DevKitC V4 headers, top view with the USB socket at the bottom, top pin first: the
# wiring diagram shows the board as the maker holds it, so every wire lands on the real pin.
DEVKITC_LEFT = ["3V3", "EN", "VP", "VN", "34", "35", "32", "33", "25", "26", "27", "14", "12", "GND", "13", "D2"]
DEVKITC_LEFT += ["D3", "CMD", "5V"]
DEVKITC_RIGHT = ["GND", "23", "22", "TX", "RX", "21", "GND", "19", "18", "5", "17", "16", "4", "0", "2", "15", "D1"]
DEVKITC_RIGHT += ["D0", "CLK"]

POWER, GROUND = "red", "black"
PITCH = 0.7  # between header pins, in drawing units
SCH_PITCH = 1.2  # between schematic pins: the same on every part, so the bus lines run straight


def header_anchor(side: str, label: str) -> str:
    """The Ic anchor of the first header pin with this silk label ('GND' occurs more than once)."""
    names = DEVKITC_LEFT if side == "L" else DEVKITC_RIGHT
    if label not in names:
        raise SystemExit("GPIO %s is not on a DevKitC header: pick another pin in device/board/config.py" % label)
    return "%s%d" % (side, names.index(label))


def devkitc(used: dict[str, str]) -> elm.Ic:
    """The board with both headers; pins in `used` (anchor -> colour) drawn in their wire's colour."""
    pins = []
    for side, names in (("L", DEVKITC_LEFT), ("R", DEVKITC_RIGHT)):
        # schemdraw stacks left and right pins from the bottom up.
        for i, name in reversed(list(enumerate(names))):
            anchor = "%s%d" % (side, i)
            pins.append(elm.IcPin(name=name, side=side, anchorname=anchor, color=used.get(anchor)))
    return elm.Ic(pins=pins, pinspacing=PITCH, edgepadH=0.6, w=3.6, lsize=12, fill="#e8eef5").label(
        "ESP32-DevKitC (WROOM-32)\ntop view", fontsize=12, loc="bottom", ofst=1.3
    )


def module(name: str, pin_names: list[str], dashed: bool = False) -> elm.Ic:
    """A breakout board drawn as a box with its header pins on the left, top pin first."""
    pins = [elm.IcPin(name=p, side="L", anchorname=p) for p in reversed(pin_names)]
    box = elm.Ic(pins=pins, pinspacing=PITCH, edgepadH=0.4, w=2.0, fill="#f4f4f4")
    if dashed:
        box = box.linestyle("--")
    return box.label(name, fontsize=11, loc="right", ofst=0.3, halign="left")


def wire(d: schemdraw.Drawing, points, colour: str, width: float = 2.5) -> None:
    """A wire through the given points, one straight segment after another."""
    for a, b in itertools.pairwise(points):
        d.add(elm.Line().at(a).to(b).color(colour).linewidth(width))


def wiring_diagram() -> schemdraw.Drawing:
    c = board_config()
    sig = {s.name: s for s in signals(c)}
    a = {name: header_anchor(side, str(sig[name].gpio)) for name, side in (("SDA", "R"), ("SCL", "R"))}
    a.update({name: header_anchor("L", str(sig[name].gpio)) for name in ("BUTTON", "BUZZER")})
    gnd_l, gnd_r, vcc = header_anchor("L", "GND"), header_anchor("R", "GND"), header_anchor("L", "3V3")
    used = {a[n]: sig[n].colour for n in a} | {gnd_l: GROUND, gnd_r: GROUND, vcc: POWER}

    d = schemdraw.Drawing(show=False, fontsize=11)
    esp = d.add(devkitc(used))
    p = {k: esp.absanchors[v] for k, v in a.items()}
    # The USB socket, so the maker can tell which way up the board goes.
    bottom = esp.absanchors["L%d" % (len(DEVKITC_LEFT) - 1)]
    usb_x = (bottom.x + esp.absanchors["R%d" % (len(DEVKITC_RIGHT) - 1)].x) / 2
    d.add(elm.Rect(corner1=(usb_x - 0.6, bottom.y - 1.3), corner2=(usb_x + 0.6, bottom.y - 0.6), fill="#bbbbbb"))
    d.add(elm.Label().at((usb_x, bottom.y - 0.95)).label("USB", fontsize=9))
    top = esp.absanchors[vcc].y + 1.4
    left, right = esp.absanchors[vcc].x, esp.absanchors[gnd_r].x

    # Right: the I2C bus, one column per signal, to the OLED and the optional RTC below it.
    cols = {"GND": right + 3.0, "3V3": right + 3.8, "SCL": right + 4.6, "SDA": right + 5.4}
    # Each module is placed by a pin, so its GND lines up with the board's GND row.
    oled = module('0.96" OLED\nSSD1306 128\u00d764\nI2C 0x%02X' % c["OLED_ADDR"], ["GND", "VCC", "SCL", "SDA"])
    oled = d.add(oled.anchor("GND").at((right + 8.0, esp.absanchors[gnd_r].y)))
    rtc = module("DS3231 RTC\n(optional)\nI2C 0x%02X" % c["DS3231_ADDR"], ["SCL", "SDA", "VCC", "GND"], dashed=True)
    rtc = d.add(rtc.anchor("SCL").at((right + 8.0, oled.absanchors["SDA"].y - 3.0)))
    colours = {"GND": GROUND, "3V3": POWER, "SCL": sig["SCL"].colour, "SDA": sig["SDA"].colour}
    for name, start in (("GND", esp.absanchors[gnd_r]), ("SCL", p["SCL"]), ("SDA", p["SDA"])):
        wire(d, [start, (cols[name], start.y)], colours[name])
    # 3V3 comes from the left header: over the top of the board.
    v = esp.absanchors[vcc]
    wire(d, [v, (left - 0.8, v.y), (left - 0.8, top), (cols["3V3"], top)], POWER)
    starts = {"GND": esp.absanchors[gnd_r].y, "3V3": top, "SCL": p["SCL"].y, "SDA": p["SDA"].y}
    for mod in (oled, rtc):
        for pin in ("GND", "VCC", "SCL", "SDA"):
            net = "3V3" if pin == "VCC" else pin
            end = mod.absanchors[pin]
            wire(d, [(cols[net], end.y), end], colours[net])
            d.add(elm.Dot(radius=0.09).at((cols[net], end.y)).color(colours[net]))
    for net, x in cols.items():
        pin = "VCC" if net == "3V3" else net
        ys = [starts[net]] + [mod.absanchors[pin].y for mod in (oled, rtc)]
        wire(d, [(x, max(ys)), (x, min(ys))], colours[net])

    # Left: the buzzer behind its resistor and the button, each row ending on a ground rail.
    rail = left - 10.5
    for name in ("BUZZER", "BUTTON"):
        s, start = sig[name], p[name]
        d.add(elm.Line().at(start).left(2.2).color(s.colour).linewidth(2.5))
        if name == "BUZZER":
            d.add(elm.Resistor().left(2.6).color(s.colour).label("100 Ω", loc="top"))
            d.add(elm.Line().left(0.4).color(s.colour).linewidth(2.5))
            d.add(
                elm.Crystal()
                .left(2.4)
                .label("\u2212        +", loc="top", fontsize=10)
                .label("piezo buzzer", loc="bottom")
            )
        else:
            d.add(elm.Line().left(3.0).color(s.colour).linewidth(2.5))
            d.add(elm.Button().left(2.4).label("push button\n(≥ 16 mm)", loc="bottom"))
        here = d.here
        wire(d, [here, (rail, here.y)], GROUND)
        d.add(elm.Dot(radius=0.09).at((rail, here.y)))
        d.add(elm.Label().at((start.x - 1.1, start.y + 0.3)).label("GPIO %d" % s.gpio, halign="center"))
    g = esp.absanchors[gnd_l]
    wire(d, [(rail, p["BUZZER"].y), (rail, g.y), g], GROUND)
    for name in ("SDA", "SCL"):
        s = sig[name]
        d.add(elm.Label().at((p[name].x + 0.9, p[name].y + 0.3)).label("GPIO %d %s" % (s.gpio, name), halign="left"))
    title = "Ankle Pump Coach: wiring (pins from device/board/config.py)"
    d.add(elm.Label().at((rail, top + 1.6)).label(title, halign="left", fontsize=15))
    legend = "wires:  %s 3V3   %s GND   " % (POWER, GROUND) + "   ".join(
        "%s %s" % (s.colour, s.name) for s in sig.values()
    )
    d.add(elm.Label().at((rail, esp.absanchors["L%d" % (len(DEVKITC_LEFT) - 1)].y - 3.2)).label(legend, halign="left"))
    return d


def i2c_part(ref: str, name: str) -> elm.Ic:
    """An I2C breakout as a schematic block: bus on the left, supply on top, ground below."""
    pins = [
        elm.IcPin(name="SCL", side="L", anchorname="SCL"),
        elm.IcPin(name="SDA", side="L", anchorname="SDA"),
        elm.IcPin(name="VCC", side="T", anchorname="VCC"),
        elm.IcPin(name="GND", side="B", anchorname="GND"),
    ]
    # theta(0): an element otherwise takes the direction of the one drawn before it.
    return (
        elm.Ic(pins=pins, pinspacing=SCH_PITCH, edgepadH=1.0, w=2.6, plblsize=10)
        .theta(0)
        .label("%s\n%s" % (ref, name), loc="right", ofst=0.3, halign="left", fontsize=11)
    )


def supply(d: schemdraw.Drawing, at, up: bool = True) -> None:
    """A 3V3 rail symbol (up) or a ground symbol (down) on a short lead."""
    d.add(elm.Line().at(at).length(0.5).up() if up else elm.Line().at(at).length(0.5).down())
    d.add(elm.Vdd().label("3V3") if up else elm.Ground())


def two_terminal_down(d: schemdraw.Drawing, part: elm.Element, text: str, side: str) -> None:
    """A part drawn downwards to ground, its designator and value beside it ("left" or "right")."""
    placed = d.add(part.down(2.4))
    mid = placed.absanchors["center"]
    x, align = (mid.x - 0.6, "right") if side == "left" else (mid.x + 0.7, "left")
    d.add(elm.Label().at((x, mid.y)).label(text, halign=align, fontsize=10.5))
    d.add(elm.Ground())


def schematic() -> schemdraw.Drawing:
    c = board_config()
    sig = {s.name: s for s in signals(c)}
    d = schemdraw.Drawing(show=False, fontsize=11)
    # Only the pins the coach uses; the firmware's names beside the GPIO numbers.
    pins = [
        elm.IcPin(name="GPIO%d (BUTTON)" % sig["BUTTON"].gpio, side="L", anchorname="BUTTON"),
        elm.IcPin(name="GPIO%d (BUZZER)" % sig["BUZZER"].gpio, side="L", anchorname="BUZZER"),
        elm.IcPin(name="GPIO%d (SCL)" % sig["SCL"].gpio, side="R", anchorname="SCL"),
        elm.IcPin(name="GPIO%d (SDA)" % sig["SDA"].gpio, side="R", anchorname="SDA"),
        elm.IcPin(name="3V3", side="T", anchorname="3V3"),
        elm.IcPin(name="GND", side="B", anchorname="GND"),
    ]
    ic = elm.Ic(pins=pins, pinspacing=SCH_PITCH, edgepadH=1.0, w=8, plblsize=11)
    esp = d.add(ic)
    corner = esp.absanchors["GND"]
    d.add(
        elm.Label()
        .at((corner.x - 0.5, corner.y - 0.7))
        .label("U1  ESP32-DevKitC, powered from USB 5 V", halign="right")
    )
    supply(d, esp.absanchors["3V3"])
    supply(d, esp.absanchors["GND"], up=False)

    # I2C: U2 (OLED) straight across, U3 (RTC) below it on the same two lines; the SDA
    # branch crosses SCL without a dot, which means no connection.
    sda, scl = esp.absanchors["SDA"], esp.absanchors["SCL"]
    oled = i2c_part("U2", "SSD1306 OLED\n128\u00d764, 0x%02X" % c["OLED_ADDR"])
    oled = d.add(oled.anchor("SDA").at((sda.x + 6, sda.y)))
    rtc = i2c_part("U3 (optional)", "DS3231 RTC, 0x%02X" % c["DS3231_ADDR"])
    rtc = d.add(rtc.anchor("SDA").at((sda.x + 6, sda.y - 7)))
    for part in (oled, rtc):
        supply(d, part.absanchors["VCC"])
        supply(d, part.absanchors["GND"], up=False)
    for net, start, x in (("SDA", sda, sda.x + 3.6), ("SCL", scl, sda.x + 2.4)):
        d.add(elm.Line().at(start).to(oled.absanchors[net]))
        d.add(elm.Dot().at((x, start.y)))
        wire(d, [(x, start.y), (x, rtc.absanchors[net].y), rtc.absanchors[net]], "black", width=2)
        d.add(elm.Label().at((start.x + 1.0, start.y + 0.3)).label(net))

    # Left: the buzzer through its resistor, and the button, both to ground.
    d.add(elm.Line().at(esp.absanchors["BUZZER"]).left(1.0))
    d.add(elm.Resistor().left(3.0).label("R1  100 Ω", loc="top"))
    d.add(elm.Line().left(3.0))
    two_terminal_down(d, elm.Crystal(), "BZ1\npassive piezo\n+ to R1, \u2212 to GND", "left")
    d.add(elm.Line().at(esp.absanchors["BUTTON"]).left(5.0))
    text = "SW1  push button, ≥ 16 mm\nthe ESP32's internal pull-up:\npressed reads low"
    two_terminal_down(d, elm.Button(), text, "right")
    title = "Ankle Pump Coach: schematic (pins from device/board/config.py)"
    d.add(
        elm.Label()
        .at((esp.absanchors["BUZZER"].x - 10, esp.absanchors["3V3"].y + 2.6))
        .label(title, halign="left", fontsize=15)
    )
    return d


def wokwi_diagram() -> dict:
    """The same circuit for the Wokwi simulator (https://docs.wokwi.com/diagram-format)."""
    c = board_config()
    sig = {s.name: s for s in signals(c)}
    sda, scl = "esp:%d" % sig["SDA"].gpio, "esp:%d" % sig["SCL"].gpio
    parts = [
        ("board-esp32-devkit-c-v4", "esp", 0, 0, {}),
        ("board-ssd1306", "oled", -40, 160, {"i2cAddress": "0x%02x" % c["OLED_ADDR"]}),
        # Wokwi has no DS3231; its DS1307 answers at the same address with the same time registers.
        ("wokwi-ds1307", "rtc", 110, 170, {}),
        ("wokwi-resistor", "r1", 60, -170, {"value": "100"}),
        ("wokwi-buzzer", "bz", -40, -250, {"volume": "0.2"}),
        ("wokwi-pushbutton", "btn", 150, -220, {"color": "green", "label": "press"}),
    ]
    connections = [
        ["esp:TX", "$serialMonitor:RX", "", []],
        ["esp:RX", "$serialMonitor:TX", "", []],
        [sda, "oled:SDA", sig["SDA"].colour, []],
        [scl, "oled:SCL", sig["SCL"].colour, []],
        ["esp:3V3", "oled:VCC", POWER, []],
        ["esp:GND.2", "oled:GND", GROUND, []],
        [sda, "rtc:SDA", sig["SDA"].colour, []],
        [scl, "rtc:SCL", sig["SCL"].colour, []],
        ["esp:3V3", "rtc:5V", POWER, []],
        ["esp:GND.2", "rtc:GND", GROUND, []],
        ["esp:%d" % sig["BUZZER"].gpio, "r1:2", sig["BUZZER"].colour, []],
        ["r1:1", "bz:2", sig["BUZZER"].colour, []],
        ["bz:1", "esp:GND.1", GROUND, []],
        ["esp:%d" % sig["BUTTON"].gpio, "btn:1.r", sig["BUTTON"].colour, []],
        ["btn:2.r", "esp:GND.1", GROUND, []],
    ]
    return {
        "version": 1,
        "author": "Ankle Pump Coach (generated by hardware/diagrams.py from device/board/config.py)",
        "editor": "wokwi",
        "parts": [{"type": t, "id": i, "top": top, "left": left, "attrs": attrs} for t, i, top, left, attrs in parts],
        "connections": connections,
        "dependencies": {},
    }


TABLE_START, TABLE_END = "<!-- pin table: generated by hardware/diagrams.py -->", "<!-- end of pin table -->"


def pin_table() -> str:
    """The README's pin table, between its markers."""
    rows = ["| firmware name (config.py) | ESP32 pin | goes to | wire | notes |", "|---|---|---|---|---|"]
    for s in signals():
        rows.append("| `%s` | GPIO %d | %s | %s | %s |" % (s.name, s.gpio, s.to, s.colour, s.note))
    rows.append("| | 3V3 | OLED VCC, RTC VCC | red | 3.3 V from the board's regulator; never 5 V to the OLED |")
    rows.append("| | GND | OLED, RTC, button leg 2, piezo \u2212 | black | any GND pin of the board |")
    return "\n".join([TABLE_START, *rows, TABLE_END])


CP_TABLE_START = "<!-- CircuitPython pin table: generated by hardware/diagrams.py -->"
CP_TABLE_END = "<!-- end of CircuitPython pin table -->"


def circuitpython_pin_table() -> str:
    """The CircuitPython build's pin table, from device/circuitpython/config.py."""
    rows = ["| firmware name (config.py) | Feather ESP32-S3 pin | goes to | notes |", "|---|---|---|---|"]
    for name, pin, to, note in circuitpython_signals():
        rows.append("| `%s` | %s | %s | %s |" % (name, pin, to, note))
    rows.append("| | STEMMA QT (3V, GND) | OLED, RTC | power through the same cable |")
    rows.append("| | GND | button leg 2, piezo \u2212 | any GND pin of the Feather |")
    return "\n".join([CP_TABLE_START, *rows, CP_TABLE_END])


def write_pin_table(readme: Path = README) -> None:
    text = readme.read_text()
    for start, end, table in (
        (TABLE_START, TABLE_END, pin_table()),
        (CP_TABLE_START, CP_TABLE_END, circuitpython_pin_table()),
    ):
        pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
        if not pattern.search(text):
            raise SystemExit("%s has no pin table markers (%s ... %s)" % (readme, start, end))
        text = pattern.sub(lambda _, table=table: table, text)
    readme.write_text(text)


def save(d: schemdraw.Drawing, stem: str) -> None:
    """SVG for the web and PNG for everything else, white behind (READMEs have dark themes)."""
    fig = d.draw(show=False).getfig()
    IMAGES.mkdir(exist_ok=True)
    kw = {"bbox_inches": "tight", "pad_inches": 0.25, "facecolor": "white"}
    # No date in the SVG, so an unchanged drawing is an unchanged file.
    fig.savefig(IMAGES / (stem + ".svg"), metadata={"Date": None}, **kw)
    fig.savefig(IMAGES / (stem + ".png"), dpi=110, **kw)


if __name__ == "__main__":
    save(wiring_diagram(), "wiring")
    save(schematic(), "schematic")
    WOKWI.mkdir(exist_ok=True)
    (WOKWI / "diagram.json").write_text(json.dumps(wokwi_diagram(), indent=2, ensure_ascii=False) + "\n")
    write_pin_table()
