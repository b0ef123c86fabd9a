"""`anklepump sync` against a device at the far end of a pseudo-terminal (tests/host/fakedevice.py)
that sends what a test wants: every field it sends is checked before any is acted on, nothing is
acknowledged that the database does not hold, its text reaches the terminal escaped, and a signal
at any point of it leaves the coach started again."""

import base64
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from core.journal_codec import encode
from fakedevice import FakeDevice

ANKLEPUMP = str(Path(sys.executable).parent / "anklepump")
T = 1795503540
JOURNAL = "a1b2c3d4e5f6"


def info(**changes):
    answer = {"id": "53494d000001", "journal": JOURNAL, "format": 2, "version": 1, "first": 1, "next": 6}
    answer.update({"ack": 0, "full": False, "lost": 0, "boot": 1, "clock_set": True, "t": T})
    answer.update(changes)
    return json.dumps(answer).encode() + b"\r\n"


def records(seqs, damaged=0):
    """remote.read()'s answer: pain records with these numbers, then the count left out."""
    data = b"".join(encode(("pain", seq % 11), seq, T + seq % 1000, True, 1) for seq in seqs)
    lines = [base64.b64encode(data[i : i + 512]) for i in range(0, len(data), 512)]
    return b"".join(line + b"\r\n" for line in lines) + json.dumps({"damaged": damaged}).encode() + b"\r\n"


def clock(**changes):
    """remote.set_time(t)'s answer: the device's clock was right."""

    def answer(command):
        now = int(command.rpartition("(")[2].rstrip(")\n"))
        return json.dumps({"was": now, "was_set": True, "t": now, **changes}).encode() + b"\r\n"

    return answer


NEW_YORK = "EST5EDT,M3.2.0,M11.1.0"


def now(**changes):
    """remote.now()'s answer: a device in New York's time zone."""
    answer = {"t": T, "frac_ms": 0, "clock_set": True, "utc_offset_minutes": 0, "tz": NEW_YORK, **changes}
    return json.dumps(answer).encode() + b"\r\n"


def device(info_answer=None, read_answer=None, clock_answer=None, now_answer=None, settings_json=b"{}", hold=None):
    stored = json.dumps({"base64": base64.b64encode(settings_json).decode()}).encode() + b"\r\n"
    return FakeDevice(
        [
            ("remote.info()", info_answer or info()),
            ("remote.read(", read_answer or records(range(1, 6))),
            ("remote.ack(", lambda command: command.rpartition("(")[2].rstrip(")\n").encode() + b"\r\n"),
            ("remote.now()", now_answer or now()),
            ("remote.settings()", stored),
            ("remote.write_settings(", b'{"written": 1}\r\n'),
            ("remote.set_time(", clock_answer or clock()),
        ],
        hold=hold,
    )


def zoneinfo(tmp_path):
    """A tz database folder holding America/New_York: a TZif file, its POSIX rule its last line."""
    folder = tmp_path / "zoneinfo"
    (folder / "America").mkdir(parents=True)
    (folder / "America" / "New_York").write_bytes(b"TZif2" + bytes(39) + b"\nEST5EDT,M3.2.0,M11.1.0\n")
    return folder


def sync(port, db, *extra, env=None):
    """anklepump sync, in New York (its POSIX rule as TZ) unless env says otherwise."""
    environment = {**os.environ, "TZ": NEW_YORK, **(env or {})}
    done = subprocess.run(
        [ANKLEPUMP, "sync", "--port", port, "--db", str(db), "--quiet", *extra],
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
    )
    return done.returncode, done.stdout, done.stderr


def acks(fake):
    return [c.rpartition("(")[2].rstrip(")\n") for c in fake.commands if "remote.ack(" in c]


def stored(db):
    with sqlite3.connect(db) as con:
        return [row[0] for row in con.execute("SELECT seq FROM records ORDER BY seq")]


def test_a_whole_journal_is_stored_and_acknowledged(tmp_path):
    db = tmp_path / "coach.db"
    with device() as fake:
        code, out, err = sync(fake.port, db)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "synced 53494d000001: 5 new records (0 sessions), clock set (it was +0 s off)",
        f"time zone {NEW_YORK}, as it was",
        f"journal {JOURNAL}: new to this database, all of it read",
    ]
    assert not any("remote.write_settings(" in c for c in fake.commands)
    assert acks(fake) == ["5"]
    assert stored(db) == [1, 2, 3, 4, 5]
    assert any("remote.restart()" in c for c in fake.commands)


