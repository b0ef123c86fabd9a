# Test rig for the core, for both runtimes: a virtual clock that drives the
# Coach the way the app shell does (wake at the coach's deadline or at the next
# gesture) and records every output with its local time.
from core.clock import EPOCH, EPOCH_DAYS, days_from_civil, local_fields, offset
from core.coach import Coach, Now
from core.compat import TICKS_PERIOD, ticks_add
from core.settings import validate
from core.tz import zone

_TICKS_MASK = ticks_add(0, -1)


def unix_from_local(year, month, day, hour, minute, offset_minutes):
    """Unix seconds for a local wall-clock time at a fixed UTC offset."""
    return days_from_civil(year, month, day) * 86400 + (hour * 60 + minute - offset_minutes) * 60


def hms(ms):
    """'HH:MM:SS.mmm' for a time of day given in ms (days wrap)."""
    s, milli = divmod(ms, 1000)
    return "%02d:%02d:%02d.%03d" % (s // 3600 % 24, s // 60 % 60, s % 60, milli)


def at(text):
    """Milliseconds into the run for 'HH:MM:SS[.mmm]' on day 0, or 'D+HH:MM:SS' on day D."""
    day = 0
    if "+" in text:
        d, text = text.split("+")
        day = int(d)
    parts = text.split(":")
    sec = parts[2].split(".")
    ms = int(sec[1]) if len(sec) > 1 else 0
    return ((day * 24 + int(parts[0])) * 3600 + int(parts[1]) * 60 + int(sec[0])) * 1000 + ms


class Rig:
    """A coach on a virtual clock.

    The run starts at local midnight of `date` in the settings' zone (clock set) or at boot
    (clock not set); times in the record are ms since that start, printed as HH:MM:SS.mmm.
    """

    def __init__(
        self,
        settings=None,
        date=(2026, 11, 24),
        clock_set=True,
        first_start=False,
        problems=(),
        start="00:00:00",
        ticks0=None,
        first_day=None,
        kept_t=None,
        kept=None,
    ):
        self.settings, extra = validate(settings or {})
        assert not extra, extra
        self.clock_set = clock_set
        self.zone = zone(self.settings)
        midnight = (days_from_civil(date[0], date[1], date[2]) - EPOCH_DAYS) * 86400
        self.unix0 = midnight - offset(self.zone, midnight - offset(self.zone, midnight)) + EPOCH
        # Start the ticks counter just before it wraps, so every run crosses the wrap.
        self.ticks0 = TICKS_PERIOD - 5000 if ticks0 is None else ticks0
        self.ms = at(start)
        self.clock_shift_ms = 0
        self.now = Now()
        self.records = []
        self._screen = None
        self._fill()
        # As the shell does: state.json's first day is a Unix day, the coach counts from EPOCH.
        coach_day = None if first_day is None else first_day - EPOCH_DAYS
        self.coach = Coach(self.settings, zone(self.settings), self.now, first_start, problems, coach_day, kept_t, kept)
        self._record(self.coach, initial=True)
        self.wake = self.ms + max(1, self.coach.sleep_ms)

    def _fill(self):
        now = self.now
        # Masked, not ticks_add(): MicroPython's refuses a step of 2**29 or more.
        now.ms = (self.ticks0 + self.ms) & _TICKS_MASK
        if self.clock_set:
            wall = self.unix0 * 1000 + self.ms + self.clock_shift_ms
            now.t, now.frac_ms = divmod(wall - EPOCH * 1000, 1000)
        else:
            now.t, now.frac_ms = divmod(self.ms, 1000)
        now.clock_set = self.clock_set

    def set_clock(self, unix_ms):
        """Set the wall clock (as the host or a DS3231 would); it then runs from there."""
        self.clock_set = True
        self.clock_shift_ms = unix_ms - self.unix0 * 1000 - self.ms

    def local(self, ms):
        """(year, month, day, hour, minute, second) on the wall clock `ms` into the run."""
        t = (self.unix0 * 1000 + ms + self.clock_shift_ms) // 1000 - EPOCH
        return local_fields(t + offset(self.zone, t) + EPOCH)

    def _record(self, out, initial=False):
        stamp = hms(self.ms)
        name = self.coach.view.name
        if initial or name != self._screen:
            self.records.append((stamp, "screen", name))
            self._screen = name
        for sound in out.sounds:
            self.records.append((stamp, "sound", sound))
        for log in out.logs:
            self.records.append((stamp, "log", log))
        if out.set_clock is not None:
            self.set_clock(out.set_clock * 1000)

    def step(self, gesture=None):
        self._fill()
        out = self.coach.update(self.now, gesture)
        self._record(out)
        self.wake = self.ms + max(1, out.sleep_ms)
        return out

    def run(self, until, gestures=()):
        """Run to `until` (see at()), giving each (time, gesture) at its time."""
        end = at(until) if type(until) is str else until
        queue = [(at(t) if type(t) is str else t, g) for t, g in gestures]
        queue.sort()
        steps = 0
        while True:
            if queue and queue[0][0] <= self.wake:
                self.ms = queue[0][0]
                self.step(queue.pop(0)[1])
            elif self.wake > end:
                self.ms = end
                return
            else:
                self.ms = self.wake
                self.step()
            steps += 1
            assert steps < 1000000, "coach never sleeps"

    def logs(self, name=None):
        return [(t, r) for t, k, r in self.records if k == "log" and (name is None or r[0] == name)]

    def sounds(self):
        return [(t, s) for t, k, s in self.records if k == "sound"]

    def screens(self):
        return [(t, s) for t, k, s in self.records if k == "screen"]

    def since(self, time):
        """Records at or after a time ('HH:MM:SS.mmm' strings sort by time within a day)."""
        return [r for r in self.records if r[0] >= time]
