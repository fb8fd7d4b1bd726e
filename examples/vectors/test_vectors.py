"""Tests of the vectors example: a Go-backed class with attributes, a
property, methods of all three kinds, operators and a declared exception."""

import copy
import gc
import inspect
import math
import pickle
import sys
import threading
import time
import weakref

import pytest

import vectors as V
from vectors import Vec


def test_construction_attributes_and_property():
    v = Vec(3, 4)
    assert (v.x, v.y, v.length) == (3.0, 4.0, 5.0)
    assert Vec() == Vec(0, 0)
    assert Vec(y=2) == Vec(0, 2)
    v.x = 6
    v.y = 8.0
    assert v.length == 10.0
    v.length = 5
    assert (v.x, v.y) == pytest.approx((3.0, 4.0))
    assert str(inspect.signature(Vec)) == "(x=0.0, y=0.0)"
    assert Vec.__doc__ == "A 2-D vector of float64."
    assert Vec.x.__doc__ == "The first coordinate."


def test_attribute_assignment_is_type_checked():
    v = Vec(1, 2)
    with pytest.raises(TypeError, match="attribute 'x' of 'Vec' objects must be float, not str"):
        v.x = "3"
    with pytest.raises(AttributeError, match="cannot delete attribute 'x'"):
        del v.x
    with pytest.raises(TypeError, match="must be float, not NoneType"):
        v.length = None
    assert (v.x, v.y) == (1.0, 2.0)


def test_methods_static_and_class():
    v, w = Vec(3, 4), Vec(1, 2)
    assert v.dot(w) == 11.0
    assert v.dot(other=w) == 11.0
    assert Vec.zero() == Vec()
    assert Vec.from_polar(2, 0) == Vec(2, 0)
    assert V.Vec.from_polar(r=1, theta=math.pi / 2).y == pytest.approx(1.0)
    assert V.DIMENSIONS == 2 and Vec.UNIT_NAME == "unit"


def test_method_argument_errors_match_functions():
    v = Vec(1, 1)
    with pytest.raises(TypeError, match=r"Vec.dot\(\) missing 1 required positional argument: 'other'"):
        v.dot()
    with pytest.raises(TypeError, match=r"Vec.dot\(\) takes 1 positional argument but 2 were given"):
        v.dot(v, v)
    with pytest.raises(TypeError, match=r"Vec.dot\(\) got an unexpected keyword argument 'o'"):
        v.dot(o=v)
    with pytest.raises(TypeError, match=r"Vec.dot\(\) argument 'other' must be Vec, not int"):
        v.dot(1)
    with pytest.raises(TypeError, match=r"Vec\(\) argument 'x' must be float, not str"):
        Vec("a")


def test_identity_is_preserved():
    v = Vec(1, 2)
    assert v.same() is v
    u = v
    v += Vec(1, 1)
    assert u is v and v == Vec(2, 3)


def test_operators():
    v, w = Vec(3, 4), Vec(1, 2)
    assert v + w == Vec(4, 6)
    assert v - w == Vec(2, 2)
    assert v * 2 == 2 * v == Vec(6, 8)
    assert v / 2 == Vec(1.5, 2)
    assert v @ w == 11.0
    assert -v == Vec(-3, -4)
    assert abs(v) == 5.0
    assert w < v and not v < w and v > w  # > is reflected <
    assert v != w and not (v != Vec(3, 4))
    assert (v == 5) is False
    assert bool(Vec()) is False and bool(v) is True
    assert len(v) == 2 and v[0] == 3.0 and v[-1] == 4.0 and list(v) == [3.0, 4.0]
    assert repr(v) == "Vec(3, 4)"
    assert {Vec(1, 2): "a"}[Vec(1, 2)] == "a"


def test_operator_errors():
    v = Vec(1, 1)
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \*"):
        v * v
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \+"):
        v + 1
    with pytest.raises(TypeError):
        v <= v  # not declared
    with pytest.raises(ZeroDivisionError):
        v / 0
    with pytest.raises(IndexError, match="Vec index 2 out of range"):
        v[2]


def test_declared_exception():
    assert issubclass(V.VectorError, ValueError)
    assert V.VectorError.__module__ == "vectors"
    with pytest.raises(V.VectorError, match="normalized: the zero vector has no direction"):
        Vec().normalized()
    with pytest.raises(V.VectorError):
        Vec().length = 1
    with pytest.raises(ValueError, match="length must be >= 0"):
        Vec(1, 0).length = -1
    with pytest.raises(V.VectorError, match="must not be NaN"):
        Vec(float("nan"), 0)


