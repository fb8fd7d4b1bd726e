// ---- lists ---------------------------------------------------------------


static int conv_elem(PyObject* o, void* out, int code, const pyspec_sig* sig, int i, Py_ssize_t item) {
	switch (code) {
	case PYSPEC_T_BOOL: {
		int b;
		int st = conv_bool(o, &b, sig, i, item);
		if (st < 0) return st;
		*(uint8_t*)out = (uint8_t)b;
		return 0;
	}
	case PYSPEC_T_INT8: return conv_int8(o, out, sig, i, item);
	case PYSPEC_T_INT16: return conv_int16(o, out, sig, i, item);
	case PYSPEC_T_INT32: return conv_int32(o, out, sig, i, item);
	case PYSPEC_T_INT64: return conv_int64(o, out, sig, i, item);
	case PYSPEC_T_UINT8: return conv_uint8(o, out, sig, i, item);
	case PYSPEC_T_UINT16: return conv_uint16(o, out, sig, i, item);
	case PYSPEC_T_UINT32: return conv_uint32(o, out, sig, i, item);
	case PYSPEC_T_UINT64: return conv_uint64(o, out, sig, i, item);
	case PYSPEC_T_FLOAT16: return conv_float16(o, out, sig, i, item);
	case PYSPEC_T_FLOAT32: return conv_float32(o, out, sig, i, item);
	case PYSPEC_T_FLOAT64: return conv_float64(o, out, sig, i, item);
	case PYSPEC_T_STR: return conv_str(o, out, sig, i, item);
	case PYSPEC_T_BYTES: return conv_bytes(o, out, sig, i, item);
	}
	PyErr_SetString(PyExc_SystemError, "pyspec: unknown element code");
	return -1;
}

// seq_snapshot sets *snap to a tuple of the items of what a parameter of
// the form takes (list[T], tuple[T, ...] or iterable[T]), so that they stay
// alive and in place for the whole call even if other code mutates the
// original (the GIL may be released). It returns 0, or type_error's status.
// Like pybind11's and nanobind's vector casters, list[T] takes any sequence
// (a list, a tuple, a range, a numpy array...) and iterable[T] any iterable
// (a generator, a set...), but neither takes text or bytes, whose items are
// not the elements meant.
static int seq_snapshot(PyObject* o, int form, const pyspec_sig* sig, int i, PyObject** snap) {
	*snap = NULL;
	if (form == PYSPEC_SEQ_TUPLE && !PyTuple_Check(o)) return type_error(o, "a tuple", sig, i, -1);
	if (PyUnicode_Check(o) || PyBytes_Check(o) || PyByteArray_Check(o))
		return type_error(o, form == PYSPEC_SEQ_ITERABLE ? "an iterable other than text or bytes" : "a sequence (list, tuple, range, array...)", sig, i, -1);
	if (form != PYSPEC_SEQ_ITERABLE || PyList_Check(o) || PyTuple_Check(o)) {
		if (!PySequence_Check(o)) return type_error(o, "a sequence (list, tuple, range, array...)", sig, i, -1);
		*snap = PySequence_Tuple(o);
		return *snap == NULL ? -1 : 0;
	}
	// The iterator first: a TypeError raised while iterating (a
	// generator's) is the author's, not "not iterable".
	PyObject* it = PyObject_GetIter(o);
	if (it == NULL) {
		if (!PyErr_ExceptionMatches(PyExc_TypeError)) return -1;
		PyErr_Clear();
		return type_error(o, "an iterable (list, tuple, set, generator...)", sig, i, -1);
	}
	*snap = PySequence_Tuple(it);
	Py_DECREF(it);
	return *snap == NULL ? -1 : 0;
}

int pyspec_conv_list(PyObject* o, pyspec_list* out, int code, int form, const pyspec_sig* sig, int i) {
	out->items = NULL;
	out->len = 0;
	out->keep = NULL;
	PyObject* keep;
	int st = seq_snapshot(o, form, sig, i, &keep);
	if (st != 0) return st;
	Py_ssize_t n = PYSPEC_TUPLE_SIZE(keep);
	void* items = PyMem_Malloc(n == 0 ? 1 : n * pyspec_elem_sizes[code]);
	if (items == NULL) { Py_DECREF(keep); PyErr_NoMemory(); return -1; }
	for (Py_ssize_t k = 0; k < n; k++) {
		if (conv_elem(PYSPEC_TUPLE_ITEM(keep, k), (char*)items + k * pyspec_elem_sizes[code], code, sig, i, k) < 0) {
			PyMem_Free(items);
			Py_DECREF(keep);
			return -1;
		}
	}
	out->items = items;
	out->len = n;
	out->keep = keep;
	return 0;
}

void pyspec_list_release(pyspec_list* l) {
	PyMem_Free(l->items);
	Py_XDECREF(l->keep);
	l->items = NULL;
	l->keep = NULL;
}

