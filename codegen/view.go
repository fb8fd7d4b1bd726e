package codegen

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pyspec/pyspec/spec"
)

// moduleView is what the templates render: the model plus every C and Go
// spelling, decided here.
type moduleView struct {
	*spec.Module
	ABIHash    string // of module.h and pyspec_abi.h: the C and Go parts must agree
	ImplAlias  string // how the glue imports the author's package
	Funcs      []*callView
	Ufuncs     []*ufuncView
	Classes    []*classView
	Exceptions []*exceptionView
	Enums      []*enumView
	Constants  []*constantView
	Submodules []*submoduleView
	// Converters is the Go source of the converters of the types the Go
	// part converts itself; Registrations the statements making the
	// module's classes, structs and enums known to py.ValueOf and As.
	Converters    []string
	Registrations []string
	// StructsSource defines the structs as TypedDicts at import (a C
	// literal of Python source, "" for none); StructNames are their names.
	StructsSource string
	StructNames   []string
	entries       map[string]abiEntry // API by name, made on first use (Export)
}

type enumView struct {
	*spec.Enum
	DocLiteral string
}

type submoduleView struct {
	Name       string
	CName      string // prefix of its C symbols
	DocLiteral string
	Funcs      []*callView
	Constants  []*constantView
}

// callView is one call from Python into Go: a function, a method, a
// constructor or a special method.
type callView struct {
	PyName       string // as errors name it: "sum", "Vec.dot", "Vec"
	CName        string
	Doc          string // C string literal: text signature and docstring
	Sig          *spec.Signature
	Params       []*paramView
	Results      []*resultView
	ReturnsError bool
	NoGIL        bool
	Async        bool   // returns an awaitable; the Go call runs in a goroutine
	TakesContext bool   // the Go function's first parameter is a context.Context
	GoCall       string // e.g. "impl.Sum", "obj.Dot"
	GoArgs       string // the Go call's argument list
	GoName       string // for panic messages
	// Buffer shapes to check: their C declarations, and the local holding
	// the call's named sizes ("" when no parameter has a shape).
	ShapeDecls []string
	NamedLocal string
	// A generic Go function over its buffers' element types: the args
	// field holding the element type they share, the C statement that
	// starts it unset, and one call per type (the first is the default).
	ElemField, ElemInit string
	Dispatch            []dispatchCase
	Origin              string   // the spec node it comes from, for comments
	resultTypes         []string // Go types of the results
	Self                string   // "", "instance" or "class"
	ClassIndex          int      // instance methods and constructors: the owner's index
	ClassGoName         string
	ClassCName          string
	ReturnSelf          bool   // in-place operators without a result return self
	MethName            string // the Python name of a method
	MethFlags           string // PyMethodDef flags of a plain method
	IsSetter            bool   // converts a value assigned to an attribute
	Lock                bool   // holds the object's lock around the Go call
	// The types whose converters the call uses.
	fromTypes, toTypes []*spec.Type
}

type paramView struct {
	Index    int
	Name     string
	Kind     string // PYSPEC_POS_OR_KW ...
	Required bool
	CType    string
	Field    string // C field in the args struct
	Present  string // C field telling None from a value ("" unless optional)
	Conv     string
	Local    string // a C variable the conversion needs besides the field
	Release  string
	Default  string
	Optional bool
	Zero     string // clears the value of an absent optional
	GoExpr   string
	// Arguments the Go part converts: the conversion, and the Go default
	// when the argument is absent ("": the converter's own).
	goConv, goDefault string
	elemType          *spec.Type // a buffer with a list of element types
}

// dispatchCase is the call of a generic Go function's instance.
type dispatchCase struct {
	Code   string // C.PYSPEC_T_...
	GoType string
	Args   string // the arguments, but the context
}

type resultView struct {
	Field  string
	CType  string
	GoVar  string
	GoToC  string
	CToPy  string
	GoToPy string // the Python object of GoVar, built in Go (async results)

	typ *spec.Type
	val string // the Go value converted
}

// ParamsReversed is the order in which converted arguments are released.
func (c *callView) ParamsReversed() []*paramView {
	out := make([]*paramView, len(c.Params))
	for i, p := range c.Params {
		out[len(out)-1-i] = p
	}
	return out
}

// ResultObjects reports whether any result travels as a PyObject*.
func (c *callView) ResultObjects() bool {
	for _, r := range c.Results {
		if r.CType == "PyObject*" {
			return true
		}
	}
	return false
}

// GoResults is the left-hand side of the Go call: "v0, err := " and so on.
func (c *callView) GoResults() string { return c.resultVars(" := ") }

// resultVars lists the Go call's result variables before op ("" when there
// are none).
func (c *callView) resultVars(op string) string {
	var vars []string
	for _, r := range c.Results {
		vars = append(vars, r.GoVar)
	}
	if c.ReturnsError {
		vars = append(vars, "err")
	}
	if len(vars) == 0 {
		return ""
	}
	return strings.Join(vars, ", ") + op
}

// Entry is the call's entry point of the Go part. The C part passes the
// instance's Go value and class index (instance methods) or the class
// (class methods), its converted arguments, and the token of the future
// (async calls) or where the results go.
func (c *callView) Entry() abiEntry {
	e := abiEntry{Name: c.CName, Result: statusResult}
	switch c.Self {
	case "instance":
		e.Params = append(e.Params,
			abiParam{Name: "self", CType: "void*", Arg: "obj->goptr"},
			abiParam{Name: "cls", CType: "int32_t", Arg: "obj->cls"})
	case "class":
		e.Params = append(e.Params, abiParam{Name: "cls", CType: "PyObject*", Arg: "self"})
	}
	e.Params = append(e.Params, abiParam{Name: "a", CType: "struct " + c.CName + "_args*", Arg: "&a"})
	if c.Async {
		e.Params = append(e.Params, abiParam{Name: "token", CType: "uint64_t", Arg: "token"})
	} else if len(c.Results) > 0 {
		e.Params = append(e.Params, abiParam{Name: "r", CType: "struct " + c.CName + "_result*", Arg: "&r"})
	}
	return e
}

// GoCallArgs is the argument list of the author's Go function, with the
// context first when it takes one.
func (c *callView) GoCallArgs() string {
	if !c.TakesContext {
		return c.GoArgs
	}
	if c.GoArgs == "" {
		return "ctx"
	}
	return "ctx, " + c.GoArgs
}

// AsyncLocals are the statements converting an async call's arguments to
// Go values before the goroutine starts (the C values die with the call).
func (c *callView) AsyncLocals() []string {
	var out []string
	for i, p := range c.Params {
		out = append(out, fmt.Sprintf("p%d := %s", i, p.GoExpr))
	}
	return out
}

