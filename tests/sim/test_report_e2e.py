"""`anklepump report` end to end: simulated weeks of use scripted on the real firmware, synced into
a database by `anklepump sync`, reported; each day's numbers checked against counts made here
from the trace's own journal records."""

import json
import random
import subprocess
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone

from anklepump.report.summary import GOAL
from simrun import ANKLEPUMP, headless, set_up_before
from test_sync import serial_sim, sync

HOURS = range(7, 22)
# In ms: the default session, its 5 minutes (3 s to get ready, 12 reps of 24 s and a 13th of 9 s);
# a scripted press is seen 0.55 s after its time, a hold 1.5 s after.
SESSION = 300_000
PRESS_SEEN, HOLD_SEEN = 550, 1500
SECOND, MINUTE, HOUR, DAY = 1000, 60_000, 3_600_000, 86_400_000
GOOD = ("done", "snoozed_done", "extra", "held_back")
BAD = ("ignored", "snoozed_ignored", "partial")


def plan(days: int, seed: int) -> dict[tuple[int, int], str]:
    """What the patient does with each hour's prompt. Day 10 goes badly and the last three go
    well, for a streak of three; every fourth day an extra session runs into the next hour,
    which then needs no prompt ("held_back")."""
    rng = random.Random(seed)
    outcomes = {}
    for day in range(days):
        bad = 6 if day == 10 else 1 if day > 10 else rng.randint(1, 6)
        bad_hours = set(rng.sample(HOURS, bad))
        for hour in HOURS:
            if hour in bad_hours:
                outcomes[day, hour] = rng.choice(BAD)
            else:
                outcomes[day, hour] = rng.choices(GOOD[:3], weights=(6, 2, 1))[0]
        if day % 4 == 2:
            hour = rng.choice([h for h in range(9, 21) if h not in bad_hours])
            outcomes[day, hour] = "held_back"
    return outcomes


def script(outcomes: dict[tuple[int, int], str], pain: random.Random | None = None) -> str:
    """The script for a plan; with `pain`, a score is entered after most sessions (as many presses,
    then a hold) and left to time out after the others."""
    actions = []

    def after(end: int):
        """A session ended at `end`: its done screen shows 10 s, then the pain screen."""
        if pain is None or pain.random() < 0.2:
            return
        at = end + 13 * SECOND
        for _ in range(pain.randint(0, 10)):
            actions.append((at, "press"))
            at += 2 * SECOND
        actions.append((at, "hold"))

    def start(at: int):
        actions.append((at, "press"))
        after(at + PRESS_SEEN + SESSION)

    for (day, hour), outcome in outcomes.items():
        top = day * DAY + hour * HOUR
        if outcome in ("done", "extra"):
            start(top + 5 * SECOND)
        if outcome in ("snoozed_done", "snoozed_ignored"):
            actions.append((top + 5 * SECOND, "hold"))
        if outcome == "snoozed_done":
            # The prompt comes back 10 min after the snooze is seen.
            start(top + 10 * MINUTE + 10 * SECOND)
        if outcome == "partial":
            actions += [(top + 5 * SECOND, "press"), (top + MINUTE, "hold")]
            after(top + MINUTE + HOLD_SEEN)
        if outcome in ("extra", "held_back"):
            # The display has gone off by then: a press wakes it, the next starts a session;
            # before the hour, one that ends in it.
            at = top + (20 * MINUTE if outcome == "extra" else -2 * MINUTE)
            actions.append((at, "press"))
            start(at + 2 * SECOND)
    return "".join(f"{at // DAY}+{_clock(at % DAY)} {action}\n" for at, action in sorted(actions))


def _clock(ms: int) -> str:
    return f"{ms // HOUR:02d}:{ms // MINUTE % 60:02d}:{ms // SECOND % 60:02d}.{ms % SECOND:03d}"


def simulate(tmp_path, start, days, text, settings=None):
    """Run the script on a fresh device; its journal records as logged, then in the database."""
    state = set_up_before(tmp_path / "flash")
    if settings:
        (state / "settings.json").write_text(json.dumps(settings))
    (tmp_path / "script.txt").write_text(text)
    trace = tmp_path / "trace.jsonl"
    command = headless(state, "--start", start, "--for", f"{days}d", "--trace", str(trace))
    subprocess.run([*command, "--script", str(tmp_path / "script.txt")], check=True, timeout=300)
    logged = [json.loads(line)["record"] for line in trace.read_text().splitlines() if '"kind": "log"' in line]
    db = tmp_path / "coach.db"
    end = datetime.fromisoformat(start) + timedelta(days=days)
    with serial_sim(state, "--start", end.isoformat()) as port:
        code, _, err = sync(port, db)
    assert code == 0, err
    return logged, db


def anklepump_report(*argv):
    """The installed command, as a therapist runs it; its exit code."""
    return subprocess.run([ANKLEPUMP, "report", *argv], capture_output=True, timeout=300).returncode


def day_of(record) -> date:
    return datetime.fromtimestamp(record["t"], timezone.utc).date()


