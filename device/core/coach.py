# The coach: what the device does, as a pure state machine. Each update takes
# the time and at most one gesture and answers, as plain data, what to show
# (the view), what to play (sound names) and what to log (journal tuples).
# States and screens are named by const() strings, folded into the code that uses
# them, and compared one by one (`s == A or s == B`): each `(A, B)` would be one more
# object for the board to hold.
# ruff: noqa: SIM109
from core.clock import EPOCH, EPOCH_DAYS, days_from_civil, days_in_month, local_fields, offset, unix
from core.compat import const, ticks_add, ticks_diff
from core.gesture import DOUBLE, HOLD, LONG, PRESS
from core.plan import DONE, DOWN_MOVE, UP_MOVE, SessionPlan, SessionRun, session_minutes
from core.scheduler import DAY, HOUR, Scheduler

# A clock reading further than this from what the ticks predict is a jump.
_JUMP_MS = const(2000)
_PROBLEM_MS = const(20000)
_DONE_MS = const(10000)
_PAIN_MS = const(60000)
_SET_CLOCK_MS = const(60000)
# A session paused this long ends as partial: the patient has left it.
_PAUSE_LIMIT_MS = const(600000)
_IDLE_WAKE_MS = const(60000)
# A reminder due this soon after the patient's answer at the prompt waits until then: it would
# cut the answer's sound short (a new cue replaces the one sounding).
_ANSWER_HEARD_MS = const(3000)
_PAIN_MAX = const(10)
_HISTORY_DAYS = const(7)
# Coach.counts: prompted hours a day (a ring of 7, indexed by day), those of them done (another,
# from _DONE_AT), then the sessions of today (_SESSIONS_AT).
_DONE_AT = const(7)
_SESSIONS_AT = const(14)
_COUNTS = const(15)
# What manual clock setting starts from when the clock has never been set: 1 January.
_FIRST_YEAR = const(2026)

_NOTICE = const("notice")
_PROBLEM = const("problem")
_IDLE = const("idle")
_PROMPT = const("prompt")
_SNOOZED = const("snoozed")
SESSION = const("session")
_FINISHED = const("done")
_PAIN = const("pain")
_SET_CLOCK = const("set_clock")

# Screens the idle-like states show as the display dims and sleeps.
_OFF = const("off")
_QUIET = const("quiet")
_NO_CLOCK = const("no_clock")
_PAUSED = const("paused")

# The fields of manual clock setting, in order; folded into the code that names them.
_SET_FIELDS = const(("year", "month", "day", "hour", "minute"))


def _percent(part, whole):
    """part of whole in whole percent, rounded to the nearest as the host's report rounds its
    tenths (2 of 3: 67, where the report says 66.7 %); -1 for none of none."""
    return (part * 200 + whole) // (2 * whole) if whole else -1


class Now:
    """The time, as the board reads it: ticks ms, base seconds and the ms past them.

    t is seconds since core.clock.EPOCH (2020) when clock_set, else seconds since
    boot. One instance is updated in place by the shell.
    """

    def __init__(self, ms=0, t=0, frac_ms=0, clock_set=False):
        self.ms = ms
        self.t = t
        self.frac_ms = frac_ms
        self.clock_set = clock_set


class View:
    """Everything a screen needs; `name` says which screen, the rest are its values."""

    def __init__(self):
        self.name = None
        self.dim = False
        self.hour = self.minute = -1
        self.next_hour = -1
        self.next_in_min = -1
        self.done_today = 0
        self.expected_today = 0
        self.adherence = -1
        self.adherence_today = -1
        self.phase = None
        # The session's countdown (0: none shown).
        self.count = 0
        self.rep = 0
        self.reps = 0
        self.left_s = 0
        self.result = None
        self.score = 0
        self.snoozes = 0
        # Snoozed: minutes to the re-prompt; prompting: what a snooze would be (0: none offered).
        self.snooze_left_min = 0
        self.problems = ()
        self.field = None
        self.value = 0
        # Set by the shell from the journal: the flash refused a write since boot.
        self.flash_full = False


