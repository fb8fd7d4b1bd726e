package codegen

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/pyspec/pyspec/py"
	"github.com/pyspec/pyspec/spec"
)

// familySpec has a parameter or a result of every kind of type.
const familySpec = `module: fam
enums:
  E: {values: {A: 1}}
structs:
  S:
    args: {x: float64}
classes:
  C:
    init: {args: {}}
functions:
  params:
    args:
      a: bool
      b: int32
      c: uint8
      d: float16
      e: float64
      f: complex128
      g: str
      h: bytes
      i: buffer
      j: {type: buffer, elem: int64}
      k: "list[int64]"
      l: "tuple[str, ...]"
      m: "iterable[S]"
      n: int64 | None
      o: C
      p: object
      q: "dict[str, list[float64]]"
      r: "set[E]"
      s: S
      t: int64 | str
      u: "callable[[int64], str]"
      v: callable
      w: E
      x: datetime
      y: timedelta
      z: "list[C]"
  tuple: {returns: "tuple[int64, str]"}
  array: {returns: "ndarray[float32]"}
  items: {returns: "iterator[str]"}
  pairs: {returns: "iterator[str, C]"}
`

// familyTypes are the types of familySpec, parameters first.
func familyTypes(t *testing.T) (params, results []*spec.Type) {
	t.Helper()
	m, err := spec.ParseUnbound("fam.yaml", []byte(familySpec))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Functions {
		for _, p := range f.Sig.Params {
			params = append(params, p.Type)
		}
		if r := f.ReturnType(); r != nil {
			results = append(results, r)
		}
	}
	return params, results
}

// TestEveryKindHasItsParts fails when a spec kind lacks its family here,
// or familySpec lacks a type of some kind; then it asks every part of
// each family of the samples that the kind has.
func TestEveryKindHasItsParts(t *testing.T) {
	params, results := familyTypes(t)
	seen := map[spec.TypeKind]bool{}
	for _, typ := range append(append([]*spec.Type{}, params...), results...) {
		seen[typ.Kind] = true
	}
	for k := spec.TypeKind(0); int(k) < spec.KindCount; k++ {
		if families[k] == nil {
			t.Errorf("kind %d has no family in codegen/families.go", k)
		}
		if !seen[k] {
			t.Errorf("kind %d has no sample in familySpec", k)
		}
	}
	// Each part, asked in turn: a missing one panics with its name.
	ask := func(typ *spec.Type, part string, f func() string) {
		t.Helper()
		defer func() {
			if p := recover(); p != nil {
				t.Errorf("%s: %s: %v", typ.Spec, part, p)
			}
		}()
		if s := f(); s == "" {
			t.Errorf("%s: %s is empty", typ.Spec, part)
		}
	}
	for _, typ := range params {
		ask(typ, "pyType", func() string { return pyType(typ, true) })
		ask(typ, "sample", func() string { return pySample(typ) })
		ask(typ, "cType", func() string { return cType(typ) })
		if goConverts(typ) {
			cs := newConverterSet()
			cs.needFrom(typ)
			ask(typ, "fromPy", func() string {
				if cs.code[fromPyName(typ)] == "" && !familyInRuntime(typ) {
					return ""
				}
				return "written"
			})
			continue
		}
		ask(typ, "cConv", func() string { return cConv(typ, "o", "a.p", "sig", 0) })
		ask(typ, "goFromC", func() string { return goFromC(typ, "a.p", "a.has_p") })
		cRelease(typ, "a.p", 0)
		cLocal(typ, 0)
	}
	for _, typ := range results {
		ask(typ, "pyType", func() string { return pyType(typ, false) })
		if typ.Kind == spec.KindTuple {
			continue // each item is a result of its own
		}
		ask(typ, "goToPy", func() string { return goToPy(typ, "v") })
	}
}

// familyInRuntime reports whether gopart defines t's converters.
func familyInRuntime(t *spec.Type) bool {
	switch familyOf(t).(type) {
	case complexFamily, anyFamily, datetimeFamily, timedeltaFamily:
		return true
	case callableFamily:
		return t.Untyped
	}
	return false
}

// TestCValues spells defaults as C values: every case of cValue.
func TestCValues(t *testing.T) {
	h, _ := py.Float16From(1.5)
	for _, c := range []struct {
		v    any
		want string
	}{
		{true, "1"}, {false, "0"}, {int64(-3), "INT64_C(-3)"}, {int64(-1 << 63), "INT64_MIN"},
		{uint64(1 << 63), "UINT64_C(9223372036854775808)"}, {h, "0x3e00"}, {2.0, "2.0"}, {0.1, "0.10000000000000001"},
		{1e300, "1.0000000000000001e+300"}, {py.Float16(0), "0x0000"}, {"a\"b\n?é", `"a\"b\012\077\303\251"`},
	} {
		got := cValue(&spec.Type{Spec: fmt.Sprint(c.v)}, &spec.Default{Value: c.v})
		if got != c.want {
			t.Errorf("cValue(%#v) = %s, want %s", c.v, got, c.want)
		}
	}
	for _, f := range []float64{math.Inf(1), math.Inf(-1), math.NaN()} {
		got := cValue(&spec.Type{Spec: "float64"}, &spec.Default{Value: f})
		if !strings.Contains(got, "INFINITY") && got != "NAN" {
			t.Errorf("cValue(%v) = %s", f, got)
		}
	}
}
