# SSD1306 OLED over I2C, drawn through framebuf. Written from the SSD1306
# datasheet: every I2C write starts with a control byte telling the controller
# whether the bytes after it are commands or display RAM.
import framebuf
from core.compat import const

# Control bytes (Co and D/C# bits).
_COMMANDS = const(0x00)  # the rest of the write is command bytes
_ONE_COMMAND = const(0x80)  # exactly one command byte follows
_DATA = const(0x40)  # the rest of the write goes to display RAM

_SET_CONTRAST = const(0x81)
_FOLLOW_RAM = const(0xA4)  # 0xA5 would light every pixel regardless of RAM
_NOT_INVERTED = const(0xA6)  # | 1 inverts
_DISPLAY_OFF = const(0xAE)  # sleep: charge pump off, RAM kept
_DISPLAY_ON = const(0xAF)
_ADDRESSING = const(0x20)
_COLUMN_RANGE = const(0x21)
_PAGE_RANGE = const(0x22)
_START_LINE = const(0x40)  # | line 0..63
_SEGMENT_REMAP = const(0xA1)  # column 127 on SEG0: modules wire the glass mirrored
_MULTIPLEX = const(0xA8)
_COM_SCAN_REVERSED = const(0xC8)  # row 0 at the top on the usual modules
_DISPLAY_OFFSET = const(0xD3)
_COM_PINS = const(0xDA)
_CLOCK = const(0xD5)
_PRECHARGE = const(0xD9)
_VCOMH = const(0xDB)
_CHARGE_PUMP = const(0x8D)


class SSD1306_I2C(framebuf.FrameBuffer):
    """A width x height panel (128 columns; 64 or 32 rows) as a MONO_VLSB FrameBuffer.

    Draw with the FrameBuffer methods, then show() sends the whole frame. start=False: the
    controller is left alone until init_display() (which raises OSError if none answers).
    """

    def __init__(self, width, height, i2c, addr=0x3C, external_vcc=False, start=True):
        self.width = width
        self.height = height
        self.i2c = i2c
        self.addr = addr
        self.external_vcc = external_vcc
        self.pages = height // 8
        # The data control byte sits just before the pixels, so a frame is one
        # I2C write straight from this buffer.
        self._frame = bytearray(1 + width * self.pages)
        self._frame[0] = _DATA
        super().__init__(memoryview(self._frame)[1:], width, height, framebuf.MONO_VLSB)
        # Horizontal addressing wraps back to this window's start after the last
        # byte, but a write cut short by a bus error would leave the pointer
        # mid-frame: each show() sets the window again.
        self._window = bytes((_COMMANDS, _COLUMN_RANGE, 0, width - 1, _PAGE_RANGE, 0, self.pages - 1))
        self._one = bytearray((_ONE_COMMAND, 0))
        self._two = bytearray((_COMMANDS, 0, 0))
        if start:
            self.init_display()

    def init_display(self):
        """Configure the controller from any state; the panel ends on, and blank."""
        ext = self.external_vcc
        setup = (
            _COMMANDS,
            _DISPLAY_OFF,
            _CLOCK,
            0x80,  # the reset divide ratio and oscillator frequency
            _MULTIPLEX,
            self.height - 1,
            _DISPLAY_OFFSET,
            0,
            _START_LINE,
            _CHARGE_PUMP,
            0x10 if ext else 0x14,  # the internal pump makes the panel voltage from 3.3 V
            _ADDRESSING,
            0x00,  # horizontal: along a page, then on to the next page
            _SEGMENT_REMAP,
            _COM_SCAN_REVERSED,
            _COM_PINS,
            0x02 if self.height == 32 else 0x12,  # 64-row glass is wired to alternate COM pins
            _SET_CONTRAST,
            0x9F if ext else 0xCF,
            _PRECHARGE,
            0x22 if ext else 0xF1,  # longer phase 2 for the weaker internal pump
            _VCOMH,
            0x30,  # about 0.83 x Vcc
            _FOLLOW_RAM,
            _NOT_INVERTED,
        )
        self.i2c.writeto(self.addr, bytes(setup))
        # Clear RAM before lighting the panel, so no power-up noise is seen.
        self.fill(0)
        self.show()
        self.poweron()

    def _command(self, command):
        self._one[1] = command
        self.i2c.writeto(self.addr, self._one)

    def show(self):
        self.i2c.writeto(self.addr, self._window)
        self.i2c.writeto(self.addr, self._frame)

    def contrast(self, value):
        """0..255; the panel is still readable at 0, only dimmer."""
        self._two[1] = _SET_CONTRAST
        self._two[2] = max(0, min(255, value))
        self.i2c.writeto(self.addr, self._two)

    def poweroff(self):
        self._command(_DISPLAY_OFF)

    def poweron(self):
        # RAM survives the sleep: what was shown before comes back.
        self._command(_DISPLAY_ON)

    def invert(self, invert):
        self._command(_NOT_INVERTED | (1 if invert else 0))
