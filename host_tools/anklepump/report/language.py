"""The report's words in each language it speaks (`report --lang`): the page's, the charts' and
the terminal table's, one table a language, and the font that Chinese is drawn in."""

import base64
import io
from datetime import date, datetime
from pathlib import Path

from ..words import plural
from .summary import devices_text, fmt, patients_text, streak_text

LANGUAGES = ("en", "zh")

# WenQuanYi Zen Hei, from Debian's fonts-wqy-zenhei (docs/fonts.md: its licence allows embedding).
CJK_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)

ENGLISH = {
    "html_lang": "en",
    "title": "Ankle pump exercises: report",
    "page_title": "Ankle pump report: {devices}, {span}",
    "span": "{first} to {last} ({days})",
    "meta": "{devices} · {span} · days in {zone}",
    "generated": "Generated {when} by anklepump",
    "done": "Done",
    "done_text": "{done} of {expected} prompted hours ({adherence}); goal {goal}% a day",
    "week": "Last 7 days",
    "week_text": "{done} of {expected} ({adherence}), {first} to {last}, {over}",
    "week_no_data_text": "no data, {first} to {last}",
    "week_over": "over {days}",
    "week_over_some": "over the {days} with data ({missing} with no data left out)",
    "no_data": "no data",
    "streak": "Streak",
    "exercise": "Exercise",
    "exercise_text": "{minutes} minutes in {sessions}; {partial} stopped early",
    "missed": "Missed, snoozed",
    "missed_text": "{prompts} missed; {snoozes}",
    "pain": "Pain",
    "pain_text": "mean {mean} of 10, from {scores}",
    "pain_none": "no pain scores recorded",
    "left_out": "Left out",
    "left_out_text": "{records} made while the device's clock was not set",
    "by_day": "Adherence by day",
    "by_hour": "Hour by hour",
    "table": "Day by day",
    "no_prompts": "No prompts in this range.",
    "no_pain": "No pain scores recorded (the device asks for them only with <code>pain_check</code> on).",
    "heads": (
        "day",
        "done / expected",
        "adherence",
        "minutes",
        "partial",
        "missed",
        "snoozed",
        "declined",
        "pain (mean)",
    ),
    "total": "total",
    "counted": "How this is counted",
    "notes": (
        "<b>expected</b>: the hourly prompts, and the hours the device did not need to prompt because a "
        "session had just been completed in them.",
        "<b>done</b>: prompts answered by a complete session, after snoozes or not, and those hours.",
        "<b>partial</b>: sessions stopped early (or paused for 10 minutes). <b>missed</b>: prompts with no "
        "session started in time (30 minutes by default). <b>snoozed</b>: each time a prompt was put off. "
        "<b>declined</b>: prompts the patient said not now to (a double press), counted neither as done nor as "
        "expected.",
        "<b>minutes</b>: time in every session, extra sessions included.",
        "<b>adherence</b>: done as a share of expected; the goal is {goal}% a day. Prompts count on the day "
        "they were given, sessions on the day they ended.",
    ),
    "alt_adherence": "adherence by day, with the goal as a line",
    "alt_hours": "each day's prompts by hour and outcome",
    "alt_pain": "pain scores after sessions, by day",
    # The charts.
    "chart_adherence": "Adherence by day",
    "chart_adherence_bars": " (done / expected in each bar)",
    "chart_adherence_axis": "% of prompts done",
    "chart_met": "{goal}% or more",
    "chart_below": "under {goal}%",
    "chart_no_prompts": "no prompts",
    "chart_no_prompts_bar": "no\nprompts",
    "chart_no_data": "no data (device off or not synced)",
    "chart_no_data_bar": "no\ndata",
    "chart_goal": "goal {goal}%",
    "chart_hours": "Hour by hour: what became of each prompt",
    "hour_done": "done",
    "hour_snoozed_done": "done after a snooze",
    "hour_partial": "partial (stopped early)",
    "hour_missed": "missed",
    "hour_declined": "declined (not now)",
    "hour_open": "prompted, no result recorded",
    "hour_none": "no prompt (quiet hours, device off)",
    "chart_pain": "Pain after sessions: the day's mean (line) and each score (dots)",
    "chart_pain_axis": "pain, 0 to 10",
    # The terminal.
    "terminal_title": "Ankle pump sessions, {first} to {last}, {devices}",
    "terminal_caption": "done/expected prompts; days in {zone}",
    "terminal_heads": ("day", "done", "adherence", "min", "partial", "missed", "snoozed", "not now", "pain"),
    "terminal_week": "last 7 days ({first} to {last}): {done}/{expected} done ({adherence}), {minutes} min, {over}",
    "terminal_week_no_data": "last 7 days ({first} to {last}): no data",
    "terminal_streak": "streak: {streak}",
    "untimed": "{records} without a time left out (made while the clock was not set)",
    "wrote": "wrote {file}",
}

