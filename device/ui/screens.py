# What the 128x64 display shows for each View. draw() paints the whole screen
# and returns its words in reading order, for the simulator's trace and the
# tests. The reader may be elderly and without glasses: the words that matter
# now (what to do, how long) are big; small print is only for what a glance
# may miss.
#
# Every screen is a branch of draw() rather than a function of its own, and
# the layout is in const()s and literals: on the board each function, table
# and module-level name is heap kept for good. The screens shown seldom (the
# first-start notice, settings problems, the crash's error, the pain score and
# setting the clock) are in ui/occasional.py, loaded to draw one and let go.
#
# The words come from the language's table, font.WORDS (ui/en.py, or ui/zh.py once
# ui/wide.py is loaded): a word is drawn by its number, and made a string only to
# be formatted or returned. Chinese lines are 16 px tall, or 32 for the big print
# (ui/wide.py): where a screen's English small print takes 9 rows a line, its
# Chinese one takes 16, so each screen's Chinese layout has rows of its own.
import sys
from array import array

from core.compat import const

import ui
from ui import font
from ui.font import centred, word

# Without a name here: the Chinese screens let the English table go.
font.WORDS = __import__("ui.en", None, None, ("WORDS",)).WORDS

_WIDTH = const(128)
_HEIGHT = const(64)
# Kept clear at the left and right edges, where a panel's frame can hide pixels.
_MARGIN = const(2)
_LINE = const(9)
_WIDE_LINE = const(16)
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

# The words' numbers: their lines in the language's table (ui/en.py, ui/zh.py).
_GET_READY = const(0)
_UP_MOVE = const(1)
_UP_HOLD = const(2)
_DOWN_MOVE = const(3)
_DOWN_HOLD = const(4)
_CIRCLES = const(5)
_PAUSED = const(6)
_RESUME = const(7)
_STOP = const(8)
_REP = const(9)
_REPS = const(10)
_LEFT = const(11)
_NEXT = const(12)
_TODAY_OF = const(13)
_WEEK = const(14)
_PROMPT = const(15)
_PROMPT_MORE = const(16)
_START = const(17)
_SNOOZE = const(18)
_SNOOZED_N = const(19)
_SNOOZED = const(20)
_AGAIN = const(21)
_START_NOW = const(22)
_DONE = const(23)
_STOPPED = const(24)
_TODAY = const(25)
_NO_CLOCK = const(35)
_SYNC = const(36)
_NEXT_IN = const(37)
_IN_MIN = const(38)
_FULL = const(47)
_FULL_SYNC = const(48)
_REPS_DONE = const(49)
_NO_SNOOZE = const(50)
_PERCENT = const(51)
_NOT_NOW = const(52)

# Arrowheads on top of the ring, from the middle of its band: clockwise, and
# back. Made once; as polygons relative to that point.
_TURN_ONE = array("h", (0, -5, 7, 0, 0, 5))
_TURN_OTHER = array("h", (0, -5, -7, 0, 0, 5))


