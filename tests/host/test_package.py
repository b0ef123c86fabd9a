"""device/package.json lets `mpremote mip install --target / ...` put the firmware on a board:
it must list every firmware file, the Chinese glyphs too (the simulator's board and flash stay on the PC,
and the CircuitPython build's files go to CircuitPython boards alone)."""

import json
from pathlib import Path

DEVICE = Path(__file__).resolve().parents[2] / "device"


def test_package_json_lists_every_firmware_file():
    package = json.loads((DEVICE / "package.json").read_text())
    listed = sorted(dest for dest, _ in package["urls"])
    assert all(dest == src for dest, src in package["urls"])
    on_disk = sorted(
        str(p.relative_to(DEVICE))
        for p in DEVICE.rglob("*")
        if p.suffix in (".py", ".bin")
        and p.name not in ("sim.py", "virtual.py", "vflash.py")
        and p.relative_to(DEVICE).parts[0] != "circuitpython"
    )
    assert listed == on_disk, "run `make package-json`"
    assert "main.py" in listed and "board/esp32.py" in listed and "ui/zh.bin" in listed
