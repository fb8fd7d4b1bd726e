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
static void host_raise(int kind, const char* msg, pyspec_ssize len) { pyspec_raise(kind, msg, len); }
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
// py.Object nobody uses any more) wait here. A pending call drops
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
	host->zip_pairs = pyspec_zip_pairs;
	host->as_ndarray = pyspec_as_ndarray;
	host->interrupt_fd = -1;
}

