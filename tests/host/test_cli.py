"""The installed `anklepump` command, run as a user runs it: exact output and exit codes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import serial.tools.list_ports
from anklepump.device.link import LinkError, find_port

ANKLEPUMP = Path(sys.executable).parent / "anklepump"


def anklepump(*args):
    done = subprocess.run([str(ANKLEPUMP), *args], capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout, done.stderr


def test_version_and_help():
    code, out, _ = anklepump("--version")
    assert (code, out) == (0, "anklepump 0.1.0\n")
    code, out, _ = anklepump("--help")
    assert code == 0
    assert "plan" in out and "check-settings" in out


def test_the_command_loads_no_charts_or_printing_until_a_report_draws_them():
    # matplotlib takes a second to load, more on a busy machine: sync, config and the rest do not wait for it.
    code = "import sys, anklepump.cli; print([m for m in ('matplotlib', 'weasyprint') if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert (done.returncode, done.stdout) == (0, "[]\n"), done.stderr


def test_plan_with_default_settings():
    code, out, err = anklepump("plan")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Session of 5 min (hold cadence, move 2 s + hold 10 s): 13 reps, 5 min 0 s",
        "     time  cue",
        "    0.000  get ready 3-2-1 (3 s)",
        "    3.000  TOES UP (move 2 s, hold 10 s)",
        "   15.000  TOES DOWN (move 2 s, hold 10 s)",
        "   27.000  TOES UP (move 2 s, hold 10 s)",
        "   39.000  TOES DOWN (move 2 s, hold 10 s)",
        "      ...  (17 more changes, the same pattern)",
        "  255.000  TOES DOWN (move 2 s, hold 10 s)",
        "  267.000  TOES UP (move 2 s, hold 10 s)",
        "  279.000  TOES DOWN (move 2 s, hold 10 s)",
        "  291.000  TOES UP (move 2 s, hold 2.5 s)",
        "  295.500  TOES DOWN (move 2 s, hold 2.5 s)",
        "  300.000  done",
        "A cue sounds as each hold begins, and ticks 3, 2 and 1 s before each change.",
        "The last rep fills the session's 5 min.",
    ]


def test_plan_follows_the_settings_and_the_ramp(tmp_path):
    settings = tmp_path / "settings.json"
    settings.write_text('{"cadence": "rhythmic", "pumps_per_minute": 30, "circles": true, "ramp_start_minutes": 2}')
    code, out, _ = anklepump("plan", "--settings", str(settings), "--day", "1")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "Session of 3 min (rhythmic cadence, 30 pumps a minute): 74 pumps, 3 min 0 s"
    assert lines[3:5] == ["    3.000  TOES UP (1 s)", "    4.000  TOES DOWN (1 s)"]
    assert lines[-6:] == [
        "  149.000  TOES UP (0.5 s)",
        "  149.500  TOES DOWN (0.5 s)",
        "  150.000  CIRCLES, one way (15 s)",
        "  165.000  CIRCLES, the other way (15 s)",
        "  180.000  done",
        "The last pump fills the session's 3 min.",
    ]


def test_plan_refuses_a_bad_settings_file(tmp_path):
    settings = tmp_path / "settings.json"
    settings.write_text('{"hold_seconds": 99, "colour": "red"}')
    code, out, err = anklepump("plan", "--settings", str(settings))
    assert (code, out) == (1, "")
    assert err == f'anklepump: {settings}: unknown setting "colour" ignored (and 1 more)\n'


def test_plan_with_a_missing_file():
    code, out, err = anklepump("plan", "--settings", "/nonexistent/settings.json")
    assert (code, out, err) == (1, "", "anklepump: cannot read /nonexistent/settings.json: No such file or directory\n")


def test_check_settings_lists_every_problem(tmp_path):
    settings = tmp_path / "settings.json"
    settings.write_text('{"volume": 9, "circles": "yes", "active_start": "7:00"}')
    code, out, err = anklepump("check-settings", str(settings))
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        f'{settings}: active_start must be a time HH:MM (24-hour), got "7:00"; using "07:00"',
        f'{settings}: circles must be true or false, got "yes"; using false',
        f"{settings}: volume must be 0 to 3, got 9; using 2",
    ]


def test_check_settings_on_a_good_and_a_corrupt_file(tmp_path):
    good = tmp_path / "good.json"
    good.write_text('{"session_minutes": 8}')
    assert anklepump("check-settings", str(good)) == (0, f"{good}: settings are valid\n", "")
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text('{"session_minutes": 8')
    assert anklepump("check-settings", str(corrupt)) == (
        1,
        f"{corrupt}: the file is not valid JSON; using defaults\n",
        "",
    )
    binary = tmp_path / "binary.json"
    binary.write_bytes(b'{"session_minutes": "8\xff"}')
    assert anklepump("check-settings", str(binary)) == (
        1,
        f"{binary}: the file is not UTF-8 text; using defaults\n",
        "",
    )


def test_check_settings_decides_as_the_device_does(tmp_path):
    # The device's parser decides, bytes and all: what it refuses is refused here, in one line.
    cases = {
        b'{"volume": 1}\x00\x00': "the file is not valid JSON",
        b"[" * 2000 + b"]" * 2000: "the file nests more than 8 levels deep",
        b'{"volume": 1' + b"0" * 5000 + b"}": "the file is over 4096 bytes",
        b" " * 1000000: "the file is over 4096 bytes",
    }
    for data, problem in cases.items():
        path = tmp_path / "settings.json"
        path.write_bytes(data)
        assert anklepump("check-settings", str(path)) == (1, f"{path}: {problem}; using defaults\n", "")


def test_check_settings_of_a_folder_is_one_line(tmp_path):
    assert anklepump("check-settings", str(tmp_path)) == (1, "", f"anklepump: cannot read {tmp_path}: Is a directory\n")


def test_a_bad_argument_is_a_usage_error():
    for day in ("-1", "abc"):
        code, out, err = anklepump("plan", "--day", day)
        assert (code, out) == (2, "")
        assert (
            err.splitlines()[-1]
            == f"anklepump plan: error: argument --day: must be a whole number of days, 0 or more: '{day}'"
        )


class Port:
    def __init__(self, device, vid, pid):
        self.device, self.vid, self.pid = device, vid, pid


def test_the_coach_is_found_among_the_usb_serial_ports(monkeypatch):
    ports = [Port("/dev/ttyS0", None, None), Port("/dev/ttyACM3", 0x2341, 0x0043)]
    monkeypatch.setattr(serial.tools.list_ports, "comports", lambda: ports)
    with pytest.raises(LinkError, match=r"^no device found: plug the coach in over USB, or give --port$"):
        find_port(None)
    ports.append(Port("/dev/ttyUSB0", 0x10C4, 0xEA60))
    assert find_port(None) == "/dev/ttyUSB0"
    ports.append(Port("/dev/ttyACM0", 0x303A, 0x1001))
    with pytest.raises(LinkError, match=r"^2 devices found \(/dev/ttyACM0, /dev/ttyUSB0\): choose one with --port$"):
        find_port(None)
    assert find_port("/dev/ttyACM0") == "/dev/ttyACM0"


def test_journal_dump_shows_local_time_and_names_a_device_it_has_not(tmp_path):
    from anklepump.store.database import Store

    db = tmp_path / "coach.db"
    store = Store(db)
    store.add("53494d000001", "j1", [{"seq": 1, "event": "boot", "boot": 1, "t": 1795392005}])
    store.add("53494d000001", "j1", [{"seq": 2, "event": "boot", "boot": 2, "up": 3}])
    store.close()
    done = subprocess.run(
        [str(ANKLEPUMP), "journal", "dump", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TZ": "CET-1"},
    )
    assert (done.returncode, done.stderr) == (0, "")
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert (first["t"], first["local"]) == (1795392005, "2026-11-23T01:00:05+01:00")
    assert "local" not in second
    assert anklepump("journal", "dump", "--db", str(db), "--device", "nope") == (
        1,
        "",
        "anklepump: no device 'nope' in the database (it holds 53494d000001)\n",
    )


def test_debug_is_taken_after_the_command_too(tmp_path):
    code, out, err = anklepump("check-settings", str(tmp_path / "none.json"), "--debug")
    assert (code, out) == (1, "")
    assert err.startswith("Traceback (most recent call last):")
    assert err.endswith(f"anklepump: cannot read {tmp_path / 'none.json'}: No such file or directory\n")
    code, out, err = anklepump("check-settings", str(tmp_path / "none.json"))
    assert err == f"anklepump: cannot read {tmp_path / 'none.json'}: No such file or directory\n"


def test_config_set_help_lists_every_key():
    from anklepump.firmware.fields import fields

    code, out, _ = anklepump("config", "set", "--help")
    assert code == 0
    assert "  volume               0 to 3; default 2: how loud the cues are (0: silent)" in out
    assert all(f"\n  {f.key} " in out for f in fields())


def test_sim_help_tells_the_script_format():
    code, out, _ = anklepump("sim", "--help")
    assert code == 0
    words = " ".join(out.split())
    assert "'[D+]HH:MM:SS ACTION [HELD]'" in words and "'+SECONDS ACTION [HELD]'" in words
    assert "press, hold, double or long" in words
    assert "HELD how long the button is down, e.g. 'press 1.0s'" in words
