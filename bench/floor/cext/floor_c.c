/* floor_c: hand-written pure C extension module, the lowest possible floor
 * for the per-call cost of a CPython extension function. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

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
    long long a = PyLong_AsLongLong(args[0]);
    if (a == -1 && PyErr_Occurred())
        return NULL;
    long long b = PyLong_AsLongLong(args[1]);
    if (b == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromLongLong((long long)((uint64_t)a + (uint64_t)b));
}

static PyObject *
floor_sum(PyObject *self, PyObject *obj)
{
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, PyBUF_ND | PyBUF_FORMAT) < 0)
        return NULL;
    if (view.itemsize != 8) {
        PyErr_Format(PyExc_TypeError, "sum() expects an int64 buffer (itemsize %zd)", view.itemsize);
        PyBuffer_Release(&view);
        return NULL;
    }
    const int64_t *p = (const int64_t *)view.buf;
    Py_ssize_t n = view.len / 8;
    uint64_t s = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        s += (uint64_t)p[i];
    PyBuffer_Release(&view);
    return PyLong_FromLongLong((long long)s);
}

static PyMethodDef floor_methods[] = {
    {"noop", floor_noop, METH_NOARGS, "noop() -> None"},
    {"add", (PyCFunction)(void (*)(void))floor_add, METH_FASTCALL, "add(a, b) -> int (int64)"},
    {"sum", floor_sum, METH_O, "sum(buf) -> int, buf an int64 buffer"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef floor_module = {
    PyModuleDef_HEAD_INIT, "floor_c", "Pure C floor for pyspec benchmarks.", -1, floor_methods,
};

PyMODINIT_FUNC
PyInit_floor_c(void)
{
    return PyModule_Create(&floor_module);
}
