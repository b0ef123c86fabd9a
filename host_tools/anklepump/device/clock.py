"""`anklepump time`: the device's clock against this computer's."""

import time
from datetime import datetime, timedelta, timezone

from .link import add_port_option, coach_stopped


def _local(unix: float, offset_minutes: int) -> str:
    zone = timezone(timedelta(minutes=offset_minutes))
    return datetime.fromtimestamp(unix, zone).strftime("%Y-%m-%d %H:%M:%S (UTC%z)")


def show(args) -> int:
    with coach_stopped(args.port) as link:
        host = time.time()
        reading = link.call_json("remote.now()")
    offset = reading["utc_offset_minutes"]
    if not reading["clock_set"]:
        print(f"device: clock not set ({reading['t']} s since boot)")
        print(f"host:   {_local(host, offset)}")
        return 0
    device = reading["t"] + reading["frac_ms"] / 1000
    print(f"device: {_local(device, offset)}")
    print(f"host:   {_local(host, offset)}")
    print(f"drift:  {device - host:+.1f} s (device minus host)")
    return 0


def set_clock(args) -> int:
    with coach_stopped(args.port) as link:
        # Set on the whole second, so the device starts its second when the host's begins.
        time.sleep(1 - time.time() % 1)
        now = round(time.time())
        clock = link.call_json(f"remote.set_time({now})")
        offset = link.call_json("remote.now()")["utc_offset_minutes"]
    was = "not set" if not clock["was_set"] else f"{clock['was'] - now:+d} s off"
    print(f"device clock set to {_local(now, offset)} (it was {was})")
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
