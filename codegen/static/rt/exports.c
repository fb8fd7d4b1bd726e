// ---- exports -------------------------------------------------------------

// What a view of a Go export owns, freed on release: the token of the
// pinned memory, the Go runtime generation that pinned it, and copies of
// shape, strides and format.
typedef struct {
	uintptr_t token;
	uint32_t gen;
	Py_ssize_t data[]; // shape[ndim], strides[ndim], then the format bytes
} export_info;

static char empty_export[1];

int pyspec_fill_export(Py_buffer* view, PyObject* exporter, const pyspec_export_desc* d, int flags, uint32_t gen) {
	char tn[256];
	view->obj = NULL;
	int ndim = d->ndim;
	// The Go part checked the description; check again what a bad one
	// would turn into an out-of-bounds read.
	Py_ssize_t n = d->itemsize;
	int ok = ndim >= 0 && ndim <= PYSPEC_MAX_NDIM && d->itemsize > 0 && d->len >= 0 &&
		d->format_len >= 0 && d->format_len < (Py_ssize_t)sizeof d->format;
	for (int k = 0; ok && k < ndim; k++) {
		if (d->shape[k] < 0 || __builtin_mul_overflow(n, d->shape[k], &n)) ok = 0;
	}
	if (!ok || n != d->len) {
		PyErr_Format(PyExc_BufferError, "%.200s: the Go export does not describe its memory consistently (%zd bytes, item size %zd, %d dimensions)",
			pyspec_type_name(exporter, tn, sizeof tn), (Py_ssize_t)d->len, (Py_ssize_t)d->itemsize, ndim);
		return -1;
	}
	if ((flags & PyBUF_WRITABLE) && d->readonly) {
		PyErr_Format(PyExc_BufferError, "%.200s exports a read-only buffer; a writable one was requested", pyspec_type_name(exporter, tn, sizeof tn));
		return -1;
	}
	int c_contig_only = 0;
	for (int k = 0, big = 0; k < ndim; k++) {
		if (d->shape[k] > 1 && ++big > 1) c_contig_only = 1;
	}
	if ((flags & PyBUF_F_CONTIGUOUS) == PyBUF_F_CONTIGUOUS && c_contig_only) {
		PyErr_Format(PyExc_BufferError, "%.200s exports a C-contiguous buffer; a Fortran-contiguous one was requested", pyspec_type_name(exporter, tn, sizeof tn));
		return -1;
	}
	export_info* info = PyMem_Malloc(sizeof(export_info) + 2 * ndim * sizeof(Py_ssize_t) + d->format_len + 1);
	if (info == NULL) { PyErr_NoMemory(); return -1; }
	info->token = d->token;
	info->gen = gen;
	Py_ssize_t* s = info->data;
	Py_ssize_t* st = info->data + ndim;
	char* f = (char*)(info->data + 2 * ndim);
	memcpy(f, d->format, d->format_len);
	f[d->format_len] = 0;
	Py_ssize_t step = d->itemsize;
	for (int k = ndim - 1; k >= 0; k--) {
		s[k] = d->shape[k];
		st[k] = step;
		step *= d->shape[k];
	}
	view->buf = d->buf != NULL ? d->buf : empty_export;
	view->obj = Py_NewRef(exporter);
	view->len = d->len;
	view->readonly = d->readonly;
	view->itemsize = d->itemsize;
	view->format = (flags & PyBUF_FORMAT) ? f : NULL;
	view->ndim = ndim;
	view->shape = (flags & PyBUF_ND) == PyBUF_ND ? s : NULL;
	view->strides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES ? st : NULL;
	view->suboffsets = NULL;
	view->internal = info;
	if (!(flags & PyBUF_ND)) view->ndim = 1;
	return 0;
}

uintptr_t pyspec_export_release(Py_buffer* view, int* current) {
	export_info* info = view->internal;
	uintptr_t token = info->token;
	*current = info->gen == pyspec_gen;
	PyMem_Free(info);
	view->internal = NULL;
	return token;
}

