# Power-on to the running coach, and what happens when it crashes. The settings
# are read and validated first, and only then are the coach and its shell
# (shell.py) loaded: the validator is needed only at boot, and gone by then.
import sys

from core.compat import const, print_exception
from flash import read_bytes

SETTINGS_FILE = "settings.json"
_ERROR_SHOW_MS = const(3000)

# The running (or last run) App, for the host's remote calls at the REPL.
CURRENT = None


def _read_settings():
    """settings.json, validated: (settings, problems, the file's CRC-32). Whatever the file
    holds, this does not raise; a file too long is not read past its limit. The host's
    `config set` restarts the coach, so this runs only at boot: the validator is loaded for
    it and let go."""
    import gc
    from binascii import crc32

    import core
    from core.settings import MAX_BYTES, parse

    data = read_bytes(SETTINGS_FILE, MAX_BYTES + 1)
    if data is None:
        data = b"{}"
    settings, problems = parse(data)
    del sys.modules["core.settings"]
    del core.settings
    # Its memory back now, in one piece, before the shell's modules are loaded around it.
    gc.collect()
    return settings, problems, crc32(data)


def run(board):
    """Run the coach on a board until interrupted (KeyboardInterrupt leaves to the REPL)."""
    global CURRENT
    app = None
    try:
        settings, problems, fingerprint = _read_settings()
        from shell import App

        app = CURRENT = App(board, settings, problems, fingerprint)
        app.run()
    except KeyboardInterrupt:
        # mpremote (or a person) wants the REPL: stop sound and IRQs. Nothing is half-written:
        # journal records are written with Ctrl-C held off.
        board.silence()
        board.deinit()
    except Exception as exc:
        print_exception(exc)
        if app is not None:
            app.fail(exc)
            waited = 0
            while waited < _ERROR_SHOW_MS:
                board.read_time(app.now)
                note = app.player.step(app.now.ms)
                step = 100 if note is None else min(note, 100)
                board.feed()
                board.wait(step)
                waited += step
        board.restart()
