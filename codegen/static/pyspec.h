// pyspec's C runtime for the C part of a module: argument parsing,
// conversions, buffer views and exports, errors, and the loading of the Go
// part. Part of pyspec; copied into each build unchanged. Builds against the
// full C API or the Limited API (Py_LIMITED_API >= 3.11).
#ifndef PYSPEC_H
#define PYSPEC_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <pthread.h>
#include "pyspec_abi.h"

// What the Limited API spells as functions, the full API has as macros.
#ifdef Py_LIMITED_API
#define PYSPEC_TUPLE_SIZE(t) PyTuple_Size(t)
#define PYSPEC_TUPLE_ITEM(t, i) PyTuple_GetItem(t, i)
#define PYSPEC_TUPLE_SET(t, i, v) PyTuple_SetItem(t, i, v)
#define PYSPEC_LIST_SET(l, i, v) PyList_SetItem(l, i, v)
#define PYSPEC_LIST_GET(l, i) PyList_GetItem(l, i)
#define PYSPEC_FLOAT_VALUE(o) PyFloat_AsDouble(o)
#else
#define PYSPEC_TUPLE_SIZE(t) PyTuple_GET_SIZE(t)
#define PYSPEC_TUPLE_ITEM(t, i) PyTuple_GET_ITEM(t, i)
#define PYSPEC_TUPLE_SET(t, i, v) PyTuple_SET_ITEM(t, i, v)
#define PYSPEC_LIST_SET(l, i, v) PyList_SET_ITEM(l, i, v)
#define PYSPEC_LIST_GET(l, i) PyList_GET_ITEM(l, i)
#define PYSPEC_FLOAT_VALUE(o) PyFloat_AS_DOUBLE(o)
#endif

#if defined(__GNUC__)
#define PYSPEC_LIKELY(x) __builtin_expect(!!(x), 1)
#define PYSPEC_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define PYSPEC_LIKELY(x) (x)
#define PYSPEC_UNLIKELY(x) (x)
#endif

// How a parameter may be passed.
// *args and **kwargs collect what no other parameter takes: a new tuple and
// a new dict in the parsed arguments (NULL when there is nothing), which
// the caller releases.
enum { PYSPEC_POS_OR_KW = 0, PYSPEC_POS_ONLY = 1, PYSPEC_KW_ONLY = 2, PYSPEC_VAR_POS = 3, PYSPEC_VAR_KW = 4 };

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
	int varpos; // index of the *args parameter, or -1
	int varkw;  // index of the **kwargs parameter, or -1
} pyspec_sig;

// Every instance of a module's classes: a pinned pointer to the Go value,
// the index of its Go type (the class that made it), and the generation of
// the Go runtime that made it. gen is 0 before __init__; a forked child
// starts a new generation, so values of the parent's runtime are told apart.
typedef struct {
	PyObject_HEAD
	void* goptr;
	int32_t cls;
	uint32_t gen;
	uint32_t pin; // the Go part's pin of goptr
	uint32_t unused;
	PyObject* weakrefs;
} pyspec_object;

// An instance of a class with `lock: true`: a re-entrant per-object lock.
// (A zeroed pthread mutex is an unlocked one, as allocation leaves it.)
typedef struct {
	pyspec_object base;
	pthread_mutex_t mu;
	unsigned long owner; // the thread holding it, when depth > 0
	int depth;
	uint32_t gen; // the generation (process) the mutex's state belongs to
} pyspec_locked;

// A fixed export (`buffer: {fixed: true}`): the first export of an object,
// kept in C so that later views are made without calling Go or allocating
// (exports.c). Refcounted: the object holds it until it is deallocated or
// __init__ gives it another Go value, and each view made from it holds it;
// the last holder gives the Go pin back.
typedef struct pyspec_export_cache pyspec_export_cache;

// An instance of a class with a fixed export, or below one (whose inherited
// getbuffer uses the cache too). The cache comes last, after the lock if
// any: a class and its derived ones are all locked or none (spec).
typedef struct {
	pyspec_object base;
	pyspec_export_cache* export;
} pyspec_fixed;

typedef struct {
	pyspec_locked base;
	pyspec_export_cache* export;
} pyspec_locked_fixed;

// The generation of the Go part now in use; bumped in a forked child.
extern uint32_t pyspec_gen;

// pyspec_finalizing reports, without the GIL, whether the interpreter is
// finalizing: past atexit, threads that ask for the GIL are stopped.
int pyspec_finalizing(void);

