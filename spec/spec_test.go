package spec

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyspec/pyspec/py"
)

func diagnose(t *testing.T, path string) []string {
	t.Helper()
	_, err := Load(path)
	var ds Diagnostics
	if !errors.As(err, &ds) {
		t.Fatalf("Load(%s) = %v, want diagnostics", path, err)
	}
	var lines []string
	for _, d := range ds {
		lines = append(lines, d.String())
	}
	return lines
}

// goModule is a temporary Go module, example.com/m, for a spec to bind to.
func goModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/go.mod", []byte("module example.com/m\n\ngo 1.24\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// loadErrors is the text of the error loading dir/module.yaml gives;
// the test fails if it loads.
func loadErrors(t *testing.T, dir string) string {
	t.Helper()
	_, err := Load(dir + "/module.yaml")
	if err == nil {
		t.Fatal("module.yaml loaded, want errors")
	}
	return err.Error()
}

// wantContains fails the test for each of want that msg lacks.
func wantContains(t *testing.T, msg string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("missing %q in:\n%s", w, msg)
		}
	}
}

func wantDiagnostics(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d diagnostics, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("diagnostic %d = %q, want prefix %q", i, got[i], want[i])
		}
	}
}

func TestSchemaAndSemanticErrorsAllAtOncePositioned(t *testing.T) {
	wantDiagnostics(t, diagnose(t, "testdata/bad.yaml"), []string{
		`testdata/bad.yaml:1:9: module: "2bad" is not a valid name`,
		`testdata/bad.yaml:2:1: unknown key "colour" in the spec`,
		`testdata/bad.yaml:6:33: functions.sum.args.buf.elem: "int65" is not one of the allowed values`,
		`testdata/bad.yaml:6:40: unknown key "flag" in functions.sum.args.buf`,
		// Semantic problems come in the same run.
		`testdata/bad.yaml:7:7: parameter name "class" is a Python keyword`,
		`testdata/bad.yaml:8:14: sum() returns: say which int`,
		`testdata/bad.yaml:9:3: "bad-name" is not a valid name`,
		`testdata/bad.yaml:14:39: Thing(): parameter "x": default 300 is out of range for int8`,
	})
}

func TestSyntaxError(t *testing.T) {
	wantDiagnostics(t, diagnose(t, "testdata/syntax.yaml"), []string{
		"testdata/syntax.yaml:4:11: YAML: did not find expected node content before the end of the file",
	})
}

// yaml.v3 numbers the lines of parser errors from 0; each must come out on
// the line of the unclosed bracket, at the bracket.
func TestFlowErrorPositions(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"module: m\nfunctions:\n  f: {args: [a, b}\n  g: {}\n", "flow.yaml:3:13: YAML: did not find expected ',' or ']'"},
		{"module: m\nfunctions:\n  f:\n    args: [a, b\n  g: {}\n", "flow.yaml:4:11: YAML: did not find expected ',' or ']'"},
		{"module: m\nfunctions: {f: {args: {a: int64}}\n", "flow.yaml:2:12: YAML: did not find expected ',' or '}'"},
		{"module: m\nfunctions:\n  f: {doc: \"[x\", args: [a}\n", "flow.yaml:3:24: YAML: did not find expected ',' or ']'"},
	} {
		_, err := Parse("flow.yaml", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant %s", c.src, err, c.want)
		}
	}
}

func TestSemanticErrors(t *testing.T) {
	wantDiagnostics(t, diagnose(t, "testdata/semantic.yaml"), []string{
		`testdata/semantic.yaml:5:7: parameter name "class" is a Python keyword`,
		`testdata/semantic.yaml:6:11: f(): parameter "xs": say which int`,
		`testdata/semantic.yaml:7:32: f(): parameter "y": default 300 is out of range for int8`,
		`testdata/semantic.yaml:10:11: g(): args names struct "Missing"`,
		`testdata/semantic.yaml:11:14: g() returns: buffer cannot be an element type`,
		`testdata/semantic.yaml:13:47: functions.h.returns.batch: must be >= 1 but found 0`,
		`testdata/semantic.yaml:15:43: i() returns: batch is for iterator results, not list[int64]`,
		`testdata/semantic.yaml:17:14: j() returns: iterator[int64]: an iterator is a whole result, not one of several`,
		`testdata/semantic.yaml:20:46: m(): parameter "a": a shape needs the view's shape: add ND or STRIDES to flags`,
		`testdata/semantic.yaml:21:31: m(): parameter "b": ndim 1, but shape has 2 dimensions`,
		`testdata/semantic.yaml:22:33: functions.m.args.c.shape.0: must be >= 0 but found -1`,
		`testdata/semantic.yaml:23:31: m(): parameter "d": elem, flags, ndim and shape apply to buffers only, not int64`,
		`testdata/semantic.yaml:27:18: class K: attribute it: an attribute cannot be of type iterator[int64]`,
	})
}

func TestDuplicateKeys(t *testing.T) {
	_, err := Parse("dup.yaml", []byte("module: m\nfunctions:\n  f: {}\n  f: {}\n"))
	if err == nil || !strings.Contains(err.Error(), `dup.yaml:4:3: duplicate key "f" (first at line 3)`) {
		t.Fatalf("got %v", err)
	}
}

func TestBindReportsMissingGoFunction(t *testing.T) {
	dir := goModule(t)
	os.WriteFile(dir+"/m.go", []byte("package m\n\nfunc Add(a, b int64) int64 { return a + b }\n"), 0o644)
	os.WriteFile(dir+"/module.yaml", []byte("module: m\nfunctions:\n  add:\n    args: {a: int64}\n    returns: int64\n  sub:\n    returns: int64\n"), 0o644)
	msg := loadErrors(t, dir)
	wantContains(t, msg,
		"module.yaml:3:3: function add: Go function Add (m.go:3:6) takes 2 parameters, the spec gives 1; expected func Add(a int64) (int64, error)",
		"module.yaml:6:3: function sub: Go function Sub not found in package example.com/m",
	)
}

