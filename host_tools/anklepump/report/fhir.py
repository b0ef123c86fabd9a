"""What the report says, as an HL7 FHIR R4 transaction Bundle for a hospital's record.

Per device (and the patient it is lent to): a Patient, a Device, one Observation a day of
adherence (prompted hours, done, percent, minutes), a Procedure a session (complete or stopped
early) and an Observation a pain score. The numbers are the report's own: each device's records
go through `report.summarise`, nothing is counted twice. Every resource carries an identifier
made from the device and what it describes, and every entry is a conditional PUT on it, so a
bundle sent twice updates what the first one created. Codes: docs/fhir.md."""

import uuid
from datetime import datetime

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
# The project's own code system and identifier systems, where no standard code exists.
CODES = "urn:anklepump:code"
ID_PATIENT = "urn:anklepump:patient"
ID_DEVICE = "urn:anklepump:device"
ID_OBSERVATION = "urn:anklepump:observation"
ID_PROCEDURE = "urn:anklepump:session"
PAIN = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
EXERCISE_MINUTES = ("55411-3", "Exercise duration")
EXERCISE_THERAPY = ("229065009", "Exercise therapy")


def _coding(system: str, code: str, display: str) -> dict:
    return {"system": system, "code": code, "display": display}


def _own(code: str, display: str) -> dict:
    return {"coding": [_coding(CODES, code, display)], "text": display}


def _minutes(value: float) -> dict:
    return {"value": value, "unit": "min", "system": UCUM, "code": "min"}


def _percent(value: float) -> dict:
    return {"value": value, "unit": "%", "system": UCUM, "code": "%"}


def _count(code: str, display: str, value: int) -> dict:
    return {"code": _own(code, display), "valueInteger": value}


class _Bundle:
    def __init__(self):
        self.entries: list[dict] = []

    def add(self, resource: dict, system: str, value: str) -> str:
        """The resource, identified by system|value; its urn:uuid for references inside the bundle."""
        full_url = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{system}|{value}"))
        resource["identifier"] = [{"system": system, "value": value}]
        self.entries.append(
            {
                "fullUrl": full_url,
                "resource": resource,
                "request": {"method": "PUT", "url": f"{resource['resourceType']}?identifier={system}|{value}"},
            }
        )
        return full_url


def _patient(bundle: _Bundle, device: str, patient: dict | None) -> str:
    resource: dict = {"resourceType": "Patient", "active": True}
    if patient and patient.get("name"):
        resource["name"] = [{"text": patient["name"]}]
    # The patient is known here as the one lent this device: the hospital links the two.
    return bundle.add(resource, ID_PATIENT, f"device-{device}")


def _device(bundle: _Bundle, device: str, journals: list[str], subject: str) -> str:
    resource = {
        "resourceType": "Device",
        "status": "active",
        "deviceName": [{"name": "Ankle Pump Coach", "type": "user-friendly-name"}],
        "type": {"text": "Exercise coach for ankle pumps (prompts, sound cues, journal)"},
        "patient": {"reference": subject},
    }
    if journals:
        resource["note"] = [{"text": "journals: " + ", ".join(journals)}]
    return bundle.add(resource, ID_DEVICE, device)


def _adherence(day, subject: str, source: str, goal: int | None) -> dict:
    resource = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [_coding(CATEGORY, "activity", "Activity")]}],
        "code": _own("daily-adherence", "Ankle pump prompts done in a day"),
        "subject": {"reference": subject},
        "device": {"reference": source},
        # A date alone is a dateTime of a day's precision: the patient's local day.
        "effectiveDateTime": day.date.isoformat(),
        "component": [
            _count("prompted-hours", "Prompted hours", day.expected),
            _count("done", "Prompted hours with a complete session", day.done),
            _count("partial", "Sessions stopped early", day.partial),
            _count("missed", "Prompts missed", day.missed),
            {"code": {"coding": [_coding(LOINC, *EXERCISE_MINUTES)]}, "valueQuantity": _minutes(day.minutes)},
        ],
    }
    if day.adherence is None:
        resource["dataAbsentReason"] = {"coding": [_coding(ABSENT, "not-applicable", "Not Applicable")]}
    else:
        resource["valueQuantity"] = _percent(day.adherence)
    if goal is not None:
        resource["referenceRange"] = [
            {"low": {"value": goal, "unit": "%", "system": UCUM, "code": "%"}, "text": "goal"}
        ]
    return resource


def _procedure(session, subject: str, source: str) -> dict:
    period = {}
    if session.start:
        period["start"] = session.start.isoformat()
    if session.end:
        period["end"] = session.end.isoformat()
    resource = {
        "resourceType": "Procedure",
        # A session ended early was begun and not completed: FHIR's "stopped".
        "status": "completed" if session.result == "complete" else "stopped",
        "code": {"coding": [_coding(SNOMED, *EXERCISE_THERAPY)], "text": "Ankle pump exercise session"},
        "subject": {"reference": subject},
        "performedPeriod": period,
        "usedReference": [{"reference": source}],
    }
    if session.result:
        resource["outcome"] = {"text": f"{session.result}: {session.reps} reps in {session.seconds} s"}
    if session.reason:
        resource["reasonCode"] = [{"text": "hourly prompt" if session.reason == "prompt" else session.reason}]
    return resource


def _pain(moment: datetime, score: int, subject: str, source: str) -> dict:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [_coding(CATEGORY, "survey", "Survey")]}],
        "code": {"coding": [_coding(LOINC, *PAIN)], "text": "Pain score (0-10)"},
        "subject": {"reference": subject},
        "device": {"reference": source},
        "effectiveDateTime": moment.isoformat(),
        "valueInteger": score,
    }


def bundle(devices: list[dict], zone, first=None, last=None) -> dict:
    """A transaction Bundle for these devices, each {"device", "records" (timed, in sequence),
    "patient" (or None), "journals"}, over first..last (None: all)."""
    from .summary import summarise

    out = _Bundle()
    for entry in devices:
        device, patient = entry["device"], entry.get("patient")
        subject = _patient(out, device, patient)
        source = _device(out, device, entry.get("journals", []), subject)
        summary = summarise(entry["records"], zone, first, last)
        if summary is None:
            continue
        span = (summary.days[0].date, summary.days[-1].date)
        goal = (patient or {}).get("goal")
        for day in summary.days:
            if day.expected or day.seconds:
                out.add(_adherence(day, subject, source, goal), ID_OBSERVATION, f"{device}/{day.date}/adherence")
        for session in summary.sessions:
            when = (session.start or session.end).isoformat()
            out.add(_procedure(session, subject, source), ID_PROCEDURE, f"{device}/{when}")
        for record in entry["records"]:
            if record["event"] != "pain":
                continue
            moment = zone.at(record["t"])
            if span[0] <= moment.date() <= span[1]:
                value = f"{device}/{record.get('journal', '')}/{record['seq']}/pain"
                out.add(_pain(moment, record["score"], subject, source), ID_OBSERVATION, value)
    return {"resourceType": "Bundle", "type": "transaction", "entry": out.entries}
