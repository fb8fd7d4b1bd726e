package codegen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pyspec/pyspec/spec"
)

// The spellings the templates place: every conversion between Python, C
// and Go is chosen here, once per type, so the templates hold no decisions.

// elemCode is the pyspec.h element code of a scalar, str or bytes type.
func elemCode(t *spec.Type) string {
	switch t.Kind {
	case spec.KindStr:
		return "PYSPEC_T_STR"
	case spec.KindBytes:
		return "PYSPEC_T_BYTES"
	}
	return "PYSPEC_T_" + strings.ToUpper(t.Spec)
}

// baseType is the type a parameter's value has once None is ruled out.
func baseType(t *spec.Type) *spec.Type {
	if t.Kind == spec.KindOptional {
		return t.Elem
	}
	return t
}

// cConv is the C statement converting PyObject* src into the C field dst,
// for parameter index i of signature sig; it evaluates to < 0 on failure.
func cConv(t *spec.Type, src, dst, sig string, i int) string {
	t = baseType(t)
	switch t.Kind {
	case spec.KindList:
		return fmt.Sprintf("pyspec_conv_list(%s, &%s, %s, %s, &%s, %d)", src, dst, elemCode(t.Elem), seqFormC(t.Seq), sig, i)
	case spec.KindObject:
		return fmt.Sprintf("pyspec_conv_object(%s, &%s, shared.types[%d], &%s, %d)", src, dst, t.Class.Index, sig, i)
	case spec.KindBuffer:
		if t.Elems != nil {
			shape, named := "NULL", "NULL"
			if t.Shaped {
				shape, named = "&"+shapeVar(sig, i), "named_dims"
			}
			return fmt.Sprintf("pyspec_conv_buffer_of(%s, &%s, &%s, %s, %s, &%s, %s, %s, &%s, %d)",
				src, viewLocal(i), dst, t.FlagsC, elemMask(t.Elems), elemField(dst), shape, named, sig, i)
		}
		elem := "-1"
		if t.Elem != nil {
			elem = elemCode(t.Elem)
		}
		if t.Shaped {
			return fmt.Sprintf("pyspec_conv_shaped_buffer(%s, &%s, &%s, %s, %s, &%s, named_dims, &%s, %d)",
				src, viewLocal(i), dst, t.FlagsC, elem, shapeVar(sig, i), sig, i)
		}
		return fmt.Sprintf("pyspec_conv_buffer(%s, &%s, &%s, %s, %s, &%s, %d)", src, viewLocal(i), dst, t.FlagsC, elem, sig, i)
	}
	return fmt.Sprintf("pyspec_conv_%s(%s, &%s, &%s, %d)", t.ID(), src, dst, sig, i)
}

// elemMask is the C bit set of element codes es.
func elemMask(es []*spec.Type) string {
	bits := make([]string, len(es))
	for i, e := range es {
		bits[i] = "1u << " + elemCode(e)
	}
	return "(" + strings.Join(bits, " | ") + ")"
}

// elemField is the args field beside buffer field dst (a.p_x) that holds
// its element code (a.e_x).
func elemField(dst string) string { return strings.Replace(dst, ".p_", ".e_", 1) }

// seqFormC names form as pyspec_abi.h does, for C and for Go's C.
func seqFormC(form spec.SeqForm) string {
	return [...]string{spec.SeqList: "PYSPEC_SEQ_LIST", spec.SeqTuple: "PYSPEC_SEQ_TUPLE", spec.SeqIterable: "PYSPEC_SEQ_ITERABLE"}[form]
}

// viewLocal is the C variable holding the Py_buffer of buffer argument i:
// it stays in C, Go sees the descriptor in the argument struct.
func viewLocal(i int) string { return fmt.Sprintf("view%d", i) }

// cLocal declares the C variable an argument needs besides its field, or "".
func cLocal(t *spec.Type, i int) string {
	if baseType(t).Kind == spec.KindBuffer {
		return "pyspec_view " + viewLocal(i) + ";"
	}
	return ""
}

// cRelease is the C call releasing a converted argument, or "".
func cRelease(t *spec.Type, field string, i int) string {
	switch baseType(t).Kind {
	case spec.KindList:
		return "pyspec_list_release(&" + field + ")"
	case spec.KindBuffer:
		return "pyspec_view_release(&" + viewLocal(i) + ")"
	}
	return ""
}

// cZero is the C statement clearing the value field of an absent optional:
// the Go glue converts it whether or not it is present.
func cZero(t *spec.Type, field string) string {
	return fmt.Sprintf("%s = (%s){0};", field, t.CType())
}

