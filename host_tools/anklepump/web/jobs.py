"""The coach is one device on one cable: one thing at a time talks to it. A sync runs in the
background (the page shows its progress); a second one asked for while it runs is not started."""

import threading
import time

from ..device import sync
from ..errors import ERRORS


class Coach:
    """The coach the app talks to: `port` (None: the one plugged in over USB)."""

    def __init__(self, port: str | None, db: str | None):
        self.port = port
        self.db = db
        self.busy = threading.Lock()
        self.state = "idle"  # idle, running, done, failed
        self.read = 0
        self.expected: int | None = None
        self.lines: list[str] = []
        self.started: float | None = None
        self.device: str | None = None

    def start_sync(self) -> bool:
        """Start a sync in the background; False if the coach is busy (a sync is running)."""
        if not self.busy.acquire(blocking=False):
            return False
        self.state, self.read, self.expected, self.lines = "running", 0, None, []
        self.started = time.time()
        threading.Thread(target=self._sync, name="sync", daemon=True).start()
        return True

    def _progress(self, read: int, expected: int) -> None:
        self.read, self.expected = read, expected

    def _sync(self) -> None:
        try:
            synced = sync.synchronise(self.port, self.db, self._progress)
        except ERRORS as exc:
            self.lines, self.state = [f"anklepump: {exc}"], "failed"
        else:
            self.device = synced.device
            self.read = self.expected or 0
            self.lines, self.state = synced.lines, "done"
        finally:
            self.busy.release()

    def run(self, work):
        """work() with the coach to itself: its result, or (None, the one-line error). Busy
        with a sync: that says so instead."""
        if not self.busy.acquire(blocking=False):
            return None, "the coach is busy with a sync; try again when it has finished"
        try:
            return work(), None
        except ERRORS as exc:
            return None, f"anklepump: {exc}"
        finally:
            self.busy.release()
