package codegen

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/pyspec/pyspec/py"
	"github.com/pyspec/pyspec/spec"
)

// families holds the family of every spec.TypeKind, by kind.
var families = map[spec.TypeKind]family{
	spec.KindBool:      boolFamily{},
	spec.KindInt:       intFamily{},
	spec.KindFloat:     floatFamily{},
	spec.KindComplex:   complexFamily{},
	spec.KindStr:       textFamily{},
	spec.KindBytes:     bytesFamily{},
	spec.KindBuffer:    bufferFamily{},
	spec.KindList:      listFamily{},
	spec.KindTuple:     tupleFamily{},
	spec.KindOptional:  optionalFamily{},
	spec.KindObject:    classFamily{},
	spec.KindAny:       anyFamily{},
	spec.KindDict:      dictFamily{},
	spec.KindSet:       setFamily{},
	spec.KindStruct:    structFamily{},
	spec.KindUnion:     unionFamily{},
	spec.KindCallable:  callableFamily{},
	spec.KindEnum:      enumFamily{},
	spec.KindDatetime:  datetimeFamily{},
	spec.KindTimedelta: timedeltaFamily{},
	spec.KindIterator:  iteratorFamily{},
}

// The families: see family.go.

// cValue spells a scalar or text default's value in C.
func cValue(t *spec.Type, d *spec.Default) string {
	switch v := d.Value.(type) {
	case bool:
		if v {
			return "1"
		}
		return "0"
	case int64:
		if v == math.MinInt64 {
			return "INT64_MIN" // -9223372036854775808 is not a C literal
		}
		return fmt.Sprintf("INT64_C(%d)", v)
	case uint64:
		return fmt.Sprintf("UINT64_C(%d)", v)
	case py.Float16:
		return fmt.Sprintf("0x%04x", uint16(v)) // C holds a half's bits
	case float64:
		switch {
		case math.IsNaN(v):
			return "NAN"
		case math.IsInf(v, 1):
			return "INFINITY"
		case math.IsInf(v, -1):
			return "(-INFINITY)"
		}
		s := strconv.FormatFloat(v, 'g', 17, 64)
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		return s
	case string:
		return cQuote(v, false)
	}
	panic(fmt.Sprintf("codegen: default %s of %s has no C value", d.Python, t.Spec))
}

// ---- bool: Python bool, C int, Go bool.

type boolFamily struct {
	cConvertedByID
	scalarElement
}

func (boolFamily) cType(*spec.Type) string                      { return "int" }
func (boolFamily) goFromC(_ *spec.Type, field, _ string) string { return "goBool(" + field + ")" }
func (boolFamily) goToPy(_ *spec.Type, v string) string         { return "pyBool(" + v + ")" }
func (boolFamily) pyType(*spec.Type, bool) string               { return "bool" }
func (boolFamily) sample(*spec.Type) string                     { return "False" }
func (boolFamily) goToCResult(_ *spec.Type, v string) string    { return "cBool(" + v + ")" }
func (boolFamily) cResultToPy(_ *spec.Type, field string) string {
	return "pyspec_from_bool(" + field + ")"
}
func (boolFamily) cConstant(t *spec.Type, d *spec.Default) string {
	return "PyBool_FromLong(" + cValue(t, d) + ")"
}
func (boolFamily) layout(*spec.Type) (string, int, string) {
	return "uint8_t", 1, "PyBool_FromLong(*(uint8_t*)p)" // a Go bool is a byte
}

func (boolFamily) ufuncOperand(*spec.Type) ufuncOperand {
	return ufuncOperand{NumpyType: "PYSPEC_NPY_BOOL", Char: "?", Dtype: "bool_", GoType: "bool", Size: 1, Bool: true}
}

// ---- int8..int64, uint8..uint64: Python int, C and Go the sized integer.

type intFamily struct {
	cConvertedByID
	scalarElement
}