// cDefault is the C statements giving field the parameter's default.
func cDefault(p *spec.Param, field, present string) string {
	d := p.Default
	switch {
	case d.IsNone:
		return present + " = 0; " + cZero(p.Type, field)
	case p.Type.Kind == spec.KindOptional:
		return present + " = 1; " + cDefaultValue(p.Type.Elem, d, field)
	}
	return cDefaultValue(p.Type, d, field)
}

func cDefaultValue(t *spec.Type, d *spec.Default, field string) string {
	switch t.Kind {
	case spec.KindStr, spec.KindBytes:
		return fmt.Sprintf("%s.ptr = %s; %s.len = %d;", field, d.C, field, d.CLen)
	case spec.KindList:
		return fmt.Sprintf("%s.items = NULL; %s.len = 0; %s.keep = NULL;", field, field, field)
	}
	return fmt.Sprintf("%s = %s;", field, d.C)
}

// goFromC is the Go expression of an argument's value from its C field.
func goFromC(t *spec.Type, field, present string) string {
	if t.Kind == spec.KindOptional && t.Elem.Kind == spec.KindObject {
		return fmt.Sprintf("optRef_%s(%s, &%s)", t.Elem.Class.GoName, present, field)
	}
	if t.Kind == spec.KindOptional {
		return fmt.Sprintf("opt(%s, %s)", present, goFromC(t.Elem, field, ""))
	}
	switch t.Kind {
	case spec.KindBool:
		return "goBool(" + field + ")"
	case spec.KindInt, spec.KindFloat:
		return t.GoTypeIn("") + "(" + field + ")" // py.Float16 for a float16's bits
	case spec.KindStr:
		return "goString(&" + field + ")"
	case spec.KindBytes:
		return "goBytes(&" + field + ")"
	case spec.KindList:
		switch t.Elem.Kind {
		case spec.KindStr:
			return "goStringList(&" + field + ")"
		case spec.KindBytes:
			return "goBytesList(&" + field + ")"
		}
		return "goList[" + t.Elem.GoType() + "](&" + field + ")"
	case spec.KindObject:
		return "ref_" + t.Class.GoName + "(&" + field + ")"
	case spec.KindBuffer:
		if t.Elem != nil {
			return "goView[" + t.Elem.GoType() + "](&" + field + ")"
		}
		return "goBuffer(&" + field + ")"
	}
	panic("codegen: no Go conversion for " + t.Spec)
}

// resultInC reports whether a lone result travels as a C scalar (converted
// to Python by C) rather than as a PyObject* built by the Go glue.
func resultInC(t *spec.Type) bool { return t.IsScalar() }

// cResultType is the C field type of a result.
func cResultType(t *spec.Type, alone bool) string {
	if alone && resultInC(t) {
		return t.CType()
	}
	return "PyObject*"
}

// goToC is the Go expression storing Go value v into a result field.
func goToC(t *spec.Type, v string, alone bool) string {
	if alone && resultInC(t) {
		if t.Kind == spec.KindBool {
			return "cBool(" + v + ")"
		}
		return "C." + t.CType() + "(" + v + ")"
	}
	return goToPy(t, v)
}

// goToPy is the Go expression building a Python object from Go value v.
func goToPy(t *spec.Type, v string) string {
	if t.Dynamic() {
		return toPyName(t) + "(" + v + ")"
	}
	switch t.Kind {
	case spec.KindBool:
		return "pyBool(" + v + ")"
	case spec.KindInt:
		if t.Signed {
			return "pyInt(" + v + ")"
		}
		return "pyUint(" + v + ")"
	case spec.KindFloat:
		if t.Bits == 16 {
			return "pyFloat(" + v + ".Float64())"
		}
		return "pyFloat(" + v + ")"
	case spec.KindStr:
		return "pyStr(" + v + ")"
	case spec.KindBytes:
		return "pyBytes(" + v + ")"
	case spec.KindList:
		switch t.Elem.Kind {
		case spec.KindStr:
			return "pyStrList(" + v + ")"
		case spec.KindBytes:
			return "pyBytesList(" + v + ")"
		}
		return "pyList(" + v + ", C." + elemCode(t.Elem) + ")"
	case spec.KindObject:
		return "wrap_" + t.Class.GoName + "(" + v + ")"
	case spec.KindBuffer:
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
	case spec.KindIterator:
		return iteratorToPy(t, v, "")
	case spec.KindOptional:
		if t.Elem.Kind == spec.KindObject {
			return "wrapOpt_" + t.Elem.Class.GoName + "(" + v + ")"
		}
		return "pyOpt(" + v + ", func(x " + t.Elem.GoType() + ") *C.PyObject { return " + goToPy(t.Elem, "x") + " })"
	}
	panic("codegen: no Python conversion for " + t.Spec)
}

