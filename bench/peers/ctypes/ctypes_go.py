"""ctypes_go: the benchmark API over a plain Go c-shared library.

What a Go user does without a tool: `go build -buildmode=c-shared` of
ctypes_go.go (C-ABI exports, no Python headers), loaded with ctypes.CDLL,
argtypes and restype set once here. ctypes releases the GIL around every
foreign call. This file is copied next to libctypes_go.so.
"""

import ctypes
import os
import weakref

import numpy as np
from numpy.ctypeslib import ndpointer

_lib = ctypes.CDLL(os.path.join(os.path.dirname(os.path.abspath(__file__)), "libctypes_go.so"))

_i64 = ctypes.c_int64
_f64 = ctypes.c_double
_vp = ctypes.c_void_p


def _fn(name, restype, *argtypes):
    f = getattr(_lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


# Functions whose arguments ctypes converts as they are: the foreign
# functions themselves, no Python wrapper.
noop = _fn("Noop", None)
add = _fn("Add", _i64, _i64, _i64)
half = _fn("Half", _f64, _f64)
spin = _fn("Spin", _i64, _i64)

_kw = _fn("Kw", _i64, _i64, _i64, _i64)
_strlen = _fn("Strlen", _i64, ctypes.c_char_p, _i64)
_sum = _fn("Sum", _i64, ndpointer(np.int64, ndim=1, flags="C_CONTIGUOUS"), _i64)
_total2d = _fn("Total2d", _f64, ndpointer(np.float64, ndim=2), _i64, _i64, _i64, _i64)


def kw(a, b=2, c=3):
    """a + b + c."""
    return _kw(a, b, c)


def strlen(s):
    """The number of UTF-8 bytes of s."""
    b = s.encode()
    return _strlen(b, len(b))


def sum(buf):
    """Sum of a C-contiguous int64 buffer."""
    a = np.asarray(buf)
    return _sum(a, a.size)


def total2d(m):
    """Sum of a 2-D float64 buffer of any strides."""
    a = np.asarray(m)
    return _total2d(a, a.shape[0], a.shape[1], a.strides[0], a.strides[1])


_counter_new = _fn("CounterNew", ctypes.c_size_t, _i64)
_counter_free = _fn("CounterFree", None, ctypes.c_size_t)
_counter_inc = _fn("CounterInc", _i64, ctypes.c_size_t, _i64)
_counter_get = _fn("CounterGet", _i64, ctypes.c_size_t)
_counter_set = _fn("CounterSet", None, ctypes.c_size_t, _i64)


class Counter:
    """A Go *Counter behind a cgo.Handle."""

    __slots__ = ("_h",)

    def __init__(self, start):
        self._h = _counter_new(start)

    def __del__(self):
        _counter_free(self._h)

    @property
    def value(self):
        return _counter_get(self._h)

    @value.setter
    def value(self, v):
        _counter_set(self._h, v)

    def inc(self, by):
        """value += by; returns value."""
        return _counter_inc(self._h, by)


_buf_new = _fn("BufNew", _vp, _i64)
_buf_free = _fn("BufFree", None, _vp)


class Buf(np.ndarray):
    """n int64 values 0..n-1 that Go wrote into C memory, read-only.

    A Python class can't export a buffer itself (before 3.12), so Buf is a
    read-only ndarray over the C memory; the memory is freed when the last
    array or memoryview over it goes away.
    """

    def __new__(cls, n):
        if n < 0:
            raise ValueError("Buf() length must be >= 0")
        p = _buf_new(n)
        raw = (ctypes.c_int64 * n).from_address(p)
        weakref.finalize(raw, _buf_free, p)
        a = np.frombuffer(raw, dtype=np.int64).view(cls)
        a.flags.writeable = False
        return a
