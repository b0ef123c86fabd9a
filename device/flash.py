# Files on flash: small ones read whole, and every change made atomically.
import os


def read_bytes(path, limit):
    """The file's first `limit` bytes, or None if there is no such file (or it cannot be
    read). Bytes, not text: a file that is not UTF-8 must not stop the reader."""
    try:
        with open(path, "rb") as f:
            return f.read(limit)
    except OSError:
        return None


def write_atomic(path, data):
    """Replace a file so that a power cut leaves either the old or the new content."""
    with open(path + ".tmp", "wb" if type(data) is not str else "w") as f:
        f.write(data)
    _replace(path)


def cut_atomic(path, length, buf):
    """Cut a file to its first `length` bytes (a multiple of len(buf)), atomically; copied
    through `buf`, as MicroPython's files have no truncate()."""
    with open(path, "rb") as src, open(path + ".tmp", "wb") as dst:
        for _ in range(length // len(buf)):
            src.readinto(buf)
            dst.write(buf)
    _replace(path)


def _replace(path):
    """path.tmp becomes path."""
    try:
        os.rename(path + ".tmp", path)
    except OSError:
        # FAT will not rename over a file; littlefs does it in one step.
        os.remove(path)
        os.rename(path + ".tmp", path)
