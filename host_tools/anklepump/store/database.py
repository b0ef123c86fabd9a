"""The database of journal records, keyed by device id, journal identity and sequence number;
and the patient each device coaches. A file (SQLite, the default) for one computer, or a
PostgreSQL server (`--db postgresql://user@host/dbname`) that a clinic's computers share:
the same tables and queries on both, each backend only connecting, migrating and naming errors.

A device's journal starts afresh when its flash is erased (a reflash) and numbers its records
from 1 again: its identity (made on the device with the journal) keeps those records apart
from the earlier journal's. A journal begun before journals had an identity is the journal ''.
"""

import json
import os
import sqlite3
import time
from pathlib import Path

# The layout's version (SQLite: PRAGMA user_version, PostgreSQL: the table anklepump_schema).
# 0 = the first layout (records keyed by device and sequence alone), only ever in SQLite.
SCHEMA_VERSION = 2
RECORDS = """
CREATE TABLE IF NOT EXISTS records (
    device   TEXT    NOT NULL,
    journal  TEXT    NOT NULL DEFAULT '',  -- the journal's identity ('': begun before identities)
    seq      BIGINT  NOT NULL,
    event    TEXT    NOT NULL,
    time     BIGINT,            -- Unix seconds (UTC): the device clock, or anchored at sync
    anchored INTEGER NOT NULL DEFAULT 0,  -- 1: time worked out from uptime when the clock was set
    boot     BIGINT  NOT NULL,
    uptime   BIGINT,            -- seconds since boot, for records made while the clock was not set
    fields   TEXT    NOT NULL,  -- the event's fields as JSON
    synced   BIGINT  NOT NULL,  -- Unix seconds of the sync that stored it
    PRIMARY KEY (device, journal, seq)
);
"""
SCHEMA = (
    RECORDS
    + """
CREATE TABLE IF NOT EXISTS devices (
    device    TEXT PRIMARY KEY,
    last_sync BIGINT  NOT NULL,
    corrupt   INTEGER NOT NULL DEFAULT 0  -- records skipped because their CRC did not match
);
CREATE TABLE IF NOT EXISTS journals (  -- a device's journals, in the order they were first synced
    device     TEXT    NOT NULL,
    journal    TEXT    NOT NULL,
    first_sync BIGINT  NOT NULL,{ordinal}
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
    """The database at `location`: a file path, or a postgresql:// URL. create=False: a file
    that does not exist yet is made only when there is something to write (a sync that fails
    first leaves nothing behind)."""

    def __init__(self, location: Path | str, create: bool = True):
        self.backend = Postgres(str(location)) if is_url(location) else SQLite(Path(location))
        self.path = self.backend.name
        self.db = None
        if create or self.backend.exists():
            self._open()

    def _open(self):
        if self.db is None:
            self.db = self.backend.connect()
        return self.db

    def _explain(self, exc: Exception) -> str:
        return self.backend.explain(exc)

    def close(self) -> None:
        if self.db is not None:
            self.db.close()

    def _write(self, statements):
        """Run statements(self) in one transaction; its result."""
        db = self._open()
        try:
            with self.backend.transaction(db):
                return statements(self)
        except self.backend.errors as exc:
            raise StoreError(self._explain(exc)) from exc

    def execute(self, query: str, args: tuple = ()):
        """A query written with ? placeholders, on either backend; its cursor."""
        try:
            return self._open().execute(self.backend.dialect(query), args)
        except self.backend.errors as exc:
            raise StoreError(self._explain(exc)) from exc

    def executemany(self, query: str, rows: list[tuple]) -> None:
        try:
            self._open().cursor().executemany(self.backend.dialect(query), rows)
        except self.backend.errors as exc:
            raise StoreError(self._explain(exc)) from exc

    def last_seq(self, device: str, journal: str) -> int:
        """The newest record held of a journal: 0 for one never seen (all of it is new)."""
        if self.db is None:
            return 0
        row = self.execute(
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
            held = "SELECT COUNT(*) FROM records WHERE device = ? AND journal = ?"
            (before,) = db.execute(held, (device, journal)).fetchone()
            db.executemany(
                "INSERT INTO records (device, journal, seq, event, time, boot, uptime, fields, synced)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                rows,
            )
            (after,) = db.execute(held, (device, journal)).fetchone()
            db.execute(
                "INSERT INTO devices (device, last_sync, corrupt) VALUES (?, ?, ?)"
                " ON CONFLICT(device) DO UPDATE SET last_sync = excluded.last_sync,"
                " corrupt = devices.corrupt + excluded.corrupt",
                (device, now, corrupt),
            )
            db.execute(
                "INSERT INTO journals (device, journal, first_sync) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (device, journal, now),
            )
            return after - before

        return self._write(store)

    def held_through(self, device: str, journal: str, after: int, sent: list[int]) -> int:
        """The highest of the `sent` numbers up to which the database holds every one of them,
        asked of the database itself (after the commit): `after` if it lacks the first."""
        if not sent or self.db is None:
            return after
        held = {
            row[0]
            for row in self.execute(
                "SELECT seq FROM records WHERE device = ? AND journal = ? AND seq > ? AND seq <= ?",
                (device, journal, after, max(sent)),
            )
        }
        through = after
        for seq in sent:
            if seq not in held:
                break
            through = seq
        return through

    def anchor(self, device: str, journal: str, current: tuple[int, int, int] | None = None) -> int:
        """Give records made without a clock their time, wherever the journal tells it; returns
        how many got one. A boot's uptime is tied to Unix time by `current` (boot, uptime, Unix
        seconds: the clock the sync set), by a clock_set record of that boot stamped with the
        new time (`time set`, `sync`), or by the boot after it when this one ended in a restart
        by the host (a `restart` record): that boot's first record came as this one ended."""
        if self.db is None:
            return 0
        rows = self.execute(
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
        for device_id, journal, seq, event, t, anchored, boot, uptime, fields in self.execute(
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
        return [row[0] for row in self.execute("SELECT DISTINCT device FROM records ORDER BY device")]

    def overview(self) -> list[dict]:
        """Every device: {"device", "last_sync" (Unix seconds), "records"}."""
        if self.db is None:
            return []
        rows = self.execute(
            "SELECT d.device, d.last_sync, COUNT(r.seq) FROM devices d LEFT JOIN records r ON r.device = d.device"
            " GROUP BY d.device, d.last_sync ORDER BY d.device"
        )
        return [{"device": d, "last_sync": t, "records": n} for d, t, n in rows]

    def set_patient(self, device: str, name: str | None, goal: int | None) -> dict:
        """Store who the device coaches and the goal (None leaves a value as it was); the result."""

        def store(db):
            db.execute(
                "INSERT INTO patients (device, name, goal) VALUES (?, ?, ?) ON CONFLICT(device) DO UPDATE SET"
                " name = COALESCE(excluded.name, patients.name), goal = COALESCE(excluded.goal, patients.goal)",
                (device, name, goal),
            )

        self._write(store)
        return self.patient(device) or {}

    def patient(self, device: str) -> dict | None:
        """{"device", "name", "goal"} as stored, or None."""
        if self.db is None:
            return None
        row = self.execute("SELECT device, name, goal FROM patients WHERE device = ?", (device,)).fetchone()
        return None if row is None else {"device": row[0], "name": row[1], "goal": row[2]}

    def patients(self) -> list[dict]:
        if self.db is None:
            return []
        return [
            {"device": d, "name": n, "goal": g}
            for d, n, g in self.execute("SELECT device, name, goal FROM patients ORDER BY device")
        ]


def is_url(location) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


def add_db_option(parser) -> None:
    parser.add_argument(
        "--db",
        metavar="FILE|URL",
        help="the database: a file, or a PostgreSQL server as postgresql://user@host/dbname"
        " (default: ~/.local/share/anklepump/anklepump.db)",
    )


def location(db: str | None) -> Path | str:
    """What --db names: a PostgreSQL URL, a file, or (None) the default file."""
    if db is None:
        return default_path()
    return db if is_url(db) else Path(db)


def open_existing(db: str | None) -> "Store":
    """The database --db names, for reading; StoreError if there is none yet."""
    where = location(db)
    store = Store(where, create=False)
    if store.db is None:
        raise StoreError(f"no database at {where} (run anklepump sync first)")
    return store


class SQLite:
    """A database file on this computer."""

    errors = sqlite3.Error

    def __init__(self, path: Path):
        self.name = path

    def exists(self) -> bool:
        return self.name.exists()

    def dialect(self, query: str) -> str:
        return query

    def transaction(self, db):
        return db

    def connect(self) -> sqlite3.Connection:
        try:
            self.name.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot make the folder {self.name.parent}: {exc.strerror}") from exc
        try:
            db = sqlite3.connect(self.name, timeout=2)
            self._migrate(db)
        except sqlite3.OperationalError as exc:
            raise StoreError(self.explain(exc)) from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.name} is not an anklepump database ({exc})") from exc
        return db

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        (version,) = db.execute("PRAGMA user_version").fetchone()
        if version > SCHEMA_VERSION:
            raise StoreError("the database was written by a newer anklepump: update anklepump")
        tables = set()
        for kind, name in db.execute(
            "SELECT type, name FROM sqlite_master WHERE name IN ('records', 'devices', 'journals', 'patients')"
        ):
            if kind != "table":
                raise sqlite3.DatabaseError(f"{name} is a {kind}, not a table")
            tables.add(name)
        if version == SCHEMA_VERSION and len(tables) == 4:
            # Made, or brought up to date, in the transaction that set the version: nothing to
            # write, so a reader (the report, the web app's charts side by side) takes no lock.
            return
        columns = {row[1] for row in db.execute("PRAGMA table_info(records)")}
        script = SCHEMA.replace("{ordinal}", "")
        if columns and "journal" not in columns:
            script = script.replace(RECORDS, "") + MIGRATE_1
        # One transaction: a migration cut short leaves the first layout as it was.
        db.executescript(f"BEGIN; {script} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")

    def explain(self, exc: Exception) -> str:
        if "locked" in str(exc):
            return f"the database {self.name} is locked by another program; try again when it is done"
        if "malformed" in str(exc):
            return f"the database {self.name} is damaged ({exc}): keep it aside and sync into a new one with --db"
        if "unable to open" in str(exc):
            return f"cannot write a database in {self.name.parent} ({exc}): choose another place with --db"
        return f"database {self.name}: {exc}"


class Postgres:
    """A PostgreSQL server that several computers write to at once. Inserts are idempotent
    (ON CONFLICT DO NOTHING on the record's key), so two syncs of one device racing each other
    store each record once, and each acknowledges only after its own commit."""

    # Held while the tables are made or migrated, so two first syncs do not race to create them.
    _SCHEMA_LOCK = 0x616E6B6C

    def __init__(self, url: str):
        import psycopg

        self.psycopg = psycopg
        self.errors = psycopg.Error
        self.url = url
        self.name = self._without_password(url)

    @staticmethod
    def _without_password(url: str) -> str:
        scheme, _, rest = url.partition("://")
        user, at, host = rest.rpartition("@")
        return f"{scheme}://{user.partition(':')[0]}{at}{host}"

    def exists(self) -> bool:
        return True

    def dialect(self, query: str) -> str:
        return query.replace("?", "%s")

    def transaction(self, db):
        return db.transaction()

    def connect(self):
        try:
            db = self.psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        except self.psycopg.Error as exc:
            raise StoreError(f"cannot reach the database {self.name}: {self.explain(exc)}") from exc
        try:
            with db.transaction():
                db.execute("SELECT pg_advisory_xact_lock(%s)", (self._SCHEMA_LOCK,))
                db.execute("CREATE TABLE IF NOT EXISTS anklepump_schema (version INTEGER NOT NULL)")
                row = db.execute("SELECT MAX(version) FROM anklepump_schema").fetchone()
                version = row[0] if row and row[0] is not None else None
                if version is not None and version > SCHEMA_VERSION:
                    raise StoreError(
                        f"the database {self.name} is layout {version}, written by a newer anklepump: update anklepump"
                    )
                if version is None:
                    # SQLite's implicit rowid, made explicit: the order journals were first stored.
                    db.execute(SCHEMA.replace("{ordinal}", "\n    rowid      BIGSERIAL,"))
                    db.execute("INSERT INTO anklepump_schema (version) VALUES (%s)", (SCHEMA_VERSION,))
        except self.psycopg.Error as exc:
            db.close()
            raise StoreError(f"database {self.name}: {self.explain(exc)}") from exc
        except StoreError:
            db.close()
            raise
        return db

    def explain(self, exc: Exception) -> str:
        text = str(exc).strip().splitlines()
        return text[0] if text else type(exc).__name__
