"""CircuitPython's supervisor, as far as the coach uses it: the 29-bit ticks."""

import vclock


def ticks_ms():
    return vclock.ticks()
