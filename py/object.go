package py

import (
	"fmt"
	"reflect"
	"runtime"

	"github.com/pyspec/pyspec/py/internal/core"
)

// Object is a reference to a Python object. Who owns the reference
// follows PyO3's Bound and Py:
//
//   - An argument of type object (also inside a list, a dict, *args or
//     **kwargs, and the object behind a callable) is borrowed: it is valid
//     until the call that received it returns, and released then. Go code
//     that keeps it longer keeps o.Retain() (py.RetainFunc for a
//     callable) instead; using a borrowed Object after its call returned is
//     an error (a RuntimeError that says to Retain), never a memory error.
//   - Objects Go makes (Attr, Call, Item, ValueOf, Import, As, Retain) are
//     owned by Go: Close releases the reference at once; one dropped
//     without Close is released some time after Go's garbage collector
//     finds it unreachable (Go's collector cannot see Python's memory: do
//     not count on it for large objects, Close them).
//   - An owned Object that a function or method returns is handed to
//     Python: its reference becomes the result's, and the Object (with
//     every copy of it) is used up. Return o.Retain() to hand Python a
//     reference of its own while Go keeps o.
//
// The zero Object is Python's None. A closed, expired or handed-over
// Object's methods return a RuntimeError (String, Repr and TypeName
// return its text; IsNone and Is panic; Retain gives an Object that fails
// the same way); Close on one returns that error.
//
// An Object's methods may be called from any goroutine, with or without
// the GIL: they take it themselves (locking the goroutine to its OS thread
// meanwhile), and hold a reference of their own while they run, so a Close
// from another goroutine or from Python code the method runs waits for
// them to finish with the object.
type Object struct{ ref *core.Ref }

// Host and its GIL, by short names.
type host = core.Host

var withGIL = core.WithGIL

// steal wraps p, a new reference, in an owned Object (None for 0).
func steal(p uintptr) Object {
	if p == 0 {
		return Object{}
	}
	return Object{core.Owned(p)}
}

// live returns o's PyObject*, 0 for None (the zero Object), or the error of
// an Object that no longer holds its reference.
func (o Object) live() (uintptr, error) {
	if o.ref == nil {
		return 0, nil
	}
	if p := o.ref.Ptr(); p != 0 {
		return p, nil
	}
	return 0, RuntimeError("%s", core.DeadMessage(o.ref.Why()))
}

// LiveObjects is the number of Python references Go holds through
// Objects: borrowed ones whose call has not returned, and owned ones not
// yet closed, handed to Python, nor released after Go's garbage collector
// found them unreachable. (A debugging aid: Go drops a reference some time
// after the last use of its Object, when its collector runs.)
func LiveObjects() int64 { return core.Live() }

// Retain returns an Object that owns a new reference to o's Python
// object: what Go keeps of an argument beyond the call (a borrowed Object
// is released when the call returns), or returns while keeping o (a
// returned Object is handed to Python). Close it when done, or let Go's
// garbage collector release it. Retaining an Object that no longer holds
// its reference (closed, expired, handed to Python) gives one that fails
// the same way: its methods return that error.
func (o Object) Retain() Object {
	if o.ref == nil {
		return Object{}
	}
	var r Object
	err := withGIL(func(h host) error {
		p, err := o.live()
		if err != nil {
			return err
		}
		h.Incref(p)
		r = steal(p)
		return nil
	})
	if err != nil {
		why := o.ref.Why()
		if why == 0 {
			why = core.DeadClosed // no interpreter: nothing to hold
		}
		return Object{core.Dead(why)}
	}
	return r
}

// Close releases the reference now rather than when the call that lent it
// returns or Go no longer reaches o; o, and every copy of it, is unusable
// afterwards. Closing an Object that no longer holds its reference (closed
// twice, expired, handed to Python) returns the RuntimeError saying so;
// closing None does nothing. A method of o running meanwhile (in another
// goroutine, or in Python code it runs) holds a reference of its own, so
// the Python object lives until it is done.
func (o Object) Close() error {
	if o.ref == nil {
		return nil
	}
	p := o.ref.Release(core.DeadClosed)
	if p == 0 {
		return RuntimeError("%s", core.DeadMessage(o.ref.Why()))
	}
	if withGIL(func(h host) error { h.Decref(p); return nil }) != nil {
		if h, err := core.GetHost(); err == nil {
			h.DecrefLater(p) // Python is exiting: later, if ever
		}
	}
	runtime.KeepAlive(o.ref)
	return nil
}

// withPtr runs f with o's PyObject* (None's for the zero Object), holding
// a reference of its own meanwhile: f may run Python code, which may
// release the GIL or close o. The GIL is held.
func (o Object) withPtr(h host, f func(p uintptr) error) error {
	p, err := o.live()
	if err != nil {
		return err
	}
	if p == 0 {
		p = h.None()
	} else {
		h.Incref(p)
	}
	defer h.Decref(p)
	return f(p)
}

