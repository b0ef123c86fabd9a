# Chinese text: loading this module makes the screens speak Chinese (speak()).
# The screens' words as UTF-8 bytes, their Chinese characters drawn
# from GNU Unifont's 16x16 glyphs and their letters and digits from the built-in
# font (ui/font.py) twice as tall as wide, a row lower, so that they stand as tall
# as the characters and half as wide, as in print. Loaded only when the screens
# speak Chinese.
#
# font.text() calls text() with the part of s to draw: a word of the Chinese
# table is a line of its bytes.
#
# The glyphs are in ui/zh.bin (tools/zh_glyphs.py makes it from exactly the characters
# of ui/zh.py): a count n (2 bytes, little-endian), n code points in ascending order
# (2 bytes each), then n glyphs of 32 bytes, 16 rows of 2 bytes with the leftmost
# pixel in the top bit, as Unifont's .hex file writes them. The code points are
# held (2 bytes a character); a glyph is read from flash when it is drawn, into a
# buffer made once, so drawing allocates nothing.
#
# Bytes, not str: a str is taken apart only by making a string of each character,
# which MicroPython interns for good; a byte of bytes is a small int.
import sys

from core.compat import const

import ui
from ui import font

_GLYPH = const(32)
_SIZE = const(16)
_TOP = const(0x8000)

# A letter is drawn from here: indexing gives an interned one-character string, made once.
_ASCII = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
_glyph = bytearray(_GLYPH)
# Open for as long as the firmware runs: each glyph is read when it is drawn.
_file = open(__file__[: __file__.rfind("/") + 1] + "zh.bin", "rb")  # noqa: SIM115
_count = int.from_bytes(_file.read(2), "little")
_points = _file.read(2 * _count)


def _find(point):
    """Index of a code point's glyph in the file, -1 if it has none."""
    low = 0
    high = _count
    while low < high:
        mid = (low + high) >> 1
        at = _points[2 * mid] | _points[2 * mid + 1] << 8
        if at < point:
            low = mid + 1
        elif at > point:
            high = mid
        else:
            return mid
    return -1


def _run(fb, s, x, y, k, color, i, end):
    """Draw s[i:end] at (x, y), characters 16 * k pixels square, or with fb None only measure
    it; returns where a next character would start."""
    while i < end:
        lead = s[i]
        if lead < 0x80:
            letter = _ASCII[lead - 32]
            if fb is None:
                x += font.width(letter, k) + font.GAP * k
            else:
                x = font.text(fb, letter, x, y + k, k, color, 2 * k)
            i += 1
            continue
        if lead < 0xE0:
            point = (lead & 0x1F) << 6 | s[i + 1] & 0x3F
            i += 2
        else:
            point = (lead & 0x0F) << 12 | (s[i + 1] & 0x3F) << 6 | s[i + 2] & 0x3F
            i += 3
        if fb is not None:
            found = _find(point)
            if found >= 0:
                _file.seek(2 + 2 * _count + found * _GLYPH)
                _file.readinto(_glyph)
                for row in range(_SIZE):
                    bits = _glyph[2 * row] << 8 | _glyph[2 * row + 1]
                    col = 0
                    while bits:
                        if bits & _TOP:
                            run = 1
                            while bits << run & _TOP:
                                run += 1
                            fb.fill_rect(x + col * k, y + row * k, run * k, k, color)
                            bits = bits << run & 0xFFFF
                            col += run
                        else:
                            bits = bits << 1 & 0xFFFF
                            col += 1
        x += _SIZE * k
    return x


def _scale(scale):
    # The screens' big print (scale 2 and up) is 32 px, the small print 16 px.
    return 2 if scale > 1 else 1


def text(fb, s, x, y, scale, color, first, end):
    """Draw s[first:end] with its top left at (x, y); returns where a next character would start,
    or with fb None its width (as font.text does)."""
    if fb is None:
        return width(s, scale, first, end)
    return _run(fb, s, x, y, _scale(scale), color, first, end)


def width(s, scale, first, end):
    """Width in pixels of s[first:end] as text() draws it (no gap after a last letter)."""
    k = _scale(scale)
    right = _run(None, s, 0, 0, k, 1, first, end)
    return right - font.GAP * k if end > first and s[end - 1] < 0x80 else right


def speak():
    """Draw the screens in Chinese from now on: the table's bytes, which are taken apart without
    making strings, in place of the English table, which goes (as the settings validator does,
    app.py); the Chinese one's module goes too."""
    from ui import zh

    font.WIDE = sys.modules[__name__]
    font.WORDS = zh.WORDS.encode()
    del sys.modules["ui.zh"]
    del ui.zh
    if "ui.en" in sys.modules:
        del sys.modules["ui.en"]
        del ui.en


speak()
