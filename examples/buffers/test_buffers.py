"""The author's tests of the buffers example (run by tests/e2e_test.go
against the compiled module)."""

import copy
import pickle
import sys

import numpy as np
import pytest

import buffers

_testbuffer = pytest.importorskip("_testbuffer")


def test_sum():
    arr = np.array([1, 2, 3, 4, 5], dtype=np.int64)
    assert buffers.sum(arr) == 15


def test_sum_accepts_any_int64_exporter():
    import array

    assert buffers.sum(array.array("q", [1, 2, 3])) == 6
    assert buffers.sum(memoryview(np.arange(10, dtype=np.int64))) == 45
    assert buffers.sum(np.array([], dtype=np.int64)) == 0
    assert buffers.sum(np.arange(12, dtype=np.int64).reshape(3, 4)) == 66
    assert buffers.sum(buf=np.arange(4, dtype=np.int64)) == 6


@pytest.mark.parametrize("dtype,fmt", [(np.float64, "float64"), (np.int32, "int32"), (np.uint64, "uint64")])
def test_sum_rejects_wrong_element_type(dtype, fmt):
    with pytest.raises(TypeError, match=rf"sum\(\) argument 'buf' must be a buffer of int64, not {fmt}"):
        buffers.sum(np.arange(3, dtype=dtype))


def test_sum_rejects_bytes_and_big_endian():
    with pytest.raises(TypeError, match="must be a buffer of int64"):
        buffers.sum(b"12345678")
    with pytest.raises(TypeError, match="must be a buffer of int64"):
        buffers.sum(np.arange(3, dtype=">i8"))


def test_sum_rejects_non_contiguous_under_nd():
    with pytest.raises((ValueError, BufferError), match=r"sum\(\) argument 'buf'"):
        buffers.sum(np.arange(10, dtype=np.int64)[::2])


@pytest.mark.parametrize("bad", [[1, 2, 3], None, 5, "abc"])
def test_sum_rejects_non_buffers(bad):
    with pytest.raises(TypeError, match=r"sum\(\) argument 'buf' must be a buffer"):
        buffers.sum(bad)


def test_argument_errors_are_cpython_worded():
    a = np.arange(3, dtype=np.int64)
    with pytest.raises(TypeError, match=r"sum\(\) missing 1 required positional argument: 'buf'"):
        buffers.sum()
    with pytest.raises(TypeError, match=r"sum\(\) takes 1 positional argument but 2 were given"):
        buffers.sum(a, a)
    with pytest.raises(TypeError, match=r"sum\(\) got an unexpected keyword argument 'x'"):
        buffers.sum(a, x=1)
    with pytest.raises(TypeError, match=r"sum\(\) got multiple values for argument 'buf'"):
        buffers.sum(a, buf=a)


def test_sum_with_testbuffer_layouts():
    items = list(range(12))
    nd = _testbuffer.ndarray(items, shape=[3, 4], format="q")
    assert buffers.sum(nd) == 66
    nd = _testbuffer.ndarray(items, shape=[12], format="<q")
    assert buffers.sum(nd) == 66
    nd = _testbuffer.ndarray(items, shape=[12], format="l")
    assert buffers.sum(nd) == 66


def test_buffer_released_on_every_path():
    a = np.arange(5, dtype=np.int64)
    buffers.sum(a)
    a.resize(10, refcheck=False)  # fails with BufferError if a view is still held
    f = np.arange(5, dtype=np.float64)
    with pytest.raises(TypeError):
        buffers.sum(f)
    f.resize(10, refcheck=False)


def test_refcounts_unchanged():
    a = np.arange(5, dtype=np.int64)
    before = sys.getrefcount(a)
    for _ in range(100):
        buffers.sum(a)
    assert sys.getrefcount(a) == before


def test_reverse_in_place():
    a = np.arange(6, dtype=np.int64)
    assert buffers.reverse(a) is None
    assert a.tolist() == [5, 4, 3, 2, 1, 0]
    b = bytearray(np.arange(3, dtype=np.int64).tobytes())
    buffers.reverse(memoryview(b).cast("q"))
    assert np.frombuffer(b, dtype=np.int64).tolist() == [2, 1, 0]


