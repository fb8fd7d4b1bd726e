// Resolving the module: its names, enums, structs, exceptions and constants.

package spec

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

var pythonKeywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true,
	"async": true, "await": true, "break": true, "class": true, "continue": true, "def": true,
	"del": true, "elif": true, "else": true, "except": true, "finally": true, "for": true,
	"from": true, "global": true, "if": true, "import": true, "in": true, "is": true,
	"lambda": true, "nonlocal": true, "not": true, "or": true, "pass": true, "raise": true,
	"return": true, "try": true, "while": true, "with": true, "yield": true,
}

// IsPythonKeyword reports whether name is reserved in Python.
func IsPythonKeyword(name string) bool { return pythonKeywords[name] }

func (l *loader) checkName(n *yaml.Node, what string) {
	if pythonKeywords[n.Value] {
		l.errorf(n, "%s %q is a Python keyword", what, n.Value)
	}
}

// CamelCase turns a Python name into the exported Go name pyspec binds it
// to: column_sums -> ColumnSums, sum -> Sum.
func CamelCase(name string) string {
	var b strings.Builder
	up := true
	for _, r := range name {
		if r == '_' {
			up = true
			continue
		}
		if up && r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		up = false
		b.WriteRune(r)
	}
	s := b.String()
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		s = "X" + s
	}
	return s
}

