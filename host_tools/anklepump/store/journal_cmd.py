"""`anklepump journal dump`: records as JSON lines, from a simulator's flash folder or the database."""

import json
import sys
from pathlib import Path

from ..firmware import load_core
from .database import StoreError, open_existing


def dump(args) -> int:
    if args.state:
        folder = Path(args.state) / "journal"
        if not folder.is_dir():
            raise StoreError(f"no journal in {args.state}")
        load_core()
        from journal import read_records

        records, bad = read_records(str(folder))
    else:
        store = open_existing(args.db)
        try:
            records, bad = list(store.records(args.device)), 0
        finally:
            store.close()
    for record in records:
        print(json.dumps(record, sort_keys=True))
    if bad:
        print(f"anklepump: {bad} unreadable records skipped", file=sys.stderr)
    return 0
