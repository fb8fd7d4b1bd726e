package spec

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/pyspec/pyspec/runtime"
	"gopkg.in/yaml.v3"
)

// get returns the value node of key in mapping n, or nil.
func get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// pairs returns the key and value nodes of mapping n, in order.
func pairs(n *yaml.Node) (keys, vals []*yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		keys = append(keys, n.Content[i])
		vals = append(vals, n.Content[i+1])
	}
	return keys, vals
}

func str(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return n.Value
}

func pos(n *yaml.Node) Pos { return Pos{n.Line, n.Column} }

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
	if filepath.IsAbs(pkg) {
		m.Go.Dir = filepath.Clean(pkg)
	} else {
		m.Go.Dir = filepath.Clean(filepath.Join(filepath.Dir(abs), pkg))
	}

	// Classes are types, so they are known before any type is read.
	l.classes = map[string]*Class{}
	classKeys, classVals := pairs(get(root, "classes"))
	for i, k := range classKeys {
		c := &Class{Name: k.Value, GoName: k.Value, CName: m.Name + "_" + k.Value, Index: i, Pos: pos(k)}
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
		m.Functions = append(m.Functions, l.function(k, vals[i], m.Name+"_", "", structs))
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
			sub.Functions = append(sub.Functions, l.function(fk, fvals[j], m.Name+"_"+sub.Name+"_", CamelCase(sub.Name), structs))
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

func (l *loader) buildClass(m *Module, c *Class, v *yaml.Node, structs map[string]*Struct) {
	c.Doc = str(get(v, "doc"))
	if in := get(v, "init"); in != nil {
		c.Init = &Init{Doc: str(get(in, "doc")), GoName: "New" + c.GoName}
		if g := get(in, "go"); g != nil {
			c.Init.GoName = g.Value
		}
		c.Init.Sig = l.signature(get(in, "args"), structs, c.Name+"()")
	}
	if b := get(v, "buffer"); b != nil {
		c.Buffer = &Export{GoMethod: "Buffer"}
		if r := get(b, "release"); r != nil && r.Value == "true" {
			c.Buffer.ReleaseGoMethod = "ReleaseBuffer"
		}
	}
	if lk := get(v, "lock"); lk != nil {
		c.Lock = lk.Value == "true"
	}
	c.PicklePos = c.Pos
	if p := get(v, "pickle"); p != nil {
		c.PicklePos = pos(p)
		switch p.Value {
		case "binary":
			c.Pickle = PickleBinary
		case "attributes":
			c.Pickle = PickleAttributes
		case "false":
			c.Pickle = PickleNone
		}
	}
	if s := get(v, "subclassable"); s != nil {
		c.Subclassable = s.Value == "true"
	}
	if b := get(v, "base"); b != nil {
		base, ok := l.classes[b.Value]
		switch {
		case !ok:
			l.errorf(b, "class %s: base %q is not a class of this module", c.Name, b.Value)
		case base == c:
			l.errorf(b, "class %s cannot extend itself", c.Name)
		default:
			c.Base = base
		}
	}
	members := map[string]*yaml.Node{}
	claim := func(k *yaml.Node) bool {
		if prev, dup := members[k.Value]; dup {
			l.errorf(k, "class %s: %q is already defined at line %d", c.Name, k.Value, prev.Line)
			return false
		}
		members[k.Value] = k
		return true
	}
	keys, vals := pairs(get(v, "attributes"))
	for i, k := range keys {
		if !claim(k) {
			continue
		}
		a := &Attribute{Name: k.Value, GoField: CamelCase(k.Value), Pos: pos(k)}
		typeNode := vals[i]
		if vals[i].Kind == yaml.MappingNode {
			typeNode = get(vals[i], "type")
			a.Doc = str(get(vals[i], "doc"))
			a.Readonly = str(get(vals[i], "readonly")) == "true"
			if g := get(vals[i], "go"); g != nil {
				a.GoField = g.Value
			}
		}
		if a.Type = l.memberType(typeNode, c, "attribute", a.Name); a.Type != nil {
			c.Attributes = append(c.Attributes, a)
		}
	}
	keys, vals = pairs(get(v, "properties"))
	for i, k := range keys {
		if !claim(k) {
			continue
		}
		pv := vals[i]
		pr := &Property{Name: k.Value, Getter: CamelCase(k.Value), Doc: str(get(pv, "doc")), Pos: pos(k)}
		if g := get(pv, "go"); g != nil {
			pr.Getter = g.Value
		}
		if str(get(pv, "setter")) == "true" {
			pr.Setter = "Set" + pr.Getter
		}
		if g := get(pv, "go_setter"); g != nil {
			pr.Setter = g.Value
		}
		if pr.Type = l.memberType(get(pv, "type"), c, "property", pr.Name); pr.Type != nil {
			c.Properties = append(c.Properties, pr)
		}
	}
	keys, vals = pairs(get(v, "methods"))
	for i, k := range keys {
		if !claim(k) {
			continue
		}
		if meth := l.method(c, k, vals[i], structs); meth != nil {
			c.Methods = append(c.Methods, meth)
		}
	}
	for _, ct := range l.constants(get(v, "constants"), "class "+c.Name) {
		if prev := members[ct.Name]; prev != nil {
			l.errorf(prev, "class %s: %q is also a constant", c.Name, ct.Name)
		}
		c.Constants = append(c.Constants, ct)
	}
}

// memberType resolves the type of an attribute or property: any value
// type, not a buffer (an argument only) or a tuple (results only).
func (l *loader) memberType(n *yaml.Node, c *Class, what, name string) *Type {
	t, err := parseTypeIn(n.Value, ctxReturn, l.scope())
	if err == nil && (t.Kind == KindTuple || t.Kind == KindBuffer || findKind(t, KindCallable) != nil) {
		err = fmt.Errorf("a %s cannot be of type %s", what, t.Spec)
	}
	if err != nil {
		l.errorf(n, "class %s: %s %s: %v", c.Name, what, name, err)
		return nil
	}
	return t
}

// async reads `async:` of a function or method: the call returns an
// awaitable. Its arguments become Go values before the call returns, so a
// buffer (a view valid only during the call) cannot be one.
func (l *loader) async(v *yaml.Node, owner string, sig *Signature, special bool) bool {
	a := get(v, "async")
	if a == nil || a.Value != "true" {
		return false
	}
	if special {
		l.errorf(a, "%s: a special method cannot be async", owner)
		return false
	}
	for _, p := range sig.Params {
		if t := p.Type; t.Kind == KindBuffer || t.Kind == KindOptional && t.Elem.Kind == KindBuffer {
			l.errorf(a, "%s: an async call cannot take the buffer %q: a view is valid only until the call returns, and Go runs later; take bytes (copied) instead", owner, p.Name)
		}
	}
	return true
}

// returns reads `returns:` of a function or method: a type, or a mapping
// {type, writable, doc} (writable is for buffer results). None, or no
// `returns:`, is no result; a tuple is several.
func (l *loader) returns(r *yaml.Node, owner string) []*Type {
	if r == nil {
		return nil
	}
	node, writable := r, false
	if r.Kind == yaml.MappingNode {
		node = get(r, "type")
		if node == nil {
			l.errorf(r, "%s returns: a mapping needs `type:`", owner)
			return nil
		}
		if w := get(r, "writable"); w != nil {
			writable = w.Value == "true"
		}
	}
	if node.Value == "None" {
		return nil
	}
	t, err := parseTypeIn(node.Value, ctxReturn, l.scope())
	if err != nil {
		l.errorf(node, "%s returns: %v", owner, err)
		return nil
	}
	if c := findKind(t, KindCallable); c != nil {
		l.errorf(node, "%s returns: %s: a callable is a parameter type (Python hands Go a function), not a result", owner, c.Spec)
		return nil
	}
	if writable {
		if t.Kind != KindBuffer {
			l.errorf(r, "%s returns: writable is for buffer results, not %s", owner, t.Spec)
		}
		t.Writable = true
	}
	if t.Kind == KindTuple {
		return t.Items
	}
	return []*Type{t}
}

// reservedMethods are the special methods a spec declares in another way,
// with what to write instead.
var reservedMethods = map[string]string{
	"__init__":           "__init__ is the constructor: declare it under `init:` (init: {args: {...}}), with a Go function New$C",
	"__new__":            "__new__ is pyspec's: $C() allocates the object and calls the Go constructor declared under `init:`",
	"__del__":            "__del__ cannot be declared: when an instance of $C dies, its Go value is left to Go's garbage collector; release resources in a method such as close(), or with runtime.AddCleanup in Go",
	"__buffer__":         "__buffer__ is declared with `buffer: {}` (the Go method Buffer(flags runtime.Flags) (runtime.Export, error))",
	"__release_buffer__": "__release_buffer__ is declared with `buffer: {release: true}` (the Go method ReleaseBuffer())",
}

var methodKinds = map[string]MethodKind{"instance": InstanceMethod, "static": StaticMethod, "class": ClassMethod}

func (l *loader) method(c *Class, k, v *yaml.Node, structs map[string]*Struct) *Method {
	meth := &Method{Name: k.Value, Doc: str(get(v, "doc")), GoName: CamelCase(k.Value), Pos: pos(k)}
	if kn := get(v, "kind"); kn != nil {
		meth.Kind = methodKinds[kn.Value]
	}
	if meth.Kind != InstanceMethod {
		// A Go type has no static methods: a package-level function
		// named after the type stands in for one.
		meth.GoName = c.GoName + meth.GoName
	}
	if ng := get(v, "nogil"); ng != nil {
		meth.NoGIL = ng.Value == "true"
	}
	owner := c.Name + "." + meth.Name + "()"
	meth.Sig = l.signature(get(v, "args"), structs, owner)
	meth.Async = l.async(v, owner, meth.Sig, LookupProtocol(meth.Name) != nil)
	meth.Results = l.returns(get(v, "returns"), owner)
	var initSig *Signature
	if meth.Kind == InstanceMethod && c.Init != nil {
		initSig = c.Init.Sig
	}
	meth.Examples = l.examples(get(v, "examples"), owner, meth.Sig, meth.Results, initSig)
	if meth.Kind == InstanceMethod && len(meth.Examples) > 0 && c.Init == nil {
		l.errorf(get(v, "examples"), "%s: examples of an instance method need a class with init", owner)
	}
	if why, reserved := reservedMethods[meth.Name]; reserved {
		l.errorf(k, "class %s: %s", c.Name, strings.ReplaceAll(why, "$C", c.Name))
		return nil
	}
	if PlainDunders[meth.Name] {
		if g := get(v, "go"); g == nil {
			meth.GoName = CamelCase(strings.Trim(meth.Name, "_"))
		}
		if meth.Kind != InstanceMethod {
			l.errorf(k, "class %s: %s must be an instance method", c.Name, meth.Name)
		}
	} else if strings.HasPrefix(meth.Name, "__") && strings.HasSuffix(meth.Name, "__") {
		proto := LookupProtocol(meth.Name)
		if proto == nil {
			l.errorf(k, "class %s: %s is not a special method pyspec supports", c.Name, meth.Name)
			return nil
		}
		if g := get(v, "go"); g == nil {
			meth.GoName = CamelCase(strings.Trim(meth.Name, "_"))
		}
		meth.Protocol = proto
		if meth.Kind != InstanceMethod {
			l.errorf(k, "class %s: %s must be an instance method", c.Name, meth.Name)
		}
		if proto.Args >= 0 && len(meth.Sig.Params) != proto.Args {
			l.errorf(k, "class %s: %s takes %s besides self, the spec gives %d", c.Name, meth.Name, count(proto.Args, "parameter"), len(meth.Sig.Params))
		}
		if err := checkProtocolResult(proto, meth.Results); err != nil {
			l.errorf(k, "class %s: %s %v", c.Name, meth.Name, err)
		}
		if strings.HasSuffix(proto.Group, "attr") && len(meth.Sig.Params) > 0 && meth.Sig.Params[0].Type.Kind != KindStr {
			l.errorf(k, "class %s: %s takes the attribute's name as its first parameter, a str", c.Name, meth.Name)
		}
	}
	if g := get(v, "go"); g != nil {
		meth.GoName = g.Value
	}
	return meth
}

func checkProtocolResult(p *Protocol, results []*Type) error {
	var r *Type
	switch {
	case len(results) == 1:
		r = results[0]
	case len(results) > 1 && (p.Result == "value" || p.Result == "any"):
		return nil // a tuple, as divmod returns
	case len(results) > 1:
		return fmt.Errorf("returns one value, not a tuple")
	}
	switch p.Result {
	case "none":
		if r != nil {
			return fmt.Errorf("returns nothing")
		}
	case "any":
	case "value":
		if r == nil {
			return fmt.Errorf("must declare what it returns")
		}
	case "str":
		if r == nil || r.Kind != KindStr {
			return fmt.Errorf("returns str")
		}
	case "bool":
		if r == nil || r.Kind != KindBool {
			return fmt.Errorf("returns bool")
		}
	case "int":
		if r == nil || r.Kind != KindInt {
			return fmt.Errorf("returns an integer type")
		}
	case "float":
		if r == nil || r.Kind != KindFloat {
			return fmt.Errorf("returns a float type")
		}
	}
	return nil
}

// linkBases checks the inheritance graph and records, for each class, the
// spec classes below it (the glue converts their instances to it).
func (l *loader) linkBases(m *Module) {
	for _, c := range m.Classes {
		seen := map[*Class]bool{c: true}
		for b := c.Base; b != nil; b = b.Base {
			if seen[b] {
				l.errorf(&yaml.Node{Line: c.Pos.Line, Column: c.Pos.Col}, "class %s: its bases form a cycle", c.Name)
				c.Base = nil
				break
			}
			seen[b] = true
		}
	}
	// A class that asks for a lock under an unlocked base would inherit
	// the base's methods, getters and setters, which run without it.
	for _, c := range m.Classes {
		if !c.Lock || c.Base == nil {
			continue
		}
		locked := false
		for b := c.Base; b != nil; b = b.Base {
			locked = locked || b.Lock
		}
		if !locked {
			l.errorf(&yaml.Node{Line: c.Pos.Line, Column: c.Pos.Col},
				"class %s has lock: true, but its base %s does not: %s's methods, getters, setters and pickling would run on a %s without its lock; put lock: true on %s (its derived classes are then locked too)",
				c.Name, c.Base.Name, c.Base.Name, c.Name, rootOf(c).Name)
		}
	}
	for _, c := range m.Classes {
		for b := c.Base; b != nil; b = b.Base {
			b.Derived = append(b.Derived, c)
			b.Subclassable = true
			// An instance of a derived class is one of its base too: a
			// locked base's methods lock it.
			c.Lock = c.Lock || b.Lock
		}
	}
	for _, c := range m.Classes {
		for _, meth := range c.Methods {
			if c.Lock && meth.Async && meth.Kind == InstanceMethod {
				l.errorf(&yaml.Node{Line: meth.Pos.Line, Column: meth.Pos.Col},
					"%s.%s(): class %s has lock: true, and an async method's goroutine would run outside the lock; make it a nogil method, or drop the lock", c.Name, meth.Name, c.Name)
			}
		}
	}
}

// function resolves a function of the module or of a submodule; goPrefix
// starts the default Go name (a submodule's functions are SubF).
func (l *loader) function(k, v *yaml.Node, cPrefix, goPrefix string, structs map[string]*Struct) *Function {
	l.checkName(k, "function name")
	f := &Function{
		Name:   k.Value,
		Doc:    str(get(v, "doc")),
		GoName: goPrefix + CamelCase(k.Value),
		CName:  cPrefix + k.Value,
		Pos:    pos(k),
	}
	if g := get(v, "go"); g != nil {
		f.GoName = g.Value
	}
	if ng := get(v, "nogil"); ng != nil {
		f.NoGIL = ng.Value == "true"
	}
	f.Sig = l.signature(get(v, "args"), structs, f.Name+"()")
	f.Async = l.async(v, f.Name+"()", f.Sig, false)
	f.Results = l.returns(get(v, "returns"), f.Name+"()")
	f.Examples = l.examples(get(v, "examples"), f.Name+"()", f.Sig, f.Results, nil)
	return f
}

// signature resolves `args:`, either inline parameters or a struct name.
func (l *loader) signature(n *yaml.Node, structs map[string]*Struct, owner string) *Signature {
	sig := &Signature{}
	switch {
	case n == nil:
	case n.Kind == yaml.ScalarNode:
		s, ok := structs[n.Value]
		if !ok {
			l.errorf(n, "%s: args names struct %q, which is not declared under `structs:`", owner, n.Value)
			return sig
		}
		sig.Struct = s
		sig.Params = s.Params
	default:
		sig.Params = l.params(n, owner)
	}
	for _, p := range sig.Params {
		switch p.Kind {
		case PositionalOnly:
			sig.NPosOnly++
			sig.NPos++
		case PositionalOrKeyword:
			sig.NPos++
		}
		if p.Kind.IsVariadic() && sig.Struct != nil {
			l.errorf(n, "%s: struct %s has the variadic parameter %q; a struct's fields are named, so declare *args and **kwargs in the function's own args", owner, sig.Struct.Name, p.Name)
		}
	}
	return sig
}

var kindNames = map[string]ParamKind{
	"positional_or_keyword": PositionalOrKeyword,
	"positional_only":       PositionalOnly,
	"keyword_only":          KeywordOnly,
	"var_positional":        VarPositional,
	"var_keyword":           VarKeyword,
}

// params resolves a parameter mapping and checks the order rules of a
// Python signature.
func (l *loader) params(n *yaml.Node, owner string) []*Param {
	var out []*Param
	keys, vals := pairs(n)
	var lastDefault *Param
	for i, k := range keys {
		l.checkName(k, "parameter name")
		p := l.param(k, vals[i], owner)
		if p == nil {
			continue
		}
		if prev := out; len(prev) > 0 && prev[len(prev)-1].Kind.rank() > p.Kind.rank() {
			if p.Kind == PositionalOnly && prev[len(prev)-1].Kind == PositionalOrKeyword {
				l.errorf(k, "%s: positional-only parameter %q must come before the positional-or-keyword ones", owner, p.Name)
			} else {
				l.errorf(k, "%s: parameter %q (%s) must come before %q (%s): positional-only, positional-or-keyword, *args, keyword-only, **kwargs",
					owner, p.Name, kindWord(p.Kind), prev[len(prev)-1].Name, kindWord(prev[len(prev)-1].Kind))
			}
		}
		if p.Kind.IsVariadic() {
			for _, q := range out {
				if q.Kind == p.Kind {
					l.errorf(k, "%s: %q is a second %s parameter (after %q)", owner, p.Name, kindWord(p.Kind), q.Name)
				}
			}
		}
		if p.Kind != KeywordOnly && !p.Kind.IsVariadic() {
			if p.Default != nil {
				lastDefault = p
			} else if lastDefault != nil {
				l.errorf(k, "%s: parameter %q has no default but follows %q, which has one", owner, p.Name, lastDefault.Name)
			}
		}
		out = append(out, p)
	}
	return out
}

func kindWord(k ParamKind) string {
	return [...]string{"positional-or-keyword", "positional-only", "keyword-only", "*args", "**kwargs"}[k]
}

func (l *loader) param(k, v *yaml.Node, owner string) *Param {
	p := &Param{Name: k.Value, GoName: CamelCase(k.Value), Pos: pos(k)}
	typeNode := v
	if v.Kind == yaml.MappingNode {
		typeNode = get(v, "type")
		p.Doc = str(get(v, "doc"))
		if kn := get(v, "kind"); kn != nil {
			p.Kind = kindNames[kn.Value]
		}
	}
	t, err := parseTypeIn(typeNode.Value, ctxArg, l.scope())
	if err != nil {
		l.errorf(typeNode, "%s: parameter %q: %v", owner, p.Name, err)
		return nil
	}
	p.Type = t
	if p.Kind.IsVariadic() {
		// The declared type is each argument's; Python collects them.
		var err error
		if p.Kind == VarPositional {
			p.Type, err = listOf(t, true)
		} else {
			p.Type = &Type{Kind: KindDict, Key: &Type{Kind: KindStr, Spec: "str"}, Elem: t, Spec: "dict[str, " + t.Spec + "]"}
			err = checkElem(t)
		}
		if err != nil {
			l.errorf(typeNode, "%s: parameter %q: %v", owner, p.Name, err)
			return nil
		}
		if d := get(v, "default"); d != nil {
			l.errorf(d, "%s: parameter %q: %s takes no default (it is empty when nothing is passed)", owner, p.Name, kindWord(p.Kind))
		}
		return p
	}
	if v.Kind == yaml.MappingNode {
		elem, flags := get(v, "elem"), get(v, "flags")
		if t.Kind != KindBuffer {
			for _, bad := range []*yaml.Node{elem, flags} {
				if bad != nil {
					l.errorf(bad, "%s: parameter %q: elem and flags apply to buffers only, not %s", owner, p.Name, t.Spec)
				}
			}
		} else {
			p.Type = l.bufferType(elem, flags)
		}
		if d := get(v, "default"); d != nil {
			def, err := makeDefault(p.Type, d)
			if err != nil {
				l.errorf(d, "%s: parameter %q: %v", owner, p.Name, err)
			}
			p.Default = def
		}
	} else if t.Kind == KindBuffer {
		p.Type = l.bufferType(nil, nil)
	}
	return p
}

// bufferType resolves a buffer parameter's request. ND is the default: it
// guarantees a C-contiguous view; FORMAT is added when elem is declared, so
// the glue can check the element type.
func (l *loader) bufferType(elem, flags *yaml.Node) *Type {
	t := &Type{Kind: KindBuffer, Spec: "buffer", Flags: runtime.ND}
	if flags != nil {
		t.Flags = 0
		names := []*yaml.Node{flags}
		if flags.Kind == yaml.SequenceNode {
			names = flags.Content
		}
		for _, n := range names {
			t.Flags |= runtime.FlagNames[n.Value]
		}
	}
	if elem != nil {
		t.Elem = scalarTypes[elem.Value]
		t.Flags |= runtime.FORMAT
		t.Spec = "buffer[" + elem.Value + "]"
	}
	parts := strings.Split(t.Flags.String(), "|")
	for i, p := range parts {
		parts[i] = "PyBUF_" + p
	}
	t.FlagsC = strings.Join(parts, " | ")
	return t
}

// makeDefault checks a default value against its type and spells it.
func makeDefault(t *Type, n *yaml.Node) (*Default, error) {
	if n.Kind != yaml.ScalarNode && !(n.Kind == yaml.SequenceNode && len(n.Content) == 0) && !(n.Kind == yaml.MappingNode && len(n.Content) == 0) {
		return nil, fmt.Errorf("a default must be a plain value (or [] for a list, {} for a dict)")
	}
	if n.Tag == "!!null" {
		if t.Kind == KindAny {
			return &Default{Python: "None", IsNone: true}, nil
		}
		if t.Kind != KindOptional {
			return nil, fmt.Errorf("default is null but %s is not optional (write %s | None)", t.Spec, t.Spec)
		}
		return &Default{Python: "None", IsNone: true}, nil
	}
	if t.Kind == KindOptional {
		return makeDefault(t.Elem, n)
	}
	switch t.Kind {
	case KindBool:
		if n.Tag != "!!bool" {
			return nil, fmt.Errorf("default %q is not a bool (true or false)", n.Value)
		}
		var b bool
		_ = n.Decode(&b)
		if b {
			return &Default{Python: "True", C: "1", Go: "true"}, nil
		}
		return &Default{Python: "False", C: "0", Go: "false"}, nil
	case KindInt:
		if n.Tag != "!!int" {
			return nil, fmt.Errorf("default %q is not an integer", n.Value)
		}
		if t.Signed {
			v, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, t.Bits)
			if err != nil {
				return nil, fmt.Errorf("default %s is out of range for %s", n.Value, t.Spec)
			}
			c := fmt.Sprintf("INT64_C(%d)", v)
			if v == math.MinInt64 {
				c = "INT64_MIN"
			}
			return &Default{Python: strconv.FormatInt(v, 10), C: c, Go: strconv.FormatInt(v, 10)}, nil
		}
		v, err := strconv.ParseUint(strings.ReplaceAll(n.Value, "_", ""), 0, t.Bits)
		if err != nil {
			return nil, fmt.Errorf("default %s is out of range for %s", n.Value, t.Spec)
		}
		return &Default{Python: strconv.FormatUint(v, 10), C: fmt.Sprintf("UINT64_C(%d)", v), Go: strconv.FormatUint(v, 10)}, nil
	case KindFloat:
		if n.Tag != "!!float" && n.Tag != "!!int" {
			return nil, fmt.Errorf("default %q is not a number", n.Value)
		}
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, fmt.Errorf("default %q is not a number", n.Value)
		}
		return floatDefault(f, t.Bits)
	case KindStr, KindBytes:
		if n.Tag != "!!str" {
			return nil, fmt.Errorf("default %s for %s must be a quoted string", n.Value, t.Spec)
		}
		d := &Default{Python: pyRepr(n.Value), C: cString(n.Value), CLen: len(n.Value), Go: strconv.Quote(n.Value)}
		if t.Kind == KindBytes {
			d.Python = pyBytesRepr(n.Value)
			d.Go = "[]byte(" + d.Go + ")"
		} else if shown := pyUnicodeRepr(n.Value); shown != d.Python {
			d.Repr = shown
		}
		return d, nil
	case KindList:
		if n.Kind == yaml.SequenceNode {
			if t.Homogeneous {
				return &Default{Python: "()"}, nil
			}
			return &Default{Python: "[]"}, nil
		}
		return nil, fmt.Errorf("a list default can only be []")
	case KindDict:
		if n.Kind == yaml.MappingNode {
			return &Default{Python: "{}"}, nil
		}
		return nil, fmt.Errorf("a dict default can only be {}")
	case KindEnum:
		for _, m := range t.Enum.Members {
			if n.Value == m.Name {
				return &Default{Python: t.Enum.Name + "." + m.Name, Repr: fmt.Sprintf("<%s.%s: %d>", t.Enum.Name, m.Name, m.Value), Member: m}, nil
			}
		}
		return nil, fmt.Errorf("default %q is not a member of %s", n.Value, t.Enum.Name)
	}
	if t.Dynamic() {
		return nil, fmt.Errorf("%s parameters cannot have a default (but None when optional)", t.Spec)
	}
	return nil, fmt.Errorf("%s parameters cannot have a default", t.Spec)
}