// pyspec_lock_stuck raises the error of a lock that cannot be had.
int pyspec_lock_stuck(PyObject* self);

// pyspec_lock takes the object's lock, releasing the GIL while it waits:
// the holder may be a nogil call that needs the GIL to finish. It is called
// with the GIL, so a forked child's first lock of an object can start its
// mutex afresh (a thread of the parent may have held it at fork(), and that
// thread does not exist here). While Python finalizes it never waits: the
// holder may be a thread Python has stopped; -1 then, with an exception.
static inline int pyspec_lock(PyObject* self) {
	pyspec_locked* o = (pyspec_locked*)self;
	if (PYSPEC_UNLIKELY(o->gen != pyspec_gen)) {
		memset(&o->mu, 0, sizeof o->mu);
		o->owner = 0;
		o->depth = 0;
		o->gen = pyspec_gen;
	}
	unsigned long me = PyThread_get_thread_ident();
	if (__atomic_load_n(&o->depth, __ATOMIC_RELAXED) > 0 && __atomic_load_n(&o->owner, __ATOMIC_RELAXED) == me) {
		o->depth++;
		return 0;
	}
	if (pthread_mutex_trylock(&o->mu) != 0) {
		if (pyspec_finalizing()) return pyspec_lock_stuck(self);
		Py_BEGIN_ALLOW_THREADS
		pthread_mutex_lock(&o->mu);
		Py_END_ALLOW_THREADS
	}
	__atomic_store_n(&o->owner, me, __ATOMIC_RELAXED);
	__atomic_store_n(&o->depth, 1, __ATOMIC_RELAXED);
	return 0;
}

static inline void pyspec_unlock(PyObject* self) {
	pyspec_locked* o = (pyspec_locked*)self;
	if (o->depth > 0 && --o->depth == 0) {
		__atomic_store_n(&o->owner, 0, __ATOMIC_RELAXED);
		pthread_mutex_unlock(&o->mu);
	}
}

// pyspec_stale raises the error of an instance whose Go value is unusable:
// not initialized, or made by a Go runtime that did not survive fork().
PyObject* pyspec_stale(PyObject* self);
int pyspec_object_mismatch(PyObject* o, PyTypeObject* type, const pyspec_sig* sig, int i);

static inline int pyspec_conv_object(PyObject* o, pyspec_ref* out, PyTypeObject* type, const pyspec_sig* sig, int i) {
	if (!PyObject_TypeCheck(o, type) || ((pyspec_object*)o)->gen != pyspec_gen) return pyspec_object_mismatch(o, type, sig, i);
	out->goptr = ((pyspec_object*)o)->goptr;
	out->cls = ((pyspec_object*)o)->cls;
	return 0;
}

// A buffer acquired for one call: the Py_buffer stays in C, Go reads the
// descriptor of the argument struct.
typedef struct {
	Py_buffer view;
	int acquired;
	pyspec_ssize fill[PYSPEC_MAX_NDIM + 1];
} pyspec_view;

int pyspec_sig_init(pyspec_sig* sig);

// Python objects for the Go part: fills the host table's object services.
int pyspec_objects_init(pyspec_host* host);

// pyspec_objects_tick drops the references Go let go of from other threads
// (GIL held): cheap when there are none.
extern int pyspec_later_pending;
void pyspec_drain_later(void);
static inline void pyspec_objects_tick(void) {
	if (PYSPEC_UNLIKELY(__atomic_load_n(&pyspec_later_pending, __ATOMIC_RELAXED))) pyspec_drain_later();
}
int pyspec_to_instance(PyObject* o, PyTypeObject* type, pyspec_ref* out);
int pyspec_to_enum(PyObject* o, PyObject* cls, int64_t* out);
PyObject* pyspec_from_enum(PyObject* cls, int64_t v);
// pyspec_exec_source runs Python source in a namespace named like the
// module and adds the names it defines to the module.
int pyspec_exec_source(PyObject* module, const char* src, const char* const* names);
// pyspec_make_enum makes an enum.IntEnum (IntFlag with flag) of the module.
PyObject* pyspec_make_enum(PyObject* module, const char* name, const char* doc, int flag, const char* const* names, const int64_t* values);
int pyspec_parse(const pyspec_sig* sig, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames, PyObject** out);
int pyspec_parse_tuple(const pyspec_sig* sig, PyObject* args, PyObject* kwargs, PyObject** out);
// pyspec_parse_release drops the *args tuple and **kwargs dict of out.
static inline void pyspec_parse_release(const pyspec_sig* sig, PyObject** out) {
	if (sig->varpos >= 0) Py_CLEAR(out[sig->varpos]);
	if (sig->varkw >= 0) Py_CLEAR(out[sig->varkw]);
}

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
int pyspec_conv_float16(PyObject* o, uint16_t* out, const pyspec_sig* sig, int i);
// Half precision (numpy's float16, struct's 'e') to and from double.
double pyspec_half_to_double(uint16_t h);
int pyspec_conv_float64(PyObject* o, double* out, const pyspec_sig* sig, int i);
int pyspec_conv_str(PyObject* o, pyspec_bytes* out, const pyspec_sig* sig, int i);
int pyspec_conv_bytes(PyObject* o, pyspec_bytes* out, const pyspec_sig* sig, int i);
int pyspec_conv_list(PyObject* o, pyspec_list* out, int code, int form, const pyspec_sig* sig, int i);
void pyspec_list_release(pyspec_list* l);
int pyspec_buffer_refused(PyObject* o, int flags, const pyspec_sig* sig, int i);
int pyspec_buffer_unusable(pyspec_view* v, int elem, const pyspec_sig* sig, int i);
void pyspec_view_contiguity(pyspec_view* v, pyspec_desc* d);

