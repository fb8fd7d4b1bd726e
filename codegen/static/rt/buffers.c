// ---- buffers -------------------------------------------------------------

static const char* const elem_names[] = {
	[PYSPEC_T_BOOL] = "bool", [PYSPEC_T_INT8] = "int8", [PYSPEC_T_INT16] = "int16", [PYSPEC_T_INT32] = "int32",
	[PYSPEC_T_INT64] = "int64", [PYSPEC_T_UINT8] = "uint8", [PYSPEC_T_UINT16] = "uint16", [PYSPEC_T_UINT32] = "uint32",
	[PYSPEC_T_UINT64] = "uint64", [PYSPEC_T_FLOAT32] = "float32", [PYSPEC_T_FLOAT64] = "float64",
	[PYSPEC_T_STR] = "str", [PYSPEC_T_BYTES] = "bytes", [PYSPEC_T_FLOAT16] = "float16",
};

// prefix_error names the argument in the pending exception. A built-in
// exception class is raised anew with the argument's name in front of the
// message and the original as its __cause__; any other class, whose
// constructor may take other arguments, stays as it is and gets a note
// naming the argument (PEP 678).
static int prefix_error(const pyspec_sig* sig, int i) {
	PyObject *type, *value, *tb;
	PyErr_Fetch(&type, &value, &tb);
	PyErr_NormalizeException(&type, &value, &tb);
	if (value == NULL) {
		PyErr_Restore(type, value, tb);
		return -1;
	}
	if (tb != NULL) PyException_SetTraceback(value, tb);
	char name[256];
	argname(name, sizeof name, sig, i, -1);
	if (!(PyType_GetFlags((PyTypeObject*)type) & Py_TPFLAGS_HEAPTYPE)) {
		PyObject* msg = PyUnicode_FromFormat("%s: %S", name, value);
		PyObject* exc = msg ? PyObject_CallFunctionObjArgs(type, msg, NULL) : NULL;
		Py_XDECREF(msg);
		if (exc != NULL) {
			PyException_SetCause(exc, value); // steals value
			PyErr_SetObject(type, exc);
			Py_DECREF(exc);
			Py_DECREF(type);
			Py_XDECREF(tb);
			return -1;
		}
		PyErr_Clear();
	} else {
		PyObject* r = PyObject_CallMethod(value, "add_note", "s", name);
		if (r == NULL) PyErr_Clear();
		Py_XDECREF(r);
	}
	PyErr_Restore(type, value, tb);
	return -1;
}

int pyspec_buffer_refused(PyObject* o, int flags, const pyspec_sig* sig, int i) {
	if (!PyObject_CheckBuffer(o)) {
		PyErr_Clear();
		return type_error(o, "a buffer (bytes, bytearray, memoryview, numpy array, ...)", sig, i, -1);
	}
	if ((flags & PyBUF_WRITABLE) && PyErr_ExceptionMatches(PyExc_Exception)) {
		// Exporters word a read-only refusal differently (BufferError,
		// ValueError); ask again without WRITABLE to tell for sure.
		PyObject *type, *value, *tb;
		PyErr_Fetch(&type, &value, &tb);
		Py_buffer probe;
		if (PyObject_GetBuffer(o, &probe, flags & ~PyBUF_WRITABLE) == 0) {
			PyBuffer_Release(&probe);
			Py_XDECREF(type); Py_XDECREF(value); Py_XDECREF(tb);
			char name[256], tn[256];
			argname(name, sizeof name, sig, i, -1);
			PyErr_Format(PyExc_BufferError, "%s must be a writable buffer, not a read-only %.200s", name, pyspec_type_name(o, tn, sizeof tn));
			return -1;
		}
		PyErr_Clear();
		PyErr_Restore(type, value, tb);
	}
	return prefix_error(sig, i);
}

int pyspec_buffer_unusable(pyspec_view* out, int elem, const pyspec_sig* sig, int i) {
	Py_buffer* v = &out->view;
	char name[256];
	argname(name, sizeof name, sig, i, -1);
	if (v->ndim > PYSPEC_MAX_NDIM || v->ndim < 0) {
		PyErr_Format(PyExc_BufferError, "%s has %d dimensions; a view has 0 to %d", name, v->ndim, PYSPEC_MAX_NDIM);
	} else {
		int got = pyspec_format_code(v->format);
		const char* f = v->format ? v->format : "B";
		if (got >= 0 && got != elem)
			PyErr_Format(PyExc_TypeError, "%s must be a buffer of %s, not %s (format '%s')", name, elem_names[elem], elem_names[got], f);
		else if (got >= 0)
			PyErr_Format(PyExc_TypeError, "%s must be a buffer of %s, but its format '%s' has item size %zd", name, elem_names[elem], f, v->itemsize);
		else
			PyErr_Format(PyExc_TypeError, "%s must be a buffer of %s, not format '%s'", name, elem_names[elem], f);
	}
	PyBuffer_Release(v);
	return -1;
}

