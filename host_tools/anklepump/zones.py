"""Time zones as the device holds them: POSIX TZ rules ("EST5EDT,M3.2.0,M11.1.0"), read with the
firmware's own parser (core/tz.py) and applied with its own arithmetic (core/clock.py). This
computer's zone comes from TZ where that is a rule already, else from the tail line of its tz
database file (TZif version 2 and later end with the zone's POSIX rule)."""

import os
import time
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from .firmware import load_core

_EPOCH_DATETIME = datetime(1970, 1, 1)


class ZoneError(Exception):
    pass


class Zone(tzinfo):
    """A POSIX TZ rule (or a fixed UTC offset, as utc_offset_minutes gives one) as a tzinfo: every
    offset and name as the device works it out."""

    def __init__(self, rule: str = "", offset_minutes: int = 0, name: str = ""):
        load_core()
        from core.clock import EPOCH
        from core.tz import parse, zone

        self.rule = rule
        self.name = name or rule
        self._epoch = EPOCH
        self._zone = zone({"tz": rule, "utc_offset_minutes": offset_minutes})
        if rule and type(parse(rule)) is int:
            raise ZoneError(f"{rule!r} is not a POSIX time zone rule the device takes")
        spans = self._zone[-4:]
        self._names = (rule[spans[0] : spans[1]].strip("<>"), rule[spans[2] : spans[3]].strip("<>"))

    def keeps_time_as(self, other: "Zone") -> bool:
        """Whether the two give every instant the same offset (the same rules, whatever their names
        or spelling: an empty tz with utc_offset_minutes 0 is UTC0)."""
        return self._zone[:-4] == other._zone[:-4]

    def _at(self, unix: float) -> int:
        """The offset in seconds at Unix seconds `unix`."""
        from core.clock import offset

        return offset(self._zone, int(unix // 1) - self._epoch)

    def _local_unix(self, dt: datetime) -> int:
        return int((dt.replace(tzinfo=None) - _EPOCH_DATETIME).total_seconds() // 1)

    def utcoffset(self, dt):
        if dt is None:
            return None
        # The offsets a local time can have: standard and summer time, each where it holds then.
        local = self._local_unix(dt)
        candidates = [o for o in {self._zone[0], self._zone[1]} if self._at(local - o) == o]
        if len(candidates) == 1:
            return timedelta(seconds=candidates[0])
        # Repeated (the autumn switch: fold 0 the first, the larger offset) or skipped (the spring
        # switch: fold 0 the offset before it, as PEP 495 has it).
        before, after = sorted({self._zone[0], self._zone[1]}, reverse=bool(candidates))
        return timedelta(seconds=after if dt.fold else before)

    def dst(self, dt):
        if dt is None:
            return None
        return self.utcoffset(dt) - timedelta(seconds=self._zone[0])

    def tzname(self, dt):
        summer = dt is not None and self.dst(dt)
        return self._names[1 if summer else 0] or None

    def fromutc(self, dt):
        seconds = self._at(self._local_unix(dt))
        local = (dt + timedelta(seconds=seconds)).replace(fold=0)
        # The second time a repeated hour comes round.
        return local if local.utcoffset() == timedelta(seconds=seconds) else local.replace(fold=1)

    def __str__(self) -> str:
        """Its name and its rule: 'America/New_York (EST5EDT,M3.2.0,M11.1.0)'."""
        return self.name if self.name == self.rule or not self.rule else f"{self.name} ({self.rule})"

    def stamp(self, unix: float) -> str:
        """Unix seconds as a local time, its zone's name and offset: '2026-03-08 03:00:05 EDT (UTC-0400)'."""
        when = datetime.fromtimestamp(unix, self)
        # From the instant itself, not from the local time (which the autumn switch repeats).
        seconds = self._at(unix)
        sign = "+" if seconds >= 0 else "-"
        hours, minutes = divmod(abs(seconds) // 60, 60)
        summer = seconds != self._zone[0]
        abbreviation = self._names[1 if summer else 0]
        name = f" {abbreviation}" if abbreviation and abbreviation[0] not in "+-" else ""
        return f"{when:%Y-%m-%d %H:%M:%S}{name} (UTC{sign}{hours:02d}{minutes:02d})"


def is_rule(text: str) -> bool:
    load_core()
    from core.tz import parse

    return type(parse(text)) is not int


def _search_path() -> list[Path]:
    """Where tz database files are: TZDIR first (as the C library has it), then Python's own list."""
    import zoneinfo

    folders = [Path(os.environ["TZDIR"])] if os.environ.get("TZDIR") else []
    return folders + [Path(p) for p in zoneinfo.TZPATH]


def rule_of_file(path: Path) -> str:
    """The POSIX rule a TZif file ends with ('' where it has none, a version 1 file)."""
    data = path.read_bytes()
    if data[:4] != b"TZif":
        raise ZoneError(f"{path} is not a time zone file")
    if data[4:5] in (b"\0", b"1") or not data.endswith(b"\n"):
        return ""
    return data[:-1].rsplit(b"\n", 1)[-1].decode("ascii", "replace")


def rule_of_name(name: str) -> str:
    """The POSIX rule of a tz database zone ('America/New_York'), from its file."""
    name = name.removeprefix(":")
    if name.startswith("/"):
        candidates = [Path(name)]
    elif ".." in Path(name).parts:
        candidates = []
    else:
        candidates = [folder / name for folder in _search_path()]
    for path in candidates:
        if path.is_file():
            rule = rule_of_file(path)
            if not is_rule(rule):
                raise ZoneError(f"time zone {name}: its file {path} ends with no rule the device takes ({rule!r})")
            return rule
    raise ZoneError(f"no time zone {name!r}: neither a POSIX rule nor a zone of the tz database")


def resolve(text: str) -> Zone:
    """--tz: a POSIX rule, or the name of a zone of the tz database."""
    if is_rule(text):
        return Zone(text)
    return Zone(rule_of_name(text), name=text.removeprefix(":"))


def _fixed_here() -> Zone:
    """This computer's offset now, as a zone without summer time: where its zone has no rule."""
    seconds = time.localtime().tm_gmtoff
    sign = "-" if seconds >= 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    east = "+" if seconds >= 0 else "-"
    label = f"{east}{hours:02d}" + (f"{rest // 60:02d}" if rest else "")
    rule = f"<{label}>{sign}{hours}" + (f":{rest // 60:02d}" if rest else "")
    return Zone(rule, name=f"this computer's offset now, UTC{label} (its zone has no rule the device takes)")


def computer() -> Zone:
    """This computer's time zone: TZ (a rule, or a zone's name), else /etc/localtime."""
    text = os.environ.get("TZ")
    if text:
        try:
            return resolve(text)
        except (ZoneError, OSError):
            return _fixed_here()
    localtime = Path("/etc/localtime")
    try:
        rule = rule_of_file(localtime)
    except (ZoneError, OSError):
        return _fixed_here()
    if not is_rule(rule):
        return _fixed_here()
    # The zone's name from the link's target: .../zoneinfo/Europe/Berlin.
    target = os.path.realpath(localtime)
    name = target.split("/zoneinfo/", 1)[1] if "/zoneinfo/" in target else str(localtime)
    return Zone(rule, name=name)


def of_device(reading: dict) -> Zone:
    """The zone a device's remote.now() answer names: its tz rule, or its fixed UTC offset."""
    rule = reading.get("tz") or ""
    offset = reading.get("utc_offset_minutes", 0)
    if rule:
        return Zone(rule)
    hours, minutes = divmod(abs(offset), 60)
    fixed = f"UTC{'-' if offset < 0 else '+'}{hours:02d}:{minutes:02d}"
    return Zone(offset_minutes=offset, name=f"{fixed} all year (utc_offset_minutes {offset}: no tz rule)")