class Coach:
    """After each update (and once built), what it asks of the shell: redraw (the view
    changed), sounds and logs (lists reused: read them before the next update), sleep_ms
    until the next update is due, and set_clock (Unix seconds, or None)."""

    def __init__(self, settings, zone, now, first_start=False, problems=(), first_day=None, kept_t=None, kept=None):
        """zone: the settings' time zone (core/tz.py); first_day, kept_t and kept come from
        state.json: the first day of use, and the counts (Coach.counts) as they were at Unix time
        kept_t."""
        self.redraw = False
        self.sounds = []
        self.logs = []
        self.sleep_ms = 0
        self.set_clock = None
        self.settings = settings
        # The settings' time zone, as core/tz.py parses it (its offset() cache in it too).
        self.zone = zone
        # The zone's offset the base time was last taken at (0 while the clock is not set).
        self._offset = offset(self.zone, now.t) if now.clock_set else 0
        t = now.t + self._offset
        self.view = View()
        self.sched = Scheduler(settings, t, now.clock_set)
        self.state = None
        self.run = None
        self._last_ms = now.ms
        self._last_t = now.t
        self._last_frac = now.frac_ms
        self.snoozes = 0
        # While snoozed, when the snooze ends; while prompting, when the next reminder sounds.
        self._prompt_ms = self._alarm_ms = now.ms
        self._prompt_hour = 0
        self._fields = None
        self._field = 0
        self._woken = False
        self._day = t // DAY
        # The first day of use is fixed when the clock is first known (None until then): the
        # gentle-start ramp counts from it. Each change to what state.json keeps counts here.
        self.first_day = self._day if first_day is None and now.clock_set else first_day
        self.changes = 0
        # After a boot without a clock it may be the middle of the night: prompts are shown, not
        # sounded, until the clock is set or a gesture shows that someone is awake.
        self._hush = not now.clock_set
        self.counts = [0] * _COUNTS
        # The counts of the last boot belong to the day of kept_t: taken up once the clock is known.
        if type(kept_t) is int and type(kept) is list and len(kept) == _COUNTS and all(type(n) is int for n in kept):
            self._kept = kept
            self._kept_day = (kept_t - EPOCH + offset(zone, kept_t - EPOCH)) // DAY
        else:
            self._kept = None
        self._slot_open = False
        self._awake_ms = now.ms
        self._state_ms = now.ms
        # Only the first screen shows them: settings are checked once, at power-on (the
        # shell journals them, once for each version of the file).
        self.view.problems = problems = tuple(problems)
        self._first_start = first_start
        if problems:
            self._enter(_PROBLEM, now)
        elif first_start:
            self._enter(_NOTICE, now)
        else:
            self._enter(_IDLE, now)
        self._roll_day(t)
        self._refresh(now, t)

    # time

    def _track_clock(self, now):
        """Detect the clock being set or jumping, or the zone's offset changing (summer time),
        and move remembered times with the base time: local wall-clock seconds, or uptime while
        the clock is not set (self._offset is what takes the one to the other).

        Logged as ("clock_set", what the clock would have read: Unix seconds, or seconds since
        boot; whether it was set). Worked in differences: whole readings in ms would be past
        the ESP32's small integers.
        """
        # Few names (elapsed ends as what the clock would have read), and the scheduler told
        # last, its clock_set still the old one: a frame of more than 11 slots comes from the
        # heap, at every pass.
        elapsed = ticks_diff(now.ms, self._last_ms)
        # The reading less what the ticks say it should be, in ms.
        drift = (now.t - self._last_t) * 1000 + now.frac_ms - self._last_frac - elapsed
        jumped = now.clock_set != self.sched.clock_set or abs(drift) > _JUMP_MS
        before = self._offset
        self._offset = offset(self.zone, now.t) if now.clock_set else 0
        if jumped:
            if now.clock_set:
                self._hush = False
                if self.first_day is None:
                    self.first_day = (now.t + self._offset) // DAY
                    self.changes += 1
            elapsed = unix(self._last_t + (self._last_frac + elapsed) // 1000, self.sched.clock_set)
            self._log("clock_set", elapsed, self.sched.clock_set)
        if jumped or self._offset != before:
            # A summer time switch moves the base as a jump does, the clock itself unchanged.
            self.sched.shift(((self._offset - before) * 1000 + (drift if jumped else 0) + 500) // 1000, now.clock_set)
        self._last_ms = now.ms
        self._last_t = now.t
        self._last_frac = now.frac_ms

    def _roll_day(self, t):
        # Few names, self's attributes read where they are used: a frame of more than 11 slots
        # comes from the heap, at every pass.
        day = t // DAY
        if self._kept is not None and self.sched.clock_set:
            # The clock is known: the last boot's counts go on from their own day, unless that
            # is not a day of the last week (the clock has been set back since, or it is long past).
            if 0 <= day - self._kept_day < _HISTORY_DAYS:
                self.counts[:] = self._kept
                self._day = self._kept_day
                self.changes += 1
            self._kept = None
        if day == self._day:
            return
        # The new day, and days skipped (device off, clock jumped), start at nothing prompted.
        for past in range(self._day + 1, min(day, self._day + _HISTORY_DAYS) + 1):
            self.counts[past % _HISTORY_DAYS] = 0
            self.counts[_DONE_AT + past % _HISTORY_DAYS] = 0
        self._day = day
        self.counts[_SESSIONS_AT] = 0

    def _count(self, at):
        self.counts[at + self._day % _HISTORY_DAYS] += 1

    def adherence(self):
        """Percent of prompted hours with a completed session, over the last 7 days; -1 if none."""
        expected = done = 0
        counts = self.counts
        for i in range(_HISTORY_DAYS):
            expected += counts[i]
            done += counts[_DONE_AT + i]
        return _percent(done, expected)

    # the update

    def update(self, now, gesture=None):
        """Take the time and at most one gesture; returns the coach, its answers set."""
        self.redraw = False
        self.set_clock = None
        self.sounds.clear()
        self.logs.clear()
        self._track_clock(now)
        t = now.t + self._offset
        self._roll_day(t)
        if gesture is not None:
            self._hush = False
            # The gesture comes first in the journal, before what it caused: held in its place
            # until the record is made. (Few names: a frame of more than 11 slots comes from the
            # heap, at every pass.)
            at = len(self.logs)
            self.logs.append(gesture)
            gesture = self._react(now, t, gesture)
            self.logs[at] = ("gesture", self.logs[at], gesture or "none")
        self._tick(now, t)
        self._refresh(now, t)
        return self

    def _log(self, *record):
        self.logs.append(record)

    def _put(self, name, value):
        if getattr(self.view, name) != value:
            setattr(self.view, name, value)
            self.redraw = True

    def _enter(self, state, now):
        if state == _IDLE and self._first_start:
            # The first-start notice stays until it is pressed: it yields to a prompt, and comes
            # back after it.
            state = _NOTICE
        self.state = state
        self._state_ms = now.ms
        self._awake_ms = now.ms
        self._woken = False

    # gestures: each is logged with what it did

    def _react(self, now, t, gesture):
        """Do what the gesture means in the current state; answer what that was, or None."""
        state = self.state
        if state == _NOTICE or state == _PROBLEM:
            if gesture == PRESS:
                if state == _NOTICE:
                    self._first_start = False
                self._enter(_IDLE, now)
                return "dismiss"
        elif state == _IDLE:
            if gesture == LONG:
                # The five fields, then the minute they were read at (local seconds): the clock set
                # runs on from it, so that fields held through unchanged leave the clock as it was.
                # A clock not set starts from noon, its seconds 0 at the last hold.
                if now.clock_set:
                    self._fields = f = list(local_fields(t + EPOCH)[:5])
                    f.append(t - t % 60)
                else:
                    self._fields = [_FIRST_YEAR, 1, 1, 12, 0, None]
                self._field = 0
                self._enter(_SET_CLOCK, now)
                return "set_clock"
            if gesture == PRESS:
                awake = ticks_diff(now.ms, self._awake_ms) < self.settings["display_dim_seconds"] * 1000
                if awake and not self.sched.quiet(t):
                    self._start(now, "extra")
                    return "start"
                self._awake_ms = now.ms
                self._woken = True
                return "wake"
        elif state == _PROMPT or state == _SNOOZED:
            if gesture == PRESS:
                self._start(now, "prompt")
                return "start"
            if gesture == DOUBLE:
                # Not now: no more sound this hour, and the hour counts as neither done nor missed.
                self._log("declined", self._prompt_hour, self.snoozes)
                self.counts[self._day % _HISTORY_DAYS] -= 1
                self.changes += 1
                self._slot_open = False
                self._enter(_IDLE, now)
                return "decline"
            if gesture == HOLD and state == _PROMPT:
                if self.sched.snooze_room(self.snoozes, ticks_diff(now.ms, self._prompt_ms), t, now.frac_ms) <= 0:
                    # Said on the prompt's screen too: it reads "No more snoozes".
                    self.sounds.append("no")
                    if ticks_diff(self._alarm_ms, now.ms) < _ANSWER_HEARD_MS:
                        self._alarm_ms = ticks_add(now.ms, _ANSWER_HEARD_MS)
                    return "no_snooze"
                self.snoozes += 1
                self._alarm_ms = ticks_add(now.ms, self.sched.snooze_ms)
                self._log("snooze", self.snoozes, self.sched.snooze_ms // 60000)
                self._enter(_SNOOZED, now)
                return "snooze"
        elif state == SESSION:
            run = self.run
            if gesture == PRESS:
                if run.paused_at is None:
                    run.pause(now.ms)
                    self._log("pause", run.elapsed(now.ms) // 1000)
                    return "pause"
                run.resume(now.ms)
                self._log("resume", run.elapsed(now.ms) // 1000)
                return "resume"
            if gesture == HOLD:
                self._finish(now, t, "partial")
                return "stop"
        elif state == _FINISHED:
            if gesture == PRESS:
                self._after_session(now)
                return "next"
        elif state == _PAIN:
            if gesture == PRESS or gesture == DOUBLE:
                # Quick presses come as a double: each of its presses adds one.
                up = 2 if gesture == DOUBLE else 1
                self._put("score", min(_PAIN_MAX, self.view.score + up))
                return "pain_up"
            if gesture == HOLD:
                self._log("pain", self.view.score)
                self._enter(_IDLE, now)
                return "pain_save"
        elif state == _SET_CLOCK:
            # Press steps the field up, double steps it down, hold confirms it.
            f = self._fields
            i = self._field
            if gesture == PRESS or gesture == DOUBLE:
                step = 1 if gesture == PRESS else -1
                if i == 0:
                    f[0] = max(_FIRST_YEAR, f[0] + step)
                else:
                    low, high = ((1, 12), (1, days_in_month(f[0], f[1])), (0, 23), (0, 59))[i - 1]
                    f[i] = low + (f[i] + step - low) % (high - low + 1)
                self._state_ms = now.ms
                return "step"
            if gesture == HOLD:
                f[2] = min(f[2], days_in_month(f[0], f[1]))
                self._field += 1
                self._state_ms = now.ms
                if self._field < len(_SET_FIELDS):
                    return "next"
                # Local time to UTC at the zone's offset then, guessed from its standard offset
                # (zone[0]) and checked: a time the spring switch skips is taken as after it, one
                # the autumn switch repeats as its second.
                local = (days_from_civil(f[0], f[1], f[2]) - EPOCH_DAYS) * 86400 + (f[3] * 60 + f[4]) * 60
                utc = local - offset(self.zone, local - self.zone[0])
                self.set_clock = local - offset(self.zone, utc) + EPOCH
                if f[5] is not None:
                    self.set_clock += t - f[5]
                self._enter(_IDLE, now)
                return "set_clock"
        return None

    # sessions

    def _start(self, now, why):
        if why == "prompt":
            latency = ticks_diff(now.ms, self._prompt_ms) // 1000
        else:
            latency = -1
            self._slot_open = False
        first = self.first_day
        minutes = session_minutes(self.settings, 0 if first is None else max(0, self._day - first))
        self.run = SessionRun(SessionPlan(self.settings, minutes), now.ms)
        self._log("session_start", why, latency, self.snoozes if why == "prompt" else 0, minutes)
        self._enter(SESSION, now)

    def _finish(self, now, t, result):
        run = self.run
        plan = run.plan
        elapsed = min(run.elapsed(now.ms), plan.total_ms)
        reps = plan.reps_done(elapsed)
        self._log("session_end", result, elapsed // 1000, reps)
        if result == "complete":
            self.sched.done_t = t
            self.counts[_SESSIONS_AT] += 1
            if self._slot_open:
                self._count(_DONE_AT)
        self._slot_open = False
        self.changes += 1
        self._put("result", result)
        self._put("rep", reps)
        self._enter(_FINISHED, now)

    def _after_session(self, now):
        if self.settings["pain_check"]:
            self._put("score", 0)
            self._enter(_PAIN, now)
            self.sounds.append("pain")
        else:
            self._enter(_IDLE, now)

    # time-driven transitions

    def _tick(self, now, t):
        # Few names (due: the prompt's slot, or the session's cue), the time in the state read
        # where it counts: a frame of more than 11 slots comes from the heap, at every pass.
        state = self.state
        if state == _PROBLEM and ticks_diff(now.ms, self._state_ms) >= _PROBLEM_MS:
            self._enter(_IDLE, now)
        elif state == _IDLE or state == _NOTICE:
            due = self.sched.due(t)
            if due is None:
                return
            self.sched.prompted_t = t
            # Counted now, kept (state.json) when the prompt ends: one write an hour, not two.
            self._count(0)
            if self.sched.hour_done(t):
                self._count(_DONE_AT)
                self.changes += 1
                return
            self._slot_open = True
            self.snoozes = 0
            self._prompt_ms = now.ms
            self._prompt(now, due)
        elif state == _PROMPT or state == _SNOOZED:
            # Quiet hours end an open prompt, silently: no reminder nor snooze rings into the night.
            if self.sched.quiet(t) or ticks_diff(now.ms, self._prompt_ms) >= self.sched.miss_ms:
                self._log("missed", self._prompt_hour, self.snoozes)
                self._slot_open = False
                self.changes += 1
                self._enter(_IDLE, now)
            elif state == _SNOOZED:
                if ticks_diff(now.ms, self._alarm_ms) >= 0:
                    self._prompt(now, self._prompt_hour)
            elif self.sched.reminder_ms and ticks_diff(now.ms, self._alarm_ms) >= 0:
                if not self._hush:
                    self._log("reminder", self._prompt_hour)
                    self.sounds.append("reminder")
                self._alarm_ms = ticks_add(self._alarm_ms, self.sched.reminder_ms)
        elif state == SESSION:
            run = self.run
            if run.paused_at is not None:
                if ticks_diff(now.ms, run.paused_at) >= _PAUSE_LIMIT_MS:
                    self._finish(now, t, "partial")
                return
            while run.next_cue is not None and run.elapsed(now.ms) >= run.next_cue:
                due = run.plan.cue(run.next_cue)
                self.sounds.append("melody" if due == DONE else due)
                run.next_cue = run.plan.next_event(run.next_cue)
                if due == DONE:
                    self._finish(now, t, "complete")
                    return
        elif state == _FINISHED and ticks_diff(now.ms, self._state_ms) >= _DONE_MS:
            self._after_session(now)
        elif (state == _PAIN and ticks_diff(now.ms, self._state_ms) >= _PAIN_MS) or (
            state == _SET_CLOCK and ticks_diff(now.ms, self._state_ms) >= _SET_CLOCK_MS
        ):
            if state == _PAIN and self.view.score:
                # Pressed up but never held to save: the score shown is the patient's answer.
                self._log("pain", self.view.score)
            self._enter(_IDLE, now)

    def _prompt(self, now, slot):
        self._prompt_hour = slot % 24
        self._log("prompt", self._prompt_hour, self.snoozes)
        if not self._hush:
            self.sounds.append("chime")
        self._alarm_ms = ticks_add(now.ms, self.sched.reminder_ms)
        self._enter(_PROMPT, now)

    # the view and the next deadline

    def _refresh(self, now, t):
        state = self.state
        sleep = _IDLE_WAKE_MS
        name = state
        dim = False
        if state == _IDLE or state == _SNOOZED:
            if state == _IDLE and not now.clock_set:
                name = _NO_CLOCK
            # The screen dims, then goes off; sleep until that next changes.
            awake = ticks_diff(now.ms, self._awake_ms)
            dim_ms = self.settings["display_dim_seconds"] * 1000
            off_ms = self.settings["display_off_seconds"] * 1000
            if state == _IDLE and self.sched.quiet(t):
                # Quiet hours: dark, and a press shows the clock dimly for a while.
                if awake < dim_ms and self._woken:
                    name, dim, sleep = _QUIET, True, dim_ms - awake
                else:
                    name = _OFF
            elif awake < dim_ms:
                sleep = dim_ms - awake
            elif awake < off_ms:
                dim, sleep = True, off_ms - awake
            else:
                name = _OFF
            if name != _OFF:
                sleep = min(sleep, self._idle_view(now, t))
        elif state == SESSION:
            sleep = self._session_view(now)
            if self.run.paused_at is not None:
                name = _PAUSED
                left = self._dim_in(now, self.run.paused_at)
                if left > 0:
                    sleep = min(sleep, left)
                dim = left <= 0
        elif state == _PROMPT or state == _NOTICE:
            # Left unanswered, they dim as the idle screen does (burn-in, a dark room at night).
            left = self._dim_in(now, self._state_ms)
            if left > 0:
                sleep = min(sleep, left)
            dim = left <= 0
            if state == _PROMPT:
                self._put("snoozes", self.snoozes)
                # 0: a snooze now would end after the miss (or the quiet hours), and none is offered.
                room = self.sched.snooze_room(self.snoozes, ticks_diff(now.ms, self._prompt_ms), t, now.frac_ms)
                self._put("snooze_left_min", self.sched.snooze_ms // 60000 if room > 0 else 0)
                if room > 0:
                    # Redraw when none is.
                    sleep = min(sleep, room)
            else:
                due = self.sched.next_prompt(t)
                if due is not None:
                    sleep = min(sleep, (due - t) * 1000 - now.frac_ms)
        elif state == _FINISHED:
            self._put("done_today", self.counts[_SESSIONS_AT])
        elif state == _SET_CLOCK:
            self._put("field", _SET_FIELDS[self._field])
            self._put("value", self._fields[self._field])
        self._put("name", name)
        self._put("dim", dim)
        if name == _OFF:
            sleep = min(sleep, (HOUR - t % HOUR) * 1000 - now.frac_ms)
        if self.set_clock is not None:
            # Come straight back once the shell has set the clock, to take up the new time.
            sleep = 0
        self.sleep_ms = max(0, min(sleep, self._deadline_ms(now)))

    def _dim_in(self, now, since):
        """ms until a screen shown since `since` dims (0 or less: dimmed)."""
        return self.settings["display_dim_seconds"] * 1000 - ticks_diff(now.ms, since)

    def _idle_view(self, now, t):
        clock_set = now.clock_set
        self._put("hour", t % DAY // 3600 if clock_set else -1)
        self._put("minute", t % 3600 // 60 if clock_set else -1)
        nxt = self.sched.next_prompt(t)
        self._put("next_hour", nxt % DAY // 3600 if clock_set and nxt is not None else -1)
        self._put("next_in_min", -1 if nxt is None else (nxt - t + 59) // 60)
        # Today as the adherence counts it: prompted hours with a completed session, of those
        # prompted and those still to come. The clock not set, hours are no day's: the sessions.
        counts = self.counts
        day = self._day % _HISTORY_DAYS
        prompted = counts[day]
        if clock_set:
            self._put("done_today", counts[_DONE_AT + day])
            self._put("expected_today", prompted + self.sched.to_come(t))
        else:
            self._put("done_today", counts[_SESSIONS_AT])
            self._put("expected_today", 0)
        self._put("adherence_today", _percent(counts[_DONE_AT + day], prompted))
        self._put("adherence", self.adherence())
        # Wake at the next minute so the clock and the countdown to the next prompt stay true.
        wake = (60 - t % 60) * 1000 - now.frac_ms
        if self.state == _SNOOZED:
            left = ticks_diff(self._alarm_ms, now.ms)
            self._put("snoozes", self.snoozes)
            self._put("snooze_left_min", (left + 59999) // 60000)
            wake = min(wake, (left - 1) % 60000 + 1)
        return wake

    def _session_view(self, now):
        # The run is where locate() puts its answer. (Few names: a frame of more than 11 slots
        # comes from the heap, at every pass.)
        run = self.run
        elapsed = run.elapsed(now.ms)
        run.plan.locate(elapsed, run)
        phase = run.phase
        self._put("phase", phase)
        # A move (and a rhythmic pump, all move) has no count: only the hold counts down, so each
        # reads as one instruction, "TOES UP" then "HOLD 10".
        self._put("count", 0 if phase == UP_MOVE or phase == DOWN_MOVE else (run.phase_left_ms + 999) // 1000)
        self._put("rep", run.rep)
        self._put("reps", run.plan.reps)
        self._put("left_s", (run.left_ms + 999) // 1000)
        if run.paused_at is not None:
            return _PAUSE_LIMIT_MS - ticks_diff(now.ms, run.paused_at)
        # Next redraw: when the countdown or the time left next changes a whole second.
        elapsed += min((run.phase_left_ms - 1) % 1000, (run.left_ms - 1) % 1000) + 1
        if run.next_cue is not None:
            elapsed = min(elapsed, run.next_cue)
        return ticks_diff(run.deadline(elapsed), now.ms)

    def _deadline_ms(self, now):
        """Time to the next state deadline (answers, snoozes, reminders, timeouts)."""
        state = self.state
        if state == _PROMPT or state == _SNOOZED:
            left = self.sched.miss_ms - ticks_diff(now.ms, self._prompt_ms)
            if state == _SNOOZED or self.sched.reminder_ms:
                left = min(left, ticks_diff(self._alarm_ms, now.ms))
            return min(left, self.sched.until_quiet(now.t + self._offset) * 1000 - now.frac_ms)
        if state == _PROBLEM:
            limit = _PROBLEM_MS
        elif state == _FINISHED:
            limit = _DONE_MS
        elif state == _PAIN:
            limit = _PAIN_MS
        elif state == _SET_CLOCK:
            limit = _SET_CLOCK_MS
        else:
            return _IDLE_WAKE_MS
        return limit - ticks_diff(now.ms, self._state_ms)