// An ndarray[T] result's Go slice must be of T (or an export, checked
// when called); an iterator[T] result an iter.Seq[T] or iter.Seq2[T, error].
func TestBindResultShapes(t *testing.T) {
	dir := goModule(t)
	os.WriteFile(dir+"/m.go", []byte(`package m

import "iter"

func Ints() []int64 { return nil }

func Floats() []float64 { return nil }

func Seq() iter.Seq[string] { return nil }

func SeqErr() iter.Seq2[int64, error] { return nil }
`), 0o644)
	os.WriteFile(dir+"/module.yaml", []byte(`module: m
functions:
  ints: {returns: "ndarray[float64]"}
  floats: {returns: "ndarray[float64]"}
  seq: {returns: "iterator[int64]"}
  seq_err: {returns: "iterator[int64]"}
`), 0o644)
	msg := loadErrors(t, dir)
	wantContains(t, msg,
		"module.yaml:3:3: function ints: Go function Ints (m.go:5:6) result 1 is []int64, the spec needs []float64 or py.Export",
		"module.yaml:5:3: function seq: Go function Seq (m.go:9:6) result 1 is iter.Seq[string], the spec needs iter.Seq[int64]",
	)
	for _, bad := range []string{"function floats", "function seq_err"} {
		if strings.Contains(msg, bad) {
			t.Errorf("%s is right, but:\n%s", bad, msg)
		}
	}
}

// goodAndPlain is a spec of two functions with lists of element types.
const goodAndPlain = `module: m
functions:
  plain:
    args: {x: {type: buffer, elem: [float32, float64]}}
  good:
    args:
      x: {type: buffer, elem: [float32, float64]}
      y: {type: "buffer | None", elem: [float32, float64], default: null}
`

// A list of element types needs a generic Go function, one list per
// function, and no methods.
func TestElementTypeLists(t *testing.T) {
	dir := goModule(t)
	os.WriteFile(dir+"/m.go", []byte(`package m

import "github.com/pyspec/pyspec/py"

func Plain(x py.View[float64]) {}

func Good[E float32 | float64](x py.View[E], y *py.View[E]) {}

type C struct{}

func NewC() *C { return &C{} }

func (c *C) M(x py.View[float64]) {}
`), 0o644)
	os.WriteFile(dir+"/module.yaml", []byte(goodAndPlain+`  mixed:
    args:
      x: {type: buffer, elem: [float32, float64]}
      y: {type: buffer, elem: [int32, int64]}
classes:
  C:
    init: {}
    methods:
      m:
        args: {x: {type: buffer, elem: [float32, float64]}}
`), 0o644)
	msg := loadErrors(t, dir)
	wantContains(t, msg,
		`module.yaml:12:7: mixed(): parameter "y" lists the element types [int32, int64], and "x" lists [float32, float64]: they are the Go function's one type parameter, so list the same`,
		`module.yaml:17:7: C.m(): a method cannot take a list of element types (Go methods have no type parameters); a module function can`,
	)
	// Binding runs once the spec itself is right.
	os.WriteFile(dir+"/module.yaml", []byte(goodAndPlain), 0o644)
	msg = loadErrors(t, dir)
	wantContains(t, msg, "function plain: Go function Plain (m.go:5:6) has 0 type parameters, the spec's element types [float32, float64] need one: func Plain[T float32 | float64]")
	if strings.Contains(msg, "function good") {
		t.Errorf("good is right, but: %v", msg)
	}
}

func TestLoadExample(t *testing.T) {
	m, err := Load("../examples/buffers/module.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "buffers" || m.Go.ImportPath != "github.com/pyspec/pyspec/examples/buffers" || m.Go.Name != "buffers" {
		t.Fatalf("module = %+v", m)
	}
	sum := m.Functions[0]
	if sum.GoName != "Sum" || !sum.ReturnsError || len(sum.Results) != 1 || sum.Results[0].Spec != "int64" {
		t.Fatalf("sum = %+v", sum)
	}
	buf := sum.Sig.Params[0].Type
	if buf.Flags != py.ND|py.FORMAT || buf.Elem.Spec != "int64" || buf.GoType() != "py.View[int64]" {
		t.Fatalf("buf = %+v", buf)
	}
	rev := m.Functions[1].Sig.Params[0].Type
	if rev.Flags != py.ND|py.FORMAT|py.WRITABLE {
		t.Fatalf("reverse flags = %v", rev.Flags)
	}
	if c := m.Classes[0]; c.Init.GoName != "NewConstantBuffer" || c.Buffer == nil || !c.Init.ReturnsError {
		t.Fatalf("class = %+v", c)
	}
}

