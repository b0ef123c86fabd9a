import subprocess
import sys
from pathlib import Path

import pytest
from anklepump.sim.simulator import SimError, parse_duration, parse_script

ANKLEPUMP = Path(sys.executable).parent / "anklepump"


def test_durations():
    assert parse_duration("90m") == 5400000
    assert parse_duration("24h") == 86400000
    assert parse_duration("7d") == 604800000
    assert parse_duration("30s") == 30000
    assert parse_duration("1.5") == 1500
    with pytest.raises(SimError, match="bad duration 'soon'"):
        parse_duration("soon")


def test_script_times_and_offsets():
    start = ((8 * 60 + 59) * 60) * 1000  # the run starts at 08:59:00
    script = """
    # the morning
    09:00:05 press
    +60 hold
    +0.5 double
    1+07:00:00 press   # the next day
    """
    assert parse_script(script, start) == [
        (65000, "press"),
        (125000, "hold"),
        (125500, "double"),
        ((24 * 3600 + 7 * 3600 - 8 * 3600 - 59 * 60) * 1000, "press"),
    ]


def test_a_time_already_passed_names_the_line():
    with pytest.raises(SimError) as err:
        parse_script("09:00:00 press\n08:30:00 press\n", 8 * 3600 * 1000)
    assert str(err.value) == "script line 2: 08:30:00 has already passed (the run is at 09:00:00 by then)"
    with pytest.raises(SimError) as err:
        parse_script("\n07:00:00 press\n", 8 * 3600 * 1000)
    assert str(err.value) == "script line 2: 07:00:00 has already passed (the run is at 08:00:00 by then)"


def test_bad_lines_are_named():
    with pytest.raises(SimError, match="script line 1: expected"):
        parse_script("09:00:00 jump\n", 0)
    with pytest.raises(SimError, match="script line 2: bad time '9h'"):
        parse_script("+1 press\n9h press\n", 0)
    with pytest.raises(SimError, match="script line 1: negative offset"):
        parse_script("+-3 press\n", 0)


def test_a_time_of_day_that_is_not_one_is_refused():
    for when in ("25:00:20", "07:61:00", "07:00:60", "1+24:00:00"):
        with pytest.raises(SimError) as err:
            parse_script(f"{when} press\n", 0)
        assert str(err.value) == (
            f"script line 1: no such time of day {when!r} (00:00:00 to 23:59:59; D+ for a later day)"
        )
    assert parse_script("23:59:59.999 press\n1+00:00:00 long\n", 0) == [(86_399_999, "press"), (86_400_000, "long")]
    with pytest.raises(SimError) as err:
        parse_script("9:00:00 wiggle\n", 0)
    assert str(err.value) == (
        "script line 1: expected '[D+]HH:MM:SS ACTION [HELD]' or '+SECONDS ACTION [HELD]', "
        "ACTION one of press, hold, double, long, HELD how long the button is down (0.8s): '9:00:00 wiggle'"
    )


def test_a_line_can_say_how_long_the_button_is_held():
    assert parse_script("00:00:01 press 1.0s\n+2 press 0.8s\n+3 hold\n+1 double 0.05s\n", 0) == [
        (1000, "press", 1000),
        (3000, "press", 800),
        (6000, "hold"),
        (7000, "double", 50),
    ]
    for line in ("00:00:01 press 1.0", "+1 press 1s 2s", "+1 press -1s", "+1 press 1.2345s"):
        with pytest.raises(SimError, match=r"script line 1: expected .* HELD how long the button is down"):
            parse_script(line, 0)
    with pytest.raises(SimError) as err:
        parse_script("+1 press 0.0s", 0)
    assert str(err.value) == "script line 1: a press is held more than 0s: '+1 press 0.0s'"


def test_sim_names_a_path_it_cannot_use_in_one_line(tmp_path):
    state = str(tmp_path / "flash")
    a_file = tmp_path / "notes.txt"
    a_file.write_text("")
    for argv, message in (
        (["--state", str(a_file)], f"--state {a_file}: not a folder (a file of that name is there)"),
        (["--state", f"{a_file}/flash"], f"--state {a_file}/flash: cannot make the folder: Not a directory"),
        (
            ["--state", state, "--screens", str(a_file)],
            f"--screens {a_file}: not a folder (a file of that name is there)",
        ),
        (
            ["--state", state, "--trace", "/nonexistent/x"],
            "--trace /nonexistent/x: cannot write it: No such file or directory",
        ),
        (["--state", state, "--trace", str(tmp_path)], f"--trace {tmp_path}: cannot write it: Is a directory"),
    ):
        done = subprocess.run(
            [ANKLEPUMP, "sim", *argv, "--headless", "--for", "1m"], capture_output=True, text=True, timeout=300
        )
        assert (done.returncode, done.stdout, done.stderr) == (1, "", f"anklepump: {message}\n"), argv
