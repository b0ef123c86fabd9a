# What the 128x64 display shows for each View. draw() paints the whole screen
# and returns its words in reading order, for the simulator's trace and the
# tests. The reader may be elderly and without glasses: the words that matter
# now (what to do, how long) are big; small print is only for what a glance
# may miss.
#
# The "error" screen (shown briefly after a crash) takes its message from
# view.problems[0], the same field the settings problem screen reads, so the
# app fills a View like any other and draw() stays a function of the view.
#
# Every screen is a branch of draw() rather than a function of its own, and
# the layout is in const()s and literals: on the board each function, table
# and module-level name is heap kept for good.
from array import array

from core.compat import const

from ui import font
from ui.font import centred

_WIDTH = const(128)
_HEIGHT = const(64)
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

# Arrowheads on top of the ring, from the middle of its band: clockwise, and
# back. Made once; as polygons relative to that point.
_TURN_ONE = array("h", (0, -5, 7, 0, 0, 5))
_TURN_OTHER = array("h", (0, -5, -7, 0, 0, 5))


def _paragraph(fb, s, y, lines):
    """s in small print from y down, centred, broken into at most `lines` lines
    (a cut one ends with '..'); returns the lines. The work is bounded by what fits:
    breaking stops at the first line too many, and a word too long for a line is
    measured from its start, so a long text costs no more than a short one."""
    room = _WIDTH - 2 * _MARGIN
    out = []
    line = ""
    # A character takes a pixel or more: this much of s always fills the lines and more.
    for word in s[: lines * room].split():
        if len(out) > lines:
            break
        joined = line + " " + word if line else word
        if font.width(joined) <= room:
            line = joined
            continue
        if line:
            out.append(line)
        while len(out) <= lines and font.width(word) > room:
            cut = 1
            while font.width(word[: cut + 1]) <= room:
                cut += 1
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
    for line in out:
        centred(fb, line, y)
        y += _LINE
    return out


