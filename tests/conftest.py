import importlib.util
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
# Device tests import firmware modules the way the board does (device/ is the flash root),
# and share helpers that must also run under MicroPython, so they live beside the tests.
sys.path.insert(0, str(TESTS.parent / "device"))
sys.path.insert(0, str(TESTS / "device"))
sys.path.insert(0, str(TESTS))

if importlib.util.find_spec("framebuf") is None:
    # The screens are tested under MicroPython, which has the real framebuf.
    collect_ignore = ["device/test_screens.py"]
    # The SSD1306 driver's pixel layout needs the real framebuf too.
    collect_ignore.append("device/test_board_ssd1306.py")
    # So does the app on the simulated board, whose display is a framebuf.
    collect_ignore.append("device/test_app.py")
    collect_ignore.append("device/test_board_virtual.py")


@pytest.fixture(scope="session")
def postgres_server():
    """A throw-away PostgreSQL server (tests/pgserver.py) for the whole run; skips, saying
    why, where none can start."""
    import pgserver

    try:
        server = pgserver.start()
    except pgserver.NoServer as exc:
        pytest.skip(f"no PostgreSQL server could start here: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_location(request, tmp_path):
    """Where a test's database is: a file, or a fresh database on the PostgreSQL server."""
    if request.param == "sqlite":
        return tmp_path / "coach.db"
    server = request.getfixturevalue("postgres_server")
    return server.database("t" + str(abs(hash(request.node.nodeid)) % 10**12))
