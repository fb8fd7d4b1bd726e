package codegen

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"strconv"
	"strings"
	"testing"

	"github.com/pyspec/pyspec/spec"
)

// TestEveryTypeAlone renders the glue of a module for each type the spec
// accepts, alone and inside each container and variadic, and checks that
// the Go glue imports exactly what it uses: a type whose conversion is the
// only user of a package once gave `"unsafe" imported and not used`, or
// `undefined: runtime` (issue 19, 14). It checks names, not types: the
// end-to-end tests compile the examples.
func TestEveryTypeAlone(t *testing.T) {
	base := []string{"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
		"float16", "float32", "float64", "str", "bytes", "object", "complex128", "datetime", "timedelta",
		"Thing", "Shape", "Pair", "callable", "callable[[int64], str]"}
	hashable := map[string]bool{"bool": true, "int64": true, "uint8": true, "str": true, "bytes": true, "float64": true, "Shape": true}
	var cases []string
	for _, b := range base {
		q := strconv.Quote(b)
		cases = append(cases,
			fmt.Sprintf("args: {x: %s}", q),
			fmt.Sprintf("args: {x: %s}", strconv.Quote(b+" | None")),
			fmt.Sprintf("args: {x: %s}", strconv.Quote("list["+b+"]")),
			fmt.Sprintf("args: {x: %s}", strconv.Quote("dict[str, "+b+"]")),
			fmt.Sprintf("args: {x: %s}", strconv.Quote("tuple["+b+", ...]")),
			fmt.Sprintf("args: {x: {type: %s, kind: var_positional}}", q),
			fmt.Sprintf("args: {x: {type: %s, kind: var_keyword}}", q),
		)
		if !strings.HasPrefix(b, "callable") {
			cases = append(cases,
				fmt.Sprintf("returns: %s", q),
				fmt.Sprintf("returns: %s", strconv.Quote(b+" | None")),
				fmt.Sprintf("returns: %s", strconv.Quote("list["+b+"]")),
				fmt.Sprintf("returns: %s", strconv.Quote("dict[str, "+b+"]")),
				fmt.Sprintf("returns: %s", strconv.Quote("tuple["+b+", int64]")),
			)
		}
		if hashable[b] {
			cases = append(cases, fmt.Sprintf("args: {x: %s}", strconv.Quote("set["+b+"]")),
				fmt.Sprintf("returns: %s", strconv.Quote("set["+b+"]")))
		}
	}
	cases = append(cases, "args: {x: buffer}", "args: {x: {type: buffer, elem: float64}}", "returns: buffer",
		"args: {x: \"int64 | str\"}", "returns: \"int64 | str | None\"", "args: Options")
	for _, c := range cases {
		for _, withClass := range []bool{false, true} {
			src := "module: alone\nstructs:\n  Pair: {args: {a: int64, b: str}}\n  Options: {args: {level: int64}}\n" +
				"enums:\n  Shape: {values: {ROUND: 1, SQUARE: 2}}\n"
			if withClass {
				src += "classes:\n  Thing:\n    pickle: binary\n    init: {}\n"
			} else if strings.Contains(c, "Thing") {
				continue
			}
			src += "functions:\n  f: {" + c + "}\n"
			name := fmt.Sprintf("%s/class=%v", c, withClass)
			m, err := spec.ParseUnbound("alone.yaml", []byte(src))
			if err != nil {
				if strings.Contains(err.Error(), "cannot") || strings.Contains(err.Error(), "not ") || strings.Contains(err.Error(), "already includes") {
					continue // a combination the spec refuses, with its reason
				}
				t.Errorf("%s: %v\n%s", name, err, src)
				continue
			}
			files, err := Generate(m)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			checkImports(t, name, files)
		}
	}
}

// checkImports fails when go/glue.go imports a package it does not use or
// uses a package name that neither it imports nor its package declares.
func checkImports(t *testing.T, name string, files Files) {
	t.Helper()
	fset := token.NewFileSet()
	pkgLevel := map[string]bool{}
	var glue *ast.File
	for _, fn := range []string{GoDir + "/glue.go", GoDir + "/rt.go", GoDir + "/objects.go"} {
		f, err := parser.ParseFile(fset, fn, files[fn], 0)
		if err != nil {
			t.Fatalf("%s: %s: %v", name, fn, err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					pkgLevel[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.ValueSpec:
						for _, n := range s.Names {
							pkgLevel[n.Name] = true
						}
					case *ast.TypeSpec:
						pkgLevel[s.Name.Name] = true
					}
				}
			}
		}
		if fn == GoDir+"/glue.go" {
			glue = f
		}
	}
	imported := map[string]bool{"C": true}
	for _, is := range glue.Imports {
		p, _ := strconv.Unquote(is.Path.Value)
		n := path.Base(p)
		if is.Name != nil {
			n = is.Name.Name
		}
		imported[n] = true
	}
	used := usedPackageNames(glue)
	for n := range imported {
		if n != "C" && n != "_" && !used[n] {
			t.Errorf("%s: go/glue.go imports %s and does not use it", name, n)
		}
	}
	for n := range used {
		if !imported[n] && !pkgLevel[n] {
			t.Errorf("%s: go/glue.go uses %s, which it does not import", name, n)
		}
	}
}