// AsyncArgs is the Go call's argument list in the goroutine.
func (c *callView) AsyncArgs() string {
	exprs := make([]string, len(c.Params))
	for i := range c.Params {
		exprs[i] = fmt.Sprintf("p%d", i)
	}
	s := goArgs(c.Sig, exprs)
	if c.TakesContext {
		if s == "" {
			return "ctx"
		}
		return "ctx, " + s
	}
	return s
}

// ResultDecls declares the Go results a call sets later: in an async
// call's goroutine, in a generic call's cases.
func (c *callView) ResultDecls() []string {
	var out []string
	for i, r := range c.Results {
		out = append(out, fmt.Sprintf("var %s %s", r.GoVar, c.resultTypes[i]))
	}
	return out
}

// ResultAssign is the left-hand side of a Go call whose results were
// declared before it: in an async call's goroutine, in a generic call's
// cases.
func (c *callView) ResultAssign() string { return c.resultVars(" = ") }

// CCallArgs is the argument list with which C calls the exported function.
func (c *callView) CCallArgs() string { return c.Entry().CCallArgs() }

// GoSelf is the statement that gives an instance method its receiver.
func (c *callView) GoSelf() string {
	if c.Self != "instance" {
		return ""
	}
	return "obj := as_" + c.ClassGoName + "(self, cls)"
}

type classView struct {
	*spec.Class
	CName      string // prefix of the class's C and Go symbols
	Origin     string // the spec node, for comments
	Doc        string
	Init       *callView
	GoType     string // impl.ConstantBuffer
	BufferCall string
	Release    string
	Methods    []*callView // plain methods, in the type's method table
	Specials   []*callView // special methods, behind slots
	Getsets    []*getsetView
	Constants  []*constantView
	Slots      []slotView
	Casts      []castView // how instances of this class and of classes below it become *GoType
	Flags      string
	// Restore converts the state of `pickle: attributes` (its params are
	// the attributes) and makes the Go value; nil otherwise.
	Restore *callView
	// NoPickle is the reason given when an instance is pickled, for
	// classes that do not pickle ("" when they do).
	NoPickle string
	// Returned is set when Go can hand a value of this class to Python (it
	// is a result or attribute type): then a value must find the wrapper it
	// already has, through the identity map. Other classes only pin.
	Returned bool
	module   *moduleView
}

// Identity reports whether binding a value of this class registers it (or
// its base class parts) in an identity map.
func (cv *classView) Identity() bool { return len(cv.IdentityParts()) > 0 || cv.Returned }

// IdentityParts are the ancestors whose values Go can return: a value of
// this class registers its base parts of those classes as aliases.
func (cv *classView) IdentityParts() []*spec.Class {
	var out []*spec.Class
	for b := cv.Base; b != nil; b = b.Base {
		if cv.module.Classes[b.Index].Returned {
			out = append(out, b)
		}
	}
	return out
}

// ObjectStruct is the C struct of the class's instances.
func (cv *classView) ObjectStruct() string {
	switch {
	case cv.Lock && cv.ExportCache():
		return "pyspec_locked_fixed"
	case cv.Lock:
		return "pyspec_locked"
	case cv.ExportCache():
		return "pyspec_fixed"
	}
	return "pyspec_object"
}

// FixedExport reports that the class's own getbuffer keeps the first export
// (`buffer: {fixed: true}`) and makes later views from it.
func (cv *classView) FixedExport() bool { return cv.Buffer != nil && cv.Buffer.Fixed }

// ExportCache reports that instances hold a fixed export's cache: the class
// has a fixed export, or a base has one (CPython gives the derived class the
// base's getbuffer, which uses the cache).
func (cv *classView) ExportCache() bool {
	for c := cv.Class; c != nil; c = c.Base {
		if c.Buffer != nil && c.Buffer.Fixed {
			return true
		}
	}
	return false
}

// Dealloc is the class's tp_dealloc: a class whose instances hold a cache
// lets go of it first.
func (cv *classView) Dealloc() string {
	if cv.ExportCache() {
		return cv.CName + "_dealloc"
	}
	return "pyspec_dealloc"
}

// LockedRelease reports that releasing a view takes the object's lock: the
// release may run Go code of the object's. A fixed export has no release
// hook (spec), so its releases need no lock, as its cached views need none.
func (cv *classView) LockedRelease() bool { return cv.Lock && !cv.FixedExport() }

// PickleBinary reports pickling through MarshalBinary/UnmarshalBinary.
func (cv *classView) PickleBinary() bool { return cv.Pickle == spec.PickleBinary }

// RestoreFields is the Go statements setting the fields of a restored
// value v from the converted state a.
func (cv *classView) RestoreFields() []string {
	var out []string
	for i, p := range cv.Restore.Params {
		out = append(out, "v."+cv.Restore.Sig.Params[i].GoName+" = "+p.GoExpr)
	}
	return out
}

// Ancestors lists the spec classes this one extends, nearest first.
func (cv *classView) Ancestors() []*spec.Class {
	var out []*spec.Class
	for b := cv.Base; b != nil; b = b.Base {
		out = append(out, b)
	}
	return out
}

// getsetView is an attribute or property: a getter, maybe a setter.
type getsetView struct {
	Name      string
	CName     string
	Origin    string // the spec node, for comments
	Doc       string
	Setter    *callView // nil: read-only; a one-parameter call taking the value
	GoGet     string    // Go expression of the value (obj in scope)
	GetErrors bool
	OutCType  string // C type of the value Go hands back: a scalar, converted in C, or a PyObject*
	GoToOut   string // Go expression of that value from v
	OutToPy   string // C expression of the Python object from the value r
	GoSet     string // Go statement storing the converted value (obj, and a in scope)
	SetErrors bool
	Deletable bool // optional attributes: del sets None
	// GoGetName and GoSetName name the Go side in panic messages: the
	// field of an attribute, the methods of a property.
	GoGetName, GoSetName string
	// Fast is set for scalar attributes, which C reads and writes in the
	// pinned Go value itself, at an offset the Go part reports per class.
	Fast    *fastField
	outType *spec.Type // a value the Go part converts to Python
}

// fastField is a scalar field C reaches directly.
type fastField struct {
	Slot   int    // index of its row in the module's offset table
	CType  string // the field's layout in C: int64_t, double, uint8_t (Go bool), ...
	ConvCT string // the C type its converter fills (int for bool)
	Conv   string // pyspec_conv_* function
	ToPy   string // C expression of the Python value from the field at p
	GoType string // the Go field type, for the size check
	Size   int    // its size in bytes
	Class  *spec.Class
	Field  string
}

type slotView struct {
	Slot string
	Func string
}

type castView struct {
	Index int
	Lines []string // Go statements returning *GoType from p (an unsafe.Pointer)
}

