"""The patient's day as a patient lives it: a clock set late, a night without a clock, a prompt
declined, counts that outlive a reboot. The real firmware on the simulated board."""

import json

from simrun import flash_read

DAY = "2026-11-24T"

# Setting the clock by hand from boot: the long hold, then a hold for each field, which keeps
# what manual setting starts from when the clock was never set: 2026-01-01 12:00.
SET_CLOCK_BY_HAND = "00:00:05 long\n" + "+10 hold\n" * 5


def test_the_gentle_start_counts_from_the_day_the_clock_is_first_set(sim, tmp_path):
    """A board without a DS3231, its clock set by hand after boot: day 1's sessions are the
    ramp's first (2 min), the day is kept in state.json, and the next day's are a minute longer."""
    state = tmp_path / "flash"
    settings = {"ramp_start_minutes": 2}
    first = sim("--for", "2h", script=SET_CLOCK_BY_HAND + "+3605 press\n", settings=settings, state=state)
    assert first.code == 0, first.stderr
    ((t, start),) = first.logs("session_start")
    assert t.startswith("2026-01-01T13:00:0") and start["minutes"] == 2
    assert json.loads(flash_read(state, "state.json"))["first_day"] == 20454  # 2026-01-01, in Unix days
    second = sim("--start", "2026-01-02T08:59:00", "--for", "10m", script="09:00:05 press\n", state=state)
    assert [r["minutes"] for _, r in second.logs("session_start")] == [3]


def test_after_a_boot_without_a_clock_prompts_are_silent_until_a_press(sim):
    """A power blip at night on a board without a DS3231: hourly prompts are shown but not
    sounded, nor reminded, until a press shows someone is awake; the screen says how to set the
    clock."""
    run = sim("--for", "200m", script="02:40:00 press\n")
    assert run.code == 0, run.stderr
    assert [t for t, _ in run.logs("prompt")] == ["+01:00:00.000", "+02:00:00.000", "+03:00:00.000"]
    assert [t for t, _ in run.logs("missed")] == ["+01:30:00.000", "+02:30:00.000"]
    assert [t for t, _ in run.logs("reminder")] == ["+03:%02d:00.000" % m for m in range(5, 20, 5)]
    assert [t for t, _ in run.cues("chime")] == ["+03:00:00.000"]
    assert run.tones()[0][0] == "+03:00:00.000"
    screen = run.kinds("screen")[0]
    assert (screen["name"], screen["text"][:2]) == ("no_clock", ["Clock not set", "sync, or hold 5 s"])


def test_todays_counts_and_the_week_survive_a_reboot(sim, tmp_path):
    """A session at 7:00, the 8:00 prompt missed, then a reboot at 9:30 (a crash, the power): the
    idle screen still says 1 of the hours prompted done, of those and the prompts to come."""
    state = tmp_path / "flash"
    first = sim("--start", DAY + "06:59:00", "--for", "2h", script="07:00:05 press\n", state=state)
    assert [r["result"] for _, r in first.logs("session_end")] == ["complete"]
    kept = json.loads(flash_read(state, "state.json"))
    # Last kept at 8:30, as the 8:00 prompt was missed: 2 hours prompted today, 1 done (rings of 7
    # indexed by the day since 2020-01-01: 2520 % 7 = 6), and 1 session.
    assert kept["t"] == 1795509000 and kept["counts"] == [0, 0, 0, 0, 0, 0, 2] + [0, 0, 0, 0, 0, 0, 1] + [1]
    second = sim("--start", DAY + "09:30:00", "--for", "1m", state=state)
    screen = second.kinds("screen")[0]
    # Prompted 7 and 8, 7 done; 10 to 21 to come (9, the hour it starts in, is not prompted).
    assert (screen["name"], screen["text"]) == ("idle", ["09:30", "Next 10:00", "1/14 today", "7d 50%", "50%"])


def test_a_double_press_at_the_prompt_says_not_now_for_the_hour(sim):
    """An ignored prompt sounds about six times an hour: a double press ends it at once, without
    another sound that hour, journaled as declined (neither done nor missed)."""
    run = sim("--start", DAY + "08:59:00", "--for", "70m", script="09:00:05 double\n")
    assert run.code == 0, run.stderr
    ((t, declined),) = run.logs("declined")
    assert t.startswith(DAY + "09:00:0") and (declined["hour"], declined["snoozes"]) == (9, 0)
    assert [r["action"] for _, r in run.logs("gesture")] == ["decline"]
    assert [tt for tt, _ in run.tones() if t < tt < DAY + "10:00"] == []
    assert run.logs("missed") == [] and [tt for tt, _ in run.logs("reminder")] == [DAY + "10:05:00.000"]
    prompt = next(e for e in run.kinds("screen") if e["name"] == "prompt")
    assert prompt["text"][-1] == "Twice: not now"
    assert [tt for tt, _ in run.logs("prompt")] == [DAY + "09:00:00.000", DAY + "10:00:00.000"]


def test_each_settings_problem_counts_and_the_keys_back_to_their_defaults_are_named(sim):
    settings = {"volume": 7, "hold_seconds": 40, "tone": 1, "snooze_minutes": 5}
    run = sim("--start", DAY + "06:59:00", "--for", "2m", settings=settings)
    assert run.code == 0, run.stderr
    assert [r["problem"] for _, r in run.logs("settings_rejected")] == [
        "hold_seconds must be 3 to 30, got 40; using 10",
        'unknown setting "tone" ignored',
        "volume must be 0 to 3, got 7; using 2",
    ]
    first = run.kinds("screen")[0]
    # Not "Defaults in use": snooze_minutes is taken as set.
    assert (first["name"], first["text"]) == (
        "problem",
        ["3 settings problems", "hold_seconds must", "be 3 to 30, got 40;", "using 10", "Default for"]
        + ["hold_seconds,", "volume"],
    )
