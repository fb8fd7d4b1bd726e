// ---- scalars -------------------------------------------------------------

static int conv_bool(PyObject* o, int* out, const pyspec_sig* sig, int i, Py_ssize_t item) {
	if (o == Py_True) { *out = 1; return 0; }
	if (o == Py_False) { *out = 0; return 0; }
	// numpy.bool_ is not a bool subclass but is one to its users.
	char buf[64];
	const char* tn = pyspec_type_name(o, buf, sizeof buf);
	if (strcmp(tn, "numpy.bool_") == 0 || strcmp(tn, "numpy.bool") == 0) {
		int t = PyObject_IsTrue(o);
		if (t < 0) return -1;
		*out = t;
		return 0;
	}
	return type_error(o, "bool", sig, i, item);
}

int pyspec_conv_bool(PyObject* o, int* out, const pyspec_sig* sig, int i) { return conv_bool(o, out, sig, i, -1); }

static int out_of_range(PyObject* o, const char* type, const char* range, const pyspec_sig* sig, int i, Py_ssize_t item) {
	char name[256];
	if (sig == NULL) {
		PyObject* r = PyObject_Repr(o);
		const char* text = r ? PyUnicode_AsUTF8AndSize(r, NULL) : NULL;
		if (text == NULL) {
			Py_XDECREF(r);
			return -1;
		}
		mismatch(PYSPEC_EXC_OVERFLOW, "out of range for %s (%s): %.200s", type, range, text);
		Py_DECREF(r);
		return PYSPEC_MISMATCH;
	}
	argname(name, sizeof name, sig, i, item);
	PyErr_Format(PyExc_OverflowError, "%s out of range for %s (%s): %R", name, type, range, o);
	return -1;
}

// conv_signed converts an int (or an object with __index__) to a C integer
// between lo and hi.
static int conv_signed(PyObject* o, long long* out, long long lo, long long hi, const char* type, const char* range,
	const pyspec_sig* sig, int i, Py_ssize_t item) {
	PyObject* num = o;
	if (!PyLong_Check(o)) {
		if (!PyIndex_Check(o)) return type_error(o, "int", sig, i, item);
		num = PyNumber_Index(o);
		if (num == NULL) return -1;
	} else {
		Py_INCREF(num);
	}
	int overflow;
	long long v = PyLong_AsLongLongAndOverflow(num, &overflow);
	Py_DECREF(num);
	if (v == -1 && PyErr_Occurred()) return -1;
	if (overflow || v < lo || v > hi) return out_of_range(o, type, range, sig, i, item);
	*out = v;
	return 0;
}

static int conv_unsigned(PyObject* o, unsigned long long* out, unsigned long long hi, const char* type, const char* range,
	const pyspec_sig* sig, int i, Py_ssize_t item) {
	PyObject* num = o;
	if (!PyLong_Check(o)) {
		if (!PyIndex_Check(o)) return type_error(o, "int", sig, i, item);
		num = PyNumber_Index(o);
		if (num == NULL) return -1;
	} else {
		Py_INCREF(num);
	}
	int overflow;
	long long s = PyLong_AsLongLongAndOverflow(num, &overflow);
	unsigned long long v = (unsigned long long)s;
	if (s == -1 && PyErr_Occurred()) { Py_DECREF(num); return -1; }
	if (overflow < 0 || (overflow == 0 && s < 0)) { Py_DECREF(num); return out_of_range(o, type, range, sig, i, item); }
	if (overflow > 0) {
		v = PyLong_AsUnsignedLongLong(num);
		if (v == (unsigned long long)-1 && PyErr_Occurred()) {
			Py_DECREF(num);
			if (!PyErr_ExceptionMatches(PyExc_OverflowError)) return -1;
			PyErr_Clear();
			return out_of_range(o, type, range, sig, i, item);
		}
	}
	Py_DECREF(num);
	if (v > hi) return out_of_range(o, type, range, sig, i, item);
	*out = v;
	return 0;
}

#define SIGNED(NAME, CT, LO, HI, RANGE) \
	static int conv_##NAME(PyObject* o, CT* out, const pyspec_sig* sig, int i, Py_ssize_t item) { \
		long long v; \
		int st = conv_signed(o, &v, LO, HI, #NAME, RANGE, sig, i, item); \
		if (st < 0) return st; \
		*out = (CT)v; \
		return 0; \
	} \
	int pyspec_conv_##NAME(PyObject* o, CT* out, const pyspec_sig* sig, int i) { \
		if (PyLong_CheckExact(o)) { \
			int overflow; \
			long long v = PyLong_AsLongLongAndOverflow(o, &overflow); \
			if (!overflow && v >= LO && v <= HI) { *out = (CT)v; return 0; } \
		} \
		return conv_##NAME(o, out, sig, i, -1); \
	}
SIGNED(int8, int8_t, INT8_MIN, INT8_MAX, "-128..127")
SIGNED(int16, int16_t, INT16_MIN, INT16_MAX, "-32768..32767")
SIGNED(int32, int32_t, INT32_MIN, INT32_MAX, "-2147483648..2147483647")
SIGNED(int64, int64_t, INT64_MIN, INT64_MAX, "-9223372036854775808..9223372036854775807")

#define UNSIGNED(NAME, CT, HI, RANGE) \
	static int conv_##NAME(PyObject* o, CT* out, const pyspec_sig* sig, int i, Py_ssize_t item) { \
		unsigned long long v; \
		int st = conv_unsigned(o, &v, HI, #NAME, RANGE, sig, i, item); \
		if (st < 0) return st; \
		*out = (CT)v; \
		return 0; \
	} \
	int pyspec_conv_##NAME(PyObject* o, CT* out, const pyspec_sig* sig, int i) { \
		if (PyLong_CheckExact(o)) { \
			int overflow; \
			long long v = PyLong_AsLongLongAndOverflow(o, &overflow); \
			if (!overflow && v >= 0 && (unsigned long long)v <= HI) { *out = (CT)v; return 0; } \
		} \
		return conv_##NAME(o, out, sig, i, -1); \
	}
