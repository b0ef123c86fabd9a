"""The caregiver's pages in a real browser (Chromium, driven by Playwright) against the firmware on
the simulated board (`anklepump sim --serial`): a week of use synced from the Sync page, its
numbers read off the Report page and the Devices page, a setting refused and one written through
the form (checked with `config show`), and the printout downloaded."""

import json
import re
import shutil
import subprocess

import pytest
from browser import chromium, follow, missing, nav, web_app
from simrun import ANKLEPUMP, set_up_before
from test_report_e2e import plan, script
from test_sync import run_headless, serial_sim

WEEK_START = "2026-11-23T06:30:00"
AFTER = "2026-11-30T09:30:00"


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    """A simulated week on the coach's flash: the patient answered most prompts."""
    if missing():
        pytest.skip(missing())
    tmp = tmp_path_factory.mktemp("week")
    state = set_up_before(tmp / "flash")
    logged = run_headless(state, WEEK_START, "7d", script(plan(7, seed=5)))
    return state, logged, tmp


def config_show(port):
    done = subprocess.run([ANKLEPUMP, "config", "show", "--port", port], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return {line.split()[0]: line.split()[1] for line in done.stdout.splitlines() if line and line[0] != " "}


def test_sync_read_the_report_change_a_setting_and_print(week):
    state, logged, tmp = week
    db = tmp / "coach.db"
    with serial_sim(state, "--start", AFTER) as port, web_app(db, "--port", port) as url, chromium() as page:
        # Devices: nothing synced yet; the coach is plugged in.
        page.goto(url)
        assert page.title() == "Devices · Ankle Pump Coach"
        nav(page, "Sync")
        assert page.locator(".plugged").inner_text() == f"Coach connected: {port}"

        # Sync: one click, progress while it reads, then the command's own lines.
        follow(page, page.get_by_role("button", name="Sync now"))
        page.wait_for_selector('#status[data-state="done"]')
        lines = page.locator("#status p.ok").all_inner_texts()
        assert re.match(rf"synced 53494d000001: {len(logged) + 1} new records \(\d+ sessions\), clock set", lines[0])

        # The report, as the command counts it over the same days.
        out = tmp / "week.json"
        argv = ["--db", str(db), "--from", "2026-11-23", "--to", "2026-11-29", "--json", str(out), "--quiet"]
        subprocess.run([ANKLEPUMP, "report", *argv], check=True, timeout=300)
        figures = json.loads(out.read_text())
        follow(page, page.get_by_role("link", name="Open the report"))
        page.fill('input[name="from"]', "2026-11-23")
        page.fill('input[name="to"]', "2026-11-29")
        follow(page, page.get_by_role("button", name="Show"))
        assert page.locator(".span").inner_text() == "Mon 23 Nov 2026 to Sun 29 Nov 2026 (7 days)"
        rows = page.locator("table.days tbody tr").all()
        assert len(rows) == 7
        for row, day in zip(rows, figures["days"]):
            cells = row.locator("td").all_inner_texts()
            assert cells[1:3] == [f"{day['done']} / {day['expected']}", f"{day['adherence']:.1f}%"]
        done = sum(d["done"] for d in figures["days"])
        expected = sum(d["expected"] for d in figures["days"])
        assert page.locator("table.days tfoot td").all_inner_texts()[:2] == ["total", f"{done} / {expected}"]
        # The charts came, drawn by the command's own code.
        page.wait_for_function("() => [...document.images].every(image => image.complete)")
        charts = page.locator("figure img").all()
        assert [chart.get_attribute("alt") for chart in charts] == [
            "adherence by day, with the goal as a line",
            "each day's prompts by hour and outcome",
        ]
        assert [chart.evaluate("image => image.naturalWidth") for chart in charts] == [1500] * 2
        assert "No pain scores recorded" in page.locator("main").inner_text()

        # The printout: the same range, one A4 page.
        with page.expect_download() as download:
            page.get_by_role("link", name="Print (PDF, one page)").click()
        assert download.value.suggested_filename == "ankle-pump-2026-11-23-to-2026-11-29.pdf"
        pdf = tmp / "printed.pdf"
        download.value.save_as(pdf)
        assert pdf.read_bytes().startswith(b"%PDF-")
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=300)
            assert re.search(r"^Pages:\s+1$", info.stdout, re.M), info.stdout

        # Patient: who the coach is lent to, and the therapist's goal.
        nav(page, "Patient")
        form = page.locator("#patient-53494d000001")
        form.get_by_label("Name or clinic ID").fill("Ward 4, bed 2")
        form.get_by_label("Goal, % of prompts a day").fill("75")
        follow(page, form.get_by_role("button", name="Save"))
        assert page.locator(".notice").inner_text() == "stored: Ward 4, bed 2 (device 53494d000001), goal 75%"

        # Devices: the coach, connected, with every record it sent.
        nav(page, "Devices")
        cells = page.locator("table.devices tbody tr").first.locator("td").all_inner_texts()
        assert cells[:3] == ["53494d000001 connected", "Ward 4, bed 2", "75%"]
        assert cells[4] == str(len(logged) + 1)

        # Settings: a wrong value is named beside its field and nothing is written.
        nav(page, "Settings")
        assert page.input_value("#volume") == "2"
        page.fill("#volume", "9")
        follow(page, page.get_by_role("button", name="Check and write to the coach"))
        assert page.locator("#error-volume").inner_text() == "volume=9: volume must be 0 to 3, got 9; nothing written"
        assert page.locator("#row-volume").get_attribute("class") == "wrong"
        assert config_show(port)["volume"] == "2"
        # A right one is written as config set writes it.
        page.fill("#volume", "3")
        follow(page, page.get_by_role("button", name="Check and write to the coach"))
        assert page.locator(".notice").inner_text() == "written: volume = 3; the coach restarted with them"
        assert page.input_value("#volume") == "3"
        assert config_show(port)["volume"] == "3"
