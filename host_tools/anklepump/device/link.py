"""The USB link to a coach: find its serial port, interrupt the firmware into the raw REPL
through mpremote's transport, call `remote` functions on it, and always let go."""

import io
import json
import signal
import threading
import time
from contextlib import contextmanager, redirect_stdout

import serial
import serial.tools.list_ports
from mpremote.transport import TransportError
from mpremote.transport_serial import SerialTransport

from ..words import printable

# USB-UART bridges and native USB found on ESP32 boards: CP210x, CH340, CH343, CH9102, FTDI, Espressif.
USB_IDS = {
    (0x10C4, 0xEA60),
    (0x1A86, 0x7523),
    (0x1A86, 0x55D3),
    (0x1A86, 0x55D4),
    (0x0403, 0x6001),
    (0x0403, 0x6015),
}
# Native USB: Espressif's id (MicroPython), Adafruit's (CircuitPython on their boards).
BOARD_VIDS = (0x303A, 0x239A)
_ATTEMPTS = 3
_DRAINED_S = 0.3


# A port that opens but gives no raw REPL in this long has no MicroPython on it (or it is busy).
CONNECT_S = 10.0
# Once connected: the longest the device may say nothing in a call; the time a call may take
# beyond that (its answer must come at least MIN_RATE bytes a second: a UART at 115200 baud
# carries over 11,000), and the longest answer (the whole journal is under 600 KB of base64).
QUIET_S = 20.0
CALL_S = 30.0
MIN_RATE = 1000
MAX_ANSWER = 4 << 20
# After a restart, the longest the coach may take to say on its console that its loop runs
# (shell.py), before which the next command's Ctrl-C would cut its bring-up short: a board's
# boot takes a second or two.
COACH_UP_S = 20.0
COACH_UP = b"coach up"
# How often a read looks again when nothing has come (the port's own timeout).
_POLL_S = 0.05


class LinkError(Exception):
    pass


class DeviceFailed(LinkError):
    """The device ran the call and raised: the link itself goes on."""


class NoAnswer(serial.SerialException):
    """The device said nothing, or too little, for too long, or too much: a SerialException, as
    mpremote's transport (which reads the port) lets those through to its caller."""


class _Port:
    """The serial port as mpremote's transport reads it: in blocks, though it asks for one byte
    at a time (a byte object and a system call for each would cost the host more than the line
    does), and never waited on past a bound: no read waits longer than `quiet_s` for a byte, and
    within a call (`bound`) none goes past the call's time or its size."""

    def __init__(self, port, quiet_s: float):
        port.timeout = _POLL_S
        self.__dict__.update(_port=port, _buffer=bytearray(), quiet_s=quiet_s, _bound=None)

    def __getattr__(self, name):
        return getattr(self._port, name)

    def __setattr__(self, name, value):
        if name in self.__dict__:
            self.__dict__[name] = value
        else:
            setattr(self._port, name, value)

    @contextmanager
    def bound(self, seconds: float, rate: float = 0, what: str = "answer"):
        """For the block: give up after `seconds`, plus a second for every `rate` bytes received,
        or past MAX_ANSWER bytes."""
        self._bound = [time.monotonic(), seconds, rate, MAX_ANSWER, 0, what]
        try:
            yield
        finally:
            self._bound = None

    def _check(self) -> None:
        if self._bound is None:
            return
        start, seconds, rate, size, received, what = self._bound
        allowed = seconds + (received / rate if rate else 0)
        if time.monotonic() - start > allowed:
            raise NoAnswer(f"no whole {what} in {allowed:.0f} s")
        if received > size:
            raise NoAnswer(f"the {what} passed {size:,} bytes")

    def _fill(self, wait: bool) -> bool:
        """Take what the port has (waiting up to _POLL_S for a byte if `wait`); anything?"""
        port = self._port
        waiting = port.in_waiting
        data = port.read(waiting) if waiting else port.read(1) if wait else b""
        if data:
            self._buffer += data
            if self._bound is not None:
                self._bound[4] += len(data)
        return bool(data)

    def take(self) -> bytes:
        """Whatever has come, what mpremote's reads left over first (waiting up to _POLL_S)."""
        if not self._buffer:
            self._fill(True)
        out = bytes(self._buffer)
        self._buffer.clear()
        return out

    def inWaiting(self) -> int:  # pyserial's old name, which mpremote calls
        self._check()
        if not self._buffer:
            self._fill(False)
        return len(self._buffer)

    @property
    def in_waiting(self) -> int:
        return self.inWaiting()

    def read(self, size: int = 1) -> bytes:
        quiet_until = time.monotonic() + self.quiet_s
        while len(self._buffer) < size:
            self._check()
            if self._fill(True):
                quiet_until = time.monotonic() + self.quiet_s
            elif time.monotonic() > quiet_until:
                raise NoAnswer(f"nothing from the device for {self.quiet_s:.0f} s")
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        return out