func (intFamily) cType(t *spec.Type) string { return t.Spec + "_t" }
func (intFamily) goFromC(t *spec.Type, field, _ string) string {
	return t.GoTypeIn("") + "(" + field + ")"
}
func (intFamily) goToPy(t *spec.Type, v string) string {
	if t.Signed {
		return "pyInt(" + v + ")"
	}
	return "pyUint(" + v + ")"
}
func (intFamily) pyType(*spec.Type, bool) string { return "int" }
func (intFamily) sample(*spec.Type) string       { return "0" }
func (f intFamily) goToCResult(t *spec.Type, v string) string {
	return "C." + f.cType(t) + "(" + v + ")"
}
func (intFamily) cResultToPy(t *spec.Type, field string) string {
	if t.Signed {
		return "pyspec_from_int64(" + field + ")"
	}
	return "pyspec_from_uint64(" + field + ")"
}
func (intFamily) cConstant(t *spec.Type, d *spec.Default) string {
	return "PyLong_FromLongLong(" + cValue(t, d) + ")"
}
func (f intFamily) layout(t *spec.Type) (string, int, string) {
	ct := f.cType(t)
	if t.Signed {
		return ct, t.Bits / 8, "PyLong_FromLongLong(*(" + ct + "*)p)"
	}
	return ct, t.Bits / 8, "PyLong_FromUnsignedLongLong(*(" + ct + "*)p)"
}

func (intFamily) ufuncOperand(t *spec.Type) ufuncOperand {
	name := fmt.Sprintf("int%d", t.Bits)
	char := map[int]string{8: "b", 16: "h", 32: "i", 64: "l"}[t.Bits] // int64 is C long on Linux
	if !t.Signed {
		name, char = "u"+name, strings.ToUpper(char)
	}
	return ufuncOperand{NumpyType: "PYSPEC_NPY_" + strings.ToUpper(name), Char: char, Dtype: name, GoType: name, Size: t.Bits / 8}
}

// ---- float16, float32, float64: Python float; C holds a half's bits.

type floatFamily struct {
	cConvertedByID
	scalarElement
}

func (floatFamily) cType(t *spec.Type) string {
	switch t.Bits {
	case 16:
		return "uint16_t" // the half's bits
	case 32:
		return "float"
	}
	return "double"
}
func (floatFamily) goFromC(t *spec.Type, field, _ string) string {
	return t.GoTypeIn("") + "(" + field + ")" // py.Float16 of a half's bits
}
func (floatFamily) goToPy(t *spec.Type, v string) string {
	if t.Bits == 16 {
		return "pyFloat(" + v + ".Float64())"
	}
	return "pyFloat(" + v + ")"
}
func (floatFamily) pyType(*spec.Type, bool) string { return "float" }
func (floatFamily) sample(*spec.Type) string       { return "0.0" }
func (f floatFamily) goToCResult(t *spec.Type, v string) string {
	return "C." + f.cType(t) + "(" + v + ")"
}
func (floatFamily) cResultToPy(t *spec.Type, field string) string {
	if t.Bits == 16 {
		return "pyspec_from_float16(" + field + ")"
	}
	return "pyspec_from_float64(" + field + ")"
}
func (floatFamily) cConstant(t *spec.Type, d *spec.Default) string {
	return "PyFloat_FromDouble(" + cValue(t, d) + ")"
}
func (f floatFamily) layout(t *spec.Type) (string, int, string) {
	ct := f.cType(t)
	if t.Bits == 16 {
		return ct, 2, "pyspec_from_float16(*(uint16_t*)p)"
	}
	return ct, t.Bits / 8, "PyFloat_FromDouble(*(" + ct + "*)p)"
}

func (floatFamily) ufuncOperand(t *spec.Type) ufuncOperand {
	name := fmt.Sprintf("float%d", t.Bits)
	o := ufuncOperand{NumpyType: "PYSPEC_NPY_" + strings.ToUpper(name), Char: map[int]string{16: "e", 32: "f", 64: "d"}[t.Bits], Dtype: name, GoType: name, Size: t.Bits / 8}
	if t.Bits == 16 {
		o.GoType = "py.Float16"
	}
	return o
}

// ---- complex128: Python complex, Go complex128 (converted in Go).

type complexFamily struct{ inRuntime }

func (complexFamily) pyType(*spec.Type, bool) string { return "complex" }
func (complexFamily) sample(*spec.Type) string       { return "0j" }

func (complexFamily) ufuncOperand(*spec.Type) ufuncOperand {
	return ufuncOperand{NumpyType: "PYSPEC_NPY_COMPLEX128", Char: "D", Dtype: "complex128", GoType: "complex128", Size: 16}
}

// ---- str: UTF-8 bytes borrowed from the str in C, a Go string.

type textFamily struct{ cConvertedByID }

