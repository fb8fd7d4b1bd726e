// The interface between the two halves of a pyspec module. Part of pyspec;
// copied into each build unchanged.
//
// A module is a C part, the CPython extension (module.c, pyspec_rt.c), and a
// Go part, a c-shared library (glue.go) that the C part loads at import. The
// C part does all CPython work; the Go part calls the author's Go code. They
// meet through two tables of function pointers: the host table (Python
// services the Go part calls back, below) and the module's API table (one
// entry per Go entry point, in module.h). Nothing here includes Python.h:
// the Go part does not depend on the interpreter it runs in, and a process
// that forked can load a fresh copy of it (a Go runtime does not survive
// fork) and switch the tables.
#ifndef PYSPEC_ABI_H
#define PYSPEC_ABI_H

#include <stddef.h>
#include <stdint.h>

// Bumped whenever a structure below changes.
#define PYSPEC_HOST_ABI 3

// PyObject is opaque to the Go part. (The same declaration as Python.h's.)
typedef struct _object PyObject;

// Py_ssize_t, without Python.h.
typedef intptr_t pyspec_ssize;

// One batch of an iterator's items, filled by the Go part: a list, or
// for scalar items n of them in raw, memory the Go part owns and keeps
// until the next batch or the iterator's end.
typedef struct {
	PyObject* items;
	const void* raw;
	pyspec_ssize n;
} pyspec_iter_batch;

// Element codes for lists, results and buffer checks.
enum {
	PYSPEC_T_BOOL, PYSPEC_T_INT8, PYSPEC_T_INT16, PYSPEC_T_INT32, PYSPEC_T_INT64,
	PYSPEC_T_UINT8, PYSPEC_T_UINT16, PYSPEC_T_UINT32, PYSPEC_T_UINT64,
	PYSPEC_T_FLOAT32, PYSPEC_T_FLOAT64, PYSPEC_T_STR, PYSPEC_T_BYTES,
	PYSPEC_T_FLOAT16, // IEEE half precision, held as its 16 bits
};

// spec.SeqForm: what a list-like parameter takes (list[T], tuple[T, ...],
// iterable[T]); each is a Go []T.
enum {
	PYSPEC_SEQ_LIST, PYSPEC_SEQ_TUPLE, PYSPEC_SEQ_ITERABLE,
};

// The element type the buffer arguments of a call of a generic Go
// function share: its code (-1 until a buffer is given) and the parameter
// that set it. C checks each buffer against it; Go switches on the code.
typedef struct {
	int code;
	int from;
} pyspec_elem_agree;

// py.ExcKind: the built-in exception classes a Go error is raised as.
enum {
	PYSPEC_EXC_RUNTIME, PYSPEC_EXC_VALUE, PYSPEC_EXC_TYPE, PYSPEC_EXC_BUFFER, PYSPEC_EXC_OVERFLOW,
	PYSPEC_EXC_INDEX, PYSPEC_EXC_KEY, PYSPEC_EXC_NOT_IMPLEMENTED, PYSPEC_EXC_STOP_ITERATION,
	PYSPEC_EXC_ATTRIBUTE, PYSPEC_EXC_ZERO_DIVISION, PYSPEC_EXC_MEMORY,
};

// The status of a conversion for the Go part when the value is not of the
// type (or range) asked for: no exception is set, mismatch() says why.
// Other failures return -1 with a Python exception set.
#define PYSPEC_MISMATCH (-2)

// What kind_of tells a Python object to be, for conversions to Go's any.
enum {
	PYSPEC_K_OTHER, PYSPEC_K_NONE, PYSPEC_K_BOOL, PYSPEC_K_INT, PYSPEC_K_FLOAT, PYSPEC_K_COMPLEX,
	PYSPEC_K_STR, PYSPEC_K_BYTES, PYSPEC_K_LIST, PYSPEC_K_TUPLE, PYSPEC_K_DICT, PYSPEC_K_SET,
	PYSPEC_K_DATETIME, PYSPEC_K_TIMEDELTA, PYSPEC_K_INSTANCE,
};

// A datetime's fields; offset is its UTC offset in seconds.
typedef struct {
	int64_t year, month, day, hour, minute, second, microsecond, offset;
} pyspec_datetime;

// Text or bytes borrowed from a Python object alive for the whole call.
typedef struct {
	const char* ptr;
	pyspec_ssize len;
} pyspec_bytes;

// A converted list: an array of C elements (pyspec_bytes for str and
// bytes, whose memory the snapshot tuple `keep` holds).
typedef struct {
	void* items;
	pyspec_ssize len;
	PyObject* keep;
} pyspec_list;

// A converted instance argument: the Go value and its class index.
typedef struct {
	void* goptr;
	int32_t cls;
} pyspec_ref;

