package spec

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// TypeKind classifies types.
type TypeKind int

const (
	KindBool TypeKind = iota
	KindInt
	KindFloat
	KindStr
	KindBytes
	KindBuffer
	KindList
	KindTuple // fixed tuple: return values only
	KindOptional
	KindObject // an instance of a spec class
	// Converted by the Go part from the Python object (codegen's goConverts).
	KindAny       // object: any Python object, Go py.Object
	KindDict      // dict[K, V]: Go map[K]V
	KindSet       // set[T]: Go map[T]struct{}
	KindStruct    // a spec struct as a value: a dict with its keys, Go the struct
	KindUnion     // A | B: Go any holding the alternative's Go value
	KindCallable  // callable[[A, B], R]: Go func(A, B) (R, error)
	KindEnum      // a spec enum: an IntEnum member, Go a named integer type
	KindDatetime  // an aware datetime: Go time.Time
	KindTimedelta // Go time.Duration
	KindComplex   // complex: Go complex128
	// KindIterator is iterator[T] (Go iter.Seq[T], or iter.Seq2[T, error])
	// or iterator[K, V] (Go iter.Seq2[K, V], 2-tuples in Python): a result
	// only. Python pulls the items in batches (see Type.Batch).
	KindIterator

	kindEnd // keep last: KindCount counts the kinds above
)

// KindCount is the number of TypeKinds: each has a family, in spec and in
// the code generator.
const KindCount = int(kindEnd)

// families holds the family of every TypeKind.
var families = map[TypeKind]family{
	KindBool:      boolFamily{},
	KindInt:       intFamily{},
	KindFloat:     floatFamily{},
	KindComplex:   complexFamily{},
	KindStr:       strFamily{},
	KindBytes:     bytesFamily{},
	KindBuffer:    bufferFamily{},
	KindList:      listFamily{},
	KindTuple:     tupleFamily{},
	KindOptional:  optionalFamily{},
	KindObject:    classFamily{},
	KindAny:       anyFamily{},
	KindDict:      dictFamily{},
	KindSet:       setFamily{},
	KindStruct:    structFamily{},
	KindUnion:     unionFamily{},
	KindCallable:  callableFamily{},
	KindEnum:      enumFamily{},
	KindDatetime:  datetimeFamily{},
	KindTimedelta: timedeltaFamily{},
	KindIterator:  iteratorFamily{},
}

// simpleTypes are the named types that take no parameters besides the
// scalars.
var simpleTypes = map[string]TypeKind{
	"str": KindStr, "bytes": KindBytes, "object": KindAny, "complex128": KindComplex,
	"datetime": KindDatetime, "timedelta": KindTimedelta,
}

// The families: see family.go.

// ---- bool.

type boolFamily struct{ key }

func (boolFamily) spellings() []string { return []string{"bool"} }

func (boolFamily) goType(*Type, string) string { return "bool" }
func (boolFamily) id(t *Type) string           { return t.Spec }
func (boolFamily) numeric() bool               { return true }
func (boolFamily) example(n *yaml.Node, _ *Type) (string, error) {
	if n.Tag != "!!bool" {
		return "", fmt.Errorf("%q is not a bool", n.Value)
	}
	if n.Value == "true" || n.Value == "True" || n.Value == "TRUE" {
		return "True", nil
	}
	return "False", nil
}
func (boolFamily) defaultOf(_ *Type, n *yaml.Node) (*Default, error) {
	if n.Tag != "!!bool" {
		return nil, fmt.Errorf("default %q is not a bool (true or false)", n.Value)
	}
	var b bool
	_ = n.Decode(&b)
	if b {
		return &Default{Python: "True", Value: true, Go: "true"}, nil
	}
	return &Default{Python: "False", Value: false, Go: "false"}, nil
}

// ---- int8..int64, uint8..uint64.

type intFamily struct{ key }

func (intFamily) spellings() []string { return []string{"int8..int64", "uint8..uint64"} }