func (textFamily) cType(*spec.Type) string { return "pyspec_bytes" }
func (textFamily) cDefault(t *spec.Type, d *spec.Default, field string) string {
	return fmt.Sprintf("%s.ptr = %s; %s.len = %d;", field, cValue(t, d), field, len(d.Value.(string)))
}
func (textFamily) goFromC(_ *spec.Type, field, _ string) string { return "goString(&" + field + ")" }
func (textFamily) goToPy(_ *spec.Type, v string) string         { return "pyStr(" + v + ")" }
func (textFamily) pyType(*spec.Type, bool) string               { return "str" }
func (textFamily) sample(*spec.Type) string                     { return "''" }
func (textFamily) elemCode(*spec.Type) string                   { return "PYSPEC_T_STR" }
func (textFamily) goSliceFromC(_ *spec.Type, field string) string {
	return "goStringList(&" + field + ")"
}
func (textFamily) goSliceToPy(_ *spec.Type, v string) string { return "pyStrList(" + v + ")" }
func (textFamily) cConstant(t *spec.Type, d *spec.Default) string {
	return fmt.Sprintf("PyUnicode_DecodeUTF8(%s, %d, NULL)", cValue(t, d), len(d.Value.(string)))
}

// ---- bytes: the bytes object's memory in C, a Go []byte copy.

type bytesFamily struct{ textFamily }

func (bytesFamily) goFromC(_ *spec.Type, field, _ string) string { return "goBytes(&" + field + ")" }
func (bytesFamily) goToPy(_ *spec.Type, v string) string         { return "pyBytes(" + v + ")" }
func (bytesFamily) pyType(*spec.Type, bool) string               { return "bytes" }
func (bytesFamily) sample(*spec.Type) string                     { return "b''" }
func (bytesFamily) elemCode(*spec.Type) string                   { return "PYSPEC_T_BYTES" }
func (bytesFamily) goSliceFromC(_ *spec.Type, field string) string {
	return "goBytesList(&" + field + ")"
}
func (bytesFamily) goSliceToPy(_ *spec.Type, v string) string { return "pyBytesList(" + v + ")" }
func (bytesFamily) cConstant(t *spec.Type, d *spec.Default) string {
	return fmt.Sprintf("PyBytes_FromStringAndSize(%s, %d)", cValue(t, d), len(d.Value.(string)))
}

// ---- buffer: a view acquired in C (its descriptor crosses to Go); a
// result is Go memory lent to Python.

type bufferFamily struct{ cConverted }

func (bufferFamily) cType(*spec.Type) string { return "pyspec_desc" }
func (bufferFamily) cConv(t *spec.Type, src, dst, sig string, i int) string {
	flags := flagsC(t.Flags)
	if t.Elems != nil {
		shape, named := "NULL", "NULL"
		if t.Shaped {
			shape, named = "&"+shapeVar(sig, i), "named_dims"
		}
		return fmt.Sprintf("pyspec_conv_buffer_of(%s, &%s, &%s, %s, %s, &%s, %s, %s, &%s, %d)",
			src, viewLocal(i), dst, flags, elemMask(t.Elems), beside(dst, elemAgreeField), shape, named, sig, i)
	}
	elem := "-1"
	if t.Elem != nil {
		elem = elemCode(t.Elem)
	}
	if t.Shaped {
		return fmt.Sprintf("pyspec_conv_shaped_buffer(%s, &%s, &%s, %s, %s, &%s, named_dims, &%s, %d)",
			src, viewLocal(i), dst, flags, elem, shapeVar(sig, i), sig, i)
	}
	return fmt.Sprintf("pyspec_conv_buffer(%s, &%s, &%s, %s, %s, &%s, %d)", src, viewLocal(i), dst, flags, elem, sig, i)
}
func (bufferFamily) cLocal(_ *spec.Type, i int) string { return "pyspec_view " + viewLocal(i) + ";" }
func (bufferFamily) cRelease(_ *spec.Type, _ string, i int) string {
	return "pyspec_view_release(&" + viewLocal(i) + ")"
}
func (bufferFamily) cDefault(t *spec.Type, _ *spec.Default, _ string) string {
	return noPart(t, "default but None")
}
func (bufferFamily) goFromC(t *spec.Type, field, _ string) string {
	if t.Elem != nil {
		return "goView[" + t.Elem.GoType() + "](&" + field + ")"
	}
	return "goBuffer(&" + field + ")"
}
func (bufferFamily) goToPy(t *spec.Type, v string) string {
	// Go memory lent to Python: pinned while the GoBuffer lives.
	lent := fmt.Sprintf("pyGoSlice(%s, %v)", v, !t.Writable)
	if t.GoResult == "py.Export" {
		lent = "pyExport(" + v + ")"
	}
	if t.NDArray {
		// A numpy array over the GoBuffer, of the spec's dtype (and ndim).
		ndim := -1
		if t.Shaped {
			ndim = len(t.Dims)
		}
		return fmt.Sprintf("pyNDArray(%s, C.%s, %d)", lent, elemCode(t.Elem), ndim)
	}
	return lent
}
func (bufferFamily) pyType(t *spec.Type, arg bool) string {
	switch {
	case arg:
		return "_Buffer"
	case t.NDArray:
		// numpy's own spelling: the shape (as a tuple of ints when the
		// spec gives ndim) and the dtype.
		shape := "Any"
		if t.Shaped {
			shape = "tuple[" + strings.TrimSuffix(strings.Repeat("int, ", len(t.Dims)), ", ") + "]"
			if len(t.Dims) == 0 {
				shape = "tuple[()]"
			}
		}
		return "numpy.ndarray[" + shape + ", numpy.dtype[numpy." + newUfuncOperand(t.Elem).Dtype + "]]"
	}
	return "GoBuffer" // a buffer result: Go memory, lent
}
func (bufferFamily) sample(t *spec.Type) string { return sampleBuffer(t, sampleFormat(t)) }
func (bufferFamily) argOnly(*spec.Type) bool    { return true }