def counted(logged: list[dict]) -> dict[date, dict]:
    """Each day's numbers, straight from the records: every active hour is either prompted or, when
    a session was completed in it before its prompt, skipped by the device; so the hours without
    a prompt are the ones done that way."""
    counts = defaultdict(Counter)
    prompted = defaultdict(set)
    pain = defaultdict(list)
    reason = None
    for record in logged:
        day, event = day_of(record), record["event"]
        if event == "prompt" and record["snoozes"] == 0:
            prompted[day].add(record["hour"])
        elif event == "session_start":
            reason = record["reason"]
        elif event == "session_end":
            counts[day]["seconds"] += record["seconds"]
            if record["result"] == "partial":
                counts[day]["partial"] += 1
            elif reason == "prompt":
                counts[day]["done"] += 1
        elif event in ("missed", "snooze"):
            counts[day][event] += 1
        elif event == "pain":
            pain[day].append(record["score"])
    days = {}
    for day, hours in prompted.items():
        skipped = len(HOURS) - len(hours)
        done = counts[day]["done"] + skipped
        days[day] = {
            "date": day.isoformat(),
            "no_data": False,
            "expected": len(HOURS),
            "done": done,
            "partial": counts[day]["partial"],
            "missed": counts[day]["missed"],
            "snoozed": counts[day]["snooze"],
            "declined": 0,
            "minutes": round(counts[day]["seconds"] / 60, 2),
            "adherence": round(100 * done / len(HOURS), 1),
            "pain_mean": round(sum(pain[day]) / len(pain[day]), 2) if pain[day] else None,
        }
    return days


def intended(outcomes: dict[tuple[int, int], str], day: int) -> dict:
    """What the plan should have come to on a day."""
    mine = Counter(outcome for (d, _), outcome in outcomes.items() if d == day)
    return {
        "done": sum(mine[o] for o in GOOD),
        "partial": mine["partial"],
        "missed": mine["ignored"] + mine["snoozed_ignored"],
        "snoozed": mine["snoozed_done"] + mine["snoozed_ignored"],
    }


def sessions_of(logged: list[dict]) -> list[tuple]:
    out = []
    for record in logged:
        if record["event"] == "session_start":
            start = record
        elif record["event"] == "session_end":
            iso = datetime.fromtimestamp(start["t"], timezone.utc).isoformat()
            out.append((iso, start["reason"], record["result"], record["seconds"], start["snoozes"]))
    return out


def test_two_weeks_of_use_reported_day_by_day(tmp_path):
    outcomes = plan(14, seed=11)
    logged, db = simulate(tmp_path, "2026-11-23T00:00:00", 14, script(outcomes))
    # One boot for the two weeks: its ticks_ms wrapped 12.4 days in (at 2**30 ms), as a board's do.
    assert [r["event"] for r in logged].count("boot") == 1
    out = tmp_path / "report.json"
    html = tmp_path / "report.html"
    assert anklepump_report("--db", str(db), "--json", str(out), "--html", str(html), "--utc-offset", "0") == 0
    document = json.loads(out.read_text())
    expected = counted(logged)
    assert len(expected) == 14
    # The sync's own restart, on the fifteenth day, has nothing to count.
    assert document["days"][-1] == {
        "date": "2026-12-07",
        "no_data": False,
        **dict.fromkeys(("expected", "done", "partial", "missed", "snoozed", "declined"), 0),
        "minutes": 0.0,
        "adherence": None,
        "pain_mean": None,
    }
    assert document["days"][:-1] == list(expected.values())
    for index, day in enumerate(document["days"][:-1]):
        assert {k: day[k] for k in ("done", "partial", "missed", "snoozed")} == intended(outcomes, index), day
    # Every kind of hour came up.
    assert set(outcomes.values()) == set(GOOD + BAD)
    assert [d["adherence"] >= GOAL for d in document["days"][10:13]] == [False, True, True]
    assert document["streak"] == 3
    assert [
        (s["start"], s["reason"], s["result"], s["seconds"], s["snoozes"]) for s in document["sessions"]
    ] == sessions_of(logged)
    snoozed = [s for s in document["sessions"] if s["snoozes"]]
    assert snoozed and all(s["result"] == "complete" and s["latency_s"] >= 600 for s in snoozed)
    assert all(s["latency_s"] is None for s in document["sessions"] if s["reason"] == "extra")
    page = html.read_text()
    assert page.count('<img alt="') == 2
    assert "No pain scores recorded" in page


def test_pain_scores_entered_after_sessions(tmp_path):
    outcomes = plan(2, seed=5)
    logged, db = simulate(
        tmp_path, "2026-11-23T00:00:00", 2, script(outcomes, pain=random.Random(3)), {"pain_check": True}
    )
    out = tmp_path / "report.json"
    html = tmp_path / "report.html"
    assert anklepump_report("--db", str(db), "--json", str(out), "--html", str(html), "--utc-offset", "0") == 0
    document = json.loads(out.read_text())
    expected = counted(logged)
    assert document["days"][:2] == list(expected.values())
    scores = [r["score"] for r in logged if r["event"] == "pain"]
    ended = [r for r in logged if r["event"] == "session_end"]
    # Most sessions got a score, some were left to time out, and the scores vary.
    assert len(ended) * 0.6 < len(scores) < len(ended) and len(set(scores)) > 3
    assert all(d["pain_mean"] is not None for d in document["days"][:2])
    assert html.read_text().count('<img alt="') == 3
