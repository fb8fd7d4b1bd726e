package spec

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// goSource is what binding needs to know of the author's Go package: its
// top-level functions, methods and types, read with go/parser.
type goSource struct {
	funcs   map[string]*ast.FuncDecl
	methods map[string]map[string]*ast.FuncDecl // receiver type -> name
	types   map[string]*ast.TypeSpec
	// pyAlias is the name each declaration's file imports pyspec's package
	// py as ("py" unless renamed).
	pyAlias map[ast.Node]string
	// oldImports are the imports of package py by its former path.
	oldImports []token.Position
	// The package type-checked (see gotypes.go), for aliases, named types
	// and positions.
	fset *token.FileSet
	pkg  *types.Package
	info *types.Info
}

// bind locates the author's Go package and checks that every function,
// type, constructor and method the spec needs is there with the right
// number of parameters and results. Where the Go function also returns an
// error is learnt here.
func (l *loader) bind(m *Module) {
	root := &yaml.Node{Line: 1, Column: 1}
	if err := locatePackage(&m.Go); err != nil {
		l.errorf(root, "%v", err)
		return
	}
	src, name, err := readGoPackage(m.Go.Dir)
	if err != nil {
		l.errorf(root, "%v", err)
		return
	}
	m.Go.Name = name
	if len(src.oldImports) > 0 {
		// Every use of the package would be a mismatch too: say only this.
		for _, p := range src.oldImports {
			l.errorAtGo(p, "%s is now %s: change the import (and runtime.X to py.X)", oldPyPath, pyPath)
		}
		return
	}
	at := func(p Pos) *yaml.Node { return &yaml.Node{Line: p.Line, Column: p.Col} }
	pkgDesc := fmt.Sprintf("package %s (%s)", m.Go.ImportPath, m.Go.Dir)

	for _, s := range m.Structs {
		ts, ok := src.types[s.GoName]
		st, isStruct := (*ast.StructType)(nil), false
		if ok {
			st, isStruct = ts.Type.(*ast.StructType)
		}
		if !isStruct {
			var fields []string
			for _, p := range s.Params {
				fields = append(fields, p.GoName+" "+p.Type.GoType())
			}
			l.errorf(at(s.Pos), "struct %s: Go struct type %s not found in %s; expected %s", s.Name, s.GoName, pkgDesc, goStructDecl(s.GoName, "", fields))
			continue
		}
		fields := map[string]bool{}
		for _, f := range st.Fields.List {
			for _, n := range f.Names {
				fields[n.Name] = true
			}
		}
		for _, p := range s.Params {
			if !fields[p.GoName] {
				l.errorf(at(p.Pos), "struct %s: Go struct %s has no field %s (%s) for parameter %q", s.Name, s.GoName, p.GoName, p.Type.GoType(), p.Name)
			} else if got, want := src.fieldType(s.GoName, p.GoName), src.spell(ts, p.Type.GoType()); got != want {
				l.errorf(at(p.Pos), "struct %s: field %s.%s is %s, the spec needs %s for parameter %q", s.Name, s.GoName, p.GoName, got, want, p.Name)
			}
		}
	}

	for _, f := range append(m.AllFunctions(), m.Ufuncs...) {
		var results []string
		for _, r := range f.Results {
			results = append(results, r.GoResultType())
		}
		want := GoSignature(f.GoName, "", f.Sig, results, true) + contextHint(f.Async)
		decl := src.funcs[f.GoName]
		if decl == nil {
			l.errorf(at(f.Pos), "function %s: Go function %s not found in %s; expected %s", f.Name, f.GoName, pkgDesc, want)
			continue
		}
		f.ReturnsError, err = src.checkShape(decl, f.Sig, f.Results)
		f.TakesContext = takesContext(decl) && len(expand(decl.Type.Params)) == len(f.Sig.Params)+1
		if err != nil {
			l.errorf(at(f.Pos), "function %s: Go function %s %v; expected %s", f.Name, f.GoName, err, want)
		} else if f.Vectorize && f.TakesContext {
			l.errorf(at(f.Pos), "function %s: a ufunc's Go function takes no context.Context (numpy runs the loop, which nothing cancels); expected %s", f.Name, want)
		}
	}

	for _, c := range m.Classes {
		if _, ok := src.types[c.GoName]; !ok {
			var fields []string
			for _, a := range c.Attributes {
				fields = append(fields, a.GoField+" "+a.Type.GoType())
			}
			embed := ""
			if c.Base != nil {
				embed = c.Base.GoName
			}
			l.errorf(at(c.Pos), "class %s: Go type %s not found in %s; expected %s (with any other fields it needs)", c.Name, c.GoName, pkgDesc, goStructDecl(c.GoName, embed, fields))
			continue
		}
		l.bindMembers(c, src, pkgDesc)
		if c.Init != nil {
			want := GoSignature(c.Init.GoName, "", c.Init.Sig, []string{"*" + c.GoName}, true)
			decl := src.funcs[c.Init.GoName]
			if decl == nil {
				l.errorf(at(c.Pos), "class %s: Go constructor %s not found in %s; expected %s", c.Name, c.Init.GoName, pkgDesc, want)
			} else if c.Init.ReturnsError, err = src.checkShape(decl, c.Init.Sig, []*Type{{Kind: KindObject, Class: c}}); err != nil {
				l.errorf(at(c.Pos), "class %s: Go constructor %s %v; expected %s", c.Name, c.Init.GoName, err, want)
			}
		}
		l.bindPickle(c, src)
		if c.Buffer != nil {
			recv := "c *" + c.GoName
			want := "func (" + recv + ") Buffer(flags py.Flags) (py.Export, error)"
			decl := src.method(c.GoName, c.Buffer.GoMethod)
			if decl == nil {
				l.errorf(at(c.Pos), "class %s: buffer export needs the Go method %s", c.Name, want)
			} else if withErr, conv, err := src.checkTypes(decl, []string{"py.Flags"}, []string{"py.Export"}); err != nil || !withErr || conv != nil {
				why := "(" + src.position(decl.Name.Pos()) + ") does not return an error"
				switch {
				case err != nil:
					why = err.Error()
				case conv != nil:
					why = "(" + src.position(decl.Name.Pos()) + ") uses a named type where py's is needed"
				}
				l.errorf(at(c.Pos), "class %s: Go method %s.Buffer %s; expected %s", c.Name, c.GoName, why, want)
			}
			if c.Buffer.ReleaseGoMethod != "" {
				decl := src.method(c.GoName, c.Buffer.ReleaseGoMethod)
				if decl == nil || decl.Type.Params.NumFields() != 0 || decl.Type.Results.NumFields() != 0 {
					l.errorf(at(c.Pos), "class %s: buffer release needs the Go method func (%s) ReleaseBuffer()", c.Name, recv)
				}
			}
		}
	}
}

