package py

import (
	"fmt"
	"unsafe"

	"github.com/pyspec/pyspec/py/internal/core"
)

// Buffer is a consumer's view of memory exported by a Python object through
// the buffer protocol: numpy arrays, bytes, bytearray, array.array,
// memoryview and any other exporter. Nothing is copied: the memory belongs to
// the exporter and is valid only until the Go function that received the view
// returns. Keep no slice or pointer obtained from it after that.
type Buffer struct {
	d *core.CView
}

// Data is the address of the first byte of the buffer.
func (b Buffer) Data() unsafe.Pointer { return b.d.Data }

// Len is the length of the buffer in bytes (Py_buffer.len).
func (b Buffer) Len() int { return b.d.Len }

// ItemSize is the size of one element in bytes.
func (b Buffer) ItemSize() int { return b.d.ItemSize }

// NDim is the number of dimensions; 0 for a scalar.
func (b Buffer) NDim() int { return int(b.d.NDim) }

// Shape is the number of elements along each dimension.
func (b Buffer) Shape() []int { return unsafe.Slice(b.d.Shape, b.d.NDim) }

// Strides is the distance in bytes between neighbours along each dimension.
func (b Buffer) Strides() []int { return unsafe.Slice(b.d.Strides, b.d.NDim) }

// Suboffsets is nil unless the exporter uses PIL-style indirect arrays
// (possible only when the request includes INDIRECT).
func (b Buffer) Suboffsets() []int {
	if b.d.Suboffsets == nil {
		return nil
	}
	return unsafe.Slice(b.d.Suboffsets, b.d.NDim)
}

// Readonly reports whether the exporter forbids writes.
func (b Buffer) Readonly() bool { return b.d.Readonly != 0 }

// Format is the element format in struct-module syntax, e.g. "q" or "<d";
// "B" when the exporter gave none. Common formats cost no allocation.
func (b Buffer) Format() string {
	if b.d.Format == nil {
		return "B"
	}
	return cFormat(b.d.Format)
}

// NumElems is the number of elements (the product of the shape).
func (b Buffer) NumElems() int {
	if b.d.ItemSize == 0 {
		return 0
	}
	return b.d.Len / b.d.ItemSize
}

// IsCContiguous reports whether elements are laid out in row-major order
// with no gaps.
func (b Buffer) IsCContiguous() bool { return b.d.Contiguous&1 != 0 }

// IsFContiguous reports whether elements are laid out in column-major order
// with no gaps.
func (b Buffer) IsFContiguous() bool { return b.d.Contiguous&2 != 0 }

// Bytes is the whole memory of a contiguous buffer (C or Fortran order). It
// panics for a strided or indirect one: request a contiguous layout in the
// spec (ND, C_CONTIGUOUS, ANY_CONTIGUOUS) or index with Ptr.
func (b Buffer) Bytes() []byte {
	b.mustBeContiguous()
	return unsafe.Slice((*byte)(b.d.Data), b.d.Len)
}

func (b Buffer) mustBeContiguous() {
	if b.d.Contiguous == 0 {
		panic(fmt.Sprintf("pyspec/py: whole-memory access to a non-contiguous buffer (shape %v, strides %v); request a contiguous layout or index elements", b.Shape(), b.Strides()))
	}
}

// Ptr is the address of the element at the given index, one index per
// dimension, following strides and suboffsets. It panics when an index is
// out of range.
func (b Buffer) Ptr(index ...int) unsafe.Pointer {
	shape, strides, sub := b.Shape(), b.Strides(), b.Suboffsets()
	if len(index) != len(shape) {
		panic(fmt.Sprintf("pyspec/py: %d indices for a %d-dimensional buffer", len(index), len(shape)))
	}
	p := b.d.Data
	for i, x := range index {
		if x < 0 || x >= shape[i] {
			panic(fmt.Sprintf("pyspec/py: index %d out of range for dimension %d of size %d", x, i, shape[i]))
		}
		p = unsafe.Add(p, x*strides[i])
		if sub != nil && sub[i] >= 0 {
			p = unsafe.Add(*(*unsafe.Pointer)(p), sub[i])
		}
	}
	return p
}

// View is a Buffer whose element type was declared in the spec; the glue has
// checked the format and item size against T before the call.
type View[T Elem] struct {
	Buffer
}

// Slice is the elements of a contiguous buffer as a Go slice sharing the
// exporter's memory (in the buffer's own order, C or Fortran). It panics for
// a strided or indirect buffer; use At/Set for those.
func (v View[T]) Slice() []T {
	v.mustBeContiguous()
	// The item size is T's (the glue checked it): a constant divisor.
	var zero T
	return unsafe.Slice((*T)(v.d.Data), v.d.Len/int(unsafe.Sizeof(zero)))
}

// At is the element at the given index (one index per dimension).
func (v View[T]) At(index ...int) T { return *(*T)(v.Ptr(index...)) }

// Set stores x at the given index. It panics when the buffer is read-only.
func (v View[T]) Set(x T, index ...int) {
	if v.Readonly() {
		panic("pyspec/py: Set on a read-only buffer")
	}
	*(*T)(v.Ptr(index...)) = x
}

// cFormat reads a NUL-terminated format string from exporter memory. The
// common short formats resolve to static strings so that a call does not
// allocate; longer ones are copied, so the string outlives the view safely.
func cFormat(p *byte) string {
	var buf [3]byte
	n := 0
	for q := unsafe.Pointer(p); n < len(buf); n++ {
		c := *(*byte)(unsafe.Add(q, n))
		if c == 0 {
			break
		}
		buf[n] = c
	}
	switch n {
	case 0:
		return "B"
	case 1:
		if s := oneCharFormats[buf[0]]; s != "" {
			return s
		}
	case 2:
		if i := orderIndex(buf[0]); i >= 0 {
			if s := twoCharFormats[i][buf[1]]; s != "" {
				return s
			}
		}
	}
	// Long or unusual: count the rest and copy.
	for *(*byte)(unsafe.Add(unsafe.Pointer(p), n)) != 0 {
		n++
	}
	return string(unsafe.Slice(p, n))
}

const formatCodes = "?bBhHiIlLqQnNefdcsxP"
const orderChars = "@=<>!"

var (
	oneCharFormats [256]string
	twoCharFormats [len(orderChars)][256]string
)

func orderIndex(c byte) int {
	for i := 0; i < len(orderChars); i++ {
		if orderChars[i] == c {
			return i
		}
	}
	return -1
}

func init() {
	for i := 0; i < len(formatCodes); i++ {
		c := formatCodes[i]
		oneCharFormats[c] = string(c)
		for j := 0; j < len(orderChars); j++ {
			twoCharFormats[j][c] = string([]byte{orderChars[j], c})
		}
	}
}
