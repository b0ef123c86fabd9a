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


def unix_from_local(year, month, day, hour, minute, offset_minutes):
    """Unix seconds for a local wall-clock time at a fixed UTC offset."""
    return days_from_civil(year, month, day) * 86400 + (hour * 60 + minute - offset_minutes) * 60


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