void pyspec_view_contiguity(pyspec_view* out, pyspec_desc* d) {
	d->contiguous = 0;
	if (d->suboffsets != NULL) return;
	Py_buffer probe = out->view;
	probe.itemsize = d->itemsize;
	if (PyBuffer_IsContiguous(&probe, 'C')) d->contiguous |= 1;
	if (PyBuffer_IsContiguous(&probe, 'F')) d->contiguous |= 2;
}


// shape_text writes a shape as Python writes a tuple: (4, 2), (5,).
static void shape_text(char* buf, size_t size, const Py_ssize_t* shape, int ndim) {
	size_t n = (size_t)PyOS_snprintf(buf, size, "(");
	for (int k = 0; k < ndim && n < size; k++)
		n += (size_t)PyOS_snprintf(buf + n, size - n, k == 0 ? "%zd" : ", %zd", shape[k]);
	if (n < size) PyOS_snprintf(buf + n, size - n, ndim == 1 ? ",)" : ")");
}

int pyspec_check_shape(pyspec_view* v, const pyspec_desc* d, const pyspec_shape* want, pyspec_named_dim* named, const pyspec_sig* sig, int i) {
	char name[256], got[512];
	int ndim = d->ndim;
	if (ndim == want->ndim) {
		int k = 0;
		for (; k < ndim; k++) {
			Py_ssize_t w = want->dims[k];
			if (w >= 0 && d->shape[k] != w) break;
			if (w <= -2) {
				pyspec_named_dim* nd = &named[-2 - w];
				if (nd->from < 0) {
					nd->size = d->shape[k];
					nd->from = i;
				} else if (nd->size != d->shape[k]) {
					break;
				}
			}
		}
		if (k == ndim) return 0;
		// A named size that disagrees says where it was set.
		Py_ssize_t w = want->dims[k];
		argname(name, sizeof name, sig, i, -1);
		shape_text(got, sizeof got, d->shape, ndim);
		if (w <= -2 && named[-2 - w].from != i) {
			const pyspec_named_dim* nd = &named[-2 - w];
			PyErr_Format(PyExc_ValueError, "%s must have shape %s with %s = %zd as argument '%s' has it, not %s",
				name, want->text, want->names[-2 - w], nd->size, sig->params[nd->from].name, got);
		} else {
			PyErr_Format(PyExc_ValueError, "%s must have shape %s, not %s", name, want->text, got);
		}
	} else {
		argname(name, sizeof name, sig, i, -1);
		PyErr_Format(PyExc_ValueError, "%s must have %d dimension%s, not %d", name, want->ndim, want->ndim == 1 ? "" : "s", ndim);
	}
	pyspec_view_release(v);
	return -1;
}

// elem_disagrees raises the TypeError of buffer argument i, of element
// code c, where an earlier argument set another, and releases its view.
static int elem_disagrees(pyspec_view* v, const pyspec_elem_agree* agree, int c, const pyspec_sig* sig, int i) {
	char name[256];
	argname(name, sizeof name, sig, i, -1);
	PyErr_Format(PyExc_TypeError, "%s must be a buffer of %s, as argument '%s' is, not %s",
		name, elem_names[agree->code], sig->params[agree->from].name, elem_names[c]);
	pyspec_view_release(v);
	return -1;
}

int pyspec_conv_buffer_of(PyObject* o, pyspec_view* v, pyspec_desc* d, int flags, unsigned mask, pyspec_elem_agree* agree,
	const pyspec_shape* shape, pyspec_named_dim* named, const pyspec_sig* sig, int i) {
	if (pyspec_conv_buffer(o, v, d, flags, -1, sig, i) < 0) return -1;
	int c = pyspec_format_code(v->view.format);
	if (c < 0 || c >= 32 || !(mask & (1u << c)) || v->view.itemsize != (Py_ssize_t)pyspec_elem_sizes[c]) {
		char name[256], want[256];
		size_t n = 0;
		want[0] = 0;
		for (int k = 0, listed = 0; k < 32 && n < sizeof want; k++) {
			if (!(mask & (1u << k))) continue;
			int last = (mask >> (k + 1)) == 0;
			n += (size_t)PyOS_snprintf(want + n, sizeof want - n, "%s%s", listed == 0 ? "" : last ? " or " : ", ", elem_names[k]);
			listed++;
		}
		argname(name, sizeof name, sig, i, -1);
		const char* f = v->view.format ? v->view.format : "B";
		if (c >= 0 && c < 32 && !(mask & (1u << c)))
			PyErr_Format(PyExc_TypeError, "%s must be a buffer of %s, not %s (format '%s')", name, want, elem_names[c], f);
		else
			PyErr_Format(PyExc_TypeError, "%s must be a buffer of %s, not format '%s' of item size %zd", name, want, f, v->view.itemsize);
		pyspec_view_release(v);
		return -1;
	}
	if (agree->code >= 0 && agree->code != c) return elem_disagrees(v, agree, c, sig, i);
	agree->code = c;
	agree->from = i;
	return shape == NULL ? 0 : pyspec_check_shape(v, d, shape, named, sig, i);
}
