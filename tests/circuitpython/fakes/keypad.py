"""CircuitPython's keypad.Keys for one button pressed by a script: each scripted edge (virtual
ms, pressed) becomes an event at the first scan at or after it, stamped with that scan's
ticks, as keypad's background scanner does every `interval` seconds."""

import vclock

# [(virtual ms, pressed), ...] sorted; the harness fills it.
script = []


class Event:
    def __init__(self, key_number=0, pressed=True, timestamp=None):
        self.key_number = key_number
        self.pressed = pressed
        self.timestamp = vclock.ticks() if timestamp is None else timestamp

    @property
    def released(self):
        return not self.pressed


class EventQueue:
    def __init__(self, interval_ms):
        self._interval = interval_ms
        self._next = 0
        self.overflowed = False

    def _due(self):
        if self._next >= len(script):
            return None
        at, pressed = script[self._next]
        scan = -(-at // self._interval) * self._interval
        return (scan, pressed) if scan <= vclock.ms else None

    def get_into(self, event):
        due = self._due()
        if due is None:
            return False
        self._next += 1
        event.key_number = 0
        event.pressed = due[1]
        event.timestamp = (vclock.TICKS_START + due[0]) % vclock.TICKS_PERIOD
        return True

    def clear(self):
        self.overflowed = False

    def __bool__(self):
        return self._due() is not None

    def __len__(self):
        return 1 if self else 0


class Keys:
    def __init__(self, pins, *, value_when_pressed, pull=True, interval=0.02, max_events=64, debounce_threshold=1):
        if value_when_pressed or not pull:
            raise AssertionError("the coach's button pulls up and reads low when pressed")
        self.key_count = len(pins)
        self.events = EventQueue(round(interval * 1000))

    def reset(self):
        pass

    def deinit(self):
        pass
