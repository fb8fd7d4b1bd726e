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
	int attr; // 1: the sig of an attribute setter; errors name the attribute
} pyspec_sig;

// Every instance of a module's classes: a pinned pointer to the Go value
// and the index of its Go type (the class that made it), NULL before
// __init__.
typedef struct {
	PyObject_HEAD
	void* goptr;
	int32_t cls;
} pyspec_object;

// A converted instance argument.
typedef struct {
	void* goptr;
	int32_t cls;
} pyspec_ref;

PyObject* pyspec_uninitialized(PyObject* self);
int pyspec_object_mismatch(PyObject* o, PyTypeObject* type, const pyspec_sig* sig, int i);

static inline int pyspec_conv_object(PyObject* o, pyspec_ref* out, PyTypeObject* type, const pyspec_sig* sig, int i) {
	if (!PyObject_TypeCheck(o, type) || ((pyspec_object*)o)->goptr == NULL) return pyspec_object_mismatch(o, type, sig, i);
	out->goptr = ((pyspec_object*)o)->goptr;
	out->cls = ((pyspec_object*)o)->cls;
	return 0;
}


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
int pyspec_buffer_refused(PyObject* o, int flags, const pyspec_sig* sig, int i);
int pyspec_buffer_unusable(pyspec_view* out, int elem, const pyspec_sig* sig, int i);
void pyspec_view_contiguity(pyspec_view* out);

// Element sizes by code (pyspec_bytes for str and bytes).
static const size_t pyspec_elem_sizes[] = {
	[PYSPEC_T_BOOL] = 1, [PYSPEC_T_INT8] = 1, [PYSPEC_T_INT16] = 2, [PYSPEC_T_INT32] = 4, [PYSPEC_T_INT64] = 8,
	[PYSPEC_T_UINT8] = 1, [PYSPEC_T_UINT16] = 2, [PYSPEC_T_UINT32] = 4, [PYSPEC_T_UINT64] = 8,
	[PYSPEC_T_FLOAT32] = 4, [PYSPEC_T_FLOAT64] = 8, [PYSPEC_T_STR] = sizeof(pyspec_bytes), [PYSPEC_T_BYTES] = sizeof(pyspec_bytes),
};

// format_code reads a one-element struct-module format ("q", "<d", "=I")
// and returns the element code it describes in native byte order, or -1.
static inline int pyspec_format_code(const char* f) {
	int native = 1, swapped = 0;
	const int little = PY_LITTLE_ENDIAN;
	if (f == NULL) f = "B";
	switch (*f) {
	case '@': f++; break;
	case '=': native = 0; f++; break;
	case '<': native = 0; swapped = !little; f++; break;
	case '>': case '!': native = 0; swapped = little; f++; break;
	}
	if (f[0] == 0 || f[1] != 0) return -1;
	int code;
	size_t size;
	switch (f[0]) {
	case '?': return PYSPEC_T_BOOL;
	case 'b': return PYSPEC_T_INT8;
	case 'B': return PYSPEC_T_UINT8;
	case 'h': code = PYSPEC_T_INT16; size = 2; break;
	case 'H': code = PYSPEC_T_UINT16; size = 2; break;
	case 'i': code = PYSPEC_T_INT32; size = 4; break;
	case 'I': code = PYSPEC_T_UINT32; size = 4; break;
	case 'l': size = native ? sizeof(long) : 4; code = size == 8 ? PYSPEC_T_INT64 : PYSPEC_T_INT32; break;
	case 'L': size = native ? sizeof(long) : 4; code = size == 8 ? PYSPEC_T_UINT64 : PYSPEC_T_UINT32; break;
	case 'q': code = PYSPEC_T_INT64; size = 8; break;
	case 'Q': code = PYSPEC_T_UINT64; size = 8; break;
	case 'n': if (!native) return -1; code = sizeof(Py_ssize_t) == 8 ? PYSPEC_T_INT64 : PYSPEC_T_INT32; size = sizeof(Py_ssize_t); break;
	case 'N': if (!native) return -1; code = sizeof(size_t) == 8 ? PYSPEC_T_UINT64 : PYSPEC_T_UINT32; size = sizeof(size_t); break;
	case 'f': code = PYSPEC_T_FLOAT32; size = 4; break;
	case 'd': code = PYSPEC_T_FLOAT64; size = 8; break;
	default: return -1;
	}
	(void)size;
	return swapped ? -1 : code;
}

// pyspec_conv_buffer acquires o's buffer with the request flags and, when
// elem >= 0, checks that its elements are of that code. Inline: it runs on
// every call with a buffer argument; the error paths are out of line.
static inline int pyspec_conv_buffer(PyObject* o, pyspec_view* out, int flags, int elem, const pyspec_sig* sig, int i) {
	Py_buffer* v = &out->view;
	out->acquired = 0;
	if (PyObject_GetBuffer(o, v, flags) < 0) return pyspec_buffer_refused(o, flags, sig, i);
	if (v->ndim > PyBUF_MAX_NDIM ||
		(elem >= 0 && (pyspec_format_code(v->format) != elem || v->itemsize != (Py_ssize_t)pyspec_elem_sizes[elem])))
		return pyspec_buffer_unusable(out, elem, sig, i);
	out->acquired = 1;
	pyspec_desc* d = &out->desc;
	d->buf = v->buf;
	d->len = v->len;
	d->itemsize = v->itemsize;
	d->ndim = v->ndim;
	d->readonly = v->readonly;
	d->format = v->format;
	d->suboffsets = v->suboffsets;
	// Without ND the view is flat: one dimension, of bytes unless FORMAT
	// was asked for too (the exporter's own fields stay as it set them).
	if (v->shape == NULL) {
		if (!(flags & PyBUF_FORMAT) || d->itemsize <= 0) d->itemsize = 1;
		out->fill[0] = v->len / d->itemsize;
		d->shape = out->fill;
		d->ndim = 1;
	} else {
		d->shape = v->shape;
	}
	if (v->strides == NULL) {
		// C-contiguous: fill strides from the shape.
		Py_ssize_t* s = out->fill + 1;
		Py_ssize_t step = d->itemsize;
		for (int k = d->ndim - 1; k >= 0; k--) {
			s[k] = step;
			step *= d->shape[k];
		}
		d->strides = s;
		d->contiguous = d->ndim <= 1 ? 3 : 1;
	} else {
		d->strides = v->strides;
		pyspec_view_contiguity(out);
	}
	return 0;
}

static inline void pyspec_view_release(pyspec_view* v) {
	if (v->acquired) {
		v->acquired = 0;
		PyBuffer_Release(&v->view);
	}
}

PyObject* pyspec_list_from(const void* items, Py_ssize_t n, int code);
PyObject* pyspec_list_new(Py_ssize_t n);
int pyspec_list_set_text(PyObject* list, Py_ssize_t i, const char* p, Py_ssize_t n, int code);
PyObject* pyspec_text_from(const char* p, Py_ssize_t n, int code);
PyObject* pyspec_tuple_steal(PyObject** items, Py_ssize_t n);

// Raise the Python exception of a runtime.ExcKind with a UTF-8 message.
void pyspec_raise(int kind, const char* msg, Py_ssize_t len);

// What Go hands back for one view of an export: C then fills the view
// (pyspec_fill_export) without another crossing.
typedef struct {
	void* buf; // pinned Go memory
	Py_ssize_t len;
	Py_ssize_t itemsize;
	int32_t readonly;
	int32_t ndim;
	uintptr_t token;
	Py_ssize_t format_len;
	char format[32];
	Py_ssize_t shape[PyBUF_MAX_NDIM];
} pyspec_export_desc;

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
