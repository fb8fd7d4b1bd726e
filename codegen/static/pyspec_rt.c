// pyspec's C runtime (see pyspec.h). Part of pyspec; copied into each build.
#include "pyspec.h"
#include <float.h>
#include <string.h>

int pyspec_sig_init(pyspec_sig* sig) {
	for (int i = 0; i < sig->nparams; i++) {
		sig->params[i].interned = PyUnicode_InternFromString(sig->params[i].name);
		if (sig->params[i].interned == NULL) return -1;
	}
	return 0;
}

// argname writes "f() argument 'x'" (and " item 3" for a list element),
// or "attribute 'x' of 'T' objects" for a setter.
static void argname(char* buf, size_t size, const pyspec_sig* sig, int i, Py_ssize_t item) {
	if (sig->attr)
		PyOS_snprintf(buf, size, "attribute '%s' of '%s' objects", sig->params[i].name, sig->name);
	else if (item >= 0)
		PyOS_snprintf(buf, size, "%s() argument '%s' item %zd", sig->name, sig->params[i].name, item);
	else
		PyOS_snprintf(buf, size, "%s() argument '%s'", sig->name, sig->params[i].name);
}

static int type_error(PyObject* o, const char* want, const pyspec_sig* sig, int i, Py_ssize_t item) {
	char name[256];
	argname(name, sizeof name, sig, i, item);
	PyErr_Format(PyExc_TypeError, "%s must be %s, not %.200s", name, want, Py_TYPE(o)->tp_name);
	return -1;
}

static void join_names(char* buf, size_t size, const char** names, int n) {
	size_t used = 0;
	buf[0] = 0;
	for (int k = 0; k < n && used < size; k++) {
		const char* sep = k == 0 ? "" : (k == n - 1 ? (n == 2 ? " and " : ", and ") : ", ");
		used += PyOS_snprintf(buf + used, size - used, "%s'%s'", sep, names[k]);
	}
}

static int too_many_positional(const pyspec_sig* sig, Py_ssize_t nargs) {
	int required = 0;
	for (int j = 0; j < sig->npos; j++) required += sig->params[j].required;
	const char* was = nargs == 1 ? "was" : "were";
	if (sig->npos == 0)
		PyErr_Format(PyExc_TypeError, "%s() takes no positional arguments but %zd %s given", sig->name, nargs, was);
	else if (required == sig->npos)
		PyErr_Format(PyExc_TypeError, "%s() takes %d positional argument%s but %zd %s given",
			sig->name, sig->npos, sig->npos == 1 ? "" : "s", nargs, was);
	else
		PyErr_Format(PyExc_TypeError, "%s() takes from %d to %d positional arguments but %zd %s given",
			sig->name, required, sig->npos, nargs, was);
	return -1;
}

// bind_keyword stores one keyword argument, or raises as CPython would.
static int bind_keyword(const pyspec_sig* sig, PyObject* key, PyObject* value, PyObject** out) {
	int j = -1;
	for (int k = 0; k < sig->nparams; k++) {
		if (sig->params[k].interned == key) { j = k; break; }
	}
	if (j < 0) {
		if (!PyUnicode_Check(key)) {
			PyErr_Format(PyExc_TypeError, "%s() keywords must be strings", sig->name);
			return -1;
		}
		for (int k = 0; k < sig->nparams; k++) {
			if (PyUnicode_Compare(sig->params[k].interned, key) == 0) { j = k; break; }
		}
	}
	if (j < 0) {
		PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", sig->name, key);
		return -1;
	}
	if (j < sig->nposonly) {
		PyErr_Format(PyExc_TypeError, "%s() got some positional-only arguments passed as keyword arguments: '%s'",
			sig->name, sig->params[j].name);
		return -1;
	}
	if (out[j] != NULL) {
		PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", sig->name, sig->params[j].name);
		return -1;
	}
	out[j] = value;
	return 0;
}

