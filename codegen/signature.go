package codegen

import (
	"strings"

	"github.com/pyspec/pyspec/spec"
)

// paramStyle says how a Python parameter list is spelled for one reader:
// the docstring's __text_signature__ (CPython parses it), what
// inspect.signature shows (the generated tests compare it), or a stub's
// annotated list. One renderer serves all three, so they cannot disagree
// on where `/` and `*` go.
type paramStyle struct {
	self string // the first parameter ("$self", "self", "cls"), or ""
	// selfSlash: self is positional-only and shown so (inspect puts a `/`
	// after it, unless positional-only parameters follow: one `/` after
	// them covers self too).
	selfSlash bool
	// annotation is what follows "name: " (a variadic's element type), or
	// nil for no annotations.
	annotation func(i int, p *spec.Param) string
	value      func(*spec.Default) string // a default's text
}

func (st paramStyle) render(sig *spec.Signature) string {
	var parts []string
	if st.self != "" {
		parts = append(parts, st.self)
		if st.selfSlash && (len(sig.Params) == 0 || sig.Params[0].Kind != spec.PositionalOnly) {
			parts = append(parts, "/")
		}
	}
	kwMarked := sig.Has(spec.VarPositional) // *args marks where keyword-only ones start
	for i, p := range sig.Params {
		if p.Kind == spec.KeywordOnly && !kwMarked {
			parts = append(parts, "*")
			kwMarked = true
		}
		s := p.Name
		switch p.Kind {
		case spec.VarPositional:
			s = "*" + p.Name
		case spec.VarKeyword:
			s = "**" + p.Name
		}
		if st.annotation != nil {
			s += ": " + st.annotation(i, p)
		}
		if p.Default != nil {
			if st.annotation != nil {
				s += " = " + st.value(p.Default)
			} else {
				s += "=" + st.value(p.Default)
			}
		}
		parts = append(parts, s)
		if p.Kind == spec.PositionalOnly && (i+1 == len(sig.Params) || sig.Params[i+1].Kind != spec.PositionalOnly) {
			parts = append(parts, "/")
		}
	}
	return strings.Join(parts, ", ")
}

// textSignature is the first lines of a docstring that CPython reads as
// __text_signature__ ("$module", "$self" or "$type" for self), ASCII.
func textSignature(name, self string, sig *spec.Signature) string {
	st := paramStyle{self: self, value: func(d *spec.Default) string { return d.Python }}
	return name + "(" + st.render(sig) + ")\n--\n\n"
}

// pyTextSignature is what inspect.signature shows for a callable: self is
// "$self" for an unbound method (shown as self, positional-only), else "".
func pyTextSignature(self string, sig *spec.Signature) string {
	st := paramStyle{value: (*spec.Default).Shown}
	if self == "$self" {
		st.self, st.selfSlash = "self", true
	}
	return "(" + st.render(sig) + ")"
}

// pyParams spells a stub's parameter list; self is "", "self" or "cls".
// Defaults are written as ... (the values are in __text_signature__ and the
// docs); override replaces the annotation of the parameter at an index.
func pyParams(self string, sig *spec.Signature, override map[int]string) string {
	st := paramStyle{self: self, value: func(*spec.Default) string { return "..." }}
	st.annotation = func(i int, p *spec.Param) string {
		if p.Kind == spec.VarPositional || p.Kind == spec.VarKeyword {
			return pyType(p.Type.Elem, true)
		}
		if o, ok := override[i]; ok {
			return o
		}
		return pyType(p.Type, true)
	}
	return st.render(sig)
}

// documented is a docstring followed by its parameters' docs, as an Args
// section (the Google style, which help(), IDEs and Sphinx's napoleon
// read); doc alone when no parameter has one.
func documented(doc string, sig *spec.Signature) string {
	var args []string
	for _, p := range sig.Params {
		if p.Doc == "" {
			continue
		}
		name := p.Name
		switch p.Kind {
		case spec.VarPositional:
			name = "*" + name
		case spec.VarKeyword:
			name = "**" + name
		}
		text := strings.ReplaceAll(strings.TrimSpace(p.Doc), "\n", "\n        ")
		args = append(args, "    "+name+": "+text)
	}
	if len(args) == 0 {
		return doc
	}
	if doc = strings.TrimRight(doc, "\n"); doc != "" {
		doc += "\n\n"
	}
	return doc + "Args:\n" + strings.Join(args, "\n")
}
