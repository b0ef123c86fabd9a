"""What was done, day by day, from the journal's records: the figures every report shows.

Counted per local day (the time of each record plus a UTC offset):

- expected: the hourly prompts (a re-prompt after a snooze is the same prompt), plus the hours
  whose prompt the device held back because a session was completed in that hour already;
- done: those prompts answered by a completed session (snoozed first or not), plus those hours;
- partial, missed, snoozed: sessions stopped early, prompts left unanswered, snoozes;
- declined: prompts the patient said "not now" to (a double press), counted neither done nor
  expected;
- minutes: the time of every session, extra sessions too;
- adherence: done / expected, in percent.

A day without a single record (the device off, or not synced yet) has no data: it is shown as
such, not as a day of nothing done, and the last 7 days' figure is over the days with data.

A prompt counts on the day it was given, a session on the day it ended. Records made while the
device's clock was not set, and not given a time at a sync since, cannot be placed on a day.
"""

import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from itertools import groupby

from ..store.patient import describe
from ..words import plural

GOAL = 80

# What became of an hour's prompt, for the heat map; when two devices share an hour, the earlier here wins.
DONE, SNOOZED_DONE, PARTIAL, MISSED, DECLINED, OPEN = "done", "snoozed_done", "partial", "missed", "declined", "open"
HOUR_STATES = (DONE, SNOOZED_DONE, PARTIAL, MISSED, DECLINED, OPEN)


@dataclass
class Day:
    date: date
    expected: int = 0
    done: int = 0
    partial: int = 0
    missed: int = 0
    snoozed: int = 0
    declined: int = 0
    seconds: int = 0
    pain: list[int] = field(default_factory=list)
    # Records of any kind that fell on the day (a boot, a setting changed): none is no data.
    records: int = 0

    @property
    def no_data(self) -> bool:
        return self.records == 0

    @property
    def adherence(self) -> float | None:
        return round(100 * self.done / self.expected, 1) if self.expected else None

    @property
    def minutes(self) -> float:
        return round(self.seconds / 60, 2)

    @property
    def pain_mean(self) -> float | None:
        return round(sum(self.pain) / len(self.pain), 2) if self.pain else None

    def row(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "no_data": self.no_data,
            "expected": self.expected,
            "done": self.done,
            "partial": self.partial,
            "missed": self.missed,
            "snoozed": self.snoozed,
            "declined": self.declined,
            "minutes": self.minutes,
            "adherence": self.adherence,
            "pain_mean": self.pain_mean,
        }


def total(days: list[Day]) -> Day:
    """The days added up (dated by the last)."""
    whole = Day(days[-1].date)
    for day in days:
        whole.expected += day.expected
        whole.done += day.done
        whole.partial += day.partial
        whole.missed += day.missed
        whole.snoozed += day.snoozed
        whole.declined += day.declined
        whole.seconds += day.seconds
        whole.pain += day.pain
        whole.records += day.records
    return whole


WEEK = 7


@dataclass
class Week:
    """The last 7 days of a range (fewer in a shorter range): their total, and how many of
    them have data (the figure is over those)."""

    days: list[Day]
    whole: Day
    with_data: int

    @property
    def without_data(self) -> int:
        return len(self.days) - self.with_data


def last_week(days: list[Day]) -> Week:
    recent = days[-WEEK:]
    return Week(recent, total(recent), sum(not d.no_data for d in recent))


@dataclass
class Prompt:
    at: datetime
    snoozed: bool = False
    outcome: str | None = None


@dataclass
class Session:
    device: str
    start: datetime | None
    reason: str | None = None
    latency_s: int | None = None
    snoozes: int | None = None
    prompt: Prompt | None = None
    end: datetime | None = None
    result: str | None = None
    seconds: int | None = None
    reps: int | None = None

    @property
    def day(self) -> date:
        return (self.start or self.end).date()

    def row(self) -> dict:
        return {
            "device": self.device,
            "start": self.start and self.start.isoformat(),
            "end": self.end and self.end.isoformat(),
            "reason": self.reason,
            "result": self.result,
            "seconds": self.seconds,
            "reps": self.reps,
            "latency_s": self.latency_s,
            "snoozes": self.snoozes,
        }


