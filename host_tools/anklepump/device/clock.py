"""`anklepump time`: the device's clock and time zone against this computer's."""

import time

from .. import zones
from . import config
from .link import DeviceFailed, add_port_option, coach_stopped


def reading(port: str | None) -> tuple[float | None, float, zones.Zone, int]:
    """(the device's time in Unix seconds, None if its clock is not set; this computer's;
    the device's time zone; its seconds since boot when not set), read as close together as
    the link allows."""
    with coach_stopped(port) as link:
        host = time.time()
        reading = link.call_json("remote.now()")
    zone = zones.of_device(reading)
    if not reading["clock_set"]:
        return None, host, zone, reading["t"]
    return reading["t"] + reading["frac_ms"] / 1000, host, zone, 0


def show(args) -> int:
    device, host, zone, since_boot = reading(args.port)
    here = zones.computer()
    if device is None:
        print(f"device: clock not set ({since_boot} s since boot); time zone {zone}")
    else:
        print(f"device: {zone.stamp(device)}; time zone {zone}")
    print(f"host:   {here.stamp(host)}; time zone {here}")
    if device is not None:
        print(f"drift:  {device - host:+.1f} s (device minus host)")
    if zone.rule != here.rule:
        print(
            "warning: the device keeps another time zone than this computer's (`anklepump time set` gives it this one)"
        )
    return 0


def wanted(tz: str | None) -> zones.Zone:
    """The zone --tz names (a tz database zone or a POSIX rule), or this computer's."""
    return zones.resolve(tz) if tz else zones.computer()


def set_zone(link, zone: zones.Zone) -> tuple[str, zones.Zone]:
    """Give the device `zone` where it keeps another (its settings.json's tz, written as `config set`
    writes it: the coach takes it up as it restarts); (the line that says what was done, the zone
    the device keeps now)."""
    now = link.call_json("remote.now()")
    before = zones.of_device(now)
    if "tz" not in now:
        line = "time zone not set: this device's firmware keeps only utc_offset_minutes (anklepump deploy updates it)"
        return line, before
    if before.keeps_time_as(zone):
        # Nothing to write: a device that keeps the same hours keeps its settings.json as it is.
        return f"time zone {zone}, as it was", zone
    try:
        config.write_on(link, {"tz": zone.rule})
    except DeviceFailed as exc:
        # A full flash takes no new settings.json: the clock is set all the same, and a sync goes on.
        return f"warning: time zone not set to {zone} ({exc}); it is still {before}", before
    return f"time zone set to {zone}; it was {before}", zone


def set_now(port: str | None, tz: str | None = None) -> str:
    """Set the device's time zone (this computer's, or the one `tz` names) and its clock from
    this computer's; the lines that say so."""
    zone = wanted(tz)
    with coach_stopped(port) as link:
        said, zone = set_zone(link, zone)
        # Set on the whole second, so the device starts its second when the host's begins.
        time.sleep(1 - time.time() % 1)
        now = round(time.time())
        clock = link.call_json(f"remote.set_time({now})")
    was = "not set" if not clock["was_set"] else f"{clock['was'] - now:+d} s off"
    return f"{said}\ndevice clock set to {zone.stamp(now)} (it was {was})"


def set_clock(args) -> int:
    print(set_now(args.port, args.tz))
    return 0


def add_tz_option(p) -> None:
    p.add_argument(
        "--tz",
        metavar="ZONE",
        help="the device's time zone: a zone of the tz database (Europe/Berlin) or a POSIX rule"
        " (CET-1CEST,M3.5.0,M10.5.0/3); default: this computer's",
    )


def register(commands) -> None:
    p = commands.add_parser("time", help="show or set the device's clock and time zone")
    sub = p.add_subparsers(dest="time_command", metavar="COMMAND", required=True)
    p = sub.add_parser("show", help="the device's time in its time zone, and this computer's")
    add_port_option(p)
    p.set_defaults(run=show)
    p = sub.add_parser("set", help="set the device's time zone and clock (and its DS3231) from this computer's")
    add_tz_option(p)
    add_port_option(p)
    p.set_defaults(run=set_clock)
