"""config, time and deploy against the firmware on the simulated board (`anklepump sim --serial`)."""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tty
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from anklepump.device import deploy
from simrun import ANKLEPUMP, flash_files, flash_read, set_up_before
from test_sync import serial_sim

DEVICE = Path(__file__).resolve().parents[2] / "device"
MPREMOTE = Path(sys.executable).parent / "mpremote"


def anklepump(*args, env=None):
    """Run it (with these environment variables added); (exit code, stdout, stderr)."""
    environment = {**os.environ, **(env or {})}
    done = subprocess.run([ANKLEPUMP, *args], capture_output=True, text=True, timeout=300, env=environment)
    return done.returncode, done.stdout, done.stderr


def journal(state):
    code, out, err = anklepump("journal", "dump", "--state", str(state))
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def test_config_round_trips_through_the_device(tmp_path):
    state = set_up_before(tmp_path / "flash")
    with serial_sim(state, "--start", "2026-11-24T09:00:00") as port:
        code, out, _ = anklepump("config", "show", "--port", port)
        assert code == 0
        assert out.splitlines()[0] == 'active_start         "07:00"  (default)'
        assert all(line.endswith("(default)") for line in out.splitlines())
        code, out, err = anklepump(
            "config", "set", "volume=3", "active_start=08:30", "circles=true", "language=zh", "--port", port
        )
        assert (code, err) == (0, "")
        assert out.splitlines() == [
            'active_start = "08:30"',
            "circles = true",
            'language = "zh"',
            "volume = 3",
            "settings.json written; the coach restarted with them",
        ]
        code, out, _ = anklepump("config", "show", "--port", port)
        shown = dict(line.split(None, 1) for line in out.splitlines())
        assert shown["active_start"] == '"08:30"'
        assert shown["volume"] == "3"
        assert shown["language"] == '"zh"'
        assert shown["active_end"] == '"22:00"  (default)'
        before = flash_read(state, "settings.json")
        for assignment, message in (
            ("volume=9", "volume=9: volume must be 0 to 3, got 9; nothing written"),
            ("hold_seconds=ten", 'hold_seconds="ten": hold_seconds must be a whole number, got "ten"; nothing written'),
            ("language=fr", 'language="fr": language must be "en" or "zh", got "fr"; nothing written'),
            (
                "display_off_seconds=10",
                "display_off_seconds (10) must not be less than display_dim_seconds (30); nothing written",
            ),
            ("volume", "expected key=value, got 'volume'; nothing written"),
        ):
            assert anklepump("config", "set", assignment, "--port", port) == (1, "", f"anklepump: {message}\n")
        assert flash_read(state, "settings.json") == before
    assert json.loads(flash_read(state, "settings.json")) == {
        "active_start": "08:30",
        "circles": True,
        "language": "zh",
        "volume": 3,
    }
    records = journal(state)
    keys = [r["key"] for r in records if r["event"] == "settings_changed"]
    assert keys == ["active_start", "circles", "language", "volume"]
    # The coach restarted after each command that reached it: two shows, the set, and the
    # pair check that needs the file; the other bad values were refused before connecting.
    assert [r["event"] for r in records].count("boot") == 1 + 2 + 1 + 1


