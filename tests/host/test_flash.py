"""`anklepump flash` without a board: the image checks, the exact esptool invocations (and
that esptool's own parser takes them), failures, and the offer to deploy afterwards."""

import argparse
import struct
import subprocess
import sys
import types
from collections import namedtuple

import anklepump.device
import pytest
import serial.tools.list_ports
from anklepump.device import flash
from anklepump.device.flash import FlashError
from esptool.bin_image import ESP32FirmwareImage
from esptool.loader import ESPLoader
from esptool.targets import CHIP_DEFS

PORT = "/dev/ttyUSB9"
ESPTOOL = [sys.executable, "-m", "esptool"]
# What esptool 5.6 prints on stderr when the port cannot be opened.
PORT_MISSING = (
    f"ERROR: A fatal error occurred: Could not open {PORT}, the port is busy or doesn't exist.\n"
    f"([Errno 2] could not open port {PORT}: [Errno 2] No such file or directory: '{PORT}')\n"
    "\n"
    "Hint: Check if the port is correct and ESP connected\n"
    "\n"
)


def make_image(path, chip_id=0, size=128 * 1024, magic=0xE9, app=False):
    data = bytearray(size)
    if size:
        data[0] = magic
    if size >= 36:
        data[12:14] = struct.pack("<H", chip_id)
    if app:
        data[32:36] = struct.pack("<I", 0xABCD5432)
    path.write_bytes(data)
    return path


def parse(*argv):
    parser = argparse.ArgumentParser()
    flash.register(parser.add_subparsers())
    return parser.parse_args(["flash", *argv])


class Esptool:
    """Stands in for subprocess.run: records each command, answers with the next result."""

    def __init__(self):
        self.calls = []
        self.stdout = []
        self.results = []

    def __call__(self, command, **kwargs):
        self.calls.append(command)
        self.stdout.append(kwargs["stdout"])
        code, stderr = self.results.pop(0) if self.results else (0, "")
        return subprocess.CompletedProcess(command, code, None, stderr)


@pytest.fixture
def esptool(monkeypatch):
    fake = Esptool()
    monkeypatch.setattr(subprocess, "run", fake)
    return fake


@pytest.fixture
def deploy(monkeypatch):
    """A stand-in anklepump.device.deploy, whether or not the real one has been imported."""
    module = types.ModuleType("anklepump.device.deploy")
    module.calls = []

    def run(args):
        module.calls.append(args)
        return 0

    module.run = run
    monkeypatch.setitem(sys.modules, "anklepump.device.deploy", module)
    monkeypatch.setattr(anklepump.device, "deploy", module, raising=False)
    return module


class TTY:
    def isatty(self):
        return True


def answering(monkeypatch, answer):
    """stdin is a terminal where the user types this answer (None: ends the input)."""
    prompts = []

    def fake_input(prompt):
        prompts.append(prompt)
        if answer is None:
            raise EOFError
        return answer

    monkeypatch.setattr(sys, "stdin", TTY())
    monkeypatch.setattr("builtins.input", fake_input)
    return prompts


def test_the_chip_facts_are_esptools():
    assert ESPLoader.ESP_IMAGE_MAGIC == flash.ESP_IMAGE_MAGIC
    for key, chip in flash.CHIPS.items():
        rom = CHIP_DEFS[key]
        assert chip == (rom.CHIP_NAME, rom.IMAGE_CHIP_ID, rom.BOOTLOADER_FLASH_OFFSET)


def test_the_test_images_have_the_header_esptool_reads(tmp_path):
    data = make_image(tmp_path / "s3.bin", chip_id=9).read_bytes()
    fields = struct.unpack_from(ESP32FirmwareImage.EXTENDED_HEADER_STRUCT_FMT, data, 8)
    assert fields[4] == 9


def test_the_esptool_commands(tmp_path):
    firmware = tmp_path / "ESP32_GENERIC.bin"
    assert flash.esptool_commands(firmware, PORT, "esp32", 460800, erase=True) == [
        ESPTOOL + ["--chip", "esp32", "--port", PORT, "erase-flash"],
        ESPTOOL
        + ["--chip", "esp32", "--port", PORT, "--baud", "460800", "write-flash", "--compress", "0x1000"]
        + [str(firmware)],
    ]
    assert flash.esptool_commands(firmware, PORT, "esp32s3", 115200, erase=False) == [
        ESPTOOL
        + ["--chip", "esp32s3", "--port", PORT, "--baud", "115200", "write-flash", "--compress", "0x0"]
        + [str(firmware)],
    ]
    assert flash.esptool_commands(firmware, PORT, "esp32s2", 460800, erase=False)[0][-2] == "0x1000"
    assert flash.esptool_commands(firmware, PORT, "esp32c3", 460800, erase=False)[0][-2] == "0x0"


