from core.clock import EPOCH
from rig import Rig, at, hms, unix_from_local

DAY_SCRIPT = [
    ("07:00:05", "press"),  # starts at once
    ("08:00:10", "hold"),  # snoozes, then starts at the re-prompt
    ("08:10:12", "press"),
    # 09:00 is ignored: missed
    ("10:00:03", "press"),  # starts, stops after a minute: partial
    ("10:01:03", "hold"),
    # 11:00 is ignored: missed
    ("11:58:00", "press"),  # wakes the display
    ("11:58:02", "press"),  # starts an extra session that ends in hour 12: no 12:00 prompt
    ("23:00:00", "press"),  # quiet hours: shows the clock dimly
]


def day_rig():
    rig = Rig()
    rig.run("23:59:59", DAY_SCRIPT)
    return rig


def cues_without_ticks(records):
    return [(t, k, v) for t, k, v in records if not (k == "sound" and v in ("tick", "up", "down", "hold"))]


def test_a_full_day_with_default_settings():
    rig = day_rig()
    assert rig.logs("prompt") == [
        ("07:00:00.000", ("prompt", 7, 0)),
        ("08:00:00.000", ("prompt", 8, 0)),
        ("08:10:10.000", ("prompt", 8, 1)),
        ("09:00:00.000", ("prompt", 9, 0)),
        ("10:00:00.000", ("prompt", 10, 0)),
        ("11:00:00.000", ("prompt", 11, 0)),
    ] + [("%02d:00:00.000" % h, ("prompt", h, 0)) for h in range(13, 22)]
    assert rig.logs("session_start") == [
        ("07:00:05.000", ("session_start", "prompt", 5, 0, 5)),
        ("08:10:12.000", ("session_start", "prompt", 612, 1, 5)),
        ("10:00:03.000", ("session_start", "prompt", 3, 0, 5)),
        ("11:58:02.000", ("session_start", "extra", -1, 0, 5)),
    ]
    assert rig.logs("session_end") == [
        ("07:05:05.000", ("session_end", "complete", 300, 13)),
        ("08:15:12.000", ("session_end", "complete", 300, 13)),
        ("10:01:03.000", ("session_end", "partial", 60, 2)),
        ("12:03:02.000", ("session_end", "complete", 300, 13)),
    ]
    assert rig.logs("missed") == [("09:30:00.000", ("missed", 9, 0)), ("11:30:00.000", ("missed", 11, 0))] + [
        ("%02d:30:00.000" % h, ("missed", h, 0)) for h in range(13, 22)
    ]
    assert rig.logs("snooze") == [("08:00:10.000", ("snooze", 1, 10))]
    assert rig.logs("gesture") == [
        ("07:00:05.000", ("gesture", "press", "start")),
        ("08:00:10.000", ("gesture", "hold", "snooze")),
        ("08:10:12.000", ("gesture", "press", "start")),
        ("10:00:03.000", ("gesture", "press", "start")),
        ("10:01:03.000", ("gesture", "hold", "stop")),
        ("11:58:00.000", ("gesture", "press", "wake")),
        ("11:58:02.000", ("gesture", "press", "start")),
        ("23:00:00.000", ("gesture", "press", "wake")),
    ]
    reminders = [t for t, _ in rig.logs("reminder")]
    assert reminders[:5] == ["09:05:00.000", "09:10:00.000", "09:15:00.000", "09:20:00.000", "09:25:00.000"]
    assert len(reminders) == 5 * 11  # hours 9, 11 and 13 to 21 went unanswered
    # Nothing at all is heard outside active hours.
    assert [t for t, _ in rig.sounds() if not "07:00:00.000" <= t < "22:00:00.000"] == []
    # Prompted hours 7..21 except 12 (suppressed by the session completed in it):
    # done are 7, 8 and 12 out of 15.
    assert rig.coach.counts[14] == 3  # sessions today
    assert rig.coach.view.adherence == 3 * 100 // 15


def small_ints_past(objects):
    """Names of the int attributes past the ESP32's small integers (31-bit signed), where
    arithmetic would make an object at every use."""
    return [
        (type(o).__name__, name, value)
        for o in objects
        for name, value in o.__dict__.items()
        if type(value) is int and not -(1 << 30) <= value < 1 << 30
    ]


