"""The `anklepump` command: a table of subcommands over small library modules."""

import argparse
import sys
import traceback

from . import __version__
from .device import clock, config, deploy, deploy_circuitpython, flash, sync
from .device.link import add_port_option
from .errors import ERRORS
from .firmware import plan, settings_file
from .report import command as report
from .report import export
from .sim import simulator as sim
from .store import journal_cmd, patient
from .store.database import add_db_option
from .web import command as web

DEBUG_HELP = "show the traceback of an error"


def _day(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number of days, 0 or more: {text!r}")
    return int(text)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="anklepump", description="Host tool for the Ankle Pump Coach.")
    parser.add_argument("--version", action="version", version=f"anklepump {__version__}")
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = commands.add_parser("plan", help="show the session a patient is coached through")
    p.add_argument("--settings", metavar="FILE", help="a settings.json (default: the device defaults)")
    p.add_argument("--day", type=_day, default=0, help="day of use, for the gentle-start ramp (0 = first day)")
    p.set_defaults(run=plan.run)

    p = commands.add_parser("sim", help="run the real firmware on a simulated board")
    p.add_argument("--state", metavar="DIR", default="sim-state", help="the device's flash, kept between runs")
    p.add_argument("--start", metavar="ISO-DATETIME", help="set the clock (local time, or 'now'); omitted: not set")
    p.add_argument("--speed", default="1", metavar="N|max", help="times real time, or max (jump to each deadline)")
    p.add_argument("--for", dest="for_", metavar="DURATION", help="simulated time to run, e.g. 90m, 24h, 7d")
    p.add_argument(
        "--script",
        metavar="FILE",
        help="timed button actions, one a line: '[D+]HH:MM:SS ACTION [HELD]' (that time of day D days on)"
        " or '+SECONDS ACTION [HELD]' (after the line before); ACTION press, hold, double or long;"
        " HELD how long the button is down, e.g. 'press 1.0s'",
    )
    p.add_argument("--screens", metavar="DIR", help="save a PNG of the OLED at every screen change")
    p.add_argument("--trace", metavar="FILE", help="write every screen, tone and journal record as JSON lines")
    p.add_argument("--headless", action="store_true", help="no terminal drawing")
    p.add_argument("--quiet", action="store_true", help="no progress bar for a headless run")
    p.add_argument(
        "--serial", action="store_true", help="expose the REPL on a pseudo-terminal (real time, or --speed N times it)"
    )
    p.add_argument("--baud", type=int, metavar="N", help="with --serial: carry it no faster than N baud, as a UART")
    p.add_argument(
        "--cut-after-writes", type=_positive, metavar="N", help="cut the power after the N-th block write of this boot"
    )
    p.add_argument("--torn", action="store_true", help="with --cut-after-writes: the N-th write is itself half done")
    p.add_argument("--flash-time", action="store_true", help="at --speed max, flash operations take their time")
    p.add_argument("--fault", choices=["display"], help="a hardware fault: display = no display answering on I2C")
    p.add_argument("--keep-firmware", action="store_true", help="run the firmware on the flash as it is (no deploy)")
    p.set_defaults(run=sim.run)

    p = commands.add_parser("sync", help="read new journal records from the device into the database")
    add_port_option(p)
    add_db_option(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    clock.add_tz_option(p)
    p.set_defaults(run=sync.run)

    p = commands.add_parser("journal", help="look at journal records")
    journal = p.add_subparsers(dest="journal_command", metavar="COMMAND", required=True)
    p = journal.add_parser("dump", help="print records as JSON lines")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--state", metavar="DIR", help="a simulator's flash folder")
    add_db_option(source)
    p.add_argument("--device", help="only this device's records (with --db)")
    p.set_defaults(run=journal_cmd.dump)

    p = commands.add_parser("check-settings", help="validate a settings.json as the device would")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(run=settings_file.run_check)

    config.register(commands)
    clock.register(commands)
    deploy_circuitpython.register(deploy.register(commands))
    flash.register(commands)
    report.register(commands)
    export.register(commands)
    patient.register(commands)
    web.register(commands)
    _debug_everywhere(parser)
    return parser


def _debug_everywhere(parser: argparse.ArgumentParser) -> None:
    """--debug after the command too (`anklepump sync --debug`): every command takes it, and
    one not given leaves the value given before the command as it was."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in dict.fromkeys(action.choices.values()):
                command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)
                _debug_everywhere(command)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ERRORS as exc:
        if args.debug:
            traceback.print_exc()
        print(f"anklepump: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("anklepump: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