// cToPy is the C expression of the Python object held by a result field.
func cToPy(t *spec.Type, field string, alone bool) string {
	if !alone || !resultInC(t) {
		return field
	}
	switch {
	case t.Kind == spec.KindBool:
		return "pyspec_from_bool(" + field + ")"
	case t.Kind == spec.KindFloat && t.Bits == 16:
		return "pyspec_from_float16(" + field + ")"
	case t.Kind == spec.KindFloat:
		return "pyspec_from_float64(" + field + ")"
	case t.Signed:
		return "pyspec_from_int64(" + field + ")"
	}
	return "pyspec_from_uint64(" + field + ")"
}

// batchList is the list type an iterator's batch of items of type e
// converts as.
func batchList(e *spec.Type) *spec.Type {
	return &spec.Type{Kind: spec.KindList, Elem: e, Seq: spec.SeqList, Spec: "list[" + e.Spec + "]"}
}

// iteratorToPy is the Go expression making the Python iterator over the
// Go sequence v, of the Go function fn. Scalar items cross as arrays the C
// part converts item by item; others as lists.
func iteratorToPy(t *spec.Type, v, fn string) string {
	batch := func(e *spec.Type) string {
		return "func(xs " + goType(batchList(e)) + ") *C.PyObject { return " + goToPy(batchList(e), "xs") + " }"
	}
	code, conv := "-1", batch(t.Elem)
	if t.Elem.IsScalar() {
		code, conv = "C."+elemCode(t.Elem), "nil"
	}
	switch {
	case t.Key != nil:
		return fmt.Sprintf("pySeq2(%s, %q, %d, %s, %s)", v, fn, t.Batch, batch(t.Key), batch(t.Elem))
	case t.SeqErr:
		return fmt.Sprintf("pySeqErr(%s, %q, %d, %s, %s)", v, fn, t.Batch, code, conv)
	}
	return fmt.Sprintf("pySeq(%s, %q, %d, %s, %s)", v, fn, t.Batch, code, conv)
}

// shapeVar is the C variable holding the shape buffer parameter i of the
// call whose signature variable is sig must have.
func shapeVar(sig string, i int) string {
	return strings.TrimSuffix(sig, "_sig") + fmt.Sprintf("_shape%d", i)
}

// shapeDecls declares the shapes the buffer parameters of a call must have
// (named sizes are numbered across the call), and the local that holds
// the named sizes of one call.
func shapeDecls(sig *spec.Signature, sigVar string) (decls []string, local string) {
	index := map[string]int{}
	var names []string
	for i, p := range sig.Params {
		t := baseType(p.Type)
		if t.Kind != spec.KindBuffer || !t.Shaped {
			continue
		}
		v := shapeVar(sigVar, i)
		dims := make([]string, len(t.Dims))
		for k, d := range t.Dims {
			switch {
			case d.Name != "":
				n, ok := index[d.Name]
				if !ok {
					n = len(names)
					index[d.Name] = n
					names = append(names, d.Name)
				}
				dims[k] = strconv.Itoa(-2 - n)
			default:
				dims[k] = strconv.Itoa(d.Size)
			}
		}
		if len(dims) == 0 {
			dims = []string{"0"} // a 0-d shape: C has no empty arrays
		}
		decls = append(decls,
			fmt.Sprintf("static const Py_ssize_t %s_dims[] = {%s};", v, strings.Join(dims, ", ")),
			fmt.Sprintf("static const pyspec_shape %s = {.ndim = %d, .dims = %s_dims, .names = %s_names, .text = %s};",
				v, len(t.Dims), v, strings.TrimSuffix(sigVar, "_sig"), cLiteral(t.ShapeText())))
	}
	if len(decls) == 0 {
		return nil, ""
	}
	quoted := make([]string, len(names))
	for k, n := range names {
		quoted[k] = cLiteral(n)
	}
	quoted = append(quoted, "NULL")
	nameDecl := fmt.Sprintf("static const char* const %s_names[] = {%s};", strings.TrimSuffix(sigVar, "_sig"), strings.Join(quoted, ", "))
	local = "pyspec_named_dim* const named_dims = NULL;"
	if len(names) > 0 {
		unset := strings.Repeat("{0, -1}, ", len(names))
		local = fmt.Sprintf("pyspec_named_dim named_dims[%d] = {%s}; // %s", len(names), strings.TrimSuffix(unset, ", "), strings.Join(names, ", "))
	}
	return append([]string{nameDecl}, decls...), local
}
