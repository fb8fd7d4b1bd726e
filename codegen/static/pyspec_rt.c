// pyspec's C runtime for the C part of a module (see pyspec.h). Part of
// pyspec; copied into each build unchanged.
#define _GNU_SOURCE
#include "pyspec.h"
#include <structmember.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/sendfile.h>
#include <sys/syscall.h>
#endif

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

// The module's own name, for pyspec_type_name under the Limited API.
static const char* own_module = "";

const char* pyspec_type_name(PyObject* o, char* buf, size_t size) {
#ifndef Py_LIMITED_API
	(void)buf;
	(void)size;
	return Py_TYPE(o)->tp_name;
#else
	// tp_name is out of reach: rebuild it. Static types (and this module's
	// classes) are "module.Name" unless built in; classes made by a class
	// statement are "Name".
	PyObject *type, *value, *tb;
	PyErr_Fetch(&type, &value, &tb);
	PyTypeObject* t = Py_TYPE(o);
	PyObject* name = PyType_GetQualName(t);
	PyObject* mod = PyObject_GetAttrString((PyObject*)t, "__module__");
	const char* n = name ? PyUnicode_AsUTF8AndSize(name, NULL) : NULL;
	const char* m = mod && PyUnicode_Check(mod) ? PyUnicode_AsUTF8AndSize(mod, NULL) : NULL;
	int qualify = m != NULL && strcmp(m, "builtins") != 0 &&
		(!(PyType_GetFlags(t) & Py_TPFLAGS_HEAPTYPE) || strcmp(m, own_module) == 0);
	if (n == NULL)
		PyOS_snprintf(buf, size, "?");
	else if (qualify)
		PyOS_snprintf(buf, size, "%s.%s", m, n);
	else
		PyOS_snprintf(buf, size, "%s", n);
	Py_XDECREF(name);
	Py_XDECREF(mod);
	PyErr_Clear();
	PyErr_Restore(type, value, tb);
	return buf;
#endif
}

// A conversion for the Go part (sig NULL) does not raise on a value of the
// wrong type or range: it leaves the message, without the place, here and
// returns PYSPEC_MISMATCH; the Go part names the place (an argument, a
// dict key, a union's alternatives) and raises, or tries another type.
// Used with the GIL held.
static char mismatch_msg[512];
static int mismatch_kind;

static int mismatch(int kind, const char* fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	PyOS_vsnprintf(mismatch_msg, sizeof mismatch_msg, fmt, ap);
	va_end(ap);
	mismatch_kind = kind;
	return PYSPEC_MISMATCH;
}