def test_python_subclass():
    class Named(Vec):
        def __init__(self, name, x, y):
            super().__init__(x, y)
            self.name = name

        def shout(self):
            return self.name.upper()

    n = Named("a", 1, 1)
    assert n.name == "a" and n.shout() == "A"
    assert n.x == 1.0 and n.same() is n
    assert n + n == Vec(2, 2)
    assert Vec(1, 1).dot(n) == 2.0

    class Forgetful(Vec):
        def __init__(self):
            pass

    with pytest.raises(RuntimeError, match="not initialized"):
        Forgetful().dot(Vec())
    with pytest.raises(RuntimeError, match="not initialized"):
        Vec(1, 1).dot(Forgetful())


def test_uninitialized_instance():
    bare = Vec.__new__(Vec)
    with pytest.raises(RuntimeError, match="not initialized"):
        bare.x
    bare.__init__(1, 2)
    assert bare.x == 1.0


def test_nogil_method_runs_in_parallel_threads():
    v = Vec(1, 0)
    n = 3_000_000
    start = time.perf_counter()
    v.rotated_many(0.1, n)
    v.rotated_many(0.1, n)
    serial = time.perf_counter() - start
    results = []
    threads = [threading.Thread(target=lambda: results.append(v.rotated_many(0.1, n))) for _ in range(2)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    parallel = time.perf_counter() - start
    assert results[0] == results[1] == v.rotated_many(0.1, n)
    # Not a benchmark (see bench/): only that two threads are not serialised
    # the way a GIL-holding call would be.
    print(f"serial {serial:.3f}s, 2 threads {parallel:.3f}s")


def test_lifetimes_and_refcounts():
    v, w = Vec(1, 2), Vec(3, 4)
    before = sys.getrefcount(v), sys.getrefcount(w)
    for _ in range(1000):
        v + w
        v.dot(w)
        v.same()
        v == w
    assert (sys.getrefcount(v), sys.getrefcount(w)) == before
    import resource

    def rss():
        gc.collect()
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    for _ in range(200_000):
        Vec(1, 2) + Vec(3, 4)
    first = rss()
    for _ in range(1_000_000):
        (Vec(1, 2) + Vec(3, 4)).same()
    assert rss() - first < 20_000  # KiB: flat, not growing with the count


# Pickling: `pickle: attributes` in the spec (x and y are the whole state).


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_every_protocol(protocol):
    v = Vec(3.5, -4)
    w = pickle.loads(pickle.dumps(v, protocol))
    assert type(w) is Vec and w == v and w is not v
    w.x = 0  # its own Go value
    assert v.x == 3.5


def test_copy_and_deepcopy_share_no_go_state():
    v = Vec(1, 2)
    c, d = copy.copy(v), copy.deepcopy(v)
    c.x, d.y = 10, 20
    assert (v.x, v.y) == (1, 2) and c.x == 10 and d.y == 20
    pair = copy.deepcopy([v, v])
    assert pair[0] is pair[1] and pair[0] is not v  # the memo keeps identity


class Tagged(Vec):
    pass


def test_pickle_a_python_subclass_with_attributes():
    t = Tagged(5, 6)
    t.tag = "north"
    u = pickle.loads(pickle.dumps(t))
    assert type(u) is Tagged and u == Vec(5, 6) and u.tag == "north"


def test_functions_and_methods_pickle_by_reference():
    assert pickle.loads(pickle.dumps(Vec.dot)) is Vec.dot
    bound = pickle.loads(pickle.dumps(Vec(1, 2).dot))
    assert bound(Vec(3, 4)) == 11


def test_bad_state_is_a_clear_error():
    with pytest.raises(TypeError, match=r"Vec.__setstate__\(\) argument 'x' must be float"):
        Vec().__setstate__({"x": "a", "y": 1.0})
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'y'"):
        Vec().__setstate__({"x": 1.0})
    with pytest.raises(TypeError, match="takes a dict of attributes"):
        Vec().__setstate__(b"garbage")
    with pytest.raises(pickle.UnpicklingError):
        pickle.loads(pickle.dumps(Vec(1, 2))[:-5])


def test_weak_references():
    v = Vec(1, 1)
    r = weakref.ref(v)
    assert r() is v
    d = weakref.WeakValueDictionary({"v": v})
    del v
    assert r() is None and "v" not in d
