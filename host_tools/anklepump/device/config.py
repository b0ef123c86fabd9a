"""`anklepump config`: show and set the device's settings, checked by the device's own rules."""

import argparse
import base64
import binascii
import json

from ..firmware import load_core
from .link import LinkError, add_port_option, coach_stopped


class ConfigError(Exception):
    """A setting refused; `key` names the one the message is about, where there is one."""

    def __init__(self, message: str, key: str | None = None):
        super().__init__(message)
        self.key = key


def parse_assignment(text: str) -> tuple[str, object]:
    """'volume=3' -> ('volume', 3); values are JSON where the device's parser reads them as
    JSON, else text."""
    load_core()
    from core.settings import load

    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"expected key=value, got {text!r}; nothing written")
    raw, wrong = load(value)
    return key.strip(), value if wrong else raw


def _read(link) -> tuple[dict, dict, list[str]]:
    """(the settings the coach runs on, the file's own valid keys, the file's problems),
    decided by the device's own parser."""
    load_core()
    from core.settings import DEFAULTS, load, parse, problem

    stored = link.call_json("remote.settings()").get("base64")
    try:
        data = b"{}" if stored is None else base64.b64decode(stored, validate=True)
    except (TypeError, binascii.Error) as exc:
        raise LinkError("unexpected answer from the device: settings.json not in base64") from exc
    settings, problems = parse(data)
    raw, _ = load(data)
    own = {}
    if isinstance(raw, dict):
        own = {k: v for k, v in raw.items() if k in DEFAULTS and problem(k, v) is None}
    return settings, own, problems


def read(port: str | None) -> tuple[dict, dict, list[str]]:
    """The coach's settings: (what it runs on, the file's own valid keys, the file's problems)."""
    with coach_stopped(port) as link:
        return _read(link)


def show(args) -> int:
    settings, own, problems = read(args.port)
    width = max(len(k) for k in settings)
    for key, value in settings.items():
        print(f"{key:<{width}}  {json.dumps(value)}{'' if key in own else '  (default)'}")
    for problem in problems:
        print(f"problem in settings.json: {problem}")
    return 0


def check(changes: dict) -> dict[str, str]:
    """key -> what is wrong with its new value, by the device's rules for one value each."""
    load_core()
    from core.settings import DEFAULTS, problem, shown

    wrong = {}
    for key, value in changes.items():
        if key not in DEFAULTS:
            wrong[key] = f"unknown setting {key!r} (known: {', '.join(DEFAULTS)})"
        elif problem(key, value):
            wrong[key] = f"{key}={shown(value)}: {problem(key, value)}"
    return wrong


def write(port: str | None, changes: dict) -> None:
    """Merge `changes` into the coach's settings.json, each value and then the whole file
    checked by the device's parser first (ConfigError, nothing written); the coach restarts
    with them and journals each change."""
    _refuse_wrong(changes)
    with coach_stopped(port) as link:
        write_on(link, changes)


def _refuse_wrong(changes: dict) -> None:
    wrong = check(changes)
    if wrong:
        key, message = next(iter(wrong.items()))
        raise ConfigError(f"{message}; nothing written", key)


def write_on(link, changes: dict) -> None:
    """write(), on a link to the stopped coach."""
    load_core()
    from core.settings import DEFAULTS, parse

    _refuse_wrong(changes)
    _, own, _ = _read(link)
    merged = {**own, **changes}
    text = json.dumps(merged, indent=1, sort_keys=True)
    # The file as written, read back by the device's parser: it decides, not the host's json.
    _, problems = parse(text)
    if problems:
        # The device's problem lines begin with the setting they are about.
        key = problems[0].split(" ", 1)[0]
        message = problems[0].rsplit("; using", 1)[0]
        raise ConfigError(f"{message}; nothing written", key if key in DEFAULTS else None)
    changed = sorted(k for k in changes if own.get(k, DEFAULTS[k]) != changes[k])
    link.call(f"remote.write_settings({text!r}, {changed!r})")


def set_values(args) -> int:
    changes = dict(parse_assignment(a) for a in args.assignments)
    write(args.port, changes)
    for key in sorted(changes):
        print(f"{key} = {json.dumps(changes[key])}")
    print("settings.json written; the coach restarted with them")
    return 0


def form_value(key: str, text: str):
    """A settings form's text for a setting as `config set KEY=TEXT` reads it (JSON where it parses)."""
    return parse_assignment(f"{key}={text.strip()}")[1]


def keys_help() -> str:
    """Every KEY config set takes: its range, its default and what it does."""
    # The settings form's own descriptions (the web app's Settings page shows the same).
    from ..firmware.fields import fields

    form = fields()
    width = max(len(f.key) for f in form)
    lines = ["keys (range; default): what it does"]
    for f in form:
        lines.append(f"  {f.key:<{width}}  {f.range}; default {f.default_text}: {f.explain}")
    return "\n".join(lines)


def register(commands) -> None:
    p = commands.add_parser("config", help="show or set the device's settings")
    sub = p.add_subparsers(dest="config_command", metavar="COMMAND", required=True)
    p = sub.add_parser("show", help="the device's settings, defaults marked")
    add_port_option(p)
    p.set_defaults(run=show)
    p = sub.add_parser(
        "set",
        help="set key=value ... (every value checked before anything is written)",
        epilog=keys_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("assignments", nargs="+", metavar="KEY=VALUE")
    add_port_option(p)
    p.set_defaults(run=set_values)
