# The CircuitPython board (docs/board.md): the coach's board interface over CircuitPython's own
# modules, the only code of this build importing busio, pwmio, keypad, rtc, microcontroller
# and supervisor. The display is Adafruit's SSD1306 driver as it is, drawing through
# MicroPython's framebuf calls (lib/framebuf.py); the optional DS3231 is Adafruit's driver.
import time

import busio
import keypad
import microcontroller
import pwmio
import rtc
import supervisor
from adafruit_ssd1306 import SSD1306_I2C
from core import compat
from core.clock import EPOCH, days_from_civil, local_fields
from core.compat import const
from sounds import VOLUME_DUTY  # as the ESP32 build's (board/esp32.py)
from watchdog import WatchDogMode

from circuitpython.config import (
    BUTTON,
    BUTTON_SCAN_S,
    BUZZER,
    I2C_FREQ,
    LOOP_MS,
    OLED_ADDR,
    OLED_HEIGHT,
    OLED_WIDTH,
    SCL,
    SDA,
    WAIT_SLICE_MS,
    WDT_S,
)

# The ESP32-S3's RTC starts at 2000-01-01 on power-up: a year before this means nobody set it.
_FIRST_YEAR = const(2025)
_NO_EDGES = ()


def _unix(st):
    """Unix seconds from a time.struct_time."""
    return days_from_civil(st[0], st[1], st[2]) * 86400 + st[3] * 3600 + st[4] * 60 + st[5]


