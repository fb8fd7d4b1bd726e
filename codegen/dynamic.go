package codegen

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pyspec/pyspec/spec"
)

// The types the Go part converts itself (family.goConverts): the C part
// hands their arguments over as the Python objects they are, and each such
// type has a converter in each direction, fromPy_<ID> and toPy_<ID>. The
// converters of the simple types live in gopart's objects.go; those of
// composed types (lists, dicts, sets, optionals, unions, structs, enums,
// classes, callables) are written by their families (families.go), once
// per type the module uses.

func fromPyName(t *spec.Type) string { return "fromPy_" + t.ID() }
func toPyName(t *spec.Type) string   { return "toPy_" + t.ID() }

// converterSet collects the converters a module needs, each generated once.
type converterSet struct {
	from, to map[string]bool
	code     map[string]string // by function name
	// classes, structs and enums reached: registered for py.ValueOf
	// and py.As.
	classes map[*spec.Class]bool
	structs map[*spec.Struct]bool
	enums   map[*spec.Enum]bool
}

func newConverterSet() *converterSet {
	return &converterSet{from: map[string]bool{}, to: map[string]bool{}, code: map[string]string{},
		classes: map[*spec.Class]bool{}, structs: map[*spec.Struct]bool{}, enums: map[*spec.Enum]bool{}}
}

// goType spells t in the Go part.
func goType(t *spec.Type) string { return t.GoTypeIn(implAlias) }

// needFrom makes sure fromPy_<ID of t> exists.
func (cs *converterSet) needFrom(t *spec.Type) {
	name := fromPyName(t)
	if cs.from[name] {
		return
	}
	cs.from[name] = true
	var b strings.Builder
	familyOf(t).fromPy(cs, t, func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) })
	if b.Len() > 0 {
		cs.code[name] = b.String()
	}
}

// needTo makes sure toPy_<ID of t> exists.
func (cs *converterSet) needTo(t *spec.Type) {
	name := toPyName(t)
	if cs.to[name] {
		return
	}
	cs.to[name] = true
	var b strings.Builder
	familyOf(t).toPy(cs, t, func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) })
	if b.Len() > 0 {
		cs.code[name] = b.String()
	}
}

// goDefault is the Go value of a parameter's default where the Go part
// converts the argument (absent arguments arrive as NULL), or "" when the
// converter's own handling of NULL is the default (None, [], {}).
func goDefault(p *spec.Param) string {
	d := p.Default
	if d == nil || d.IsNone {
		return ""
	}
	if d.Member != nil {
		return implAlias + "." + d.Member.GoName
	}
	if d.Go != "" {
		return d.Go
	}
	return ""
}

// sorted is the generated code, in name order (stable output).
func (cs *converterSet) sorted() []string {
	names := make([]string, 0, len(cs.code))
	for n := range cs.code {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = cs.code[n]
	}
	return out
}

// registrations are the init statements telling py.ValueOf and
// py.As how the module's classes, structs and enums cross, derived
// classes first.
func (cs *converterSet) registrations(m *spec.Module) []string {
	var out []string
	classes := append([]*spec.Class(nil), m.Classes...)
	sort.SliceStable(classes, func(i, j int) bool { return depth(classes[i]) > depth(classes[j]) })
	for _, c := range classes {
		if cs.classes[c] {
			out = append(out, fmt.Sprintf("registerType(toPy_obj_%s, fromPy_obj_%s, true)", c.Name, c.Name))
		}
	}
	for _, s := range m.Structs {
		if cs.structs[s] {
			out = append(out, fmt.Sprintf("registerType(toPy_struct_%s, fromPy_struct_%s, false)", s.Name, s.Name))
		}
	}
	for _, e := range m.Enums {
		if cs.enums[e] {
			out = append(out, fmt.Sprintf("registerType(toPy_enum_%s, fromPy_enum_%s, false)", e.Name, e.Name))
		}
	}
	return out
}

func depth(c *spec.Class) int {
	n := 0
	for b := c.Base; b != nil; b = b.Base {
		n++
	}
	return n
}
