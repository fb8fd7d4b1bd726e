package codegen

import (
	"fmt"
	"strings"

	"github.com/pyspec/pyspec/spec"
)

// A family is one kind of spec type as the generated code handles it:
// which side converts it (C or the Go part), its C field, its conversions
// in each direction, how the .pyi stub spells it and what sample value the
// generated tests pass. Every per-kind decision of code generation is a
// method here, so a new kind of type is one family (families.go), its
// runtime converters (the static C or gopart) and the spec's side of it
// (spec/family.go lists the four files).
//
// The parts a kind does not have (a result-only kind has no conversion
// from Python; the Go part converts what C passes through as an object)
// come from the embedded bases below, which say so when reached.
type family interface {
	// goConverts reports whether the Go part converts values of t from
	// and to Python objects itself, the C part passing the object through,
	// rather than C converting them to C values.
	goConverts(t *spec.Type) bool

	// cType is the C type of the argument field holding a converted t.
	cType(t *spec.Type) string
	// cConv is the C expression converting PyObject* src into the field
	// dst, for parameter i of the signature whose C variable is sig; it
	// is < 0 on failure, with the exception set.
	cConv(t *spec.Type, src, dst, sig string, i int) string
	// cLocal declares the C variable argument i needs besides its field,
	// or is "".
	cLocal(t *spec.Type, i int) string
	// cRelease is the C call releasing a converted argument, or "".
	cRelease(t *spec.Type, field string, i int) string
	// cDefault is the C statements giving field the default d.
	cDefault(t *spec.Type, d *spec.Default, field string) string
	// goFromC is the Go expression of an argument's value from its C
	// field (present: the C flag of an optional).
	goFromC(t *spec.Type, field, present string) string
	// goToPy is the Go expression building a Python object from Go value
	// v (NULL with an exception set on failure).
	goToPy(t *spec.Type, v string) string

	// fromPy and toPy write the Go part's converters fromPy_<ID> and
	// toPy_<ID> of a type it converts, asking cs for those of the types
	// inside it; they write nothing when the runtime (gopart) defines
	// them.
	fromPy(cs *converterSet, t *spec.Type, w lineWriter)
	toPy(cs *converterSet, t *spec.Type, w lineWriter)

	// pyType spells t for a stub: as a parameter when arg, where Python
	// accepts more than results give back.
	pyType(t *spec.Type, arg bool) string
	// sample is a Python expression of a value that converts to t, or ""
	// when the spec alone cannot make one.
	sample(t *spec.Type) string

	// isObject reports whether a Go value of t is a py.Object, or holds
	// one apart from its parts (the Go part then keeps them alive while
	// it runs).
	isObject(t *spec.Type) bool
	// argOnly reports whether only an argument can be a t (a buffer, a
	// callable borrowed for the call), so a struct holding one cannot
	// cross as a dict.
	argOnly(t *spec.Type) bool
	// cConstant is the C expression making the Python value of a module
	// constant of type t.
	cConstant(t *spec.Type, d *spec.Default) string
}

// plain is the base of every family: a value that is no object and
// may be anywhere.
type plain struct{}

func (plain) isObject(*spec.Type) bool { return false }
func (plain) argOnly(*spec.Type) bool  { return false }
func (plain) cConstant(t *spec.Type, _ *spec.Default) string {
	return noPart(t, "constant (spec allows bool, ints, floats and str)")
}

// fieldLayout is the part of the scalar families that lets C read and
// write a class attribute of their type in the Go object's memory.
type fieldLayout interface {
	// layout is the field's C type in Go's memory, its size and the C
	// expression of its Python value from the field at p.
	layout(t *spec.Type) (cType string, size int, toPy string)
}

// numpyDtype is the part of the numeric families that numpy has a dtype
// for: they can be ufunc operands.
type numpyDtype interface {
	ufuncOperand(t *spec.Type) ufuncOperand
}

// cElement is the part of the families whose values C holds in arrays:
// the items of a list C converts, a buffer's elements, an iterator's
// batch.
type cElement interface {
	// elemCode is the element code pyspec.h gives t.
	elemCode(t *spec.Type) string
	// goSliceFromC is the Go []T of the C list field.
	goSliceFromC(t *spec.Type, field string) string
	// goSliceToPy is the Go expression of the Python list of []T v.
	goSliceToPy(t *spec.Type, v string) string
}

// scalarElement is the cElement part of bool, the ints and the floats.
type scalarElement struct{}

func (scalarElement) elemCode(t *spec.Type) string { return "PYSPEC_T_" + strings.ToUpper(t.Spec) }
func (scalarElement) goSliceFromC(t *spec.Type, field string) string {
	return "goList[" + t.GoType() + "](&" + field + ")"
}
func (e scalarElement) goSliceToPy(t *spec.Type, v string) string {
	return "pyList(" + v + ", C." + e.elemCode(t) + ")"
}

