/* floor_c: hand-written pure C extension module, the lowest possible floor
 * for the per-call cost of a CPython extension. The argument handling is
 * shared with floor_go (../cgo/floor_glue.h); here the work runs in C. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>
#include "../cgo/floor_glue.h"

static PyObject *
floor_noop(PyObject *self, PyObject *unused)
{
    Py_RETURN_NONE;
}

static PyObject *
floor_add(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "add() takes exactly 2 arguments (%zd given)", nargs);
        return NULL;
    }
    long long a, b;
    if (floor_as_i64(args[0], &a) < 0 || floor_as_i64(args[1], &b) < 0)
        return NULL;
    return PyLong_FromLongLong((long long)((uint64_t)a + (uint64_t)b));
}

static PyObject *
floor_kw(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    long long v[3];
    if (floor_kw_args(args, nargs, kwnames, v) < 0)
        return NULL;
    return PyLong_FromLongLong((long long)((uint64_t)v[0] + (uint64_t)v[1] + (uint64_t)v[2]));
}

static PyObject *
floor_strlen(PyObject *self, PyObject *s)
{
    Py_ssize_t n;
    if (floor_utf8(s, &n) == NULL)
        return NULL;
    return PyLong_FromSsize_t(n);
}

static PyObject *
floor_half(PyObject *self, PyObject *o)
{
    double x = PyFloat_AsDouble(o);
    if (x == -1.0 && PyErr_Occurred())
        return NULL;
    return PyFloat_FromDouble(x / 2.0);
}

static PyObject *
floor_sum(PyObject *self, PyObject *obj)
{
    Py_buffer view;
    if (floor_get_i64_vector(obj, &view) < 0)
        return NULL;
    const int64_t *p = (const int64_t *)view.buf;
    Py_ssize_t n = view.len / 8;
    /* Four accumulators, as floor_go's Go loop. */
    uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    Py_ssize_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += (uint64_t)p[i];
        s1 += (uint64_t)p[i + 1];
        s2 += (uint64_t)p[i + 2];
        s3 += (uint64_t)p[i + 3];
    }
    for (; i < n; i++)
        s0 += (uint64_t)p[i];
    PyBuffer_Release(&view);
    return PyLong_FromLongLong((long long)(s0 + s1 + s2 + s3));
}

static PyObject *
floor_total2d(PyObject *self, PyObject *obj)
{
    Py_buffer view;
    if (floor_get_f64_matrix(obj, &view) < 0)
        return NULL;
    const char *base = (const char *)view.buf;
    Py_ssize_t rows = view.shape[0], cols = view.shape[1];
    Py_ssize_t s0 = view.strides[0], s1 = view.strides[1];
    double t = 0;
    for (Py_ssize_t i = 0; i < rows; i++) {
        const char *row = base + i * s0;
        for (Py_ssize_t j = 0; j < cols; j++)
            t += *(const double *)(row + j * s1);
    }
    PyBuffer_Release(&view);
    return PyFloat_FromDouble(t);
}

static PyObject *
floor_spin(PyObject *self, PyObject *o)
{
    long long n;
    if (floor_as_i64(o, &n) < 0)
        return NULL;
    uint64_t x = 88172645463325252ULL;
    Py_BEGIN_ALLOW_THREADS
    for (long long i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    Py_END_ALLOW_THREADS
    return PyLong_FromLongLong((long long)(x >> 1));
}

/* ---- Counter: a C field, read and written through a member descriptor. ---- */

typedef struct {
    PyObject_HEAD
    long long value;
} CounterObject;

static PyObject *
Counter_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"start", NULL};
    long long start;
    if (floor_ctor_i64(args, kwds, "O:Counter", kwlist, &start) < 0)
        return NULL;
    CounterObject *self = (CounterObject *)type->tp_alloc(type, 0);
    if (self != NULL)
        self->value = start;
    return (PyObject *)self;
}

static PyObject *
Counter_inc(CounterObject *self, PyObject *o)
{
    long long by;
    if (floor_as_i64(o, &by) < 0)
        return NULL;
    self->value = (long long)((uint64_t)self->value + (uint64_t)by);
    return PyLong_FromLongLong(self->value);
}

