"""Property-based tests of every conversion at its bounds (Hypothesis).

Each spec type is round-tripped through Go: values in range come back equal,
values out of range are refused with the exception CPython itself would raise
(OverflowError, TypeError, UnicodeEncodeError), and buffers of any shape and
strides read and write the right elements. Kept short: the profile is set
below, CI runs these in every mode (normal, -X dev, AddressSanitizer).
"""
import math
import struct

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import roundtrip as rt

settings.register_profile("pyspec", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("pyspec")

BOUNDS = {
    "int8": (-(2**7), 2**7 - 1), "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1),
    "uint8": (0, 2**8 - 1), "uint16": (0, 2**16 - 1),
    "uint32": (0, 2**32 - 1), "uint64": (0, 2**64 - 1),
}


def near_bounds(lo, hi):
    """Integers in range, weighted to the edges."""
    return st.one_of(st.integers(lo, hi), st.sampled_from([lo, lo + 1, hi - 1, hi, 0 if lo <= 0 <= hi else lo]))


@pytest.mark.parametrize("name", BOUNDS)
@given(data=st.data())
def test_integers_round_trip(name, data):
    lo, hi = BOUNDS[name]
    f = getattr(rt, "echo_" + name)
    x = data.draw(near_bounds(lo, hi))
    assert f(x) == x
    assert type(f(x)) is int


@pytest.mark.parametrize("name", BOUNDS)
@given(data=st.data())
def test_integers_out_of_range(name, data):
    lo, hi = BOUNDS[name]
    f = getattr(rt, "echo_" + name)
    x = data.draw(st.one_of(st.integers(max_value=lo - 1), st.integers(min_value=hi + 1)))
    with pytest.raises(OverflowError, match=f"out of range for {name}"):
        f(x)


class Index:
    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v


@given(st.integers(-(2**63), 2**63 - 1))
def test_index_objects_convert(x):
    assert rt.echo_int64(Index(x)) == x
    assert rt.echo_int64(np.int64(x)) == x


@given(st.one_of(st.floats(), st.text(max_size=3), st.none(), st.binary(max_size=3)))
def test_integers_refuse_other_types(x):
    with pytest.raises(TypeError, match="must be int"):
        rt.echo_int32(x)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_float64_round_trips_exactly(x):
    got = rt.echo_float64(x)
    assert got == x or (math.isnan(x) and math.isnan(got))


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_float32_rounds_like_struct(x):
    """float32 accepts exactly what struct.pack('<f') accepts, rounded the same
    (native 'f' skips the range check: a value that rounds to infinity
    becomes inf there)."""
    try:
        (want,) = struct.unpack("<f", struct.pack("<f", x))
    except OverflowError:
        with pytest.raises(OverflowError, match="float32"):
            rt.echo_float32(x)
        return
    got = rt.echo_float32(x)
    assert got == want or (math.isnan(want) and math.isnan(got))


@given(st.integers(-(2**53), 2**53))
def test_floats_take_ints(n):
    assert rt.echo_float64(n) == float(n)


@given(st.booleans())
def test_bool(b):
    assert rt.echo_bool(b) is b
    assert rt.echo_bool(np.bool_(b)) is b


@given(st.text())
def test_str_round_trips(s):
    assert rt.echo_str(s) == s


@given(st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3))
def test_lone_surrogates_are_refused(s):
    with pytest.raises(UnicodeEncodeError):
        rt.echo_str(s)


@given(st.binary())
def test_bytes_round_trip(b):
    assert rt.echo_bytes(b) == b


@given(st.lists(st.integers(-(2**63), 2**63 - 1)))
def test_list_int64(xs):
    assert rt.echo_list_int64(xs) == xs
    assert rt.echo_list_int64(tuple(xs)) == xs


@given(st.lists(st.integers(-128, 127), min_size=1), st.integers(min_value=128))
def test_list_item_out_of_range_names_the_item(xs, big):
    bad = xs + [big]
    with pytest.raises(OverflowError, match=f"item {len(xs)}"):
        rt.echo_list_int8(bad)


@given(st.lists(st.integers(0, 2**64 - 1)), st.lists(st.booleans()))
def test_lists_uint64_bool(xs, bs):
    assert rt.echo_list_uint64(xs) == xs
    assert rt.echo_list_bool(bs) == bs


@given(st.lists(st.floats(width=32)))
def test_list_float32(xs):
    got = rt.echo_list_float32(xs)
    assert len(got) == len(xs)
    assert all(a == b or (math.isnan(a) and math.isnan(b)) for a, b in zip(got, xs))


@given(st.lists(st.text()), st.lists(st.binary()))
def test_lists_of_text(ss, bs):
    assert rt.echo_list_str(ss) == ss
    assert rt.echo_list_bytes(bs) == bs


@given(st.lists(st.integers(0, 2**16 - 1)))
def test_tuple_only(xs):
    assert rt.echo_tuple_uint16(tuple(xs)) == xs
    with pytest.raises(TypeError, match="must be a tuple"):
        rt.echo_tuple_uint16(list(xs))


@given(st.one_of(st.none(), st.integers(-(2**31), 2**31 - 1)), st.one_of(st.none(), st.text()))
def test_optionals(x, s):
    assert rt.echo_opt_int32(x) == x
    assert rt.echo_opt_str(s) == s


