"""The author's tests of the records example: dicts, sets, structs as
dicts, enums, datetimes, timedeltas and complex numbers, both ways."""

import datetime as dt
import gc
import os
import sys

import pytest

import records as r

UTC = dt.timezone.utc


def test_dicts_both_ways():
    assert r.word_counts("a b a") == {"a": 2, "b": 1}
    assert r.total({"a": 2, "b": 3}) == 5
    assert r.total({}) == 0
    # Keys come back in Go's sorted order: the same map, the same dict.
    assert list(r.invert({"x": 2, "y": 1, "z": 2})) == [1, 2]
    assert r.invert({"x": 2, "y": 1, "z": 2}) == {1: ["y"], 2: ["x", "z"]}
    assert r.nested({"a": [1.0, 2.0], "b": None, "c": ()}) == {"a": 2, "b": None, "c": 0}


def test_dict_errors_name_the_key():
    with pytest.raises(TypeError, match=r"total\(\) argument 'counts' value for key 'a' must be int, not str"):
        r.total({"a": "x"})
    with pytest.raises(TypeError, match=r"total\(\) argument 'counts' key 1 must be str, not int"):
        r.total({1: 2})
    with pytest.raises(TypeError, match=r"total\(\) argument 'counts' must be a dict, not list"):
        r.total([("a", 1)])
    with pytest.raises(OverflowError, match=r"value for key 'a' out of range for int32"):
        r.invert({"a": 2**40})
    with pytest.raises(TypeError, match=r"value for key 'a' item 1 must be float, not str"):
        r.nested({"a": [1, "x"]})


def test_a_dict_subclass_is_a_dict():
    class D(dict):
        pass

    assert r.total(D(a=1, b=2)) == 3


def test_sets():
    assert r.unique(["a", "b", "a"]) == {"a", "b"}
    assert r.overlap({1, 2, 3}, frozenset({2, 3, 4})) == {2, 3}
    with pytest.raises(TypeError, match=r"overlap\(\) argument 'a' must be a set or frozenset, not list"):
        r.overlap([1], {1})
    with pytest.raises(OverflowError, match=r"overlap\(\) argument 'b' element"):
        r.overlap({1}, {2**70})


def test_structs_are_dicts_with_their_keys():
    assert r.midpoint({"x": 0, "y": 0}, {"x": 2, "y": 4, "label": "b"}) == {"x": 1.0, "y": 2.0, "label": "mid"}
    box = r.bounding_box([{"x": 0, "y": 1}, {"x": 3, "y": -1}])
    assert box["low"] == {"x": 0.0, "y": -1.0, "label": "low"}
    assert box["color"] is r.Color.BLUE  # the default
    assert r.bounding_box([{"x": 0, "y": 0}], color=r.Color.RED)["color"] is r.Color.RED
    assert r.area(box) == 6.0
    # A key with a default may be left out; its Go field gets the default.
    assert r.area({"low": {"x": 0, "y": 0}, "high": {"x": 2, "y": 2}}) == 4.0


def test_struct_errors():
    with pytest.raises(TypeError, match=r"midpoint\(\) argument 'a' is missing the key 'y' of Point"):
        r.midpoint({"x": 1}, {"x": 1, "y": 2})
    with pytest.raises(TypeError, match=r"has the key 'z', which Point does not have \(its keys: x, y, label\)"):
        r.midpoint({"x": 1, "y": 2, "z": 3}, {"x": 1, "y": 2})
    with pytest.raises(TypeError, match=r"argument 'box' value for key 'high' value for key 'x' must be float, not str"):
        r.area({"low": {"x": 1, "y": 1}, "high": {"x": "a", "y": 1}})
    with pytest.raises(TypeError, match=r"must be a dict with the keys of Point, not tuple"):
        r.midpoint((1, 2), {"x": 1, "y": 2})
    with pytest.raises(ValueError, match="bounding_box of no points"):
        r.bounding_box([])


def test_structs_are_typeddicts_at_runtime():
    assert r.Point.__required_keys__ == {"x", "y"}
    assert r.Point.__optional_keys__ == {"label"}
    assert r.Point(x=1.0, y=2.0) == {"x": 1.0, "y": 2.0}
    assert r.Point.__module__ == "records"


def test_enums():
    assert issubclass(r.Color, __import__("enum").IntEnum)
    assert [m.name for m in r.Color] == ["RED", "GREEN", "BLUE"]
    assert r.Color.__module__ == "records" and r.Color.__doc__ == "A primary color."
    assert r.mix(r.Color.RED) is r.Color.GREEN
    assert r.mix(3) is r.Color.RED  # an int that is a value
    with pytest.raises(ValueError, match=r"mix\(\) argument 'c' must be a Color: 7 is not one of its values"):
        r.mix(7)
    with pytest.raises(TypeError, match=r"mix\(\) argument 'c' must be Color or int, not str"):
        r.mix("RED")
    with pytest.raises(TypeError):
        r.mix(True)