def test_the_coach_keeps_to_the_esp32s_small_integers():
    # The clock counts from 2020 (core.clock.EPOCH): Unix seconds would be past them.
    rig = Rig(start="06:59:00")
    rig.run("07:02:00", [("07:00:05", "press")])
    coach = rig.coach
    assert small_ints_past((rig.now, coach, coach.sched, coach.view, coach.run, coach.run.plan)) == []
    rig.run("23:00:00")
    assert small_ints_past((rig.now, coach, coach.sched, coach.view)) == []


def test_the_morning_in_full():
    rig = day_rig()
    morning = [r for r in rig.records if r[0] < "08:00:00.000"]
    assert cues_without_ticks(morning) == [
        ("00:00:00.000", "screen", "off"),
        ("07:00:00.000", "screen", "prompt"),
        ("07:00:00.000", "sound", "chime"),
        ("07:00:00.000", "log", ("prompt", 7, 0)),
        ("07:00:05.000", "screen", "session"),
        ("07:00:05.000", "log", ("gesture", "press", "start")),
        ("07:00:05.000", "log", ("session_start", "prompt", 5, 0, 5)),
        ("07:05:05.000", "screen", "done"),
        ("07:05:05.000", "sound", "melody"),
        ("07:05:05.000", "log", ("session_end", "complete", 300, 13)),
        ("07:05:15.000", "screen", "idle"),
        ("07:07:15.000", "screen", "off"),
    ]


def test_session_cues_are_exactly_twelve_seconds_apart_alternating():
    rig = day_rig()
    session = [(t, s) for t, s in rig.sounds() if "07:00:05.000" <= t < "07:05:05.000"]
    changes = [(t, s) for t, s in session if s in ("up", "down")]
    start = at("07:00:08")
    # 12 reps, then a 13th of 4.5 s each way that fills the 5 minutes.
    assert changes == [(hms(start + 12000 * i), "up" if i % 2 == 0 else "down") for i in range(24)] + [
        ("07:04:56.000", "up"),
        ("07:05:00.500", "down"),
    ]
    # Each hold begins with its own cue, 2 s (the move) after the change.
    holds = [t for t, s in session if s == "hold"]
    assert holds == [hms(at(t) + 2000) for t, _ in changes]
    ticks = [t for t, s in session if s == "tick"]
    assert ticks[:6] == ["07:00:05.000", "07:00:06.000", "07:00:07.000", "07:00:17.000", "07:00:18.000", "07:00:19.000"]
    assert len(ticks) == 75 + 4


def test_pause_shifts_every_later_cue_by_the_paused_time():
    rig = Rig(start="09:50:00")
    rig.run(
        "10:10:00",
        [("09:55:00", "press"), ("09:55:00.001", "press"), ("09:56:00.500", "press"), ("09:56:31.250", "press")],
    )
    logs = rig.logs()
    assert ("09:56:00.500", ("pause", 60)) in logs
    assert ("09:56:31.250", ("resume", 60)) in logs
    changes = [t for t, s in rig.sounds() if s in ("up", "down")]
    assert changes[:5] == ["09:55:03.001", "09:55:15.001", "09:55:27.001", "09:55:39.001", "09:55:51.001"]
    # Paused 60.499 s into the session for 30.750 s: the cue due at 63 s comes 30.750 s late.
    assert changes[5] == "09:56:33.751"
    assert rig.logs("session_end") == [("10:00:30.751", ("session_end", "complete", 300, 13))]
    assert ("09:56:00.500", "screen", "paused") in rig.records


def test_hold_ends_a_session_early_as_partial():
    rig = Rig(start="06:59:00")
    rig.run("07:10:00", [("07:00:01", "press"), ("07:00:28.500", "hold")])
    assert rig.logs("session_end") == [("07:00:28.500", ("session_end", "partial", 27, 1))]
    assert "melody" not in [s for _, s in rig.sounds()]
    assert rig.coach.view.adherence == 0  # the one hour prompted is not done