def test_reverse_rejects_read_only():
    with pytest.raises(BufferError, match=r"reverse\(\) argument 'buf' must be a writable buffer"):
        buffers.reverse(np.arange(8, dtype=np.uint8).tobytes())
    ro = np.arange(4, dtype=np.int64)
    ro.setflags(write=False)
    with pytest.raises(BufferError, match="must be a writable buffer"):
        buffers.reverse(ro)
    assert ro.tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize(
    "view",
    [
        lambda m: m,
        lambda m: np.asfortranarray(m),
        lambda m: m.T.copy().T,
        lambda m: m[:, ::2],
        lambda m: m[::2, 1:],
        lambda m: m.T,
    ],
    ids=["C", "F", "F-copy", "col-slice", "row-slice", "transposed"],
)
def test_column_sums_any_layout(view):
    m = view(np.arange(20, dtype=np.float64).reshape(4, 5))
    assert buffers.column_sums(m) == pytest.approx(m.sum(axis=0).tolist())


def test_column_sums_errors():
    with pytest.raises(ValueError, match=r"column_sums\(\) argument 'm' must have 2 dimensions, not 1"):
        buffers.column_sums(np.arange(3.0))
    with pytest.raises(ValueError, match="must have 2 dimensions, not 3"):
        buffers.column_sums(np.zeros((2, 2, 2)))
    with pytest.raises(TypeError, match="must be a buffer of float64, not int64"):
        buffers.column_sums(np.zeros((2, 2), dtype=np.int64))


def test_constant_buffer_memoryview():
    c = buffers.ConstantBuffer(7, 5)
    mv = memoryview(c)
    assert mv.readonly
    assert mv.format == "q"
    assert mv.itemsize == 8
    assert mv.shape == (5,)
    assert mv.tolist() == [7] * 5
    mv.release()


def test_constant_buffer_numpy_zero_copy():
    c = buffers.ConstantBuffer(-3, 4)
    arr = np.asarray(c)
    assert arr.dtype == np.int64
    assert arr.tolist() == [-3] * 4
    assert not arr.flags.writeable
    with pytest.raises(ValueError):
        arr[0] = 1
    # The array keeps the exporter alive.
    del c
    assert arr.sum() == -12
    assert buffers.sum(arr) == -12


def test_constant_buffer_rejects_writable_request():
    c = buffers.ConstantBuffer(1, 3)
    with pytest.raises(BufferError, match="request for writable buffer is rejected"):
        _testbuffer.ndarray(c, getbuf=_testbuffer.PyBUF_WRITABLE)
    with pytest.raises(BufferError, match="must be a writable buffer"):
        buffers.reverse(c)


def test_constant_buffer_flags():
    c = buffers.ConstantBuffer(2, 3)
    simple = _testbuffer.ndarray(c, getbuf=_testbuffer.PyBUF_SIMPLE)
    assert simple.tobytes() == np.full(3, 2, dtype=np.int64).tobytes()
    full = _testbuffer.ndarray(c, getbuf=_testbuffer.PyBUF_FULL_RO)
    assert full.tolist() == [2, 2, 2]
    assert full.strides == (8,)


def test_constant_buffer_empty_and_errors():
    assert memoryview(buffers.ConstantBuffer(1, 0)).tolist() == []
    with pytest.raises(OverflowError, match=r"ConstantBuffer\(\) argument 'length' out of range for uint32"):
        buffers.ConstantBuffer(1, -1)
    with pytest.raises(TypeError, match=r"ConstantBuffer\(\) argument 'elem' must be int, not str"):
        buffers.ConstantBuffer("x", 1)
    with pytest.raises(TypeError, match=r"ConstantBuffer\(\) missing 1 required positional argument: 'length'"):
        buffers.ConstantBuffer(1)


def test_exports_survive_gc_and_many_views():
    import gc

    views = [memoryview(buffers.ConstantBuffer(i, 1000)) for i in range(50)]
    gc.collect()
    for i, v in enumerate(views):
        assert v[999] == i
        v.release()


def test_docstrings_and_signatures():
    import inspect

    assert "int64 buffer" in buffers.sum.__doc__
    assert str(inspect.signature(buffers.sum)) == "(buf)"
    assert str(inspect.signature(buffers.ConstantBuffer)) == "(elem, length)"


def test_uninitialized_and_reinitialized_objects():
    bare = buffers.ConstantBuffer.__new__(buffers.ConstantBuffer)
    with pytest.raises(BufferError, match="ConstantBuffer object is not initialized"):
        memoryview(bare)
    c = buffers.ConstantBuffer(1, 2)
    c.__init__(5, 3)
    assert memoryview(c).tolist() == [5, 5, 5]


