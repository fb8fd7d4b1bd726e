// Package spec reads a pyspec module spec (YAML), validates it against the
// JSON Schema and the semantic rules, binds it to the author's Go package,
// and produces the resolved model that code generation renders. Every
// problem is reported with the file, line and column of its YAML node.
package spec

import "github.com/pyspec/pyspec/runtime"

// Module is a resolved spec: everything the templates need, decided.
type Module struct {
	Name       string // Python import name
	Version    string // PEP 440, normalized; "" when the spec gives none
	Doc        string
	SpecPath   string // absolute path of module.yaml
	Go         GoPackage
	Structs    []*Struct
	Functions  []*Function
	Classes    []*Class
	Exceptions []*Exception
	Constants  []*Constant
	Submodules []*Submodule
}

// Submodule is a module inside the extension: `import mod.sub` works.
type Submodule struct {
	Name      string
	Doc       string
	Functions []*Function
	Constants []*Constant
	Pos       Pos
}

// AllFunctions is every function of the module and of its submodules.
func (m *Module) AllFunctions() []*Function {
	out := append([]*Function(nil), m.Functions...)
	for _, s := range m.Submodules {
		out = append(out, s.Functions...)
	}
	return out
}

// Exception is an exception class declared by the module.
type Exception struct {
	Name   string
	Doc    string
	Base   string // Python name of a built-in exception, or of another declared one
	GoName string // the Go variable pyspec generates in the author's package
	Index  int
	Pos    Pos
}

// Constant is a module or class attribute with a fixed value.
type Constant struct {
	Name  string
	Type  *Type
	Value *Default
}

// GoPackage locates the author's Go package.
type GoPackage struct {
	Dir        string // absolute directory of the package
	ImportPath string
	Name       string // package clause name
	ModuleRoot string // directory holding its go.mod
	ModulePath string
}

// Struct is an argument struct: a parameter list shared by several callables.
type Struct struct {
	Name   string // Python-facing name (also the Go type name)
	GoName string
	Doc    string
	Params []*Param
	Pos    Pos
}

// Function is a module-level function.
type Function struct {
	Name         string // Python name
	Doc          string
	GoName       string // the author's Go function
	Sig          *Signature
	Results      []*Type // empty: returns None; several: a tuple
	ReturnsError bool    // the Go function's last result is an error
	NoGIL        bool
	Async        bool   // the call returns an awaitable; Go runs in a goroutine
	TakesContext bool   // the Go function's first parameter is a context.Context
	CName        string // prefix of every C and exported Go symbol of this function
	Examples     []*Example
	Pos          Pos
}

// Example is an executable example the spec author wrote: call with these
// arguments, expect this value or this exception. Values are Python
// expressions, already spelled for the parameter and result types.
type Example struct {
	Init    []string    // methods: the constructor's arguments
	Args    []string    // positional arguments
	Kwargs  [][2]string // keyword arguments: name, value
	Returns string      // "" when the example expects an exception
	Approx  bool        // compare with pytest.approx (floats)
	Raises  string      // exception class name, "" when it returns
	// BufferResult says how a buffer result is compared: "bytes" (bytes()
	// of it) or "tolist" (memoryview(it).tolist()); "" for other results.
	BufferResult string
	Match        string // regular expression the message must match
	Pos          Pos
}

// ReturnType is the Python-facing return type: nil for None, the single
// result, or a tuple of the results.
func (f *Function) ReturnType() *Type {
	switch len(f.Results) {
	case 0:
		return nil
	case 1:
		return f.Results[0]
	}
	return &Type{Kind: KindTuple, Items: f.Results}
}

// Class is a Python class backed by a Go type.
type Class struct {
	Name         string
	Doc          string
	GoName       string // the author's Go type; instances hold a *GoName
	CName        string
	Index        int   // the class's tag in instances of the module's types
	Init         *Init // nil: not instantiable from Python (unless a base is)
	Buffer       *Export
	Base         *Class // a spec class this one extends, or nil
	BaseByPtr    bool   // the Go type embeds *Base rather than Base
	Subclassable bool   // Python code may subclass it (also set for spec bases)
	Lock         bool   // calls on one object are serialized (also set below a locked base)
	Pickle       PickleMode
	PicklePos    Pos // where `pickle:` is, or the class's key
	Attributes   []*Attribute
	Properties   []*Property
	Methods      []*Method
	Constants    []*Constant
	Derived      []*Class // spec classes extending this one, directly or not
	Pos          Pos
}