def test_a_snooze_is_offered_only_while_its_re_prompt_comes_before_the_miss():
    rig = Rig(start="08:59:00")
    rig.run("10:00:30", [("09:00:02", "hold"), ("09:10:04", "hold"), ("09:20:06", "hold"), ("09:30:00", "hold")])
    assert rig.logs("snooze") == [
        ("09:00:02.000", ("snooze", 1, 10)),
        ("09:10:04.000", ("snooze", 2, 10)),
    ]
    assert rig.logs("prompt") == [
        ("09:00:00.000", ("prompt", 9, 0)),
        ("09:10:02.000", ("prompt", 9, 1)),
        ("09:20:04.000", ("prompt", 9, 2)),
        ("10:00:00.000", ("prompt", 10, 0)),
    ]
    # A third snooze would re-prompt at 09:30:06, after the miss: the hold says no, on screen and
    # by sound, and the prompt stays until it is missed at 30 min.
    assert ("09:20:06.000", ("gesture", "hold", "no_snooze")) in rig.logs()
    assert ("09:20:06.000", "no") in rig.sounds()
    assert ("09:20:04.000", "screen", "prompt") in rig.records
    assert rig.logs("missed") == [("09:30:00.000", ("missed", 9, 2))]
    assert ("09:30:00.000", ("gesture", "hold", "no_snooze")) in rig.logs()


def test_the_prompt_says_when_it_can_be_snoozed_no_more():
    rig = Rig(start="08:59:00", settings={"reminder_minutes": 0})
    rig.run("09:19:59")
    assert (rig.coach.view.name, rig.coach.view.snooze_left_min) == ("prompt", 10)
    rig.run("09:20:00")
    assert (rig.coach.view.name, rig.coach.view.snooze_left_min) == ("prompt", 0)


def test_no_more_snoozes_than_allowed():
    rig = Rig(start="08:59:00", settings={"snooze_max": 1, "snooze_minutes": 5})
    rig.run("09:40:00", [("09:00:02", "hold"), ("09:05:03", "hold"), ("09:05:10", "press")])
    assert rig.logs("snooze") == [("09:00:02.000", ("snooze", 1, 5))]
    assert ("09:05:03.000", ("gesture", "hold", "no_snooze")) in rig.logs()
    assert rig.logs("session_start") == [("09:05:10.000", ("session_start", "prompt", 310, 1, 5))]


def test_a_reminder_due_as_the_hold_says_no_waits_until_the_no_is_heard():
    rig = Rig(start="08:59:00", settings={"snooze_max": 1, "snooze_minutes": 5})
    # Re-prompted at 09:05:02, to be reminded at 09:10:02: the hold says no 0.1 s before.
    rig.run("09:21:00", [("09:00:02", "hold"), ("09:10:01.900", "hold")])
    no = [t for t, s in rig.sounds() if s == "no"]
    assert no == ["09:10:01.900"]
    assert [t for t, s in rig.sounds() if s == "reminder"] == ["09:10:04.900", "09:15:04.900", "09:20:04.900"]
    assert [t for t, _ in rig.logs("reminder")] == ["09:10:04.900", "09:15:04.900", "09:20:04.900"]


def test_a_press_while_snoozed_starts_at_once():
    rig = Rig(start="08:59:00")
    rig.run("09:20:00", [("09:00:02", "hold"), ("09:04:00", "press")])
    assert rig.logs("session_start") == [("09:04:00.000", ("session_start", "prompt", 240, 1, 5))]
    assert [t for t, _ in rig.logs("prompt")] == ["09:00:00.000"]


def test_quiet_hours_are_silent_and_dark():
    rig = Rig(start="21:50:00")
    rig.run("1+06:59:00", [("22:30:00", "press"), ("22:30:05", "press"), ("03:00:00", "long")])
    assert rig.sounds() == []
    assert rig.logs("prompt") == []
    assert ("22:30:00.000", "screen", "quiet") in rig.records
    # The second press keeps the clock up for the dim time again; it starts nothing.
    assert ("22:30:35.000", "screen", "off") in rig.records
    assert ("22:30:05.000", ("gesture", "press", "wake")) in rig.logs()
    assert rig.logs("session_start") == []
    assert rig.coach.view.dim is False


def test_an_unanswered_prompt_a_paused_session_and_the_notice_dim():
    rig = Rig(start="06:59:00")
    rig.run("07:00:20")
    assert (rig.coach.view.name, rig.coach.view.dim) == ("prompt", False)
    rig.run("07:00:31")
    assert (rig.coach.view.name, rig.coach.view.dim) == ("prompt", True)
    rig.run("07:02:40", [("07:01:00", "press"), ("07:02:00", "press")])
    assert (rig.coach.view.name, rig.coach.view.dim) == ("paused", True)
    rig = Rig(start="06:50:00", first_start=True)
    rig.run("06:50:29")
    assert (rig.coach.view.name, rig.coach.view.dim) == ("notice", False)
    rig.run("06:50:31")
    assert (rig.coach.view.name, rig.coach.view.dim) == ("notice", True)