// bindPickle settles how a class pickles: through encoding.BinaryMarshaler
// and BinaryUnmarshaler when the Go type has them (required for `pickle:
// binary`), or through its attributes.
func (l *loader) bindPickle(c *Class, src *goSource) {
	at := &yaml.Node{Line: c.PicklePos.Line, Column: c.PicklePos.Col}
	marshal, unmarshal := src.method(c.GoName, "MarshalBinary"), src.method(c.GoName, "UnmarshalBinary")
	hasBinary := false
	if marshal != nil && unmarshal != nil {
		withErr, conv, err := src.checkTypes(marshal, nil, []string{"[]byte"})
		withErr2, conv2, err2 := src.checkTypes(unmarshal, []string{"[]byte"}, nil)
		hasBinary = err == nil && withErr && err2 == nil && withErr2 && conv == nil && conv2 == nil
	}
	want := fmt.Sprintf("func (v *%s) MarshalBinary() ([]byte, error) and func (v *%s) UnmarshalBinary(data []byte) error", c.GoName, c.GoName)
	switch c.Pickle {
	case PickleAuto:
		c.Pickle = PickleNone
		if hasBinary {
			c.Pickle = PickleBinary
		}
	case PickleBinary:
		if !hasBinary {
			l.errorf(at, "class %s: pickle: binary needs the Go methods %s (encoding.BinaryMarshaler and BinaryUnmarshaler)", c.Name, want)
		}
	case PickleAttributes:
		for b := c; b.Base != nil; b = b.Base {
			if b.BaseByPtr {
				l.errorf(at, "class %s: pickle: attributes restores a new zero %s, whose embedded *%s is nil; implement %s instead",
					c.Name, c.GoName, b.Base.GoName, want)
				break
			}
		}
	}
}