func TestParseType(t *testing.T) {
	for _, tc := range []struct {
		expr, spec, goType, err string
		ctx                     typeContext
	}{
		{expr: "int64", spec: "int64", goType: "int64"},
		{expr: "list[str]", spec: "list[str]", goType: "[]string"},
		{expr: "tuple[float32, ...]", spec: "tuple[float32, ...]", goType: "[]float32"},
		{expr: "optional[bytes]", spec: "bytes | None", goType: "*[]byte"},
		{expr: "int8 | None", spec: "int8 | None", goType: "*int8"},
		{expr: "tuple[int64, str]", spec: "tuple[int64, str]", goType: "(int64, string)", ctx: ctxReturn},
		{expr: "tuple[int64, str]", err: "return type only"},
		{expr: "list[list[int8]]", spec: "list[list[int8]]", goType: "[][]int8"},
		{expr: "dict[str, list[float64]]", spec: "dict[str, list[float64]]", goType: "map[string][]float64"},
		{expr: "dict[bytes, int8]", err: "Go []byte is not comparable"},
		{expr: "dict[str]", err: "a key and a value type"},
		{expr: "set[int32]", spec: "set[int32]", goType: "map[int32]struct{}"},
		{expr: "int64 | str", spec: "int64 | str", goType: "any"},
		{expr: "int64 | str | None", spec: "int64 | str | None", goType: "any"},
		{expr: "None | int64", spec: "int64 | None", goType: "*int64"},
		{expr: "int64 | int64", err: "appears twice"},
		{expr: "list[int64] | tuple[int64, ...]", err: "both Go []int64"},
		{expr: "object | str", err: "use object alone"},
		{expr: "object", spec: "object", goType: "py.Object"},
		{expr: "object | None", err: "already includes None"},
		{expr: "callable", spec: "callable", goType: "func(args ...any) (py.Object, error)"},
		{expr: "callable[[int64, str], float64]", spec: "callable[[int64, str], float64]", goType: "func(int64, string) (float64, error)"},
		{expr: "callable[[], None]", spec: "callable[[], None]", goType: "func() error"},
		{expr: "callable[[int64], None] | None", spec: "callable[[int64], None] | None", goType: "func(int64) error"},
		{expr: "callable[int64]", err: "in brackets"},
		{expr: "datetime | None", spec: "datetime | None", goType: "*time.Time"},
		{expr: "timedelta", spec: "timedelta", goType: "time.Duration"},
		{expr: "complex128", spec: "complex128", goType: "complex128"},
		{expr: "complex", err: "say complex128"},
		{expr: "list[int64 | None]", spec: "list[int64 | None]", goType: "[]*int64"},
		{expr: "list[tuple[int64, str]]", err: "a fixed-size tuple is a return type only"},
		{expr: "list[int8", err: "expected , or ]"},
		{expr: "iterable[str]", spec: "iterable[str]", goType: "[]string"},
		{expr: "buffer | None", spec: "buffer | None", goType: "*py.Buffer"},
		{expr: "buffer | None", err: "buffer | None is a parameter type only", ctx: ctxReturn},
		{expr: "list[buffer | None]", err: "buffer cannot be an element type"},
		{expr: "iterable[list[int64]] | None", spec: "iterable[list[int64]] | None", goType: "*[][]int64"},
		{expr: "iterable[str]", err: "iterable[T] is a parameter type only", ctx: ctxReturn},
		{expr: "list[iterable[str]]", err: "iterable[T] is a parameter type only"},
		{expr: "iterable[str] | list[str]", err: "both Go []string"},
		{expr: "iterator[int64]", spec: "iterator[int64]", goType: "iter.Seq[int64]", ctx: ctxReturn},
		{expr: "iterator[str, list[int64]]", spec: "iterator[str, list[int64]]", goType: "iter.Seq2[string, []int64]", ctx: ctxReturn},
		{expr: "iterator[int64]", err: "iterator[T] is a result type only", ctx: ctxArg},
		{expr: "ndarray[float32]", spec: "ndarray[float32]", goType: "py.View[float32]", ctx: ctxReturn},
		{expr: "ndarray[float32]", err: "ndarray[T] is a result type only; a parameter takes {type: buffer, elem: T}", ctx: ctxArg},
		{expr: "ndarray[str]", err: "ndarray takes one element type, a bool, an int or a float", ctx: ctxReturn},
		{expr: "list[ndarray[int8]]", err: "ndarray[T] cannot be an element type: it is a whole result", ctx: ctxReturn},
		{expr: "list[iterator[int64]]", err: "iterator[T] cannot be an element type", ctx: ctxReturn},
		{expr: "iterator[int64] | None", err: "cannot be optional", ctx: ctxReturn},
		{expr: "iterator[int64] | str", err: "cannot be part of a union", ctx: ctxReturn},
		{expr: "iterator[buffer]", err: "buffer cannot be an element type", ctx: ctxReturn},
		{expr: "iterator[int64, str, bool]", err: "an item type, or two", ctx: ctxReturn},
		{expr: "float", err: "say which float"},
		{expr: "widget", err: "unknown type"},
	} {
		got, err := parseType(tc.expr, tc.ctx)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("parseType(%q) error = %v, want %q", tc.expr, err, tc.err)
			}
			continue
		}
		if err != nil || got.Spec != tc.spec || got.GoType() != tc.goType {
			t.Errorf("parseType(%q) = %v, %v; want %s / %s", tc.expr, got, err, tc.spec, tc.goType)
		}
	}
}

func TestDefaults(t *testing.T) {
	m, err := Parse("d.yaml", []byte(`module: d
go: {package: ../examples/buffers}
structs:
  Opts:
    args:
      a: {type: float64, default: 1}
      s: {type: str, default: "it's"}
      n: {type: int64 | None, default: null}
      k: {type: bool, default: true, kind: keyword_only}
`))
	if err == nil {
		// Binding fails (no Opts type in the example package); the model
		// is checked through the diagnostics-free part below.
		t.Fatalf("want a binding error for struct Opts, got model %v", m)
	}
	l := &loader{file: "d.yaml"}
	root := l.parseYAML([]byte("module: d\nstructs:\n  Opts:\n    args:\n      a: {type: float64, default: 1}\n      s: {type: str, default: \"it's\"}\n      n: {type: int64 | None, default: null}\n"))
	mod := l.build(root)
	if len(l.diags) != 0 {
		t.Fatal(l.diags)
	}
	ps := mod.Structs[0].Params
	if ps[0].Default.Python != "1.0" || ps[0].Default.Value != 1.0 {
		t.Errorf("float default = %+v", ps[0].Default)
	}
	if ps[1].Default.Python != `'it\'s'` || ps[1].Default.Value != "it's" {
		t.Errorf("str default = %+v", ps[1].Default)
	}
	if !ps[2].Default.IsNone {
		t.Errorf("None default = %+v", ps[2].Default)
	}
}

