"""`anklepump export --fhir FILE`: the database's records as a FHIR R4 transaction Bundle
(fhir.py), written to a file and, with --post, sent to a FHIR server."""

import json
import os
import urllib.error
import urllib.request
from pathlib import Path

from ..store.database import add_db_option, open_existing
from ..words import plural
from .command import ReportError, _date, add_zone_options, zone_of

TOKEN_VARIABLE = "ANKLEPUMP_FHIR_TOKEN"
POST_SECONDS = 60


class ExportError(Exception):
    pass


def register(commands) -> None:
    p = commands.add_parser("export", help="the records as an HL7 FHIR R4 Bundle, for a hospital's record")
    p.add_argument("--fhir", metavar="FILE", required=True, help="write the Bundle (JSON) here")
    add_db_option(p)
    p.add_argument("--device", metavar="ID", help="only this device (default: every device in the database)")
    p.add_argument("--from", dest="first", type=_date, metavar="YYYY-MM-DD", help="from this day on")
    p.add_argument("--to", dest="last", type=_date, metavar="YYYY-MM-DD", help="up to this day, inclusive")
    add_zone_options(p)
    p.add_argument(
        "--post",
        metavar="URL",
        help=f"also send it to this FHIR server's base URL (bearer token from ${TOKEN_VARIABLE}, if set)",
    )
    p.set_defaults(run=run)


def run(args) -> int:
    from .fhir import bundle

    if args.first and args.last and args.first > args.last:
        raise ReportError(f"--from {args.first} is after --to {args.last}")
    store = open_existing(args.db)
    try:
        records = [r for r in store.records(args.device) if "t" in r]
        devices = sorted({r["device"] for r in records})
        patients = {d: store.patient(d) for d in devices}
    finally:
        store.close()
    if not devices:
        raise ExportError(f"no records with a time for {'device ' + args.device if args.device else 'any device'}")
    entries = []
    for device in devices:
        mine = [r for r in records if r["device"] == device]
        journals = list(dict.fromkeys(r["journal"] for r in mine if r["journal"]))
        entries.append({"device": device, "records": mine, "patient": patients[device], "journals": journals})
    document = bundle(
        entries,
        zone_of(args),
        args.first,
        args.last,
    )
    text = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    try:
        Path(args.fhir).write_text(text)
    except OSError as exc:
        raise ExportError(f"cannot write {args.fhir}: {exc.strerror}") from exc
    print(f"wrote {args.fhir}: {plural(len(document['entry']), 'resource')} for {plural(len(devices), 'device')}")
    if args.post:
        status = post(args.post, text.encode())
        print(f"sent to {args.post}: HTTP {status}")
    return 0


def post(base: str, body: bytes) -> int:
    """POST a transaction Bundle to a FHIR server's base URL; the HTTP status, or ExportError."""
    if not base.startswith(("http://", "https://")):
        raise ExportError(f"--post needs an http:// or https:// URL, not {base!r}")
    headers = {"Content-Type": "application/fhir+json", "Accept": "application/fhir+json"}
    token = os.environ.get(TOKEN_VARIABLE)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(base, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=POST_SECONDS) as answer:
            return answer.status
    except urllib.error.HTTPError as exc:
        raise ExportError(f"the FHIR server refused the bundle: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ExportError(f"cannot reach the FHIR server at {base}: {reason}") from exc
