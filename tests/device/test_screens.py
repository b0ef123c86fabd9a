# The screens on the real framebuf, so MicroPython only (conftest leaves this
# file out on CPython). Each screen is compared pixel for pixel with a reviewed
# picture in screens/NAME.txt, 64 lines of 128 characters, '#' lit and '.' dark.
# `micropython tests/show_screens.py` prints them all; after a deliberate change,
# look at them and rewrite the pictures with `--write`.
import gc

import framebuf
from core import coach, plan
from core.coach import View
from rig import Rig
from ui import font, screens

WIDTH = 128
HEIGHT = 64
PICTURES = (__file__.rsplit("/", 1)[0] + "/" if "/" in __file__ else "") + "screens/"


def view(name, **fields):
    v = View()
    v.name = name
    for key in fields:
        setattr(v, key, fields[key])
    return v


def session(phase, count, rep=1, reps=13, left_s=281, name="session"):
    return view(name, phase=phase, count=count, rep=rep, reps=reps, left_s=left_s)


# Each problem counts; two values fell back to their defaults, the unknown key was ignored.
PROBLEMS = (
    "hold_seconds must be 3 to 30, got 40; using 10",
    'unknown setting "tone" ignored',
    "volume must be 0 to 3, got 7; using 2",
)
LONG_PROBLEM = (
    "display_off_seconds (5) must not be less than display_dim_seconds (30); using 120 and 30",
    "volume must be 0 to 3, got 7; using 2",
)

# (picture, view, the text it shows)
CASES = (
    ("session_ready", session("ready", 3, rep=0, left_s=300), ["GET READY", "3", "13 reps", "5:00 left"]),
    # The move has no count, the hold its own word and count: one instruction each.
    ("session_up_move", session("up_move", 0, left_s=291), ["TOES UP", "Rep 1/13", "4:51 left"]),
    ("session_up_hold", session("up_hold", 8), ["HOLD", "8", "Rep 1/13", "4:41 left"]),
    ("session_down_hold", session("down_hold", 10, rep=12, left_s=19), ["HOLD", "10", "Rep 12/13", "0:19 left"]),
    (
        "session_circles_one",
        session("circles_one", 15, rep=11, reps=11, left_s=30),
        ["CIRCLES", "15", "Rep 11/11", "0:30 left"],
    ),
    (
        "session_circles_other",
        session("circles_other", 9, rep=11, reps=11, left_s=9),
        ["CIRCLES", "9", "Rep 11/11", "0:09 left"],
    ),
    # A rhythmic pump is all move: no count.
    ("session_rhythmic", session("down_move", 0, rep=45, reps=99, left_s=160), ["TOES DOWN", "Rep 45/99", "2:40 left"]),
    # Three-digit reps: "Rep" gives way, "left" stays.
    ("session_many_reps", session("up_move", 0, rep=100, reps=149, left_s=98), ["TOES UP", "100/149", "1:38 left"]),
    (
        "paused",
        session("up_hold", 8, rep=3, left_s=200, name="paused"),
        ["PAUSED", "Press to resume", "Hold to stop", "Rep 3/13", "3:20 left"],
    ),
    (
        "idle",
        view(
            "idle", hour=10, minute=42, next_hour=11, done_today=3, expected_today=15, adherence=80, adherence_today=75
        ),
        ["10:42", "Next 11:00", "3/15 today", "7d 80%", "75%"],
    ),
    (
        "idle_flash_full",
        view("idle", hour=10, minute=42, next_hour=11, done_today=3, expected_today=15, adherence=80, flash_full=True),
        ["10:42", "Memory full", "please sync", "3/15 today", "7d 80%"],
    ),
    (
        "no_clock",
        view("no_clock", next_in_min=42, done_today=1),
        ["Clock not set", "sync, or hold 5 s", "Next in", "42 min", "1 today"],
    ),
    ("quiet", view("quiet", hour=23, minute=5), ["23:05"]),
    (
        "prompt",
        view("prompt", snooze_left_min=10),
        ["Ankle", "pumps", "Press to start", "Hold to snooze", "Twice: not now"],
    ),
    (
        "prompt_snoozed",
        view("prompt", snoozes=2, snooze_left_min=10),
        ["Ankle", "pumps", "Press to start", "Snoozed 2x", "Twice: not now"],
    ),
    (
        "prompt_no_snooze",
        view("prompt", snoozes=2),
        ["Ankle", "pumps", "Press to start", "No more snoozes", "Twice: not now"],
    ),
    ("snoozed", view("snoozed", snoozes=1, snooze_left_min=7), ["Snoozed", "Again in 7 min", "Press to start now"]),
    ("done", view("done", result="complete", done_today=4), ["Done", "4 today"]),
    ("done_partial", view("done", result="partial", done_today=3, rep=5), ["Stopped", "Reps 5"]),
    ("pain", view("pain", score=4), ["Pain 0-10", "4", "Press +1, hold saves"]),
    ("set_clock", view("set_clock", field="minute", value=5), ["Minute", "05", "Press +1, double -1", "Hold: OK"]),
    (
        "notice",
        view("notice"),
        [
            "ANKLE PUMPS",
            "Toes up, toes down,",
            "every hour.",
            "Not for ankle",
            "surgery, or a foot",
            "in a cast or splint.",
            "Press to continue",
        ],
    ),
    (
        "problem",
        view("problem", problems=("hold_seconds must be 3 to 30, got 40; using 10",)),
        ["Settings problem", "hold_seconds must", "be 3 to 30, got 40;", "using 10", "Default for", "hold_seconds"],
    ),
    (
        "problems",
        view("problem", problems=PROBLEMS),
        ["3 settings problems", "hold_seconds must", "be 3 to 30, got 40;", "using 10", "Default for"]
        + ["hold_seconds,", "volume"],
    ),
    (
        "problem_file",
        view("problem", problems=("the file is not valid JSON; using defaults",)),
        ["Settings problem", "the file is not valid", "JSON; using", "defaults", "Defaults in use"],
    ),
    (
        "error",
        view("error", problems=("MemoryError: memory allocation failed, allocating 1024 bytes",)),
        ["Error", "MemoryError:", "memory allocation", "failed, allocating", "1024 bytes", "Restarting"],
    ),
)

