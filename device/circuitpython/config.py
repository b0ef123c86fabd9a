# The CircuitPython build's wiring and timing, in one place (see hardware/README.md): an
# Adafruit Feather ESP32-S3 with the OLED (and an optional DS3231) on its STEMMA QT port,
# the button and the piezo on two of its pins. Pin names are the board module's.
import board
from core.compat import const

SDA = board.SDA  # the STEMMA QT port's I2C pair
SCL = board.SCL
BUTTON = board.D5  # to GND, read through the internal pull-up: low = pressed
BUZZER = board.D6  # passive piezo, through 100 ohms: sounds only while PWM drives it

I2C_FREQ = const(400_000)  # fast mode; both the SSD1306 and the DS3231 take it
OLED_ADDR = const(0x3C)
OLED_WIDTH = const(128)
OLED_HEIGHT = const(64)
# keypad scans the button this often (seconds) and stamps each change with the scan's ticks:
# a press is seen at most this late, and bounce shorter than it never shows.
BUTTON_SCAN_S = 0.01

# Long enough to cover the slowest loop pass (a settings or journal write to flash).
WDT_S = const(8)
LOOP_MS = const(20)
# How long wait() sleeps between looks at the button's events: CircuitPython cannot wake a
# sleep on a key event, so this is the longest a press waits to be acted on.
WAIT_SLICE_MS = const(10)