func TestParameterOrder(t *testing.T) {
	l := &loader{file: "o.yaml"}
	root := l.parseYAML([]byte("module: o\nfunctions:\n  f:\n    args:\n      a: {type: int64, default: 1}\n      b: int64\n      c: {type: int64, kind: keyword_only}\n      d: {type: int64, kind: positional_only}\n"))
	l.build(root)
	got := l.diags.Error()
	for _, want := range []string{
		`o.yaml:6:7: f(): parameter "b" has no default but follows "a", which has one`,
		`o.yaml:8:7: f(): parameter "d" (positional-only) must come before "c" (keyword-only)`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}

func TestFlowMappingHint(t *testing.T) {
	_, err := Parse("f.yaml", []byte("module: m\nfunctions:\n  f:\n    args: {xs: list[int64]}\n"))
	if err == nil || !strings.Contains(err.Error(), `quote a type that has brackets`) {
		t.Fatalf("got %v", err)
	}
}

// A tree the builder cannot walk (args as a list) still reports its schema
// problems, and nothing panics.
func TestSemanticPassSurvivesInvalidTrees(t *testing.T) {
	_, err := Parse("x.yaml", []byte("module: m\nfunctions:\n  f:\n    args: [1, 2]\n    returns: 5\n  g: 3\nclasses:\n  C: {init: {args: {x: {default: 1}}}}\n"))
	if err == nil || !strings.Contains(err.Error(), "x.yaml:4:11: functions.f.args: has the wrong type") {
		t.Fatalf("got %v", err)
	}
}

func TestBindChecksGoTypes(t *testing.T) {
	dir := goModule(t)
	os.WriteFile(dir+"/m.go", []byte(`package m

import rt "github.com/pyspec/pyspec/py"

func Scale(x float64, k int) float64 { return x }

func Sum(b rt.View[int64]) int64 { return 0 }

type Point struct{ X, Y float32 }

func NewPoint(x, y float64) *Point { return nil }
`), 0o644)
	os.WriteFile(dir+"/module.yaml", []byte(`module: m
functions:
  scale:
    args: {x: float64, k: int64}
    returns: float64
  sum:
    args:
      b: {type: buffer, elem: int64}
    returns: int64
classes:
  Point:
    init:
      args: {x: float64, y: float64}
    attributes:
      x: float64
`), 0o644)
	msg := loadErrors(t, dir)
	wantContains(t, msg,
		"module.yaml:3:3: function scale: Go function Scale (m.go:5:6) parameter k is int, the spec needs int64; expected func Scale(x float64, k int64) (float64, error)",
		"module.yaml:15:7: class Point: attribute x: field Point.X is float32, the spec needs float64",
	)
	if strings.Contains(msg, "function sum") {
		t.Errorf("package py imported as rt is not recognised:\n%s", msg)
	}
}

func TestBindPickle(t *testing.T) {
	dir := goModule(t)
	os.WriteFile(dir+"/m.go", []byte(`package m

type Auto struct{ n int }

func (a *Auto) MarshalBinary() ([]byte, error) { return nil, nil }
func (a *Auto) UnmarshalBinary(data []byte) error { return nil }

type Plain struct{ X int64 }
type Half struct{ X int64 }

func (h *Half) MarshalBinary() ([]byte, error) { return nil, nil }

type Base struct{ X int64 }
type Derived struct{ *Base }
`), 0o644)
	os.WriteFile(dir+"/module.yaml", []byte(`module: m
classes:
  Auto: {}
  Plain: {attributes: {x: int64}, pickle: attributes}
  Half:
    pickle: binary
  Base: {attributes: {x: int64}}
  Derived: {base: Base, pickle: attributes}
  Off: {pickle: false, go: Auto}
`), 0o644)
	m, err := Load(dir + "/module.yaml")
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	wantContains(t, msg,
		"module.yaml:6:13: class Half: pickle: binary needs the Go methods func (v *Half) MarshalBinary() ([]byte, error) and func (v *Half) UnmarshalBinary(data []byte) error",
		"module.yaml:8:33: class Derived: pickle: attributes restores a new zero Derived, whose embedded *Base is nil",
	)
	if strings.Count(msg, "\n") != 1 {
		t.Errorf("want exactly two problems:\n%s", msg)
	}
	_ = m
	// Without the failing classes: Auto pickles by its methods, Plain by its
	// attributes, Off not at all.
	os.WriteFile(dir+"/module.yaml", []byte("module: m\nclasses:\n  Auto: {}\n  Plain: {attributes: {x: int64}, pickle: attributes}\n  Off: {pickle: false, go: Auto}\n  Base: {attributes: {x: int64}}\n"), 0o644)
	m, err = Load(dir + "/module.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]PickleMode{"Auto": PickleBinary, "Plain": PickleAttributes, "Off": PickleNone, "Base": PickleNone}
	for _, c := range m.Classes {
		if c.Pickle != want[c.Name] {
			t.Errorf("class %s pickles by %d, want %d", c.Name, c.Pickle, want[c.Name])
		}
	}
}

func TestPyRepr(t *testing.T) {
	for in, want := range map[string]string{
		"abc": `'abc'`, "é": `'\xe9'`, "it's": `'it\'s'`, "€\n": `'\u20ac\n'`, "𝄞": `'\U0001d11e'`, "\x7f": `'\x7f'`,
	} {
		if got := pyRepr(in); got != want {
			t.Errorf("pyRepr(%q) = %s, want %s", in, got, want)
		}
	}
	if got := pyBytesRepr("é"); got != `b'\xc3\xa9'` {
		t.Errorf("pyBytesRepr(é) = %s", got)
	}
}

func TestDataModelErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"functions:\n  f:\n    args:\n      rest: {type: int64, kind: var_positional}\n      a: int64\n",
			`parameter "a" (positional-or-keyword) must come before "rest" (*args)`},
		{"functions:\n  f:\n    args:\n      kw: {type: int64, kind: var_keyword}\n      k: {type: int64, kind: keyword_only}\n",
			`parameter "k" (keyword-only) must come before "kw" (**kwargs)`},
		{"functions:\n  f:\n    args:\n      a: {type: int64, kind: var_positional}\n      b: {type: int64, kind: var_positional}\n",
			`"b" is a second *args parameter`},
		{"functions:\n  f:\n    args:\n      a: {type: int64, kind: var_positional, default: 1}\n",
			`*args takes no default`},
		{"structs:\n  Node:\n    args:\n      next: Node\nfunctions:\n  f: {args: {n: Node}}\n",
			`struct Node holds itself by value`},
		{"structs:\n  Node:\n    args:\n      next: {type: Node | None, default: null}\n      kids: {type: \"list[Node]\", default: []}\nfunctions:\n  f: {args: {n: Node}, returns: Node}\n", ""},
		{"enums:\n  Color: {values: {_RED: 1}}\n", `names starting with _ are reserved`},
		{"enums:\n  Color: {values: {RED: x}}\n", `expected integer`},
		{"enums:\n  Color: {values: {RED: 1}}\nfunctions:\n  f: {args: {c: {type: Color, default: BLUE}}}\n", `default "BLUE" is not a member of Color`},
		{"enums:\n  Color: {values: {RED: 1}}\nfunctions:\n  Color: {}\n", `"Color" is already defined`},
		{"functions:\n  f: {returns: \"callable[[int64], int64]\"}\n", `a callable is a parameter type`},
		{"functions:\n  f: {args: {x: \"int64 | float64\"}, returns: \"list[int64] | tuple[int64, ...]\"}\n", `both Go []int64`},
		{"classes:\n  C:\n    methods:\n      __getattr__: {args: {name: int64}, returns: int64}\n", `takes the attribute's name as its first parameter, a str`},
		{"classes:\n  C:\n    methods:\n      __exit__: {args: {a: object, b: object, c: object}, returns: bool}\n      __enter__: {returns: C}\n", ""},
	} {
		_, err := parse("m.yaml", []byte("module: m\n"+c.src), true)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%q: unexpected %v", c.src, err)
		case c.want != "" && (err == nil || !containsAny(err.Error(), strings.Split(c.want, "|"))):
			t.Errorf("%q:\n got %v\nwant %s", c.src, err, c.want)
		}
	}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// Aliases and named types of the package bind where their underlying type
