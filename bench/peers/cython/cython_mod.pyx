# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""cython_mod: the benchmark API written in Cython (compiled with cython3 -3)."""

from cpython.buffer cimport PyBUF_WRITABLE, PyBUF_FORMAT, PyBUF_ND, PyBUF_STRIDES
from cpython.mem cimport PyMem_Malloc, PyMem_Free
from libc.stdint cimport uint64_t, int64_t

cdef extern from "Python.h":
    const char* PyUnicode_AsUTF8AndSize(object s, Py_ssize_t* size) except NULL


def noop():
    pass


def add(int64_t a, int64_t b):
    return a + b


def kw(int64_t a, int64_t b=2, int64_t c=3):
    return a + b + c


def strlen(str s):
    cdef Py_ssize_t n
    PyUnicode_AsUTF8AndSize(s, &n)
    return n


def half(double x):
    return x / 2.0


def sum(const int64_t[::1] buf):
    cdef int64_t s = 0
    cdef Py_ssize_t i
    for i in range(buf.shape[0]):
        s += buf[i]
    return s


def total2d(const double[:, :] m):
    cdef double t = 0
    cdef Py_ssize_t i, j
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            t += m[i, j]
    return t


def spin(int64_t n):
    cdef uint64_t x = 88172645463325252
    cdef int64_t i
    with nogil:
        for i in range(n):
            x ^= x << 13
            x ^= x >> 7
            x ^= x << 17
    return <int64_t>(x >> 1)


def count(int64_t n):
    """count(n): an iterator over 0..n-1, a Cython generator."""
    cdef int64_t i
    for i in range(n):
        yield i


cdef class Counter:
    cdef public int64_t value

    def __init__(self, int64_t start):
        self.value = start

    def inc(self, int64_t by):
        self.value += by
        return self.value


cdef class Buf:
    """n int64 values 0..n-1, read-only through the buffer protocol."""
    cdef int64_t* data
    cdef Py_ssize_t shape[1]
    cdef Py_ssize_t strides[1]

    def __cinit__(self, int64_t n):
        if n < 0:
            raise ValueError("Buf() length must be >= 0")
        self.data = <int64_t*>PyMem_Malloc((n if n > 0 else 1) * sizeof(int64_t))
        if self.data == NULL:
            raise MemoryError()
        cdef int64_t i
        for i in range(n):
            self.data[i] = i
        self.shape[0] = n
        self.strides[0] = sizeof(int64_t)

    def __dealloc__(self):
        PyMem_Free(self.data)

    def __getbuffer__(self, Py_buffer* view, int flags):
        if flags & PyBUF_WRITABLE:
            raise BufferError("Buf is read-only")
        view.buf = self.data
        view.obj = self
        view.len = self.shape[0] * sizeof(int64_t)
        view.readonly = 1
        view.itemsize = sizeof(int64_t)
        view.format = NULL
        if flags & PyBUF_FORMAT:
            view.format = <char*>"q"
        view.ndim = 1
        view.shape = NULL
        if flags & PyBUF_ND:
            view.shape = self.shape
        view.strides = NULL
        if (flags & PyBUF_STRIDES) == PyBUF_STRIDES:
            view.strides = self.strides
        view.suboffsets = NULL
        view.internal = NULL

    def __releasebuffer__(self, Py_buffer* view):
        pass
