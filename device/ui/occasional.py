# The screens shown seldom: the first-start notice, a settings problem, the error after
# a crash, the pain score and setting the clock. ui/screens.py's draw() loads this module
# to draw one of them and lets it go, so that the board's heap does not keep them between
# times; they are drawn as draw() draws the others (its words, its rows).
#
# The "error" screen takes its message from view.problems[0], the same field the settings
# problem screen reads, so the app fills a View like any other.
from core.compat import const

from ui import font
from ui.font import centred, word

# ui/screens.py's layout: the display's width, the margin at its edges, a line of small
# print in English and in Chinese, and the bottom line.
_WIDTH = const(128)
_MARGIN = const(2)
_LINE = const(9)
_WIDE_LINE = const(16)
_BOTTOM = const(56)

# The words' numbers: their lines in the language's table (ui/en.py, ui/zh.py).
_PAIN = const(26)
_PAIN_KEYS = const(27)
_YEAR = const(28)
_CLOCK_KEYS = const(33)
_CLOCK_OK = const(34)
_TITLE = const(39)
_HOW = const(40)
_NOT_FOR = const(41)
_CONTINUE = const(42)
_PROBLEM = const(43)
_DEFAULTS = const(44)
_ERROR = const(45)
_RESTARTING = const(46)
_PROBLEMS_N = const(53)
_FELL_BACK = const(54)
# A settings problem is read this far for the keys it names (real ones are far shorter).
_PROBLEM_READ = const(200)


def _paragraph(fb, s, y, lines):
    """s (a text, or a word's number) in small print from y down, centred, broken into at
    most `lines` lines (a cut one ends with '..'); returns the lines. Chinese (bytes)
    breaks at its spaces. The work is bounded by what fits: breaking stops at the first
    line too many, and a word too long for a line is measured from its start, so a long
    text costs no more than a short one."""
    if type(s) is int:
        s = word(s)
    room = _WIDTH - 2 * _MARGIN
    out = []
    wide = type(s) is bytes
    space = b" " if wide else " "
    line = s[:0]
    # A character takes a pixel or more: this much of s always fills the lines and more.
    for piece in s[: lines * room].split():
        if len(out) > lines:
            break
        joined = line + space + piece if line else piece
        if font.width(joined) <= room:
            line = joined
            continue
        if line:
            out.append(line)
        while len(out) <= lines and font.width(piece) > room:
            cut = 1
            while font.width(piece[: cut + 1]) <= room:
                cut += 1
            # Settings keys are long: break them after an underscore where one fits.
            cut = piece.rfind("_", 0, cut) + 1 or cut
            out.append(piece[:cut])
            piece = piece[cut:]
        line = piece
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
        y += _WIDE_LINE if wide else _LINE
    return out


def draw(fb, view, zh):
    """Draw the screen for view.name (pain, set_clock, notice, problem or error) on the cleared
    fb, in Chinese if zh; returns what ui.screens.draw() returns of it: its text (words by number)."""
    name = view.name
    if name == "pain":
        shown = [
            centred(fb, _PAIN, 0, 1 if zh else 2),
            centred(fb, "%d" % view.score, 18 if zh else 17, 4 if zh else 5),
            centred(fb, _PAIN_KEYS, 48 if zh else _BOTTOM),
        ]
    elif name == "set_clock":
        field = view.field
        # The field's name as the title: Year, Month, Day, Hour or Minute.
        title = _YEAR + ("year", "month", "day", "hour", "minute").index(field)
        value = ("%02d" if field == "hour" or field == "minute" else "%d") % view.value
        ok = _CLOCK_OK
        if zh:
            # The title and how to confirm share the top line.
            font.text(fb, title, _MARGIN, 0)
            font.text(fb, ok, _WIDTH - _MARGIN - font.width(ok), 0)
            shown = [title, ok, centred(fb, value, 18, 4), centred(fb, _CLOCK_KEYS, 48)]
        else:
            shown = [centred(fb, title, 0, 2), centred(fb, value, 17, 4), centred(fb, _CLOCK_KEYS, 47)]
            shown.append(centred(fb, ok, _BOTTOM))
    else:
        # A title in dark print on a lit bar across the top, small print, and what happens next.
        # The Chinese notice is three 16 px lines of its warning and the footer, no title;
        # a problem keeps its English small print (setting names are English) under a
        # Chinese title.
        if name == "notice":
            if zh:
                shown = _paragraph(fb, _NOT_FOR, 0, 3)
            else:
                fb.fill_rect(0, 0, _WIDTH, _LINE, 1)
                shown = [centred(fb, _TITLE, 1, 1, 0)]
                shown += _paragraph(fb, _HOW, 11, 2)
                shown += _paragraph(fb, _NOT_FOR, 30, 3)
            footer = _CONTINUE
        elif name == "error":
            fb.fill_rect(0, 0, _WIDTH, _WIDE_LINE if zh else _LINE, 1)
            shown = [centred(fb, _ERROR, 0 if zh else 1, 1, 0)]
            if view.problems:
                shown += _paragraph(fb, view.problems[0], 18 if zh else 10, 3 if zh else 5)
            footer = _RESTARTING
        else:
            # How many problems, the first, and the keys that fell back to their defaults (or
            # that all did: a file that could not be read). "KEY must ...; using DEFAULT" names
            # its key first, and any other it names has an underscore; "and 3 more problems"
            # stands for those not listed.
            problems = view.problems
            count = len(problems)
            keys = []
            footer = ""
            for p in problems:
                p = p[:_PROBLEM_READ]
                if p.startswith("and "):
                    count += int(p.split()[1]) - 1
                elif p.endswith("; using defaults"):
                    footer = _DEFAULTS
                elif "; using " in p:
                    # A loop, not a comprehension: its closure would cost every draw a cell.
                    named = p.split("; using ")[0].split()
                    for w in named:
                        if w is named[0] or ("_" in w and w.replace("_", "").isalpha()):
                            keys.append(w)
            fb.fill_rect(0, 0, _WIDTH, _WIDE_LINE if zh else _LINE, 1)
            title = _PROBLEM if count < 2 else word(_PROBLEMS_N) % count
            shown = [centred(fb, title, 0 if zh else 1, 1, 0)]
            if problems:
                fits = 2 if keys and zh else 3 if keys or zh else 5
                shown += _paragraph(fb, problems[0], 18 if zh else 10, fits)
            if keys and not footer:
                keys = ", ".join(keys)
                if zh:
                    shown.append(centred(fb, _FELL_BACK, 36))
                    shown += _paragraph(fb, keys, 53, 1)
                else:
                    shown += _paragraph(fb, word(_FELL_BACK) + " " + keys, 38, 3)
        if footer:
            shown.append(centred(fb, footer, 48 if zh else _BOTTOM))
    return shown
