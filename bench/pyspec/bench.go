// Package pyspecbench implements bench/pyspec/module.yaml: the operations
// every contender of bench/ implements, written as a pyspec author would.
package pyspecbench

import (
	"iter"

	"github.com/pyspec/pyspec/py"
)

func Noop() {}

func Add(a, b int64) int64 { return a + b }

func Kw(a, b, c int64) int64 { return a + b + c }

func Strlen(s string) int64 { return int64(len(s)) }

func Half(x float64) float64 { return x / 2 }

// Count is range(n) as a Go sequence.
func Count(n int64) iter.Seq[int64] {
	return func(yield func(int64) bool) {
		for i := range n {
			if !yield(i) {
				return
			}
		}
	}
}

// Sum adds a C-contiguous int64 buffer with four accumulators.
func Sum(buf py.View[int64]) int64 {
	s := buf.Slice()
	var a, b, c, d int64
	i := 0
	for ; i+4 <= len(s); i += 4 {
		q := s[i : i+4 : i+4] // a 4-element window: no bounds checks inside
		a += q[0]
		b += q[1]
		c += q[2]
		d += q[3]
	}
	for _, v := range s[i:] {
		a += v
	}
	return a + b + c + d
}

// Total2d adds a 2-D float64 buffer of any layout, walking its strides.
func Total2d(m py.View[float64]) (float64, error) {
	if m.NDim() != 2 {
		return 0, py.ValueError("total2d expects a 2-D buffer, got %d dimensions", m.NDim())
	}
	shape, strides := m.Shape(), m.Strides()
	base := m.Data()
	var total float64
	for i := 0; i < shape[0]; i++ {
		row := unsafeAdd(base, i*strides[0])
		for j := 0; j < shape[1]; j++ {
			total += *(*float64)(unsafeAdd(row, j*strides[1]))
		}
	}
	return total, nil
}

func Spin(n int64) int64 {
	var x uint64 = 88172645463325252
	for i := int64(0); i < n; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return int64(x >> 1)
}

// Counter has one attribute and one method.
type Counter struct {
	Value int64
}

func NewCounter(start int64) *Counter { return &Counter{Value: start} }

func (c *Counter) Inc(by int64) int64 {
	c.Value += by
	return c.Value
}

// Buf exports n int64 values read-only.
type Buf struct {
	values []int64
}

func NewBuf(n int64) (*Buf, error) {
	if n < 0 {
		return nil, py.ValueError("n must be >= 0")
	}
	b := &Buf{values: make([]int64, n)}
	for i := range b.values {
		b.values[i] = int64(i)
	}
	return b, nil
}

func (b *Buf) Buffer(flags py.Flags) (py.Export, error) {
	return py.ExportSlice(b.values, true)
}

// blobs are preallocated results, so that timing a large result measures
// handing it to Python, not making it.
var blobs = map[int64][]byte{}

func blob(n int64) []byte {
	b, ok := blobs[n]
	if !ok {
		b = make([]byte, n)
		for i := range b {
			b[i] = byte(i)
		}
		blobs[n] = b
	}
	return b
}

// Blob lends n bytes of Go memory to Python: no copy.
func Blob(n int64) []byte { return blob(n) }

// BlobBytes returns the same n bytes as a bytes object: a copy.
func BlobBytes(n int64) []byte { return blob(n) }

// Poly is x*x + 1: the ufunc, its parallel twin and the per-element call
// share it, so that the table compares only how the elements reach it.
func Poly(x float64) float64 { return x*x + 1 }

func PolyParallel(x float64) float64 { return Poly(x) }

func PolyScalar(x float64) float64 { return Poly(x) }

// PolyInto is what an author writes without ufuncs: a loop over two views.
func PolyInto(x, out py.View[float64]) error {
	xs, os := x.Slice(), out.Slice()
	if len(os) != len(xs) {
		return py.ValueError("out has %d elements, x %d", len(os), len(xs))
	}
	for i, v := range xs {
		os[i] = Poly(v)
	}
	return nil
}
