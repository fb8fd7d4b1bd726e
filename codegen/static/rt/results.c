// ---- results -------------------------------------------------------------

PyObject* pyspec_scalar_at(const void* items, Py_ssize_t k, int code) {
	switch (code) {
	case PYSPEC_T_BOOL: return PyBool_FromLong(((const uint8_t*)items)[k]);
	case PYSPEC_T_INT8: return PyLong_FromLong(((const int8_t*)items)[k]);
	case PYSPEC_T_INT16: return PyLong_FromLong(((const int16_t*)items)[k]);
	case PYSPEC_T_INT32: return PyLong_FromLong(((const int32_t*)items)[k]);
	case PYSPEC_T_INT64: return PyLong_FromLongLong(((const int64_t*)items)[k]);
	case PYSPEC_T_UINT8: return PyLong_FromUnsignedLong(((const uint8_t*)items)[k]);
	case PYSPEC_T_UINT16: return PyLong_FromUnsignedLong(((const uint16_t*)items)[k]);
	case PYSPEC_T_UINT32: return PyLong_FromUnsignedLong(((const uint32_t*)items)[k]);
	case PYSPEC_T_UINT64: return PyLong_FromUnsignedLongLong(((const uint64_t*)items)[k]);
	case PYSPEC_T_FLOAT16: return PyFloat_FromDouble(pyspec_half_to_double(((const uint16_t*)items)[k]));
	case PYSPEC_T_FLOAT32: return PyFloat_FromDouble(((const float*)items)[k]);
	case PYSPEC_T_FLOAT64: return PyFloat_FromDouble(((const double*)items)[k]);
	}
	PyErr_SetString(PyExc_SystemError, "pyspec: unknown element code");
	return NULL;
}

PyObject* pyspec_list_from(const void* items, Py_ssize_t n, int code) {
	PyObject* list = PyList_New(n);
	if (list == NULL) return NULL;
	for (Py_ssize_t k = 0; k < n; k++) {
		PyObject* x = pyspec_scalar_at(items, k, code);
		if (x == NULL) {
			Py_DECREF(list);
			return NULL;
		}
		PYSPEC_LIST_SET(list, k, x);
	}
	return list;
}

PyObject* pyspec_list_new(Py_ssize_t n) { return PyList_New(n); }

PyObject* pyspec_text_from(const char* p, Py_ssize_t n, int code) {
	if (code == PYSPEC_T_BYTES) return PyBytes_FromStringAndSize(p, n);
	return PyUnicode_DecodeUTF8(p, n, "strict");
}

int pyspec_list_set_text(PyObject* list, Py_ssize_t i, const char* p, Py_ssize_t n, int code) {
	PyObject* x = pyspec_text_from(p, n, code);
	if (x == NULL) return -1;
	PYSPEC_LIST_SET(list, i, x);
	return 0;
}

PyObject* pyspec_tuple_steal(PyObject** items, Py_ssize_t n) {
	PyObject* t = PyTuple_New(n);
	if (t == NULL) {
		for (Py_ssize_t k = 0; k < n; k++) Py_XDECREF(items[k]);
		return NULL;
	}
	for (Py_ssize_t k = 0; k < n; k++) {
		PYSPEC_TUPLE_SET(t, k, items[k]);
		items[k] = NULL;
	}
	return t;
}