func (intFamily) goType(t *Type, _ string) string { return t.Spec }
func (intFamily) id(t *Type) string               { return t.Spec }
func (intFamily) numeric() bool                   { return true }
func (intFamily) example(n *yaml.Node, _ *Type) (string, error) {
	if n.Tag != "!!int" {
		return "", fmt.Errorf("%q is not an integer", n.Value)
	}
	return strings.ReplaceAll(n.Value, "_", ""), nil
}
func (intFamily) defaultOf(t *Type, n *yaml.Node) (*Default, error) {
	if n.Tag != "!!int" {
		return nil, fmt.Errorf("default %q is not an integer", n.Value)
	}
	if t.Signed {
		v, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, t.Bits)
		if err != nil {
			return nil, fmt.Errorf("default %s is out of range for %s", n.Value, t.Spec)
		}
		return &Default{Python: strconv.FormatInt(v, 10), Value: v, Go: strconv.FormatInt(v, 10)}, nil
	}
	v, err := strconv.ParseUint(strings.ReplaceAll(n.Value, "_", ""), 0, t.Bits)
	if err != nil {
		return nil, fmt.Errorf("default %s is out of range for %s", n.Value, t.Spec)
	}
	return &Default{Python: strconv.FormatUint(v, 10), Value: v, Go: strconv.FormatUint(v, 10)}, nil
}

// ---- float16, float32, float64.

type floatFamily struct{ key }

func (floatFamily) spellings() []string { return []string{"float16", "float32", "float64"} }

func (floatFamily) goType(t *Type, _ string) string {
	if t.Bits == 16 {
		return "py.Float16"
	}
	return t.Spec
}
func (floatFamily) id(t *Type) string { return t.Spec }
func (floatFamily) numeric() bool     { return true }
func (floatFamily) example(n *yaml.Node, _ *Type) (string, error) {
	var f float64
	if (n.Tag != "!!float" && n.Tag != "!!int") || n.Decode(&f) != nil {
		return "", fmt.Errorf("%q is not a number", n.Value)
	}
	switch {
	case math.IsInf(f, 1):
		return "float('inf')", nil
	case math.IsInf(f, -1):
		return "float('-inf')", nil
	case math.IsNaN(f):
		return "float('nan')", nil
	}
	return strconv.FormatFloat(f, 'g', -1, 64), nil
}
func (floatFamily) approx(*Type) bool { return true }
func (floatFamily) defaultOf(t *Type, n *yaml.Node) (*Default, error) {
	if n.Tag != "!!float" && n.Tag != "!!int" {
		return nil, fmt.Errorf("default %q is not a number", n.Value)
	}
	var f float64
	if err := n.Decode(&f); err != nil {
		return nil, fmt.Errorf("default %q is not a number", n.Value)
	}
	return floatDefault(f, t.Bits)
}

// ---- complex128.

type complexFamily struct{ key }

func (complexFamily) spellings() []string { return []string{"complex128"} }

func (complexFamily) goType(*Type, string) string { return "complex128" }
func (complexFamily) id(t *Type) string           { return t.Spec }
func (complexFamily) numeric() bool               { return true }
func (complexFamily) example(n *yaml.Node, _ *Type) (string, error) {
	var f float64
	if (n.Tag != "!!float" && n.Tag != "!!int") || n.Decode(&f) != nil {
		return "", fmt.Errorf("%q is not a number (an example's complex128 is real)", n.Value)
	}
	return "complex(" + strconv.FormatFloat(f, 'g', -1, 64) + ")", nil
}

// ---- str.

type strFamily struct{ key }

func (strFamily) spellings() []string { return []string{"str"} }

func (strFamily) goType(*Type, string) string { return "string" }
func (strFamily) id(t *Type) string           { return t.Spec }
func (strFamily) example(n *yaml.Node, _ *Type) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", fmt.Errorf("not a string")
	}
	return pyRepr(n.Value), nil
}
func (strFamily) defaultOf(t *Type, n *yaml.Node) (*Default, error) {
	if n.Tag != "!!str" {
		return nil, fmt.Errorf("default %s for %s must be a quoted string", n.Value, t.Spec)
	}
	d := &Default{Python: pyRepr(n.Value), Value: n.Value, Go: strconv.Quote(n.Value)}
	if shown := pyUnicodeRepr(n.Value); shown != d.Python {
		d.Repr = shown
	}
	return d, nil
}

