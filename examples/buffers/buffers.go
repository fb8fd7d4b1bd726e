// Package buffers implements the example module of the same name: the Go
// side of examples/buffers/module.yaml.
package buffers

import (
	"encoding/binary"
	"fmt"

	"github.com/pyspec/pyspec/py"
)

// Sum adds up the elements of a C-contiguous int64 buffer (requested with
// ND): with AVX2 where the module is built with Go's simd experiment (the
// spec's go.experiments) and the CPU has it, else sumScalar (sum_simd.go).
func Sum(buf py.View[int64]) (int64, error) { return sumInt64(buf.Slice()), nil }

// sumScalar is the portable sum. Go does not vectorize loops; four
// accumulators let the CPU overlap the additions.
func sumScalar(s []int64) int64 {
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

// Reverse reverses a writable int64 buffer in place.
// ScaleHalf multiplies each half in place (rounded back to half, an
// OverflowError past 65504) and sums the results.
func ScaleHalf(buf py.View[py.Float16], k float64) (float64, error) {
	var total float64
	xs := buf.Slice()
	for i, x := range xs {
		h, err := py.Float16From(x.Float64() * k)
		if err != nil {
			return 0, err
		}
		xs[i] = h
		total += h.Float64()
	}
	return total, nil
}

func Reverse(buf py.View[int64]) error {
	s := buf.Slice()
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
	return nil
}

// ColumnSums returns the column sums of a 2-D float64 buffer, following its
// strides, so any memory layout works.
// ColumnSums needs no check of m's dimensions: the spec's ndim: 2 has the
// glue refuse others before the call.
func ColumnSums(m py.View[float64]) []float64 {
	rows, cols := m.Shape()[0], m.Shape()[1]
	sums := make([]float64, cols)
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			sums[j] += m.At(i, j)
		}
	}
	return sums
}

// Matvec: the spec's shapes [rows, cols], [cols] and [rows] are checked
// before the call, so the loops cannot run past any of the three.
func Matvec(m, v, out py.View[float64]) {
	rows, cols := m.Shape()[0], m.Shape()[1]
	x, y := v.Slice(), out.Slice()
	for i := range rows {
		var s float64
		for j := range cols {
			s += m.At(i, j) * x[j]
		}
		y[i] = s
	}
}

// ConstantBuffer exports length copies of one int64 as a read-only buffer.
type ConstantBuffer struct {
	values []int64
}

// NewConstantBuffer is the constructor behind ConstantBuffer(elem, length).
// length comes from the user: the memory is checked before Go allocates
// it (a failed Go allocation ends the process; this is a MemoryError).
func NewConstantBuffer(elem int64, length uint32) (*ConstantBuffer, error) {
	if err := py.CheckAlloc(int64(length), 8); err != nil {
		return nil, err
	}
	values := make([]int64, length)
	for i := range values {
		values[i] = elem
	}
	return &ConstantBuffer{values: values}, nil
}

// Buffer exports the values, refusing writable requests as Pydust's example does.
func (c *ConstantBuffer) Buffer(flags py.Flags) (py.Export, error) {
	if flags.Writable() {
		return py.Export{}, py.BufferError("request for writable buffer is rejected")
	}
	return py.ExportSlice(c.values, true)
}

// MarshalBinary makes ConstantBuffer picklable (and copy.copy-able): the
// values, little-endian.
func (c *ConstantBuffer) MarshalBinary() ([]byte, error) {
	out := make([]byte, 8*len(c.values))
	for i, v := range c.values {
		binary.LittleEndian.PutUint64(out[8*i:], uint64(v))
	}
	return out, nil
}

// UnmarshalBinary restores what MarshalBinary made.
func (c *ConstantBuffer) UnmarshalBinary(data []byte) error {
	if len(data)%8 != 0 {
		return fmt.Errorf("truncated data: %d bytes is not a whole number of int64 values", len(data))
	}
	c.values = make([]int64, len(data)/8)
	for i := range c.values {
		c.values[i] = int64(binary.LittleEndian.Uint64(data[8*i:]))
	}
	return nil
}

