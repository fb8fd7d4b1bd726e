package spec

import (
	"go/token"
	"strings"
)

// GoType is the Go type the author's code uses for t, with the pyspec
// package py referred to as "py".
func (t *Type) GoType() string { return t.GoTypeIn("") }

// GoTypeIn is GoType as code outside the author's package spells it, with
// the author's package imported as pkg.
func (t *Type) GoTypeIn(pkg string) string {
	switch t.Kind {
	case KindObject:
		if pkg != "" {
			return "*" + pkg + "." + t.Class.GoName
		}
		return "*" + t.Class.GoName
	case KindBool:
		return "bool"
	case KindFloat:
		if t.Bits == 16 {
			return "py.Float16"
		}
		return t.Spec
	case KindInt:
		return t.Spec
	case KindStr:
		return "string"
	case KindBytes:
		return "[]byte"
	case KindList:
		return "[]" + t.Elem.GoTypeIn(pkg)
	case KindOptional:
		if t.Elem.Nilable() {
			return t.Elem.GoTypeIn(pkg) // nil is None
		}
		return "*" + t.Elem.GoTypeIn(pkg)
	case KindAny:
		return "py.Object"
	case KindDict:
		return "map[" + t.Key.GoTypeIn(pkg) + "]" + t.Elem.GoTypeIn(pkg)
	case KindSet:
		return "map[" + t.Elem.GoTypeIn(pkg) + "]struct{}"
	case KindStruct:
		return qualify(pkg, t.Struct.GoName)
	case KindEnum:
		return qualify(pkg, t.Enum.GoName)
	case KindUnion:
		return "any"
	case KindCallable:
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
	case KindDatetime:
		return "time.Time"
	case KindTimedelta:
		return "time.Duration"
	case KindComplex:
		return "complex128"
	case KindBuffer:
		if t.GoResult != "" {
			return t.GoResult
		}
		if t.Elem != nil {
			return "py.View[" + t.Elem.GoType() + "]"
		}
		if t.Elems != nil {
			return "py.View[" + t.TypeParam + "]"
		}
		return "py.Buffer"
	case KindTuple:
		parts := make([]string, len(t.Items))
		for i, it := range t.Items {
			parts[i] = it.GoTypeIn(pkg)
		}
		return "(" + strings.Join(parts, ", ") + ")"
	case KindIterator:
		switch {
		case t.Key != nil:
			return "iter.Seq2[" + t.Key.GoTypeIn(pkg) + ", " + t.Elem.GoTypeIn(pkg) + "]"
		case t.SeqErr:
			return "iter.Seq2[" + t.Elem.GoTypeIn(pkg) + ", error]"
		}
		return "iter.Seq[" + t.Elem.GoTypeIn(pkg) + "]"
	}
	return "?"
}

func qualify(pkg, name string) string {
	if pkg == "" {
		return name
	}
	return pkg + "." + name
}

// ID is a short name of t usable in C and Go identifiers: int64, str,
// list_float64, dict_str_int64, int64_or_str, ...
func (t *Type) ID() string {
	switch t.Kind {
	case KindList:
		switch t.Seq {
		case SeqTuple:
			return "tuple_" + t.Elem.ID()
		case SeqIterable:
			return "iter_" + t.Elem.ID()
		}
		return "list_" + t.Elem.ID()
	case KindOptional:
		return "opt_" + t.Elem.ID()
	case KindBuffer:
		return "buffer"
	case KindObject:
		return "obj_" + t.Class.Name
	case KindTuple:
		return "tuple"
	case KindDict:
		return "dict_" + t.Key.ID() + "_" + t.Elem.ID()
	case KindSet:
		return "set_" + t.Elem.ID()
	case KindIterator:
		if t.Key != nil {
			return "iterator_" + t.Key.ID() + "_" + t.Elem.ID()
		}
		return "iterator_" + t.Elem.ID()
	case KindUnion:
		ids := make([]string, len(t.Items))
		for i, it := range t.Items {
			ids[i] = it.ID()
		}
		return strings.Join(ids, "_or_")
	case KindCallable:
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
	case KindStruct:
		return "struct_" + t.Struct.Name
	case KindEnum:
		return "enum_" + t.Enum.Name
	case KindAny:
		return "object"
	}
	return t.Spec
}

// CType is the C type that holds a converted argument of type t.
func (t *Type) CType() string {
	switch t.Kind {
	case KindBool:
		return "int"
	case KindInt:
		return t.Spec + "_t"
	case KindFloat:
		switch t.Bits {
		case 16:
			return "uint16_t" // the half's bits
		case 32:
			return "float"
		}
		return "double"
	case KindStr, KindBytes:
		return "pyspec_bytes"
	case KindList:
		return "pyspec_list"
	case KindBuffer:
		return "pyspec_desc"
	case KindOptional:
		return t.Elem.CType()
	case KindObject:
		return "pyspec_ref"
	}
	return "PyObject*"
}

// GoResultType is the Go type of a result: as GoType, except that a buffer
// result not bound to Go code yet is spelled []byte (it may also be a []T of
// an element type, or a py.Export).
func (t *Type) GoResultType() string {
	if t.Kind == KindBuffer && (t.GoResult == "" || strings.Contains(t.GoResult, " or ")) {
		return "[]byte"
	}
	return t.GoType()
}

// goParamName is a parameter's name in the Go signature pyspec suggests:
// delay_ms -> delayMs (Go style), with a Go keyword kept apart (range_).
func goParamName(name string) string {
	var b strings.Builder
	up := false
	for _, r := range name {
		switch {
		case r == '_':
			up = b.Len() > 0
		case up && r >= 'a' && r <= 'z':
			b.WriteRune(r - ('a' - 'A'))
			up = false
		default:
			b.WriteRune(r)
			up = false
		}
	}
	s := b.String()
	if s == "" {
		return name
	}
	if token.IsKeyword(s) {
		s += "_"
	}
	return s
}

// GoSignature spells the Go function the spec expects, for messages:
// func Sum(buf py.View[int64]) (int64, error).
func GoSignature(name, recv string, sig *Signature, results []string, withError bool) string {
	var params []string
	if sig != nil {
		for _, g := range sig.GoParams() {
			params = append(params, goParamName(g.Name)+" "+g.GoType())
		}
	}
	if withError {
		results = append(results, "error")
	}
	s := "func "
	if recv != "" {
		s += "(" + recv + ") "
	}
	s += name + "(" + strings.Join(params, ", ") + ")"
	switch len(results) {
	case 0:
	case 1:
		s += " " + results[0]
	default:
		s += " (" + strings.Join(results, ", ") + ")"
	}
	return s
}