static PyMethodDef Counter_methods[] = {
    {"inc", (PyCFunction)Counter_inc, METH_O, "inc(by) -> int: value += by; returns value"},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef Counter_members[] = {
    {"value", T_LONGLONG, offsetof(CounterObject, value), 0, "the count"},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject CounterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "floor_c.Counter",
    .tp_basicsize = sizeof(CounterObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Counter(start)",
    .tp_new = Counter_new,
    .tp_methods = Counter_methods,
    .tp_members = Counter_members,
};

/* ---- Buf: n int64 values in its own C array, exported read-only. ---- */

typedef struct {
    PyObject_HEAD
    int64_t *data;
    Py_ssize_t n;
} BufObject;

static PyObject *
Buf_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"n", NULL};
    long long n;
    if (floor_ctor_i64(args, kwds, "O:Buf", kwlist, &n) < 0)
        return NULL;
    if (n < 0) {
        PyErr_SetString(PyExc_ValueError, "Buf() length must be >= 0");
        return NULL;
    }
    int64_t *data = PyMem_Malloc((size_t)(n > 0 ? n : 1) * sizeof(int64_t));
    if (data == NULL)
        return PyErr_NoMemory();
    for (long long i = 0; i < n; i++)
        data[i] = i;
    BufObject *self = (BufObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        PyMem_Free(data);
        return NULL;
    }
    self->data = data;
    self->n = (Py_ssize_t)n;
    return (PyObject *)self;
}

static void
Buf_dealloc(BufObject *self)
{
    PyMem_Free(self->data);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int
Buf_getbuffer(BufObject *self, Py_buffer *view, int flags)
{
    if (floor_export_check(view, flags) < 0)
        return -1;
    floor_export_fill((PyObject *)self, view, flags, self->data, &self->n);
    return 0;
}

static PyBufferProcs Buf_as_buffer = {
    .bf_getbuffer = (getbufferproc)Buf_getbuffer,
    .bf_releasebuffer = NULL,
};

static PyTypeObject BufType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "floor_c.Buf",
    .tp_basicsize = sizeof(BufObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Buf(n): n int64 values 0..n-1, read-only through the buffer protocol",
    .tp_new = Buf_new,
    .tp_dealloc = (destructor)Buf_dealloc,
    .tp_as_buffer = &Buf_as_buffer,
};

/* ---- count(n): an iterator over int64 0..n-1, a C type with tp_iternext. ---- */

typedef struct {
    PyObject_HEAD
    long long i, n;
} CountIterObject;

static PyObject *
CountIter_next(CountIterObject *self)
{
    if (self->i >= self->n)
        return NULL; /* exhausted: NULL without an exception is StopIteration */
    return PyLong_FromLongLong(self->i++);
}

static PyTypeObject CountIterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "floor_c.CountIter",
    .tp_basicsize = sizeof(CountIterObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "the iterator count(n) returns",
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)CountIter_next,
};

static PyObject *
floor_count(PyObject *self, PyObject *o)
{
    long long n;
    if (floor_as_i64(o, &n) < 0)
        return NULL;
    CountIterObject *it = PyObject_New(CountIterObject, &CountIterType);
    if (it == NULL)
        return NULL;
    it->i = 0;
    it->n = n;
    return (PyObject *)it;
}

static PyMethodDef floor_methods[] = {
    {"noop", floor_noop, METH_NOARGS, "noop() -> None"},
    {"add", (PyCFunction)(void (*)(void))floor_add, METH_FASTCALL, "add(a, b) -> int (int64)"},
    {"kw", (PyCFunction)(void (*)(void))floor_kw, METH_FASTCALL | METH_KEYWORDS, "kw(a, b=2, c=3) -> a + b + c"},
    {"strlen", floor_strlen, METH_O, "strlen(s) -> number of UTF-8 bytes of s"},
    {"half", floor_half, METH_O, "half(x) -> x / 2.0"},
    {"sum", floor_sum, METH_O, "sum(buf) -> int, buf an int64 buffer"},
    {"total2d", floor_total2d, METH_O, "total2d(m) -> float, m a 2-D float64 buffer of any strides"},
    {"spin", floor_spin, METH_O, "spin(n) -> int: n xorshift64 rounds without the GIL"},
    {"count", floor_count, METH_O, "count(n) -> iterator over the int64 values 0..n-1"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef floor_module = {
    PyModuleDef_HEAD_INIT, "floor_c", "Pure C floor for pyspec benchmarks.", -1, floor_methods,
};

PyMODINIT_FUNC
PyInit_floor_c(void)
{
    if (floor_glue_init() < 0 || PyType_Ready(&CounterType) < 0 || PyType_Ready(&BufType) < 0 ||
        PyType_Ready(&CountIterType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&floor_module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddObjectRef(m, "Counter", (PyObject *)&CounterType) < 0 ||
        PyModule_AddObjectRef(m, "Buf", (PyObject *)&BufType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