// is the spec's; a mismatch shows where the Go type is declared.
func TestBindSeesThroughAliasesAndNamedTypes(t *testing.T) {
	dir := goModule(t)
	os.WriteFile(dir+"/m.go", []byte(`package m

type Meters = float64

type ID int64

type Celsius float32

func Twice(d Meters) Meters { return 2 * d }

func Next(id ID) (ID, error) { return id + 1, nil }

func Maybe(id *ID) *ID { return id }

func Warm(c Celsius) Celsius { return c }
`), 0o644)
	os.WriteFile(dir+"/module.yaml", []byte(`module: m
functions:
  twice: {args: {d: float64}, returns: float64}
  next: {args: {id: int64}, returns: int64}
  maybe: {args: {id: int64 | None}, returns: int64 | None}
  warm: {args: {c: float64}, returns: float64}
`), 0o644)
	_, err := Load(dir + "/module.yaml")
	if err == nil {
		t.Fatal("want the Celsius mismatch")
	}
	msgs := strings.Split(err.Error(), "\n")
	if len(msgs) != 1 || !strings.Contains(msgs[0], "module.yaml:6:3: function warm: Go function Warm (m.go:15:6) parameter c is Celsius (m.go:7:6: type Celsius float32), the spec needs float64") {
		t.Fatalf("got:\n%s", err)
	}
	os.WriteFile(dir+"/module.yaml", []byte(`module: m
functions:
  twice: {args: {d: float64}, returns: float64}
  next: {args: {id: int64}, returns: int64}
  maybe: {args: {id: int64 | None}, returns: int64 | None}
`), 0o644)
	m, err := Load(dir + "/module.yaml")
	if err != nil {
		t.Fatal(err)
	}
	next, maybe, twice := m.Functions[1].Sig, m.Functions[2].Sig, m.Functions[0].Sig
	if twice.ParamConv != nil || twice.ResultConv != nil {
		t.Errorf("an alias needs no conversion: %v %v", twice.ParamConv, twice.ResultConv)
	}
	if fmt.Sprint(next.ParamConv, next.ResultConv, maybe.ParamConv, maybe.ResultConv) != "[ID] [ID] [*ID] [*ID]" {
		t.Errorf("conversions: %v %v %v %v", next.ParamConv, next.ResultConv, maybe.ParamConv, maybe.ResultConv)
	}
}