BAD_INFO = [
    ({"version": "1"}, "the device's answer has version = '1', not a number from 0"),
    ({"next": "abc"}, "the device's answer has next = 'abc', not a number from 1"),
    ({"next": None}, "the device's answer has next = None, not a number from 1"),
    ({"ack": True}, "the device's answer has ack = True, not a number from 0"),
    ({"id": {"a": 1}}, "the device's answer has id = {'a': 1}, not a name"),
    ({"id": ""}, "the device's answer has id = '', not a name"),
    ({"journal": 5}, "the device's answer has journal = 5, not a name"),
    ({"full": "no"}, "the device's answer has full = 'no', not true or false"),
]


@pytest.mark.parametrize(("change", "message"), BAD_INFO)
def test_a_field_of_the_device_info_that_is_not_what_it_must_be_is_one_line(tmp_path, change, message):
    db = tmp_path / "coach.db"
    with device(info(**change)) as fake:
        code, out, err = sync(fake.port, db)
    assert (code, out, err) == (1, "", f"anklepump: {message}\n")
    assert not any("remote.read(" in c for c in fake.commands)
    assert not db.exists()


def test_a_line_that_is_not_base64_stores_and_acknowledges_nothing(tmp_path):
    db = tmp_path / "coach.db"
    bad = records(range(1, 6)).replace(b"\r\n", b"\r\n*not base64*\r\n", 1)
    with device(read_answer=bad) as fake:
        code, out, err = sync(fake.port, db)
    assert (code, out) == (1, "")
    assert err == "anklepump: the device sent a line that is not base64 (*not base64*): nothing was stored\n"
    assert acks(fake) == []
    assert not db.exists()


def test_a_clock_answer_that_is_not_numbers_is_one_line(tmp_path):
    db = tmp_path / "coach.db"
    with device(clock_answer=clock(was="yesterday")) as fake:
        code, out, err = sync(fake.port, db)
    assert (code, out) == (1, "")
    assert err == "anklepump: the device's answer has was = 'yesterday', not a number from 0\n"
    # The records were stored before the clock was asked: they stay, acknowledged.
    assert stored(db) == [1, 2, 3, 4, 5]
    assert acks(fake) == ["5"]


def test_a_record_numbered_past_all_plausibility_is_refused_loudly(tmp_path):
    db = tmp_path / "coach.db"
    with device(read_answer=records([1, 2, 0xFFFFFFFF])) as fake:
        code, out, err = sync(fake.port, db)
    assert (code, out) == (1, "")
    assert err == (
        "anklepump: the device sent record 4294967295 after 2 (its journal says the next is 6):"
        " a jump no journal makes, so its journal is damaged; nothing was stored\n"
    )
    assert acks(fake) == []
    assert not db.exists()


def test_a_record_far_past_the_one_before_is_refused_even_below_the_next(tmp_path):
    db = tmp_path / "coach.db"
    with device(info(next=3_000_000), records([1, 2, 2_500_000])) as fake:
        code, _, err = sync(fake.port, db)
    assert code == 1
    assert "the device sent record 2500000 after 2" in err
    assert acks(fake) == []


def test_missing_numbers_are_reported_as_lost_and_damaged_ones_as_skipped(tmp_path):
    db = tmp_path / "coach.db"
    with device(info(next=13), records([1, 2, 5, 6, 7, 12], damaged=1)) as fake:
        code, out, err = sync(fake.port, db)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert "warning: 1 corrupt record skipped (CRC mismatch)" in lines
    # 3, 4 and 8 to 11 are missing: 6 numbers, one of them the damaged record.
    assert "warning: 5 records lost on the device before they were synced (numbers 3-4, 8-11)" in lines
    assert acks(fake) == ["12"]


def test_only_what_the_database_holds_is_acknowledged(tmp_path):
    db = tmp_path / "coach.db"
    with device() as fake:
        assert sync(fake.port, db)[0] == 0
    # A database that quietly keeps none of records 8 and after (a trigger standing in for
    # whatever drops a row without an error).
    with sqlite3.connect(db) as con:
        con.execute(
            "CREATE TRIGGER keep_none BEFORE INSERT ON records WHEN NEW.seq >= 8 BEGIN SELECT RAISE(IGNORE); END"
        )
    con.close()
    with device(info(next=11, ack=5), records(range(6, 11))) as fake:
        code, out, err = sync(fake.port, db)
    assert (code, err) == (0, "")
    assert stored(db) == [1, 2, 3, 4, 5, 6, 7]
    assert out.splitlines()[0].startswith("synced 53494d000001: 2 new records")
    assert acks(fake) == ["7"]
    assert (
        "warning: the database kept 3 records fewer than the device sent: acknowledged up to 7 only,"
        " the rest stay on the device" in out.splitlines()
    )


