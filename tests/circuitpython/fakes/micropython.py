"""CircuitPython's micropython module: const() and nothing else (no kbd_intr)."""


def const(value):
    return value
