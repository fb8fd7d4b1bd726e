"""The ufuncs example: each ufunc against numpy's own semantics, by
comparing with the same Go function applied element by element through
numpy.vectorize, on random shapes, strides and broadcasts."""
import gc
import math
import os
import pathlib
import sys
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import ufuncs as u

INT64_MAX, INT64_MIN = 2**63 - 1, -(2**63)


def py_clamp_add(a, b):
    return max(INT64_MIN, min(INT64_MAX, int(a) + int(b)))


def py_div_mod(a, b):
    return divmod(int(a), int(b))


def py_isqrt(x):
    return math.isqrt(int(x))


# Element-by-element references: numpy.vectorize calls them per element,
# with numpy's broadcasting, so the ufunc must agree on every shape.
REFERENCES = {
    "poly": (u.poly, np.vectorize(lambda x: x * x + 1, otypes=[np.float64]), np.float64),
    "poly_parallel": (u.poly_parallel, np.vectorize(lambda x: x * x + 1, otypes=[np.float64]), np.float64),
    "isqrt": (u.isqrt, np.vectorize(py_isqrt, otypes=[np.int64]), np.int64),
    "saturate": (u.saturate, np.vectorize(lambda x: min(max(int(x), 0), 255), otypes=[np.uint8]), np.int32),
}

strided = st.tuples(hnp.array_shapes(min_dims=0, max_dims=3, max_side=6), st.integers(1, 3), st.booleans())


def sample(draw, dtype, shape_step_flip, elements):
    """An array of dtype, often a non-contiguous view: every other item,
    reversed, or a transposed one."""
    shape, step, flip = shape_step_flip
    big = tuple(n * step for n in shape)
    base = draw(hnp.arrays(dtype, big, elements=elements))
    view = base[tuple(slice(None, None, step) for _ in shape)]
    if flip and view.ndim:
        view = view[::-1]
    if view.ndim > 1 and draw(st.booleans()):
        view = view.T
    return view


@pytest.mark.parametrize("name", sorted(REFERENCES))
@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=strided)
def test_unary_ufuncs_agree_with_vectorize(name, data, shape):
    f, ref, dtype = REFERENCES[name]
    elements = {
        np.float64: st.floats(-1e6, 1e6),
        np.int64: st.integers(0, 2**62),
        np.int32: st.integers(-(2**31), 2**31 - 1),
    }[dtype]
    x = sample(data.draw, dtype, shape, elements)
    got = f(x)
    want = ref(x)
    assert got.dtype == want.dtype and got.shape == x.shape
    np.testing.assert_array_equal(got, want)


@settings(max_examples=80, deadline=None)
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=5), data=st.data())
def test_binary_ufuncs_broadcast_as_numpy_does(shapes, data):
    a_shape, b_shape = shapes.input_shapes
    ints = st.integers(INT64_MIN, INT64_MAX)
    a = data.draw(hnp.arrays(np.int64, a_shape, elements=ints))
    b = data.draw(hnp.arrays(np.int64, b_shape, elements=ints))
    got = u.clamp_add(a, b)
    assert got.shape == shapes.result_shape
    np.testing.assert_array_equal(got, np.vectorize(py_clamp_add, otypes=[np.int64])(a, b))
    nonzero = np.where(b == 0, 7, b)
    nonzero = np.where((a == INT64_MIN) & (nonzero == -1), 7, nonzero)  # 2**63: test_div_mod_past_int64
    q, r = u.div_mod(a, nonzero)
    wq, wr = np.vectorize(py_div_mod, otypes=[np.int64, np.int64])(a, nonzero)
    np.testing.assert_array_equal(q, wq)
    np.testing.assert_array_equal(r, wr)


