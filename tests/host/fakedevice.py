"""A device at the far end of a pseudo-terminal, for the host's link and sync: either a board
speaking MicroPython's raw REPL that answers each command from a table (what a real board's
`remote` would print, or anything else a test wants it to send), or a port with no MicroPython
on it at all (silent, echoing, or sending junk). It can stop at a point a test chooses and
wait there, as a board busy with a call does, until the host interrupts it or the test says go."""

import os
import select
import threading
import tty

BANNER = b"raw REPL; CTRL-B to exit\r\n"
# What MicroPython's raw REPL sends for a call a Ctrl-C stopped: the end of its output, the
# error, the prompt.
INTERRUPTED = b'\x04Traceback (most recent call last):\r\n  File "<stdin>", line 2, in <module>\r\n'
INTERRUPTED += b"KeyboardInterrupt: \r\n\x04>"


class FakeDevice:
    """answers: (a text the command contains, what to print: bytes, or a function of the
    command giving bytes or an iterable of (delay s, bytes) to trickle). mode: "repl",
    "silent", "echo" or "junk". Use as a context manager; `port` is its name, `commands`
    what the host ran. hold: stop once, at the Ctrl-A that asks for the raw REPL ("raw REPL") or
    on a command containing it (having said OK to it), setting `reached`, until a Ctrl-C comes
    (the call stopped, as MicroPython's raw REPL says) or `go` is set (it carries on)."""

    def __init__(self, answers=(), mode="repl", hold=None):
        self.answers = list(answers)
        self.mode = mode
        self.hold = hold
        self.reached = threading.Event()
        self.go = threading.Event()
        self.commands = []
        self._pending = b""
        self._master, self._slave = os.openpty()
        # Raw: no echo, no newline translation, as a USB serial port is.
        tty.setraw(self._slave)
        self.port = os.ttyname(self._slave)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=300)
        os.close(self._master)
        os.close(self._slave)
        return False

    def _read(self, wait=0.05):
        ready, _, _ = select.select([self._master], [], [], wait)
        return os.read(self._master, 4096) if ready else b""

    def _send(self, data):
        view = memoryview(data)
        while view and not self._stop.is_set():
            _, ready, _ = select.select([], [self._master], [], 0.05)
            if ready:
                # A little at a time: a write to a full pty waits for all of it to go.
                view = view[os.write(self._master, view[:1024]) :]

    def _run(self):
        if self.mode == "repl":
            self._repl()
            return
        junk = bytes(range(256))
        while not self._stop.is_set():
            data = self._read()
            if self.mode == "echo" and data:
                self._send(data)
            elif self.mode == "junk":
                self._send(junk)

    def _holds(self, point):
        """At the test's point (the first time): wait there; True if a Ctrl-C came meanwhile."""
        if self.hold is None or self.hold not in point or self.reached.is_set():
            return False
        self.reached.set()
        while not self._stop.is_set() and not self.go.is_set():
            self._pending += self._read()
            at = self._pending.find(b"\x03")
            if at >= 0:
                self._pending = self._pending[at + 1 :]
                return True
        return False

    def _repl(self):
        raw = False
        while not self._stop.is_set():
            self._pending += self._read()
            pending = self._pending
            if not raw:
                at = pending.find(b"\x01")
                if at >= 0:
                    self._pending = pending[at + 1 :]
                    if self._holds("raw REPL"):
                        continue
                    raw = True
                    self._send(BANNER + b">")
                continue
            if pending.startswith(b"\x05A\x01"):
                # Raw-paste mode: understood, not offered; commands come the plain raw way.
                self._pending = pending[3:]
                self._send(b"R\x00")
                continue
            if pending.startswith(b"\r\x03") or pending.startswith(b"\x03"):
                self._pending = pending.lstrip(b"\r\x03")
                continue
            if pending.startswith(b"\r\x01") or pending.startswith(b"\x01"):
                self._pending = pending.lstrip(b"\r\x01")
                self._send(BANNER + b">")
                continue
            end = pending.find(b"\x04")
            if end < 0:
                continue
            command, self._pending = pending[:end].decode(errors="replace"), pending[end + 1 :]
            self.commands.append(command)
            self._send(b"OK")
            if self._holds(command):
                self._send(INTERRUPTED)
                continue
            self._answer(command)
            self._send(b"\x04\x04>")
            if "remote.restart()" in command:
                # The board resets; its coach says on the console when its loop runs.
                raw = False
                self._send(b"coach up\r\n")

    def _answer(self, command):
        if "print(6 * 7)" in command:
            self._send(b"42\r\n")
            return
        for key, answer in self.answers:
            if key in command:
                out = answer(command) if callable(answer) else answer
                if isinstance(out, bytes):
                    self._send(out)
                else:
                    for delay, data in out:
                        if self._stop.wait(delay):
                            return
                        self._send(data)
                return
