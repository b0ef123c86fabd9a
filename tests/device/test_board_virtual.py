# The virtual board's clock as the firmware reads it: the ESP32's ticks_ms, counted from each
# boot and wrapping at 2**30 (board/virtual.py says where that comes from).
from board.virtual import VirtualBoard, esp32_ticks_add, esp32_ticks_diff
from core.coach import Now

WRAP = 1 << 30
DAY_MS = 86400000


def test_the_ticks_count_from_the_boot_and_wrap_at_2_30_while_the_wall_clock_goes_on():
    start = 1795000000000  # Unix ms at virtual time 0
    board = VirtualBoard(start_unix_ms=start, boot_ms=5000)
    now = Now()
    board.read_time(now)
    assert now.ms == 0
    t0 = now.t
    board.wait(WRAP - 1)
    board.read_time(now)
    assert now.ms == WRAP - 1
    board.wait(13 * DAY_MS - WRAP + 1)
    board.read_time(now)
    # 13 days into the boot: past the wrap, and the clock's seconds are the days' own.
    assert now.ms == 13 * DAY_MS - WRAP
    assert now.t - t0 == 13 * 86400
    assert now.frac_ms == 0


def test_button_edges_carry_the_ticks_of_their_time():
    press_at = 5000 + WRAP + 250  # virtual ms: just past the wrap of a boot at 5 s
    board = VirtualBoard(script=[(press_at, "press")], boot_ms=5000)
    board.wait(WRAP + 1000)  # a sleep ends at the next edge
    assert board.button_edges() == [(True, 250)]
    board.wait(1000)
    assert board.button_edges() == [(False, 400)]


def test_the_esp32s_arithmetic_across_the_wrap():
    assert esp32_ticks_add(WRAP - 100, 300) == 200
    assert esp32_ticks_add(100, -300) == WRAP - 200
    assert esp32_ticks_diff(200, WRAP - 100) == 300
    assert esp32_ticks_diff(WRAP - 100, 200) == -300
    # Past half the period a difference reads as negative: the ESP32's ticks_diff does the same.
    assert esp32_ticks_diff(WRAP >> 1, 0) == -(WRAP >> 1)
