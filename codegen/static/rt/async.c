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

