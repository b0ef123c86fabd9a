"""The USB link to a coach: find its serial port, interrupt the firmware into the raw REPL
through mpremote's transport, call `remote` functions on it, and always let go."""

import json
import time
from contextlib import contextmanager

import serial
import serial.tools.list_ports
from mpremote.transport import TransportError
from mpremote.transport_serial import SerialTransport

# USB-UART bridges and native USB found on ESP32 boards: CP210x, CH340/CH9102, FTDI, Espressif.
USB_IDS = {(0x10C4, 0xEA60), (0x1A86, 0x7523), (0x1A86, 0x55D4), (0x0403, 0x6001), (0x0403, 0x6015)}
# Native USB: Espressif's id (MicroPython), Adafruit's (CircuitPython on their boards).
BOARD_VIDS = (0x303A, 0x239A)
_ATTEMPTS = 3
_QUIET_S = 0.3


class LinkError(Exception):
    pass


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
        try:
            self.transport = SerialTransport(self.port, baudrate=115200)
        except TransportError as exc:
            raise LinkError(self._open_problem()) from exc
        problem = None
        for _ in range(_ATTEMPTS):
            try:
                # resume: no soft reset, so the interrupted coach leaves its state as it is.
                self.transport.enter_raw_repl(soft_reset=False)
                # A host that died mid-command can leave the REPL mid-answer: check it talks sense.
                if self.transport.exec_raw("print(6 * 7)", timeout=5)[0].strip() == b"42":
                    return self
                problem = "unexpected answer"
            except (TransportError, serial.SerialException, OSError) as exc:
                problem = str(exc)
            self._drain()
        self.close()
        raise LinkError(f"no answer from a MicroPython REPL on {self.port} ({problem})")

    def _drain(self) -> None:
        """Read whatever the device is still sending, until it has been quiet a moment."""
        port = self.transport.serial
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < _QUIET_S:
            try:
                waiting = port.in_waiting
                data = port.read(waiting) if waiting else b""
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
        """Run code on the device; its printed output. progress(n) gets the bytes as they arrive."""
        received = []

        def consumer(data):
            # mpremote hands over the output as it comes and keeps none of it.
            received.append(data)
            if progress is not None:
                progress(len(data))

        try:
            _, err = self.transport.exec_raw(code, timeout=20, data_consumer=consumer)
        except (TransportError, serial.SerialException, OSError) as exc:
            raise LinkError(f"lost the device on {self.port} ({exc})") from exc
        out = b"".join(received).removesuffix(b"\x04")
        if err:
            last = err.decode(errors="replace").strip().splitlines()[-1:]
            raise LinkError(f"the device failed: {last[0] if last else 'no message'}")
        return out.decode(errors="replace")

    def call_json(self, code: str, with_remote: bool = True) -> dict:
        out = self.call(code) if with_remote else self.run_code(code)
        try:
            return json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError) as exc:
            raise LinkError(f"unexpected answer from the device: {out.strip()[:80]!r}") from exc

    def start_coach(self, quietly: bool = False) -> None:
        """Restart the firmware and let go (no answer is awaited). Quietly: if the link
        is already gone there is nothing to do, and the error that broke it is what counts.

        A board where no coach has run since power-up (MicroPython just flashed) is reset,
        which runs main.py; so is a CircuitPython board (its REPL is a new VM, with no coach in
        it), where the reset runs boot.py and code.py."""
        try:
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


@contextmanager
def coach_stopped(port: str | None):
    """The coach on `port` (or the one found over USB) stopped at its REPL for the block,
    and started again after it, whatever happened inside."""
    with Link(find_port(port)) as link:
        try:
            yield link
        finally:
            link.start_coach(quietly=True)