func (l *loader) build(root *yaml.Node) *Module {
	abs, err := filepath.Abs(l.file)
	if err != nil {
		abs = l.file
	}
	m := &Module{Name: str(get(root, "module")), Doc: str(get(root, "doc")), SpecPath: abs}
	l.checkName(get(root, "module"), "module name")
	if n := get(root, "module"); n != nil && stdlibModules[n.Value] {
		l.errorf(n, "module name %q is a standard-library module: `import %s` would load that one; choose another name", n.Value, n.Value)
	}
	if v := get(root, "version"); v != nil {
		norm, err := NormalizeVersion(v.Value)
		if err != nil {
			l.errorf(v, "%v", err)
		}
		m.Version = norm
	}
	pkg := "."
	if p := get(get(root, "go"), "package"); p != nil {
		pkg = p.Value
	}
	if tags := get(get(root, "go"), "tags"); tags != nil && tags.Kind == yaml.SequenceNode {
		for _, t := range tags.Content {
			m.Go.Tags = append(m.Go.Tags, t.Value)
		}
	}
	if exps := get(get(root, "go"), "experiments"); exps != nil && exps.Kind == yaml.SequenceNode {
		for _, e := range exps.Content {
			m.Go.Experiments = append(m.Go.Experiments, e.Value)
		}
	}
	m.Go.CgoCFlags = str(get(get(root, "go"), "cgo_cflags"))
	m.Go.CgoLDFlags = str(get(get(root, "go"), "cgo_ldflags"))
	gc := get(get(root, "go"), "gc")
	if p := get(gc, "percent"); p != nil {
		if n, err := strconv.Atoi(p.Value); err == nil {
			m.Go.GCPercent = &n
		}
	}
	if ml := get(gc, "memory_limit"); ml != nil {
		n, err := memoryBytes(ml.Value)
		if err != nil {
			l.errorf(ml, "go.gc.memory_limit: %v", err)
		}
		m.Go.MemoryLimit = n
	}
	if filepath.IsAbs(pkg) {
		m.Go.Dir = filepath.Clean(pkg)
	} else {
		m.Go.Dir = filepath.Clean(filepath.Join(filepath.Dir(abs), pkg))
	}

	// Classes are types, so they are known before any type is read.
	l.classes = map[string]*Class{}
	classKeys, classVals := pairs(get(root, "classes"))
	for i, k := range classKeys {
		c := &Class{Name: k.Value, GoName: k.Value, Index: i, Pos: pos(k)}
		if c.GoName[0] < 'A' || c.GoName[0] > 'Z' {
			c.GoName = CamelCase(c.GoName)
		}
		if g := get(classVals[i], "go"); g != nil {
			c.GoName = g.Value
		}
		l.classes[c.Name] = c
		m.Classes = append(m.Classes, c)
	}

	// So are enums and structs (a struct as a value is a dict with its keys).
	l.enums = map[string]*Enum{}
	enumKeys, enumVals := pairs(get(root, "enums"))
	for i, k := range enumKeys {
		if e := l.enum(k, enumVals[i], len(m.Enums)); e != nil {
			l.enums[e.Name] = e
			m.Enums = append(m.Enums, e)
		}
	}
	structs := map[string]*Struct{}
	l.structs = structs
	keys, vals := pairs(get(root, "structs"))
	for _, k := range keys {
		s := &Struct{Name: k.Value, GoName: CamelCase(k.Value), Pos: pos(k)}
		structs[s.Name] = s
		m.Structs = append(m.Structs, s)
	}
	for i, s := range m.Structs {
		s.Doc = str(get(vals[i], "doc"))
		s.Params = l.params(get(vals[i], "args"), s.Name)
	}
	l.checkStructCycles(m.Structs)

	names := map[string]*yaml.Node{}
	claim := func(k *yaml.Node) {
		if prev, dup := names[k.Value]; dup {
			l.errorf(k, "%q is already defined at line %d; functions, classes, enums and exceptions share the module namespace", k.Value, prev.Line)
		}
		names[k.Value] = k
	}
	for _, k := range enumKeys {
		claim(k)
	}
	for _, k := range keys {
		claim(k) // a struct is a TypedDict of the module
	}

	for _, k := range classKeys {
		l.checkName(k, "class name")
	}

	keys, vals = pairs(get(root, "functions"))
	for i, k := range keys {
		claim(k)
		if f := l.function(k, vals[i], "", structs); f.Vectorize {
			m.Ufuncs = append(m.Ufuncs, f)
		} else {
			m.Functions = append(m.Functions, f)
		}
	}

	keys, vals = pairs(get(root, "submodules"))
	for i, k := range keys {
		claim(k)
		l.checkName(k, "submodule name")
		sub := &Submodule{Name: k.Value, Doc: str(get(vals[i], "doc")), Pos: pos(k)}
		subNames := map[string]*yaml.Node{}
		fkeys, fvals := pairs(get(vals[i], "functions"))
		for j, fk := range fkeys {
			subNames[fk.Value] = fk
			sub.Functions = append(sub.Functions, l.function(fk, fvals[j], CamelCase(sub.Name), structs))
		}
		for _, c := range l.constants(get(vals[i], "constants"), "submodule "+sub.Name) {
			if prev := subNames[c.Name]; prev != nil {
				l.errorf(prev, "%q is defined twice in submodule %s", c.Name, sub.Name)
			}
			sub.Constants = append(sub.Constants, c)
		}
		m.Submodules = append(m.Submodules, sub)
	}

	for i, k := range classKeys {
		claim(k)
		l.buildClass(m, l.classes[k.Value], classVals[i], structs)
	}
	l.linkBases(m)

	keys, vals = pairs(get(root, "exceptions"))
	for i, k := range keys {
		claim(k)
		e := &Exception{Name: k.Value, Doc: str(get(vals[i], "doc")), Base: "Exception", GoName: CamelCase(k.Value), Index: i, Pos: pos(k)}
		if b := get(vals[i], "base"); b != nil {
			e.Base = b.Value
			if !builtinExceptions[e.Base] && !declared(m.Exceptions, e.Base) {
				l.errorf(b, "exception %s: base %q is neither a built-in exception nor one declared above it", e.Name, e.Base)
			}
		}
		m.Exceptions = append(m.Exceptions, e)
	}
	for _, c := range l.constants(get(root, "constants"), "module") {
		if prev, dup := names[c.Name]; dup {
			l.errorf(prev, "%q is defined twice in the module namespace", c.Name)
		}
		m.Constants = append(m.Constants, c)
	}
	return m
}

// findKind returns the first type of kind k in t, t included, or nil.
func findKind(t *Type, k TypeKind) *Type {
	return findKindIn(t, k, map[*Struct]bool{})
}

func findKindIn(t *Type, k TypeKind, seen map[*Struct]bool) *Type {
	if t == nil {
		return nil
	}
	if t.Kind == k {
		return t
	}
	subs := append([]*Type{t.Elem, t.Key}, t.Items...)
	if t.Struct != nil && !seen[t.Struct] {
		seen[t.Struct] = true
		for _, p := range t.Struct.Params {
			subs = append(subs, p.Type)
		}
	}
	for _, sub := range subs {
		if f := findKindIn(sub, k, seen); f != nil {
			return f
		}
	}
	return nil
}

