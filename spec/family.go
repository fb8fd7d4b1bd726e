package spec

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// A family is one kind of type as the spec knows it: how the author's Go
// code spells it (the binder checks the Go package against that), its
// identifier, where in a type expression it may stand, and how a YAML
// value (an example or a default) becomes a Python value. Every per-kind
// decision of the spec is a method here; the code generator has its own
// families for C, the Go glue, stubs and tests (codegen/family.go).
//
// A new kind of type is four files:
//   - spec/families.go: its TypeKind, its family and, for a plain name,
//     its entry in simpleTypes (a name with parameters, name[...], also
//     needs its grammar in types.go);
//   - codegen/families.go: its family there;
//   - its runtime converters: gopart's objects.go for a kind the Go part
//     converts, the static C (codegen/static/rt) for one C converts (a
//     converter that needs a new call into Python's C API from Go adds
//     it to the host table: rt/host.c, pyspec_abi.h, gopart/pyspec_go.h);
//   - schema/pyspec.schema.json: its spelling in typeExpr's description.
//
// The tests fail until each is there: TestEveryKindHasAFamily,
// TestSpellingsAreInTheSchema and codegen's TestEveryKindHasItsParts.
type family interface {
	// spellings are how a spec writes types of this kind, as error
	// messages and the schema's description list them (none for the
	// kinds the module names: classes, structs, enums).
	spellings() []string
	// goType spells t in Go, with the author's package imported as pkg
	// ("" inside it) and pyspec's py package as "py".
	goType(t *Type, pkg string) string
	// id is a short name of t usable in C and Go identifiers.
	id(t *Type) string
	// nilable reports whether t's Go type has nil, so that None of an
	// optional t is nil rather than a nil pointer.
	nilable() bool
	// numeric reports whether numpy has a dtype for t: a ufunc operand.
	numeric() bool

	// asKey says why t cannot be a dict key or set element (what names
	// which), or is nil when it can.
	asKey(t *Type, what string) error
	// asElem says why t cannot be inside a container, or is nil.
	asElem(t *Type) error
	// asOptional says why t | None cannot be written where, or is nil.
	asOptional(t *Type, where typeContext) error
	// inUnion says why t cannot be an alternative of a union, or is nil.
	inUnion(t *Type) error

	// example spells a YAML value (not null) of type t as a Python
	// expression, for the generated tests.
	example(n *yaml.Node, t *Type) (string, error)
	// approx reports whether values of t hold floats, which examples
	// compare with pytest.approx.
	approx(t *Type) bool
	// defaultOf checks a plain YAML value (not null) as a default of t.
	defaultOf(t *Type, n *yaml.Node) (*Default, error)
}

func familyOf(t *Type) family {
	f, ok := families[t.Kind]
	if !ok {
		panic(fmt.Sprintf("spec: type %s (kind %d) has no family", t.Spec, t.Kind))
	}
	return f
}

// base is what a family is unless it says otherwise: a value with no nil,
// no dtype, no key, that may be anywhere, has no example spelling and
// takes no default but None.
type base struct{}

func (base) nilable() bool { return false }
func (base) numeric() bool { return false }
func (base) asKey(t *Type, what string) error {
	return fmt.Errorf("a %s must be bool, an int, a float, complex128, str or an enum, not %s", what, t.Spec)
}
func (base) asElem(*Type) error                  { return nil }
func (base) asOptional(*Type, typeContext) error { return nil }
func (base) inUnion(*Type) error                 { return nil }
func (base) example(_ *yaml.Node, t *Type) (string, error) {
	return "", fmt.Errorf("%s values cannot be written in an example", t.Spec)
}
func (base) approx(*Type) bool { return false }
func (base) defaultOf(t *Type, _ *yaml.Node) (*Default, error) {
	return nil, fmt.Errorf("%s parameters cannot have a default (but None when optional)", t.Spec)
}

// key is the base of the families that can key a Go map.
type key struct{ base }

func (key) asKey(*Type, string) error { return nil }

// whole is the base of the families that are a whole parameter or result,
// never a part of another type (each says why not as an element).
type whole struct{ base }

func (whole) inUnion(t *Type) error {
	return fmt.Errorf("%s cannot be part of a union", t.Spec)
}