def add_port_option(parser) -> None:
    """The --port every command that talks to the device takes."""
    parser.add_argument("--port", help="the device's serial port (default: the one coach plugged in over USB)")


def plugged_in() -> list[str]:
    """The serial ports of the coaches plugged in over USB (by their USB ids)."""
    return sorted(
        p.device for p in serial.tools.list_ports.comports() if (p.vid, p.pid) in USB_IDS or p.vid in BOARD_VIDS
    )


def find_port(port: str | None) -> str:
    """The given port, or the one coach plugged in over USB."""
    if port:
        return port
    found = plugged_in()
    if not found:
        raise LinkError("no device found: plug the coach in over USB, or give --port")
    if len(found) > 1:
        raise LinkError(f"{len(found)} devices found ({', '.join(found)}): choose one with --port")
    return found[0]


class Link:
    """A connection to the coach's REPL, with the coach stopped. Use as a context manager."""

    def __init__(self, port: str):
        self.port = port
        self.transport = None

    def __enter__(self) -> "Link":
        return self.open()

    def open(self) -> "Link":
        """Open the port and stop the coach at its raw REPL; LinkError (the port closed again)
        where no MicroPython answers within CONNECT_S."""
        try:
            transport = SerialTransport(self.port, baudrate=115200)
        except TransportError as exc:
            raise LinkError(self._open_problem()) from exc
        transport.serial = _Port(transport.serial, QUIET_S)
        self.transport = transport
        problem = self._reach_prompt()
        if problem is None:
            return self
        self.close()
        raise LinkError(
            f"no MicroPython answered on {self.port} within {CONNECT_S:.0f} s ({printable(problem)}):"
            " is it the coach's port, with MicroPython on it (anklepump flash)?"
        )

    def _reach_prompt(self) -> str | None:
        """Interrupt whatever the device runs or is being sent (mpremote's Ctrl-C) and enter its
        raw REPL afresh, within CONNECT_S: None once there, else what went wrong. What the
        device was still sending, and anything of it the host lost, goes before its new prompt."""
        port = self.transport.serial
        problem = "no raw REPL prompt"
        try:
            with port.bound(CONNECT_S, what="raw REPL prompt"):
                for _ in range(_ATTEMPTS):
                    try:
                        self._enter_raw_repl()
                        # A host that died mid-command can leave the REPL mid-answer: check it talks sense.
                        if self.transport.exec_raw("print(6 * 7)", timeout=5)[0].strip() == b"42":
                            return None
                        problem = "unexpected answer"
                    except NoAnswer:
                        raise
                    except (TransportError, serial.SerialException, OSError) as exc:
                        problem = str(exc)
                    self._drain()
        except NoAnswer as exc:
            problem = str(exc)
        return problem

    def _enter_raw_repl(self) -> None:
        # mpremote prints what it got when it gets no prompt: device bytes, not for this terminal.
        with redirect_stdout(io.StringIO()):
            # resume: no soft reset, so the interrupted coach leaves its state as it is.
            self.transport.enter_raw_repl(soft_reset=False, timeout_overall=CONNECT_S)

    def _drain(self) -> None:
        """Read whatever the device is still sending, until it has been quiet a moment."""
        port = self.transport.serial
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < _DRAINED_S:
            try:
                waiting = port.in_waiting
                data = port.read(waiting) if waiting else b""
            except NoAnswer:
                raise
            except (serial.SerialException, OSError):
                return
            if data:
                quiet_since = time.monotonic()
            else:
                time.sleep(0.02)

    def _open_problem(self) -> str:
        try:
            serial.Serial(self.port, exclusive=True).close()
        except serial.SerialException as exc:
            if "lock" in str(exc) or "busy" in str(exc).lower():
                return f"device busy: {self.port} is in use by another program; close it and try again"
            return f"cannot open {self.port}: {exc.strerror or exc}"
        return f"cannot open {self.port}"

    def __exit__(self, *exc) -> bool:
        self.close()
        return False

    def close(self) -> None:
        if self.transport is not None:
            try:
                self.transport.close()
            except (OSError, serial.SerialException):
                pass
            self.transport = None

    def call(self, code: str, progress=None) -> str:
        """Run code with the firmware's `remote` module; its printed output."""
        return self.run_code("import remote\n" + code, progress)

    def run_code(self, code: str, progress=None) -> str:
        """Run code on the device; its printed output. progress(n) gets the bytes as they arrive.
        Bounded: QUIET_S with nothing from the device, CALL_S and MIN_RATE for the whole answer,
        MAX_ANSWER bytes."""
        received = bytearray()

        def consumer(data):
            # mpremote hands over the output as it comes and keeps none of it.
            received.extend(data)
            if progress is not None:
                progress(len(data))

        try:
            with self.transport.serial.bound(CALL_S, MIN_RATE):
                _, err = self.transport.exec_raw(code, timeout=QUIET_S, data_consumer=consumer)
        except (TransportError, serial.SerialException, OSError) as exc:
            raise LinkError(f"lost the device on {self.port} ({printable(exc)})") from exc
        out = bytes(received).removesuffix(b"\x04")
        if err:
            last = err.decode(errors="replace").strip().splitlines()[-1:]
            raise DeviceFailed(f"the device failed: {printable(last[0]) if last else 'no message'}")
        return out.decode(errors="replace")

    def call_json(self, code: str, with_remote: bool = True) -> dict:
        out = self.call(code) if with_remote else self.run_code(code)
        try:
            return json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError) as exc:
            raise LinkError(f"unexpected answer from the device: {printable(repr(out.strip()[:80]))}") from exc

    def start_coach(self, quietly: bool = False) -> None:
        """Restart the firmware, and wait until the coach says it is up (await_coach). Quietly
        (after an error or an interruption, which can come anywhere: mid-answer, mid-command,
        or before the link was up), the device is brought back to its raw REPL first, and if
        that fails the error that came before is what counts; nor is a coach slow to come up
        an error then.

        A board where no coach has run since power-up (MicroPython just flashed) is reset,
        which runs main.py; so is a CircuitPython board (its REPL is a new VM, with no coach in
        it), where the reset runs boot.py and code.py."""
        if quietly and (self.transport is None or self._reach_prompt() is not None):
            return
        try:
            with self.transport.serial.bound(QUIET_S):
                self.transport.exec_raw_no_follow(
                    "import sys\n"
                    "if 'app' in sys.modules and sys.modules['app'].CURRENT is not None:\n"
                    " import remote\n remote.restart()\n"
                    "else:\n try:\n  import machine\n except ImportError:\n"
                    "  import microcontroller as machine\n machine.reset()\n"
                )
        except (TransportError, serial.SerialException, OSError) as exc:
            if not quietly:
                raise LinkError(f"lost the device on {self.port} ({exc})") from exc
            return
        try:
            self.await_coach()
        except LinkError:
            if not quietly:
                raise

    def await_coach(self) -> None:
        """What the board says after its restart, read until the coach's line that its loop runs
        (COACH_UP), for COACH_UP_S at most. A port that goes with the reset (native USB) leaves
        nothing to watch."""
        port = self.transport.serial
        deadline = time.monotonic() + COACH_UP_S
        seen = b""
        while COACH_UP not in seen:
            if time.monotonic() > deadline:
                raise LinkError(
                    f"the coach did not come up on {self.port} within {COACH_UP_S:.0f} s of its restart"
                    f" (mpremote connect {self.port} resume fs cat :error.txt may say why)"
                )
            try:
                data = port.take()
            except (serial.SerialException, OSError):
                return
            seen = seen[-len(COACH_UP) :] + data


