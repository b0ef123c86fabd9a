# Journal events: the coach logs plain tuples (name, arg, ...); this names the
# arguments, so the journal, the simulator trace and the host database agree.
FIELDS = {
    "boot": ("boot",),
    "gesture": ("gesture", "action"),
    "prompt": ("hour", "snoozes"),
    "reminder": ("hour",),
    "snooze": ("count", "minutes"),
    "missed": ("hour", "snoozes"),
    "session_start": ("reason", "latency_s", "snoozes", "minutes"),
    "pause": ("elapsed_s",),
    "resume": ("elapsed_s",),
    "session_end": ("result", "seconds", "reps"),
    "pain": ("score",),
    "clock_set": ("was", "was_set"),
    "settings_changed": ("key",),
    "settings_rejected": ("problem",),
    "error": ("message",),
    "records_lost": ("count",),
}


def as_dict(record):
    """('prompt', 9, 0) -> {'event': 'prompt', 'hour': 9, 'snoozes': 0}."""
    event = {"event": record[0]}
    names = FIELDS[record[0]]
    for i in range(len(names)):
        event[names[i]] = record[i + 1] if i + 1 < len(record) else None
    return event
