package runtime

import (
	"fmt"
	"unsafe"
)

// Buffer is a consumer's view of memory exported by a Python object through
// the buffer protocol: numpy arrays, bytes, bytearray, array.array,
// memoryview and any other exporter. Nothing is copied: the memory belongs to
// the exporter and is valid only until the Go function that received the view
// returns. Keep no slice, pointer or string obtained from it after that.
type Buffer struct {
	data       unsafe.Pointer
	nbytes     int
	itemsize   int
	readonly   bool
	format     string
	shape      []int
	strides    []int
	suboffsets []int
}

// MakeBuffer describes memory the glue obtained from PyObject_GetBuffer. shape
// and strides point to ndim entries each (the glue fills them in when the
// request did not ask the exporter for them); suboffsets may be nil; format
// is NUL-terminated or nil (meaning unsigned bytes, "B").
func MakeBuffer(data unsafe.Pointer, nbytes, itemsize, ndim int, readonly bool,
	format *byte, shape, strides, suboffsets *int) Buffer {
	b := Buffer{data: data, nbytes: nbytes, itemsize: itemsize, readonly: readonly, format: "B"}
	if format != nil {
		b.format = cFormat(format)
	}
	if ndim > 0 {
		b.shape = unsafe.Slice(shape, ndim)
		b.strides = unsafe.Slice(strides, ndim)
		if suboffsets != nil {
			b.suboffsets = unsafe.Slice(suboffsets, ndim)
		}
	}
	return b
}

// Data is the address of the first byte of the buffer.
func (b Buffer) Data() unsafe.Pointer { return b.data }

// Len is the length of the buffer in bytes (Py_buffer.len).
func (b Buffer) Len() int { return b.nbytes }

// ItemSize is the size of one element in bytes.
func (b Buffer) ItemSize() int { return b.itemsize }

// NDim is the number of dimensions; 0 for a scalar.
func (b Buffer) NDim() int { return len(b.shape) }

// Shape is the number of elements along each dimension.
func (b Buffer) Shape() []int { return b.shape }

// Strides is the distance in bytes between neighbours along each dimension.
func (b Buffer) Strides() []int { return b.strides }

// Suboffsets is nil unless the exporter uses PIL-style indirect arrays
// (possible only when the request includes INDIRECT).
func (b Buffer) Suboffsets() []int { return b.suboffsets }

// Readonly reports whether the exporter forbids writes.
func (b Buffer) Readonly() bool { return b.readonly }

// Format is the element format in struct-module syntax, e.g. "q" or "<d".
func (b Buffer) Format() string { return b.format }

// NumElems is the number of elements (the product of the shape).
func (b Buffer) NumElems() int {
	if b.itemsize == 0 {
		return 0
	}
	return b.nbytes / b.itemsize
}

// IsCContiguous reports whether elements are laid out in row-major order
// with no gaps.
func (b Buffer) IsCContiguous() bool {
	if b.suboffsets != nil {
		return false
	}
	want := b.itemsize
	for i := len(b.shape) - 1; i >= 0; i-- {
		if b.shape[i] == 0 {
			return true
		}
		if b.shape[i] != 1 && b.strides[i] != want {
			return false
		}
		want *= b.shape[i]
	}
	return true
}

// IsFContiguous reports whether elements are laid out in column-major order
// with no gaps.
func (b Buffer) IsFContiguous() bool {
	if b.suboffsets != nil {
		return false
	}
	want := b.itemsize
	for i := range b.shape {
		if b.shape[i] == 0 {
			return true
		}
		if b.shape[i] != 1 && b.strides[i] != want {
			return false
		}
		want *= b.shape[i]
	}
	return true
}

// Bytes is the whole memory of a contiguous buffer (C or Fortran order). It
// panics for a strided or indirect one: request a contiguous layout in the
// spec (ND, C_CONTIGUOUS, ANY_CONTIGUOUS) or index with Ptr.
func (b Buffer) Bytes() []byte {
	b.mustBeContiguous()
	return unsafe.Slice((*byte)(b.data), b.nbytes)
}

func (b Buffer) mustBeContiguous() {
	if !b.IsCContiguous() && !b.IsFContiguous() {
		panic(fmt.Sprintf("pyspec/runtime: whole-memory access to a non-contiguous buffer (shape %v, strides %v); request a contiguous layout or index elements", b.shape, b.strides))
	}
}

// Ptr is the address of the element at the given index, one index per
// dimension, following strides and suboffsets. It panics when an index is
// out of range.
func (b Buffer) Ptr(index ...int) unsafe.Pointer {
	if len(index) != len(b.shape) {
		panic(fmt.Sprintf("pyspec/runtime: %d indices for a %d-dimensional buffer", len(index), len(b.shape)))
	}
	p := b.data
	for i, x := range index {
		if x < 0 || x >= b.shape[i] {
			panic(fmt.Sprintf("pyspec/runtime: index %d out of range for dimension %d of size %d", x, i, b.shape[i]))
		}
		p = unsafe.Add(p, x*b.strides[i])
		if b.suboffsets != nil && b.suboffsets[i] >= 0 {
			p = unsafe.Add(*(*unsafe.Pointer)(p), b.suboffsets[i])
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
	return unsafe.Slice((*T)(v.data), v.NumElems())
}

// At is the element at the given index (one index per dimension).
func (v View[T]) At(index ...int) T { return *(*T)(v.Ptr(index...)) }

// Set stores x at the given index. It panics when the buffer is read-only.
func (v View[T]) Set(x T, index ...int) {
	if v.readonly {
		panic("pyspec/runtime: Set on a read-only buffer")
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
