"""Take the README's screenshots: run the firmware in the simulator through tour.txt and keep
one picture of each main screen (`make screenshots`)."""

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
# picture name -> (screen name, first text line, second text line or None)
WANTED = {
    "notice": ("notice", None, None),
    "idle": ("idle", None, None),
    "prompt": ("prompt", None, None),
    "get-ready": ("session", "GET READY", "2"),
    "toes-up": ("session", "TOES UP", None),
    "hold": ("session", "HOLD", "7"),
    "toes-down": ("session", "TOES DOWN", None),
    "paused": ("paused", None, None),
    "done": ("done", None, None),
    "no-clock": ("no_clock", None, None),
}


def run(state: Path, shots: Path, trace: Path, *args: str) -> list[dict]:
    command = [
        str(Path(sys.executable).parent / "anklepump"),
        "sim",
        "--headless",
        "--speed",
        "max",
        "--state",
        str(state),
        "--screens",
        str(shots),
        "--trace",
        str(trace),
        *args,
    ]
    subprocess.run(command, check=True)
    return [json.loads(line) for line in trace.read_text().splitlines()]


# The same screens in Chinese ("language": "zh"), told apart by their Chinese words (device/ui/zh.py).
WANTED_ZH = {
    **WANTED,
    "get-ready": ("session", "准备", "2"),
    "toes-up": ("session", "勾脚", None),
    "hold": ("session", "保持", "7"),
    "toes-down": ("session", "绷脚", None),
}


def tour(tmp: Path, settings: dict) -> list[dict]:
    """The tour and a device whose clock was never set, on fresh flashes with these settings."""
    for flash in ("flash", "flash2"):
        (tmp / flash).mkdir()
        (tmp / flash / "settings.json").write_text(json.dumps(settings))
    entries = run(
        tmp / "flash",
        tmp / "shots",
        tmp / "trace.jsonl",
        "--start",
        "2026-11-24T06:58:00",
        "--for",
        "15m",
        "--script",
        str(HERE / "tour.txt"),
    )
    # A device whose clock was never set: the notice, then the idle screen says so.
    (tmp / "no-clock.txt").write_text("00:00:05 press\n")
    return entries + run(
        tmp / "flash2", tmp / "shots", tmp / "trace2.jsonl", "--for", "1m", "--script", str(tmp / "no-clock.txt")
    )


def pick(entries: list[dict], shots: Path, wanted: dict) -> dict[str, Path]:
    """The first picture of each wanted screen."""
    taken = {}
    for entry in entries:
        if entry["kind"] != "screen":
            continue
        for picture, (name, first, second) in wanted.items():
            text = entry["text"]
            if picture in taken or entry["name"] != name:
                continue
            if first is not None and (text[:1] != [first] or (second is not None and text[1:2] != [second])):
                continue
            stamp = entry["t"].replace(":", "-")
            taken[picture] = shots / f"{stamp}_{name}.png"
    missing = sorted(set(wanted) - set(taken))
    if missing:
        sys.exit(f"no picture of: {', '.join(missing)}")
    return taken


def main() -> None:
    for prefix, settings, wanted in (("", {}, WANTED), ("zh-", {"language": "zh"}, WANTED_ZH)):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            for picture, path in pick(tour(tmp, settings), tmp / "shots", wanted).items():
                shutil.copy(path, HERE / f"{prefix}{picture}.png")
                print(f"docs/screens/{prefix}{picture}.png")


if __name__ == "__main__":
    main()
