"""The local database of journal records (SQLite), keyed by device id, journal identity and
sequence number; and the patient each device coaches.

A device's journal starts afresh when its flash is erased (a reflash) and numbers its records
from 1 again: its identity (made on the device with the journal) keeps those records apart
from the earlier journal's. A journal begun before journals had an identity is the journal ''.
"""

import json
import os
import sqlite3
import time
from pathlib import Path

# PRAGMA user_version: 0 = the first layout (records keyed by device and sequence alone).
SCHEMA_VERSION = 2
RECORDS = """
CREATE TABLE IF NOT EXISTS records (
    device   TEXT    NOT NULL,
    journal  TEXT    NOT NULL DEFAULT '',  -- the journal's identity ('': begun before identities)
    seq      INTEGER NOT NULL,
    event    TEXT    NOT NULL,
    time     INTEGER,           -- Unix seconds (UTC): the device clock, or anchored at sync
    anchored INTEGER NOT NULL DEFAULT 0,  -- 1: time worked out from uptime when the clock was set
    boot     INTEGER NOT NULL,
    uptime   INTEGER,           -- seconds since boot, for records made while the clock was not set
    fields   TEXT    NOT NULL,  -- the event's fields as JSON
    synced   INTEGER NOT NULL,  -- Unix seconds of the sync that stored it
    PRIMARY KEY (device, journal, seq)
);
"""
SCHEMA = (
    RECORDS
    + """
CREATE TABLE IF NOT EXISTS devices (
    device    TEXT PRIMARY KEY,
    last_sync INTEGER NOT NULL,
    corrupt   INTEGER NOT NULL DEFAULT 0  -- records skipped because their CRC did not match
);
CREATE TABLE IF NOT EXISTS journals (  -- a device's journals, in the order they were first synced
    device     TEXT    NOT NULL,
    journal    TEXT    NOT NULL,
    first_sync INTEGER NOT NULL,
    PRIMARY KEY (device, journal)
);
CREATE TABLE IF NOT EXISTS patients (
    device TEXT PRIMARY KEY,
    name   TEXT,                -- a name or an ID, as the clinic knows the patient
    goal   INTEGER              -- percent of prompts done a day the therapist asks for
);
"""
)
# The first layout's records, moved into the new table as the journal ''.
MIGRATE_1 = (
    "ALTER TABLE records RENAME TO records_1;"
    + RECORDS
    + "INSERT INTO records (device, journal, seq, event, time, anchored, boot, uptime, fields, synced)"
    " SELECT device, '', seq, event, time, anchored, boot, uptime, fields, synced FROM records_1;"
    " DROP TABLE records_1;"
    " INSERT INTO journals (device, journal, first_sync) SELECT device, '', MIN(synced) FROM records GROUP BY device;"
)
HEADER = ("seq", "event", "t", "up", "boot")


class StoreError(Exception):
    pass


def default_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "anklepump" / "anklepump.db"


