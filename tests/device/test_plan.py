from core.compat import TICKS_PERIOD, ticks_add
from core.plan import (
    CIRCLES_ONE,
    CIRCLES_OTHER,
    DONE,
    DOWN_HOLD,
    DOWN_MOVE,
    READY,
    UP_HOLD,
    UP_MOVE,
    SessionPlan,
    SessionRun,
)
from core.settings import validate


def plan(minutes=5, **overrides):
    settings, problems = validate(overrides)
    assert not problems, problems
    return SessionPlan(settings, minutes)


def where(p, elapsed):
    pos = p.locate(elapsed, SessionRun(p, 0))
    return pos.phase, pos.phase_left_ms, pos.rep, pos.left_ms


def cues(p):
    out = []
    t = p.next_event(-1)
    while t is not None:
        out.append((t, p.cue(t)))
        t = p.next_event(t)
    return out


def test_a_five_minute_session_fills_its_five_minutes_the_last_rep_shorter():
    # After the 3 s get-ready, 12 reps of 24 s leave 9 s: a 13th rep, each way a 2 s move and a 2.5 s hold.
    p = plan()
    assert (p.reps, p.half_ms, p.last_ms) == (13, 12000, 4500)
    assert p.total_ms == 300000
    assert p.reps_done(299999) == 12
    assert p.reps_done(300000) == 13


def test_exact_phase_at_exact_ms():
    p = plan()
    assert where(p, 0) == (READY, 3000, 0, 300000)
    assert where(p, 2999) == (READY, 1, 0, 297001)
    assert where(p, 3000) == (UP_MOVE, 2000, 1, 297000)
    assert where(p, 4999) == (UP_MOVE, 1, 1, 295001)
    assert where(p, 5000) == (UP_HOLD, 10000, 1, 295000)
    assert where(p, 14999) == (UP_HOLD, 1, 1, 285001)
    assert where(p, 15000) == (DOWN_MOVE, 2000, 1, 285000)
    assert where(p, 17000) == (DOWN_HOLD, 10000, 1, 283000)
    assert where(p, 27000) == (UP_MOVE, 2000, 2, 273000)
    assert where(p, 290999) == (DOWN_HOLD, 1, 12, 9001)
    assert where(p, 291000) == (UP_MOVE, 2000, 13, 9000)
    assert where(p, 293000) == (UP_HOLD, 2500, 13, 7000)
    assert where(p, 295500) == (DOWN_MOVE, 2000, 13, 4500)
    assert where(p, 297500) == (DOWN_HOLD, 2500, 13, 2500)
    assert where(p, 299999) == (DOWN_HOLD, 1, 13, 1)
    assert where(p, 300000) == (DONE, 0, 13, 0)
    assert where(p, 999999) == (DONE, 0, 13, 0)


def test_cues_up_and_down_every_twelve_seconds_a_hold_cue_after_each_move_and_ticks_before_each_change():
    c = cues(plan())
    assert c[:11] == [
        (0, "tick"),
        (1000, "tick"),
        (2000, "tick"),
        (3000, "up"),
        (5000, "hold"),
        (12000, "tick"),
        (13000, "tick"),
        (14000, "tick"),
        (15000, "down"),
        (17000, "hold"),
        (24000, "tick"),
    ]
    changes = [(t, k) for t, k in c if k != "tick" and k != "hold"]
    assert changes[-1] == (300000, "done")
    moves = changes[:-1]
    assert len(moves) == 26
    for i, (t, k) in enumerate(moves[:24]):
        assert t == 3000 + 12000 * i
        assert k == ("up" if i % 2 == 0 else "down")
    assert moves[24:] == [(291000, "up"), (295500, "down")]
    assert [t for t, k in c if k == "hold"] == [t + 2000 for t, _ in moves]
    # Ticks only inside the holds: the last rep's 2.5 s holds have two each.
    ticks = [t for t, k in c if k == "tick"]
    assert len(ticks) == 3 * 25 + 2 * 2
    assert ticks[-7:] == [288000, 289000, 290000, 293500, 294500, 298000, 299000]


def test_next_event_from_any_time_between_cues():
    p = plan()
    assert p.next_event(0) == 1000
    assert p.next_event(2500) == 3000
    assert p.next_event(3000) == 5000
    assert p.next_event(5000) == 12000
    assert p.next_event(11999) == 12000
    assert p.next_event(12000) == 13000
    assert p.next_event(14500) == 15000
    assert p.next_event(290999) == 291000
    assert p.next_event(293000) == 293500
    assert p.next_event(299999) == 300000
    assert p.next_event(300000) is None


def test_what_whole_reps_leave_under_a_second_a_hold_lengthens_the_last_whole_rep():
    # 5 min with circles: 11 reps of 24 s leave 3 s, too little for a 12th: the 11th holds 11.5 s each way.
    p = plan(circles=True)
    assert (p.reps, p.last_ms, p.total_ms) == (11, 13500, 300000)
    assert where(p, 3000 + 10 * 24000 + 2000) == (UP_HOLD, 11500, 11, 30000 + 25000)
    assert p.reps_done(3000 + 11 * 24000) == 10
    assert p.reps_done(p.reps_end_ms) == 11


