// Package spec reads a pyspec module spec (YAML), validates it against the
// JSON Schema and the semantic rules, binds it to the author's Go package,
// and produces the resolved model that code generation renders. Every
// problem is reported with the file, line and column of its YAML node.
package spec

import (
	"strconv"
	"strings"

	"github.com/pyspec/pyspec/py"
)

// Module is a resolved spec: everything the templates need, decided.
type Module struct {
	Name       string // Python import name
	Version    string // PEP 440, normalized; "" when the spec gives none
	Doc        string
	SpecPath   string // absolute path of module.yaml
	Go         GoPackage
	Structs    []*Struct
	Functions  []*Function
	Ufuncs     []*Function // vectorize: true: numpy ufuncs, not functions
	Classes    []*Class
	Exceptions []*Exception
	Enums      []*Enum
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
	// The spec's defaults for the Go garbage collector (go.gc): GOGC's
	// percent (nil: Go's) and GOMEMLIMIT's bytes (0: none).
	GCPercent   *int
	MemoryLimit int64
	// Tags are the build tags of the Go part's build (go.tags); CgoCFlags
	// and CgoLDFlags go before the environment's CGO_CFLAGS and
	// CGO_LDFLAGS (go.cgo_cflags, go.cgo_ldflags).
	Tags       []string
	CgoCFlags  string
	CgoLDFlags string
	// Experiments are GOEXPERIMENT names (go.experiments), e.g. simd.
	Experiments []string
}

// Struct is an argument struct: a parameter list shared by several callables.
type Struct struct {
	Name   string // Python-facing name (also the Go type name)
	GoName string
	Doc    string
	Params []*Param
	Pos    Pos
}

// param is the struct's parameter (key) called name, or nil.
func (s *Struct) param(name string) *Param {
	for _, p := range s.Params {
		if p.Name == name {
			return p
		}
	}
	return nil
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
	Async        bool // the call returns an awaitable; Go runs in a goroutine
	TakesContext bool // the Go function's first parameter is a context.Context
	// Vectorize makes the function a numpy ufunc over its numeric scalar
	// parameters (its inputs) and results (its outputs); with Parallel, a
	// large loop is split across goroutines.
	Vectorize bool
	Parallel  bool
	Examples  []*Example
	Pos       Pos
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
	// IteratorResult: the result is an iterator, compared as list() of it.
	IteratorResult bool
	// NeedsNumpy: the result is an ndarray, which needs numpy to be made.
	NeedsNumpy bool
	Match      string // regular expression the message must match
	Pos        Pos
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
	Index        int    // the class's tag in instances of the module's types
	Init         *Init  // nil: not instantiable from Python (unless a base is)
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
	GoMethod        string // Buffer(flags py.Flags) (py.Export, error)
	ReleaseGoMethod string // "" when there is no release hook
	// Fixed: the author promises that Buffer returns the same memory and
	// layout, whatever the flags, from construction (or each __init__) on.
	// The glue calls it for the first view and describes the later ones
	// from a C copy of that export, without calling Go.
	Fixed bool
}

// Signature is a parameter list, as Python sees it.
type Signature struct {
	Params   []*Param
	NPosOnly int     // positional-only parameters come first
	NPos     int     // positional-only plus positional-or-keyword
	Struct   *Struct // non-nil: the Go function takes this struct
	// Spread: a **kwargs of a struct type (PEP 692's Unpack): the struct's
	// fields are keyword-only parameters, Params[SpreadFrom:], and the Go
	// function takes them as one struct value, named SpreadName.
	Spread     *Struct
	SpreadFrom int
	SpreadName string
	// ElemTypes: the element types its buffer parameters with an `elem:`
	// list share (they must list the same), nil when none.
	ElemTypes []*Type
	// The named Go types of the package the glue converts arguments to
	// and results from ("UserID" for a Go parameter of type UserID where
	// the spec says int64), by index; nil when none. Set by binding.
	ParamConv, ResultConv []string
}

func (s *Signature) variadic(k ParamKind) *Param {
	for _, p := range s.Params {
		if p.Kind == k {
			return p
		}
	}
	return nil
}

