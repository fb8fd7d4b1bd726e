package codegen

import (
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// goExports parses Go sources and returns the signature of each //export-ed
// function, as gofmt prints it without the body, by entry point name (the
// function's name without _go).
func goExports(t *testing.T, sources map[string][]byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	fset := token.NewFileSet()
	for name, src := range sources {
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Doc == nil {
				continue
			}
			for _, c := range fn.Doc.List {
				exported, ok := strings.CutPrefix(c.Text, "//export ")
				if !ok {
					continue
				}
				if exported != fn.Name.Name || !strings.HasSuffix(exported, "_go") {
					t.Errorf("%s: //export %s above func %s", name, exported, fn.Name.Name)
					continue
				}
				var b strings.Builder
				if err := format.Node(&b, fset, &ast.FuncDecl{Name: fn.Name, Type: fn.Type, Recv: fn.Recv}); err != nil {
					t.Fatal(err)
				}
				entry := strings.TrimSuffix(exported, "_go")
				if _, dup := out[entry]; dup {
					t.Errorf("%s: %s exported twice", name, exported)
				}
				out[entry] = b.String()
			}
		}
	}
	return out
}

// compareExports reports each entry of want that the Go sources do not
// export, or export with another signature, and each export that is no
// entry.
func compareExports(t *testing.T, where string, got map[string]string, want []abiEntry) {
	t.Helper()
	seen := map[string]bool{}
	for _, e := range want {
		seen[e.Name] = true
		sig, ok := got[e.Name]
		switch {
		case !ok:
			t.Errorf("%s: entry point %s: no //export %s_go", where, e.Name, e.Name)
		case sig != e.GoSignature():
			t.Errorf("%s: entry point %s:\n  Go has   %s\n  ABI has  %s", where, e.Name, sig, e.GoSignature())
		}
	}
	var extra []string
	for name := range got {
		if !seen[name] {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		t.Errorf("%s: %s_go is exported but no entry point of the ABI model", where, name)
	}
}

// The fixed Go part spells its exports by hand: each must be the signature
// the ABI model renders for its entry, and every export must be an entry.
func TestGopartExportsMatchABI(t *testing.T) {
	paths, _ := filepath.Glob("gopart/*.go")
	sources := map[string][]byte{}
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") || filepath.Base(p) == "standin.go" {
			continue // tests, and the stand-in for generated code, are never copied into a build
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sources[p] = data
	}
	if len(sources) == 0 {
		t.Fatal("no gopart sources")
	}
	compareExports(t, "gopart", goExports(t, sources), gopartEntries)
}

// The Go sources of each example's build (the rendered glue and the copied
// gopart files) export exactly the module's API table and gopart's entries,
// each with the signature of the ABI model. glue.go renders its signatures from the
// model, so this holds by construction there; the test also catches an
// entry the glue does not define and an export outside the table.
func TestBuildExportsMatchAPI(t *testing.T) {
	for path, m := range allSpecs(t) {
		files, err := Generate(m)
		if err != nil {
			t.Fatal(err)
		}
		sources := map[string][]byte{}
		for name, data := range files {
			if strings.HasPrefix(name, GoDir+"/") && strings.HasSuffix(name, ".go") {
				sources[name] = data
			}
		}
		// The copied gopart files export their entries whether or not the
		// module's table has them (it has iter_next only for iterators).
		want := newModuleView(m).API()
		for _, g := range gopartEntries {
			if !slices.ContainsFunc(want, func(e abiEntry) bool { return e.Name == g.Name }) {
				want = append(want, g)
			}
		}
		compareExports(t, path, goExports(t, sources), want)
	}
}

func TestCgoType(t *testing.T) {
	for c, goType := range map[string]string{
		"void*":              "unsafe.Pointer",
		"void**":             "*unsafe.Pointer",
		"int":                "C.int",
		"int32_t":            "C.int32_t",
		"uint64_t":           "C.uint64_t",
		"uintptr_t":          "C.uintptr_t",
		"int64_t*":           "*C.int64_t",
		"double*":            "*C.double",
		"PyObject*":          "*C.PyObject",
		"PyObject**":         "**C.PyObject",
		"char**":             "**C.char",
		"struct m_f_args*":   "*C.struct_m_f_args",
		"pyspec_ssize":       "C.pyspec_ssize",
		"pyspec_iter_batch*": "*C.pyspec_iter_batch",
	} {
		if got := cgoType(c); got != goType {
			t.Errorf("cgoType(%q) = %q, want %q", c, got, goType)
		}
	}
	for _, c := range []string{"void", "size_t", "unsigned int", "const char*", "long", "struct *", "PyObject *x", "Py_ssize_t"} {
		func() {
			defer func() {
				if p := recover(); p == nil || !strings.Contains(p.(string), c) {
					t.Errorf("cgoType(%q) did not panic naming the type (%v)", c, p)
				}
			}()
			cgoType(c)
		}()
	}
}

// One entry renders the C prototype, the C stub's forwarding call, the
// call site's arguments and the Go export.
func TestEntryRenders(t *testing.T) {
	e := abiEntry{Name: "m_f", Result: statusResult, Params: []abiParam{
		{Name: "self", CType: "void*", Arg: "obj->goptr"},
		{Name: "old_cls", CType: "int32_t", GoName: "oldCls", Arg: "obj->cls"},
		{Name: "a", CType: "struct m_f_args*", Arg: "&a"},
	}}
	for _, c := range []struct{ got, want string }{
		{e.CParams(), "void* self, int32_t old_cls, struct m_f_args* a"},
		{e.CArgs(), "self, old_cls, a"},
		{e.CCallArgs(), "obj->goptr, obj->cls, &a"},
		{e.Export(), "//export m_f_go\nfunc m_f_go(self unsafe.Pointer, oldCls C.int32_t, a *C.struct_m_f_args) (status C.int)"},
		{abiEntry{Name: "drain_frees", Result: intResult}.GoSignature(), "func drain_frees_go() C.int"},
		{abiEntry{Name: "drain_frees", Result: intResult}.CParams(), "void"},
		{iterCloseEntry.GoSignature(), "func iter_close_go(token C.uintptr_t)"},
		{abiEntry{Name: "s", Result: objectResult, Params: []abiParam{param("uint64_t", "t")}}.GoSignature(), "func s_go(t C.uint64_t) *C.PyObject"},
	} {
		if c.got != c.want {
			t.Errorf("got  %q\nwant %q", c.got, c.want)
		}
	}
}
