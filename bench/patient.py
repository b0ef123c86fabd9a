# A patient's week for the benchmarks: when it starts and each hour's button presses.
# Small on purpose: bench/mp_bench.py loads it beside the firmware under MicroPython;
# bench/run.py writes the heap bench's week from it, so that none of it is in that heap.

# 2026-11-24 06:59:00 UTC (the settings' UTC offset is 0): a minute before the first prompt.
START = 1795503540000
DAY_MS = 86400000
HOUR_MS = 3600000
# The settings' active hours: prompts from 07:00 to 21:00.
FIRST_HOUR = 7
LAST_HOUR = 21


def hour_script(day, hour, rng):
    """An hour of a patient, in time order: the prompt most often answered, some snoozed, some
    missed; pauses, and an extra press now and then. Every action falls before minute 56."""
    script = []
    at = day * DAY_MS + 60000 + (hour - FIRST_HOUR) * HOUR_MS
    r = rng.random()
    if r < 0.65:
        start = at + rng.randrange(2000, 300000)
        script.append((start, "press" if rng.random() < 0.8 else "double"))
        if rng.random() < 0.2:
            pause = start + rng.randrange(20000, 200000)
            script.append((pause, "press"))
            script.append((pause + rng.randrange(5000, 60000), "press"))
    elif r < 0.8:
        script.append((at + rng.randrange(2000, 60000), "hold"))
    if rng.random() < 0.1:
        # A press in idle: wakes the display (a second within 30 s starts an extra session).
        script.append((at + rng.randrange(40 * 60000, 55 * 60000), "press"))
    script.sort()
    return script