def draw(fb, view, words=True):
    """Clear fb and draw the screen for view.name; returns its text in reading order. With
    words False it returns None, and a session's screens (redrawn every second) allocate
    nothing: their numbers are drawn digit by digit."""
    fb.fill(0)
    name = view.name
    # First, as it is redrawn every second; both end with the rep and the time left.
    if name == "session" or name == "paused":
        if name == "paused":
            centred(fb, "PAUSED", 0, 3)
            centred(fb, "Press to resume", 26)
            centred(fb, "Hold to stop", 37)
        else:
            phase = view.phase
            if phase == "up_move" or phase == "up_hold":
                doing = "TOES UP"
            elif phase == "down_move" or phase == "down_hold":
                doing = "TOES DOWN"
            elif phase == "circles_one" or phase == "circles_other":
                doing = "CIRCLES"
            else:
                doing = "GET READY" if phase == "ready" else ""
            centred(fb, doing, 0, 2, 1, 3)
            # The same picture of the movement on each side of the count.
            for x in (_PICTURE_LEFT, _PICTURE_RIGHT):
                if doing == "TOES UP" or doing == "TOES DOWN":
                    # An arrow: the head widens by two pixels a row from its tip to the picture's width.
                    up = doing == "TOES UP"
                    tip = _COUNT_Y if up else _COUNT_Y + _PICTURE_H - 1
                    for row in range(_HEAD_H):
                        fb.fill_rect(x + _PICTURE_W // 2 - row, tip + row if up else tip - row, 2 * row + 1, 1, 1)
                    shaft_y = _COUNT_Y + _HEAD_H if up else _COUNT_Y
                    fb.fill_rect(x + (_PICTURE_W - _SHAFT_W) // 2, shaft_y, _SHAFT_W, _PICTURE_H - _HEAD_H, 1)
                elif doing == "CIRCLES":
                    # A ring with an arrowhead on top. The head reaches 5 rows above
                    # the middle of the ring's band: that top is the picture's top.
                    clockwise = phase == "circles_one"
                    cx = x + _PICTURE_W // 2
                    band_y = _COUNT_Y + 5
                    cy = band_y + (_RING_R + _RING_IN + 1) // 2
                    fb.ellipse(cx, cy, _RING_R, _RING_R, 1, True)
                    fb.ellipse(cx, cy, _RING_IN, _RING_IN, 0, True)
                    # The head points into a gap in the ring, the way the foot turns.
                    fb.fill_rect(cx + 1 if clockwise else cx - 10, cy - _RING_R, 10, 6, 0)
                    fb.poly(cx, band_y, _TURN_ONE if clockwise else _TURN_OTHER, 1, True)
            count = view.count
            font.number(fb, count, (_WIDTH - font.number_width(count, 4)) // 2, _COUNT_Y, 4)
        # "Rep 4/12" (or "12 reps" before the first) at the left, "3:35 left" at the right,
        # measured and drawn in pieces as the whole strings would be.
        rep = view.rep
        reps = view.reps
        minutes = view.left_s // 60
        seconds = view.left_s % 60
        gap = font.GAP
        if rep:
            rep_w = font.width("Rep ") + font.number_width(rep) + font.width("/") + font.number_width(reps) + 3 * gap
        else:
            rep_w = font.number_width(reps) + font.width(" reps") + gap
        time_w = font.number_width(minutes) + font.width(":") + font.number_width(seconds, 1, 2) + 2 * gap
        # Very long rhythmic sessions have four-digit reps: the time alone still fits.
        with_left = rep_w + time_w + gap + font.width(" left") + 2 * font.width(" ") <= _WIDTH - 2 * _MARGIN
        if rep:
            x = font.text(fb, "Rep ", _MARGIN, _BOTTOM)
            x = font.text(fb, "/", font.number(fb, rep, x, _BOTTOM), _BOTTOM)
            font.number(fb, reps, x, _BOTTOM)
        else:
            font.text(fb, " reps", font.number(fb, reps, _MARGIN, _BOTTOM), _BOTTOM)
        right = _WIDTH - _MARGIN - time_w - (gap + font.width(" left") if with_left else 0)
        x = font.text(fb, ":", font.number(fb, minutes, right, _BOTTOM), _BOTTOM)
        x = font.number(fb, seconds, x, _BOTTOM, 1, 2)
        if with_left:
            font.text(fb, " left", x, _BOTTOM)
        if not words:
            return None
        left = "%d:%02d" % (minutes, seconds) + (" left" if with_left else "")
        shown = ["PAUSED", "Press to resume", "Hold to stop"] if name == "paused" else [doing, "%d" % count]
        return shown + ["Rep %d/%d" % (rep, reps) if rep else "%d reps" % reps, left]
    if name == "idle" or name == "quiet":
        clock = "--:--" if view.hour < 0 else "%02d:%02d" % (view.hour, view.minute)
        if name == "quiet":
            shown = [centred(fb, clock, (_HEIGHT - 6 * font.HEIGHT) // 2, 4, 1, 6)]
        else:
            shown = [centred(fb, clock, 0, 4)]
            if view.next_hour >= 0:
                shown.append(centred(fb, "Next %02d:00" % view.next_hour, 31, 2))
            today = "%d/%d today" % (view.done_today, view.expected_today)
            font.text(fb, today, _MARGIN, 47)
            shown.append(today)
            if view.adherence >= 0:
                week = "7d %d%%" % view.adherence
                font.text(fb, week, _WIDTH - _MARGIN - font.width(week), 47)
                shown.append(week)
            # Today's progress as a bar along the bottom.
            fb.rect(_MARGIN, 58, _WIDTH - 2 * _MARGIN, 6, 1)
            if view.expected_today:
                inner = _WIDTH - 2 * _MARGIN - 4
                filled = inner * min(view.done_today, view.expected_today) // view.expected_today
                fb.fill_rect(_MARGIN + 2, 60, filled, 2, 1)
    elif name == "prompt":
        # After a snooze the patient knows the hold; how often it was put off matters more.
        later = "Snoozed %dx" % view.snoozes if view.snoozes else "Hold to snooze"
        shown = [
            centred(fb, "Ankle", 0, 3),
            centred(fb, "pumps", 20, 3),
            centred(fb, "Press to start", 46),
            centred(fb, later, _BOTTOM),
        ]
    elif name == "snoozed":
        # Minutes to wait rather than a clock time, which would read as the time now.
        shown = [
            centred(fb, "Snoozed", 4, 2, 1, 3),
            centred(fb, "Again in %d min" % view.snooze_left_min, 36),
            centred(fb, "Press to start now", _BOTTOM),
        ]
    elif name == "done":
        # "Stopped" is too long for the big print of "Done": it gets the session's instruction size.
        big = centred(fb, "Stopped", 4, 2, 1, 3) if view.result == "partial" else centred(fb, "Done", 2, 4)
        shown = [big, centred(fb, "%d today" % view.done_today, 40, 2)]
    elif name == "pain":
        shown = [
            centred(fb, "Pain 0-10", 0, 2),
            centred(fb, "%d" % view.score, 17, 5),
            centred(fb, "Press +1, hold saves", _BOTTOM),
        ]
    elif name == "set_clock":
        field = view.field
        # The field's name as the title: Year, Month, Day, Hour or Minute.
        shown = [
            centred(fb, field[:1].upper() + field[1:], 0, 2),
            centred(fb, ("%02d" if field == "hour" or field == "minute" else "%d") % view.value, 17, 4),
            centred(fb, "Press +1, double -1", 47),
            centred(fb, "Hold: OK", _BOTTOM),
        ]
    elif name == "no_clock":
        shown = [centred(fb, "Clock not set", 0), centred(fb, "sync to set", _LINE)]
        if view.next_in_min >= 0:
            shown.append(centred(fb, "Next in", 21))
            shown.append(centred(fb, "%d min" % view.next_in_min, 31, 3))
        shown.append(centred(fb, "%d today" % view.done_today, _BOTTOM))
    elif name == "notice" or name == "problem" or name == "error":
        # A title in dark print on a lit bar across the top, small print, and what happens next.
        fb.fill_rect(0, 0, _WIDTH, _LINE, 1)
        if name == "notice":
            shown = [centred(fb, "ANKLE PUMPS", 1, 1, 0)]
            shown += _paragraph(fb, "Toes up, toes down, every hour.", 11, 2)
            shown += _paragraph(fb, "Not for ankle surgery or a foot in a cast.", 30, 3)
            footer = "Press to continue"
        else:
            error = name == "error"
            shown = [centred(fb, "Error" if error else "Settings problem", 1, 1, 0)]
            if view.problems:
                shown += _paragraph(fb, view.problems[0], 10, 5)
            footer = "Restarting" if error else "Defaults in use"
        shown.append(centred(fb, footer, _BOTTOM))
    else:
        # Off, or a screen this firmware does not know: dark.
        shown = []
    return shown if words else None
