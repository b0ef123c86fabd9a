"""`anklepump journal dump`: records as JSON lines, from a simulator's flash (its image) or the database;
a record with a time carries it as this computer's local time too ("local", beside Unix "t")."""

import json
import sys
from datetime import datetime
from pathlib import Path

from ..firmware import load_core
from ..sim import image
from ..words import plural
from .database import StoreError, open_existing


def dump(args) -> int:
    if args.state:
        load_core()
        from journal import FOLDER
        from journal_read import read_records

        state = Path(args.state)
        if not image.image_path(state).exists() and (state / FOLDER).is_dir():
            # A flash that is a plain folder: the CircuitPython build's harness (its CIRCUITPY is FAT).
            records, bad = read_records(str(state / FOLDER))
        else:
            try:
                with image.extracted(state, FOLDER) as folder:
                    records, bad = read_records(str(folder))
            except image.ImageError as exc:
                raise StoreError(str(exc)) from exc
    else:
        store = open_existing(args.db)
        try:
            records, bad = list(store.records(args.device)), 0
            devices = store.devices() if args.device and not records else []
        finally:
            store.close()
        if args.device and not records:
            held = f" (it holds {', '.join(devices)})" if devices else " (it holds none)"
            raise StoreError(f"no device {args.device!r} in the database{held}")
    for record in records:
        if isinstance(record.get("t"), (int, float)):
            record["local"] = local_time(record["t"])
        print(json.dumps(record, sort_keys=True))
    if bad:
        print(f"anklepump: {plural(bad, 'unreadable record')} skipped", file=sys.stderr)
    return 0


def local_time(t: float) -> str:
    """Unix time as this computer's local time: '2026-11-24T09:00:05+01:00'."""
    return datetime.fromtimestamp(t).astimezone().isoformat(timespec="seconds")
