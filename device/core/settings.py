# Device settings: defaults, per-key validation and merging of a partial file.
# Never raises on bad input, whatever the file holds: every rejected value falls
# back to its default and is described in a problem line the device shows and
# logs and the host prints. The device and the host (check-settings, config set)
# decide with this same parse().
import json

from core.clock import minutes_of_day
from core.compat import const
from core.tz import parse as parse_tz

# A settings file longer than this is refused unread: every key set takes under 1 KB.
MAX_BYTES = const(4096)
# Bounds that keep parsing linear and small on the board: nesting, a number's characters,
# the problems listed (the rest are counted in one more line), a value's shown length.
_MAX_DEPTH = const(8)
_MAX_NUMBER = const(12)
MAX_PROBLEMS = const(8)
_MAX_SHOWN = const(40)
# What the JSON checker expects next.
_VALUE = const(0)
_VALUE_OR_CLOSE = const(1)
_KEY = const(2)
_KEY_OR_CLOSE = const(3)
_COLON = const(4)
_NEXT = const(5)
_END = const(6)

DEFAULTS = {
    "active_start": "07:00",
    "active_end": "22:00",
    "utc_offset_minutes": 0,
    # A POSIX TZ rule (core/tz.py); "" leaves the zone to utc_offset_minutes.
    "tz": "",
    "session_minutes": 5,
    "cadence": "hold",
    "language": "en",
    "hold_seconds": 10,
    "move_seconds": 2,
    "pumps_per_minute": 20,
    "circles": False,
    "snooze_minutes": 10,
    "snooze_max": 3,
    "miss_minutes": 30,
    "reminder_minutes": 5,
    "pain_check": False,
    "ramp_start_minutes": 0,
    "ramp_step_minutes": 1,
    "volume": 2,
    "display_dim_seconds": 30,
    "display_off_seconds": 120,
}

# key -> (low, high) for whole numbers; the text keys are checked by name below.
RANGES = {
    "utc_offset_minutes": (-720, 840),
    "session_minutes": (1, 30),
    "hold_seconds": (3, 30),
    "move_seconds": (1, 5),
    "pumps_per_minute": (2, 40),
    "snooze_minutes": (1, 30),
    "snooze_max": (0, 5),
    # Under an hour, so one prompt's window never reaches the next prompt.
    "miss_minutes": (5, 55),
    "reminder_minutes": (0, 30),
    "ramp_start_minutes": (0, 30),
    "ramp_step_minutes": (1, 10),
    "volume": (0, 3),
    "display_dim_seconds": (5, 600),
    "display_off_seconds": (10, 3600),
}

# key -> its allowed values, for the keys that take one of a few words.
CHOICES = {
    "cadence": ("hold", "rhythmic"),
    # The screens' language: English or Simplified Chinese.
    "language": ("en", "zh"),
}
FLAGS = ("circles", "pain_check")
TIMES = ("active_start", "active_end")


def shown(value):
    """A value as a problem line shows it: JSON, cut short."""
    text = json.dumps(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 2] + ".."


def problem(key, value):
    """The message for a rejected value of a known key, or None if the value is usable."""
    if key in RANGES:
        low, high = RANGES[key]
        if type(value) is not int:
            return "%s must be a whole number, got %s" % (key, shown(value))
        if not low <= value <= high:
            return "%s must be %d to %d, got %d" % (key, low, high, value)
    elif key in FLAGS:
        if type(value) is not bool:
            return "%s must be true or false, got %s" % (key, shown(value))
    elif key in TIMES:
        if minutes_of_day(value) is None:
            return "%s must be a time HH:MM (24-hour), got %s" % (key, shown(value))
    elif key == "tz":
        zone = parse_tz(value) if value != "" else None
        if type(zone) is int:
            return (
                (
                    'tz must be a POSIX time zone rule such as "CET-1CEST,M3.5.0,M10.5.0/3"',
                    "tz's summer time must begin and end on days of the form Mm.w.d (Jn and n are not taken)",
                    'tz must give the rules of its summer time, as in "EST5EDT,M3.2.0,M11.1.0"',
                )[zone]
                + ", got "
                + shown(value)
            )
    elif key in CHOICES and value not in CHOICES[key]:
        return "%s must be %s, got %s" % (key, " or ".join(shown(c) for c in CHOICES[key]), shown(value))
    return None


def validate(raw):
    """Merge a settings dict over the defaults.

    Returns (settings, problems): a complete settings dict and a list of
    human-readable lines, one per rejected key.
    """
    settings = dict(DEFAULTS)
    problems = []
    if type(raw) is not dict:
        problems.append("settings must be a JSON object, got %s; using defaults" % shown(raw))
        return settings, problems
    for key in sorted(raw):
        value = raw[key]
        if key not in DEFAULTS:
            problems.append("unknown setting %s ignored" % shown(key))
            continue
        message = problem(key, value)
        if message:
            problems.append("%s; using %s" % (message, shown(DEFAULTS[key])))
        else:
            settings[key] = value
    if settings["display_off_seconds"] < settings["display_dim_seconds"]:
        problems.append(
            "display_off_seconds (%d) must not be less than display_dim_seconds (%d); using %d and %d"
            % (
                settings["display_off_seconds"],
                settings["display_dim_seconds"],
                DEFAULTS["display_off_seconds"],
                DEFAULTS["display_dim_seconds"],
            )
        )
        settings["display_off_seconds"] = DEFAULTS["display_off_seconds"]
        settings["display_dim_seconds"] = DEFAULTS["display_dim_seconds"]
    return settings, problems


