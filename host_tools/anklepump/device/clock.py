"""`anklepump time`: the device's clock against this computer's."""

import time
from datetime import datetime, timedelta, timezone

from .link import add_port_option, coach_stopped


def local_time(unix: float, offset_minutes: int) -> str:
    zone = timezone(timedelta(minutes=offset_minutes))
    return datetime.fromtimestamp(unix, zone).strftime("%Y-%m-%d %H:%M:%S (UTC%z)")


def reading(port: str | None) -> tuple[float | None, float, int, int]:
    """(the device's time in Unix seconds, None if its clock is not set; this computer's;
    the device's UTC offset in minutes; its seconds since boot when not set), read as close
    together as the link allows."""
    with coach_stopped(port) as link:
        host = time.time()
        reading = link.call_json("remote.now()")
    if not reading["clock_set"]:
        return None, host, reading["utc_offset_minutes"], reading["t"]
    return reading["t"] + reading["frac_ms"] / 1000, host, reading["utc_offset_minutes"], 0


def show(args) -> int:
    device, host, offset, since_boot = reading(args.port)
    if device is None:
        print(f"device: clock not set ({since_boot} s since boot)")
        print(f"host:   {local_time(host, offset)}")
        return 0
    print(f"device: {local_time(device, offset)}")
    print(f"host:   {local_time(host, offset)}")
    print(f"drift:  {device - host:+.1f} s (device minus host)")
    return 0


def set_now(port: str | None) -> str:
    """Set the device's clock from this computer's; the line that says so."""
    with coach_stopped(port) as link:
        # Set on the whole second, so the device starts its second when the host's begins.
        time.sleep(1 - time.time() % 1)
        now = round(time.time())
        clock = link.call_json(f"remote.set_time({now})")
        offset = link.call_json("remote.now()")["utc_offset_minutes"]
    was = "not set" if not clock["was_set"] else f"{clock['was'] - now:+d} s off"
    return f"device clock set to {local_time(now, offset)} (it was {was})"


def set_clock(args) -> int:
    print(set_now(args.port))
    return 0


def register(commands) -> None:
    p = commands.add_parser("time", help="show or set the device's clock")
    sub = p.add_subparsers(dest="time_command", metavar="COMMAND", required=True)
    p = sub.add_parser("show", help="the device's time and its drift from this computer's")
    add_port_option(p)
    p.set_defaults(run=show)
    p = sub.add_parser("set", help="set the device's clock (and its DS3231) from this computer's")
    add_port_option(p)
    p.set_defaults(run=set_clock)
