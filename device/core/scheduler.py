# When to prompt. Time is "base seconds" t: local wall-clock seconds since
# 1970 when the clock is set, seconds since boot when it is not. A slot is one
# hour of the base (t // 3600); a slot whose hour is inside active hours gets
# one prompt at its top. Times of past events are kept in the base, and when the
# clock jumps they are moved with it, so an event keeps its real age: a clock
# set backwards does not repeat the hour already prompted, one set forwards does
# not fire the hours it skipped.
from core.clock import minutes_of_day
from core.compat import const

HOUR = const(3600)
DAY = const(86400)


class Scheduler:
    def __init__(self, settings, t, clock_set):
        self.clock_set = clock_set
        self.start_min = minutes_of_day(settings["active_start"])
        self.end_min = minutes_of_day(settings["active_end"])
        self.miss_s = settings["miss_minutes"] * 60
        self.miss_ms = self.miss_s * 1000
        self.snooze_ms = settings["snooze_minutes"] * 60000
        self.snooze_max = settings["snooze_max"]
        self.reminder_ms = settings["reminder_minutes"] * 60000
        # When the last prompt came, and the last session was completed (set by the coach). The
        # hour the device starts in counts as prompted: the first prompt is the next top of the hour.
        self.prompted_t = t
        self.done_t = None

    def _active(self, minute):
        """Is minute-of-day `minute` inside active hours (start == end: all day)?"""
        start, end = self.start_min, self.end_min
        if start < end:
            return start <= minute < end
        return start == end or minute >= start or minute < end

    def quiet(self, t):
        """Outside active hours (never, while the clock is not set)."""
        return self.clock_set and not self._active(t % DAY // 60)

    def until_quiet(self, t):
        """Seconds from t until active hours end: 0 in quiet hours, a day when they never end
        (all day, or the clock not set)."""
        if not self.clock_set or self.start_min == self.end_min:
            return DAY
        if self.quiet(t):
            return 0
        return (self.end_min * 60 - t % DAY) % DAY

    def _prompt_slot(self, slot):
        # Before the clock is set, hours of day mean nothing: every slot after boot's first gets a prompt.
        if self.clock_set:
            return self._active(slot % 24 * 60)
        return slot > 0

    def due(self, t):
        """The slot whose prompt is due at t, or None.

        Due once per slot, within the miss window of its top of the hour. The
        caller checks hour_done(): a slot already done is handled without a prompt.
        """
        slot = t // HOUR
        if not self._prompt_slot(slot) or t - slot * HOUR >= self.miss_s:
            return None
        if self.prompted_t // HOUR >= slot:
            return None
        return slot

    def to_come(self, t):
        """Prompts still to come today after t: this hour's while it is due, and the later hours'."""
        n = 0 if self.due(t) is None else 1
        for slot in range(t // HOUR + 1, (t // DAY + 1) * 24):
            n += self._prompt_slot(slot)
        return n

    def hour_done(self, t):
        """Was a session completed in the hour that contains t?"""
        return self.done_t is not None and self.done_t // HOUR == t // HOUR

    def next_prompt(self, t):
        """Base time of the next prompt after t (at most a day ahead), or None if none is active."""
        slot = t // HOUR
        if self.due(t) is not None and not self.hour_done(t):
            return slot * HOUR
        for ahead in range(1, 25):
            if self._prompt_slot(slot + ahead):
                return (slot + ahead) * HOUR
        return None

    def snooze_room(self, snoozes, waited_ms, t, frac_ms):
        """For how many more ms (at base time t and frac_ms) the prompt may be snoozed (0 or less:
        not now), its re-prompt coming before the miss and the quiet hours: a snooze that ended
        after them would be a promise not kept."""
        if snoozes >= self.snooze_max:
            return 0
        return min(self.miss_ms - waited_ms, self.until_quiet(t) * 1000 - frac_ms) - self.snooze_ms

    def shift(self, delta, clock_set):
        """The base jumped by delta seconds (clock set or changed); keep events' real age."""
        self.clock_set = clock_set
        self.prompted_t += delta
        if self.done_t is not None:
            self.done_t += delta
