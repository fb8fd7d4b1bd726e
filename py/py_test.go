package py

import (
	"math"
	"testing"
	"unsafe"

	"github.com/pyspec/pyspec/py/internal/core"
)

func TestFlags(t *testing.T) {
	for _, tc := range []struct {
		f    Flags
		want string
	}{
		{SIMPLE, "SIMPLE"}, {ND | FORMAT, "ND|FORMAT"}, {STRIDED, "STRIDES|WRITABLE"},
		{FULL_RO, "INDIRECT|FORMAT"}, {C_CONTIGUOUS | WRITABLE, "C_CONTIGUOUS|WRITABLE"},
	} {
		if got := tc.f.String(); got != tc.want {
			t.Errorf("%#x.String() = %s, want %s", int(tc.f), got, tc.want)
		}
	}
	if !CONTIG.Writable() || CONTIG_RO.Writable() || !RECORDS.Has(STRIDES|FORMAT) {
		t.Error("flag predicates are wrong")
	}
}

func TestParseFormat(t *testing.T) {
	for _, tc := range []struct {
		format string
		name   string
		ok     bool
	}{
		{"q", "int64", true}, {"l", "int64", true}, {"<q", "int64", true}, {"=l", "int32", true},
		{"@d", "float64", true}, {"f", "float32", true}, {"B", "uint8", true}, {"", "uint8", true},
		{"?", "bool", true}, {">q", "", false}, {"!i", "", false}, {">b", "int8", true},
		{"T{q}", "", false}, {"2q", "", false}, {"=n", "", false},
	} {
		info, ok := parseFormat(tc.format)
		if ok != tc.ok || (ok && info.Name() != tc.name) {
			t.Errorf("parseFormat(%q) = %v %v, want %s %v", tc.format, info.Name(), ok, tc.name, tc.ok)
		}
	}
}

// makeTestBuffer describes data as the glue would, computing contiguity as
// pyspec_rt.c does.
func makeTestBuffer(data []int64, format string, shape, strides []int) Buffer {
	f := append([]byte(format), 0)
	d := &core.CView{Data: unsafe.Pointer(&data[0]), Len: len(data) * 8, ItemSize: 8, NDim: int32(len(shape)),
		Format: &f[0], Shape: &shape[0], Strides: &strides[0]}
	c, fo := 8, 8
	cOK, fOK := true, true
	for i := len(shape) - 1; i >= 0; i-- {
		cOK = cOK && (shape[i] == 1 || strides[i] == c)
		c *= shape[i]
	}
	for i := range shape {
		fOK = fOK && (shape[i] == 1 || strides[i] == fo)
		fo *= shape[i]
	}
	if cOK {
		d.Contiguous |= 1
	}
	if fOK {
		d.Contiguous |= 2
	}
	return Buffer{d}
}

func TestBufferViews(t *testing.T) {
	data := []int64{0, 1, 2, 3, 4, 5}
	c := makeTestBuffer(data, "q", []int{2, 3}, []int{24, 8})
	if !c.IsCContiguous() || c.IsFContiguous() || c.NumElems() != 6 || c.Format() != "q" {
		t.Fatalf("C view: %+v", c)
	}
	v := View[int64]{c}
	if v.At(1, 2) != 5 || len(v.Slice()) != 6 {
		t.Fatal("C view indexing")
	}
	// The transpose: a Fortran-ordered 3x2 view of the same memory.
	tr := View[int64]{makeTestBuffer(data, "<q", []int{3, 2}, []int{8, 24})}
	if tr.IsCContiguous() || !tr.IsFContiguous() || tr.At(2, 1) != 5 || tr.Format() != "<q" {
		t.Fatal("transposed view")
	}
	// Every other column: strided, not contiguous.
	st := View[int64]{makeTestBuffer(data, "q", []int{2, 2}, []int{24, 16})}
	if st.IsCContiguous() || st.IsFContiguous() || st.At(1, 1) != 5 {
		t.Fatal("strided view")
	}
	mustPanic(t, "Slice of strided", func() { st.Slice() })
	mustPanic(t, "index out of range", func() { v.At(2, 0) })
	mustPanic(t, "wrong index count", func() { v.At(1) })
	v.Set(9, 0, 0)
	if data[0] != 9 {
		t.Fatal("Set did not write through")
	}
	if err := CheckElem[int64](c); err != nil {
		t.Fatal(err)
	}
	if err := CheckElem[float64](c); err == nil || err.Error() != "must be a buffer of float64, not int64 (format 'q')" {
		t.Fatalf("CheckElem = %v", err)
	}
}

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s did not panic", what)
		}
	}()
	f()
}

