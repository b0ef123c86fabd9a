"""The virtual clock under the fake CircuitPython modules: milliseconds since power-on, moved
only by time.sleep() (the harness puts sleep() here), so a day runs as fast as CPython goes.

supervisor.ticks_ms() counts on 29 bits and, as CircuitPython sets it up, starts 65536 ms before
its first wrap (shared-bindings/supervisor: "the first overflow occurs about 65 seconds after
power-on")."""

TICKS_PERIOD = 1 << 29
TICKS_START = TICKS_PERIOD - 65536

ms = 0
# The virtual time at which sleep() ends the run with SystemExit (None: never).
until_ms = None


def ticks():
    return (TICKS_START + ms) % TICKS_PERIOD


def sleep(seconds):
    global ms
    ms += max(0, round(seconds * 1000))
    if until_ms is not None and ms >= until_ms:
        ms = until_ms
        raise SystemExit
