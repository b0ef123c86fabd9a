# Hand-written stand-ins for the ESP32's hardware, so the board layer runs under
# both runtimes: a `machine` module (pins, PWM, RTC, watchdog, light sleep, and an
# I2C bus with an SSD1306 and a DS3231 on it), the `esp32` module's ext0 wake, and
# a ticks clock the test moves by hand.
# Each board() call starts from fresh hardware; the fake classes find it in HW.
import sys

from board.ds3231 import to_bcd

HW = None

# The ESP32's ticks_ms period is 2**30: masks, not `% (1 << 30)`, since 2**30 itself is past
# the board's small integers (each sum with it would be an object).
_MASK = 0x3FFFFFFF
_HALF = 0x20000000


def _step():
    """A call to the fake hardware (Hardware.step): a Ctrl-C can be made to land just before it."""
    if HW is not None:
        HW.step()


class FakeTime:
    """ticks_ms/ticks_add/ticks_diff/sleep_ms on a clock that only sleeping moves."""

    def __init__(self, ms):
        self.now = ms
        self.slept = []
        self._events = []  # [ticks, function] run once the clock passes ticks

    def ticks_ms(self):
        return self.now

    def ticks_add(self, ticks, delta):
        return (ticks + delta) & _MASK

    def ticks_diff(self, end, start):
        return ((end - start + _HALF) & _MASK) - _HALF

    def sleep_ms(self, ms):
        self.slept.append(ms)
        self.now = self.ticks_add(self.now, ms)
        for event in list(self._events):
            if self.ticks_diff(self.now, event[0]) >= 0:
                self._events.remove(event)
                event[1]()

    def sleep_until(self, ms, woken):
        """A light sleep: the clock moves on ms, or only to the event after which woken() is
        true; how long it slept."""
        end = self.ticks_add(self.now, ms)
        while True:
            due = [e for e in self._events if self.ticks_diff(end, e[0]) >= 0]
            if not due:
                self.now = end
                return ms
            event = min(due, key=lambda e: self.ticks_diff(e[0], self.now))
            self._events.remove(event)
            start = self.now
            self.now = event[0]
            event[1]()
            if woken():
                return ms - self.ticks_diff(end, start) + self.ticks_diff(self.now, start)

    def after(self, ms, function):
        self._events.append([self.ticks_add(self.now, ms), function])


class FakeSSD1306:
    """Takes whatever is written (the bus keeps the record); lit: the panel is on (0xAF) and
    not since put to sleep (0xAE), as the command bytes of each write say."""

    def __init__(self):
        self.lit = False

    def write(self, data):
        if data[0] in (0x00, 0x80):  # commands, not display RAM
            for byte in data[1:]:
                if byte in (0xAE, 0xAF):
                    self.lit = byte == 0xAF


class FakeDS3231:
    """The chip's 19 registers; the status register starts with OSF set, as at first power-up."""

    def __init__(self):
        self.regs = bytearray(0x13)
        self.regs[0x0F] = 0x80

    def write(self, data):
        self.regs[data[0] : data[0] + len(data) - 1] = data[1:]

    def read(self, reg, buf):
        buf[:] = self.regs[reg : reg + len(buf)]

    def keep(self, year, month, day, hour, minute, second):
        """As if it had been set long ago and kept running: OSF clear."""
        self.regs[0:7] = bytes(
            (
                to_bcd(second),
                to_bcd(minute),
                to_bcd(hour),
                1,
                to_bcd(day),
                to_bcd(month) | (0x80 if year >= 2100 else 0),
                to_bcd(year % 100),
            )
        )
        self.regs[0x0F] = 0


