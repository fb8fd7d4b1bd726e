"""The author's tests of the conversions example: every argument kind and
type, results, errors and panics."""

import inspect
import sys
import threading

import pytest

import conversions as c


def test_ints_round_trip_at_their_limits():
    lo = (-128, -32768, -(2**31), -(2**63), 0, 0, 0, 0)
    hi = (127, 32767, 2**31 - 1, 2**63 - 1, 255, 65535, 2**32 - 1, 2**64 - 1)
    assert c.echo_ints(*lo) == lo
    assert c.echo_ints(*hi) == hi


@pytest.mark.parametrize(
    "index,value,name",
    [(0, 128, "int8"), (0, -129, "int8"), (1, 2**15, "int16"), (2, -(2**31) - 1, "int32"),
     (3, 2**63, "int64"), (4, -1, "uint8"), (5, 2**16, "uint16"), (6, 2**32, "uint32"), (7, 2**64, "uint64"), (7, -1, "uint64")],
)
def test_ints_out_of_range_raise_overflow_error(index, value, name):
    args = [0] * 8
    args[index] = value
    arg = ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"][index]
    with pytest.raises(OverflowError, match=rf"echo_ints\(\) argument '{arg}' out of range for {name}"):
        c.echo_ints(*args)


def test_index_objects_and_bools_are_ints():
    import numpy as np

    assert c.add(np.int32(2), True) == 3


@pytest.mark.parametrize("bad", [1.5, "1", None, b"1", [1]])
def test_wrong_type_for_int(bad):
    with pytest.raises(TypeError, match=rf"add\(\) argument 'a' must be int, not {type(bad).__name__}"):
        c.add(bad, 1)


def test_floats_kinds_and_defaults():
    assert c.scale(1.5) == 3.0
    assert c.scale(1.5, 4) == 6.0
    assert c.scale(1.5, factor=4, clamp=True) == 1.0
    assert c.scale(3) == 6.0  # ints are floats
    with pytest.raises(TypeError, match="positional-only arguments passed as keyword arguments: 'x'"):
        c.scale(x=1.0)
    with pytest.raises(TypeError, match=r"takes from 1 to 2 positional arguments but 3 were given"):
        c.scale(1.0, 2.0, True)
    with pytest.raises(OverflowError, match="out of range for float32"):
        c.scale(1.0, 1e39)
    with pytest.raises(TypeError, match=r"scale\(\) argument 'clamp' must be bool, not int"):
        c.scale(1.0, clamp=1)


def test_strings_and_optionals():
    assert c.greet("Bob") == "Hello, Bob!"
    assert c.greet("Bob", "Hi", punct="?") == "Hi, Bob?"
    assert c.greet("Zoë", greeting="Grüß Gott", punct=None) == "Grüß Gott, Zoë!"
    with pytest.raises(TypeError, match=r"greet\(\) argument 'name' must be str, not bytes"):
        c.greet(b"Bob")
    with pytest.raises(TypeError, match=r"missing 1 required positional argument: 'name'"):
        c.greet()
    with pytest.raises(UnicodeEncodeError):
        c.greet("\ud800")


def test_bytes_are_copied_both_ways():
    data = b"abc"
    assert c.reverse_bytes(data) == b"cba"
    assert data == b"abc"
    assert c.reverse_bytes(b"") == b""
    assert c.maybe_len(None) is None
    assert c.maybe_len(b"xyz") == 3
    with pytest.raises(TypeError, match="must be bytes, not str"):
        c.reverse_bytes("abc")


def test_lists_and_tuples():
    assert c.total([1, 2.5]) == 3.5
    assert c.total((1.0, 2.0)) == 3.0
    assert c.total([]) == 0.0
    assert c.join(("a", "b")) == "a,b"
    assert c.join(("a", "b"), sep="-") == "a-b"
    assert c.split(" a b  c ") == ["a", "b", "c"]
    assert c.squares(5) == [0, 1, 4, 9, 16]
    assert c.negate_all([True, False]) == [False, True]
    assert c.find(["a", "b"], "b") == 1
    assert c.find([], "x") is None
    with pytest.raises(TypeError, match=r"total\(\) argument 'xs' item 1 must be float, not str"):
        c.total([1, "x"])
    with pytest.raises(TypeError, match=r"join\(\) argument 'parts' must be a tuple, not list"):
        c.join(["a"])
    with pytest.raises(TypeError, match=r"must be a sequence \(list, tuple, range, array...\), not str"):
        c.total("12")
    with pytest.raises(TypeError, match="must be a sequence"):
        c.find({"a": 1}, "a")  # a mapping is not a sequence


def test_lists_take_any_sequence():
    # Issue 22: a range, a numpy array, any sequence, as pybind11 and
    # nanobind take them; text and bytes are refused (their items are not
    # the elements meant).
    import numpy as np
    assert c.total(range(4)) == 6.0
    assert c.total(np.arange(3.0)) == 3.0
    assert c.find(np.array(["x", "y"]), "y") == 1
    for text in (b"12", bytearray(b"12")):
        with pytest.raises(TypeError, match="must be a sequence"):
            c.total(text)


def test_iterables_take_any_iterable_once():
    # iterable[T]: a generator, a set, a dict's keys, a map object; Go gets
    # one []T, read before the call. C converts iterable[str], Go converts
    # iterable[list[int64]]: both take the same.
    assert c.word_counts(w for w in "a b a".split()) == {"a": 2, "b": 1}
    assert c.word_counts({"x", "y"}) == {"x": 1, "y": 1}
    assert c.word_counts({"k": 1}.keys()) == {"k": 1}
    assert c.word_counts(map(str, [1, 1])) == {"1": 2}
    assert c.word_counts() == {} and str(inspect.signature(c.word_counts)) == "(words=())"
    assert c.longest_row(iter([[1, 2], (3,), range(5)])) == 5
    assert c.longest_row(r for r in [[1]]) == 1
    consumed = iter(["a", "b"])
    assert c.word_counts(consumed) == {"a": 1, "b": 1} and list(consumed) == []


