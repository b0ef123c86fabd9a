"""Take the README's pictures of the caregiver's pages (`make web-screenshots`): a week of use on
the simulated coach, synced from the Sync page, then each page in Chromium, and the printout as
pdftoppm draws it. The week ends yesterday, so the Devices page's last 7 days are that week."""

import random
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parents[1] / "tests"
sys.path[:0] = [str(TESTS), str(TESTS / "sim")]

from browser import chromium, follow, missing, nav, web_app  # noqa: E402
from simrun import set_up_before  # noqa: E402
from test_report_e2e import plan, script  # noqa: E402
from test_sync import run_headless, serial_sim  # noqa: E402

WIDTH = 1100


def shoot(page, name: str, full: bool = True) -> None:
    page.wait_for_function("() => [...document.images].every(image => image.complete)")
    page.screenshot(path=str(HERE / f"{name}.png"), full_page=full)
    print(f"wrote docs/web/{name}.png")


def main() -> int:
    why = missing()
    if why:
        print(f"web-screenshots: {why}")
        return 1
    first = date.today() - timedelta(days=7)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        state = set_up_before(tmp / "flash")
        # The coach asks for a pain score after each session, for the report's pain chart.
        (state / "settings.json").write_text('{"pain_check": true}')
        run_headless(state, f"{first}T06:30:00", "7d", script(plan(7, seed=5), pain=random.Random(2)))
        with (
            serial_sim(state, "--start", "now") as port,
            web_app(tmp / "coach.db", "--port", port) as url,
            chromium(WIDTH, 420) as page,
        ):
            page.goto(url + "sync")
            follow(page, page.get_by_role("button", name="Sync now"))
            page.wait_for_selector('#status[data-state="done"]')
            shoot(page, "sync")
            nav(page, "Patient")
            form = page.locator("form.patient-form").first
            form.get_by_label("Name or clinic ID").fill("Ward 4, bed 2")
            form.get_by_label("Goal, % of prompts a day").fill("80")
            follow(page, form.get_by_role("button", name="Save"))
            shoot(page, "patient")
            nav(page, "Devices")
            shoot(page, "devices")
            nav(page, "Report")
            page.fill('input[name="from"]', first.isoformat())
            page.fill('input[name="to"]', (first + timedelta(days=6)).isoformat())
            follow(page, page.get_by_role("button", name="Show"))
            shoot(page, "report")
            with page.expect_download() as download:
                page.get_by_role("link", name="Print with the patient's sheet").click()
            pdf = tmp / "printout.pdf"
            download.value.save_as(pdf)
            nav(page, "Settings")
            # A wrong value, as the page shows it: named beside its field, nothing written.
            page.fill("#volume", "9")
            follow(page, page.get_by_role("button", name="Check and write to the coach"))
            shoot(page, "settings")
        for number, name in ((1, "printout"), (2, "handout")):
            stem = HERE / name
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "80",
                    "-f",
                    str(number),
                    "-l",
                    str(number),
                    "-singlefile",
                    "-png",
                    str(pdf),
                    str(stem),
                ],
                check=True,
            )
            print(f"wrote docs/web/{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