// Element sizes by code (pyspec_bytes for str and bytes).
static const size_t pyspec_elem_sizes[] = {
	[PYSPEC_T_BOOL] = 1, [PYSPEC_T_INT8] = 1, [PYSPEC_T_INT16] = 2, [PYSPEC_T_INT32] = 4, [PYSPEC_T_INT64] = 8,
	[PYSPEC_T_UINT8] = 1, [PYSPEC_T_UINT16] = 2, [PYSPEC_T_UINT32] = 4, [PYSPEC_T_UINT64] = 8,
	[PYSPEC_T_FLOAT32] = 4, [PYSPEC_T_FLOAT64] = 8, [PYSPEC_T_STR] = sizeof(pyspec_bytes), [PYSPEC_T_BYTES] = sizeof(pyspec_bytes),
	[PYSPEC_T_FLOAT16] = 2,
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
	switch (f[0]) {
	case '?': return PYSPEC_T_BOOL;
	case 'b': return PYSPEC_T_INT8;
	case 'B': return PYSPEC_T_UINT8;
	case 'h': code = PYSPEC_T_INT16; break;
	case 'H': code = PYSPEC_T_UINT16; break;
	case 'i': code = PYSPEC_T_INT32; break;
	case 'I': code = PYSPEC_T_UINT32; break;
	case 'l': code = (native ? sizeof(long) : 4) == 8 ? PYSPEC_T_INT64 : PYSPEC_T_INT32; break;
	case 'L': code = (native ? sizeof(long) : 4) == 8 ? PYSPEC_T_UINT64 : PYSPEC_T_UINT32; break;
	case 'q': code = PYSPEC_T_INT64; break;
	case 'Q': code = PYSPEC_T_UINT64; break;
	case 'n': if (!native) return -1; code = sizeof(Py_ssize_t) == 8 ? PYSPEC_T_INT64 : PYSPEC_T_INT32; break;
	case 'N': if (!native) return -1; code = sizeof(size_t) == 8 ? PYSPEC_T_UINT64 : PYSPEC_T_UINT32; break;
	case 'e': code = PYSPEC_T_FLOAT16; break;
	case 'f': code = PYSPEC_T_FLOAT32; break;
	case 'd': code = PYSPEC_T_FLOAT64; break;
	default: return -1;
	}
	return swapped ? -1 : code;
}

// The shape a buffer parameter must have (spec `ndim:` or `shape:`): ndim
// dimensions, each a size >= 0, -1 for any, or -2 - k for the named size k,
// which every dimension of that name, of any parameter, must agree on.
typedef struct {
	int ndim;
	const Py_ssize_t* dims;
	const char* const* names; // the named sizes, by k
	const char* text;         // as the spec writes it: "(n, 3)"
} pyspec_shape;

// A named size in one call: the size, and the parameter that set it (-1:
// none yet).
typedef struct {
	Py_ssize_t size;
	int from;
} pyspec_named_dim;

// pyspec_check_shape checks the view d describes (argument i) against want;
// on a mismatch it raises ValueError and releases the view.
int pyspec_check_shape(pyspec_view* v, const pyspec_desc* d, const pyspec_shape* want, pyspec_named_dim* named, const pyspec_sig* sig, int i);

