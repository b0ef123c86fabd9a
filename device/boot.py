# MicroPython runs boot.py at every reset, a soft one too, and main.py after it only from the
# friendly REPL (ports/esp32/main.c): a soft reset from mpremote's raw REPL (any mpremote
# command without `resume`) leaves the board at the REPL with its watchdog running, as nothing
# stops it. It is kept fed for a while, so that a by-hand mpremote session can finish; then the
# board resets and the coach runs again.
from board.esp32 import after_soft_reset

after_soft_reset()
