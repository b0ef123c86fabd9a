# boot.py on CircuitPython (deploy installs this file as /boot.py; CircuitPython runs it once at
# each hard reset, before the USB drive appears). The coach writes its journal, settings and
# state to the flash, which CircuitPython lets code do only if boot.py remounts it writable; the
# CIRCUITPY drive is then read-only to the computer. Holding the button while the board resets
# leaves it as it was: the computer can write to the drive (to update the firmware by hand),
# and the coach does not start (code.py says so on the screen) until the next reset.
import digitalio
import storage

from circuitpython.config import BUTTON

button = digitalio.DigitalInOut(BUTTON)
button.switch_to_input(pull=digitalio.Pull.UP)
if button.value:  # up: pulled high, not held
    storage.remount("/", readonly=False)
button.deinit()