def test_many_objects_and_views_do_not_leak_handles():
    import gc

    for i in range(20000):
        c = buffers.ConstantBuffer(i, 4)
        with memoryview(c) as mv:
            assert mv[3] == i
    gc.collect()


# Pickling: ConstantBuffer implements encoding.BinaryMarshaler and
# BinaryUnmarshaler in Go, which is all it takes.


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_constant_buffer_pickles(protocol):
    c = buffers.ConstantBuffer(7, 5)
    d = pickle.loads(pickle.dumps(c, protocol))
    assert type(d) is buffers.ConstantBuffer and d is not c
    assert np.asarray(d).tolist() == [7] * 5
    assert buffers.sum(copy.deepcopy(c)) == 35


def test_corrupt_state_is_refused_with_the_go_error():
    c = buffers.ConstantBuffer(1, 2)
    with pytest.raises(ValueError, match="cannot unpickle buffers.ConstantBuffer: truncated data: 5 bytes"):
        c.__setstate__(b"12345")
    assert np.asarray(c).tolist() == [1, 1]  # unchanged
    with pytest.raises(TypeError, match="takes the bytes MarshalBinary made"):
        c.__setstate__("text")
    data = pickle.dumps(c)
    for cut in range(1, len(data)):
        with pytest.raises(Exception):
            pickle.loads(data[:cut])


def test_functions_pickle_by_reference():
    assert pickle.loads(pickle.dumps(buffers.sum)) is buffers.sum


def test_float16_buffers_in_place():
    # numpy's float16 arrays (format 'e') reach Go as View[py.Float16],
    # without a copy, in every layout.
    rng = np.random.default_rng(3)
    a = rng.uniform(-100, 100, size=(6, 5)).astype(np.float16)
    want = (a.astype(np.float64) * 1.5).astype(np.float16)
    got = a.copy()
    total = buffers.scale_half(got, 1.5)
    assert np.array_equal(got, want) and total == pytest.approx(float(want.astype(np.float64).sum()))
    view = a[::2, 1:4]  # strided: numpy refuses it to a request without STRIDES
    with pytest.raises(ValueError, match="not C-contiguous"):
        buffers.scale_half(view, 2.0)
    with pytest.raises(TypeError, match="must be a buffer of float16, not float32"):
        buffers.scale_half(np.zeros(3, dtype=np.float32), 2.0)
    with pytest.raises(OverflowError):
        buffers.scale_half(np.array([60000.0], dtype=np.float16), 2.0)


def test_an_optional_buffer_takes_none():
    # Issue 21, item 5: `buffer | None` (out=None-style parameters); Go
    # gets a nil *py.View[float64] for None or nothing.
    import array
    import inspect
    import sys
    x = np.arange(4.0)
    assert buffers.weighted_sum(x) == buffers.weighted_sum(x, None) == 6.0
    w = np.full(4, 2.0)
    before = sys.getrefcount(w)
    assert buffers.weighted_sum(x, weights=w) == 12.0
    assert sys.getrefcount(w) == before  # the view was released
    assert buffers.weighted_sum(x, array.array("d", [1, 0, 0, 1])) == 3.0
    assert str(inspect.signature(buffers.weighted_sum)) == "(x, weights=None)"
    with pytest.raises(TypeError, match="argument 'weights' must be a buffer of float64, not int64"):
        buffers.weighted_sum(x, np.arange(4))
    with pytest.raises(TypeError, match="argument 'weights' must be a buffer"):
        buffers.weighted_sum(x, "abc")
    with pytest.raises(ValueError, match=r"argument 'weights' must have shape \(n,\) with n = 4 as argument 'x' has it, not \(3,\)"):
        buffers.weighted_sum(x, np.ones(3))
    with pytest.raises(ValueError, match=r"argument 'x' must have 1 dimension, not 2"):
        buffers.weighted_sum(np.ones((2, 2)))
    assert sys.getrefcount(w) == before
    before = sys.getrefcount(x)
    for _ in range(100):  # the refused view is released, and x's with it
        with pytest.raises(ValueError):
            buffers.weighted_sum(x, np.ones(5))
    assert sys.getrefcount(x) == before


