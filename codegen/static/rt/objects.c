// ---- objects -------------------------------------------------------------

uint32_t pyspec_gen = 1;

// stale_message writes why the instance o cannot be used.
static void stale_message(PyObject* o, char* buf, size_t size) {
	char tn[256];
	const char* name = pyspec_type_name(o, tn, sizeof tn);
	if (((pyspec_object*)o)->gen == 0)
		PyOS_snprintf(buf, size, "%.200s object is not initialized (a subclass's __init__ must call super().__init__())", name);
	else
		PyOS_snprintf(buf, size,
			"%.200s object was made before os.fork(), by the parent process's Go runtime, which does not run in a child; "
			"make it in the child, or pass it pickled (as multiprocessing does with arguments)", name);
}

PyObject* pyspec_stale(PyObject* self) {
	char msg[512];
	stale_message(self, msg, sizeof msg);
	PyErr_SetString(PyExc_RuntimeError, msg);
	return NULL;
}

int pyspec_object_mismatch(PyObject* o, PyTypeObject* type, const pyspec_sig* sig, int i) {
	if (type == NULL) {
		PyErr_Format(PyExc_RuntimeError, "module %s is not loaded: its classes are gone", own_module);
		return -1;
	}
	if (PyObject_TypeCheck(o, type)) {
		char name[256], msg[512];
		argname(name, sizeof name, sig, i, -1);
		stale_message(o, msg, sizeof msg);
		PyErr_Format(PyExc_RuntimeError, "%s: %s", name, msg);
		return -1;
	}
	PyObject* qual = PyType_GetQualName(type);
	const char* want = qual ? PyUnicode_AsUTF8AndSize(qual, NULL) : NULL;
	if (want == NULL) {
		PyErr_Clear();
		want = "?";
	}
	type_error(o, want, sig, i, -1);
	Py_XDECREF(qual);
	return -1;
}

// ---- pickling ------------------------------------------------------------

PyObject* pyspec_reduce(PyObject* self, PyObject* state, PyObject* new_fn) {
	if (new_fn == NULL) {
		Py_DECREF(state);
		PyErr_SetString(PyExc_RuntimeError, "pyspec: the module's reconstructor is gone");
		return NULL;
	}
	// A Python subclass's instance attributes travel with the Go state.
	PyObject* dict = PyObject_GetAttrString(self, "__dict__");
	if (dict == NULL) {
		PyErr_Clear();
	} else if (PyDict_Check(dict) && PyDict_Size(dict) > 0) {
		PyObject* both = PyTuple_Pack(2, state, dict);
		Py_DECREF(state);
		if (both == NULL) {
			Py_DECREF(dict);
			return NULL;
		}
		state = both;
	}
	Py_XDECREF(dict);
	return Py_BuildValue("(O(O)N)", new_fn, (PyObject*)Py_TYPE(self), state);
}

PyObject* pyspec_attributes_state(PyObject* self, const char* const* names) {
	PyObject* state = PyDict_New();
	if (state == NULL) return NULL;
	for (int k = 0; names[k] != NULL; k++) {
		PyObject* v = PyObject_GetAttrString(self, names[k]);
		if (v == NULL || PyDict_SetItemString(state, names[k], v) < 0) {
			Py_XDECREF(v);
			Py_DECREF(state);
			return NULL;
		}
		Py_DECREF(v);
	}
	return state;
}

int pyspec_split_state(PyObject** state, PyObject** extra) {
	*extra = NULL;
	if (PyTuple_Check(*state)) {
		if (PYSPEC_TUPLE_SIZE(*state) != 2) {
			PyErr_SetString(PyExc_TypeError, "__setstate__() takes the state __reduce_ex__ made");
			return -1;
		}
		*extra = PYSPEC_TUPLE_ITEM(*state, 1);
		*state = PYSPEC_TUPLE_ITEM(*state, 0);
	}
	return 0;
}

int pyspec_restore_dict(PyObject* self, PyObject* extra) {
	PyObject* dict = PyObject_GetAttrString(self, "__dict__");
	if (dict == NULL) return -1;
	int r = PyDict_Check(extra) ? PyDict_Update(dict, extra) : -1;
	if (r < 0 && !PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "__setstate__() takes a dict of instance attributes");
	Py_DECREF(dict);
	return r;
}

// ---- errors --------------------------------------------------------------

void pyspec_raise(int kind, const char* msg, Py_ssize_t len) {
	// The order of py.ExcKind and PYSPEC_EXC_* (TestExceptionKindsAgree).
	PyObject* types[] = {
		PyExc_RuntimeError, PyExc_ValueError, PyExc_TypeError, PyExc_BufferError,
		PyExc_OverflowError, PyExc_IndexError, PyExc_KeyError, PyExc_NotImplementedError,
		PyExc_StopIteration, PyExc_AttributeError, PyExc_ZeroDivisionError, PyExc_MemoryError,
	};
	PyObject* type = kind >= 0 && kind < (int)(sizeof types / sizeof types[0]) ? types[kind] : PyExc_RuntimeError;
	PyObject* text = PyUnicode_DecodeUTF8(msg, len, "replace");
	if (text == NULL) return;
	PyErr_SetObject(type, text);
	Py_DECREF(text);
}