def test_a_full_flash_on_the_device_is_told(tmp_path):
    db = tmp_path / "coach.db"
    with device(info(full=True, lost=3)) as fake:
        code, out, _ = sync(fake.port, db)
    assert code == 0
    assert out.splitlines()[-1] == (
        "warning: the device's flash is full: new records may not be kept; sync often and see docs/flash.md"
    )


def test_device_text_reaches_the_terminal_escaped_and_never_as_markup(tmp_path):
    db = tmp_path / "coach.db"
    name = "\x1b]0;pwned\x07\x1b[2J[/x][link=http://example.com]id"
    with device(info(id=name)) as fake:
        code, out, err = sync(fake.port, db)
    assert (code, err) == (0, "")
    assert "\x1b" not in out and "\x07" not in out
    assert out.splitlines()[0].startswith(
        "synced \\x1b]0;pwned\\x07\\x1b[2J[/x][link=http://example.com]id: 5 new records"
    )
    report = subprocess.run(
        [ANKLEPUMP, "report", "--db", str(db), "--from", "2026-11-24", "--to", "2026-11-24"],
        capture_output=True,
        text=True,
        timeout=300,
        env={"COLUMNS": "300", "PATH": "/usr/bin:/bin", "TERM": "xterm", "FORCE_COLOR": "1"},
    )
    assert report.returncode == 0, report.stderr
    assert "\x1b]" not in report.stdout and "\x1b[2J" not in report.stdout and "\x07" not in report.stdout
    assert "[/x][link=http://example.com]id" in report.stdout


def test_the_device_failing_is_one_line_without_its_escapes(tmp_path):
    db = tmp_path / "coach.db"
    fake = FakeDevice([("remote.info()", b"\x04Traceback\r\nOSError: \x1b[2J28\r\n")])
    with fake:
        code, out, err = sync(fake.port, db)
    assert (code, out) == (1, "")
    assert err == "anklepump: the device failed: OSError: \\x1b[2J28\n"


def corrupt_pages(db):
    """Overwrite every page after the first (the schema's) with noise, as a failing disk would."""
    data = bytearray(db.read_bytes())
    for at in range(4096, len(data)):
        data[at] = (at * 37) & 0xFF
    db.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (corrupt_pages, "is damaged (database disk image is malformed)"),
        (lambda db: db.write_bytes(b"not a database at all" * 500), "is not an anklepump database"),
    ],
)
def test_a_damaged_database_is_one_line_and_nothing_is_acknowledged(tmp_path, spoil, message):
    db = tmp_path / "coach.db"
    with device(info(next=400), records(range(1, 400))) as fake:
        assert sync(fake.port, db)[0] == 0
    spoil(db)
    with device(info(first=1, next=500, ack=399), records(range(400, 500))) as fake:
        code, _, err = sync(fake.port, db)
    assert code == 1
    assert err.startswith(f"anklepump: the database {db} ") or err.startswith(f"anklepump: {db} ")
    assert message in err and len(err.splitlines()) == 1
    assert acks(fake) == []


def test_records_that_are_not_a_table_are_one_line(tmp_path):
    db = tmp_path / "coach.db"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE elsewhere (seq)")
        con.execute("CREATE VIEW records AS SELECT seq FROM elsewhere")
    con.close()
    with device() as fake:
        code, _, err = sync(fake.port, db)
    assert (code, acks(fake)) == (1, [])
    assert err == f"anklepump: {db} is not an anklepump database (records is a view, not a table)\n"


@pytest.mark.parametrize(
    ("where", "message"),
    [
        # /proc takes no new files or folders, even from root (a read-only folder is not one for root).
        ("/proc/coach.db", "cannot write a database in /proc"),
        ("/proc/anklepump/coach.db", "cannot make the folder /proc/anklepump"),
    ],
)
def test_a_database_where_none_can_be_written_is_one_line(where, message):
    with device() as fake:
        code, _, err = sync(fake.port, where)
    assert (code, acks(fake)) == (1, [])
    assert err.startswith(f"anklepump: {message}") and len(err.splitlines()) == 1