// cResult is the part of the scalar families whose lone results travel
// as C values, which C makes the Python object of (the Go part then
// makes no call back into C).
type cResult interface {
	// goToCResult is the Go expression of Go value v as the C field.
	goToCResult(t *spec.Type, v string) string
	// cResultToPy is the C expression of the Python value of the field.
	cResultToPy(t *spec.Type, field string) string
}

// namedResult is the part of the families whose Python value outlives
// the call and names the Go function in its later errors (an iterator's
// sequence panics at a later next()).
type namedResult interface {
	resultToPy(t *spec.Type, v, fn string) string
}

// lineWriter writes one line of generated code.
type lineWriter func(format string, args ...any)

// familyOf is the family of t.
func familyOf(t *spec.Type) family {
	f, ok := families[t.Kind]
	if !ok {
		panic(fmt.Sprintf("codegen: type %s (kind %d) has no family", t.Spec, t.Kind))
	}
	return f
}

// noPart is what a family says of a part it does not have: reaching it is
// a bug of the spec's checks or of the code generator, never of a spec.
func noPart(t *spec.Type, part string) string {
	panic(fmt.Sprintf("codegen: %s has no %s", t.Spec, part))
}

// cConverted is the base of the kinds the C part converts to C values:
// they have no generated Go converters (the runtime's serve where one is
// needed) and hold no objects.
type cConverted struct{ plain }

func (cConverted) goConverts(*spec.Type) bool                   { return false }
func (cConverted) cLocal(*spec.Type, int) string                { return "" }
func (cConverted) cRelease(*spec.Type, string, int) string      { return "" }
func (cConverted) fromPy(*converterSet, *spec.Type, lineWriter) {}
func (cConverted) toPy(*converterSet, *spec.Type, lineWriter)   {}
func (cConverted) cDefault(t *spec.Type, d *spec.Default, field string) string {
	return field + " = " + cValue(t, d) + ";"
}

// cConvertedByID is a C-converted kind whose C converter is named after
// its type: pyspec_conv_<ID>.
type cConvertedByID struct{ cConverted }

func (cConvertedByID) cConv(t *spec.Type, src, dst, sig string, i int) string {
	return fmt.Sprintf("pyspec_conv_%s(%s, &%s, &%s, %d)", t.ID(), src, dst, sig, i)
}

// goConverted is the base of the kinds the Go part converts: C passes
// the object through, and the Go part calls fromPy_<ID> and toPy_<ID>.
type goConverted struct{ plain }

func (goConverted) goConverts(*spec.Type) bool { return true }
func (goConverted) cType(*spec.Type) string    { return "PyObject*" }
func (goConverted) cConv(t *spec.Type, _, _, _ string, _ int) string {
	return noPart(t, "C conversion (the Go part converts it)")
}
func (goConverted) cLocal(*spec.Type, int) string           { return "" }
func (goConverted) cRelease(*spec.Type, string, int) string { return "" }
func (goConverted) cDefault(t *spec.Type, _ *spec.Default, _ string) string {
	return noPart(t, "C default (the Go part applies it)")
}
func (goConverted) goFromC(t *spec.Type, _, _ string) string {
	return noPart(t, "C field (the Go part converts the object)")
}
func (goConverted) goToPy(t *spec.Type, v string) string { return toPyName(t) + "(" + v + ")" }

// inRuntime is the base of the Go-converted kinds whose converters the
// runtime (gopart's objects.go) defines once for every module.
type inRuntime struct{ goConverted }

func (inRuntime) fromPy(*converterSet, *spec.Type, lineWriter) {}
func (inRuntime) toPy(*converterSet, *spec.Type, lineWriter)   {}

// resultOnly is the base of the kinds that only a result can be: Go
// builds the Python value; nothing converts one from Python.
type resultOnly struct{ plain }

func (resultOnly) goConverts(*spec.Type) bool { return false }
func (resultOnly) cType(t *spec.Type) string  { return noPart(t, "C field (it is a result only)") }
func (resultOnly) cConv(t *spec.Type, _, _, _ string, _ int) string {
	return noPart(t, "conversion from Python (it is a result only)")
}
func (resultOnly) cLocal(*spec.Type, int) string           { return "" }
func (resultOnly) cRelease(*spec.Type, string, int) string { return "" }
func (resultOnly) cDefault(t *spec.Type, _ *spec.Default, _ string) string {
	return noPart(t, "default (it is a result only)")
}
func (resultOnly) goFromC(t *spec.Type, _, _ string) string {
	return noPart(t, "conversion from Python (it is a result only)")
}
func (resultOnly) fromPy(_ *converterSet, t *spec.Type, _ lineWriter) {
	noPart(t, "conversion from Python (it is a result only)")
}
func (resultOnly) sample(*spec.Type) string { return "" }