func TestExportSlice(t *testing.T) {
	e, err := ExportSlice([]float32{1, 2, 3, 4, 5, 6}, true, 2, 3)
	if err != nil || e.Format() != "f" || e.ItemSize() != 4 || e.Len() != 24 || !e.Readonly() || len(e.Shape()) != 2 {
		t.Fatalf("export = %+v, %v", e, err)
	}
	if _, err := ExportSlice([]int64{1, 2, 3}, false, 2, 2); err == nil {
		t.Fatal("a shape not matching the data was accepted")
	}
	var dims [4]int
	if got := e.ShapeInto(dims[:]); len(got) != 2 || got[0] != 2 || got[1] != 3 || e.NDim() != 2 {
		t.Fatalf("ShapeInto = %v", got)
	}
	flat, _ := ExportSlice([]int64{1, 2, 3}, false)
	if got := flat.ShapeInto(dims[:]); len(got) != 1 || got[0] != 3 || flat.NDim() != 1 || flat.Shape()[0] != 3 {
		t.Fatalf("flat ShapeInto = %v", got)
	}
	if err := e.Check(); err != nil {
		t.Fatalf("Check of a good export: %v", err)
	}
}

// A shape whose product wraps around must not pass for a small one: Python
// would index far outside the memory.
func TestExportShapeOverflow(t *testing.T) {
	for _, shape := range [][]int{{1 << 33, 1 << 31}, {1 << 62, 4}, {-1, -1}, {math.MaxInt, 2, 0, -1}} {
		if e, err := ExportSlice([]int64{}, true, shape...); err == nil {
			t.Errorf("shape %v of an empty slice accepted: %+v", shape, e)
		}
	}
	if _, err := ExportSlice([]int64{}, true, 1<<40, 0); err != nil {
		t.Errorf("a zero-size shape refused: %v", err)
	}
	bad := Export{itemsize: 8, nbytes: 0, shape: []int{1 << 33, 1 << 31}}
	if bad.Check() == nil {
		t.Error("Check accepts an overflowing shape")
	}
}

// Every export is checked before Python sees it: the check allocates
// nothing.
func TestExportCheckAllocatesNothing(t *testing.T) {
	e, _ := ExportSlice(make([]int64, 1000), true)
	if n := testing.AllocsPerRun(100, func() { _ = e.Check() }); n != 0 {
		t.Fatalf("Check allocates %v times", n)
	}
}

func TestCompare(t *testing.T) {
	for op, want := range map[int64]bool{LT: true, LE: true, EQ: false, NE: true, GT: false, GE: false} {
		if Compare(1, 2, op) != want {
			t.Errorf("Compare(1, 2, %d) != %v", op, want)
		}
	}
	if Compare("a", "a", 99) {
		t.Error("an unknown operator holds")
	}
}

func TestFloat16(t *testing.T) {
	for _, c := range []struct {
		v    float64
		bits Float16
	}{{0, 0}, {1, 0x3c00}, {-2, 0xc000}, {65504, 0x7bff}, {0x1p-24, 1}, {0x1p-14, 0x400}, {0.1, 0x2e66}, {65519, 0x7bff}, {math.Inf(-1), 0xfc00}} {
		h, err := Float16From(c.v)
		if err != nil || h != c.bits {
			t.Errorf("Float16From(%v) = %#x, %v; want %#x", c.v, h, err, c.bits)
		}
	}
	for b := 0; b < 1<<16; b++ {
		h := Float16(b)
		v := h.Float64()
		if math.IsNaN(v) {
			continue
		}
		if back, err := Float16From(v); err != nil || back != h {
			t.Fatalf("%#x -> %v -> %#x, %v", b, v, back, err)
		}
	}
	if _, err := Float16From(65520); err == nil {
		t.Error("65520 fits a half")
	}
}

func TestFloat16Elem(t *testing.T) {
	if ElemName[Float16]() != "float16" || ElemFormat[Float16]() != "e" {
		t.Errorf("Float16: %s %s", ElemName[Float16](), ElemFormat[Float16]())
	}
	if info, ok := parseFormat("<e"); !ok || info != infoOf[Float16]() {
		t.Errorf("'<e' is %v", info)
	}
}
