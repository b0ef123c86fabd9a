"""`anklepump export --fhir`: a FHIR R4 Bundle every resource of which parses with
fhir.resources, whose references resolve inside it and whose numbers are the report's; and
`--post`, checked by a local HTTP server."""

import http.server
import json
import threading
import typing

import pytest
from anklepump import cli
from fhir.resources.R4B.bundle import Bundle
from test_report import DEVICE, OTHER, Journal, a_monday, database, run_json


def export(tmp_path, db, *argv):
    out = tmp_path / "bundle.json"
    assert cli.main(["export", "--fhir", str(out), "--db", str(db), "--utc-offset", "0", *argv]) == 0
    return json.loads(out.read_text())


def resources(document, kind):
    return [e["resource"] for e in document["entry"] if e["resource"]["resourceType"] == kind]


def references(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "reference":
                yield inner
            else:
                yield from references(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from references(inner)


def component(observation, code):
    (found,) = [c for c in observation["component"] if c["code"]["coding"][0]["code"] == code]
    return found


def test_every_resource_parses_and_every_reference_resolves(tmp_path):
    document = export(tmp_path, database(tmp_path, (DEVICE, a_monday())))
    Bundle.model_validate(document)
    assert document["type"] == "transaction"
    urls = {e["fullUrl"] for e in document["entry"]}
    assert len(urls) == len(document["entry"])
    found = list(references([e["resource"] for e in document["entry"]]))
    assert found and set(found) <= urls
    for entry in document["entry"]:
        (identifier,) = entry["resource"]["identifier"]
        kind = entry["resource"]["resourceType"]
        assert entry["request"] == {
            "method": "PUT",
            "url": f"{kind}?identifier={identifier['system']}|{identifier['value']}",
        }
    assert [len(resources(document, k)) for k in ("Patient", "Device", "Procedure")] == [1, 1, 7]


def test_the_numbers_are_the_reports(tmp_path):
    db = database(tmp_path, (DEVICE, a_monday()))
    document = export(tmp_path, db)
    report = run_json(tmp_path, db, "--utc-offset", "0")
    days = [o for o in resources(document, "Observation") if o["code"]["coding"][0]["code"] == "daily-adherence"]
    assert [o["effectiveDateTime"] for o in days] == [d["date"] for d in report["days"]]
    for observation, day in zip(days, report["days"], strict=True):
        assert observation["valueQuantity"]["value"] == day["adherence"] == 57.1
        assert component(observation, "prompted-hours")["valueInteger"] == day["expected"]
        assert component(observation, "done")["valueInteger"] == day["done"]
        assert component(observation, "partial")["valueInteger"] == day["partial"]
        assert component(observation, "missed")["valueInteger"] == day["missed"]
        assert component(observation, "55411-3")["valueQuantity"] == {
            "value": day["minutes"],
            "unit": "min",
            "system": "http://unitsofmeasure.org",
            "code": "min",
        }
    procedures = resources(document, "Procedure")
    assert [p["performedPeriod"]["start"] for p in procedures] == [s["start"] for s in report["sessions"]]
    assert [p["status"] for p in procedures] == [
        "completed" if s["result"] == "complete" else "stopped" for s in report["sessions"]
    ]
    pain = [o for o in resources(document, "Observation") if o["code"]["coding"][0]["code"] == "72514-3"]
    assert [(o["effectiveDateTime"], o["valueInteger"]) for o in pain] == [
        ("2026-11-23T13:05:20+00:00", 3),
        ("2026-11-23T13:25:20+00:00", 4),
    ]


def test_each_device_its_own_patient_and_a_range(tmp_path):
    other = Journal()
    other.done(1, 9)
    document = export(tmp_path, database(tmp_path, (DEVICE, a_monday()), (OTHER, other)), "--from", "2026-11-24")
    Bundle.model_validate(document)
    assert sorted(d["identifier"][0]["value"] for d in resources(document, "Device")) == [DEVICE, OTHER]
    assert len(resources(document, "Patient")) == 2
    days = [o for o in resources(document, "Observation") if o["code"]["coding"][0]["code"] == "daily-adherence"]
    assert [(o["effectiveDateTime"], o["valueQuantity"]["value"]) for o in days] == [("2026-11-24", 100.0)]
    (patient_of_other,) = [
        d["patient"]["reference"] for d in resources(document, "Device") if d["identifier"][0]["value"] == OTHER
    ]
    assert days[0]["subject"]["reference"] == patient_of_other


def test_the_same_records_give_the_same_bundle(tmp_path):
    db = database(tmp_path, (DEVICE, a_monday()))
    assert export(tmp_path, db) == export(tmp_path, db)


class FhirServer(http.server.BaseHTTPRequestHandler):
    received: typing.ClassVar[list] = []
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        FhirServer.received.append((self.path, dict(self.headers), body))
        self.send_response(FhirServer.status)
        self.send_header("Content-Type", "application/fhir+json")
        self.end_headers()
        self.wfile.write(b'{"resourceType": "Bundle", "type": "transaction-response"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def fhir_server():
    FhirServer.received = []
    FhirServer.status = 200
    server = http.server.HTTPServer(("127.0.0.1", 0), FhirServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/fhir"
    server.shutdown()
    server.server_close()


def test_post_sends_the_bundle_with_the_token_from_the_environment(tmp_path, fhir_server, monkeypatch, capsys):
    monkeypatch.setenv("ANKLEPUMP_FHIR_TOKEN", "s3cret")
    document = export(tmp_path, database(tmp_path, (DEVICE, a_monday())), "--post", fhir_server)
    ((path, headers, body),) = FhirServer.received
    assert path == "/fhir"
    assert headers["Content-Type"] == "application/fhir+json"
    assert headers["Authorization"] == "Bearer s3cret"
    assert json.loads(body) == document
    assert capsys.readouterr().out.splitlines()[-1] == f"sent to {fhir_server}: HTTP 200"


def test_a_refused_or_unreachable_post_is_one_line(tmp_path, fhir_server, capsys):
    db = database(tmp_path, (DEVICE, a_monday()))
    FhirServer.status = 422
    out = str(tmp_path / "b.json")
    assert cli.main(["export", "--fhir", out, "--db", str(db), "--post", fhir_server]) == 1
    assert capsys.readouterr().err == "anklepump: the FHIR server refused the bundle: HTTP 422 Unprocessable Entity\n"
    assert cli.main(["export", "--fhir", out, "--db", str(db), "--post", "ftp://x"]) == 1
    assert capsys.readouterr().err == "anklepump: --post needs an http:// or https:// URL, not 'ftp://x'\n"


def test_no_database_or_no_records_is_one_line(tmp_path, capsys):
    out = str(tmp_path / "b.json")
    assert cli.main(["export", "--fhir", out, "--db", str(tmp_path / "none.db")]) == 1
    assert capsys.readouterr().err == f"anklepump: no database at {tmp_path / 'none.db'} (run anklepump sync first)\n"
    db = database(tmp_path, (DEVICE, a_monday()))
    assert cli.main(["export", "--fhir", out, "--db", str(db), "--device", "nope"]) == 1
    assert capsys.readouterr().err == "anklepump: no records with a time for device nope\n"
