# Large text from the built-in 8x8 font. Characters are drawn into a scratch
# strip, then each one's lit pixels are copied out as scaled rectangles, one per
# vertical run, so a big glyph costs a handful of fill_rect calls and no
# allocation. Spacing is proportional (a cell's blank side columns are dropped):
# that is what lets "TOES DOWN" fit 128 pixels at double width.
#
# The strip holds _STRIP characters; framebuf.text() at a negative x brings the
# later ones of a longer text into it. Strings are never taken apart character by
# character: MicroPython interns each character of a str it iterates as a qstr,
# kept for good, and a new qstr can cost a whole new qstr pool. Numbers are drawn
# a digit at a time, from the ten strings of _DIGITS, so that they make no string.
#
# A whole number instead of a text is a word of the screens' language: line n of
# WORDS (ui/en.py, one text, a line a word), drawn from the text itself, so that
# no string is made of it. Text given as bytes (UTF-8) is Chinese, and WORDS its
# table's bytes: WIDE, the module ui/wide.py once the screens speak Chinese, draws
# and measures it.
import framebuf
from core.compat import const

# Rows of capitals and digits; lowercase descenders use the cell's last row.
HEIGHT = const(7)
_CELL = const(8)
_STRIP = const(64)
# Columns between characters: a text drawn in pieces is measured with it.
GAP = const(1)
_SPACE = const(3)
_DISPLAY_W = const(128)
# A digit is taken from here: indexing gives an interned one-character string, made once.
_DIGITS = "0123456789"

_strip = framebuf.FrameBuffer(bytearray(_STRIP * _CELL), _STRIP * _CELL, _CELL, framebuf.MONO_VLSB)
# One character, for blit() at scale 1.
_bits = bytearray(_CELL)
_cell = framebuf.FrameBuffer(_bits, _CELL, _CELL, framebuf.MONO_VLSB)
# The string the strip holds, kept until another is drawn, and the first of its characters there.
_held = None
_held_at = 0
WORDS = ""
WIDE = None


def word(n, span=False):
    """Word n (line n of WORDS) as a string, which allocates (for formats, and the words a
    screen returns); with span, where it is instead: start << 12 | end, a small int."""
    nl = "\n" if type(WORDS) is str else b"\n"
    at = 0
    while n:
        at = WORDS.find(nl, at) + 1
        n -= 1
    end = WORDS.find(nl, at)
    if end < 0:
        end = len(WORDS)
    return at << 12 | end if span else WORDS[at:end]


def load(s, i):
    """Character i of s into the cell; its lit columns as first << 4 | end (end exclusive), 0 if blank.
    The strip holds the _STRIP characters of s from a multiple of _STRIP, drawn anew only for
    another string or another block of it: framebuf.text() goes through the whole string, and
    a word is drawn from the whole table of them. A text of one character (a digit, a colon)
    is drawn straight into the cell, leaving the strip to the words between which it comes.
    Its few names are used twice over: MicroPython takes the frame of a call with more than 11
    locals and stack slots from the heap, and at every character that counts towards the next
    collection (board/config.py GC_THRESHOLD)."""
    global _held, _held_at
    if s is not WORDS and len(s) == 1:
        _cell.fill(0)
        _cell.text(s, 0, 0, 1)
    else:
        at = i % _STRIP
        i -= at
        if s is not _held or i != _held_at:
            _held = s
            _held_at = i
            _strip.fill(0)
            _strip.text(s, -i * _CELL, 0, 1)
        # Its 8 columns from the strip, shifted left into the cell.
        _cell.blit(_strip, -at * _CELL, 0)
    # The first lit column, then past the last.
    at = 0
    while at < _CELL and not _bits[at]:
        at += 1
    if at == _CELL:
        return 0
    i = _CELL
    while not _bits[i - 1]:
        i -= 1
    return at << 4 | i


def width(s, scale=1):
    """Width in pixels of s (a text, or word s of WORDS) drawn at this scale."""
    return text(None, s, 0, 0, scale)


