# The app shell on the simulated board, in-process: crash handling, leaving to
# the REPL, the watchdog and the loop period. Runs under MicroPython (the board's
# display is a real framebuf).
import gc
import json
import os
import sys

import app
from board.config import WDT_MS
from board.sim import Board, Restart
from board.virtual import VirtualBoard, Watchdog, WatchdogReset
from fakes import with_modules
from flashdir import fresh, remove
from journal_read import read_records

START = 1795503540000  # 2026-11-24 06:59:00 UTC, in ms


class Flash:
    """A fresh folder as the board's flash, entered for the test and left after."""

    def __init__(self, name):
        self.home = os.getcwd()
        self.path = fresh(name)
        os.chdir(self.path)
        with open("state.json", "w") as f:
            f.write('{"boots": 0, "first_day": null}')

    def events(self):
        with open("events.jsonl") as f:
            return [json.loads(line) for line in f.read().splitlines()]

    def journal(self):
        records, bad = read_records()
        assert bad == 0
        return records

    def leave(self):
        os.chdir(self.home)
        remove(self.path)


class WatchedBoard(Board):
    """The simulated board, counting feeds and sleeps, with a fault to inject."""

    def __init__(self, script=(), fault_at=None, fault=None, for_ms=None):
        super().__init__(
            {
                "events": "events.jsonl",
                "speed": 0,
                "loop_ms": 20,
                "start_unix_ms": START,
                "script": script,
                "for_ms": for_ms,
            }
        )
        self.fault_at = fault_at
        self.fault = fault
        self.faulted_at = None
        self.feeds = 0
        self.sleeps = []
        self.deinited = False
        self.silenced = 0
        # As under board.sim.boot(): a restart ends this run of the app.
        self.running = True

    def button_edges(self):
        if self.fault_at is not None and self._ms >= self.fault_at:
            self.fault_at = None
            self.faulted_at = self._ms
            raise self.fault
        return super().button_edges()

    def feed(self):
        self.feeds += 1
        super().feed()

    def wait(self, ms):
        self.sleeps.append((self._ms, ms))
        super().wait(ms)

    def silence(self):
        self.silenced += 1

    def deinit(self, hold=False):
        self.deinited = "held" if hold else True


def test_a_crash_is_recorded_shown_and_restarts_the_board():
    flash = Flash("crash")
    try:
        board = WatchedBoard(fault_at=30000, fault=ValueError("boom"))
        restarted = False
        try:
            app.run(board)
        except Restart:
            restarted = True
        board.close()
        assert restarted
        journal = flash.journal()
        assert journal[-1]["event"] == "error"
        assert journal[-1]["message"] == "ValueError: boom"
        assert [r["seq"] for r in journal] == list(range(1, len(journal) + 1))
        with open("error.txt") as f:
            report = f.read()
        assert "ValueError: boom" in report and "button_edges" in report
        events = flash.events()
        screens = [e for e in events if e["kind"] == "screen"]
        assert screens[-1]["name"] == "error"
        assert "boom" in " ".join(screens[-1]["text"])
        # The idle loop's first wake after 30 s is at the next minute.
        crash = board.faulted_at
        assert crash == 60000
        tones = [(e["ms"], e["freq"]) for e in events if e["kind"] == "tone"]
        assert tones[:3] == [(crash, 1000), (crash + 120, 1480), (crash + 240, 1000)]
        assert len(tones) == 8
        # The error stays up for 3 s, the watchdog fed at least every 100 ms, before the restart.
        assert 3000 <= board._ms - crash < 3100
        assert board.feeds >= 30
    finally:
        flash.leave()


def boot_until_restart(board):
    try:
        app.run(board)
    except Restart:
        pass
    board.close()
    return board