// flagsC spells a buffer request as a C expression.
func flagsC(f py.Flags) string {
	parts := strings.Split(f.String(), "|")
	for i, p := range parts {
		parts[i] = "PyBUF_" + p
	}
	return strings.Join(parts, " | ")
}

// ---- list[T], tuple[T, ...], iterable[T]: a Go []T. C converts those of
// scalars, text and bytes into a C array; the Go part the others.

type listFamily struct{ plain }

// goConverts: C converts lists of what it holds in arrays.
func (listFamily) goConverts(t *spec.Type) bool {
	_, inC := familyOf(t.Elem).(cElement)
	return !inC
}
func (l listFamily) cType(t *spec.Type) string {
	if l.goConverts(t) {
		return "PyObject*"
	}
	return "pyspec_list"
}
func (listFamily) cConv(t *spec.Type, src, dst, sig string, i int) string {
	return fmt.Sprintf("pyspec_conv_list(%s, &%s, %s, %s, &%s, %d)", src, dst, elemCode(t.Elem), seqFormC(t.Seq), sig, i)
}
func (listFamily) cLocal(*spec.Type, int) string { return "" }
func (listFamily) cRelease(_ *spec.Type, field string, _ int) string {
	return "pyspec_list_release(&" + field + ")"
}
func (listFamily) cDefault(_ *spec.Type, _ *spec.Default, field string) string {
	return fmt.Sprintf("%s.items = NULL; %s.len = 0; %s.keep = NULL;", field, field, field)
}
func (listFamily) goFromC(t *spec.Type, field, _ string) string {
	return familyOf(t.Elem).(cElement).goSliceFromC(t.Elem, field)
}
func (l listFamily) goToPy(t *spec.Type, v string) string {
	if l.goConverts(t) {
		return toPyName(t) + "(" + v + ")"
	}
	return familyOf(t.Elem).(cElement).goSliceToPy(t.Elem, v)
}
func (listFamily) fromPy(cs *converterSet, t *spec.Type, w lineWriter) {
	cs.needFrom(t.Elem)
	w("func %s(o *C.PyObject) (%s, error) {", fromPyName(t), goType(t))
	w("\treturn fromSeq(o, C.%s, %s)", seqFormC(t.Seq), fromPyName(t.Elem))
	w("}")
}
func (listFamily) toPy(cs *converterSet, t *spec.Type, w lineWriter) {
	cs.needTo(t.Elem)
	w("func %s(v %s) *C.PyObject { return toSeq(v, %v, %s) }", toPyName(t), goType(t), t.Seq == spec.SeqTuple, toPyName(t.Elem))
}
func (listFamily) pyType(t *spec.Type, arg bool) string {
	elem := pyType(t.Elem, arg)
	switch {
	case t.Seq == spec.SeqTuple:
		return "tuple[" + elem + ", ...]"
	case t.Seq == spec.SeqIterable:
		return "Iterable[" + elem + "]"
	case arg:
		return "Sequence[" + elem + "]" // any sequence but text and bytes
	}
	return "list[" + elem + "]"
}
func (listFamily) sample(t *spec.Type) string {
	switch t.Seq {
	case spec.SeqTuple:
		return "()"
	case spec.SeqIterable:
		return "iter(())"
	}
	return "[]"
}

// ---- tuple[A, B]: several results, each its own; a callable's result
// never is one.

type tupleFamily struct{ resultOnly }

