package codegen

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"path"
	"strconv"
)

// pruneImports keeps of a generated Go file's imports those it uses: the
// templates import every package the glue may need, and this pass decides
// from the rendered code itself, so no template or view has to predict
// which types a module's signatures bring in. An unused import of keep
// (the author's package, which must be linked in) becomes a blank import.
// `import "C"` is left alone.
func pruneImports(src []byte, keep string) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "glue.go", src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	used := usedPackageNames(f)
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		slots := make([]token.Pos, len(gd.Specs))
		for i, s := range gd.Specs {
			slots[i] = s.Pos()
		}
		specs := gd.Specs[:0]
		for _, s := range gd.Specs {
			is := s.(*ast.ImportSpec)
			p, _ := strconv.Unquote(is.Path.Value)
			name := path.Base(p)
			if is.Name != nil {
				name = is.Name.Name
			}
			switch {
			case p == "C" || name == "_" || used[name]:
				specs = append(specs, s)
			case p == keep:
				is.Name = ast.NewIdent("_")
				specs = append(specs, s)
			}
		}
		// The kept imports move up into the first lines of the block, so
		// that a dropped one leaves no blank line (which would split the
		// block into groups).
		for i, s := range specs {
			is := s.(*ast.ImportSpec)
			is.Path.ValuePos = slots[i]
			if is.Name != nil {
				is.Name.NamePos = slots[i]
			}
		}
		gd.Specs = specs
	}
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, f); err != nil {
		return nil, fmt.Errorf("printing glue.go: %w", err)
	}
	return buf.Bytes(), nil
}

// usedPackageNames lists the identifiers used as the package of a
// qualified name (x in x.Sel) that nothing in the file declares (the
// parser resolves local names; declared holds the file's top level).
func usedPackageNames(f *ast.File) map[string]bool {
	declared := map[string]bool{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				declared[d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.ValueSpec:
					for _, n := range s.Names {
						declared[n.Name] = true
					}
				case *ast.TypeSpec:
					declared[s.Name.Name] = true
				}
			}
		}
	}
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Obj == nil && !declared[id.Name] {
				used[id.Name] = true
			}
		}
		return true
	})
	return used
}
