import pytest
from anklepump.sim.simulator import SimError, parse_duration, parse_script


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
