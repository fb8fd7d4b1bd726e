/* floor_go: hand-written C glue around Go functions. Argument handling is
 * floor_c's (floor_glue.h); the only difference is that the work runs in Go,
 * behind one cgo crossing per call. Counter and Buf objects hold an index
 * into a Go table (floor.go). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include "floor_glue.h"
#include "_cgo_export.h"

static PyObject *
floor_noop(PyObject *self, PyObject *unused)
{
    goNoop();
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
    return PyLong_FromLongLong((long long)goAdd((GoInt64)a, (GoInt64)b));
}

static PyObject *
floor_kw(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    long long v[3];
    if (floor_kw_args(args, nargs, kwnames, v) < 0)
        return NULL;
    return PyLong_FromLongLong((long long)goKw(v[0], v[1], v[2]));
}

static PyObject *
floor_strlen(PyObject *self, PyObject *s)
{
    Py_ssize_t n;
    const char *p = floor_utf8(s, &n);
    if (p == NULL)
        return NULL;
    return PyLong_FromLongLong((long long)goStrlen((char *)p, n));
}

static PyObject *
floor_half(PyObject *self, PyObject *o)
{
    double x = PyFloat_AsDouble(o);
    if (x == -1.0 && PyErr_Occurred())
        return NULL;
    return PyFloat_FromDouble(goHalf(x));
}

static PyObject *
floor_sum(PyObject *self, PyObject *obj)
{
    Py_buffer view;
    if (floor_get_i64_vector(obj, &view) < 0)
        return NULL;
    GoInt64 s = goSum((int64_t *)view.buf, view.len / 8);
    PyBuffer_Release(&view);
    return PyLong_FromLongLong((long long)s);
}

static PyObject *
floor_total2d(PyObject *self, PyObject *obj)
{
    Py_buffer view;
    if (floor_get_f64_matrix(obj, &view) < 0)
        return NULL;
    double t = goTotal2d(view.buf, view.shape[0], view.shape[1], view.strides[0], view.strides[1]);
    PyBuffer_Release(&view);
    return PyFloat_FromDouble(t);
}

static PyObject *
floor_spin(PyObject *self, PyObject *o)
{
    long long n;
    if (floor_as_i64(o, &n) < 0)
        return NULL;
    GoInt64 r;
    Py_BEGIN_ALLOW_THREADS
    r = goSpin(n);
    Py_END_ALLOW_THREADS
    return PyLong_FromLongLong((long long)r);
}

/* ---- Counter: a *Counter in Go, reached by index. ---- */

typedef struct {
    PyObject_HEAD
    GoInt64 idx;
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
        self->idx = goCounterNew(start);
    return (PyObject *)self;
}

static void
Counter_dealloc(CounterObject *self)
{
    goCounterFree(self->idx);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
Counter_inc(CounterObject *self, PyObject *o)
{
    long long by;
    if (floor_as_i64(o, &by) < 0)
        return NULL;
    return PyLong_FromLongLong((long long)goCounterInc(self->idx, by));
}

static PyObject *
Counter_get_value(CounterObject *self, void *closure)
{
    return PyLong_FromLongLong((long long)goCounterGet(self->idx));
}

static int
Counter_set_value(CounterObject *self, PyObject *o, void *closure)
{
    long long v;
    if (o == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete Counter.value");
        return -1;
    }
    if (floor_as_i64(o, &v) < 0)
        return -1;
    goCounterSet(self->idx, v);
    return 0;
}

static PyMethodDef Counter_methods[] = {
    {"inc", (PyCFunction)Counter_inc, METH_O, "inc(by) -> int: value += by; returns value"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef Counter_getset[] = {
    {"value", (getter)Counter_get_value, (setter)Counter_set_value, "the count", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject CounterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "floor_go.Counter",
    .tp_basicsize = sizeof(CounterObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Counter(start)",
    .tp_new = Counter_new,
    .tp_dealloc = (destructor)Counter_dealloc,
    .tp_methods = Counter_methods,
    .tp_getset = Counter_getset,
};

/* ---- Buf: a Go []int64, pinned while exported. ---- */

typedef struct {
    PyObject_HEAD
    GoInt64 idx;
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
    BufObject *self = (BufObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->idx = goBufNew(n);
    self->n = (Py_ssize_t)n;
    return (PyObject *)self;
}

static void
Buf_dealloc(BufObject *self)
{
    goBufFree(self->idx);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int
Buf_getbuffer(BufObject *self, Py_buffer *view, int flags)
{
    if (floor_export_check(view, flags) < 0)
        return -1;
    floor_export_fill((PyObject *)self, view, flags, goBufExport(self->idx), &self->n);
    return 0;
}

static void
Buf_releasebuffer(BufObject *self, Py_buffer *view)
{
    goBufRelease(self->idx);
}

static PyBufferProcs Buf_as_buffer = {
    .bf_getbuffer = (getbufferproc)Buf_getbuffer,
    .bf_releasebuffer = (releasebufferproc)Buf_releasebuffer,
};

static PyTypeObject BufType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "floor_go.Buf",
    .tp_basicsize = sizeof(BufObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Buf(n): n int64 values 0..n-1, read-only through the buffer protocol",
    .tp_new = Buf_new,
    .tp_dealloc = (destructor)Buf_dealloc,
    .tp_as_buffer = &Buf_as_buffer,
};

static PyMethodDef floor_methods[] = {
    {"noop", floor_noop, METH_NOARGS, "noop() -> None"},
    {"add", (PyCFunction)(void (*)(void))floor_add, METH_FASTCALL, "add(a, b) -> int (int64)"},
    {"kw", (PyCFunction)(void (*)(void))floor_kw, METH_FASTCALL | METH_KEYWORDS, "kw(a, b=2, c=3) -> a + b + c"},
    {"strlen", floor_strlen, METH_O, "strlen(s) -> number of UTF-8 bytes of s"},
    {"half", floor_half, METH_O, "half(x) -> x / 2.0"},
    {"sum", floor_sum, METH_O, "sum(buf) -> int, buf an int64 buffer"},
    {"total2d", floor_total2d, METH_O, "total2d(m) -> float, m a 2-D float64 buffer of any strides"},
    {"spin", floor_spin, METH_O, "spin(n) -> int: n xorshift64 rounds in Go without the GIL"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef floor_module = {
    PyModuleDef_HEAD_INIT, "floor_go", "C glue + Go floor for pyspec benchmarks.", -1, floor_methods,
};

PyMODINIT_FUNC
PyInit_floor_go(void)
{
    if (floor_glue_init() < 0 || PyType_Ready(&CounterType) < 0 || PyType_Ready(&BufType) < 0)
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
