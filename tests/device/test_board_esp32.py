# The ESP32 board on fake hardware (fakes.py): bring-up, the clock with and
# without a DS3231, the button ring behind the IRQ, wait(), the buzzer, and
# light sleep (its wake by the button, the pin given back after it, the DS3231's
# hourly say over the drifting clock).
import gc

import fakes
from core.clock import EPOCH, days_from_civil
from core.coach import Now
from rig import unix_from_local

BUTTON = 27


def read(board):
    now = Now()
    board.read_time(now)
    return now


def test_bring_up_matches_the_wiring():
    board, hw = fakes.board()
    assert hw.wdt.timeout == 8000
    button = hw.pins[BUTTON]
    assert (button.mode, button.pull) == (fakes.Pin.IN, fakes.Pin.PULL_UP)
    assert button.trigger == fakes.Pin.IRQ_RISING | fakes.Pin.IRQ_FALLING
    assert hw.pwm.pin.id == 25 and hw.pwm.duty == 0 and hw.pwm.running
    assert (hw.i2c.id, hw.i2c.sda.id, hw.i2c.scl.id, hw.i2c.freq) == (0, 21, 22, 400_000)
    assert hw.i2c.writes[0][0] == 0x3C  # the OLED's init
    assert (board.display.width, board.display.height) == (128, 64)
    assert board.loop_ms == 20


def test_without_a_display_answering_the_board_still_comes_up():
    def unplug(hw):
        del hw.devices[0x3C]

    board, hw = fakes.board(setup=unplug)
    assert board.display_missing
    # The rest of the board is up: the watchdog, the button's IRQ, the buzzer.
    assert hw.wdt.timeout == 8000 and hw.pins[BUTTON].handler is not None and hw.pwm.running
    assert fakes.board()[0].display_missing is False


def test_unix_time_from_rtc_fields_whatever_the_epoch():
    board, _ = fakes.board(rtc=(2026, 11, 24, 1, 9, 30, 5, 250999))
    now = read(board)
    assert now.clock_set
    # The clock counts from EPOCH (2020): Unix seconds are past the ESP32's small ints.
    assert now.t + EPOCH == unix_from_local(2026, 11, 24, 9, 30, 0) + 5 == 1795512605
    assert now.frac_ms == 250
    for fields, unix in (
        ((2025, 1, 1, 2, 0, 0, 0, 0), 1735689600),
        ((2038, 1, 19, 1, 3, 14, 7, 0), 2147483647),
        ((2100, 3, 1, 0, 23, 59, 59, 999999), days_from_civil(2100, 3, 1) * 86400 + 86399),
    ):
        board, _ = fakes.board(rtc=fields)
        now = read(board)
        assert now.t + EPOCH == unix, fields
    assert now.frac_ms == 999


def test_a_set_clock_goes_on_with_the_ticks_from_the_rtc_read_at_boot():
    board, hw = fakes.board(ticks=(1 << 30) - 2500, rtc=(2026, 11, 24, 1, 9, 30, 5, 250999))
    hw.rtc = (2000, 1, 1, 5, 0, 0, 0, 0)  # not read again
    hw.time.sleep_ms(2750)
    now = read(board)
    assert (now.clock_set, now.t + EPOCH, now.frac_ms) == (True, 1795512608, 0)
    for _ in range(20 * 24):
        hw.time.sleep_ms(3600 * 1000)
        board.read_time(now)
    assert (now.t + EPOCH, now.frac_ms) == (1795512608 + 20 * 86400, 0)


def test_without_a_set_clock_t_counts_seconds_from_boot():
    board, hw = fakes.board(ticks=(1 << 30) - 2500)  # ticks wrap 2.5 s in
    now = read(board)
    assert (now.clock_set, now.t, now.frac_ms) == (False, 0, 0)
    assert now.ms == (1 << 30) - 2500
    hw.time.sleep_ms(2750)
    board.read_time(now)
    assert (now.clock_set, now.t, now.frac_ms, now.ms) == (False, 2, 750, 250)
    # Days on, past many ticks wraps, read now and then as the loop does.
    for _ in range(20 * 24):
        hw.time.sleep_ms(3600 * 1000)
        board.read_time(now)
    assert (now.t, now.frac_ms) == (2 + 20 * 86400, 750)


def test_an_rtc_before_2025_without_a_ds3231_is_not_set():
    board, _ = fakes.board(rtc=(2024, 12, 31, 1, 23, 59, 59, 0))
    assert not read(board).clock_set
    board, _ = fakes.board(rtc=(2025, 1, 1, 2, 0, 0, 0, 0))
    assert read(board).clock_set


