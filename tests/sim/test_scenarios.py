"""Scenarios: the real firmware on the simulated board, driven by scripts, asserted from the trace."""

import json
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.journal_codec import SIZE
from journal import BUDGET_BYTES
from simrun import ANKLEPUMP

DAY = "2026-11-24T"
# A scripted press holds the button 150 ms; the decoder then waits 400 ms for a second press.
PRESS_SEEN_MS = 550


def at(clock, ms=0, day=DAY):
    """'HH:MM:SS' (+ ms) -> the trace's time stamp."""
    t = datetime.fromisoformat(day + clock) + timedelta(milliseconds=ms)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}"


def test_prompts_only_on_the_hour_inside_active_hours(sim):
    run = sim("--start", DAY + "00:00:00", "--for", "24h")
    assert run.code == 0, run.stderr
    prompts = [(t, r["hour"]) for t, r in run.logs("prompt")]
    assert prompts == [(at("%02d:00:00" % h), h) for h in range(7, 22)]
    missed = run.logs("missed")
    assert [(t, r["hour"], r["snoozes"]) for t, r in missed] == [(at("%02d:30:00" % h), h, 0) for h in range(7, 22)]
    assert all(at("07:00:00") <= t < at("22:00:00") for t, _ in run.tones())


def test_up_and_down_cues_every_twelve_seconds_alternating_high_and_low(sim):
    run = sim("--start", DAY + "06:59:00", "--for", "10m", script="07:00:05 press\n")
    assert run.code == 0, run.stderr
    cues = run.cues("up", "down")
    start = PRESS_SEEN_MS
    assert run.logs("session_start")[0][0] == at("07:00:05", start)
    # 12 reps, then a 13th of 4.5 s each way: the session is its 5 minutes.
    assert cues == [(at("07:00:08", start + 12000 * i), "up" if i % 2 == 0 else "down") for i in range(24)] + [
        (at("07:04:56", start), "up"),
        (at("07:05:00.500", start), "down"),
    ]
    # Each hold begins with a cue of its own, after the 2 s move.
    holds = [t for t, _ in run.cues("hold")]
    assert holds[:2] == [at("07:00:10", start), at("07:00:22", start)]
    assert len(holds) == 26
    ticks = [t for t, _ in run.cues("tick")]
    assert ticks[:4] == [at("07:00:05", start), at("07:00:06", start), at("07:00:07", start), at("07:00:17", start)]
    assert run.logs("session_end")[0][0] == at("07:05:05", start)
    assert (run.logs("session_end")[0][1]["result"], run.logs("session_end")[0][1]["seconds"]) == ("complete", 300)


def test_pause_shifts_the_timeline(sim):
    script = "07:00:05 press\n07:01:00.500 press\n07:01:40.500 press\n"
    run = sim("--start", DAY + "06:59:00", "--for", "10m", script=script)
    cues = [t for t, _ in run.cues("up", "down")]
    start = PRESS_SEEN_MS
    assert run.logs("pause")[0][0] == at("07:01:00.500", PRESS_SEEN_MS)
    assert run.logs("resume")[0][0] == at("07:01:40.500", PRESS_SEEN_MS)
    pause_ms = 40000
    before = [t for t in cues if t < at("07:01:00.500", PRESS_SEEN_MS)]
    assert before == [at("07:00:08", start + 12000 * i) for i in range(5)]
    after = [t for t in cues if t > at("07:01:00.500", PRESS_SEEN_MS)]
    assert after == [at("07:00:08", start + 12000 * i + pause_ms) for i in range(5, 24)] + [
        at("07:04:56", start + pause_ms),
        at("07:05:00.500", start + pause_ms),
    ]
    assert run.logs("session_end")[0][0] == at("07:05:05", start + pause_ms)


def test_hold_ends_a_session_early(sim):
    run = sim("--start", DAY + "06:59:00", "--for", "10m", script="07:00:05 press\n07:01:00 hold\n")
    ((t, end),) = run.logs("session_end")
    # The hold is reported 1.5 s after the button goes down.
    assert t == at("07:01:01.500")
    assert (end["result"], end["seconds"], end["reps"]) == ("partial", 55, 2)
    assert all(tt <= t for tt, _ in run.cues("up", "down"))


