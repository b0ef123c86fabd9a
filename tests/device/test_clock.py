from core.clock import civil_from_days, days_from_civil, days_in_month, local_fields
from rig import unix_from_local


def test_known_dates():
    assert days_from_civil(1970, 1, 1) == 0
    assert days_from_civil(2000, 1, 1) == 10957
    assert days_from_civil(2024, 2, 29) == 19782
    assert days_from_civil(2026, 11, 24) == 20781
    assert days_from_civil(2038, 1, 19) == 24855
    assert days_from_civil(2100, 3, 1) == 47541


def test_round_trip_across_leap_years_and_centuries():
    start = days_from_civil(1999, 12, 25)
    previous = civil_from_days(start - 1)
    for days in range(start, days_from_civil(2101, 1, 5)):
        ymd = civil_from_days(days)
        assert days_from_civil(*ymd) == days
        y, m, d = previous
        # Each day follows the one before.
        if d < days_in_month(y, m):
            assert ymd == (y, m, d + 1)
        elif m < 12:
            assert ymd == (y, m + 1, 1)
        else:
            assert ymd == (y + 1, 1, 1)
        previous = ymd


def test_month_lengths():
    assert [days_in_month(2026, m) for m in range(1, 13)] == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    assert days_in_month(2024, 2) == 29
    assert days_in_month(2100, 2) == 28
    assert days_in_month(2000, 2) == 29


def test_local_time_with_an_offset():
    assert unix_from_local(2026, 11, 24, 9, 30, 0) == 1795512600
    assert unix_from_local(2026, 11, 24, 10, 30, 60) == 1795512600
    assert unix_from_local(2026, 11, 24, 4, 0, -330) == 1795512600
    assert local_fields(1795512600 + 60 * 60) == (2026, 11, 24, 10, 30, 0)
    assert local_fields(days_from_civil(2026, 12, 31) * 86400 + 86399) == (2026, 12, 31, 23, 59, 59)
