# MicroPython runs boot.py at every reset, a soft one too, and main.py after it only from the
# friendly REPL and only if boot.py did not raise (ports/esp32/main.c).
#
# First, before any .mpy is imported: each must be the size deploy wrote (firmware.txt). A .mpy
# cut short (a copy by hand that stopped part way) never comes back from MicroPython's loader: it
# reads on past the end for ever (read_uint, py/persistentcode.c), where no Ctrl-C reaches it, and
# the watchdog would reset the board into the same hang every few seconds. Instead the file is
# moved aside (NAME.cut) and named in error.txt, and boot.py raises: the board waits at the REPL,
# silent, no watchdog started, until the host deploys again (which copies the module anew).
import os


def _cut_short():
    """The first .mpy firmware.txt lists at another size than its own, or None."""
    try:
        with open("firmware.txt") as f:
            for line in f:
                sizes = line.split()
                try:
                    if str(os.stat(sizes[0])[6]) not in sizes[1:]:
                        return sizes[0]
                except OSError:  # gone: main.py's guard reports its import
                    pass
    except Exception:  # no list (a copy by hand, nothing deployed yet), or not one deploy wrote
        pass
    return None


_cut = _cut_short()
if _cut:
    # Moved aside, so that no import at the REPL (the host's calls) hangs in it either.
    os.rename(_cut, _cut + ".cut")
    _cut = "%s is not the size deploy wrote (firmware.txt): cut short? Moved aside; deploy again" % _cut
    with open("error.txt", "w") as _f:
        _f.write(_cut + "\n")
    raise RuntimeError(_cut)
# On the ESP32, main.py runs in boot.py's globals: nothing of this is left to it.
del _cut_short, _cut

# A soft reset from mpremote's raw REPL (any mpremote command without `resume`) leaves the board
# at the REPL with its watchdog running, as nothing stops it. It is kept fed for a while, so that
# a by-hand mpremote session can finish; then the board resets and the coach runs again.
from board.esp32 import after_soft_reset  # noqa: E402

after_soft_reset()