class FakeI2C:
    """An I2C bus: records each write as (addr, bytes) and answers register reads."""

    def __init__(self, id=0, scl=None, sda=None, freq=400_000, devices=None):
        _step()
        self.id = id
        self.scl = scl
        self.sda = sda
        self.freq = freq
        self.devices = HW.devices if devices is None else devices
        self.writes = []
        self.reads = []  # the address of each register read
        if HW is not None:
            HW.i2c = self

    def _device(self, addr):
        if addr not in self.devices:
            raise OSError(19)  # ENODEV: no ACK
        return self.devices[addr]

    def scan(self):
        _step()
        return sorted(self.devices)

    def writeto(self, addr, buf, stop=True):
        _step()
        data = bytes(buf)
        self._device(addr).write(data)
        self.writes.append((addr, data))
        return len(data)

    def writeto_mem(self, addr, memaddr, buf):
        self.writeto(addr, bytes((memaddr,)) + bytes(buf))

    def readfrom_mem_into(self, addr, memaddr, buf):
        _step()
        self._device(addr).read(memaddr, buf)
        self.reads.append(addr)


class SilentI2C:
    """A bus that keeps no record, so that allocation can be measured through it."""

    def __init__(self):
        self.count = 0

    def writeto(self, addr, buf, stop=True):
        self.count += 1
        return 1


class Pin:
    IN = 1
    OUT = 3
    PULL_UP = 2
    IRQ_RISING = 1
    IRQ_FALLING = 2

    def __init__(self, id, mode=-1, pull=-1):
        _step()
        self.id = id
        self.mode = mode
        self.pull = pull
        self.level = 1 if pull == Pin.PULL_UP else 0
        self.handler = None
        self.trigger = 0
        # Routed to the RTC IO (an ext0 wake leaves it there): the GPIO matrix, which reads the
        # pin and raises its IRQ, no longer sees the pad (micropython#3835: it reads 0).
        self.rtc_io = False
        self.inits = self.irqs = 0
        HW.pins[id] = self

    def init(self, mode=-1, pull=-1):
        # A mode-setting init gives an RTC GPIO back to the GPIO matrix (machine_pin.c,
        # machine_pin_obj_init_helper: rtc_gpio_deinit).
        self.mode = mode
        self.pull = pull
        self.rtc_io = False
        self.inits += 1

    def value(self):
        _step()
        return 0 if self.rtc_io else self.level

    def irq(self, handler=None, trigger=IRQ_RISING | IRQ_FALLING):
        _step()
        self.handler = handler
        self.trigger = trigger if handler is not None else 0
        self.irqs += 1

    def drive(self, level):
        """The outside world sets the level; a change fires the IRQ it was set up for."""
        if level == self.level:
            return
        self.level = level
        edge = Pin.IRQ_RISING if level else Pin.IRQ_FALLING
        if self.handler is not None and self.trigger & edge and not self.rtc_io:
            self.handler(self)


class PWM:
    def __init__(self, dest, freq=0, duty_u16=0):
        _step()
        self.pin = dest
        self.hz = freq
        self.duty = duty_u16
        self.running = True
        HW.pwm = self

    def freq(self, value):
        self.hz = value

    def duty_u16(self, value):
        self.duty = value

    def deinit(self):
        self.running = False


class RTC:
    """The one RTC: its 8-tuple lives in HW, and stands still unless a test moves it."""

    def datetime(self, dt=None):
        _step()
        if dt is None:
            return HW.rtc
        HW.rtc = tuple(dt)
        return None


class WDT:
    def __init__(self, id=0, timeout=5000):
        self.timeout = timeout
        self.fed = 0
        HW.wdt = self

    def feed(self):
        self.fed += 1


class Timer:
    PERIODIC = 1

    def __init__(self, id):
        self.id = id
        HW.timer = self

    def init(self, period, mode, callback):
        self.period = period
        self.mode = mode
        self.callback = callback

    def fire(self):
        self.callback(self)


def unique_id():
    return b"\x24\x0a\xc4\x12\xab\xef"


def reset():
    HW.resets += 1