def test_a_good_ds3231_sets_the_rtc_at_boot():
    board, hw = fakes.board(ds3231=True, setup=lambda hw: hw.ds3231.keep(2026, 11, 24, 9, 30, 5))
    assert hw.rtc == (2026, 11, 24, 1, 9, 30, 5, 0)
    now = read(board)
    assert now.clock_set and now.t + EPOCH == 1795512605


def test_a_ds3231_that_lost_its_time_leaves_the_clock_unset_until_set():
    board, hw = fakes.board(ds3231=True)  # OSF set, RTC at 2000
    assert not read(board).clock_set
    assert hw.rtc[0] == 2000
    board.set_time(1795512605)
    assert hw.ds3231.regs[0x0F] & 0x80 == 0
    assert hw.ds3231.regs[0:7] == bytes((0x05, 0x30, 0x09, 0x02, 0x24, 0x11, 0x26))


def test_set_time_sets_the_rtc_and_the_clock():
    board, hw = fakes.board(ticks=5000)
    hw.time.sleep_ms(1234)
    assert read(board).t == 1
    board.set_time(1795512605)
    assert hw.rtc == (2026, 11, 24, 1, 9, 30, 5, 0)  # weekday 1: Tuesday, Monday = 0
    now = read(board)
    assert (now.clock_set, now.t + EPOCH, now.frac_ms) == (True, 1795512605, 0)
    assert all(addr != 0x68 for addr, _ in hw.i2c.writes)  # no DS3231 fitted


def test_edges_from_the_irq_come_out_in_order():
    board, hw = fakes.board(ticks=100)
    pin = hw.pins[BUTTON]
    assert not board.button_pressed()
    assert list(board.button_edges()) == []
    pin.drive(0)
    assert board.button_pressed()
    hw.time.sleep_ms(7)
    pin.drive(1)
    hw.time.sleep_ms(3)
    pin.drive(0)
    assert list(board.button_edges()) == [(True, 100), (False, 107), (True, 110)]
    assert list(board.button_edges()) == []


def test_a_lost_last_edge_is_made_good_from_the_level():
    board, hw = fakes.board(ticks=100)
    pin = hw.pins[BUTTON]
    pin.drive(0)
    hw.time.sleep_ms(40)
    pin.level = 1  # the release's IRQ never ran (the ESP32's schedule queue was full)
    assert list(board.button_edges()) == [(True, 100), (False, 140)]
    assert list(board.button_edges()) == []


def test_wait_sleeps_in_slices_and_returns_at_an_edge():
    board, hw = fakes.board()
    hw.time.after(35, lambda: hw.pins[BUTTON].drive(0))
    board.wait(1000)
    # 50 ms slices: the ESP32's sleep_ms busy-waits the last (part of a) 10 ms tick of each.
    assert hw.time.slept == [50]
    assert list(board.button_edges()) == [(True, 1050)]
    del hw.time.slept[:]
    board.wait(120)
    assert hw.time.slept == [50, 50, 20]
    del hw.time.slept[:]
    hw.pins[BUTTON].drive(1)
    board.wait(1000)
    board.wait(0)
    assert hw.time.slept == []


def test_wait_comes_back_in_time_to_feed_the_watchdog():
    board, hw = fakes.board()
    board.wait(60000)
    assert sum(hw.time.slept) == 4000
    board.feed()
    board.feed()
    assert hw.wdt.fed == 2


def test_volume_sets_the_duty():
    board, hw = fakes.board()
    duties = []
    for volume in (0, 1, 2, 3):
        board.tone(880, 100, volume)
        assert hw.pwm.hz == 880
        duties.append(hw.pwm.duty)
    assert duties[0] == 0
    assert duties[1] < duties[2] < duties[3] == 32768
    board.tone(440, 100, 9)
    assert (hw.pwm.hz, hw.pwm.duty) == (440, 32768)
    board.silence()
    assert hw.pwm.duty == 0 and hw.pwm.running


def test_id_restart_and_deinit():
    board, hw = fakes.board()
    assert board.device_id() == "240ac412abef"
    board.restart()
    assert hw.resets == 1
    board.deinit()
    assert hw.pins[BUTTON].handler is None
    assert not hw.pwm.running


def _allocated(function, times):
    gc.collect()
    gc.disable()
    try:
        before = gc.mem_alloc()
        for _ in range(times):
            function()
        return gc.mem_alloc() - before
    finally:
        gc.enable()


