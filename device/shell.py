# The app shell: the thin loop between a board and the coach. It reads the
# board's time and button, asks the coach, and carries out what it answers:
# draw the screen, play the sounds, append to the journal, feed the watchdog,
# then sleep until the next deadline or button edge. All time comes from the
# board, so a simulated board can run it faster than real time.
import json
import sys

from core.clock import EPOCH, EPOCH_DAYS
from core.coach import SESSION, Coach, Now
from core.compat import const, print_exception, ticks_add, ticks_diff
from core.gesture import GestureDecoder
from flash import read_bytes, write_atomic
from journal import Journal
from sounds import Player
from ui import screens

_STATE_FILE = "state.json"
# state.json holds a few numbers: more than this is not one.
_STATE_BYTES = const(256)
# A boot that runs this long without a crash ends a run of crashes (state.json's count).
_STABLE_MS = const(3_600_000)
# Of a run of crashes, the first sounds the error tone (a crash at every boot must not wake
# the patient all night) and the first few are journaled (nor push out unsynced history).
_CRASHES_JOURNALED = const(3)
# Contrast levels: full, and dimmed against OLED burn-in.
_BRIGHT = const(255)
_DIM = const(8)
# A display that does not answer is tried again this often; the coach goes on by sound.
_DISPLAY_RETRY_MS = const(60_000)
# While the gesture decoder waits for a hold or a second press.
_DECODER_POLL_MS = const(10)


def _parse_state(data):
    """state.json's bytes as a dict: empty when there are none, or whatever a stray write left."""
    try:
        state = json.loads(data)
    except Exception:  # none, or not JSON: the counts start again
        state = None
    return state if type(state) is dict else {}


def _save_state(state):
    try:
        write_atomic(_STATE_FILE, json.dumps(state))
    except OSError:
        # A full flash: the counts start again at the next boot, and the coach goes on
        # (the journal counts what it cannot keep, and the next sync says the flash is full).
        pass


def _crashes(state):
    n = state.get("crashes")
    return n if type(n) is int and n > 0 else 0


def count_crash():
    """One more crash in a row, in state.json; how many now."""
    state = _parse_state(read_bytes(_STATE_FILE, _STATE_BYTES))
    state["crashes"] = n = _crashes(state) + 1
    _save_state(state)
    return n


