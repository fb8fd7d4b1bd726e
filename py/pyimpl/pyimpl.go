// Package pyimpl is for the code pyspec generates only: the glue of every
// module, and the pyspec_gen.go files it writes into authors' packages.
// It holds what that code needs of package py and module authors do not:
// the interpreter Objects reach Python through (SetHost), the references a
// call lends Go (Scope), buffer descriptors, pinned exports, the wrappers
// of Go values, and how a Go error becomes a Python exception.
//
// There is no compatibility promise: it changes with the code pyspec
// generates, as protobuf's runtime/protoimpl does. Module authors import
// package py.
package pyimpl

import (
	"github.com/pyspec/pyspec/py"
	"github.com/pyspec/pyspec/py/internal/core"
)

// Host is how py.Object reaches the Python interpreter: the glue of each
// pyspec module implements it. Every method but Enter, Incref and
// DecrefLater is called with the GIL held, which Enter takes.
type Host = core.Host

// TextKind selects what Host.Text returns.
type TextKind = core.TextKind

// The texts Host.Text returns.
const (
	TextStr  = core.TextStr  // str(o)
	TextRepr = core.TextRepr // repr(o)
	TextType = core.TextType // the name of o's type
)

// SetHost installs the interpreter py.Object talks to; once, when a
// module's Go part loads.
func SetHost(h Host) { core.SetHost(h) }

// NewObject takes a new reference to the Python object at p (a PyObject*,
// with the GIL held), owned by Go.
func NewObject(p uintptr) py.Object {
	h, err := core.GetHost()
	if err != nil || p == 0 {
		return py.Object{}
	}
	h.Incref(p)
	return StealObject(p)
}

// StealObject wraps a reference the caller owns (a new reference) without
// taking another, owned by Go.
func StealObject(p uintptr) py.Object {
	if p == 0 {
		return py.Object{}
	}
	return py.Internal.Object(core.Owned(p))
}

// Ptr is the PyObject* of o, 0 for None (the zero Object) or once o no
// longer holds its reference: valid while o is reachable (see PtrOf).
func Ptr(o py.Object) uintptr {
	if r := py.Internal.Ref(o); r != nil {
		return r.Ptr()
	}
	return 0
}

// PtrOf is the PyObject* of o (0 for None), or the error of an Object that
// no longer holds its reference; with the GIL held, which must take a
// reference of its own before anything may release the GIL.
func PtrOf(o py.Object) (uintptr, error) {
	r := py.Internal.Ref(o)
	if r == nil {
		return 0, nil
	}
	if p := r.Ptr(); p != 0 {
		return p, nil
	}
	return 0, py.RuntimeError("%s", core.DeadMessage(r.Why()))
}
