"""The report as one A4 page for a therapist to file (`report --pdf`), and with `--handout` a
second page for the patient in large print: how to do the exercise and what the coach's sounds
mean. Print-styled HTML from the report's own figures and charts, made into PDF by WeasyPrint.

The page: who and when, the figures over the period and the goal, the charts, each day's
adherence in a calendar, and a box for the patient. The exercise is told as the source article
tells it (/work/shared/reference: lie or sit, toes up as far as it goes without pain, hold about
ten seconds, toes down, hold, five minutes an hour); the sounds as device/sounds.py plays them.
"""

import base64
from datetime import datetime, timedelta
from html import escape

from .language import ENGLISH_WORDS, Words
from .page import key_figures, span_text
from .summary import Day, Summary, fmt, total


class PrintoutError(Exception):
    pass


# The coach's cues in the order a patient meets them: what each sounds like, what it asks.
_SOUNDS = ("chime", "reminder", "tick", "up", "down", "circles", "melody", "pain", "error")

ENGLISH = {
    "for_patient": "For the patient",
    "how": "how to do it",
    "colon": ": ",
    "steps": (
        "Lie or sit in bed, legs out straight, thighs relaxed.",
        "Slowly but firmly pull your toes up towards you, as far as they go without pain "
        "(a little is all right). Hold about 10 seconds.",
        "Point your toes down, as far as they go. Hold about 10 seconds.",
        "Keep going, up and down, until the coach plays its closing tune: 5 minutes every hour.",
    ),
    "care": "If it hurts, move less far and less often at first, then build up. Not after surgery on "
    "the ankle itself, nor with the foot in a cast or splint, unless the therapist says so.",
    "why": "Why: the calf muscles work like a pump, pushing blood and fluid back up the leg. "
    "It lessens swelling and helps prevent clots after an operation.",
    "sounds": "What the sounds mean",
    "sound": {
        "chime": (
            "three notes rising",
            "Time for your exercise: press the button to start (hold it: again in 10 minutes)",
        ),
        "reminder": ("two short beeps, every 5 minutes", "the exercise is still waiting"),
        "tick": ("soft clicks, 3-2-1", "get ready, the next movement is coming"),
        "up": ("two short notes, rising", "toes UP towards you, and hold"),
        "down": ("one long, lower note", "toes DOWN, and hold"),
        "circles": ("three notes, up and back", "circle the ankle slowly (when the therapist turned it on)"),
        "melody": ("four notes rising", "done: well done!"),
        "pain": ("two quick notes, then a higher one", "how much pain? a press for each point, hold to save"),
        "error": ("a warble, repeated", "the coach had a problem and restarts itself; tell the caregiver"),
    },
    "buttons": "The button: press to start or pause, hold to snooze a prompt or to stop early, press twice "
    "for not now (no more sound until the next hour).",
    "period": "Over the period",
    "period_text": "of prompted hours done ({done} of {expected})",
    "goal": "Therapist's goal",
    "goal_set": "{goal}% of prompted hours done each day",
    "goal_default": "{goal}% of prompted hours done each day (the default: none set for this patient)",
    "met_days": "Days at the goal",
    "met_days_text": "{met} of {days} with prompts",
    "calendar": "Each day: done / expected, adherence",
    "weekdays": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "week_total": "week",
    "no_prompts_cell": "no prompts",
    "below_key": "orange: under the goal",
    "no_pain_short": "No pain scores recorded.",
    "no_hours_short": "No prompts in this range.",
    "footer": "done: prompts answered by a complete session, and hours with a session already done; "
    "expected: the hourly prompts and those hours. Generated {when} by anklepump.",
    "handout_title": "Your ankle pump exercises",
    "handout_for": "For {name}",
    "handout_intro": "Every hour in the day the coach chimes. Then do your ankle pumps:",
    "handout_goal": "Try to do it every time the coach asks.",
    "handout_stop": "Stop and tell the nurse if the calf is hot, red or newly swollen, or the pain grows.",
}