def test_iterables_refuse_text_and_non_iterables():
    for f in (c.word_counts, c.longest_row):
        for text in ("ab", b"ab", bytearray(b"ab")):
            with pytest.raises(TypeError, match=r"argument '\w+' must be an iterable other than text or bytes, not"):
                f(text)
        for bad in (5, None):
            with pytest.raises(TypeError, match=r"must be an iterable \(list, tuple, set, generator...\), not"):
                f(bad)
    with pytest.raises(TypeError, match="'words' item 1 must be str, not int"):
        c.word_counts(iter(["a", 3]))
    with pytest.raises(TypeError, match="'rows' item 1 item 1 must be int, not str"):
        c.longest_row(iter([[1], [2, "x"]]))


@pytest.mark.parametrize("f, first", [(c.word_counts, "a"), (c.longest_row, [1])])
def test_an_iterables_own_exception_passes_through(f, first):
    # Raised while iterating, the generator's exception is the caller's:
    # even a TypeError is not taken for "not iterable".
    for exc in (ZeroDivisionError("mine"), TypeError("mine"), KeyError("mine")):
        def gen():
            yield first
            raise exc
        with pytest.raises(type(exc)) as info:
            f(gen())
        assert info.value is exc


def test_tuple_results_and_none():
    for a, b in [(7, 2), (7, -2), (-7, 2), (-7, -2)]:
        assert c.div_mod(a, b) == divmod(a, b)
    assert c.nothing() is None
    assert c.fail("none") is None


def test_argument_structs_are_shared():
    assert c.window_len(2, 10) == 8
    assert c.window_len(stop=3) == 3
    assert c.window_text() == "[0:]"
    assert c.window_text(1, stop=4) == "[1:4]"
    assert str(inspect.signature(c.window_len)) == str(inspect.signature(c.window_text)) == "(start=0, stop=None)"


@pytest.mark.parametrize(
    "kind,exc",
    [("value", ValueError), ("type", TypeError), ("overflow", OverflowError), ("index", IndexError),
     ("key", KeyError), ("buffer", BufferError), ("notimpl", NotImplementedError), ("other", RuntimeError)],
)
def test_go_errors_keep_their_class_through_wrapping(kind, exc):
    with pytest.raises(exc, match=f'fail\\("{kind}"\\)'):
        c.fail(kind)


def test_panic_is_an_exception_and_the_interpreter_lives_on():
    for _ in range(3):
        with pytest.raises(RuntimeError, match=r"Go panic in conversions.Crash: assignment to entry in nil map"):
            c.crash()
    assert c.add(1, 2) == 3


def test_signatures():
    assert str(inspect.signature(c.scale)) == "(x, /, factor=2.0, *, clamp=False)"
    assert str(inspect.signature(c.greet)) == "(name, greeting='Hello', *, punct=None)"
    assert str(inspect.signature(c.join)) == "(parts, sep=',')"
    # Text signatures are ASCII: non-ASCII defaults are escaped there.
    assert str(inspect.signature(c.quote)) == "(s, open='«', close='»')"
    assert c.quote.__text_signature__ == "($module, s, open='\\xab', close='\\xbb')"
    assert c.quote("x") == "«x»"
    assert c.add.__doc__ == "a + b."


def test_refcounts_unchanged():
    xs = [1.0, 2.0]
    s = "hello"
    before = sys.getrefcount(xs), sys.getrefcount(s), sys.getrefcount(xs[0])
    for _ in range(1000):
        c.total(xs)
        c.greet(s)
        c.find(["a", s], s)
    assert (sys.getrefcount(xs), sys.getrefcount(s), sys.getrefcount(xs[0])) == before


def test_nogil_function_runs_in_threads():
    want = c.spin(200_000)
    results = []
    threads = [threading.Thread(target=lambda: results.append(c.spin(200_000))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [want] * 4


def test_float16_scalars_agree_with_numpy():
    # Issue 22: numpy's float16 ('e'): Python floats round to the nearest
    # half, ties to even, as numpy and struct.pack('e') round them.
    import random
    import struct

    import numpy as np
    rng = random.Random(7)
    values = [0.0, -0.0, 1e-8, 6e-8, 2.0**-24, 2.0**-14, 0.1, 1 / 3, 1000.1, 32751.0, 32752.0, -65504 / 2]
    values += [rng.uniform(-30000, 30000) for _ in range(500)] + [rng.uniform(-1, 1) * 2.0**-14 for _ in range(200)]
    for v in values:
        want = float(np.float16(v) * np.float16(2))
        assert c.double_half(v) == want, v
        assert struct.unpack("<e", struct.pack("<e", v))[0] * 2 == want
    assert c.halves([1.0, 3.0, 0.3]) == [float(np.float16(x) / np.float16(2)) for x in (1.0, 3.0, 0.3)]
    assert c.double_half() == 3.0 and c.double_half(float("inf")) == float("inf")
    with pytest.raises(OverflowError, match="out of range for float16"):
        c.double_half(70000.0)
    with pytest.raises(OverflowError):
        c.double_half(40000.0)  # 80000 does not fit a half
    assert np.isnan(c.double_half(float("nan")))
