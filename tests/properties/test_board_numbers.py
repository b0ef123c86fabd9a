"""The ESP32's numbers, checked on CPython: a small int there is 31 bits (from -2**30 to
2**30 - 1; past it every sum is an object on the heap) and a float is single precision, so
the firmware's loop computes neither a number past the small ints nor any float.

`numbers_past_small_ints` watches every value the per-loop code computes (each local at each
line, each return value) while a simulated day runs, crossing a ticks_ms wrap."""

import ast
import sys
from contextlib import contextmanager
from pathlib import Path

from rig import Rig

DEVICE = Path(__file__).resolve().parents[2] / "device"
# What runs at every pass of the loop: the coach and what it drives (not the journal's
# encoding, which turns the clock into Unix seconds once a record).
PER_LOOP = ("core/coach.py", "core/scheduler.py", "core/gesture.py", "core/plan.py", "sounds.py")
SMALL = 1 << 30


@contextmanager
def numbers_past_small_ints(files=PER_LOOP):
    """Collects (file, line, name, value) for every int past the ESP32's small ints and every
    float that code in `files` computes while the block runs."""
    watched = {str(DEVICE / f) for f in files}
    found = []

    def check(frame, name, value):
        if type(value) is float or (type(value) is int and not -SMALL <= value < SMALL):
            found.append((Path(frame.f_code.co_filename).relative_to(DEVICE).as_posix(), frame.f_lineno, name, value))

    def local_trace(frame, event, arg):
        for name, value in frame.f_locals.items():
            check(frame, name, value)
        if event == "return":
            check(frame, "return", arg)
        return local_trace

    def global_trace(frame, event, arg):
        return local_trace if frame.f_code.co_filename in watched else None

    sys.settrace(global_trace)
    try:
        yield found
    finally:
        sys.settrace(None)


def test_a_day_of_the_loop_computes_no_number_past_the_small_ints_and_no_float():
    # The rig starts the ticks 5 s before their wrap at 2**30 (the ESP32's ticks_ms period).
    rig = Rig(start="06:59:00")
    with numbers_past_small_ints() as found:
        rig.run("23:00:00", [("07:00:05", "press"), ("08:00:05", "hold"), ("08:10:10", "press"), ("09:00:05", "press")])
    assert len([r for r in rig.records if r[1] == "log" and r[2][0] == "session_end"]) == 3
    assert found == []


def test_the_watch_sees_a_big_number_and_a_float():
    """The helper itself: it would fail the loop for a Unix-seconds sum or a division."""
    from core import clock

    with numbers_past_small_ints(("core/clock.py",)) as found:
        clock.unix(1, True)
    assert [(f, name) for f, _, name, _ in found] == [("core/clock.py", "return")]


def firmware_floats():
    """Float literals, true divisions and float() calls in the firmware's source."""
    found = []
    for path in sorted(DEVICE.rglob("*.py")):
        rel = path.relative_to(DEVICE)
        # CircuitPython's own API takes float seconds; that build is not the ESP32's.
        if rel.parts[0] == "circuitpython":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                (isinstance(node, ast.Constant) and type(node.value) is float)
                or (isinstance(node, (ast.BinOp, ast.AugAssign)) and isinstance(node.op, ast.Div))
                or (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "float")
            ):
                found.append((rel.as_posix(), node.lineno))
    return found


def test_the_firmware_has_no_float():
    assert firmware_floats() == []