def test_the_first_start_notice_left_unpressed_yields_to_the_prompt_and_comes_back():
    rig = Rig(start="06:50:00", first_start=True)
    rig.run("08:10:00", [("07:00:05", "press")])
    assert [t for t, _ in rig.logs("prompt")] == ["07:00:00.000", "08:00:00.000"]
    assert [r[1] for _, r in rig.logs("session_end")] == ["complete"]
    names = [name for _, name in rig.screens()]
    assert names[:4] == ["notice", "prompt", "session", "done"]
    assert "notice" in names[4:] and "idle" not in names
    # Pressed at last: it is gone for good.
    rig.run("08:40:00", [("08:35:00", "press"), ("08:35:01", "press")])
    assert rig.coach.view.name != "notice"


def test_the_quiet_clock_shows_dimly():
    rig = Rig(start="23:00:00")
    rig.run("23:00:10", [("23:00:01", "press")])
    view = rig.coach.view
    assert (view.name, view.dim, view.hour, view.minute) == ("quiet", True, 23, 0)


def test_idle_screen_dims_then_sleeps_and_shows_the_day():
    rig = Rig(start="07:00:00")
    rig.run("07:10:20", [("07:00:01", "press"), ("07:10:00", "press")])
    assert rig.screens() == [
        ("07:00:00.000", "idle"),
        ("07:00:01.000", "session"),
        ("07:05:01.000", "done"),
        ("07:05:11.000", "idle"),
        ("07:07:11.000", "off"),
        ("07:10:00.000", "idle"),
    ]
    view = rig.coach.view
    assert (view.name, view.dim) == ("idle", False)
    rig.run("07:10:31")
    view = rig.coach.view
    assert (view.name, view.dim) == ("idle", True)
    assert (view.hour, view.minute, view.next_hour, view.next_in_min) == (7, 10, 8, 50)
    # Today counts prompted hours: the extra session was in the hour the device started in,
    # which is not prompted; 14 prompts are to come. None prompted yet, so no adherence.
    assert (view.done_today, view.expected_today, view.adherence_today, view.adherence) == (0, 14, -1, -1)


def test_settings_problems_are_shown_once():
    # The shell journals them (once for each version of the file), not the coach.
    rig = Rig(problems=["volume must be 0 to 3, got 9; using 2"], start="08:00:00")
    assert rig.records[:1] == [("08:00:00.000", "screen", "problem")]
    assert rig.logs() == []
    assert rig.coach.view.problems == ("volume must be 0 to 3, got 9; using 2",)
    rig.run("08:01:00")
    assert rig.screens()[1] == ("08:00:20.000", "idle")


def test_pain_check_after_a_session():
    rig = Rig(settings={"pain_check": True}, start="06:59:00")
    rig.run(
        "07:10:00",
        [
            ("07:00:01", "press"),
            ("07:05:03", "press"),
            ("07:05:04", "press"),
            ("07:05:05", "press"),
            ("07:05:07", "hold"),
        ],
    )
    assert rig.screens()[3:6] == [("07:05:01.000", "done"), ("07:05:03.000", "pain"), ("07:05:07.000", "idle")]
    assert rig.logs("pain") == [("07:05:07.000", ("pain", 2))]


def test_a_double_press_at_the_prompt_declines_its_hour():
    """Not now: no more sound that hour, counted neither done nor missed; snoozed too."""
    gestures = [("09:00:05", "double"), ("10:00:02", "press"), ("10:09:50", "press")]
    rig = Rig(start="08:59:00")
    rig.run("10:10:00", gestures)
    assert rig.logs("declined") == [("09:00:05.000", ("declined", 9, 0))]
    assert rig.logs("gesture")[0] == ("09:00:05.000", ("gesture", "double", "decline"))
    assert rig.screens()[1:3] == [("09:00:00.000", "prompt"), ("09:00:05.000", "idle")]
    assert [t for t, _ in rig.sounds() if "09:00:00.000" < t < "10:00:00.000"] == []
    assert rig.logs("missed") == [] and rig.logs("reminder") == []
    view = rig.coach.view
    # 10 prompted and done, 11 to 21 to come; 9 is not counted.
    assert (view.done_today, view.expected_today, view.adherence_today, view.adherence) == (1, 12, 100, 100)
    rig.run("11:10:00", [("11:00:05", "hold"), ("11:05:00", "double")])
    assert rig.logs("declined")[1:] == [("11:05:00.000", ("declined", 11, 1))]
    assert rig.logs("missed") == []