# The same screens in Chinese (with ui/wide.py loaded), pictures zh_NAME.txt: the text each shows.
ZH_TEXT = {
    "session_ready": ["准备", "3", "0/13", "5:00"],
    "session_up_move": ["勾脚", "1/13", "4:51"],
    "session_up_hold": ["保持", "8", "1/13", "4:41"],
    "session_down_hold": ["保持", "10", "12/13", "0:19"],
    "session_circles_one": ["绕圈", "15", "11/11", "0:30"],
    "session_circles_other": ["绕圈", "9", "11/11", "0:09"],
    "session_rhythmic": ["绷脚", "45/99", "2:40"],
    "session_many_reps": ["勾脚", "100/149", "1:38"],
    "paused": ["暂停", "按一下继续", "按住结束"],
    "idle": ["10:42", "下次11:00", "今天3/15", "7天80%", "75%"],
    "idle_flash_full": ["10:42", "存储已满请同步", "今天3/15", "7天80%"],
    "no_clock": ["时钟未设置", "接电脑或按住5秒", "42分钟后提醒", "今天1次"],
    "quiet": ["23:05"],
    "prompt": ["做踝泵", "按一下开始", "按住稍后", "双击这次不做"],
    "prompt_snoozed": ["做踝泵", "按一下开始", "已推迟2次", "双击这次不做"],
    "prompt_no_snooze": ["做踝泵", "按一下开始", "不能再推迟了", "双击这次不做"],
    "snoozed": ["已推迟", "7分钟后提醒", "按一下现在开始"],
    "done": ["做完了", "今天4次"],
    "done_partial": ["已停止", "做了5次"],
    "pain": ["疼痛0-10", "4", "按+1 按住保存"],
    "set_clock": ["分钟", "按住确定", "05", "按+1 双击-1"],
    "notice": ["踝关节手术后、", "石膏或夹板", "固定者不宜", "按一下继续"],
    "problem": ["设置有误", "hold_seconds must", "be 3 to 30, got 40;..", "以下改用默认值", "hold_seconds"],
    "problems": ["设置有3处错误", "hold_seconds must", "be 3 to 30, got 40;..", "以下改用默认值", "hold_seconds,.."],
    "problem_file": ["设置有误", "the file is not valid", "JSON; using", "defaults", "已用默认设置"],
    "error": ["出错了", "MemoryError:", "memory allocation", "failed, allocating..", "正在重启"],
}
CASES_ZH = tuple(("zh_" + name, v, ZH_TEXT[name]) for name, v, _ in CASES)