// bindMembers checks a class's base embedding, attributes, properties and
// methods against the Go type.
func (l *loader) bindMembers(c *Class, src *goSource, pkgDesc string) {
	at := func(p Pos) *yaml.Node { return &yaml.Node{Line: p.Line, Column: p.Col} }
	fields := src.structFields(c.GoName)
	if c.Base != nil {
		switch fields[c.Base.GoName] {
		case "embedded":
		case "embedded*":
			c.BaseByPtr = true
		default:
			l.errorf(at(c.Pos), "class %s extends %s: Go type %s must embed %s (or *%s)", c.Name, c.Base.Name, c.GoName, c.Base.GoName, c.Base.GoName)
		}
	}
	for _, a := range c.Attributes {
		if _, ok := fields[a.GoField]; !ok && !src.promotedField(c.GoName, a.GoField) {
			hint := ""
			for f := range fields {
				if strings.EqualFold(f, a.GoField) && f != a.GoField && !ast.IsExported(f) {
					hint = fmt.Sprintf(" (its field %s is unexported: pyspec reaches exported fields only; rename it %s, or name another with `go:`)", f, a.GoField)
				}
			}
			l.errorf(at(a.Pos), "class %s: attribute %s needs the field %s %s in Go type %s%s", c.Name, a.Name, a.GoField, a.Type.GoType(), c.GoName, hint)
		} else if got, want := src.fieldType(c.GoName, a.GoField), src.spell(src.types[c.GoName], a.Type.GoType()); ok && got != want {
			l.errorf(at(a.Pos), "class %s: attribute %s: field %s.%s is %s, the spec needs %s", c.Name, a.Name, c.GoName, a.GoField, got, want)
		}
	}
	for _, pr := range c.Properties {
		want := fmt.Sprintf("func (x *%s) %s() %s", c.GoName, pr.Getter, pr.Type.GoType())
		decl := src.method(c.GoName, pr.Getter)
		var err error
		if decl == nil {
			l.errorf(at(pr.Pos), "class %s: property %s needs the Go method %s", c.Name, pr.Name, want)
			continue
		}
		get := &Signature{}
		if pr.GetterErrors, err = src.checkShape(decl, get, []*Type{pr.Type}); err != nil {
			l.errorf(at(pr.Pos), "class %s: property %s: Go method %s %v; expected %s", c.Name, pr.Name, pr.Getter, err, want)
		} else if get.ResultConv != nil {
			l.errorf(at(pr.Pos), "class %s: property %s: Go method %s returns the named type %s; a property's Go type must be %s itself", c.Name, pr.Name, pr.Getter, get.ResultConv[0], pr.Type.GoType())
		}
		if pr.Setter != "" {
			want := fmt.Sprintf("func (x *%s) %s(v %s) error", c.GoName, pr.Setter, pr.Type.GoType())
			decl := src.method(c.GoName, pr.Setter)
			if decl == nil {
				l.errorf(at(pr.Pos), "class %s: property %s needs the Go method %s", c.Name, pr.Name, want)
				continue
			}
			one := &Signature{Params: []*Param{{Name: "v", Type: pr.Type}}}
			if pr.SetterErrors, err = src.checkShape(decl, one, nil); err != nil {
				l.errorf(at(pr.Pos), "class %s: property %s: Go method %s %v; expected %s", c.Name, pr.Name, pr.Setter, err, want)
			} else if one.ParamConv != nil {
				l.errorf(at(pr.Pos), "class %s: property %s: Go method %s takes the named type %s; a property's Go type must be %s itself", c.Name, pr.Name, pr.Setter, one.ParamConv[0], pr.Type.GoType())
			}
		}
	}
	for _, meth := range c.Methods {
		var results []string
		for _, r := range meth.Results {
			results = append(results, r.GoResultType())
		}
		var decl *ast.FuncDecl
		var want string
		if meth.Kind == InstanceMethod {
			want = GoSignature(meth.GoName, "x *"+c.GoName, meth.Sig, results, true)
			decl = src.method(c.GoName, meth.GoName)
		} else {
			want = GoSignature(meth.GoName, "", meth.Sig, results, true)
			decl = src.funcs[meth.GoName]
		}
		want += contextHint(meth.Async)
		if decl == nil {
			l.errorf(at(meth.Pos), "class %s: method %s needs Go %s in %s", c.Name, meth.Name, want, pkgDesc)
			continue
		}
		var err error
		meth.TakesContext = takesContext(decl) && len(expand(decl.Type.Params)) == len(meth.Sig.Params)+1
		if meth.ReturnsError, err = src.checkShape(decl, meth.Sig, meth.Results); err != nil {
			l.errorf(at(meth.Pos), "class %s: method %s: Go %s %v; expected %s", c.Name, meth.Name, meth.GoName, err, want)
		}
	}
}