def test_the_pain_question_is_cued_and_every_press_counts_even_quick_ones():
    # Quick presses come as doubles: each of their two presses adds one.
    rig = Rig(settings={"pain_check": True}, start="06:59:00")
    presses = [("07:00:01", "press"), ("07:05:03", "press"), ("07:05:04", "double"), ("07:05:05", "press")]
    rig.run("07:10:00", presses + [("07:05:07", "hold")])
    assert ("07:05:03.000", "pain") in rig.sounds()
    assert rig.logs("pain") == [("07:05:07.000", ("pain", 3))]


def test_a_pain_score_left_unsaved_is_saved_when_the_screen_times_out():
    rig = Rig(settings={"pain_check": True}, start="06:59:00")
    rig.run("07:10:00", [("07:00:01", "press"), ("07:05:03", "press"), ("07:05:04", "press"), ("07:05:05", "press")])
    assert rig.logs("pain") == [("07:06:03.000", ("pain", 2))]
    # With no press at all there is no answer to save: nothing is logged.
    rig = Rig(settings={"pain_check": True}, start="06:59:00")
    rig.run("07:10:00", [("07:00:01", "press")])
    assert rig.logs("pain") == []


def test_nothing_sounds_in_quiet_hours_a_prompt_open_at_the_end_ends_quietly():
    # Active hours end at 21:10: the 21:00 prompt's reminders stop, and it is missed at 21:10.
    rig = Rig(settings={"active_end": "21:10"}, start="20:59:00")
    rig.run("23:00:00")
    assert [t for t, _ in rig.logs("reminder")] == ["21:05:00.000"]
    assert rig.logs("missed") == [("21:10:00.000", ("missed", 21, 0))]
    assert [t for t, _ in rig.sounds() if t >= "21:10:00.000"] == []
    # A snooze at 21:00 would re-prompt at 21:10:06, in quiet hours: none is offered, and the
    # prompt ends at 21:10.
    rig = Rig(settings={"active_end": "21:10"}, start="20:59:00")
    rig.run("23:00:00", [("21:00:06", "hold")])
    assert ("21:00:06.000", ("gesture", "hold", "no_snooze")) in rig.logs()
    assert rig.logs("missed") == [("21:10:00.000", ("missed", 21, 0))]
    assert [t for t, _ in rig.sounds() if t >= "21:10:00.000"] == []


def test_clock_not_set_prompts_an_hour_after_boot_and_says_so():
    rig = Rig(clock_set=False)
    assert rig.coach.view.name == "no_clock"
    assert rig.coach.view.next_in_min == 60
    rig.run("03:30:00")
    assert [t for t, _ in rig.logs("prompt")] == ["01:00:00.000", "02:00:00.000", "03:00:00.000"]


def test_setting_the_clock_while_running_keeps_the_hour_already_prompted():
    rig = Rig(clock_set=False)
    rig.run("01:20:00", [("01:00:05", "press")])
    # 01:20 after boot the host sets the clock to 09:20 local: the prompt 20 min ago was in hour 9.
    rig.set_clock((rig.unix0 + 9 * 3600 + 20 * 60) * 1000)
    rig.step()
    rig.run("02:45:00")
    assert rig.logs("clock_set") == [("01:20:00.000", ("clock_set", 80 * 60, False))]
    # Local 10:00 comes 40 min later, at 02:00 since boot: prompted once, as hour 10.
    assert rig.logs("prompt") == [("01:00:00.000", ("prompt", 1, 0)), ("02:00:00.000", ("prompt", 10, 0))]