def test_matvec_checks_shapes_before_the_call():
    m = np.arange(6.0).reshape(2, 3)
    v = np.array([1.0, 0.5, -1.0])
    out = np.zeros(2)
    buffers.matvec(m, v, out)
    assert out.tolist() == (m @ v).tolist()
    buffers.matvec(m.T.copy().T, v, out)  # Fortran order: any layout
    assert out.tolist() == (m @ v).tolist()
    mt = np.arange(6.0).reshape(3, 2)
    buffers.matvec(mt.T, v, out)  # a transposed view
    assert out.tolist() == (mt.T @ v).tolist()
    with pytest.raises(ValueError, match=r"argument 'v' must have shape \(cols,\) with cols = 3 as argument 'm' has it, not \(2,\)"):
        buffers.matvec(m, np.ones(2), out)
    with pytest.raises(ValueError, match=r"argument 'out' must have shape \(rows,\) with rows = 2 as argument 'm' has it, not \(3,\)"):
        buffers.matvec(m, v, np.zeros(3))
    with pytest.raises(ValueError, match=r"argument 'm' must have 2 dimensions, not 1"):
        buffers.matvec(v, v, out)
    assert out.tolist() == (mt.T @ v).tolist()  # nothing ran
    with pytest.raises(ValueError, match=r"argument 'v' must have shape \(cols,\) with cols = 0"):
        buffers.matvec(np.zeros((2, 0)), v, out)
    buffers.matvec(np.zeros((0, 3)), v, np.zeros(0))


def test_sum_at_every_length_around_the_vector_steps():
    # Issue 21, item 4: sum runs 16 elements a step in AVX2 (go.experiments:
    # [simd]) with a scalar tail; int64 addition wraps as Go's does.
    rng = np.random.default_rng(5)
    for n in list(range(0, 130)) + [1000, 4097]:
        a = rng.integers(-(2**62), 2**62, n, dtype=np.int64)
        want = int(a.sum(dtype=np.int64)) if n else 0
        assert buffers.sum(a) == want
        if n > 1:
            assert buffers.sum(a[1:]) == int(a[1:].sum(dtype=np.int64))  # not 32-byte aligned
    big = np.full(100, 2**62, dtype=np.int64)
    assert buffers.sum(big) == ((100 * 2**62 + 2**63) % 2**64) - 2**63


# ---- a fixed export (issue 21, item 3) ------------------------------------
# Grid's spec says `buffer: {fixed: true}`: Buffer runs for the first view
# after each __init__, and later views are made in C from that export.


def test_fixed_export_calls_buffer_once_and_shares_the_memory():
    g = buffers.Grid(2, 3)
    assert g.exports() == 0
    a = memoryview(g)
    assert (a.format, a.shape, a.strides, a.readonly) == ("d", (2, 3), (24, 8), False)
    views = [memoryview(g) for _ in range(10)] + [np.asarray(g) for _ in range(10)]
    assert g.exports() == 1
    a[1, 2] = 4.5  # through the first view...
    assert all(v[1, 2] == 4.5 for v in views)  # ...seen by the cached ones
    assert g.at(1, 2) == 4.5  # and by Go
    views[-1][0, 1] = -1.0
    assert a[0, 1] == -1.0 and g.at(0, 1) == -1.0
    assert np.asarray(g).__array_interface__["data"][0] == views[-1].__array_interface__["data"][0]
    assert g.exports() == 1


def test_fixed_export_views_release_in_any_order():
    g = buffers.Grid(3, 4, 2.0)
    views = [memoryview(g) for _ in range(50)]
    order = list(range(50))
    import random

    random.Random(7).shuffle(order)
    for i in order[:25]:
        views[i].release()
    assert memoryview(g).tolist() == [[2.0] * 4] * 3  # the cache lives on
    for i in order[25:]:
        assert views[i][2, 3] == 2.0
        views[i].release()
    assert bytes(g) == np.full((3, 4), 2.0).tobytes() and g.exports() == 1


def test_fixed_export_views_keep_the_object_alive():
    import gc
    import weakref

    g = buffers.Grid(2, 2, 1.5)
    alive = weakref.ref(g)
    v = memoryview(g)
    w = np.asarray(g)
    del g
    gc.collect()
    assert alive() is not None
    assert v.tolist() == [[1.5, 1.5]] * 2
    v.release()
    assert alive() is not None and w.sum() == 6.0  # the array still holds it
    del w
    gc.collect()
    assert alive() is None