def test_a_crash_at_every_boot_backs_off_sounds_once_and_journals_a_few():
    flash = Flash("crashloop")
    try:
        waits, tones = [], []
        for _ in range(10):
            board = boot_until_restart(WatchedBoard(fault_at=1000, fault=ValueError("boom")))
            waits.append((board._ms - board.faulted_at) // 1000)
            tones.append(len([e for e in flash.events() if e["kind"] == "tone"]))
        # The error screen's wait doubles with each crash in a row, up to ten minutes.
        assert waits == [3, 6, 12, 24, 48, 96, 192, 384, 600, 600]
        # Only the first crash of the run sounds: a loop at night must not wake the patient.
        assert tones == [8] + [0] * 9
        journal = flash.journal()
        assert [r["event"] for r in journal].count("boot") == 10
        assert [r["message"] for r in journal if r["event"] == "error"] == ["ValueError: boom"] * 3
        with open("state.json") as f:
            assert json.load(f)["crashes"] == 10
        # A boot that then runs an hour without a crash ends the run: the next crash is a first one.
        board = WatchedBoard(for_ms=3600000 + 60000)
        try:
            app.run(board)
        except SystemExit:
            pass
        board.close()
        with open("state.json") as f:
            assert json.load(f)["crashes"] == 0
        board = boot_until_restart(WatchedBoard(fault_at=1000, fault=ValueError("boom")))
        assert (board._ms - board.faulted_at) // 1000 == 3
    finally:
        flash.leave()


def test_a_crash_handler_that_fails_itself_still_restarts_the_board():
    """The crash came from the display (an I2C error from show()): drawing the error screen
    fails the same way, and the board still waits and restarts, silenced."""
    flash = Flash("crashdraw")
    try:
        board = WatchedBoard(fault_at=1000, fault=OSError(19))

        def broken_show():
            raise OSError(19)

        board.display.show = broken_show
        boot_until_restart(board)
        assert board.silenced >= 1
        # The crash, then the display found not answering as the error screen was drawn.
        assert [r["message"] for r in flash.journal() if r["event"] == "error"] == [
            "OSError: [Errno 19] ENODEV",
            "display: no answer on I2C",
        ]
    finally:
        flash.leave()


def test_keyboard_interrupt_in_the_error_wait_silences_and_leaves_to_the_repl():
    flash = Flash("interrupt_error")
    try:
        board = WatchedBoard(fault_at=1000, fault=ValueError("boom"))
        waits = []

        def wait(ms):
            waits.append(ms)
            if len(waits) == 5:
                raise KeyboardInterrupt
            VirtualBoard.wait(board, ms)

        board.wait = wait
        app.run(board)
        board.close()
        assert board.deinited is True and board.silenced >= 2
    finally:
        flash.leave()


def test_keyboard_interrupt_leaves_cleanly_to_the_repl():
    flash = Flash("interrupt")
    try:
        board = WatchedBoard(script=[(65000, "press")], fault_at=90000, fault=KeyboardInterrupt())
        app.run(board)
        board.close()
        assert board.deinited
        assert board.silenced >= 1
        journal = flash.journal()
        assert [r["event"] for r in journal] == ["boot", "prompt", "gesture", "session_start"]
        _assert_no_error_report()
    finally:
        flash.leave()


def _assert_no_error_report():
    """An interrupt is no fault: nothing is written to error.txt."""
    try:
        os.stat("error.txt")
    except OSError:
        return
    raise AssertionError("no error report is written for an interrupt")


class _Interrupted:
    """A module whose every name is a Ctrl-C: it lands while main.py loads the app."""

    def __getattr__(self, name):
        raise KeyboardInterrupt


class _Esp32:
    """board.esp32 as main.py takes it, building the given board."""

    def __init__(self, board):
        self.Board = lambda: board


def test_a_ctrl_c_while_main_py_loads_the_app_leaves_to_the_repl():
    if not hasattr(gc, "threshold"):
        return  # main.py sets MicroPython's collector
    flash = Flash("interrupt_load")
    threshold = gc.threshold()
    try:
        board = WatchedBoard()
        with_modules({"board.esp32": _Esp32(board), "app": _Interrupted(), "main": None}, lambda: __import__("main"))
        board.close()
        # Left to the REPL as app.run leaves it: the watchdog fed while the host calls, not held
        # for good, and no error report (an interrupt is no fault).
        assert board.deinited is True
        _assert_no_error_report()
    finally:
        gc.threshold(threshold)
        flash.leave()


def test_the_loop_feeds_the_watchdog_and_wakes_every_20_ms_in_a_session():
    flash = Flash("loop")
    try:
        board = WatchedBoard(script=[(65000, "press")], for_ms=7 * 60000)
        try:
            app.run(board)
        except SystemExit:
            pass
        board.close()
        assert board.feeds == len(board.sleeps)
        start = [e["ms"] for e in flash.events() if e["kind"] == "log" and e["record"]["event"] == "session_start"]
        end = [e["ms"] for e in flash.events() if e["kind"] == "log" and e["record"]["event"] == "session_end"]
        assert (start, end) == ([65550], [65550 + 300000])
        in_session = [ms for at, ms in board.sleeps if start[0] <= at < end[0]]
        assert len(in_session) > 300000 // 20
        assert max(in_session) == 20
        # Outside sessions the loop sleeps until its next deadline.
        assert max(ms for at, ms in board.sleeps if at >= end[0]) > 20
    finally:
        flash.leave()


def test_the_watchdog_fires_on_simulated_time_when_nothing_feeds_it():
    board = VirtualBoard()
    board.watchdog.start(8000, 0)
    board.feed()
    board.wait(3000)
    # A sleep with no feed before it ends at the deadline, and the watchdog fires there.
    try:
        board.wait(60000)
        raise AssertionError("the watchdog did not fire")
    except WatchdogReset:
        pass
    assert board._ms == 8000


def test_a_fed_loop_may_sleep_long_but_must_feed_after_waking():
    board = VirtualBoard()
    board.watchdog.start(8000, 0)
    board.feed()
    board.wait(3600000)
    # As the ESP32 board's waits of half the timeout each, fed by the loop between them.
    assert board._ms == 3600000
    try:
        board.wait(60000)
        raise AssertionError("the watchdog did not fire")
    except WatchdogReset:
        pass
    assert board._ms == 3604000


def test_the_watchdog_cannot_be_stopped_only_given_a_new_timeout():
    dog = Watchdog()
    dog.start(8000, 0)
    dog.start(2000, 1000)
    assert (dog.timeout, dog.deadline) == (2000, 3000)
    try:
        dog.start(0, 1000)
        raise AssertionError("a zero timeout was taken")
    except ValueError:
        pass
    assert (dog.timeout, dog.deadline) == (2000, 3000)
    assert not [name for name in dir(dog) if name in ("stop", "deinit")]
    board = VirtualBoard(watchdog=dog)
    board.deinit()
    try:
        board.wait(10000)
        raise AssertionError("deinit() stopped the watchdog")
    except WatchdogReset:
        pass
    assert board._ms == 3000


def test_the_simulated_board_starts_its_watchdog_and_a_soft_reset_hands_it_on():
    flash = Flash("watchdog")
    try:
        board = Board({"events": "events.jsonl", "speed": 0, "boot_ms": 5000})
        assert (board.watchdog.timeout, board.watchdog.deadline) == (WDT_MS, 5000 + WDT_MS)
        board.close()
        board = Board({"events": "events.jsonl", "speed": 0, "boot_ms": 9000, "watchdog": [WDT_MS, 12000]})
        assert (board.watchdog.timeout, board.watchdog.deadline) == (WDT_MS, 12000)
        board.close()
    finally:
        flash.leave()


def test_a_loop_that_stops_feeding_is_reset_by_the_watchdog():
    flash = Flash("hang")
    try:
        board = StarvingBoard(starve_from=30000)
        try:
            app.run(board)
            raise AssertionError("the app ran on unfed")
        except WatchdogReset:
            pass
        board.close()
        # The last feed at 30 s before the idle sleep to the next minute; then half a timeout.
        assert board._ms == 60000 + WDT_MS // 2
    finally:
        flash.leave()


class StarvingBoard(Board):
    """The simulated board whose loop stops feeding the watchdog at starve_from."""

    def __init__(self, starve_from):
        super().__init__({"events": "events.jsonl", "speed": 0, "loop_ms": 20, "start_unix_ms": START})
        self.starve_from = starve_from
        self.running = True

    def feed(self):
        if self._ms < self.starve_from:
            super().feed()


def _boot(for_ms=60000):
    """Power-on and a minute of the coach on the flash as it is; the board, closed."""
    board = WatchedBoard(for_ms=for_ms)
    try:
        app.run(board)
    except SystemExit:
        pass
    board.close()
    return board


def _write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def _rejected(flash):
    return [r["problem"] for r in flash.journal() if r["event"] == "settings_rejected"]


def test_any_settings_file_boots_on_the_defaults_with_one_problem():
    flash = Flash("settings")
    try:
        cases = (
            (b'{"volume": 3, "cadence": "\xff"}', "the file is not UTF-8 text"),
            (b"{" * 100000, "the file is over 4096 bytes"),
            (b'{"cadence": "' + b"x" * 200000 + b'"}', "the file is over 4096 bytes"),
            (b"[" * 2000 + b"]" * 2000, "the file nests more than 8 levels deep"),
            (b'{"volume": 1' + b"0" * 4000 + b"}", "the file has a number of more than 12 characters"),
            (b'{"volume": 1}\x00\x00', "the file is not valid JSON"),
        )
        for data, problem in cases:
            _write("settings.json", data)
            _boot()
            screens = [e for e in flash.events() if e["kind"] == "screen"]
            assert screens[0]["name"] == "problem", data[:20]
            assert screens[0]["text"][-1] == "Defaults in use"
            tones = [e for e in flash.events() if e["kind"] == "tone"]
            assert tones == [] or tones[0]["volume"] == 2
            assert _rejected(flash)[-1] == problem + "; using defaults"
        assert len(_rejected(flash)) == len(cases)
        assert [r["boot"] for r in flash.journal() if r["event"] == "boot"] == [1, 2, 3, 4, 5, 6]
    finally:
        flash.leave()


_ONCE_LOADED = ("core.settings", "core.tz", "journal_open", "ui.occasional")


class LoadWatchingBoard(WatchedBoard):
    """Notes, at each frame shown, which of the modules loaded for a moment are still loaded."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.still_loaded = []

    def frame(self, buf):
        self.still_loaded.append([name for name in _ONCE_LOADED if name in sys.modules])
        super().frame(buf)


def test_what_a_boot_or_a_seldom_screen_loads_is_let_go_before_the_screen_shows():
    # The settings validator, the zone's parser and the journal's opener are needed once a
    # boot, the seldom screens' module (a settings problem, here) for one drawing.
    flash = Flash("let_go")
    try:
        _write("settings.json", b'{"volume": 9}')
        board = LoadWatchingBoard(for_ms=60000)
        try:
            app.run(board)
        except SystemExit:
            pass
        board.close()
        names = [e["name"] for e in flash.events() if e["kind"] == "screen"]
        assert names[0] == "problem"
        assert board.still_loaded == [[]]
    finally:
        flash.leave()


def test_settings_problems_are_journaled_once_for_each_version_of_the_file():
    flash = Flash("once")
    try:
        many = b"{" + b",".join(b'"k%03d": 0' % i for i in range(400)) + b"}"
        _write("settings.json", many)
        _boot()
        _boot()
        assert _rejected(flash) == ['unknown setting "k%03d" ignored' % i for i in range(7)] + ["and 393 more problems"]
        # Shown at every boot all the same.
        assert next(e["name"] for e in flash.events() if e["kind"] == "screen") == "problem"
        _write("settings.json", b'{"volume": 9}')
        _boot()
        _boot()
        assert _rejected(flash)[8:] == ["volume must be 0 to 3, got 9; using 2"]
        _write("settings.json", many)
        _boot()
        assert len(_rejected(flash)) == 17
        assert [r["event"] for r in flash.journal()].count("boot") == 5
    finally:
        flash.leave()


def test_a_damaged_state_file_starts_the_counts_again():
    flash = Flash("state")
    try:
        for data in (b'{"boots": "\xff"}', b"[" * 300, b'{"boots": "7", "first_day": 1.5}', b"\x00", b"[1]"):
            _write("state.json", data)
            _boot()
            assert flash.journal()[-1]["event"] != "error"
            assert [r["boot"] for r in flash.journal() if r["event"] == "boot"][-1] == 1
        _write("state.json", b'{"boots": 65535, "first_day": 20416}')
        _boot()
        assert [r["boot"] for r in flash.journal() if r["event"] == "boot"][-1] == 0
        with open("state.json") as f:
            assert json.loads(f.read())["first_day"] == 20416
    finally:
        flash.leave()
