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
	if (b->gen == pyspec_gen) {
		PyObject *t, *v, *tb;
		PyErr_Fetch(&t, &v, &tb);
		if (gobuffer_release(b->d.token) < 0) PyErr_WriteUnraisable(NULL);
		PyErr_Restore(t, v, tb);
	}
	pyspec_free_instance(self, b->weakrefs);
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

// numpy.asarray, imported on the first ndarray result: a module that
// returns no arrays never imports numpy.
static PyObject* np_asarray;

PyObject* pyspec_as_ndarray(PyObject* b, int elem, int ndim) {
	const pyspec_export_desc* d = &((gobuffer*)b)->d;
	char format[sizeof d->format + 1];
	Py_ssize_t n = d->format_len >= 0 && d->format_len < (Py_ssize_t)sizeof d->format ? d->format_len : 0;
	memcpy(format, d->format, n);
	format[n] = 0;
	int got = pyspec_format_code(format);
	if (got != elem || (ndim >= 0 && d->ndim != ndim)) {
		char want[64] = "";
		if (ndim >= 0) PyOS_snprintf(want, sizeof want, " with %d dimension%s", ndim, ndim == 1 ? "" : "s");
		PyErr_Format(PyExc_RuntimeError, "the Go function returned %d-dimensional memory of format '%s'; the spec says ndarray[%s]%s",
			d->ndim, format, elem_names[elem], want);
		Py_DECREF(b);
		return NULL;
	}
	if (np_asarray == NULL) {
		PyObject* np = PyImport_ImportModule("numpy");
		if (np == NULL) {
			PyObject *type, *value, *tb;
			PyErr_Fetch(&type, &value, &tb);
			PyErr_Format(PyExc_ImportError, "%s: this function returns a numpy array, and numpy is not importable (pip install numpy)", gobuffer_name);
			Py_XDECREF(type);
			Py_XDECREF(value);
			Py_XDECREF(tb);
			Py_DECREF(b);
			return NULL;
		}
		np_asarray = PyObject_GetAttrString(np, "asarray");
		Py_DECREF(np);
		if (np_asarray == NULL) {
			Py_DECREF(b);
			return NULL;
		}
	}
	PyObject* a = PyObject_CallFunctionObjArgs(np_asarray, b, NULL); // CallOneArg: not in 3.11's Limited API
	Py_DECREF(b);
	return a;
}
