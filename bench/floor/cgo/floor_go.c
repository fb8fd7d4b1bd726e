/* floor_go: hand-written C glue around Go functions. Argument handling is
 * identical to floor_c; the only difference is one cgo crossing per call. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
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
    long long a = PyLong_AsLongLong(args[0]);
    if (a == -1 && PyErr_Occurred())
        return NULL;
    long long b = PyLong_AsLongLong(args[1]);
    if (b == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromLongLong((long long)goAdd((GoInt64)a, (GoInt64)b));
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
    GoInt64 s = goSum((int64_t *)view.buf, view.len / 8);
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
    PyModuleDef_HEAD_INIT, "floor_go", "C glue + Go floor for pyspec benchmarks.", -1, floor_methods,
};

PyMODINIT_FUNC
PyInit_floor_go(void)
{
    return PyModule_Create(&floor_module);
}