// WeightedSum gets nil weights when Python passes None (or nothing).
func WeightedSum(x py.View[float64], weights *py.View[float64]) float64 {
	xs := x.Slice()
	var total float64
	if weights == nil {
		for _, v := range xs {
			total += v
		}
		return total
	}
	ws := weights.Slice() // as long as xs: shape [n] for both in the spec
	for i, v := range xs {
		total += v * ws[i]
	}
	return total
}

// Grid is a rows x cols float64 matrix that Python reads and, unless it is
// read-only, writes in place. Its spec declares the export fixed: Buffer
// returns the same slice, shape and read-only flag for the Grid's whole
// life (data is never reallocated), so the glue calls it for the first view
// only.
type Grid struct {
	rows, cols int
	data       []float64
	readonly   bool
	exports    int64
}

// NewGrid is the constructor behind Grid(rows, cols, fill=0, readonly=False).
func NewGrid(rows, cols uint32, fill float64, readonly bool) (*Grid, error) {
	if err := py.CheckAlloc(int64(rows), 8*int64(cols)); err != nil {
		return nil, err
	}
	g := &Grid{rows: int(rows), cols: int(cols), data: make([]float64, int(rows)*int(cols)), readonly: readonly}
	for i := range g.data {
		g.data[i] = fill
	}
	return g, nil
}

// Buffer exports the matrix in C order, whatever the flags: the glue
// refuses the requests it cannot satisfy (writable when read-only, Fortran
// order for more than one row and column).
func (g *Grid) Buffer(flags py.Flags) (py.Export, error) {
	g.exports++
	return py.ExportSlice(g.data, g.readonly, g.rows, g.cols)
}

// At reads an element, so tests see that Python's writes reach Go.
func (g *Grid) At(i, j int64) (float64, error) {
	if i < 0 || i >= int64(g.rows) || j < 0 || j >= int64(g.cols) {
		return 0, py.IndexError("(%d, %d) is outside a %d x %d grid", i, j, g.rows, g.cols)
	}
	return g.data[int(i)*g.cols+int(j)], nil
}

// Exports is how many times Buffer has run.
func (g *Grid) Exports() int64 { return g.exports }

// Linspace returns a slice: the glue lends it to Python as a numpy array
// (the spec says ndarray[float64]), pinned while the array lives.
func Linspace(start, stop float64, n uint32) ([]float64, error) {
	if err := py.CheckAlloc(int64(n), 8); err != nil {
		return nil, err
	}
	out := make([]float64, n)
	for i := range out {
		if n == 1 {
			out[i] = start
			break
		}
		out[i] = start + (stop-start)*float64(i)/float64(n-1)
	}
	if n > 1 {
		out[n-1] = stop
	}
	return out, nil
}

// Outer returns its (n, m) result as an export with a shape: Python gets
// a 2-D numpy array.
func Outer(a, b py.View[float64]) (py.Export, error) {
	xs, ys := a.Slice(), b.Slice()
	if err := py.CheckAlloc(int64(len(xs))*int64(len(ys)), 8); err != nil {
		return py.Export{}, err
	}
	out := make([]float64, 0, len(xs)*len(ys))
	for _, x := range xs {
		for _, y := range ys {
			out = append(out, x*y)
		}
	}
	return py.ExportSlice(out, true, len(xs), len(ys))
}

// Scale is generic over the element types the spec lists: the glue calls
// Scale[float32] or Scale[float64], whichever x holds.
func Scale[T float32 | float64](x py.View[T], k float64) {
	xs := x.Slice()
	for i := range xs {
		xs[i] *= T(k)
	}
}

// Dot's a and b share T: the glue refuses a float32 a with a float64 b,
// and the spec's shape [n] for both makes their lengths agree.
func Dot[T float32 | float64](a, b py.View[T]) float64 {
	xs, ys := a.Slice(), b.Slice()
	var s float64
	for i := range xs {
		s += float64(xs[i]) * float64(ys[i])
	}
	return s
}
