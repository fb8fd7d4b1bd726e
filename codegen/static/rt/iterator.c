// ---- GoIterator ----------------------------------------------------------

// A GoIterator is the Python side of an iterator[T] result. It holds the
// current batch of items, which the Go part handed over in one crossing,
// and hands them out one by one with no call into Go; when the batch is
// used up it asks the Go part for the next (without the GIL if it has to
// wait for the Go sequence). A batch of scalars stays an array until each
// item is asked for; other items come converted, as a list.
typedef struct {
	PyObject_HEAD
	uintptr_t token; // the Go side's; 0 once exhausted
	uint32_t gen;    // the Go runtime that made it (fork)
	int busy;        // a next() waits for the Go side
	int code;        // element code of scalar items, or -1
	pyspec_iter_batch b; // the current batch
	Py_ssize_t pos;
	PyObject* weakrefs;
} goiter;

static int (*goiter_pull)(uintptr_t token, pyspec_iter_batch* b);
static void (*goiter_close)(uintptr_t token);
static char goiter_name[256]; // "<module>.GoIterator": the type keeps the pointer

PyObject* pyspec_goiter_new(PyTypeObject* type, uintptr_t token, int code) {
	goiter* it = (goiter*)PyType_GenericAlloc(type, 0);
	if (it == NULL) return NULL;
	it->token = token;
	it->gen = pyspec_gen;
	it->code = code;
	return (PyObject*)it;
}

static PyObject* goiter_next(PyObject* self) {
	goiter* it = (goiter*)self;
	for (;;) {
		if (it->pos < it->b.n) {
			Py_ssize_t k = it->pos++;
			if (it->b.items != NULL) return Py_NewRef(PYSPEC_LIST_GET(it->b.items, k));
			return pyspec_scalar_at(it->b.raw, k, it->code);
		}
		Py_CLEAR(it->b.items);
		it->b.raw = NULL;
		it->b.n = it->pos = 0;
		if (it->token == 0) return NULL; // exhausted: StopIteration
		if (it->gen != pyspec_gen) {
			PyErr_Format(PyExc_RuntimeError,
				"%s was made before os.fork(), by the parent process's Go runtime, which does not run in a child; "
				"make it in the child", goiter_name);
			return NULL;
		}
		// As a generator: the Go sequence may call Python, which may call
		// next() on this iterator again, or another thread may.
		if (it->busy) {
			PyErr_Format(PyExc_ValueError, "%s already executing", goiter_name);
			return NULL;
		}
		it->busy = 1;
		pyspec_iter_batch b = {NULL, NULL, 0};
		int status = goiter_pull(it->token, &b);
		it->busy = 0;
		if (status != 0) {
			it->token = 0; // the Go side is gone
			return NULL;   // 1: exhausted; -1: its exception
		}
		if (b.items != NULL) b.n = PyList_Size(b.items);
		it->b = b;
	}
}

static int goiter_traverse(PyObject* self, visitproc visit, void* arg) {
	Py_VISIT(((goiter*)self)->b.items);
	Py_VISIT(Py_TYPE(self));
	return 0;
}

static int goiter_clear(PyObject* self) {
	goiter* it = (goiter*)self;
	if (it->b.items != NULL) {
		Py_CLEAR(it->b.items);
		it->b.n = it->pos = 0;
	}
	return 0;
}

static void goiter_dealloc(PyObject* self) {
	goiter* it = (goiter*)self;
	PyObject_GC_UnTrack(self);
	if (it->token != 0 && it->gen == pyspec_gen) {
		// Dropped before the end: the Go side stops its sequence.
		PyObject *t, *v, *tb;
		PyErr_Fetch(&t, &v, &tb);
		goiter_close(it->token);
		PyErr_Restore(t, v, tb);
	}
	Py_CLEAR(it->b.items);
	pyspec_free_instance(self, it->weakrefs);
}

static PyObject* goiter_reduce_ex(PyObject* self, PyObject* protocol) {
	PyErr_Format(PyExc_TypeError, "cannot pickle '%s' object: it runs a Go sequence; pickle list() of it", goiter_name);
	return NULL;
}

static PyMethodDef goiter_methods[] = {
	{"__reduce_ex__", (PyCFunction)(void (*)(void))goiter_reduce_ex, METH_O, NULL},
	{NULL, NULL, 0, NULL},
};

static PyMemberDef goiter_members[] = {
	{"__weaklistoffset__", T_PYSSIZET, offsetof(goiter, weakrefs), READONLY, NULL},
	{NULL, 0, 0, 0, NULL},
};

static PyType_Slot goiter_slots[] = {
	{Py_tp_doc, "An iterator over a Go sequence (iter.Seq): what a function returning iterator[T] returns.\n"
		"Go produces the items in batches, one call into Go per batch."},
	{Py_tp_dealloc, goiter_dealloc},
	{Py_tp_traverse, goiter_traverse},
	{Py_tp_clear, goiter_clear},
	{Py_tp_iter, PyObject_SelfIter},
	{Py_tp_iternext, goiter_next},
	{Py_tp_methods, goiter_methods},
	{Py_tp_members, goiter_members},
	{0, NULL},
};

static PyType_Spec goiter_spec = {
	.name = goiter_name,
	.basicsize = sizeof(goiter),
	.flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_DISALLOW_INSTANTIATION,
	.slots = goiter_slots,
};

PyType_Spec* pyspec_goiter_spec(const char* module, int (*pull)(uintptr_t token, pyspec_iter_batch* b), void (*close)(uintptr_t token)) {
	PyOS_snprintf(goiter_name, sizeof goiter_name, "%s.GoIterator", module);
	goiter_pull = pull;
	goiter_close = close;
	return &goiter_spec;
}

// pyspec_zip_pairs makes a list of (k, v) 2-tuples of two lists of the
// same length, stealing both (an iterator[K, V]'s batch).
PyObject* pyspec_zip_pairs(PyObject* keys, PyObject* values) {
	Py_ssize_t n = PyList_Size(keys);
	PyObject* out = PyList_New(n);
	for (Py_ssize_t i = 0; out != NULL && i < n; i++) {
		PyObject* pair = PyTuple_New(2);
		if (pair == NULL) {
			Py_CLEAR(out);
			break;
		}
		PYSPEC_TUPLE_SET(pair, 0, Py_NewRef(PYSPEC_LIST_GET(keys, i)));
		PYSPEC_TUPLE_SET(pair, 1, Py_NewRef(PYSPEC_LIST_GET(values, i)));
		PYSPEC_LIST_SET(out, i, pair);
	}
	Py_DECREF(keys);
	Py_DECREF(values);
	return out;
}
