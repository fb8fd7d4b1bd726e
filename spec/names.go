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
func (t *Type) GoTypeIn(pkg string) string { return familyOf(t).goType(t, pkg) }

func qualify(pkg, name string) string {
	if pkg == "" {
		return name
	}
	return pkg + "." + name
}

// ID is a short name of t usable in C and Go identifiers: int64, str,
// list_float64, dict_str_int64, int64_or_str, ...
func (t *Type) ID() string { return familyOf(t).id(t) }

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
