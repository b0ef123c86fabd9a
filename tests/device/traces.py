# Button level traces for the gesture decoder, for both runtimes.
from core.compat import ticks_add
from core.gesture import GestureDecoder


def decode(edges, end, start=0, poll_ms=10):
    """Feed (ms, level) edges and poll every poll_ms until `end`.

    Times are offsets from `start` on the ticks clock; returns [(offset, gesture)].
    """
    decoder = GestureDecoder(start)
    out = []
    edges = sorted(edges)
    i = 0
    t = 0
    while t <= end:
        while i < len(edges) and edges[i][0] <= t:
            offset, level = edges[i]
            g = decoder.feed(level, ticks_add(start, offset))
            if g:
                out.append((offset, g))
            i += 1
        g = decoder.poll(ticks_add(start, t))
        while g:
            out.append((t, g))
            g = decoder.poll(ticks_add(start, t))
        t += poll_ms
    return out


def clean(presses):
    """Edges for presses given as (down_ms, up_ms) pairs (up None = never released)."""
    edges = []
    for down, up in presses:
        edges.append((down, True))
        if up is not None:
            edges.append((up, False))
    return edges


def bouncy(presses, bounce):
    """Like clean(), with a burst of contact bounce after each edge.

    bounce(edge_index) -> list of gaps in ms between the extra toggles (an even
    count, so each burst ends at the edge's own level).
    """
    edges = []
    for index, (t, level) in enumerate(clean(presses)):
        edges.append((t, level))
        toggle = level
        at = t
        for gap in bounce(index):
            at += gap
            toggle = not toggle
            edges.append((at, toggle))
    return edges
