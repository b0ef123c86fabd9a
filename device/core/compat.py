# One source for three runtimes: MicroPython's builtins where they exist,
# equivalents for CircuitPython and CPython (tests, host tools) where they don't.
try:
    from micropython import const
except ImportError:

    def const(value):
        return value


try:
    from time import ticks_add, ticks_diff
except ImportError:
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


try:
    from sys import print_exception
except ImportError:
    # CircuitPython 10 and CPython: the traceback module's, which takes the exception alone.
    from traceback import print_exception as _print_exception

    def print_exception(exc, file=None):
        _print_exception(exc, file=file)


# The counter's period on this runtime (2**30 on the ESP32, 2**29 on CircuitPython, larger on
# the unix port).
TICKS_PERIOD = ticks_add(0, -1) + 1