def test_fixed_export_is_read_again_after_init():
    g = buffers.Grid(2, 2, 1.0)
    old = memoryview(g)
    assert g.exports() == 1
    g.__init__(1, 3, 7.0)  # a new Go value
    assert g.exports() == 0
    new = memoryview(g)
    assert g.exports() == 1 and memoryview(g).shape == (1, 3) and g.exports() == 1
    assert new.tolist() == [[7.0] * 3]
    assert old.shape == (2, 2) and old.tolist() == [[1.0] * 2] * 2  # still the old memory
    old[0, 0] = 9.0
    assert new.tolist() == [[7.0] * 3] and g.at(0, 0) == 7.0
    old.release()
    new.release()
    # An argument that does not convert stops __init__ before Go: nothing
    # changes. One that Go refuses leaves the Go value as it was, but the
    # export is read again, as after any __init__.
    with pytest.raises(TypeError):
        g.__init__("x", 1)
    assert memoryview(g).shape == (1, 3) and g.exports() == 1
    with pytest.raises(MemoryError):
        g.__init__(2**31, 2**31)
    assert memoryview(g).shape == (1, 3) and g.exports() == 2


def test_fixed_export_refuses_what_its_export_is_not():
    g = buffers.Grid(2, 3)
    memoryview(g)  # the export is kept from here on
    with pytest.raises(BufferError, match="Fortran-contiguous one was requested"):
        _testbuffer.ndarray(g, getbuf=_testbuffer.PyBUF_F_CONTIGUOUS)
    assert _testbuffer.ndarray(g, getbuf=_testbuffer.PyBUF_C_CONTIGUOUS).shape == (2, 3)
    simple = _testbuffer.ndarray(g, getbuf=_testbuffer.PyBUF_SIMPLE)
    assert simple.ndim == 1 and simple.nbytes == 48
    strided = _testbuffer.ndarray(g, getbuf=_testbuffer.PyBUF_FULL)
    assert strided.strides == (24, 8) and strided.format == "d"
    # A one-row grid is both C- and Fortran-contiguous.
    row = buffers.Grid(1, 3)
    assert _testbuffer.ndarray(row, getbuf=_testbuffer.PyBUF_F_CONTIGUOUS).shape == (1, 3)
    assert g.exports() == 1 and row.exports() == 1


def test_fixed_export_refused_on_the_first_request_is_kept():
    # A refused first request still keeps the export: Buffer ran, and the
    # memory stays pinned until the object goes.
    g = buffers.Grid(2, 2)
    with pytest.raises(BufferError, match="Fortran-contiguous"):
        _testbuffer.ndarray(g, getbuf=_testbuffer.PyBUF_F_CONTIGUOUS)
    assert g.exports() == 1
    assert memoryview(g).shape == (2, 2) and g.exports() == 1


def test_fixed_read_only_export_refuses_writable_requests():
    # Go says read-only once; the glue refuses writable requests from the
    # kept export, without asking Buffer again.
    g = buffers.Grid(2, 2, 1.0, readonly=True)
    with pytest.raises(BufferError, match="exports a read-only buffer; a writable one was requested"):
        _testbuffer.ndarray(g, getbuf=_testbuffer.PyBUF_WRITABLE)  # the first request: refused, export kept
    assert g.exports() == 1
    v = memoryview(g)
    assert v.readonly and g.exports() == 1
    with pytest.raises(BufferError, match="exports a read-only buffer; a writable one was requested"):
        _testbuffer.ndarray(g, getbuf=_testbuffer.PyBUF_WRITABLE)
    with pytest.raises(BufferError, match="must be a writable buffer"):
        buffers.scale_half(g, 2.0)
    with pytest.raises(TypeError):
        v[0, 0] = 2.0
    assert not np.asarray(g).flags.writeable and g.exports() == 1
    assert buffers.Grid(1, 1).exports() == 0
    w = buffers.Grid(1, 1)
    assert _testbuffer.ndarray(w, getbuf=_testbuffer.PyBUF_WRITABLE).readonly == 0


def test_fixed_export_uninitialized():
    bare = buffers.Grid.__new__(buffers.Grid)
    with pytest.raises(BufferError, match="Grid object is not initialized"):
        memoryview(bare)
    bare.__init__(1, 1, 3.0)
    assert memoryview(bare).tolist() == [[3.0]]


def test_fixed_export_no_leaks_over_many_views():
    import gc

    g = buffers.Grid(4, 4)
    memoryview(g).release()
    for _ in range(1000):  # warm up
        memoryview(g).release()
    gc.collect()
    refs, blocks = sys.getrefcount(g), sys.getallocatedblocks()
    for _ in range(100_000):
        memoryview(g)
    for _ in range(1000):
        with memoryview(g) as v:
            np.asarray(v)
    gc.collect()
    assert sys.getrefcount(g) == refs
    assert sys.getallocatedblocks() - blocks < 50
    assert g.exports() == 1