def test_sync_gives_the_device_this_computers_time_zone_by_name(tmp_path):
    db = tmp_path / "coach.db"
    with device(now_answer=now(tz="", utc_offset_minutes=60), settings_json=b'{"volume": 3}') as fake:
        code, out, err = sync(fake.port, db, env={"TZ": "America/New_York", "TZDIR": str(zoneinfo(tmp_path))})
    assert (code, err) == (0, "")
    assert out.splitlines()[1] == (
        "time zone set to America/New_York (EST5EDT,M3.2.0,M11.1.0); it was UTC+01:00 all year"
        " (utc_offset_minutes 60: no tz rule)"
    )
    (written,) = [c for c in fake.commands if "remote.write_settings(" in c]
    # The file's own settings kept, the zone added; the change journaled by its key; before the clock is set.
    text = json.dumps({"tz": NEW_YORK, "volume": 3}, indent=1, sort_keys=True)
    assert written.strip().endswith(f"remote.write_settings({text!r}, ['tz'])")
    assert fake.commands.index(written) < next(i for i, c in enumerate(fake.commands) if "remote.set_time(" in c)


def test_sync_tz_names_the_zone_and_a_zone_that_is_none_is_refused_before_the_device(tmp_path):
    db = tmp_path / "coach.db"
    with device() as fake:
        code, out, err = sync(fake.port, db, "--tz", "CET-1CEST,M3.5.0,M10.5.0/3")
    assert (code, err) == (0, "")
    assert out.splitlines()[1] == f"time zone set to CET-1CEST,M3.5.0,M10.5.0/3; it was {NEW_YORK}"
    with device() as fake:
        code, out, err = sync(fake.port, db, "--tz", "Mars/Olympus")
    assert (code, out) == (1, "")
    assert err == "anklepump: no time zone 'Mars/Olympus': neither a POSIX rule nor a zone of the tz database\n"
    assert fake.commands == []


def test_a_device_whose_firmware_keeps_no_rule_is_told_and_left_as_it_is(tmp_path):
    db = tmp_path / "coach.db"
    old = json.dumps({"t": T, "frac_ms": 0, "clock_set": True, "utc_offset_minutes": 60}).encode() + b"\r\n"
    with device(now_answer=old) as fake:
        code, out, err = sync(fake.port, db)
    assert (code, err) == (0, "")
    assert out.splitlines()[1] == (
        "time zone not set: this device's firmware keeps only utc_offset_minutes (anklepump deploy updates it)"
    )
    assert not any("remote.write_settings(" in c for c in fake.commands)


RESTART = "remote.restart()"
# Where a sync can be when it is told to stop, in order; from remote.ack( on, the records are stored.
POINTS = ["raw REPL", "print(6 * 7)", "remote.info()", "remote.read(", "remote.ack(", "remote.set_time("]


def signalled_sync(fake, db, stop, then=None):
    """A sync of the fake device sent `stop` once the device holds at its point, then(), if
    given, while the signal is on its way; the sync's exit code, stdout and stderr."""
    syncing = subprocess.Popen(
        [ANKLEPUMP, "sync", "--port", fake.port, "--db", str(db), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TZ": NEW_YORK},
    )
    assert fake.reached.wait(300)  # a hang guard only
    syncing.send_signal(stop)
    if then is not None:
        then()
    out, err = syncing.communicate(timeout=300)
    return syncing.returncode, out, err


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
@pytest.mark.parametrize("point", POINTS)
def test_a_signal_at_any_point_of_a_sync_stops_the_call_and_starts_the_coach_again(tmp_path, point, stop):
    """The device is busy at the point (entering the raw REPL, taking a command, answering one)
    when the signal comes: the host stops it with a Ctrl-C, enters the raw REPL afresh and
    restarts the coach, and the sync ends with one line."""
    db = tmp_path / "coach.db"
    with device(hold=point) as fake:
        assert signalled_sync(fake, db, stop) == (130, "", "anklepump: interrupted\n")
    # The stopped call, the check that the REPL talks sense, then the restart, the last.
    assert "print(6 * 7)" in fake.commands[-2]
    assert RESTART in fake.commands[-1]
    assert point == "raw REPL" or point in fake.commands[-3]
    if POINTS.index(point) >= POINTS.index("remote.ack("):
        assert stored(db) == [1, 2, 3, 4, 5]
    else:
        assert not db.exists()


def test_a_signal_while_the_coach_is_being_started_again_waits_for_it(tmp_path):
    db = tmp_path / "coach.db"
    with device(hold=RESTART) as fake:
        assert signalled_sync(fake, db, signal.SIGTERM, then=fake.go.set) == (130, "", "anklepump: interrupted\n")
    # One restart, not cut short, and not followed by another.
    assert [RESTART in c for c in fake.commands].count(True) == 1
    assert RESTART in fake.commands[-1]
    assert acks(fake) == ["5"]
    assert stored(db) == [1, 2, 3, 4, 5]
