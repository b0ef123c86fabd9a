# What the 128x64 display shows for each View. draw() paints the whole screen
# and returns its words in reading order, for the simulator's trace and the
# tests. The reader may be elderly and without glasses: the words that matter
# now (what to do, how long) are big; small print is only for what a glance
# may miss.
#
# The "error" screen (shown briefly after a crash) takes its message from
# view.problems[0], the same field the settings problem screen reads, so the
# app fills a View like any other and draw() stays a function of the view.
from array import array

from core.compat import const

from ui import font
from ui.font import centred

WIDTH = const(128)
HEIGHT = const(64)
# Kept clear at the left and right edges, where a panel's frame can hide pixels.
_MARGIN = const(2)
_LINE = const(9)
_BOTTOM = const(56)
# The session screen: instruction band, then count and pictures, then rep and time.
_COUNT_Y = const(23)
_PICTURE_W = const(21)
_PICTURE_H = const(28)
_PICTURE_LEFT = const(6)
_PICTURE_RIGHT = const(101)
_SHAFT_W = const(9)
_HEAD_H = const(11)
_RING_R = const(12)
_RING_IN = const(9)

# Arrowheads as polygons relative to the picture's top left; made once.
_HEAD_UP = array("h", (10, 0, 20, 10, 0, 10))
_HEAD_DOWN = array("h", (10, 27, 20, 17, 0, 17))
# Arrowheads on top of the ring, from the middle of its band: clockwise, and back.
_TURN_ONE = array("h", (0, -5, 7, 0, 0, 5))
_TURN_OTHER = array("h", (0, -5, -7, 0, 0, 5))

_UP = const(1)
_DOWN = const(2)
_TURN = const(3)
_TURN_BACK = const(4)

_PHASES = {
    "ready": ("GET READY", 0),
    "up_move": ("TOES UP", _UP),
    "up_hold": ("TOES UP", _UP),
    "down_move": ("TOES DOWN", _DOWN),
    "down_hold": ("TOES DOWN", _DOWN),
    "circles_one": ("CIRCLES", _TURN),
    "circles_other": ("CIRCLES", _TURN_BACK),
}

_FIELDS = {"year": "Year", "month": "Month", "day": "Day", "hour": "Hour", "minute": "Minute"}

_NOTICE_WHAT = "Toes up, toes down, every hour."
_NOTICE_NOT = "Not for ankle surgery or a foot in a cast."


def draw(fb, view):
    """Clear fb and draw the screen for view.name; returns the visible text."""
    fb.fill(0)
    screen = _SCREENS.get(view.name)
    return screen(fb, view) if screen else []


# placement helpers: each returns what it drew, so a screen's text reads as it is laid out


def _left(fb, s, y, scale=1, yscale=0):
    font.text(fb, s, _MARGIN, y, scale, 1, yscale)
    return s


def _right(fb, s, y, scale=1, yscale=0):
    font.text(fb, s, WIDTH - _MARGIN - font.width(s, scale), y, scale, 1, yscale)
    return s


def _header(fb, s):
    """A title in dark print on a lit bar across the top."""
    fb.fill_rect(0, 0, WIDTH, _LINE, 1)
    return centred(fb, s, 1, 1, 0)


def _wrap(s, lines):
    """s broken into at most `lines` lines of small print; a cut ends with '..'."""
    room = WIDTH - 2 * _MARGIN
    out = []
    line = ""
    for word in s.split():
        joined = line + " " + word if line else word
        if font.width(joined) <= room:
            line = joined
            continue
        if line:
            out.append(line)
        while font.width(word) > room:
            cut = len(word) - 1
            while font.width(word[:cut]) > room:
                cut -= 1
            # Settings keys are long: break them after an underscore where one fits.
            cut = word.rfind("_", 0, cut) + 1 or cut
            out.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        last = out[-1]
        while font.width(last + "..") > room:
            last = last[:-1]
        out[-1] = last + ".."
    return out


def _small_lines(fb, lines, y, shown):
    for line in lines:
        shown.append(centred(fb, line, y))
        y += _LINE


def _clock(view):
    if view.hour < 0:
        return "--:--"
    return "%02d:%02d" % (view.hour, view.minute)