type exceptionView struct {
	*spec.Exception
	DocLiteral string
	BaseC      string // C expression of the base class object
}

type constantView struct {
	Name string
	CNew string // C expression making the value
}

const implAlias = "impl"

func newModuleView(m *spec.Module) *moduleView {
	v := &moduleView{Module: m, ImplAlias: implAlias}
	syms := newModuleSymbols(m)
	for _, f := range m.Functions {
		v.Funcs = append(v.Funcs, functionView(m, f, syms.functions[f], "functions."+f.Name))
	}
	for _, f := range m.Ufuncs {
		v.Ufuncs = append(v.Ufuncs, newUfuncView(m, f, syms.functions[f]))
	}
	for _, sub := range m.Submodules {
		sv := &submoduleView{Name: sub.Name, CName: syms.submodules[sub], DocLiteral: cLiteral(sub.Doc), Constants: constantViews(sub.Constants)}
		for _, f := range sub.Functions {
			sv.Funcs = append(sv.Funcs, functionView(m, f, syms.functions[f], "submodules."+sub.Name+".functions."+f.Name))
		}
		v.Submodules = append(v.Submodules, sv)
	}
	for _, cl := range m.Classes {
		cv := newClassView(m, cl, syms.classes[cl])
		cv.module = v
		v.Classes = append(v.Classes, cv)
	}
	v.markReturned()
	for _, e := range m.Exceptions {
		ev := &exceptionView{Exception: e, DocLiteral: cLiteral(e.Doc), BaseC: "PyExc_" + e.Base}
		for _, other := range m.Exceptions {
			if other.Name == e.Base {
				ev.BaseC = fmt.Sprintf("st->exceptions[%d]", other.Index)
			}
		}
		v.Exceptions = append(v.Exceptions, ev)
	}
	for _, e := range m.Enums {
		v.Enums = append(v.Enums, &enumView{Enum: e, DocLiteral: cLiteral(e.Doc)})
	}
	v.Constants = constantViews(m.Constants)
	if src, names := typedDictSource(m); src != "" {
		v.StructsSource, v.StructNames = cLiteral(src), names
	}
	v.FastFields() // number the offset table's rows
	v.collectConverters()
	return v
}

// collectConverters generates the converters the calls and attributes
// use. A module that converts Python objects itself also registers its
// classes, structs and enums, which py.ValueOf and py.As may
// then meet anywhere.
func (v *moduleView) collectConverters() {
	cs := newConverterSet()
	for _, c := range v.AllCalls() {
		for _, t := range c.fromTypes {
			cs.needFrom(t)
		}
		for _, t := range c.toTypes {
			cs.needTo(t)
		}
	}
	for _, c := range v.Classes {
		for _, g := range c.Getsets {
			if g.outType != nil {
				cs.needTo(g.outType)
			}
		}
	}
	if len(cs.from)+len(cs.to) == 0 {
		return
	}
	for _, c := range v.Module.Classes {
		t := &spec.Type{Kind: spec.KindObject, Spec: c.Name, Class: c}
		cs.needFrom(t)
		cs.needTo(t)
	}
	for _, s := range v.Module.Structs {
		if structConvertible(s) {
			t := &spec.Type{Kind: spec.KindStruct, Spec: s.Name, Struct: s}
			cs.needFrom(t)
			cs.needTo(t)
		}
	}
	for _, e := range v.Module.Enums {
		t := &spec.Type{Kind: spec.KindEnum, Spec: e.Name, Enum: e}
		cs.needFrom(t)
		cs.needTo(t)
	}
	v.Converters = cs.sorted()
	v.Registrations = cs.registrations(v.Module)
	for _, c := range v.Classes {
		c.Returned = true // py.ValueOf may meet any of them
	}
}

// structConvertible reports whether a struct can cross as a dict: an
// argument struct may hold a buffer, which only an argument can be.
func structConvertible(s *spec.Struct) bool {
	var ok func(t *spec.Type, seen map[*spec.Struct]bool) bool
	ok = func(t *spec.Type, seen map[*spec.Struct]bool) bool {
		if t == nil {
			return true
		}
		if familyOf(t).argOnly(t) {
			return false
		}
		if t.Struct != nil {
			if seen[t.Struct] {
				return true
			}
			seen[t.Struct] = true
			for _, p := range t.Struct.Params {
				if p.Type == nil || !ok(p.Type, seen) {
					return false
				}
			}
		}
		for _, sub := range append([]*spec.Type{t.Elem, t.Key}, t.Items...) {
			if !ok(sub, seen) {
				return false
			}
		}
		return true
	}
	return ok(&spec.Type{Kind: spec.KindStruct, Struct: s}, map[*spec.Struct]bool{})
}

// Dynamic reports whether the module converts Python objects in Go.
func (v *moduleView) Dynamic() bool { return len(v.Converters) > 0 }

// origin names a spec node for the comments of generated code, as
// "module.yaml:31:7 classes.Vec.methods.dot".
func origin(m *spec.Module, at spec.Pos, path string) string {
	return fmt.Sprintf("%s:%d:%d %s", filepath.Base(m.SpecPath), at.Line, at.Col, path)
}

func functionView(m *spec.Module, f *spec.Function, cname, path string) *callView {
	c := newCallView(f.Name, m.Go.Name+"."+f.GoName, cname, f.Sig, f.Results, f.ReturnsError, f.NoGIL)
	c.Origin = origin(m, f.Pos, path)
	c.Async, c.TakesContext = f.Async, f.TakesContext
	c.GoCall = implAlias + "." + f.GoName
	c.Doc = cLiteral(textSignature(f.Name, "$module", f.Sig) + documented(f.Doc, f.Sig))
	return c
}

// AllFuncs is the functions of the module and of its submodules.
func (v *moduleView) AllFuncs() []*callView {
	out := append([]*callView(nil), v.Funcs...)
	for _, s := range v.Submodules {
		out = append(out, s.Funcs...)
	}
	return out
}

func constantViews(cs []*spec.Constant) []*constantView {
	var out []*constantView
	for _, c := range cs {
		out = append(out, &constantView{Name: c.Name, CNew: familyOf(c.Type).cConstant(c.Type, c.Value)})
	}
	return out
}