def test_esptool_takes_the_global_options_before_write_flash(tmp_path):
    command = ESPTOOL + ["--chip", "esp32", "--port", "/dev/null", "--baud", "460800", "write-flash", "--help"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("chip", list(flash.CHIPS))
def test_esptools_parser_accepts_every_command(tmp_path, chip):
    # --help stops esptool once the command line is parsed, before it opens a port, and an
    # unknown command or option, or a chip or baud it does not take, still fails the parse.
    firmware = make_image(tmp_path / "fw.bin", chip_id=flash.CHIPS[chip].image_id)
    for command in flash.esptool_commands(firmware, "/dev/null", chip, 460800, erase=True):
        done = subprocess.run(command + ["--help"], capture_output=True, text=True, cwd=tmp_path, timeout=300)
        assert done.returncode == 0, done.stderr


def test_esptools_parser_refuses_a_wrong_option(tmp_path):
    command = ESPTOOL + ["--chip", "esp32", "--port", "/dev/null", "write-flash", "--compresss", "--help"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 2


def test_flash_erases_then_writes(tmp_path, esptool, capsys):
    firmware = make_image(tmp_path / "ESP32_GENERIC-v1.29.0.bin")
    assert flash.run(parse("--firmware", str(firmware), "--port", PORT, "--no-deploy")) == 0
    assert esptool.calls == flash.esptool_commands(firmware, PORT, "esp32", 460800, erase=True)
    assert esptool.stdout == [None, None]
    assert capsys.readouterr().out == (
        f"flashed ESP32_GENERIC-v1.29.0.bin to the ESP32 on {PORT}\n"
        "next: anklepump deploy, to put the coach firmware on it\n"
    )


def test_no_erase_baud_chip_and_quiet(tmp_path, esptool):
    firmware = make_image(tmp_path / "ESP32_GENERIC_S3.bin", chip_id=9)
    argv = ["--firmware", str(firmware), "--port", PORT, "--chip", "esp32s3", "--no-erase", "--baud", "921600"]
    assert flash.run(parse(*argv, "--quiet", "--no-deploy")) == 0
    assert esptool.calls == [
        ESPTOOL
        + ["--chip", "esp32s3", "--port", PORT, "--baud", "921600", "write-flash", "--compress", "0x0"]
        + [str(firmware)]
    ]
    assert esptool.stdout == [subprocess.DEVNULL]


def test_the_port_defaults_to_the_coach_on_usb(tmp_path, esptool, monkeypatch):
    Port = namedtuple("Port", "device vid pid")
    monkeypatch.setattr(serial.tools.list_ports, "comports", lambda: [Port("/dev/ttyUSB3", 0x10C4, 0xEA60)])
    firmware = make_image(tmp_path / "fw.bin")
    flash.run(parse("--firmware", str(firmware), "--no-deploy"))
    assert esptool.calls == flash.esptool_commands(firmware, "/dev/ttyUSB3", "esp32", 460800, erase=True)


NOT_AN_IMAGE = "{path} is not an ESP32 firmware image"


@pytest.mark.parametrize(
    "name, image, chip, message",
    [
        ("missing.bin", None, "esp32", "{path}: no such file"),
        ("a-folder", "dir", "esp32", "cannot read {path}: Is a directory"),
        ("notes.txt", {"magic": ord("#")}, "esp32", NOT_AN_IMAGE + " (no ESP image header)"),
        ("empty.bin", {"size": 0}, "esp32", NOT_AN_IMAGE + " (no ESP image header)"),
        ("tiny.bin", {"size": 4096}, "esp32", NOT_AN_IMAGE + " (4096 bytes; expected 64 KB to 4 MB)"),
        ("huge.bin", {"size": 4 * 1024 * 1024 + 1}, "esp32", NOT_AN_IMAGE + " (4194305 bytes; expected 64 KB to 4 MB)"),
        (
            "ESP32_GENERIC.app-bin",
            {"app": True},
            "esp32",
            "{path} is an application-only image: use the full .bin, which has the bootloader",
        ),
        (
            "ESP32_GENERIC_S3.bin",
            {"chip_id": 9},
            "esp32",
            "{path} is firmware for the ESP32-S3, not the ESP32 (--chip esp32)",
        ),
        (
            "ESP32_GENERIC.bin",
            {"chip_id": 0},
            "esp32c3",
            "{path} is firmware for the ESP32, not the ESP32-C3 (--chip esp32c3)",
        ),
        (
            "ESP32_GENERIC_C6.bin",
            {"chip_id": 13},
            "esp32",
            "{path} is firmware for another chip (image chip id 13), not the ESP32 (--chip esp32)",
        ),
    ],
)
def test_a_wrong_image_is_refused_before_esptool_runs(tmp_path, esptool, name, image, chip, message):
    path = tmp_path / name
    if image == "dir":
        path.mkdir()
    elif image is not None:
        make_image(path, **image)
    with pytest.raises(FlashError) as refused:
        flash.run(parse("--firmware", str(path), "--port", PORT, "--chip", chip, "--deploy"))
    assert str(refused.value) == message.format(path=path)
    assert esptool.calls == []


def test_an_esptool_failure_is_one_line_and_stops_there(tmp_path, esptool, deploy, capsys):
    firmware = make_image(tmp_path / "fw.bin")
    esptool.results.append((2, PORT_MISSING))
    with pytest.raises(FlashError) as failed:
        flash.run(parse("--firmware", str(firmware), "--port", PORT, "--deploy"))
    assert str(failed.value) == f"esptool failed (exit 2): Could not open {PORT}, the port is busy or doesn't exist."
    assert len(esptool.calls) == 1
    assert deploy.calls == []
    assert capsys.readouterr().err == PORT_MISSING


def test_an_esptool_failure_without_a_reason_names_its_last_line(tmp_path, esptool, capsys):
    firmware = make_image(tmp_path / "fw.bin")
    esptool.results += [(0, ""), (1, "Writing...\nKilled\n\n")]
    with pytest.raises(FlashError, match=r"^esptool failed \(exit 1\): Killed$"):
        flash.run(parse("--firmware", str(firmware), "--port", PORT, "--no-deploy", "--quiet"))
    assert capsys.readouterr().err == ""
    esptool.results.append((-9, ""))
    with pytest.raises(FlashError, match=r"^esptool failed \(exit -9\): no message$"):
        flash.run(parse("--firmware", str(firmware), "--port", PORT, "--no-deploy", "--no-erase"))


def test_deploy_follows_when_asked_for(tmp_path, esptool, deploy, monkeypatch):
    prompts = answering(monkeypatch, "n")
    firmware = make_image(tmp_path / "fw.bin")
    deploy.run = lambda args: deploy.calls.append(args) or 3
    assert flash.run(parse("--firmware", str(firmware), "--port", PORT, "--deploy", "--quiet")) == 3
    assert deploy.calls == [argparse.Namespace(port=PORT, dry_run=False, quiet=True, debug=False)]
    assert prompts == []


def test_no_deploy_is_not_asked(tmp_path, esptool, deploy, monkeypatch):
    prompts = answering(monkeypatch, "y")
    firmware = make_image(tmp_path / "fw.bin")
    assert flash.run(parse("--firmware", str(firmware), "--port", PORT, "--no-deploy")) == 0
    assert (prompts, deploy.calls) == ([], [])


@pytest.mark.parametrize("answer, deployed", [("", True), ("Y", True), ("yes", True), ("n", False), (None, False)])
def test_a_terminal_is_asked(tmp_path, esptool, deploy, monkeypatch, answer, deployed):
    prompts = answering(monkeypatch, answer)
    firmware = make_image(tmp_path / "fw.bin")
    assert flash.run(parse("--firmware", str(firmware), "--port", PORT)) == 0
    assert prompts == ["Deploy the coach firmware now? [Y/n] "]
    deployed_to = argparse.Namespace(port=PORT, dry_run=False, quiet=False, debug=False)
    assert deploy.calls == ([deployed_to] if deployed else [])


def test_without_a_terminal_nothing_is_asked_or_deployed(tmp_path, esptool, deploy, monkeypatch):
    prompts = answering(monkeypatch, "y")
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(isatty=lambda: False))
    firmware = make_image(tmp_path / "fw.bin")
    assert flash.run(parse("--firmware", str(firmware), "--port", PORT)) == 0
    assert (prompts, deploy.calls) == ([], [])


def coach_answering(next_seq=10, ack=3):
    import json

    from fakedevice import FakeDevice

    answer = json.dumps({"id": "53494d000001", "next": next_seq, "ack": ack}).encode() + b"\r\n"
    return FakeDevice([("remote.info()", answer)])


def test_a_board_whose_coach_answers_is_not_erased(tmp_path, esptool, capsys):
    firmware = make_image(tmp_path / "fw.bin")
    with coach_answering() as board:
        with pytest.raises(FlashError) as error:
            flash.run(parse("--firmware", str(firmware), "--port", board.port, "--no-deploy"))
        commands = list(board.commands)
    assert str(error.value) == (
        f"the coach on {board.port} answers (6 records not yet synced, and its settings): erasing loses them;"
        " run anklepump sync first, then anklepump flash --erase (or --no-erase to keep its flash)"
    )
    assert esptool.calls == []
    # The coach was asked, and started again.
    assert any("remote.restart()" in c for c in commands)


def test_erase_insists(tmp_path, esptool):
    firmware = make_image(tmp_path / "fw.bin")
    with coach_answering() as board:
        assert flash.run(parse("--firmware", str(firmware), "--port", board.port, "--erase", "--no-deploy")) == 0
        assert board.commands == []
    assert esptool.calls == flash.esptool_commands(firmware, board.port, "esp32", 460800, erase=True)


def test_no_erase_does_not_ask_the_board(tmp_path, esptool):
    firmware = make_image(tmp_path / "fw.bin")
    with coach_answering() as board:
        assert flash.run(parse("--firmware", str(firmware), "--port", board.port, "--no-erase", "--no-deploy")) == 0
        assert board.commands == []
    assert len(esptool.calls) == 1
