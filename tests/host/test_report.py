"""`anklepump report` on databases written through Store.add from hand-made journal records:
exact numbers, local days, filters, and each output."""

import argparse
import base64
import json
import random
import re
import shutil
import struct
import subprocess
import time
from datetime import datetime, timedelta, timezone

import pytest
from anklepump.report import command as report
from anklepump.store.database import Store, StoreError

DEVICE = "53494d000001"
OTHER = "53494d000002"
MONDAY = 1795392000  # 2026-11-23T00:00:00Z
PNG = b"\x89PNG\r\n\x1a\n"
DAY_KEYS = [
    "date",
    "no_data",
    "expected",
    "done",
    "partial",
    "missed",
    "snoozed",
    "declined",
    "minutes",
    "adherence",
    "pain_mean",
]
SESSION_KEYS = ["device", "start", "end", "reason", "result", "seconds", "reps", "latency_s", "snoozes"]


def at(day, hour, minute=0, second=0, midnight=MONDAY):
    return midnight + day * 86400 + hour * 3600 + minute * 60 + second


class Journal:
    """Records as the device logs them, numbered in order; t None: the clock was not set."""

    def __init__(self, identity=""):
        self.identity = identity
        self.records = []
        self.boot = 1

    def log(self, event, t, **fields):
        record = {"seq": len(self.records) + 1, "event": event, "boot": self.boot, **fields}
        if t is None:
            record["up"] = len(self.records)
        else:
            record["t"] = t
        self.records.append(record)

    def records_of(self, device):
        """The records as the store gives them back."""
        return [{**r, "device": device, "journal": self.identity} for r in self.records]

    def prompt(self, t, snoozes=0):
        self.log("prompt", t, hour=datetime.fromtimestamp(t, timezone.utc).hour, snoozes=snoozes)

    def snooze(self, t, count=1):
        self.log("snooze", t, count=count, minutes=10)
        self.prompt(t + 600, snoozes=count)

    def session(self, t, seconds=291, result="complete", reason="prompt", latency=5, snoozes=0):
        self.log("session_start", t, reason=reason, latency_s=latency, snoozes=snoozes, minutes=5)
        self.log("session_end", t + seconds, result=result, seconds=seconds, reps=seconds // 24)

    def done(self, day, hour, midnight=MONDAY):
        self.prompt(at(day, hour, midnight=midnight))
        self.session(at(day, hour, 0, 5, midnight=midnight))

    def missed(self, day, hour):
        self.prompt(at(day, hour))
        self.log("missed", at(day, hour, 30), hour=hour, snoozes=0)


def database(tmp_path, *journals, name="coach.db"):
    path = tmp_path / name
    store = Store(path)
    for device, journal in journals:
        store.add(device, journal.identity, journal.records)
    store.close()
    return path


def anklepump_report(*argv):
    parser = argparse.ArgumentParser(prog="anklepump")
    report.register(parser.add_subparsers())
    args = parser.parse_args(["report", *argv])
    return args.run(args)


def run_json(tmp_path, db, *argv):
    out = tmp_path / "report.json"
    assert anklepump_report("--db", str(db), "--json", str(out), "--quiet", *argv) == 0
    return json.loads(out.read_text())


def lines(out):
    """Terminal output with runs of spaces closed up."""
    return [" ".join(line.split()) for line in out.splitlines()]


def a_monday():
    """Every kind of hour on Monday 2026-11-23 (UTC), then records made without a clock."""
    j = Journal()
    j.log("boot", at(0, 6))
    j.done(0, 7)
    # Snoozed once, then done.
    j.prompt(at(0, 8))
    j.snooze(at(0, 8, 0, 6))
    j.session(at(0, 8, 10, 10), latency=610, snoozes=1)
    # Stopped early.
    j.prompt(at(0, 9))
    j.session(at(0, 9, 0, 5), seconds=55, result="partial")
    j.missed(0, 10)
    # Snoozed, then ignored; an extra session ends in hour 12, so its prompt is held back.
    j.prompt(at(0, 11))
    j.snooze(at(0, 11, 0, 6))
    j.log("missed", at(0, 11, 30), hour=11, snoozes=1)
    j.session(at(0, 11, 58, 2), reason="extra", latency=-1)
    j.done(0, 13)
    j.log("pain", at(0, 13, 5, 20), score=3)
    # Extra sessions add minutes; the second ends in hour 14, after the day's last prompt (as
    # one ending in quiet hours), which holds no prompt back.
    j.session(at(0, 13, 20, 2), reason="extra", latency=-1)
    j.log("pain", at(0, 13, 25, 20), score=4)
    j.session(at(0, 13, 58, 2), reason="extra", latency=-1)
    # A restart without a clock: these cannot be placed on a day.
    j.boot = 2
    j.log("boot", None)
    j.log("prompt", None, hour=1, snoozes=0)
    j.log("missed", None, hour=1, snoozes=0)
    return j


def test_a_day_counted_exactly(tmp_path, capsys):
    db = database(tmp_path, (DEVICE, a_monday()))
    document = run_json(tmp_path, db, "--utc-offset", "0")
    assert document["days"] == [
        {
            "date": "2026-11-23",
            "no_data": False,
            "expected": 7,
            "done": 4,
            "partial": 1,
            "missed": 2,
            "snoozed": 2,
            "declined": 0,
            "minutes": 30.02,
            "adherence": 57.1,
            "pain_mean": 3.5,
        }
    ]
    assert document["streak"] == 0
    sessions = document["sessions"]
    assert [(s["start"][11:19], s["reason"], s["result"], s["latency_s"], s["snoozes"]) for s in sessions] == [
        ("07:00:05", "prompt", "complete", 5, 0),
        ("08:10:10", "prompt", "complete", 610, 1),
        ("09:00:05", "prompt", "partial", 5, 0),
        ("11:58:02", "extra", "complete", None, 0),
        ("13:00:05", "prompt", "complete", 5, 0),
        ("13:20:02", "extra", "complete", None, 0),
        ("13:58:02", "extra", "complete", None, 0),
    ]
    assert sessions[0] == {
        "device": DEVICE,
        "start": "2026-11-23T07:00:05+00:00",
        "end": "2026-11-23T07:04:56+00:00",
        "reason": "prompt",
        "result": "complete",
        "seconds": 291,
        "reps": 12,
        "latency_s": 5,
        "snoozes": 0,
    }
    assert anklepump_report("--db", str(db), "--utc-offset", "0") == 0
    shown = lines(capsys.readouterr().out)
    assert "Mon 2026-11-23 4/7 57.1% 30.0 1 2 2 0 3.5" in shown
    assert "total 4/7 57.1% 30.0 1 2 2 0 3.5" in shown
    assert "last 7 days (2026-11-23 to 2026-11-23): 4/7 done (57.1%), 30.0 min, over 1 day" in shown
    assert "streak: 0 days in a row at the 80% goal or above, up to Mon 2026-11-23" in shown
    assert "3 records without a time left out (made while the clock was not set)" in shown


def test_the_streak_counts_back_from_the_last_day_with_prompts(tmp_path, capsys):
    j = Journal()
    j.done(0, 9)  # 100%
    j.done(1, 9)
    j.missed(1, 10)  # 50%
    j.done(2, 9)  # 100%
    for hour in (9, 10, 11, 12):
        j.done(3, hour)
    j.missed(3, 13)  # 80%: the goal, met
    j.log("boot", at(4, 8))  # a day with no prompts: not the streak's end
    db = database(tmp_path, (DEVICE, j))
    document = run_json(tmp_path, db, "--utc-offset", "0")
    assert [(d["date"], d["adherence"]) for d in document["days"]] == [
        ("2026-11-23", 100.0),
        ("2026-11-24", 50.0),
        ("2026-11-25", 100.0),
        ("2026-11-26", 80.0),
        ("2026-11-27", None),
    ]
    assert document["streak"] == 2
    # A range that starts inside the streak still counts it whole.
    assert run_json(tmp_path, db, "--utc-offset", "0", "--from", "2026-11-26")["streak"] == 2
    # One ending on the day below the goal has none.
    assert run_json(tmp_path, db, "--utc-offset", "0", "--to", "2026-11-24")["streak"] == 0
    assert anklepump_report("--db", str(db), "--utc-offset", "0") == 0
    assert "streak: 2 days in a row at the 80% goal or above, up to Thu 2026-11-26" in lines(capsys.readouterr().out)


def test_a_day_without_records_is_a_gap_that_breaks_the_streak(tmp_path):
    j = Journal()
    j.done(0, 9)
    j.done(2, 9)
    document = run_json(tmp_path, database(tmp_path, (DEVICE, j)), "--utc-offset", "0")
    assert [(d["date"], d["expected"], d["no_data"]) for d in document["days"]] == [
        ("2026-11-23", 1, False),
        ("2026-11-24", 0, True),
        ("2026-11-25", 1, False),
    ]
    assert document["streak"] == 1


def test_local_days_follow_the_utc_offset(tmp_path):
    j = Journal()
    for hour in (21, 22, 23, 24):
        j.done(0, hour)
    db = database(tmp_path, (DEVICE, j))

    def by_day(offset):
        document = run_json(tmp_path, db, "--utc-offset", offset)
        return [(d["date"], d["expected"], d["done"]) for d in document["days"]], document["sessions"][0]["start"]

    assert by_day("0") == ([("2026-11-23", 3, 3), ("2026-11-24", 1, 1)], "2026-11-23T21:00:05+00:00")
    assert by_day("120") == ([("2026-11-23", 1, 1), ("2026-11-24", 3, 3)], "2026-11-23T23:00:05+02:00")
    assert by_day("-300") == ([("2026-11-23", 4, 4)], "2026-11-23T16:00:05-05:00")
    assert by_day("330") == ([("2026-11-24", 4, 4)], "2026-11-24T02:30:05+05:30")


def test_local_days_follow_the_patients_time_zone_summer_time_included(tmp_path, capsys):
    # Sydney keeps summer time in November (UTC+11), not its standard UTC+10.
    sydney = "AEST-10AEDT,M10.1.0,M4.1.0/3"
    j = Journal()
    for hour in (11, 12, 13):
        j.done(0, hour)
    db = database(tmp_path, (DEVICE, j))
    document = run_json(tmp_path, db, "--tz", sydney)
    assert [(d["date"], d["done"]) for d in document["days"]] == [("2026-11-23", 2), ("2026-11-24", 1)]
    assert document["sessions"][0]["start"] == "2026-11-23T22:00:05+11:00"
    assert document["time_zone"] == sydney
    capsys.readouterr()
    with pytest.raises(report.ReportError) as refused:
        anklepump_report("--db", str(db), "--tz", "Mars/Olympus_Mons")
    assert str(refused.value) == (
        "--tz Mars/Olympus_Mons: no time zone 'Mars/Olympus_Mons': neither a POSIX rule nor a zone of the tz database"
    )


@pytest.fixture
def berlin(monkeypatch):
    """This computer in central Europe in winter, UTC+1 (a POSIX rule: no zone database needed)."""
    monkeypatch.setenv("TZ", "CET-1")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_local_days_default_to_this_computers_time_zone(tmp_path, capsys, berlin):
    j = Journal()
    j.done(0, 23)
    db = database(tmp_path, (DEVICE, j))
    document = run_json(tmp_path, db)
    assert [d["date"] for d in document["days"]] == ["2026-11-24"]
    assert document["sessions"][0]["start"] == "2026-11-24T00:00:05+01:00"
    assert anklepump_report("--db", str(db)) == 0
    assert "done/expected prompts; days in this computer's time zone (CET)" in lines(capsys.readouterr().out)


def test_a_held_back_hour_is_an_hour_of_the_local_day(tmp_path):
    # At UTC+1 the extra session ends in local hour 13, between prompts at 12 and 14.
    j = Journal()
    j.done(0, 11)
    j.session(at(0, 11, 58, 2), reason="extra", latency=-1)
    j.done(0, 13)
    db = database(tmp_path, (DEVICE, j))
    assert [(d["expected"], d["done"]) for d in run_json(tmp_path, db, "--utc-offset", "60")["days"]] == [(3, 3)]


def test_filters_by_device_and_by_days(tmp_path):
    mine, other = Journal(), Journal()
    for day in range(5):
        mine.done(day, 9)
        mine.missed(day, 10)
    other.done(0, 9)
    other.done(0, 10)
    db = database(tmp_path, (DEVICE, mine), (OTHER, other))
    both = run_json(tmp_path, db, "--utc-offset", "0")
    assert [(d["expected"], d["done"]) for d in both["days"]] == [(4, 3)] + [(2, 1)] * 4
    assert {s["device"] for s in both["sessions"]} == {DEVICE, OTHER}
    only = run_json(tmp_path, db, "--utc-offset", "0", "--device", OTHER)
    assert [(d["date"], d["expected"], d["done"]) for d in only["days"]] == [("2026-11-23", 2, 2)]
    assert [s["device"] for s in only["sessions"]] == [OTHER, OTHER]
    middle = run_json(tmp_path, db, "--utc-offset=0", "--device=" + DEVICE, "--from=2026-11-24", "--to=2026-11-26")
    assert [d["date"] for d in middle["days"]] == ["2026-11-24", "2026-11-25", "2026-11-26"]
    assert [s["start"][:10] for s in middle["sessions"]] == ["2026-11-24", "2026-11-25", "2026-11-26"]
    last = run_json(tmp_path, db, "--utc-offset", "0", "--days", "2", "--to", "2026-11-27")
    assert [d["date"] for d in last["days"]] == ["2026-11-26", "2026-11-27"]


def test_the_last_days_end_today(tmp_path):
    today = datetime.now(timezone.utc).date()
    midnight = int(datetime(today.year, today.month, today.day, tzinfo=timezone.utc).timestamp())
    j = Journal()
    for ago in (5, 2, 1, 0):
        j.done(-ago, 0, midnight=midnight)
    db = database(tmp_path, (DEVICE, j))
    document = run_json(tmp_path, db, "--utc-offset", "0", "--days", "2")
    assert [d["date"] for d in document["days"]] == [(today - timedelta(days=1)).isoformat(), today.isoformat()]


def test_nothing_to_report_says_so_and_writes_nothing(tmp_path, capsys):
    outputs = ["--html", "a.html", "--png", "a.png", "--csv", "a.csv", "--json", "a.json"]
    empty = database(tmp_path, name="empty.db")
    assert anklepump_report("--db", str(empty), *outputs) == 0
    assert capsys.readouterr().out == f"no records for any device in {empty}\n"
    j = Journal()
    j.done(0, 9)
    db = database(tmp_path, (DEVICE, j))
    assert anklepump_report("--db", str(db), "--from", "2026-12-01", "--to", "2026-12-31", *outputs) == 0
    assert capsys.readouterr().out == "no records for any device between 2026-12-01 and 2026-12-31\n"
    assert anklepump_report("--db", str(db), "--device", OTHER, "--utc-offset", "0", *outputs) == 0
    assert capsys.readouterr().out == f"no records for device {OTHER} in {db} (the database holds {DEVICE})\n"
    assert anklepump_report("--db", str(db), "--to", "2026-11-22", "--utc-offset", "0", "--quiet", *outputs) == 0
    assert capsys.readouterr().out == "no records for any device up to 2026-11-22\n"
    untimed = Journal()
    untimed.log("boot", None)
    lost = database(tmp_path, (DEVICE, untimed), name="untimed.db")
    assert anklepump_report("--db", str(lost), *outputs) == 0
    assert capsys.readouterr().out == (
        f"no records for any device in {lost}; 1 record without a time left out (made while the clock was not set)\n"
    )
    assert not any((tmp_path / name).exists() for name in outputs[1::2])


def test_errors_are_one_line(tmp_path, capsys):
    def fails(message, *argv):
        with pytest.raises(report.ReportError, match=f"^{re.escape(message)}$"):
            anklepump_report("--db", str(db), *argv)

    db = tmp_path / "nowhere.db"
    with pytest.raises(StoreError, match=f"^{re.escape(f'no database at {db} (run anklepump sync first)')}$"):
        anklepump_report("--db", str(db))
    assert not db.exists()
    j = Journal()
    j.done(0, 9)
    db = database(tmp_path, (DEVICE, j))
    fails("--from 2026-11-24 is after --to 2026-11-23", "--from", "2026-11-24", "--to", "2026-11-23")
    fails(f"cannot write {tmp_path}/no/a.json: No such file or directory", "--json", str(tmp_path / "no" / "a.json"))
    for argv, message in (
        (["--from", "2026-11-31"], "argument --from: not a date YYYY-MM-DD: '2026-11-31'"),
        (["--to", "23.11.2026"], "argument --to: not a date YYYY-MM-DD: '23.11.2026'"),
        (["--days", "0"], "argument --days: must be a whole number of days, 1 or more: '0'"),
        (["--days", "3", "--from", "2026-11-23"], "argument --from: not allowed with argument --days"),
        (["--utc-offset", "900"], "argument --utc-offset: must be -720 to 840 minutes, got 900"),
        (["--utc-offset", "1.5"], "argument --utc-offset: must be whole minutes: '1.5'"),
    ):
        with pytest.raises(SystemExit) as stop:
            anklepump_report("--db", str(db), *argv)
        assert stop.value.code == 2
        assert capsys.readouterr().err.splitlines()[-1].endswith(message)


def test_json_and_csv_hold_exactly_the_days_and_sessions(tmp_path):
    monday = a_monday()
    monday.identity = "9f2c41d07a3b"
    db = database(tmp_path, (DEVICE, monday))
    out = tmp_path / "r.json"
    table = tmp_path / "r.csv"
    argv = ("--db", str(db), "--json", str(out), "--csv", str(table), "--utc-offset", "60", "--days", "2")
    assert anklepump_report(*argv, "--to", "2026-11-24") == 0
    document = json.loads(out.read_text())
    assert list(document) == [
        "first",
        "last",
        "devices",
        "journals",
        "time_zone",
        "totals",
        "last_7_days",
        "records_without_time",
        "days",
        "sessions",
        "streak",
        "goal",
        "patients",
    ]
    figures = {
        "expected": 7,
        "done": 4,
        "partial": 1,
        "missed": 2,
        "snoozed": 2,
        "declined": 0,
        "minutes": 30.02,
        "adherence": 57.1,
        "pain_mean": 3.5,
    }
    assert {k: v for k, v in document.items() if k not in ("days", "sessions", "patients")} == {
        "first": "2026-11-23",
        "last": "2026-11-24",
        "devices": [DEVICE],
        "journals": [{"device": DEVICE, "journal": "9f2c41d07a3b"}],
        "time_zone": "UTC+01:00",
        "totals": {"days": 2, "days_with_data": 1, **figures},
        "last_7_days": {"first": "2026-11-23", "last": "2026-11-24", "days_with_data": 1, **figures},
        "records_without_time": 3,
        "streak": 0,
        "goal": 80,
    }
    assert [list(d) for d in document["days"]] == [DAY_KEYS] * 2
    assert all(list(s) == SESSION_KEYS for s in document["sessions"])
    day = document["days"][0]
    assert [type(day[k]) for k in DAY_KEYS] == [str, bool, int, int, int, int, int, int, float, float, float]
    assert document["days"][1] == {
        "date": "2026-11-24",
        "no_data": True,
        **dict.fromkeys(("expected", "done", "partial", "missed", "snoozed", "declined"), 0),
        "minutes": 0.0,
        "adherence": None,
        "pain_mean": None,
    }
    assert table.read_text().splitlines() == [
        "date,no_data,expected,done,partial,missed,snoozed,declined,minutes,adherence,pain_mean,devices,journals,time_zone",
        f"2026-11-23,no,7,4,1,2,2,0,30.02,57.1,3.5,{DEVICE},9f2c41d07a3b,UTC+01:00",
        f"2026-11-24,yes,0,0,0,0,0,0,0.0,,,{DEVICE},9f2c41d07a3b,UTC+01:00",
        f"total,,7,4,1,2,2,0,30.02,57.1,3.5,{DEVICE},9f2c41d07a3b,UTC+01:00",
    ]


def test_a_prompt_declined_counts_neither_done_nor_expected_and_is_shown_by_day(tmp_path, capsys):
    j = Journal()
    j.done(0, 7)
    # "Not now" (a double press) at 8; then missed at 9.
    j.prompt(at(0, 8))
    j.log("declined", at(0, 8, 0, 4), hour=8, snoozes=0)
    j.missed(0, 9)
    db = database(tmp_path, (DEVICE, j))
    document = run_json(tmp_path, db, "--utc-offset", "0")
    ((day,),) = [document["days"]]
    assert (day["expected"], day["done"], day["missed"], day["declined"], day["adherence"]) == (2, 1, 1, 1, 50.0)
    assert document["totals"]["declined"] == 1
    assert anklepump_report("--db", str(db), "--utc-offset", "0") == 0
    out = lines(capsys.readouterr().out)
    assert "day done adherence min partial missed snoozed not now pain" in out
    assert "Mon 2026-11-23 1/2 50.0% 4.8 0 1 0 1 –" in out
    assert "total 1/2 50.0% 4.8 0 1 0 1 –" in out


def test_the_json_names_this_computers_time_zone(tmp_path, berlin):
    j = Journal()
    j.done(0, 9)
    assert run_json(tmp_path, database(tmp_path, (DEVICE, j)))["time_zone"] == "CET-1"


def two_days_of_use():
    """Prompts on Wednesday 25 and Friday 27 November 2026; a boot alone on Saturday."""
    j = Journal()
    j.done(2, 9)
    j.missed(2, 10)
    j.done(4, 9)
    j.log("boot", at(5, 8))
    return j


def test_the_range_shown_is_the_range_asked(tmp_path, capsys):
    db = database(tmp_path, (DEVICE, two_days_of_use()))

    def dates(*argv):
        return [(d["date"], d["no_data"]) for d in run_json(tmp_path, db, "--utc-offset", "0", *argv)["days"]]

    assert dates("--days", "3", "--to", "2026-11-29") == [
        ("2026-11-27", False),
        ("2026-11-28", False),
        ("2026-11-29", True),
    ]
    assert dates("--from", "2026-11-24", "--to", "2026-11-30") == [
        ("2026-11-24", True),
        ("2026-11-25", False),
        ("2026-11-26", True),
        ("2026-11-27", False),
        ("2026-11-28", False),
        ("2026-11-29", True),
        ("2026-11-30", True),
    ]
    # A bound not given is the records' own.
    assert [d for d, _ in dates("--from", "2026-11-26")] == ["2026-11-26", "2026-11-27", "2026-11-28"]
    assert [d for d, _ in dates("--to", "2026-11-26")] == ["2026-11-25", "2026-11-26"]
    assert [d for d, _ in dates()] == ["2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28"]
    assert anklepump_report("--db", str(db), "--utc-offset", "0", "--from", "2026-11-24", "--to", "2026-11-30") == 0
    shown = lines(capsys.readouterr().out)
    assert shown[0] == f"Ankle pump sessions, 2026-11-24 to 2026-11-30, device {DEVICE}"
    assert "Tue 2026-11-24 no data" in shown
    assert "Wed 2026-11-25 1/2 50.0% 4.8 0 1 0 0 –" in shown
    assert "Thu 2026-11-26 no data" in shown
    assert "Sat 2026-11-28 0/0 – 0.0 0 0 0 0 –" in shown
    assert "Mon 2026-11-30 no data" in shown
    assert "total 2/3 66.7% 9.7 0 1 0 0 –" in shown
    assert (
        "last 7 days (2026-11-24 to 2026-11-30): 2/3 done (66.7%), 9.7 min,"
        " over the 3 days with data (4 days with no data left out)"
    ) in shown


def test_the_last_7_days_are_over_the_days_with_data(tmp_path, capsys):
    j = Journal()
    for day in range(7):
        j.done(day, 9)
    db = database(tmp_path, (DEVICE, j))
    assert anklepump_report("--db", str(db), "--utc-offset", "0") == 0
    assert "last 7 days (2026-11-23 to 2026-11-29): 7/7 done (100.0%), 34.0 min, over 7 days" in lines(
        capsys.readouterr().out
    )
    # A fortnight asked for, the records all in its first week: the last 7 days have no data.
    assert anklepump_report("--db", str(db), "--utc-offset", "0", "--from", "2026-11-23", "--to", "2026-12-06") == 0
    shown = lines(capsys.readouterr().out)
    assert "last 7 days (2026-11-30 to 2026-12-06): no data" in shown
    assert "total 7/7 100.0% 34.0 0 0 0 0 –" in shown
    html = tmp_path / "r.html"
    argv = ("--db", str(db), "--utc-offset", "0", "--days", "9", "--to", "2026-12-01", "--html", str(html))
    assert anklepump_report(*argv) == 0
    page = html.read_text()
    assert (
        "<dt>Last 7 days</dt><dd>5 of 5 (100.0%), Wed 25 Nov 2026 to Tue 1 Dec 2026,"
        " over the 5 days with data (2 days with no data left out)</dd>"
    ) in page
    assert '<tr class="no-data"><td>Mon 30 Nov 2026</td><td colspan="8">no data</td></tr>' in page
    assert "<td>Sun 29 Nov 2026</td><td>1 / 1</td>" in page
    assert "Tue 2026-12-01 no data" in lines(capsys.readouterr().out)


def images(page):
    embedded = re.findall(r'<img alt="[^"]*" src="data:image/png;base64,([^"]+)"', page)
    return [base64.b64decode(data) for data in embedded]


def png_size(data):
    assert data.startswith(PNG)
    return struct.unpack(">II", data[16:24])


def test_html_is_one_page_with_its_charts_inside(tmp_path):
    db = database(tmp_path, (DEVICE, a_monday()))
    html, png = tmp_path / "r.html", tmp_path / "r.png"
    assert anklepump_report("--db", str(db), "--html", str(html), "--png", str(png), "--utc-offset", "0") == 0
    page = html.read_text()
    charts = images(page)
    # Adherence, hour by hour, pain.
    assert [png_size(c)[0] for c in charts] == [1500] * 3
    assert png.read_bytes() == charts[0]
    # Nothing fetched from elsewhere: no links, scripts, fonts or style sheets.
    rest = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", page)
    assert not re.search(r"https?:|//|url\(|<script|<link|@import", rest)
    assert rest.count("src=") == 3
    assert DEVICE in page and "Mon 23 Nov 2026 to Mon 23 Nov 2026 (1 day)" in page
    assert "<td>Mon 23 Nov 2026</td><td>4 / 7</td>" in page
    assert "<dt>Left out</dt><dd>3 records made while the device&#x27;s clock was not set</dd>" in page
    assert "@media print" in page


def test_html_without_pain_scores_says_so(tmp_path, capsys):
    j = Journal()
    j.done(0, 9)
    j.missed(0, 10)
    html = tmp_path / "r.html"
    assert anklepump_report("--db", str(database(tmp_path, (DEVICE, j))), "--html", str(html), "--quiet") == 0
    assert capsys.readouterr().out == ""
    page = html.read_text()
    assert len(images(page)) == 2
    assert "no pain scores recorded" in page
    assert "Left out" not in page


def cjk_or_skip():
    from anklepump.report.language import CJK_FONTS

    if not any(path.is_file() for path in CJK_FONTS):
        pytest.skip("no Chinese font here: make fonts installs Debian's fonts-wqy-zenhei")


def test_the_report_in_chinese_page_charts_and_table(tmp_path, capsys, recwarn):
    cjk_or_skip()
    from fontTools.ttLib import TTFont

    db = database(tmp_path, (DEVICE, a_monday()))
    html, png = tmp_path / "r.html", tmp_path / "r.png"
    argv = ("--db", str(db), "--html", str(html), "--png", str(png), "--utc-offset", "0", "--lang", "zh")
    assert anklepump_report(*argv) == 0
    out = lines(capsys.readouterr().out)
    assert out[0] == "踝泵训练，2026-11-23 至 2026-11-23，设备 53494d000001"
    assert "日期 完成 完成率 分钟 提前结束 错过 稍后 暂不做 疼痛" in out
    assert "周一 2026-11-23 4/7 57.1% 30.0 1 2 2 0 3.5" in out
    assert "合计 4/7 57.1% 30.0 1 2 2 0 3.5" in out
    assert "近 7 天（2026-11-23 至 2026-11-23）：完成 4/7（57.1%），30.0 分钟，按 1 天计" in out
    assert "连续达标：连续 0 天达到 80% 的目标，截至 周一 2026-11-23" in out
    assert "3 条记录没有时间，未计入（设备时钟未设置时产生）" in out
    page = html.read_text()
    assert '<html lang="zh-Hans">' in page
    assert "<td>2026年11月23日 周一</td><td>4 / 7</td>" in page
    assert "<dt>未计入</dt><dd>3 条记录（设备时钟未设置时产生）</dd>" in page
    # The page carries its own Chinese font: a subset with every character it shows, and no more.
    font = re.search(r"url\(data:font/ttf;base64,([A-Za-z0-9+/=]+)\)", page)
    assert font
    subset = TTFont(__import__("io").BytesIO(base64.b64decode(font.group(1))))
    covered = set(subset.getBestCmap())
    text = re.sub(r"<style>.*?</style>|data:image/png;base64,[A-Za-z0-9+/=]+", "", page, flags=re.S)
    shown = {ord(c) for c in text if ord(c) > 0x2E80}
    assert shown and shown <= covered
    assert len(covered) < 400
    # Nothing else is fetched: the font is the page's only url().
    rest = re.sub(r"data:(image/png|font/ttf);base64,[A-Za-z0-9+/=]+", "", page)
    assert not re.search(r"https?:|//|<script|<link|@import", rest)
    # The charts drew every character: matplotlib warns of any glyph its font lacks.
    assert [str(w.message) for w in recwarn if "missing from" in str(w.message)] == []
    charts = images(page)
    assert [png_size(c)[0] for c in charts] == [1500] * 3
    assert png.read_bytes() == charts[0]


def test_an_english_report_embeds_no_font(tmp_path):
    db = database(tmp_path, (DEVICE, a_monday()))
    html = tmp_path / "r.html"
    assert anklepump_report("--db", str(db), "--html", str(html), "--quiet") == 0
    assert "@font-face" not in html.read_text()


def test_the_charts_draw_no_bar_for_a_day_without_data(tmp_path):
    from anklepump.report import charts
    from anklepump.report.summary import Zone, summarise

    days = summarise(two_days_of_use().records_of(DEVICE), Zone(0), None, None).days
    # Wed (prompts), Thu (nothing at all), Fri (prompts), Sat (a boot, no prompt).
    assert [(d.expected, d.no_data) for d in days] == [(2, False), (0, True), (1, False), (0, False)]
    figure = charts.adherence_figure(days, 80)
    axes = figure.axes[0]
    assert [round(bar.get_x() + bar.get_width() / 2) for bar in axes.containers[0]] == [0, 2]
    marks = {round(t.get_position()[0]): t.get_text() for t in axes.texts}
    assert marks == {0: "1/2", 1: "no\ndata", 2: "1/1", 3: "no\nprompts"}
    hatched = [p for p in axes.patches if p.get_hatch()]
    assert [(p.get_x(), p.get_width()) for p in hatched] == [(0.5, 1.0)]
    assert "no data (device off or not synced)" in [t.get_text() for t in figure.legends[0].get_texts()]


def a_fortnight():
    """Two weeks of the default hours, 07:00 to 21:00, done, missed or stopped early; the sixth
    day without a record."""
    j = Journal("9f2c41d07a3b")
    rng = random.Random(1)
    for day in range(14):
        if day == 5:
            continue
        for hour in range(7, 22):
            draw = rng.random()
            if draw < 0.75:
                j.done(day, hour)
            elif draw < 0.9:
                j.missed(day, hour)
            else:
                j.prompt(at(day, hour))
                j.session(at(day, hour, 0, 5), seconds=55, result="partial")
            if rng.random() < 0.3:
                j.log("pain", at(day, hour, 6), score=rng.randint(0, 6))
    return j


def pdf_text(pdf, page):
    done = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return lines(done.stdout)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_two_weeks_print_on_one_a4_page(tmp_path, lang):
    """Printed from a browser: the summary, the three charts and the fortnight's table, totals
    and all, on the first A4 page, each day on one line; the notes on how it is counted after."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None or shutil.which("pdfinfo") is None:
        pytest.skip("printing is checked with Chromium headless and poppler-utils' pdfinfo, not both here")
    if lang == "zh":
        cjk_or_skip()
    db = database(tmp_path, (DEVICE, a_fortnight()))
    html, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    argv = ("--db", str(db), "--utc-offset", "0", "--html", str(html), "--lang", lang, "--quiet")
    assert anklepump_report(*argv) == 0
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'browser'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        capture_output=True,
        check=True,
        timeout=300,
    )
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=300).stdout
    assert re.search(r"^Page size: +59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)$", info, re.M), info
    assert re.search(r"^Pages: +2$", info, re.M), info
    first = pdf_text(pdf, 1)
    images = subprocess.run(
        ["pdfimages", "-list", "-f", "1", "-l", "1", str(pdf)], capture_output=True, text=True, timeout=300
    )
    if images.returncode == 0:
        assert len(images.stdout.splitlines()) - 2 == 3
    if lang == "en":
        assert first[0] == "Ankle pump exercises: report"
        assert any(" Last 7 days 77 of 105 (73.3%)" in line for line in first)
        assert "Mon 23 Nov 2026 11 / 15 73.3% 54.3 1 3 0 0 1.8" in first
        assert "Sat 28 Nov 2026 no data" in first
        assert "Sun 6 Dec 2026 12 / 15 80.0% 58.2 0 3 0 0 2.5" in first
        assert "total 145 / 195 74.4% 722.5 21 29 0 0 2.9" in first
        assert pdf_text(pdf, 2)[0] == "How this is counted"
    else:
        assert first[0] == "踝泵运动报告"
        assert "2026年11月28日 周六 无数据" in first
        assert "合计 145 / 195 74.4% 722.5 21 29 0 0 2.9" in first
        assert pdf_text(pdf, 2)[0] == "统计说明"


def test_counts_of_one_are_singular(tmp_path):
    j = Journal()
    j.prompt(at(0, 9))
    j.snooze(at(0, 9, 0, 6))
    j.log("missed", at(0, 9, 30), hour=9, snoozes=1)
    j.done(0, 10)
    html = tmp_path / "r.html"
    assert anklepump_report("--db", str(database(tmp_path, (DEVICE, j))), "--html", str(html), "--quiet") == 0
    page = html.read_text()
    assert "<dt>Missed, snoozed</dt><dd>1 prompt missed; 1 snooze</dd>" in page
    assert "5 minutes in 1 session; 0 stopped early" in page