func (tupleFamily) goToPy(t *spec.Type, _ string) string {
	return noPart(t, "single Go value (each item is a result of its own)")
}
func (tupleFamily) toPy(_ *converterSet, t *spec.Type, _ lineWriter) {
	noPart(t, "single Go value (each item is a result of its own)")
}
func (tupleFamily) pyType(t *spec.Type, arg bool) string {
	items := make([]string, len(t.Items))
	for i, it := range t.Items {
		items[i] = pyType(it, arg)
	}
	return "tuple[" + strings.Join(items, ", ") + "]"
}

// ---- T | None: a *T in Go, or nil of a nilable T; C converts it when
// it converts T, with a flag for None.

type optionalFamily struct{ plain }

func (optionalFamily) goConverts(t *spec.Type) bool { return goConverts(t.Elem) }
func (optionalFamily) cType(t *spec.Type) string    { return cType(t.Elem) }
func (optionalFamily) cConv(t *spec.Type, src, dst, sig string, i int) string {
	return cConv(t.Elem, src, dst, sig, i)
}
func (optionalFamily) cLocal(t *spec.Type, i int) string { return cLocal(t.Elem, i) }
func (optionalFamily) cRelease(t *spec.Type, field string, i int) string {
	return cRelease(t.Elem, field, i)
}
func (optionalFamily) cDefault(t *spec.Type, d *spec.Default, field string) string {
	return familyOf(t.Elem).cDefault(t.Elem, d, field)
}
func (optionalFamily) goFromC(t *spec.Type, field, present string) string {
	if t.Elem.Kind == spec.KindObject {
		return fmt.Sprintf("optRef_%s(%s, &%s)", t.Elem.Class.GoName, present, field)
	}
	return fmt.Sprintf("opt(%s, %s)", present, goFromC(t.Elem, field, ""))
}
func (o optionalFamily) goToPy(t *spec.Type, v string) string {
	switch {
	case o.goConverts(t):
		return toPyName(t) + "(" + v + ")"
	case t.Elem.Kind == spec.KindObject:
		return "wrapOpt_" + t.Elem.Class.GoName + "(" + v + ")"
	}
	return "pyOpt(" + v + ", func(x " + t.Elem.GoType() + ") *C.PyObject { return " + goToPy(t.Elem, "x") + " })"
}
func (optionalFamily) fromPy(cs *converterSet, t *spec.Type, w lineWriter) {
	cs.needFrom(t.Elem)
	w("func %s(o *C.PyObject) (%s, error) {", fromPyName(t), goType(t))
	switch {
	case t.Elem.Kind == spec.KindUnion:
		// The union's message lists None too.
		w("\tif isNone(o) {")
		w("\t\treturn nil, nil")
		w("\t}")
		w("\treturn fromUnion(o, %q, alts_%s)", t.Spec, t.Elem.ID())
	case t.Elem.Nilable():
		w("\treturn fromOptNil(o, %s)", fromPyName(t.Elem))
	default:
		w("\treturn fromOpt(o, %s)", fromPyName(t.Elem))
	}
	w("}")
}
func (optionalFamily) toPy(cs *converterSet, t *spec.Type, w lineWriter) {
	cs.needTo(t.Elem)
	if t.Elem.Nilable() {
		w("func %s(v %s) *C.PyObject { return toOptNil(v, %s) }", toPyName(t), goType(t), toPyName(t.Elem))
	} else {
		w("func %s(v %s) *C.PyObject { return pyOpt(v, %s) }", toPyName(t), goType(t), toPyName(t.Elem))
	}
}
func (optionalFamily) pyType(t *spec.Type, arg bool) string { return pyType(t.Elem, arg) + " | None" }
func (optionalFamily) sample(*spec.Type) string             { return "None" }

// ---- an instance of a spec class: a reference C checks the type of, a
// *T in Go.

type classFamily struct{ cConverted }