def test_out_where_and_dtype():
    x = np.arange(6.0)
    out = np.full(6, -1.0)
    assert u.poly(x, out=out) is out
    np.testing.assert_array_equal(out, x * x + 1)
    out[:] = -1.0
    u.poly(x, out=out, where=x > 2)
    np.testing.assert_array_equal(out, [-1, -1, -1, 10, 17, 26])
    # Ints cast safely to the float64 loop; a float32 out= is same_kind.
    np.testing.assert_array_equal(u.poly(np.arange(3)), [1.0, 2.0, 5.0])
    small = np.empty(3, np.float32)
    u.poly(np.arange(3.0), out=small)
    np.testing.assert_array_equal(small, [1.0, 2.0, 5.0])
    assert u.poly(np.arange(3.0), dtype=np.float64).dtype == np.float64
    q, r = np.empty(2, np.int64), np.empty(2, np.int64)
    assert u.div_mod([7, -7], 2, out=(q, r)) == (q, r)
    assert (q.tolist(), r.tolist()) == ([3, -4], [1, 1])


def test_reduce_accumulate_and_outer():
    x = np.array([INT64_MAX - 5, 3, 4, -10], dtype=np.int64)
    assert u.clamp_add.reduce(x) == INT64_MAX - 10
    np.testing.assert_array_equal(u.clamp_add.accumulate(x), [INT64_MAX - 5, INT64_MAX - 2, INT64_MAX, INT64_MAX - 10])
    np.testing.assert_array_equal(u.clamp_add.outer([1, 2], [10, 20, 30]), [[11, 21, 31], [12, 22, 32]])
    np.testing.assert_array_equal(u.clamp_add.reduce(np.arange(12).reshape(3, 4), axis=1), [6, 22, 38])
    # No identity: an empty reduction has no value, as numpy says.
    with pytest.raises(ValueError, match="identity"):
        u.clamp_add.reduce(np.array([], np.int64))


def test_every_operand_type():
    assert u.in_unit_circle(np.float32([0.5, 0.9]), np.float32([0.5, 0.9])).tolist() == [True, False]
    z = u.rotate(np.array([1 + 2j, 1 + 2j, 3j]), np.int8([1, -1, 2]), np.array([True, True, False]))
    assert z.tolist() == [-2 + 1j, 2 - 1j, 3j]
    # numpy bools are bytes: any non-zero byte is True.
    flags = np.array([0, 1, 2], np.uint8).view(np.bool_)
    assert u.rotate(np.ones(3, complex), 1, flags).tolist() == [1, 1j, 1j]
    h = u.halve(np.array([3.0, 65504.0, -1.0], np.float16))
    assert h.dtype == np.float16 and h.tolist() == [1.5, 32752.0, -0.5]
    assert u.saturate(np.array([-5, 100, 1000], np.int32)).tolist() == [0, 100, 255]
    # Scalars, lists and 0-d arrays go through numpy too.
    assert u.poly(3) == 10.0 and u.poly([1, 2]).tolist() == [2.0, 5.0]
    assert u.poly(np.array(2.0)).shape == ()
    assert u.poly(np.empty((0, 3))).shape == (0, 3)


def test_types_numpy_cannot_cast_are_numpys_error():
    with pytest.raises(TypeError, match="ufunc 'poly' not supported for the input types"):
        u.poly(np.array(["a"]))
    with pytest.raises(TypeError):
        u.poly(np.arange(3.0), dtype=np.int64)


@pytest.mark.parametrize("f, x, exc, match", [
    (u.isqrt, -4, ValueError, "isqrt of a negative number: -4"),
    (u.inv_checked, 0.0, RuntimeError, r"Go panic in ufuncs\.InvChecked: InvChecked\(0\)"),
])
def test_errors_and_panics_raise(f, x, exc, match):
    for arg in (x, np.array([1, 4, x, 9] * 1000)):
        with pytest.raises(exc, match=match):
            f(arg)
    assert f(np.array([4, 9])).tolist() in ([2, 3], [0.25, 1 / 9])  # nothing left over


