"""`anklepump report --pdf`: one A4 page a therapist files, and with --handout the patient's sheet
after it. Read back as a person would: its pages and size (pdfinfo), its words (pdftotext), and
its picture (pdftoppm): ink on the page, and the charts' colours where the charts are."""

import random
import re
import shutil
import subprocess
from html import unescape

import pytest
from anklepump.store.database import Store
from test_report import DEVICE, Journal, anklepump_report, at, database
from test_web import ANKLEPUMP, BASE

A4_POINTS = "595.276 x 841.89 pts (A4)"
# The adherence chart's bars (charts.MET, charts.BELOW), as pdftoppm draws them.
MET, BELOW = (0x21, 0x66, 0xAC), (0xE0, 0x82, 0x14)


def poppler_or_skip():
    missing = [tool for tool in ("pdfinfo", "pdftotext", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"no {', '.join(missing)} here: make test-pytest installs Debian's poppler-utils")


def weasyprint_or_skip():
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        pytest.skip(f"WeasyPrint cannot load here ({exc}): it needs Debian's Pango")


@pytest.fixture(autouse=True)
def tools():
    poppler_or_skip()
    weasyprint_or_skip()


def two_weeks(seed=17):
    """Fourteen days from Monday 2026-11-23 (UTC): most prompts done, some missed or stopped
    early, a pain score after some sessions; the second Sunday goes badly."""
    rng = random.Random(seed)
    j = Journal()
    for day in range(14):
        for hour in range(7, 22):
            luck = rng.random() if day != 13 else 0.9
            if luck < 0.75:
                j.done(day, hour)
                if rng.random() < 0.3:
                    j.log("pain", at(day, hour, 5, 30), score=rng.randint(1, 5))
            elif luck < 0.85:
                j.prompt(at(day, hour))
                j.session(at(day, hour, 0, 5), seconds=80, result="partial")
            else:
                j.missed(day, hour)
    return j


def patient_db(tmp_path, journal, name="Ada L.", goal=80):
    db = database(tmp_path, (DEVICE, journal))
    store = Store(db)
    store.set_patient(DEVICE, name, goal)
    store.close()
    return db


def pdfinfo(path) -> dict:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True, timeout=300).stdout
    return dict(re.findall(r"^([^:]+):\s+(.*)$", out, flags=re.M))


def pdftotext(path, page=None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True, check=True, timeout=300)
    return " ".join(out.stdout.split())