def chinese():
    """The screens in Chinese, as loading ui/wide.py makes them (again, after english())."""
    from ui import wide

    wide.speak()


def english():
    from ui import en

    font.WORDS = en.WORDS


def in_chinese(check):
    """Run check() with the screens in Chinese, and English again after."""
    chinese()
    try:
        check()
    finally:
        english()


# The largest values settings allow, and the longest words: nothing may run off the screen.
EXTREMES = (
    session("up_hold", 30, rep=1198, reps=1198, left_s=1800),
    session("down_hold", 30, rep=224, reps=224, left_s=1800, name="paused"),
    session("circles_other", 15, rep=1198, reps=1198, left_s=1800),
    view(
        "idle", hour=23, minute=58, next_hour=23, done_today=99, expected_today=24, adherence=100, adherence_today=100
    ),
    view("idle", hour=0, minute=0, next_hour=-1, done_today=0, expected_today=0, adherence=-1),
    view("no_clock", next_in_min=60, done_today=99),
    view("quiet", hour=20, minute=8),
    view("prompt", snoozes=5),
    view("done", result="complete", done_today=99),
    view("done", result="partial", done_today=99),
    view("pain", score=10),
    view("set_clock", field="year", value=2088),
    view("set_clock", field="month", value=12),
    view("set_clock", field="day", value=28),
    view("set_clock", field="hour", value=20),
    view("problem", problems=LONG_PROBLEM),
    view("error", problems=("W" * 90,)),
)