static int check_missing(const pyspec_sig* sig, PyObject** out) {
	const char* names[64];
	for (int pass = 0; pass < 2; pass++) {
		int n = 0;
		for (int j = 0; j < sig->nparams; j++) {
			int kwonly = sig->params[j].kind == PYSPEC_KW_ONLY;
			if (kwonly == pass && sig->params[j].required && out[j] == NULL && n < 64) names[n++] = sig->params[j].name;
		}
		if (n > 0) {
			char list[512];
			join_names(list, sizeof list, names, n);
			PyErr_Format(PyExc_TypeError, "%s() missing %d required %s argument%s: %s", sig->name, n,
				pass ? "keyword-only" : "positional", n == 1 ? "" : "s", list);
			return -1;
		}
	}
	return 0;
}

int pyspec_parse(const pyspec_sig* sig, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames, PyObject** out) {
	if (nargs > sig->npos) return too_many_positional(sig, nargs);
	for (Py_ssize_t j = 0; j < nargs; j++) out[j] = args[j];
	for (Py_ssize_t j = nargs; j < sig->nparams; j++) out[j] = NULL;
	if (kwnames != NULL) {
		Py_ssize_t nkw = PyTuple_GET_SIZE(kwnames);
		for (Py_ssize_t k = 0; k < nkw; k++) {
			if (bind_keyword(sig, PyTuple_GET_ITEM(kwnames, k), args[nargs + k], out) < 0) return -1;
		}
	} else if (nargs == sig->nparams) {
		return 0;
	}
	return check_missing(sig, out);
}

int pyspec_parse_tuple(const pyspec_sig* sig, PyObject* args, PyObject* kwargs, PyObject** out) {
	Py_ssize_t nargs = PyTuple_GET_SIZE(args);
	if (nargs > sig->npos) return too_many_positional(sig, nargs);
	for (Py_ssize_t j = 0; j < nargs; j++) out[j] = PyTuple_GET_ITEM(args, j);
	for (Py_ssize_t j = nargs; j < sig->nparams; j++) out[j] = NULL;
	if (kwargs != NULL) {
		Py_ssize_t pos = 0;
		PyObject *key, *value;
		while (PyDict_Next(kwargs, &pos, &key, &value)) {
			if (bind_keyword(sig, key, value, out) < 0) return -1;
		}
	}
	return check_missing(sig, out);
}

// ---- scalars -------------------------------------------------------------

static int conv_bool(PyObject* o, int* out, const pyspec_sig* sig, int i, Py_ssize_t item) {
	if (o == Py_True) { *out = 1; return 0; }
	if (o == Py_False) { *out = 0; return 0; }
	// numpy.bool_ is not a bool subclass but is one to its users.
	const char* tn = Py_TYPE(o)->tp_name;
	if (strcmp(tn, "numpy.bool_") == 0 || strcmp(tn, "numpy.bool") == 0) {
		int t = PyObject_IsTrue(o);
		if (t < 0) return -1;
		*out = t;
		return 0;
	}
	return type_error(o, "bool", sig, i, item);
}

int pyspec_conv_bool(PyObject* o, int* out, const pyspec_sig* sig, int i) { return conv_bool(o, out, sig, i, -1); }

static int out_of_range(PyObject* o, const char* type, const char* range, const pyspec_sig* sig, int i, Py_ssize_t item) {
	char name[256];
	argname(name, sizeof name, sig, i, item);
	PyErr_Format(PyExc_OverflowError, "%s out of range for %s (%s): %R", name, type, range, o);
	return -1;
}

// conv_signed converts an int (or an object with __index__) to a C integer
// between lo and hi.
static int conv_signed(PyObject* o, long long* out, long long lo, long long hi, const char* type, const char* range,
	const pyspec_sig* sig, int i, Py_ssize_t item) {
	PyObject* num = o;
	if (!PyLong_Check(o)) {
		if (!PyIndex_Check(o)) return type_error(o, "int", sig, i, item);
		num = PyNumber_Index(o);
		if (num == NULL) return -1;
	} else {
		Py_INCREF(num);
	}
	int overflow;
	long long v = PyLong_AsLongLongAndOverflow(num, &overflow);
	Py_DECREF(num);
	if (v == -1 && PyErr_Occurred()) return -1;
	if (overflow || v < lo || v > hi) return out_of_range(o, type, range, sig, i, item);
	*out = v;
	return 0;
}

