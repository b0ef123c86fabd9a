"""The pages: Devices, Sync, Report, Settings, Patient. Each calls what the command of the same
name calls (sync.synchronise, report's Report, config.read and write, clock, the store's
patients) and shows the same one-line errors."""

from datetime import date, datetime, timedelta
from pathlib import Path

from flask import Flask, Response, redirect, render_template, request, url_for
from markupsafe import Markup

from .. import zones
from ..device import clock, config
from ..device.link import plugged_in
from ..errors import ERRORS
from ..firmware import fields
from ..report import charts, printout
from ..report.command import Report, as_csv, as_json
from ..report.language import ENGLISH_WORDS, Words
from ..report.page import day_cells, key_figures, span_text
from ..report.summary import Zone, fmt, last_week, total
from ..store.database import Store, location
from ..store.patient import describe, goal_problem
from .guard import guard
from .jobs import Coach


def create_app(db: str | None, port: str | None, host: str, listen_port: int, password: str | None) -> Flask:
    """The app for the database `db` names and the coach on `port` (None: the one on USB),
    answering at host:listen_port."""
    app = Flask(__name__)
    token = guard(app, host, listen_port, password)
    coach = Coach(port, db)
    zone = Zone(None)

    @app.context_processor
    def common():
        return {"csrf": token, "coach": coach}

    def store() -> Store:
        return Store(location(db), create=False)

    def connected() -> list[str]:
        ports = plugged_in()
        # A port named on the command line (a simulator's pseudo-terminal) is there while it exists.
        if port and port not in ports and Path(port).exists():
            ports.append(port)
        return ports

    @app.get("/")
    def devices():
        problem = None
        rows = []
        try:
            held = store()
            try:
                overview, patients = held.overview(), {p["device"]: p for p in held.patients()}
            finally:
                held.close()
            today = zone.today()
            for row in overview:
                week = Report(db, row["device"], today - timedelta(days=6), today, zone).summary
                rows.append(
                    {
                        **row,
                        "patient": patients.get(row["device"], {}),
                        "last_sync": datetime.fromtimestamp(row["last_sync"]).astimezone().strftime("%Y-%m-%d %H:%M"),
                        "week": _week(week) if week else "no records",
                        "connected": coach.device == row["device"] and bool(connected()),
                    }
                )
        except ERRORS as exc:
            problem = f"anklepump: {exc}"
        return render_template("devices.html", rows=rows, ports=connected(), problem=problem, db=location(db))

    @app.get("/sync")
    def sync_page():
        return render_template("sync.html", ports=connected(), refused=request.args.get("refused"))

    @app.post("/sync")
    def sync_start():
        started = coach.start_sync()
        return redirect(url_for("sync_page", **({} if started else {"refused": 1})), 303)

    def report_request() -> tuple[str | None, date | None, date | None, str | None]:
        device = request.args.get("device") or None
        first, last, problem = None, None, None
        try:
            first = _day(request.args.get("from"))
            last = _day(request.args.get("to"))
        except ValueError as exc:
            problem = str(exc)
        if first and last and first > last:
            problem = f"from {first} is after to {last}"
        return device, first, last, problem

    def report_or_problem():
        """The report asked for and the words it is in (`lang=zh`: Chinese), or what is wrong."""
        device, first, last, problem = report_request()
        if problem:
            return None, ENGLISH_WORDS, problem
        try:
            words = Words(request.args.get("lang") or "en")
            report = Report(db, device, first, last, zone)
        except ERRORS as exc:
            return None, ENGLISH_WORDS, f"anklepump: {exc}"
        return report, words, report.nothing

    @app.get("/report")
    def report_page():
        report, words, problem = report_or_problem()
        context = {
            "problem": problem,
            "args": request.args,
            "devices": _devices(db),
            "words": words,
            "switch": _switch(),
        }
        if report is not None and report.summary is not None:
            summary = report.summary
            days = summary.days
            who = words.devices(summary)
            span = Markup('<span class="span">{}</span>').format(span_text(summary, words))
            context.update(
                summary=summary,
                patients=words.patients(summary),
                meta=Markup(words["meta"]).format(devices=who[:1].upper() + who[1:], span=span, zone=words.zone(zone)),
                key=key_figures(summary, summary.goal, report.untimed, words),
                head=words["heads"],
                rows=[
                    (day_cells(words.day(d.date), d, words), d.no_data, _below(d.adherence, summary.goal)) for d in days
                ],
                whole=day_cells(words["total"], total(summary.days), words),
                # The page's own words (their <code>) are this program's, never the records'.
                no_pain=Markup(words["no_pain"]),
                query=_query(summary),
            )
        return render_template("report.html", **context)

    @app.get("/report/<name>.png")
    def chart(name):
        report, words, problem = report_or_problem()
        if report is None or report.summary is None or name not in ("adherence", "hours", "pain"):
            return Response(problem or "no such chart", 404, mimetype="text/plain")
        summary = report.summary
        if name == "adherence":
            png = charts.adherence(summary.days, summary.goal, words)
        elif name == "hours":
            png = charts.hours(summary.days, summary.hours, words)
        else:
            png = charts.pain(summary.days, words)
        return Response(png, mimetype="image/png")

    @app.get("/report.<kind>")
    def download(kind):
        report, words, problem = report_or_problem()
        if report is None or report.summary is None or kind not in ("csv", "json", "pdf"):
            return Response(problem or "no such file", 404, mimetype="text/plain")
        days = report.summary.days
        name = f"ankle-pump-{days[0].date}-to-{days[-1].date}.{kind}"
        if kind == "pdf":
            # The page `report --pdf [--lang zh]` writes (--handout: with the patient's sheet), to print.
            try:
                content = printout.pdf(
                    report.summary, words.zone(zone), report.untimed, words, handout="handout" in request.args
                )
            except ERRORS as exc:
                return Response(f"anklepump: {exc}", 500, mimetype="text/plain")
            return Response(
                content, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
            )
        text = as_csv(report) if kind == "csv" else as_json(report)
        return Response(
            text,
            mimetype="text/csv" if kind == "csv" else "application/json",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    def settings_page(values=None, errors=None, notice=None, status=200):
        current, problem = coach.run(lambda: config.read(port))
        reading, clock_problem = coach.run(lambda: clock.reading(port)) if current else (None, None)
        settings, own, problems = current or ({}, {}, [])
        form = fields.fields()
        shown = {f.key: f.text(settings[f.key]) for f in form if f.key in settings}
        shown.update(values or {})
        context = {
            "fields": form,
            "values": shown,
            "own": own,
            "errors": errors or {},
            "problem": problem,
            "problems": problems,
            "notice": notice,
        }
        if reading is not None:
            device_time, host_time, zone, since_boot = reading
            here = zones.computer()
            context["clock"] = {
                "device": f"{zone.stamp(device_time)}; time zone {zone}" if device_time is not None else None,
                "since_boot": since_boot,
                "host": f"{here.stamp(host_time)}; time zone {here}",
                "drift": None if device_time is None else f"{device_time - host_time:+.1f} s",
            }
        context["clock_problem"] = clock_problem
        return render_template("settings.html", **context), status

    @app.get("/settings")
    def settings():
        return settings_page(notice=request.args.get("notice"))

    @app.post("/settings")
    def settings_save():
        entered = {f.key: request.form.get(f.key, "") for f in fields.fields()}
        current, problem = coach.run(lambda: config.read(port))
        if problem:
            return settings_page(entered, notice=problem, status=409)
        settings = current[0]
        changes = {k: config.form_value(k, text) for k, text in entered.items()}
        changes = {k: v for k, v in changes.items() if v != settings[k] or type(v) is not type(settings[k])}
        errors = {k: f"{m}; nothing written" for k, m in config.check(changes).items()}
        if errors:
            return settings_page(entered, errors, status=422)
        if not changes:
            return redirect(url_for("settings", notice="nothing changed"), 303)

        def write():
            try:
                config.write(port, changes)
            except config.ConfigError as exc:
                return exc
            return None

        refused, problem = coach.run(write)
        if refused is not None:
            return settings_page(entered, {refused.key or "": str(refused)}, status=422)
        if problem:
            return settings_page(entered, notice=problem, status=409)
        notice = "written: " + ", ".join(f"{k} = {fields.Field(k).text(v)}" for k, v in sorted(changes.items()))
        return redirect(url_for("settings", notice=notice + "; the coach restarted with them"), 303)

    @app.post("/clock")
    def clock_set():
        line, problem = coach.run(lambda: clock.set_now(port))
        return redirect(url_for("settings", notice=line or problem), 303)

    @app.get("/patient")
    def patient():
        return patient_page()

    def patient_page(errors=None, notice=None, status=200):
        problem = None
        rows = []
        try:
            held = store()
            try:
                known = {p["device"]: p for p in held.patients()}
                rows = [known.get(d, {"device": d, "name": None, "goal": None}) for d in held.devices()]
            finally:
                held.close()
        except ERRORS as exc:
            problem = f"anklepump: {exc}"
        return render_template(
            "patient.html", rows=rows, problem=problem, errors=errors or {}, notice=notice, entered=request.form
        ), status

    @app.post("/patient")
    def patient_save():
        device = request.form.get("device", "")
        name = request.form.get("name", "").strip() or None
        goal_text = request.form.get("goal", "").strip()
        problem = goal_problem(goal_text) if goal_text else None
        if problem:
            return patient_page({device: f"goal {problem}; nothing written"}, status=422)
        try:
            held = Store(location(db))
            try:
                if device not in held.devices():
                    return patient_page({device: f"no device {device!r} in the database"}, status=422)
                stored = held.set_patient(device, name, int(goal_text) if goal_text else None)
            finally:
                held.close()
        except ERRORS as exc:
            return patient_page(notice=f"anklepump: {exc}", status=409)
        return patient_page(notice="stored: " + describe(stored))

    return app


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"not a date YYYY-MM-DD: {text!r}") from None


