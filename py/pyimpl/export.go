package pyimpl

import (
	"runtime"
	"unsafe"

	"github.com/pyspec/pyspec/py"
)

// exportPin is one live view: the pinned memory, and the value that
// exported it (kept alive, and asked to release, even if its wrapper has
// been given another value since).
type exportPin struct {
	pinner runtime.Pinner
	owner  unsafe.Pointer
	cls    int32
	hook   int32
}

// exportPins holds the live views; a token is an index into it. Used with
// the GIL held (getbuffer and releasebuffer run under it), so a plain slice
// and free list do, with no allocation once warm.
var (
	exportPins []exportPin
	freePins   []uintptr
)

// PinExport pins the memory of e for one view (or, for a fixed export, for
// the C copy its views are made from) and returns the token that
// ReleaseExport takes when that view, or the copy's last holder, is
// released. owner, cls and hook are the exporting value, its class index
// and the class whose release hook runs. Call with the GIL held.
func PinExport(e py.Export, owner unsafe.Pointer, cls, hook int32) uintptr {
	var token uintptr
	if n := len(freePins); n > 0 {
		token, freePins = freePins[n-1], freePins[:n-1]
	} else {
		exportPins = append(exportPins, exportPin{})
		token = uintptr(len(exportPins) - 1)
	}
	p := &exportPins[token]
	if e.Data() != nil {
		p.pinner.Pin(e.Data())
	}
	p.owner, p.cls, p.hook = owner, cls, hook
	return token
}

// ExportOwner returns what PinExport recorded for token.
func ExportOwner(token uintptr) (owner unsafe.Pointer, cls, hook int32) {
	p := &exportPins[token]
	return p.owner, p.cls, p.hook
}

// ReleaseExport unpins the memory of the view PinExport returned token for.
func ReleaseExport(token uintptr) {
	p := &exportPins[token]
	p.pinner.Unpin()
	p.owner = nil
	freePins = append(freePins, token)
}
