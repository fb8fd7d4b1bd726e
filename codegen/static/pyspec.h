// pyspec's C runtime: argument parsing, conversions, buffer views and
// exports shared by every generated module. Part of pyspec; copied into each
// build unchanged.
#ifndef PYSPEC_H
#define PYSPEC_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <math.h>

// How a parameter may be passed.
enum { PYSPEC_POS_OR_KW = 0, PYSPEC_POS_ONLY = 1, PYSPEC_KW_ONLY = 2 };

typedef struct {
	const char* name;
	int kind;
	int required;
	PyObject* interned; // set by pyspec_sig_init
} pyspec_param;

// A callable's signature, for parsing and for CPython-worded errors.
typedef struct {
	const char* name; // as errors name it: "sum", "ConstantBuffer"
	int nparams;
	int nposonly;
	int npos; // positional-only + positional-or-keyword
	pyspec_param* params;
} pyspec_sig;

// Element codes for lists, results and buffer checks.
enum {
	PYSPEC_T_BOOL, PYSPEC_T_INT8, PYSPEC_T_INT16, PYSPEC_T_INT32, PYSPEC_T_INT64,
	PYSPEC_T_UINT8, PYSPEC_T_UINT16, PYSPEC_T_UINT32, PYSPEC_T_UINT64,
	PYSPEC_T_FLOAT32, PYSPEC_T_FLOAT64, PYSPEC_T_STR, PYSPEC_T_BYTES,
};

// Text or bytes borrowed from a Python object alive for the whole call.
typedef struct {
	const char* ptr;
	Py_ssize_t len;
} pyspec_bytes;

// A converted list: a malloc'd array of C elements (pyspec_bytes for str
// and bytes, whose memory the snapshot tuple `keep` holds).
typedef struct {
	void* items;
	Py_ssize_t len;
	PyObject* keep;
} pyspec_list;

// What Go sees of an acquired buffer; the layout of runtime.CView (the
// glue checks at compile time that the sizes agree).
typedef struct {
	void* buf;
	Py_ssize_t len;
	Py_ssize_t itemsize; // 1 for a flat view (no ND, no FORMAT)
	Py_ssize_t* shape;   // always set: filled in when the request had no ND
	Py_ssize_t* strides; // always set: filled in for C-contiguous views
	Py_ssize_t* suboffsets;
	const char* format;
	int32_t ndim;
	int32_t readonly;
	int32_t contiguous; // 1: C order, 2: Fortran order, 3: both, 0: neither
	int32_t unused;
} pyspec_desc;

// A buffer acquired for one call.
typedef struct {
	pyspec_desc desc;
	Py_buffer view;
	int acquired;
	Py_ssize_t fill[PyBUF_MAX_NDIM + 1];
} pyspec_view;

int pyspec_sig_init(pyspec_sig* sig);
int pyspec_parse(const pyspec_sig* sig, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames, PyObject** out);
int pyspec_parse_tuple(const pyspec_sig* sig, PyObject* args, PyObject* kwargs, PyObject** out);

int pyspec_conv_bool(PyObject* o, int* out, const pyspec_sig* sig, int i);
int pyspec_conv_int8(PyObject* o, int8_t* out, const pyspec_sig* sig, int i);
int pyspec_conv_int16(PyObject* o, int16_t* out, const pyspec_sig* sig, int i);
int pyspec_conv_int32(PyObject* o, int32_t* out, const pyspec_sig* sig, int i);
int pyspec_conv_int64(PyObject* o, int64_t* out, const pyspec_sig* sig, int i);
int pyspec_conv_uint8(PyObject* o, uint8_t* out, const pyspec_sig* sig, int i);
int pyspec_conv_uint16(PyObject* o, uint16_t* out, const pyspec_sig* sig, int i);
int pyspec_conv_uint32(PyObject* o, uint32_t* out, const pyspec_sig* sig, int i);
int pyspec_conv_uint64(PyObject* o, uint64_t* out, const pyspec_sig* sig, int i);
int pyspec_conv_float32(PyObject* o, float* out, const pyspec_sig* sig, int i);
int pyspec_conv_float64(PyObject* o, double* out, const pyspec_sig* sig, int i);
int pyspec_conv_str(PyObject* o, pyspec_bytes* out, const pyspec_sig* sig, int i);
int pyspec_conv_bytes(PyObject* o, pyspec_bytes* out, const pyspec_sig* sig, int i);
int pyspec_conv_list(PyObject* o, pyspec_list* out, int code, int tuple_only, const pyspec_sig* sig, int i);
void pyspec_list_release(pyspec_list* l);
int pyspec_conv_buffer(PyObject* o, pyspec_view* out, int flags, int elem, const pyspec_sig* sig, int i);
void pyspec_view_release(pyspec_view* v);

PyObject* pyspec_list_from(const void* items, Py_ssize_t n, int code);
PyObject* pyspec_list_new(Py_ssize_t n);
int pyspec_list_set_text(PyObject* list, Py_ssize_t i, const char* p, Py_ssize_t n, int code);
PyObject* pyspec_text_from(const char* p, Py_ssize_t n, int code);
PyObject* pyspec_tuple_steal(PyObject** items, Py_ssize_t n);

// Raise the Python exception of a runtime.ExcKind with a UTF-8 message.
void pyspec_raise(int kind, const char* msg, Py_ssize_t len);

int pyspec_fill_export(Py_buffer* view, PyObject* exporter, void* buf, Py_ssize_t len,
	Py_ssize_t itemsize, int readonly, const char* format, Py_ssize_t format_len,
	int ndim, const Py_ssize_t* shape, int flags, uintptr_t token);
uintptr_t pyspec_export_release(Py_buffer* view);

static inline PyObject* pyspec_none(void) { return Py_NewRef(Py_None); }
static inline PyObject* pyspec_from_bool(int v) { return PyBool_FromLong(v); }
static inline PyObject* pyspec_from_int64(int64_t v) { return PyLong_FromLongLong(v); }
static inline PyObject* pyspec_from_uint64(uint64_t v) { return PyLong_FromUnsignedLongLong(v); }
static inline PyObject* pyspec_from_float64(double v) { return PyFloat_FromDouble(v); }

#endif