func newClassView(m *spec.Module, cl *spec.Class, syms *classSymbols) *classView {
	cv := &classView{Class: cl, CName: syms.prefix, GoType: implAlias + "." + cl.GoName, Doc: cLiteral(cl.Doc), Flags: "Py_TPFLAGS_DEFAULT",
		Origin: origin(m, cl.Pos, "classes."+cl.Name)}
	if cl.Subclassable {
		cv.Flags += " | Py_TPFLAGS_BASETYPE"
	}
	if cl.Init != nil {
		c := newCallView(cl.Name, m.Go.Name+"."+cl.Init.GoName, syms.init, cl.Init.Sig, nil, cl.Init.ReturnsError, false)
		c.Origin = origin(m, cl.Pos, "classes."+cl.Name+".init")
		c.GoCall = implAlias + "." + cl.Init.GoName
		c.ClassIndex, c.ClassGoName, c.ClassCName = cl.Index, cl.GoName, cv.CName
		cv.Init = c
		cv.Doc = cLiteral(textSignature(cl.Name, "", cl.Init.Sig) + documented(cl.Doc, cl.Init.Sig))
	} else {
		// Only a class's own constructor makes its Go type; an inherited
		// one would put a base value in this class's instances.
		cv.Flags += " | Py_TPFLAGS_DISALLOW_INSTANTIATION"
	}
	if cl.Buffer != nil {
		cv.BufferCall = cl.Buffer.GoMethod
		cv.Release = cl.Buffer.ReleaseGoMethod
	}
	cv.Casts = append(cv.Casts, castView{Index: cl.Index, Lines: []string{"return (*" + cv.GoType + ")(p)"}})
	for _, d := range cl.Derived {
		cv.Casts = append(cv.Casts, castView{Index: d.Index, Lines: upcast(d, cl)})
	}
	for _, meth := range cl.Methods {
		pyName := cl.Name + "." + meth.Name
		goName := m.Go.Name + "." + cl.GoName + "." + meth.GoName
		if meth.Kind != spec.InstanceMethod {
			goName = m.Go.Name + "." + meth.GoName // a function of the package
		}
		c := newCallView(pyName, goName, syms.methods[meth], meth.Sig, meth.Results, meth.ReturnsError, meth.NoGIL)
		c.Origin = origin(m, meth.Pos, "classes."+cl.Name+".methods."+meth.Name)
		c.Async, c.TakesContext = meth.Async, meth.TakesContext
		c.MethName = meth.Name
		c.ClassIndex, c.ClassGoName, c.ClassCName = cl.Index, cl.GoName, cv.CName
		switch meth.Kind {
		case spec.InstanceMethod:
			c.Self = "instance"
			c.Lock = cl.Lock
			c.GoCall = "obj." + meth.GoName
			c.MethFlags = "METH_FASTCALL | METH_KEYWORDS"
			c.Doc = cLiteral(textSignature(meth.Name, "$self", meth.Sig) + documented(meth.Doc, meth.Sig))
		case spec.StaticMethod:
			c.GoCall = implAlias + "." + meth.GoName
			c.MethFlags = "METH_FASTCALL | METH_KEYWORDS | METH_STATIC"
			c.Doc = cLiteral(textSignature(meth.Name, "", meth.Sig) + documented(meth.Doc, meth.Sig))
		case spec.ClassMethod:
			c.Self = "class"
			c.GoCall = implAlias + "." + meth.GoName
			c.MethFlags = "METH_FASTCALL | METH_KEYWORDS | METH_CLASS"
			c.Doc = cLiteral(textSignature(meth.Name, "$type", meth.Sig) + documented(meth.Doc, meth.Sig))
		}
		if meth.Protocol == nil {
			cv.Methods = append(cv.Methods, c)
			continue
		}
		c.ReturnSelf = meth.Protocol.Group == "inplace" && len(meth.Results) == 0
		cv.Specials = append(cv.Specials, c)
	}
	cv.Slots = cv.slots()
	for _, a := range cl.Attributes {
		cv.Getsets = append(cv.Getsets, attributeView(m, cl, cv.CName, syms.attrs[a], a))
	}
	for _, p := range cl.Properties {
		cv.Getsets = append(cv.Getsets, propertyView(m, cl, cv.CName, syms.props[p], p))
	}
	for _, g := range cv.Getsets {
		if g.Setter != nil {
			g.Setter.Lock = cl.Lock
		}
	}
	if cv.Init != nil {
		cv.Init.Lock = cl.Lock
	}
	cv.Constants = constantViews(cl.Constants)
	switch cl.Pickle {
	case spec.PickleAttributes:
		// The attributes of the class and of the bases it embeds by value.
		sig := &spec.Signature{}
		for c := cl; c != nil; c = c.Base {
			for _, a := range c.Attributes {
				sig.Params = append(sig.Params, &spec.Param{Name: a.Name, GoName: a.GoField, Type: a.Type})
			}
			if c.BaseByPtr {
				break
			}
		}
		sig.NPos = len(sig.Params)
		r := newCallView(cl.Name+".__setstate__", "", syms.restore, sig, nil, false, false)
		r.Origin = origin(m, cl.PicklePos, "classes."+cl.Name+".pickle")
		r.ClassIndex, r.ClassGoName, r.ClassCName = cl.Index, cl.GoName, cv.CName
		cv.Restore = r
	case spec.PickleNone:
		cv.NoPickle = fmt.Sprintf("its Go type %s.%s does not implement encoding.BinaryMarshaler and encoding.BinaryUnmarshaler; "+
			"implement them, or add `pickle: attributes` to class %s in the spec if its attributes are its whole state", m.Go.Name, cl.GoName, cl.Name)
		if cl.PicklePos != cl.Pos {
			cv.NoPickle = fmt.Sprintf("class %s says `pickle: false` in the spec", cl.Name)
		}
	}
	return cv
}

// upcast is the Go statements turning p, a *d, into a pointer to its
// embedded base b: nil when an embedded pointer on the way is nil.
func upcast(d, b *spec.Class) []string {
	if !byPointer(d, b) {
		expr := "(*" + implAlias + "." + d.GoName + ")(p)"
		for c := d; c != b; c = c.Base {
			expr += "." + c.Base.GoName
		}
		return []string{"return &" + expr}
	}
	lines := []string{"x0 := (*" + implAlias + "." + d.GoName + ")(p)"}
	k := 0
	for c := d; c != b; c = c.Base {
		if c.BaseByPtr {
			lines = append(lines, fmt.Sprintf("x%d := x%d.%s", k+1, k, c.Base.GoName), fmt.Sprintf("if x%d == nil {", k+1), "\treturn nil", "}")
		} else {
			lines = append(lines, fmt.Sprintf("x%d := &x%d.%s", k+1, k, c.Base.GoName))
		}
		k++
	}
	return append(lines, fmt.Sprintf("return x%d", k))
}

// byPointer reports whether a base b is reached from d through an embedded
// pointer, which Go code may reassign.
func byPointer(d, b *spec.Class) bool {
	for c := d; c != b && c != nil; c = c.Base {
		if c.BaseByPtr {
			return true
		}
	}
	return false
}

// RecordAliases reports whether the wrapper of this class must remember the
// base parts it was bound to (a base registered as an alias is embedded by
// pointer).
func (cv *classView) RecordAliases() bool {
	for _, b := range cv.IdentityParts() {
		if byPointer(cv.Class, b) {
			return true
		}
	}
	return false
}

