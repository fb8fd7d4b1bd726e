"""The author's tests of the pyobjects example: py.Object, unions and
Python callables called from Go."""

import gc
import os
import sys
import threading
import traceback
import weakref

import pytest

import pyobjects as p


def test_objects_in_go():
    assert p.describe(3) == "int: 3"
    assert p.describe(None) == "NoneType: None"
    assert p.describe([1, "a"]) == "list: [1, 'a']"
    assert p.attr(3, "real") == 3
    assert p.attr(3, "nope") is None
    assert p.attr(3, "nope", "dflt") == "dflt"


def test_items_len_truth_and_keywords():
    m = {"gone": 1}
    assert p.poke(m, "k", [1]) == ([1], 1, True) and m == {"k": [1]}
    with pytest.raises(TypeError, match="does not support item assignment"):
        p.poke((), "k", 1)
    assert p.call_kw(lambda x, scale: x * scale, 21) == 42
    with pytest.raises(TypeError, match="unexpected keyword argument 'scale'"):
        p.call_kw(lambda x: x, 1)


def test_as_converts_with_a_clear_error():
    assert p.as_number(3) == 3.0 and p.as_number(2.5) == 2.5
    with pytest.raises(TypeError, match="cannot convert to Go float64: value must be float, not str"):
        p.as_number("x")


def test_value_of_go_values():
    v = p.go_values()
    assert v["int"] == 42 and v["float"] == 2.5 and v["str"] == "héllo" and v["bytes"] == b"raw"
    assert v["list"] == [1, 2, 3] and v["nested"] == {"a": ["x", "y"]} and v["none"] is None
    assert v["bool"] is True and v["complex"] == 1 - 2j and v["set"] == {"only"}
    assert v["duration"].total_seconds() == 1.5
    assert v["when"].isoformat() == "2024-02-29T23:59:00+00:00"
    assert isinstance(v["money"], p.Money) and v["money"].cents == 250


def test_go_keeps_a_reference_until_it_lets_go():
    class Thing:
        pass

    o = Thing()
    dead = weakref.ref(o)
    before = sys.getrefcount(o)
    p.keep(o)
    assert sys.getrefcount(o) == before + 1 and p.kept() is o
    del o
    gc.collect()
    assert dead() is not None  # Go still holds it
    p.drop()
    gc.collect()
    assert dead() is None and p.kept() is None


def test_objects_from_goroutines_without_the_gil():
    assert p.repr_in_goroutines([1, 2], 16) == ["[1, 2]"] * 16


def test_import_from_go():
    assert p.loads('{"a": [1, 2.5, null]}') == {"a": [1, 2.5, None]}
    with pytest.raises(__import__("json").JSONDecodeError):
        p.loads("{")


def test_unions_try_the_alternatives_in_order():
    assert p.double(2) == 4 and type(p.double(2)) is int
    assert p.double(2.5) == 5.0
    assert p.double("ab") == "abab"
    assert p.double(True) == 2  # a bool is an int: int64 comes first
    # Too big for int64, the next alternative, float64, takes it.
    assert p.double(2**70) == float(2**71)
    with pytest.raises(TypeError, match=r"double\(\) argument 'x' must be int64 \| float64 \| str, not NoneType"):
        p.double(None)
    assert p.maybe_length("abc") == 3 and p.maybe_length([1, 2]) == 2 and p.maybe_length(None) is None
    with pytest.raises(TypeError, match=r"must be str \| list\[int64\] \| None, not dict"):
        p.maybe_length({})


def test_union_operands():
    m = p.Money(100)
    assert m + 1 == p.Money(200)
    assert m + 0.5 == p.Money(150)
    assert m + p.Money(5) == p.Money(105)
    assert 2 + m == p.Money(300)
    # Outside the union, the operator returns NotImplemented, so Python
    # tries the other operand, then raises its own TypeError.
    with pytest.raises(TypeError, match="unsupported operand type"):
        m + "x"

    class Other:
        def __radd__(self, other):
            return "radd"

    assert m + Other() == "radd"


def test_union_results():
    assert p.Money(100).split(3) == [p.Money(34), p.Money(33), p.Money(33)]
    assert p.Money(100).split(3, cents=True) == [34, 33, 33]


def test_typed_callables():
    assert p.apply(lambda x: x * 3, [1, 2, 3]) == [3, 6, 9]
    with pytest.raises(TypeError, match=r"apply\(\) argument 'f' must be callable, not int"):
        p.apply(3, [1])
    with pytest.raises(TypeError, match=r"the result of <function .*> must be int, not str"):
        p.apply(lambda x: "s", [1])


def test_python_exceptions_come_back_as_they_were():
    def boom(x):
        raise KeyError(f"boom {x}")

    with pytest.raises(KeyError, match="boom 1") as info:
        p.apply(boom, [1])
    # The traceback still reaches the Python function that raised.
    assert "boom" in [f.name for f in traceback.extract_tb(info.value.__traceback__)]


def test_wrapped_python_errors_keep_their_class_and_get_a_note():
    def bad():
        raise ValueError("first")

    assert p.first_ok([bad, lambda: "ok"]) == "ok"
    with pytest.raises(ValueError, match="first") as info:
        p.first_ok([bad])
    assert info.value.__notes__ == ["first_ok: every function failed: ValueError: first"]


