"""The web app's pages over a real database, through Flask's test client: the report's numbers
are the command's, and nothing changes without this run's token, from this app's own pages."""

import base64
import json
import re
import subprocess
import sys
import time
from datetime import datetime
from html import unescape
from pathlib import Path

import pytest
from anklepump.report.language import CHINESE
from anklepump.store.database import Store
from anklepump.web.app import create_app
from test_report import DEVICE, Journal, anklepump_report, at, cjk_or_skip, database, run_json

ANKLEPUMP = str(Path(sys.executable).parent / "anklepump")
BASE = "http://127.0.0.1:8765"


def a_week():
    journal = Journal("j1")
    for day in range(7):
        for hour in range(7, 12):
            if (day + hour) % 3:
                journal.done(day, hour)
            else:
                journal.missed(day, hour)
    journal.log("pain", at(2, 9, 10), score=4)
    return journal


@pytest.fixture
def db(tmp_path):
    return database(tmp_path, (DEVICE, a_week()))


def client(db, password=None):
    app = create_app(str(db), None, "127.0.0.1", 8765, password)
    return app.test_client()


def cells(html: str, table: str) -> list[list[str]]:
    body = html.split(f'<table class="{table}">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [[unescape(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)] for row in rows]


def token(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_the_report_page_shows_the_commands_numbers(tmp_path, db):
    figures = run_json(tmp_path, db, "--utc-offset", "0")
    page = client(db).get("/report?from=2026-11-23&to=2026-11-29", base_url=BASE)
    assert page.status_code == 200
    rows = cells(page.text, "days")
    days = rows[1:-1]
    assert [r[1] for r in days] == [f"{d['done']} / {d['expected']}" for d in figures["days"]]
    assert [r[2] for r in days] == [f"{d['adherence']:.1f}%" for d in figures["days"]]
    done, expected = sum(d["done"] for d in figures["days"]), sum(d["expected"] for d in figures["days"])
    assert rows[-1][:2] == ["total", f"{done} / {expected}"]
    for chart in ("adherence", "hours", "pain"):
        png = client(db).get(f"/report/{chart}.png?from=2026-11-23&to=2026-11-29", base_url=BASE)
        assert png.status_code == 200 and png.data.startswith(b"\x89PNG")


def test_the_report_page_shows_the_range_asked_and_days_without_data(tmp_path, db):
    web = client(db)
    page = web.get("/report?from=2026-11-20&to=2026-11-30", base_url=BASE).text
    rows = cells(page, "days")[1:-1]
    assert [r[0][:10] for r in rows] == ["Fri 20 Nov", "Sat 21 Nov", "Sun 22 Nov"] + [
        f"{day:%a} {day.day} Nov" for day in (datetime(2026, 11, d) for d in range(23, 31))
    ]
    assert [r[1:] for r in rows[:3] + rows[-1:]] == [["no data"]] * 4
    assert '<tr class="no-data"><td>Fri 20 Nov 2026</td><td colspan="8">no data</td></tr>' in page
    # The last 7 days as the command's page words them, over the days with data.
    html = tmp_path / "r.html"
    argv = ["--db", str(db), "--from", "2026-11-20", "--to", "2026-11-30", "--html", str(html), "--quiet"]
    subprocess.run([ANKLEPUMP, "report", *argv], check=True, timeout=300)
    week = re.search(r"<dt>Last 7 days</dt><dd>(.*?)</dd>", html.read_text()).group(1)
    assert "over the 6 days with data (1 day with no data left out)" in week
    assert f"<dt>Last 7 days</dt><dd>{week}</dd>" in page


def test_downloads_are_the_commands_files(tmp_path, db):
    out = tmp_path / "days.csv"
    subprocess.run(
        [ANKLEPUMP, "report", "--db", str(db), "--csv", str(out), "--json", str(tmp_path / "r.json"), "--quiet"],
        check=True,
        timeout=300,
    )
    web = client(db)
    csv = web.get("/report.csv", base_url=BASE)
    assert csv.headers["Content-Disposition"] == 'attachment; filename="ankle-pump-2026-11-23-to-2026-11-29.csv"'
    assert csv.text == out.read_text()
    assert json.loads(web.get("/report.json", base_url=BASE).text) == json.loads((tmp_path / "r.json").read_text())


def test_the_report_page_in_chinese_has_the_same_numbers(db):
    cjk_or_skip()
    web = client(db)
    english = web.get("/report?from=2026-11-23&to=2026-11-29", base_url=BASE).text
    assert '<p class="lang"><strong lang="en">English</strong> / <a lang="zh" hreflang="zh"' in english
    switch = re.search(r'<a lang="zh" hreflang="zh" href="([^"]+)">中文</a>', english).group(1)
    assert unescape(switch) == "/report?from=2026-11-23&to=2026-11-29&lang=zh"
    chinese = web.get(unescape(switch), base_url=BASE).text
    assert '<a lang="en" hreflang="en" href="/report?from=2026-11-23&amp;to=2026-11-29">English</a>' in chinese
    assert '<div class="report" lang="zh-Hans">' in chinese
    # The figures' names, the headings and the table in the report's Chinese, its numbers the English page's.
    names = ("done", "week", "streak", "exercise", "missed", "pain")
    assert re.findall(r"<dt>(.*?)</dt>", chinese) == [CHINESE[k] for k in names]
    for key in ("by_day", "by_hour", "pain", "table"):
        assert f"<h2>{CHINESE[key]}</h2>" in chinese
    assert "<dd>24/35 次提示已完成（68.6%）；目标每天 80%</dd>" in chinese
    assert "<dd>24 of 35 prompted hours (68.6%); goal 80% a day</dd>" in english
    zh_rows, en_rows = cells(chinese, "days"), cells(english, "days")
    assert zh_rows[0] == list(CHINESE["heads"])
    assert [r[0] for r in zh_rows[1:3]] == ["2026年11月23日 周一", "2026年11月24日 周二"]
    assert zh_rows[-1][0] == CHINESE["total"] and en_rows[-1][0] == "total"
    assert [r[1:] for r in zh_rows[1:]] == [r[1:] for r in en_rows[1:]]
    # The charts, the downloads and the range form keep the language.
    for chart in ("adherence", "hours", "pain"):
        assert f'src="/report/{chart}.png?from=2026-11-23&amp;to=2026-11-29&amp;lang=zh"' in chinese
        png = web.get(f"/report/{chart}.png?from=2026-11-23&to=2026-11-29&lang=zh", base_url=BASE)
        assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
        assert png.data != web.get(f"/report/{chart}.png?from=2026-11-23&to=2026-11-29", base_url=BASE).data
    assert '<input type="hidden" name="lang" value="zh">' in chinese
    assert web.get("/report.csv?lang=zh", base_url=BASE).text == web.get("/report.csv", base_url=BASE).text


def test_the_chinese_print_link_serves_the_commands_chinese_page(tmp_path, db):
    from test_printout import pdftotext, poppler_or_skip, weasyprint_or_skip

    cjk_or_skip()
    poppler_or_skip()
    weasyprint_or_skip()
    web = client(db)
    page = web.get("/report?from=2026-11-23&to=2026-11-29&lang=zh", base_url=BASE).text
    links = re.findall(r'<a class="print" href="([^"]+)">', page)
    assert [unescape(link) for link in links] == [
        "/report.pdf?from=2026-11-23&to=2026-11-29&lang=zh",
        "/report.pdf?handout=1&from=2026-11-23&to=2026-11-29&lang=zh",
    ]
    served = tmp_path / "served.pdf"
    got = web.get(unescape(links[0]), base_url=BASE)
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    served.write_bytes(got.data)
    text = pdftotext(served)
    assert text.startswith(CHINESE["title"]) and "Ankle pump exercises" not in text
    assert "设备 53494d000001 · 2026年11月23日 周一 至 2026年11月29日 周日（7 天）" in text
    # `report --pdf --lang zh`'s page for the same days, but for the minute each was made.
    written = tmp_path / "written.pdf"
    argv = ("--db", str(db), "--pdf", str(written), "--from", "2026-11-23", "--to", "2026-11-29", "--lang", "zh")
    assert anklepump_report(*argv, "--quiet") == 0

    def made(text):
        return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d \S+", "WHEN", text)

    assert made(text) == made(pdftotext(written))
    handout = tmp_path / "handout.pdf"
    handout.write_bytes(web.get(unescape(links[1]), base_url=BASE).data)
    assert pdftotext(handout, 2).startswith("您的踝泵运动")


def test_a_report_in_a_language_it_does_not_speak_says_so(db):
    page = client(db).get("/report?lang=fr", base_url=BASE).text
    assert '<p class="error">anklepump: no report in &#39;fr&#39;: give one of en, zh</p>' in page
    assert client(db).get("/report.pdf?lang=fr", base_url=BASE).status_code == 404


def test_a_range_with_nothing_in_it_says_so(db):
    page = client(db).get("/report?from=2026-12-10&to=2026-12-11", base_url=BASE).text
    assert "no records for any device between 2026-12-10 and 2026-12-11" in page
    page = client(db).get("/report?from=2026-12-10&to=2026-12-01", base_url=BASE).text
    assert "from 2026-12-10 is after to 2026-12-01" in page
    assert "not a date YYYY-MM-DD: &#39;tomorrow&#39;" in client(db).get("/report?from=tomorrow", base_url=BASE).text


def test_devices_lists_the_patient_records_and_last_sync(tmp_path):
    # Days up to today, so that they fall in the last 7 days whenever the test runs.
    recent = int(time.time()) // 86400 * 86400 - 3 * 86400
    journal = Journal("j2")
    for day in range(4):
        for hour in (7, 8, 9):
            if (day, hour) == (1, 8):
                journal.prompt(at(day, hour, midnight=recent))
            else:
                journal.done(day, hour, midnight=recent)
    db = database(tmp_path, (DEVICE, journal))
    store = Store(db)
    store.set_patient(DEVICE, "Ward 4, bed 2", 75)
    records = len(list(store.records()))
    store.close()
    rows = cells(client(db).get("/", base_url=BASE).text, "devices")
    assert rows[1][:3] == [DEVICE, "Ward 4, bed 2", "75%"]
    assert rows[1][4] == str(records)
    # The last 7 days up to today, as `report --days 7` counts them.
    week = run_json(tmp_path, db, "--days", "7")["days"]
    done, expected = sum(d["done"] for d in week), sum(d["expected"] for d in week)
    with_data = sum(not d["no_data"] for d in week)
    assert rows[1][5] == f"{100 * done / expected:.1f}% ({with_data} of 7 days with data)"


def test_a_patient_is_stored_only_with_the_runs_token_from_its_own_pages(db):
    web = client(db)
    page = web.get("/patient", base_url=BASE).text
    form = {"device": DEVICE, "name": "Ada L.", "goal": "70"}
    assert web.post("/patient", data=form, base_url=BASE).status_code == 403
    assert web.post("/patient", data={**form, "csrf": "guess"}, base_url=BASE).status_code == 403
    other = {"Origin": "http://evil.example"}
    assert web.post("/patient", data={**form, "csrf": token(page)}, headers=other, base_url=BASE).status_code == 403
    cross = {"Sec-Fetch-Site": "cross-site"}
    assert web.post("/patient", data={**form, "csrf": token(page)}, headers=cross, base_url=BASE).status_code == 403
    # Another app's run has another token.
    assert token(client(db).get("/patient", base_url=BASE).text) != token(page)
    store = Store(db)
    assert store.patient(DEVICE) is None
    store.close()
    same = {"Origin": BASE, "Sec-Fetch-Site": "same-origin"}
    done = web.post("/patient", data={**form, "csrf": token(page)}, headers=same, base_url=BASE)
    assert done.status_code == 200
    assert f"stored: Ada L. (device {DEVICE}), goal 70%" in done.text
    wrong = web.post("/patient", data={**form, "goal": "170", "csrf": token(page)}, base_url=BASE)
    assert wrong.status_code == 422
    assert "goal must be a percentage, 1 to 100: &#39;170&#39;; nothing written" in wrong.text
    store = Store(db)
    assert store.patient(DEVICE) == {"device": DEVICE, "name": "Ada L.", "goal": 70}
    store.close()


def test_every_page_forbids_outside_content_and_other_hosts(db):
    web = client(db)
    for path in ("/", "/sync", "/report", "/patient", "/report/adherence.png"):
        response = web.get(path, base_url=BASE)
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "img-src 'self'" in policy and "script-src" not in policy
        assert response.headers["Cache-Control"] == "no-store"
    # A page elsewhere that points its own name at this address (DNS rebinding) is refused.
    assert web.get("/", base_url="http://attacker.example:8765").status_code == 421
    assert web.get("/", base_url="http://localhost:8765").status_code == 200


def test_a_password_is_asked_for(db):
    web = client(db, password="s3cret")
    assert web.get("/", base_url=BASE).status_code == 401
    wrong = base64.b64encode(b"nurse:guess").decode()
    assert web.get("/", base_url=BASE, headers={"Authorization": f"Basic {wrong}"}).status_code == 401
    right = base64.b64encode(b"nurse:s3cret").decode()
    assert web.get("/", base_url=BASE, headers={"Authorization": f"Basic {right}"}).status_code == 200


def test_listening_beyond_this_computer_needs_a_password(db):
    done = subprocess.run(
        [ANKLEPUMP, "web", "--db", str(db), "--listen", "0.0.0.0:8765", "--no-browser"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "anklepump: --listen 0.0.0.0:8765 lets other computers reach the patients' data: add --password"
        " (asked for, or taken from ANKLEPUMP_WEB_PASSWORD)\n"
    )
    done = subprocess.run(
        [ANKLEPUMP, "web", "--db", str(db), "--listen", "8765"], capture_output=True, text=True, timeout=300
    )
    assert done.stderr == "anklepump: --listen wants ADDRESS:PORT, e.g. 127.0.0.1:8765, got '8765'\n"
