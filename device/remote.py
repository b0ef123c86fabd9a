# What the host (anklepump sync, config, time) calls over the REPL, once it has
# interrupted the coach: one JSON or base64 answer a line on stdout.
import json
from binascii import b2a_base64, hexlify

import app
from core.clock import unix
from core.journal_codec import SIZE, VERSION
from flash import read_bytes, write_atomic
from journal import FORMAT, IDENTITY

# Records a base64 line carries: 512 bytes, a size the raw REPL passes comfortably.
_PER_LINE = 16


def _current():
    """The App the calls work on. Each call is the host's sign of life: the board's watchdog
    is kept fed at the REPL for another while (board/config.py REPL_HOLD_MS)."""
    if app.CURRENT is None:
        try:
            import supervisor  # noqa: F401 (CircuitPython, found by feature as in core/compat.py)
        except ImportError:
            raise RuntimeError("the coach has not started on this board") from None
        app.CURRENT = _Stopped()
    app.CURRENT.board.feed()
    return app.CURRENT


class _Stopped:
    """CircuitPython starts its REPL in a new VM: the interrupted coach is gone with all its
    objects. The calls then work on what it left on flash (its journal, state and settings) and
    on the board's clock, as the App would (the attributes below are those they use)."""

    def __init__(self):
        from circuitpython.hardware import Clock
        from core.coach import Now
        from core.settings import MAX_BYTES, parse
        from journal import Journal
        from journal_open import open_journal

        self.board = Clock()
        self.now = Now()
        self.board.read_time(self.now)
        try:
            boot = json.loads(read_bytes("state.json", 256) or "{}").get("boots", 0)
        except (ValueError, AttributeError):
            boot = 0
        self.journal = open_journal(Journal(boot))
        self.settings = parse(read_bytes(app.SETTINGS_FILE, MAX_BYTES + 1) or b"{}")[0]
        # now() reads the settings as the App's coach holds them.
        self.coach = self

    def log(self, record):
        self.journal.append(record, self.now)


def info():
    """The device and its journal, as one JSON line."""
    coach = _current()
    journal = coach.journal
    now = coach.now
    coach.board.read_time(now)
    identity = read_bytes(journal.folder + "/" + IDENTITY, 64)
    try:
        identity = identity.decode()
    except AttributeError:  # none: a journal begun before journals had an identity
        pass
    except UnicodeError:  # damaged: still the same identity, as hex
        identity = hexlify(identity).decode()
    print(
        json.dumps(
            {
                "id": coach.board.device_id(),
                "journal": identity,
                "format": FORMAT,
                "version": VERSION,
                "first": journal.segments[0] if journal.segments else journal.seq,
                "next": journal.seq,
                "ack": journal.ack,
                "full": journal.full,
                "lost": journal.lost,
                "boot": journal.boot,
                "clock_set": now.clock_set,
                "t": unix(now.t, now.clock_set),
            }
        )
    )


def read(after):
    """Every record after seq `after`, as base64 lines of raw records, then one JSON line."""
    from journal_read import raw_after

    coach = _current()
    for chunk in raw_after(coach.journal, after):
        for i in range(0, len(chunk), SIZE * _PER_LINE):
            print(b2a_base64(chunk[i : i + SIZE * _PER_LINE]).decode().strip())
            # A moment for the board between lines: the simulator notices a Ctrl-C here,
            # as the ESP32's UART does at once.
            coach.board.wait(0)
    # Last, the records left out for a CRC that failed: the host counts them.
    print(json.dumps({"damaged": coach.journal.damaged}))


def ack(seq):
    journal = _current().journal
    journal.acknowledge(seq)
    print(journal.ack)


def set_time(t):
    """Set the clock to Unix seconds t; the journal records what it read before."""
    coach = _current()
    now = coach.now
    coach.board.read_time(now)
    was, was_set = unix(now.t, now.clock_set), now.clock_set
    coach.board.set_time(t)
    coach.board.read_time(now)
    coach.log(("clock_set", was, was_set))
    print(json.dumps({"was": was, "was_set": was_set, "t": unix(now.t, now.clock_set)}))


def restart():
    """Start the coach again. With the clock not set, the journal notes the moment first: the
    next boot's first record follows at once, and its time, once known, is this one's too
    (records of a boot without a clock are timed only by its uptime)."""
    coach = _current()
    coach.board.read_time(coach.now)
    if not coach.now.clock_set:
        coach.log(("restart",))
    coach.board.restart()


def now():
    """The clock as the board reads it, and the zone the coach uses: its tz rule, or where that
    is "" the UTC offset."""
    coach = _current()
    reading = coach.now
    coach.board.read_time(reading)
    print(
        json.dumps(
            {
                "t": unix(reading.t, reading.clock_set),
                "frac_ms": reading.frac_ms,
                "clock_set": reading.clock_set,
                "utc_offset_minutes": coach.coach.settings["utc_offset_minutes"],
                "tz": coach.coach.settings["tz"],
            }
        )
    )


def settings():
    """settings.json as stored, base64 (null if there is none), for the host to check with
    the device's own parser, show and merge: bytes, as a file that is not UTF-8 is one too.
    One byte past the parser's limit at most: enough to say it is too long."""
    from core.settings import MAX_BYTES

    data = read_bytes(app.SETTINGS_FILE, MAX_BYTES + 1)
    print(json.dumps({"base64": None if data is None else b2a_base64(data).decode().strip()}))


def write_settings(text, keys):
    """Replace settings.json (the host has validated it) and log each key that changed.
    The coach takes them up when it restarts."""
    write_atomic(app.SETTINGS_FILE, text)
    coach = _current()
    coach.board.read_time(coach.now)
    for key in keys:
        coach.log(("settings_changed", key))
    print(json.dumps({"written": len(text)}))
