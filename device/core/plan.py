# The timeline of one exercise session, computed from settings. Everything is
# arithmetic on elapsed milliseconds since the session started (pauses excluded),
# so a position or a deadline costs no allocation and never drifts.
from core.compat import const, ticks_add, ticks_diff

READY_MS = const(3000)
# Each way of the optional ankle circles (down, in, up, out, slowly).
CIRCLE_MS = const(15000)
# Ticks sound 3, 2 and 1 s before each change in the hold cadence.
_TICK_LEAD_MS = const(3000)
# What whole reps leave of the session's minutes is a shorter last rep when each of its holds
# would last this long; less is added to the holds of the last whole rep.
_LEAST_HOLD_MS = const(1000)

READY = "ready"
UP_MOVE = "up_move"
UP_HOLD = "up_hold"
DOWN_MOVE = "down_move"
DOWN_HOLD = "down_hold"
CIRCLES_ONE = "circles_one"
CIRCLES_OTHER = "circles_other"
DONE = "done"


class SessionPlan:
    """Phases of a session: a get-ready countdown, then `reps` cycles of
    up (move, hold) and down (move, hold), then optional circles each way. The reps fill
    the session's minutes: the last one's halves take last_ms each, the others half_ms.

    In the rhythmic cadence a cycle is one pump: up for half of it, down for
    the other half, with no hold.
    """

    def __init__(self, settings, minutes):
        if settings["cadence"] == "rhythmic":
            half = 30000 // settings["pumps_per_minute"]
            self.move_ms = half
            self.ticks = False
            least = half // 2
        else:
            self.move_ms = settings["move_seconds"] * 1000
            half = self.move_ms + settings["hold_seconds"] * 1000
            self.ticks = True
            least = self.move_ms + _LEAST_HOLD_MS
        self.half_ms = half
        self.circles_ms = 2 * CIRCLE_MS if settings["circles"] else 0
        body = minutes * 60000 - READY_MS - self.circles_ms
        reps = body // (2 * half)
        extra = (body - reps * 2 * half) // 2
        if not reps or extra >= least:
            reps += 1
            self.last_ms = extra
        else:
            self.last_ms = half + extra
        self.reps = reps
        self._last_at = READY_MS + (reps - 1) * 2 * half
        self.reps_end_ms = self._last_at + 2 * self.last_ms
        self.total_ms = self.reps_end_ms + self.circles_ms
        self.changes = 2 * reps + (2 if self.circles_ms else 0)

    def change_ms(self, k):
        """Time of the k-th instruction change (0 = first TOES UP, last = end)."""
        n = 2 * self.reps
        if k <= n:
            if k > n - 2:
                return self._last_at + (k - n + 2) * self.last_ms
            return READY_MS + k * self.half_ms
        return self.reps_end_ms + (k - n) * CIRCLE_MS

    def cue_at_change(self, k):
        """The cue at the k-th change, named as the sound layer names it.

        DONE, the last phase, doubles as the cue that ends the session.
        """
        n = 2 * self.reps
        if k == self.changes:
            return DONE
        if k >= n:
            # The circles' two ways sound apart, as the two ways of the foot differ.
            return "circles" if k == n else "circles_back"
        return "up" if k % 2 == 0 else "down"

    def _next_change(self, elapsed):
        """Index of the first change strictly after `elapsed`."""
        if elapsed < READY_MS:
            return 0
        if elapsed < self._last_at:
            return (elapsed - READY_MS) // self.half_ms + 1
        if elapsed < self.reps_end_ms:
            return 2 * self.reps - 1 + (elapsed - self._last_at) // self.last_ms
        return min(self.changes, 2 * self.reps + (elapsed - self.reps_end_ms) // CIRCLE_MS + 1)

    def _hold_ms(self, k):
        """When the hold before change k begins (hold cadence, 0 < k <= 2 * reps), else -1."""
        if self.ticks and 0 < k <= 2 * self.reps:
            return self.change_ms(k - 1) + self.move_ms
        return -1

    def next_event(self, elapsed):
        """Time of the first cue strictly after `elapsed`, or None after the end.

        next_event(-1) is the first cue (the get-ready tick at 0).
        """
        if elapsed >= self.total_ms:
            return None
        k = self._next_change(elapsed)
        change = self.change_ms(k)
        # The get-ready countdown ticks in every cadence.
        if k == 0 or self.ticks:
            # A hold has a cue of its own as it begins, and the ticks only inside it.
            hold = self._hold_ms(k)
            if hold > elapsed:
                return hold
            lead = max(change - _TICK_LEAD_MS, hold)
            if lead > elapsed:
                return lead
            if change - elapsed > 1000:
                return change - ((change - elapsed - 1) // 1000) * 1000
        return change

    def cue(self, at):
        """The cue that sounds at an event time from next_event()."""
        k = self._next_change(at - 1)
        if at == self.change_ms(k):
            return self.cue_at_change(k)
        return "hold" if at == self._hold_ms(k) else "tick"

    def reps_done(self, elapsed):
        """Whole reps done by a time since the start."""
        if elapsed >= self.reps_end_ms:
            return self.reps
        return min(self.reps - 1, max(0, elapsed - READY_MS) // (2 * self.half_ms))

    def locate(self, elapsed, pos):
        """Where the session stands at a time since its start (clamped to the session): set
        in `pos` (a SessionRun) as phase, phase_left_ms, rep and left_ms; returns pos."""
        elapsed = max(0, min(elapsed, self.total_ms))
        pos.left_ms = self.total_ms - elapsed
        if elapsed < READY_MS:
            pos.phase, pos.phase_left_ms, pos.rep = READY, READY_MS - elapsed, 0
        elif elapsed < self.reps_end_ms:
            # Few names: a frame of more than 11 slots comes from the heap, at every tick.
            half = self.half_ms
            since = elapsed - READY_MS
            if elapsed >= self._last_at:
                half = self.last_ms
                since = elapsed - self._last_at
                pos.rep = self.reps
            else:
                pos.rep = since // half // 2 + 1
            # // and %, not divmod(): its tuple would be an allocation at every tick.
            k = since // half
            since %= half
            # With holds (ticks) a half rep is a move of move_ms, then the hold; rhythmic, all move.
            if self.ticks and since >= self.move_ms:
                pos.phase = UP_HOLD if k % 2 == 0 else DOWN_HOLD
            else:
                pos.phase = UP_MOVE if k % 2 == 0 else DOWN_MOVE
                if self.ticks:
                    half = self.move_ms
            pos.phase_left_ms = half - since
        elif elapsed < self.total_ms:
            since = (elapsed - self.reps_end_ms) % CIRCLE_MS
            pos.phase = CIRCLES_ONE if elapsed - self.reps_end_ms < CIRCLE_MS else CIRCLES_OTHER
            pos.phase_left_ms = CIRCLE_MS - since
            pos.rep = self.reps
        else:
            pos.phase, pos.phase_left_ms, pos.rep = DONE, 0, self.reps
        return pos


class SessionRun:
    """A session in progress on the ticks clock: start, pauses, elapsed time.

    Pausing shifts every later deadline by exactly the time spent paused.
    """

    def __init__(self, plan, start_ms):
        self.plan = plan
        self.start_ms = start_ms
        self.paused_ms = 0
        self.paused_at = None
        # The elapsed time of the next cue (None after the last), and where the session
        # stands, which plan.locate() sets in place: a running session allocates nothing.
        self.next_cue = plan.next_event(-1)
        self.phase = READY
        self.phase_left_ms = 0
        self.rep = 0
        self.left_ms = 0

    def elapsed(self, now_ms):
        end = now_ms if self.paused_at is None else self.paused_at
        return ticks_diff(end, self.start_ms) - self.paused_ms

    def pause(self, now_ms):
        if self.paused_at is None:
            self.paused_at = now_ms

    def resume(self, now_ms):
        if self.paused_at is not None:
            self.paused_ms += ticks_diff(now_ms, self.paused_at)
            self.paused_at = None

    def deadline(self, elapsed):
        """The ticks time at which the session reaches `elapsed` if not paused again."""
        return ticks_add(self.start_ms, elapsed + self.paused_ms)


def session_minutes(settings, day):
    """Session length on the given day of use (0 = first day), with the gentle-start ramp."""
    target = settings["session_minutes"]
    start = settings["ramp_start_minutes"]
    if not start:
        return target
    return min(target, start + day * settings["ramp_step_minutes"])