class App:
    def __init__(self, board, settings, zone, problems, fingerprint):
        """zone: the settings' time zone (core/tz.py); fingerprint: settings.json's CRC-32, its
        problems are journaled once for each version of the file, not at every boot."""
        self.board = board
        self.now = Now()
        board.read_time(self.now)
        data = read_bytes(_STATE_FILE, _STATE_BYTES)
        first_start = data is None
        state = _parse_state(data)
        self.crashes = _crashes(state)
        self._started_ms = self.now.ms
        boot = state.get("boots")
        # The journal's header holds the boot number in 16 bits.
        boot = (boot + 1) & 0xFFFF if type(boot) is int else 1
        # The first day of use, as a Unix day in state.json; the coach counts days from EPOCH.
        first_day = state.get("first_day")
        if type(first_day) is not int:
            first_day = None
        coach_day = None if first_day is None else first_day - EPOCH_DAYS
        # Today's and the last 7 days' counts, and the Unix time they were kept at.
        kept_t = state.get("t")
        kept = state.get("counts")
        # The coach's answers wait until the journal has its boot record.
        self.coach = coach = Coach(settings, zone, self.now, first_start, problems, coach_day, kept_t, kept)
        if first_day is None and self.now.clock_set:
            # Unknown until now: today, the local day the coach counts from.
            first_day = coach.first_day + EPOCH_DAYS
        seen = state.get("settings")
        state = {"boots": boot, "first_day": first_day, "settings": fingerprint, "crashes": self.crashes}
        state["t"] = kept_t
        state["counts"] = kept
        unlogged = problems and seen != fingerprint
        if unlogged:
            # Until they are in the journal, this version of the file counts as not seen.
            state["settings"] = seen
        _save_state(state)
        self._state = state
        self._changes = coach.changes
        # Opening the journal is needed once a boot: its module is let go once it is open.
        from journal_open import open_journal

        self.journal = journal = open_journal(Journal(boot))
        # Its function too: in a local, it would hold the whole module until this returns.
        del open_journal, sys.modules["journal_open"]
        self.log(("boot", boot))
        for problem in journal.problems:
            self.log(("error", problem))
        journal.report()
        if unlogged:
            for problem in problems:
                self.log(("settings_rejected", problem))
            state["settings"] = fingerprint
            _save_state(state)
        self.decoder = GestureDecoder(self.now.ms)
        self.player = Player(board, settings["volume"])
        if settings["language"] == "zh":
            from ui import wide  # noqa: F401  (loading it is what switches the screens)
        self._screen_off = False
        self._dim = None
        self._display_missing = False
        self._display_retry = self.now.ms
        if board.display_missing:
            self._lose_display()
        self._carry_out(self.coach)

    def log(self, record):
        # The simulator's board reports the record's bytes; the others take them for nothing.
        self.board.trace("log", self.journal.append(record, self.now))

    def _carry_out(self, out):
        # What the patient sees and hears first, then the journal: a cue or the answer to a
        # press does not wait for flash writes (each a few ms on the board).
        # One name for a sound and a record: with another, the call's frame would take more than
        # the 11 slots MicroPython puts on the stack, and come from the heap at every pass.
        for each in out.sounds:
            self.player.play(each, self.now.ms)
        if out.redraw:
            self._draw()
        for each in out.logs:
            self.log(each)
        if out.changes != self._changes:
            self._keep()
        if out.set_clock is not None:
            self.board.set_time(out.set_clock)

    def _keep(self):
        """Into state.json, what the coach must not forget at a reboot: the first day of use
        (fixed when the clock is first set), today's and the last 7 days' counts, and the time,
        the last known one. While the clock is not set the counts are no day's: what a boot with
        the clock kept stays, for the coach to take up once it is set."""
        coach = self.coach
        self._changes = coach.changes
        now = self.now
        if not now.clock_set:
            return
        state = self._state
        state["first_day"] = coach.first_day + EPOCH_DAYS
        state["t"] = now.t + EPOCH
        state["counts"] = coach.counts
        _save_state(state)

    def _lose_display(self):
        """The display stopped answering (or never did): journaled once, then tried again now
        and then. The cues and the journal go on without it."""
        if not self._display_missing:
            self._display_missing = True
            self.log(("error", "display: no answer on I2C"))
        self._display_retry = ticks_add(self.now.ms, _DISPLAY_RETRY_MS)

    def _draw(self):
        if self._display_missing:
            if ticks_diff(self.now.ms, self._display_retry) < 0:
                return
            try:
                self.board.display.init_display()
            except OSError:
                self._lose_display()
                return
            self._display_missing = False
            self._screen_off = False
            self._dim = None
        try:
            self._show()
        except OSError:
            self._lose_display()

    def _show(self):
        view = self.coach.view
        display = self.board.display
        if view.name == "off":
            if not self._screen_off:
                display.poweroff()
                self._screen_off = True
                self.board.trace("screen", view)
            return
        if self._screen_off:
            display.poweron()
            self._screen_off = False
        view.flash_full = self.journal.full
        if view.dim != self._dim:
            display.contrast(_DIM if view.dim else _BRIGHT)
            self._dim = view.dim
        # With its words only for a board that traces them (the simulator): on a board, drawing
        # a session's screen allocates nothing.
        words = screens.draw(display, view, self.board.trace_words)
        display.show()
        self.board.trace("screen", view, words)

    def step(self):
        """One pass of the loop; returns how long to sleep (ms)."""
        board = self.board
        now = self.now
        board.read_time(now)
        coach = self.coach
        for pressed, at in board.button_edges():
            gesture = self.decoder.feed(pressed, at)
            if gesture is not None:
                self._carry_out(coach.update(now, gesture))
        gesture = self.decoder.poll(now.ms)
        while gesture is not None:
            self._carry_out(coach.update(now, gesture))
            gesture = self.decoder.poll(now.ms)
        out = coach.update(now)
        self._carry_out(out)
        sleep = out.sleep_ms
        note = self.player.step(now.ms)
        if note is not None and note < sleep:
            sleep = note
        if (self.decoder.busy() or board.button_pressed()) and sleep > _DECODER_POLL_MS:
            sleep = _DECODER_POLL_MS
        if coach.state == SESSION and board.loop_ms and sleep > board.loop_ms:
            sleep = board.loop_ms
        return sleep

    def run(self):
        board = self.board
        # On the board's console: the host, having restarted the coach, waits for this line
        # before its next Ctrl-C, which would otherwise cut the bring-up short.
        board.say("coach up")
        while True:
            sleep = self.step()
            if self.crashes and ticks_diff(self.now.ms, self._started_ms) >= _STABLE_MS:
                # An hour without a crash: the run of crashes is over.
                self.crashes = self._state["crashes"] = 0
                _save_state(self._state)
            board.feed()
            board.wait(sleep)

    def fail(self, exc, crashes):
        """Record the crashes-th crash in a row, show it and sound the error; each step on its
        own, as the crash may have come from any of them (a display that stopped answering).
        The caller waits, then restarts the board."""
        self.board.silence()
        message = "%s: %s" % (type(exc).__name__, exc)
        if crashes <= _CRASHES_JOURNALED:
            try:
                self.log(("error", message[:120]))
            except Exception as again:  # a crash report must never crash the crash handler
                print_exception(again)
        view = self.coach.view
        view.name = "error"
        view.problems = (message,)
        try:
            self._draw()
        except Exception as again:
            print_exception(again)
        if crashes == 1:
            self.player.play("error", self.now.ms)