static int conv_unsigned(PyObject* o, unsigned long long* out, unsigned long long hi, const char* type, const char* range,
	const pyspec_sig* sig, int i, Py_ssize_t item) {
	PyObject* num = o;
	if (!PyLong_Check(o)) {
		if (!PyIndex_Check(o)) return type_error(o, "int", sig, i, item);
		num = PyNumber_Index(o);
		if (num == NULL) return -1;
	} else {
		Py_INCREF(num);
	}
	int overflow;
	long long s = PyLong_AsLongLongAndOverflow(num, &overflow);
	unsigned long long v = (unsigned long long)s;
	if (s == -1 && PyErr_Occurred()) { Py_DECREF(num); return -1; }
	if (overflow < 0 || (overflow == 0 && s < 0)) { Py_DECREF(num); return out_of_range(o, type, range, sig, i, item); }
	if (overflow > 0) {
		v = PyLong_AsUnsignedLongLong(num);
		if (v == (unsigned long long)-1 && PyErr_Occurred()) {
			Py_DECREF(num);
			if (!PyErr_ExceptionMatches(PyExc_OverflowError)) return -1;
			PyErr_Clear();
			return out_of_range(o, type, range, sig, i, item);
		}
	}
	Py_DECREF(num);
	if (v > hi) return out_of_range(o, type, range, sig, i, item);
	*out = v;
	return 0;
}

#define SIGNED(NAME, CT, LO, HI, RANGE) \
	static int conv_##NAME(PyObject* o, CT* out, const pyspec_sig* sig, int i, Py_ssize_t item) { \
		long long v; \
		if (conv_signed(o, &v, LO, HI, #NAME, RANGE, sig, i, item) < 0) return -1; \
		*out = (CT)v; \
		return 0; \
	} \
	int pyspec_conv_##NAME(PyObject* o, CT* out, const pyspec_sig* sig, int i) { \
		if (PyLong_CheckExact(o)) { \
			int overflow; \
			long long v = PyLong_AsLongLongAndOverflow(o, &overflow); \
			if (!overflow && v >= LO && v <= HI) { *out = (CT)v; return 0; } \
		} \
		return conv_##NAME(o, out, sig, i, -1); \
	}
SIGNED(int8, int8_t, INT8_MIN, INT8_MAX, "-128..127")
SIGNED(int16, int16_t, INT16_MIN, INT16_MAX, "-32768..32767")
SIGNED(int32, int32_t, INT32_MIN, INT32_MAX, "-2147483648..2147483647")
SIGNED(int64, int64_t, INT64_MIN, INT64_MAX, "-9223372036854775808..9223372036854775807")

#define UNSIGNED(NAME, CT, HI, RANGE) \
	static int conv_##NAME(PyObject* o, CT* out, const pyspec_sig* sig, int i, Py_ssize_t item) { \
		unsigned long long v; \
		if (conv_unsigned(o, &v, HI, #NAME, RANGE, sig, i, item) < 0) return -1; \
		*out = (CT)v; \
		return 0; \
	} \
	int pyspec_conv_##NAME(PyObject* o, CT* out, const pyspec_sig* sig, int i) { \
		if (PyLong_CheckExact(o)) { \
			int overflow; \
			long long v = PyLong_AsLongLongAndOverflow(o, &overflow); \
			if (!overflow && v >= 0 && (unsigned long long)v <= HI) { *out = (CT)v; return 0; } \
		} \
		return conv_##NAME(o, out, sig, i, -1); \
	}
UNSIGNED(uint8, uint8_t, UINT8_MAX, "0..255")
UNSIGNED(uint16, uint16_t, UINT16_MAX, "0..65535")
UNSIGNED(uint32, uint32_t, UINT32_MAX, "0..4294967295")
UNSIGNED(uint64, uint64_t, UINT64_MAX, "0..18446744073709551615")

static int conv_float64(PyObject* o, double* out, const pyspec_sig* sig, int i, Py_ssize_t item) {
	if (PyFloat_CheckExact(o)) { *out = PyFloat_AS_DOUBLE(o); return 0; }
	if (!PyFloat_Check(o) && !PyLong_Check(o) && Py_TYPE(o)->tp_as_number == NULL) return type_error(o, "float", sig, i, item);
	double v = PyFloat_AsDouble(o);
	if (v == -1.0 && PyErr_Occurred()) {
		if (!PyErr_ExceptionMatches(PyExc_TypeError)) return -1;
		PyErr_Clear();
		return type_error(o, "float", sig, i, item);
	}
	*out = v;
	return 0;
}

