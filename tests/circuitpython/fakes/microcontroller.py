"""CircuitPython's microcontroller: the watchdog, the chip's id and its reset, recorded."""

import vclock


class Restart(BaseException):
    """The firmware asked for a hard reset."""


class WatchDogTimer:
    def __init__(self):
        self.timeout = 0
        self.mode = None
        self.fed_ms = 0

    def feed(self):
        self.fed_ms = vclock.ms


class _Processor:
    uid = bytearray(b"\x53\x49\x4d\x00\x00\x01")


watchdog = WatchDogTimer()
cpu = _Processor()


def reset():
    raise Restart