def test_config_decides_with_the_device_parser_whatever_the_file_holds(tmp_path):
    state = set_up_before(tmp_path / "flash")
    (state / "settings.json").write_bytes(b'{"volume": 3, "cadence": "\xff"}')
    deep = "[" * 2000 + "]" * 2000
    with serial_sim(state, "--start", "2026-11-24T09:00:00") as port:
        code, out, err = anklepump("config", "show", "--port", port)
        assert (code, err) == (0, "")
        assert out.splitlines()[-1] == "problem in settings.json: the file is not UTF-8 text; using defaults"
        assert "volume               2  (default)" in out.splitlines()
        message = 'volume="' + "[" * 37 + '..: volume must be a whole number, got "' + "[" * 37 + ".."
        assert anklepump("config", "set", f"volume={deep}", "--port", port) == (
            1,
            "",
            f"anklepump: {message}; nothing written\n",
        )
        # What the device would refuse is not written: its own parser reads the file first.
        padded = tmp_path / "padded.json"
        padded.write_bytes(b'{"volume": 1}\x00\x00')
        done = subprocess.run(
            [str(MPREMOTE), "connect", port, "resume", "fs", "cp", str(padded), ":settings.json"],
            capture_output=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        code, out, err = anklepump("config", "show", "--port", port)
        assert out.splitlines()[-1] == "problem in settings.json: the file is not valid JSON; using defaults"
        assert anklepump("config", "set", "volume=1", "--port", port)[0] == 0
    assert json.loads(flash_read(state, "settings.json")) == {"volume": 1}


def here(zone):
    """This moment's abbreviation and offset in a tz database zone, as time show and set print them."""
    return datetime.now(ZoneInfo(zone)).strftime("%Z (UTC%z)")


NEW_YORK = "America/New_York (EST5EDT,M3.2.0,M11.1.0)"


def test_time_set_gives_the_device_this_computers_time_zone_and_show_prints_both(tmp_path):
    state = set_up_before(tmp_path / "flash")
    (state / "settings.json").write_text('{"utc_offset_minutes": 60}')
    new_york = {"TZ": "America/New_York"}
    with serial_sim(state) as port:
        code, out, err = anklepump("time", "show", "--port", port, env=new_york)
        assert (code, err) == (0, "")
        lines = out.splitlines()
        assert re.fullmatch(r"device: clock not set \(\d+ s since boot\); time zone (.*)", lines[0])[1] == (
            "UTC+01:00 all year (utc_offset_minutes 60: no tz rule)"
        )
        assert lines[1].startswith("host:   ") and lines[1].endswith(
            f" {here('America/New_York')}; time zone {NEW_YORK}"
        )
        assert lines[2] == (
            "warning: the device keeps another time zone than this computer's (`anklepump time set` gives it this one)"
        )
        code, out, err = anklepump("time", "set", "--port", port, env=new_york)
        assert (code, err) == (0, "")
        lines = out.splitlines()
        assert lines[0] == f"time zone set to {NEW_YORK}; it was UTC+01:00 all year (utc_offset_minutes 60: no tz rule)"
        assert lines[1].startswith("device clock set to ")
        assert lines[1].endswith(f" {here('America/New_York')} (it was not set)")
        code, out, _ = anklepump("time", "show", "--port", port, env=new_york)
        lines = out.splitlines()
        assert lines[0].endswith(f" {here('America/New_York')}; time zone EST5EDT,M3.2.0,M11.1.0")
        assert abs(float(lines[2].split()[1])) < 2
        # The same zone again: nothing written.
        code, out, _ = anklepump("time", "set", "--port", port, env=new_york)
        assert out.splitlines()[0] == f"time zone {NEW_YORK}, as it was"
        # Another zone, by name or as a rule; a zone that is neither, refused before the device is reached.
        code, out, _ = anklepump("time", "set", "--tz", "Europe/Berlin", "--port", port, env=new_york)
        assert out.splitlines()[0] == (
            "time zone set to Europe/Berlin (CET-1CEST,M3.5.0,M10.5.0/3); it was EST5EDT,M3.2.0,M11.1.0"
        )
        assert re.search(rf" {re.escape(here('Europe/Berlin'))} \(it was [+-]\d+ s off\)$", out.splitlines()[1])
        code, out, _ = anklepump("time", "show", "--port", port, env=new_york)
        lines = out.splitlines()
        assert lines[0].endswith(f" {here('Europe/Berlin')}; time zone CET-1CEST,M3.5.0,M10.5.0/3")
        assert lines[1].endswith(f"; time zone {NEW_YORK}")
        assert lines[3].startswith("warning: the device keeps another time zone")
        code, out, _ = anklepump("time", "set", "--tz", "IST-5:30", "--port", port, env=new_york)
        assert out.splitlines()[0] == "time zone set to IST-5:30; it was CET-1CEST,M3.5.0,M10.5.0/3"
        assert " IST (UTC+0530) (it was " in out.splitlines()[1]
        assert anklepump("time", "set", "--tz", "Mars/Olympus", "--port", port, env=new_york) == (
            1,
            "",
            "anklepump: no time zone 'Mars/Olympus': neither a POSIX rule nor a zone of the tz database\n",
        )
    assert json.loads(flash_read(state, "settings.json")) == {"tz": "IST-5:30", "utc_offset_minutes": 60}
    records = journal(state)
    assert [r["key"] for r in records if r["event"] == "settings_changed"] == ["tz", "tz", "tz"]
    set_records = [r for r in records if r["event"] == "clock_set"]
    assert len(set_records) == 4 and set_records[0]["was_set"] is False
    assert abs(set_records[0]["t"] - time.time()) < 60


def test_deploy_copies_only_what_changed_and_keeps_the_data(tmp_path):
    state = set_up_before(tmp_path / "flash")
    source = tmp_path / "device"
    shutil.copytree(DEVICE, source)
    # One module changed since the simulator put this checkout's firmware on its flash.
    (source / "sounds.py").write_text((source / "sounds.py").read_text() + "\n# tuned\nTUNED = True\n")
    stale = tmp_path / "plan.py"
    stale.write_text("raise RuntimeError('stale')\n")
    files = len(json.loads((source / "package.json").read_text())["urls"])
    with serial_sim(state, "--start", "2026-11-24T09:00:00") as port:
        anklepump("config", "set", "volume=1", "--port", port)
        settings = flash_read(state, "settings.json")
        assert flash_read(state, "main.py") == (DEVICE / "main.py").read_bytes()
        assert flash_read(state, "board/sim.mpy") is None and flash_read(state, "board/vflash.mpy") is None
        before = flash_read(state, "sounds.mpy")
        code, out, _ = anklepump("deploy", "--dry-run", "--port", port, "--source", str(source))
        assert code == 0 and out.splitlines()[-1] == f"1 of {files} files would be copied", out
        assert out.splitlines()[0].startswith("would copy sounds.mpy (")
        assert flash_read(state, "sounds.mpy") == before
        # An old source copy would hide its compiled module.
        done = subprocess.run(
            [
                str(Path(sys.executable).parent / "mpremote"),
                "connect",
                port,
                "resume",
                "fs",
                "cp",
                str(stale),
                ":core/plan.py",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        code, out, _ = anklepump("deploy", "--port", port, "--source", str(source))
        assert out.splitlines() == [
            "copied sounds.mpy",
            "removed core/plan.py",
            f"1 of {files} files copied; the coach restarted",
        ]
        code, out, _ = anklepump("deploy", "--port", port, "--source", str(source))
        assert out.splitlines() == [f"0 of {files} files copied; the coach restarted"]
    assert flash_read(state, "sounds.mpy")[:2] == b"M\x06" and flash_read(state, "sounds.mpy") != before
    assert flash_read(state, "core/plan.py") is None
    assert not [name for name in flash_files(state) if name.endswith(".new")]
    # firmware.txt holds every .mpy at its size, the one just copied too, for boot.py to check.
    files = flash_files(state)
    listed = dict(line.split() for line in files["firmware.txt"].decode().splitlines())
    assert listed == {p: str(len(data)) for p, data in files.items() if p.endswith(".mpy")}
    assert listed["sounds.mpy"] == str(len(files["sounds.mpy"])) != str(len(before))
    assert flash_read(state, "settings.json") == settings
    assert [r["event"] for r in journal(state)][:2] == ["boot", "settings_changed"]


def test_deploy_refuses_a_board_of_another_bytecode_version(tmp_path, monkeypatch):
    state = set_up_before(tmp_path / "flash")
    monkeypatch.setattr(deploy, "emitted_version", lambda compiler: (6, 1))
    with serial_sim(state, "--start", "2026-11-24T09:00:00") as port:
        before = flash_files(state)
        args = argparse.Namespace(port=port, dry_run=False, quiet=True, source=None, state=None)
        with pytest.raises(deploy.DeployError) as err:
            deploy.run(args)
        after = flash_files(state)
    assert str(err.value) == (
        "the board's MicroPython loads bytecode v6.3, this mpy-cross writes v6.1: "
        "flash a matching MicroPython (anklepump flash)"
    )
    assert {k: v for k, v in after.items() if k.endswith(".mpy")} == {
        k: v for k, v in before.items() if k.endswith(".mpy")
    }


def test_deploy_onto_a_bare_micropython(tmp_path):
    """A board fresh from `anklepump flash`: MicroPython's REPL and nothing else on it."""
    flash = tmp_path / "bare"
    flash.mkdir()
    master, slave = os.openpty()
    tty.setraw(slave)  # a serial line passes bytes as they come
    # Its reset, as far as the host sees one: the coach just copied comes up and says so (the
    # unix port has no machine.reset, nor a firmware to boot into).
    reset = (
        "import sys\nclass Machine:\n @staticmethod\n def reset():\n  print('coach up')\n"
        "sys.modules['machine'] = Machine"
    )
    board = subprocess.Popen(
        [str(Path(sys.executable).parent / "micropython"), "-i", "-c", reset],
        cwd=flash,
        stdin=master,
        stdout=master,
        stderr=master,
    )
    try:
        # A board is up once its REPL has said so (as after a reset); only then is it talked to.
        seen = b""
        while not seen.endswith(b">>> "):
            seen += os.read(slave, 256)
        code, out, err = anklepump("deploy", "--port", os.ttyname(slave))
        assert code == 0, err
        files = len(json.loads((DEVICE / "package.json").read_text())["urls"])
        assert out.splitlines()[-1] == f"{files} of {files} files copied; the coach restarted"
        assert sorted(p.name for p in flash.iterdir())[:4] == ["app.mpy", "board", "boot.py", "core"]
    finally:
        board.kill()
        board.wait()
        os.close(master)
        os.close(slave)


def test_commands_back_to_back_let_the_coach_come_up_between_them(tmp_path):
    """Each command restarts the coach as it leaves. The ESP32's UART raises a Ctrl-C wherever
    the firmware is, its bring-up too (the simulated board notices one at each reading of its
    clock, the first as the coach is built): so the command waits until the coach says it is up,
    and the next one, straight after, finds it running and not half built."""
    from anklepump.device.link import coach_stopped

    state = set_up_before(tmp_path / "flash")
    trace = tmp_path / "trace.jsonl"
    # The port is named once the first boot's coach is up.
    with serial_sim(state, "--start", "2026-11-24T09:00:00", "--trace", str(trace)) as port:
        boots = []
        for _ in range(3):
            with coach_stopped(port) as link:
                boots.append(link.call_json("remote.info()")["boot"])
    assert boots == [1, 2, 3]
    entries = [json.loads(line) for line in trace.read_text().splitlines()]
    assert [e["cause"] for e in entries if e["kind"] == "reset"] == ["restart"] * 3
    records = [e["record"] for e in entries if e["kind"] == "log"]
    # Four whole boots, none cut short into an error or a crash.
    assert [(r["event"], r["boot"]) for r in records if r["event"] in ("boot", "error")] == [
        ("boot", 1),
        ("boot", 2),
        ("boot", 3),
        ("boot", 4),
    ]
    assert json.loads(flash_read(state, "state.json"))["boots"] == 4