@dataclass
class Summary:
    days: list[Day]
    sessions: list[Session]
    hours: dict[tuple[date, int], str]
    streak: int
    streak_to: date | None
    devices: list[str]
    goal: int = GOAL
    # (device, journal) of the records in the range, in the order first seen.
    journals: list[tuple[str, str]] = field(default_factory=list)
    # Who the devices coach, as `anklepump patient set` stored them.
    patients: list[dict] = field(default_factory=list)


class Zone:
    """Local time: a time zone (zones.Zone, as the device keeps it), a fixed offset from UTC, or
    (neither) this computer's time zone, summer time included."""

    def __init__(self, offset_minutes: int | None = None, rule: tzinfo | None = None):
        self.offset = offset_minutes
        self.rule = rule
        if rule is not None:
            self.tz = rule
        elif offset_minutes is not None:
            self.tz = timezone(timedelta(minutes=offset_minutes))
        else:
            self.tz = None

    def at(self, t: float) -> datetime:
        moment = datetime.fromtimestamp(t, self.tz)
        return moment if self.tz else moment.astimezone()

    def today(self) -> date:
        return self.at(time.time()).date()

    def name(self) -> str:
        """'Europe/Berlin (CET-1CEST,M3.5.0,M10.5.0/3)', 'UTC+01:00', or this computer's zone by
        name ('CET', 'Europe/Berlin' where it is known)."""
        if self.rule is not None or self.offset is not None:
            return self.describe()
        return _computer_zone()

    def describe(self) -> str:
        if self.rule is not None:
            return str(self.rule)
        if self.offset is None:
            return f"this computer's time zone ({datetime.now().astimezone().tzname()})"
        hours, minutes = divmod(abs(self.offset), 60)
        return f"UTC{'-' if self.offset < 0 else '+'}{hours:02d}:{minutes:02d}"


class Tally:
    """Records counted into local days, sessions and hours."""

    def __init__(self, zone: Zone):
        self.zone = zone
        self.days: dict[date, Day] = {}
        self.sessions: list[Session] = []
        self.hours: dict[tuple[date, int], str] = {}
        self.devices: dict[date, set[str]] = defaultdict(set)
        self.journals: dict[date, dict[tuple[str, str], None]] = defaultdict(dict)

    def day(self, moment: datetime) -> Day:
        return self.days.setdefault(moment.date(), Day(moment.date()))

    def follow(self, device: str, records, journal: str = "") -> None:
        """One device's timed records, in sequence: prompts tied to the sessions that answered them."""
        prompts: list[Prompt] = []
        sessions: list[Session] = []
        prompt = session = None
        for record in records:
            moment = self.zone.at(record["t"])
            event = record["event"]
            today = self.day(moment)
            today.records += 1
            self.devices[today.date].add(device)
            self.journals[today.date][device, journal] = None
            if event == "boot":
                # Neither a prompt nor a session outlives a restart.
                prompt = session = None
            elif event == "prompt" and record["snoozes"] == 0:
                prompt = Prompt(moment)
                prompts.append(prompt)
            elif event == "snooze":
                today.snoozed += 1
                if prompt:
                    prompt.snoozed = True
            elif event == "missed":
                today.missed += 1
                if prompt:
                    prompt.outcome = MISSED
            elif event == "declined":
                today.declined += 1
                if prompt:
                    prompt.outcome = DECLINED
            elif event == "session_start":
                answers = prompt if record["reason"] == "prompt" else None
                latency = record["latency_s"] if answers else None
                session = Session(device, moment, record["reason"], latency, record["snoozes"], answers)
                sessions.append(session)
            elif event == "session_end":
                if session is None:
                    # Its start was lost (records_lost): the time done still counts.
                    session = Session(device, None)
                    sessions.append(session)
                session.end, session.result = moment, record["result"]
                session.seconds, session.reps = record["seconds"], record["reps"]
                today.seconds += record["seconds"]
                if record["result"] == "partial":
                    today.partial += 1
                if session.prompt:
                    session.prompt.outcome = DONE if record["result"] == "complete" else PARTIAL
                session = None
            elif event == "pain":
                today.pain.append(record["score"])
        self.sessions += sessions
        prompted = defaultdict(set)
        for prompt in prompts:
            today = self.day(prompt.at)
            state = prompt.outcome or OPEN
            # "Not now": the hour counts neither as done nor as expected.
            today.expected += state != DECLINED
            if state == DONE:
                today.done += 1
                if prompt.snoozed:
                    state = SNOOZED_DONE
            prompted[today.date].add(prompt.at.hour)
            self._mark((today.date, prompt.at.hour), state)
        # A session completed in an hour stands in for that hour's prompt, which the device then
        # skips; only hours inside the day's prompted span count, as quiet hours get no prompt anyway.
        held_back = set()
        for session in sessions:
            if session.result != "complete":
                continue
            when = (session.end.date(), session.end.hour)
            span = prompted.get(when[0])
            if span and min(span) <= when[1] <= max(span) and when[1] not in span and when not in held_back:
                held_back.add(when)
                self.days[when[0]].expected += 1
                self.days[when[0]].done += 1
                self._mark(when, DONE)

    def _mark(self, when: tuple[date, int], state: str) -> None:
        if when not in self.hours or HOUR_STATES.index(state) < HOUR_STATES.index(self.hours[when]):
            self.hours[when] = state


