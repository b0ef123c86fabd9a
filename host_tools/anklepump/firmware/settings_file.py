"""Reading a settings.json on the host, with the device's own validation."""

from pathlib import Path

from . import load_core


class SettingsError(Exception):
    pass


def read_bytes(path: str | Path) -> bytes:
    """A settings file's bytes, as the device reads them: one byte past the parser's limit
    at most, enough for it to say the file is too long."""
    load_core()
    from core.settings import MAX_BYTES

    try:
        with open(path, "rb") as f:
            return f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SettingsError(f"cannot read {path}: {exc.strerror}") from exc


def check(data: bytes) -> tuple[dict, list[str]]:
    """The device's own parser decides: (the settings it would run on, the problems)."""
    load_core()
    from core.settings import parse

    return parse(data)


def read_settings(path: str | None) -> dict:
    """Settings from a file (defaults if None); any problem is an error on the host."""
    if path is None:
        return check(b"{}")[0]
    settings, problems = check(read_bytes(path))
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise SettingsError(f"{path}: {problems[0]}{more}")
    return settings


def run_check(args) -> int:
    """`anklepump check-settings FILE`: every problem, one a line; exit 1 if any."""
    _, problems = check(read_bytes(args.file))
    for problem in problems:
        print(f"{args.file}: {problem}")
    if problems:
        return 1
    print(f"{args.file}: settings are valid")
    return 0