// PickleMode is how instances of a class pickle.
type PickleMode int

const (
	// PickleAuto: through MarshalBinary/UnmarshalBinary if the Go type has
	// them (binding settles it to PickleBinary or PickleNone).
	PickleAuto PickleMode = iota
	PickleNone
	PickleBinary
	PickleAttributes
)

// Attribute is a Python attribute backed by a field of the Go struct.
type Attribute struct {
	Name     string
	GoField  string
	Type     *Type
	Readonly bool
	Doc      string
	Pos      Pos
}

// Property is a Python property backed by Go getter and setter methods.
type Property struct {
	Name         string
	Type         *Type
	Getter       string // Go method returning the value
	Setter       string // Go method taking the value and returning error or nothing; "" for read-only
	GetterErrors bool
	SetterErrors bool
	Doc          string
	Pos          Pos
}

// MethodKind tells instance, static and class methods apart.
type MethodKind int

const (
	InstanceMethod MethodKind = iota
	StaticMethod
	ClassMethod
)

// Method is a method of a class; Protocol is set for special methods
// (__repr__, __add__, ...), which fill a CPython slot.
type Method struct {
	Name         string
	Doc          string
	Kind         MethodKind
	GoName       string // a method of the Go type; for static and class methods a function
	Sig          *Signature
	Results      []*Type
	ReturnsError bool
	NoGIL        bool
	Async        bool // the call returns an awaitable; Go runs in a goroutine
	TakesContext bool // the Go method's first parameter is a context.Context
	Protocol     *Protocol
	Examples     []*Example
	Pos          Pos
}

// Init is a class constructor: a Go function returning (*T[, error]).
type Init struct {
	Doc          string
	GoName       string
	Sig          *Signature
	ReturnsError bool
}

// Export is a class's buffer export.
type Export struct {
	GoMethod        string // Buffer(flags runtime.Flags) (runtime.Export, error)
	ReleaseGoMethod string // "" when there is no release hook
}

// Signature is a parameter list, as Python sees it.
type Signature struct {
	Params   []*Param
	NPosOnly int     // positional-only parameters come first
	NPos     int     // positional-only plus positional-or-keyword
	Struct   *Struct // non-nil: the Go function takes this struct
}

// ParamKind is how a parameter may be passed.
type ParamKind int

const (
	PositionalOrKeyword ParamKind = iota
	PositionalOnly
	KeywordOnly
)

// Param is one parameter.
type Param struct {
	Name    string // Python name
	GoName  string // Go field (struct args) or local variable name
	Doc     string
	Kind    ParamKind
	Type    *Type
	Default *Default // nil: required
	Pos     Pos
}

// Default is a parameter's default value, spelled for C.
type Default struct {
	Python string // as Python shows it, e.g. "3", "'abc'", "None"
	C      string // C expression of the converted value ("" for None)
	CLen   int    // byte length, for str and bytes
	IsNone bool
}

// Pos is a place in the spec file.
type Pos struct{ Line, Col int }

// TypeKind classifies types.
type TypeKind int

const (
	KindBool TypeKind = iota
	KindInt
	KindFloat
	KindStr
	KindBytes
	KindBuffer
	KindList
	KindTuple // fixed tuple: return values only
	KindOptional
	KindObject // an instance of a spec class
)

// Type is a resolved type with its Go and C spellings decided.
type Type struct {
	Kind   TypeKind
	Spec   string // as written in the spec, normalised, e.g. "list[int64]"
	Bits   int    // ints and floats
	Signed bool   // ints
	Elem   *Type  // list, optional, and buffer element (nil: untyped buffer)
	Items  []*Type
	// Homogeneous is set for tuple[T, ...] (a Go slice accepting only tuples).
	Homogeneous bool
	Flags       runtime.Flags // buffer request
	FlagsC      string        // the request as a C expression
	Class       *Class        // KindObject
	// Buffer results: the Go result's type, found when binding ([]byte,
	// []T or runtime.Export), and whether Python may write through it.
	GoResult string
	Writable bool
}

// IsScalar reports whether t is a bool, int or float.
func (t *Type) IsScalar() bool {
	return t.Kind == KindBool || t.Kind == KindInt || t.Kind == KindFloat
}
