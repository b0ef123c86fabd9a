# MicroPython's framebuf for CircuitPython, which has none: the MONO_VLSB format (the SSD1306's
# own) and the drawing calls the screens make, each drawing the pixels MicroPython's
# extmod/modframebuf.c draws, so the two builds show the same screens. text() draws
# MicroPython's own 8x8 font (font_petme128.py). adafruit_ssd1306 takes this module when one
# is there (it imports framebuf before adafruit_framebuf), so its SSD1306_I2C is one of these.
# Attributes are named _fb_* to stay clear of the driver's own.
from font_petme128 import GLYPHS
from micropython import const

MONO_VLSB = const(0)
MVLSB = const(0)


def _cdiv(a, b):
    """C's integer division, which rounds toward zero."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


class FrameBuffer:
    def __init__(self, buffer, width, height, format, stride=0):
        if format != MONO_VLSB:
            raise ValueError("only MONO_VLSB")
        self._fb_buf = buffer
        self._fb_w = width
        self._fb_h = height
        self._fb_stride = stride or width

    def fill(self, c):
        byte = 0xFF if c else 0
        buf = self._fb_buf
        for i in range(self._fb_stride * ((self._fb_h + 7) >> 3)):
            buf[i] = byte

    def fill_rect(self, x, y, w, h, c):
        if w < 1 or h < 1 or x + w <= 0 or y + h <= 0 or x >= self._fb_w or y >= self._fb_h:
            return
        x_end = min(self._fb_w, x + w)
        y_end = min(self._fb_h, y + h)
        x = max(x, 0)
        y = max(y, 0)
        buf = self._fb_buf
        stride = self._fb_stride
        # A page (8 rows, one byte a column) at a time: the rows of this page the rect covers.
        while y < y_end:
            page_end = min(y_end, (y & ~7) + 8)
            mask = (0xFF << (y & 7)) & (0xFF >> (8 - (page_end - (y & ~7)))) & 0xFF
            at = (y >> 3) * stride
            if c:
                for i in range(at + x, at + x_end):
                    buf[i] |= mask
            else:
                keep = ~mask & 0xFF
                for i in range(at + x, at + x_end):
                    buf[i] &= keep
            y = page_end

    def pixel(self, x, y, c=-1):
        if not (0 <= x < self._fb_w and 0 <= y < self._fb_h):
            return None
        i = (y >> 3) * self._fb_stride + x
        bit = 1 << (y & 7)
        if c == -1:
            return 1 if self._fb_buf[i] & bit else 0
        if c:
            self._fb_buf[i] |= bit
        else:
            self._fb_buf[i] &= ~bit & 0xFF
        return None

    def rect(self, x, y, w, h, c, f=False):
        if f:
            self.fill_rect(x, y, w, h, c)
        else:
            self.fill_rect(x, y, w, 1, c)
            self.fill_rect(x, y + h - 1, w, 1, c)
            self.fill_rect(x, y, 1, h, c)
            self.fill_rect(x + w - 1, y, 1, h, c)

    def blit(self, source, x, y, key=-1):
        """Copy another FrameBuffer of this module, leaving out its pixels of colour key."""
        if x >= self._fb_w or y >= self._fb_h or -x >= source._fb_w or -y >= source._fb_h:
            return
        x_end = min(self._fb_w, x + source._fb_w)
        y_end = min(self._fb_h, y + source._fb_h)
        if key == -1 and source._fb_h == 8 and not y & 7 and y_end == y + 8:
            # A page of 8 rows onto a page: a byte a column (the font's cell, from its strip).
            at = (y >> 3) * self._fb_stride
            for dx in range(max(0, x), x_end):
                self._fb_buf[at + dx] = source._fb_buf[dx - x]
            return
        for dy in range(max(0, y), y_end):
            for dx in range(max(0, x), x_end):
                col = source.pixel(dx - x, dy - y)
                if col != key:
                    self.pixel(dx, dy, col)

    def text(self, s, x, y, c=1):
        # By the bytes of its UTF-8, as MicroPython does: each byte outside 32..127 is glyph 127.
        for code in s.encode():
            if code < 32 or code > 127:
                code = 127
            at = (code - 32) * 8
            for col in range(8):
                if 0 <= x < self._fb_w:
                    bits = GLYPHS[at + col]
                    row = y
                    while bits:
                        if bits & 1:
                            self.pixel(x, row, c)
                        bits >>= 1
                        row += 1
                x += 1

    def _ellipse_points(self, cx, cy, x, y, c, fill, mask):
        # The quadrants, as MicroPython numbers them: 1 top right, 2 top left, 3 bottom left, 4 bottom right.
        if fill:
            if mask & 1:
                self.fill_rect(cx, cy - y, x + 1, 1, c)
            if mask & 2:
                self.fill_rect(cx - x, cy - y, x + 1, 1, c)
            if mask & 4:
                self.fill_rect(cx - x, cy + y, x + 1, 1, c)
            if mask & 8:
                self.fill_rect(cx, cy + y, x + 1, 1, c)
        else:
            if mask & 1:
                self.pixel(cx + x, cy - y, c)
            if mask & 2:
                self.pixel(cx - x, cy - y, c)
            if mask & 4:
                self.pixel(cx - x, cy + y, c)
            if mask & 8:
                self.pixel(cx + x, cy + y, c)

    def ellipse(self, cx, cy, xr, yr, c, f=False, m=15):
        """The midpoint algorithm in two sets of points, as modframebuf.c walks it."""
        m &= 15
        if xr == 0 and yr == 0:
            if m:
                self.pixel(cx, cy, c)
            return
        two_a2 = 2 * xr * xr
        two_b2 = 2 * yr * yr
        x, y = xr, 0
        x_change = yr * yr * (1 - 2 * xr)
        y_change = xr * xr
        error = 0
        stop_x, stop_y = two_b2 * xr, 0
        while stop_x >= stop_y:
            self._ellipse_points(cx, cy, x, y, c, f, m)
            y += 1
            stop_y += two_a2
            error += y_change
            y_change += two_a2
            if 2 * error + x_change > 0:
                x -= 1
                stop_x -= two_b2
                error += x_change
                x_change += two_b2
        x, y = 0, yr
        x_change = yr * yr
        y_change = xr * xr * (1 - 2 * yr)
        error = 0
        stop_x, stop_y = 0, two_a2 * yr
        while stop_x <= stop_y:
            self._ellipse_points(cx, cy, x, y, c, f, m)
            x += 1
            stop_x += two_b2
            error += x_change
            x_change += two_b2
            if 2 * error + y_change > 0:
                y -= 1
                stop_y -= two_a2
                error += y_change
                y_change += two_a2

    def poly(self, x, y, coords, c, f=False):
        """A filled polygon (the screens draw no outlines): scan lines filled between the
        crossings of its edges, with MicroPython's rounding and its extra pixels at the minima."""
        if not f:
            raise ValueError("only filled polygons")
        n = len(coords) // 2
        if not n:
            return
        ys = [coords[2 * i + 1] for i in range(n)]
        for row in range(min(ys), max(ys) + 1):
            nodes = []
            px1, py1 = coords[0], coords[1]
            i = 2 * n - 1
            while i >= 0:
                py2 = coords[i]
                px2 = coords[i - 1]
                i -= 2
                if py1 != py2 and ((py1 > row >= py2) or (py1 <= row < py2)):
                    nodes.append(_cdiv(32 * px1 + _cdiv(32 * (px2 - px1) * (row - py1), py2 - py1) + 16, 32))
                elif row == max(py1, py2):
                    if py1 < py2:
                        self.pixel(x + px2, y + py2, c)
                    elif py2 < py1:
                        self.pixel(x + px1, y + py1, c)
                    else:
                        # A flat edge at this row: MicroPython draws it as a line.
                        left = min(px1, px2)
                        self.fill_rect(x + left, y + row, max(px1, px2) - left + 1, 1, c)
                px1, py1 = px2, py2
            nodes.sort()
            for k in range(0, len(nodes) - 1, 2):
                self.fill_rect(x + nodes[k], y + row, nodes[k + 1] - nodes[k] + 1, 1, c)
