"""`anklepump plan`: the session a patient will be coached through, from a settings file."""

from ..words import plural
from . import load_core
from .settings_file import read_settings

SHOWN_CHANGES = 10

PHASE_TEXT = {
    "up": "TOES UP",
    "down": "TOES DOWN",
    "circles": "CIRCLES",
    "done": "done",
}


def describe(settings: dict, minutes: int) -> list[str]:
    load_core()
    from core.plan import CIRCLE_MS, READY_MS, SessionPlan

    plan = SessionPlan(settings, minutes)
    total_s = plan.total_ms / 1000
    if settings["cadence"] == "rhythmic":
        how = f"rhythmic cadence, {settings['pumps_per_minute']} pumps a minute"
        each = f"{plan.half_ms / 1000:g} s"
    else:
        how = f"hold cadence, move {settings['move_seconds']} s + hold {settings['hold_seconds']} s"
        each = f"move {settings['move_seconds']} s, hold {settings['hold_seconds']} s"
    reps = "pumps" if settings["cadence"] == "rhythmic" else "reps"
    lines = [
        f"Session of {minutes} min ({how}): {plan.reps} {reps}, {int(total_s // 60)} min {total_s % 60:g} s",
        f"{'time':>9}  cue",
        f"{0:>9.3f}  get ready 3-2-1 ({READY_MS // 1000} s)",
    ]
    changes = list(range(plan.changes + 1))
    if len(changes) > SHOWN_CHANGES:
        # Long sessions repeat themselves: the first and last few changes tell it all.
        hidden = len(changes) - SHOWN_CHANGES
        changes = changes[:4] + [None] + changes[4 + hidden :]
    for k in changes:
        if k is None:
            lines.append(f"{'...':>9}  ({plural(hidden, 'more change')}, the same pattern)")
            continue
        at = plan.change_ms(k) / 1000
        cue = plan.cue_at_change(k)
        if cue in ("up", "down"):
            text = f"{PHASE_TEXT[cue]} ({each})"
        elif cue == "circles":
            text = f"CIRCLES, {'one way' if k == 2 * plan.reps else 'the other way'} ({CIRCLE_MS // 1000} s)"
        else:
            text = "done"
        lines.append(f"{at:>9.3f}  {text}")
    if plan.ticks:
        lines.append("Ticks sound 3, 2 and 1 s before each change.")
    return lines


def run(args) -> int:
    settings = read_settings(args.settings)
    load_core()
    from core.plan import session_minutes

    minutes = session_minutes(settings, args.day)
    for line in describe(settings, minutes):
        print(line)
    return 0
