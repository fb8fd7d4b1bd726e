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

