# Power-on to the running coach, and what happens when it crashes. The settings
# are read and validated first, and only then are the coach and its shell
# (shell.py) loaded: the validator is needed only at boot, and gone by then.
import sys

from core.compat import const, print_exception
from flash import read_bytes, write_atomic

SETTINGS_FILE = "settings.json"
ERROR_FILE = "error.txt"
# The error screen stays up this long after a first crash, and twice as long after each
# further one in a row (state.json counts them), up to _BACK_OFF_MAX_MS: a crash that comes
# back at every boot restarts the board a few times an hour, not every few seconds all night.
_ERROR_SHOW_MS = const(3000)
_BACK_OFF_MAX_MS = const(600_000)

# The running (or last run) App, for the host's remote calls at the REPL.
CURRENT = None


def _read_settings():
    """settings.json, validated: (settings, their time zone as core.clock.offset() reads it,
    problems, the file's CRC-32). Whatever the file holds, this does not raise; a file too long
    is not read past its limit. The host's `config set` restarts the coach, so this runs only
    at boot: the validator and the zone's parser are loaded for it and let go."""
    import gc
    from binascii import crc32

    import core
    from core.settings import MAX_BYTES, parse
    from core.tz import zone

    data = read_bytes(SETTINGS_FILE, MAX_BYTES + 1)
    if data is None:
        data = b"{}"
    settings, problems = parse(data)
    tz = zone(settings)
    # Every name of them goes: a function in a local still holds its whole module.
    del parse, zone, sys.modules["core.settings"], sys.modules["core.tz"]
    del core.settings, core.tz
    # Its memory back now, in one piece, before the shell's modules are loaded around it.
    gc.collect()
    return settings, tz, problems, crc32(data)


def _write_error(exc):
    """The traceback into error.txt, for the host (mpremote fs cat :error.txt); never raises."""
    try:
        import io

        buf = io.StringIO()
        print_exception(exc, buf)
        write_atomic(ERROR_FILE, buf.getvalue())
    except Exception:  # a full flash: the crash itself matters more
        pass


def leave_to_repl(board, hold=False):
    """Stop sound and IRQs, and the screen goes dark (a frame left on would burn in). The
    watchdog is kept fed while the host calls, or for good (hold)."""
    board.silence()
    try:
        board.display.poweroff()
    except Exception:  # no display answering: the REPL matters more
        pass
    board.deinit(hold)


def _back_off(board, app, crashes):
    """The error screen and tone for a while, the watchdog fed; longer after each crash in a row."""
    show = min(_ERROR_SHOW_MS << min(crashes - 1, 8), _BACK_OFF_MAX_MS)
    waited = 0
    while waited < show:
        step = 100
        if app is not None:
            try:
                board.read_time(app.now)
                note = app.player.step(app.now.ms)
                if note is not None and note < step:
                    step = note
            except Exception:  # the buzzer's own fault: wait on in silence
                board.silence()
                app = None
        board.feed()
        board.wait(step)
        waited += step


def run(board):
    """Run the coach on a board until interrupted (KeyboardInterrupt leaves to the REPL). A
    crash is recorded and shown, and the board restarts after a while; firmware that cannot
    load leaves the board at the REPL for the host, silent and dark, its watchdog held: a
    restart would only fail again."""
    global CURRENT
    app = None
    count_crash = None
    try:
        try:
            settings, tz, problems, fingerprint = _read_settings()
            from shell import App, count_crash

            app = CURRENT = App(board, settings, tz, problems, fingerprint)
            app.run()
        except KeyboardInterrupt:
            raise
        except Exception as exc:
            print_exception(exc)
            _write_error(exc)
            if count_crash is None:
                leave_to_repl(board, True)
                return
            crashes = count_crash()
            if app is not None:
                app.fail(exc, crashes)
            _back_off(board, app, crashes)
            board.restart()
    except KeyboardInterrupt:
        # mpremote (or a person) wants the REPL, or pressed Ctrl-C in the error's wait. Nothing
        # is half-written: journal records are written with Ctrl-C held off.
        leave_to_repl(board)
