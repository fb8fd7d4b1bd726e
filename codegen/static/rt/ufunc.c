// ---- numpy ufuncs ----------------------------------------------------------

// numpy's ufunc C API is a table of function pointers that numpy exports
// as a capsule; PyUFunc_FromFuncAndData is its entry 1, in numpy 1.x and
// 2.x alike. Found at run time rather than through numpy's headers, so that
// one build works with either numpy and under the Limited API.
typedef PyObject* (*ufunc_from_func_and_data)(pyspec_ufunc_loop* func, void** data, const char* types, int ntypes,
	int nin, int nout, int identity, const char* name, const char* doc, int unused);

static void** numpy_ufunc_api(const char* module) {
	static void** api; // numpy's, for the whole process
	if (api != NULL) return api;
	// numpy 2 moved numpy.core to numpy._core (the old name warns).
	static const char* const homes[] = {"numpy._core._multiarray_umath", "numpy.core._multiarray_umath"};
	PyObject* why = NULL;
	for (size_t k = 0; k < sizeof homes / sizeof homes[0] && api == NULL; k++) {
		PyObject* home = PyImport_ImportModule(homes[k]);
		PyObject* capsule = home ? PyObject_GetAttrString(home, "_UFUNC_API") : NULL;
		Py_XDECREF(home);
		if (capsule != NULL) {
			api = PyCapsule_GetPointer(capsule, NULL);
			Py_DECREF(capsule);
		}
		if (api == NULL && why == NULL) {
			PyObject *type, *tb;
			PyErr_Fetch(&type, &why, &tb);
			Py_XDECREF(type);
			Py_XDECREF(tb);
		}
		PyErr_Clear();
	}
	if (api == NULL)
		PyErr_Format(PyExc_ImportError, "module %s declares ufuncs (vectorize: true), which need numpy: %S", module, why ? why : Py_None);
	Py_XDECREF(why);
	return api;
}

PyObject* pyspec_new_ufunc(const char* module, pyspec_ufunc_loop* loop, void** data, const char* types,
	int nin, int nout, const char* name, const char* doc) {
	void** api = numpy_ufunc_api(module);
	if (api == NULL) return NULL;
	// No identity (PyUFunc_None): reduce works on non-empty arrays.
	return ((ufunc_from_func_and_data)api[1])(loop, data, types, 1, nin, nout, -1, name, doc, 0);
}