def test_a_snooze_must_keep_its_promise(sim):
    # With the defaults (snooze 10 min, missed after 30) a third snooze at 09:20 would promise a
    # re-prompt at 09:30, after the miss: the prompt says it can be snoozed no more, and the hold
    # says no by sound and in the journal.
    script = "09:00:05 hold\n09:10:10 hold\n09:20:15 hold\n09:29:30 hold\n"
    run = sim("--start", DAY + "08:59:00", "--for", "40m", script=script)
    assert [(t, r["count"]) for t, r in run.logs("snooze")] == [
        (at("09:00:06.500"), 1),
        (at("09:10:11.500"), 2),
    ]
    assert [(t, r["snoozes"]) for t, r in run.logs("prompt")] == [
        (at("09:00:00"), 0),
        (at("09:10:06.500"), 1),
        (at("09:20:11.500"), 2),
    ]
    gestures = [(t, r["gesture"], r["action"]) for t, r in run.logs("gesture")]
    assert gestures[2:] == [(at("09:20:16.500"), "hold", "no_snooze"), (at("09:29:31.500"), "hold", "no_snooze")]
    no = [t for t, name in run.cues("no")]
    assert no == [at("09:20:16.500"), at("09:29:31.500")]
    reprompt = [e["text"] for e in run.kinds("screen") if e["t"] == at("09:20:11.500")]
    assert reprompt == [["Ankle", "pumps", "Press to start", "No more snoozes", "Twice: not now"]]
    assert [(t, r["snoozes"]) for t, r in run.logs("missed")] == [(at("09:30:00"), 2)]


def test_quiet_hours_are_silent(sim):
    run = sim(
        "--start",
        DAY + "21:30:00",
        "--for",
        "10h",
        script="23:00:00 press\n23:00:05 press\n03:00:00 double\n".replace("03:00:00", "1+03:00:00"),
    )
    assert run.code == 0, run.stderr
    night = [t for t, _ in run.tones() if at("22:00:00") <= t < at("07:00:00", day="2026-11-25T")]
    assert night == []
    assert run.logs("prompt")[-1][0] == at("07:00:00", day="2026-11-25T")
    assert [name for t, name in run.screens() if t >= at("23:00:00")][:2] == ["quiet", "off"]
    assert run.logs("session_start") == []


def test_clock_not_set(sim):
    run = sim("--for", "150m", first_start=True)
    assert run.code == 0, run.stderr
    first = run.kinds("screen")[0]
    assert first["t"] == "+00:00:00.000"
    assert first["name"] == "notice"
    # The first-start notice, left unpressed, yields to each prompt (the clock not set: hourly from boot).
    assert [t for t, _ in run.logs("prompt")] == ["+01:00:00.000", "+02:00:00.000"]
    boot = run.logs("boot")[0][1]
    assert (boot["boot"], boot["up"]) == (1, 0)
    assert "t" not in boot


def test_clock_not_set_prompts_hourly_from_boot(sim):
    run = sim("--for", "150m")
    assert [t for t, _ in run.logs("prompt")] == ["+01:00:00.000", "+02:00:00.000"]
    screen = run.kinds("screen")[0]
    assert screen["name"] == "no_clock"
    assert any("not set" in line.lower() for line in screen["text"])


# Set by hand: a long hold in idle, then a hold to confirm each of year, month, day, hour and minute.
SET_BY_HAND = "10:24:00 long\n+10 hold\n+10 hold\n+10 hold\n+10 hold\n"


def unix_at(clock):
    return round(datetime.fromisoformat(DAY + clock + "+00:00").timestamp())


def test_a_clock_set_by_hand_through_its_five_fields_unchanged_runs_on_as_it_was(sim):
    run = sim("--start", DAY + "10:23:40", "--for", "3m", script=SET_BY_HAND + "+10 hold\n")
    assert run.code == 0, run.stderr
    # The fifth hold is seen at 10:24:51.500, 51.5 s after the minute the fields were read in.
    (confirm,) = [t for t, r in run.logs("gesture") if r["action"] == "set_clock" and r["gesture"] == "hold"]
    assert confirm == at("10:24:51.500")
    assert [e["unix"] for e in run.kinds("clock")] == [unix_at("10:24:51")]
    # Less than a second from where it ran: no jump to journal.
    assert run.logs("clock_set") == []


def test_a_minute_stepped_by_hand_moves_the_clock_by_that_minute(sim):
    # The minute 10:24 stepped up twice, to 10:26, and confirmed at 10:24:57.500.
    run = sim("--start", DAY + "10:23:40", "--for", "3m", script=SET_BY_HAND + "+3 press\n+3 press\n+10 hold\n")
    assert run.code == 0, run.stderr
    assert [e["unix"] for e in run.kinds("clock")] == [unix_at("10:26:57")]
    assert [(r["was"], r["t"]) for _, r in run.logs("clock_set")] == [(unix_at("10:24:57"), unix_at("10:26:57"))]


