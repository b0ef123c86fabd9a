# One source for three runtimes: MicroPython's builtins where it has them; on CircuitPython
# and CPython (tests, host tools), which lack some of them, equivalents from core/portable.py,
# loaded only there: on the ESP32 their code would take heap for nothing.
try:
    from sys import print_exception
    from time import ticks_add, ticks_diff

    from micropython import const
except ImportError:
    from core.portable import const, print_exception, ticks_add, ticks_diff  # noqa: F401 (the same names)

# The counter's period on this runtime (2**30 on the ESP32, 2**29 on CircuitPython, larger on
# the unix port).
TICKS_PERIOD = ticks_add(0, -1) + 1