def summarise(
    records, zone: Zone, first: date | None = None, last: date | None = None, goal: int = GOAL
) -> Summary | None:
    """Records with a time, ordered by device, journal and sequence, counted per local day from first
    to last (inclusive; None: from the first record, to the last): every day of it, those without
    a record too (no data). None if no record falls there. The streak counts days at `goal`
    percent or above."""
    tally = Tally(zone)
    # Each journal of a device in its own sequence (a reflashed board numbers from 1 again).
    for (device, journal), group in groupby(records, key=lambda r: (r["device"], r.get("journal", ""))):
        tally.follow(device, group, journal)
    inside = sorted(d for d in tally.days if (first is None or d >= first) and (last is None or d <= last))
    if not inside:
        return None
    first, last = first or inside[0], last or inside[-1]
    # Every day, those without a record too (a gap is a gap), from the very first: the streak
    # may have begun before the range.
    run = [tally.days.get(d) or Day(d) for d in _dates(min(first, min(tally.days)), last)]

    count, latest = streak(run, goal)

    def within(when: date) -> bool:
        return first <= when <= last

    return Summary(
        days=[d for d in run if within(d.date)],
        sessions=sorted((s for s in tally.sessions if within(s.day)), key=lambda s: s.start or s.end),
        hours={k: v for k, v in tally.hours.items() if within(k[0])},
        streak=count,
        streak_to=latest,
        devices=sorted(set().union(*(tally.devices[d] for d in inside))),
        goal=goal,
        journals=list(dict.fromkeys(j for d in inside for j in tally.journals[d])),
    )


def _dates(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def streak(days: list[Day], goal: int = GOAL) -> tuple[int, date | None]:
    """Consecutive days at or above the goal, counting back from the latest day with prompts
    (days given one for each date, oldest first); and that latest day."""
    prompted = [i for i, d in enumerate(days) if d.expected]
    if not prompted:
        return 0, None
    count = 0
    for day in reversed(days[: prompted[-1] + 1]):
        if day.adherence is None or day.adherence < goal:
            break
        count += 1
    return count, days[prompted[-1]].date


def streak_text(summary: Summary) -> str:
    if summary.streak_to is None:
        return f"none yet (no prompts); the goal is {summary.goal}% of prompts done a day"
    days = plural(summary.streak, "day")
    return f"{days} in a row at the {summary.goal}% goal or above, up to {summary.streak_to:%a %Y-%m-%d}"


def _computer_zone() -> str:
    """This computer's time zone by its name in the zone database when TZ or /etc/localtime
    gives it, else by its abbreviation now."""
    named = os.environ.get("TZ", "").lstrip(":")
    if not named:
        try:
            target = os.readlink("/etc/localtime")
        except OSError:
            target = ""
        named = target.partition("zoneinfo/")[2]
    return named or datetime.now().astimezone().tzname() or "local time"


def fmt(value: float | None, unit: str = "") -> str:
    """One decimal, or a dash for a value there is none of (no prompts, no pain scores)."""
    return "\N{EN DASH}" if value is None else f"{value:.1f}{unit}"


def devices_text(summary: Summary) -> str:
    return ("devices " if len(summary.devices) > 1 else "device ") + ", ".join(summary.devices)


def patients_text(summary: Summary) -> str | None:
    """'Patient: Ada L. (device 53494d000001), goal 80%', or None when none is stored."""
    if not summary.patients:
        return None
    return ("Patients: " if len(summary.patients) > 1 else "Patient: ") + "; ".join(map(describe, summary.patients))