def word_heights(path, page, words) -> list[float]:
    """The heights in points of these words, in a row, on the page (pdftotext's boxes)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout
    boxes = [
        (unescape(word), float(y0), float(y1))
        for y0, y1, word in re.findall(
            r'<word xMin="[^"]+" yMin="([^"]+)" xMax="[^"]+" yMax="([^"]+)">([^<]*)</word>', out
        )
    ]
    wanted = words.split()
    for i in range(len(boxes) - len(wanted) + 1):
        if [w for w, _, _ in boxes[i : i + len(wanted)]] == wanted:
            return [y1 - y0 for _, y0, y1 in boxes[i : i + len(wanted)]]
    raise AssertionError(f"{words!r} not on page {page}")


def render(path, tmp_path, page=1, dpi=50):
    """The page as rows of RGB pixels."""
    stem = tmp_path / f"page-{page}"
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(path), str(stem)],
        check=True,
        timeout=300,
    )
    data = (tmp_path / f"page-{page}.ppm").read_bytes()
    # Binary PPM: P6, width height, maxval, then the pixels.
    magic, width, height, _, pixels = data.split(maxsplit=4)
    assert magic == b"P6"
    width, height = int(width), int(height)
    return [[tuple(pixels[(y * width + x) * 3 : (y * width + x) * 3 + 3]) for x in range(width)] for y in range(height)]


def near(pixel, colour, by=40):
    return all(abs(a - b) <= by for a, b in zip(pixel, colour))


def test_one_a4_page_with_the_patient_the_range_the_goal_and_each_day(tmp_path, capsys):
    db = patient_db(tmp_path, two_weeks())
    out = tmp_path / "report.pdf"
    assert anklepump_report("--db", str(db), "--pdf", str(out), "--utc-offset", "0", "--quiet") == 0
    assert capsys.readouterr().out == ""
    info = pdfinfo(out)
    assert info["Pages"] == "1"
    assert info["Page size"] == A4_POINTS
    text = pdftotext(out)
    assert "Ankle pump exercises: report" in text
    assert "Patient: Ada L. (device 53494d000001), goal 80%" in text
    assert "Mon 23 Nov 2026 to Sun 6 Dec 2026 (14 days)" in text
    assert "Therapist's goal: 80% of prompted hours done each day" in text
    # The period's figure and the calendar's: each day, and the week's total at the row's end.
    json_out = tmp_path / "r.json"
    anklepump_report("--db", str(db), "--json", str(json_out), "--utc-offset", "0", "--quiet")
    days = __import__("json").loads(json_out.read_text())["days"]
    done = sum(d["done"] for d in days)
    expected = sum(d["expected"] for d in days)
    assert f"({done} of {expected})" in text
    for d in days:
        assert f"{d['done']}/{d['expected']} {d['adherence']}%" in text
    last = days[-1]
    assert last["adherence"] < 80
    # The patient's box: the exercise and the sounds.
    assert "For the patient" in text
    assert "Hold about 10 seconds" in text
    assert "two short notes, rising toes UP towards you, and hold" in text
    assert "one long, lower note toes DOWN, and hold" in text


def test_the_page_is_drawn_with_its_charts(tmp_path):
    db = patient_db(tmp_path, two_weeks())
    out = tmp_path / "report.pdf"
    assert anklepump_report("--db", str(db), "--pdf", str(out), "--utc-offset", "0", "--quiet") == 0
    rows = render(out, tmp_path)
    height, width = len(rows), len(rows[0])
    # A4 at 50 dpi.
    assert (width, height) == (414, 585)
    inked = sum(1 for row in rows for p in row if sum(p) < 600)
    assert inked > width * height // 20
    # The adherence chart's bars: blue for days at the goal, orange under it, in the page's upper
    # half (under the headline, over the hour-by-hour map).
    upper = rows[: height // 2]
    met = [y for y, row in enumerate(upper) for p in row if near(p, MET)]
    below = [y for y, row in enumerate(upper) for p in row if near(p, BELOW)]
    assert len(met) > 200 and len(below) > 20
    # The patient's box is framed in green, in the lower half.
    green = [y for y, row in enumerate(rows) for p in row if near(p, (0x5A, 0x8F, 0x3A), 30)]
    assert green and min(green) > height // 2


def test_the_handout_is_a_second_page_in_large_print(tmp_path):
    db = patient_db(tmp_path, two_weeks())
    out = tmp_path / "report.pdf"
    argv = ("--db", str(db), "--pdf", str(out), "--handout", "--utc-offset", "0", "--quiet")
    assert anklepump_report(*argv) == 0
    assert pdfinfo(out)["Pages"] == "2"
    first, second = pdftotext(out, 1), pdftotext(out, 2)
    assert "Ankle pump exercises: report" in first and "Your ankle pump exercises" not in first
    assert second.startswith("Your ankle pump exercises For Ada L.")
    assert "Point your toes down, as far as they go. Hold about 10 seconds." in second
    assert "three notes rising Time for your exercise" in second
    # Large print: the patient's steps stand twice as tall as the same words on the report's page.
    step = "Point your toes down, as far as they go."
    on_report, on_handout = word_heights(out, 1, step), word_heights(out, 2, step)
    assert min(on_handout) > 1.8 * max(on_report)
    assert min(on_handout) >= 14 * 0.9  # points: 14 pt type
    rows = render(out, tmp_path, page=2)
    assert sum(1 for row in rows for p in row if sum(p) < 600) > 2000


def test_a_long_range_still_fits_one_page(tmp_path):
    j = Journal()
    rng = random.Random(3)
    for day in range(90):
        for hour in range(7, 22):
            if rng.random() < 0.8:
                j.done(day, hour)
            else:
                j.missed(day, hour)
    db = database(tmp_path, (DEVICE, j))
    out = tmp_path / "report.pdf"
    assert anklepump_report("--db", str(db), "--pdf", str(out), "--utc-offset", "0", "--quiet") == 0
    assert pdfinfo(out)["Pages"] == "1"
    text = pdftotext(out)
    assert "(90 days)" in text
    assert "the default: none set for this patient" in text


def test_the_printout_in_chinese(tmp_path):
    from test_report import cjk_or_skip

    cjk_or_skip()
    db = patient_db(tmp_path, two_weeks(), name="王芳")
    out = tmp_path / "report.pdf"
    argv = ("--db", str(db), "--pdf", str(out), "--handout", "--utc-offset", "0", "--quiet", "--lang", "zh")
    assert anklepump_report(*argv) == 0
    assert pdfinfo(out)["Pages"] == "2"
    first = pdftotext(out, 1)
    assert "踝泵运动报告" in first
    assert "患者：王芳（设备 53494d000001），目标 80%" in first
    assert "治疗师的目标：每天完成 80% 的提示" in first
    assert "勾脚（脚尖朝向自己），保持" in first
    assert pdftotext(out, 2).startswith("您的踝泵运动 王芳")
    # Every character is drawn in the page's own font (the WenQuanYi subset), embedded in the file.
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True, timeout=300).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all(row[0].split("+")[1].startswith("Report-CJK") for row in rows), fonts
    assert all(row[-5] == "yes" for row in rows), fonts


def test_handout_without_pdf_is_one_line(tmp_path):
    db = patient_db(tmp_path, two_weeks())
    done = subprocess.run(
        [ANKLEPUMP, "report", "--db", str(db), "--handout"], capture_output=True, text=True, timeout=300
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "anklepump: --handout is the second page of --pdf: give --pdf FILE too\n"


def test_the_web_apps_print_link_serves_the_same_page(tmp_path):
    from anklepump.web.app import create_app

    db = patient_db(tmp_path, two_weeks())
    web = create_app(str(db), None, "127.0.0.1", 8765, None).test_client()
    page = web.get("/report?from=2026-11-23&to=2026-12-06", base_url=BASE)
    links = re.findall(r'<a class="print" href="([^"]+)">([^<]+)</a>', page.text)
    assert [name for _, name in links] == ["Print (PDF, one page)", "Print with the patient's sheet"]
    for (href, _), pages in zip(links, ("1", "2")):
        got = web.get(href.replace("&amp;", "&"), base_url=BASE)
        assert got.status_code == 200 and got.mimetype == "application/pdf"
        disposition = 'attachment; filename="ankle-pump-2026-11-23-to-2026-12-06.pdf"'
        assert got.headers["Content-Disposition"] == disposition
        served = tmp_path / f"served-{pages}.pdf"
        served.write_bytes(got.data)
        assert pdfinfo(served)["Pages"] == pages
    # The command's page, for the same days: the same words but the minute it was made.
    written = tmp_path / "written.pdf"
    argv = ("--db", str(db), "--pdf", str(written), "--from", "2026-11-23", "--to", "2026-12-06", "--quiet")
    assert anklepump_report(*argv) == 0

    def made(text):
        return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d \S+", "WHEN", text)

    assert made(pdftotext(tmp_path / "served-1.pdf")) == made(pdftotext(written))


def test_a_day_without_records_says_no_data(tmp_path):
    j = Journal()
    for day in (0, 1, 2, 4, 5, 6):
        for hour in range(7, 22):
            j.done(day, hour)
    db = database(tmp_path, (DEVICE, j))
    out = tmp_path / "report.pdf"
    assert anklepump_report("--db", str(db), "--pdf", str(out), "--utc-offset", "0", "--quiet") == 0
    assert pdfinfo(out)["Pages"] == "1"
    text = pdftotext(out)
    assert "Thu 26 no data" in text
    assert "90/90 100.0%" in text
