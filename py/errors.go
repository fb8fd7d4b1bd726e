// Package py is the Go library of pyspec module authors: Python objects
// (Object), buffer views (Buffer, View) and exports (Export), and the errors
// that become Python exceptions (py.ValueError("...")). The code pyspec
// generates uses it too, with package pyimpl for what only that code needs.
//
// It holds no CPython code of its own: the generated glue translates between
// CPython's structures and the types defined here, so this package is plain Go
// and can be tested without an interpreter.
package py

import (
	"errors"
	"fmt"
)

// ExcKind names the built-in Python exception class an Error is raised as.
type ExcKind uint8

// The built-in exception classes a Go error can become. RuntimeError is the
// class of errors that carry no kind of their own.
const (
	KindRuntimeError ExcKind = iota
	KindValueError
	KindTypeError
	KindBufferError
	KindOverflowError
	KindIndexError
	KindKeyError
	KindNotImplementedError
	KindStopIteration
	KindAttributeError
	KindZeroDivisionError
	KindMemoryError
)

var kindNames = [...]string{
	KindRuntimeError:        "RuntimeError",
	KindValueError:          "ValueError",
	KindTypeError:           "TypeError",
	KindBufferError:         "BufferError",
	KindOverflowError:       "OverflowError",
	KindIndexError:          "IndexError",
	KindKeyError:            "KeyError",
	KindNotImplementedError: "NotImplementedError",
	KindStopIteration:       "StopIteration",
	KindAttributeError:      "AttributeError",
	KindZeroDivisionError:   "ZeroDivisionError",
	KindMemoryError:         "MemoryError",
}

// String returns the Python name of the exception class.
func (k ExcKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("ExcKind(%d)", uint8(k))
}

// Error is a Go error that is raised in Python as a chosen exception class.
// Wrapping it (fmt.Errorf("...: %w", err)) keeps the class; the Python message
// is the text of the outermost error.
type Error struct {
	Kind ExcKind
	exc  *Exception // a class the spec declares, or nil
	err  error
}

func (e *Error) Error() string { return e.err.Error() }
func (e *Error) Unwrap() error { return e.err }

func newError(kind ExcKind, format string, args []any) error {
	return &Error{Kind: kind, err: fmt.Errorf(format, args...)}
}

// ErrorOf returns an error raised in Python as the built-in class kind.
func ErrorOf(kind ExcKind, format string, args ...any) error { return newError(kind, format, args) }

// ValueError returns an error raised in Python as ValueError. The arguments
// are those of fmt.Errorf, so %w wraps another error.
func ValueError(format string, args ...any) error { return newError(KindValueError, format, args) }

// TypeError returns an error raised in Python as TypeError.
func TypeError(format string, args ...any) error { return newError(KindTypeError, format, args) }

// BufferError returns an error raised in Python as BufferError.
func BufferError(format string, args ...any) error { return newError(KindBufferError, format, args) }

// OverflowError returns an error raised in Python as OverflowError.
func OverflowError(format string, args ...any) error {
	return newError(KindOverflowError, format, args)
}

// RuntimeError returns an error raised in Python as RuntimeError.
func RuntimeError(format string, args ...any) error {
	return newError(KindRuntimeError, format, args)
}

// IndexError returns an error raised in Python as IndexError.
func IndexError(format string, args ...any) error { return newError(KindIndexError, format, args) }

// KeyError returns an error raised in Python as KeyError.
func KeyError(format string, args ...any) error { return newError(KindKeyError, format, args) }

// NotImplementedError returns an error raised in Python as NotImplementedError.
func NotImplementedError(format string, args ...any) error {
	return newError(KindNotImplementedError, format, args)
}

// StopIteration returns the error a __next__ method returns when the
// iteration is over.
func StopIteration() error { return &Error{Kind: KindStopIteration, err: errStopIteration} }

var errStopIteration = errors.New("")

// AttributeError returns an error raised in Python as AttributeError.
func AttributeError(format string, args ...any) error {
	return newError(KindAttributeError, format, args)
}

// ZeroDivisionError returns an error raised in Python as ZeroDivisionError.
func ZeroDivisionError(format string, args ...any) error {
	return newError(KindZeroDivisionError, format, args)
}

// MemoryError returns an error raised in Python as MemoryError: what a Go
// function returns rather than make a value of a size it cannot have (see
// CheckAlloc). A Go allocation that fails is not an error but the end of
// the process ("fatal error: out of memory"), so check sizes that come
// from the user before allocating.
func MemoryError(format string, args ...any) error {
	return newError(KindMemoryError, format, args)
}

// declared is the spec-declared exception class err is raised as, or nil
// when it is raised as a built-in one.
func declared(err error) *Exception {
	var e *Error
	if errors.As(err, &e) {
		return e.exc
	}
	return nil
}

// Exception is an exception class declared in a module spec. pyspec
// generates one variable per declared class in the author's package.
type Exception struct {
	module, name string
	kind         ExcKind // the class raised if the module cannot be found
}

// Name is the exception's class name.
func (x *Exception) Name() string { return x.name }

// Module is the name of the module that declares the exception.
func (x *Exception) Module() string { return x.module }

// New returns an error raised in Python as this exception. The arguments
// are those of fmt.Errorf.
func (x *Exception) New(format string, args ...any) error {
	return &Error{Kind: x.kind, exc: x, err: fmt.Errorf(format, args...)}
}

// Is reports whether err is (or wraps) an error of this exception class.
func (x *Exception) Is(err error) bool { return declared(err) == x }