// ---- bytes.

type bytesFamily struct{ base }

func (bytesFamily) spellings() []string { return []string{"bytes"} }

func (bytesFamily) goType(*Type, string) string { return "[]byte" }
func (bytesFamily) id(t *Type) string           { return t.Spec }
func (bytesFamily) asKey(_ *Type, what string) error {
	return fmt.Errorf("a %s cannot be bytes (a Go []byte is not comparable); use str", what)
}
func (bytesFamily) example(n *yaml.Node, _ *Type) (string, error) {
	b, err := exampleBytes(n)
	if err != nil {
		return "", err
	}
	return pyBytesRepr(string(b)), nil
}
func (bytesFamily) defaultOf(t *Type, n *yaml.Node) (*Default, error) {
	if n.Tag != "!!str" {
		return nil, fmt.Errorf("default %s for %s must be a quoted string", n.Value, t.Spec)
	}
	return &Default{Python: pyBytesRepr(n.Value), Value: n.Value, Go: "[]byte(" + strconv.Quote(n.Value) + ")"}, nil
}

// ---- buffer: a parameter's view, or a result's Go memory (ndarray[T]
// is one too).

type bufferFamily struct{ whole }

func (bufferFamily) spellings() []string { return []string{"buffer", "ndarray[T]"} }

func (bufferFamily) goType(t *Type, _ string) string {
	switch {
	case t.GoResult != "":
		return t.GoResult
	case t.Elem != nil:
		return "py.View[" + t.Elem.GoType() + "]"
	case t.Elems != nil:
		return "py.View[" + t.TypeParam + "]"
	}
	return "py.Buffer"
}
func (bufferFamily) id(*Type) string    { return "buffer" }
func (bufferFamily) asElem(*Type) error { return fmt.Errorf("buffer cannot be an element type") }
func (bufferFamily) asOptional(_ *Type, where typeContext) error {
	// A parameter may be None (out=None); a result is a buffer or not.
	if where != ctxArg {
		return fmt.Errorf("buffer | None is a parameter type only")
	}
	return nil
}
func (bufferFamily) example(n *yaml.Node, t *Type) (string, error) { return pyBuffer(n, t) }

// ---- list[T], tuple[T, ...], iterable[T].

type listFamily struct{ base }

func (listFamily) spellings() []string { return []string{"list[T]", "tuple[T, ...]", "iterable[T]"} }

func (listFamily) goType(t *Type, pkg string) string { return "[]" + t.Elem.GoTypeIn(pkg) }
func (listFamily) id(t *Type) string {
	switch t.Seq {
	case SeqTuple:
		return "tuple_" + t.Elem.ID()
	case SeqIterable:
		return "iter_" + t.Elem.ID()
	}
	return "list_" + t.Elem.ID()
}
func (listFamily) example(n *yaml.Node, t *Type) (string, error) {
	return pySequence(n, t, func(int) (*Type, error) { return t.Elem, nil }, t.Seq == SeqTuple)
}
func (listFamily) approx(t *Type) bool { return hasFloat(t.Elem) }
func (listFamily) defaultOf(t *Type, n *yaml.Node) (*Default, error) {
	if n.Kind == yaml.SequenceNode {
		if t.Seq != SeqList {
			// Any iterable: the stub and the signature show ().
			return &Default{Python: "()"}, nil
		}
		return &Default{Python: "[]"}, nil
	}
	return nil, fmt.Errorf("a list default can only be []")
}

// pySequence spells a YAML sequence as a Python list, or a tuple.
func pySequence(n *yaml.Node, t *Type, item func(i int) (*Type, error), tuple bool) (string, error) {
	if n.Kind != yaml.SequenceNode {
		return "", fmt.Errorf("not a list")
	}
	var items []string
	for i, c := range n.Content {
		it, err := item(i)
		if err != nil {
			return "", err
		}
		v, err := pyValue(c, it)
		if err != nil {
			return "", err
		}
		items = append(items, v)
	}
	switch {
	case !tuple:
		return "[" + strings.Join(items, ", ") + "]", nil
	case len(items) == 1:
		return "(" + items[0] + ",)", nil
	}
	return "(" + strings.Join(items, ", ") + ")", nil
}

