"""CircuitPython's pwmio.PWMOut, recording what the buzzer is told."""

import vclock

# (virtual ms, frequency, duty_cycle) at each change of duty.
changes = []


class PWMOut:
    def __init__(self, pin, *, duty_cycle=0, frequency=500, variable_frequency=False):
        self.pin = pin
        self.variable_frequency = variable_frequency
        self._frequency = frequency
        self._duty = duty_cycle

    @property
    def frequency(self):
        return self._frequency

    @frequency.setter
    def frequency(self, value):
        if not self.variable_frequency:
            raise ValueError("frequency is fixed: create the PWMOut with variable_frequency=True")
        self._frequency = value

    @property
    def duty_cycle(self):
        return self._duty

    @duty_cycle.setter
    def duty_cycle(self, value):
        if not 0 <= value <= 65535:
            raise ValueError("duty_cycle must be 0 to 65535")
        self._duty = value
        changes.append((vclock.ms, self._frequency, value))

    def deinit(self):
        pass