func attributeView(m *spec.Module, cl *spec.Class, classCName, cname string, a *spec.Attribute) *getsetView {
	g := &getsetView{
		Name:      a.Name,
		CName:     cname,
		Origin:    origin(m, a.Pos, "classes."+cl.Name+".attributes."+a.Name),
		Doc:       cLiteral(a.Doc),
		GoGet:     "obj." + a.GoField,
		GoGetName: a.GoField, GoSetName: a.GoField,
	}
	g.setOut(a.Type)
	if !a.Readonly {
		g.Setter = setterView(cl, classCName, g.CName, a.Name, a.Type)
		g.Setter.Origin = origin(m, a.Pos, "classes."+cl.Name+".attributes."+a.Name)
		g.GoSet = "obj." + a.GoField + " = " + g.Setter.Params[0].GoExpr
		g.Deletable = a.Type.Kind == spec.KindOptional
	}
	if fl, ok := familyOf(a.Type).(fieldLayout); ok {
		// Read and written in C, straight from the Go object's memory.
		t := a.Type
		f := &fastField{Class: cl, Field: a.GoField, GoType: t.GoType(), ConvCT: cType(t), Conv: "pyspec_conv_" + t.ID()}
		f.CType, f.Size, f.ToPy = fl.layout(t)
		g.Fast = f
	}
	return g
}

// BufferResults reports whether a call returns a buffer (a GoBuffer).
func (v *moduleView) BufferResults() bool { return hasBufferResults(v.Module) }

// IteratorResults reports whether a call returns an iterator (a GoIterator).
func (v *moduleView) IteratorResults() bool { return returnsKind(v.Module, spec.KindIterator) }

// markReturned finds the classes whose values Go can hand to Python: the
// result types of calls and the types of attributes and properties.
func (v *moduleView) markReturned() {
	var mark func(t *spec.Type)
	mark = func(t *spec.Type) {
		if t == nil {
			return
		}
		if t.Kind == spec.KindObject {
			v.Classes[t.Class.Index].Returned = true
		}
		mark(t.Elem)
		for _, it := range t.Items {
			mark(it)
		}
	}
	for _, f := range v.Module.AllFunctions() {
		for _, r := range f.Results {
			mark(r)
		}
	}
	for _, c := range v.Module.Classes {
		for _, m := range c.Methods {
			for _, r := range m.Results {
				mark(r)
			}
		}
		for _, a := range c.Attributes {
			mark(a.Type)
		}
		for _, p := range c.Properties {
			mark(p.Type)
		}
	}
}

// OffsetTableSize is the number of entries of the offset table.
func (v *moduleView) OffsetTableSize() int { return len(v.FastFields()) * len(v.Classes) }

// FastFields lists the scalar attributes C reaches directly, numbering
// their rows in the offset table (one entry per class index).
func (v *moduleView) FastFields() []*fastField {
	var out []*fastField
	for _, c := range v.Classes {
		for _, g := range c.Getsets {
			if g.Fast != nil {
				g.Fast.Slot = len(out)
				out = append(out, g.Fast)
			}
		}
	}
	return out
}

// OffsetLines are the Go statements filling o, the offset table: for each
// fast field, the offset of the field in a value of each class that can
// hold it (its own, and those that embed it by value), -1 otherwise.
func (v *moduleView) OffsetLines() []string {
	var out []string
	n := len(v.Classes)
	for _, f := range v.FastFields() {
		holders := append([]*spec.Class{f.Class}, f.Class.Derived...)
		for _, d := range holders {
			if byPointer(d, f.Class) {
				continue
			}
			path := []string{}
			for c := d; c != f.Class; c = c.Base {
				path = append(path, c.Base.GoName)
			}
			field := strings.Join(append(path, f.Field), ".")
			out = append(out, "{",
				fmt.Sprintf("\tvar v %s.%s", implAlias, d.GoName),
				fmt.Sprintf("\t// The field must be the %d bytes C reads.", f.Size),
				fmt.Sprintf("\tvar _ [unsafe.Sizeof(v.%s) - %d]byte", field, f.Size),
				fmt.Sprintf("\tvar _ [%d - unsafe.Sizeof(v.%s)]byte", f.Size, field),
				fmt.Sprintf("\to[%d] = int64(uintptr(unsafe.Pointer(&v.%s)) - uintptr(unsafe.Pointer(&v)))", f.Slot*n+d.Index, field),
				"}")
		}
	}
	return out
}

// setOut decides how a getter's value travels: scalars as C values (no
// call back into C from Go), the rest as Python objects built in Go.
func (g *getsetView) setOut(t *spec.Type) {
	if goConverts(t) {
		g.outType = t
	}
	g.OutCType = cResultType(t, true)
	g.GoToOut = goToC(t, "v", "", true)
	g.OutToPy = cToPy(t, "r", true)
}

func propertyView(m *spec.Module, cl *spec.Class, classCName, cname string, p *spec.Property) *getsetView {
	g := &getsetView{
		Name:      p.Name,
		CName:     cname,
		Origin:    origin(m, p.Pos, "classes."+cl.Name+".properties."+p.Name),
		Doc:       cLiteral(p.Doc),
		GoGet:     "obj." + p.Getter + "()",
		GetErrors: p.GetterErrors,
		GoGetName: p.Getter, GoSetName: p.Setter,
	}
	g.setOut(p.Type)
	if p.Setter != "" {
		g.Setter = setterView(cl, classCName, g.CName, p.Name, p.Type)
		g.Setter.Origin = origin(m, p.Pos, "classes."+cl.Name+".properties."+p.Name)
		g.GoSet = "obj." + p.Setter + "(" + g.Setter.Params[0].GoExpr + ")"
		g.SetErrors = p.SetterErrors
		g.Deletable = p.Type.Kind == spec.KindOptional
	}
	return g
}

// setterView is the conversion of an assigned value: a call of one
// parameter, named like the attribute, so errors name it.
func setterView(cl *spec.Class, classCName, cname, name string, t *spec.Type) *callView {
	sig := &spec.Signature{Params: []*spec.Param{{Name: name, Type: t}}, NPos: 1}
	c := newCallView(cl.Name, "", cname+"_set", sig, nil, false, false)
	c.Self = "instance"
	c.IsSetter = true
	c.ClassIndex, c.ClassGoName, c.ClassCName = cl.Index, cl.GoName, classCName
	return c
}

func getitemTakesInt(cl *spec.Class) bool {
	for _, m := range cl.Methods {
		if m.Name == "__getitem__" && len(m.Sig.Params) == 1 && m.Sig.Params[0].Type.Kind == spec.KindInt {
			return true
		}
	}
	return false
}

