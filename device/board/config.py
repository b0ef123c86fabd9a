# The ESP32 board's wiring and timing, in one place (see hardware/README.md).
from core.compat import const

SDA = const(21)
SCL = const(22)
BUTTON = const(27)  # to GND, read through the internal pull-up: low = pressed
BUZZER = const(25)  # passive piezo: sounds only while PWM drives it

I2C_ID = const(0)
I2C_FREQ = const(400_000)  # fast mode; both the SSD1306 and the DS3231 take it
OLED_ADDR = const(0x3C)
OLED_WIDTH = const(128)
OLED_HEIGHT = const(64)
DS3231_ADDR = const(0x68)

# Long enough to cover the slowest loop pass (a settings or journal write to flash).
WDT_MS = const(8000)
LOOP_MS = const(20)
# At the REPL (the host's sync, config, deploy) the watchdog is kept fed this long after the
# host's last call, then let fire: the board resets and the coach runs again, whatever became
# of the host (killed, asleep, its cable pulled, a Ctrl-C typed in a serial terminal).
REPL_HOLD_MS = const(600_000)

# Light sleep between deadlines (off by default): in wait(), a sleep of at least
# LIGHT_SLEEP_MIN_MS with no tone sounding and the button up is spent in light sleep,
# woken by the button (ext0 on GPIO 27, an RTC GPIO) or the deadline. It saves most of
# the ESP32's current while idle, but the USB serial REPL is deaf while the chip sleeps:
# `anklepump sync` reaches the board only while it is awake (README, "Budgets").
LIGHT_SLEEP = False
LIGHT_SLEEP_MIN_MS = const(100)

# The garbage collector runs after every GC_THRESHOLD bytes allocated, not only when the
# heap is full: garbage is freed before new objects are built past it, so loading the
# modules and weeks of running leave few holes. A collection takes a few ms; at about 360
# bytes of garbage a second during a session, that is one every ten seconds or so.
GC_THRESHOLD = const(4096)
