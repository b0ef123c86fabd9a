# The real device (docs/board.md): an ESP32 with an SSD1306 OLED and an optional
# DS3231 on one I2C bus, a passive piezo on PWM and one button to GND. The only
# module that imports machine.
import time
from binascii import hexlify

from core.clock import EPOCH, days_from_civil, local_fields
from core.compat import const
from machine import I2C, PWM, RTC, WDT, Pin, Timer, reset, unique_id
from sounds import VOLUME_DUTY  # the cues' loudness is the sounds' design, not the wiring's

from board.buttonring import ButtonRing
from board.config import (
    BUTTON,
    BUZZER,
    DS3231_ADDR,
    GC_THRESHOLD,
    I2C_FREQ,
    I2C_ID,
    LIGHT_SLEEP,
    LIGHT_SLEEP_MIN_MS,
    LOOP_MS,
    OLED_ADDR,
    OLED_HEIGHT,
    OLED_WIDTH,
    REPL_HOLD_MS,
    SCL,
    SDA,
    WDT_MS,
)
from board.ds3231 import DS3231
from board.ssd1306 import SSD1306_I2C

# The ESP32's RTC starts at 2000-01-01 on power-up: a year before this means
# nobody set it since.
_FIRST_YEAR = const(2025)
# How long wait() sleeps between looks at the button ring: the longest a press
# waits to be answered (its edges are time-stamped by the IRQ, so it is decoded
# exactly all the same). The ESP32's sleep_ms (mp_hal_delay_ms, ports/esp32/
# mphalport.c) sleeps in FreeRTOS ticks of 10 ms until less than a tick is left,
# then busy-waits the rest: a 10 ms slice would be all busy-wait, a 50 ms one is
# at most a fifth. It runs the scheduled pin IRQ meanwhile but does not return
# early. (LIGHT_SLEEP in board/config.py sleeps long idle waits deeper.)
_WAIT_SLICE_MS = const(50)
# In light sleep the clock runs on the RC oscillator, minutes a day adrift: the
# DS3231, when fitted, sets it right this often.
_DS3231_EVERY_MS = const(3_600_000)
_KEEPALIVE_MS = const(1000)
_NO_EDGES = ()


def after_soft_reset():
    """boot.py's part. After a soft reset the watchdog runs on with none of the board's timers to
    feed it (a soft reset stops them): a timer feeds it for REPL_HOLD_MS from now, and main.py's
    Board, if it runs, takes that timer over."""
    from machine import SOFT_RESET, reset_cause

    if reset_cause() != SOFT_RESET:
        return
    dog = WDT(timeout=WDT_MS)  # the one watchdog, still running (machine_wdt.c reconfigures it)
    until = time.ticks_add(time.ticks_ms(), REPL_HOLD_MS)

    def keep(timer):
        if time.ticks_diff(until, time.ticks_ms()) > 0:
            dog.feed()

    Timer(0).init(period=_KEEPALIVE_MS, mode=Timer.PERIODIC, callback=keep)


def unix_from_datetime(dt):
    """Unix seconds from a machine.RTC().datetime() tuple, whatever the port's epoch."""
    return days_from_civil(dt[0], dt[1], dt[2]) * 86400 + dt[4] * 3600 + dt[5] * 60 + dt[6]