// RetainFunc keeps the Python callable behind f, a callable argument
// (borrowed for the call, like an Object), beyond the call, and returns f:
// Go may store and call it later, from any goroutine. Its reference is
// released some time after Go's garbage collector finds f unreachable.
// Other funcs are returned as they are, and so is f once its call has
// returned (calling it then is the error saying to retain it).
func RetainFunc[F any](f F) F {
	if reflect.TypeOf(f) == nil || reflect.TypeOf(f).Kind() != reflect.Func {
		return f
	}
	r := core.TakeLent(core.FuncKey(f))
	if r == nil {
		return f
	}
	withGIL(func(host) error { r.Own(); return nil })
	return f
}

// IsNone reports whether o is Python's None. It panics on an Object that
// no longer holds its reference.
func (o Object) IsNone() bool {
	p, err := o.live()
	if err != nil {
		panic(err)
	}
	if p == 0 {
		return true
	}
	isNone := false
	withGIL(func(h host) error {
		n := h.None()
		isNone = n == p
		h.Decref(n)
		return nil
	})
	runtime.KeepAlive(o.ref)
	return isNone
}

// Is reports whether o and other are the same Python object (Python's
// is). It panics on an Object that no longer holds its reference.
func (o Object) Is(other Object) bool {
	a, err := o.live()
	if err != nil {
		panic(err)
	}
	b, err := other.live()
	if err != nil {
		panic(err)
	}
	if a == 0 || b == 0 {
		return o.IsNone() && other.IsNone()
	}
	return a == b
}

func (o Object) text(how core.TextKind) string {
	var s string
	err := withGIL(func(h host) error {
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
func (o Object) String() string { return o.text(core.TextStr) }

// Repr is repr(o).
func (o Object) Repr() string { return o.text(core.TextRepr) }

// TypeName is the name of o's type, as Python's error messages spell it
// ("int", "numpy.ndarray").
func (o Object) TypeName() string { return o.text(core.TextType) }

// Attr is getattr(o, name).
func (o Object) Attr(name string) (Object, error) {
	var r Object
	err := withGIL(func(h host) error {
		return o.withPtr(h, func(p uintptr) error {
			a, err := h.GetAttr(p, name)
			r = steal(a)
			return err
		})
	})
	return r, err
}

// HasAttr is hasattr(o, name); an exception other than AttributeError
// raised looking it up is the error.
func (o Object) HasAttr(name string) (bool, error) {
	var has bool
	err := withGIL(func(h host) error {
		return o.withPtr(h, func(p uintptr) (err error) {
			has, err = h.HasAttr(p, name)
			return err
		})
	})
	return has, err
}

// SetAttr is setattr(o, name, v), with v converted as ValueOf does.
func (o Object) SetAttr(name string, v any) error {
	return o.with(v, func(h host, p, pv uintptr) error { return h.SetAttr(p, name, pv) })
}

// DelAttr is delattr(o, name).
func (o Object) DelAttr(name string) error {
	return withGIL(func(h host) error {
		return o.withPtr(h, func(p uintptr) error { return h.SetAttr(p, name, 0) })
	})
}

// with runs f with the GIL, o's PyObject* and a new Python object of v
// (converted as ValueOf does), which it drops after.
func (o Object) with(v any, f func(h host, p, pv uintptr) error) error {
	return withGIL(func(h host) error {
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
	err := withGIL(func(h host) error {
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
			r = steal(res)
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
	err := withGIL(func(h host) error {
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
	err := withGIL(func(h host) error {
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
	err := o.with(key, func(h host, p, k uintptr) error {
		v, err := h.GetItem(p, k)
		r = steal(v)
		return err
	})
	return r, err
}

// SetItem is o[key] = v.
func (o Object) SetItem(key, v any) error {
	return o.with(key, func(h host, p, k uintptr) error {
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
	return o.with(key, func(h host, p, k uintptr) error { return h.SetItem(p, k, 0) })
}

// As converts o to a Go value of type T: bool, any integer or float type
// (range-checked), complex128, string, []byte, time.Time (from an aware
// datetime), time.Duration, Object, a pointer to one of the module's
// classes, or slices and maps of these; a pointer type takes None as nil.
// A value of another type is a TypeError naming both.
func As[T any](o Object) (T, error) {
	var v T
	err := withGIL(func(h host) error {
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
	err := withGIL(func(h host) error {
		p, err := h.FromGo(v)
		r = steal(p)
		return err
	})
	return r, err
}

// Import is Python's import of the module name ("json", "os.path").
func Import(name string) (Object, error) {
	var r Object
	err := withGIL(func(h host) error {
		p, err := h.Import(name)
		r = steal(p)
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
