"""CircuitPython's busio.I2C with the parts on the coach's bus behind it: an SSD1306 whose
display RAM (GDDRAM) is modelled from the bytes written to it, and, when the harness fits one,
a DS3231 as registers. Every write is recorded as (address, bytes)."""

from datetime import datetime, timezone

import vclock

# Filled in by the harness: a DS3231 model, or None for a bus without one.
ds3231 = None
# The last I2C bus made, for the tests to read.
last = None

# The SSD1306's commands that take arguments, and how many (datasheet, command table).
_ARGS = {0x20: 1, 0x21: 2, 0x22: 2, 0x81: 1, 0x8D: 1, 0xA8: 1, 0xAD: 1, 0xD3: 1, 0xD5: 1, 0xD9: 1, 0xDA: 1, 0xDB: 1}


class SSD1306:
    """The controller as far as a driver can drive it: horizontal addressing inside the
    column and page window, contrast, display on/off, segment remap and COM scan direction."""

    def __init__(self):
        self.gddram = bytearray(128 * 8)
        self.on = False
        self.contrast = 0x7F
        self.remapped = False  # column 127 on SEG0 (0xA1)
        self.com_reversed = False  # COM scan from COM[N-1] (0xC8)
        self.addressing = 0x02  # page addressing after reset
        self.columns = (0, 127)
        self.pages = (0, 7)
        self.column = 0
        self.page = 0
        self._command = []

    def write(self, data):
        i = 0
        while i < len(data):
            control = data[i]
            i += 1
            if control & 0x40:  # D/C#: the rest goes to display RAM
                for byte in data[i:]:
                    self._data(byte)
                return
            if control & 0x80:  # Co: one command byte, then another control byte
                self._command_byte(data[i])
                i += 1
            else:  # the rest are command bytes
                for byte in data[i:]:
                    self._command_byte(byte)
                return

    def _command_byte(self, byte):
        self._command.append(byte)
        if len(self._command) <= _ARGS.get(self._command[0], 0):
            return
        cmd, *args = self._command
        self._command = []
        if cmd == 0x20:
            self.addressing = args[0] & 3
        elif cmd == 0x21:
            self.columns = (args[0] & 127, args[1] & 127)
            self.column = self.columns[0]
        elif cmd == 0x22:
            self.pages = (args[0] & 7, args[1] & 7)
            self.page = self.pages[0]
        elif cmd == 0x81:
            self.contrast = args[0]
        elif cmd in (0xAE, 0xAF):
            self.on = cmd == 0xAF
        elif cmd in (0xA0, 0xA1):
            self.remapped = cmd == 0xA1
        elif cmd in (0xC0, 0xC8):
            self.com_reversed = cmd == 0xC8

    def _data(self, byte):
        if self.addressing != 0:
            raise AssertionError("only horizontal addressing is modelled")
        self.gddram[self.page * 128 + self.column] = byte
        if self.column < self.columns[1]:
            self.column += 1
            return
        self.column = self.columns[0]
        self.page = self.page + 1 if self.page < self.pages[1] else self.pages[0]

    def picture(self):
        """The panel as the usual modules wire it (remapped, COM reversed): 64 lines of 128
        characters, '#' lit, as tests/device/screens/ holds them."""
        if not (self.remapped and self.com_reversed):
            raise AssertionError("the panel would show the picture mirrored")
        return "".join(
            "".join("#" if self.gddram[(y >> 3) * 128 + x] >> (y & 7) & 1 else "." for x in range(128)) + "\n"
            for y in range(64)
        )


def _bcd(n):
    return (n // 10) << 4 | n % 10


def _from_bcd(b):
    return (b >> 4) * 10 + (b & 15)


class DS3231:
    """The RTC chip as registers 0x00..0x12, its time kept on the virtual clock: registers 0-6
    are made from it when read, and set it when written."""

    def __init__(self):
        self.regs = bytearray(0x13)
        self.regs[0x0F] = 0x80  # oscillator stopped: the time is not to be trusted
        self.unix_at_zero = 946684800
        self.pointer = 0

    def keep(self, year, month, day, hour, minute, second, weekday):
        """Keeping this time now, the oscillator running."""
        self.unix_at_zero = int(datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc).timestamp())
        self.unix_at_zero -= vclock.ms // 1000
        self.regs[0x0F] &= 0x7F

    def time(self):
        t = datetime.fromtimestamp(self.unix_at_zero + vclock.ms // 1000, timezone.utc)
        return (t.year, t.month, t.day, t.hour, t.minute, t.second)

    def _show(self):
        year, month, day, hour, minute, second = self.time()
        weekday = datetime(year, month, day).weekday()
        self.regs[0:7] = bytes((_bcd(second), _bcd(minute), _bcd(hour), weekday + 1, _bcd(day), _bcd(month)))
        self.regs[6] = _bcd(year - 2000)

    def write(self, data):
        self._show()
        self.pointer = data[0]
        for byte in data[1:]:
            self.regs[self.pointer] = byte
            self.pointer += 1
        if data[0] < 7 and len(data) > 1:
            r = self.regs
            when = datetime(
                2000 + _from_bcd(r[6]),
                _from_bcd(r[5] & 0x1F),
                _from_bcd(r[4]),
                _from_bcd(r[2] & 0x3F),
                _from_bcd(r[1]),
                _from_bcd(r[0]),
                tzinfo=timezone.utc,
            )
            self.unix_at_zero = int(when.timestamp()) - vclock.ms // 1000

    def read(self, n):
        self._show()
        out = bytes(self.regs[self.pointer : self.pointer + n])
        self.pointer += n
        return out


class I2C:
    # busio.I2C's own signature: its timeout is the bus's clock-stretching limit in µs (255 is
    # CircuitPython's default), not a wait of the test's; a fake bus never stretches the clock.
    def __init__(self, scl, sda, *, frequency=100000, timeout=255):
        global last
        self.frequency = frequency
        self.devices = {0x3C: SSD1306()}
        if ds3231 is not None:
            self.devices[0x68] = ds3231
        self.writes = []
        self._locked = False
        last = self

    def _device(self, address):
        if address not in self.devices:
            raise OSError(19, "no device at 0x%02x" % address)  # ENODEV, as the ESP32 port says it
        return self.devices[address]

    def try_lock(self):
        if self._locked:
            return False
        self._locked = True
        return True

    def unlock(self):
        self._locked = False

    def _check_locked(self):
        if not self._locked:
            raise RuntimeError("Function requires lock")

    def writeto(self, address, buffer, *, start=0, end=None):
        self._check_locked()
        data = bytes(buffer[start:end])
        device = self._device(address)
        self.writes.append((address, data))
        if data:
            device.write(data)

    def readfrom_into(self, address, buffer, *, start=0, end=None):
        self._check_locked()
        end = len(buffer) if end is None else end
        buffer[start:end] = self._device(address).read(end - start)

    def writeto_then_readfrom(self, address, out, into, *, out_start=0, out_end=None, in_start=0, in_end=None):
        self.writeto(address, out, start=out_start, end=out_end)
        self.readfrom_into(address, into, start=in_start, end=in_end)

    def deinit(self):
        pass


class SPI:
    """Not on the coach; adafruit_bus_device's annotations name it, and CPython evaluates them."""