# As a ward's nurses and patient leaflets put it: 完成率 (adherence), 提示 (the device's prompt).
CHINESE = {
    "html_lang": "zh-Hans",
    "title": "踝泵运动报告",
    "page_title": "踝泵运动报告：{devices}，{span}",
    "span": "{first} 至 {last}（{days}）",
    "meta": "{devices} · {span} · 按{zone}计日",
    "generated": "由 anklepump 生成于 {when}",
    "done": "完成",
    "done_text": "{done}/{expected} 次提示已完成（{adherence}）；目标每天 {goal}%",
    "week": "近 7 天",
    "week_text": "{done}/{expected}（{adherence}），{first} 至 {last}，{over}",
    "week_no_data_text": "无数据，{first} 至 {last}",
    "week_over": "按 {days}计",
    "week_over_some": "按有数据的 {days}计（{missing}无数据，未计入）",
    "no_data": "无数据",
    "streak": "连续达标",
    "streak_none": "尚无（没有提示）；目标为每天完成 {goal}% 的提示",
    "streak_text": "连续 {days}达到 {goal}% 的目标，截至 {last}",
    "exercise": "锻炼",
    "exercise_text": "共 {minutes} 分钟，{sessions}；{partial} 次提前结束",
    "missed": "错过、稍后",
    "missed_text": "错过 {missed} 次提示；稍后提醒 {snoozed} 次",
    "pain": "疼痛",
    "pain_text": "平均 {mean}（满分 10），{scores}",
    "pain_none": "没有疼痛评分",
    "left_out": "未计入",
    "left_out_text": "{records}（设备时钟未设置时产生）",
    "by_day": "每日完成率",
    "by_hour": "逐小时",
    "table": "每日明细",
    "no_prompts": "此期间没有提示。",
    "no_pain": "没有疼痛评分（设备仅在开启 <code>pain_check</code> 时询问）。",
    "heads": ("日期", "完成 / 应做", "完成率", "分钟", "提前结束", "错过", "稍后", "暂不做", "疼痛（平均）"),
    "total": "合计",
    "counted": "统计说明",
    "notes": (
        "<b>应做</b>：每小时的提示，以及刚完成一次训练、设备无需再提示的小时。",
        "<b>完成</b>：以一次完整训练回应的提示（无论是否稍后），以及上述小时。",
        "<b>提前结束</b>：中途停止（或暂停 10 分钟）的训练。<b>错过</b>：在规定时间内（默认 30 分钟）"
        "没有开始训练的提示。<b>稍后</b>：每次推迟提示。<b>暂不做</b>：患者双击表示这次不做的提示，"
        "既不算完成，也不算应做。",
        "<b>分钟</b>：所有训练的时间，包括额外的训练。",
        "<b>完成率</b>：完成占应做的比例；目标为每天 {goal}%。提示计入发出当天，训练计入结束当天。",
    ),
    "alt_adherence": "每日完成率，虚线为目标",
    "alt_hours": "每天各小时提示的结果",
    "alt_pain": "训练后的疼痛评分，按天",
    "patient_text": "{name}（设备 {device}）",
    "patient_device": "设备 {device}",
    "patient_goal": "，目标 {goal}%",
    "chart_adherence": "每日完成率",
    "chart_adherence_bars": "（柱内为 完成/应做）",
    "chart_adherence_axis": "已完成提示的百分比",
    "chart_met": "达到 {goal}%",
    "chart_below": "低于 {goal}%",
    "chart_no_prompts": "无提示",
    "chart_no_prompts_bar": "无\n提示",
    "chart_no_data": "无数据（设备关闭或未同步）",
    "chart_no_data_bar": "无\n数据",
    "chart_goal": "目标 {goal}%",
    "chart_hours": "逐小时：每次提示的结果",
    "hour_done": "完成",
    "hour_snoozed_done": "稍后完成",
    "hour_partial": "部分（提前结束）",
    "hour_missed": "错过",
    "hour_declined": "暂不做",
    "hour_open": "已提示，无结果",
    "hour_none": "无提示（安静时段、设备关闭）",
    "chart_pain": "训练后疼痛：每日平均（线）与每次评分（点）",
    "chart_pain_axis": "疼痛，0 到 10",
    "terminal_title": "踝泵训练，{first} 至 {last}，{devices}",
    "terminal_caption": "完成/应做的提示；按{zone}计日",
    "terminal_heads": ("日期", "完成", "完成率", "分钟", "提前结束", "错过", "稍后", "暂不做", "疼痛"),
    "terminal_week": "近 7 天（{first} 至 {last}）：完成 {done}/{expected}（{adherence}），{minutes} 分钟，{over}",
    "terminal_week_no_data": "近 7 天（{first} 至 {last}）：无数据",
    "terminal_streak": "连续达标：{streak}",
    "untimed": "{records}没有时间，未计入（设备时钟未设置时产生）",
    "wrote": "已写入 {file}",
}

