"""Time zones on the host: the device's own parser and arithmetic (core/tz.py, core/clock.py)
against Python's zoneinfo, and this computer's zone found as a POSIX rule."""

from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from anklepump import zones

TZDATA = Path("/usr/share/zoneinfo")


def tzif(folder: Path, name: str, rule: bytes, version: bytes = b"2") -> Path:
    """A TZif file whose last line is `rule`: all of one that zones.py reads."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"TZif" + version + bytes(39) + b"\n" + rule + b"\n")
    return path


@pytest.mark.skipif(not TZDATA.is_dir(), reason="no tz database on this computer")
def test_every_zone_of_the_tz_database_is_taken_and_agrees_with_zoneinfo():
    from core.clock import EPOCH, offset
    from core.tz import parse

    # 2090: past every zone's table of transitions, so that zoneinfo too goes by the rule alone.
    start = round(datetime(2090, 1, 1, tzinfo=timezone.utc).timestamp())
    checked = 0
    for path in sorted(TZDATA.rglob("*")):
        name = path.relative_to(TZDATA).as_posix()
        if name.startswith(("posix/", "right/")) or not path.is_file() or path.read_bytes()[:4] != b"TZif":
            continue
        zone = parse(zones.resolve(name).rule)
        info = ZoneInfo(name)
        # Every 7 h 13 min through the year, so that every hour of the day comes round.
        for unix in range(start, start + 366 * 86400, 7 * 3600 + 13 * 60):
            assert offset(zone, unix - EPOCH) == info.utcoffset(datetime.fromtimestamp(unix, info)).total_seconds(), (
                name
            )
        checked += 1
    assert checked > 300


def test_a_zone_by_name_from_tzdir_and_a_rule_as_it_is(tmp_path, monkeypatch):
    monkeypatch.setenv("TZDIR", str(tmp_path))
    tzif(tmp_path, "America/New_York", b"EST5EDT,M3.2.0,M11.1.0")
    zone = zones.resolve("America/New_York")
    assert str(zone) == "America/New_York (EST5EDT,M3.2.0,M11.1.0)"
    # 2026-03-08 07:00 UTC: 02:00 EST becomes 03:00 EDT.
    assert zone.stamp(1772953199) == "2026-03-08 01:59:59 EST (UTC-0500)"
    assert zone.stamp(1772953200) == "2026-03-08 03:00:00 EDT (UTC-0400)"
    assert str(zones.resolve(":America/New_York")) == "America/New_York (EST5EDT,M3.2.0,M11.1.0)"
    assert str(zones.resolve("IST-5:30")) == "IST-5:30"
    assert zones.resolve("<+0530>-5:30").stamp(0) == "1970-01-01 05:30:00 (UTC+0530)"
    with pytest.raises(zones.ZoneError, match="no time zone 'Europe/Nowhere'"):
        zones.resolve("Europe/Nowhere")
    with pytest.raises(zones.ZoneError, match=r"no time zone '\.\./etc/passwd'"):
        zones.resolve("../etc/passwd")
    tzif(tmp_path, "Old/Zone", b"", version=b"\0")
    with pytest.raises(zones.ZoneError, match="ends with no rule the device takes"):
        zones.resolve("Old/Zone")
    tzif(tmp_path, "Day/Of/Year", b"IST-2IDT,J80,J300")
    with pytest.raises(zones.ZoneError, match="ends with no rule the device takes"):
        zones.resolve("Day/Of/Year")


def test_this_computers_zone_from_tz_a_rule_or_a_name(tmp_path, monkeypatch):
    monkeypatch.setenv("TZDIR", str(tmp_path))
    tzif(tmp_path, "Australia/Sydney", b"AEST-10AEDT,M10.1.0,M4.1.0/3")
    monkeypatch.setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")
    assert str(zones.computer()) == "CET-1CEST,M3.5.0,M10.5.0/3"
    monkeypatch.setenv("TZ", "Australia/Sydney")
    here = zones.computer()
    assert str(here) == "Australia/Sydney (AEST-10AEDT,M10.1.0,M4.1.0/3)"
    assert here.stamp(1798761600) == "2027-01-01 11:00:00 AEDT (UTC+1100)"
    # A zone with no rule to be had: this computer's offset now, and the name says so.
    monkeypatch.setenv("TZ", "Nowhere/Land")
    assert zones.computer().name.startswith("this computer's offset now, UTC")


def test_a_devices_zone_from_its_answer():
    assert str(zones.of_device({"tz": "EST5EDT,M3.2.0,M11.1.0", "utc_offset_minutes": 60})) == "EST5EDT,M3.2.0,M11.1.0"
    fixed = zones.of_device({"tz": "", "utc_offset_minutes": -330})
    assert str(fixed) == "UTC-05:30 all year (utc_offset_minutes -330: no tz rule)"
    assert fixed.stamp(1772953200) == "2026-03-08 01:30:00 (UTC-0530)"
    # Firmware from before tz: its offset alone.
    assert zones.of_device({"utc_offset_minutes": 60}).stamp(0) == "1970-01-01 01:00:00 (UTC+0100)"


def test_zones_that_keep_the_same_hours_are_one_zone_whatever_their_spelling():
    utc = zones.of_device({"tz": "", "utc_offset_minutes": 0})
    assert utc.keeps_time_as(zones.Zone("UTC0")) and utc.keeps_time_as(zones.Zone("<+00>0"))
    assert not utc.keeps_time_as(zones.Zone("<+01>-1"))
    assert zones.of_device({"tz": "", "utc_offset_minutes": 60}).keeps_time_as(zones.Zone("<+01>-1"))
    berlin = zones.Zone("CET-1CEST,M3.5.0,M10.5.0/3")
    assert berlin.keeps_time_as(zones.Zone("CET-1CEST-2,M3.5.0,M10.5.0/03:00"))
    assert not berlin.keeps_time_as(zones.Zone("CET-1CEST,M3.5.0,M10.5.0"))
    assert not berlin.keeps_time_as(zones.of_device({"tz": "", "utc_offset_minutes": 60}))


def test_a_zone_is_a_tzinfo_that_folds_as_zoneinfo_does():
    zone = zones.resolve("EST5EDT,M3.2.0,M11.1.0")
    info = ZoneInfo("America/New_York")
    for local in (
        datetime(2026, 3, 8, 2, 30),  # skipped by the spring switch
        datetime(2026, 11, 1, 1, 30),  # repeated by the autumn one
        datetime(2026, 11, 1, 0, 59),
        datetime(2026, 7, 1, 12, 0),
    ):
        for fold in (0, 1):
            ours, theirs = local.replace(tzinfo=zone, fold=fold), local.replace(tzinfo=info, fold=fold)
            assert (ours.timestamp(), ours.tzname()) == (theirs.timestamp(), theirs.tzname()), (local, fold)
    for unix in range(1793508000, 1793520000, 600):
        ours, theirs = datetime.fromtimestamp(unix, zone), datetime.fromtimestamp(unix, info)
        assert (ours.replace(tzinfo=None), ours.fold, ours.tzname()) == (
            theirs.replace(tzinfo=None),
            theirs.fold,
            theirs.tzname(),
        )
