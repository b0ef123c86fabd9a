"""Reading a settings.json on the host, with the device's own validation."""

from pathlib import Path

from . import load_core


class SettingsError(Exception):
    pass


def _read_text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SettingsError(f"{path} is not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise SettingsError(f"cannot read {path}: {exc.strerror}") from exc


def check(text: str) -> tuple[dict, list[str]]:
    load_core()
    from core.settings import parse

    return parse(text)


def read_settings(path: str | None) -> dict:
    """Settings from a file (defaults if None); any problem is an error on the host."""
    if path is None:
        return check("{}")[0]
    settings, problems = check(_read_text(path))
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise SettingsError(f"{path}: {problems[0]}{more}")
    return settings


def run_check(args) -> int:
    """`anklepump check-settings FILE`: every problem, one a line; exit 1 if any."""
    _, problems = check(_read_text(args.file))
    for problem in problems:
        print(f"{args.file}: {problem}")
    if problems:
        return 1
    print(f"{args.file}: settings are valid")
    return 0
