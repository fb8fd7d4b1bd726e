/* floor_glue.h: the CPython side of the two floors, shared so that floor_c
 * (bench/floor/cext) and floor_go (this directory) handle arguments, buffers
 * and errors identically and differ only in where the work runs: in C, or in
 * Go behind exactly one cgo crossing. Header-only: every function is static.
 *
 * It lives next to floor_go.c so that Go's build cache sees changes to it;
 * floor_c.c includes it as "../cgo/floor_glue.h". */
#ifndef FLOOR_GLUE_H
#define FLOOR_GLUE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

/* Interned "a", "b", "c": keyword names in calls are interned constants of
 * the caller's code object, so a pointer comparison usually decides. */
static PyObject *floor_kwname[3];

/* The stride of an exported int64 vector; view->strides points here. */
static Py_ssize_t floor_stride8 = 8;

static int
floor_glue_init(void)
{
    static const char *names[3] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
        if (floor_kwname[i] == NULL && (floor_kwname[i] = PyUnicode_InternFromString(names[i])) == NULL)
            return -1;
    }
    return 0;
}

static inline int
floor_as_i64(PyObject *o, long long *out)
{
    long long v = PyLong_AsLongLong(o);
    if (v == -1 && PyErr_Occurred())
        return -1;
    *out = v;
    return 0;
}

/* kw(a, b=2, c=3), each positional or keyword (METH_FASTCALL|METH_KEYWORDS). */
static int
floor_kw_args(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, long long v[3])
{
    static const long long defaults[3] = {0, 2, 3};
    PyObject *slot[3] = {NULL, NULL, NULL};
    if (nargs > 3) {
        PyErr_Format(PyExc_TypeError, "kw() takes at most 3 arguments (%zd given)", nargs);
        return -1;
    }
    for (Py_ssize_t i = 0; i < nargs; i++)
        slot[i] = args[i];
    if (kwnames != NULL) {
        Py_ssize_t nk = PyTuple_GET_SIZE(kwnames);
        for (Py_ssize_t k = 0; k < nk; k++) {
            PyObject *name = PyTuple_GET_ITEM(kwnames, k);
            int j = 0;
            while (j < 3 && name != floor_kwname[j])
                j++;
            if (j == 3) {
                for (j = 0; j < 3; j++)
                    if (PyUnicode_Compare(name, floor_kwname[j]) == 0)
                        break;
            }
            if (j == 3) {
                PyErr_Format(PyExc_TypeError, "kw() got an unexpected keyword argument '%U'", name);
                return -1;
            }
            if (slot[j] != NULL) {
                PyErr_Format(PyExc_TypeError, "kw() got multiple values for argument '%U'", name);
                return -1;
            }
            slot[j] = args[nargs + k];
        }
    }
    if (slot[0] == NULL) {
        PyErr_SetString(PyExc_TypeError, "kw() missing required argument 'a' (pos 1)");
        return -1;
    }
    for (int j = 0; j < 3; j++) {
        if (slot[j] == NULL)
            v[j] = defaults[j];
        else if (floor_as_i64(slot[j], &v[j]) < 0)
            return -1;
    }
    return 0;
}

/* The UTF-8 bytes of a str argument (cached in the str object by CPython). */
static inline const char *
floor_utf8(PyObject *s, Py_ssize_t *n)
{
    if (!PyUnicode_Check(s)) {
        PyErr_Format(PyExc_TypeError, "strlen() argument must be str, not %.200s", Py_TYPE(s)->tp_name);
        return NULL;
    }
    return PyUnicode_AsUTF8AndSize(s, n);
}

/* sum(buf): a C-contiguous buffer of 8-byte items (the item size is checked,
 * not the format character). */
static int
floor_get_i64_vector(PyObject *obj, Py_buffer *view)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_ND | PyBUF_FORMAT) < 0)
        return -1;
    if (view->itemsize != 8) {
        PyErr_Format(PyExc_TypeError, "sum() expects an int64 buffer (itemsize %zd)", view->itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* total2d(m): a 2-D float64 buffer of any strides. */
static int
floor_get_f64_matrix(PyObject *obj, Py_buffer *view)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_STRIDES | PyBUF_FORMAT) < 0)
        return -1;
    const char *f = view->format;
    if (f != NULL && (*f == '@' || *f == '=' || *f == '<'))
        f++;
    if (view->ndim != 2 || view->itemsize != 8 || f == NULL || f[0] != 'd' || f[1] != '\0') {
        PyErr_Format(PyExc_TypeError, "total2d() expects a 2-D float64 buffer (ndim %d, format %s)",
                     view->ndim, view->format ? view->format : "B");
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* Counter(start) / Buf(n): one int64 argument, positional or keyword, parsed
 * in tp_new (there is no tp_init). */
static int
floor_ctor_i64(PyObject *args, PyObject *kwds, const char *fmt, char **kwlist, long long *out)
{
    PyObject *o = NULL;
    if (PyTuple_GET_SIZE(args) == 1 && (kwds == NULL || PyDict_GET_SIZE(kwds) == 0))
        o = PyTuple_GET_ITEM(args, 0);
    else if (!PyArg_ParseTupleAndKeywords(args, kwds, fmt, kwlist, &o))
        return -1;
    return floor_as_i64(o, out);
}

/* Rejects a writable request before anything is exported. */
static inline int
floor_export_check(Py_buffer *view, int flags)
{
    if (flags & PyBUF_WRITABLE) {
        view->obj = NULL;
        PyErr_SetString(PyExc_BufferError, "Buf is read-only");
        return -1;
    }
    return 0;
}

/* Fills view for a read-only 1-D int64 export of owner's data; *n must live
 * as long as owner (view->shape points to it). */
static inline void
floor_export_fill(PyObject *owner, Py_buffer *view, int flags, void *data, Py_ssize_t *n)
{
    view->obj = Py_NewRef(owner);
    view->buf = data;
    view->len = *n * 8;
    view->readonly = 1;
    view->itemsize = 8;
    view->format = (flags & PyBUF_FORMAT) ? (char *)"q" : NULL;
    view->ndim = 1;
    view->shape = (flags & PyBUF_ND) ? n : NULL;
    view->strides = ((flags & PyBUF_STRIDES) == PyBUF_STRIDES) ? &floor_stride8 : NULL;
    view->suboffsets = NULL;
    view->internal = NULL;
}

#endif