def test_corrupt_settings_show_a_problem_and_run_on_defaults(sim):
    run = sim("--start", DAY + "06:59:00", "--for", "2m", settings='{"volume": 2, "hold_seconds": ')
    assert run.code == 0, run.stderr
    first = run.kinds("screen")[0]
    assert first["name"] == "problem"
    assert [r["problem"] for _, r in run.logs("settings_rejected")] == ["the file is not valid JSON; using defaults"]
    assert [t for t, _ in run.logs("prompt")] == [at("07:00:00")]
    # Default volume 2 and the default chime.
    assert run.kinds("tone")[0]["volume"] == 2


def test_deeply_nested_settings_start_the_simulator_on_defaults(sim):
    # The launcher reads the file's UTC offset with the device's parser, as the firmware does.
    run = sim("--start", DAY + "06:59:00", "--for", "2m", settings="[" * 2000 + "]" * 2000)
    assert run.code == 0, run.stderr
    assert run.kinds("screen")[0]["name"] == "problem"
    problems = [r["problem"] for _, r in run.logs("settings_rejected")]
    assert problems == ["the file nests more than 8 levels deep; using defaults"]
    assert [t for t, _ in run.logs("prompt")] == [at("07:00:00")]


def test_without_a_display_the_coach_runs_on_by_sound_and_says_so_once(sim):
    """No display answering on I2C (a loose cable, another address): no reboot loop; the prompt
    chimes, the session's cues sound and are journaled, and one error record names the display
    although it is tried again every minute."""
    run = sim("--start", DAY + "06:59:00", "--for", "2h", "--fault", "display", script="07:00:05 press\n")
    assert run.code == 0, run.stderr
    assert run.kinds("reset") == [] and run.kinds("screen") == []
    assert [(t, r["message"]) for t, r in run.logs("error")] == [(at("06:59:00"), "display: no answer on I2C")]
    assert [t for t, _ in run.logs("prompt")] == [at("07:00:00"), at("08:00:00")]
    assert [r["result"] for _, r in run.logs("session_end")] == ["complete"]
    assert run.cues("chime")[0] == (at("07:00:00"), "chime")
    assert len(run.cues("up")) == 13


def test_a_script_line_already_passed_is_an_error_naming_the_line(sim):
    run = sim("--start", DAY + "09:30:00", "--for", "1h", script="09:45:00 press\n09:40:00 press\n")
    assert run.code == 1
    assert run.stderr == "anklepump: script line 2: 09:40:00 has already passed (the run is at 09:45:00 by then)\n"


def test_the_journal_survives_between_runs(sim, tmp_path):
    state = tmp_path / "kept"
    first = sim("--start", DAY + "06:59:00", "--for", "2m", state=state, first_start=True)
    second = sim("--start", DAY + "07:30:00", "--for", "1m", state=state)
    assert first.logs("boot")[0][1]["seq"] == 1
    last_seq = first.kinds("log")[-1]["record"]["seq"]
    boot = second.logs("boot")[0][1]
    assert (boot["seq"], boot["boot"]) == (last_seq + 1, 2)
    assert first.kinds("screen")[0]["name"] == "notice"
    # Not a first start any more: no notice.
    assert second.kinds("screen")[0]["name"] == "idle"
    dump = subprocess.run(
        [ANKLEPUMP, "journal", "dump", "--state", str(state)], capture_output=True, text=True, check=True
    )
    assert [json.loads(line)["seq"] for line in dump.stdout.splitlines()] == list(
        range(1, last_seq + len(second.kinds("log")) + 1)
    )


def test_volume_zero_is_silent(sim):
    run = sim("--start", DAY + "06:59:00", "--for", "10m", settings={"volume": 0}, script="07:00:05 press\n")
    assert run.logs("session_end")[0][1]["result"] == "complete"
    assert run.tones() == []


def test_a_simulated_week_runs_through(sim):
    script = "".join("%d+%02d:00:03 press\n" % (d, h) for d in range(7) for h in range(7, 22))
    run = sim("--start", DAY + "00:00:00", "--for", "7d", script=script)
    assert run.code == 0, run.stderr
    ends = run.logs("session_end")
    assert len(ends) == 7 * 15
    assert {r["result"] for _, r in ends} == {"complete"}