def test_fixed_exports_of_many_objects():
    import gc

    for i in range(5000):
        g = buffers.Grid(1, 2, float(i))
        v = memoryview(g)
        del g
        assert v[0, 1] == float(i)
        v.release()
    gc.collect()


def test_fixed_export_in_a_forked_child():
    import os

    g = buffers.Grid(2, 2, 5.0)
    v = memoryview(g)
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            # The parent's Go value is stale here: the usual error, no crash;
            # the parent's view is the child's memory to read and release,
            # and its Go pin is not the child's to give back.
            try:
                memoryview(g)
            except BufferError as e:
                assert "before os.fork" in str(e), e
            else:
                raise AssertionError("a parent's exporter made a view in the child")
            assert v.tolist() == [[5.0] * 2] * 2
            v.release()
            h = buffers.Grid(1, 1, 2.0)  # the child's own Go part
            assert memoryview(h).tolist() == [[2.0]] and memoryview(h).shape == (1, 1) and h.exports() == 1
            del h
            code = 0
        except BaseException:
            import traceback

            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert v[1, 1] == 5.0 and memoryview(g).shape == (2, 2) and g.exports() == 1


def test_ndarray_results():
    a = buffers.linspace(0.0, 2.0, 9)
    assert type(a) is np.ndarray and a.dtype == np.float64 and a.shape == (9,)
    assert a.tolist() == pytest.approx(np.linspace(0.0, 2.0, 9).tolist())
    assert a.flags.writeable  # writable: true in the spec
    a[0] = 7.0
    assert a[0] == 7.0
    assert buffers.linspace(1.0, 2.0, 1).tolist() == [1.0]
    assert buffers.linspace(1.0, 2.0, 0).shape == (0,)
    # The array's base holds the GoBuffer, which pins the Go memory.
    base = a.base
    while not isinstance(base, buffers.GoBuffer):
        base = base.obj if isinstance(base, memoryview) else base.base
    o = buffers.outer(np.array([1.0, 2.0]), np.arange(3.0))
    assert o.shape == (2, 3) and o.dtype == np.float64 and not o.flags.writeable
    assert o.tolist() == np.outer([1.0, 2.0], np.arange(3.0)).tolist()
    assert (o @ np.ones(3)).tolist() == [3.0, 6.0]  # a real ndarray: numpy takes it anywhere
    del a, base
    import gc

    gc.collect()
    x = buffers.linspace(0.0, 1.0, 1000)
    y = x[::10]  # a view of the view
    del x
    gc.collect()
    assert y.tolist() == pytest.approx(np.linspace(0.0, 1.0, 1000)[::10].tolist())


def test_ndarray_results_stay_flat():
    import sys

    for _ in range(100):
        buffers.outer(np.ones(10), np.ones(10))
    before = sys.getallocatedblocks()
    for _ in range(5000):
        buffers.outer(np.ones(10), np.ones(10)).sum()
    assert sys.getallocatedblocks() - before < 500


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_generic_functions_take_each_listed_dtype(dtype):
    x = np.arange(5, dtype=dtype)
    buffers.scale(x, 2.0)
    assert x.dtype == dtype and x.tolist() == [0.0, 2.0, 4.0, 6.0, 8.0]
    assert buffers.dot(x, np.ones(5, dtype=dtype)) == 20.0
    import array

    assert buffers.dot(array.array("f", [1, 2]), array.array("f", [3, 4])) == 11.0


def test_generic_functions_refuse_other_dtypes():
    with pytest.raises(TypeError, match=r"scale\(\) argument 'x' must be a buffer of float32 or float64, not int64"):
        buffers.scale(np.arange(3), 2.0)
    with pytest.raises(TypeError, match=r"dot\(\) argument 'b' must be a buffer of float32, as argument 'a' is, not float64"):
        buffers.dot(np.ones(3, dtype=np.float32), np.ones(3))
    with pytest.raises(ValueError, match=r"dot\(\) argument 'b' must have shape \(n,\) with n = 3"):
        buffers.dot(np.ones(3), np.ones(4))
    with pytest.raises((BufferError, TypeError)):
        buffers.scale(np.ones(3).setflags(write=False) or np.frombuffer(b"\0" * 8), 1.0)