def test_the_irq_handler_allocates_nothing():
    if not hasattr(gc, "mem_alloc"):
        return  # CPython has no MicroPython heap to watch
    board, hw = fakes.board()
    pin = hw.pins[BUTTON]
    handler = pin.handler

    def bounce():
        pin.level ^= 1
        handler(pin)

    assert _allocated(bounce, 500) == 0
    assert len(list(board.button_edges())) == 32


def _passes_allocate(rtc):
    """Bytes that 500 loop passes' reads of the clock and the idle button allocate; the clock then."""
    board, hw = fakes.board(rtc=rtc)
    now = Now()

    def tick():
        hw.time.now += 7
        board.read_time(now)
        for _ in board.button_edges():
            raise AssertionError("an edge from nowhere")

    return _allocated(tick, 500), (now.t, now.frac_ms)


def test_reading_the_clock_and_an_idle_button_allocates_nothing():
    if not hasattr(gc, "mem_alloc"):
        return
    assert _passes_allocate((2000, 1, 1, 5, 0, 0, 0, 0)) == (0, (3, 500))
    assert _passes_allocate((2026, 11, 24, 1, 9, 30, 5, 0)) == (0, (1795512608 - EPOCH, 500))


def test_the_keepalive_timer_feeds_the_watchdog_only_while_the_loop_checks_in():
    board, hw = fakes.board()
    assert (hw.timer.period, hw.timer.mode) == (1000, fakes.Timer.PERIODIC)
    board.feed()
    fed = hw.wdt.fed
    hw.time.now += 7999
    hw.timer.fire()
    assert hw.wdt.fed == fed + 1
    # The loop has hung: after 8 s without a check-in the timer stops feeding, so the watchdog resets.
    hw.time.now += 1
    hw.timer.fire()
    assert hw.wdt.fed == fed + 1


def _keepalive_feeds(hw, seconds):
    """How many of the next `seconds` once-a-second keepalive ticks fed the watchdog."""
    fed = hw.wdt.fed
    for _ in range(seconds):
        hw.time.now += 1000
        hw.timer.fire()
    return hw.wdt.fed - fed


def test_at_the_repl_the_keepalive_feeds_the_watchdog_for_ten_minutes_after_the_last_call():
    board, hw = fakes.board()
    board.deinit()
    # The host calls for a while (each remote call feeds), then goes silent.
    assert _keepalive_feeds(hw, 300) == 300
    board.feed()
    assert _keepalive_feeds(hw, 599) == 599
    # Ten minutes after the last call the keepalive stops: the watchdog resets the board.
    assert _keepalive_feeds(hw, 5) == 0


def test_the_keepalive_allocates_nothing():
    if not hasattr(gc, "mem_alloc"):
        return  # CPython has no MicroPython heap to watch
    board, hw = fakes.board()
    board.feed()
    assert _allocated(hw.timer.fire, 500) == 0


# Light sleep (LIGHT_SLEEP = True in board/config.py, off as shipped).


def test_a_long_idle_wait_is_spent_in_light_sleep_woken_by_the_button():
    board, hw = fakes.board(light_sleep=True)
    button = hw.pins[BUTTON]
    # A press (the pin low) wakes the chip: the ext0 source, on the button's pin.
    assert hw.ext0 == (button, False)
    board.wait(3000)
    assert (hw.light_sleeps, hw.time.slept, hw.time.now) == ([3000], [], 4000)
    hw.time.after(700, lambda: button.drive(0))
    board.wait(2000)
    # Woken by the press 0.7 s in: its edge, which no IRQ saw on the RTC IO, is made good
    # from the level.
    assert (hw.light_sleeps[1:], hw.time.now) == ([700], 4700)
    assert list(board.button_edges()) == [(True, 4700)]


def test_after_each_light_sleep_the_button_is_a_gpio_again_with_its_irq():
    board, hw = fakes.board(light_sleep=True)
    button = hw.pins[BUTTON]
    for sleep in range(1, 4):
        board.wait(1000)
        assert len(hw.light_sleeps) == sleep
        # The pin is back on the GPIO matrix, not left on the RTC IO reading 0 (a phantom
        # hold, micropython#3835), and the IRQ is set up anew on it.
        assert not button.rtc_io and (button.mode, button.pull) == (fakes.Pin.IN, fakes.Pin.PULL_UP)
        assert (button.inits, button.irqs) == (sleep, sleep + 1)
        assert button.trigger == fakes.Pin.IRQ_FALLING | fakes.Pin.IRQ_RISING
        assert not board.button_pressed() and list(board.button_edges()) == []
    # A press after the wake is seen by the IRQ as it happens, timed to the ms.
    start = hw.time.now
    hw.time.sleep_ms(5)
    button.drive(0)
    hw.time.sleep_ms(80)
    button.drive(1)
    assert list(board.button_edges()) == [(True, start + 5), (False, start + 85)]


