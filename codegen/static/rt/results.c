// ---- results -------------------------------------------------------------

PyObject* pyspec_list_from(const void* items, Py_ssize_t n, int code) {
	PyObject* list = PyList_New(n);
	if (list == NULL) return NULL;
	for (Py_ssize_t k = 0; k < n; k++) {
		PyObject* x;
		switch (code) {
		case PYSPEC_T_BOOL: x = PyBool_FromLong(((const uint8_t*)items)[k]); break;
		case PYSPEC_T_INT8: x = PyLong_FromLong(((const int8_t*)items)[k]); break;
		case PYSPEC_T_INT16: x = PyLong_FromLong(((const int16_t*)items)[k]); break;
		case PYSPEC_T_INT32: x = PyLong_FromLong(((const int32_t*)items)[k]); break;
		case PYSPEC_T_INT64: x = PyLong_FromLongLong(((const int64_t*)items)[k]); break;
		case PYSPEC_T_UINT8: x = PyLong_FromUnsignedLong(((const uint8_t*)items)[k]); break;
		case PYSPEC_T_UINT16: x = PyLong_FromUnsignedLong(((const uint16_t*)items)[k]); break;
		case PYSPEC_T_UINT32: x = PyLong_FromUnsignedLong(((const uint32_t*)items)[k]); break;
		case PYSPEC_T_UINT64: x = PyLong_FromUnsignedLongLong(((const uint64_t*)items)[k]); break;
		case PYSPEC_T_FLOAT16: x = PyFloat_FromDouble(pyspec_half_to_double(((const uint16_t*)items)[k])); break;
		case PYSPEC_T_FLOAT32: x = PyFloat_FromDouble(((const float*)items)[k]); break;
		case PYSPEC_T_FLOAT64: x = PyFloat_FromDouble(((const double*)items)[k]); break;
		default: x = NULL; PyErr_SetString(PyExc_SystemError, "pyspec: unknown element code");
		}
		if (x == NULL) { Py_DECREF(list); return NULL; }
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