func (classFamily) cType(*spec.Type) string { return "pyspec_ref" }
func (classFamily) cConv(t *spec.Type, src, dst, sig string, i int) string {
	return fmt.Sprintf("pyspec_conv_object(%s, &%s, shared.types[%d], &%s, %d)", src, dst, t.Class.Index, sig, i)
}
func (classFamily) cDefault(t *spec.Type, _ *spec.Default, _ string) string {
	return noPart(t, "default but None")
}
func (classFamily) goFromC(t *spec.Type, field, _ string) string {
	return "ref_" + t.Class.GoName + "(&" + field + ")"
}
func (classFamily) goToPy(t *spec.Type, v string) string {
	return "wrap_" + t.Class.GoName + "(" + v + ")"
}
func (classFamily) fromPy(cs *converterSet, t *spec.Type, w lineWriter) {
	cs.classes[t.Class] = true
	w("func %s(o *C.PyObject) (%s, error) {", fromPyName(t), goType(t))
	w("\tvar r C.pyspec_ref")
	w("\tif st := C.host_to_instance(o, %d, &r); st != 0 {", t.Class.Index)
	w("\t\treturn nil, statusError(st)")
	w("\t}")
	w("\treturn ref_%s(&r), nil", t.Class.GoName)
	w("}")
}
func (classFamily) toPy(cs *converterSet, t *spec.Type, w lineWriter) {
	cs.classes[t.Class] = true
	w("func %s(v %s) *C.PyObject { return wrap_%s(v) }", toPyName(t), goType(t), t.Class.GoName)
}
func (classFamily) pyType(t *spec.Type, _ bool) string { return t.Class.Name }
func (classFamily) sample(t *spec.Type) string         { return "_sample_" + t.Class.Name + "()" }

// ---- object: any Python object, a py.Object.

type anyFamily struct{ inRuntime }

func (anyFamily) pyType(_ *spec.Type, arg bool) string {
	if arg {
		return "object"
	}
	return "Any"
}
func (anyFamily) sample(*spec.Type) string { return "None" }
func (anyFamily) isObject(*spec.Type) bool { return true }

// ---- dict[K, V]: a Go map[K]V.

type dictFamily struct{ goConverted }

func (dictFamily) fromPy(cs *converterSet, t *spec.Type, w lineWriter) {
	cs.needFrom(t.Key)
	cs.needFrom(t.Elem)
	w("func %s(o *C.PyObject) (%s, error) {", fromPyName(t), goType(t))
	w("\treturn fromDict(o, %s, %s)", fromPyName(t.Key), fromPyName(t.Elem))
	w("}")
}
func (dictFamily) toPy(cs *converterSet, t *spec.Type, w lineWriter) {
	cs.needTo(t.Key)
	cs.needTo(t.Elem)
	build := "toDict"
	if t.Key.Kind == spec.KindBool || t.Key.Kind == spec.KindComplex {
		build = "toDictAnyOrder"
	}
	w("func %s(v %s) *C.PyObject { return %s(v, %s, %s) }", toPyName(t), goType(t), build, toPyName(t.Key), toPyName(t.Elem))
}
func (dictFamily) pyType(t *spec.Type, arg bool) string {
	return "dict[" + pyType(t.Key, arg) + ", " + pyType(t.Elem, arg) + "]"
}
func (dictFamily) sample(*spec.Type) string { return "{}" }

// ---- set[T]: a Go map[T]struct{}.

type setFamily struct{ goConverted }

func (setFamily) fromPy(cs *converterSet, t *spec.Type, w lineWriter) {
	cs.needFrom(t.Elem)
	w("func %s(o *C.PyObject) (%s, error) {", fromPyName(t), goType(t))
	w("\treturn fromSet(o, %s)", fromPyName(t.Elem))
	w("}")
}
func (setFamily) toPy(cs *converterSet, t *spec.Type, w lineWriter) {
	cs.needTo(t.Elem)
	w("func %s(v %s) *C.PyObject { return toSet(v, %s) }", toPyName(t), goType(t), toPyName(t.Elem))
}
func (setFamily) pyType(t *spec.Type, arg bool) string {
	if arg {
		return "set[" + pyType(t.Elem, arg) + "] | frozenset[" + pyType(t.Elem, arg) + "]"
	}
	return "set[" + pyType(t.Elem, arg) + "]"
}
func (setFamily) sample(*spec.Type) string { return "set()" }

// ---- a spec struct as a value: a dict with its keys, the Go struct.

type structFamily struct{ goConverted }

