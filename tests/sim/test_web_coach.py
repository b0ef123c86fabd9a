"""The web app's Sync and Settings pages against the firmware on the simulated board
(`anklepump sim --serial`), through Flask's test client: what the pages do reaches the device."""

import json
import re
import threading
from html import unescape

from anklepump.web.app import create_app
from simrun import flash_read, set_up_before
from test_sync import run_headless, serial_sim, stored

BASE = "http://127.0.0.1:8765"


def form_of(page: str) -> dict:
    """The settings form's fields as the page shows them, and its token."""
    form = dict(re.findall(r'<input id="(\w+)" name="\w+" value="([^"]*)"', page))
    for key, options in re.findall(r'<select id="(\w+)" name="\w+">(.*?)</select>', page, re.S):
        form[key] = re.search(r"<option selected>(.*?)</option>", options).group(1)
    form["csrf"] = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    return form


def finished_sync():
    for thread in threading.enumerate():
        if thread.name == "sync":
            thread.join(300)


def test_sync_and_settings_from_the_pages_reach_the_coach(tmp_path):
    state = set_up_before(tmp_path / "flash")
    db = tmp_path / "coach.db"
    logged = run_headless(state, "2026-11-24T06:30:00", "3h", "07:00:05 press\n08:00:05 press\n")
    with serial_sim(state, "--start", "2026-11-24T09:30:00") as port:
        web = create_app(str(db), port, "127.0.0.1", 8765, None).test_client()
        page = web.get("/sync", base_url=BASE).text
        assert f"Coach connected: <b>{port}</b>" in page
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        assert web.post("/sync", data={"csrf": token}, base_url=BASE).status_code == 303
        # A second click while it runs starts nothing.
        again = web.post("/sync", data={"csrf": token}, base_url=BASE)
        finished_sync()
        assert again.headers["Location"] == "/sync?refused=1"
        page = web.get("/sync", base_url=BASE).text
        lines = [unescape(line) for line in re.findall(r'<p class="ok">(.*?)</p>', page)]
        assert lines[0].startswith(f"synced 53494d000001: {len(logged) + 1} new records (2 sessions), clock set")
        assert len(stored(db)) == len(logged) + 1

        page = web.get("/settings", base_url=BASE).text
        form = form_of(page)
        assert form["volume"] == "2" and form["circles"] == "false"
        refused = web.post("/settings", data={**form, "volume": "9", "hold_seconds": "ten"}, base_url=BASE)
        assert refused.status_code == 422
        errors = dict(re.findall(r'<span class="error field-error" id="error-(\w+)">(.*?)</span>', refused.text))
        assert {k: unescape(v) for k, v in errors.items()} == {
            "volume": "volume=9: volume must be 0 to 3, got 9; nothing written",
            "hold_seconds": 'hold_seconds="ten": hold_seconds must be a whole number, got "ten"; nothing written',
        }
        assert flash_read(state, "settings.json") is None
        pair = web.post("/settings", data={**form, "display_off_seconds": "10"}, base_url=BASE)
        assert pair.status_code == 422
        assert re.search(r'id="error-display_off_seconds">display_off_seconds \(10\) must not be less', pair.text)
        assert flash_read(state, "settings.json") is None
        written = web.post("/settings", data={**form, "volume": "3", "circles": "true"}, base_url=BASE)
        assert written.status_code == 303
        notice = web.get(written.headers["Location"], base_url=BASE).text
        assert "written: circles = true, volume = 3; the coach restarted with them" in unescape(notice)
        assert json.loads(flash_read(state, "settings.json")) == {"circles": True, "volume": 3}