# What text() was given, for the small functions that draw each character: MicroPython takes
# the frame of a call with more than 11 locals and stack slots from the heap (py/bc.h,
# VM_MAX_STATE_ON_STACK), and every such call counts towards the next collection. text() keeps
# its arguments here, so that neither it nor a helper of its takes more; the framebuffer
# stays named until the next text().
_fb = None
_y = 0
_scale = 1
_tall = 1
_color = 1


def text(fb, s, x, y, scale=1, color=1, yscale=0):
    """Draw s with its top left at (x, y); each font pixel is scale wide and
    yscale (default: scale) tall; s may be word s of WORDS. Returns where a next character would
    start; with fb None it draws nothing and returns the width s takes (width())."""
    global _fb, _y, _scale, _tall, _color
    _fb = fb
    _y = y
    _scale = scale
    _tall = yscale or scale
    _color = color
    if type(s) is bytes or (type(s) is int and type(WORDS) is bytes):
        return _wide(s, x)
    return _line(s, x)


def _wide(s, x):
    """text() for Chinese: s, or word s of the table, drawn by WIDE."""
    if type(s) is int:
        end = word(s, True)
        return WIDE.text(_fb, WORDS, x, _y, _scale, _color, end >> 12, end & 0xFFF)
    return WIDE.text(_fb, s, x, _y, _scale, _color, 0, len(s))


def _line(s, x):
    """text() for a str, or word s of the English table: a character at a time."""
    if type(s) is int:
        end = word(s, True)
        s = WORDS
        i = end >> 12
        end &= 0xFFF
    else:
        i = 0
        end = len(s)
    if i == end:
        return 0 if _fb is None else x
    start = x
    while i < end:
        x = _glyph(x, load(s, i))
        i += 1
    return x - start - GAP * _scale if _fb is None else x


def _glyph(x, span):
    """The character load() left in the cell, its lit columns span, drawn at x (measured only,
    without a framebuffer); where a next character would start."""
    if not span:
        return x + (_SPACE + GAP) * _scale
    lit = span >> 4
    span &= 15
    if _fb is None:
        pass
    elif _scale == 1 and _tall == 1 and _color:
        # Key 0 leaves the background alone: only the lit pixels are copied.
        _fb.blit(_cell, x - lit, _y, 0)
    else:
        for col in range(lit, span):
            _column(x + (col - lit) * _scale, _bits[col])
    return x + (span - lit + GAP) * _scale


def _column(left, bits):
    """One column of the cell, its bits from the top, drawn scaled: a rectangle a run of lit pixels."""
    top = _y
    while bits:
        if bits & 1:
            run = 1
            while bits >> run & 1:
                run += 1
            _fb.fill_rect(left, top, _scale, run * _tall, _color)
            bits >>= run
            top += run * _tall
        else:
            bits >>= 1
            top += _tall


def number_width(n, scale=1, digits=1):
    """Width of number() drawing n: as width("%0*d" % (digits, n), scale), with no string made."""
    cols = -GAP
    while True:
        cols += _DIGIT_W[n % 10] + GAP
        n //= 10
        digits -= 1
        if not n and digits <= 0:
            return cols * scale


# Each digit's width at scale 1, for number_width(): measured once, from the font.
_DIGIT_W = bytes(width(d) for d in _DIGITS)


def number(fb, n, x, y, scale=1, digits=1):
    """Draw n (0 or more) in decimal, zero-padded to `digits`, as text() would draw the string:
    digit by digit, so that a changing number allocates nothing. Returns text()'s next x."""
    div = 1
    while n // div >= 10 or digits > 1:
        div *= 10
        digits -= 1
    while div:
        x = text(fb, _DIGITS[n // div % 10], x, y, scale)
        div //= 10
    return x


def centred(fb, s, y, scale=1, color=1, yscale=0):
    """Draw s (a text, or word s of WORDS) centred across the display; returns s."""
    text(fb, s, (_DISPLAY_W - width(s, scale)) // 2, y, scale, color, yscale)
    return s
