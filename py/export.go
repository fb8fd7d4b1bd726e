package py

import (
	"math"
	"math/bits"
	"unsafe"
)

// Export describes Go memory that a class lends to Python through the buffer
// protocol (its __buffer__). The glue pins the memory while any view of it is
// alive, so the Go garbage collector neither frees nor moves it, and keeps the
// exporting object alive as long as the views.
type Export struct {
	data     unsafe.Pointer
	nbytes   int
	itemsize int
	format   string
	shape    []int // nil: one dimension of n1 elements
	n1       int
	readonly bool
}

// ExportSlice lends data to Python as an array of T with the given shape (a
// 1-D array of len(data) elements when no shape is given), C-contiguous.
// Python writes through the view unless readonly is set.
func ExportSlice[T Elem](data []T, readonly bool, shape ...int) (Export, error) {
	var zero T
	if len(shape) == 0 {
		// The common case allocates nothing: the glue asks for the shape
		// with ShapeInto.
		return Export{
			data:     unsafe.Pointer(unsafe.SliceData(data)),
			nbytes:   len(data) * int(unsafe.Sizeof(zero)),
			itemsize: int(unsafe.Sizeof(zero)),
			format:   ElemFormat[T](),
			n1:       len(data),
			readonly: readonly,
		}, nil
	}
	n, ok := shapeProduct(shape)
	if !ok {
		return Export{}, BufferError("export shape %v has a negative dimension or more elements than memory can hold", shape)
	}
	if n != len(data) {
		return Export{}, BufferError("export shape %v holds %d elements but the slice has %d", shape, n, len(data))
	}
	return Export{
		data:     unsafe.Pointer(unsafe.SliceData(data)),
		nbytes:   len(data) * int(unsafe.Sizeof(zero)),
		itemsize: int(unsafe.Sizeof(zero)),
		format:   ElemFormat[T](),
		shape:    append([]int(nil), shape...),
		readonly: readonly,
	}, nil
}

// shapeProduct is the number of elements of shape, and false when a
// dimension is negative or the product overflows an int.
func shapeProduct(shape []int) (int, bool) {
	zero := false
	for _, d := range shape {
		if d < 0 {
			return 0, false
		}
		zero = zero || d == 0
	}
	if zero {
		return 0, true
	}
	return mulAll(1, shape)
}

// mulAll is n times every d, and false on overflow (without a division:
// this runs on every export).
func mulAll(n int, ds []int) (int, bool) {
	for _, d := range ds {
		hi, lo := bits.Mul64(uint64(n), uint64(d))
		if hi != 0 || lo > math.MaxInt {
			return 0, false
		}
		n = int(lo)
	}
	return n, true
}

// Check reports whether e describes its memory consistently: the shape's
// elements times the item size are its bytes. The glue checks every export
// before Python sees it.
func (e Export) Check() error {
	if e.itemsize <= 0 {
		return BufferError("export item size %d is not positive", e.itemsize)
	}
	n, ok := shapeProduct(e.Shape())
	hi, lo := bits.Mul64(uint64(n), uint64(e.itemsize))
	if !ok || hi != 0 || lo != uint64(e.nbytes) {
		return BufferError("export shape %v of %d-byte items does not describe its %d bytes", e.Shape(), e.itemsize, e.nbytes)
	}
	return nil
}

// Data is the address of the exported memory (nil for an empty export).
func (e Export) Data() unsafe.Pointer { return e.data }

// Len is the size of the export in bytes.
func (e Export) Len() int { return e.nbytes }

// ItemSize is the size of one element in bytes.
func (e Export) ItemSize() int { return e.itemsize }

// Format is the struct-module format of one element.
func (e Export) Format() string { return e.format }

// Shape is the number of elements along each dimension.
func (e Export) Shape() []int {
	if e.shape == nil {
		return []int{e.n1}
	}
	return e.shape
}

// NDim is the number of dimensions.
func (e Export) NDim() int {
	if e.shape == nil {
		return 1
	}
	return len(e.shape)
}

// ShapeInto copies the shape into dst (which has room for NDim entries)
// and returns that part of dst: the glue hands shapes to C this way,
// without allocating.
func (e Export) ShapeInto(dst []int) []int {
	if e.shape == nil {
		dst[0] = e.n1
		return dst[:1]
	}
	return dst[:copy(dst, e.shape)]
}

// Readonly reports whether Python may not write through the views.
func (e Export) Readonly() bool { return e.readonly }
