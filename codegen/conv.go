package codegen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pyspec/pyspec/spec"
)

// The spellings the templates place: every conversion between Python, C
// and Go is chosen here, once per type, so the templates hold no decisions.

// elemCode is the pyspec.h element code of a type C holds in arrays.
func elemCode(t *spec.Type) string {
	if e, ok := familyOf(t).(cElement); ok {
		return e.elemCode(t)
	}
	panic("codegen: " + t.Spec + " is no C array element")
}

// baseType is the type a parameter's value has once None is ruled out.
func baseType(t *spec.Type) *spec.Type {
	if t.Kind == spec.KindOptional {
		return t.Elem
	}
	return t
}

// The per-kind parts, asked of t's family (families.go).

func goConverts(t *spec.Type) bool { return familyOf(t).goConverts(t) }
func cType(t *spec.Type) string    { return familyOf(t).cType(t) }
func cLocal(t *spec.Type, i int) string {
	return familyOf(t).cLocal(t, i)
}
func cRelease(t *spec.Type, field string, i int) string {
	return familyOf(t).cRelease(t, field, i)
}
func goToPy(t *spec.Type, v string) string { return familyOf(t).goToPy(t, v) }
func pyType(t *spec.Type, arg bool) string { return familyOf(t).pyType(t, arg) }
func pySample(t *spec.Type) string         { return familyOf(t).sample(t) }

// cConv is the C statement converting PyObject* src into the C field dst,
// for parameter index i of signature sig; it evaluates to < 0 on failure.
func cConv(t *spec.Type, src, dst, sig string, i int) string {
	return familyOf(t).cConv(t, src, dst, sig, i)
}

// goFromC is the Go expression of an argument's value from its C field.
func goFromC(t *spec.Type, field, present string) string {
	return familyOf(t).goFromC(t, field, present)
}

// elemMask is the C bit set of element codes es.
func elemMask(es []*spec.Type) string {
	bits := make([]string, len(es))
	for i, e := range es {
		bits[i] = "1u << " + elemCode(e)
	}
	return "(" + strings.Join(bits, " | ") + ")"
}

// elemAgreeField is the args field of a generic call that holds the
// element type its buffers share (pyspec_elem_agree).
const elemAgreeField = "elem"

// beside is the field name of the same struct as field f (a.p_x): a.name.
func beside(f, name string) string { return f[:strings.LastIndexByte(f, '.')+1] + name }

// seqFormC names form as pyspec_abi.h does, for C and for Go's C.
func seqFormC(form spec.SeqForm) string {
	return [...]string{spec.SeqList: "PYSPEC_SEQ_LIST", spec.SeqTuple: "PYSPEC_SEQ_TUPLE", spec.SeqIterable: "PYSPEC_SEQ_ITERABLE"}[form]
}

// viewLocal is the C variable holding the Py_buffer of buffer argument i:
// it stays in C, Go sees the descriptor in the argument struct.
func viewLocal(i int) string { return fmt.Sprintf("view%d", i) }

// cZero is the C statement clearing the value field of an absent optional:
// the Go glue converts it whether or not it is present.
func cZero(t *spec.Type, field string) string {
	return fmt.Sprintf("%s = (%s){0};", field, cType(t))
}

// cDefault is the C statements giving field the parameter's default.
func cDefault(p *spec.Param, field, present string) string {
	d, fam := p.Default, familyOf(p.Type)
	switch {
	case d.IsNone:
		return present + " = 0; " + cZero(p.Type, field)
	case p.Type.Kind == spec.KindOptional:
		return present + " = 1; " + fam.cDefault(p.Type, d, field) // the optional's own: its value's
	}
	return fam.cDefault(p.Type, d, field)
}

// resultInC reports whether a lone result travels as a C scalar (converted
// to Python by C) rather than as a PyObject* built by the Go glue.
func resultInC(t *spec.Type) bool {
	_, ok := familyOf(t).(cResult)
	return ok
}

// cResultType is the C field type of a result.
func cResultType(t *spec.Type, alone bool) string {
	if alone && resultInC(t) {
		return cType(t)
	}
	return "PyObject*"
}

// goToC is the Go expression storing Go value v, a result of the Go
// function fn, into a result field.
func goToC(t *spec.Type, v, fn string, alone bool) string {
	if alone && resultInC(t) {
		return familyOf(t).(cResult).goToCResult(t, v)
	}
	return resultToPy(t, v, fn)
}

// resultToPy is goToPy of a result of the Go function fn: some kinds
// (iterators) name it in errors that come later.
func resultToPy(t *spec.Type, v, fn string) string {
	if n, ok := familyOf(t).(namedResult); ok {
		return n.resultToPy(t, v, fn)
	}
	return goToPy(t, v)
}

// cToPy is the C expression of the Python object held by a result field.
func cToPy(t *spec.Type, field string, alone bool) string {
	if !alone || !resultInC(t) {
		return field
	}
	return familyOf(t).(cResult).cResultToPy(t, field)
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
