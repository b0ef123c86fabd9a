"""`anklepump flash`: put MicroPython on a board with esptool, then offer to deploy the coach.

The image is checked before esptool touches the board: a wrong file erased first would
leave the patient's coach with nothing on it.
"""

import argparse
import os
import re
import struct
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

from ..words import plural
from .link import LinkError, add_port_option, coach_stopped, find_port

ESP_IMAGE_MAGIC = 0xE9
# The chip id sits in the image's extended header, which follows the 8-byte common header:
# wp_pin and three SPI drive bytes, then the id as a little-endian u16 (esptool's
# ESP32FirmwareImage.EXTENDED_HEADER_STRUCT_FMT).
CHIP_ID_OFFSET = 12
# An ESP-IDF application image starts its first segment (after the 24-byte image header and
# 8-byte segment header) with esp_app_desc_t, whose first word is this magic. A bootloader
# never does, so it tells the app-only .app-bin apart from the full .bin.
APP_DESC_OFFSET = 32
APP_DESC_MAGIC = 0xABCD5432
# MicroPython's full images are 1.5-2 MB; far outside this range it is some other file.
MIN_SIZE = 64 * 1024
MAX_SIZE = 4 * 1024 * 1024
DEFAULT_BAUD = 460800


class Chip(NamedTuple):
    name: str
    image_id: int
    offset: int


# image_id: esptool's IMAGE_CHIP_ID for each target. offset: a MicroPython .bin from
# micropython.org is a merged image (second-stage bootloader, partition table, app, with
# padding between), so it must start where the chip's ROM loads the bootloader from: 0x1000
# on the ESP32 and ESP32-S2, 0x0 on the S3 and C3 (esptool's BOOTLOADER_FLASH_OFFSET, and
# the flash_offset of MicroPython's board.json for these boards). Anywhere else the ROM finds
# no bootloader and the board does not boot.
CHIPS = {
    "esp32": Chip("ESP32", 0, 0x1000),
    "esp32s2": Chip("ESP32-S2", 2, 0x1000),
    "esp32s3": Chip("ESP32-S3", 9, 0x0),
    "esp32c3": Chip("ESP32-C3", 5, 0x0),
}


class FlashError(Exception):
    pass


def register(commands) -> None:
    p = commands.add_parser("flash", help="put MicroPython on a board with esptool, then deploy the coach")
    p.add_argument("--firmware", metavar="FILE", required=True, help="the MicroPython .bin from micropython.org")
    add_port_option(p)
    p.add_argument("--chip", choices=list(CHIPS), default="esp32", help="the board's chip (default: esp32)")
    erase = p.add_mutually_exclusive_group()
    erase.add_argument("--no-erase", dest="erase", action="store_false", help="write without erasing the flash first")
    erase.add_argument(
        "--erase",
        dest="insist",
        action="store_true",
        help="erase even a board whose coach answers (its journal and settings go with it)",
    )
    p.add_argument("--baud", type=int, default=DEFAULT_BAUD, metavar="N", help=f"write speed (default: {DEFAULT_BAUD})")
    p.add_argument(
        "--deploy",
        action=argparse.BooleanOptionalAction,
        help="copy the coach firmware on afterwards (default: ask, when run in a terminal)",
    )
    p.add_argument("--quiet", action="store_true", help="no esptool output")
    p.set_defaults(run=run)


def check_image(firmware: Path, chip: str) -> None:
    """Raise FlashError unless the file is a full firmware image for this chip."""
    try:
        with open(firmware, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            header = f.read(APP_DESC_OFFSET + 4)
    except FileNotFoundError:
        raise FlashError(f"{firmware}: no such file") from None
    except OSError as exc:
        raise FlashError(f"cannot read {firmware}: {exc.strerror or exc}") from None
    if not header or header[0] != ESP_IMAGE_MAGIC:
        raise FlashError(f"{firmware} is not an ESP32 firmware image (no ESP image header)")
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise FlashError(f"{firmware} is not an ESP32 firmware image ({size} bytes; expected 64 KB to 4 MB)")
    if struct.unpack_from("<I", header, APP_DESC_OFFSET)[0] == APP_DESC_MAGIC:
        raise FlashError(f"{firmware} is an application-only image: use the full .bin, which has the bootloader")
    expected = CHIPS[chip]
    (image_id,) = struct.unpack_from("<H", header, CHIP_ID_OFFSET)
    if image_id != expected.image_id:
        other = f"another chip (image chip id {image_id})"
        found = next((f"the {c.name}" for c in CHIPS.values() if c.image_id == image_id), other)
        raise FlashError(f"{firmware} is firmware for {found}, not the {expected.name} (--chip {chip})")


def esptool_commands(firmware: Path, port: str, chip: str, baud: int, erase: bool) -> list[list[str]]:
    # The same Python as anklepump, so it is the esptool installed with it.
    esptool = [sys.executable, "-m", "esptool", "--chip", chip, "--port", port]
    commands = [esptool + ["erase-flash"]] if erase else []
    write = ["--baud", str(baud), "write-flash", "--compress", f"{CHIPS[chip].offset:#x}", str(firmware)]
    commands.append(esptool + write)
    return commands


def _esptool(command: list[str], quiet: bool) -> None:
    # Its progress goes to stdout, straight to the terminal so its progress bar draws;
    # its errors go to stderr, kept for the one-line summary.
    done = subprocess.run(
        command,
        stdout=subprocess.DEVNULL if quiet else None,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        check=False,
    )
    if not quiet:
        sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise FlashError(f"esptool failed (exit {done.returncode}): {_last_error(done.stderr)}")


def _last_error(stderr: str) -> str:
    """esptool ends a failure with hints ("For troubleshooting steps visit ..."): the
    reason is on its "... error occurred: " line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in reversed(lines):
        found = re.search(r"error occurred: (.+)", line)
        if found:
            return found.group(1)
    return lines[-1] if lines else "no message"


def _wants_deploy(choice: bool | None) -> bool:
    if choice is not None:
        return choice
    if not sys.stdin.isatty():
        return False
    try:
        answer = input("Deploy the coach firmware now? [Y/n] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("", "y", "yes")


def _check_nothing_lost(port: str) -> None:
    """Refuse to erase a board whose coach answers: its journal (what was not synced yet) and
    its settings would go. A board with no coach on it (new, or not answering) is erased."""
    try:
        with coach_stopped(port) as link:
            info = link.call_json("remote.info()")
    except LinkError:
        return
    try:
        held = plural(max(0, info["next"] - 1 - info["ack"]), "record") + " not yet synced, and its settings"
    except (KeyError, TypeError):
        held = "its journal and settings"
    raise FlashError(
        f"the coach on {port} answers ({held}): erasing loses them; run anklepump sync first, then"
        " anklepump flash --erase (or --no-erase to keep its flash)"
    )


def run(args) -> int:
    firmware = Path(args.firmware)
    check_image(firmware, args.chip)
    port = find_port(args.port)
    if args.erase and not args.insist:
        _check_nothing_lost(port)
    for command in esptool_commands(firmware, port, args.chip, args.baud, args.erase):
        _esptool(command, args.quiet)
    print(f"flashed {firmware.name} to the {CHIPS[args.chip].name} on {port}")
    if not _wants_deploy(args.deploy):
        print("next: anklepump deploy, to put the coach firmware on it")
        return 0
    from . import deploy

    return deploy.run(argparse.Namespace(port=port, dry_run=False, quiet=args.quiet, debug=False))