def test_no_light_sleep_while_a_tone_sounds_the_button_is_down_or_the_wait_is_short():
    board, hw = fakes.board(light_sleep=True)
    board.tone(1568, 120, 2)  # the PWM stops in light sleep
    board.wait(500)
    board.silence()
    board.wait(60)  # under LIGHT_SLEEP_MIN_MS
    hw.pins[BUTTON].drive(0)
    list(board.button_edges())
    board.wait(500)
    assert hw.light_sleeps == []
    assert hw.time.slept == [50] * 10 + [50, 10] + [50] * 10


def test_in_light_sleep_the_ds3231_sets_the_clock_right_every_hour():
    # Light sleep runs the ESP32's clock on its RC oscillator: here it loses 9 s in the hour.
    board, hw = fakes.board(ds3231=True, light_sleep=True, setup=lambda hw: hw.ds3231.keep(2026, 11, 24, 9, 0, 0))
    start = read(board).t + EPOCH
    assert start == unix_from_local(2026, 11, 24, 9, 0, 0)
    boot_reads = len(hw.i2c.reads)
    for _ in range(3599):
        board.wait(1000)
        board.read_time(Now())
    assert len(hw.i2c.reads) == boot_reads  # not read again within the hour
    hw.ds3231.keep(2026, 11, 24, 10, 0, 8)
    assert read(board).t + EPOCH == start + 3599
    board.wait(1000)
    # The hour is up: the DS3231 is read (status, then the time) and its time taken.
    assert read(board).t + EPOCH == unix_from_local(2026, 11, 24, 10, 0, 0) + 8
    assert hw.i2c.reads[boot_reads:] == [0x68, 0x68]
    # Within 2 s of it the clock is left as it runs: no stepping back and forth by a fraction.
    hw.ds3231.keep(2026, 11, 24, 11, 0, 9)
    hw.time.sleep_ms(3600 * 1000)
    assert read(board).t + EPOCH == unix_from_local(2026, 11, 24, 11, 0, 0) + 8
    assert len(hw.i2c.reads) == boot_reads + 4


def test_awake_as_shipped_the_ds3231_is_read_only_at_boot():
    board, hw = fakes.board(ds3231=True, setup=lambda hw: hw.ds3231.keep(2026, 11, 24, 9, 0, 0))
    boot_reads = len(hw.i2c.reads)
    hw.ds3231.keep(2026, 11, 24, 15, 0, 30)
    for _ in range(6):
        hw.time.sleep_ms(3600 * 1000)
        now = read(board)
    assert now.t + EPOCH == unix_from_local(2026, 11, 24, 15, 0, 0)
    assert len(hw.i2c.reads) == boot_reads
    assert hw.ext0 is None and hw.light_sleeps == []


def _interrupted_bring_ups(check, **options):
    """A Ctrl-C at each call bring-up makes to the hardware in turn (fakes.Hardware.step), until
    one past the last: check(hardware) after each that it stopped (at once: the board module
    runs on the latest fake clock); how many it stopped."""
    at = 1
    while True:
        try:
            fakes.board(interrupt_at=at, **options)
        except KeyboardInterrupt:
            check(fakes.HW)
            at += 1
            continue
        return at - 1


def _left_silent_dark_and_at_the_repl(hw):
    where = hw.interrupt_at
    # The buzzer never made, or its PWM stopped.
    assert hw.pwm is None or not hw.pwm.running, where
    # The OLED left asleep: never lit, or put to sleep again.
    assert not hw.devices[0x3C].lit, where
    button = hw.pins.get(BUTTON)
    assert button is None or button.handler is None, where
    # The watchdog fed as at the REPL (ten minutes after the host's last call), not let fire
    # 8 s on under the host's feet.
    assert _keepalive_feeds(hw, 599) == 599, where
    assert _keepalive_feeds(hw, 5) == 0, where


def test_a_ctrl_c_anywhere_in_bring_up_leaves_the_board_silent_dark_and_at_the_repl():
    # Every call bring-up makes: the pins, the PWM, the bus, the OLED's setup, the RTC...
    assert _interrupted_bring_ups(_left_silent_dark_and_at_the_repl) >= 12
    assert _interrupted_bring_ups(_left_silent_dark_and_at_the_repl, ds3231=True, light_sleep=True) >= 16
    # And uninterrupted, the board comes up lit, with its buzzer and button.
    _, hw = fakes.board()
    assert hw.devices[0x3C].lit and hw.pwm.running and hw.pins[BUTTON].handler is not None