CHINESE = {
    "for_patient": "给患者",
    "how": "怎么做",
    "colon": "：",
    "steps": (
        "平躺或坐在床上，双腿伸直，大腿放松。",
        "缓慢而用力地勾脚（脚尖朝向自己），在不痛或微痛的范围内尽量勾到最大，保持约 10 秒。",
        "再绷脚（脚尖向下），尽量绷到最大，保持约 10 秒。",
        "反复勾脚、绷脚，直到设备奏出结束的曲子：每小时 5 分钟。",
    ),
    "care": "疼痛明显时，先减小幅度和次数，再逐渐增加。踝关节手术后、石膏或夹板固定者不宜（治疗师另有嘱咐除外）。",
    "why": "作用：小腿肌肉像泵一样，把血液和淋巴液挤回去，减轻肿胀，预防术后血栓。",
    "sounds": "声音的意思",
    "sound": {
        "chime": ("三个上升的音", "该做踝泵了：按一下按钮开始（按住：10 分钟后再提醒）"),
        "reminder": ("两声短促的嘀，每 5 分钟", "练习还在等您"),
        "tick": ("轻轻的嗒声 3-2-1", "准备，马上换动作"),
        "up": ("两个短音，由低到高", "勾脚（脚尖朝向自己），保持"),
        "down": ("一个较低的长音", "绷脚（脚尖向下），保持"),
        "circles": ("三个音，升而复降", "慢慢绕圈转动踝关节（治疗师开启时）"),
        "melody": ("四个上升的音", "做完了，很好！"),
        "pain": ("两个快音，再一个高音", "疼痛几分？每按一下加一分，按住保存"),
        "error": ("反复的颤音", "设备出了问题，会自动重启；请告诉照护者"),
    },
    "buttons": "按钮：按一下开始或暂停，按住可稍后提醒或提前结束，双击表示这次不做（到下一小时不再响）。",
    "period": "整个期间",
    "period_text": "的提示已完成（{done}/{expected}）",
    "goal": "治疗师的目标",
    "goal_set": "每天完成 {goal}% 的提示",
    "goal_default": "每天完成 {goal}% 的提示（默认值：未为此患者设定）",
    "met_days": "达标天数",
    "met_days_text": "{days} 个有提示的日子中 {met} 天",
    "calendar": "每天：完成 / 应做，完成率",
    "weekdays": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "week_total": "本周",
    "no_prompts_cell": "无提示",
    "below_key": "橙色：低于目标",
    "no_pain_short": "没有疼痛评分。",
    "no_hours_short": "此期间没有提示。",
    "footer": "完成：以完整训练回应的提示，以及已做过训练的小时；应做：每小时的提示及上述小时。"
    "由 anklepump 生成于 {when}。",
    "handout_title": "您的踝泵运动",
    "handout_for": "{name}",
    "handout_intro": "白天每小时设备会响铃提示。这时请做踝泵运动：",
    "handout_goal": "设备每次提示时，都尽量做。",
    "handout_stop": "如果小腿发热、发红或新出现肿胀，或疼痛加重，请停止并告诉护士。",
}

TABLES = {"en": ENGLISH, "zh": CHINESE}

