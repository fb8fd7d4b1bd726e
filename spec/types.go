package spec

import (
	"fmt"
	"sort"
	"strings"
)

var scalarTypes = map[string]*Type{}

func init() {
	scalarTypes["bool"] = &Type{Kind: KindBool, Spec: "bool"}
	for _, bits := range []int{8, 16, 32, 64} {
		s := fmt.Sprintf("int%d", bits)
		scalarTypes[s] = &Type{Kind: KindInt, Spec: s, Bits: bits, Signed: true}
		u := fmt.Sprintf("uint%d", bits)
		scalarTypes[u] = &Type{Kind: KindInt, Spec: u, Bits: bits}
	}
	scalarTypes["float16"] = &Type{Kind: KindFloat, Spec: "float16", Bits: 16}
	scalarTypes["float32"] = &Type{Kind: KindFloat, Spec: "float32", Bits: 32}
	scalarTypes["float64"] = &Type{Kind: KindFloat, Spec: "float64", Bits: 64}
}

// typeScope is what a type expression may name besides the built-in
// types: the module's classes, structs and enums.
type typeScope struct {
	classes map[string]*Class
	structs map[string]*Struct
	enums   map[string]*Enum
}

// parseType reads a type expression. Where says where it appears: argument
// and element types are more restricted than return types.
func parseType(expr string, where typeContext) (*Type, error) {
	return parseTypeIn(expr, where, nil)
}

// parseTypeIn also knows the module's classes, structs and enums.
func parseTypeIn(expr string, where typeContext, scope *typeScope) (*Type, error) {
	if scope == nil {
		scope = &typeScope{}
	}
	p := &typeParser{s: expr, scope: scope}
	t, err := p.parse(where)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.i != len(p.s) {
		return nil, fmt.Errorf("unexpected %q after type %s in %q", p.s[p.i:], t.Spec, expr)
	}
	return t, nil
}

type typeContext int

const (
	ctxArg    typeContext = iota // Python to Go: a parameter
	ctxReturn                    // Go to Python: a result (a fixed tuple is several)
	ctxElem                      // inside a container
)

type typeParser struct {
	s     string
	i     int
	scope *typeScope
}

func (p *typeParser) skipSpace() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

