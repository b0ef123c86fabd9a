"""The simulated board's flash on the host: one LittleFS image file in the state folder.

The board mounts it with MicroPython's `vfs.VfsLfs2` (device/board/vflash.py); the host
reads and writes it with littlefs-python, the same LittleFS C library, with the same
parameters (docs/flash.md says how they match the ESP32's). A state folder with no image
gets a freshly formatted one; the device files a test or a person leaves in the folder
(settings.json, state.json, the journal's records/ folder) are moved onto the image at the start of a
run, so a scenario is still set up with plain files.
"""

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from littlefs import LittleFS, LittleFSError, UserContext

IMAGE = "flash.img"
# The ESP32_GENERIC 4 MB board's "vfs" partition: the 2 MiB past the 0x200000 the
# bootloader, nvs, phy_init and the factory app take (ports/esp32/partitions-4MiBplus.csv),
# in the 4 KB blocks esp32.Partition gives LittleFS.
BLOCK_SIZE = 4096
BLOCK_COUNT = 512
# vfs.VfsLfs2's defaults (extmod/vfs_lfs.c, vfs_lfsx.c), which _boot.py and inisetup.py use:
# read and program size 32, lookahead 32 bytes, a cache of 4 * 32, block_cycles 100;
# on-disk version 2.1 (LittleFS 2.11, both sides).
LFS_PARAMETERS = {
    "block_size": BLOCK_SIZE,
    "block_count": BLOCK_COUNT,
    "read_size": 32,
    "prog_size": 32,
    "lookahead_size": 32,
    "cache_size": 128,
    "block_cycles": 100,
}
SEEDS = ("settings.json", "state.json")
SEED_FOLDERS = ("records",)


class ImageError(Exception):
    pass


class PowerCut(Exception):
    """The power failed at the block write a test asked for (CuttingContext)."""


