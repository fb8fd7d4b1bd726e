package runtime

import (
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
)

// Object is a strong reference to a Python object, which Go may keep as
// long as it likes: a spec parameter of type `object` arrives as one, and
// callables, attributes and calls give more. The reference is dropped
// when Go no longer reaches the Object (or at Close). The zero Object is
// Python's None.
//
// An Object's methods may be called from any goroutine, with or without
// the GIL: they take it themselves (locking the goroutine to its OS thread
// meanwhile), so a nogil function or a goroutine the Go code started uses
// them as freely as the call that received the Object.
type Object struct{ ref *objectRef }

type objectRef struct {
	p       uintptr // the PyObject*; 0 once closed
	cleanup runtime.Cleanup
}

// Host is how this package reaches the Python interpreter: the glue of each
// pyspec module implements it. Every method but Enter, Incref and
// DecrefLater is called with the GIL held, which Enter takes.
type Host interface {
	// Enter takes the GIL for the calling goroutine, which it locks to its
	// OS thread until leave; an error once Python is shutting down.
	Enter() (leave func(), err error)
	Incref(p uintptr)
	Decref(p uintptr)
	// DecrefLater drops a reference without the GIL, from any goroutine.
	DecrefLater(p uintptr)
	None() uintptr // a new reference to None
	Text(p uintptr, how TextKind) (string, error)
	GetAttr(p uintptr, name string) (uintptr, error)
	SetAttr(p uintptr, name string, v uintptr) error // v 0: delete
	HasAttr(p uintptr, name string) (bool, error)
	Call(p uintptr, args []uintptr, kwargs map[string]uintptr) (uintptr, error)
	Truth(p uintptr) (bool, error)
	Len(p uintptr) (int, error)
	GetItem(p, key uintptr) (uintptr, error)
	SetItem(p, key, v uintptr) error // v 0: delete
	Import(name string) (uintptr, error)
	// FromGo makes a new Python object of a Go value; ToGo converts a
	// Python object into *target (a pointer).
	FromGo(v any) (uintptr, error)
	ToGo(p uintptr, target any) error
}

// TextKind selects what Host.Text returns.
type TextKind int

const (
	TextStr  TextKind = iota // str(o)
	TextRepr                 // repr(o)
	TextType                 // the name of o's type
)

var host atomic.Pointer[Host]

// SetHost installs the interpreter this package talks to; for the code
// pyspec generates, once, when a module's Go part loads.
func SetHost(h Host) { host.Store(&h) }

func getHost() (Host, error) {
	h := host.Load()
	if h == nil {
		return nil, errors.New("pyspec: no Python interpreter (runtime.Object is used outside a pyspec module)")
	}
	return *h, nil
}

// withGIL runs f holding the GIL.
func withGIL(f func(h Host) error) error {
	h, err := getHost()
	if err != nil {
		return err
	}
	leave, err := h.Enter()
	if err != nil {
		return err
	}
	defer leave()
	return f(h)
}

// NewObject takes a new reference to the Python object at p (a PyObject*,
// with the GIL held): for the code pyspec generates.
func NewObject(p uintptr) Object {
	h, err := getHost()
	if err != nil || p == 0 {
		return Object{}
	}
	h.Incref(p)
	return StealObject(p)
}

// StealObject wraps a reference the caller owns (a new reference) without
// taking another: for the code pyspec generates.
func StealObject(p uintptr) Object {
	if p == 0 {
		return Object{}
	}
	live.Add(1)
	r := &objectRef{p: p}
	r.cleanup = runtime.AddCleanup(r, dropLater, p)
	return Object{r}
}

// live counts the references Objects hold.
var live atomic.Int64

// LiveObjects is the number of Python references Go holds through
// Objects: those not yet closed, nor dropped after Go's garbage collector
// found them unreachable. (A debugging aid: Go drops a reference some time
// after the last use of its Object, when its collector runs.)
func LiveObjects() int64 { return live.Load() }

func dropLater(p uintptr) {
	if h, err := getHost(); err == nil {
		h.DecrefLater(p)
	}
	live.Add(-1) // after: once LiveObjects says 0, every drop is queued
}

// Ptr is the PyObject* of o, 0 for None (the zero Object) or after Close:
// for the code pyspec generates, valid while o is reachable.
func (o Object) Ptr() uintptr {
	if o.ref == nil {
		return 0
	}
	return atomic.LoadUintptr(&o.ref.p)
}

