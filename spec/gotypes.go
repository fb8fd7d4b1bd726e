package spec

import (
	"go/ast"
	"go/token"
	"go/types"
	"path"
	"strings"
)

// The author's package type-checked on its own (imports stand empty, so
// their names are unknown and their errors ignored): enough to see through
// aliases and named types of the package, and to point at declarations.

// checkPackage type-checks files, leniently.
func checkPackage(fset *token.FileSet, name string, files []*ast.File) (*types.Package, *types.Info) {
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	conf := types.Config{Importer: emptyImporter{}, Error: func(error) {}, FakeImportC: true}
	pkg, _ := conf.Check(name, fset, files, info)
	return pkg, info
}

// emptyImporter gives every import an empty, complete package.
type emptyImporter struct{}

func (emptyImporter) Import(p string) (*types.Package, error) {
	name := path.Base(p)
	if strings.HasPrefix(name, "v") && strings.Trim(name[1:], "0123456789") == "" && path.Dir(p) != "." {
		name = path.Base(path.Dir(p)) // example.com/mod/v2
	}
	if i := strings.IndexAny(name, ".-"); i > 0 {
		name = name[:i] // gopkg.in/yaml.v3, go-foo
	}
	pkg := types.NewPackage(p, name)
	pkg.MarkComplete()
	return pkg, nil
}

// typeString spells t as the spec's Go types are spelled: the package's own
// names bare, others qualified by package name.
func (src *goSource) typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string {
		if p == src.pkg {
			return ""
		}
		return p.Name()
	})
}

// resolve reports whether the Go type expression e stands for want (a
// spec's Go type) although it is spelled otherwise: through an alias, or
// as a named type of the package (or a pointer to one) whose underlying
// type is want. For a named type, conv is its name ("UserID", "*UserID"):
// the glue converts between the two.
func (src *goSource) resolve(e ast.Expr, want string) (conv string, ok bool) {
	if src.info == nil {
		return "", false
	}
	t := src.info.TypeOf(e)
	if t == nil {
		return "", false
	}
	t = types.Unalias(t)
	if src.typeString(t) == want {
		return "", true
	}
	star := ""
	if p, isPtr := t.(*types.Pointer); isPtr && strings.HasPrefix(want, "*") {
		t, want, star = types.Unalias(p.Elem()), want[1:], "*"
	}
	n, isNamed := t.(*types.Named)
	if !isNamed || n.Obj().Pkg() != src.pkg || n.TypeParams() != nil {
		return "", false
	}
	if src.typeString(n.Underlying()) == want {
		return star + n.Obj().Name(), true
	}
	return "", false
}

// describe says what the type expression e is when it is not what the
// spec needs, with where a named type or alias of the package is declared.
func (src *goSource) describe(e ast.Expr) string {
	s := types.ExprString(e)
	if src.info == nil {
		return s
	}
	t := src.info.TypeOf(e)
	for {
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
			continue
		}
		break
	}
	var obj *types.TypeName
	switch t := t.(type) {
	case *types.Alias:
		obj = t.Obj()
	case *types.Named:
		obj = t.Obj()
	}
	if obj == nil || obj.Pkg() != src.pkg {
		return s
	}
	what := src.typeString(types.Unalias(t).Underlying())
	if _, isAlias := t.(*types.Alias); isAlias {
		what = "= " + src.typeString(types.Unalias(t))
	}
	return s + " (" + src.position(obj.Pos()) + ": type " + obj.Name() + " " + what + ")"
}

// position is pos as file:line:col, the file's base name.
func (src *goSource) position(pos token.Pos) string {
	p := src.fset.Position(pos)
	return path.Base(p.Filename) + ":" + itoa(p.Line) + ":" + itoa(p.Column)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
