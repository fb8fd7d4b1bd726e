package pyimpl

import (
	"errors"

	"github.com/pyspec/pyspec/py"
)

// Classify tells which exception class err is raised as, and with which
// message. An error with no *py.Error in its chain is a RuntimeError.
func Classify(err error) (py.ExcKind, string) {
	var e *py.Error
	if errors.As(err, &e) {
		return e.Kind, err.Error()
	}
	return py.KindRuntimeError, err.Error()
}

// DeclaredException is the spec-declared exception class err is raised as,
// or nil when it is raised as a built-in one (see Classify).
func DeclaredException(err error) *py.Exception { return py.Internal.Declared(err) }

// NewException describes the declared exception module.name, raised as
// the built-in class fallback if its module cannot be found: the variable
// pyspec generates in the author's package for each declared class.
func NewException(module, name string, fallback py.ExcKind) *py.Exception {
	return py.Internal.NewException(module, name, fallback)
}

// PanicError turns a value recovered from a panic in the Go function named
// fn into the error that the glue raises in Python.
func PanicError(fn string, recovered any) error {
	// A MemoryError panic (the glue's allocation checks) stays one.
	if e, ok := recovered.(*py.Error); ok && e.Kind == py.KindMemoryError {
		return e
	}
	// %v rather than %w: a panic is a bug in the Go code, whatever value it
	// carries, so it is never raised as the class of a wrapped error.
	return py.ErrorOf(py.KindRuntimeError, "Go panic in %s: %v", fn, recovered)
}
