from core.clock import EPOCH, offset
from core.settings import validate
from core.tz import parse, zone
from rig import Rig, at

NEW_YORK = "EST5EDT,M3.2.0,M11.1.0"
BERLIN = "CET-1CEST,M3.5.0,M10.5.0/3"
SYDNEY = "AEST-10AEDT,M10.1.0,M4.1.0/3"
HOUR = 3600


def names(text):
    """The standard and summer names a parse found, as the host reads them."""
    spans = parse(text)[-4:]
    return text[spans[0] : spans[1]], text[spans[2] : spans[3]]


def switches(text, unix_times):
    """The offset (hours east) just before and at each Unix time, in the zone."""
    z = parse(text)
    return [(offset(z, t - EPOCH - 1) // HOUR, offset(z, t - EPOCH) // HOUR) for t in unix_times]


def test_new_york_switches_on_the_second_sunday_of_march_and_the_first_of_november():
    # 2026-03-08 07:00 UTC (02:00 EST) and 2026-11-01 06:00 UTC (02:00 EDT), as the tz database has them.
    assert switches(NEW_YORK, (1772953200, 1793512800)) == [(-5, -4), (-4, -5)]
    assert names(NEW_YORK) == ("EST", "EDT")
    z = parse(NEW_YORK)
    # Deep in winter and summer, and the same switches ten years on (2036-03-09, 2036-11-02).
    assert offset(z, 1800000000 - EPOCH) == -5 * HOUR
    assert switches(NEW_YORK, (2088658800, 2109218400)) == [(-5, -4), (-4, -5)]


def test_berlin_switches_on_the_last_sundays_of_march_and_october_at_its_own_times():
    # 2026-03-29 01:00 UTC (02:00 CET) and 2026-10-25 01:00 UTC (03:00 CEST).
    assert switches(BERLIN, (1774746000, 1792890000)) == [(1, 2), (2, 1)]
    assert names(BERLIN) == ("CET", "CEST")


def test_sydney_has_its_summer_across_the_new_year():
    # 2026-04-05 03:00 AEDT (04-04 16:00 UTC) back to AEST, 2026-10-04 02:00 AEST (10-03 16:00 UTC) on to AEDT.
    assert switches(SYDNEY, (1775318400, 1791043200)) == [(11, 10), (10, 11)]
    z = parse(SYDNEY)
    # New Year's Eve and the first hours of 2027 (UTC), in summer time either side.
    assert offset(z, 1798722000 - EPOCH) == 11 * HOUR
    assert offset(z, 1798761600 - EPOCH - 1) == 11 * HOUR
    assert offset(z, 1798761600 - EPOCH) == 11 * HOUR
    # The clock set back a year and forward again: every answer is worked out for its own time.
    assert offset(z, 1775318400 - EPOCH - 365 * 86400) == 11 * HOUR
    assert offset(z, 1791043200 - EPOCH) == 11 * HOUR


def test_zones_without_summer_time_and_offsets_in_minutes():
    for text, east, std in (
        ("IST-5:30", 330 * 60, "IST"),
        ("<+0530>-5:30", 330 * 60, "<+0530>"),
        ("<-03>3", -3 * HOUR, "<-03>"),
        ("UTC0", 0, "UTC"),
        ("<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", 765 * 60, "<+1245>"),
    ):
        z = parse(text)
        assert offset(z, 200000000) == east, text
        assert names(text)[0] == std
    assert names("IST-5:30")[1] == ""
    # A summer time an hour and a half ahead, and one given its own offset.
    assert offset(parse("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0"), 1798722000 - EPOCH) == 11 * HOUR
    assert offset(parse("XST3XDT1:30,M3.2.0,M11.1.0"), 1780000000 - EPOCH) == -90 * 60


def test_what_is_not_a_rule_is_refused_with_its_reason():
    for text in (
        "",
        "UTC",
        "EST",
        "America/New_York",
        "EST5EDT,M3.2.0",
        "EST5EDT,M13.2.0,M11.1.0",
        "EST5EDT,M3.6.0,M11.1.0",
        "EST5EDT,M3.2.7,M11.1.0",
        "EST25",
        "ES5",
        "<+05",
        "EST5EDT,M3.2.0,M11.1.0x",
        "EST5:3",
        "EST5EDT,M3.2.0/168,M11.1.0",
        5,
        None,
    ):
        assert parse(text) == 0, text
    assert parse("EST5EDT,J60,J300") == 1
    assert parse("EST5EDT,60,300") == 1
    assert parse("EST5EDT") == 2


def test_the_tz_setting_is_checked_by_the_parser():
    settings, problems = validate({"tz": BERLIN})
    assert settings["tz"] == BERLIN and problems == []
    settings, problems = validate({"tz": "Europe/Berlin"})
    assert settings["tz"] == ""
    assert problems == [
        'tz must be a POSIX time zone rule such as "CET-1CEST,M3.5.0,M10.5.0/3", got "Europe/Berlin"; using ""'
    ]
    assert validate({"tz": "IST-2IDT,J80,J300"})[1] == [
        "tz's summer time must begin and end on days of the form Mm.w.d (Jn and n are not taken),"
        ' got "IST-2IDT,J80,J300"; using ""'
    ]
    assert validate({"tz": "EST5EDT"})[1] == [
        'tz must give the rules of its summer time, as in "EST5EDT,M3.2.0,M11.1.0", got "EST5EDT"; using ""'
    ]
    assert validate({"tz": 60})[1] == [
        'tz must be a POSIX time zone rule such as "CET-1CEST,M3.5.0,M10.5.0/3", got 60; using ""'
    ]


def test_without_tz_the_utc_offset_holds_all_year():
    z = zone(validate({"utc_offset_minutes": -300})[0])
    assert offset(z, 1772953200 - EPOCH) == offset(z, 1780000000 - EPOCH) == -5 * HOUR
    # A tz rule, where there is one, is the zone.
    z = zone(validate({"utc_offset_minutes": -300, "tz": BERLIN})[0])
    assert offset(z, 1780000000 - EPOCH) == 2 * HOUR


def prompts(rig):
    return [(t, r[1]) for t, r in rig.logs("prompt")]


def test_prompts_on_the_spring_day_skip_the_hour_that_does_not_exist():
    # All day, so that the night's hours are prompted too: 02:00 EST is 03:00 EDT.
    rig = Rig(settings={"tz": NEW_YORK, "active_start": "00:00", "active_end": "00:00"}, date=(2026, 3, 8))
    rig.run("05:00:01")
    # Stamps are time since local midnight: an hour after 01:00 comes 03:00.
    assert prompts(rig) == [
        ("01:00:00.000", 1),
        ("02:00:00.000", 3),
        ("03:00:00.000", 4),
        ("04:00:00.000", 5),
        ("05:00:00.000", 6),
    ]
    assert rig.local(at("04:00:00"))[3:] == (5, 0, 0)
    assert rig.logs("clock_set") == []


def test_prompts_on_the_autumn_day_come_for_the_repeated_hour_too():
    # Every real hour: 01:00 EDT, then 01:00 EST an hour later.
    rig = Rig(settings={"tz": NEW_YORK, "active_start": "00:00", "active_end": "00:00"}, date=(2026, 11, 1))
    rig.run("05:00:01")
    assert prompts(rig) == [
        ("01:00:00.000", 1),
        ("02:00:00.000", 1),
        ("03:00:00.000", 2),
        ("04:00:00.000", 3),
        ("05:00:00.000", 4),
    ]
    assert rig.logs("clock_set") == []


def test_waking_hours_stay_local_across_both_switches():
    for date, tz in (((2026, 3, 8), NEW_YORK), ((2026, 11, 1), NEW_YORK), ((2026, 4, 5), SYDNEY)):
        rig = Rig(settings={"tz": tz}, date=date)
        rig.run("23:59:00")
        hours = [rig.local(at(t))[3:] for t, _ in prompts(rig)]
        assert hours == [(h, 0, 0) for h in range(7, 22)], (date, hours)
        assert [hour for _, hour in prompts(rig)] == list(range(7, 22))


def test_the_idle_clock_shows_summer_time():
    # 08:15 since midnight CET on the spring day: 09:15 CEST.
    rig = Rig(settings={"tz": BERLIN}, date=(2026, 3, 29), start="08:15:00")
    assert (rig.coach.view.hour, rig.coach.view.minute, rig.coach.view.next_hour) == (9, 15, 10)
    assert rig.local(at("08:15:00"))[3:] == (9, 15, 0)


def test_setting_the_clock_by_hand_on_the_spring_day():
    rig = Rig(settings={"tz": NEW_YORK}, date=(2026, 3, 8), start="01:30:00")
    # year, month, day kept; hour 1 -> 2; minute 30 kept: 02:30, which the switch skips.
    script = ["hold", "hold", "hold", "press", "hold", "hold"]
    rig.run("01:31:00", [("01:30:00", "long")] + [(at("01:30:01") + i * 1000, g) for i, g in enumerate(script)])
    assert rig.logs("gesture")[-1] == ("01:30:06.000", ("gesture", "hold", "set_clock"))
    # Taken as after the switch: 03:30 EDT, 07:30 UTC, run on by the 6 s the fields took.
    assert rig.local(at("01:30:06")) == (2026, 3, 8, 3, 30, 6)
    assert rig.unix0 * 1000 + at("01:30:06") + rig.clock_shift_ms == (1772955000 + 6) * 1000
