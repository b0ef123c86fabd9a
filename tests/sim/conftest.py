import json
import subprocess

import pytest
from simrun import headless, set_up_before
from sounds import PATTERNS


class SimRun:
    def __init__(self, code, stderr, trace):
        self.code = code
        self.stderr = stderr
        self.trace = trace

    def kinds(self, kind):
        return [e for e in self.trace if e["kind"] == kind]

    def logs(self, event=None):
        return [(e["t"], e["record"]) for e in self.kinds("log") if event is None or e["record"]["event"] == event]

    def tones(self):
        return [(e["t"], e["freq"]) for e in self.kinds("tone")]

    def cues(self, *names):
        """(time, name) of each of these cues (sounds.py) as it starts: the tone of its first note,
        told from every other note by its pitch and length together."""
        firsts = {PATTERNS[name][:2]: name for name in names}
        return [(e["t"], firsts[e["freq"], e["ms"]]) for e in self.kinds("tone") if (e["freq"], e["ms"]) in firsts]

    def screens(self):
        return [(e["t"], e["name"]) for e in self.kinds("screen")]


@pytest.fixture
def sim(tmp_path):
    """Run `anklepump sim --headless --speed max` with a script; returns the parsed trace."""

    def run(*args, script=None, settings=None, state=None, first_start=False):
        state = state or tmp_path / "flash"
        if first_start:
            state.mkdir(exist_ok=True)
        else:
            set_up_before(state)
        if settings is not None:
            (state / "settings.json").write_text(settings if isinstance(settings, str) else json.dumps(settings))
        trace = tmp_path / "trace.jsonl"
        command = headless(state, "--trace", str(trace), *args)
        if script is not None:
            (tmp_path / "script.txt").write_text(script)
            command += ["--script", str(tmp_path / "script.txt")]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        entries = [json.loads(line) for line in trace.read_text().splitlines()] if trace.exists() else []
        return SimRun(done.returncode, done.stderr, entries)

    return run
