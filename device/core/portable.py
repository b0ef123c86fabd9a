# const, ticks and print_exception where MicroPython's are missing (core/compat.py imports
# them from here only then): CircuitPython, and CPython for the tests and host tools.
try:
    # CircuitPython's: its compiler folds const() as MicroPython's does.
    from micropython import const
except ImportError:

    def const(value):
        return value


try:
    # CircuitPython: supervisor.ticks_ms() counts on 29 bits (shared-bindings/supervisor).
    from supervisor import ticks_ms  # noqa: F401 (its presence is the test)

    _PERIOD = 1 << 29
except ImportError:
    # CPython has no ticks: model the ESP32's 30-bit millisecond counter.
    _PERIOD = 1 << 30
_HALF = _PERIOD >> 1


def ticks_add(ticks, delta):
    return (ticks + delta) % _PERIOD


def ticks_diff(end, start):
    return ((end - start + _HALF) % _PERIOD) - _HALF


# CircuitPython 10 and CPython: the traceback module's, which takes the exception alone.
from traceback import print_exception as _print_exception  # noqa: E402


def print_exception(exc, file=None):
    _print_exception(exc, file=file)