// What Go sees of an acquired buffer; the layout of pyimpl.CView (the Go
// part checks at compile time that the sizes agree).
typedef struct {
	void* buf;
	pyspec_ssize len;
	pyspec_ssize itemsize; // 1 for a flat view (no ND, no FORMAT)
	pyspec_ssize* shape;   // always set: filled in when the request had no ND
	pyspec_ssize* strides; // always set: filled in for C-contiguous views
	pyspec_ssize* suboffsets;
	const char* format;
	int32_t ndim;
	int32_t readonly;
	int32_t contiguous; // 1: C order, 2: Fortran order, 3: both, 0: neither
	int32_t unused;
} pyspec_desc;

#define PYSPEC_MAX_NDIM 64

// What Go hands back for one view of an export: C then fills the Py_buffer
// without another crossing.
typedef struct {
	void* buf; // pinned Go memory
	pyspec_ssize len;
	pyspec_ssize itemsize;
	int32_t readonly;
	int32_t ndim;
	uintptr_t token;
	pyspec_ssize format_len;
	char format[32];
	pyspec_ssize shape[PYSPEC_MAX_NDIM];
} pyspec_export_desc;

// Deallocated instances whose Go values are yet to be unbound: a dealloc
// queues its instance here instead of crossing into Go, and the Go part
// drains the queue before it looks up or binds a wrapper, and when the C part
// finds it full. Used with the GIL held.
#define PYSPEC_FREE_QUEUE 64
typedef struct {
	PyObject* self; // freed memory by now: a key, never dereferenced
	void* goptr;
	int32_t cls;
	uint32_t pin;
} pyspec_free;

typedef struct {
	int32_t n;
	uint32_t gen; // the generation of the Go part whose values these are
	pyspec_free items[PYSPEC_FREE_QUEUE];
} pyspec_free_queue;