class Store:
    """create=False: a database that does not exist yet is made only when there is something
    to write (a sync that fails first leaves nothing behind)."""

    def __init__(self, path: Path, create: bool = True):
        self.path = Path(path)
        self.db: sqlite3.Connection | None = None
        if create or self.path.exists():
            self._open()

    def _open(self) -> sqlite3.Connection:
        if self.db is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot make the folder {self.path.parent}: {exc.strerror}") from exc
            try:
                self.db = sqlite3.connect(self.path, timeout=2)
                self._migrate(self.db)
            except sqlite3.OperationalError as exc:
                raise StoreError(self._explain(exc)) from exc
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{self.path} is not an anklepump database ({exc})") from exc
        return self.db

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        (version,) = db.execute("PRAGMA user_version").fetchone()
        if version > SCHEMA_VERSION:
            raise StoreError("the database was written by a newer anklepump: update anklepump")
        columns = {row[1] for row in db.execute("PRAGMA table_info(records)")}
        script = SCHEMA
        if columns and "journal" not in columns:
            script = SCHEMA.replace(RECORDS, "") + MIGRATE_1
        # One transaction: a migration cut short leaves the first layout as it was.
        db.executescript(f"BEGIN; {script} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")

    def _explain(self, exc: sqlite3.Error) -> str:
        if "locked" in str(exc):
            return f"the database {self.path} is locked by another program; try again when it is done"
        return f"database {self.path}: {exc}"

    def close(self) -> None:
        if self.db is not None:
            self.db.close()

    def _write(self, statements):
        """Run statements(db) in one transaction; its result."""
        db = self._open()
        try:
            with db:
                return statements(db)
        except sqlite3.OperationalError as exc:
            raise StoreError(self._explain(exc)) from exc

    def last_seq(self, device: str, journal: str) -> int:
        """The newest record held of a journal: 0 for one never seen (all of it is new)."""
        if self.db is None:
            return 0
        row = self.db.execute(
            "SELECT MAX(seq) FROM records WHERE device = ? AND journal = ?", (device, journal)
        ).fetchone()
        return row[0] or 0

    def add(self, device: str, journal: str, records: list[dict], corrupt: int = 0) -> int:
        """Store decoded records (those already held are left as they are); returns how many were new."""
        now = int(time.time())
        rows = []
        for record in records:
            fields = {k: v for k, v in record.items() if k not in HEADER}
            rows.append(
                (
                    device,
                    journal,
                    record["seq"],
                    record["event"],
                    record.get("t"),
                    record["boot"],
                    record.get("up"),
                    json.dumps(fields, sort_keys=True),
                    now,
                )
            )

        def store(db):
            before = db.total_changes
            db.executemany(
                "INSERT OR IGNORE INTO records (device, journal, seq, event, time, boot, uptime, fields, synced)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            added = db.total_changes - before
            db.execute(
                "INSERT INTO devices (device, last_sync, corrupt) VALUES (?, ?, ?)"
                " ON CONFLICT(device) DO UPDATE SET last_sync = excluded.last_sync,"
                " corrupt = corrupt + excluded.corrupt",
                (device, now, corrupt),
            )
            db.execute(
                "INSERT OR IGNORE INTO journals (device, journal, first_sync) VALUES (?, ?, ?)", (device, journal, now)
            )
            return added

        return self._write(store)

    def anchor(self, device: str, journal: str, current: tuple[int, int, int] | None = None) -> int:
        """Give records made without a clock their time, wherever the journal tells it; returns
        how many got one. A boot's uptime is tied to Unix time by `current` (boot, uptime, Unix
        seconds: the clock the sync set), by a clock_set record of that boot stamped with the
        new time (`time set`, `sync`), or by the boot after it when this one ended in a restart
        by the host (a `restart` record): that boot's first record came as this one ended."""
        if self.db is None:
            return 0
        rows = self.db.execute(
            "SELECT boot, event, time, uptime, fields FROM records WHERE device = ? AND journal = ? ORDER BY seq",
            (device, journal),
        ).fetchall()
        ties: dict[int, tuple[int, int]] = {}
        untimed = set()
        ended = {}  # boot -> the uptime of its restart record
        boots = set()
        for boot, event, t, uptime, fields in rows:
            boots.add(boot)
            if t is None:
                untimed.add(boot)
            if event == "clock_set" and t is not None and not json.loads(fields)["was_set"]:
                ties.setdefault(boot, (json.loads(fields)["was"], t))
            elif event == "restart" and t is None:
                ended[boot] = uptime
        if current is not None:
            ties[current[0]] = (current[1], current[2])

        def give(db, boot, uptime, unix):
            cursor = db.execute(
                "UPDATE records SET time = ? - (? - uptime), anchored = 1"
                " WHERE device = ? AND journal = ? AND boot = ? AND time IS NULL AND uptime IS NOT NULL",
                (unix, uptime, device, journal, boot),
            )
            return cursor.rowcount

        def anchor_all(db):
            count = 0
            # Newest boot first: a boot ended by a restart takes its time from the one after it.
            for boot in sorted(untimed | set(ties), reverse=True):
                if boot not in ties and boot in ended and boot + 1 in boots:
                    after = db.execute(
                        "SELECT time FROM records WHERE device = ? AND journal = ? AND boot = ? ORDER BY seq LIMIT 1",
                        (device, journal, boot + 1),
                    ).fetchone()
                    if after[0] is not None:
                        ties[boot] = (ended[boot], after[0])
                if boot in untimed and boot in ties:
                    count += give(db, boot, *ties[boot])
            return count

        return self._write(anchor_all) if untimed else 0

    def records(self, device: str | None = None):
        """Every stored record, as it was logged (plus device, journal and anchoring): by device,
        its journals in the order they were first synced, oldest record first."""
        if self.db is None:
            return
        query = (
            "SELECT r.device, r.journal, seq, event, time, anchored, boot, uptime, fields FROM records r"
            " LEFT JOIN journals j ON j.device = r.device AND j.journal = r.journal"
        )
        args: tuple = ()
        if device is not None:
            query += " WHERE r.device = ?"
            args = (device,)
        for device_id, journal, seq, event, t, anchored, boot, uptime, fields in self.db.execute(
            query + " ORDER BY r.device, j.first_sync, j.rowid, seq", args
        ):
            record = {"device": device_id, "journal": journal, "seq": seq, "event": event, "boot": boot}
            if t is not None:
                record["t"] = t
            if uptime is not None:
                record["up"] = uptime
            if anchored:
                record["anchored"] = True
            record.update(json.loads(fields))
            yield record

    def devices(self) -> list[str]:
        if self.db is None:
            return []
        return [row[0] for row in self.db.execute("SELECT DISTINCT device FROM records ORDER BY device")]

    def set_patient(self, device: str, name: str | None, goal: int | None) -> dict:
        """Store who the device coaches and the goal (None leaves a value as it was); the result."""

        def store(db):
            db.execute(
                "INSERT INTO patients (device, name, goal) VALUES (?, ?, ?) ON CONFLICT(device) DO UPDATE SET"
                " name = COALESCE(excluded.name, name), goal = COALESCE(excluded.goal, goal)",
                (device, name, goal),
            )

        self._write(store)
        return self.patient(device) or {}

    def patient(self, device: str) -> dict | None:
        """{"device", "name", "goal"} as stored, or None."""
        if self.db is None:
            return None
        row = self.db.execute("SELECT device, name, goal FROM patients WHERE device = ?", (device,)).fetchone()
        return None if row is None else {"device": row[0], "name": row[1], "goal": row[2]}

    def patients(self) -> list[dict]:
        if self.db is None:
            return []
        return [
            {"device": d, "name": n, "goal": g}
            for d, n, g in self.db.execute("SELECT device, name, goal FROM patients ORDER BY device")
        ]
