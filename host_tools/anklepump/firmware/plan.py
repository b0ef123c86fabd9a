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
    rhythmic = settings["cadence"] == "rhythmic"
    if rhythmic:
        how = f"rhythmic cadence, {settings['pumps_per_minute']} pumps a minute"
    else:
        how = f"hold cadence, move {settings['move_seconds']} s + hold {settings['hold_seconds']} s"
    reps = "pumps" if rhythmic else "reps"
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
            # Each way of a rep as long as the plan makes it: the last one takes what is left.
            half = (plan.change_ms(k + 1) - plan.change_ms(k)) / 1000
            move = plan.move_ms / 1000
            each = f"{half:g} s" if rhythmic else f"move {move:g} s, hold {half - move:g} s"
            text = f"{PHASE_TEXT[cue]} ({each})"
        elif cue in ("circles", "circles_back"):
            text = f"CIRCLES, {'one way' if cue == 'circles' else 'the other way'} ({CIRCLE_MS // 1000} s)"
        else:
            text = "done"
        lines.append(f"{at:>9.3f}  {text}")
    if plan.ticks:
        lines.append("A cue sounds as each hold begins, and ticks 3, 2 and 1 s before each change.")
    if plan.last_ms != plan.half_ms:
        lines.append(f"The last {reps[:-1]} fills the session's {minutes} min.")
    return lines


def run(args) -> int:
    settings = read_settings(args.settings)
    load_core()
    from core.plan import session_minutes

    minutes = session_minutes(settings, args.day)
    for line in describe(settings, minutes):
        print(line)
    return 0