static int conv_float32(PyObject* o, float* out, const pyspec_sig* sig, int i, Py_ssize_t item) {
	double v;
	if (conv_float64(o, &v, sig, i, item) < 0) return -1;
	if (isfinite(v) && fabs(v) > FLT_MAX) return out_of_range(o, "float32", "+-3.4028235e38", sig, i, item);
	*out = (float)v;
	return 0;
}

int pyspec_conv_float64(PyObject* o, double* out, const pyspec_sig* sig, int i) { return conv_float64(o, out, sig, i, -1); }
int pyspec_conv_float32(PyObject* o, float* out, const pyspec_sig* sig, int i) { return conv_float32(o, out, sig, i, -1); }

static int conv_str(PyObject* o, pyspec_bytes* out, const pyspec_sig* sig, int i, Py_ssize_t item) {
	if (!PyUnicode_Check(o)) return type_error(o, "str", sig, i, item);
	out->ptr = PyUnicode_AsUTF8AndSize(o, &out->len);
	return out->ptr == NULL ? -1 : 0;
}

static int conv_bytes(PyObject* o, pyspec_bytes* out, const pyspec_sig* sig, int i, Py_ssize_t item) {
	if (!PyBytes_Check(o)) return type_error(o, "bytes", sig, i, item);
	out->ptr = PyBytes_AS_STRING(o);
	out->len = PyBytes_GET_SIZE(o);
	return 0;
}

int pyspec_conv_str(PyObject* o, pyspec_bytes* out, const pyspec_sig* sig, int i) { return conv_str(o, out, sig, i, -1); }
int pyspec_conv_bytes(PyObject* o, pyspec_bytes* out, const pyspec_sig* sig, int i) { return conv_bytes(o, out, sig, i, -1); }

// ---- lists ---------------------------------------------------------------


static int conv_elem(PyObject* o, void* out, int code, const pyspec_sig* sig, int i, Py_ssize_t item) {
	switch (code) {
	case PYSPEC_T_BOOL: {
		int b;
		if (conv_bool(o, &b, sig, i, item) < 0) return -1;
		*(uint8_t*)out = (uint8_t)b;
		return 0;
	}
	case PYSPEC_T_INT8: return conv_int8(o, out, sig, i, item);
	case PYSPEC_T_INT16: return conv_int16(o, out, sig, i, item);
	case PYSPEC_T_INT32: return conv_int32(o, out, sig, i, item);
	case PYSPEC_T_INT64: return conv_int64(o, out, sig, i, item);
	case PYSPEC_T_UINT8: return conv_uint8(o, out, sig, i, item);
	case PYSPEC_T_UINT16: return conv_uint16(o, out, sig, i, item);
	case PYSPEC_T_UINT32: return conv_uint32(o, out, sig, i, item);
	case PYSPEC_T_UINT64: return conv_uint64(o, out, sig, i, item);
	case PYSPEC_T_FLOAT32: return conv_float32(o, out, sig, i, item);
	case PYSPEC_T_FLOAT64: return conv_float64(o, out, sig, i, item);
	case PYSPEC_T_STR: return conv_str(o, out, sig, i, item);
	case PYSPEC_T_BYTES: return conv_bytes(o, out, sig, i, item);
	}
	PyErr_SetString(PyExc_SystemError, "pyspec: unknown element code");
	return -1;
}

