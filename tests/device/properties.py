# Properties of the core, checked on both runtimes: test_properties.py feeds
# them seeded examples (CPython and MicroPython), tests/properties/ feeds them
# hypothesis examples (CPython).
from core.gesture import GestureDecoder
from rig import Rig, at
from traces import bouncy, clean, decode

DECODER = GestureDecoder(0)
DEBOUNCE_MS = DECODER.debounce_ms
# Bounce bursts are at most two toggles, each shorter than the debounce time...
BURST_GAPS = 2
# ...so durations kept this far from every threshold cannot be tipped over one by bounce.
MARGIN_MS = (BURST_GAPS + 1) * DEBOUNCE_MS
SESSION_START = "09:30:10"
# Pauses stay under the limit after which a paused session ends as partial.
PAUSE_MAX_MS = 60000


def kinds(out):
    return [g for _, g in out]


def clear_of(ms, thresholds):
    return ms > MARGIN_MS and all(abs(ms - t) > MARGIN_MS for t in thresholds)


def usable_presses(presses):
    """Press durations and gaps clear of the decoder's thresholds (so bounce cannot change them)."""
    last_up = None
    for down, up in presses:
        if not clear_of(up - down, (DECODER.press_ms, DECODER.hold_ms, DECODER.long_ms)):
            return False
        if last_up is not None and not clear_of(down - last_up, (DECODER.double_ms,)):
            return False
        last_up = up
    return bool(presses)


def check_bounce_adds_no_gesture(presses, bursts):
    """Bounce shorter than the debounce time changes no gesture, and delays each by at most its burst.

    bursts[i]: the gaps of the bounce after edge i (each < debounce, an even count).
    """
    end = presses[-1][1] + 8000
    expected = decode(clean(presses), end, poll_ms=1)
    got = decode(bouncy(presses, lambda i: bursts[i] if i < len(bursts) else []), end, poll_ms=1)
    assert kinds(got) == kinds(expected), (presses, bursts, expected, got)
    longest = max([sum(b) for b in bursts] + [0])
    for (t0, _), (t1, _) in zip(expected, got):
        assert t0 <= t1 <= t0 + longest, (presses, bursts, expected, got)


def check_noise_is_ignored(glitches, held):
    """Glitches (start, width) shorter than debounce: nothing on a released line,
    exactly one hold and one long on a held one."""
    base = 100
    edges = [(base, True)] if held else []
    for start, width in glitches:
        edges.append((base + 50 + start, not held))
        edges.append((base + 50 + start + width, held))
    end = base + 50 + max([s + w for s, w in glitches] + [0]) + 6000
    out = decode(edges, end, poll_ms=1)
    if held:
        assert out == [(base + DECODER.hold_ms, "hold"), (base + DECODER.long_ms, "long")], (glitches, out)
    else:
        assert out == [], (glitches, out)


def check_wraparound_changes_nothing(presses, start):
    end = presses[-1][1] + 6000
    assert decode(clean(presses), end, start=start) == decode(clean(presses), end), (presses, start)


def check_stuck_button(watch_ms):
    out = decode([(100, True)], 100 + watch_ms, poll_ms=10)
    expected = [(1600, "hold"), (5100, "long")]
    assert out == [g for g in expected if g[0] <= 100 + watch_ms], (watch_ms, out)


def session_sounds(pauses):
    """Sounds of a session started at SESSION_START and paused/resumed by presses at the given offsets (ms)."""
    rig = Rig(start="09:30:00")
    start = at(SESSION_START)
    gestures = [(start, "press")] + [(start + t, "press") for t in pauses]
    paused = sum(b - a for a, b in zip(pauses[::2], pauses[1::2]))
    rig.run(start + 300000 + paused, gestures)
    return [(at(t) - start, s) for t, k, s in rig.records if k == "sound"], rig


def check_pauses_shift_cues_exactly(pauses):
    """Any pause pattern: the same cues, each late by exactly the time paused before it, the same session."""
    plain, _ = session_sounds([])
    paused, rig = session_sounds(pauses)
    assert [s for _, s in paused] == [s for _, s in plain], pauses
    windows = list(zip(pauses[::2], pauses[1::2]))
    for (cue, _), (heard, _) in zip(plain, paused):
        late = 0
        for a, b in windows:
            # Session time at the pause press; a pause at a cue's own instant holds that cue back.
            if a - late <= cue:
                late += b - a
        assert heard - cue == late, (pauses, cue, heard, late)
    assert rig.logs("session_end")[0][1] == ("session_end", "complete", 300, 13)


# Seeded examples, for runtimes without hypothesis.


def random_presses(rng, count):
    presses = []
    t = 200
    while len(presses) < count:
        down = t + rng.randint(MARGIN_MS + 1, 1500)
        candidate = presses + [(down, down + rng.randint(MARGIN_MS + 1, 7000))]
        if usable_presses(candidate):
            presses = candidate
            t = candidate[-1][1]
    return presses


def random_bursts(rng, edges):
    return [[rng.randint(1, DEBOUNCE_MS - 1) for _ in range(2 * rng.randint(0, BURST_GAPS // 2))] for _ in range(edges)]


def random_glitches(rng, count):
    glitches = []
    t = 0
    for _ in range(count):
        t += rng.randint(1, 400)
        width = rng.randint(1, DEBOUNCE_MS - 1)
        glitches.append((t, width))
        t += width
    return glitches


def random_pauses(rng, windows):
    pauses = []
    t = 0
    for _ in range(windows):
        t += rng.randint(1, 90000)
        pauses.append(t)
        t += rng.randint(1, PAUSE_MAX_MS)
        pauses.append(t)
    return pauses