STYLE = """
@page { size: A4; margin: 10mm 12mm 9mm; }
html { font-family: "DejaVu Sans", "Liberation Sans", "Report CJK", sans-serif; color: #1a1a1a; }
html:lang(zh) { font-family: "Report CJK", "DejaVu Sans", sans-serif; }
body { margin: 0; font-size: 8.4pt; line-height: 1.28; }
.sheet { page-break-after: always; }
.sheet:last-child { page-break-after: auto; }
header { display: flex; justify-content: space-between; align-items: baseline;
         border-bottom: 1.5pt solid #1f4e79; padding-bottom: 1.2mm; }
h1 { font-size: 15pt; margin: 0; color: #1f4e79; }
.generated { color: #666; font-size: 7.5pt; }
.who { margin: 1.8mm 0 2.2mm; }
.who .patient { font-weight: bold; font-size: 10.5pt; margin: 0; }
.who .span { margin: .4mm 0 0; color: #333; }
.figures { display: flex; gap: 5mm; margin-bottom: 1mm; }
.headline { flex: 0 0 56mm; border: 1pt solid #1f4e79; border-radius: 1.5mm; padding: 1.5mm 3mm; }
.headline .big { font-size: 21pt; font-weight: bold; color: #1f4e79; line-height: 1.1; }
.headline .big.below { color: #b35806; }
.headline .goal { margin-top: 1mm; }
.key { flex: 1; display: grid; grid-template-columns: max-content 1fr; gap: .5mm 4mm; margin: 0; align-content: start; }
.key dt { font-weight: bold; }
.key dd { margin: 0; }
figure { margin: 0; }
figure img { display: block; width: 172mm; margin: 0 auto; }
p.none { margin: 1mm 0 1.5mm; color: #555; }
.calendar { margin-top: 1mm; }
h2 { font-size: 9.2pt; margin: .5mm 0 .8mm; color: #1f4e79; }
table.days { border-collapse: collapse; width: 100%; font-size: 7pt; }
table.days th { font-weight: normal; color: #555; padding: .2mm; border-bottom: .8pt solid #444; text-align: center; }
table.days td { border: .5pt solid #ccc; padding: .3mm .8mm; text-align: center; vertical-align: top; width: 12.5%; }
table.days td.out { border: none; }
table.days td.week { background: #eef2f7; font-weight: bold; }
table.days .date { display: block; text-align: left; color: #555; font-size: 6.2pt; line-height: 1.1; }
table.days .pct { font-weight: bold; margin-left: 1.5mm; }
table.days.compact td { padding: .1mm .8mm; text-align: right; }
table.days.compact .date { display: inline; float: left; }
table.days td.below .pct { color: #b35806; }
table.days td.quiet { background: #f0f0f0; color: #777; }
table.days td.no-data { color: #666; font-style: italic; }
.legend { color: #555; font-size: 6.8pt; margin: .5mm 0 0; }
.patient-box { display: flex; gap: 5mm; margin-top: 1.5mm; border: 1.2pt solid #5a8f3a; border-radius: 1.5mm;
               padding: 1mm 3mm 1.5mm; background: #f6faf3; font-size: 7.3pt; line-height: 1.22; }
.patient-box > div { flex: 1; }
.patient-box h2 { color: #3d6b26; margin: .3mm 0 .5mm; }
.patient-box h3 { font-size: 7.6pt; margin: .8mm 0 .3mm; }
.patient-box ol { margin: 0; padding-left: 4mm; }
.patient-box li { margin: 0 0 .3mm; }
.patient-box p { margin: .6mm 0 0; }
table.sounds { border-collapse: collapse; width: 100%; }
table.sounds td { padding: .2mm .6mm; vertical-align: top; border-bottom: .4pt solid #d5e3cc; }
table.sounds td:first-child { font-style: italic; padding-left: 0; width: 38%; }
footer { margin-top: 1.5mm; color: #666; font-size: 6.6pt; border-top: .5pt solid #ccc; padding-top: .8mm; }
.handout { font-size: 14pt; line-height: 1.32; }
.handout h1 { font-size: 24pt; margin-bottom: 1mm; }
.handout .for { font-size: 15pt; margin: 0 0 3mm; color: #333; }
.handout ol { padding-left: 9mm; margin: 1.5mm 0 2.5mm; }
.handout li { margin-bottom: 1.5mm; }
.handout h2 { font-size: 16pt; margin: 3.5mm 0 1.5mm; }
.handout table.sounds td { padding: .9mm 2mm .9mm 0; font-size: 13pt; border-bottom: .8pt solid #ccc; }
.handout table.sounds td:first-child { width: 38%; }
.handout p { margin: 1.5mm 0; }
.handout .care { border: 1.5pt solid #b35806; border-radius: 2mm; padding: 0 4mm; margin-top: 3mm;
                 break-inside: avoid; }
"""

