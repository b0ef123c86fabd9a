# The button ring between the pin IRQ and the loop: order, overflow, and no
# allocation in put() (measured where there is a MicroPython heap to watch).
import gc

from board.buttonring import ButtonRing


def test_edges_come_out_oldest_first_and_once():
    ring = ButtonRing(8)
    assert not ring.pending()
    ring.put(True, 100)
    ring.put(False, 180)
    assert ring.pending()
    assert list(ring.drain()) == [(True, 100), (False, 180)]
    assert not ring.pending()
    assert list(ring.drain()) == []
    ring.put(True, 300)
    assert list(ring.drain()) == [(True, 300)]


def test_overflow_keeps_the_newest_edges():
    ring = ButtonRing(8)
    for i in range(20):
        ring.put(i % 2 == 0, i)
    # The last edge is the level now; the 12 oldest are gone.
    assert list(ring.drain()) == [(i % 2 == 0, i) for i in range(12, 20)]


def test_exactly_full_loses_nothing():
    ring = ButtonRing(8)
    for i in range(8):
        ring.put(True, i)
    assert [t for _, t in ring.drain()] == list(range(8))


def test_edges_arriving_while_the_loop_reads_are_kept_in_order():
    ring = ButtonRing(4)
    ring.put(True, 1)
    ring.put(False, 2)
    seen = []
    for pressed, ticks in ring.drain():
        seen.append((pressed, ticks))
        if ticks == 1:
            ring.put(True, 3)
    assert seen == [(True, 1), (False, 2), (True, 3)]


def test_an_irq_burst_during_a_read_skips_to_the_oldest_edge_kept():
    ring = ButtonRing(4)
    ring.put(True, 1)
    ring.put(False, 2)
    seen = []
    for _, ticks in ring.drain():
        seen.append(ticks)
        if ticks == 1:
            for t in range(10, 16):
                ring.put(t % 2 == 0, t)
    assert seen == [1, 12, 13, 14, 15]


def test_the_counters_wrap_without_losing_edges():
    ring = ButtonRing(4)
    for i in range(70000):  # well past the counters' 2**16
        ring.put(i % 2 == 1, i)
        if i % 3 == 2:
            assert [t for _, t in ring.drain()] == [i - 2, i - 1, i]
    assert list(ring.drain()) == [(True, 69999)]


def test_put_allocates_nothing():
    if not hasattr(gc, "mem_alloc"):
        return  # CPython has no MicroPython heap to watch
    ring = ButtonRing(32)
    put = ring.put
    gc.collect()
    gc.disable()
    try:
        before = gc.mem_alloc()
        for i in range(1000):
            put(i & 1, 1073741823 - i)
        after = gc.mem_alloc()
    finally:
        gc.enable()
    assert after == before, after - before