// The Go signature a message suggests is one the binding accepts: buffer
// results as []byte, Go-style parameter names, and an async function's
// context in the only place it may go.
func TestSuggestedSignatures(t *testing.T) {
	dir := goModule(t)
	os.WriteFile(dir+"/m.go", []byte(`package m

import (
	"context"

	"github.com/pyspec/pyspec/py"
)

func Norms(xy py.View[float64]) (py.Buffer, error) { return py.Buffer{}, nil }

func Slow(points []int64, ctx context.Context, delayMs int64) float64 { return 0 }

type Polygon struct{ name string }

type Grid struct{}

func (g *Grid) Buffer(flags int) (py.Export, error) { return py.Export{}, nil }

func NewPolygon() *Polygon { return nil }
`), 0o644)
	os.WriteFile(dir+"/module.yaml", []byte(`module: m
functions:
  norms:
    args: {xy: {type: buffer, elem: float64}}
    returns: buffer
  slow:
    args: {points: "list[int64]", delay_ms: {type: int64, default: 0}}
    returns: float64
    async: true
  missing:
    args: {range: int64, max_size: int64}
    returns: buffer
    async: true
structs:
  Point: {args: {x: float64, "y": float64}}
classes:
  Polygon:
    init: {}
    attributes: {name: str}
  Shape:
    attributes: {sides: int64, label: {type: str, go: Label}}
  Grid:
    buffer: {}
`), 0o644)
	msg := loadErrors(t, dir)
	wantContains(t, msg,
		"module.yaml:3:3: function norms: Go function Norms (m.go:9:6) result 1 is py.Buffer, the spec needs []byte, []T (T an element type: int64, float32, ...) or py.Export; expected func Norms(xy py.View[float64]) ([]byte, error)",
		"module.yaml:6:3: function slow: Go function Slow (m.go:11:6) parameter ctx is a context.Context: it must be the first parameter (the glue passes it); expected func Slow(points []int64, delayMs int64) (float64, error) (an async function may also take a ctx context.Context first, cancelled with its task)",
		"expected func Missing(range_ int64, maxSize int64) ([]byte, error) (an async",
		"struct Point: Go struct type Point not found in package example.com/m (",
		"; expected type Point struct { X float64; Y float64 }",
		"class Shape: Go type Shape not found in package example.com/m (",
		"; expected type Shape struct { Sides int64; Label string } (with any other fields it needs)",
		"class Grid: Go method Grid.Buffer (m.go:17:16) parameter flags is int, the spec needs py.Flags; expected func (c *Grid) Buffer(flags py.Flags) (py.Export, error)",
		"class Polygon: attribute name needs the field Name string in Go type Polygon (its field name is unexported: pyspec reaches exported fields only; rename it Name, or name another with `go:`)",
	)
}

// A typo inside a list of flags is reported once, at the item: the branch
// that takes one flag (not a list) adds nothing.
func TestFlagListTypo(t *testing.T) {
	_, err := Parse("f.yaml", []byte("module: f\nfunctions:\n  a:\n    args:\n      xy: {type: buffer, elem: float64, flags: [ND, C_CONTIGUOS]}\n"))
	if err == nil {
		t.Fatal("want an error")
	}
	msg := err.Error()
	if !strings.Contains(msg, `f.yaml:5:53: functions.a.args.xy.flags.1: "C_CONTIGUOS" is not one of the allowed values`) {
		t.Errorf("no message at the item:\n%s", msg)
	}
	if strings.Count(msg, "\n") != 0 || strings.Contains(msg, `""`) {
		t.Errorf("want one message:\n%s", msg)
	}
	_, err = Parse("f.yaml", []byte("module: f\nfunctions:\n  a:\n    args:\n      xy: {type: buffer, flags: C_CONTIGUOS}\n"))
	if err == nil || !strings.Contains(err.Error(), `f.yaml:5:33: functions.a.args.xy.flags: "C_CONTIGUOS" is not one of`) || strings.Count(err.Error(), "\n") != 0 {
		t.Errorf("a single flag: %v", err)
	}
}

