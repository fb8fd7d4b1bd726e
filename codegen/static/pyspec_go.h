// The Go part's side of the host table (see pyspec_abi.h): one inline
// wrapper per service, since Go cannot call through a C function pointer.
// Part of pyspec; copied into each build unchanged.
#ifndef PYSPEC_GO_H
#define PYSPEC_GO_H

#include "pyspec_abi.h"

// Set by the module's entry point (api.c) before any other call.
extern const pyspec_host* pyspec_host_ptr;

static inline void host_raise(int kind, const char* msg, pyspec_ssize n) { pyspec_host_ptr->raise(kind, msg, n); }
static inline void host_raise_declared(int index, const char* msg, pyspec_ssize n) { pyspec_host_ptr->raise_declared(index, msg, n); }
static inline PyObject* host_new_object(int cls) { return pyspec_host_ptr->new_object(cls); }
static inline int host_claim(PyObject* o) { return pyspec_host_ptr->claim(o); }
static inline void host_decref(PyObject* o) { pyspec_host_ptr->decref(o); }
static inline void host_write_unraisable(void) { pyspec_host_ptr->write_unraisable(); }
static inline void* host_save_thread(void) { return pyspec_host_ptr->save_thread(); }
static inline void host_restore_thread(void* ts) { pyspec_host_ptr->restore_thread(ts); }
static inline PyObject* host_none(void) { return pyspec_host_ptr->none(); }
static inline PyObject* host_from_bool(int v) { return pyspec_host_ptr->from_bool(v); }
static inline PyObject* host_from_int64(int64_t v) { return pyspec_host_ptr->from_int64(v); }
static inline PyObject* host_from_uint64(uint64_t v) { return pyspec_host_ptr->from_uint64(v); }
static inline PyObject* host_from_float64(double v) { return pyspec_host_ptr->from_float64(v); }
static inline PyObject* host_text(const char* p, pyspec_ssize n, int code) { return pyspec_host_ptr->text(p, n, code); }
static inline PyObject* host_list_of(const void* items, pyspec_ssize n, int code) { return pyspec_host_ptr->list_of(items, n, code); }
static inline PyObject* host_list_new(pyspec_ssize n) { return pyspec_host_ptr->list_new(n); }
static inline PyObject* host_tuple_steal(PyObject** items, pyspec_ssize n) { return pyspec_host_ptr->tuple_steal(items, n); }
static inline PyObject* host_new_buffer(const pyspec_export_desc* d) { return pyspec_host_ptr->new_buffer(d); }
static inline void host_async_ready(PyObject* fut, uint64_t token) { pyspec_host_ptr->async_ready(fut, token); }
static inline int host_list_set_text(PyObject* l, pyspec_ssize i, const char* p, pyspec_ssize n, int code) {
	return pyspec_host_ptr->list_set_text(l, i, p, n, code);
}

#endif