// ---- tuple[A, B]: several results.

type tupleFamily struct{ whole }

func (tupleFamily) spellings() []string { return []string{"tuple[A, B]"} }

func (tupleFamily) goType(t *Type, pkg string) string {
	parts := make([]string, len(t.Items))
	for i, it := range t.Items {
		parts[i] = it.GoTypeIn(pkg)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
func (tupleFamily) id(*Type) string { return "tuple" }
func (tupleFamily) asElem(*Type) error {
	return fmt.Errorf("a fixed-size tuple cannot be an element type (Go has no tuples); use a struct")
}
func (tupleFamily) asOptional(t *Type, _ typeContext) error {
	return fmt.Errorf("%s cannot be optional", t.Spec)
}
func (tupleFamily) example(n *yaml.Node, t *Type) (string, error) {
	return pySequence(n, t, func(i int) (*Type, error) {
		if i >= len(t.Items) {
			return nil, fmt.Errorf("%d items for %s", len(n.Content), t.Spec)
		}
		return t.Items[i], nil
	}, true)
}
func (tupleFamily) approx(t *Type) bool {
	for _, it := range t.Items {
		if hasFloat(it) {
			return true
		}
	}
	return false
}

// ---- T | None.

type optionalFamily struct{ base }

func (optionalFamily) spellings() []string { return []string{"optional[T]", "`T | None`"} }

func (optionalFamily) goType(t *Type, pkg string) string {
	if t.Elem.Nilable() {
		return t.Elem.GoTypeIn(pkg) // nil is None
	}
	return "*" + t.Elem.GoTypeIn(pkg)
}
func (optionalFamily) id(t *Type) string { return "opt_" + t.Elem.ID() }
func (optionalFamily) inUnion(*Type) error {
	return fmt.Errorf("write None once, at the end of the union")
}
func (optionalFamily) example(n *yaml.Node, t *Type) (string, error) { return pyValue(n, t.Elem) }
func (optionalFamily) approx(t *Type) bool                           { return hasFloat(t.Elem) }
func (optionalFamily) defaultOf(t *Type, n *yaml.Node) (*Default, error) {
	if n.Tag == "!!str" && n.Value == "None" && n.Style == 0 {
		return nil, fmt.Errorf("write `default: null` for None (a plain None is YAML's string \"None\"; quote it for that)")
	}
	return makeDefault(t.Elem, n)
}

// ---- an instance of a spec class.

type classFamily struct{ base }

func (classFamily) spellings() []string { return nil } // the module names them

func (classFamily) goType(t *Type, pkg string) string {
	if pkg != "" {
		return "*" + pkg + "." + t.Class.GoName
	}
	return "*" + t.Class.GoName
}
func (classFamily) id(t *Type) string { return "obj_" + t.Class.Name }
func (classFamily) nilable() bool     { return true }

// ---- object: any Python object.

type anyFamily struct{ base }

func (anyFamily) spellings() []string { return []string{"object"} }

func (anyFamily) goType(*Type, string) string { return "py.Object" }
func (anyFamily) id(*Type) string             { return "object" }
func (anyFamily) nilable() bool               { return true }
func (anyFamily) asOptional(*Type, typeContext) error {
	return fmt.Errorf("object already includes None")
}
func (anyFamily) inUnion(*Type) error {
	return fmt.Errorf("object in a union accepts everything: use object alone")
}

// ---- dict[K, V].

type dictFamily struct{ base }

func (dictFamily) spellings() []string { return []string{"dict[K, V]"} }

func (dictFamily) goType(t *Type, pkg string) string {
	return "map[" + t.Key.GoTypeIn(pkg) + "]" + t.Elem.GoTypeIn(pkg)
}
func (dictFamily) id(t *Type) string { return "dict_" + t.Key.ID() + "_" + t.Elem.ID() }
func (dictFamily) example(n *yaml.Node, t *Type) (string, error) {
	return pyMapping(n, func(k *yaml.Node) (string, *Type, error) {
		kv, err := pyValue(k, t.Key)
		if err != nil {
			return "", nil, fmt.Errorf("key %s: %v", k.Value, err)
		}
		return kv, t.Elem, nil
	})
}
func (dictFamily) approx(t *Type) bool { return hasFloat(t.Elem) }
func (dictFamily) defaultOf(_ *Type, n *yaml.Node) (*Default, error) {
	if n.Kind == yaml.MappingNode {
		return &Default{Python: "{}"}, nil
	}
	return nil, fmt.Errorf("a dict default can only be {}")
}

// pyMapping spells a YAML mapping as a Python dict, each key spelled, and
// its value's type found, by key.
func pyMapping(n *yaml.Node, key func(k *yaml.Node) (string, *Type, error)) (string, error) {
	if n.Kind != yaml.MappingNode {
		return "", fmt.Errorf("not a mapping")
	}
	keys, vals := pairs(n)
	var items []string
	for i, k := range keys {
		kv, vt, err := key(k)
		if err != nil {
			return "", err
		}
		v, err := pyValue(vals[i], vt)
		if err != nil {
			return "", fmt.Errorf("key %s: %v", k.Value, err)
		}
		items = append(items, kv+": "+v)
	}
	return "{" + strings.Join(items, ", ") + "}", nil
}

// ---- set[T].

type setFamily struct{ base }

func (setFamily) spellings() []string { return []string{"set[T]"} }

func (setFamily) goType(t *Type, pkg string) string {
	return "map[" + t.Elem.GoTypeIn(pkg) + "]struct{}"
}
func (setFamily) id(t *Type) string { return "set_" + t.Elem.ID() }
func (setFamily) example(n *yaml.Node, t *Type) (string, error) {
	if n.Kind != yaml.SequenceNode {
		return "", fmt.Errorf("not a list (a set is written as one)")
	}
	if len(n.Content) == 0 {
		return "set()", nil
	}
	s, err := pySequence(n, t, func(int) (*Type, error) { return t.Elem, nil }, false)
	if err != nil {
		return "", err
	}
	return "{" + s[1:len(s)-1] + "}", nil
}

// ---- a spec struct as a value: a dict with its keys.

type structFamily struct{ base }

func (structFamily) spellings() []string { return nil } // the module names them

func (structFamily) goType(t *Type, pkg string) string { return qualify(pkg, t.Struct.GoName) }
func (structFamily) id(t *Type) string                 { return "struct_" + t.Struct.Name }
func (structFamily) example(n *yaml.Node, t *Type) (string, error) {
	return pyMapping(n, func(k *yaml.Node) (string, *Type, error) {
		p := t.Struct.param(k.Value)
		if p == nil {
			return "", nil, fmt.Errorf("%s has no key %q", t.Spec, k.Value)
		}
		return pyRepr(k.Value), p.Type, nil
	})
}
func (structFamily) approx(t *Type) bool {
	for _, p := range t.Struct.Params {
		if hasFloat(p.Type) {
			return true
		}
	}
	return false
}

// ---- A | B.

type unionFamily struct{ base }

func (unionFamily) spellings() []string { return []string{"`A | B`"} }

func (unionFamily) goType(*Type, string) string { return "any" }
func (unionFamily) id(t *Type) string {
	ids := make([]string, len(t.Items))
	for i, it := range t.Items {
		ids[i] = it.ID()
	}
	return strings.Join(ids, "_or_")
}
func (unionFamily) nilable() bool { return true }
func (unionFamily) example(n *yaml.Node, t *Type) (string, error) {
	// The first alternative the value can be written as.
	for _, alt := range t.Items {
		if v, err := pyValue(n, alt); err == nil {
			return v, nil
		}
	}
	return "", fmt.Errorf("%q is none of %s", n.Value, t.Spec)
}

// ---- callable[[A, B], R], or a bare callable.

type callableFamily struct{ base }

func (callableFamily) spellings() []string { return []string{"callable[[A, B], R]", "callable"} }

func (callableFamily) goType(t *Type, pkg string) string {
	if t.Untyped {
		return "func(args ...any) (py.Object, error)"
	}
	params := make([]string, len(t.Items))
	for i, it := range t.Items {
		params[i] = it.GoTypeIn(pkg)
	}
	s := "func(" + strings.Join(params, ", ") + ") "
	if t.Elem == nil {
		return s + "error"
	}
	return s + "(" + t.Elem.GoTypeIn(pkg) + ", error)"
}
func (callableFamily) id(t *Type) string {
	if t.Untyped {
		return "callable"
	}
	ids := []string{"callable"}
	for _, it := range t.Items {
		ids = append(ids, it.ID())
	}
	if t.Elem != nil {
		ids = append(ids, "to", t.Elem.ID())
	}
	return strings.Join(ids, "_")
}
func (callableFamily) nilable() bool { return true }

// ---- a spec enum.

type enumFamily struct{ key }

func (enumFamily) spellings() []string { return nil } // the module names them

func (enumFamily) goType(t *Type, pkg string) string { return qualify(pkg, t.Enum.GoName) }
func (enumFamily) id(t *Type) string                 { return "enum_" + t.Enum.Name }
func (enumFamily) example(n *yaml.Node, t *Type) (string, error) {
	for _, m := range t.Enum.Members {
		if n.Kind == yaml.ScalarNode && n.Value == m.Name {
			return "mod." + t.Enum.Name + "." + m.Name, nil
		}
	}
	return "", fmt.Errorf("%q is not a member of %s", n.Value, t.Enum.Name)
}
func (enumFamily) defaultOf(t *Type, n *yaml.Node) (*Default, error) {
	for _, m := range t.Enum.Members {
		if n.Value == m.Name {
			return &Default{Python: t.Enum.Name + "." + m.Name, Repr: fmt.Sprintf("<%s.%s: %d>", t.Enum.Name, m.Name, m.Value), Member: m}, nil
		}
	}
	return nil, fmt.Errorf("default %q is not a member of %s", n.Value, t.Enum.Name)
}

// ---- datetime (aware).

type datetimeFamily struct{ base }

func (datetimeFamily) spellings() []string { return []string{"datetime"} }

func (datetimeFamily) goType(*Type, string) string { return "time.Time" }
func (datetimeFamily) id(t *Type) string           { return t.Spec }

// ---- timedelta.

type timedeltaFamily struct{ base }

func (timedeltaFamily) spellings() []string { return []string{"timedelta"} }

func (timedeltaFamily) goType(*Type, string) string { return "time.Duration" }
func (timedeltaFamily) id(t *Type) string           { return t.Spec }

// ---- iterator[T], iterator[K, V]: a whole result.

type iteratorFamily struct{ whole }

func (iteratorFamily) spellings() []string { return []string{"iterator[T]", "iterator[K, V]"} }

func (iteratorFamily) goType(t *Type, pkg string) string {
	switch {
	case t.Key != nil:
		return "iter.Seq2[" + t.Key.GoTypeIn(pkg) + ", " + t.Elem.GoTypeIn(pkg) + "]"
	case t.SeqErr:
		return "iter.Seq2[" + t.Elem.GoTypeIn(pkg) + ", error]"
	}
	return "iter.Seq[" + t.Elem.GoTypeIn(pkg) + "]"
}
func (iteratorFamily) id(t *Type) string {
	if t.Key != nil {
		return "iterator_" + t.Key.ID() + "_" + t.Elem.ID()
	}
	return "iterator_" + t.Elem.ID()
}
func (iteratorFamily) asElem(t *Type) error {
	return fmt.Errorf("%s cannot be an element type: an iterator is a whole result", t.Spec)
}
func (iteratorFamily) asOptional(t *Type, _ typeContext) error {
	return fmt.Errorf("%s cannot be optional", t.Spec)
}
