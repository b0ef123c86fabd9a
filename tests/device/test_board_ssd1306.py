# The SSD1306 driver against a recording I2C bus: the exact bytes the
# controller gets. Needs the real framebuf, so MicroPython only (see conftest).
import gc

from board.ssd1306 import SSD1306_I2C
from fakes import FakeI2C, FakeSSD1306, SilentI2C

INIT_128X64 = bytes(
    (
        0x00,  # commands follow
        0xAE,  # display off
        0xD5,
        0x80,  # clock
        0xA8,
        63,  # multiplex: 64 rows
        0xD3,
        0,  # no offset
        0x40,  # start line 0
        0x8D,
        0x14,  # charge pump on
        0x20,
        0x00,  # horizontal addressing
        0xA1,  # segment remap
        0xC8,  # COM scan reversed
        0xDA,
        0x12,  # alternate COM pins
        0x81,
        0xCF,  # contrast
        0xD9,
        0xF1,  # precharge
        0xDB,
        0x30,  # VCOMH
        0xA4,  # follow RAM
        0xA6,  # not inverted
    )
)
WINDOW_128X64 = bytes((0x00, 0x21, 0, 127, 0x22, 0, 7))


def oled(width=128, height=64, external_vcc=False):
    bus = FakeI2C(devices={0x3C: FakeSSD1306()})
    return SSD1306_I2C(width, height, bus, external_vcc=external_vcc), bus


def test_init_configures_clears_then_lights_the_panel():
    display, bus = oled()
    assert bus.writes == [
        (0x3C, INIT_128X64),
        (0x3C, WINDOW_128X64),
        (0x3C, b"\x40" + bytes(1024)),
        (0x3C, b"\x80\xaf"),
    ]
    assert (display.width, display.height) == (128, 64)


def after(init, command):
    """The byte after a command in an init sequence (bytes.find of bytes: bytes.index(int) is
    in no MicroPython release)."""
    return init[init.find(bytes((command,))) + 1]


def test_external_vcc_and_32_rows():
    _, bus = oled(external_vcc=True)
    init = bus.writes[0][1]
    assert after(init, 0x8D) == 0x10  # no charge pump
    assert after(init, 0x81) == 0x9F
    assert after(init, 0xD9) == 0x22
    _, bus = oled(height=32)
    init = bus.writes[0][1]
    assert after(init, 0xA8) == 31
    assert after(init, 0xDA) == 0x02
    assert bus.writes[1][1] == bytes((0x00, 0x21, 0, 127, 0x22, 0, 3))
    assert len(bus.writes[2][1]) == 1 + 512


def test_show_sends_the_window_then_the_frame_in_page_order():
    display, bus = oled()
    del bus.writes[:]
    display.pixel(0, 0, 1)
    display.pixel(1, 7, 1)
    display.pixel(2, 8, 1)
    display.pixel(127, 63, 1)
    display.show()
    assert bus.writes[0] == (0x3C, WINDOW_128X64)
    addr, frame = bus.writes[1]
    assert addr == 0x3C and len(frame) == 1025 and frame[0] == 0x40
    pixels = frame[1:]
    # MONO_VLSB: a byte is 8 rows of one column, row 0 in bit 0; page 1 starts at byte 128.
    assert pixels[0] == 0x01
    assert pixels[1] == 0x80
    assert pixels[128 + 2] == 0x01
    assert pixels[1023] == 0x80
    assert sum(1 for b in pixels if b) == 4
    assert len(bus.writes) == 2


def test_contrast_power_and_invert_commands():
    display, bus = oled()
    del bus.writes[:]
    display.contrast(8)
    display.contrast(300)
    display.poweroff()
    display.poweron()
    display.invert(True)
    display.invert(False)
    assert [data for _, data in bus.writes] == [
        b"\x00\x81\x08",
        b"\x00\x81\xff",
        b"\x80\xae",
        b"\x80\xaf",
        b"\x80\xa7",
        b"\x80\xa6",
    ]


def test_show_and_contrast_allocate_nothing():
    bus = SilentI2C()
    display = SSD1306_I2C(128, 64, bus)
    display.fill(1)
    gc.collect()
    gc.disable()
    try:
        before = gc.mem_alloc()
        for level in range(100):
            display.show()
            display.contrast(level)
        after = gc.mem_alloc()
    finally:
        gc.enable()
    assert after == before, after - before
    assert bus.count == 4 + 300
