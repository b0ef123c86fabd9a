# The button's edges, from the pin IRQ to the main loop. put() runs in the IRQ
# and must not allocate (a hard IRQ can't; on the ESP32 the handler is scheduled
# but the scheduler's queue is short), so the ring is two preallocated arrays
# and two small-int counters. The IRQ only ever writes; the loop only reads.
from array import array

from core.compat import const

# The counters run modulo 2**16 (a multiple of any ring size) to stay small ints.
_WRAP = const(0xFFFF)


class ButtonRing:
    """Up to `size` (a power of two) edges as (pressed, ticks_ms).

    When the loop falls behind, the newest edges are kept and the oldest are
    overwritten: the last edge is the button's level now, which must not be
    lost, while a gap in old bounce costs nothing after debouncing.
    """

    def __init__(self, size=32):
        self._mask = size - 1
        self._size = size
        self._pressed = bytearray(size)
        self._ticks = array("l", [0] * size)
        self._head = 0  # edges written, modulo 2**16
        self._tail = 0  # edges read, modulo 2**16

    def put(self, pressed, ticks):
        """Record an edge; for the IRQ handler: no allocation."""
        i = self._head & self._mask
        self._pressed[i] = pressed
        self._ticks[i] = ticks
        self._head = (self._head + 1) & _WRAP

    def pending(self):
        return self._head != self._tail

    def drain(self):
        """Yield (pressed, ticks) for each edge not yet read, oldest first."""
        while True:
            behind = (self._head - self._tail) & _WRAP
            if not behind:
                return
            if behind > self._size:
                # Overwritten while we weren't looking: skip to the oldest kept.
                self._tail = (self._head - self._size) & _WRAP
                continue
            i = self._tail & self._mask
            pressed = self._pressed[i]
            ticks = self._ticks[i]
            # An IRQ between the two reads above may have overwritten this slot.
            if (self._head - self._tail) & _WRAP > self._size:
                continue
            self._tail = (self._tail + 1) & _WRAP
            yield pressed != 0, ticks