def test_callables_from_goroutines():
    seen, lock = [], threading.Lock()

    def record(word):
        with lock:
            seen.append(word)

    p.call_each(record, list("abcdefgh"), 4)
    assert sorted(seen) == list("abcdefgh")

    def fail(word):
        raise RuntimeError(word)

    with pytest.raises(RuntimeError):
        p.call_each(fail, ["x"], 1)


def test_untyped_callables():
    assert p.call_any(lambda a, b: a + b, 1, 2) == 3
    assert p.call_any(max, [3], [4]) == [4]
    with pytest.raises(ZeroDivisionError):
        p.call_any(lambda a, b: a / b, 1, 0)


def test_go_keeps_a_callable_and_calls_it_later():
    got = []
    p.subscribe(lambda m: got.append(m) or True)
    assert p.publish("hi") is True and got == ["hi"]
    p.subscribe(None)
    with pytest.raises(RuntimeError, match="no subscriber"):
        p.publish("x")


@pytest.mark.skipif(
    "libasan" in os.environ.get("LD_PRELOAD", "") or sys.flags.dev_mode,
    reason="RSS is not comparable under ASan or -X dev",
)
def test_no_leaks_over_many_crossings():
    def rss():
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))

    obj = object()
    def fn(x, y=None):
        return x + 1

    m = p.Money(1)

    def cycle():
        p.describe(obj)
        p.keep(obj)
        p.apply(fn, [1, 2])
        p.double("ab")
        m + 1
        p.call_any(fn, 1, None)

    def settled():
        # Go drops what it no longer reaches after its collector runs; the
        # references go at the next call into the module (or pending call).
        p.go_objects()
        return p.go_objects()

    for _ in range(2000):
        cycle()
    p.drop()
    gc.collect()
    assert settled() == 0
    refs = (sys.getrefcount(obj), sys.getrefcount(fn), sys.getrefcount(m))
    before = rss()
    for _ in range(100_000):
        cycle()
    p.drop()
    gc.collect()
    assert settled() == 0
    assert (sys.getrefcount(obj), sys.getrefcount(fn), sys.getrefcount(m)) == refs
    assert rss() - before < 20_000


def test_var_positional():
    assert p.concat("a", "b", sep="-") == "a-b"
    assert p.concat() == ""
    assert str(__import__("inspect").signature(p.concat)) == "(*parts, sep='')"
    with pytest.raises(TypeError, match=r"concat\(\) argument 'parts' item 1 must be str, not int"):
        p.concat("a", 1)


def test_var_keyword():
    assert p.tally(a=1, b=2) == (3, ["a", "b"])
    assert p.tally() == (0, [])
    assert p.tally(**{"with space": 1}) == (1, ["with space"])
    with pytest.raises(TypeError, match=r"tally\(\) argument 'counts' value for key 'a' must be int, not str"):
        p.tally(a="x")
    with pytest.raises(TypeError, match=r"tally\(\) takes 0 positional arguments but 1 was given|tally\(\) takes no positional arguments"):
        p.tally(1)


def test_both_variadics_follow_pythons_rules():
    assert p.call_shape(1, 2, 3, x=4) == "first=1 rest=2 keywords=[x]"
    # The names of *args and **kwargs are no keywords of their own.
    assert p.call_shape(1, rest=2, options=3) == "first=1 rest=0 keywords=[options rest]"
    with pytest.raises(TypeError, match=r"call_shape\(\) got multiple values for argument 'first'"):
        p.call_shape(1, first=2)
    with pytest.raises(TypeError, match=r"call_shape\(\) missing 1 required positional argument: 'first'"):
        p.call_shape()
    assert str(__import__("inspect").signature(p.call_shape)) == "(first, *rest, **options)"


def test_attribute_hooks():
    r = p.Record()
    r.x = 1
    r.y = [2]
    assert (r.x, r.y, r.fields()) == (1, [2], ["x", "y"])
    del r.x
    assert r.fields() == ["y"] and getattr(r, "x", "gone") == "gone" and not hasattr(r, "x")
    with pytest.raises(AttributeError, match="'Record' object has no attribute 'zz'"):
        del r.zz
    with pytest.raises(AttributeError, match="'Record' object has no attribute 'zz'"):
        r.zz
    # Declared attributes and methods are found as usual, before Go is asked.
    assert r.closed is False and callable(r.fields)
    with pytest.raises(AttributeError, match="not writable"):
        r.closed = True


def test_with_closes_even_when_the_block_raises():
    r = p.Record()
    with r as same:
        assert same is r
        r.a = 1
    assert r.closed and r.fields() == []
    with pytest.raises(ValueError, match="closed"):
        r.b = 2
    r2 = p.Record()
    with pytest.raises(KeyError, match="in block"):
        with r2:
            r2.a = object()
            raise KeyError("in block")
    assert r2.closed


def test_exit_drops_gos_references_at_once():
    class Big:
        pass

    b = Big()
    dead = weakref.ref(b)
    with p.Record() as r:
        r.big = b
    del b
    gc.collect()
    assert dead() is None  # Close() in Exit let go of it, no Go collection needed


def test_drop_whose_del_calls_back_does_not_deadlock():
    # Issue 22: Drop closed the kept object while holding a Go mutex; its
    # __del__ called Keep and waited for that mutex for ever.
    seen = []

    class Reentrant:
        def __del__(self):
            p.keep("from __del__")  # back into the module, while Drop runs
            seen.append(p.kept())

    p.keep(Reentrant())
    p.drop()
    assert seen == ["from __del__"]
    p.drop()
