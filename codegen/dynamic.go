package codegen

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pyspec/pyspec/spec"
)

// The types the Go part converts itself (spec.Type.Dynamic): the C part
// hands their arguments over as the Python objects they are, and each such
// type has a converter in each direction, fromPy_<ID> and toPy_<ID>. The
// converters of the simple types live in objects.go (static); those of
// composed types (lists, dicts, sets, optionals, unions, structs, enums,
// classes, callables) are generated here, once per type the module uses.

// staticConverters are the IDs objects.go defines converters for.
var staticConverters = map[string]bool{
	"bool": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint8": true, "uint16": true, "uint32": true, "uint64": true, "float16": true, "float32": true, "float64": true,
	"str": true, "bytes": true, "object": true, "complex128": true, "datetime": true, "timedelta": true,
	"callable": true,
}

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
	if staticConverters[t.ID()] {
		return
	}
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	gt := goType(t)
	switch t.Kind {
	case spec.KindList:
		cs.needFrom(t.Elem)
		w("func %s(o *C.PyObject) (%s, error) {", name, gt)
		w("\treturn fromSeq(o, C.%s, %s)", seqFormC(t.Seq), fromPyName(t.Elem))
		w("}")
	case spec.KindOptional:
		cs.needFrom(t.Elem)
		w("func %s(o *C.PyObject) (%s, error) {", name, gt)
		if t.Elem.Kind == spec.KindUnion {
			// The union's message lists None too.
			w("\tif isNone(o) {")
			w("\t\treturn nil, nil")
			w("\t}")
			w("\treturn fromUnion(o, %q, alts_%s)", t.Spec, t.Elem.ID())
		} else if t.Elem.Nilable() {
			w("\treturn fromOptNil(o, %s)", fromPyName(t.Elem))
		} else {
			w("\treturn fromOpt(o, %s)", fromPyName(t.Elem))
		}
		w("}")
	case spec.KindDict:
		cs.needFrom(t.Key)
		cs.needFrom(t.Elem)
		w("func %s(o *C.PyObject) (%s, error) {", name, gt)
		w("\treturn fromDict(o, %s, %s)", fromPyName(t.Key), fromPyName(t.Elem))
		w("}")
	case spec.KindSet:
		cs.needFrom(t.Elem)
		w("func %s(o *C.PyObject) (%s, error) {", name, gt)
		w("\treturn fromSet(o, %s)", fromPyName(t.Elem))
		w("}")
	case spec.KindUnion:
		var alts []string
		for _, it := range t.Items {
			cs.needFrom(it)
			alts = append(alts, "anyOf("+fromPyName(it)+")")
		}
		w("// The alternatives of %s, in the order a value tries them.", t.Spec)
		w("var alts_%s = []func(*C.PyObject) (any, error){%s}", t.ID(), strings.Join(alts, ", "))
		w("")
		w("func %s(o *C.PyObject) (any, error) {", name)
		w("\treturn fromUnion(o, %q, alts_%s)", t.Spec, t.ID())
		w("}")
	case spec.KindEnum:
		cs.enums[t.Enum] = true
		w("func %s(o *C.PyObject) (%s, error) {", name, gt)
		w("\tvar v C.int64_t")
		w("\tif st := C.host_to_enum(o, %d, &v); st != 0 {", t.Enum.Index)
		w("\t\treturn 0, statusError(st)")
		w("\t}")
		w("\treturn %s(v), nil", gt)
		w("}")
	case spec.KindObject:
		cs.classes[t.Class] = true
		w("func %s(o *C.PyObject) (%s, error) {", name, gt)
		w("\tvar r C.pyspec_ref")
		w("\tif st := C.host_to_instance(o, %d, &r); st != 0 {", t.Class.Index)
		w("\t\treturn nil, statusError(st)")
		w("\t}")
		w("\treturn ref_%s(&r), nil", t.Class.GoName)
		w("}")
	case spec.KindStruct:
		cs.structs[t.Struct] = true
		s := t.Struct
		var keys, required []string
		for _, p := range s.Params {
			cs.needFrom(p.Type)
			keys = append(keys, strconv.Quote(p.Name))
			required = append(required, strconv.FormatBool(p.Default == nil))
		}
		w("var keys_%s = []string{%s}", s.Name, strings.Join(keys, ", "))
		w("var required_%s = []bool{%s}", s.Name, strings.Join(required, ", "))
		w("")
		w("// %s reads a dict with the keys of struct %s.", name, s.Name)
		w("func %s(o *C.PyObject) (v %s, err error) {", name, gt)
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
	case spec.KindCallable:
		w("func %s(o *C.PyObject) (%s, error) {", name, gt)
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
	default:
		panic("codegen: no converter from Python for " + t.Spec)
	}
	cs.code[name] = b.String()
}

// needTo makes sure toPy_<ID of t> exists.
func (cs *converterSet) needTo(t *spec.Type) {
	name := toPyName(t)
	if cs.to[name] {
		return
	}
	cs.to[name] = true
	if staticConverters[t.ID()] {
		return
	}
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	gt := goType(t)
	switch t.Kind {
	case spec.KindList:
		cs.needTo(t.Elem)
		w("func %s(v %s) *C.PyObject { return toSeq(v, %v, %s) }", name, gt, t.Seq == spec.SeqTuple, toPyName(t.Elem))
	case spec.KindOptional:
		cs.needTo(t.Elem)
		if t.Elem.Nilable() {
			w("func %s(v %s) *C.PyObject { return toOptNil(v, %s) }", name, gt, toPyName(t.Elem))
		} else {
			w("func %s(v %s) *C.PyObject { return pyOpt(v, %s) }", name, gt, toPyName(t.Elem))
		}
	case spec.KindDict:
		cs.needTo(t.Key)
		cs.needTo(t.Elem)
		build := "toDict"
		if t.Key.Kind == spec.KindBool || t.Key.Kind == spec.KindComplex {
			build = "toDictAnyOrder"
		}
		w("func %s(v %s) *C.PyObject { return %s(v, %s, %s) }", name, gt, build, toPyName(t.Key), toPyName(t.Elem))
	case spec.KindSet:
		cs.needTo(t.Elem)
		w("func %s(v %s) *C.PyObject { return toSet(v, %s) }", name, gt, toPyName(t.Elem))
	case spec.KindUnion:
		w("func %s(v any) *C.PyObject {", name)
		w("\tswitch x := v.(type) {")
		for _, it := range t.Items {
			cs.needTo(it)
			w("\tcase %s:", goType(it))
			w("\t\treturn %s(x)", toPyName(it))
		}
		w("\t}")
		w("\treturn unionMismatch(v, %q)", t.Spec)
		w("}")
	case spec.KindEnum:
		cs.enums[t.Enum] = true
		w("func %s(v %s) *C.PyObject { return C.host_from_enum(%d, C.int64_t(v)) }", name, gt, t.Enum.Index)
	case spec.KindObject:
		cs.classes[t.Class] = true
		w("func %s(v %s) *C.PyObject { return wrap_%s(v) }", name, gt, t.Class.GoName)
	case spec.KindStruct:
		cs.structs[t.Struct] = true
		w("// %s makes a dict with the keys of struct %s.", name, t.Struct.Name)
		w("func %s(v %s) *C.PyObject {", name, gt)
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
	default:
		panic("codegen: no converter to Python for " + t.Spec)
	}
	cs.code[name] = b.String()
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