// The Python services the Go part calls back. Every function is called with
// the GIL held, except save_thread's pair and gil_ensure.
typedef struct {
	uint32_t abi;           // PYSPEC_HOST_ABI
	uint32_t goptr_offset;  // where an instance keeps its Go pointer
	uint32_t cls_offset;    // and its class index
	uint32_t gen_offset;    // and its Go runtime generation
	uint32_t gen;           // the generation of this Go part
	uint32_t pin_offset;    // and the index of its pin
	uint32_t unused2;
	int32_t interrupt_fd; // read end of a pipe that gets a byte per Ctrl-C during a context call
	pyspec_free_queue* frees;

	// Raise the Python exception of a py.ExcKind, or a declared one.
	void (*raise)(int kind, const char* msg, pyspec_ssize len);
	void (*raise_declared)(int index, const char* msg, pyspec_ssize len);
	// A new, uninitialized instance of class index cls.
	PyObject* (*new_object)(int cls);
	// A new reference to o, unless o is being deallocated: then 0 (and o
	// must not be handed out).
	int (*claim)(PyObject* o);
	void (*decref)(PyObject* o);
	// Report the pending exception where it cannot be raised (a dealloc).
	void (*write_unraisable)(void);
	// Release and take back the GIL around a nogil call.
	void* (*save_thread)(void);
	void (*restore_thread)(void* tstate);

	// Results.
	PyObject* (*none)(void);
	PyObject* (*from_bool)(int v);
	PyObject* (*from_int64)(int64_t v);
	PyObject* (*from_uint64)(uint64_t v);
	PyObject* (*from_float64)(double v);
	PyObject* (*text)(const char* p, pyspec_ssize n, int code);
	PyObject* (*list_of)(const void* items, pyspec_ssize n, int code);
	PyObject* (*list_new)(pyspec_ssize n);
	int (*list_set_text)(PyObject* list, pyspec_ssize i, const char* p, pyspec_ssize n, int code);
	PyObject* (*tuple_steal)(PyObject** items, pyspec_ssize n);
	// A GoBuffer lending the pinned Go memory d describes (a buffer result).
	PyObject* (*new_buffer)(const pyspec_export_desc* d);
	// numpy.asarray(b) of a GoBuffer b (stolen), after checking its element
	// code and, unless ndim is -1, its ndim (an ndarray[T] result).
	PyObject* (*as_ndarray)(PyObject* b, int elem, int ndim);
	// A GoIterator over the Go side's iterator token (an iterator result;
	// code is the element code of scalar items, which come as arrays, or -1),
	// and the (k, v) 2-tuples of an iterator[K, V]'s batch, made of a list
	// of keys and one of values (both stolen).
	PyObject* (*new_iterator)(uintptr_t token, int code);
	PyObject* (*zip_pairs)(PyObject* keys, PyObject* values);

	// An async call's goroutine finished: the C part settles fut on its
	// event loop, asking the Go part for the result (async_settle) with the
	// GIL held. Called from any goroutine, without the GIL; does not block.
	void (*async_ready)(PyObject* fut, uint64_t token);

	// ---- Python objects in Go: py.Object and the conversions of
	// object, dict, set, struct, union, callable, enum and time types ----

	// Take the GIL from any thread (the Go part locks the goroutine to its
	// OS thread first): PyGILState_Ensure's state, or -1 once Python has
	// begun to exit (the GIL is then not taken).
	int (*gil_ensure)(void);
	void (*gil_release)(int state);
	void (*incref)(PyObject* o);
	// Drop a reference from any thread, without the GIL: done soon after,
	// by the interpreter's main thread.
	void (*decref_later)(PyObject* o);
	// Why the last conversion returned PYSPEC_MISMATCH ("must be int, not
	// str"), and the py.ExcKind to raise it as.
	const char* (*mismatch)(int* kind, pyspec_ssize* len);
	// The pending exception, cleared (a new reference), or NULL if none;
	// and raising one again, with its traceback.
	PyObject* (*fetch_error)(void);
	void (*restore_error)(PyObject* exc);
	int (*kind_of)(PyObject* o); // PYSPEC_K_*
	// A scalar, str or bytes (code PYSPEC_T_*) into out: pyspec_bytes for
	// str and bytes, borrowed from o.
	int (*to_scalar)(PyObject* o, int code, void* out);
	int (*to_complex)(PyObject* o, double* re, double* im);
	PyObject* (*from_complex)(double re, double im);
	int (*to_datetime)(PyObject* o, pyspec_datetime* out);
	PyObject* (*from_datetime)(const pyspec_datetime* d);
	int (*to_timedelta)(PyObject* o, int64_t* days, int64_t* seconds, int64_t* microseconds);
	PyObject* (*from_timedelta)(int64_t microseconds);
	// Snapshots to iterate without running Python code in between: a
	// tuple of a sequence's or iterable's items (form is a pyspec_seq_form),
	// of a set's, and a copy of a dict.
	int (*seq_snapshot)(PyObject* o, int form, PyObject** snap, pyspec_ssize* n);
	int (*set_snapshot)(PyObject* o, PyObject** snap, pyspec_ssize* n);
	int (*dict_snapshot)(PyObject* o, PyObject** snap, pyspec_ssize* n);
	PyObject* (*tuple_item)(PyObject* t, pyspec_ssize i); // borrowed
	int (*dict_next)(PyObject* d, pyspec_ssize* pos, PyObject** key, PyObject** value); // borrowed
	// Building containers: the *_steal functions take the references they
	// are given, even when they fail (a NULL item fails, its exception set).
	PyObject* (*dict_new)(void);
	int (*dict_set_steal)(PyObject* d, PyObject* key, PyObject* value);
	PyObject* (*set_new)(void);
	int (*set_add_steal)(PyObject* s, PyObject* key);
	int (*list_set_steal)(PyObject* list, pyspec_ssize i, PyObject* item);
	// str(o) (how 0), repr(o) (1) or the name of o's type (2), as a str.
	PyObject* (*text_of)(PyObject* o, int how);
	PyObject* (*getattr)(PyObject* o, const char* name, pyspec_ssize n);
	int (*setattr)(PyObject* o, const char* name, pyspec_ssize n, PyObject* v); // v NULL: delete
	int (*hasattr)(PyObject* o, const char* name, pyspec_ssize n);
	PyObject* (*call)(PyObject* f, PyObject* const* args, pyspec_ssize nargs, PyObject* kwargs); // kwargs: a dict or NULL
	int (*is_callable)(PyObject* o);
	int (*truth)(PyObject* o);
	pyspec_ssize (*length)(PyObject* o);
	PyObject* (*getitem)(PyObject* o, PyObject* key);
	int (*setitem)(PyObject* o, PyObject* key, PyObject* v); // v NULL: delete
	PyObject* (*import)(const char* name, pyspec_ssize n);
	// The module's own types, for conversions inside containers and unions:
	// an instance of class index cls (or of a subclass) into out; a member of
	// enum index e (or an int that is one of its values) into out; and the
	// member of enum e whose value is v.
	int (*to_instance)(PyObject* o, int cls, pyspec_ref* out);
	int (*to_enum)(PyObject* o, int e, int64_t* out);
	PyObject* (*from_enum)(int e, int64_t v);
	// Whether this thread holds the GIL (PyGILState_Check): a goroutine
	// that does takes it again without waiting.
	int (*gil_held)(void);
	// The count of calls into Go that hold the GIL, for the watchdog's
	// message; the Go part changes it with the GIL held.
	int32_t* go_holding;
} pyspec_host;

#endif