class Clock:
    """The clock, the board's id and its reset: what the host's calls need at the REPL, where
    CircuitPython starts a new VM and the interrupted coach's board is gone (remote.py)."""

    def __init__(self):
        self._i2c = busio.I2C(SCL, SDA, frequency=I2C_FREQ)
        self._rtc = rtc.RTC()
        self._ds = None
        try:
            from adafruit_ds3231 import DS3231

            self._ds = DS3231(self._i2c)
        except (ImportError, ValueError, OSError):
            # Not fitted (nothing answers at 0x68), or its library not installed.
            pass
        self._clock_set = self._boot_clock()
        # t counts whole seconds on the ticks from the RTC's time read at boot or set, as the
        # ESP32 board does. The RTC gives no fraction of its second: a boot starts up to a
        # second behind it, until the host sets the clock.
        self._s = 0
        self._s_ticks = supervisor.ticks_ms()
        if self._clock_set:
            self._s = _unix(self._rtc.datetime) - EPOCH

    def _boot_clock(self):
        """Take the time from the DS3231 when it has one; say whether the clock is set."""
        ds = self._ds
        if ds is not None:
            try:
                if not ds.lost_power:
                    self._rtc.datetime = ds.datetime
                    return True
            except OSError:
                self._ds = None
        return self._rtc.datetime[0] >= _FIRST_YEAR

    def read_time(self, now):
        ms = supervisor.ticks_ms()
        now.ms = ms
        now.clock_set = self._clock_set
        # Whole seconds move from the ticks into the count: the 29-bit ticks' wraparound never
        # matters and everything stays a small int (seconds from EPOCH, core/clock.py).
        left = compat.ticks_diff(ms, self._s_ticks)
        if left >= 1000:
            whole = left // 1000
            self._s += whole
            self._s_ticks = compat.ticks_add(self._s_ticks, whole * 1000)
            left -= whole * 1000
        now.t = self._s
        now.frac_ms = left

    def set_time(self, unix):
        year, month, day, hour, minute, second = local_fields(unix)  # UTC: no offset
        weekday = (unix // 86400 + 3) % 7  # struct_time's 0 is Monday
        stamp = time.struct_time((year, month, day, hour, minute, second, weekday, -1, -1))
        self._rtc.datetime = stamp
        if self._ds is not None:
            self._ds.datetime = stamp
        self._clock_set = True
        self._s = unix - EPOCH
        self._s_ticks = supervisor.ticks_ms()

    def device_id(self):
        return "".join("%02x" % b for b in microcontroller.cpu.uid)

    def feed(self):
        # A host's call at the REPL (remote.py): CircuitPython's watchdog was stopped on the
        # way there (Board.deinit), so nothing needs keeping fed.
        pass

    def wait(self, ms):
        time.sleep(ms / 1000)

    def restart(self):
        microcontroller.reset()

    def trace(self, kind, data, words=None):
        # The simulator's reports; on a board the journal file is the record.
        pass


class Board(Clock):
    loop_ms = LOOP_MS
    trace_words = False

    # Adafruit's driver raises in its constructor when no display answers: there is no coach
    # without one on this build (the ESP32's runs on by sound).
    display_missing = False

    def say(self, line):
        print(line)  # the USB serial console: the host may be listening

    def __init__(self):
        # First, so that a hang anywhere in bring-up resets the board too.
        self._wdt = microcontroller.watchdog
        if self._wdt is not None:
            self._wdt.timeout = WDT_S
            self._wdt.mode = WatchDogMode.RESET
        super().__init__()
        # Debounced and time-stamped in C, in the background: the loop reads the events.
        self._keys = keypad.Keys((BUTTON,), value_when_pressed=False, pull=True, interval=BUTTON_SCAN_S)
        self._event = keypad.Event()
        self._pressed = False
        self._buzzer = pwmio.PWMOut(BUZZER, duty_cycle=0, frequency=1000, variable_frequency=True)
        self.display = SSD1306_I2C(OLED_WIDTH, OLED_HEIGHT, self._i2c, addr=OLED_ADDR)

    # the button

    def button_edges(self):
        """(pressed, ms) of the edges since the last call, oldest first; the empty tuple
        when there are none, so that the loop's passes between presses allocate nothing."""
        events = self._keys.events
        if not events:
            return _NO_EDGES
        edges = []
        event = self._event
        while events.get_into(event):
            self._pressed = event.pressed
            edges.append((event.pressed, event.timestamp))
        if events.overflowed:
            # Edges were dropped: start again from released, and keypad reports a press held now.
            events.clear()
            self._keys.reset()
            if self._pressed:
                self._pressed = False
                edges.append((False, supervisor.ticks_ms()))
        return edges

    def button_pressed(self):
        return self._pressed

    def wait(self, ms):
        # Never past half the watchdog's timeout: the loop must come back to feed it.
        end = compat.ticks_add(supervisor.ticks_ms(), min(ms, WDT_S * 500))
        events = self._keys.events
        while not events:
            left = compat.ticks_diff(end, supervisor.ticks_ms())
            if left <= 0:
                return
            time.sleep(min(left, WAIT_SLICE_MS) / 1000)

    # sound

    def tone(self, freq, ms, volume):
        # The caller stops the tone after ms; nothing here times it.
        self._buzzer.frequency = freq
        self._buzzer.duty_cycle = VOLUME_DUTY[max(0, min(3, volume))]

    def silence(self):
        self._buzzer.duty_cycle = 0

    # the rest

    def feed(self):
        if self._wdt is not None:
            self._wdt.feed()

    def deinit(self, hold=False):
        # Leaving to the REPL (held or not): unlike the ESP32's, this watchdog can be stopped.
        if self._wdt is not None:
            self._wdt.mode = None
        self._keys.deinit()
        self._buzzer.deinit()


def show_drive_mode():
    """The screen while the drive is the computer's (boot.py): no coach, no watchdog."""
    from ui.font import centred

    display = SSD1306_I2C(OLED_WIDTH, OLED_HEIGHT, busio.I2C(SCL, SDA, frequency=I2C_FREQ), addr=OLED_ADDR)
    display.fill(0)
    centred(display, "USB drive mode", 8)
    centred(display, "Coach stopped:", 26)
    centred(display, "press reset", 37)
    centred(display, "to start it", 46)
    display.show()
