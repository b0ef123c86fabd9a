"""A device at the far end of a pseudo-terminal, for the host's link and sync: either a board
speaking MicroPython's raw REPL that answers each command from a table (what a real board's
`remote` would print, or anything else a test wants it to send), or a port with no MicroPython
on it at all (silent, echoing, or sending junk)."""

import os
import select
import threading
import tty

BANNER = b"raw REPL; CTRL-B to exit\r\n"


class FakeDevice:
    """answers: (a text the command contains, what to print: bytes, or a function of the
    command giving bytes or an iterable of (delay s, bytes) to trickle). mode: "repl",
    "silent", "echo" or "junk". Use as a context manager; `port` is its name, `commands`
    what the host ran."""

    def __init__(self, answers=(), mode="repl"):
        self.answers = list(answers)
        self.mode = mode
        self.commands = []
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

    def _repl(self):
        pending = b""
        raw = False
        while not self._stop.is_set():
            pending += self._read()
            if not raw:
                at = pending.find(b"\x01")
                if at >= 0:
                    pending = pending[at + 1 :]
                    raw = True
                    self._send(BANNER + b">")
                continue
            if pending.startswith(b"\x05A\x01"):
                # Raw-paste mode: understood, not offered; commands come the plain raw way.
                pending = pending[3:]
                self._send(b"R\x00")
                continue
            if pending.startswith(b"\r\x03") or pending.startswith(b"\x03"):
                pending = pending.lstrip(b"\r\x03")
                continue
            if pending.startswith(b"\r\x01") or pending.startswith(b"\x01"):
                pending = pending.lstrip(b"\r\x01")
                self._send(BANNER + b">")
                continue
            end = pending.find(b"\x04")
            if end < 0:
                continue
            command, pending = pending[:end].decode(errors="replace"), pending[end + 1 :]
            self.commands.append(command)
            self._send(b"OK")
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
