# Device settings: defaults, per-key validation and merging of a partial file.
# Never raises on bad input: every rejected value falls back to its default and
# is described in a problem line the device shows once and the host prints.
import json

from core.clock import minutes_of_day

DEFAULTS = {
    "active_start": "07:00",
    "active_end": "22:00",
    "utc_offset_minutes": 0,
    "session_minutes": 5,
    "cadence": "hold",
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

CADENCES = ("hold", "rhythmic")
FLAGS = ("circles", "pain_check")
TIMES = ("active_start", "active_end")


def _shown(value):
    return json.dumps(value)


def problem(key, value):
    """The message for a rejected value of a known key, or None if the value is usable."""
    if key in RANGES:
        low, high = RANGES[key]
        if type(value) is not int:
            return "%s must be a whole number, got %s" % (key, _shown(value))
        if not low <= value <= high:
            return "%s must be %d to %d, got %d" % (key, low, high, value)
    elif key in FLAGS:
        if type(value) is not bool:
            return "%s must be true or false, got %s" % (key, _shown(value))
    elif key in TIMES:
        if minutes_of_day(value) is None:
            return "%s must be a time HH:MM (24-hour), got %s" % (key, _shown(value))
    elif key == "cadence" and value not in CADENCES:
        return "cadence must be %s, got %s" % (" or ".join(_shown(c) for c in CADENCES), _shown(value))
    return None


def validate(raw):
    """Merge a settings dict over the defaults.

    Returns (settings, problems): a complete settings dict and a list of
    human-readable lines, one per rejected key.
    """
    settings = dict(DEFAULTS)
    problems = []
    if type(raw) is not dict:
        problems.append("settings must be a JSON object, got %s; using defaults" % _shown(raw))
        return settings, problems
    for key in sorted(raw):
        value = raw[key]
        if key not in DEFAULTS:
            problems.append("unknown setting %s ignored" % _shown(key))
            continue
        message = problem(key, value)
        if message:
            problems.append("%s; using %s" % (message, _shown(DEFAULTS[key])))
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


def parse(text):
    """settings.json text -> (settings, problems); a corrupt file gives the defaults."""
    try:
        raw = json.loads(text)
    except (ValueError, TypeError):
        return dict(DEFAULTS), ["the file is not valid JSON; using defaults"]
    return validate(raw)
