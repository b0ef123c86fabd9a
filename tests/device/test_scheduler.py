from core.scheduler import Scheduler
from core.settings import validate
from rig import unix_from_local

DAY0 = unix_from_local(2026, 11, 24, 0, 0, 0)


def hm(h, m=0, s=0, day=0):
    return DAY0 + day * 86400 + h * 3600 + m * 60 + s


def sched(t=None, clock_set=True, **overrides):
    settings, problems = validate(overrides)
    assert not problems, problems
    return Scheduler(settings, hm(0) if t is None else t, clock_set)


def prompt_hours(s, start, end, step=60):
    """Walk time, taking every due prompt; the hours (of day) that were prompted."""
    hours = []
    for t in range(start, end, step):
        slot = s.due(t)
        if slot is not None:
            s.prompted_t = t
            hours.append(slot % 24)
    return hours


def test_default_day_prompts_from_seven_to_twenty_one():
    s = sched()
    assert prompt_hours(s, hm(0), hm(24)) == list(range(7, 22))


def test_prompts_fall_exactly_on_the_hour():
    s = sched()
    times = []
    for t in range(hm(6, 59), hm(8, 1)):
        if s.due(t) is not None:
            s.prompted_t = t
            times.append(t)
    assert times == [hm(7), hm(8)]


def test_active_hours_that_wrap_past_midnight():
    s = sched(active_start="22:00", active_end="02:00")
    assert prompt_hours(s, hm(12), hm(12, day=1)) == [22, 23, 0, 1]
    assert s.quiet(hm(21, 59))
    assert not s.quiet(hm(22))
    assert not s.quiet(hm(1, 59, day=1))
    assert s.quiet(hm(2, day=1))


def test_active_hours_off_the_hour_prompt_only_on_whole_hours_inside():
    s = sched(active_start="07:30", active_end="09:30")
    assert prompt_hours(s, hm(0), hm(24)) == [8, 9]
    assert s.quiet(hm(7, 29))
    assert not s.quiet(hm(7, 30))


def test_equal_start_and_end_means_all_day():
    s = sched(active_start="00:00", active_end="00:00")
    assert prompt_hours(s, hm(0, 30), hm(0, 30, day=1)) == list(range(1, 24)) + [0]
    assert not s.quiet(hm(3))
    assert s.to_come(hm(0, 30)) == 23


def test_quiet_hours_by_default():
    s = sched()
    assert s.quiet(hm(6, 59, 59))
    assert not s.quiet(hm(7))
    assert not s.quiet(hm(21, 59, 59))
    assert s.quiet(hm(22))
    assert s.quiet(hm(23, 59, 59))
    assert s.quiet(hm(0))
    assert s.to_come(hm(0)) == 15


def test_the_prompts_still_to_come_today_count_this_hours_while_it_is_due():
    s = sched()
    assert s.to_come(hm(7, 10)) == 15
    assert s.to_come(hm(7, 30)) == 14
    s.prompted_t = hm(8)
    assert s.to_come(hm(8, 10)) == 13
    assert s.to_come(hm(21, 10)) == 1
    assert s.to_come(hm(22)) == 0
    # Started at noon: the hour it starts in is not prompted.
    assert sched(t=hm(12, 0, 5)).to_come(hm(12, 0, 5)) == 9


def test_the_hour_the_device_starts_in_is_not_prompted():
    s = sched(t=hm(9, 10))
    assert s.due(hm(9, 10)) is None
    assert s.due(hm(10)) == (hm(10) - DAY0) // 3600 + DAY0 // 3600


def test_a_late_prompt_is_due_only_within_the_miss_window():
    s = sched(t=hm(8, 30))
    assert s.due(hm(9, 29, 59)) is not None
    assert s.due(hm(9, 30)) is None


def test_a_completed_session_marks_the_hour_done():
    s = sched()
    s.done_t = hm(9, 40)
    assert s.hour_done(hm(9, 59))
    assert not s.hour_done(hm(10))
    s.done_t = hm(10, 0, 5)
    assert s.hour_done(hm(10, 0, 6))


def test_next_prompt():
    s = sched()
    assert s.next_prompt(hm(3)) == hm(7)
    assert s.next_prompt(hm(7, 0, 1)) == hm(7)
    s.prompted_t = hm(7, 0, 1)
    assert s.next_prompt(hm(7, 0, 2)) == hm(8)
    assert s.next_prompt(hm(21, 30)) == hm(7, day=1)


def test_next_prompt_skips_an_hour_already_done():
    s = sched(t=hm(8, 50))
    s.done_t = hm(9, 5)
    assert s.next_prompt(hm(9, 5)) == hm(10)


def test_clock_set_backwards_does_not_repeat_the_hour_already_prompted():
    s = sched()
    s.prompted_t = hm(10)
    # At 10:05 the clock is corrected to 09:10: the prompt was really 5 minutes ago.
    s.shift(hm(9, 10) - hm(10, 5), True)
    assert s.due(hm(9, 10)) is None
    assert s.due(hm(9, 59)) is None
    assert s.due(hm(10)) is not None


def test_clock_set_forwards_does_not_fire_skipped_hours():
    s = sched()
    s.prompted_t = hm(8)
    s.shift(hm(11, 40) - hm(8, 30), True)
    assert s.due(hm(11, 40)) is None
    assert s.due(hm(12)) is not None


def test_a_small_correction_before_the_hour_keeps_that_hours_prompt():
    s = sched()
    s.prompted_t = hm(8)
    s.shift(32, True)
    assert s.due(hm(9, 0, 30)) is not None


def test_clock_jump_moves_the_done_hour_with_it():
    s = sched()
    s.done_t = hm(10, 2)
    s.shift(-3600, True)
    assert s.hour_done(hm(9, 30))
    assert not s.hour_done(hm(10, 30))


def test_clock_not_set_prompts_every_hour_from_boot_day_and_night():
    s = sched(t=0, clock_set=False)
    assert not s.quiet(0)
    hours = []
    for t in range(0, 24 * 3600, 60):
        if s.due(t) is not None:
            s.prompted_t = t
            hours.append(t)
    assert hours == [h * 3600 for h in range(1, 24)]
    assert not s.quiet(23 * 3600)


def test_setting_the_clock_after_running_without_one():
    s = sched(t=0, clock_set=False)
    s.prompted_t = 3600
    # 400 s after that prompt the clock is set to 09:20: the prompt was at 09:13:20.
    s.shift(hm(9, 20) - 4000, True)
    assert s.clock_set
    assert s.due(hm(9, 20)) is None
    assert s.due(hm(10)) is not None


def test_missed_and_snooze_limits():
    s = sched(miss_minutes=30, snooze_max=3)
    assert s.miss_ms == 30 * 60000
    # A snooze is offered only while its re-prompt comes before the miss and the quiet hours.
    nine = 9 * 3600
    assert s.snooze_room(2, 0, nine, 0) == 1200000
    assert s.snooze_room(2, 1199999, nine, 0) == 1
    assert s.snooze_room(2, 1200000, nine, 0) == 0
    assert s.snooze_room(3, 0, nine, 0) == 0
    # Quiet hours from 22:00: at 21:45, 15 min before them.
    assert s.snooze_room(2, 0, 21 * 3600 + 45 * 60, 0) == 300000
    assert s.snooze_room(2, 0, 21 * 3600 + 45 * 60, 500) == 299500
    assert s.snooze_ms == 600000
    assert s.reminder_ms == 300000