func floatDefault(f float64, bits int) (*Default, error) {
	switch {
	case math.IsNaN(f):
		return &Default{Python: "nan", C: "NAN", Go: "floatNaN"}, nil
	case math.IsInf(f, 1):
		return &Default{Python: "inf", C: "INFINITY", Go: "floatInf"}, nil
	case math.IsInf(f, -1):
		return &Default{Python: "-inf", C: "(-INFINITY)", Go: "-floatInf"}, nil
	case bits == 32 && math.Abs(f) > math.MaxFloat32:
		return nil, fmt.Errorf("default %v is out of range for float32", f)
	}
	py := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(py, ".eE") {
		py += ".0"
	}
	c := strconv.FormatFloat(f, 'g', 17, 64)
	if !strings.ContainsAny(c, ".eE") {
		c += ".0"
	}
	return &Default{Python: py, C: c, Go: c}, nil
}

// cString spells s as a C string literal, escaping every byte that is not
// plain printable ASCII.
func cString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 0x20 && c < 0x7f && c != '?':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "\\%03o", c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// pyRepr spells s as Python's ascii() would: a literal in plain ASCII,
// as text signatures (parsed from the docstring) and bytes literals need.
func pyRepr(s string) string { return pyLiteral(s, false) }

// pyUnicodeRepr spells s as Python's repr() would: printable characters
// beyond ASCII stay as they are.
func pyUnicodeRepr(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > 0x7f && unicode.IsPrint(r) {
			b.WriteRune(r)
		} else {
			lit := pyRepr(string(r))
			b.WriteString(lit[1 : len(lit)-1])
		}
	}
	return "'" + b.String() + "'"
}

// pyBytesRepr spells the UTF-8 bytes of s as a bytes literal.
func pyBytesRepr(s string) string { return "b" + pyLiteral(s, true) }

func pyLiteral(s string, bytes bool) string {
	var b strings.Builder
	b.WriteByte('\'')
	escape := func(r rune) {
		switch r {
		case '\'', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			switch {
			case r >= 0x20 && r < 0x7f:
				b.WriteRune(r)
			case r < 0x100:
				fmt.Fprintf(&b, `\x%02x`, r)
			case r < 0x10000:
				fmt.Fprintf(&b, `\u%04x`, r)
			default:
				fmt.Fprintf(&b, `\U%08x`, r)
			}
		}
	}
	if bytes {
		for i := 0; i < len(s); i++ {
			escape(rune(s[i]))
		}
	} else {
		for _, r := range s {
			escape(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// rootOf is the class at the top of c's bases.
func rootOf(c *Class) *Class {
	for c.Base != nil {
		c = c.Base
	}
	return c
}
