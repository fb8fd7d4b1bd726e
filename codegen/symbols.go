package codegen

import (
	"strconv"
	"strings"

	"github.com/pyspec/pyspec/spec"
)

// The C (and exported Go) symbols of a module are its name and the spec's
// names joined with _: vectors_Vec_dot. The templates derive more from
// each (vectors_Vec_dot_core, vectors_Vec_dot_sig...) and fix some of
// their own (vectors_clear, vectors_Vec_spec). Spec names may hold _
// themselves, so two can meet: a function Vec_dot and a method Vec.dot, a
// method a and a method a_core (a's core function is a_core too), or a
// function named clear and the module's own vectors_clear. Such a name is
// numbered instead (vectors_2Vec_dot): no spec name starts with a digit,
// so a numbered name meets nothing. Every other name stays plain.
//
// TestSymbolsCoverTheGeneratedCode holds the lists below to what the
// templates write.

// A symbolKind says which symbols the templates make of an entity's
// prefix P.
type symbolKind int

const (
	symCall   symbolKind = iota // P, and P_<s> for each of callSuffixes
	symGetset                   // P_get..., and its setter's P_set_<s>
	symScope                    // a class or submodule: anything under P_
	symFixed                    // P alone: one of the templates' own
)

// callSuffixes are the names the templates derive from a call's prefix;
// "#" stands for a number (the shape of parameter #).
var callSuffixes = []string{"args", "body", "core", "go", "names", "params", "result", "shape#", "shape#_dims", "sig", "vectorcall",
	"data", "loop", "loops", "types"}

// getsetSuffixes are those derived from an attribute's or property's
// prefix, besides its setter's (set_<call suffix>).
var getsetSuffixes = []string{"get", "get_go", "getter", "set", "setter"}

// moduleFixed are the templates' module-level names: <module>_clear...
var moduleFixed = []string{"clear", "exec", "free", "go", "make_objects", "methods", "module", "release", "slots", "state", "traverse"}

// classFixed are a class's own, besides its slot adapters (slotDefs):
// <module>_<Class>_spec...
var classFixed = []string{"dealloc", "getbuffer", "getbuffer_go", "getset", "getstate", "getstate_go", "methods", "reduce_ex",
	"releasebuffer", "setstate", "setstate_go", "slots", "spec"}

// submoduleFixed are a submodule's own: <module>_<sub>_methods.
var submoduleFixed = []string{"methods"}

// symbolEntry is one name of a scope and the kind of symbols it makes.
type symbolEntry struct {
	name string
	kind symbolKind
}

// symbols lists the symbols an entry makes: a pattern ("#" a number) for
// each, or, for a scope, only its name (everything under it is taken).
func (e symbolEntry) symbols() []string {
	out := []string{e.name}
	switch e.kind {
	case symCall:
		for _, s := range callSuffixes {
			out = append(out, e.name+"_"+s)
		}
	case symGetset:
		for _, s := range getsetSuffixes {
			out = append(out, e.name+"_"+s)
		}
		for _, s := range callSuffixes {
			out = append(out, e.name+"_set_"+s)
		}
	}
	return out
}

// meets reports whether symbol pattern p can be symbol pattern q.
func meets(p, q string) bool {
	// match: pattern's one # stands for a number in s.
	match := func(pattern, s string) bool {
		before, after, ok := strings.Cut(pattern, "#")
		if !ok || strings.Contains(s, "#") || !strings.HasPrefix(s, before) || !strings.HasSuffix(s, after) ||
			len(s) <= len(before)+len(after) {
			return false
		}
		return strings.Trim(s[len(before):len(s)-len(after)], "0123456789") == ""
	}
	return p == q || match(p, q) || match(q, p)
}

// clash reports whether two entries of one scope make a symbol in common.
func clash(a, b symbolEntry) bool {
	under := func(scope string, e symbolEntry) bool {
		for _, s := range e.symbols() {
			if s == scope || strings.HasPrefix(s, scope+"_") {
				return true
			}
		}
		return false
	}
	switch {
	case a.kind == symScope:
		return under(a.name, b) || b.kind == symScope && under(b.name, a)
	case b.kind == symScope:
		return under(b.name, a)
	}
	for _, s := range a.symbols() {
		for _, t := range b.symbols() {
			if meets(s, t) {
				return true
			}
		}
	}
	return false
}

// symbolScope hands out the names of one scope: the module's classes,
// submodules and functions; a submodule's functions; a class's members.
type symbolScope struct {
	prefix string
	taken  []symbolEntry
	n      int // numbered names so far
}

func newSymbolScope(prefix string, fixed ...string) *symbolScope {
	s := &symbolScope{prefix: prefix}
	for _, f := range fixed {
		s.taken = append(s.taken, symbolEntry{f, symFixed})
	}
	return s
}

// name is the prefix of the scope's entity called name, of the kind.
func (s *symbolScope) name(name string, kind symbolKind) string {
	e := symbolEntry{name, kind}
	for _, t := range s.taken {
		if clash(e, t) {
			s.n++
			e.name = strconv.Itoa(s.n) + name
			break
		}
	}
	s.taken = append(s.taken, e)
	return s.prefix + "_" + e.name
}

// moduleSymbols are the symbol prefixes of a module's entities, decided
// once for the whole module: classes first, then submodules, functions
// and ufuncs, each keeping its plain name unless an earlier one meets it.
type moduleSymbols struct {
	classes    map[*spec.Class]*classSymbols
	submodules map[*spec.Submodule]string
	functions  map[*spec.Function]string
}

// classSymbols are a class's prefix and its members'.
type classSymbols struct {
	prefix  string
	init    string
	restore string
	methods map[*spec.Method]string
	attrs   map[*spec.Attribute]string
	props   map[*spec.Property]string
}

func newModuleSymbols(m *spec.Module) *moduleSymbols {
	ms := &moduleSymbols{classes: map[*spec.Class]*classSymbols{}, submodules: map[*spec.Submodule]string{},
		functions: map[*spec.Function]string{}}
	top := newSymbolScope(m.Name, moduleFixed...)
	own := append([]string(nil), classFixed...)
	for _, d := range slotDefs {
		own = append(own, d.Func)
	}
	for _, cl := range m.Classes {
		cs := &classSymbols{prefix: top.name(cl.Name, symScope), methods: map[*spec.Method]string{},
			attrs: map[*spec.Attribute]string{}, props: map[*spec.Property]string{}}
		scope := newSymbolScope(cs.prefix, own...)
		cs.init = scope.name("init", symCall)
		cs.restore = scope.name("restore", symCall)
		for _, meth := range cl.Methods {
			cs.methods[meth] = scope.name(methodCName(meth.Name), symCall)
		}
		for _, a := range cl.Attributes {
			cs.attrs[a] = scope.name("attr_"+a.Name, symGetset)
		}
		for _, p := range cl.Properties {
			cs.props[p] = scope.name("prop_"+p.Name, symGetset)
		}
		ms.classes[cl] = cs
	}
	for _, sub := range m.Submodules {
		ms.submodules[sub] = top.name(sub.Name, symScope)
		scope := newSymbolScope(ms.submodules[sub], submoduleFixed...)
		for _, f := range sub.Functions {
			ms.functions[f] = scope.name(f.Name, symCall)
		}
	}
	for _, f := range m.Functions {
		ms.functions[f] = top.name(f.Name, symCall)
	}
	for _, f := range m.Ufuncs {
		ms.functions[f] = top.name(f.Name, symCall)
	}
	return ms
}
