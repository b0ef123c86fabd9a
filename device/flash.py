# Small files on flash, read and replaced whole.
import os


def read_text(path):
    """The file's text, or None if there is no such file."""
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def write_atomic(path, data):
    """Replace a file so that a power cut leaves either the old or the new content."""
    with open(path + ".tmp", "wb" if type(data) is not str else "w") as f:
        f.write(data)
    try:
        os.rename(path + ".tmp", path)
    except OSError:
        # FAT will not rename over a file; littlefs does it in one step.
        os.remove(path)
        os.rename(path + ".tmp", path)