// Special returns the call view of a special method, or nil.
func (cv *classView) Special(name string) *callView {
	for _, c := range cv.Specials {
		if c.MethName == name {
			return c
		}
	}
	return nil
}

// methodCName is a method's part of C and Go symbol names: __repr__ is
// dunder_repr (no runs of underscores in vectors_Vec_dunder_repr_core).
func methodCName(name string) string {
	if len(name) > 4 && strings.HasPrefix(name, "__") && strings.HasSuffix(name, "__") {
		return "dunder_" + name[2:len(name)-2]
	}
	return name
}

// NeFromEq is __eq__ when the class has no __ne__: != negates it.
func (cv *classView) NeFromEq() *callView {
	if cv.Special("__ne__") != nil {
		return nil
	}
	return cv.Special("__eq__")
}

// Compares lists the rich comparisons the class implements.
func (cv *classView) Compares() []compareView {
	var out []compareView
	for _, op := range []struct{ name, op string }{{"eq", "Py_EQ"}, {"ne", "Py_NE"}, {"lt", "Py_LT"}, {"le", "Py_LE"}, {"gt", "Py_GT"}, {"ge", "Py_GE"}} {
		if c := cv.Special("__" + op.name + "__"); c != nil {
			out = append(out, compareView{Op: op.op, Call: c})
		}
	}
	return out
}

type compareView struct {
	Op   string
	Call *callView
}

// ClassesBasesFirst orders the classes so that each comes after its base.
func (v *moduleView) ClassesBasesFirst() []*classView {
	var out []*classView
	done := map[*spec.Class]bool{}
	var visit func(c *classView)
	visit = func(c *classView) {
		if done[c.Class] {
			return
		}
		done[c.Class] = true
		if c.Base != nil {
			visit(v.Classes[c.Base.Index])
		}
		out = append(out, c)
	}
	for _, c := range v.Classes {
		visit(c)
	}
	return out
}

// RecordAliases reports whether any class records its wrappers' aliases.
func (v *moduleView) RecordAliases() bool {
	for _, c := range v.Classes {
		if c.RecordAliases() {
			return true
		}
	}
	return false
}

// Exports reports whether any class exports a buffer.
func (v *moduleView) Exports() bool {
	for _, c := range v.Classes {
		if c.Buffer != nil {
			return true
		}
	}
	return false
}

// ExportCaches reports whether instances of any class hold a fixed
// export's cache.
func (v *moduleView) ExportCaches() bool {
	for _, c := range v.Classes {
		if c.ExportCache() {
			return true
		}
	}
	return false
}

// ReleaseHooks reports whether any class has a release hook for its exports.
func (v *moduleView) ReleaseHooks() bool {
	for _, c := range v.Classes {
		if c.Release != "" {
			return true
		}
	}
	return false
}

// API is the Go part's entry points, in table order.
func (v *moduleView) API() []abiEntry {
	var out []abiEntry
	// rebind entries give the Python object self a new Go value (from
	// __init__'s arguments or a pickled state) and free the one it held:
	// old, made by class index old_cls (nil for none).
	rebind := func(name string, state abiParam) abiEntry {
		return abiEntry{Name: name, Result: statusResult, Params: []abiParam{
			param("PyObject*", "self"), param("void*", "old"),
			{Name: "old_cls", CType: "int32_t", GoName: "oldCls"}, state}}
	}
	// method entries take an instance's Go value and its class index.
	method := func(name string, ps ...abiParam) abiEntry {
		return abiEntry{Name: name, Result: statusResult,
			Params: append([]abiParam{param("void*", "self"), param("int32_t", "cls")}, ps...)}
	}
	for _, c := range v.GoCalls() {
		out = append(out, c.Entry())
	}
	for _, u := range v.Ufuncs {
		out = append(out, abiEntry{Name: u.CName, Result: intResult, Params: []abiParam{
			param("char**", "args"), param("pyspec_ssize", "n"),
			{Name: "steps", CType: "pyspec_ssize*", GoName: "steps_"}}})
	}
	for _, cl := range v.Classes {
		if cl.Init != nil {
			out = append(out, rebind(cl.Init.CName, param("struct "+cl.Init.CName+"_args*", "a")))
		}
		for _, g := range cl.Getsets {
			out = append(out, method(g.CName+"_get", param(g.OutCType+"*", "out")))
			if g.Setter != nil {
				out = append(out, g.Setter.Entry())
			}
		}
		if cl.PickleBinary() {
			out = append(out,
				method(cl.CName+"_getstate", param("PyObject**", "out")),
				rebind(cl.CName+"_setstate", param("pyspec_bytes*", "data")))
		}
		if cl.Restore != nil {
			out = append(out, rebind(cl.Restore.CName, param("struct "+cl.Restore.CName+"_args*", "a")))
		}
		if cl.Buffer != nil {
			out = append(out, method(cl.CName+"_getbuffer", param("pyspec_export_desc*", "d"), param("int", "flags")))
		}
	}
	if len(v.Classes) > 0 {
		out = append(out, abiEntry{Name: "drain_frees", Result: intResult})
	}
	if len(v.FastFields()) > 0 {
		out = append(out, abiEntry{Name: "field_offsets", Result: voidResult, Params: []abiParam{param("int64_t*", "out")}})
	}
	if v.Exports() || v.BufferResults() {
		out = append(out, abiEntry{Name: "release_export", Result: statusResult, Params: []abiParam{param("uintptr_t", "token")}})
	}
	if v.IteratorResults() {
		out = append(out, iterNextEntry, iterCloseEntry)
	}
	if v.AnyAsync() {
		token := param("uint64_t", "token")
		out = append(out,
			abiEntry{Name: "async_start", Result: intResult, Params: []abiParam{param("PyObject*", "fut"), token}},
			abiEntry{Name: "async_discard", Result: voidResult, Params: []abiParam{token}},
			abiEntry{Name: "async_settle", Result: objectResult, Params: []abiParam{token}},
			abiEntry{Name: "async_cancel", Result: voidResult, Params: []abiParam{token}})
	}
	return out
}

// Export is the export directive and signature of the Go function behind
// the entry point name, which must be one of API's: glue.go spells none
// itself.
func (v *moduleView) Export(name string) (string, error) {
	if v.entries == nil {
		v.entries = map[string]abiEntry{}
		for _, e := range v.API() {
			v.entries[e.Name] = e
		}
	}
	e, ok := v.entries[name]
	if !ok {
		return "", fmt.Errorf("glue.go exports %s_go, which is no entry point of the API table", name)
	}
	return e.Export(), nil
}

// AnyAsync reports whether any call is async.
func (v *moduleView) AnyAsync() bool {
	for _, c := range v.GoCalls() {
		if c.Async {
			return true
		}
	}
	return false
}