UNSIGNED(uint8, uint8_t, UINT8_MAX, "0..255")
UNSIGNED(uint16, uint16_t, UINT16_MAX, "0..65535")
UNSIGNED(uint32, uint32_t, UINT32_MAX, "0..4294967295")
UNSIGNED(uint64, uint64_t, UINT64_MAX, "0..18446744073709551615")

static int conv_float64(PyObject* o, double* out, const pyspec_sig* sig, int i, Py_ssize_t item) {
	if (PyFloat_CheckExact(o)) { *out = PYSPEC_FLOAT_VALUE(o); return 0; }
	double v = PyFloat_AsDouble(o);
	if (v == -1.0 && PyErr_Occurred()) {
		if (!PyErr_ExceptionMatches(PyExc_TypeError)) return -1;
		PyErr_Clear();
		return type_error(o, "float", sig, i, item);
	}
	*out = v;
	return 0;
}

static int conv_float32(PyObject* o, float* out, const pyspec_sig* sig, int i, Py_ssize_t item) {
	double v;
	int st = conv_float64(o, &v, sig, i, item);
	if (st < 0) return st;
	// As struct.pack('f'): what rounds to a finite float32 fits.
	float f = (float)v;
	if (isinf(f) && !isinf(v)) return out_of_range(o, "float32", "+-3.4028235e38", sig, i, item);
	*out = f;
	return 0;
}

int pyspec_conv_float64(PyObject* o, double* out, const pyspec_sig* sig, int i) { return conv_float64(o, out, sig, i, -1); }
int pyspec_conv_float32(PyObject* o, float* out, const pyspec_sig* sig, int i) { return conv_float32(o, out, sig, i, -1); }

// Half precision in C (PyFloat_Pack2 is not in the Limited API): 1 sign
// bit, 5 exponent bits (bias 15), 10 fraction bits.
double pyspec_half_to_double(uint16_t h) {
	int exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
	double v;
	if (exp == 0) {
		v = ldexp((double)frac, -24); // subnormal
	} else if (exp == 31) {
		v = frac ? NAN : INFINITY;
	} else {
		v = ldexp((double)(frac | 0x400), exp - 25);
	}
	return (h & 0x8000) ? -v : v;
}

// double_to_half rounds to the nearest half, ties to even, as
// struct.pack('e') does; -1 when a finite v rounds beyond the largest half.
static int double_to_half(double v, uint16_t* out) {
	uint16_t sign = signbit(v) ? 0x8000 : 0;
	double a = fabs(v);
	if (isnan(v)) {
		*out = sign | 0x7e00;
		return 0;
	}
	if (isinf(v)) {
		*out = sign | 0x7c00;
		return 0;
	}
	if (a < ldexp(1.0, -14)) {
		// Subnormal (or zero): units of 2**-24, rounded to even.
		double units = nearbyint(a * ldexp(1.0, 24));
		*out = sign | (uint16_t)units; // 1024 units is the smallest normal: still right
		return 0;
	}
	int e;
	double m = frexp(a, &e); // a = m * 2**e, m in [0.5, 1)
	double frac = nearbyint((m * 2.0 - 1.0) * 1024.0); // the 10 fraction bits, rounded to even
	int exp = e - 1 + 15;
	if (frac == 1024.0) {
		frac = 0;
		exp++;
	}
	if (exp >= 31) return -1;
	*out = sign | (uint16_t)(exp << 10) | (uint16_t)frac;
	return 0;
}

static int conv_float16(PyObject* o, uint16_t* out, const pyspec_sig* sig, int i, Py_ssize_t item) {
	double v;
	int st = conv_float64(o, &v, sig, i, item);
	if (st < 0) return st;
	// As struct.pack('e'): what rounds to a finite half fits.
	if (double_to_half(v, out) < 0) return out_of_range(o, "float16", "+-65504", sig, i, item);
	return 0;
}

int pyspec_conv_float16(PyObject* o, uint16_t* out, const pyspec_sig* sig, int i) { return conv_float16(o, out, sig, i, -1); }

static int conv_str(PyObject* o, pyspec_bytes* out, const pyspec_sig* sig, int i, Py_ssize_t item) {
	if (!PyUnicode_Check(o)) return type_error(o, "str", sig, i, item);
	out->ptr = PyUnicode_AsUTF8AndSize(o, &out->len);
	return out->ptr == NULL ? -1 : 0;
}

static int conv_bytes(PyObject* o, pyspec_bytes* out, const pyspec_sig* sig, int i, Py_ssize_t item) {
	if (!PyBytes_Check(o)) return type_error(o, "bytes", sig, i, item);
#ifdef Py_LIMITED_API
	char* p;
	if (PyBytes_AsStringAndSize(o, &p, &out->len) < 0) return -1;
	out->ptr = p;
#else
	out->ptr = PyBytes_AS_STRING(o);
	out->len = PyBytes_GET_SIZE(o);
#endif
	return 0;
}

int pyspec_conv_str(PyObject* o, pyspec_bytes* out, const pyspec_sig* sig, int i) { return conv_str(o, out, sig, i, -1); }
int pyspec_conv_bytes(PyObject* o, pyspec_bytes* out, const pyspec_sig* sig, int i) { return conv_bytes(o, out, sig, i, -1); }