// pyspec_conv_buffer acquires o's buffer with the request flags into v and
// describes it in d for Go; when elem >= 0 it checks that the elements are
// of that code. Inline: it runs on every call with a buffer argument; the
// error paths are out of line.
static inline int pyspec_conv_buffer(PyObject* o, pyspec_view* v, pyspec_desc* d, int flags, int elem, const pyspec_sig* sig, int i) {
	Py_buffer* b = &v->view;
	v->acquired = 0;
	if (PyObject_GetBuffer(o, b, flags) < 0) return pyspec_buffer_refused(o, flags, sig, i);
	if (b->ndim > PYSPEC_MAX_NDIM || b->ndim < 0 ||
		(elem >= 0 && (pyspec_format_code(b->format) != elem || b->itemsize != (Py_ssize_t)pyspec_elem_sizes[elem])))
		return pyspec_buffer_unusable(v, elem, sig, i);
	v->acquired = 1;
	d->buf = b->buf;
	d->len = b->len;
	d->itemsize = b->itemsize;
	d->ndim = b->ndim;
	d->readonly = b->readonly;
	d->format = b->format;
	d->suboffsets = b->suboffsets;
	// A scalar (a 0-d array) has no shape and no dimensions: one item.
	// Otherwise, without ND the view is flat: one dimension, of bytes
	// unless FORMAT was asked for too (the exporter's own fields stay as it
	// set them).
	if (b->shape == NULL && b->ndim == 0) {
		d->shape = v->fill;
	} else if (b->shape == NULL) {
		if (!(flags & PyBUF_FORMAT) || d->itemsize <= 0) d->itemsize = 1;
		v->fill[0] = b->len / d->itemsize;
		d->shape = v->fill;
		d->ndim = 1;
	} else {
		d->shape = b->shape;
	}
	if (b->strides == NULL) {
		// C-contiguous: fill strides from the shape.
		pyspec_ssize* s = v->fill + 1;
		pyspec_ssize step = d->itemsize;
		for (int k = d->ndim - 1; k >= 0; k--) {
			s[k] = step;
			step *= d->shape[k];
		}
		d->strides = s;
		d->contiguous = d->ndim <= 1 ? 3 : 1;
	} else {
		d->strides = b->strides;
		pyspec_view_contiguity(v, d);
	}
	return 0;
}

// pyspec_conv_buffer_of is pyspec_conv_buffer for a parameter that takes
// buffers of several element types: the codes in mask (bit k: code k).
// The call's buffers must share one (agree: a TypeError names the one that
// set it); it checks shape too (if not NULL).
int pyspec_conv_buffer_of(PyObject* o, pyspec_view* v, pyspec_desc* d, int flags, unsigned mask, pyspec_elem_agree* agree,
	const pyspec_shape* shape, pyspec_named_dim* named, const pyspec_sig* sig, int i);

// pyspec_conv_shaped_buffer is pyspec_conv_buffer for a parameter with a
// required shape, checked before the call.
static inline int pyspec_conv_shaped_buffer(PyObject* o, pyspec_view* v, pyspec_desc* d, int flags, int elem,
	const pyspec_shape* want, pyspec_named_dim* named, const pyspec_sig* sig, int i) {
	if (pyspec_conv_buffer(o, v, d, flags, elem, sig, i) < 0) return -1;
	return pyspec_check_shape(v, d, want, named, sig, i);
}

static inline void pyspec_view_release(pyspec_view* v) {
	if (v->acquired) {
		v->acquired = 0;
		PyBuffer_Release(&v->view);
	}
}

PyObject* pyspec_list_from(const void* items, Py_ssize_t n, int code);
// Item k of an array of scalars of element code `code`, as a Python object.
PyObject* pyspec_scalar_at(const void* items, Py_ssize_t k, int code);
PyObject* pyspec_list_new(Py_ssize_t n);
int pyspec_list_set_text(PyObject* list, Py_ssize_t i, const char* p, Py_ssize_t n, int code);
PyObject* pyspec_text_from(const char* p, Py_ssize_t n, int code);
PyObject* pyspec_tuple_steal(PyObject** items, Py_ssize_t n);

// The name of o's type as CPython's messages spell it (tp_name).
const char* pyspec_type_name(PyObject* o, char* buf, size_t size);

// Raise the Python exception of a py.ExcKind with a UTF-8 message.
void pyspec_raise(int kind, const char* msg, Py_ssize_t len);