# A count and what it counts, in Chinese with its measure word.
_CHINESE_COUNTS = {
    "day": "{n} 天",
    "session": "{n} 次训练",
    "record": "{n} 条记录",
    "score": "{n} 次评分",
    "prompt": "{n} 次提示",
    "snooze": "{n} 次稍后提醒",
}
_WEEKDAYS = "一二三四五六日"


class ReportLanguageError(Exception):
    pass


class Words:
    """One language's words, dates and counts; `font` the file Chinese is drawn in (None for
    English, whose letters every computer has)."""

    def __init__(self, code: str):
        if code not in LANGUAGES:
            raise ReportLanguageError(f"no report in {code!r}: give one of {', '.join(LANGUAGES)}")
        self.code = code
        self.table = ENGLISH if code == "en" else CHINESE
        self.font = None if code == "en" else _cjk_font()

    def __getitem__(self, key: str):
        return self.table[key]

    def say(self, key: str, **values) -> str:
        return self.table[key].format(**values)

    def count(self, n: int, what: str) -> str:
        """'3 days', '1 session'; '3 天', '1 次训练'."""
        if self.code == "en":
            return plural(n, what)
        return _CHINESE_COUNTS[what].format(n=n)

    def day(self, day: date) -> str:
        """'Mon 23 Nov 2026'; '2026年11月23日 周一'."""
        if self.code == "en":
            return f"{day:%a} {day.day} {day:%b %Y}"
        return f"{day.year}年{day.month}月{day.day}日 周{_WEEKDAYS[day.weekday()]}"

    def axis_day(self, day: date) -> str:
        """A chart's day label, on two lines."""
        if self.code == "en":
            return f"{day:%a}\n{day.day} {day:%b}"
        return f"周{_WEEKDAYS[day.weekday()]}\n{day.month}/{day.day}"

    def terminal_day(self, day: date) -> str:
        if self.code == "en":
            return day.strftime("%a %Y-%m-%d")
        return f"周{_WEEKDAYS[day.weekday()]} {day.isoformat()}"

    def week(self, week, terminal: bool = False) -> str:
        """The last 7 days' figure and the days it is over: days with no data are left out."""
        if terminal:
            first, last = week.days[0].date, week.days[-1].date
        else:
            first, last = self.day(week.days[0].date), self.day(week.days[-1].date)
        prefix = "terminal_" if terminal else ""
        if not week.with_data:
            return self.say(prefix + "week_no_data" + ("" if terminal else "_text"), first=first, last=last)
        if week.without_data:
            over = self.say(
                "week_over_some",
                days=self.count(week.with_data, "day"),
                missing=self.count(week.without_data, "day"),
            )
        else:
            over = self.say("week_over", days=self.count(week.with_data, "day"))
        whole = week.whole
        return self.say(
            prefix + "week" + ("" if terminal else "_text"),
            first=first,
            last=last,
            done=whole.done,
            expected=whole.expected,
            adherence=fmt(whole.adherence, "%"),
            minutes=f"{whole.minutes:.1f}",
            over=over,
        )

    # The streak, the devices and the patients in English are summary.py's own sentences.

    def streak(self, summary) -> str:
        if self.code == "en":
            return streak_text(summary)
        if summary.streak_to is None:
            return self.say("streak_none", goal=summary.goal)
        days = self.count(summary.streak, "day")
        return self.say("streak_text", days=days, goal=summary.goal, last=self.terminal_day(summary.streak_to))

    def devices(self, summary) -> str:
        """'device 53494d000001', 'devices A, B'; '设备 A、B'."""
        if self.code == "en":
            return devices_text(summary)
        return "设备 " + "、".join(summary.devices)

    def patients(self, summary) -> str | None:
        """'Patient: Ada L. (device 53494d000001), goal 80%', or None when none is stored."""
        if self.code == "en" or not summary.patients:
            return patients_text(summary)
        return "患者：" + "；".join(map(self._patient, summary.patients))

    def _patient(self, patient: dict) -> str:
        if patient.get("name"):
            text = self.say("patient_text", name=patient["name"], device=patient["device"])
        else:
            text = self.say("patient_device", device=patient["device"])
        return text + (self.say("patient_goal", goal=patient["goal"]) if patient.get("goal") else "")

    def zone(self, zone) -> str:
        """Where the report's days begin, as Zone.describe() says it in English."""
        if self.code == "en" or zone.offset is not None:
            return zone.describe()
        return f"本机时区（{datetime.now().astimezone().tzname()}）"

    def font_face(self, text: str) -> str:
        """CSS that embeds the font's glyphs for exactly the characters of `text` (none for
        English): the page then shows its Chinese on a computer that has no Chinese font."""
        if self.font is None:
            return ""
        # fontTools is matplotlib's own dependency; loaded only for a page that needs it.
        from fontTools import subset

        options = subset.Options()
        options.font_number = 0
        options.layout_features = ["*"]
        # Tables fontTools cannot subset (a bitmap font's, a font editor's), which a browser ignores.
        options.drop_tables += ["BDF", "FFTM"]
        font = subset.load_font(str(self.font), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(set(text))))
        subsetter.subset(font)
        out = io.BytesIO()
        subset.save_font(font, out, options)
        data = base64.b64encode(out.getvalue()).decode("ascii")
        source = f'url(data:font/ttf;base64,{data}) format("truetype")'
        return f'@font-face {{ font-family: "Report CJK"; src: {source}; }}\n'


def _cjk_font() -> Path:
    for path in CJK_FONTS:
        if path.is_file():
            return path
    raise ReportLanguageError("no Chinese font on this computer: install Debian's fonts-wqy-zenhei (make fonts)")


ENGLISH_WORDS = Words("en")