def lightsleep(ms):
    """The chip sleeps ms, or until the ext0 pin goes to its level. Before each sleep the ext0
    pin is handed to the RTC IO (modmachine.c, machine_sleep_helper: esp_sleep_enable_ext0_wakeup),
    and nothing hands it back."""
    pin, level = HW.ext0
    pin.rtc_io = True
    HW.light_sleeps.append(HW.time.sleep_until(ms, lambda: pin.level == level))


class _Esp32:
    """The `esp32` module: the ext0 wake-up source (its levels as modesp32.c gives them)."""

    WAKEUP_ALL_LOW = False
    WAKEUP_ANY_HIGH = True

    @staticmethod
    def wake_on_ext0(pin, level):
        _step()
        HW.ext0 = (pin, level)


class _Module:
    """What `import machine` (or `import framebuf` on CPython) finds while the board module loads."""


MACHINE = _Module()
for _name, _value in (
    ("Pin", Pin),
    ("PWM", PWM),
    ("I2C", FakeI2C),
    ("RTC", RTC),
    ("WDT", WDT),
    ("Timer", Timer),
    ("unique_id", unique_id),
    ("reset", reset),
    ("lightsleep", lightsleep),
):
    setattr(MACHINE, _name, _value)


class _FrameBuffer:
    """CPython has no framebuf: enough of one for the board to start (pixels are tested on MicroPython)."""

    def __init__(self, buf, width, height, format):
        self._buf = buf

    def fill(self, color):
        for i in range(len(self._buf)):
            self._buf[i] = 0xFF if color else 0


FRAMEBUF = _Module()
FRAMEBUF.FrameBuffer = _FrameBuffer
FRAMEBUF.MONO_VLSB = 0


class Hardware:
    def __init__(self, ticks, rtc, ds3231):
        self.time = FakeTime(ticks)
        self.rtc = rtc
        self.pins = {}
        self.devices = {0x3C: FakeSSD1306()}
        self.ds3231 = FakeDS3231() if ds3231 else None
        if ds3231:
            self.devices[0x68] = self.ds3231
        self.i2c = self.pwm = self.wdt = self.timer = None
        self.resets = 0
        self.ext0 = None
        self.light_sleeps = []  # how long each light sleep lasted
        # A Ctrl-C at the interrupt_at-th call to the hardware (counting from 1): the watchdog's
        # and the keepalive timer's are not counted, as none can land among them (esp32.py).
        self.steps = 0
        self.interrupt_at = None

    def step(self):
        self.steps += 1
        if self.steps == self.interrupt_at:
            raise KeyboardInterrupt


def with_modules(modules, function):
    """function() with these modules in sys.modules by name (None: none of that name), and
    sys.modules given back its own after."""
    saved = {}
    for name, module in modules.items():
        saved[name] = sys.modules.get(name)
        if module is None:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = module
    try:
        return function()
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def _with_stand_ins(function):
    """function() with the fake machine and esp32 modules (and framebuf where there is none) in
    sys.modules, as the board imports them at load and at bring-up; nothing else sees them."""
    modules = {"machine": MACHINE, "esp32": _Esp32}
    try:
        import framebuf  # noqa: F401
    except ImportError:
        modules["framebuf"] = FRAMEBUF
    return with_modules(modules, function)


def _board_module():
    """board.esp32, imported once against the fakes."""
    import board.esp32 as module

    return module


def board(ticks=1000, rtc=(2000, 1, 1, 5, 0, 0, 0, 0), ds3231=False, setup=None, light_sleep=False, interrupt_at=None):
    """A Board on fresh fake hardware, and the hardware. setup(hw) runs before the board starts;
    light_sleep: as LIGHT_SLEEP = True in board/config.py; interrupt_at: a Ctrl-C at that call to
    the hardware (Hardware.step)."""
    global HW
    HW = Hardware(ticks, rtc, ds3231)
    HW.interrupt_at = interrupt_at
    if setup is not None:
        setup(HW)
    module = _with_stand_ins(_board_module)
    module.time = HW.time
    return _with_stand_ins(lambda: module.Board(light_sleep)), HW
