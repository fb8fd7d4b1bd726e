"""Tests of the containers example: sequence and mapping protocols, an
iterator class, a callable object and a declared exception."""

import sys

import pytest

import containers as C


def test_sequence_protocol():
    l = C.IntList([1, 2, 3])
    assert len(l) == 3 and bool(l) and not bool(C.IntList())
    assert (l[0], l[-1]) == (1, 3)
    l[0] = 10
    del l[1]
    assert list(l) == [10, 3]
    l.append(4)
    assert l.pop() == 4 and list(l) == [10, 3]
    assert 10 in l and 2 not in l
    assert "x" not in l  # an item of another type is simply not there
    assert 2**70 not in l  # nor is an int beyond int64
    assert repr(l) == "IntList([10, 3])"
    assert C.IntList() == C.IntList([]) and l != C.IntList([3, 10])


def test_sequence_errors():
    l = C.IntList([1])
    with pytest.raises(IndexError, match="out of range"):
        l[5]
    with pytest.raises(IndexError):
        l[-2] = 0
    with pytest.raises(TypeError, match=r"IntList.__setitem__\(\) argument 'x' must be int, not str"):
        l[0] = "a"
    with pytest.raises(TypeError, match="must be int, not str"):
        l["a"]
    with pytest.raises(C.EmptyError, match="pop from an empty IntList"):
        C.IntList().pop()
    assert issubclass(C.EmptyError, IndexError)
    with pytest.raises(TypeError, match="unhashable type"):
        hash(l)  # __eq__ without __hash__, as in Python


def test_iterator_class():
    l = C.IntList([1, 2, 3])
    it = iter(l)
    assert type(it) is C.IntListIter and iter(it) is it
    assert next(it) == 1
    assert list(it) == [2, 3]
    with pytest.raises(StopIteration):
        next(it)
    assert [x * 2 for x in l] == [2, 4, 6]
    assert sum(l) == 6 == l.total()
    with pytest.raises(TypeError, match="cannot create 'containers.IntListIter' instances"):
        C.IntListIter()


def test_callable_object():
    l = C.IntList([1, 2, 1, 1])
    assert l(1) == 3
    assert l(1, start=1) == 2
    assert l(x=2) == 1
    with pytest.raises(TypeError, match=r"IntList.__call__\(\) missing 1 required positional argument: 'x'"):
        l()
    with pytest.raises(TypeError, match=r"takes 1 positional argument but 2 were given"):
        l(1, 1)


def test_optional_attribute():
    l = C.IntList()
    assert l.name is None
    l.name = "nums"
    assert l.name == "nums"
    del l.name
    assert l.name is None
    with pytest.raises(TypeError, match="attribute 'name' of 'IntList' objects must be str, not int"):
        l.name = 5


def test_mapping_protocol():
    r = C.Registry()
    r["a"] = 1
    r["b"] = 2
    assert len(r) == 2 and r["a"] == 1
    assert "a" in r and "z" not in r and 5 not in r
    assert r.keys() == ["a", "b"]
    with pytest.raises(KeyError, match="'z'"):
        r["z"]
    with pytest.raises(TypeError, match="doesn't support item deletion"):
        del r["a"]


def test_refcounts_of_items_and_containers():
    l = C.IntList(list(range(10)))
    before = sys.getrefcount(l)
    for _ in range(1000):
        for _ in l:
            pass
        l[3]
        3 in l
        l(3)
    assert sys.getrefcount(l) == before


def test_a_class_without_a_pickle_contract_says_how_to_get_one():
    import pickle
    with pytest.raises(TypeError, match=r"cannot pickle 'containers.IntList' object: its Go type .*BinaryMarshaler.*pickle: attributes"):
        pickle.dumps(C.IntList([1]))
