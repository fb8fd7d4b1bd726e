package runtime

import (
	goruntime "runtime"
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
	n := 1
	for _, d := range shape {
		if d < 0 {
			return Export{}, BufferError("export shape %v has a negative dimension", shape)
		}
		n *= d
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

// exportPins holds the pinners of live views; a token is an index into it.
// Used with the GIL held (getbuffer and releasebuffer run under it), so a
// plain slice and free list do, with no allocation once warm.
var (
	exportPins []goruntime.Pinner
	freePins   []uintptr
)

// PinExport pins the memory of e for one view and returns the token that
// ReleaseExport takes when that view is released. For the glue; call with
// the GIL held.
func PinExport(e Export) uintptr {
	var token uintptr
	if n := len(freePins); n > 0 {
		token, freePins = freePins[n-1], freePins[:n-1]
	} else {
		exportPins = append(exportPins, goruntime.Pinner{})
		token = uintptr(len(exportPins) - 1)
	}
	if e.data != nil {
		exportPins[token].Pin(e.data)
	}
	return token
}

// ReleaseExport unpins the memory of the view PinExport returned token for.
func ReleaseExport(token uintptr) {
	exportPins[token].Unpin()
	freePins = append(freePins, token)
}