@given(st.integers(-128, 127), st.floats(width=32, allow_nan=False), st.text(), st.one_of(st.none(), st.binary()))
def test_several_results(a, b, c, d):
    assert rt.echo_many(a, b, c, d) == (a, b, c, d)


ELEMS = {
    "int8": np.int8, "uint16": np.uint16, "int32": np.int32, "int64": np.int64,
    "uint64": np.uint64, "float32": np.float32, "float64": np.float64, "bool": np.bool_,
}


def arrays_of(dtype):
    """Arrays of any shape (up to 4-D), sliced with steps and reversed, so the
    views have arbitrary strides; sometimes transposed."""
    base = hnp.arrays(dtype, hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5),
                      elements=hnp.from_dtype(np.dtype(dtype), allow_nan=False) if np.dtype(dtype).kind == "f" else None)

    @st.composite
    def strided(draw):
        a = draw(base)
        if a.ndim:
            steps = tuple(slice(None, None, draw(st.sampled_from([1, 2, -1, -2]))) for _ in range(a.ndim))
            a = a[steps]
        if draw(st.booleans()):
            a = a.T
        return a

    return strided()


@pytest.mark.parametrize("name", ELEMS)
@given(data=st.data())
def test_buffer_elements_any_layout(name, data):
    a = data.draw(arrays_of(ELEMS[name]))
    got = getattr(rt, "elems_" + name)(a)
    want = a.reshape(-1).tolist() if a.ndim else [a.item()]
    assert got == want


@given(hnp.arrays(np.uint8, hnp.array_shapes(min_dims=1, max_dims=3, max_side=6)), st.integers(0, 255))
def test_writes_through_any_layout(a, v):
    view = a[..., ::2] if a.shape[-1] > 1 else a
    rt.fill_uint8(view, v)
    assert (view == v).all()
    if view is not a:
        assert (a[..., 1::2] != v).sum() == (a[..., 1::2] != v).sum()  # untouched columns keep their values


@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=4, max_side=4)))
def test_shapes_as_the_exporter_gives_them(a):
    # Issue 21, item 5: a 0-d array is a scalar, shape (), not (1,).
    assert rt.shape_of(a) == list(a.shape)
    assert rt.shape_of(memoryview(a)) == list(a.shape)


def test_zero_dimensional_views():
    import _testbuffer
    assert rt.shape_of(np.array(2.5)) == [] and rt.elems_float64(np.array(2.5)) == [2.5]
    scalar = _testbuffer.ndarray(7, shape=[], format="q")
    assert rt.shape_of(scalar) == [] and rt.nbytes(scalar) == 8
    assert rt.shape_of(b"abc") == [3]  # no ND in bytes' own view: one flat dimension


@given(st.binary(max_size=64))
def test_any_exporter_flat(b):
    assert rt.nbytes(b) == len(b)
    assert rt.nbytes(bytearray(b)) == len(b)
    assert rt.nbytes(memoryview(b)) == len(b)


@pytest.mark.parametrize("name", ELEMS)
def test_buffers_of_another_type_are_refused(name):
    other = np.zeros(3, dtype=np.complex64)
    with pytest.raises(TypeError, match=f"must be a buffer of {name}"):
        getattr(rt, "elems_" + name)(other)


FIELDS = {"i8": "int8", "i16": "int16", "i32": "int32", "i64": "int64", "u8": "uint8", "u16": "uint16", "u32": "uint32", "u64": "uint64"}


@given(st.data())
def test_scalar_attributes_in_place(data):
    f = rt.Fields()
    values = {name: data.draw(near_bounds(*BOUNDS[t])) for name, t in FIELDS.items()}
    b = data.draw(st.booleans())
    x32 = data.draw(st.floats(width=32, allow_nan=False))
    x64 = data.draw(st.floats(allow_nan=False))
    for name, v in values.items():
        setattr(f, name, v)
    f.b, f.f32, f.f64 = b, x32, x64
    assert {name: getattr(f, name) for name in FIELDS} == values
    assert f.b is b and f.f32 == x32 and f.f64 == x64
    # Go reads what C wrote, field by field (no neighbour clobbered).
    want = " ".join([str(b).lower()] + [str(values[n]) for n in FIELDS])
    assert f.in_go().startswith(want)


@given(st.sampled_from(sorted(FIELDS)), st.data())
def test_scalar_attributes_refuse_out_of_range(name, data):
    lo, hi = BOUNDS[FIELDS[name]]
    f = rt.Fields()
    bad = data.draw(st.one_of(st.integers(max_value=lo - 1), st.integers(min_value=hi + 1)))
    with pytest.raises(OverflowError, match=f"out of range for {FIELDS[name]}"):
        setattr(f, name, bad)
    assert getattr(f, name) == 0


def test_names_that_meet_in_c_stay_apart():
    # Joined with _, these spec names would be one C symbol (or one's
    # derived name another's); each must still reach its own Go function.
    f = rt.Fields()
    assert rt.clear() == "clear"
    assert rt.Fields_in_go() == "Fields_in_go"
    assert f.methods() == "methods"
    assert f.in_go_core() == "in_go_core"
    assert f.in_go().startswith("false 0 ")