// pyspec_fill_export fills view from what the Go part described. On a
// refusal it returns -1 with BufferError set; the caller then releases the
// export on the Go side, as for a released view.
int pyspec_fill_export(Py_buffer* view, PyObject* exporter, const pyspec_export_desc* d, int flags, uint32_t gen);
// pyspec_export_release frees what a view of an export owns and returns its
// token, or 0 when the view belongs to a Go runtime of before a fork().
uintptr_t pyspec_export_release(Py_buffer* view, int* current);
// pyspec_export_cache_new keeps the export d, pinned by the Go runtime of
// generation gen under d->token, for its object (the first holder). NULL
// with an exception when d is inconsistent or memory is short; the caller
// then releases d->token.
pyspec_export_cache* pyspec_export_cache_new(PyObject* exporter, const pyspec_export_desc* d, uint32_t gen);
// pyspec_fill_cached fills view from c, which the view then holds: no call
// into Go, no allocation. -1 with BufferError when flags ask for what the
// export is not (writable, Fortran order).
int pyspec_fill_cached(Py_buffer* view, PyObject* exporter, pyspec_export_cache* c, int flags);
// pyspec_view_cache is the cache a view holds, or NULL for a view that owns
// an export_info (pyspec_export_release).
static inline pyspec_export_cache* pyspec_view_cache(const Py_buffer* view) {
	uintptr_t p = (uintptr_t)view->internal;
	return (p & 1) ? (pyspec_export_cache*)(p - 1) : NULL;
}
// pyspec_export_cache_unref drops a holder of c. 1 when that was the last
// and the current Go runtime pinned the memory: the caller releases *token.
int pyspec_export_cache_unref(pyspec_export_cache* c, uintptr_t* token);

// Pickling: the __reduce_ex__ tuple (reconstructor new_fn, the class, the
// state, with a Python subclass's __dict__ alongside), the state of
// `pickle: attributes`, and the undoing of both in __setstate__.
PyObject* pyspec_reduce(PyObject* self, PyObject* state, PyObject* new_fn);
PyObject* pyspec_attributes_state(PyObject* self, const char* const* names);
int pyspec_split_state(PyObject** state, PyObject** extra);
int pyspec_restore_dict(PyObject* self, PyObject* extra);

static inline PyObject* pyspec_none(void) { return Py_NewRef(Py_None); }
static inline PyObject* pyspec_from_bool(int v) { return PyBool_FromLong(v); }
static inline PyObject* pyspec_from_int64(int64_t v) { return PyLong_FromLongLong(v); }
static inline PyObject* pyspec_from_uint64(uint64_t v) { return PyLong_FromUnsignedLongLong(v); }
static inline PyObject* pyspec_from_float64(double v) { return PyFloat_FromDouble(v); }
static inline PyObject* pyspec_from_float16(uint16_t v) { return PyFloat_FromDouble(pyspec_half_to_double(v)); }

// Fills the generic entries of a host table (the module adds its own).
void pyspec_host_init(pyspec_host* host);

// ---- async calls and Ctrl-C -----------------------------------------------

// What the C runtime asks of the module's Go part for async calls.
typedef struct {
	int (*start)(PyObject* fut, uint64_t token);  // run the call's goroutine; fut is the Go part's until async_ready
	void (*discard)(uint64_t token);               // the call's coroutine was dropped unstarted
	PyObject* (*settle)(uint64_t token);           // the finished call's result (GIL held)
	void (*cancel)(uint64_t token);                // its future was cancelled: cancel its context
} pyspec_async_hooks;

// pyspec_async_init sets up the delivery of async results.
void pyspec_async_init(pyspec_host* host, pyspec_async_hooks hooks);
// pyspec_async_begin makes the coroutine an async call returns, for the
// call the Go part has prepared under *token (set here): its first step
// makes a future on the running event loop and starts the goroutine.
PyObject* pyspec_async_begin(uint64_t* token, const char* name);
// pyspec_async_abandon drops the coroutine of a call Go refused (an
// argument it could not convert): closed first, so that Python does not
// also warn that it was never awaited. The pending exception is kept.
void pyspec_async_abandon(PyObject* coro);

// pyspec_interrupt_init makes the pipe through which a Ctrl-C reaches the
// contexts of running Go calls.
int pyspec_interrupt_init(pyspec_host* host);
// Around a call whose Go function takes a context: enter installs a SIGINT
// handler (chained to Python's) that cancels the context; leave restores
// Python's and, if Ctrl-C came during the call, makes it end with
// KeyboardInterrupt (in the main thread) whatever Go returned.
uint64_t pyspec_interrupt_enter(void);
int pyspec_interrupt_leave(uint64_t before, int status);