# The report's page: its content's height in CSS px (A4 less the margins), and a page so tall
# that the content's own height can be measured on it.
A4_CONTENT = (297 - 19) / 25.4 * 96
TALL_PAGE = "@page { size: 210mm 3000mm; }"
# The charts are drawn lower than on screen (charts.squeezed) by what fits, within these.
SQUEEZE_MOST, SQUEEZE_LEAST = 0.22, 0.8
# The hour-by-hour map keeps rows as tall as its hours' labels: lower only when nothing else fits.
HOURS_SQUEEZE = 0.7


class Print:
    """The printout's words in `words`' language, beside the report's own."""

    def __init__(self, words: Words):
        self.words = words
        self.table = TABLES[words.code]

    def __getitem__(self, key: str):
        return self.table[key]

    def say(self, key: str, **values) -> str:
        return self.table[key].format(**values)


def _img(png: bytes, alt: str, kind: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<figure><img class="{kind}" alt="{escape(alt)}" src="data:image/png;base64,{data}"></figure>'


def _goal_set(summary: Summary) -> bool:
    return any(p.get("goal") for p in summary.patients)


def _cell(day: Day | None, goal: int, words: Words, text: Print, first: bool, compact: bool) -> str:
    if day is None:
        return '<td class="out"></td>'
    label = f"{day.date.day} {day.date:%b}" if words.code == "en" else f"{day.date.month}/{day.date.day}"
    if not first and day.date.day != 1 and words.code == "en":
        label = str(day.date.day)
    if day.no_data:
        return f'<td class="no-data"><span class="date">{escape(label)}</span>{escape(words["no_data"])}</td>'
    if day.expected == 0:
        return f'<td class="quiet"><span class="date">{escape(label)}</span>{escape(text["no_prompts_cell"])}</td>'
    mark = ' class="below"' if day.adherence is not None and day.adherence < goal else ""
    counts = "" if compact else f"{day.done}/{day.expected}"
    return (
        f'<td{mark}><span class="date">{escape(label)}</span>{counts}'
        f'<span class="pct">{escape(fmt(day.adherence, "%"))}</span></td>'
    )


def calendar(summary: Summary, words: Words, text: Print) -> str:
    """Each day of the range in a week's row, Monday first, with the week's adherence at its end."""
    days = {d.date: d for d in summary.days}
    first, last = summary.days[0].date, summary.days[-1].date
    monday = first - timedelta(days=first.weekday())
    # Past six weeks a day's cell holds its adherence alone, and the rows are lower.
    compact = (last - monday).days >= 42
    heads = "".join(f"<th>{escape(name)}</th>" for name in text["weekdays"])
    heads += f"<th>{escape(text['week_total'])}</th>"
    rows = [f'<table class="days{" compact" if compact else ""}"><thead><tr>{heads}</tr></thead><tbody>']
    while monday <= last:
        week = [monday + timedelta(days=i) for i in range(7)]
        cells = [
            _cell(days.get(d), summary.goal, words, text, d == first or i == 0, compact) for i, d in enumerate(week)
        ]
        held = [days[d] for d in week if d in days]
        whole = total(held)
        mark = " below" if whole.adherence is not None and whole.adherence < summary.goal else ""
        counts = "" if compact else f"{whole.done}/{whole.expected}"
        cells.append(f'<td class="week{mark}">{counts}<span class="pct">{fmt(whole.adherence, "%")}</span></td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
        monday += timedelta(days=7)
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _sounds(text: Print) -> str:
    rows = []
    for name in _SOUNDS:
        sound, meaning = text["sound"][name]
        rows.append(f"<tr><td>{escape(sound)}</td><td>{escape(meaning)}</td></tr>")
    return '<table class="sounds">' + "".join(rows) + "</table>"


def patient_box(text: Print) -> str:
    steps = "".join(f"<li>{escape(step)}</li>" for step in text["steps"])
    return "\n".join(
        [
            '<aside class="patient-box"><div>',
            f"<h2>{escape(text['for_patient'] + text['colon'] + text['how'])}</h2><ol>{steps}</ol>",
            f"<p>{escape(text['care'])}</p>",
            f"<p>{escape(text['why'])}</p>",
            "</div><div>",
            f"<h2>{escape(text['sounds'])}</h2>",
            _sounds(text),
            f"<p>{escape(text['buttons'])}</p>",
            "</div></aside>",
        ]
    )


def report_sheet(
    summary: Summary, zone: str, untimed: int, words: Words, generated: str, squeeze: float, hours_squeeze: float
) -> str:
    """The therapist's page, its charts `squeeze` as tall as on screen (the hours' map `hours_squeeze`)."""
    # matplotlib takes a while to load: only when a printout is made.
    from . import charts

    text = Print(words)
    days = summary.days
    whole = total(days)
    goal = summary.goal
    # The headline box says the period's figure; the rest are the report's own.
    key = [(name, value) for name, value in key_figures(summary, goal, untimed, words) if name != words["done"]]
    prompted = [d for d in days if d.expected]
    met = sum(1 for d in prompted if d.adherence is not None and d.adherence >= goal)
    key.insert(0, (text["met_days"], text.say("met_days_text", met=met, days=len(prompted))))
    below = " below" if whole.adherence is not None and whole.adherence < goal else ""
    goal_text = text.say("goal_set" if _goal_set(summary) else "goal_default", goal=goal)
    patients = words.patients(summary)
    devices = words.devices(summary)
    meta = words.say("meta", devices=devices[:1].upper() + devices[1:], span=span_text(summary, words), zone=zone)
    period = text.say("period_text", adherence=fmt(whole.adherence, "%"), done=whole.done, expected=whole.expected)
    with charts.squeezed(squeeze):
        drawn = [_img(charts.adherence(days, goal, words), words["alt_adherence"], "adherence")]
        if summary.hours:
            with charts.squeezed(hours_squeeze):
                drawn.append(_img(charts.hours(days, summary.hours, words), words["alt_hours"], "hours"))
        else:
            drawn.append(f'<p class="none">{escape(text["no_hours_short"])}</p>')
        if whole.pain:
            drawn.append(_img(charts.pain(days, words), words["alt_pain"], "pain"))
        else:
            drawn.append(f'<p class="none">{escape(text["no_pain_short"])}</p>')
    return "\n".join(
        [
            '<section class="sheet report">',
            f'<header><h1>{escape(words["title"])}</h1><span class="generated">{escape(generated)}</span></header>',
            '<div class="who">',
            *([f'<p class="patient">{escape(patients)}</p>'] if patients else []),
            f'<p class="span">{escape(meta)}</p>',
            "</div>",
            '<div class="figures">',
            f'<div class="headline"><div>{escape(text["period"])}</div>',
            f'<div class="big{below}">{escape(fmt(whole.adherence, "%"))}</div>',
            f"<div>{escape(period)}</div>",
            f'<div class="goal"><b>{escape(text["goal"])}</b>{text["colon"]}{escape(goal_text)}</div></div>',
            '<dl class="key">',
            *(f"<dt>{escape(name)}</dt><dd>{escape(value)}</dd>" for name, value in key),
            "</dl></div>",
            *drawn,
            '<div class="calendar">',
            f"<h2>{escape(text['calendar'])}</h2>",
            calendar(summary, words, text),
            f'<p class="legend">{escape(text["below_key"])}</p>',
            "</div>",
            patient_box(text),
            f"<footer>{escape(text.say('footer', when=generated))}</footer>",
            "</section>",
        ]
    )


def handout_sheet(summary: Summary, words: Words) -> str:
    """The patient's page, in large print."""
    text = Print(words)
    names = [p["name"] for p in summary.patients if p.get("name")]
    steps = "".join(f"<li>{escape(step)}</li>" for step in text["steps"])
    return "\n".join(
        [
            '<section class="sheet handout">',
            f"<h1>{escape(text['handout_title'])}</h1>",
            *([f'<p class="for">{escape(text.say("handout_for", name=", ".join(names)))}</p>'] if names else []),
            f"<p>{escape(text['handout_intro'])}</p>",
            f"<ol>{steps}</ol>",
            f"<p>{escape(text['handout_goal'])}</p>",
            f"<h2>{escape(text['sounds'])}</h2>",
            _sounds(text),
            f"<p>{escape(text['buttons'])}</p>",
            f'<div class="care"><p>{escape(text["care"])}</p><p>{escape(text["handout_stop"])}</p></div>',
            f"<p>{escape(text['why'])}</p>",
            "</section>",
        ]
    )


def document(
    summary: Summary,
    zone: str,
    untimed: int,
    words: Words = ENGLISH_WORDS,
    handout: bool = False,
    squeeze: float = 0.6,
    hours_squeeze: float = HOURS_SQUEEZE,
    extra_style: str = "",
) -> str:
    """The printout as HTML for print: the report's page, and the handout after it."""
    generated = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    body = [report_sheet(summary, zone, untimed, words, generated, squeeze, hours_squeeze)]
    if handout:
        body.append(handout_sheet(summary, words))
    title = words.say("page_title", devices=", ".join(summary.devices), span=span_text(summary, words))
    # The font is embedded for the characters the text holds (none in English).
    font = words.font_face(title + "".join(body))
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{words["html_lang"]}"><head><meta charset="utf-8">',
            f"<title>{escape(title)}</title>",
            f"<style>{font}{STYLE}{extra_style}</style></head><body>",
            *body,
            "</body></html>",
        ]
    )