func (structFamily) fromPy(cs *converterSet, t *spec.Type, w lineWriter) {
	cs.structs[t.Struct] = true
	s := t.Struct
	var keys, required []string
	for _, p := range s.Params {
		cs.needFrom(p.Type)
		keys = append(keys, strconv.Quote(p.Name))
		required = append(required, strconv.FormatBool(p.Default == nil))
	}
	name := fromPyName(t)
	w("var keys_%s = []string{%s}", s.Name, strings.Join(keys, ", "))
	w("var required_%s = []bool{%s}", s.Name, strings.Join(required, ", "))
	w("")
	w("// %s reads a dict with the keys of struct %s.", name, s.Name)
	w("func %s(o *C.PyObject) (v %s, err error) {", name, goType(t))
	w("\tfields, done, err := dictFields(o, %q, keys_%s, required_%s)", s.Name, s.Name, s.Name)
	w("\tif err != nil {")
	w("\t\treturn v, err")
	w("\t}")
	w("\tdefer done()")
	for i, p := range s.Params {
		w("\tif f := fields[%d]; f != nil {", i)
		w("\t\tif v.%s, err = %s(f); err != nil {", p.GoName, fromPyName(p.Type))
		w("\t\t\treturn v, within(err, %q)", " value for key '"+p.Name+"'")
		w("\t\t}")
		if d := goDefault(p); d != "" {
			w("\t} else {")
			w("\t\tv.%s = %s", p.GoName, d)
		}
		w("\t}")
	}
	w("\treturn v, nil")
	w("}")
}
func (structFamily) toPy(cs *converterSet, t *spec.Type, w lineWriter) {
	cs.structs[t.Struct] = true
	name := toPyName(t)
	w("// %s makes a dict with the keys of struct %s.", name, t.Struct.Name)
	w("func %s(v %s) *C.PyObject {", name, goType(t))
	w("\td := C.host_dict_new()")
	w("\tif d == nil {")
	w("\t\treturn nil")
	w("\t}")
	for _, p := range t.Struct.Params {
		cs.needTo(p.Type)
		w("\tif C.host_dict_set_steal(d, pyStr(%q), %s(v.%s)) < 0 {", p.Name, toPyName(p.Type), p.GoName)
		w("\t\tC.host_decref(d)")
		w("\t\treturn nil")
		w("\t}")
	}
	w("\treturn d")
	w("}")
}
func (structFamily) pyType(t *spec.Type, _ bool) string { return t.Struct.Name }
func (structFamily) sample(t *spec.Type) string {
	var items []string
	for _, p := range t.Struct.Params {
		if p.Default == nil {
			v := pySample(p.Type)
			if v == "" {
				return ""
			}
			items = append(items, fmt.Sprintf("%q: %s", p.Name, v))
		}
	}
	return "{" + strings.Join(items, ", ") + "}"
}

// ---- A | B: a Go any holding the alternative's Go value.

type unionFamily struct{ goConverted }

func (unionFamily) fromPy(cs *converterSet, t *spec.Type, w lineWriter) {
	var alts []string
	for _, it := range t.Items {
		cs.needFrom(it)
		alts = append(alts, "anyOf("+fromPyName(it)+")")
	}
	w("// The alternatives of %s, in the order a value tries them.", t.Spec)
	w("var alts_%s = []func(*C.PyObject) (any, error){%s}", t.ID(), strings.Join(alts, ", "))
	w("")
	w("func %s(o *C.PyObject) (any, error) {", fromPyName(t))
	w("\treturn fromUnion(o, %q, alts_%s)", t.Spec, t.ID())
	w("}")
}
func (unionFamily) toPy(cs *converterSet, t *spec.Type, w lineWriter) {
	w("func %s(v any) *C.PyObject {", toPyName(t))
	w("\tswitch x := v.(type) {")
	for _, it := range t.Items {
		cs.needTo(it)
		w("\tcase %s:", goType(it))
		w("\t\treturn %s(x)", toPyName(it))
	}
	w("\t}")
	w("\treturn unionMismatch(v, %q)", t.Spec)
	w("}")
}
func (unionFamily) pyType(t *spec.Type, arg bool) string {
	items := make([]string, len(t.Items))
	for i, it := range t.Items {
		items[i] = pyType(it, arg)
	}
	return strings.Join(items, " | ")
}
func (unionFamily) sample(t *spec.Type) string { return pySample(t.Items[0]) }

// ---- callable[[A, B], R]: a Go func calling back into Python, borrowed
// for the call; a bare callable is the runtime's func(args ...any).

type callableFamily struct{ goConverted }