// Close drops the reference now rather than when Go no longer reaches o.
// o, and every copy of it, is None afterwards.
func (o Object) Close() {
	if o.ref == nil {
		return
	}
	p := atomic.SwapUintptr(&o.ref.p, 0)
	if p == 0 {
		return
	}
	o.ref.cleanup.Stop()
	live.Add(-1)
	if withGIL(func(h Host) error { h.Decref(p); return nil }) != nil {
		dropLater(p) // Python is exiting: later, if ever
		live.Add(1)
	}
	runtime.KeepAlive(o.ref)
}

// withPtr runs f with o's PyObject* (None's for the zero Object), keeping o
// alive meanwhile. The GIL is held.
func (o Object) withPtr(h Host, f func(p uintptr) error) error {
	p := o.Ptr()
	if p == 0 {
		p = h.None()
		defer h.Decref(p)
	}
	err := f(p)
	runtime.KeepAlive(o.ref)
	return err
}

// IsNone reports whether o is Python's None.
func (o Object) IsNone() bool {
	p := o.Ptr()
	if p == 0 {
		return true
	}
	isNone := false
	withGIL(func(h Host) error {
		n := h.None()
		isNone = n == p
		h.Decref(n)
		return nil
	})
	runtime.KeepAlive(o.ref)
	return isNone
}

// Is reports whether o and other are the same Python object (Python's is).
func (o Object) Is(other Object) bool {
	a, b := o.Ptr(), other.Ptr()
	if a == 0 || b == 0 {
		return o.IsNone() && other.IsNone()
	}
	return a == b
}

func (o Object) text(how TextKind) string {
	var s string
	err := withGIL(func(h Host) error {
		return o.withPtr(h, func(p uintptr) (err error) {
			s, err = h.Text(p, how)
			return err
		})
	})
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return s
}

// String is str(o); it makes Objects print well with fmt.
func (o Object) String() string { return o.text(TextStr) }

// Repr is repr(o).
func (o Object) Repr() string { return o.text(TextRepr) }

// TypeName is the name of o's type, as Python's error messages spell it
// ("int", "numpy.ndarray").
func (o Object) TypeName() string { return o.text(TextType) }

// Attr is getattr(o, name).
func (o Object) Attr(name string) (Object, error) {
	var r Object
	err := withGIL(func(h Host) error {
		return o.withPtr(h, func(p uintptr) error {
			a, err := h.GetAttr(p, name)
			r = StealObject(a)
			return err
		})
	})
	return r, err
}

// HasAttr is hasattr(o, name); an exception other than AttributeError
// raised looking it up is the error.
func (o Object) HasAttr(name string) (bool, error) {
	var has bool
	err := withGIL(func(h Host) error {
		return o.withPtr(h, func(p uintptr) (err error) {
			has, err = h.HasAttr(p, name)
			return err
		})
	})
	return has, err
}

// SetAttr is setattr(o, name, v), with v converted as ValueOf does.
func (o Object) SetAttr(name string, v any) error {
	return o.with(v, func(h Host, p, pv uintptr) error { return h.SetAttr(p, name, pv) })
}

// DelAttr is delattr(o, name).
func (o Object) DelAttr(name string) error {
	return withGIL(func(h Host) error {
		return o.withPtr(h, func(p uintptr) error { return h.SetAttr(p, name, 0) })
	})
}

// with runs f with the GIL, o's PyObject* and a new Python object of v
// (converted as ValueOf does), which it drops after.
func (o Object) with(v any, f func(h Host, p, pv uintptr) error) error {
	return withGIL(func(h Host) error {
		return o.withPtr(h, func(p uintptr) error {
			pv, err := h.FromGo(v)
			if err != nil {
				return err
			}
			defer h.Decref(pv)
			return f(h, p, pv)
		})
	})
}

// Call calls o with args, each converted as ValueOf does. An exception
// raised by the call is the error, a *PythonError.
func (o Object) Call(args ...any) (Object, error) { return o.CallKw(args, nil) }

// CallKw calls o with positional and keyword arguments.
func (o Object) CallKw(args []any, kwargs map[string]any) (Object, error) {
	var r Object
	err := withGIL(func(h Host) error {
		return o.withPtr(h, func(p uintptr) error {
			ps := make([]uintptr, 0, len(args))
			defer func() {
				for _, a := range ps {
					h.Decref(a)
				}
			}()
			for i, a := range args {
				pa, err := h.FromGo(a)
				if err != nil {
					return fmt.Errorf("argument %d: %w", i+1, err)
				}
				ps = append(ps, pa)
			}
			var kw map[string]uintptr
			if len(kwargs) > 0 {
				kw = make(map[string]uintptr, len(kwargs))
				defer func() {
					for _, a := range kw {
						h.Decref(a)
					}
				}()
				for k, a := range kwargs {
					pa, err := h.FromGo(a)
					if err != nil {
						return fmt.Errorf("argument %s: %w", k, err)
					}
					kw[k] = pa
				}
			}
			res, err := h.Call(p, ps, kw)
			r = StealObject(res)
			return err
		})
	})
	return r, err
}