// GoOrder is the parameters in the Go function's order: the spec's, but
// *args last (Go's ...T must be).
// GoParam is one parameter of the Go function: a spec parameter, or a
// struct value that gathers several (`args: Struct`, or **kwargs of a
// struct type).
type GoParam struct {
	Name   string  // the spec parameter's name, or the struct's parameter name
	Param  *Param  // the spec parameter; nil for a struct
	Struct *Struct // the struct; nil for a spec parameter
	Params []*Param
}

// GoType is the Go parameter's type, as the author's package spells it.
func (g GoParam) GoType() string {
	if g.Struct != nil {
		return g.Struct.GoName
	}
	return g.Param.GoType()
}

// GoParams lists the Go function's parameters in its order: the spec's,
// with a spread struct where its fields start and *args last.
func (s *Signature) GoParams() []GoParam {
	if s.Struct != nil {
		return []GoParam{{Name: "args", Struct: s.Struct, Params: s.Params}}
	}
	var out []GoParam
	for _, p := range s.GoOrder() {
		if s.Spread != nil && p.Kind == KeywordOnly && indexOf(s.Params, p) >= s.SpreadFrom {
			if len(out) == 0 || out[len(out)-1].Struct != s.Spread {
				out = append(out, GoParam{Name: s.SpreadName, Struct: s.Spread})
			}
			out[len(out)-1].Params = append(out[len(out)-1].Params, p)
			continue
		}
		out = append(out, GoParam{Name: p.Name, Param: p, Params: []*Param{p}})
	}
	return out
}

func indexOf(ps []*Param, p *Param) int {
	for i, q := range ps {
		if q == p {
			return i
		}
	}
	return -1
}

func (s *Signature) GoOrder() []*Param {
	out := make([]*Param, 0, len(s.Params))
	var rest *Param
	for _, p := range s.Params {
		if p.Kind == VarPositional {
			rest = p
		} else {
			out = append(out, p)
		}
	}
	if rest != nil {
		out = append(out, rest)
	}
	return out
}

// Has reports whether the signature has a parameter of kind k (*args or
// **kwargs, say).
func (s *Signature) Has(k ParamKind) bool {
	for _, p := range s.Params {
		if p.Kind == k {
			return true
		}
	}
	return false
}

// ParamKind is how a parameter may be passed.
type ParamKind int

const (
	PositionalOrKeyword ParamKind = iota
	PositionalOnly
	KeywordOnly
	VarPositional // *args: Type is tuple[T, ...], Go takes ...T
	VarKeyword    // **kwargs: Type is dict[str, T], Go takes map[string]T
)

// rank orders kinds as a Python signature does.
func (k ParamKind) rank() int { return [...]int{1, 0, 3, 2, 4}[k] }

// IsVariadic reports *args and **kwargs.
func (k ParamKind) IsVariadic() bool { return k == VarPositional || k == VarKeyword }

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

// GoType is the type of the parameter in the Go function: ...T for *args.
func (p *Param) GoType() string {
	if p.Kind == VarPositional {
		return "..." + p.Type.Elem.GoType()
	}
	return p.Type.GoType()
}

// UfuncScalar reports whether t can be a ufunc's input or output: a
// numeric scalar numpy has a dtype for.
func (t *Type) UfuncScalar() bool { return familyOf(t).numeric() }

// Default is a parameter's default value.
type Default struct {
	Python string // as a Python literal in ASCII, e.g. "3", "'abc'", "'\\xe9'", "None"
	Repr   string // as repr() shows it, when that differs from Python ("'é'")
	// Value is the value itself, for the code generator to spell: a bool,
	// int64, uint64, float64, py.Float16 or string (nil for None and the
	// empty containers, and for enums: see Member).
	Value  any
	IsNone bool
	Member *EnumMember // enums: the member
	// Go is the value as a Go expression, where the Go part applies the
	// default ("" for None, [] and {}, and enums: see Member).
	Go string
}

// Shown is the default as repr() shows it (inspect.signature, for one).
func (d *Default) Shown() string {
	if d.Repr != "" {
		return d.Repr
	}
	return d.Python
}

// Pos is a place in the spec file.
type Pos struct{ Line, Col int }