int pyspec_conv_list(PyObject* o, pyspec_list* out, int code, int tuple_only, const pyspec_sig* sig, int i) {
	out->items = NULL;
	out->len = 0;
	out->keep = NULL;
	if (tuple_only ? !PyTuple_Check(o) : !(PyList_Check(o) || PyTuple_Check(o)))
		return type_error(o, tuple_only ? "a tuple" : "a list or tuple", sig, i, -1);
	// A tuple snapshot: the items stay alive and in place for the whole
	// call even if other code mutates the list (the GIL may be released).
	PyObject* keep = PySequence_Tuple(o);
	if (keep == NULL) return -1;
	Py_ssize_t n = PyTuple_GET_SIZE(keep);
	void* items = PyMem_Malloc(n == 0 ? 1 : n * pyspec_elem_sizes[code]);
	if (items == NULL) { Py_DECREF(keep); PyErr_NoMemory(); return -1; }
	for (Py_ssize_t k = 0; k < n; k++) {
		if (conv_elem(PyTuple_GET_ITEM(keep, k), (char*)items + k * pyspec_elem_sizes[code], code, sig, i, k) < 0) {
			PyMem_Free(items);
			Py_DECREF(keep);
			return -1;
		}
	}
	out->items = items;
	out->len = n;
	out->keep = keep;
	return 0;
}

void pyspec_list_release(pyspec_list* l) {
	PyMem_Free(l->items);
	Py_XDECREF(l->keep);
	l->items = NULL;
	l->keep = NULL;
}

// ---- buffers -------------------------------------------------------------

static const char* const elem_names[] = {
	[PYSPEC_T_BOOL] = "bool", [PYSPEC_T_INT8] = "int8", [PYSPEC_T_INT16] = "int16", [PYSPEC_T_INT32] = "int32",
	[PYSPEC_T_INT64] = "int64", [PYSPEC_T_UINT8] = "uint8", [PYSPEC_T_UINT16] = "uint16", [PYSPEC_T_UINT32] = "uint32",
	[PYSPEC_T_UINT64] = "uint64", [PYSPEC_T_FLOAT32] = "float32", [PYSPEC_T_FLOAT64] = "float64",
};

// prefix_error re-raises the pending exception with the argument named.
static int prefix_error(const pyspec_sig* sig, int i) {
	PyObject *type, *value, *tb;
	PyErr_Fetch(&type, &value, &tb);
	PyErr_NormalizeException(&type, &value, &tb);
	char name[256];
	argname(name, sizeof name, sig, i, -1);
	PyErr_Format(type, "%s: %S", name, value);
	Py_XDECREF(type);
	Py_XDECREF(value);
	Py_XDECREF(tb);
	return -1;
}

int pyspec_buffer_refused(PyObject* o, int flags, const pyspec_sig* sig, int i) {
	if (!PyObject_CheckBuffer(o)) {
		PyErr_Clear();
		return type_error(o, "a buffer (bytes, bytearray, memoryview, numpy array, ...)", sig, i, -1);
	}
	if ((flags & PyBUF_WRITABLE) && PyErr_ExceptionMatches(PyExc_Exception)) {
		// Exporters word a read-only refusal differently (BufferError,
		// ValueError); ask again without WRITABLE to tell for sure.
		PyObject *type, *value, *tb;
		PyErr_Fetch(&type, &value, &tb);
		Py_buffer probe;
		if (PyObject_GetBuffer(o, &probe, flags & ~PyBUF_WRITABLE) == 0) {
			PyBuffer_Release(&probe);
			Py_XDECREF(type); Py_XDECREF(value); Py_XDECREF(tb);
			char name[256];
			argname(name, sizeof name, sig, i, -1);
			PyErr_Format(PyExc_BufferError, "%s must be a writable buffer, not a read-only %.200s", name, Py_TYPE(o)->tp_name);
			return -1;
		}
		PyErr_Clear();
		PyErr_Restore(type, value, tb);
	}
	return prefix_error(sig, i);
}

int pyspec_buffer_unusable(pyspec_view* out, int elem, const pyspec_sig* sig, int i) {
	Py_buffer* v = &out->view;
	char name[256];
	argname(name, sizeof name, sig, i, -1);
	if (v->ndim > PyBUF_MAX_NDIM) {
		PyErr_Format(PyExc_BufferError, "%s has %d dimensions, more than %d", name, v->ndim, PyBUF_MAX_NDIM);
	} else {
		int got = pyspec_format_code(v->format);
		const char* f = v->format ? v->format : "B";
		if (got >= 0 && got != elem)
			PyErr_Format(PyExc_TypeError, "%s must be a buffer of %s, not %s (format '%s')", name, elem_names[elem], elem_names[got], f);
		else if (got >= 0)
			PyErr_Format(PyExc_TypeError, "%s must be a buffer of %s, but its format '%s' has item size %zd", name, elem_names[elem], f, v->itemsize);
		else
			PyErr_Format(PyExc_TypeError, "%s must be a buffer of %s, not format '%s'", name, elem_names[elem], f);
	}
	PyBuffer_Release(v);
	return -1;
}

