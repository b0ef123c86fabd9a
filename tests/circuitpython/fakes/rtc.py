"""CircuitPython's rtc.RTC on the virtual clock: from 2000-01-01 at power-on unless the harness
sets it; datetime is a time.struct_time both ways, whole seconds."""

import time
from datetime import datetime, timezone

import vclock

# Unix seconds the RTC read at virtual time 0.
unix_at_zero = 946684800


class RTC:
    @property
    def datetime(self):
        t = datetime.fromtimestamp(unix_at_zero + vclock.ms // 1000, timezone.utc)
        return time.struct_time((t.year, t.month, t.day, t.hour, t.minute, t.second, t.weekday(), -1, -1))

    @datetime.setter
    def datetime(self, value):
        global unix_at_zero
        set_to = int(datetime(*value[:6], tzinfo=timezone.utc).timestamp())
        unix_at_zero = set_to - vclock.ms // 1000