static int type_error(PyObject* o, const char* want, const pyspec_sig* sig, int i, Py_ssize_t item) {
	char name[256], tn[256];
	if (sig == NULL) return mismatch(PYSPEC_EXC_TYPE, "must be %s, not %.200s", want, pyspec_type_name(o, tn, sizeof tn));
	argname(name, sizeof name, sig, i, item);
	PyErr_Format(PyExc_TypeError, "%s must be %s, not %.200s", name, want, pyspec_type_name(o, tn, sizeof tn));
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

// bind_keyword stores one keyword argument (in **kwargs when no other
// parameter takes it), or raises as CPython would.
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
	// *args and **kwargs are no keyword's: their names go to **kwargs too,
	// as do those of positional-only parameters when there is a **kwargs
	// (PEP 570: f(x, /, **kw) called as f(1, x=2) has kw == {'x': 2}).
	if (j >= 0 && (sig->params[j].kind == PYSPEC_VAR_POS || sig->params[j].kind == PYSPEC_VAR_KW ||
		(j < sig->nposonly && sig->varkw >= 0))) j = -1;
	if (j < 0 && sig->varkw >= 0) {
		if (out[sig->varkw] == NULL && (out[sig->varkw] = PyDict_New()) == NULL) return -1;
		if (PyDict_Contains(out[sig->varkw], key)) {
			PyErr_Format(PyExc_TypeError, "%s() got multiple values for keyword argument '%U'", sig->name, key);
			return -1;
		}
		return PyDict_SetItem(out[sig->varkw], key, value);
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

// parse_failed drops what parsing made (the *args tuple, the **kwargs
// dict) and returns -1.
static int parse_failed(const pyspec_sig* sig, PyObject** out) {
	pyspec_parse_release(sig, out);
	return -1;
}

// take_positional stores the positional arguments: the first npos in
// their parameters, the rest in a new *args tuple (or it raises).
static int take_positional(const pyspec_sig* sig, PyObject* const* args, Py_ssize_t nargs, PyObject** out) {
	Py_ssize_t n = nargs < sig->npos ? nargs : sig->npos;
	for (Py_ssize_t j = 0; j < sig->nparams; j++) out[j] = NULL;
	for (Py_ssize_t j = 0; j < n; j++) out[j] = args[j];
	if (nargs > sig->npos) {
		if (sig->varpos < 0) return too_many_positional(sig, nargs);
		PyObject* rest = PyTuple_New(nargs - sig->npos);
		if (rest == NULL) return -1;
		for (Py_ssize_t j = sig->npos; j < nargs; j++) {
			Py_INCREF(args[j]);
			PyTuple_SetItem(rest, j - sig->npos, args[j]);
		}
		out[sig->varpos] = rest;
	}
	return 0;
}

int pyspec_parse(const pyspec_sig* sig, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames, PyObject** out) {
	if (sig->varpos < 0 && sig->varkw < 0) {
		if (nargs > sig->npos) return too_many_positional(sig, nargs);
		for (Py_ssize_t j = 0; j < nargs; j++) out[j] = args[j];
		for (Py_ssize_t j = nargs; j < sig->nparams; j++) out[j] = NULL;
		if (kwnames == NULL && nargs == sig->nparams) return 0;
	} else if (take_positional(sig, args, nargs, out) < 0) {
		return -1;
	}
	if (kwnames != NULL) {
		Py_ssize_t nkw = PYSPEC_TUPLE_SIZE(kwnames);
		for (Py_ssize_t k = 0; k < nkw; k++) {
			if (bind_keyword(sig, PYSPEC_TUPLE_ITEM(kwnames, k), args[nargs + k], out) < 0) return parse_failed(sig, out);
		}
	}
	return check_missing(sig, out) < 0 ? parse_failed(sig, out) : 0;
}

int pyspec_parse_tuple(const pyspec_sig* sig, PyObject* args, PyObject* kwargs, PyObject** out) {
	Py_ssize_t nargs = PYSPEC_TUPLE_SIZE(args);
	if (sig->varpos < 0) {
		if (nargs > sig->npos) return too_many_positional(sig, nargs);
		for (Py_ssize_t j = 0; j < nargs; j++) out[j] = PYSPEC_TUPLE_ITEM(args, j);
		for (Py_ssize_t j = nargs; j < sig->nparams; j++) out[j] = NULL;
	} else {
		for (Py_ssize_t j = 0; j < sig->nparams; j++) out[j] = NULL;
		for (Py_ssize_t j = 0; j < nargs && j < sig->npos; j++) out[j] = PYSPEC_TUPLE_ITEM(args, j);
		if (nargs > sig->npos && (out[sig->varpos] = PyTuple_GetSlice(args, sig->npos, nargs)) == NULL) return -1;
	}
	if (kwargs != NULL) {
		Py_ssize_t pos = 0;
		PyObject *key, *value;
		while (PyDict_Next(kwargs, &pos, &key, &value)) {
			if (bind_keyword(sig, key, value, out) < 0) return parse_failed(sig, out);
		}
	}
	return check_missing(sig, out) < 0 ? parse_failed(sig, out) : 0;
}

// ---- scalars -------------------------------------------------------------

static int conv_bool(PyObject* o, int* out, const pyspec_sig* sig, int i, Py_ssize_t item) {
	if (o == Py_True) { *out = 1; return 0; }
	if (o == Py_False) { *out = 0; return 0; }
	// numpy.bool_ is not a bool subclass but is one to its users.
	char buf[64];
	const char* tn = pyspec_type_name(o, buf, sizeof buf);
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
	if (sig == NULL) {
		PyObject* r = PyObject_Repr(o);
		const char* text = r ? PyUnicode_AsUTF8AndSize(r, NULL) : NULL;
		if (text == NULL) {
			Py_XDECREF(r);
			return -1;
		}
		mismatch(PYSPEC_EXC_OVERFLOW, "out of range for %s (%s): %.200s", type, range, text);
		Py_DECREF(r);
		return PYSPEC_MISMATCH;
	}
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
		int st = conv_signed(o, &v, LO, HI, #NAME, RANGE, sig, i, item); \
		if (st < 0) return st; \
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
		int st = conv_unsigned(o, &v, HI, #NAME, RANGE, sig, i, item); \
		if (st < 0) return st; \
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
	if (PyFloat_CheckExact(o)) { *out = PYSPEC_FLOAT_VALUE(o); return 0; }
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
	int st = conv_float64(o, &v, sig, i, item);
	if (st < 0) return st;
	// As struct.pack('f'): what rounds to a finite float32 fits.
	float f = (float)v;
	if (isinf(f) && !isinf(v)) return out_of_range(o, "float32", "+-3.4028235e38", sig, i, item);
	*out = f;
	return 0;
}

int pyspec_conv_float64(PyObject* o, double* out, const pyspec_sig* sig, int i) { return conv_float64(o, out, sig, i, -1); }
int pyspec_conv_float32(PyObject* o, float* out, const pyspec_sig* sig, int i) { return conv_float32(o, out, sig, i, -1); }

// Half precision in C (PyFloat_Pack2 is not in the Limited API): 1 sign
// bit, 5 exponent bits (bias 15), 10 fraction bits.
double pyspec_half_to_double(uint16_t h) {
	int exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
	double v;
	if (exp == 0) {
		v = ldexp((double)frac, -24); // subnormal
	} else if (exp == 31) {
		v = frac ? NAN : INFINITY;
	} else {
		v = ldexp((double)(frac | 0x400), exp - 25);
	}
	return (h & 0x8000) ? -v : v;
}

// double_to_half rounds to the nearest half, ties to even, as
// struct.pack('e') does; -1 when a finite v rounds beyond the largest half.
static int double_to_half(double v, uint16_t* out) {
	uint16_t sign = signbit(v) ? 0x8000 : 0;
	double a = fabs(v);
	if (isnan(v)) {
		*out = sign | 0x7e00;
		return 0;
	}
	if (isinf(v)) {
		*out = sign | 0x7c00;
		return 0;
	}
	if (a < ldexp(1.0, -14)) {
		// Subnormal (or zero): units of 2**-24, rounded to even.
		double units = nearbyint(a * ldexp(1.0, 24));
		*out = sign | (uint16_t)units; // 1024 units is the smallest normal: still right
		return 0;
	}
	int e;
	double m = frexp(a, &e); // a = m * 2**e, m in [0.5, 1)
	double frac = nearbyint((m * 2.0 - 1.0) * 1024.0); // the 10 fraction bits, rounded to even
	int exp = e - 1 + 15;
	if (frac == 1024.0) {
		frac = 0;
		exp++;
	}
	if (exp >= 31) return -1;
	*out = sign | (uint16_t)(exp << 10) | (uint16_t)frac;
	return 0;
}

static int conv_float16(PyObject* o, uint16_t* out, const pyspec_sig* sig, int i, Py_ssize_t item) {
	double v;
	int st = conv_float64(o, &v, sig, i, item);
	if (st < 0) return st;
	// As struct.pack('e'): what rounds to a finite half fits.
	if (double_to_half(v, out) < 0) return out_of_range(o, "float16", "+-65504", sig, i, item);
	return 0;
}

int pyspec_conv_float16(PyObject* o, uint16_t* out, const pyspec_sig* sig, int i) { return conv_float16(o, out, sig, i, -1); }

static int conv_str(PyObject* o, pyspec_bytes* out, const pyspec_sig* sig, int i, Py_ssize_t item) {
	if (!PyUnicode_Check(o)) return type_error(o, "str", sig, i, item);
	out->ptr = PyUnicode_AsUTF8AndSize(o, &out->len);
	return out->ptr == NULL ? -1 : 0;
}

static int conv_bytes(PyObject* o, pyspec_bytes* out, const pyspec_sig* sig, int i, Py_ssize_t item) {
	if (!PyBytes_Check(o)) return type_error(o, "bytes", sig, i, item);
#ifdef Py_LIMITED_API
	char* p;
	if (PyBytes_AsStringAndSize(o, &p, &out->len) < 0) return -1;
	out->ptr = p;
#else
	out->ptr = PyBytes_AS_STRING(o);
	out->len = PyBytes_GET_SIZE(o);
#endif
	return 0;
}

int pyspec_conv_str(PyObject* o, pyspec_bytes* out, const pyspec_sig* sig, int i) { return conv_str(o, out, sig, i, -1); }
int pyspec_conv_bytes(PyObject* o, pyspec_bytes* out, const pyspec_sig* sig, int i) { return conv_bytes(o, out, sig, i, -1); }

// ---- lists ---------------------------------------------------------------


static int conv_elem(PyObject* o, void* out, int code, const pyspec_sig* sig, int i, Py_ssize_t item) {
	switch (code) {
	case PYSPEC_T_BOOL: {
		int b;
		int st = conv_bool(o, &b, sig, i, item);
		if (st < 0) return st;
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
	case PYSPEC_T_FLOAT16: return conv_float16(o, out, sig, i, item);
	case PYSPEC_T_FLOAT32: return conv_float32(o, out, sig, i, item);
	case PYSPEC_T_FLOAT64: return conv_float64(o, out, sig, i, item);
	case PYSPEC_T_STR: return conv_str(o, out, sig, i, item);
	case PYSPEC_T_BYTES: return conv_bytes(o, out, sig, i, item);
	}
	PyErr_SetString(PyExc_SystemError, "pyspec: unknown element code");
	return -1;
}

// seq_snapshot sets *snap to a tuple of the items of what a parameter of
// the form takes (list[T], tuple[T, ...] or iterable[T]), so that they stay
// alive and in place for the whole call even if other code mutates the
// original (the GIL may be released). It returns 0, or type_error's status.
// Like pybind11's and nanobind's vector casters, list[T] takes any sequence
// (a list, a tuple, a range, a numpy array...) and iterable[T] any iterable
// (a generator, a set...), but neither takes text or bytes, whose items are
// not the elements meant.
static int seq_snapshot(PyObject* o, int form, const pyspec_sig* sig, int i, PyObject** snap) {
	*snap = NULL;
	if (form == PYSPEC_SEQ_TUPLE && !PyTuple_Check(o)) return type_error(o, "a tuple", sig, i, -1);
	if (PyUnicode_Check(o) || PyBytes_Check(o) || PyByteArray_Check(o))
		return type_error(o, form == PYSPEC_SEQ_ITERABLE ? "an iterable other than text or bytes" : "a sequence (list, tuple, range, array...)", sig, i, -1);
	if (form != PYSPEC_SEQ_ITERABLE || PyList_Check(o) || PyTuple_Check(o)) {
		if (!PySequence_Check(o)) return type_error(o, "a sequence (list, tuple, range, array...)", sig, i, -1);
		*snap = PySequence_Tuple(o);
		return *snap == NULL ? -1 : 0;
	}
	// The iterator first: a TypeError raised while iterating (a
	// generator's) is the author's, not "not iterable".
	PyObject* it = PyObject_GetIter(o);
	if (it == NULL) {
		if (!PyErr_ExceptionMatches(PyExc_TypeError)) return -1;
		PyErr_Clear();
		return type_error(o, "an iterable (list, tuple, set, generator...)", sig, i, -1);
	}
	*snap = PySequence_Tuple(it);
	Py_DECREF(it);
	return *snap == NULL ? -1 : 0;
}

int pyspec_conv_list(PyObject* o, pyspec_list* out, int code, int form, const pyspec_sig* sig, int i) {
	out->items = NULL;
	out->len = 0;
	out->keep = NULL;
	PyObject* keep;
	int st = seq_snapshot(o, form, sig, i, &keep);
	if (st != 0) return st;
	Py_ssize_t n = PYSPEC_TUPLE_SIZE(keep);
	void* items = PyMem_Malloc(n == 0 ? 1 : n * pyspec_elem_sizes[code]);
	if (items == NULL) { Py_DECREF(keep); PyErr_NoMemory(); return -1; }
	for (Py_ssize_t k = 0; k < n; k++) {
		if (conv_elem(PYSPEC_TUPLE_ITEM(keep, k), (char*)items + k * pyspec_elem_sizes[code], code, sig, i, k) < 0) {
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
	[PYSPEC_T_STR] = "str", [PYSPEC_T_BYTES] = "bytes", [PYSPEC_T_FLOAT16] = "float16",
};

// prefix_error names the argument in the pending exception. A built-in
// exception class is raised anew with the argument's name in front of the
// message and the original as its __cause__; any other class, whose
// constructor may take other arguments, stays as it is and gets a note
// naming the argument (PEP 678).
static int prefix_error(const pyspec_sig* sig, int i) {
	PyObject *type, *value, *tb;
	PyErr_Fetch(&type, &value, &tb);
	PyErr_NormalizeException(&type, &value, &tb);
	if (value == NULL) {
		PyErr_Restore(type, value, tb);
		return -1;
	}
	if (tb != NULL) PyException_SetTraceback(value, tb);
	char name[256];
	argname(name, sizeof name, sig, i, -1);
	if (!(PyType_GetFlags((PyTypeObject*)type) & Py_TPFLAGS_HEAPTYPE)) {
		PyObject* msg = PyUnicode_FromFormat("%s: %S", name, value);
		PyObject* exc = msg ? PyObject_CallFunctionObjArgs(type, msg, NULL) : NULL;
		Py_XDECREF(msg);
		if (exc != NULL) {
			PyException_SetCause(exc, value); // steals value
			PyErr_SetObject(type, exc);
			Py_DECREF(exc);
			Py_DECREF(type);
			Py_XDECREF(tb);
			return -1;
		}
		PyErr_Clear();
	} else {
		PyObject* r = PyObject_CallMethod(value, "add_note", "s", name);
		if (r == NULL) PyErr_Clear();
		Py_XDECREF(r);
	}
	PyErr_Restore(type, value, tb);
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
			char name[256], tn[256];
			argname(name, sizeof name, sig, i, -1);
			PyErr_Format(PyExc_BufferError, "%s must be a writable buffer, not a read-only %.200s", name, pyspec_type_name(o, tn, sizeof tn));
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
	if (v->ndim > PYSPEC_MAX_NDIM || v->ndim < 0) {
		PyErr_Format(PyExc_BufferError, "%s has %d dimensions; a view has 0 to %d", name, v->ndim, PYSPEC_MAX_NDIM);
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

void pyspec_view_contiguity(pyspec_view* out, pyspec_desc* d) {
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
		case PYSPEC_T_FLOAT16: x = PyFloat_FromDouble(pyspec_half_to_double(((const uint16_t*)items)[k])); break;
		case PYSPEC_T_FLOAT32: x = PyFloat_FromDouble(((const float*)items)[k]); break;
		case PYSPEC_T_FLOAT64: x = PyFloat_FromDouble(((const double*)items)[k]); break;
		default: x = NULL; PyErr_SetString(PyExc_SystemError, "pyspec: unknown element code");
		}
		if (x == NULL) { Py_DECREF(list); return NULL; }
		PYSPEC_LIST_SET(list, k, x);
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
	PYSPEC_LIST_SET(list, i, x);
	return 0;
}

PyObject* pyspec_tuple_steal(PyObject** items, Py_ssize_t n) {
	PyObject* t = PyTuple_New(n);
	if (t == NULL) {
		for (Py_ssize_t k = 0; k < n; k++) Py_XDECREF(items[k]);
		return NULL;
	}
	for (Py_ssize_t k = 0; k < n; k++) {
		PYSPEC_TUPLE_SET(t, k, items[k]);
		items[k] = NULL;
	}
	return t;
}

// ---- objects -------------------------------------------------------------

uint32_t pyspec_gen = 1;

// stale_message writes why the instance o cannot be used.
static void stale_message(PyObject* o, char* buf, size_t size) {
	char tn[256];
	const char* name = pyspec_type_name(o, tn, sizeof tn);
	if (((pyspec_object*)o)->gen == 0)
		PyOS_snprintf(buf, size, "%.200s object is not initialized (a subclass's __init__ must call super().__init__())", name);
	else
		PyOS_snprintf(buf, size,
			"%.200s object was made before os.fork(), by the parent process's Go runtime, which does not run in a child; "
			"make it in the child, or pass it pickled (as multiprocessing does with arguments)", name);
}

PyObject* pyspec_stale(PyObject* self) {
	char msg[512];
	stale_message(self, msg, sizeof msg);
	PyErr_SetString(PyExc_RuntimeError, msg);
	return NULL;
}

int pyspec_object_mismatch(PyObject* o, PyTypeObject* type, const pyspec_sig* sig, int i) {
	if (type == NULL) {
		PyErr_Format(PyExc_RuntimeError, "module %s is not loaded: its classes are gone", own_module);
		return -1;
	}
	if (PyObject_TypeCheck(o, type)) {
		char name[256], msg[512];
		argname(name, sizeof name, sig, i, -1);
		stale_message(o, msg, sizeof msg);
		PyErr_Format(PyExc_RuntimeError, "%s: %s", name, msg);
		return -1;
	}
	PyObject* qual = PyType_GetQualName(type);
	const char* want = qual ? PyUnicode_AsUTF8AndSize(qual, NULL) : NULL;
	if (want == NULL) {
		PyErr_Clear();
		want = "?";
	}
	type_error(o, want, sig, i, -1);
	Py_XDECREF(qual);
	return -1;
}

// ---- pickling ------------------------------------------------------------

PyObject* pyspec_reduce(PyObject* self, PyObject* state, PyObject* new_fn) {
	if (new_fn == NULL) {
		Py_DECREF(state);
		PyErr_SetString(PyExc_RuntimeError, "pyspec: the module's reconstructor is gone");
		return NULL;
	}
	// A Python subclass's instance attributes travel with the Go state.
	PyObject* dict = PyObject_GetAttrString(self, "__dict__");
	if (dict == NULL) {
		PyErr_Clear();
	} else if (PyDict_Check(dict) && PyDict_Size(dict) > 0) {
		PyObject* both = PyTuple_Pack(2, state, dict);
		Py_DECREF(state);
		if (both == NULL) {
			Py_DECREF(dict);
			return NULL;
		}
		state = both;
	}
	Py_XDECREF(dict);
	return Py_BuildValue("(O(O)N)", new_fn, (PyObject*)Py_TYPE(self), state);
}

PyObject* pyspec_attributes_state(PyObject* self, const char* const* names) {
	PyObject* state = PyDict_New();
	if (state == NULL) return NULL;
	for (int k = 0; names[k] != NULL; k++) {
		PyObject* v = PyObject_GetAttrString(self, names[k]);
		if (v == NULL || PyDict_SetItemString(state, names[k], v) < 0) {
			Py_XDECREF(v);
			Py_DECREF(state);
			return NULL;
		}
		Py_DECREF(v);
	}
	return state;
}

int pyspec_split_state(PyObject** state, PyObject** extra) {
	*extra = NULL;
	if (PyTuple_Check(*state)) {
		if (PYSPEC_TUPLE_SIZE(*state) != 2) {
			PyErr_SetString(PyExc_TypeError, "__setstate__() takes the state __reduce_ex__ made");
			return -1;
		}
		*extra = PYSPEC_TUPLE_ITEM(*state, 1);
		*state = PYSPEC_TUPLE_ITEM(*state, 0);
	}
	return 0;
}

int pyspec_restore_dict(PyObject* self, PyObject* extra) {
	PyObject* dict = PyObject_GetAttrString(self, "__dict__");
	if (dict == NULL) return -1;
	int r = PyDict_Check(extra) ? PyDict_Update(dict, extra) : -1;
	if (r < 0 && !PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "__setstate__() takes a dict of instance attributes");
	Py_DECREF(dict);
	return r;
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
// pinned memory, the Go runtime generation that pinned it, and copies of
// shape, strides and format.
typedef struct {
	uintptr_t token;
	uint32_t gen;
	Py_ssize_t data[]; // shape[ndim], strides[ndim], then the format bytes
} export_info;

static char empty_export[1];

int pyspec_fill_export(Py_buffer* view, PyObject* exporter, const pyspec_export_desc* d, int flags, uint32_t gen) {
	char tn[256];
	view->obj = NULL;
	int ndim = d->ndim;
	// The Go part checked the description; check again what a bad one
	// would turn into an out-of-bounds read.
	Py_ssize_t n = d->itemsize;
	int ok = ndim >= 0 && ndim <= PYSPEC_MAX_NDIM && d->itemsize > 0 && d->len >= 0 &&
		d->format_len >= 0 && d->format_len < (Py_ssize_t)sizeof d->format;
	for (int k = 0; ok && k < ndim; k++) {
		if (d->shape[k] < 0 || __builtin_mul_overflow(n, d->shape[k], &n)) ok = 0;
	}
	if (!ok || n != d->len) {
		PyErr_Format(PyExc_BufferError, "%.200s: the Go export does not describe its memory consistently (%zd bytes, item size %zd, %d dimensions)",
			pyspec_type_name(exporter, tn, sizeof tn), (Py_ssize_t)d->len, (Py_ssize_t)d->itemsize, ndim);
		return -1;
	}
	if ((flags & PyBUF_WRITABLE) && d->readonly) {
		PyErr_Format(PyExc_BufferError, "%.200s exports a read-only buffer; a writable one was requested", pyspec_type_name(exporter, tn, sizeof tn));
		return -1;
	}
	int c_contig_only = 0;
	for (int k = 0, big = 0; k < ndim; k++) {
		if (d->shape[k] > 1 && ++big > 1) c_contig_only = 1;
	}
	if ((flags & PyBUF_F_CONTIGUOUS) == PyBUF_F_CONTIGUOUS && c_contig_only) {
		PyErr_Format(PyExc_BufferError, "%.200s exports a C-contiguous buffer; a Fortran-contiguous one was requested", pyspec_type_name(exporter, tn, sizeof tn));
		return -1;
	}
	export_info* info = PyMem_Malloc(sizeof(export_info) + 2 * ndim * sizeof(Py_ssize_t) + d->format_len + 1);
	if (info == NULL) { PyErr_NoMemory(); return -1; }
	info->token = d->token;
	info->gen = gen;
	Py_ssize_t* s = info->data;
	Py_ssize_t* st = info->data + ndim;
	char* f = (char*)(info->data + 2 * ndim);
	memcpy(f, d->format, d->format_len);
	f[d->format_len] = 0;
	Py_ssize_t step = d->itemsize;
	for (int k = ndim - 1; k >= 0; k--) {
		s[k] = d->shape[k];
		st[k] = step;
		step *= d->shape[k];
	}
	view->buf = d->buf != NULL ? d->buf : empty_export;
	view->obj = Py_NewRef(exporter);
	view->len = d->len;
	view->readonly = d->readonly;
	view->itemsize = d->itemsize;
	view->format = (flags & PyBUF_FORMAT) ? f : NULL;
	view->ndim = ndim;
	view->shape = (flags & PyBUF_ND) == PyBUF_ND ? s : NULL;
	view->strides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES ? st : NULL;
	view->suboffsets = NULL;
	view->internal = info;
	if (!(flags & PyBUF_ND)) view->ndim = 1;
	return 0;
}

uintptr_t pyspec_export_release(Py_buffer* view, int* current) {
	export_info* info = view->internal;
	uintptr_t token = info->token;
	*current = info->gen == pyspec_gen;
	PyMem_Free(info);
	view->internal = NULL;
	return token;
}

// ---- the host table ------------------------------------------------------

static int host_claim(PyObject* o) {
	// A wrapper whose count reached zero is being deallocated (a Python
	// subclass's dealloc runs weakref callbacks and clears __dict__ before
	// the base dealloc unbinds it): it must not be handed out again.
	if (Py_REFCNT(o) <= 0) return 0;
	Py_INCREF(o);
	return 1;
}

static void host_decref(PyObject* o) { Py_DECREF(o); }
static void host_write_unraisable(void) { PyErr_WriteUnraisable(NULL); }
static void* host_save_thread(void) { return PyEval_SaveThread(); }
static void host_restore_thread(void* ts) { PyEval_RestoreThread((PyThreadState*)ts); }
static void host_raise(int kind, const char* msg, pyspec_ssize len) {
	if (kind == 11) { // runtime.KindMemoryError, after pyspec_raise's table
		PyObject* text = PyUnicode_DecodeUTF8(msg, len, "replace");
		if (text == NULL) return;
		PyErr_SetObject(PyExc_MemoryError, text);
		Py_DECREF(text);
		return;
	}
	pyspec_raise(kind, msg, len);
}
static PyObject* host_text(const char* p, pyspec_ssize n, int code) { return pyspec_text_from(p, n, code); }
static PyObject* host_list_of(const void* items, pyspec_ssize n, int code) { return pyspec_list_from(items, n, code); }
static PyObject* host_list_new(pyspec_ssize n) { return PyList_New(n); }
static PyObject* host_tuple_steal(PyObject** items, pyspec_ssize n) { return pyspec_tuple_steal(items, n); }
static int host_list_set_text(PyObject* l, pyspec_ssize i, const char* p, pyspec_ssize n, int code) { return pyspec_list_set_text(l, i, p, n, code); }

// ---- Python objects for the Go part ----------------------------------------

static const char* host_mismatch(int* kind, pyspec_ssize* len) {
	*kind = mismatch_kind;
	*len = (pyspec_ssize)strlen(mismatch_msg);
	return mismatch_msg;
}

static void host_incref(PyObject* o) { Py_INCREF(o); }

static PyObject* host_fetch_error(void) {
	PyObject *type, *value, *tb;
	PyErr_Fetch(&type, &value, &tb);
	if (type == NULL) return NULL;
	PyErr_NormalizeException(&type, &value, &tb);
	if (value != NULL && tb != NULL) PyException_SetTraceback(value, tb);
	Py_XDECREF(type);
	Py_XDECREF(tb);
	return value;
}

static void host_restore_error(PyObject* exc) {
	PyObject* tb = PyException_GetTraceback(exc);
	Py_INCREF(exc);
	PyObject* type = (PyObject*)Py_TYPE(exc);
	Py_INCREF(type);
	PyErr_Restore(type, exc, tb);
}

// Python's datetime classes, imported when first needed.
static PyObject *dt_datetime, *dt_timedelta, *dt_timezone, *dt_utc;

static int datetime_load(void) {
	if (dt_datetime != NULL) return 0;
	PyObject* mod = PyImport_ImportModule("datetime");
	if (mod == NULL) return -1;
	PyObject* d = PyObject_GetAttrString(mod, "datetime");
	PyObject* td = PyObject_GetAttrString(mod, "timedelta");
	PyObject* tz = PyObject_GetAttrString(mod, "timezone");
	PyObject* utc = tz ? PyObject_GetAttrString(tz, "utc") : NULL;
	Py_DECREF(mod);
	if (d == NULL || td == NULL || tz == NULL || utc == NULL) {
		Py_XDECREF(d);
		Py_XDECREF(td);
		Py_XDECREF(tz);
		Py_XDECREF(utc);
		return -1;
	}
	dt_datetime = d;
	dt_timedelta = td;
	dt_timezone = tz;
	dt_utc = utc;
	return 0;
}

// is_a is isinstance(o, cls) for one of the classes above: 1, 0 or -1.
static int is_a(PyObject* o, PyObject** cls) {
	if (datetime_load() < 0) return -1;
	return PyObject_IsInstance(o, *cls);
}

static int host_kind_of(PyObject* o) {
	if (o == Py_None) return PYSPEC_K_NONE;
	if (PyBool_Check(o)) return PYSPEC_K_BOOL;
	if (PyLong_Check(o)) return PYSPEC_K_INT;
	if (PyFloat_Check(o)) return PYSPEC_K_FLOAT;
	if (PyComplex_Check(o)) return PYSPEC_K_COMPLEX;
	if (PyUnicode_Check(o)) return PYSPEC_K_STR;
	if (PyBytes_Check(o)) return PYSPEC_K_BYTES;
	if (PyList_Check(o)) return PYSPEC_K_LIST;
	if (PyTuple_Check(o)) return PYSPEC_K_TUPLE;
	if (PyDict_Check(o)) return PYSPEC_K_DICT;
	if (PyAnySet_Check(o)) return PYSPEC_K_SET;
	int r = is_a(o, &dt_datetime);
	if (r != 0) return r < 0 ? -1 : PYSPEC_K_DATETIME;
	r = is_a(o, &dt_timedelta);
	if (r != 0) return r < 0 ? -1 : PYSPEC_K_TIMEDELTA;
	return PYSPEC_K_OTHER;
}

static int host_to_scalar(PyObject* o, int code, void* out) { return conv_elem(o, out, code, NULL, 0, -1); }

static int host_to_complex(PyObject* o, double* re, double* im) {
	if (PyComplex_Check(o)) {
		*re = PyComplex_RealAsDouble(o);
		*im = PyComplex_ImagAsDouble(o);
		return PyErr_Occurred() ? -1 : 0;
	}
	// As complex(x) for a real number x; a number type's __complex__ too.
	if (PyLong_Check(o) || PyFloat_Check(o) || PyIndex_Check(o) || PyObject_HasAttrString(o, "__complex__")) {
		PyObject* c = PyObject_CallFunctionObjArgs((PyObject*)&PyComplex_Type, o, NULL);
		if (c == NULL) return -1;
		*re = PyComplex_RealAsDouble(c);
		*im = PyComplex_ImagAsDouble(c);
		Py_DECREF(c);
		return PyErr_Occurred() ? -1 : 0;
	}
	return type_error(o, "complex", NULL, 0, -1);
}

static PyObject* host_from_complex(double re, double im) { return PyComplex_FromDoubles(re, im); }

static int int_attr(PyObject* o, const char* name, int64_t* out) {
	PyObject* v = PyObject_GetAttrString(o, name);
	if (v == NULL) return -1;
	long long x = PyLong_AsLongLong(v);
	Py_DECREF(v);
	if (x == -1 && PyErr_Occurred()) return -1;
	*out = x;
	return 0;
}

// timedelta_parts reads a timedelta's normalized days, seconds and microseconds.
static int timedelta_parts(PyObject* o, int64_t* days, int64_t* seconds, int64_t* us) {
	if (int_attr(o, "days", days) < 0 || int_attr(o, "seconds", seconds) < 0 || int_attr(o, "microseconds", us) < 0) return -1;
	return 0;
}

static int host_to_datetime(PyObject* o, pyspec_datetime* out) {
	int r = is_a(o, &dt_datetime);
	if (r < 0) return -1;
	if (r == 0) return type_error(o, "datetime", NULL, 0, -1);
	PyObject* off = PyObject_CallMethod(o, "utcoffset", NULL);
	if (off == NULL) return -1;
	if (off == Py_None) {
		Py_DECREF(off);
		return mismatch(PYSPEC_EXC_VALUE,
			"must be an aware datetime (with a tzinfo), not a naive one: Go's time.Time is an instant; "
			"use dt.replace(tzinfo=...) or dt.astimezone()");
	}
	int64_t days, seconds, us;
	int st = timedelta_parts(off, &days, &seconds, &us);
	Py_DECREF(off);
	if (st < 0) return -1;
	if (us != 0) return mismatch(PYSPEC_EXC_VALUE, "has a UTC offset with microseconds, which Go's time zones cannot hold");
	out->offset = days * 86400 + seconds;
	if (int_attr(o, "year", &out->year) < 0 || int_attr(o, "month", &out->month) < 0 || int_attr(o, "day", &out->day) < 0 ||
		int_attr(o, "hour", &out->hour) < 0 || int_attr(o, "minute", &out->minute) < 0 || int_attr(o, "second", &out->second) < 0 ||
		int_attr(o, "microsecond", &out->microsecond) < 0)
		return -1;
	return 0;
}

static PyObject* host_from_datetime(const pyspec_datetime* d) {
	if (datetime_load() < 0) return NULL;
	PyObject* tz;
	if (d->offset == 0) {
		tz = Py_NewRef(dt_utc);
	} else {
		PyObject* delta = PyObject_CallFunction(dt_timedelta, "iL", 0, (long long)d->offset);
		tz = delta ? PyObject_CallFunctionObjArgs(dt_timezone, delta, NULL) : NULL;
		Py_XDECREF(delta);
		if (tz == NULL) return NULL;
	}
	PyObject* r = PyObject_CallFunction(dt_datetime, "LLLLLLLO", (long long)d->year, (long long)d->month, (long long)d->day,
		(long long)d->hour, (long long)d->minute, (long long)d->second, (long long)d->microsecond, tz);
	Py_DECREF(tz);
	return r;
}

static int host_to_timedelta(PyObject* o, int64_t* days, int64_t* seconds, int64_t* us) {
	int r = is_a(o, &dt_timedelta);
	if (r < 0) return -1;
	if (r == 0) return type_error(o, "timedelta", NULL, 0, -1);
	return timedelta_parts(o, days, seconds, us);
}

static PyObject* host_from_timedelta(int64_t us) {
	if (datetime_load() < 0) return NULL;
	return PyObject_CallFunction(dt_timedelta, "iiL", 0, 0, (long long)us);
}

static int host_seq_snapshot(PyObject* o, int form, PyObject** snap, pyspec_ssize* n) {
	int st = seq_snapshot(o, form, NULL, 0, snap);
	if (st != 0) return st;
	*n = PYSPEC_TUPLE_SIZE(*snap);
	return 0;
}

static int host_set_snapshot(PyObject* o, PyObject** snap, pyspec_ssize* n) {
	if (!PyAnySet_Check(o)) return type_error(o, "a set or frozenset", NULL, 0, -1);
	*snap = PySequence_Tuple(o);
	if (*snap == NULL) return -1;
	*n = PYSPEC_TUPLE_SIZE(*snap);
	return 0;
}

static int host_dict_snapshot(PyObject* o, PyObject** snap, pyspec_ssize* n) {
	if (!PyDict_Check(o)) return type_error(o, "a dict", NULL, 0, -1);
	*snap = PyDict_Copy(o);
	if (*snap == NULL) return -1;
	*n = PyDict_Size(*snap);
	return 0;
}

static PyObject* host_tuple_item(PyObject* t, pyspec_ssize i) { return PYSPEC_TUPLE_ITEM(t, i); }
static int host_dict_next(PyObject* d, pyspec_ssize* pos, PyObject** k, PyObject** v) { return PyDict_Next(d, pos, k, v); }
static PyObject* host_dict_new(void) { return PyDict_New(); }

static int host_dict_set_steal(PyObject* d, PyObject* k, PyObject* v) {
	int r = k != NULL && v != NULL ? PyDict_SetItem(d, k, v) : -1;
	Py_XDECREF(k);
	Py_XDECREF(v);
	return r;
}

static PyObject* host_set_new(void) { return PySet_New(NULL); }

static int host_set_add_steal(PyObject* s, PyObject* k) {
	int r = k != NULL ? PySet_Add(s, k) : -1;
	Py_XDECREF(k);
	return r;
}

static int host_list_set_steal(PyObject* l, pyspec_ssize i, PyObject* v) { return v != NULL ? PyList_SetItem(l, i, v) : -1; }

static PyObject* host_text_of(PyObject* o, int how) {
	char buf[256];
	switch (how) {
	case 0: return PyObject_Str(o);
	case 1: return PyObject_Repr(o);
	}
	return PyUnicode_FromString(pyspec_type_name(o, buf, sizeof buf));
}

static PyObject* attr_name(const char* name, pyspec_ssize n) { return PyUnicode_DecodeUTF8(name, n, "strict"); }

static PyObject* host_getattr(PyObject* o, const char* name, pyspec_ssize n) {
	PyObject* key = attr_name(name, n);
	if (key == NULL) return NULL;
	PyObject* r = PyObject_GetAttr(o, key);
	Py_DECREF(key);
	return r;
}

static int host_setattr(PyObject* o, const char* name, pyspec_ssize n, PyObject* v) {
	PyObject* key = attr_name(name, n);
	if (key == NULL) return -1;
	int r = PyObject_SetAttr(o, key, v);
	Py_DECREF(key);
	return r;
}

static int host_hasattr(PyObject* o, const char* name, pyspec_ssize n) {
	PyObject* key = attr_name(name, n);
	if (key == NULL) return -1;
	PyObject* r = PyObject_GetAttr(o, key);
	Py_DECREF(key);
	if (r != NULL) {
		Py_DECREF(r);
		return 1;
	}
	if (!PyErr_ExceptionMatches(PyExc_AttributeError)) return -1;
	PyErr_Clear();
	return 0;
}

static PyObject* host_call(PyObject* f, PyObject* const* args, pyspec_ssize nargs, PyObject* kwargs) {
	PyObject* tuple = PyTuple_New(nargs);
	if (tuple == NULL) return NULL;
	for (pyspec_ssize i = 0; i < nargs; i++) {
		Py_INCREF(args[i]);
		PyTuple_SetItem(tuple, i, args[i]);
	}
	PyObject* r = PyObject_Call(f, tuple, kwargs);
	Py_DECREF(tuple);
	return r;
}

static int host_is_callable(PyObject* o) { return PyCallable_Check(o); }
static int host_truth(PyObject* o) { return PyObject_IsTrue(o); }
static pyspec_ssize host_length(PyObject* o) { return PyObject_Size(o); }
static PyObject* host_getitem(PyObject* o, PyObject* k) { return PyObject_GetItem(o, k); }
static int host_setitem(PyObject* o, PyObject* k, PyObject* v) { return v == NULL ? PyObject_DelItem(o, k) : PyObject_SetItem(o, k, v); }

static PyObject* host_import(const char* name, pyspec_ssize n) {
	PyObject* key = attr_name(name, n);
	if (key == NULL) return NULL;
	PyObject* r = PyImport_Import(key);
	Py_DECREF(key);
	return r;
}

// Whether the interpreter is finalizing, asked without the GIL. atexit
// callbacks run before: until they are done, threads may still take the
// GIL (an atexit handler may wait for a goroutine that calls Python, or for
// an async call). The functions are the interpreter's own (Py_IsFinalizing
// since 3.13, _Py_IsFinalizing before), looked up once: neither is in the
// Limited API, and abi3 builds run on both.
static int (*is_finalizing)(void);
static int (*gil_check)(void);
static int finalizing_resolved;

static void resolve_finalizing(void) {
	is_finalizing = (int (*)(void))dlsym(RTLD_DEFAULT, "Py_IsFinalizing");
	if (is_finalizing == NULL) is_finalizing = (int (*)(void))dlsym(RTLD_DEFAULT, "_Py_IsFinalizing");
	gil_check = (int (*)(void))dlsym(RTLD_DEFAULT, "PyGILState_Check");
	__atomic_store_n(&finalizing_resolved, 1, __ATOMIC_RELEASE);
}

int pyspec_finalizing(void) {
	if (!__atomic_load_n(&finalizing_resolved, __ATOMIC_ACQUIRE)) resolve_finalizing();
	return is_finalizing != NULL && is_finalizing();
}

// holds_gil: whether this thread holds the GIL (0 when unknown).
static int holds_gil(void) {
	if (!__atomic_load_n(&finalizing_resolved, __ATOMIC_ACQUIRE)) resolve_finalizing();
	return gil_check != NULL && gil_check();
}

int pyspec_lock_stuck(PyObject* self) {
	char tn[256];
	PyErr_Format(PyExc_RuntimeError, "this %.200s object is locked by a thread that Python stopped at exit; "
		"its lock: true methods cannot run any more", pyspec_type_name(self, tn, sizeof tn));
	return -1;
}

// A goroutine that waits for the GIL while a call into Go holds it and
// waits for that goroutine is a deadlock Python cannot interrupt (the
// function should have been nogil). A watchdog thread says so on stderr
// when threads have waited for the GIL for 5 s with nobody getting it:
// the waits are counted, and every GIL taken through here ticks an epoch.
static int gil_waiters;
static unsigned long gil_epoch;
// Calls into Go in progress that hold the GIL (functions, methods and
// __init__ without nogil; the Go part counts them while it holds the
// GIL): only when one does is `nogil` the cure.
static int32_t go_holding;
static int watchdog_started;
static pthread_mutex_t watchdog_mu = PTHREAD_MUTEX_INITIALIZER;

static void* gil_watchdog(void* unused) {
	(void)unused;
	unsigned long seen = 0;
	int stalled = 0, warned = 0;
	// PYSPEC_GIL_WATCHDOG=N: after N s rather than 5 (tests use 1).
	const char* env = getenv("PYSPEC_GIL_WATCHDOG");
	int limit = env != NULL && atoi(env) > 0 ? atoi(env) : 5;
	for (;;) {
		sleep(1);
		if (pyspec_finalizing()) return NULL;
		unsigned long epoch = __atomic_load_n(&gil_epoch, __ATOMIC_ACQUIRE);
		if (__atomic_load_n(&gil_waiters, __ATOMIC_ACQUIRE) == 0 || epoch != seen) {
			seen = epoch;
			stalled = warned = 0;
			continue;
		}
		if (++stalled >= limit && !warned) {
			warned = 1;
			int waiters = __atomic_load_n(&gil_waiters, __ATOMIC_ACQUIRE);
			if (__atomic_load_n(&go_holding, __ATOMIC_ACQUIRE) > 0)
				fprintf(stderr,
					"pyspec: Go code has waited %d s for the GIL to call Python, while a call into Go holds it. "
					"If a function or method of this module waits for goroutines that call Python, this is a "
					"deadlock: declare it `nogil: true` in the spec (a call that holds the GIL keeps them "
					"waiting until it returns).\n", stalled);
			else
				fprintf(stderr,
					"pyspec: Go code (at least %d goroutine%s) has waited %d s for the GIL to call Python: Python code, "
					"or another extension, has held the GIL all that time.\n", waiters, waiters == 1 ? "" : "s", stalled);
			fflush(stderr);
		}
	}
}

// start_detached starts a thread nobody joins; 1 when it runs.
static int start_detached(void* (*run)(void*)) {
	pthread_t t;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	int ok = pthread_create(&t, &attr, run, NULL) == 0;
	pthread_attr_destroy(&attr);
	return ok;
}

static void start_watchdog(void) {
	pthread_mutex_lock(&watchdog_mu);
	if (!watchdog_started) __atomic_store_n(&watchdog_started, start_detached(gil_watchdog), __ATOMIC_RELEASE);
	pthread_mutex_unlock(&watchdog_mu);
}

// The GIL from Go's threads. Once Python finalizes, a thread that asks for
// the GIL would be stopped for good inside PyGILState_Ensure; the Go part
// gets an error instead, unless this thread holds the GIL already (a call
// from Python at exit whose Go code calls Python back).
static int host_gil_ensure(void) {
	if (pyspec_finalizing() && !holds_gil()) return -1;
	if (!__atomic_load_n(&watchdog_started, __ATOMIC_ACQUIRE)) start_watchdog();
	__atomic_add_fetch(&gil_waiters, 1, __ATOMIC_ACQ_REL);
	int state = (int)PyGILState_Ensure();
	__atomic_sub_fetch(&gil_waiters, 1, __ATOMIC_ACQ_REL);
	__atomic_add_fetch(&gil_epoch, 1, __ATOMIC_ACQ_REL);
	pyspec_objects_tick();
	return state;
}

static void host_gil_release(int state) { PyGILState_Release((PyGILState_STATE)state); }
// Whether this thread holds the GIL: PyGILState_Check, looked up at run
// time (holds_gil) since 3.11's Limited API lacks it.
static int host_gil_held(void) { return holds_gil(); }

// References the Go part drops from threads without the GIL (a
// runtime.Object nobody uses any more) wait here. A pending call drops
// them; since Python 3.11 runs a pending call added by a thread it does
// not know only when the main thread next looks (a GIL switch, a signal),
// every call into the Go part also drops them first (pyspec_objects_tick),
// as does a thread that takes the GIL for Go.
static pthread_mutex_t later_mu = PTHREAD_MUTEX_INITIALIZER;
static PyObject** later;
static size_t later_n, later_cap;
static int later_scheduled;
int pyspec_later_pending;

static int drain_later(void* unused) {
	(void)unused;
	pthread_mutex_lock(&later_mu);
	__atomic_store_n(&pyspec_later_pending, 0, __ATOMIC_RELAXED);
	PyObject** items = later;
	size_t n = later_n;
	later = NULL;
	later_n = later_cap = 0;
	later_scheduled = 0;
	pthread_mutex_unlock(&later_mu);
	for (size_t i = 0; i < n; i++) Py_DECREF(items[i]);
	free(items);
	return 0;
}

static void host_decref_later(PyObject* o) {
	pthread_mutex_lock(&later_mu);
	if (later_n == later_cap) {
		size_t cap = later_cap ? later_cap * 2 : 64;
		PyObject** grown = realloc(later, cap * sizeof *grown);
		if (grown == NULL) {
			// Out of memory: keep the reference (a leak, not a crash).
			pthread_mutex_unlock(&later_mu);
			return;
		}
		later = grown;
		later_cap = cap;
	}
	later[later_n++] = o;
	__atomic_store_n(&pyspec_later_pending, 1, __ATOMIC_RELAXED);
	int schedule = !later_scheduled;
	later_scheduled = 1;
	pthread_mutex_unlock(&later_mu);
	// Py_AddPendingCall needs no GIL. When its queue is full, the next
	// drop tries again.
	if (schedule && !pyspec_finalizing() && Py_AddPendingCall(drain_later, NULL) < 0) {
		pthread_mutex_lock(&later_mu);
		later_scheduled = 0;
		pthread_mutex_unlock(&later_mu);
	}
}

void pyspec_drain_later(void) { drain_later(NULL); }

static PyObject* objects_at_exit(PyObject* self, PyObject* unused) {
	(void)self;
	(void)unused;
	drain_later(NULL);
	Py_RETURN_NONE;
}

static PyMethodDef objects_at_exit_def = {"_pyspec_objects_at_exit", objects_at_exit, METH_NOARGS, NULL};

static void objects_after_fork(void) {
	// The watchdog thread is the parent's: the child starts its own.
	pthread_mutex_init(&watchdog_mu, NULL);
	watchdog_started = 0;
	gil_waiters = 0;
	// Calls into Go holding the GIL were the parent's threads' (or, for a
	// fork inside a callback, a call the child never returns to).
	go_holding = 0;
	pthread_mutex_init(&later_mu, NULL);
	later_scheduled = 0;
}

int pyspec_objects_init(pyspec_host* host) {
	static int registered;
	if (!registered) {
		PyObject* atexit = PyImport_ImportModule("atexit");
		PyObject* fn = PyCFunction_New(&objects_at_exit_def, NULL);
		PyObject* reg = atexit && fn ? PyObject_CallMethod(atexit, "register", "O", fn) : NULL;
		Py_XDECREF(atexit);
		Py_XDECREF(fn);
		if (reg == NULL) return -1;
		Py_DECREF(reg);
		registered = 1;
	}
	host->gil_ensure = host_gil_ensure;
	host->gil_release = host_gil_release;
	host->incref = host_incref;
	host->decref_later = host_decref_later;
	host->mismatch = host_mismatch;
	host->fetch_error = host_fetch_error;
	host->restore_error = host_restore_error;
	host->kind_of = host_kind_of;
	host->to_scalar = host_to_scalar;
	host->to_complex = host_to_complex;
	host->from_complex = host_from_complex;
	host->to_datetime = host_to_datetime;
	host->from_datetime = host_from_datetime;
	host->to_timedelta = host_to_timedelta;
	host->from_timedelta = host_from_timedelta;
	host->seq_snapshot = host_seq_snapshot;
	host->set_snapshot = host_set_snapshot;
	host->dict_snapshot = host_dict_snapshot;
	host->tuple_item = host_tuple_item;
	host->dict_next = host_dict_next;
	host->dict_new = host_dict_new;
	host->dict_set_steal = host_dict_set_steal;
	host->set_new = host_set_new;
	host->set_add_steal = host_set_add_steal;
	host->list_set_steal = host_list_set_steal;
	host->text_of = host_text_of;
	host->getattr = host_getattr;
	host->setattr = host_setattr;
	host->hasattr = host_hasattr;
	host->call = host_call;
	host->is_callable = host_is_callable;
	host->truth = host_truth;
	host->length = host_length;
	host->getitem = host_getitem;
	host->setitem = host_setitem;
	host->import = host_import;
	host->gil_held = host_gil_held;
	host->go_holding = &go_holding;
	return 0;
}

int pyspec_exec_source(PyObject* module, const char* src, const char* const* names) {
	PyObject* modname = PyModule_GetNameObject(module);
	PyObject* globals = PyDict_New();
	if (modname == NULL || globals == NULL || PyDict_SetItemString(globals, "__name__", modname) < 0 ||
		PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins()) < 0) {
		Py_XDECREF(modname);
		Py_XDECREF(globals);
		return -1;
	}
	Py_DECREF(modname);
	PyObject* code = Py_CompileString(src, "<pyspec structs>", Py_file_input);
	PyObject* r = code ? PyEval_EvalCode(code, globals, globals) : NULL;
	Py_XDECREF(code);
	int status = r == NULL ? -1 : 0;
	Py_XDECREF(r);
	for (int k = 0; status == 0 && names[k] != NULL; k++) {
		PyObject* v = PyDict_GetItemString(globals, names[k]); // borrowed
		if (v == NULL || PyModule_AddObjectRef(module, names[k], v) < 0) {
			if (!PyErr_Occurred()) PyErr_Format(PyExc_RuntimeError, "pyspec: %s was not defined", names[k]);
			status = -1;
		}
	}
	Py_DECREF(globals);
	return status;
}

PyObject* pyspec_make_enum(PyObject* module, const char* name, const char* doc, int flag, const char* const* names, const int64_t* values) {
	PyObject* enum_mod = PyImport_ImportModule("enum");
	if (enum_mod == NULL) return NULL;
	PyObject* base = PyObject_GetAttrString(enum_mod, flag ? "IntFlag" : "IntEnum");
	Py_DECREF(enum_mod);
	if (base == NULL) return NULL;
	PyObject* members = PyList_New(0);
	PyObject* modname = PyModule_GetNameObject(module);
	PyObject* cls = NULL;
	if (members != NULL && modname != NULL) {
		int ok = 1;
		for (int k = 0; names[k] != NULL && ok; k++) {
			PyObject* pair = Py_BuildValue("(sL)", names[k], (long long)values[k]);
			ok = pair != NULL && PyList_Append(members, pair) == 0;
			Py_XDECREF(pair);
		}
		PyObject* args = ok ? Py_BuildValue("(sO)", name, members) : NULL;
		PyObject* kwargs = args ? Py_BuildValue("{sOss}", "module", modname, "qualname", name) : NULL;
		cls = kwargs ? PyObject_Call(base, args, kwargs) : NULL;
		Py_XDECREF(args);
		Py_XDECREF(kwargs);
	}
	Py_XDECREF(members);
	Py_XDECREF(modname);
	Py_DECREF(base);
	if (cls != NULL && doc != NULL) {
		PyObject* text = PyUnicode_FromString(doc);
		if (text == NULL || PyObject_SetAttrString(cls, "__doc__", text) < 0) Py_CLEAR(cls);
		Py_XDECREF(text);
	}
	if (cls != NULL && flag) {
		// The bits of its members: an IntFlag takes any int (a pseudo
		// member), but a parameter takes combinations of members only.
		// A private name, which stubs and stubtest leave out.
		long long mask = 0;
		for (int k = 0; names[k] != NULL; k++) mask |= (long long)values[k];
		PyObject* m = PyLong_FromLongLong(mask);
		if (m == NULL || PyObject_SetAttrString(cls, "_pyspec_mask", m) < 0) Py_CLEAR(cls);
		Py_XDECREF(m);
	}
	return cls;
}

// pyspec_to_instance converts an instance of type (or of a subclass) for
// the Go part: its Go value and class index.
int pyspec_to_instance(PyObject* o, PyTypeObject* type, pyspec_ref* out) {
	if (PyObject_TypeCheck(o, type)) {
		pyspec_object* obj = (pyspec_object*)o;
		if (obj->gen != pyspec_gen) {
			char msg[512];
			stale_message(o, msg, sizeof msg);
			return mismatch(PYSPEC_EXC_RUNTIME, "%s", msg);
		}
		out->goptr = obj->goptr;
		out->cls = obj->cls;
		return 0;
	}
	PyObject* qual = PyType_GetQualName(type);
	const char* want = qual ? PyUnicode_AsUTF8AndSize(qual, NULL) : NULL;
	if (want == NULL) {
		PyErr_Clear();
		want = "?";
	}
	int r = type_error(o, want, NULL, 0, -1);
	Py_XDECREF(qual);
	return r;
}

// pyspec_to_enum converts a member of the enum class cls, or an int that is
// one of its values, for the Go part.
int pyspec_to_enum(PyObject* o, PyObject* cls, int64_t* out) {
	char tn[256];
	PyObject* name = PyObject_GetAttrString(cls, "__name__");
	const char* n = name ? PyUnicode_AsUTF8AndSize(name, NULL) : NULL;
	if (n == NULL) {
		Py_XDECREF(name);
		return -1;
	}
	int r;
	if (!PyLong_Check(o) || PyBool_Check(o)) {
		r = mismatch(PYSPEC_EXC_TYPE, "must be %s or int, not %.200s", n, pyspec_type_name(o, tn, sizeof tn));
	} else {
		PyObject* member = PyObject_CallFunctionObjArgs(cls, o, NULL);
		if (member == NULL) {
			if (PyErr_ExceptionMatches(PyExc_ValueError)) {
				PyErr_Clear();
				PyObject* repr = PyObject_Repr(o);
				const char* text = repr ? PyUnicode_AsUTF8AndSize(repr, NULL) : NULL;
				r = text ? mismatch(PYSPEC_EXC_VALUE, "must be a %s: %.100s is not one of its values", n, text) : -1;
				Py_XDECREF(repr);
			} else {
				r = -1;
			}
		} else {
			long long v = PyLong_AsLongLong(member);
			Py_DECREF(member);
			r = v == -1 && PyErr_Occurred() ? -1 : 0;
			*out = v;
			PyObject* mask = r == 0 ? PyObject_GetAttrString(cls, "_pyspec_mask") : NULL;
			if (mask != NULL) {
				long long bits = PyLong_AsLongLong(mask);
				Py_DECREF(mask);
				if (bits == -1 && PyErr_Occurred()) {
					r = -1;
				} else if (v < 0 || (v & ~bits) != 0) {
					r = mismatch(PYSPEC_EXC_VALUE, "must be a combination of %s's members: %lld has bits none of them has (0x%llx)",
						n, v, (unsigned long long)(v & ~bits));
				}
			} else if (r == 0) {
				PyErr_Clear(); // an IntEnum has no mask
			}
		}
	}
	Py_DECREF(name);
	return r;
}

PyObject* pyspec_from_enum(PyObject* cls, int64_t v) {
	PyObject* value = PyLong_FromLongLong(v);
	if (value == NULL) return NULL;
	PyObject* member = PyObject_CallFunctionObjArgs(cls, value, NULL);
	Py_DECREF(value);
	return member;
}

void pyspec_host_init(pyspec_host* host) {
	host->abi = PYSPEC_HOST_ABI;
	host->goptr_offset = offsetof(pyspec_object, goptr);
	host->cls_offset = offsetof(pyspec_object, cls);
	host->gen_offset = offsetof(pyspec_object, gen);
	host->pin_offset = offsetof(pyspec_object, pin);
	host->gen = pyspec_gen;
	host->raise = host_raise;
	host->claim = host_claim;
	host->decref = host_decref;
	host->write_unraisable = host_write_unraisable;
	host->save_thread = host_save_thread;
	host->restore_thread = host_restore_thread;
	host->none = pyspec_none;
	host->from_bool = pyspec_from_bool;
	host->from_int64 = pyspec_from_int64;
	host->from_uint64 = pyspec_from_uint64;
	host->from_float64 = pyspec_from_float64;
	host->text = host_text;
	host->list_of = host_list_of;
	host->list_new = host_list_new;
	host->list_set_text = host_list_set_text;
	host->tuple_steal = host_tuple_steal;
	host->interrupt_fd = -1;
}

// ---- async calls -----------------------------------------------------------

// Finished async calls wait here for the delivery thread, which takes the
// GIL, asks the Go part for each result and hands it to the future's event
// loop (call_soon_threadsafe). Go never waits for the GIL: a finished
// goroutine only appends to this queue, so 10,000 pending calls cost no
// OS thread each.
typedef struct {
	PyObject* fut;
	uint64_t token;
} ready_call;

static pthread_mutex_t ready_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_cv = PTHREAD_COND_INITIALIZER;
static ready_call* ready_q;
static size_t ready_n, ready_cap;
static int deliverer_started;
static uint64_t next_token;
static pyspec_async_hooks hooks;
static PyObject* async_helpers; // settle(fut, ok, value) and wrap(start), in Python

// The Python half: setting a result on a future must happen on its loop,
// and not on one already cancelled. An async call returns the coroutine
// wrap(start): as with any coroutine, nothing runs until it is awaited (or
// made a task); its first step starts the goroutine and awaits the future
// start returns.
static const char async_helpers_src[] =
	"def settle(fut, ok, value):\n"
	"    if not fut.cancelled():\n"
	"        if ok:\n"
	"            fut.set_result(value)\n"
	"        else:\n"
	"            fut.set_exception(value)\n"
	"async def wrap(start):\n"
	"    return await start()\n";

static void deliver(ready_call* calls, size_t n) {
	PyObject* settle = PyDict_GetItemString(async_helpers, "settle");
	for (size_t k = 0; k < n; k++) {
		PyObject* value = hooks.settle(calls[k].token);
		PyObject* ok = Py_True;
		if (value == NULL) {
			PyObject *type, *tb;
			PyErr_Fetch(&type, &value, &tb);
			PyErr_NormalizeException(&type, &value, &tb);
			if (tb != NULL && value != NULL) PyException_SetTraceback(value, tb);
			Py_XDECREF(type);
			Py_XDECREF(tb);
			if (value == NULL) value = Py_NewRef(Py_None);
			ok = Py_False;
		}
		PyObject* loop = PyObject_CallMethod(calls[k].fut, "get_loop", NULL);
		PyObject* r = loop ? PyObject_CallMethod(loop, "call_soon_threadsafe", "OOOO", settle, calls[k].fut, ok, value) : NULL;
		if (r == NULL) PyErr_Clear(); // the loop is closed: nobody awaits the result any more
		Py_XDECREF(r);
		Py_XDECREF(loop);
		Py_DECREF(value);
		Py_DECREF(calls[k].fut);
	}
}

static void* deliverer_main(void* arg) {
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&ready_mu);
		while (ready_n == 0) pthread_cond_wait(&ready_cv, &ready_mu);
		if (pyspec_finalizing()) {
			// Python is finalizing: results are dropped, the futures too.
			ready_n = 0;
			pthread_mutex_unlock(&ready_mu);
			continue;
		}
		ready_call* calls = ready_q;
		size_t n = ready_n;
		ready_q = NULL;
		ready_n = ready_cap = 0;
		pthread_mutex_unlock(&ready_mu);
		PyGILState_STATE g = PyGILState_Ensure();
		deliver(calls, n);
		PyGILState_Release(g);
		free(calls);
	}
	return NULL;
}

static void host_async_ready(PyObject* fut, uint64_t token) {
	pthread_mutex_lock(&ready_mu);
	if (ready_n == ready_cap) {
		size_t cap = ready_cap ? 2 * ready_cap : 64;
		ready_call* q = realloc(ready_q, cap * sizeof *q);
		if (q == NULL) { // out of memory: the call never completes
			pthread_mutex_unlock(&ready_mu);
			return;
		}
		ready_q = q;
		ready_cap = cap;
	}
	ready_q[ready_n++] = (ready_call){fut, token};
	if (!deliverer_started) deliverer_started = start_detached(deliverer_main);
	pthread_cond_signal(&ready_cv);
	pthread_mutex_unlock(&ready_mu);
}

// In a forked child the delivery thread is gone and the queue holds the
// parent's calls; the mutex may have been held by another thread.
static void async_after_fork(void) {
	pthread_mutex_init(&ready_mu, NULL);
	pthread_cond_init(&ready_cv, NULL);
	ready_q = NULL;
	ready_n = ready_cap = 0;
	deliverer_started = 0;
}


void pyspec_async_init(pyspec_host* host, pyspec_async_hooks h) {
	host->async_ready = host_async_ready;
	hooks = h;
}

static int async_helpers_load(void) {
	if (async_helpers != NULL) return 0;
	PyObject* code = Py_CompileString(async_helpers_src, "<pyspec async>", Py_file_input);
	if (code == NULL) return -1;
	PyObject* globals = PyDict_New();
	PyObject* builtins = PyEval_GetBuiltins();
	if (globals == NULL || PyDict_SetItemString(globals, "__builtins__", builtins) < 0) {
		Py_XDECREF(globals);
		Py_DECREF(code);
		return -1;
	}
	PyObject* r = PyEval_EvalCode(code, globals, globals);
	Py_DECREF(code);
	if (r == NULL) {
		Py_DECREF(globals);
		return -1;
	}
	Py_DECREF(r);
	async_helpers = globals;
	return 0;
}

// on_done is the future's done callback: a cancelled call cancels the Go
// function's context. self is the call's token, as an int.
static PyObject* on_done(PyObject* self, PyObject* fut) {
	PyObject* cancelled = PyObject_CallMethod(fut, "cancelled", NULL);
	if (cancelled == NULL) return NULL;
	int t = PyObject_IsTrue(cancelled);
	Py_DECREF(cancelled);
	if (t > 0) hooks.cancel(PyLong_AsUnsignedLongLong(self));
	Py_RETURN_NONE;
}

static PyMethodDef on_done_def = {"_pyspec_on_done", on_done, METH_O, NULL};

// A pending call: its token and the Go runtime generation that holds its
// converted arguments. Freed with the coroutine; if the coroutine never
// ran, the Go part drops the call.
typedef struct {
	uint64_t token;
	uint32_t gen;
	int started;
} pending_call;

static void pending_free(PyObject* capsule) {
	pending_call* p = PyCapsule_GetPointer(capsule, "pyspec.call");
	if (p == NULL) {
		PyErr_Clear();
		return;
	}
	if (!p->started && p->gen == pyspec_gen) hooks.discard(p->token);
	PyMem_Free(p);
}

// start_call is the coroutine's first step: the future on the running
// loop, then the goroutine.
static PyObject* start_call(PyObject* capsule, PyObject* unused) {
	(void)unused;
	pending_call* p = PyCapsule_GetPointer(capsule, "pyspec.call");
	if (p == NULL) return NULL;
	if (p->started) {
		PyErr_SetString(PyExc_RuntimeError, "pyspec: an async call started twice");
		return NULL;
	}
	if (p->gen != pyspec_gen) {
		PyErr_SetString(PyExc_RuntimeError, "this async call was made before os.fork(), in the parent process; call the function again in the child");
		return NULL;
	}
	PyObject* asyncio = PyImport_ImportModule("asyncio");
	if (asyncio == NULL) return NULL;
	PyObject* loop = PyObject_CallMethod(asyncio, "get_running_loop", NULL);
	Py_DECREF(asyncio);
	if (loop == NULL) return NULL;
	PyObject* fut = PyObject_CallMethod(loop, "create_future", NULL);
	Py_DECREF(loop);
	if (fut == NULL) return NULL;
	PyObject* key = PyLong_FromUnsignedLongLong(p->token);
	PyObject* cb = key ? PyCFunction_New(&on_done_def, key) : NULL;
	Py_XDECREF(key);
	PyObject* r = cb ? PyObject_CallMethod(fut, "add_done_callback", "O", cb) : NULL;
	Py_XDECREF(cb);
	if (r == NULL) {
		Py_DECREF(fut);
		return NULL;
	}
	Py_DECREF(r);
	p->started = 1;
	// The Go part keeps a reference to the future until async_ready.
	Py_INCREF(fut);
	if (hooks.start(fut, p->token) < 0) {
		Py_DECREF(fut);
		Py_DECREF(fut);
		return NULL;
	}
	return fut;
}

static PyMethodDef start_call_def = {"_pyspec_start", start_call, METH_NOARGS, NULL};

PyObject* pyspec_async_begin(uint64_t* token, const char* name) {
	if (async_helpers_load() < 0) return NULL;
	pending_call* p = PyMem_Malloc(sizeof *p);
	if (p == NULL) return PyErr_NoMemory();
	*token = ++next_token;
	*p = (pending_call){*token, pyspec_gen, 0};
	PyObject* capsule = PyCapsule_New(p, "pyspec.call", pending_free);
	if (capsule == NULL) {
		PyMem_Free(p);
		return NULL;
	}
	PyObject* start = PyCFunction_New(&start_call_def, capsule);
	Py_DECREF(capsule);
	if (start == NULL) return NULL;
	PyObject* coro = PyObject_CallFunctionObjArgs(PyDict_GetItemString(async_helpers, "wrap"), start, NULL);
	Py_DECREF(start);
	// Named after the call: "coroutine 'Accumulator.add_later' was never
	// awaited" says which.
	if (coro != NULL) {
		const char* dot = strrchr(name, '.');
		PyObject* short_name = PyUnicode_FromString(dot ? dot + 1 : name);
		PyObject* qualname = PyUnicode_FromString(name);
		if (short_name == NULL || qualname == NULL || PyObject_SetAttrString(coro, "__name__", short_name) < 0 ||
			PyObject_SetAttrString(coro, "__qualname__", qualname) < 0)
			PyErr_Clear();
		Py_XDECREF(short_name);
		Py_XDECREF(qualname);
	}
	return coro;
}

void pyspec_async_abandon(PyObject* coro) {
	PyObject *type, *value, *tb;
	PyErr_Fetch(&type, &value, &tb);
	PyObject* r = PyObject_CallMethod(coro, "close", NULL);
	if (r == NULL) PyErr_WriteUnraisable(coro);
	Py_XDECREF(r);
	Py_DECREF(coro);
	PyErr_Restore(type, value, tb);
}

// ---- Ctrl-C during a call --------------------------------------------------

// SIGINT is process-wide, and so is its handling: every pyspec module in the
// process, each built on its own with its own copy of this file, shares one
// record (a capsule in sys, made by the first module to need it). It holds
// the handler that was there before the outermost context call began, the
// depth of context calls across all modules, and the pipe of each module
// whose Go part waits for a Ctrl-C. So calls of several modules may nest and
// end in any order; the handler that was there comes back when the last
// ends. The handler is installed with SA_SIGINFO and forwards the real
// siginfo and context (Go's own handler, if the author's code used
// os/signal, needs both). The record is never freed: the handler it names
// stays in a library CPython never unloads.
#define PYSPEC_PROCESS_CAPSULE "_pyspec_process_v1"
#define PYSPEC_MAX_PIPES 256

typedef struct {
	uint32_t size; // sizeof(pyspec_process): a record of another layout is not shared
	int depth;     // context calls running, all modules; changed with the GIL held
	struct sigaction saved;
	volatile sig_atomic_t count; // Ctrl-Cs seen during context calls
	void (*handler)(int, siginfo_t*, void*);
	int npipes;
	int pipes[PYSPEC_MAX_PIPES]; // write ends, -1 when a module's is closed
	// Context calls running per module: a Ctrl-C reaches only the pipes of
	// modules inside one, so no module finds a stale byte at its next call.
	int active[PYSPEC_MAX_PIPES];
} pyspec_process;

static pyspec_process* process;
static int interrupt_slot = -1; // this module's index in process->pipes
static int interrupt_pipe[2] = {-1, -1};

static void on_sigint(int sig, siginfo_t* info, void* ctx) {
	pyspec_process* pr = process;
	pr->count++;
	int n = __atomic_load_n(&pr->npipes, __ATOMIC_ACQUIRE);
	for (int i = 0; i < n; i++) {
		int fd = __atomic_load_n(&pr->pipes[i], __ATOMIC_RELAXED);
		if (fd >= 0 && __atomic_load_n(&pr->active[i], __ATOMIC_RELAXED) > 0) {
			char b = 1;
			ssize_t r = write(fd, &b, 1); // non-blocking: a full pipe has news enough
			(void)r;
		}
	}
	// Then what Python (or whoever) had installed: Python's handler notes
	// the signal, and KeyboardInterrupt follows when the call returns.
	if (pr->saved.sa_flags & SA_SIGINFO) {
		if (pr->saved.sa_sigaction != NULL) pr->saved.sa_sigaction(sig, info, ctx);
	} else if (pr->saved.sa_handler == SIG_DFL) {
		signal(SIGINT, SIG_DFL);
		raise(SIGINT);
	} else if (pr->saved.sa_handler != SIG_IGN) {
		pr->saved.sa_handler(sig);
	}
}

static void process_free(PyObject* capsule) { (void)capsule; } // never: see above

// process_record finds or makes the process's record; NULL with an
// exception set. Called with the GIL held.
static pyspec_process* process_record(void) {
	if (process != NULL) return process;
	PyObject* sys = PyImport_ImportModule("sys");
	if (sys == NULL) return NULL;
	PyObject* cap = PyObject_GetAttrString(sys, PYSPEC_PROCESS_CAPSULE);
	pyspec_process* pr = NULL;
	if (cap != NULL) {
		pr = PyCapsule_GetPointer(cap, PYSPEC_PROCESS_CAPSULE);
		Py_DECREF(cap);
		if (pr != NULL && pr->size != sizeof(pyspec_process)) {
			PyErr_Format(PyExc_ImportError, "another pyspec module in this process was built by a pyspec of another "
				"layout (sys.%s); rebuild the modules with one pyspec version", PYSPEC_PROCESS_CAPSULE);
			pr = NULL;
		}
	} else if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
		PyErr_Clear();
		pr = calloc(1, sizeof *pr);
		if (pr == NULL) {
			PyErr_NoMemory();
		} else {
			pr->size = sizeof *pr;
			pr->handler = on_sigint;
			cap = PyCapsule_New(pr, PYSPEC_PROCESS_CAPSULE, process_free);
			if (cap == NULL || PyObject_SetAttrString(sys, PYSPEC_PROCESS_CAPSULE, cap) < 0) {
				free(pr);
				pr = NULL;
			}
			Py_XDECREF(cap);
		}
	}
	Py_DECREF(sys);
	process = pr;
	return pr;
}

int pyspec_interrupt_init(pyspec_host* host) {
	pyspec_process* pr = process_record();
	if (pr == NULL) return -1;
	if (interrupt_pipe[0] >= 0) {
		// A forked child: the parent's pipe goes, the child gets its own.
		close(interrupt_pipe[0]);
		close(interrupt_pipe[1]);
		interrupt_pipe[0] = interrupt_pipe[1] = -1;
		if (interrupt_slot >= 0) __atomic_store_n(&pr->pipes[interrupt_slot], -1, __ATOMIC_RELEASE);
	}
	if (pipe2(interrupt_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		PyErr_SetFromErrno(PyExc_OSError);
		return -1;
	}
	if (interrupt_slot < 0) {
		if (pr->npipes == PYSPEC_MAX_PIPES) {
			PyErr_Format(PyExc_ImportError, "more than %d pyspec modules with context calls in one process", PYSPEC_MAX_PIPES);
			return -1;
		}
		interrupt_slot = pr->npipes;
		pr->pipes[interrupt_slot] = interrupt_pipe[1];
		__atomic_store_n(&pr->npipes, interrupt_slot + 1, __ATOMIC_RELEASE);
	} else {
		__atomic_store_n(&pr->pipes[interrupt_slot], interrupt_pipe[1], __ATOMIC_RELEASE);
	}
	host->interrupt_fd = interrupt_pipe[0];
	return 0;
}

uint64_t pyspec_interrupt_enter(void) {
	// Called with the GIL: the depths need no lock (the handler only reads).
	pyspec_process* pr = process;
	__atomic_add_fetch(&pr->active[interrupt_slot], 1, __ATOMIC_RELEASE);
	if (pr->depth++ == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = pr->handler;
		sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGINT, &sa, &pr->saved) == 0 &&
			!(pr->saved.sa_flags & SA_SIGINFO) && pr->saved.sa_handler == SIG_IGN)
			sigaction(SIGINT, &pr->saved, NULL); // Ctrl-C is ignored here: leave it so
	}
	return (uint64_t)pr->count;
}

int pyspec_interrupt_leave(uint64_t before, int status) {
	pyspec_process* pr = process;
	__atomic_sub_fetch(&pr->active[interrupt_slot], 1, __ATOMIC_RELEASE);
	if (--pr->depth == 0) {
		// Put back what was there, unless somebody (signal.signal in a
		// callback) has installed a handler of their own since.
		struct sigaction now;
		if (sigaction(SIGINT, NULL, &now) == 0 && (now.sa_flags & SA_SIGINFO) && now.sa_sigaction == pr->handler)
			sigaction(SIGINT, &pr->saved, NULL);
	}
	if ((uint64_t)pr->count == before) return status;
	// Ctrl-C during the call: Python's handler raises KeyboardInterrupt in
	// the main thread; elsewhere the call keeps its own outcome.
	PyObject *type = NULL, *value = NULL, *tb = NULL;
	if (status < 0) PyErr_Fetch(&type, &value, &tb);
	if (PyErr_CheckSignals() < 0) {
		Py_XDECREF(type);
		Py_XDECREF(value);
		Py_XDECREF(tb);
		return -1;
	}
	if (status < 0) PyErr_Restore(type, value, tb);
	return status;
}

// ---- loading the Go part -------------------------------------------------

// The Go part's file, kept open from the first load: a forked child copies
// it from this descriptor, even if the file was replaced since.
static int go_fd = -1;
static char go_path[4096];

#ifdef __linux__
// private_copy makes an anonymous in-memory copy of the Go part (a memfd,
// else an unlinked temporary file) and returns a path the loader can open
// while fd stays open. The loader keys libraries by file identity, so the
// copy loads afresh instead of returning the parent's dead runtime.
static int private_copy(char* path, size_t size) {
	int fd = -1;
#ifdef SYS_memfd_create
	fd = (int)syscall(SYS_memfd_create, "pyspec-go", 1u /* MFD_CLOEXEC */);
#endif
	int tmp = 0;
	if (fd < 0) {
		const char* dir = getenv("TMPDIR");
		PyOS_snprintf(path, size, "%s/pyspec-go-XXXXXX", dir && *dir ? dir : "/tmp");
		fd = mkstemp(path);
		if (fd < 0) return -1;
		tmp = 1;
	}
	off_t off = 0;
	for (;;) {
		ssize_t n = sendfile(fd, go_fd, &off, 1 << 30);
		if (n == 0) break;
		if (n < 0) {
			if (errno == EINTR) continue;
			// sendfile may not support this pair: copy by hand.
			char buf[1 << 16];
			for (;;) {
				ssize_t r = pread(go_fd, buf, sizeof buf, off);
				if (r == 0) break;
				if (r < 0) {
					if (errno == EINTR) continue;
					goto fail;
				}
				for (ssize_t w = 0; w < r;) {
					ssize_t k = write(fd, buf + w, r - w);
					if (k < 0) {
						if (errno == EINTR) continue;
						goto fail;
					}
					w += k;
				}
				off += r;
			}
			break;
		}
	}
	// The loader takes a library already loaded under the same name for this
	// one: a forked parent's copy may have been loaded as /proc/self/fd/N
	// with the same N, so the name carries the process id too.
	if (!tmp) PyOS_snprintf(path, size, "/proc/%d/fd/%d", (int)getpid(), fd);
	return fd;
fail:
	if (tmp) unlink(path);
	close(fd);
	return -1;
}
#endif

int pyspec_go_load(const char* name, const void* anchor, const pyspec_host* host, void* api, uint64_t abi_hash) {
	own_module = name;
	void* handle = NULL;
	if (go_fd < 0) {
		Dl_info info;
		if (!dladdr(anchor, &info) || info.dli_fname == NULL) {
			PyErr_Format(PyExc_ImportError, "module %s: cannot tell which file it was loaded from, so its Go part cannot be found", name);
			return -1;
		}
		const char* slash = strrchr(info.dli_fname, '/');
		int dirlen = slash ? (int)(slash - info.dli_fname) : 1;
		PyOS_snprintf(go_path, sizeof go_path, "%.*s/%s.go.so", dirlen, slash ? info.dli_fname : ".", name);
		go_fd = open(go_path, O_RDONLY | O_CLOEXEC);
		if (go_fd < 0) {
			PyErr_Format(PyExc_ImportError, "module %s: its Go part %s cannot be opened (%s); it is built beside the extension by pyspec compile",
				name, go_path, strerror(errno));
			return -1;
		}
		handle = dlopen(go_path, RTLD_NOW | RTLD_LOCAL);
	} else {
#ifdef __linux__
		char path[4096];
		int fd = private_copy(path, sizeof path);
		if (fd < 0) {
			PyErr_Format(PyExc_ImportError, "module %s: cannot copy its Go part %s for this forked process (%s)", name, go_path, strerror(errno));
			return -1;
		}
		handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		// The descriptor stays open for as long as the copy is loaded (for
		// good: nothing unloads it). Closed, its number could name another
		// module's copy next, and the loader would hand back this one for it.
		if (strncmp(path, "/proc/", 6) != 0) {
			unlink(path);
			close(fd);
		}
#else
		PyErr_Format(PyExc_RuntimeError, "module %s: its Go runtime does not survive fork() on this platform; "
			"use the 'spawn' or 'forkserver' start method", name);
		return -1;
#endif
	}
	if (handle == NULL) {
		const char* why = dlerror();
		PyErr_Format(PyExc_ImportError, "module %s: cannot load its Go part %s: %s", name, go_path, why ? why : "unknown error");
		return -1;
	}
	char sym[256];
	PyOS_snprintf(sym, sizeof sym, "pyspec_go_%s", name);
	pyspec_go_entry entry = (pyspec_go_entry)dlsym(handle, sym);
	if (entry == NULL) {
		PyErr_Format(PyExc_ImportError, "module %s: %s is not its Go part (no %s)", name, go_path, sym);
		return -1;
	}
	// Each Go part gets a host record of its own, stamped with its own
	// generation: a forked child that loads its copy while the parent's Go
	// part is still on the stack (a fork inside a callback) leaves the
	// parent's part stamping the parent's generation, which the child treats
	// as stale. One record a load, kept for good like the library.
	pyspec_host* own = malloc(sizeof *own);
	if (own == NULL) {
		PyErr_NoMemory();
		return -1;
	}
	*own = *host;
	own->gen = pyspec_gen;
	if (entry(own, api, abi_hash) != 0) {
		PyErr_Format(PyExc_ImportError, "module %s: its Go part %s was built from another spec or pyspec version; rebuild the module", name, go_path);
		return -1;
	}
	return 0;
}

static void (*fork_reset)(void);

static void child_after_fork(void) {
	pyspec_gen++;
	async_after_fork();
	objects_after_fork();
	if (fork_reset) fork_reset();
}

void pyspec_at_fork(void (*reset)(void)) {
	if (fork_reset == NULL) {
		fork_reset = reset;
		pthread_atfork(NULL, NULL, child_after_fork);
	}
}

// ---- GoBuffer -----------------------------------------------------------

// A GoBuffer keeps a copy of the export's description: its views are
// described from it with no call into Go. The Go part holds the pin; the
// GoBuffer's death releases it (unless a fork made it the parent's).
typedef struct {
	PyObject_HEAD
	pyspec_export_desc d; // pinned Go memory; the Go part unpins d.token when the GoBuffer dies
	uint32_t gen;
	PyObject* weakrefs;
} gobuffer;

static int (*gobuffer_release)(uintptr_t token);
static char gobuffer_name[256]; // "<module>.GoBuffer": the type keeps the pointer

PyObject* pyspec_gobuffer_new(PyTypeObject* type, const pyspec_export_desc* d) {
	gobuffer* b = (gobuffer*)PyType_GenericAlloc(type, 0);
	if (b == NULL) return NULL;
	b->d = *d;
	b->gen = pyspec_gen;
	return (PyObject*)b;
}

static int gobuffer_getbuffer(PyObject* self, Py_buffer* view, int flags) {
	return pyspec_fill_export(view, self, &((gobuffer*)self)->d, flags, 0);
}

static void gobuffer_releasebuffer(PyObject* self, Py_buffer* view) {
	int current;
	(void)self;
	pyspec_export_release(view, &current); // the GoBuffer holds the pin, not its views
}

static void gobuffer_dealloc(PyObject* self) {
	gobuffer* b = (gobuffer*)self;
	PyTypeObject* type = Py_TYPE(self);
	if (b->gen == pyspec_gen) {
		PyObject *t, *v, *tb;
		PyErr_Fetch(&t, &v, &tb);
		if (gobuffer_release(b->d.token) < 0) PyErr_WriteUnraisable(NULL);
		PyErr_Restore(t, v, tb);
	}
	if (b->weakrefs != NULL) PyObject_ClearWeakRefs(self);
#ifdef Py_LIMITED_API
	((freefunc)PyType_GetSlot(type, Py_tp_free))(self);
#else
	type->tp_free(self);
#endif
	Py_DECREF(type);
}

static Py_ssize_t gobuffer_len(PyObject* self) {
	gobuffer* b = (gobuffer*)self;
	if (b->d.ndim == 0) {
		PyErr_SetString(PyExc_TypeError, "a 0-dimensional GoBuffer has no len()");
		return -1;
	}
	return b->d.shape[0];
}

static PyObject* gobuffer_nbytes(PyObject* self, void* c) { return PyLong_FromSsize_t(((gobuffer*)self)->d.len); }
static PyObject* gobuffer_itemsize(PyObject* self, void* c) { return PyLong_FromSsize_t(((gobuffer*)self)->d.itemsize); }
static PyObject* gobuffer_ndim(PyObject* self, void* c) { return PyLong_FromLong(((gobuffer*)self)->d.ndim); }
static PyObject* gobuffer_readonly(PyObject* self, void* c) { return PyBool_FromLong(((gobuffer*)self)->d.readonly); }

static PyObject* gobuffer_format(PyObject* self, void* c) {
	gobuffer* b = (gobuffer*)self;
	return PyUnicode_FromStringAndSize(b->d.format, b->d.format_len);
}

static PyObject* gobuffer_shape(PyObject* self, void* c) {
	gobuffer* b = (gobuffer*)self;
	PyObject* t = PyTuple_New(b->d.ndim);
	for (int k = 0; t != NULL && k < b->d.ndim; k++) {
		PyObject* n = PyLong_FromSsize_t(b->d.shape[k]);
		if (n == NULL) {
			Py_CLEAR(t);
			break;
		}
		PYSPEC_TUPLE_SET(t, k, n);
	}
	return t;
}

static PyObject* gobuffer_repr(PyObject* self) {
	gobuffer* b = (gobuffer*)self;
	PyObject* shape = gobuffer_shape(self, NULL);
	if (shape == NULL) return NULL;
	PyObject* r = PyUnicode_FromFormat("<%s of %zd bytes, format '%s', shape %R%s>", gobuffer_name, (Py_ssize_t)b->d.len,
		b->d.format, shape, b->d.readonly ? ", read-only" : "");
	Py_DECREF(shape);
	return r;
}

static PyObject* gobuffer_reduce_ex(PyObject* self, PyObject* protocol) {
	PyErr_Format(PyExc_TypeError, "cannot pickle '%s' object: it lends Go memory; copy it first (bytes(b), numpy.array(b))", gobuffer_name);
	return NULL;
}

static PyGetSetDef gobuffer_getset[] = {
	{"nbytes", gobuffer_nbytes, NULL, "The length of the memory in bytes.", NULL},
	{"itemsize", gobuffer_itemsize, NULL, "The size of one element in bytes.", NULL},
	{"ndim", gobuffer_ndim, NULL, "The number of dimensions.", NULL},
	{"format", gobuffer_format, NULL, "The element format, as the struct module writes it.", NULL},
	{"shape", gobuffer_shape, NULL, "The number of elements along each dimension.", NULL},
	{"readonly", gobuffer_readonly, NULL, "Whether Python may not write through its views.", NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

static PyMethodDef gobuffer_methods[] = {
	{"__reduce_ex__", (PyCFunction)(void (*)(void))gobuffer_reduce_ex, METH_O, NULL},
	{NULL, NULL, 0, NULL},
};

static PyMemberDef gobuffer_members[] = {
	{"__weaklistoffset__", T_PYSSIZET, offsetof(gobuffer, weakrefs), READONLY, NULL},
	{NULL, 0, 0, 0, NULL},
};

static PyType_Slot gobuffer_slots[] = {
	{Py_tp_doc, "Go memory lent to Python without a copy: what a function returning buffer returns.\n"
		"It exports the memory through the buffer protocol (memoryview, bytes, numpy.asarray), which stays\n"
		"valid while the GoBuffer or any view of it lives."},
	{Py_tp_dealloc, gobuffer_dealloc},
	{Py_tp_repr, gobuffer_repr},
	{Py_tp_getset, gobuffer_getset},
	{Py_tp_methods, gobuffer_methods},
	{Py_tp_members, gobuffer_members},
	{Py_bf_getbuffer, gobuffer_getbuffer},
	{Py_bf_releasebuffer, gobuffer_releasebuffer},
	{Py_mp_length, gobuffer_len},
	{Py_sq_length, gobuffer_len},
	{0, NULL},
};

static PyType_Spec gobuffer_spec = {
	.name = gobuffer_name,
	.basicsize = sizeof(gobuffer),
	.flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION,
	.slots = gobuffer_slots,
};

PyType_Spec* pyspec_gobuffer_spec(const char* module, int (*release)(uintptr_t token)) {
	PyOS_snprintf(gobuffer_name, sizeof gobuffer_name, "%s.GoBuffer", module);
	gobuffer_release = release;
	return &gobuffer_spec;
}