void pyspec_view_contiguity(pyspec_view* out) {
	pyspec_desc* d = &out->desc;
	d->contiguous = 0;
	if (d->suboffsets != NULL) return;
	Py_buffer probe = out->view;
	probe.itemsize = d->itemsize;
	if (PyBuffer_IsContiguous(&probe, 'C')) d->contiguous |= 1;
	if (PyBuffer_IsContiguous(&probe, 'F')) d->contiguous |= 2;
}

// ---- results -------------------------------------------------------------

PyObject* pyspec_list_from(const void* items, Py_ssize_t n, int code) {
	PyObject* list = PyList_New(n);
	if (list == NULL) return NULL;
	for (Py_ssize_t k = 0; k < n; k++) {
		PyObject* x;
		switch (code) {
		case PYSPEC_T_BOOL: x = PyBool_FromLong(((const uint8_t*)items)[k]); break;
		case PYSPEC_T_INT8: x = PyLong_FromLong(((const int8_t*)items)[k]); break;
		case PYSPEC_T_INT16: x = PyLong_FromLong(((const int16_t*)items)[k]); break;
		case PYSPEC_T_INT32: x = PyLong_FromLong(((const int32_t*)items)[k]); break;
		case PYSPEC_T_INT64: x = PyLong_FromLongLong(((const int64_t*)items)[k]); break;
		case PYSPEC_T_UINT8: x = PyLong_FromUnsignedLong(((const uint8_t*)items)[k]); break;
		case PYSPEC_T_UINT16: x = PyLong_FromUnsignedLong(((const uint16_t*)items)[k]); break;
		case PYSPEC_T_UINT32: x = PyLong_FromUnsignedLong(((const uint32_t*)items)[k]); break;
		case PYSPEC_T_UINT64: x = PyLong_FromUnsignedLongLong(((const uint64_t*)items)[k]); break;
		case PYSPEC_T_FLOAT32: x = PyFloat_FromDouble(((const float*)items)[k]); break;
		case PYSPEC_T_FLOAT64: x = PyFloat_FromDouble(((const double*)items)[k]); break;
		default: x = NULL; PyErr_SetString(PyExc_SystemError, "pyspec: unknown element code");
		}
		if (x == NULL) { Py_DECREF(list); return NULL; }
		PyList_SET_ITEM(list, k, x);
	}
	return list;
}

PyObject* pyspec_list_new(Py_ssize_t n) { return PyList_New(n); }

PyObject* pyspec_text_from(const char* p, Py_ssize_t n, int code) {
	if (code == PYSPEC_T_BYTES) return PyBytes_FromStringAndSize(p, n);
	return PyUnicode_DecodeUTF8(p, n, "strict");
}

int pyspec_list_set_text(PyObject* list, Py_ssize_t i, const char* p, Py_ssize_t n, int code) {
	PyObject* x = pyspec_text_from(p, n, code);
	if (x == NULL) return -1;
	PyList_SET_ITEM(list, i, x);
	return 0;
}

PyObject* pyspec_tuple_steal(PyObject** items, Py_ssize_t n) {
	PyObject* t = PyTuple_New(n);
	if (t == NULL) {
		for (Py_ssize_t k = 0; k < n; k++) Py_XDECREF(items[k]);
		return NULL;
	}
	for (Py_ssize_t k = 0; k < n; k++) {
		PyTuple_SET_ITEM(t, k, items[k]);
		items[k] = NULL;
	}
	return t;
}

// ---- objects -------------------------------------------------------------

PyObject* pyspec_uninitialized(PyObject* self) {
	PyErr_Format(PyExc_RuntimeError, "%.200s object is not initialized (a subclass's __init__ must call super().__init__())",
		Py_TYPE(self)->tp_name);
	return NULL;
}

