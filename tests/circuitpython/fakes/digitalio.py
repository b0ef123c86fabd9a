"""CircuitPython's digitalio for the button boot.py reads (and the name adafruit_ssd1306's
annotations use): the harness says whether the button is held."""

held = False


class Pull:
    UP = "up"
    DOWN = "down"


class DigitalInOut:
    def __init__(self, pin=None):
        self.pin = pin
        self.pull = None

    def switch_to_input(self, pull=None):
        self.pull = pull

    @property
    def value(self):
        if self.pull != Pull.UP:
            raise AssertionError("the button needs the pull-up: it only pulls to GND")
        return not held

    def deinit(self):
        pass