// ---- the Go part ----------------------------------------------------------

// pyspec_go_load loads the Go part of module `name` (the file
// <name>.go.so beside the extension that holds `anchor`) and calls its entry
// point `pyspec_go_<name>` with the host table and the API table to fill.
// In a forked child it loads a private copy of the file: the parent's Go
// runtime cannot run there. Returns 0, or -1 with ImportError set.
typedef int (*pyspec_go_entry)(const pyspec_host* host, void* api, uint64_t abi_hash);
int pyspec_go_load(const char* name, const void* anchor, const pyspec_host* host, void* api, uint64_t abi_hash);

// pyspec_at_fork registers, once per process, what a child made by fork()
// does first: start a new generation (pyspec_gen) and call reset, which
// points the module's API table at stubs that load the Go part again on
// first use. reset runs in the child right after fork: no Python, no locks.
void pyspec_at_fork(void (*reset)(void));

// The end of a heap type instance's dealloc: weak references, tp_free, and
// the type's reference.
void pyspec_free_instance(PyObject* self, PyObject* weakrefs);

// GoBuffer: the Go memory a function's buffer result lends, without a copy
// (pinned by the Go part until the GoBuffer dies). pyspec_gobuffer_spec is
// its type spec for module `module`, whose Go part's release(token) unpins
// the memory; pyspec_gobuffer_new makes one of a Go export.
PyType_Spec* pyspec_gobuffer_spec(const char* module, int (*release)(uintptr_t token));
PyObject* pyspec_gobuffer_new(PyTypeObject* type, const pyspec_export_desc* d);
// pyspec_as_ndarray is numpy.asarray(b) of the GoBuffer b (stolen), whose
// element code must be elem and, unless ndim is -1, its ndim: the array's
// base keeps b, and so the pinned Go memory, alive.
PyObject* pyspec_as_ndarray(PyObject* b, int elem, int ndim);

// GoIterator: the iterator an iterator[T] result is. pyspec_goiter_spec is
// its type spec for module `module`, whose Go part's pull fills the next
// batch (0; 1 when exhausted; -1 with an exception) and close(token) stops
// a sequence dropped before its end. pyspec_goiter_new makes one of the Go
// side's token, whose batches are lists, or arrays of scalars of element
// code `code` (>= 0) in memory the Go part owns. pyspec_zip_pairs makes
// the (k, v) items of an iterator[K, V]'s batch.
PyType_Spec* pyspec_goiter_spec(const char* module, int (*pull)(uintptr_t token, pyspec_iter_batch* b), void (*close)(uintptr_t token));
PyObject* pyspec_goiter_new(PyTypeObject* type, uintptr_t token, int code);
PyObject* pyspec_zip_pairs(PyObject* keys, PyObject* values);

// ---- numpy ufuncs (ufunc.c) ------------------------------------------------

// numpy's type numbers (its NPY_TYPES, the same in numpy 1.x and 2.x) of
// the dtypes a ufunc's loop takes, as Linux spells them: int64 is C long.
enum {
	PYSPEC_NPY_BOOL = 0, PYSPEC_NPY_INT8 = 1, PYSPEC_NPY_UINT8 = 2, PYSPEC_NPY_INT16 = 3,
	PYSPEC_NPY_UINT16 = 4, PYSPEC_NPY_INT32 = 5, PYSPEC_NPY_UINT32 = 6, PYSPEC_NPY_INT64 = 7,
	PYSPEC_NPY_UINT64 = 8, PYSPEC_NPY_FLOAT32 = 11, PYSPEC_NPY_FLOAT64 = 12,
	PYSPEC_NPY_COMPLEX128 = 15, PYSPEC_NPY_FLOAT16 = 23,
};

// A ufunc's inner loop, as numpy calls it (its PyUFuncGenericFunction):
// the operands' data pointers, the element count in dims[0], the strides.
typedef void (*pyspec_ufunc_loop)(char** args, const pyspec_ssize* dims, const pyspec_ssize* steps, void* data);

// pyspec_new_ufunc makes a numpy ufunc of one loop (numpy casts other
// dtypes to its types), importing numpy on first use.
PyObject* pyspec_new_ufunc(const char* module, pyspec_ufunc_loop* loop, void** data, const char* types,
	int nin, int nout, const char* name, const char* doc);

#endif
