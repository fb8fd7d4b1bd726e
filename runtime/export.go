package runtime

import (
	goruntime "runtime"
	"runtime/cgo"
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
	shape    []int
	readonly bool
}

// ExportSlice lends data to Python as an array of T with the given shape (a
// 1-D array of len(data) elements when no shape is given), C-contiguous.
// Python writes through the view unless readonly is set.
func ExportSlice[T Elem](data []T, readonly bool, shape ...int) (Export, error) {
	if len(shape) == 0 {
		shape = []int{len(data)}
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
	var zero T
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
func (e Export) Shape() []int { return e.shape }

// Readonly reports whether Python may not write through the views.
func (e Export) Readonly() bool { return e.readonly }

// exportPin keeps exported memory in place for the life of one view.
type exportPin struct {
	pinner goruntime.Pinner
}

// PinExport pins the memory of e for one view and returns the token that
// ReleaseExport takes when that view is released. For the glue.
func PinExport(e Export) uintptr {
	p := new(exportPin)
	if e.data != nil {
		p.pinner.Pin(e.data)
	}
	return uintptr(cgo.NewHandle(p))
}

// ReleaseExport unpins the memory of the view PinExport returned token for.
func ReleaseExport(token uintptr) {
	h := cgo.Handle(token)
	h.Value().(*exportPin).pinner.Unpin()
	h.Delete()
}
