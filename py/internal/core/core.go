// Package core is what package py and package pyimpl (the glue's side of
// it) both build on, and module authors never see: the layout of an
// acquired buffer, the interpreter that Objects reach Python through, and
// the reference an Object holds. It is internal so that neither package has
// to export these mechanics.
package core

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// CView describes an acquired buffer. The generated glue fills it in C (its
// layout is pyspec.h's pyspec_desc) and py.Buffer reads it in place, so
// making a view costs nothing per call.
type CView struct {
	Data       unsafe.Pointer
	Len        int
	ItemSize   int
	Shape      *int // NDim entries
	Strides    *int // NDim entries
	Suboffsets *int // nil, or NDim entries
	Format     *byte
	NDim       int32
	Readonly   int32
	Contiguous int32 // 1: C order, 2: Fortran order, 3: both, 0: neither
	_          int32
}

// Host is how py.Object reaches the Python interpreter: the glue of each
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

// SetHost installs the interpreter (nil: none).
func SetHost(h Host) {
	if h == nil {
		host.Store(nil)
		return
	}
	host.Store(&h)
}

// GetHost is the interpreter, or the error saying there is none.
func GetHost() (Host, error) {
	h := host.Load()
	if h == nil {
		return nil, errors.New("pyspec: no Python interpreter (py.Object is used outside a pyspec module)")
	}
	return *h, nil
}

// WithGIL runs f holding the GIL.
func WithGIL(f func(h Host) error) error {
	h, err := GetHost()
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

// Ref is the reference to a Python object that a py.Object holds: owned
// (released by Close, or some time after Go's garbage collector finds the
// Ref unreachable) or borrowed for a call (released when it ends).
type Ref struct {
	p        atomic.Uintptr // the PyObject*; 0 once released
	dead     atomic.Int32   // why p is 0 (set first): DeadClosed, ...
	borrowed atomic.Bool    // lent for a call: its Scope releases it
	cleanup  runtime.Cleanup
}

// Why a Ref no longer holds its reference.
const (
	DeadClosed  = 1 + iota // Close
	DeadExpired            // a borrowed Object whose call returned
	DeadHanded             // returned to Python, which took the reference
)

// DeadMessage is the text of the RuntimeError an Object whose Ref died for
// the reason why gives.
func DeadMessage(why int32) string {
	switch why {
	case DeadExpired:
		return "py.Object used after the call that lent it returned: an argument is borrowed for the call; Go code that keeps it must keep o.Retain() (py.RetainFunc(f) for a callable)"
	case DeadHanded:
		return "py.Object used after Go returned it to Python, which took its reference: return o.Retain() to keep one in Go"
	}
	return "py.Object is closed (used after Close, or closed twice)"
}

// live counts the references Refs hold.
var live atomic.Int64

// Live is the number of references Refs hold.
func Live() int64 { return live.Load() }

// Owned wraps p (not 0), a reference the caller owns, in an owned Ref.
func Owned(p uintptr) *Ref {
	live.Add(1)
	r := &Ref{}
	r.p.Store(p)
	r.cleanup = runtime.AddCleanup(r, dropLater, p)
	return r
}

// Borrowed wraps p (not 0), a reference the caller took for a call, in a
// borrowed Ref, which the call's end releases.
func Borrowed(p uintptr) *Ref {
	live.Add(1)
	r := &Ref{}
	r.p.Store(p)
	r.borrowed.Store(true)
	return r
}

// Dead is a Ref that holds nothing, and fails as one that died for why.
func Dead(why int32) *Ref {
	r := &Ref{}
	r.dead.Store(why)
	return r
}

func dropLater(p uintptr) {
	if h, err := GetHost(); err == nil {
		h.DecrefLater(p)
	}
	live.Add(-1) // after: once Live says 0, every drop is queued
}

// Ptr is r's PyObject*, 0 once released.
func (r *Ref) Ptr() uintptr { return r.p.Load() }

// Why is why r no longer holds its reference (0 while it does).
func (r *Ref) Why() int32 { return r.dead.Load() }

// Borrowed reports whether r is lent for a call.
func (r *Ref) Borrowed() bool { return r.borrowed.Load() }

// Own makes a borrowed r owned, released after Go's garbage collector
// finds it unreachable rather than when its call ends. The GIL is held.
func (r *Ref) Own() {
	if p := r.p.Load(); p != 0 {
		r.borrowed.Store(false)
		r.cleanup = runtime.AddCleanup(r, dropLater, p)
	}
}

// Release gives up r's reference for the reason why: the PyObject* it
// held, or 0 when it was already given up.
func (r *Ref) Release(why int32) uintptr {
	if !r.dead.CompareAndSwap(0, why) {
		return 0
	}
	p := r.p.Swap(0)
	if !r.borrowed.Load() {
		r.cleanup.Stop()
	}
	live.Add(-1)
	return p
}

// The borrowed Refs behind the callables of calls in progress, by the func
// value's closure: a Scope lends them, py.RetainFunc takes one to keep.
var (
	funcsMu sync.Mutex
	funcs   = map[unsafe.Pointer]*Ref{}
)

// FuncKey is the closure pointer of the func value in f.
func FuncKey(f any) unsafe.Pointer {
	return (*[2]unsafe.Pointer)(unsafe.Pointer(&f))[1]
}

// Lend records r as the callable behind the func value of key k.
func Lend(k unsafe.Pointer, r *Ref) {
	funcsMu.Lock()
	funcs[k] = r
	funcsMu.Unlock()
}

// Unlend forgets the callables of keys ks.
func Unlend(ks []unsafe.Pointer) {
	funcsMu.Lock()
	for _, k := range ks {
		delete(funcs, k)
	}
	funcsMu.Unlock()
}

// TakeLent returns and forgets the callable of key k, nil if none.
func TakeLent(k unsafe.Pointer) *Ref {
	funcsMu.Lock()
	r := funcs[k]
	delete(funcs, k)
	funcsMu.Unlock()
	return r
}

// Lent is the number of callables lent; for tests.
func Lent() int {
	funcsMu.Lock()
	defer funcsMu.Unlock()
	return len(funcs)
}