// structFields maps the field names of a struct type to "field", or to
// "embedded"/"embedded*" for an embedded type named by its type name.
func (src *goSource) structFields(typeName string) map[string]string {
	out := map[string]string{}
	ts := src.types[typeName]
	if ts == nil {
		return out
	}
	st, ok := ts.Type.(*ast.StructType)
	if !ok {
		return out
	}
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 {
			switch t := f.Type.(type) {
			case *ast.Ident:
				out[t.Name] = "embedded"
			case *ast.StarExpr:
				if id, ok := t.X.(*ast.Ident); ok {
					out[id.Name] = "embedded*"
				}
			}
			continue
		}
		for _, n := range f.Names {
			out[n.Name] = "field"
		}
	}
	return out
}

// fieldType spells the type of a field declared in a struct type ("" if
// there is none).
func (src *goSource) fieldType(typeName, name string) string {
	ts := src.types[typeName]
	if ts == nil {
		return ""
	}
	st, ok := ts.Type.(*ast.StructType)
	if !ok {
		return ""
	}
	for _, f := range expand(st.Fields) {
		if f.name == name {
			return types.ExprString(f.typ)
		}
	}
	return ""
}

// spell writes a spec Go type as the file of node n refers to it.
func (src *goSource) spell(n ast.Node, t string) string {
	if alias := src.pyAlias[n]; alias != "" && alias != "py" {
		return strings.ReplaceAll(t, "py.", alias+".")
	}
	return t
}