def test_clock_set_backwards_does_not_repeat_the_prompt():
    rig = Rig(start="09:59:00")
    rig.run("10:05:00", [("10:00:10", "press")])
    rig.set_clock((rig.unix0 + 9 * 3600 + 10 * 60) * 1000)
    rig.step()
    rig.run("11:30:00")
    assert rig.logs("clock_set") == [("10:05:00.000", ("clock_set", rig.unix0 + 10 * 3600 + 5 * 60, True))]
    # The next prompt is at 10:00 on the corrected clock, 50 min after the correction.
    assert [t for t, _ in rig.logs("prompt")] == ["10:00:00.000", "10:55:00.000"]


def test_setting_the_clock_by_hand():
    rig = Rig(clock_set=False)
    steps = [("00:10:00", "long")]
    # year 2026 -> 2026, month 1 -> 11, day 1 -> 24, hour 12 -> 9, minute 0 -> 30
    script = ["hold"] + ["press"] * 10 + ["hold"] + ["press"] * 23 + ["hold"] + ["double"] * 3 + ["hold"]
    script += ["press"] * 30 + ["hold"]
    for i, g in enumerate(script):
        steps.append((at("00:10:01") + i * 1000, g))
    rig.run("00:20:00", steps)
    assert rig.logs("gesture")[0] == ("00:10:00.000", ("gesture", "long", "set_clock"))
    assert rig.logs("gesture")[-1][1] == ("gesture", "hold", "set_clock")
    assert rig.logs("clock_set") == [("00:11:11.001", ("clock_set", 671, False))]
    # The last hold, at 00:11:11 since boot, set 09:30:00; 8 min 49 s later it is 09:38:49.
    assert at("00:10:01") + (len(script) - 1) * 1000 == at("00:11:11")
    assert rig.local(at("00:20:00")) == (2026, 11, 24, 9, 38, 49)


def test_gentle_start_ramp_lengthens_sessions_day_by_day():
    rig = Rig(
        settings={"ramp_start_minutes": 2}, start="06:59:00", first_day=unix_from_local(2026, 11, 23, 0, 0, 0) // 86400
    )
    rig.run("07:10:00", [("07:00:01", "press")])
    assert rig.logs("session_start") == [("07:00:01.000", ("session_start", "prompt", 1, 0, 3))]
    # Day 2 of use: 2 + 1 minutes, 7 reps of 24 s after the get-ready and an 8th of what is left.
    assert rig.logs("session_end") == [("07:03:01.000", ("session_end", "complete", 180, 8))]


def test_rhythmic_session_cues():
    rig = Rig(settings={"cadence": "rhythmic", "pumps_per_minute": 30, "session_minutes": 1}, start="06:59:00")
    rig.run("07:02:00", [("07:00:00.500", "press")])
    changes = [(t, s) for t, s in rig.sounds() if s in ("up", "down")]
    assert changes[:3] == [("07:00:03.500", "up"), ("07:00:04.500", "down"), ("07:00:05.500", "up")]
    # 28 pumps of 2 s and a 29th of 1 s fill the minute.
    assert len(changes) == 2 * 29
    assert changes[-2:] == [("07:00:59.500", "up"), ("07:01:00.000", "down")]
    assert rig.logs("session_end") == [("07:01:00.500", ("session_end", "complete", 60, 29))]


def test_a_paused_session_left_alone_ends_as_partial():
    rig = Rig(start="06:59:00")
    rig.run("07:30:00", [("07:00:01", "press"), ("07:01:01", "press")])
    assert rig.logs("session_end") == [("07:11:01.000", ("session_end", "partial", 60, 2))]


def test_the_session_screen_values():
    rig = Rig(start="06:59:00")
    rig.run("07:00:20.500", [("07:00:01", "press")])
    view = rig.coach.view
    # 19.5 s in: rep 1, down move (15..17 s) is over, down hold has 7.5 s left.
    assert (view.name, view.phase, view.count, view.rep, view.reps, view.left_s) == (
        "session",
        "down_hold",
        8,
        1,
        13,
        281,
    )


def test_adherence_over_the_last_seven_days():
    rig = Rig(start="06:59:00")
    # Nine days: on day d the patient answers the first d prompts (at most all 15).
    gestures = []
    for day in range(9):
        for hour in range(7, 7 + min(day, 15)):
            gestures.append(("%d+%02d:00:02" % (day, hour), "press"))
    rig.run("8+23:00:00", gestures)
    # Days 2..8 count: done 2+3+...+8 = 35 of 7 x 15 = 105 prompted hours.
    assert rig.coach.view.name == "off"
    rig.run("8+23:00:05", [("8+23:00:01", "press")])
    assert rig.coach.view.adherence == 35 * 100 // 105
    assert len(rig.logs("session_end")) == sum(range(9))