// AnyContext reports whether any Go function takes a context.
func (v *moduleView) AnyContext() bool {
	for _, c := range v.GoCalls() {
		if c.TakesContext {
			return true
		}
	}
	return false
}

// AllCalls is every callable with a signature.
func (v *moduleView) AllCalls() []*callView {
	out := v.AllFuncs()
	for _, c := range v.Classes {
		if c.Init != nil {
			out = append(out, c.Init)
		}
		if c.Restore != nil {
			out = append(out, c.Restore)
		}
		out = append(out, c.Methods...)
		out = append(out, c.Specials...)
		for _, g := range c.Getsets {
			if g.Setter != nil {
				out = append(out, g.Setter)
			}
		}
	}
	return out
}

// GoCalls is every callable whose Go side glue.go renders with the shared
// call template: functions and methods.
func (v *moduleView) GoCalls() []*callView {
	out := v.AllFuncs()
	for _, c := range v.Classes {
		out = append(out, c.Methods...)
		out = append(out, c.Specials...)
	}
	return out
}

// Imports is the Go glue's import block: every package the glue may use.
// Generate prunes what the rendered file does not use (pruneImports).
func (v *moduleView) Imports() []string {
	return []string{`"context"`, `"iter"`, `"time"`, `"unsafe"`,
		`"github.com/pyspec/pyspec/py"`, `"github.com/pyspec/pyspec/py/pyimpl"`,
		implAlias + " " + strconv.Quote(v.Go.ImportPath)}
}

// DocLiteral is the module docstring as a C literal.
func (v *moduleView) DocLiteral() string { return cLiteral(v.Doc) }

func newCallView(pyName, goName, cname string, sig *spec.Signature, results []*spec.Type, returnsError, nogil bool) *callView {
	c := &callView{PyName: pyName, GoName: goName, CName: cname, Sig: sig, ReturnsError: returnsError, NoGIL: nogil}
	sigVar := cname + "_sig"
	var exprs []string
	for i, p := range sig.Params {
		pv := &paramView{
			Index:    i,
			Name:     p.Name,
			Kind:     [...]string{"PYSPEC_POS_OR_KW", "PYSPEC_POS_ONLY", "PYSPEC_KW_ONLY", "PYSPEC_VAR_POS", "PYSPEC_VAR_KW"}[p.Kind],
			Required: p.Default == nil && !p.Kind.IsVariadic(),
			CType:    cType(p.Type),
			Field:    "p_" + p.Name,
			Optional: p.Type.Kind == spec.KindOptional,
		}
		if pv.Optional {
			pv.Present = "has_" + p.Name
			pv.Zero = cZero(p.Type, "a."+pv.Field)
		}
		if goConverts(p.Type) || p.Kind.IsVariadic() {
			c.dynamicParam(pv, p, sigVar)
		} else {
			pv.Conv = cConv(p.Type, fmt.Sprintf("argv[%d]", i), "a."+pv.Field, sigVar, i)
			pv.Local = cLocal(p.Type, i)
			pv.Release = cRelease(p.Type, "a."+pv.Field, i)
			if p.Default != nil {
				pv.Default = cDefault(p, "a."+pv.Field, "a."+pv.Present)
			}
			pv.GoExpr = goFromC(p.Type, "a."+pv.Field, "a."+pv.Present)
			if bt := baseType(p.Type); bt.Kind == spec.KindBuffer && bt.Elems != nil {
				pv.elemType = p.Type
			}
		}
		if conv := paramConv(sig, p); conv != "" {
			// A named type of the author's package, whose underlying type
			// is the spec's.
			pv.GoExpr = convertTo(conv, pv.GoExpr)
		}
		c.Params = append(c.Params, pv)
		exprs = append(exprs, pv.GoExpr)
	}
	c.GoArgs = goArgs(sig, exprs)
	c.ShapeDecls, c.NamedLocal = shapeDecls(sig, sigVar)
	if sig.ElemTypes != nil {
		c.genericCall(sig, exprs)
	}
	alone := len(results) == 1
	for i, t := range results {
		if i < len(sig.ResultConv) && sig.ResultConv[i] != "" {
			c.resultTypes = append(c.resultTypes, qualifyConv(sig.ResultConv[i]))
		} else {
			c.resultTypes = append(c.resultTypes, t.GoTypeIn(implAlias))
		}
	}
	for i, t := range results {
		if goConverts(t) {
			c.toTypes = append(c.toTypes, t)
		}
		if t.Kind == spec.KindIterator {
			// Each batch converts as a list.
			for _, e := range []*spec.Type{t.Key, t.Elem} {
				if e != nil && goConverts(batchList(e)) {
					c.toTypes = append(c.toTypes, batchList(e))
				}
			}
		}
		r := &resultView{Field: fmt.Sprintf("r%d", i), GoVar: fmt.Sprintf("v%d", i), CType: cResultType(t, alone), typ: t}
		val := r.GoVar
		if i < len(sig.ResultConv) && sig.ResultConv[i] != "" {
			val = "(" + t.GoTypeIn(implAlias) + ")(" + val + ")" // from the named type
		}
		r.val = val
		r.GoToC = goToC(t, val, goName, alone)
		r.GoToPy = resultToPy(t, val, goName)
		r.CToPy = cToPy(t, "r."+r.Field, alone)
		c.Results = append(c.Results, r)
	}
	return c
}

// paramConv is the named Go type binding found for parameter p, or "".
// ParamConv follows the Go function's order (*args last).
func paramConv(sig *spec.Signature, p *spec.Param) string {
	for i, g := range sig.GoParams() {
		if g.Param == p && i < len(sig.ParamConv) {
			return sig.ParamConv[i]
		}
	}
	return ""
}

// qualifyConv spells a named type of the author's package ("UserID",
// "*UserID") in the glue.
func qualifyConv(conv string) string {
	if strings.HasPrefix(conv, "*") {
		return "*" + implAlias + "." + conv[1:]
	}
	return implAlias + "." + conv
}

// convertTo is the Go conversion of expr to a named type of the author's
// package.
func convertTo(conv, expr string) string { return "(" + qualifyConv(conv) + ")(" + expr + ")" }

// dynamicParam sets up an argument the Go part converts: C passes the
// object (NULL when absent), and the Go prelude converts it before the
// call, naming the argument in any error.
func (c *callView) dynamicParam(pv *paramView, p *spec.Param, sigVar string) {
	i := pv.Index
	pv.CType = "PyObject*"
	pv.Optional, pv.Present, pv.Zero = false, "", ""
	pv.Conv = fmt.Sprintf("(a.%s = argv[%d], 0)", pv.Field, i)
	if p.Default != nil {
		pv.Default = fmt.Sprintf("a.%s = NULL;", pv.Field)
	}
	pv.GoExpr = fmt.Sprintf("x%d", i)
	pv.goConv = fmt.Sprintf("%s(a.%s)", fromPyName(p.Type), pv.Field)
	pv.goDefault = goDefault(p)
	c.fromTypes = append(c.fromTypes, p.Type)
}