// SeqForm is the Python side of a KindList type, a Go []T in every form.
// Its value is the mode the C and Go converters take.
type SeqForm int

const (
	// SeqList is list[T]: any sequence but text and bytes; a list when returned.
	SeqList SeqForm = iota
	// SeqTuple is tuple[T, ...]: tuples only; a tuple when returned.
	SeqTuple
	// SeqIterable is iterable[T], a parameter only: any iterable but text and
	// bytes (a generator, a set, a dict's keys...), read once.
	SeqIterable
)

// Type is a resolved type with its Go and C spellings decided.
type Type struct {
	Kind   TypeKind
	Spec   string // as written in the spec, normalised, e.g. "list[int64]"
	Bits   int    // ints and floats
	Signed bool   // ints
	Elem   *Type  // list, optional, and buffer element (nil: untyped buffer)
	Items  []*Type
	Seq    SeqForm  // KindList: which Python values it takes and gives
	Flags  py.Flags // buffer request
	Class  *Class   // KindObject
	Key    *Type    // KindDict (Elem is the value type)
	Struct *Struct  // KindStruct
	Enum   *Enum    // KindEnum
	// Callables: Items are the parameter types, Elem the result (nil for
	// None); Untyped for a bare `callable`.
	Untyped bool
	// Buffer results: the Go result's type, found when binding ([]byte,
	// []T or py.Export), and whether Python may write through it.
	GoResult string
	Writable bool
	// Buffer parameters: the shape the spec requires (`ndim:` or
	// `shape:`), checked before the call; Shaped says there is one. An
	// ndarray[T] result may give its ndim too, checked after the call.
	Shaped bool
	Dims   []Dim
	// NDArray: a buffer result Python gets as a numpy array (ndarray[T]).
	NDArray bool
	// Elems: a buffer parameter's element types when the spec lists
	// several (Elem is nil then); the Go function is generic over them,
	// its type parameter named TypeParam (found when binding).
	Elems     []*Type
	TypeParam string
	// Iterators: Key is K of iterator[K, V] (nil for iterator[T]); SeqErr
	// says the Go result is iter.Seq2[T, error], its error ending the
	// iteration; Batch is how many items Go produces per crossing.
	SeqErr bool
	Batch  int
}

// Dim is one dimension a buffer parameter must have: Size (-1 for any)
// or, when Name is set, a size every dimension of that name agrees on
// across the call's parameters.
type Dim struct {
	Size int
	Name string
}

// ShapeText is the required shape as the spec writes it: (n, 3), (_, _).
func (t *Type) ShapeText() string {
	parts := make([]string, len(t.Dims))
	for i, d := range t.Dims {
		switch {
		case d.Name != "":
			parts[i] = d.Name
		case d.Size >= 0:
			parts[i] = strconv.Itoa(d.Size)
		default:
			parts[i] = "_"
		}
	}
	if len(parts) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// DefaultBatch is an iterator's batch when the spec gives none: large
// enough that handing a batch between threads costs about a nanosecond
// per item, small enough that the sequence runs little ahead of its
// consumer (docs/benchmarks.md has the figures).
const DefaultBatch = 1024

// MaxBatch bounds `batch:`: the items of a batch are held at once.
const MaxBatch = 1 << 16

// Nilable reports whether the Go type of t has nil (None of an optional t
// is then nil rather than a nil pointer).
func (t *Type) Nilable() bool { return familyOf(t).nilable() }

// Enum is an enum.IntEnum (or IntFlag) the module defines, backed by a Go
// named integer type with one constant per member.
type Enum struct {
	Name    string
	GoName  string
	Doc     string
	Flag    bool // enum.IntFlag: members combine with |
	Members []*EnumMember
	Index   int
	Pos     Pos
}

// EnumMember is one member of an enum.
type EnumMember struct {
	Name   string
	GoName string // the Go constant: the enum's Go name and the member's in CamelCase
	Value  int64
	Pos    Pos
}

// IsScalar reports whether t is a bool, int or float.
func (t *Type) IsScalar() bool {
	return t.Kind == KindBool || t.Kind == KindInt || t.Kind == KindFloat
}
