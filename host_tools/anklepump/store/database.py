"""The local database of journal records (SQLite), keyed by device id and sequence number."""

import json
import os
import sqlite3
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    device   TEXT    NOT NULL,
    seq      INTEGER NOT NULL,
    event    TEXT    NOT NULL,
    time     INTEGER,           -- Unix seconds (UTC): the device clock, or anchored at sync
    anchored INTEGER NOT NULL DEFAULT 0,  -- 1: time worked out from uptime when the clock was set
    boot     INTEGER NOT NULL,
    uptime   INTEGER,           -- seconds since boot, for records made while the clock was not set
    fields   TEXT    NOT NULL,  -- the event's fields as JSON
    synced   INTEGER NOT NULL,  -- Unix seconds of the sync that stored it
    PRIMARY KEY (device, seq)
);
CREATE TABLE IF NOT EXISTS devices (
    device    TEXT PRIMARY KEY,
    last_sync INTEGER NOT NULL,
    corrupt   INTEGER NOT NULL DEFAULT 0  -- records skipped because their CRC did not match
);
"""
HEADER = ("seq", "event", "t", "up", "boot")


class StoreError(Exception):
    pass


def default_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "anklepump" / "anklepump.db"


class Store:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, timeout=2)
            self.db.executescript(SCHEMA)
        except sqlite3.OperationalError as exc:
            raise StoreError(self._explain(exc)) from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not an anklepump database ({exc})") from exc

    def _explain(self, exc: sqlite3.Error) -> str:
        if "locked" in str(exc):
            return f"the database {self.path} is locked by another program; try again when it is done"
        return f"database {self.path}: {exc}"

    def close(self) -> None:
        self.db.close()

    def last_seq(self, device: str) -> int:
        row = self.db.execute("SELECT MAX(seq) FROM records WHERE device = ?", (device,)).fetchone()
        return row[0] or 0

    def add(self, device: str, records: list[dict], corrupt: int = 0) -> int:
        """Store decoded records (those already held are left as they are); returns how many were new."""
        now = int(time.time())
        rows = []
        for record in records:
            fields = {k: v for k, v in record.items() if k not in HEADER}
            rows.append(
                (
                    device,
                    record["seq"],
                    record["event"],
                    record.get("t"),
                    record["boot"],
                    record.get("up"),
                    json.dumps(fields, sort_keys=True),
                    now,
                )
            )
        try:
            with self.db:
                before = self.db.total_changes
                self.db.executemany(
                    "INSERT OR IGNORE INTO records (device, seq, event, time, boot, uptime, fields, synced)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
                added = self.db.total_changes - before
                self.db.execute(
                    "INSERT INTO devices (device, last_sync, corrupt) VALUES (?, ?, ?)"
                    " ON CONFLICT(device) DO UPDATE SET last_sync = excluded.last_sync,"
                    " corrupt = corrupt + excluded.corrupt",
                    (device, now, corrupt),
                )
        except sqlite3.OperationalError as exc:
            raise StoreError(self._explain(exc)) from exc
        return added

    def anchor(self, device: str, boot: int, clock_read: int, unix: int) -> int:
        """Give records of this boot made without a clock their time: the clock read `clock_read`
        seconds since boot when it was set to `unix`. Returns how many records got a time."""
        try:
            with self.db:
                cursor = self.db.execute(
                    "UPDATE records SET time = ? - (? - uptime), anchored = 1"
                    " WHERE device = ? AND boot = ? AND time IS NULL AND uptime IS NOT NULL",
                    (unix, clock_read, device, boot),
                )
        except sqlite3.OperationalError as exc:
            raise StoreError(self._explain(exc)) from exc
        return cursor.rowcount

    def records(self, device: str | None = None):
        """Every stored record, oldest first, as it was logged (plus device and anchoring)."""
        query = "SELECT device, seq, event, time, anchored, boot, uptime, fields FROM records"
        args: tuple = ()
        if device is not None:
            query += " WHERE device = ?"
            args = (device,)
        for device_id, seq, event, t, anchored, boot, uptime, fields in self.db.execute(
            query + " ORDER BY device, seq", args
        ):
            record = {"device": device_id, "seq": seq, "event": event, "boot": boot}
            if t is not None:
                record["t"] = t
            if uptime is not None:
                record["up"] = uptime
            if anchored:
                record["anchored"] = True
            record.update(json.loads(fields))
            yield record
