package codegen

import (
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/pyspec/pyspec/spec"
)

// symbolOwners lists every prefix the allocator handed out, and the fixed
// names of each scope, with the kind of symbols each makes.
func symbolOwners(m *spec.Module) map[string]symbolEntry {
	ms := newModuleSymbols(m)
	owners := map[string]symbolEntry{}
	add := func(prefix string, kind symbolKind) { owners[prefix] = symbolEntry{prefix, kind} }
	fixed := func(prefix string, names []string) {
		for _, n := range names {
			add(prefix+"_"+n, symFixed)
		}
	}
	fixed(m.Name, moduleFixed)
	for _, cs := range ms.classes {
		add(cs.prefix, symScope)
		fixed(cs.prefix, classFixed)
		for _, d := range slotDefs {
			add(cs.prefix+"_"+d.Func, symFixed)
		}
		add(cs.init, symCall)
		add(cs.restore, symCall)
		for _, p := range cs.methods {
			add(p, symCall)
		}
		for _, p := range cs.attrs {
			add(p, symGetset)
		}
		for _, p := range cs.props {
			add(p, symGetset)
		}
	}
	for _, p := range ms.submodules {
		add(p, symScope)
		fixed(p, submoduleFixed)
	}
	for _, p := range ms.functions {
		add(p, symCall)
	}
	return owners
}

// TestSymbolsCoverTheGeneratedCode reads every example's generated C and
// Go: each identifier that starts with the module's name belongs to a
// prefix the allocator handed out (the longest that fits), as that
// prefix's kind makes it. A template that derives a new name fails here
// until the lists of symbols.go know it, so the allocator's view of
// which names can meet stays the templates' own.
func TestSymbolsCoverTheGeneratedCode(t *testing.T) {
	for path, m := range allSpecs(t) {
		owners := symbolOwners(m)
		prefixes := make([]string, 0, len(owners))
		for p := range owners {
			prefixes = append(prefixes, p)
		}
		sort.Slice(prefixes, func(i, j int) bool { return len(prefixes[i]) > len(prefixes[j]) })
		ident := regexp.MustCompile(`\b` + regexp.QuoteMeta(m.Name) + `_[A-Za-z0-9_]*`)
		seen := map[string]bool{}
		files, err := Generate(m)
		if err != nil {
			t.Fatal(err)
		}
		for name, src := range files {
			if !strings.HasPrefix(name, "c/") && !strings.HasPrefix(name, "go/") {
				continue
			}
			for _, id := range ident.FindAllString(string(src), -1) {
				if seen[id] || id == m.Name+"_" {
					continue
				}
				seen[id] = true
				owned := false
				for _, p := range prefixes {
					if id != p && !strings.HasPrefix(id, p+"_") {
						continue
					}
					for _, s := range owners[p].symbols() {
						if meets(s, id) {
							owned = true
						}
					}
					if owners[p].kind == symScope {
						continue // a class's own names are its fixed entries
					}
					break
				}
				if !owned {
					t.Errorf("%s: %s is no symbol the allocator knows of (symbols.go)", filepath.Base(filepath.Dir(path)), id)
				}
			}
		}
	}
}

// TestSymbolsNeverMeet: spec names that meet once joined with _ get
// distinct prefixes, and the rest stay plain.
func TestSymbolsNeverMeet(t *testing.T) {
	s := newSymbolScope("m", moduleFixed...)
	got := []string{
		s.name("Vec", symScope), s.name("Vec_dot", symCall), s.name("clear", symCall), s.name("a", symCall),
		s.name("a_core", symCall), s.name("a_half", symCall), s.name("go_values", symCall), s.name("b_shape2", symCall),
		s.name("b", symCall),
	}
	want := []string{"m_Vec", "m_1Vec_dot", "m_2clear", "m_a", "m_3a_core", "m_a_half", "m_go_values", "m_b_shape2", "m_4b"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}