func (callableFamily) fromPy(cs *converterSet, t *spec.Type, w lineWriter) {
	if t.Untyped {
		return // the runtime's
	}
	w("func %s(o *C.PyObject) (%s, error) {", fromPyName(t), goType(t))
	w("\tfn, err := fromCallable(o)")
	w("\tif err != nil {")
	w("\t\treturn nil, err")
	w("\t}")
	var params, args []string
	for i, it := range t.Items {
		cs.needTo(it)
		params = append(params, fmt.Sprintf("a%d %s", i, goType(it)))
		args = append(args, fmt.Sprintf("%s(a%d)", toPyName(it), i))
	}
	call := fmt.Sprintf("callPython(fn, func() []*C.PyObject { return []*C.PyObject{%s} }, ", strings.Join(args, ", "))
	// lendFunc: a callable argument is borrowed for the call, as
	// py.RetainFunc documents.
	if t.Elem == nil {
		w("\treturn lendFunc(fn, func(%s) error {", strings.Join(params, ", "))
		w("\t\treturn %sfunc(*C.PyObject) error { return nil })", call)
		w("\t}), nil")
	} else {
		cs.needFrom(t.Elem)
		w("\treturn lendFunc(fn, func(%s) (r %s, err error) {", strings.Join(params, ", "), goType(t.Elem))
		w("\t\terr = %sfunc(res *C.PyObject) (err error) {", call)
		w("\t\t\tr, err = %s(res)", fromPyName(t.Elem))
		w("\t\t\treturn err")
		w("\t\t})")
		w("\t\treturn r, err")
		w("\t}), nil")
	}
	w("}")
}
func (callableFamily) toPy(_ *converterSet, t *spec.Type, _ lineWriter) {
	if !t.Untyped {
		noPart(t, "conversion to Python (Go hands no typed callables to Python)")
	}
}
func (callableFamily) pyType(t *spec.Type, _ bool) string {
	if t.Untyped {
		return "Callable[..., Any]"
	}
	params := make([]string, len(t.Items))
	for i, it := range t.Items {
		params[i] = pyType(it, false) // what Go hands the callable
	}
	result := "object" // ignored
	if t.Elem != nil {
		result = pyType(t.Elem, true)
	}
	return "Callable[[" + strings.Join(params, ", ") + "], " + result + "]"
}
func (callableFamily) sample(*spec.Type) string { return "(lambda *args: None)" }
func (callableFamily) isObject(*spec.Type) bool { return true }
func (callableFamily) argOnly(*spec.Type) bool  { return true }

// ---- a spec enum: an IntEnum (or IntFlag) member, a Go named integer.

type enumFamily struct{ goConverted }

func (enumFamily) fromPy(cs *converterSet, t *spec.Type, w lineWriter) {
	cs.enums[t.Enum] = true
	gt := goType(t)
	w("func %s(o *C.PyObject) (%s, error) {", fromPyName(t), gt)
	w("\tvar v C.int64_t")
	w("\tif st := C.host_to_enum(o, %d, &v); st != 0 {", t.Enum.Index)
	w("\t\treturn 0, statusError(st)")
	w("\t}")
	w("\treturn %s(v), nil", gt)
	w("}")
}
func (enumFamily) toPy(cs *converterSet, t *spec.Type, w lineWriter) {
	cs.enums[t.Enum] = true
	w("func %s(v %s) *C.PyObject { return C.host_from_enum(%d, C.int64_t(v)) }", toPyName(t), goType(t), t.Enum.Index)
}
func (enumFamily) pyType(t *spec.Type, arg bool) string {
	if arg {
		return t.Enum.Name + " | int" // a member, or an int that is one of the values
	}
	return t.Enum.Name
}
func (enumFamily) sample(t *spec.Type) string {
	return "mod." + t.Enum.Name + "." + t.Enum.Members[0].Name
}

// ---- datetime (aware): a Go time.Time.

type datetimeFamily struct{ inRuntime }

func (datetimeFamily) pyType(*spec.Type, bool) string { return "datetime.datetime" }
func (datetimeFamily) sample(*spec.Type) string {
	return "__import__('datetime').datetime(2000, 1, 1, tzinfo=__import__('datetime').timezone.utc)"
}

// ---- timedelta: a Go time.Duration.

type timedeltaFamily struct{ inRuntime }

func (timedeltaFamily) pyType(*spec.Type, bool) string { return "datetime.timedelta" }
func (timedeltaFamily) sample(*spec.Type) string       { return "__import__('datetime').timedelta(0)" }

// ---- iterator[T], iterator[K, V]: a Go iter.Seq whose items Python pulls
// in batches (a result only).

type iteratorFamily struct{ resultOnly }

func (iteratorFamily) goToPy(t *spec.Type, v string) string {
	return iteratorToPy(t, v, "")
}
func (iteratorFamily) resultToPy(t *spec.Type, v, fn string) string {
	return iteratorToPy(t, v, fn)
}
func (iteratorFamily) toPy(_ *converterSet, t *spec.Type, _ lineWriter) {
	noPart(t, "converter (each batch converts as a list)")
}
func (iteratorFamily) pyType(t *spec.Type, arg bool) string {
	if t.Key != nil {
		return "Iterator[tuple[" + pyType(t.Key, arg) + ", " + pyType(t.Elem, arg) + "]]"
	}
	return "Iterator[" + pyType(t.Elem, arg) + "]"
}
