# One source for both runtimes: MicroPython's builtins where they exist,
# equivalents for CPython (tests, host tools) where they don't.
try:
    from micropython import const
except ImportError:

    def const(value):
        return value


try:
    from time import ticks_add, ticks_diff
except ImportError:
    # CPython has no ticks: model the ESP32's 30-bit millisecond counter.
    _PERIOD = 1 << 30
    _HALF = _PERIOD >> 1

    def ticks_add(ticks, delta):
        return (ticks + delta) % _PERIOD

    def ticks_diff(end, start):
        return ((end - start + _HALF) % _PERIOD) - _HALF


# The counter's period on this runtime (2**30 on the ESP32, larger on the unix port).
TICKS_PERIOD = ticks_add(0, -1) + 1