def test_today_counts_prompted_hours_done_of_those_prompted_and_still_to_come():
    """Two sessions in one hour are one hour done; a device started at noon expects the
    prompts from 13:00 on, not 15."""
    rig = Rig(start="12:00:05")
    gestures = [("13:00:02", "press"), ("13:06:00", "press"), ("13:06:01", "press"), ("15:00:02", "press")]
    rig.run("15:10:00", gestures + [("15:09:50", "press")])
    assert [r[1] for _, r in rig.logs("session_end")] == ["complete"] * 3
    view = rig.coach.view
    # Prompted 13, 14 (missed) and 15: 13 and 15 done; 16 to 21 to come.
    assert (view.name, view.done_today, view.expected_today, view.adherence_today) == ("idle", 2, 9, 67)
    # 2 of 3 done: 67 %, as the report rounds its 66.7 %.
    assert view.adherence == 67
    rig.run("15:44:20", [("15:39:00", "press"), ("15:39:01", "press")])
    # An extra session in an hour already done adds nothing.
    assert (view.done_today, view.expected_today) == (2, 9)
    assert rig.coach.counts[14] == 4


def kept_counts(prompted, done, sessions, t):
    """Counts as state.json keeps them (Coach.counts) for the local day of Unix time t."""
    day = (t - EPOCH) // 86400 % 7
    counts = [0] * 15
    counts[day], counts[7 + day], counts[14] = prompted, done, sessions
    return counts


def test_the_counts_kept_at_a_reboot_are_taken_up_once_the_clock_is_known():
    kept_t = unix_from_local(2026, 11, 24, 8, 0, 0)
    kept = kept_counts(2, 1, 1, kept_t)
    rig = Rig(clock_set=False, kept_t=kept_t, kept=kept)
    rig.run("00:00:10")
    # The clock not set: counted on no day yet.
    assert (rig.coach.view.done_today, rig.coach.view.adherence) == (0, -1)
    rig.set_clock(unix_from_local(2026, 11, 24, 9, 30, 0) * 1000)
    rig.run("00:01:30")
    view = rig.coach.view
    # Prompted 2, 1 done; 10 to 21 to come.
    assert (view.name, view.done_today, view.expected_today, view.adherence_today, view.adherence) == (
        "idle",
        1,
        14,
        50,
        50,
    )
    # The next day, and a week later, as a reboot with the clock set finds them.
    rig = Rig(date=(2026, 11, 25), start="09:30:00", kept_t=kept_t, kept=kept)
    view = rig.coach.view
    assert (view.done_today, view.expected_today, view.adherence_today, view.adherence) == (0, 12, -1, 50)
    assert Rig(date=(2026, 12, 1), start="09:30:00", kept_t=kept_t, kept=kept).coach.view.adherence == -1
    # Whatever else state.json holds is no count.
    for bad in ([1] * 14, [1] * 14 + ["1"], None):
        assert Rig(start="09:30:00", kept_t=kept_t, kept=bad).coach.view.adherence == -1


def test_a_day_with_the_device_off_counts_as_nothing_prompted():
    rig = Rig(start="06:59:00")
    rig.run("07:10:00", [("07:00:02", "press")])
    # Powered down for two days: the next update comes on day 2.
    rig.ms = at("2+06:59:00")
    rig.step()
    rig.run("2+08:40:00", [("2+07:00:02", "press")])
    # Day 0: 1 of 1 prompted (then off); day 2: 1 of 2 so far.
    # 2 of 3, rounded as the report rounds its 66.7 %.
    assert rig.coach.adherence() == 67


def test_prompts_follow_local_time_at_the_utc_offset():
    rig = Rig(settings={"utc_offset_minutes": 330}, start="06:59:00")
    rig.run("07:00:01")
    assert rig.logs("prompt") == [("07:00:00.000", ("prompt", 7, 0))]
    # The board's clock said 01:30 UTC when the 07:00 prompt came: local time at UTC+05:30.
    assert rig.now.t + EPOCH == unix_from_local(2026, 11, 24, 1, 30, 0)
    assert rig.coach.view.name == "prompt"