class _Signals:
    """SIGTERM (a kill, a shutdown) and SIGHUP (the terminal closed) end the block as Ctrl-C does,
    so that what follows it still runs; within `held()` (the coach being started again) one is
    only noted (`came`). Only the main thread can take signals: the web app's syncs run in
    others, and the app's own process handles them."""

    NUMBERS = (signal.SIGTERM, signal.SIGHUP)

    def __init__(self):
        self.holding = False
        self.came = False
        self.before = {}

    def __enter__(self) -> "_Signals":
        if threading.current_thread() is threading.main_thread():
            self.before = {number: signal.signal(number, self._interrupt) for number in self.NUMBERS}
        return self

    def __exit__(self, *exc) -> bool:
        for number, handler in self.before.items():
            signal.signal(number, handler)
        return False

    def _interrupt(self, signum, frame):
        if self.holding:
            self.came = True
            return
        raise KeyboardInterrupt

    @contextmanager
    def held(self):
        self.holding = True
        try:
            yield
        finally:
            self.holding = False


@contextmanager
def coach_stopped(port: str | None):
    """The coach on `port` (or the one found over USB) stopped at its REPL for the block,
    and started again after it, whatever happened, inside or while the link was being made:
    an error, Ctrl-C, SIGTERM or SIGHUP (one of those two during the restart waits for it).
    (A SIGKILL or a pulled cable leaves it at the REPL: the board's watchdog then restarts it
    ten minutes after the last call, board/config.py REPL_HOLD_MS.)"""
    with _Signals() as signals:
        link = Link(find_port(port))
        try:
            link.open()
            yield link
        except BaseException:
            with signals.held():
                link.start_coach(quietly=True)
            raise
        else:
            with signals.held():
                link.start_coach()
            if signals.came:
                raise KeyboardInterrupt
        finally:
            link.close()