def test_div_mod_past_int64():
    # Found by Hypothesis: Go's -2**63 / -1 wraps; Python's quotient is 2**63.
    with pytest.raises(OverflowError, match="the quotient does not fit in int64"):
        u.div_mod(np.array([1, INT64_MIN]), -1)
    assert u.div_mod(INT64_MIN, 1) == (INT64_MIN, 0)


def test_div_mod_by_zero_in_an_array():
    with pytest.raises(ZeroDivisionError, match="integer division or modulo by zero"):
        u.div_mod(np.arange(10), np.arange(10) % 3)


def test_parallel_loops_agree_and_fail_once():
    x = np.random.default_rng(1).uniform(-1e3, 1e3, 1_000_003)
    np.testing.assert_array_equal(u.poly_parallel(x), u.poly(x))
    np.testing.assert_array_equal(u.poly_parallel(x[::3]), u.poly(x[::3]))
    big = np.arange(1_000_000, dtype=np.int64)
    np.testing.assert_array_equal(u.isqrt(big), np.vectorize(py_isqrt, otypes=[np.int64])(big))
    # A failure in any goroutine's range fails the call.
    for bad_at in (0, 500_000, 999_999):
        y = big.copy()
        y[bad_at] = -bad_at - 1
        with pytest.raises(ValueError, match=f"isqrt of a negative number: {-bad_at - 1}"):
            u.isqrt(y)


def test_threads_call_at_once():
    x = np.arange(100_000.0)
    want = x * x + 1
    errors = []

    def work():
        try:
            for _ in range(20):
                np.testing.assert_array_equal(u.poly(x), want)
                np.testing.assert_array_equal(u.poly_parallel(x), want)
                with pytest.raises(ValueError):
                    u.isqrt(np.array([-1]))
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_calls_leak_nothing():
    x = np.arange(1000.0)

    def calls(n):
        # A loop that succeeds and one that raises, n times; then the
        # blocks Python has allocated.
        for _ in range(n):
            u.poly(x)
            with pytest.raises(ValueError):
                u.isqrt(np.array([-1]))
        gc.collect()
        return sys.getallocatedblocks()

    before = calls(2000)
    assert calls(20_000) - before < 200


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")
def test_a_forked_child_runs_the_ufuncs():
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            ok = u.poly(np.arange(3.0)).tolist() == [1.0, 2.0, 5.0]
            try:
                u.isqrt(-1)
            except ValueError:
                code = 0 if ok else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def test_the_stub_says_ufunc():
    here = pathlib.Path(u.__file__)
    stub = next(p for p in (here.with_name("ufuncs.pyi"), here.with_name("ufuncs-stubs") / "__init__.pyi") if p.exists())
    text = stub.read_text()
    assert "poly: numpy.ufunc" in text and "import numpy" in text
    assert "# div_mod(a: int, b: int, /) -> (int, int), elementwise (a numpy ufunc)" in text


def test_pickles_by_name():
    import pickle
    assert pickle.loads(pickle.dumps(u.poly)) is u.poly


def test_dask_arrays_stay_lazy_on_a_local_cluster():
    da = pytest.importorskip("dask.array")
    distributed = pytest.importorskip("dask.distributed")
    x = da.arange(0, 1000, chunks=100, dtype=np.float64)
    y = u.poly(x)
    assert isinstance(y, da.Array)  # numpy's __array_ufunc__: still lazy
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        np.testing.assert_array_equal(client.compute(y).result(), np.arange(1000.0) ** 2 + 1)
        # A binary ufunc broadcasts chunk by chunk. (dask maps only __call__
        # of single-output ufuncs: reduce and div_mod are numpy's alone.)
        s = u.clamp_add(da.arange(10, chunks=3)[:, None], da.arange(4, chunks=2))
        assert isinstance(s, da.Array) and s.shape == (10, 4)
        np.testing.assert_array_equal(client.compute(s).result(), np.arange(10)[:, None] + np.arange(4))