class CuttingContext(UserContext):
    """The image's blocks, the block writes (programs and erases) counted; with cut_after, the
    power fails at that write (torn: itself half done), and every operation after it fails."""

    _IO_ERROR = -5  # LFS_ERR_IO: littlefs-python's callbacks answer with an error code

    def __init__(self, buffer: bytearray, cut_after: int | None = None, torn: bool = False):
        super().__init__(buffer=buffer)
        self.cut_after = cut_after
        self.torn = torn
        self.writes = 0
        self.cut = False

    def read(self, cfg, block, off, size):
        if self.cut:
            return bytearray(size)
        return super().read(cfg, block, off, size)

    def _last(self) -> bool:
        self.writes += 1
        return self.writes == self.cut_after

    def prog(self, cfg, block, off, data):
        if self.cut:
            return self._IO_ERROR
        last = self._last()
        data = data[: len(data) // 2] if last and self.torn else data
        start = block * cfg.block_size + off
        old = self.buffer[start : start + len(data)]
        # NOR flash: a program only clears bits.
        self.buffer[start : start + len(data)] = bytes(a & b for a, b in zip(old, data))
        self.cut = last
        return self._IO_ERROR if last else 0

    def erase(self, cfg, block):
        if self.cut:
            return self._IO_ERROR
        last = self._last()
        size = cfg.block_size // 2 if last and self.torn else cfg.block_size
        start = block * cfg.block_size
        self.buffer[start : start + size] = b"\xff" * size
        self.cut = last
        return self._IO_ERROR if last else 0


class FlashImage:
    """The image's filesystem, in memory while open: read and written by path; save() puts it
    back in its file (a new file renamed over the old, so the host never leaves half an image)."""

    def __init__(self, path: Path, data: bytearray, context: UserContext | None = None):
        self.path = path
        self.context = context or UserContext(buffer=data)
        try:
            self.fs = LittleFS(context=self.context, mount=True, **LFS_PARAMETERS)
        except LittleFSError as exc:
            raise ImageError(f"{path} is not a LittleFS image of this board's flash ({exc})") from exc

    @classmethod
    def formatted(cls, path: Path) -> "FlashImage":
        """A fresh board's flash: erased, then formatted as inisetup.py does (VfsLfs2.mkfs)."""
        context = UserContext(buffsize=BLOCK_SIZE * BLOCK_COUNT)
        LittleFS(context=context, mount=False, **LFS_PARAMETERS).format()
        return cls(path, context.buffer, context)

    def read(self, name: str) -> bytes | None:
        try:
            with self.fs.open(name, "rb") as f:
                return f.read()
        except (LittleFSError, OSError):
            return None

    def exists(self, name: str) -> bool:
        try:
            self.fs.stat(name)
            return True
        except (LittleFSError, OSError):
            return False

    def listdir(self, folder: str = "/") -> list[str]:
        try:
            return sorted(self.fs.listdir(folder))
        except (LittleFSError, OSError):
            return []

    def files(self) -> dict[str, bytes]:
        """Every file on the image, by path from the root."""
        out = {}
        for top, _, names in self.fs.walk("/"):
            for name in names:
                path = f"{top.rstrip('/')}/{name}".lstrip("/")
                out[path] = self.read(path)
        return out

    def write(self, name: str, data: bytes) -> None:
        """Replace a file as the firmware and deploy do: written beside, then renamed over."""
        self.write_beside(name, data)
        self.rename_over(name)

    def write_beside(self, name: str, data: bytes) -> None:
        """The new content of a file, as name.new beside it."""
        folder = name.rpartition("/")[0]
        if folder and not self.exists(folder):
            self.fs.makedirs(folder, exist_ok=True)
        f = self.fs.open(name + ".new", "wb")
        try:
            f.write(data)
        finally:
            try:
                f.close()
            except LittleFSError:
                # The power failed in its last writes: lfs.c has let the file go, but
                # littlefs-python takes it for open still and would close it again when it is
                # collected, into lfs.c's assertion. Marked closed, as its own close() does.
                setattr(f.raw, "__IOBase_closed", True)
                raise

    def rename_over(self, name: str) -> None:
        """name.new becomes name, in one step (a LittleFS rename replaces its target)."""
        self.fs.rename(name + ".new", name)

    def remove(self, name: str) -> None:
        self.fs.remove(name)

    def extract(self, folder: str, into: Path) -> None:
        for name in self.listdir(folder):
            data = self.read(f"{folder}/{name}")
            if data is not None:
                (into / name).write_bytes(data)

    def save(self, as_cut: bool = False) -> None:
        """The image back in its file; as_cut: as the power cut left it (nothing more written)."""
        if not as_cut:
            self.fs.unmount()
        new = self.path.with_name(self.path.name + ".new")
        new.write_bytes(bytes(self.context.buffer))
        os.replace(new, self.path)


def image_path(state: Path) -> Path:
    return Path(state) / IMAGE


def open_image(state: Path) -> FlashImage:
    """The image in `state` (an ImageError if there is none)."""
    path = image_path(state)
    try:
        data = bytearray(path.read_bytes())
    except OSError as exc:
        raise ImageError(f"no simulated flash in {state} (no {IMAGE})") from exc
    if len(data) != BLOCK_SIZE * BLOCK_COUNT:
        raise ImageError(f"{path} is {len(data)} bytes, not this board's {BLOCK_SIZE * BLOCK_COUNT}")
    return FlashImage(path, data)


@contextmanager
def changed(state: Path, cut_after: int | None = None, torn: bool = False):
    """The image in `state` (a fresh one if there is none) to change; saved after. Its
    context counts the block writes; with cut_after, the power fails at that one (PowerCut),
    and the image is saved as the cut left it."""
    path = image_path(state)
    path.parent.mkdir(parents=True, exist_ok=True)
    image = open_image(state) if path.exists() else FlashImage.formatted(path)
    image.fs.unmount()
    image = FlashImage(path, image.context.buffer, CuttingContext(image.context.buffer, cut_after, torn))
    try:
        yield image
    except (LittleFSError, OSError):
        if not image.context.cut:
            raise
    if image.context.cut:
        image.save(as_cut=True)
        raise PowerCut(f"the power failed at block write {image.context.writes}")
    image.save()


def take_seeds(state: Path, image: FlashImage) -> list[str]:
    """Move the device files lying in the state folder onto the image; the names moved."""
    state = Path(state)
    moved = []
    for name in SEEDS:
        path = state / name
        if path.is_file():
            image.write(name, path.read_bytes())
            path.unlink()
            moved.append(name)
    for folder in SEED_FOLDERS:
        path = state / folder
        if path.is_dir():
            for item in sorted(path.iterdir()):
                image.write(f"{folder}/{item.name}", item.read_bytes())
            shutil.rmtree(path)
            moved.append(folder)
    return moved


def read_file(state: Path, name: str) -> bytes | None:
    """One file of the simulated flash in `state` (None if there is no such file)."""
    return open_image(state).read(name)


@contextmanager
def extracted(state: Path, folder: str):
    """A folder of the simulated flash, copied out to a temporary folder while in use."""
    image = open_image(state)
    if not image.exists(folder):
        raise ImageError(f"no {folder}/ on the simulated flash in {state}")
    with tempfile.TemporaryDirectory(prefix="anklepump-flash-") as tmp:
        image.extract(folder, Path(tmp))
        yield Path(tmp)
