"""The author's tests of the zstd example: a real Go library behind a
pyspec module, with zero-copy results and a locked encoder."""

import gc
import os
import pickle
import sys
import threading

import numpy as np
import pytest

import zstd

DATA = b"The quick brown fox jumps over the lazy dog. " * 2000


@pytest.mark.parametrize("make", [bytes, bytearray, memoryview, lambda b: np.frombuffer(b, dtype=np.uint8)])
def test_round_trip_from_any_bytes_like(make):
    frame = zstd.compress(make(DATA))
    assert len(frame) < len(DATA) // 10
    assert bytes(zstd.decompress(make(bytes(frame)))) == DATA


def test_results_are_go_memory_lent_without_a_copy():
    out = zstd.decompress(zstd.compress(DATA))
    assert type(out) is zstd.GoBuffer
    assert (len(out), out.nbytes, out.format, out.shape, out.readonly) == (len(DATA), len(DATA), "B", (len(DATA),), True)
    a, b = np.asarray(out), np.frombuffer(out, dtype=np.uint8)
    # Both views read the same memory: the GoBuffer's, not copies.
    assert a.__array_interface__["data"][0] == b.__array_interface__["data"][0]
    assert not a.flags.writeable
    with pytest.raises(TypeError):
        memoryview(out)[0] = 1
    assert repr(out).startswith(f"<zstd.GoBuffer of {len(DATA)} bytes, format 'B'")


def test_a_view_keeps_the_memory_alive():
    view = memoryview(zstd.decompress(zstd.compress(DATA)))
    gc.collect()
    garbage = [zstd.compress(b"x" * i) for i in range(200)]  # reuse freed memory
    assert bytes(view) == DATA
    del garbage
    view.release()


def test_go_buffers_go_back_into_go():
    frame = zstd.compress(DATA)
    assert bytes(zstd.decompress(zstd.compress(zstd.decompress(frame)))) == DATA


def test_bytes_results_are_copies():
    frame = zstd.compress_bytes(DATA, 1)
    assert type(frame) is bytes and bytes(zstd.decompress(frame)) == DATA


def test_errors():
    with pytest.raises(zstd.ZstdError, match="not a zstd frame"):
        zstd.decompress(b"definitely not zstd")
    with pytest.raises(zstd.ZstdError, match="larger than max_size 100"):
        zstd.decompress(zstd.compress(DATA), max_size=100)
    with pytest.raises(ValueError, match="level must be 1..22, not 0"):
        zstd.compress(DATA, 0)
    with pytest.raises(TypeError, match="argument 'data' must be a buffer"):
        zstd.compress("text")
    with pytest.raises(TypeError, match="cannot pickle 'zstd.GoBuffer' object: it lends Go memory"):
        pickle.dumps(zstd.compress(DATA))
    assert issubclass(zstd.ZstdError, ValueError)


def test_a_locked_object_shared_by_threads():
    c = zstd.Compressor(5)
    frames = []

    def work():
        for _ in range(5000):
            c.tally(1)
        for _ in range(50):
            frames.append(c.compress(DATA))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # tally reads, yields and writes: without the lock, counts get lost.
    assert c.frames == 4 * 5000 + 4 * 50
    assert all(bytes(zstd.decompress(f)) == DATA for f in frames[:20])
    assert c.level == 5


def test_streaming_writer():
    w = zstd.Writer(level=1)
    for i in range(0, len(DATA), 4096):
        assert w.write(DATA[i:i + 4096]) == len(DATA[i:i + 4096])
    frame = w.close()
    assert bytes(zstd.decompress(frame)) == DATA
    with pytest.raises(ValueError, match="closed"):
        w.write(b"more")
    with pytest.raises(ValueError, match="closed already"):
        w.close()


def test_threads_writing_to_one_writer():
    # write is nogil; the Writer's lock keeps the Go encoder to one call at
    # a time (8 threads without it corrupted the frame, with Go panics).
    w = zstd.Writer(level=1)
    chunk = bytes(range(256)) * 16
    errors = []

    def work():
        try:
            for _ in range(200):
                w.write(chunk)
        except Exception as e:  # pragma: no cover - the failure being tested
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert bytes(zstd.decompress(w.close(), max_size=8 * 200 * len(chunk))) == chunk * (8 * 200)


# RSS says nothing about leaks under AddressSanitizer (freed memory waits in
# its quarantine) or Python's debug allocator.
@pytest.mark.skipif(
    "libasan" in os.environ.get("LD_PRELOAD", "") or sys.flags.dev_mode,
    reason="RSS is not comparable under ASan or -X dev",
)
def test_results_leak_nothing():
    frame = zstd.compress(DATA)

    def rss():
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))

    for _ in range(500):
        np.asarray(zstd.decompress(frame)).sum()
    gc.collect()
    before = rss()
    for _ in range(5000):
        np.asarray(zstd.decompress(frame)).sum()
    gc.collect()
    assert rss() - before < 20_000


def test_parameter_docs_reach_help_and_the_stub():
    import pathlib
    import pydoc
    text = pydoc.render_doc(zstd.compress, renderer=pydoc.plaintext)
    assert "Args:" in text and "level: 1 (fastest) to 22 (smallest)." in text, text
    # Next to the module when built in place; a wheel installs the stubs as
    # the PEP 561 package zstd-stubs.
    here = pathlib.Path(zstd.__file__)
    stub = next(p for p in (here.with_name("zstd.pyi"), here.with_name("zstd-stubs") / "__init__.pyi") if p.exists())
    stub = stub.read_text()
    assert "        level: 1 (fastest) to 22 (smallest)." in stub