def draw(fb, view, words=True):
    """Clear fb and draw the screen for view.name; returns its text in reading order. With
    words False it returns None, and a session's screens (redrawn every second) allocate
    nothing: their numbers are drawn digit by digit."""
    fb.fill(0)
    zh = type(font.WORDS) is bytes
    name = view.name
    # First, as it is redrawn every second; both end with the rep and the time left.
    if name == "session" or name == "paused":
        if name == "paused":
            centred(fb, _PAUSED, 0, 3)
            centred(fb, _RESUME, 32 if zh else 26)
            centred(fb, _STOP, 48 if zh else 37)
        else:
            phase = view.phase
            up = phase == "up_move" or phase == "up_hold"
            arrow = up or phase == "down_move" or phase == "down_hold"
            circles = phase == "circles_one" or phase == "circles_other"
            if arrow:
                if up:
                    doing = _UP_MOVE if phase == "up_move" else _UP_HOLD
                else:
                    doing = _DOWN_MOVE if phase == "down_move" else _DOWN_HOLD
            elif circles:
                doing = _CIRCLES
            else:
                doing = _GET_READY if phase == "ready" else ""
            centred(fb, doing, 0, 2, 1, 3)
            # The same picture of the movement on each side of the count; in Chinese, of
            # the instruction, which leaves the count less room.
            top = 2 if zh else _COUNT_Y
            for x in (_PICTURE_LEFT, _PICTURE_RIGHT):
                if arrow:
                    # An arrow: the head widens by two pixels a row from its tip to the picture's width.
                    tip = top if up else top + _PICTURE_H - 1
                    for row in range(_HEAD_H):
                        fb.fill_rect(x + _PICTURE_W // 2 - row, tip + row if up else tip - row, 2 * row + 1, 1, 1)
                    shaft_y = top + _HEAD_H if up else top
                    fb.fill_rect(x + (_PICTURE_W - _SHAFT_W) // 2, shaft_y, _SHAFT_W, _PICTURE_H - _HEAD_H, 1)
                elif circles:
                    # A ring with an arrowhead on top. The head reaches 5 rows above
                    # the middle of the ring's band: that top is the picture's top.
                    clockwise = phase == "circles_one"
                    cx = x + _PICTURE_W // 2
                    band_y = top + 5
                    cy = band_y + (_RING_R + _RING_IN + 1) // 2
                    fb.ellipse(cx, cy, _RING_R, _RING_R, 1, True)
                    fb.ellipse(cx, cy, _RING_IN, _RING_IN, 0, True)
                    # The head points into a gap in the ring, the way the foot turns.
                    fb.fill_rect(cx + 1 if clockwise else cx - 10, cy - _RING_R, 10, 6, 0)
                    fb.poly(cx, band_y, _TURN_ONE if clockwise else _TURN_OTHER, 1, True)
            count = view.count
            big = 3 if zh else 4
            if count:
                font.number(fb, count, (_WIDTH - font.number_width(count, big)) // 2, 34 if zh else _COUNT_Y, big)
        # "Rep 4/12" (or "12 reps" before the first) at the left, "3:35 left" at the right,
        # measured and drawn in pieces as the whole strings would be. In Chinese, only the
        # numbers: there is no room for a 16 px line, and a paused screen has none.
        if zh and name == "paused":
            return [word(_PAUSED).decode(), word(_RESUME).decode(), word(_STOP).decode()] if words else None
        rep = view.rep
        reps = view.reps
        minutes = view.left_s // 60
        seconds = view.left_s % 60
        gap = font.GAP
        # In Chinese the count of reps has no word: before the first it reads "0/12".
        named = rep or zh
        if named:
            rep_w = font.width(_REP) + font.number_width(rep) + font.width("/") + font.number_width(reps) + 3 * gap
        else:
            rep_w = font.number_width(reps) + font.width(_REPS) + gap
        time_w = font.number_width(minutes) + font.width(":") + font.number_width(seconds, 1, 2) + 2 * gap
        spare = _WIDTH - 2 * _MARGIN - rep_w - time_w - gap - font.width(_LEFT) - 2 * font.width(" ")
        # Three-digit reps leave no room for both words: "Rep" goes ("100/149" still reads as
        # reps), and "left" stays; four-digit ones (very long rhythmic sessions) show the time alone.
        bare = spare < 0 and rep and not zh
        if bare:
            spare += font.width(_REP) + gap
        with_left = spare >= 0
        if named:
            x = _MARGIN if bare else font.text(fb, _REP, _MARGIN, _BOTTOM)
            x = font.text(fb, "/", font.number(fb, rep, x, _BOTTOM), _BOTTOM)
            font.number(fb, reps, x, _BOTTOM)
        else:
            font.text(fb, _REPS, font.number(fb, reps, _MARGIN, _BOTTOM), _BOTTOM)
        right = _WIDTH - _MARGIN - time_w - (gap + font.width(_LEFT) if with_left else 0)
        x = font.text(fb, ":", font.number(fb, minutes, right, _BOTTOM), _BOTTOM)
        x = font.number(fb, seconds, x, _BOTTOM, 1, 2)
        if with_left:
            font.text(fb, _LEFT, x, _BOTTOM)
        if not words:
            return None
        shown = [_PAUSED, _RESUME, _STOP] if name == "paused" else [doing, "%d" % count] if count else [doing]
        left = "%d:%02d" % (minutes, seconds)
        if zh:
            shown += ["%d/%d" % (rep, reps), left]
        else:
            if rep:
                shown.append(("" if bare else word(_REP)) + "%d/%d" % (rep, reps))
            else:
                shown.append("%d" % reps + word(_REPS))
            shown.append(left + word(_LEFT) if with_left else left)
    elif name == "idle" or name == "quiet":
        clock = "--:--" if view.hour < 0 else "%02d:%02d" % (view.hour, view.minute)
        if name == "quiet":
            shown = [centred(fb, clock, (_HEIGHT - 6 * font.HEIGHT) // 2, 4, 1, 6)]
        else:
            shown = [centred(fb, clock, 0, 4)]
            if view.flash_full:
                # Where the next prompt's time was: until a sync, the journal keeps nothing new.
                shown.append(centred(fb, _FULL, 28 if zh else 30))
                if not zh:
                    shown.append(centred(fb, _FULL_SYNC, 38))
            elif view.next_hour >= 0:
                nxt = word(_NEXT) % view.next_hour
                if zh:
                    # At the left: today's adherence takes the right.
                    font.text(fb, nxt, _MARGIN, 28)
                else:
                    centred(fb, nxt, 31, 2)
                shown.append(nxt)
            today = word(_TODAY_OF) % (view.done_today, view.expected_today)
            row = 44 if zh else 47
            font.text(fb, today, _MARGIN, row)
            shown.append(today)
            if view.adherence >= 0:
                week = word(_WEEK) % view.adherence
                font.text(fb, week, _WIDTH - _MARGIN - font.width(week), row)
                shown.append(week)
            # Today's progress as a bar along the bottom (thinner under Chinese lines), and today's
            # adherence at its end (in Chinese, where the next prompt's line has room).
            bar = 60 if zh else 58
            right = _WIDTH - _MARGIN
            if view.adherence_today >= 0 and not (zh and view.flash_full):
                pct = word(_PERCENT) % view.adherence_today
                x = right - font.width(pct)
                font.text(fb, pct, x, 28 if zh else 57)
                shown.append(pct)
                if not zh:
                    right = x - 3 * font.GAP
            fb.rect(_MARGIN, bar, right - _MARGIN, _HEIGHT - bar, 1)
            if view.expected_today:
                inner = right - _MARGIN - 4
                filled = inner * min(view.done_today, view.expected_today) // view.expected_today
                fb.fill_rect(_MARGIN + 2, bar + (1 if zh else 2), filled, 2, 1)
    elif name == "prompt":
        # After a snooze the patient knows the hold; how often it was put off matters more, and
        # most that it can be put off no more.
        later = _SNOOZE
        if not view.snooze_left_min:
            later = _NO_SNOOZE
        elif view.snoozes:
            later = word(_SNOOZED_N) % view.snoozes
        # Its three keys in small print, the last "not now" (a double press) for this hour.
        shown = [
            centred(fb, _PROMPT, 0, 1 if zh else 2),
            centred(fb, _PROMPT_MORE, 16, 2),
            centred(fb, _START, 16 if zh else 34),
            centred(fb, later, 32 if zh else 45),
            centred(fb, _NOT_NOW, 48 if zh else _BOTTOM),
        ]
    elif name == "snoozed":
        # Minutes to wait rather than a clock time, which would read as the time now.
        shown = [
            centred(fb, _SNOOZED, 0 if zh else 4, 2, 1, 3),
            centred(fb, word(_AGAIN) % view.snooze_left_min, 32 if zh else 36),
            centred(fb, _START_NOW, 48 if zh else _BOTTOM),
        ]
    elif name == "done":
        # "Stopped" is too long for the big print of "Done": it gets the session's instruction size.
        # Stopped early: what was done, not a discouraging count of sessions done today.
        if view.result == "partial":
            big = centred(fb, _STOPPED, 4, 2, 1, 3)
            below = word(_REPS_DONE) % view.rep
        else:
            big = centred(fb, _DONE, 2, 4)
            below = word(_TODAY) % view.done_today
        shown = [big, centred(fb, below, 44 if zh else 40, 1 if zh else 2)]
    elif name == "pain" or name == "set_clock" or name == "notice" or name == "problem" or name == "error":
        # Shown seldom: their module is loaded to draw one and let go, as the settings
        # validator is (app.py), so that the heap does not keep them between times.
        from ui import occasional

        shown = occasional.draw(fb, view, zh)
        del occasional, sys.modules["ui.occasional"], ui.occasional
    elif name == "no_clock":
        shown = [centred(fb, _NO_CLOCK, 0), centred(fb, _SYNC, _WIDE_LINE if zh else _LINE)]
        if view.next_in_min >= 0:
            shown.append(centred(fb, _NEXT_IN, 21))
            shown.append(centred(fb, word(_IN_MIN) % view.next_in_min, 32 if zh else 31, 1 if zh else 3))
        shown.append(centred(fb, word(_TODAY) % view.done_today, 48 if zh else _BOTTOM))
    else:
        # Off, or a screen this firmware does not know: dark.
        shown = []
    if not words:
        return None
    # Words drawn by number as text; Chinese (bytes) too, and without the words a Chinese
    # screen does without (empty).
    shown = [word(t) if type(t) is int else t for t in shown]
    return [t.decode() if type(t) is bytes else t for t in shown if t] if zh else shown
