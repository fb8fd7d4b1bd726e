// pyspec's C runtime for the C part of a module (see pyspec.h), one file
// per concern in codegen/static/rt, joined into the build's pyspec_rt.c in
// the order codegen's rtParts lists (this file first: the includes and the
// helpers every part uses). Part of pyspec; copied into each build unchanged.
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

// pyspec_free_instance ends the dealloc of an instance of a heap type:
// clears its weak references, frees it, and drops its type's reference.
void pyspec_free_instance(PyObject* self, PyObject* weakrefs) {
	PyTypeObject* type = Py_TYPE(self);
	if (weakrefs != NULL) PyObject_ClearWeakRefs(self);
#ifdef Py_LIMITED_API
	((freefunc)PyType_GetSlot(type, Py_tp_free))(self);
#else
	type->tp_free(self);
#endif
	Py_DECREF(type);
}