def test_session_length_and_hold_settings():
    p = plan(minutes=2, hold_seconds=5, move_seconds=1)
    assert (p.reps, p.last_ms, p.total_ms) == (10, 4500, 120000)
    assert where(p, 3000 + 1000) == (UP_HOLD, 5000, 1, p.total_ms - 4000)
    assert [t for t, k in cues(p) if k == "down"][:2] == [9000, 21000]


def test_rhythmic_cadence_is_one_pump_per_period_without_holds():
    p = plan(cadence="rhythmic", pumps_per_minute=20)
    assert p.reps == (300000 - 3000) // 3000
    assert where(p, 3000) == (UP_MOVE, 1500, 1, p.total_ms - 3000)
    assert where(p, 4500) == (DOWN_MOVE, 1500, 1, p.total_ms - 4500)
    assert where(p, 6000) == (UP_MOVE, 1500, 2, p.total_ms - 6000)
    c = cues(p)
    # Only the get-ready counts down; pumps are too quick for ticks.
    assert c[:6] == [(0, "tick"), (1000, "tick"), (2000, "tick"), (3000, "up"), (4500, "down"), (6000, "up")]
    assert [k for t, k in c].count("tick") == 3
    assert c[-1] == (p.total_ms, "done")


def test_thirty_pumps_a_minute():
    p = plan(cadence="rhythmic", pumps_per_minute=30)
    assert p.half_ms == 1000
    # 148 pumps of 2 s and a last one of 1 s: the 5 min filled.
    assert (p.reps, p.last_ms, p.total_ms) == (149, 500, 300000)
    assert where(p, 299600) == (DOWN_MOVE, 400, 149, 400)


def test_circles_add_a_phase_each_way_at_the_end():
    p = plan(circles=True)
    end = p.reps_end_ms
    assert p.total_ms == end + 30000
    assert where(p, end) == (CIRCLES_ONE, 15000, p.reps, 30000)
    assert where(p, end + 15000) == (CIRCLES_OTHER, 15000, p.reps, 15000)
    c = cues(p)
    # The two ways sound apart.
    assert (end, "circles") in c
    assert (end + 15000, "circles_back") in c
    assert (end + 12000, "tick") in c
    assert c[-4:] == [(end + 27000, "tick"), (end + 28000, "tick"), (end + 29000, "tick"), (end + 30000, "done")]


def test_a_very_short_session_still_has_one_rep():
    p = plan(minutes=1, circles=True, hold_seconds=30, move_seconds=5)
    # Its holds shortened to fit the minute: 60 s less the get-ready and the circles, 13.5 s each way.
    assert (p.reps, p.last_ms, p.total_ms) == (1, 13500, 60000)


def test_pause_shifts_the_timeline_by_exactly_the_paused_time():
    p = plan()
    start = TICKS_PERIOD - 4000  # the counter wraps during the session
    run = SessionRun(p, start)
    assert run.elapsed(ticks_add(start, 7000)) == 7000
    run.pause(ticks_add(start, 7000))
    assert run.elapsed(ticks_add(start, 60000)) == 7000
    run.resume(ticks_add(start, 60000))
    assert run.elapsed(ticks_add(start, 60001)) == 7001
    assert run.deadline(15000) == ticks_add(start, 15000 + 53000)
    run.pause(ticks_add(start, 70000))
    run.pause(ticks_add(start, 71000))  # a second pause while paused changes nothing
    run.resume(ticks_add(start, 72000))
    assert run.elapsed(ticks_add(start, 72000)) == 72000 - 53000 - 2000
    run.resume(ticks_add(start, 80000))  # resuming when running changes nothing
    assert run.paused_ms == 55000


def test_every_session_lasts_its_minutes_and_its_cues_come_in_order():
    shapes = [{"hold_seconds": h, "move_seconds": m} for h in (3, 10, 30) for m in (1, 2, 5)]
    shapes += [{"cadence": "rhythmic", "pumps_per_minute": n} for n in (2, 7, 20, 40)]
    for shape in shapes:
        for circles in (False, True):
            for minutes in (1, 2, 7, 30):
                p = plan(minutes, circles=circles, **shape)
                assert p.total_ms == minutes * 60000, (shape, minutes)
                c = cues(p)
                times = [t for t, _ in c]
                assert times == sorted(set(times)) and c[-1] == (p.total_ms, "done"), (shape, minutes)
                # A last rep of its own holds 1 s or more (rhythmic: is half a pump or more); one
                # stretched, less than the move and a second more (rhythmic: half a pump more).
                if "cadence" in shape:
                    assert p.half_ms // 2 <= p.last_ms < p.half_ms * 3 // 2 or p.reps == 1, (shape, minutes)
                else:
                    assert 1000 <= p.last_ms - p.move_ms < p.half_ms + 1000, (shape, minutes)
