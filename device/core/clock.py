# Calendar arithmetic on plain integers, independent of any port's epoch:
# days are counted from 1970-01-01 (Unix), in the proleptic Gregorian calendar.
# Also the settings' "HH:MM" times of day.
from core.compat import const

# The firmware's clock counts seconds from 2020-01-01 00:00 UTC (a midnight, so days
# and hours fall as in Unix time). Unix seconds are past the ESP32's 30-bit small
# integers, and arithmetic on them would make objects at every pass of the loop: Unix
# time is only for the outside, the RTC, the journal and the host.
EPOCH = const(1577836800)
EPOCH_DAYS = const(18262)


def unix(t, clock_set):
    """A reading of the clock as the outside takes it: Unix seconds when it is set, else
    seconds since boot."""
    return t + EPOCH if clock_set else t


def days_from_civil(year, month, day):
    """Days since 1970-01-01 for a calendar date."""
    # Count from March so the leap day is the last day of the year.
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(days):
    """(year, month, day) for a count of days since 1970-01-01."""
    days += 719468
    era = days // 146097
    doe = days - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + (3 if mp < 10 else -9)
    return yoe + era * 400 + (month <= 2), month, day


def days_in_month(year, month):
    if month == 2:
        return 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28
    return 30 if month in (4, 6, 9, 11) else 31


def local_fields(local_seconds):
    """(year, month, day, hour, minute, second) of a local time in seconds since 1970."""
    days, rest = divmod(local_seconds, 86400)
    year, month, day = civil_from_days(days)
    return year, month, day, rest // 3600, rest // 60 % 60, rest % 60


def minutes_of_day(text):
    """'HH:MM' -> minutes after midnight, or None if it is not a 24-hour time."""
    if type(text) is not str or len(text) != 5 or text[2] != ":":
        return None
    hh, mm = text[:2], text[3:]
    if not (hh.isdigit() and mm.isdigit()):
        return None
    h, m = int(hh), int(mm)
    if h > 23 or m > 59:
        return None
    return h * 60 + m


# A time zone (made by core/tz.py from a POSIX TZ rule, at power-on): a list of standard and
# summer offsets (seconds east of UTC), summer time's start and end rules (month, week, day of
# the week, local time in seconds; month 0: no summer time), then the last offset answered and
# the span it holds for (firmware seconds).
_STD = const(0)
_DST = const(1)
_START = const(2)
_END = const(6)
_LAST = const(10)
_FROM = const(11)
_UNTIL = const(12)
# Beyond any time the firmware's clock reaches, and still one of the ESP32's small integers.
_NEVER = const(0x3FFFFFFF)


def offset(z, t):
    """Seconds east of UTC in zone z at t (firmware seconds, UTC). Worked out again only when
    t leaves the span of the last answer: twice a year, or when the clock is set."""
    if z[_FROM] <= t < z[_UNTIL]:
        return z[_LAST]
    std = z[_STD]
    if not z[_START]:
        z[_LAST], z[_FROM], z[_UNTIL] = std, -_NEVER, _NEVER
        return std
    year = civil_from_days(t // 86400 + EPOCH_DAYS)[0]
    # This year's switches, in firmware seconds: summer time begins in standard time and ends
    # in summer time. The d-th day of the week (Sunday 0) of week w of month m, 5 the last.
    start = end = 0
    for at in (_START, _END):
        month = z[at]
        first = days_from_civil(year, month, 1)
        day = first + (z[at + 2] - first - 4) % 7 + (z[at + 1] - 1) * 7  # 1970-01-01 was a Thursday
        if day >= first + days_in_month(year, month):
            day -= 7
        switch = (day - EPOCH_DAYS) * 86400 + z[at + 3]
        if at == _START:
            start = switch - std
        else:
            end = switch - z[_DST]
    # They cut the year in three: summer in the middle north of the equator, at both ends south of it.
    north = start < end
    low, high = min(start, end), max(start, end)
    if t < low:
        summer, begin, until = not north, (days_from_civil(year, 1, 1) - EPOCH_DAYS) * 86400, low
    elif t < high:
        summer, begin, until = north, low, high
    else:
        summer, begin, until = not north, high, (days_from_civil(year + 1, 1, 1) - EPOCH_DAYS) * 86400
    z[_LAST], z[_FROM], z[_UNTIL] = z[_DST] if summer else std, begin, until
    return z[_LAST]