def _week(summary) -> str:
    """The last 7 days' adherence, and over how many of them when some have no data."""
    week = last_week(summary.days)
    text = fmt(week.whole.adherence, "%")
    if week.without_data:
        text += f" ({week.with_data} of {len(week.days)} days with data)"
    return text


def _below(adherence: float | None, goal: int) -> bool:
    return adherence is not None and adherence < goal


def _query(summary) -> dict:
    """The range shown, for the charts' and downloads' links."""
    query = {"from": summary.days[0].date.isoformat(), "to": summary.days[-1].date.isoformat()}
    if request.args.get("device"):
        query["device"] = request.args["device"]
    if request.args.get("lang"):
        query["lang"] = request.args["lang"]
    return query


def _switch() -> list[tuple[str, str, str | None]]:
    """The report's languages, each (code, its own name for itself, a link to this page's range and
    device in it; None for the one shown)."""
    query = {k: v for k, v in request.args.items() if k != "lang"}
    shown = request.args.get("lang") or "en"
    links = []
    for code, name in (("en", "English"), ("zh", "中文")):
        lang = {"lang": code} if code != "en" else {}
        links.append((code, name, None if code == shown else url_for("report_page", **query, **lang)))
    return links


def _devices(db: str | None) -> list[str]:
    try:
        held = Store(location(db), create=False)
    except ERRORS:
        return []
    try:
        return held.devices()
    except ERRORS:
        return []
    finally:
        held.close()