// embedded lists the package-local types embedded in a struct type.
func (src *goSource) embedded(typeName string) []string {
	var out []string
	for name, kind := range src.structFields(typeName) {
		if kind != "field" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// method finds a method of typeName, declared on it or promoted from a type
// it embeds.
func (src *goSource) method(typeName, name string) *ast.FuncDecl {
	seen := map[string]bool{}
	var find func(t string) *ast.FuncDecl
	find = func(t string) *ast.FuncDecl {
		if seen[t] {
			return nil
		}
		seen[t] = true
		if d := src.methods[t][name]; d != nil {
			return d
		}
		for _, e := range src.embedded(t) {
			if d := find(e); d != nil {
				return d
			}
		}
		return nil
	}
	return find(typeName)
}

func (src *goSource) promotedField(typeName, field string) bool {
	for _, e := range src.embedded(typeName) {
		if _, ok := src.structFields(e)[field]; ok || src.promotedField(e, field) {
			return true
		}
	}
	return false
}

// bindBufferResult settles what a buffer result is in Go: []byte, a slice
// of an element type ([]int64, []float32, ...), or a py.Export. The
// Go memory is handed to Python without a copy.
func (src *goSource) bindBufferResult(decl *ast.FuncDecl, t *Type, got string) {
	alias := src.pyAlias[ast.Node(decl)]
	switch {
	case got == alias+".Export":
		t.GoResult = "py.Export"
	case strings.HasPrefix(got, "[]"):
		elem := strings.TrimPrefix(got, "[]")
		if elem == "byte" {
			elem = "uint8"
		}
		if t.NDArray {
			// The spec's element type decides: the stub says it.
			t.GoResult = "[]" + t.Elem.GoType()
			if got != src.spell(decl, t.GoResult) {
				t.GoResult += " or py.Export"
			}
			return
		}
		if e, ok := scalarTypes[elem]; ok {
			t.GoResult, t.Elem = got, e
			return
		}
		t.GoResult = "[]byte, []T (T an element type: int64, float32, ...) or py.Export"
	default:
		t.GoResult = "[]byte, []T (T an element type: int64, float32, ...) or py.Export"
	}
}

// goStructDecl spells a Go struct declaration on one line, for messages:
// type Point struct { X float64; Y float64 }.
func goStructDecl(name, embed string, fields []string) string {
	if embed != "" {
		fields = append([]string{embed}, fields...)
	}
	if len(fields) == 0 {
		return "type " + name + " struct{}"
	}
	return "type " + name + " struct { " + strings.Join(fields, "; ") + " }"
}

// count spells n things: "1 parameter", "2 parameters".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// contextHint reminds an async function's author of the context it may take.
func contextHint(async bool) string {
	if !async {
		return ""
	}
	return " (an async function may also take a ctx context.Context first, cancelled with its task)"
}

// isContext reports a context.Context parameter type.
func isContext(t ast.Expr) bool { return types.ExprString(t) == "context.Context" }

// takesContext reports whether a Go function's first parameter is a
// context.Context, which the glue supplies: cancelled by Ctrl-C during a
// call, or when an async call's task is cancelled.
func takesContext(decl *ast.FuncDecl) bool {
	ps := expand(decl.Type.Params)
	return len(ps) > 0 && isContext(ps[0].typ)
}

// checkShape compares a Go function with the spec: its parameter and
// result types (as written in the source, with the file's name for the
// pyspec package py), and tells whether it also returns an error.
func (src *goSource) checkShape(decl *ast.FuncDecl, sig *Signature, results []*Type) (returnsError bool, err error) {
	if sig.ElemTypes != nil {
		// One type parameter, which the buffers' views are of.
		var names []string
		if tps := decl.Type.TypeParams; tps != nil {
			for _, f := range tps.List {
				for _, n := range f.Names {
					names = append(names, n.Name)
				}
			}
		}
		if len(names) != 1 {
			union := strings.Trim(strings.ReplaceAll(specsOf(sig.ElemTypes), ", ", " | "), "[]")
			return false, fmt.Errorf("(%s) has %s, the spec's element types %s need one: func %s[T %s](..., x py.View[T], ...)",
				src.position(decl.Name.Pos()), count(len(names), "type parameter"), specsOf(sig.ElemTypes), decl.Name.Name, union)
		}
		for _, p := range sig.Params {
			t := p.Type
			if t.Kind == KindOptional {
				t = t.Elem
			}
			if t.Elems != nil {
				t.TypeParam = names[0]
			}
		}
	}
	var want []string
	for _, g := range sig.GoParams() {
		want = append(want, g.GoType())
	}
	var wantResults []string
	got := expand(decl.Type.Results)
	for i, r := range results {
		if r.Kind == KindBuffer && i < len(got) {
			src.bindBufferResult(decl, r, types.ExprString(got[i].typ))
		}
		if r.Kind == KindIterator && r.Key == nil && i < len(got) {
			// iterator[T] is an iter.Seq[T], or an iter.Seq2[T, error]
			// whose error ends the iteration with an exception.
			r.SeqErr = types.ExprString(got[i].typ) == "iter.Seq2["+r.Elem.GoType()+", error]"
		}
		wantResults = append(wantResults, r.GoType())
	}
	returnsError, conv, err := src.checkTypes(decl, want, wantResults)
	if err == nil && conv != nil {
		if sig.Struct != nil {
			conv.params = nil // the struct's own fields are checked apart
		}
		sig.ParamConv, sig.ResultConv = conv.params, conv.results
	}
	return returnsError, err
}

// goConv lists the named Go types the glue converts to (parameters) and
// from (results), "" where the Go type is the spec's.
type goConv struct{ params, results []string }

// checkTypes is checkShape on explicit Go type spellings. A type spelled
// otherwise may still be the spec's, through an alias or as a named type of
// the package (then converted, and listed in conv).
func (src *goSource) checkTypes(decl *ast.FuncDecl, params, results []string) (returnsError bool, conv *goConv, err error) {
	spell := func(t string) string { return src.spell(decl, t) }
	got := expand(decl.Type.Params)
	if len(got) == len(params)+1 && isContext(got[0].typ) {
		got = got[1:] // the glue passes the context
	}
	// Errors start with where the Go declaration is.
	at := "(" + src.position(decl.Name.Pos()) + ")"
	for i, g := range got {
		if i > 0 && isContext(g.typ) {
			return false, nil, fmt.Errorf("%s parameter %s is a context.Context: it must be the first parameter (the glue passes it)", at, g.name)
		}
	}
	if len(got) != len(params) {
		return false, nil, fmt.Errorf("%s takes %s, the spec gives %d", at, count(len(got), "parameter"), len(params))
	}
	c := &goConv{}
	matches := func(e ast.Expr, want string, convs *[]string) bool {
		if types.ExprString(e) == spell(want) {
			*convs = append(*convs, "")
			return true
		}
		if strings.HasPrefix(want, "...") {
			if el, ok := e.(*ast.Ellipsis); ok {
				cv, ok := src.resolve(el.Elt, want[3:])
				if ok && cv == "" {
					*convs = append(*convs, "")
				}
				return ok && cv == "" // a named element type would need a copy
			}
			return false
		}
		cv, ok := src.resolve(e, want)
		if ok {
			*convs = append(*convs, cv)
		}
		return ok
	}
	for i, g := range got {
		if !matches(g.typ, params[i], &c.params) {
			return false, nil, fmt.Errorf("%s parameter %s is %s, the spec needs %s", at, g.name, src.describe(g.typ), spell(params[i]))
		}
	}
	res := expand(decl.Type.Results)
	if n := len(res); n > 0 {
		if id, ok := res[n-1].typ.(*ast.Ident); ok && id.Name == "error" {
			returnsError = true
			res = res[:n-1]
		}
	}
	if len(res) != len(results) {
		return false, nil, fmt.Errorf("%s returns %s (besides a last error result), the spec gives %d", at, count(len(res), "value"), len(results))
	}
	for i, r := range res {
		if !matches(r.typ, results[i], &c.results) {
			return false, nil, fmt.Errorf("%s result %d is %s, the spec needs %s", at, i+1, src.describe(r.typ), spell(results[i]))
		}
	}
	if strings.Join(c.params, "")+strings.Join(c.results, "") == "" {
		c = nil
	}
	return returnsError, c, nil
}

type field struct {
	name string
	typ  ast.Expr
}

// expand lists a field list one name at a time ("a, b int64" is two).
func expand(fl *ast.FieldList) []field {
	var out []field
	if fl == nil {
		return out
	}
	for _, f := range fl.List {
		if len(f.Names) == 0 {
			out = append(out, field{"_", f.Type})
		}
		for _, n := range f.Names {
			out = append(out, field{n.Name, f.Type})
		}
	}
	return out
}

var moduleRE = regexp.MustCompile(`(?m)^module\s+("?)([^\s"]+)"?\s*$`)

// locatePackage finds the module that holds g.Dir and the package's import
// path within it.
func locatePackage(g *GoPackage) error {
	if st, err := os.Stat(g.Dir); err != nil || !st.IsDir() {
		return fmt.Errorf("the Go package directory %s does not exist (go.package is relative to the spec)", g.Dir)
	}
	for dir := g.Dir; ; dir = filepath.Dir(dir) {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil {
			m := moduleRE.FindSubmatch(data)
			if m == nil {
				return fmt.Errorf("%s has no module line", filepath.Join(dir, "go.mod"))
			}
			g.ModuleRoot, g.ModulePath = dir, string(m[2])
			rel, err := filepath.Rel(dir, g.Dir)
			if err != nil {
				return err
			}
			g.ImportPath = g.ModulePath
			if rel != "." {
				g.ImportPath += "/" + filepath.ToSlash(rel)
			}
			return nil
		}
		if filepath.Dir(dir) == dir {
			return fmt.Errorf("no go.mod found in %s or any parent directory: the Go package must be in a module", g.Dir)
		}
	}
}

// The import path of pyspec's package py, and its former one.
const (
	pyPath    = "github.com/pyspec/pyspec/py"
	oldPyPath = "github.com/pyspec/pyspec/runtime"
)

// generatedFile is the file pyspec writes into the author's package (see
// codegen.AuthorFileName).
const generatedFile = "pyspec_gen.go"

func readGoPackage(dir string) (*goSource, string, error) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, "", err
	}
	src := &goSource{funcs: map[string]*ast.FuncDecl{}, methods: map[string]map[string]*ast.FuncDecl{}, types: map[string]*ast.TypeSpec{}, pyAlias: map[ast.Node]string{}, fset: fset}
	names := map[string]bool{}
	var files []*ast.File
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.SkipObjectResolution|parser.ParseComments)
		if err != nil {
			return nil, "", fmt.Errorf("reading the Go package: %v", err)
		}
		names[f.Name.Name] = true
		files = append(files, f)
		alias := "py"
		for _, im := range f.Imports {
			switch p, _ := strconv.Unquote(im.Path.Value); {
			case p == pyPath && im.Name != nil:
				alias = im.Name.Name
			case p == oldPyPath && !(n == generatedFile && ast.IsGenerated(f)):
				// (pyspec_gen.go is rewritten after binding.)
				src.oldImports = append(src.oldImports, fset.Position(im.Path.Pos()))
			}
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				src.pyAlias[d] = alias
				if d.Recv == nil {
					src.funcs[d.Name.Name] = d
					continue
				}
				recv := receiverName(d.Recv.List[0].Type)
				if src.methods[recv] == nil {
					src.methods[recv] = map[string]*ast.FuncDecl{}
				}
				src.methods[recv][d.Name.Name] = d
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok {
						src.types[ts.Name.Name] = ts
						src.pyAlias[ts] = alias
					}
				}
			}
		}
	}
	if len(names) == 0 {
		return nil, "", fmt.Errorf("no Go files in %s", dir)
	}
	if len(names) > 1 {
		var list []string
		for n := range names {
			list = append(list, n)
		}
		sort.Strings(list)
		return nil, "", fmt.Errorf("%s holds several Go packages: %s", dir, strings.Join(list, ", "))
	}
	var name string
	for n := range names {
		name = n
	}
	if name == "main" {
		return nil, "", fmt.Errorf("the Go package in %s is package main; the implementation must be an importable package", dir)
	}
	src.pkg, src.info = checkPackage(fset, name, files)
	return src, name, nil
}

func receiverName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return receiverName(t.X)
	case *ast.Ident:
		return t.Name
	case *ast.IndexExpr:
		return receiverName(t.X)
	}
	return ""
}
