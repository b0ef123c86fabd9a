"""CircuitPython's digitalio, as far as adafruit_ssd1306's annotations name it (the coach's
OLED has no reset pin wired): CPython evaluates them."""


class DigitalInOut:
    pass