// goArgs is the Go call's argument list, from one Go expression per spec
// parameter (in the spec's order): in the Go function's order, *args
// spread last, and the fields of a struct gathered into its literal.
func goArgs(sig *spec.Signature, exprs []string) string {
	expr := map[*spec.Param]string{}
	for i, p := range sig.Params {
		expr[p] = exprs[i]
	}
	var args []string
	for _, g := range sig.GoParams() {
		switch {
		case g.Struct != nil:
			fields := make([]string, len(g.Params))
			for i, p := range g.Params {
				fields[i] = p.GoName + ": " + expr[p]
			}
			args = append(args, implAlias+"."+g.Struct.GoName+"{"+strings.Join(fields, ", ")+"}")
		case g.Param.Kind == spec.VarPositional:
			args = append(args, expr[g.Param]+"...")
		default:
			args = append(args, expr[g.Param])
		}
	}
	return strings.Join(args, ", ")
}

// VarIndex is the index of the *args ("pos") or **kwargs ("kw") parameter,
// or -1.
func (c *callView) VarIndex(which string) int {
	want := spec.VarPositional
	if which == "kw" {
		want = spec.VarKeyword
	}
	for i, p := range c.Sig.Params {
		if p.Kind == want {
			return i
		}
	}
	return -1
}

// VarArgs are the indexes of *args and **kwargs, whose tuple and dict the
// parsing made: released after the call whatever happened.
func (c *callView) VarArgs() []int {
	var out []int
	for i, p := range c.Sig.Params {
		if p.Kind.IsVariadic() {
			out = append(out, i)
		}
	}
	return out
}

// Borrows reports whether Python objects cross the call as
// py.Object values (object and callable values, alone or inside other
// types): the glue then opens a scope that lends the arguments' objects
// for the call and hands the results' to Python.
func (c *callView) Borrows() bool {
	if c.IsSetter || c.Async {
		return false // kept in a field / converted before the call runs
	}
	for _, t := range c.fromTypes {
		if holdsObjects(t, 0) {
			return true
		}
	}
	for _, t := range c.toTypes {
		if holdsObjects(t, 0) {
			return true
		}
	}
	return false
}

// holdsObjects reports whether values of t may hold py.Object values.
func holdsObjects(t *spec.Type, depth int) bool {
	if t == nil || depth > 32 {
		return false
	}
	if familyOf(t).isObject(t) {
		return true
	}
	if t.Struct != nil {
		for _, p := range t.Struct.Params {
			if holdsObjects(p.Type, depth+1) {
				return true
			}
		}
		return false
	}
	if holdsObjects(t.Elem, depth+1) || holdsObjects(t.Key, depth+1) {
		return true
	}
	for _, it := range t.Items {
		if holdsObjects(it, depth+1) {
			return true
		}
	}
	return false
}

// GoPrelude is the Go statements converting the arguments the Go part
// converts itself, before the call (and before a nogil call releases the
// GIL); an error names the argument as CPython would.
func (c *callView) GoPrelude() []string {
	var out []string
	for _, pv := range c.Params {
		if pv.goConv == "" {
			continue
		}
		i := pv.Index
		where := fmt.Sprintf("%s() argument '%s'", c.PyName, pv.Name)
		if c.IsSetter {
			where = fmt.Sprintf("attribute '%s' of '%s' objects", pv.Name, c.PyName)
		}
		if pv.goDefault != "" {
			out = append(out,
				fmt.Sprintf("x%d := %s", i, pv.goDefault),
				fmt.Sprintf("if a.%s != nil {", pv.Field),
				fmt.Sprintf("\tvar err%d error", i),
				fmt.Sprintf("\tif x%d, err%d = %s; err%d != nil {", i, i, pv.goConv, i),
				fmt.Sprintf("\t\treturn raiseAt(err%d, %q)", i, where),
				"\t}",
				"}")
			continue
		}
		out = append(out,
			fmt.Sprintf("x%d, err%d := %s", i, i, pv.goConv),
			fmt.Sprintf("if err%d != nil {", i),
			fmt.Sprintf("\treturn raiseAt(err%d, %q)", i, where),
			"}")
	}
	return out
}

// cLiteral spells s as a C string literal, split at newlines for reading.
func cLiteral(s string) string {
	if s == "" {
		return "NULL"
	}
	return cQuote(s, true)
}

// cQuote spells s as a C string literal, escaping every byte that is not
// plain printable ASCII (and ?, against trigraphs); lines, when split
// at newlines, continue on the next line of the C source.
func cQuote(s string, lines bool) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case lines && c == '\n' && i+1 < len(s):
			b.WriteString("\\n\"\n\t\"")
		case lines && c == '\n':
			b.WriteString("\\n")
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

// genericCall dispatches a call of a generic Go function on the element
// type its buffer arguments share (exprs are the arguments' Go
// expressions, by parameter).
func (c *callView) genericCall(sig *spec.Signature, exprs []string) {
	// The C part checked that the buffers agree, as it converted them.
	c.ElemField = elemAgreeField
	c.ElemInit = fmt.Sprintf("a.%s = (pyspec_elem_agree){.code = -1, .from = -1};", elemAgreeField)
	for _, e := range sig.ElemTypes {
		es := append([]string(nil), exprs...)
		for i, pv := range c.Params {
			if pv.elemType != nil {
				es[i] = goFromC(withElem(pv.elemType, e), "a."+pv.Field, "a."+pv.Present)
			}
		}
		c.Dispatch = append(c.Dispatch, dispatchCase{Code: "C." + elemCode(e), GoType: e.GoType(), Args: goArgs(sig, es)})
	}
}

// withElem is buffer type t (or t | None) with the one element type e.
func withElem(t *spec.Type, e *spec.Type) *spec.Type {
	if t.Kind == spec.KindOptional {
		inner := withElem(t.Elem, e)
		return &spec.Type{Kind: spec.KindOptional, Elem: inner, Spec: inner.Spec + " | None"}
	}
	one := *t
	one.Elem, one.Elems = e, nil
	return &one
}

// DispatchDecls declares the results a generic call's cases assign.
func (c *callView) DispatchDecls() []string {
	out := c.ResultDecls()
	if c.ReturnsError {
		out = append(out, "var err error")
	}
	return out
}

// InstanceArgs are the arguments of a generic call's instance d.
func (c *callView) InstanceArgs(d dispatchCase) string {
	if !c.TakesContext {
		return d.Args
	}
	return strings.TrimSuffix("ctx, "+d.Args, ", ")
}
