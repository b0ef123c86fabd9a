"""The `anklepump` command: a table of subcommands over small library modules."""

import argparse
import sys

from . import __version__, plan, settings_file
from .firmware import FirmwareNotFound


def _day(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="anklepump", description="Host tool for the Ankle Pump Coach.")
    parser.add_argument("--version", action="version", version=f"anklepump {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = commands.add_parser("plan", help="show the session a patient is coached through")
    p.add_argument("--settings", metavar="FILE", help="a settings.json (default: the device defaults)")
    p.add_argument("--day", type=_day, default=0, help="day of use, for the gentle-start ramp (0 = first day)")
    p.set_defaults(run=plan.run)

    p = commands.add_parser("check-settings", help="validate a settings.json as the device would")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(run=settings_file.run_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (settings_file.SettingsError, FirmwareNotFound) as exc:
        print(f"anklepump: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