def test_flags():
    assert issubclass(r.Perm, __import__("enum").IntFlag)
    assert r.can_write(r.Perm.READ | r.Perm.WRITE)
    assert not r.can_write(r.Perm.READ)
    assert r.all_perms() == r.Perm.READ | r.Perm.WRITE | r.Perm.EXEC
    assert isinstance(r.all_perms(), r.Perm)
    # An int that is a combination of members works; other bits are a
    # ValueError (an IntFlag itself would take 256 as a pseudo-member).
    assert r.can_write(int(r.Perm.READ | r.Perm.WRITE))
    for bad in (256, int(r.Perm.READ) | 256):
        with pytest.raises(ValueError, match="must be a combination of Perm's members"):
            r.can_write(bad)


def test_datetimes_are_instants():
    t = dt.datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert r.later(t, dt.timedelta(hours=1, microseconds=5)) == dt.datetime(2024, 5, 1, 13, 0, 0, 5, tzinfo=UTC)
    assert r.elapsed(t, t + dt.timedelta(days=2)) == dt.timedelta(days=2)
    east = r.in_zone(t, 90)
    assert east == t and east.utcoffset() == dt.timedelta(minutes=90) and east.hour == 13
    # Any tzinfo: the instant is kept, in the offset it had.
    tz = dt.timezone(dt.timedelta(hours=-5))
    assert r.later(t.astimezone(tz), dt.timedelta()).utcoffset() == dt.timedelta(hours=-5)
    assert r.maybe_when(None) is None and r.maybe_when(t) == t + dt.timedelta(hours=1)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match=r"later\(\) argument 't' must be an aware datetime"):
        r.later(dt.datetime(2020, 1, 1), dt.timedelta())
    with pytest.raises(TypeError, match=r"later\(\) argument 't' must be datetime, not date"):
        r.later(dt.date(2020, 1, 1), dt.timedelta())


def test_timedeltas():
    assert r.scale_duration(dt.timedelta(seconds=3), 0.5) == dt.timedelta(seconds=1.5)
    assert r.scale_duration(dt.timedelta(microseconds=-7), 1) == dt.timedelta(microseconds=-7)
    with pytest.raises(OverflowError, match=r"out of range for time.Duration"):
        r.scale_duration(dt.timedelta(days=200_000), 1)
    with pytest.raises(TypeError, match="must be timedelta, not int"):
        r.scale_duration(3, 1)


def test_results_out_of_datetime_range():
    with pytest.raises(OverflowError, match="outside datetime's range"):
        r.later(dt.datetime(9999, 12, 31, tzinfo=UTC), dt.timedelta(days=2))


def test_complex():
    assert r.rotate(1) == 1j
    assert r.rotate(2 + 3j) == -3 + 2j
    assert r.rotate(0.5) == 0.5j
    assert r.roots(1, 0, 1) == [1j, -1j]
    with pytest.raises(TypeError, match=r"rotate\(\) argument 'z' must be complex, not str"):
        r.rotate("x")


def test_attributes_of_container_types():
    inv = r.Inventory()
    inv.add("x")
    inv.add("x", 4)
    assert inv.snapshot() == {"x": 5} and inv.counts == {"x": 5}
    # Attributes convert on each access: the dict is a copy.
    inv.counts["y"] = 1
    assert inv.counts == {"x": 5}
    inv.counts = {"q": 1}
    inv.tags = {"a", "b"}
    inv.origin = {"x": 1, "y": 2}
    assert (inv.counts, inv.tags, inv.origin) == ({"q": 1}, {"a", "b"}, {"x": 1.0, "y": 2.0, "label": ""})
    with pytest.raises(TypeError, match=r"attribute 'counts' of 'Inventory' objects value for key 'a' must be int, not NoneType"):
        inv.counts = {"a": None}


@pytest.mark.skipif(
    "libasan" in os.environ.get("LD_PRELOAD", "") or sys.flags.dev_mode,
    reason="RSS is not comparable under ASan or -X dev",
)
def test_no_leaks_over_many_crossings():
    def rss():
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))

    key = "k" * 20
    value = [1.0, 2.0]
    t = dt.datetime(2024, 1, 1, tzinfo=UTC)

    def cycle():
        r.nested({key: value, "b": None})
        r.midpoint({"x": 1, "y": 2}, {"x": 3, "y": 4})
        r.overlap({1, 2}, {2})
        r.later(t, dt.timedelta(seconds=1))
        r.mix(r.Color.RED)

    for _ in range(2000):
        cycle()
    gc.collect()
    refs = (sys.getrefcount(key), sys.getrefcount(value), sys.getrefcount(t))
    before = rss()
    for _ in range(100_000):
        cycle()
    gc.collect()
    assert (sys.getrefcount(key), sys.getrefcount(value), sys.getrefcount(t)) == refs
    assert rss() - before < 20_000


def test_go_aliases_and_named_types():
    assert r.double_distance(1.5) == 3.0
    assert r.next_id(41) == 42
    assert r.maybe_id(None) is None and r.maybe_id(1) == 2
    assert r.tag_count(["a", "b"]) == 2
    assert r.sorted_tags(3) == ["a", "b", "c"]
    with pytest.raises(OverflowError, match=r"next_id\(\) argument 'id' out of range for int64"):
        r.next_id(2**63)


def test_methods_promoted_from_an_embedded_go_type():
    assert r.Employee("Ann", 7).greeting() == "Hello, Ann"