// enum reads one entry of `enums:`.
func (l *loader) enum(k, v *yaml.Node, index int) *Enum {
	l.checkName(k, "enum name")
	e := &Enum{Name: k.Value, GoName: CamelCase(k.Value), Doc: str(get(v, "doc")), Index: index, Pos: pos(k)}
	e.Flag = str(get(v, "flag")) == "true"
	keys, vals := pairs(get(v, "values"))
	if len(keys) == 0 {
		l.errorf(k, "enum %s needs at least one member under `values:`", e.Name)
		return nil
	}
	for i, mk := range keys {
		l.checkName(mk, "enum member")
		if strings.HasPrefix(mk.Value, "_") {
			l.errorf(mk, "enum %s: member %s: names starting with _ are reserved by Python's enum module", e.Name, mk.Value)
			continue
		}
		var value int64
		if vals[i].Tag != "!!int" || vals[i].Decode(&value) != nil {
			l.errorf(vals[i], "enum %s: member %s: the value must be an integer that fits int64, not %q", e.Name, mk.Value, vals[i].Value)
			continue
		}
		name := mk.Value
		if strings.ToUpper(name) == name {
			name = strings.ToLower(name)
		}
		e.Members = append(e.Members, &EnumMember{Name: mk.Value, GoName: e.GoName + CamelCase(name), Value: value, Pos: pos(mk)})
	}
	return e
}

// checkStructCycles refuses a struct that holds itself by value, directly
// or through other structs: its Go type would be infinitely large.
func (l *loader) checkStructCycles(structs []*Struct) {
	var visit func(s *Struct, path []string) bool
	visit = func(s *Struct, path []string) bool {
		for _, prev := range path {
			if prev == s.Name {
				return true
			}
		}
		path = append(path, s.Name)
		for _, p := range s.Params {
			if p.Type != nil && p.Type.Kind == KindStruct && visit(p.Type.Struct, path) {
				return true
			}
		}
		return false
	}
	for _, s := range structs {
		if visit(s, nil) {
			l.errorAt(s.Pos, "struct %s holds itself by value (Go cannot size it): make the field optional (a pointer) or a list", s.Name)
		}
	}
}

var builtinExceptions = map[string]bool{
	"Exception": true, "ValueError": true, "TypeError": true, "RuntimeError": true, "KeyError": true,
	"IndexError": true, "LookupError": true, "ArithmeticError": true, "OverflowError": true,
	"ZeroDivisionError": true, "OSError": true, "IOError": true, "BufferError": true,
	"NotImplementedError": true, "AttributeError": true, "PermissionError": true,
	"FileNotFoundError": true, "TimeoutError": true, "ConnectionError": true, "UnicodeError": true,
	"AssertionError": true, "StopIteration": true, "Warning": true, "UserWarning": true,
}

func declared(es []*Exception, name string) bool {
	for _, e := range es {
		if e.Name == name {
			return true
		}
	}
	return false
}

// constants reads a mapping of names to plain values.
func (l *loader) constants(n *yaml.Node, where string) []*Constant {
	var out []*Constant
	keys, vals := pairs(n)
	for i, k := range keys {
		v := vals[i]
		var t *Type
		switch v.Tag {
		case "!!bool":
			t = scalarTypes["bool"]
		case "!!int":
			t = scalarTypes["int64"]
		case "!!float":
			t = scalarTypes["float64"]
		case "!!str":
			t = &Type{Kind: KindStr, Spec: "str"}
		default:
			l.errorf(v, "%s constant %s: a constant is a bool, int, float or string", where, k.Value)
			continue
		}
		d, err := makeDefault(t, v)
		if err != nil {
			l.errorf(v, "%s constant %s: %v", where, k.Value, err)
			continue
		}
		out = append(out, &Constant{Name: k.Value, Type: t, Value: d})
	}
	return out
}

// memoryBytes reads a size as GOMEMLIMIT does: bytes, or a number with a
// unit B, KiB, MiB, GiB or TiB.
func memoryBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		shift  uint
	}{{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}}
	shift := uint(0)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, shift = strings.TrimSuffix(s, u.suffix), u.shift
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64>>shift {
		return 0, fmt.Errorf("%q is not a size Go can hold (bytes, or a number with B, KiB, MiB, GiB or TiB)", s)
	}
	return n << shift, nil
}