// An unknown key close to a known one gets a suggestion.
func TestUnknownKeySuggestion(t *testing.T) {
	_, err := Parse("k.yaml", []byte("module: k\nfunction: {}\nfunctions:\n  d:\n    retruns: int64\nclasses:\n  P:\n    atributes: {}\n    zzzzzz: 1\n"))
	if err == nil {
		t.Fatal("want errors")
	}
	msg := err.Error()
	for _, want := range []string{
		`k.yaml:2:1: unknown key "function" in the spec (did you mean "functions"?)`,
		`k.yaml:5:5: unknown key "retruns" in functions.d (did you mean "returns"?)`,
		`k.yaml:8:5: unknown key "atributes" in classes.P (did you mean "attributes"?)`,
		`k.yaml:9:5: unknown key "zzzzzz" in classes.P` + "\n",
	} {
		if !strings.Contains(msg+"\n", want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
}

// Issue 19, 11: a locked class under an unlocked base inherits methods that
// run without the lock.
func TestLockUnderAnUnlockedBase(t *testing.T) {
	src := "module: f\nclasses:\n  Base:\n    init: {}\n    methods:\n      bump: {}\n  Derived:\n    base: Base\n    lock: true\n    init: {}\n"
	ds := CheckSpec("f.yaml", []byte(src))
	if len(ds) != 1 || !strings.Contains(ds.Error(), "f.yaml:7:3: class Derived has lock: true, but its base Base does not") ||
		!strings.Contains(ds.Error(), "put lock: true on Base") {
		t.Errorf("want one positioned error, got %v", ds)
	}
	locked := strings.Replace(src, "  Base:\n    init: {}\n", "  Base:\n    lock: true\n    init: {}\n", 1)
	if ds := CheckSpec("f.yaml", []byte(locked)); len(ds) != 0 {
		t.Errorf("a locked base: %v", ds)
	}
}

// Issue 19, 14: a module named like a standard-library module could never
// be imported as itself.
func TestStdlibModuleName(t *testing.T) {
	ds := CheckSpec("f.yaml", []byte("module: code\nfunctions:\n  f: {}\n"))
	if len(ds) != 1 || !strings.Contains(ds.Error(), "f.yaml:1:9: module name \"code\" is a standard-library module") {
		t.Errorf("want one positioned error, got %v", ds)
	}
	if ds := CheckSpec("f.yaml", []byte("module: codex\nfunctions:\n  f: {}\n")); len(ds) != 0 {
		t.Errorf("codex: %v", ds)
	}
}

// Issue 22, item 4: examples spell bytes that are not UTF-8 as !!binary
// base64 or as a list of integers.
func TestExampleBytes(t *testing.T) {
	src := "module: f\nfunctions:\n  rev:\n    args: {data: bytes}\n    returns: bytes\n    examples:\n" +
		"      - args: [!!binary \"Y2Fm6Q==\"]\n        returns: [233, 102, 97, 99]\n"
	m, err := ParseUnbound("f.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	ex := m.Functions[0].Examples[0]
	if ex.Args[0] != `b'caf\xe9'` || ex.Returns != `b'\xe9fac'` {
		t.Errorf("args %q returns %q", ex.Args, ex.Returns)
	}
	for bad, want := range map[string]string{
		`[!!binary "not base64!"]`: "is not base64",
		`[[1, 256]]`:               "item 1, \"256\", is not a byte",
	} {
		ds := CheckSpec("f.yaml", []byte(strings.Replace(src, `[!!binary "Y2Fm6Q=="]`, bad, 1)))
		if !strings.Contains(ds.Error(), want) {
			t.Errorf("%s: want %q, got %v", bad, want, ds)
		}
	}
}

// Issue 22, item 9: a signature problem is reported once, without knock-on
// messages from the examples that use it.
func TestNoKnockOnFromExamples(t *testing.T) {
	ds := CheckSpec("f.yaml", []byte("module: f\nfunctions:\n  f:\n    args: {x: intt}\n    returns: int64\n    examples:\n      - args: [1]\n        returns: 2\n"))
	if len(ds) != 1 || !strings.Contains(ds.Error(), `unknown type "intt"`) {
		t.Errorf("want one message, got %v", ds)
	}
}

// Issue 22, item 5: **kwargs of a struct type spreads its fields as
// keyword-only parameters, which Go takes as one struct beside the others.
func TestSpreadStruct(t *testing.T) {
	src := "module: f\nstructs:\n  Opts:\n    args: {level: {type: int64, default: 1}, name: {type: str, default: \"\"}}\n" +
		"functions:\n  render:\n    args:\n      text: str\n      rest: {type: int64, kind: var_positional}\n      opts: {type: Opts, kind: var_keyword}\n    returns: str\n"
	m, err := ParseUnbound("f.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	sig := m.Functions[0].Sig
	var names []string
	for _, p := range sig.Params {
		names = append(names, p.Name+":"+kindWord(p.Kind))
	}
	if got := strings.Join(names, " "); got != "text:positional-or-keyword rest:*args level:keyword-only name:keyword-only" {
		t.Errorf("params: %s", got)
	}
	if got := GoSignature("Render", "", sig, []string{"string"}, false); got != "func Render(text string, opts Opts, rest ...int64) string" {
		t.Errorf("Go signature: %s", got)
	}
	clash := strings.Replace(src, "text: str", "level: str", 1)
	if ds := CheckSpec("f.yaml", []byte(clash)); !strings.Contains(ds.Error(), `**opts spreads struct Opts, whose field "level" is also a parameter`) {
		t.Errorf("a clash: %v", ds)
	}
}

func TestGCSettings(t *testing.T) {
	m, err := ParseUnbound("f.yaml", []byte("module: f\ngo:\n  gc: {percent: 400, memory_limit: 2GiB}\n"))
	if err != nil || m.Go.GCPercent == nil || *m.Go.GCPercent != 400 || m.Go.MemoryLimit != 2<<30 {
		t.Fatalf("%v %+v", err, m)
	}
	if ds := CheckSpec("f.yaml", []byte("module: f\ngo:\n  gc: {memory_limit: 2GB}\n")); len(ds) != 1 || !strings.Contains(ds.Error(), "go.gc.memory_limit") {
		t.Errorf("a bad unit: %v", ds)
	}
	if ds := CheckSpec("f.yaml", []byte("module: f\ngo:\n  gc: {memory_limit: 99999999999TiB}\n")); len(ds) != 1 || !strings.Contains(ds.Error(), "not a size Go can hold") {
		t.Errorf("too large: %v", ds)
	}
}

// Issue 21: what cannot be a ufunc is refused at its place in the spec.
func TestVectorizeErrors(t *testing.T) {
	for src, want := range map[string]string{
		"  f: {vectorize: true, args: {s: str}, returns: int64}":                               `f.yaml:3:31: f(), a ufunc (vectorize: true): input "s" is str; a ufunc's inputs are numeric scalars`,
		"  f: {vectorize: true, args: {x: float64}}":                                           "f.yaml:3:18: f(), a ufunc (vectorize: true): returns nothing",
		"  f: {vectorize: true, returns: int64}":                                               "f.yaml:3:18: f(), a ufunc (vectorize: true): takes no input",
		"  f: {vectorize: true, args: {x: float64}, returns: \"list[int64]\"}":                 "f.yaml:3:53: f(), a ufunc (vectorize: true): returns list[int64]; a ufunc's outputs are numeric scalars",
		"  f: {vectorize: true, args: {x: {type: int64, default: 1}}, returns: int64}":         `f.yaml:3:31: f(), a ufunc (vectorize: true): input "x" has a default`,
		"  f: {vectorize: true, args: {x: {type: int64, kind: keyword_only}}, returns: int64}": `input "x" is keyword-only; a ufunc's inputs are positional`,
		"  f: {vectorize: true, async: true, args: {x: int64}, returns: int64}":                "f.yaml:3:31: f(), a ufunc (vectorize: true): cannot be async",
		"  f: {vectorize: true, nogil: true, args: {x: int64}, returns: int64}":                "f.yaml:3:31: f(), a ufunc (vectorize: true): its loop runs without the GIL already",
		"  f: {parallel: true, args: {x: int64}, returns: int64}":                              "f.yaml:3:17: f(): parallel splits a ufunc's loop across goroutines; it needs vectorize: true",
		"  f: {vectorize: true, args: {x: buffer}, returns: int64}":                            `input "x" is buffer`,
	} {
		ds := CheckSpec("f.yaml", []byte("module: f\nfunctions:\n"+src+"\n"))
		if len(ds) != 1 || !strings.Contains(ds.Error(), want) {
			t.Errorf("%s:\nwant one error with %q, got %v", src, want, ds)
		}
	}
	ok := "module: f\nfunctions:\n  f:\n    vectorize: true\n    parallel: true\n    args: {x: float16, k: int8, z: complex128, b: bool}\n    returns: tuple[uint64, float32]\n"
	if ds := CheckSpec("f.yaml", []byte(ok)); len(ds) != 0 {
		t.Errorf("every numeric type: %v", ds)
	}
	sub := "module: f\nsubmodules:\n  s:\n    functions:\n      f: {vectorize: true, args: {x: int64}, returns: int64}\n"
	if ds := CheckSpec("f.yaml", []byte(sub)); len(ds) != 1 || !strings.Contains(ds.Error(), "ufuncs are module-level functions") {
		t.Errorf("a submodule's ufunc: %v", ds)
	}
	m, err := ParseUnbound("f.yaml", []byte(ok))
	if err != nil || len(m.Ufuncs) != 1 || len(m.Functions) != 0 || !m.Ufuncs[0].Parallel {
		t.Errorf("a ufunc is in Module.Ufuncs, not Functions: %v %+v", err, m)
	}
}

// Issue 21, item 3: `buffer: {fixed: true}` reaches the model; with a
// per-view release hook it is refused at the key, saying why.
func TestFixedExport(t *testing.T) {
	src := "module: f\nclasses:\n  Grid:\n    buffer: {fixed: true}\n  Plain:\n    buffer: {fixed: false}\n  Bare:\n    buffer: {}\n"
	m, err := ParseUnbound("f.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range m.Classes {
		if want := c.Name == "Grid"; c.Buffer == nil || c.Buffer.Fixed != want {
			t.Errorf("class %s: buffer %+v, want Fixed %v", c.Name, c.Buffer, want)
		}
	}
	ds := CheckSpec("f.yaml", []byte("module: f\nclasses:\n  Grid:\n    buffer: {release: true, fixed: true}\n"))
	if len(ds) != 1 || !strings.Contains(ds.Error(), "f.yaml:4:36: class Grid: buffer: fixed: true cannot go with release: true:") ||
		!strings.Contains(ds.Error(), "ReleaseBuffer() could not run once per view") {
		t.Errorf("want one positioned error at fixed's value, got %v", ds)
	}
	ds = CheckSpec("f.yaml", []byte("module: f\nclasses:\n  Grid:\n    buffer: {fixed: yes}\n"))
	if len(ds) != 1 || !strings.Contains(ds.Error(), "f.yaml:4:21: classes.Grid.buffer.fixed: expected boolean") {
		t.Errorf("want the schema to refuse a non-boolean fixed, got %v", ds)
	}
}

// A Go file that still imports pyspec's package by its former path,
// runtime, is told the new one, at the import; the pyspec_gen.go an older
// pyspec wrote is not (it is rewritten after binding).
func TestBindOldRuntimeImport(t *testing.T) {
	dir := goModule(t)
	os.WriteFile(dir+"/m.go", []byte(`package m

import (
	"fmt"
	"github.com/pyspec/pyspec/runtime"
)

func Scale(x float64) (float64, error) { return x, runtime.ValueError("%v", fmt.Sprint(x)) }
`), 0o644)
	os.WriteFile(dir+"/other.go", []byte(`package m

import rt "github.com/pyspec/pyspec/runtime"

func Sum(b rt.View[int64]) int64 { return 0 }
`), 0o644)
	os.WriteFile(dir+"/pyspec_gen.go", []byte(`// Code generated by pyspec from module.yaml. DO NOT EDIT.

package m

import "github.com/pyspec/pyspec/runtime"

var Oops = runtime.NewException("m", "Oops", runtime.KindValueError)
`), 0o644)
	os.WriteFile(dir+"/module.yaml", []byte(`module: m
functions:
  scale:
    args: {x: float64}
    returns: float64
  sum:
    args:
      b: {type: buffer, elem: int64}
    returns: int64
`), 0o644)
	_, err := Load(dir + "/module.yaml")
	ds, ok := err.(Diagnostics)
	if !ok {
		t.Fatalf("want diagnostics, got %v", err)
	}
	const msg = "github.com/pyspec/pyspec/runtime is now github.com/pyspec/pyspec/py: change the import (and runtime.X to py.X)"
	want := []string{
		filepath.Join(dir, "m.go") + ":5:2: " + msg,
		filepath.Join(dir, "other.go") + ":3:11: " + msg,
	}
	var got []string
	for _, d := range ds {
		got = append(got, d.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
