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
	scalarTypes["float32"] = &Type{Kind: KindFloat, Spec: "float32", Bits: 32}
	scalarTypes["float64"] = &Type{Kind: KindFloat, Spec: "float64", Bits: 64}
}

// parseType reads a type expression. Where says where it appears: argument
// and list element types are more restricted than return types.
func parseType(expr string, where typeContext) (*Type, error) {
	return parseTypeWith(expr, where, nil)
}

// parseTypeWith also knows the module's classes, which are types too.
func parseTypeWith(expr string, where typeContext, classes map[string]*Class) (*Type, error) {
	p := &typeParser{s: expr, classes: classes}
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
	ctxArg typeContext = iota
	ctxReturn
	ctxElem
)

type typeParser struct {
	s       string
	i       int
	classes map[string]*Class
}

func (p *typeParser) skipSpace() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

func (p *typeParser) word() string {
	p.skipSpace()
	start := p.i
	for p.i < len(p.s) && (isIdentByte(p.s[p.i]) || p.s[p.i] == '.' && strings.HasPrefix(p.s[p.i:], "...")) {
		if p.s[p.i] == '.' {
			p.i += 3
			break
		}
		p.i++
	}
	return p.s[start:p.i]
}

func (p *typeParser) accept(c byte) bool {
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *typeParser) parse(where typeContext) (*Type, error) {
	t, err := p.parseAtom(where)
	if err != nil {
		return nil, err
	}
	// T | None
	if p.accept('|') {
		if w := p.word(); w != "None" {
			return nil, fmt.Errorf("only `%s | None` is supported, not `| %s`", t.Spec, w)
		}
		return optionalOf(t, where)
	}
	return t, nil
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
	if c, ok := p.classes[name]; ok {
		return &Type{Kind: KindObject, Spec: name, Class: c}, nil
	}
	switch name {
	case "int", "float":
		return nil, fmt.Errorf("say which %s: %s", name, map[string]string{"int": "int8..int64 or uint8..uint64", "float": "float32 or float64"}[name])
	case "str":
		return &Type{Kind: KindStr, Spec: "str"}, nil
	case "bytes":
		return &Type{Kind: KindBytes, Spec: "bytes"}, nil
	case "buffer":
		if where == ctxElem {
			return nil, fmt.Errorf("buffer cannot be an element type")
		}
		return &Type{Kind: KindBuffer, Spec: "buffer"}, nil
	case "None":
		return nil, fmt.Errorf("None is only a return type (no result), or the None of `T | None`")
	case "list", "tuple", "optional":
	default:
		known := "bool, int8..int64, uint8..uint64, float32, float64, str, bytes, buffer, list[T], tuple[T, ...], optional[T]"
		if len(p.classes) > 0 {
			names := make([]string, 0, len(p.classes))
			for n := range p.classes {
				names = append(names, n)
			}
			sort.Strings(names)
			known += ", and the module's classes " + strings.Join(names, ", ")
		}
		return nil, fmt.Errorf("unknown type %q (known: %s)", name, known)
	}
	if !p.accept('[') {
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
	case "list":
		if len(items) != 1 {
			return nil, fmt.Errorf("list takes one element type, got %d", len(items))
		}
		return listOf(items[0], false)
	case "optional":
		if len(items) != 1 {
			return nil, fmt.Errorf("optional takes one type, got %d", len(items))
		}
		return optionalOf(items[0], where)
	}
	if homogeneous {
		return listOf(items[0], true)
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

func listOf(elem *Type, tuple bool) (*Type, error) {
	if !elem.IsScalar() && elem.Kind != KindStr && elem.Kind != KindBytes {
		return nil, fmt.Errorf("list and tuple elements must be bool, int, float, str or bytes, not %s", elem.Spec)
	}
	if tuple {
		return &Type{Kind: KindList, Elem: elem, Homogeneous: true, Spec: "tuple[" + elem.Spec + ", ...]"}, nil
	}
	return &Type{Kind: KindList, Elem: elem, Spec: "list[" + elem.Spec + "]"}, nil
}

func optionalOf(inner *Type, where typeContext) (*Type, error) {
	switch inner.Kind {
	case KindOptional:
		return inner, nil
	case KindBuffer, KindTuple:
		return nil, fmt.Errorf("%s cannot be optional", inner.Spec)
	}
	if where == ctxElem && inner.Kind != KindObject {
		return nil, fmt.Errorf("list and tuple elements cannot be optional")
	}
	return &Type{Kind: KindOptional, Elem: inner, Spec: inner.Spec + " | None"}, nil
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