def test_the_default_budget_holds_ninety_days_of_hourly_use(sim, tmp_path):
    """Records per day from simulated days of use, against the journal's capacity."""
    capacity = BUDGET_BYTES // SIZE
    done_every_hour = "".join("%02d:00:03 press\n" % h for h in range(7, 22))
    busy = sim("--start", DAY + "00:00:00", "--for", "24h", script=done_every_hour)
    ignored = sim("--start", DAY + "00:00:00", "--for", "24h", state=tmp_path / "ignored")
    for run in (busy, ignored):
        assert run.code == 0, run.stderr
        per_day = len(run.kinds("log"))
        assert per_day * 90 <= capacity, (per_day, capacity)
    # Every prompt ignored is the heavier day: a prompt, five reminders and a miss each hour.
    assert len(ignored.kinds("log")) == 1 + 15 * 7


def test_a_script_says_how_long_each_press_lasts(sim):
    # A slow 1.2 s press is a press (seen 0.4 s after its release); one held 2 s is a hold.
    script = "09:00:05 press 1.2s\n10:00:05 press 2.0s\n"
    run = sim("--start", DAY + "08:59:00", "--for", "70m", script=script)
    assert run.code == 0, run.stderr
    assert [(t, r["gesture"], r["action"]) for t, r in run.logs("gesture")] == [
        (at("09:00:06.600"), "press", "start"),
        (at("10:00:06.500"), "hold", "snooze"),
    ]


def test_the_double_press_window_is_the_setting_s_whole_400_ms(sim):
    # The second press goes down 390 ms after the first is released: a double. At 400 ms, two presses.
    script = "09:00:05 press\n+0.54 press\n09:03:00 hold\n10:00:05 press\n+0.55 press\n"
    run = sim("--start", DAY + "08:59:00", "--for", "62m", script=script)
    assert run.code == 0, run.stderr
    assert [(t, r["gesture"], r["action"]) for t, r in run.logs("gesture")] == [
        (at("09:00:05.720"), "double", "decline"),
        (at("09:03:01.500"), "hold", "none"),
        (at("10:00:05.550"), "press", "start"),
        (at("10:00:06.100"), "press", "pause"),
    ]


def test_the_move_and_the_hold_read_as_one_instruction_each(sim):
    # "TOES UP" while moving, no count; then "HOLD 10" ... "HOLD 1", begun with a cue of its own.
    run = sim("--start", DAY + "06:59:00", "--for", "3m", script="07:00:05 press\n")
    assert run.code == 0, run.stderr
    start = PRESS_SEEN_MS
    first_up = []
    for e in run.kinds("screen"):
        # Redrawn every second for the time left: each change of instruction or count, once.
        if at("07:00:08", start) <= e["t"] < at("07:00:20", start) and (
            not first_up or first_up[-1][1] != e["text"][:2]
        ):
            first_up.append((e["t"], e["text"][:2]))
    assert first_up == [(at("07:00:08", start), ["TOES UP", "Rep 1/13"])] + [
        (at("07:00:10", start + 1000 * i), ["HOLD", str(10 - i)]) for i in range(10)
    ]
    holds = [t for t, _ in run.cues("hold")]
    assert holds[0] == at("07:00:10", start)
    # Rhythmic pumps are all moves: nothing counts down but the get-ready.
    run = sim("--start", DAY + "06:59:00", "--for", "3m", script="07:00:05 press\n", settings={"cadence": "rhythmic"})
    pumps = [e["text"] for e in run.kinds("screen") if e["name"] == "session" and e["text"][0] != "GET READY"]
    assert pumps and all(not text[1].isdigit() for text in pumps)
    assert run.cues("hold") == []


def test_prompts_keep_to_local_waking_hours_across_the_summer_time_switches(sim):
    # New York's rule, as sync sets it: 2026-03-08 has 23 hours, 2026-11-01 has 25.
    new_york = ZoneInfo("America/New_York")
    for day, hours in (("2026-03-08T", 23), ("2026-11-01T", 25)):
        run = sim("--start", day + "00:00:00", "--for", f"{hours}h", settings={"tz": "EST5EDT,M3.2.0,M11.1.0"})
        assert run.code == 0, run.stderr
        prompts = [(t, r["hour"], r["t"]) for t, r in run.logs("prompt")]
        # The trace's times are the device's local times; the records' t are Unix seconds.
        local = datetime.fromisoformat(day + "00:00:00").date()
        assert prompts == [
            (
                at("%02d:00:00" % h, day=day),
                h,
                int(datetime(local.year, local.month, local.day, h, tzinfo=new_york).timestamp()),
            )
            for h in range(7, 22)
        ]
        assert all(at("07:00:00", day=day) <= t < at("22:00:00", day=day) for t, _ in run.tones())
        assert run.logs("clock_set") == []
