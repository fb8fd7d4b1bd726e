// ---- exports -------------------------------------------------------------

// What a view of a Go export owns, freed on release: the token of the
// pinned memory, the Go runtime generation that pinned it, and copies of
// shape, strides and format.
typedef struct {
	uintptr_t token;
	uint32_t gen;
	Py_ssize_t data[]; // shape[ndim], strides[ndim], then the format bytes
} export_info;

// A fixed export kept by its object (pyspec.h): the same layout of shape,
// strides and format, described once.
struct pyspec_export_cache {
	Py_ssize_t holders; // the object, until it lets go, and each view made from it
	uintptr_t token;    // the Go part's pin of the memory
	uint32_t gen;       // the Go runtime that pinned it
	int readonly;
	int ndim;
	int c_contig_only;
	void* buf;
	Py_ssize_t len;
	Py_ssize_t itemsize;
	char* format;
	Py_ssize_t data[]; // shape[ndim], strides[ndim], then the format bytes
};

static char empty_export[1];

// export_check refuses a description a bad Go part could have made (the Go
// part checked it; check again what would turn into an out-of-bounds read)
// and reports whether only C order describes it: more than one dimension
// longer than 1.
static int export_check(PyObject* exporter, const pyspec_export_desc* d, int* c_contig_only) {
	char tn[256];
	int ndim = d->ndim;
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
	*c_contig_only = 0;
	for (int k = 0, big = 0; k < ndim; k++) {
		if (d->shape[k] > 1 && ++big > 1) *c_contig_only = 1;
	}
	return 0;
}

// export_refuses raises BufferError when flags ask what the export is not.
static int export_refuses(PyObject* exporter, int readonly, int c_contig_only, int flags) {
	char tn[256];
	if ((flags & PyBUF_WRITABLE) && readonly) {
		PyErr_Format(PyExc_BufferError, "%.200s exports a read-only buffer; a writable one was requested", pyspec_type_name(exporter, tn, sizeof tn));
		return -1;
	}
	if ((flags & PyBUF_F_CONTIGUOUS) == PyBUF_F_CONTIGUOUS && c_contig_only) {
		PyErr_Format(PyExc_BufferError, "%.200s exports a C-contiguous buffer; a Fortran-contiguous one was requested", pyspec_type_name(exporter, tn, sizeof tn));
		return -1;
	}
	return 0;
}

// export_layout writes d's shape, C-order strides and format into data
// (room for 2 * ndim entries and the format) and returns the format.
static char* export_layout(const pyspec_export_desc* d, Py_ssize_t* data) {
	int ndim = d->ndim;
	Py_ssize_t* s = data;
	Py_ssize_t* st = data + ndim;
	char* f = (char*)(data + 2 * ndim);
	memcpy(f, d->format, d->format_len);
	f[d->format_len] = 0;
	Py_ssize_t step = d->itemsize;
	for (int k = ndim - 1; k >= 0; k--) {
		s[k] = d->shape[k];
		st[k] = step;
		step *= d->shape[k];
	}
	return f;
}

// export_view fills view with what flags asked for; shape, strides and
// format stay where they are (data), owned by internal.
static void export_view(Py_buffer* view, PyObject* exporter, void* buf, Py_ssize_t len, int readonly, Py_ssize_t itemsize, int ndim,
	Py_ssize_t* data, char* format, int flags, void* internal) {
	view->buf = buf != NULL ? buf : empty_export;
	view->obj = Py_NewRef(exporter);
	view->len = len;
	view->readonly = readonly;
	view->itemsize = itemsize;
	view->format = (flags & PyBUF_FORMAT) ? format : NULL;
	view->ndim = (flags & PyBUF_ND) ? ndim : 1;
	view->shape = (flags & PyBUF_ND) == PyBUF_ND ? data : NULL;
	view->strides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES ? data + ndim : NULL;
	view->suboffsets = NULL;
	view->internal = internal;
}

int pyspec_fill_export(Py_buffer* view, PyObject* exporter, const pyspec_export_desc* d, int flags, uint32_t gen) {
	view->obj = NULL;
	int c_contig_only;
	if (export_check(exporter, d, &c_contig_only) < 0 || export_refuses(exporter, d->readonly, c_contig_only, flags) < 0) return -1;
	export_info* info = PyMem_Malloc(sizeof(export_info) + 2 * d->ndim * sizeof(Py_ssize_t) + d->format_len + 1);
	if (info == NULL) { PyErr_NoMemory(); return -1; }
	info->token = d->token;
	info->gen = gen;
	char* f = export_layout(d, info->data);
	export_view(view, exporter, d->buf, d->len, d->readonly, d->itemsize, d->ndim, info->data, f, flags, info);
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

pyspec_export_cache* pyspec_export_cache_new(PyObject* exporter, const pyspec_export_desc* d, uint32_t gen) {
	int c_contig_only;
	if (export_check(exporter, d, &c_contig_only) < 0) return NULL;
	pyspec_export_cache* c = PyMem_Malloc(sizeof(pyspec_export_cache) + 2 * d->ndim * sizeof(Py_ssize_t) + d->format_len + 1);
	if (c == NULL) {
		PyErr_NoMemory();
		return NULL;
	}
	c->holders = 1; // the object
	c->token = d->token;
	c->gen = gen;
	c->readonly = d->readonly;
	c->ndim = d->ndim;
	c->c_contig_only = c_contig_only;
	c->buf = d->buf;
	c->len = d->len;
	c->itemsize = d->itemsize;
	c->format = export_layout(d, c->data);
	return c;
}

int pyspec_fill_cached(Py_buffer* view, PyObject* exporter, pyspec_export_cache* c, int flags) {
	view->obj = NULL;
	if (export_refuses(exporter, c->readonly, c->c_contig_only, flags) < 0) return -1;
	// The low bit tells pyspec_view_cache's callers that the view holds c
	// (an export_info, malloc-aligned, never has it).
	export_view(view, exporter, c->buf, c->len, c->readonly, c->itemsize, c->ndim, c->data, c->format, flags, (char*)c + 1);
	c->holders++;
	return 0;
}

int pyspec_export_cache_unref(pyspec_export_cache* c, uintptr_t* token) {
	if (--c->holders > 0) return 0;
	*token = c->token;
	int current = c->gen == pyspec_gen; // else pinned by the Go runtime of a parent process before fork()
	PyMem_Free(c);
	return current;
}
