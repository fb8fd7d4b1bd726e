// Resolving classes: members, methods, special methods and bases.

package spec

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

func (l *loader) buildClass(m *Module, c *Class, v *yaml.Node, structs map[string]*Struct) {
	c.Doc = str(get(v, "doc"))
	if in := get(v, "init"); in != nil {
		c.Init = &Init{Doc: str(get(in, "doc")), GoName: "New" + c.GoName}
		if g := get(in, "go"); g != nil {
			c.Init.GoName = g.Value
		}
		c.Init.Sig = l.signature(get(in, "args"), structs, c.Name+"()")
		if c.Init.Sig.ElemTypes != nil {
			l.errorf(in, "%s(): a constructor cannot take a list of element types; take one, or a py.Buffer", c.Name)
		}
	}
	if b := get(v, "buffer"); b != nil {
		c.Buffer = &Export{GoMethod: "Buffer"}
		if r := get(b, "release"); r != nil && r.Value == "true" {
			c.Buffer.ReleaseGoMethod = "ReleaseBuffer"
		}
		if f := get(b, "fixed"); f != nil && f.Value == "true" {
			c.Buffer.Fixed = true
			if c.Buffer.ReleaseGoMethod != "" {
				l.errorf(f, "class %s: buffer: fixed: true cannot go with release: true: the views of a fixed export are made in C from the first export, without calling Go, so ReleaseBuffer() could not run once per view; drop release, or fixed", c.Name)
			}
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
	// __richcompare__ fills the slot the six comparisons share.
	var rich *Method
	for _, meth := range c.Methods {
		if meth.Name == "__richcompare__" {
			rich = meth
		}
	}
	for _, meth := range c.Methods {
		if rich != nil && meth.Protocol != nil && meth.Protocol.Group == "compare" {
			l.errorAt(meth.Pos, "class %s: %s and __richcompare__ both compare; declare one or the other", c.Name, meth.Name)
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
	if err == nil && (t.Kind == KindTuple || t.Kind == KindBuffer || t.Kind == KindIterator || findKind(t, KindCallable) != nil) {
		err = fmt.Errorf("%s cannot be of type %s", withArticle(what), t.Spec)
	}
	if err != nil {
		l.errorf(n, "class %s: %s %s: %v", c.Name, what, name, err)
		return nil
	}
	return t
}

// reservedMethods are the special methods a spec declares in another way,
// with what to write instead.
var reservedMethods = map[string]string{
	"__init__":           "__init__ is the constructor: declare it under `init:` (init: {args: {...}}), with a Go function New$C",
	"__new__":            "__new__ is pyspec's: $C() allocates the object and calls the Go constructor declared under `init:`",
	"__del__":            "__del__ cannot be declared: when an instance of $C dies, its Go value is left to Go's garbage collector; release resources in a method such as close(), or with runtime.AddCleanup in Go",
	"__buffer__":         "__buffer__ is declared with `buffer: {}` (the Go method Buffer(flags py.Flags) (py.Export, error))",
	"__release_buffer__": "__release_buffer__ is declared with `buffer: {release: true}` (the Go method ReleaseBuffer())",
}

var methodKinds = map[string]MethodKind{"instance": InstanceMethod, "static": StaticMethod, "class": ClassMethod}

func (l *loader) method(c *Class, k, v *yaml.Node, structs map[string]*Struct) *Method {
	problems := len(l.diags)
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
	if meth.Sig.ElemTypes != nil {
		l.errorf(k, "%s: a method cannot take a list of element types (Go methods have no type parameters); a module function can: func F[T float32 | float64](x py.View[T])", owner)
	}
	meth.Async = l.async(v, owner, meth.Sig, LookupProtocol(meth.Name) != nil)
	meth.Results = l.returns(get(v, "returns"), owner)
	var initSig *Signature
	if meth.Kind == InstanceMethod && c.Init != nil {
		initSig = c.Init.Sig
	}
	if len(l.diags) == problems { // else examples would only echo the signature's problems
		meth.Examples = l.examples(get(v, "examples"), owner, meth.Sig, meth.Results, initSig)
	}
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
		if proto.Group == "richcompare" && len(meth.Sig.Params) == 2 && meth.Sig.Params[1].Type.Kind != KindInt {
			l.errorf(k, "class %s: __richcompare__ takes the operator as its second parameter, an int (int64 in Go: py.LT ... py.GE)", c.Name)
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

// rootOf is the class at the top of c's bases.
func rootOf(c *Class) *Class {
	for c.Base != nil {
		c = c.Base
	}
	return c
}

// withArticle is "an attribute", "a property".
func withArticle(noun string) string {
	if strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}