class Board:
    loop_ms = LOOP_MS
    gc_threshold = GC_THRESHOLD
    trace_words = False

    def __init__(self, light_sleep=LIGHT_SLEEP):
        # light_sleep: board/config.py's, unless a test's fake hardware says otherwise.
        # First, so that a hang anywhere in bring-up resets the board too.
        self._wdt = WDT(timeout=WDT_MS)
        # The hardware watchdog can't be stopped, yet mpremote must be able to sit at
        # the REPL: a timer feeds it while the loop has checked in within WDT_MS, and once
        # the app has left to the REPL (deinit), while the host called within REPL_HOLD_MS.
        # Straight-line code up to the timer's start: MicroPython raises a Ctrl-C's
        # KeyboardInterrupt only at a branch (py/vm.c, pending_exception_check), so none
        # lands between the watchdog and what feeds it.
        self._checked_in = time.ticks_ms()
        self._hold_ms = WDT_MS
        self._held = False
        self._keepalive_timer = Timer(0)
        self._keepalive_timer.init(period=_KEEPALIVE_MS, mode=Timer.PERIODIC, callback=self._keepalive)
        try:
            self._bring_up(light_sleep)
        except BaseException:
            # A Ctrl-C (the host wants the REPL) or a fault part way: the board is left as at
            # the REPL, silent and dark, the watchdog fed while the host calls.
            self.deinit()
            raise

    def _bring_up(self, light_sleep):
        self._ring = ButtonRing()
        self._button = Pin(BUTTON, Pin.IN, Pin.PULL_UP)
        self._last_pressed = self.button_pressed()
        # No hard=: the ESP32 port rejects it, and always schedules pin handlers.
        self._button.irq(handler=self._edge, trigger=Pin.IRQ_FALLING | Pin.IRQ_RISING)
        self._buzzer = PWM(Pin(BUZZER), freq=1000, duty_u16=0)
        self._sounding = False
        self._lightsleep = None
        if light_sleep:
            # Imported only when used. A press (the pin low) wakes the chip from light sleep.
            import esp32
            from machine import lightsleep

            esp32.wake_on_ext0(self._button, esp32.WAKEUP_ALL_LOW)
            self._lightsleep = lightsleep
        i2c = I2C(I2C_ID, scl=Pin(SCL), sda=Pin(SDA), freq=I2C_FREQ)
        self.display = SSD1306_I2C(OLED_WIDTH, OLED_HEIGHT, i2c, OLED_ADDR, start=False)
        # No display answering (a loose cable, another address): the coach runs on without it,
        # by sound, and the shell tries it again now and then.
        try:
            self.display.init_display()
            self.display_missing = False
        except OSError:
            self.display_missing = True
        self._rtc = RTC()
        self._ds = None
        self._clock_set = self._boot_clock(DS3231(i2c, DS3231_ADDR))
        # t counts whole seconds on the ticks from the time they read _s: the RTC's at boot
        # and at set_time(), or 0 while the clock is not set. The RTC is not read again: its
        # datetime() tuple would be an allocation at every pass of the loop.
        self._s = 0
        self._s_ticks = time.ticks_ms()
        self._ds_read_ms = self._s_ticks
        if self._clock_set:
            dt = self._rtc.datetime()
            self._s = unix_from_datetime(dt) - EPOCH
            self._s_ticks = time.ticks_add(self._s_ticks, -(dt[7] // 1000))  # microseconds

    def _boot_clock(self, ds):
        """Take the time from the DS3231 when it has one; say whether the clock is set."""
        try:
            fitted = ds.present()
            fields = ds.read() if fitted else None
        except OSError:
            fitted = False
            fields = None
        if fitted:
            # Kept even when its time was lost, so that set_time() makes it good again.
            self._ds = ds
        if fields is None:
            return self._rtc.datetime()[0] >= _FIRST_YEAR
        year, month, day, hour, minute, second = fields
        weekday = (days_from_civil(year, month, day) + 3) % 7  # the RTC's 0 is Monday
        self._rtc.datetime((year, month, day, weekday, hour, minute, second, 0))
        return True

    # the button

    def _edge(self, pin):
        # The IRQ handler: records and returns, allocating nothing.
        self._ring.put(pin.value() == 0, time.ticks_ms())

    def button_edges(self):
        """(pressed, ms) of the edges since the last call, oldest first; the empty tuple
        when there are none, so that the loop's passes between presses allocate nothing."""
        if not self._ring.pending() and self.button_pressed() == self._last_pressed:
            return _NO_EDGES
        edges: list = list(self._ring.drain())
        if edges:
            self._last_pressed = edges[-1][0]
        # The ESP32 queues pin handlers, and a burst of bounce can overflow the
        # queue and lose the last edge; the level now tells, so the loop never
        # believes a released button is still held.
        pressed = self.button_pressed()
        if pressed != self._last_pressed:
            self._last_pressed = pressed
            edges.append((pressed, time.ticks_ms()))
        return edges

    def button_pressed(self):
        return self._button.value() == 0

    def wait(self, ms):
        # Never past half the watchdog's timeout: the loop must come back to feed it.
        ms = min(ms, WDT_MS // 2)
        if (
            self._lightsleep is not None
            and ms >= LIGHT_SLEEP_MIN_MS
            and not self._sounding
            and not self._ring.pending()
            and not self.button_pressed()
        ):
            # The PWM stops in light sleep, hence never while a tone sounds; the ticks and the
            # RTC go on. A press wakes it early; its edge, if the IRQ missed it, is made up from
            # the level by button_edges().
            self._lightsleep(ms)
            # Before each sleep the ext0 wake routes the pin to the RTC IO (machine_sleep_helper,
            # ports/esp32/modmachine.c) and leaves it there, reading 0 (phantom holds,
            # micropython#3835): a mode-setting init gives it back to the GPIO matrix
            # (rtc_gpio_deinit, machine_pin.c), and its IRQ is set up again.
            self._button.init(Pin.IN, Pin.PULL_UP)
            self._button.irq(handler=self._edge, trigger=Pin.IRQ_FALLING | Pin.IRQ_RISING)
            return
        end = time.ticks_add(time.ticks_ms(), ms)
        while not self._ring.pending():
            left = time.ticks_diff(end, time.ticks_ms())
            if left <= 0:
                return
            time.sleep_ms(min(left, _WAIT_SLICE_MS))

    # the clock

    def read_time(self, now):
        ms = time.ticks_ms()
        if self._lightsleep is not None and time.ticks_diff(ms, self._ds_read_ms) >= _DS3231_EVERY_MS:
            self._ds_read_ms = ms
            self._from_ds3231(ms)
        now.ms = ms
        now.clock_set = self._clock_set
        # Whole seconds move from the ticks into the count, so the ticks' wraparound never
        # matters and everything stays a small int (seconds from EPOCH, core/clock.py).
        left = time.ticks_diff(ms, self._s_ticks)
        if left >= 1000:
            whole = left // 1000
            self._s += whole
            self._s_ticks = time.ticks_add(self._s_ticks, whole * 1000)
            left -= whole * 1000
        now.t = self._s
        now.frac_ms = left

    def _from_ds3231(self, ms):
        """Once an hour in light-sleep mode: the DS3231's time, where the count has drifted
        from it by 2 s or more (its whole seconds would otherwise step the clock back and
        forth by a fraction)."""
        if self._ds is None:
            return
        try:
            fields = self._ds.read()
        except OSError:
            return
        if fields is None:
            return
        year, month, day, hour, minute, second = fields
        s = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - EPOCH
        if abs(s - self._s - time.ticks_diff(ms, self._s_ticks) // 1000) >= 2:
            self._s = s
            self._s_ticks = ms
            self._clock_set = True

    def set_time(self, unix):
        year, month, day, hour, minute, second = local_fields(unix)  # UTC: no offset
        weekday = (unix // 86400 + 3) % 7
        self._rtc.datetime((year, month, day, weekday, hour, minute, second, 0))
        if self._ds is not None:
            self._ds.write(year, month, day, hour, minute, second)
        self._clock_set = True
        self._s = unix - EPOCH
        self._s_ticks = time.ticks_ms()

    # sound

    def tone(self, freq, ms, volume):
        # The caller stops the tone after ms; nothing here times it.
        self._buzzer.freq(freq)
        self._buzzer.duty_u16(VOLUME_DUTY[max(0, min(3, volume))])
        self._sounding = True

    def silence(self):
        self._buzzer.duty_u16(0)
        self._sounding = False

    # the rest

    def feed(self):
        """The loop's pass, or at the REPL the host's call (remote.py): the watchdog is fed
        for the next WDT_MS, or REPL_HOLD_MS."""
        self._checked_in = time.ticks_ms()
        self._wdt.feed()

    def _keepalive(self, timer):
        # A timer callback: compares and feeds, allocating nothing.
        if self._held or time.ticks_diff(time.ticks_ms(), self._checked_in) < self._hold_ms:
            self._wdt.feed()

    def device_id(self):
        return hexlify(unique_id()).decode()

    def restart(self):
        reset()

    def trace(self, kind, data, words=None):
        # The simulator reports screens and journal records to its launcher; on
        # the device the journal file is the record, and nobody is listening.
        pass

    def say(self, line):
        print(line)  # the REPL's UART (or USB): the host may be listening

    def deinit(self, hold=False):
        # Leaving to the REPL: the keepalive timer feeds the watchdog while the host calls,
        # or for good (hold: firmware that cannot load waits for the host to mend it).
        self._held = hold
        self._hold_ms = REPL_HOLD_MS
        self._checked_in = time.ticks_ms()
        # Whatever bring-up made: a Ctrl-C can stop it part way.
        button = getattr(self, "_button", None)
        if button is not None:
            button.irq(handler=None)
        buzzer = getattr(self, "_buzzer", None)
        if buzzer is not None:
            buzzer.deinit()  # silent: the PWM stops
        display = getattr(self, "display", None)
        if display is not None:
            try:
                display.poweroff()  # a frame left on would burn in
            except OSError:  # no display answering: the REPL matters more
                pass
