"""`anklepump patient`: who a device coaches and the goal the therapist set, kept in the
database beside the records; the report is headed by them and counts its streak to that goal."""

import argparse

from .database import Store, add_db_option, location

MIN_GOAL, MAX_GOAL = 1, 100


class PatientError(Exception):
    pass


def goal_problem(text: str) -> str | None:
    """What is wrong with a goal as typed, or None for a percentage in range."""
    if not text.isdigit() or not MIN_GOAL <= int(text) <= MAX_GOAL:
        return f"must be a percentage, {MIN_GOAL} to {MAX_GOAL}: {text!r}"
    return None


def _goal(text: str) -> int:
    problem = goal_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return int(text)


def describe(patient: dict) -> str:
    """'Ada Lovelace (device 53494d000001), goal 80%'."""
    text = f"{patient['name']} (device {patient['device']})" if patient.get("name") else f"device {patient['device']}"
    return text + (f", goal {patient['goal']}%" if patient.get("goal") else "")


def set_patient(args) -> int:
    if args.name is None and args.goal is None:
        raise PatientError("nothing to set: give --name, --goal or both")
    store = Store(location(args.db))
    try:
        print(describe(store.set_patient(args.device, args.name, args.goal)))
    finally:
        store.close()
    return 0


def show(args) -> int:
    store = Store(location(args.db), create=False)
    try:
        patients = store.patients()
    finally:
        store.close()
    if not patients:
        print("no patients stored (anklepump patient set --device ID --name NAME --goal PERCENT)")
    for patient in patients:
        print(describe(patient))
    return 0


def register(commands) -> None:
    p = commands.add_parser("patient", help="who a device coaches, and the therapist's goal")
    sub = p.add_subparsers(dest="patient_command", metavar="COMMAND", required=True)
    p = sub.add_parser("set", help="store the patient's name or ID and the goal for a device")
    p.add_argument("--device", required=True, metavar="ID", help="the device id, as sync and report show it")
    p.add_argument("--name", help="the patient's name or the clinic's ID for them")
    p.add_argument("--goal", type=_goal, metavar="PERCENT", help="prompts done a day, in percent (default 80)")
    add_db_option(p)
    p.set_defaults(run=set_patient)
    p = sub.add_parser("show", help="the patients stored")
    add_db_option(p)
    p.set_defaults(run=show)
