"""The web app in a real browser: Playwright driving Debian's Chromium (/usr/bin/chromium), headless.
Used by the browser tests and by docs/web/take.py; tests skip with the reason when either is missing."""

import os
import re
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

from simrun import ANKLEPUMP

CHROMIUM = os.environ.get("ANKLEPUMP_CHROMIUM") or "/usr/bin/chromium"


def missing() -> str | None:
    """Why no browser test can run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (requirements.txt; make .venv/.installed)"
    if not Path(CHROMIUM).is_file() and not shutil.which(CHROMIUM):
        return f"no Chromium at {CHROMIUM}: make browser installs Debian's chromium"
    return None


@contextmanager
def web_app(db: Path, *extra):
    """`anklepump web` on a free port of 127.0.0.1; yields its address."""
    app = subprocess.Popen(
        [ANKLEPUMP, "web", "--db", str(db), "--listen", "127.0.0.1:0", "--no-browser", *extra],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = app.stdout.readline()
        found = re.match(r"anklepump web: (http://127\.0\.0\.1:\d+/) ", line)
        assert found, line
        yield found.group(1)
    finally:
        app.terminate()
        app.wait(timeout=300)


@contextmanager
def chromium(width=1100, height=900):
    """A headless Chromium page; every wait bounded by 300 s, a hang guard."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
            context.set_default_timeout(300_000)
            yield context.new_page()
        finally:
            browser.close()


def follow(page, target) -> None:
    """Click what loads another page, and wait for that page."""
    with page.expect_navigation():
        target.click()


def nav(page, name: str) -> None:
    """One of the pages, from the bar at the top."""
    follow(page, page.locator("nav").get_by_role("link", name=name, exact=True))