def load(data):
    """settings.json's bytes (or text) -> (its JSON value, None), or (None, what is wrong
    with the file): anything but a small file of strict JSON. Nothing here raises."""
    if type(data) is str:
        data = data.encode()
    if len(data) > MAX_BYTES:
        return None, "the file is over %d bytes" % MAX_BYTES
    wrong = _strict(data)
    if wrong is None:
        try:
            return json.loads(data.decode()), None
        except Exception:  # the board out of memory: nothing _strict lets through fails otherwise
            wrong = "is not valid JSON"
    return None, "the file " + wrong


def parse(data):
    """settings.json's bytes (or text) -> (settings, problems); a file load() refuses gives
    the defaults and one problem. The problems are at most MAX_PROBLEMS lines, the last
    counting the rest: each is journaled."""
    raw, wrong = load(data)
    if wrong:
        return dict(DEFAULTS), [wrong + "; using defaults"]
    settings, problems = validate(raw)
    if len(problems) > MAX_PROBLEMS:
        problems[MAX_PROBLEMS - 1 :] = ["and %d more problems" % (len(problems) - MAX_PROBLEMS + 1)]
    return settings, problems


def _strict(data):
    """None if data is one JSON value as RFC 8259 has it, in UTF-8 as RFC 3629 has it,
    within the bounds above; else what is wrong with it ("is not valid JSON"). MicroPython's json takes trailing bytes,
    trailing commas, leading zeros and raw control characters that CPython's refuses, and
    its UTF-8 check passes surrogates and overlong forms: all checked here, so that both
    runtimes decide alike. One pass over the bytes (iterating bytes makes no objects),
    no recursion."""
    opened = bytearray(_MAX_DEPTH)
    depth = 0
    expect = _VALUE
    n = len(data)
    i = 0
    while True:
        while i < n and data[i] in b" \t\n\r":
            i += 1
        if i == n:
            return None if expect == _END else "is not valid JSON"
        c = data[i]
        value = False
        if expect == _END:
            break
        if expect == _COLON:
            if c != 58:  # :
                break
            expect = _VALUE
            i += 1
        elif expect == _NEXT:
            if c == 44:  # ,
                expect = _KEY if opened[depth - 1] == 123 else _VALUE
            elif c == opened[depth - 1] + 2:  # } after {, ] after [
                depth -= 1
                value = True
            else:
                break
            i += 1
        elif c == 34:  # "
            i += 1
            while i < n and data[i] != 34:
                b = data[i]
                if b < 32:
                    break
                if b == 92:  # \
                    i += 1
                    if i < n and data[i] == 117:  # \uXXXX
                        if n - i < 5 or not all(h in b"0123456789abcdefABCDEF" for h in data[i + 1 : i + 5]):
                            break
                        i += 4
                    elif i == n or data[i] not in b'"\\/bfnrt':
                        break
                elif b > 127:
                    # Continuation bytes after a lead byte, the second one's range narrowed as
                    # RFC 3629 has it (no overlong forms, no surrogates, nothing past U+10FFFF).
                    low = 128
                    high = 191
                    if 194 <= b <= 223:
                        more = 1
                    elif 224 <= b <= 239:
                        more = 2
                        if b == 224:
                            low = 160
                        elif b == 237:
                            high = 159
                    elif 240 <= b <= 244:
                        more = 3
                        if b == 240:
                            low = 144
                        elif b == 244:
                            high = 143
                    else:
                        return "is not UTF-8 text"
                    if n - i <= more or not low <= data[i + 1] <= high:
                        return "is not UTF-8 text"
                    for at in range(i + 2, i + more + 1):
                        if not 128 <= data[at] <= 191:
                            return "is not UTF-8 text"
                    i += more
                i += 1
            if i == n or data[i] != 34:
                break
            i += 1
            if expect in (_KEY, _KEY_OR_CLOSE):
                expect = _COLON
            else:
                value = True
        elif expect == _KEY:
            break
        elif (c == 125 and expect == _KEY_OR_CLOSE) or (c == 93 and expect == _VALUE_OR_CLOSE):
            depth -= 1
            value = True
            i += 1
        elif expect == _KEY_OR_CLOSE:
            break
        elif c == 123 or c == 91:  # { [
            if depth == _MAX_DEPTH:
                return "nests more than %d levels deep" % _MAX_DEPTH
            opened[depth] = c
            depth += 1
            expect = _KEY_OR_CLOSE if c == 123 else _VALUE_OR_CLOSE
            i += 1
        elif data[i : i + 4] == b"true" or data[i : i + 4] == b"null":
            i += 4
            value = True
        elif data[i : i + 5] == b"false":
            i += 5
            value = True
        else:
            # A number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
            start = i
            if c == 45:  # -
                i += 1
            digits = i
            while i < n and 48 <= data[i] <= 57:
                i += 1
            if i == digits or (data[digits] == 48 and i - digits > 1):
                break
            if i < n and data[i] == 46:  # .
                i += 1
                digits = i
                while i < n and 48 <= data[i] <= 57:
                    i += 1
                if i == digits:
                    break
            if i < n and data[i] in b"eE":
                i += 1
                if i < n and data[i] in b"+-":
                    i += 1
                digits = i
                while i < n and 48 <= data[i] <= 57:
                    i += 1
                if i == digits:
                    break
            if i - start > _MAX_NUMBER:
                return "has a number of more than %d characters" % _MAX_NUMBER
            value = True
        if value:
            expect = _NEXT if depth else _END
            # A value runs into nothing: "truex" and "1x" are not a value and a word.
            if i < n and data[i] not in b" \t\n\r,:]}":
                break
    return "is not valid JSON"