int pyspec_object_mismatch(PyObject* o, PyTypeObject* type, const pyspec_sig* sig, int i) {
	if (PyObject_TypeCheck(o, type)) {
		char name[256];
		argname(name, sizeof name, sig, i, -1);
		PyErr_Format(PyExc_RuntimeError, "%s: the %.200s object is not initialized", name, Py_TYPE(o)->tp_name);
		return -1;
	}
	const char* dot = strrchr(type->tp_name, '.');
	return type_error(o, dot ? dot + 1 : type->tp_name, sig, i, -1);
}

// ---- errors --------------------------------------------------------------

void pyspec_raise(int kind, const char* msg, Py_ssize_t len) {
	// The order of runtime.ExcKind.
	PyObject* types[] = {
		PyExc_RuntimeError, PyExc_ValueError, PyExc_TypeError, PyExc_BufferError,
		PyExc_OverflowError, PyExc_IndexError, PyExc_KeyError, PyExc_NotImplementedError,
		PyExc_StopIteration, PyExc_AttributeError, PyExc_ZeroDivisionError,
	};
	PyObject* type = kind >= 0 && kind < (int)(sizeof types / sizeof types[0]) ? types[kind] : PyExc_RuntimeError;
	PyObject* text = PyUnicode_DecodeUTF8(msg, len, "replace");
	if (text == NULL) return;
	PyErr_SetObject(type, text);
	Py_DECREF(text);
}

// ---- exports -------------------------------------------------------------

// What a view of a Go export owns, freed on release: the token of the
// pinned memory, and copies of shape, strides and format.
typedef struct {
	uintptr_t token;
	Py_ssize_t data[]; // shape[ndim], strides[ndim], then the format bytes
} export_info;

static char empty_export[1];

int pyspec_fill_export(Py_buffer* view, PyObject* exporter, void* buf, Py_ssize_t len,
	Py_ssize_t itemsize, int readonly, const char* format, Py_ssize_t format_len,
	int ndim, const Py_ssize_t* shape, int flags, uintptr_t token) {
	view->obj = NULL;
	if ((flags & PyBUF_WRITABLE) && readonly) {
		PyErr_Format(PyExc_BufferError, "%.200s exports a read-only buffer; a writable one was requested", Py_TYPE(exporter)->tp_name);
		return -1;
	}
	int c_contig_only = 0;
	for (int d = 0, big = 0; d < ndim; d++) {
		if (shape[d] > 1 && ++big > 1) c_contig_only = 1;
	}
	if ((flags & PyBUF_F_CONTIGUOUS) == PyBUF_F_CONTIGUOUS && c_contig_only) {
		PyErr_Format(PyExc_BufferError, "%.200s exports a C-contiguous buffer; a Fortran-contiguous one was requested", Py_TYPE(exporter)->tp_name);
		return -1;
	}
	export_info* info = PyMem_Malloc(sizeof(export_info) + 2 * ndim * sizeof(Py_ssize_t) + format_len + 1);
	if (info == NULL) { PyErr_NoMemory(); return -1; }
	info->token = token;
	Py_ssize_t* s = info->data;
	Py_ssize_t* st = info->data + ndim;
	char* f = (char*)(info->data + 2 * ndim);
	memcpy(f, format, format_len);
	f[format_len] = 0;
	Py_ssize_t step = itemsize;
	for (int d = ndim - 1; d >= 0; d--) {
		s[d] = shape[d];
		st[d] = step;
		step *= shape[d];
	}
	view->buf = buf != NULL ? buf : empty_export;
	view->obj = Py_NewRef(exporter);
	view->len = len;
	view->readonly = readonly;
	view->itemsize = itemsize;
	view->format = (flags & PyBUF_FORMAT) ? f : NULL;
	view->ndim = ndim;
	view->shape = (flags & PyBUF_ND) == PyBUF_ND ? s : NULL;
	view->strides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES ? st : NULL;
	view->suboffsets = NULL;
	view->internal = info;
	if (!(flags & PyBUF_ND)) view->ndim = 1;
	return 0;
}

uintptr_t pyspec_export_release(Py_buffer* view) {
	export_info* info = view->internal;
	uintptr_t token = info->token;
	PyMem_Free(info);
	view->internal = NULL;
	return token;
}