// CallMethod calls o's method name with args.
func (o Object) CallMethod(name string, args ...any) (Object, error) {
	m, err := o.Attr(name)
	if err != nil {
		return Object{}, err
	}
	defer m.Close()
	return m.Call(args...)
}

// Truth is bool(o).
func (o Object) Truth() (bool, error) {
	var t bool
	err := withGIL(func(h Host) error {
		return o.withPtr(h, func(p uintptr) (err error) {
			t, err = h.Truth(p)
			return err
		})
	})
	return t, err
}

// Len is len(o).
func (o Object) Len() (int, error) {
	var n int
	err := withGIL(func(h Host) error {
		return o.withPtr(h, func(p uintptr) (err error) {
			n, err = h.Len(p)
			return err
		})
	})
	return n, err
}

// Item is o[key], with key converted as ValueOf does.
func (o Object) Item(key any) (Object, error) {
	var r Object
	err := o.with(key, func(h Host, p, k uintptr) error {
		v, err := h.GetItem(p, k)
		r = StealObject(v)
		return err
	})
	return r, err
}

// SetItem is o[key] = v.
func (o Object) SetItem(key, v any) error {
	return o.with(key, func(h Host, p, k uintptr) error {
		pv, err := h.FromGo(v)
		if err != nil {
			return err
		}
		defer h.Decref(pv)
		return h.SetItem(p, k, pv)
	})
}

// DelItem is del o[key].
func (o Object) DelItem(key any) error {
	return o.with(key, func(h Host, p, k uintptr) error { return h.SetItem(p, k, 0) })
}

// As converts o to a Go value of type T: bool, any integer or float type
// (range-checked), complex128, string, []byte, time.Time (from an aware
// datetime), time.Duration, Object, a pointer to one of the module's
// classes, or slices and maps of these; a pointer type takes None as nil.
// A value of another type is a TypeError naming both.
func As[T any](o Object) (T, error) {
	var v T
	err := withGIL(func(h Host) error {
		return o.withPtr(h, func(p uintptr) error { return h.ToGo(p, &v) })
	})
	return v, err
}

// Int64 is As[int64](o).
func (o Object) Int64() (int64, error) { return As[int64](o) }

// Float64 is As[float64](o): an int converts too.
func (o Object) Float64() (float64, error) { return As[float64](o) }

// Str is As[string](o): o must be a str.
func (o Object) Str() (string, error) { return As[string](o) }

// Bytes is As[[]byte](o): o must be bytes.
func (o Object) Bytes() ([]byte, error) { return As[[]byte](o) }

// Bool is As[bool](o): o must be a bool (see Truth for bool(o)).
func (o Object) Bool() (bool, error) { return As[bool](o) }

// ValueOf makes a Python object of a Go value: nil is None; bool, integer,
// float and complex types, string, []byte (bytes), time.Time (an aware
// datetime), time.Duration (timedelta), Object, a pointer to a value of
// one of the module's classes (its Python object), slices and arrays
// (lists), maps (dicts) and pointers to any of these.
func ValueOf(v any) (Object, error) {
	if o, ok := v.(Object); ok {
		return o, nil
	}
	var r Object
	err := withGIL(func(h Host) error {
		p, err := h.FromGo(v)
		r = StealObject(p)
		return err
	})
	return r, err
}

// Import is Python's import of the module name ("json", "os.path").
func Import(name string) (Object, error) {
	var r Object
	err := withGIL(func(h Host) error {
		p, err := h.Import(name)
		r = StealObject(p)
		return err
	})
	return r, err
}

// PythonError is an exception raised by Python code that Go called (a
// callable, an attribute, a conversion). Returning it (or an error that
// wraps it) from the Go function raises the original exception again,
// with its traceback.
type PythonError struct {
	Exc  Object // the exception instance
	Type string // its class name, e.g. "ValueError"
	Msg  string // str() of it
}

func (e *PythonError) Error() string {
	if e.Msg == "" {
		return e.Type
	}
	return e.Type + ": " + e.Msg
}