def new_screen():
    return framebuf.FrameBuffer(bytearray(WIDTH * HEIGHT // 8), WIDTH, HEIGHT, framebuf.MONO_VLSB)


def picture(fb):
    return "".join("".join("#" if fb.pixel(x, y) else "." for x in range(WIDTH)) + "\n" for y in range(HEIGHT))


def lit_rows(fb, x0, y0, x1, y1):
    """Rows from the first lit one to the last inside x0 <= x < x1, y0 <= y < y1."""
    rows = [y for y in range(y0, y1) if any(fb.pixel(x, y) for x in range(x0, x1))]
    return rows[-1] - rows[0] + 1 if rows else 0


class Checked(framebuf.FrameBuffer):
    """A screen that records every drawing call reaching past its edges."""

    def __init__(self):
        super().__init__(bytearray(WIDTH * HEIGHT // 8), WIDTH, HEIGHT, framebuf.MONO_VLSB)
        self.outside = []

    def _box(self, what, x0, y0, x1, y1):
        if x0 < 0 or y0 < 0 or x1 > WIDTH or y1 > HEIGHT:
            self.outside.append((what, x0, y0, x1, y1))

    def fill_rect(self, x, y, w, h, c):
        self._box("fill_rect", x, y, x + w, y + h)
        super().fill_rect(x, y, w, h, c)

    def rect(self, x, y, w, h, c, f=False):
        self._box("rect", x, y, x + w, y + h)
        super().rect(x, y, w, h, c, f)

    def ellipse(self, x, y, xr, yr, c, f=False):
        self._box("ellipse", x - xr, y - yr, x + xr + 1, y + yr + 1)
        super().ellipse(x, y, xr, yr, c, f)

    def poly(self, x, y, coords, c, f=False):
        xs = [coords[i] for i in range(0, len(coords), 2)]
        ys = [coords[i] for i in range(1, len(coords), 2)]
        self._box("poly", x + min(xs), y + min(ys), x + max(xs) + 1, y + max(ys) + 1)
        super().poly(x, y, coords, c, f)

    def blit(self, src, x, y, key=-1):
        # The font blits its 8x8 cell with key 0: only the cell's lit pixels land.
        lit = [(cx, cy) for cx in range(8) for cy in range(8) if src.pixel(cx, cy) != key]
        if lit:
            self._box(
                "blit",
                x + min(p[0] for p in lit),
                y + min(p[1] for p in lit),
                x + max(p[0] for p in lit) + 1,
                y + max(p[1] for p in lit) + 1,
            )
        super().blit(src, x, y, key)


def first_difference(got, want):
    got_rows = got.split("\n")
    want_rows = want.split("\n")
    for y in range(max(len(got_rows), len(want_rows))):
        g = got_rows[y] if y < len(got_rows) else ""
        w = want_rows[y] if y < len(want_rows) else ""
        if g != w:
            return "row %d\n got  %s\n want %s" % (y, g, w)
    return None


def check_pictures(cases):
    fb = new_screen()
    for name, v, text in cases:
        assert screens.draw(fb, v) == text, (name, screens.draw(fb, v))
        with open(PICTURES + name + ".txt") as f:
            want = f.read()
        got = picture(fb)
        assert got == want, "%s differs at %s" % (name, first_difference(got, want))


def test_every_screen_matches_its_reviewed_picture():
    check_pictures(CASES)


def test_every_screen_in_chinese_matches_its_reviewed_picture():
    in_chinese(lambda: check_pictures(CASES_ZH))
    # And back: English is drawn as before.
    assert screens.draw(new_screen(), CASES[0][1]) == CASES[0][2]


def test_every_chinese_character_has_its_glyph():
    from ui import wide, zh

    chinese()
    english()
    missing = [c for c in zh.WORDS if ord(c) > 0x7F and wide._find(ord(c)) < 0]
    assert missing == [], missing
    # Exactly those: the file holds no glyph the words do not use.
    used = set(c for c in zh.WORDS if ord(c) > 0x7F)
    assert wide._count == len(used), (wide._count, len(used))
    assert wide._find(ord("A")) == -1 and wide._find(0x9F99) == -1


def test_a_chinese_line_is_16_pixels_and_the_big_print_32():
    def check():
        fb = new_screen()
        screens.draw(fb, session("up_move", 2))
        # The instruction, between the arrows.
        assert lit_rows(fb, 30, 0, 98, 33) == 32
        screens.draw(fb, view("snoozed", snooze_left_min=7))
        assert lit_rows(fb, 0, 0, WIDTH, 32) == 32
        assert lit_rows(fb, 0, 32, WIDTH, 48) >= 15
        # A glyph drawn big is the small one doubled.
        small = new_screen()
        font.text(small, "勾".encode(), 0, 0)
        big = new_screen()
        font.text(big, "勾".encode(), 0, 0, 2)
        for y in range(32):
            for x in range(32):
                assert big.pixel(x, y) == small.pixel(x // 2, y // 2), (x, y)
        assert font.width("勾脚".encode()) == 32 and font.width("勾脚".encode(), 3) == 64
        # Letters stand as tall as the characters, a row lower: a 7-row capital twice as tall.
        fb.fill(0)
        font.text(fb, b"H", 0, 0)
        assert lit_rows(fb, 0, 0, WIDTH, HEIGHT) == 14 and fb.pixel(0, 1) and not fb.pixel(0, 0)
        assert font.width(b"H") == font.width("H")
        assert font.width("今天9".encode()) == 32 + font.width("9")
        assert font.width("今天9".encode(), 2) == 64 + font.width("9", 2)

    in_chinese(check)


def test_every_screen_and_phase_of_the_coach_has_a_picture():
    names = set(v.name for _, v, _ in CASES)
    # Every screen name core/coach.py puts in its view (its private constants, folded away on
    # the board), and the app's crash screen.
    for name in (
        "notice",
        "problem",
        "idle",
        "prompt",
        "snoozed",
        "session",
        "done",
        "pain",
        "set_clock",
        "quiet",
        "no_clock",
        "paused",
        "error",
    ):
        assert name in names, name
    phases = set(v.phase for _, v, _ in CASES if v.name == coach.SESSION)
    for phase in (plan.READY, plan.UP_MOVE, plan.UP_HOLD, plan.DOWN_HOLD, plan.CIRCLES_ONE, plan.CIRCLES_OTHER):
        assert phase in phases, phase


def test_the_down_move_says_toes_down_and_its_hold_says_hold_by_the_same_down_arrows():
    fb = new_screen()
    assert screens.draw(fb, session("down_move", 0, rep=4, left_s=215)) == ["TOES DOWN", "Rep 4/13", "3:35 left"]
    moving = picture(fb).split("\n")
    assert screens.draw(fb, session("down_hold", 2, rep=4, left_s=215)) == ["HOLD", "2", "Rep 4/13", "3:35 left"]
    holding = picture(fb).split("\n")
    # Between the instruction and the bottom line, the arrows at the sides are the same.
    assert [row[:32] + row[96:] for row in moving[21:56]] == [row[:32] + row[96:] for row in holding[21:56]]


def test_off_and_unknown_screens_are_blank():
    fb = new_screen()
    for name in ("off", None, "no_such_screen"):
        screens.draw(fb, CASES[2][1])
        assert screens.draw(fb, view(name)) == []
        assert picture(fb) == ("." * WIDTH + "\n") * HEIGHT


def test_the_instruction_is_at_least_16_pixels_tall():
    fb = new_screen()
    for phase in ("ready", "up_move", "up_hold", "down_move", "down_hold", "circles_one", "circles_other"):
        screens.draw(fb, session(phase, 8))
        assert lit_rows(fb, 0, 0, WIDTH, 22) >= 16, phase


def test_the_countdown_digits_are_at_least_24_pixels_tall():
    fb = new_screen()
    for phase in ("ready", "up_move", "up_hold", "down_move", "down_hold", "circles_one", "circles_other"):
        for count in (1, 8, 10, 30):
            screens.draw(fb, session(phase, count))
            # Between the pictures, below the instruction, above the rep line.
            assert lit_rows(fb, 30, 22, 98, 55) >= 24, (phase, count)


def test_the_clock_is_big_by_day_and_bigger_at_night():
    fb = new_screen()
    screens.draw(fb, CASES[7][1])
    assert lit_rows(fb, 0, 0, WIDTH, 30) >= 24
    screens.draw(fb, view("quiet", hour=3, minute=14))
    assert lit_rows(fb, 0, 0, WIDTH, HEIGHT) >= 40


def test_nothing_is_drawn_off_the_screen():
    def check():
        for v in [c[1] for c in CASES] + list(EXTREMES):
            fb = Checked()
            screens.draw(fb, v)
            assert fb.outside == [], (v.name, fb.outside)

    check()
    in_chinese(check)


def lit_box(fb):
    """(x0, y0, x1, y1) around the lit pixels, None if none is lit."""
    xs = []
    ys = []
    for y in range(HEIGHT):
        for x in range(WIDTH):
            if fb.pixel(x, y):
                xs.append(x)
                ys.append(y)
    return (min(xs), min(ys), max(xs) + 1, max(ys) + 1) if xs else None


def text_boxes(v):
    """Each piece of text the screen for v draws, with the box of its lit pixels."""
    boxes = []
    real = font.text
    inside = []

    def recording(fb, s, x, y, scale=1, color=1, yscale=0):
        # Chinese text draws its letters with font.text: those are part of the piece. With fb
        # None font.text only measures (font.width).
        if inside or fb is None:
            return real(fb, s, x, y, scale, color, yscale)
        inside.append(s)
        try:
            alone = new_screen()
            real(alone, s, x, y, scale, 1, yscale)
            box = lit_box(alone)
            if box:
                boxes.append((s, box))
            return real(fb, s, x, y, scale, color, yscale)
        finally:
            inside.pop()

    font.text = recording
    try:
        screens.draw(new_screen(), v)
    finally:
        font.text = real
    return boxes


def test_every_word_of_every_screen_fits_its_place_in_both_languages():
    # On the display, and clear of every other piece of text on the screen: the longest words
    # and the largest numbers included.
    def check(language):
        for v in [c[1] for c in CASES] + list(EXTREMES):
            boxes = text_boxes(v)
            for i in range(len(boxes)):
                s, (x0, y0, x1, y1) = boxes[i]
                assert x0 >= 0 and x1 <= WIDTH and y0 >= 0 and y1 <= HEIGHT, (language, v.name, s, boxes[i])
                for t, (a0, b0, a1, b1) in boxes[i + 1 :]:
                    apart = a0 >= x1 or a1 <= x0 or b0 >= y1 or b1 <= y0
                    assert apart, (language, v.name, s, t)

    check("en")
    in_chinese(lambda: check("zh"))


def test_very_long_sessions_drop_the_word_rep_then_left_to_fit():
    assert screens.draw(new_screen(), EXTREMES[0]) == ["HOLD", "30", "1198/1198", "30:00"]
    assert screens.draw(new_screen(), session("up_hold", 9, rep=224, reps=224, left_s=1800)) == [
        "HOLD",
        "9",
        "224/224",
        "30:00 left",
    ]


def test_a_long_message_is_wrapped_and_cut_to_fit():
    text = screens.draw(new_screen(), view("problem", problems=LONG_PROBLEM))
    assert text == [
        "2 settings problems",
        "display_off_",
        "seconds (5) must",
        "not be less than..",
        "Default for",
        "display_off_",
        "seconds,..",
    ]
    text = screens.draw(new_screen(), view("error", problems=("W" * 90,)))
    assert text[0] == "Error" and text[-1] == "Restarting"
    assert text[1:-1] == ["W" * 15] * 4 + ["W" * 14 + ".."], text
    for line in text:
        assert font.width(line) <= WIDTH - 4, line


def test_an_error_without_a_message_still_says_what_happens():
    assert screens.draw(new_screen(), view("error")) == ["Error", "Restarting"]


def test_the_screens_show_what_the_coach_puts_in_its_view():
    fb = new_screen()
    rig = Rig()
    rig.run("07:00:12", [("07:00:05", "press")])
    text = screens.draw(fb, rig.coach.view)
    assert text == ["HOLD", "8", "Rep 1/13", "4:53 left"], text
    rig = Rig()
    rig.run("10:42:00", [("10:41:50", "press")])  # wakes the display
    text = screens.draw(fb, rig.coach.view)
    # Prompted 7 to 10, all missed, and 11 to 21 to come.
    assert text == ["10:42", "Next 11:00", "0/15 today", "7d 0%", "0%"], text


def test_a_session_redraw_without_its_words_allocates_nothing():
    # It runs once a second for the whole session: its numbers are drawn digit by digit, and
    # its Chinese words are bytes, their glyphs read into one buffer.
    def check():
        fb = new_screen()
        for v in [c[1] for c in CASES] + list(EXTREMES):
            if v.name not in (coach.SESSION, "paused"):
                continue
            screens.draw(fb, v, False)
            gc.collect()
            gc.disable()
            try:
                before = gc.mem_alloc()
                screens.draw(fb, v, False)
                used = gc.mem_alloc() - before
            finally:
                gc.enable()
            assert used == 0, (v.name, v.phase, v.rep, v.left_s, used)

    check()
    in_chinese(check)


def test_every_screen_draws_the_same_with_or_without_its_words():
    def check():
        with_words = new_screen()
        without = new_screen()
        for v in [c[1] for c in CASES] + list(EXTREMES):
            assert screens.draw(without, v, False) is None
            screens.draw(with_words, v)
            assert picture(without) == picture(with_words), (v.name, v.phase)

    check()
    in_chinese(check)


# the font


def glyph_box(fb):
    xs = [x for x in range(WIDTH) for y in range(HEIGHT) if fb.pixel(x, y)]
    return min(xs), max(xs) + 1


def test_a_number_is_drawn_and_measured_as_its_string():
    by_digit = new_screen()
    by_string = new_screen()
    for n, digits in ((0, 1), (7, 2), (10, 1), (59, 2), (305, 1), (1198, 1), (30, 4)):
        s = ("%0" + str(digits) + "d") % n
        for scale in (1, 4):
            assert font.number_width(n, scale, digits) == font.width(s, scale), (n, digits, scale)
            by_digit.fill(0)
            by_string.fill(0)
            after = font.number(by_digit, n, 3, 2, scale, digits)
            assert after == font.text(by_string, s, 3, 2, scale), (n, digits, scale)
            assert picture(by_digit) == picture(by_string), (n, digits, scale)


def test_width_is_the_drawn_extent_at_every_scale():
    fb = new_screen()
    for s in ("TOES DOWN", "4:32 left", "Wi1", ":", "M", "10"):
        for scale in (1, 2, 3):
            if font.width(s, scale) > WIDTH - 4:
                continue
            fb.fill(0)
            font.text(fb, s, 2, 0, scale)
            left, right = glyph_box(fb)
            assert left == 2 and right - left == font.width(s, scale), (s, scale)


def test_a_scaled_glyph_is_the_small_one_blown_up():
    small = new_screen()
    font.text(small, "Ag5:", 0, 0)
    big = new_screen()
    font.text(big, "Ag5:", 0, 0, 3, 1, 2)
    for y in range(16):
        for x in range(WIDTH):
            assert big.pixel(x, y) == small.pixel(x // 3, y // 2), (x, y)


def test_dark_text_on_a_lit_background_is_the_negative_of_lit_text():
    for scale in (1, 2):
        lit = new_screen()
        font.text(lit, "OK 42", 3, 1, scale)
        dark = new_screen()
        dark.fill(1)
        font.text(dark, "OK 42", 3, 1, scale, 0)
        assert picture(dark) == picture(lit).replace("#", "x").replace(".", "#").replace("x", "."), scale


def test_spaces_and_empty_text():
    assert font.width("") == 0
    assert font.width(" ", 2) == 6
    assert font.width("a b") == font.width("a") + font.width("b") + 3 + 2


def test_breaking_a_long_message_costs_what_a_short_one_does():
    # Characters measured for a problem of one long word, or of many: the same whatever the
    # length past what fits (a word of 800 had taken minutes to break on the board).
    measured = [0]
    width = font.width

    def counting(s, scale=1):
        # A word of the language's table is given by its number.
        measured[0] += len(font.word(s) if type(s) is int else s)
        return width(s, scale)

    screens.font.width = counting
    try:
        costs = []
        for text in ("x" * 800, "x" * 200000, "ab " * 100000, "a_" * 50000):
            measured[0] = 0
            shown = screens.draw(new_screen(), view("problem", problems=(text,)))
            assert len(shown) == 6 and shown[-1].endswith(".."), shown
            costs.append(measured[0])
    finally:
        screens.font.width = width
    assert costs[0] == costs[1], costs
    assert max(costs) < 20000, costs
