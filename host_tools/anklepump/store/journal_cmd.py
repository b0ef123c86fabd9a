"""`anklepump journal dump`: records as JSON lines, from a simulator's flash (its image) or the database."""

import json
import sys
from pathlib import Path

from ..firmware import load_core
from ..sim import image
from .database import StoreError, open_existing


def dump(args) -> int:
    if args.state:
        load_core()
        from journal import FOLDER, read_records

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
        finally:
            store.close()
    for record in records:
        print(json.dumps(record, sort_keys=True))
    if bad:
        print(f"anklepump: {bad} unreadable records skipped", file=sys.stderr)
    return 0
