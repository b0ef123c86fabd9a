"""The link to a device (host_tools/anklepump/device/link.py) against a device at the far end of
a pseudo-terminal (tests/host/fakedevice.py): a port with no MicroPython on it is given up in the
time the error states, and an answer too slow or too long is given up without holding it all."""

import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from anklepump.device import link
from fakedevice import FakeDevice

ANKLEPUMP = str(Path(sys.executable).parent / "anklepump")


@pytest.mark.parametrize("mode", ["silent", "echo", "junk"])
def test_a_port_with_no_micropython_is_given_up_within_the_time_stated(tmp_path, mode):
    with FakeDevice(mode=mode) as fake:
        start = time.monotonic()
        done = subprocess.run(
            [ANKLEPUMP, "sync", "--port", fake.port, "--db", str(tmp_path / "coach.db")],
            capture_output=True,
            text=True,
            timeout=300,
        )
        took = time.monotonic() - start
    assert (done.returncode, done.stdout) == (1, "")
    first, _, rest = done.stderr.partition(" within 10 s (")
    assert first == f"anklepump: no MicroPython answered on {fake.port}", done.stderr
    assert rest.endswith("): is it the coach's port, with MicroPython on it (anklepump flash)?\n")
    assert len(done.stderr.splitlines()) == 1
    # Ten seconds, and what starting the program takes; never the minutes it took before.
    assert 10 <= took < 60
    assert not (tmp_path / "coach.db").exists()


def test_an_answer_that_trickles_is_given_up_in_the_calls_time(monkeypatch):
    monkeypatch.setattr(link, "CALL_S", 2.0)
    # A byte every half second: never quiet for long, and never done.
    trickle = [(0.5, b"x")] * 60
    with (
        FakeDevice([("remote.info()", lambda command: trickle)]) as fake,
        link.Link(fake.port) as device,
        pytest.raises(link.LinkError) as error,
    ):
        device.call_json("remote.info()")
    assert str(error.value) == f"lost the device on {fake.port} (no whole answer in 2 s)"


def test_a_device_that_goes_quiet_mid_answer_is_given_up(monkeypatch):
    monkeypatch.setattr(link, "QUIET_S", 1.0)
    with (
        FakeDevice([("remote.info()", lambda command: [(0, b"{"), (120, b"}")])]) as fake,
        link.Link(fake.port) as device,
        pytest.raises(link.LinkError) as error,
    ):
        device.call_json("remote.info()")
    assert str(error.value) == f"lost the device on {fake.port} (nothing from the device for 1 s)"


def test_an_answer_too_long_is_refused_without_holding_more_than_it(monkeypatch):
    monkeypatch.setattr(link, "MAX_ANSWER", 256 * 1024)
    line = b"A" * 682 + b"\r\n"
    flood = line * (4 * 1024 * 1024 // len(line))
    with FakeDevice([("remote.read(", flood)]) as fake, link.Link(fake.port) as device:
        tracemalloc.start()
        try:
            with pytest.raises(link.LinkError) as error:
                device.call("remote.read(0)")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert str(error.value) == f"lost the device on {fake.port} (the answer passed 262,144 bytes)"
    assert peak < 4 * 1024 * 1024


def test_a_long_answer_within_the_bounds_arrives_whole_and_lean():
    line = b"B" * 682 + b"\r\n"
    answer = line * 1000
    with FakeDevice([("remote.read(", answer)]) as fake, link.Link(fake.port) as device:
        tracemalloc.start()
        try:
            out = device.call("remote.read(0)")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert out == answer.decode()
    # The answer and a copy or two of it: not a byte object for every byte received.
    assert peak < 8 * len(answer)


def test_the_ch343_bridge_is_found(monkeypatch):
    class Port:
        device, vid, pid = "/dev/ttyACM7", 0x1A86, 0x55D3

    monkeypatch.setattr(link.serial.tools.list_ports, "comports", lambda: [Port()])
    assert link.find_port(None) == "/dev/ttyACM7"