def _mss(seconds):
    return "%d:%02d" % (seconds // 60, seconds % 60)


def _rep_and_left(fb, view, shown):
    rep = "Rep %d/%d" % (view.rep, view.reps) if view.rep else "%d reps" % view.reps
    left = _mss(view.left_s) + " left"
    # Very long rhythmic sessions have four-digit reps: the time alone still fits.
    if font.width(rep) + font.width(left) + 2 * font.width(" ") > WIDTH - 2 * _MARGIN:
        left = _mss(view.left_s)
    shown.append(_left(fb, rep, _BOTTOM))
    shown.append(_right(fb, left, _BOTTOM))


# pictures


def _arrow(fb, x, up):
    y = _COUNT_Y
    fb.poly(x, y, _HEAD_UP if up else _HEAD_DOWN, 1, True)
    shaft_y = y + _HEAD_H if up else y
    fb.fill_rect(x + (_PICTURE_W - _SHAFT_W) // 2, shaft_y, _SHAFT_W, _PICTURE_H - _HEAD_H, 1)


def _turn(fb, x, clockwise):
    """A ring with an arrowhead on top, for the ankle circles."""
    cx = x + _PICTURE_W // 2
    # The head reaches 5 rows above the middle of the ring's band: that top is the box's top.
    band_y = _COUNT_Y + 5
    cy = band_y + (_RING_R + _RING_IN + 1) // 2
    fb.ellipse(cx, cy, _RING_R, _RING_R, 1, True)
    fb.ellipse(cx, cy, _RING_IN, _RING_IN, 0, True)
    # The head points into a gap in the ring, the way the foot turns.
    fb.fill_rect(cx + 1 if clockwise else cx - 10, cy - _RING_R, 10, 6, 0)
    fb.poly(cx, band_y, _TURN_ONE if clockwise else _TURN_OTHER, 1, True)


def _picture(fb, kind, x):
    if kind in (_UP, _DOWN):
        _arrow(fb, x, kind == _UP)
    elif kind:
        _turn(fb, x, kind == _TURN)


# screens


def _notice(fb, view):
    shown = [_header(fb, "ANKLE PUMPS")]
    _small_lines(fb, _wrap(_NOTICE_WHAT, 2), 11, shown)
    _small_lines(fb, _wrap(_NOTICE_NOT, 3), 30, shown)
    shown.append(centred(fb, "Press to continue", _BOTTOM))
    return shown


def _message(fb, view, title, footer):
    """A title, the first of view.problems wrapped below it, and what happens next."""
    shown = [_header(fb, title)]
    if view.problems:
        _small_lines(fb, _wrap(view.problems[0], 5), 10, shown)
    shown.append(centred(fb, footer, _BOTTOM))
    return shown


def _problem(fb, view):
    return _message(fb, view, "Settings problem", "Defaults in use")


def _error(fb, view):
    return _message(fb, view, "Error", "Restarting")


def _idle(fb, view):
    shown = [centred(fb, _clock(view), 0, 4)]
    if view.next_hour >= 0:
        shown.append(centred(fb, "Next %02d:00" % view.next_hour, 31, 2))
    shown.append(_left(fb, "%d/%d today" % (view.done_today, view.expected_today), 47))
    if view.adherence >= 0:
        shown.append(_right(fb, "7d %d%%" % view.adherence, 47))
    fb.rect(_MARGIN, 58, WIDTH - 2 * _MARGIN, 6, 1)
    if view.expected_today:
        inner = WIDTH - 2 * _MARGIN - 4
        filled = inner * min(view.done_today, view.expected_today) // view.expected_today
        fb.fill_rect(_MARGIN + 2, 60, filled, 2, 1)
    return shown


def _no_clock(fb, view):
    shown = [centred(fb, "Clock not set", 0), centred(fb, "sync to set", _LINE)]
    if view.next_in_min >= 0:
        shown.append(centred(fb, "Next in", 21))
        shown.append(centred(fb, "%d min" % view.next_in_min, 31, 3))
    shown.append(centred(fb, "%d today" % view.done_today, _BOTTOM))
    return shown


def _quiet(fb, view):
    return [centred(fb, _clock(view), (HEIGHT - 6 * font.HEIGHT) // 2, 4, 1, 6)]


def _prompt(fb, view):
    shown = [centred(fb, "Ankle", 0, 3), centred(fb, "pumps", 20, 3)]
    shown.append(centred(fb, "Press to start", 46))
    # After a snooze the patient knows the hold; how often it was put off matters more.
    later = "Snoozed %dx" % view.snoozes if view.snoozes else "Hold to snooze"
    shown.append(centred(fb, later, _BOTTOM))
    return shown


def _snoozed(fb, view):
    # Minutes to wait rather than a clock time, which would read as the time now.
    return [
        centred(fb, "Snoozed", 4, 2, 1, 3),
        centred(fb, "Again in %d min" % view.snooze_left_min, 36),
        centred(fb, "Press to start now", _BOTTOM),
    ]


def _session(fb, view):
    words, kind = _PHASES.get(view.phase, ("", 0))
    shown = [centred(fb, words, 0, 2, 1, 3)]
    _picture(fb, kind, _PICTURE_LEFT)
    _picture(fb, kind, _PICTURE_RIGHT)
    shown.append(centred(fb, "%d" % view.count, _COUNT_Y, 4))
    _rep_and_left(fb, view, shown)
    return shown


def _paused(fb, view):
    shown = [centred(fb, "PAUSED", 0, 3)]
    shown.append(centred(fb, "Press to resume", 26))
    shown.append(centred(fb, "Hold to stop", 37))
    _rep_and_left(fb, view, shown)
    return shown


def _done(fb, view):
    # "Stopped" is too long for the big print of "Done": it gets the session's instruction size.
    if view.result == "partial":
        return [centred(fb, "Stopped", 4, 2, 1, 3), centred(fb, "%d today" % view.done_today, 40, 2)]
    return [centred(fb, "Done", 2, 4), centred(fb, "%d today" % view.done_today, 40, 2)]


def _pain(fb, view):
    return [
        centred(fb, "Pain 0-10", 0, 2),
        centred(fb, "%d" % view.score, 17, 5),
        centred(fb, "Press +1, hold saves", _BOTTOM),
    ]


def _set_clock(fb, view):
    value = "%02d" % view.value if view.field in ("hour", "minute") else "%d" % view.value
    return [
        centred(fb, _FIELDS.get(view.field, ""), 0, 2),
        centred(fb, value, 17, 4),
        centred(fb, "Press +1, double -1", 47),
        centred(fb, "Hold: OK", _BOTTOM),
    ]


_SCREENS = {
    "notice": _notice,
    "problem": _problem,
    "error": _error,
    "idle": _idle,
    "no_clock": _no_clock,
    "quiet": _quiet,
    "prompt": _prompt,
    "snoozed": _snoozed,
    "session": _session,
    "paused": _paused,
    "done": _done,
    "pain": _pain,
    "set_clock": _set_clock,
}
