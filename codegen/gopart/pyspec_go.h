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
static inline PyObject* host_as_ndarray(PyObject* b, int elem, int ndim) { return pyspec_host_ptr->as_ndarray(b, elem, ndim); }
static inline PyObject* host_new_iterator(uintptr_t token, int code) { return pyspec_host_ptr->new_iterator(token, code); }
static inline PyObject* host_zip_pairs(PyObject* keys, PyObject* values) { return pyspec_host_ptr->zip_pairs(keys, values); }
static inline void host_async_ready(PyObject* fut, uint64_t token) { pyspec_host_ptr->async_ready(fut, token); }
static inline int host_list_set_text(PyObject* l, pyspec_ssize i, const char* p, pyspec_ssize n, int code) {
	return pyspec_host_ptr->list_set_text(l, i, p, n, code);
}

static inline int host_gil_ensure(void) { return pyspec_host_ptr->gil_ensure(); }
static inline void host_gil_release(int state) { pyspec_host_ptr->gil_release(state); }
static inline void host_incref(PyObject* o) { pyspec_host_ptr->incref(o); }
static inline void host_decref_later(PyObject* o) { pyspec_host_ptr->decref_later(o); }
static inline const char* host_mismatch(int* kind, pyspec_ssize* n) { return pyspec_host_ptr->mismatch(kind, n); }
static inline PyObject* host_fetch_error(void) { return pyspec_host_ptr->fetch_error(); }
static inline void host_restore_error(PyObject* exc) { pyspec_host_ptr->restore_error(exc); }
static inline int host_kind_of(PyObject* o) { return pyspec_host_ptr->kind_of(o); }
static inline int host_to_scalar(PyObject* o, int code, void* out) { return pyspec_host_ptr->to_scalar(o, code, out); }
static inline int host_to_complex(PyObject* o, double* re, double* im) { return pyspec_host_ptr->to_complex(o, re, im); }
static inline PyObject* host_from_complex(double re, double im) { return pyspec_host_ptr->from_complex(re, im); }
static inline int host_to_datetime(PyObject* o, pyspec_datetime* out) { return pyspec_host_ptr->to_datetime(o, out); }
static inline PyObject* host_from_datetime(const pyspec_datetime* d) { return pyspec_host_ptr->from_datetime(d); }
static inline int host_to_timedelta(PyObject* o, int64_t* d, int64_t* s, int64_t* us) { return pyspec_host_ptr->to_timedelta(o, d, s, us); }
static inline PyObject* host_from_timedelta(int64_t us) { return pyspec_host_ptr->from_timedelta(us); }
static inline int host_seq_snapshot(PyObject* o, int form, PyObject** snap, pyspec_ssize* n) {
	return pyspec_host_ptr->seq_snapshot(o, form, snap, n);
}
static inline int host_set_snapshot(PyObject* o, PyObject** snap, pyspec_ssize* n) { return pyspec_host_ptr->set_snapshot(o, snap, n); }
static inline int host_dict_snapshot(PyObject* o, PyObject** snap, pyspec_ssize* n) { return pyspec_host_ptr->dict_snapshot(o, snap, n); }
static inline PyObject* host_tuple_item(PyObject* t, pyspec_ssize i) { return pyspec_host_ptr->tuple_item(t, i); }
static inline int host_dict_next(PyObject* d, pyspec_ssize* pos, PyObject** k, PyObject** v) { return pyspec_host_ptr->dict_next(d, pos, k, v); }
static inline PyObject* host_dict_new(void) { return pyspec_host_ptr->dict_new(); }
static inline int host_dict_set_steal(PyObject* d, PyObject* k, PyObject* v) { return pyspec_host_ptr->dict_set_steal(d, k, v); }
static inline PyObject* host_set_new(void) { return pyspec_host_ptr->set_new(); }
static inline int host_set_add_steal(PyObject* s, PyObject* k) { return pyspec_host_ptr->set_add_steal(s, k); }
static inline int host_list_set_steal(PyObject* l, pyspec_ssize i, PyObject* v) { return pyspec_host_ptr->list_set_steal(l, i, v); }
static inline PyObject* host_text_of(PyObject* o, int how) { return pyspec_host_ptr->text_of(o, how); }
static inline PyObject* host_getattr(PyObject* o, const char* name, pyspec_ssize n) { return pyspec_host_ptr->getattr(o, name, n); }
static inline int host_setattr(PyObject* o, const char* name, pyspec_ssize n, PyObject* v) { return pyspec_host_ptr->setattr(o, name, n, v); }
static inline int host_hasattr(PyObject* o, const char* name, pyspec_ssize n) { return pyspec_host_ptr->hasattr(o, name, n); }
static inline PyObject* host_call(PyObject* f, PyObject* const* args, pyspec_ssize nargs, PyObject* kwargs) {
	return pyspec_host_ptr->call(f, args, nargs, kwargs);
}
static inline int host_is_callable(PyObject* o) { return pyspec_host_ptr->is_callable(o); }
static inline int host_truth(PyObject* o) { return pyspec_host_ptr->truth(o); }
static inline pyspec_ssize host_length(PyObject* o) { return pyspec_host_ptr->length(o); }
static inline PyObject* host_getitem(PyObject* o, PyObject* k) { return pyspec_host_ptr->getitem(o, k); }
static inline int host_setitem(PyObject* o, PyObject* k, PyObject* v) { return pyspec_host_ptr->setitem(o, k, v); }
static inline PyObject* host_import(const char* name, pyspec_ssize n) { return pyspec_host_ptr->import(name, n); }
static inline int host_to_instance(PyObject* o, int cls, pyspec_ref* out) { return pyspec_host_ptr->to_instance(o, cls, out); }
static inline int host_to_enum(PyObject* o, int e, int64_t* out) { return pyspec_host_ptr->to_enum(o, e, out); }
static inline PyObject* host_from_enum(int e, int64_t v) { return pyspec_host_ptr->from_enum(e, v); }
static inline int host_gil_held(void) { return pyspec_host_ptr->gil_held(); }

#endif