func (p *typeParser) word() string {
	p.skipSpace()
	start := p.i
	if strings.HasPrefix(p.s[p.i:], "...") {
		p.i += 3
		return "..."
	}
	for p.i < len(p.s) && isIdentByte(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

func (p *typeParser) peekWord() string {
	save := p.i
	w := p.word()
	p.i = save
	return w
}

func (p *typeParser) accept(c byte) bool {
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// parse reads a union: A | B | ... | None, where A alone is A and A | None
// is optional.
func (p *typeParser) parse(where typeContext) (*Type, error) {
	var alts []*Type
	none := false
	for {
		if p.peekWord() == "None" {
			p.word()
			if none {
				return nil, fmt.Errorf("None appears twice in a union")
			}
			none = true
		} else {
			t, err := p.parseAtom(where)
			if err != nil {
				return nil, err
			}
			alts = append(alts, t)
		}
		if !p.accept('|') {
			break
		}
	}
	switch {
	case len(alts) == 0:
		return nil, fmt.Errorf("None is only a return type (no result), or the None of `T | None`")
	case len(alts) == 1 && none:
		return optionalOf(alts[0], where)
	case len(alts) == 1:
		return alts[0], nil
	}
	u, err := unionOf(alts)
	if err != nil {
		return nil, err
	}
	if none {
		return optionalOf(u, where)
	}
	return u, nil
}

func (p *typeParser) parseAtom(where typeContext) (*Type, error) {
	name := p.word()
	if name == "" {
		if p.i < len(p.s) {
			return nil, fmt.Errorf("expected a type name at %q", p.s[p.i:])
		}
		return nil, fmt.Errorf("missing type")
	}
	if t, ok := scalarTypes[name]; ok {
		return t, nil
	}
	if k, ok := simpleTypes[name]; ok {
		return &Type{Kind: k, Spec: name}, nil
	}
	if c, ok := p.scope.classes[name]; ok {
		return &Type{Kind: KindObject, Spec: name, Class: c}, nil
	}
	if s, ok := p.scope.structs[name]; ok {
		return &Type{Kind: KindStruct, Spec: name, Struct: s}, nil
	}
	if e, ok := p.scope.enums[name]; ok {
		return &Type{Kind: KindEnum, Spec: name, Enum: e}, nil
	}
	switch name {
	case "int", "float":
		return nil, fmt.Errorf("say which %s: %s", name, map[string]string{"int": "int8..int64 or uint8..uint64", "float": "float16, float32 or float64"}[name])
	case "complex":
		return nil, fmt.Errorf("say complex128 (a Go complex128)")
	case "buffer":
		if where == ctxElem {
			return nil, fmt.Errorf("buffer cannot be an element type")
		}
		return &Type{Kind: KindBuffer, Spec: "buffer"}, nil
	case "callable":
		return p.parseCallable()
	case "iterable":
		if where != ctxArg {
			return nil, fmt.Errorf("iterable[T] is a parameter type only (Go gets a []T); write list[T] here")
		}
	case "iterator", "ndarray":
		if where == ctxElem {
			return nil, fmt.Errorf("%s[T] cannot be an element type: it is a whole result", name)
		}
		if where != ctxReturn && name == "iterator" {
			return nil, fmt.Errorf("iterator[T] is a result type only (Go returns an iter.Seq[T]); a parameter takes iterable[T]")
		}
		if where != ctxReturn {
			return nil, fmt.Errorf("ndarray[T] is a result type only; a parameter takes {type: buffer, elem: T}, which numpy arrays are")
		}
	case "list", "tuple", "optional", "dict", "set":
	default:
		return nil, fmt.Errorf("unknown type %q (known: %s)", name, p.known())
	}
	if !p.accept('[') {
		if name == "dict" {
			return nil, fmt.Errorf("dict needs its key and value types: dict[K, V]")
		}
		return nil, fmt.Errorf("%s needs its element type: %s[T]", name, name)
	}
	var items []*Type
	homogeneous := false
	for {
		if name == "tuple" && len(items) == 1 {
			save := p.i
			if p.word() == "..." {
				homogeneous = true
				if !p.accept(']') {
					return nil, fmt.Errorf("expected ] after ... in tuple")
				}
				break
			}
			p.i = save
		}
		elemCtx := ctxElem
		if name == "optional" {
			elemCtx = where
		}
		if name == "tuple" && !homogeneous && where == ctxReturn {
			elemCtx = ctxReturn
		}
		t, err := p.parse(elemCtx)
		if err != nil {
			return nil, err
		}
		items = append(items, t)
		if p.accept(']') {
			break
		}
		if !p.accept(',') {
			return nil, fmt.Errorf("expected , or ] in %s[...]", name)
		}
	}
	switch name {
	case "list", "iterable":
		if len(items) != 1 {
			return nil, fmt.Errorf("%s takes one element type, got %d", name, len(items))
		}
		if name == "iterable" {
			return listOf(items[0], SeqIterable)
		}
		return listOf(items[0], SeqList)
	case "iterator":
		return iteratorOf(items)
	case "ndarray":
		if len(items) != 1 || !items[0].IsScalar() {
			return nil, fmt.Errorf("ndarray takes one element type, a bool, an int or a float: ndarray[float64]")
		}
		return &Type{Kind: KindBuffer, Elem: items[0], NDArray: true, Spec: "ndarray[" + items[0].Spec + "]"}, nil
	case "optional":
		if len(items) != 1 {
			return nil, fmt.Errorf("optional takes one type, got %d", len(items))
		}
		return optionalOf(items[0], where)
	case "dict":
		if len(items) != 2 {
			return nil, fmt.Errorf("dict takes a key and a value type, got %d types", len(items))
		}
		if err := checkKey(items[0], "dict key"); err != nil {
			return nil, err
		}
		if err := checkElem(items[1]); err != nil {
			return nil, err
		}
		return &Type{Kind: KindDict, Key: items[0], Elem: items[1], Spec: "dict[" + items[0].Spec + ", " + items[1].Spec + "]"}, nil
	case "set":
		if len(items) != 1 {
			return nil, fmt.Errorf("set takes one element type, got %d", len(items))
		}
		if err := checkKey(items[0], "set element"); err != nil {
			return nil, err
		}
		return &Type{Kind: KindSet, Elem: items[0], Spec: "set[" + items[0].Spec + "]"}, nil
	}
	if homogeneous {
		return listOf(items[0], SeqTuple)
	}
	if where != ctxReturn {
		return nil, fmt.Errorf("a fixed-size tuple is a return type only; use tuple[T, ...] or list[T] for an argument")
	}
	if len(items) < 2 {
		return nil, fmt.Errorf("a fixed-size tuple needs at least two items")
	}
	t := &Type{Kind: KindTuple, Items: items}
	specs := make([]string, len(items))
	for i, it := range items {
		specs[i] = it.Spec
	}
	t.Spec = "tuple[" + strings.Join(specs, ", ") + "]"
	return t, nil
}

// parseCallable reads what follows `callable`: nothing (any callable, Go
// func(args ...any) (py.Object, error)) or [[A, B], R].
func (p *typeParser) parseCallable() (*Type, error) {
	if !p.accept('[') {
		return &Type{Kind: KindCallable, Spec: "callable", Untyped: true}, nil
	}
	if !p.accept('[') {
		return nil, fmt.Errorf("callable takes its parameter types in brackets and a result: callable[[A, B], R]")
	}
	var params []*Type
	if !p.accept(']') {
		for {
			// Go hands these to Python: any result type but a tuple.
			t, err := p.parse(ctxElem)
			if err != nil {
				return nil, err
			}
			params = append(params, t)
			if p.accept(']') {
				break
			}
			if !p.accept(',') {
				return nil, fmt.Errorf("expected , or ] in callable's parameter types")
			}
		}
	}
	if !p.accept(',') {
		return nil, fmt.Errorf("callable needs a result type after its parameters: callable[[...], R] (R may be None)")
	}
	var result *Type
	save := p.i
	if p.word() != "None" || !p.accept(']') {
		p.i = save
		r, err := p.parse(ctxElem)
		if err != nil {
			return nil, err
		}
		if !p.accept(']') {
			return nil, fmt.Errorf("expected ] after callable's result type")
		}
		result = r
	}
	specs := make([]string, len(params))
	for i, t := range params {
		specs[i] = t.Spec
	}
	rs := "None"
	if result != nil {
		rs = result.Spec
	}
	return &Type{Kind: KindCallable, Items: params, Elem: result, Spec: "callable[[" + strings.Join(specs, ", ") + "], " + rs + "]"}, nil
}

func (p *typeParser) known() string {
	var names []string
	for k := TypeKind(0); int(k) < KindCount; k++ {
		names = append(names, families[k].spellings()...)
	}
	known := strings.Join(names, ", ")
	for _, group := range []struct {
		what  string
		names []string
	}{
		{"classes", keysOf(p.scope.classes)},
		{"structs", keysOf(p.scope.structs)},
		{"enums", keysOf(p.scope.enums)},
	} {
		if len(group.names) > 0 {
			known += "; the module's " + group.what + " " + strings.Join(group.names, ", ")
		}
	}
	return known
}

func keysOf[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// checkKey refuses dict keys and set elements that a Go map cannot key.
func checkKey(t *Type, what string) error { return familyOf(t).asKey(t, what) }

// checkElem refuses what cannot be inside a container.
func checkElem(t *Type) error { return familyOf(t).asElem(t) }

func listOf(elem *Type, form SeqForm) (*Type, error) {
	if err := checkElem(elem); err != nil {
		return nil, err
	}
	spec := "list[" + elem.Spec + "]"
	switch form {
	case SeqTuple:
		spec = "tuple[" + elem.Spec + ", ...]"
	case SeqIterable:
		spec = "iterable[" + elem.Spec + "]"
	}
	return &Type{Kind: KindList, Elem: elem, Seq: form, Spec: spec}, nil
}

// iteratorOf is iterator[T] or iterator[K, V], whose items are converted
// as list elements are.
func iteratorOf(items []*Type) (*Type, error) {
	if len(items) > 2 {
		return nil, fmt.Errorf("iterator takes an item type, or two (iterator[K, V] for an iter.Seq2[K, V]), got %d", len(items))
	}
	for _, it := range items {
		if err := checkElem(it); err != nil {
			return nil, err
		}
	}
	if len(items) == 2 {
		return &Type{Kind: KindIterator, Key: items[0], Elem: items[1], Batch: DefaultBatch,
			Spec: "iterator[" + items[0].Spec + ", " + items[1].Spec + "]"}, nil
	}
	return &Type{Kind: KindIterator, Elem: items[0], Batch: DefaultBatch, Spec: "iterator[" + items[0].Spec + "]"}, nil
}

func optionalOf(inner *Type, where typeContext) (*Type, error) {
	if inner.Kind == KindOptional {
		return inner, nil
	}
	if err := familyOf(inner).asOptional(inner, where); err != nil {
		return nil, err
	}
	return &Type{Kind: KindOptional, Elem: inner, Spec: inner.Spec + " | None"}, nil
}

// unionOf joins alternatives, in the order written: a Python value takes
// the first that accepts it, and a Go value the one of its Go type.
func unionOf(alts []*Type) (*Type, error) {
	var flat []*Type
	for _, a := range alts {
		if a.Kind == KindUnion {
			flat = append(flat, a.Items...)
		} else {
			flat = append(flat, a)
		}
	}
	seenSpec := map[string]bool{}
	seenGo := map[string]string{}
	specs := make([]string, len(flat))
	for i, a := range flat {
		if err := familyOf(a).inUnion(a); err != nil {
			return nil, err
		}
		if seenSpec[a.Spec] {
			return nil, fmt.Errorf("%s appears twice in the union", a.Spec)
		}
		seenSpec[a.Spec] = true
		g := a.GoType()
		if prev, dup := seenGo[g]; dup {
			return nil, fmt.Errorf("%s and %s are both Go %s: a union's alternatives need distinct Go types, so that a Go result tells which it is", prev, a.Spec, g)
		}
		seenGo[g] = a.Spec
		specs[i] = a.Spec
	}
	return &Type{Kind: KindUnion, Items: flat, Spec: strings.Join(specs, " | ")}, nil
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