def pdf(summary: Summary, zone: str, untimed: int, words: Words = ENGLISH_WORDS, handout: bool = False) -> bytes:
    """The printout as PDF bytes: the report on one page (its charts lower until it fits), the
    handout on the next."""
    try:
        # WeasyPrint loads Pango when imported, and takes a while: only for a printout.
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:
        raise PrintoutError(f"cannot make a PDF here ({exc}); install WeasyPrint and Pango (make .venv)") from None
    # The page's only resources are its own data: URLs; nothing is fetched from anywhere else.
    inside = URLFetcher(allowed_protocols=("data",), fail_on_errors=True)

    def render(squeeze: float, hours: float = HOURS_SQUEEZE, extra_style: str = ""):
        html = document(summary, zone, untimed, words, handout, squeeze, hours, extra_style)
        return HTML(string=html, url_fetcher=inside).render()

    def height(squeeze: float) -> float:
        """How tall the report's page is with its charts `squeeze` as tall as on screen."""
        page = render(squeeze, extra_style=TALL_PAGE).pages[0]
        footer = next(b for b in page._page_box.descendants() if getattr(b, "element_tag", None) == "footer")
        return footer.position_y + footer.margin_height() - page._page_box.content_box_y()

    # Only the charts change with the squeeze, in proportion: two measures say what fits.
    low, high = 0.3, 0.7
    at_low, at_high = height(low), height(high)
    per = (at_high - at_low) / (high - low)
    squeeze = low + (A4_CONTENT - at_low) / per - 0.01 if per > 0 else SQUEEZE_LEAST
    squeeze = max(SQUEEZE_MOST, min(SQUEEZE_LEAST, squeeze))
    pages = 1 + handout
    hours = HOURS_SQUEEZE
    rendered = render(squeeze)
    # Past what the measures foresaw (or with every other chart as low as it goes): lower still.
    while len(rendered.pages) > pages and hours > SQUEEZE_MOST:
        squeeze = max(SQUEEZE_MOST, squeeze - 0.05)
        if squeeze == SQUEEZE_MOST:
            hours = max(SQUEEZE_MOST, hours - 0.08)
        rendered = render(squeeze, hours)
    return rendered.write_pdf()
