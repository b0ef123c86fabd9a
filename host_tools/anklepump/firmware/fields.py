"""Every setting the device reads, with its default, its range and what it does: the web app's
settings form and `config set --help` list them."""

import json

from . import load_core

# One line a setting, as the caregiver reads it.
EXPLAIN = {
    "active_start": "the first hourly prompt of the day",
    "active_end": "prompts stop at this time (equal to the start: all day; may pass midnight)",
    "utc_offset_minutes": "the device's time zone where tz is empty: minutes east of UTC (60 for UTC+01:00), all year",
    "tz": "the device's time zone with its summer time, as a POSIX rule; sync and time set set it from the computer's",
    "session_minutes": "how long one session lasts",
    "cadence": "hold: hold each position; rhythmic: pump up and down at a steady rate",
    "language": "the screens' words: English or Simplified Chinese",
    "hold_seconds": "how long toes are held up, and held down (hold cadence)",
    "move_seconds": "the time to move between up and down",
    "pumps_per_minute": "pumps a minute in the rhythmic cadence",
    "circles": "ankle circles at the end of a session, 15 s each way",
    "snooze_minutes": "a held button puts the prompt off this long",
    "snooze_max": "how many times a prompt can be put off (only while the re-prompt comes before it is missed)",
    "miss_minutes": "a prompt with no session started this long after it counts as missed",
    "reminder_minutes": "a reminder beep this often until then (0: none)",
    "pain_check": "after a session, ask for a pain score from 0 to 10",
    "ramp_start_minutes": "gentle start: the first day's session length (0: off)",
    "ramp_step_minutes": "gentle start: minutes added each day up to the full session",
    "volume": "how loud the cues are (0: silent)",
    "display_dim_seconds": "the screen dims after this long without a press",
    "display_off_seconds": "the screen goes dark after this long without a press",
}


class Field:
    def __init__(self, key: str):
        load_core()
        from core.settings import CHOICES, DEFAULTS, FLAGS, RANGES

        self.key = key
        self.default = DEFAULTS[key]
        self.explain = EXPLAIN[key]
        self.choices: tuple = ()
        if key in RANGES:
            low, high = RANGES[key]
            self.kind, self.low, self.high = "number", low, high
            self.range = f"{low} to {high}"
        elif key in FLAGS:
            self.kind, self.choices, self.range = "choice", ("true", "false"), "on or off"
        elif key in CHOICES:
            self.kind, self.choices = "choice", CHOICES[key]
            self.range = " or ".join(CHOICES[key])
        elif key == "tz":
            self.kind, self.range = "zone", 'a POSIX TZ rule such as "CET-1CEST,M3.5.0,M10.5.0/3", or empty'
        else:
            self.kind, self.range = "time", "HH:MM, 24-hour"

    def text(self, value) -> str:
        """A value as the form shows it."""
        return json.dumps(value) if isinstance(value, bool) else str(value)

    @property
    def default_text(self) -> str:
        return self.text(self.default)


def fields() -> list[Field]:
    load_core()
    from core.settings import DEFAULTS

    return [Field(key) for key in DEFAULTS]
