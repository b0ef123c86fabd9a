# DS3231 real-time clock over I2C: it keeps UTC through power cuts on its coin
# cell, so the board knows the time at boot without anyone setting it. Written
# from the DS3231 datasheet: registers 0x00-0x06 hold the time in BCD, and the
# status register's OSF bit says the oscillator has stopped since it was last
# cleared (first power-up, or a flat or missing battery), so the time is junk.
from core.clock import days_from_civil, days_in_month
from core.compat import const

_TIME = const(0x00)  # seconds, minutes, hours, weekday, date, month/century, year
_STATUS = const(0x0F)
_OSF = const(0x80)
_HOURS_12 = const(0x40)  # in the hours register: 12-hour mode, with ...
_PM = const(0x20)  # ... this bit for PM
_CENTURY = const(0x80)  # in the month register: years 2100-2199


def to_bcd(value):
    return (value // 10) << 4 | value % 10


def from_bcd(byte):
    return (byte >> 4) * 10 + (byte & 0x0F)


class DS3231:
    def __init__(self, i2c, addr=0x68):
        self.i2c = i2c
        self.addr = addr
        self._time = bytearray(7)
        self._status = bytearray(1)

    def present(self):
        """Whether the chip answers; the board works without one."""
        return self.addr in self.i2c.scan()

    def read(self):
        """(year, month, day, hour, minute, second) UTC, or None when the time can't be trusted."""
        self.i2c.readfrom_mem_into(self.addr, _STATUS, self._status)
        if self._status[0] & _OSF:
            return None
        # The chip latches the time when the read starts, so one burst is consistent.
        self.i2c.readfrom_mem_into(self.addr, _TIME, self._time)
        t = self._time
        hours = t[2]
        hour = from_bcd(hours & 0x3F)
        if hours & _HOURS_12:
            # Only another program would have chosen 12-hour mode; read it all the same.
            hour = from_bcd(hours & 0x1F) % 12 + (12 if hours & _PM else 0)
        year = 2000 + from_bcd(t[6]) + (100 if t[5] & _CENTURY else 0)
        month = from_bcd(t[5] & 0x1F)
        day = from_bcd(t[4] & 0x3F)
        minute = from_bcd(t[1] & 0x7F)
        second = from_bcd(t[0] & 0x7F)
        if not (1 <= month <= 12 and 1 <= day <= days_in_month(year, month)):
            return None
        if hour > 23 or minute > 59 or second > 59:
            return None
        return year, month, day, hour, minute, second

    def write(self, year, month, day, hour, minute, second):
        """Set the time (UTC, years 2000-2199) and mark it trustworthy."""
        t = self._time
        t[0] = to_bcd(second)
        t[1] = to_bcd(minute)
        t[2] = to_bcd(hour)  # bit 6 clear: 24-hour mode
        t[3] = (days_from_civil(year, month, day) + 3) % 7 + 1  # 1 = Monday
        t[4] = to_bcd(day)
        t[5] = to_bcd(month) | (_CENTURY if year >= 2100 else 0)
        t[6] = to_bcd(year % 100)
        # Writing the seconds restarts the chip's sub-second count, so the new
        # time runs from this moment.
        self.i2c.writeto_mem(self.addr, _TIME, t)
        self.i2c.readfrom_mem_into(self.addr, _STATUS, self._status)
        # Keep the other status bits (32 kHz output enable and the alarm flags).
        self._status[0] &= 0xFF ^ _OSF
        self.i2c.writeto_mem(self.addr, _STATUS, self._status)
