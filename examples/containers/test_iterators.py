"""iterator[T] results: Go sequences (iter.Seq, iter.Seq2) handed to Python
in batches."""

import gc
import pickle
import sys
import threading
import weakref

import pytest

import containers as C

# Around the default batch (1024) and numbered_lines' (64).
SIZES = [0, 1, 2, 63, 64, 65, 255, 256, 1023, 1024, 1025, 2047, 2048, 2049, 5000]


@pytest.mark.parametrize("n", SIZES)
def test_count_agrees_with_range(n):
    assert list(C.count(n)) == list(range(n))
    assert list(C.count(n, 3, 7)) == list(range(3, n, 7))
    assert list(C.count(-n, 0, -3)) == list(range(0, -n, -3))


def test_count_stops_before_overflowing():
    big, small = 2**63 - 1, -(2**63)
    assert list(C.count(big, big - 5, 2)) == list(range(big - 5, big, 2))
    assert list(C.count(small, small + 5, -2)) == list(range(small + 5, small, -2))
    assert list(C.count(big, big - 1, big)) == [big - 1]


def test_the_iterator_protocol():
    it = C.count(3)
    assert iter(it) is it
    assert type(it).__name__ == "GoIterator" and type(it).__module__ == "containers"
    assert [next(it), next(it), next(it)] == [0, 1, 2]
    for _ in range(3):  # exhausted for good
        with pytest.raises(StopIteration):
            next(it)
    assert next(C.count(0), "default") == "default"
    with pytest.raises(TypeError, match="cannot create 'containers.GoIterator' instances"):
        type(it)()
    with pytest.raises(TypeError, match="cannot pickle 'containers.GoIterator' object"):
        pickle.dumps(C.count(3))
    assert weakref.ref(it)() is it


def test_errors_at_the_call_come_at_the_call():
    # count checks its arguments when called, before any item is asked for.
    with pytest.raises(ValueError, match="step must not be zero"):
        C.count(10, 0, 0)
    with pytest.raises(TypeError, match="must be int, not str"):
        C.count("10")


def test_str_items_and_pairs():
    assert list(C.words("  to be\tor  not\n")) == ["to", "be", "or", "not"]
    assert list(C.words("")) == []
    text = "\n".join(f"line {i}" for i in range(200))
    assert list(C.numbered_lines(text)) == [(i + 1, f"line {i}") for i in range(200)]


def test_methods_return_iterators():
    l = C.IntList(range(1000))
    it = l.values()
    l.append(5)  # values() ranges over a snapshot
    assert list(it) == list(range(1000))
    r = C.Registry()
    r["b"], r["a"] = 2, 1
    assert list(r.items()) == [("a", 1), ("b", 2)]
    assert list(r) == ["a", "b"] and sorted(r) == list(r)  # __iter__ returns iterator[str]


@pytest.mark.parametrize("bad", [0, 1, 1023, 1024, 1025, 2000])
def test_an_error_comes_after_the_items_before_it(bad):
    texts = [str(i) for i in range(2100)]
    texts[bad] = "x"
    it = C.parse_ints(texts)
    got = []
    with pytest.raises(ValueError, match=f'item {bad}: "x" is not an int64'):
        for v in it:
            got.append(v)
    assert got == list(range(bad))
    with pytest.raises(StopIteration):
        next(it)  # the error ended it


def test_parse_ints_takes_any_iterable():
    assert list(C.parse_ints(str(i) for i in range(5))) == [0, 1, 2, 3, 4]
    assert list(C.parse_ints(iter([" 7 "]))) == [7]


def test_early_break_and_abandonment():
    for _ in range(2000):
        for x in C.count(10**9):
            if x == 300:
                break
    # Dropped half-way through batches, before the first, and after the end.
    its = [C.count(1000) for _ in range(100)]
    for i, it in enumerate(its):
        for _ in range(i * 7):
            next(it)
    del its
    gc.collect()


def test_refcounts_and_memory_stay_flat():
    def run():
        for _ in range(200):
            sum(C.count(1000))
            list(C.numbered_lines("a\nb\n" * 100))
            it = C.words("a b c " * 200)
            next(it)
            del it

    run()
    gc.collect()
    before = sys.getallocatedblocks()
    for _ in range(3):
        run()
    gc.collect()
    assert sys.getallocatedblocks() - before < 500


def test_threads_share_nothing_but_may_share_an_iterator():
    # Each thread its own iterators; then one iterator pulled by several
    # threads: every item comes out once.
    out = []

    def own():
        out.append(sum(C.count(100_000)))

    threads = [threading.Thread(target=own) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == [sum(range(100_000))] * 4

    shared = C.count(200_000)
    seen = [[] for _ in range(4)]

    def pull(mine):
        while True:
            try:
                mine.append(next(shared))
            except StopIteration:
                return
            except ValueError as e:  # another thread waits for the next batch
                assert "already executing" in str(e)

    threads = [threading.Thread(target=pull, args=(seen[i],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(x for s in seen for x in s) == list(range(200_000))
