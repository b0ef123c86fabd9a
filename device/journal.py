# The event journal on flash: append-only, one JSON object a line, each with a
# sequence number. A line cut short by a power loss is skipped when the
# sequence is picked up again at boot.
import json

from events import as_dict

try:
    from micropython import kbd_intr
except ImportError:
    kbd_intr = None

JOURNAL_FILE = "journal.jsonl"
# Enough of the file's end to hold its last complete record.
_TAIL = 512


class Journal:
    def __init__(self, boot, path=JOURNAL_FILE):
        self.path = path
        self.boot = boot
        self.seq = self._last_seq() + 1

    def _last_seq(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(0, 2)
                size = f.tell()
                f.seek(max(0, size - _TAIL))
                tail = f.read()
        except OSError:
            return 0
        for line in reversed(tail.split(b"\n")):
            try:
                return json.loads(line)["seq"]
            except (ValueError, KeyError, TypeError):
                continue
        return 0

    def append(self, record, now):
        """Write one coach record, stamped with the time; returns it as written (a dict)."""
        event = as_dict(record)
        event["seq"] = self.seq
        if now.clock_set:
            event["t"] = now.t
        else:
            event["boot"] = self.boot
            event["up"] = now.t
        line = json.dumps(event) + "\n"
        # Ctrl-C (mpremote connecting) waits until the line is whole on flash.
        if kbd_intr:
            kbd_intr(-1)
        try:
            with open(self.path, "a") as f:
                f.write(line)
        finally:
            if kbd_intr:
                kbd_intr(3)
        self.seq += 1
        return event
