package pyimpl

import (
	"runtime"
	"unsafe"
)

// Pins keeps the Go values that Python objects point to pinned: the
// garbage collector may neither move nor free a pinned value, so C may keep
// its address. A pin is an index into a slab of Pinners, reused through a
// free list, so pinning allocates nothing once warm. For the glue; used
// with the GIL held.
type Pins struct {
	pinners []runtime.Pinner
	free    []uint32
}

// Pin pins p and returns the index Unpin takes.
func (ps *Pins) Pin(p unsafe.Pointer) uint32 {
	var i uint32
	if n := len(ps.free); n > 0 {
		i, ps.free = ps.free[n-1], ps.free[:n-1]
	} else {
		ps.pinners = append(ps.pinners, runtime.Pinner{})
		i = uint32(len(ps.pinners) - 1)
	}
	ps.pinners[i].Pin(p)
	return i
}

// Unpin undoes the pin of index i.
func (ps *Pins) Unpin(i uint32) {
	ps.pinners[i].Unpin()
	ps.free = append(ps.free, i)
}

// Len is the number of values pinned.
func (ps *Pins) Len() int { return len(ps.pinners) - len(ps.free) }

// Objects maps the Go values of one type to the Python objects that wrap
// them, so that a Go function returning a value it was given returns the
// same Python object. Only classes whose values Go can return need one.
// For the glue; used with the GIL held.
type Objects[T any] struct {
	// Entries are values, not pointers: a bind allocates nothing beyond
	// the map's own growth.
	m map[*T]objectEntry
}

type objectEntry struct {
	py   unsafe.Pointer
	refs int32 // wrappers pointing at the value (more than one only via __init__ returning a shared value)
}

// Bind records py as a wrapper of p.
func (o *Objects[T]) Bind(p *T, py unsafe.Pointer) { o.bind(p, py) }

// Alias records py as the wrapper of p, a value embedded in the value of
// another class's wrapper (a base class part), so that returning p returns
// that wrapper.
func (o *Objects[T]) Alias(p *T, py unsafe.Pointer) { o.bind(p, py) }

func (o *Objects[T]) bind(p *T, py unsafe.Pointer) {
	if o.m == nil {
		o.m = map[*T]objectEntry{}
	}
	e := o.m[p]
	// The newest wrapper is the one a return of p gives: an older one may
	// be dying (a Python subclass's dealloc runs Python code before the
	// wrapper is unbound).
	e.refs++
	e.py = py
	o.m[p] = e
}

// Lookup returns the wrapper of p, or nil.
func (o *Objects[T]) Lookup(p *T) unsafe.Pointer {
	return o.m[p].py
}

// Unbind forgets the wrapper py of p (bound or aliased).
func (o *Objects[T]) Unbind(p *T, py unsafe.Pointer) {
	e, ok := o.m[p]
	if !ok {
		return
	}
	e.refs--
	if e.refs > 0 {
		if e.py == py {
			e.py = nil // a later return of p makes a new wrapper
		}
		o.m[p] = e
		return
	}
	delete(o.m, p)
}

// Len is the number of Go values with a live wrapper.
func (o *Objects[T]) Len() int { return len(o.m) }

// Aliases records, per wrapper, the base class parts it was bound to as
// aliases. For the glue, for Go types that embed a base by pointer: Go code
// may reassign the pointer while the wrapper lives, so the parts to unbind
// when it dies are the recorded ones, not the current ones.
type Aliases struct {
	m map[unsafe.Pointer][]unsafe.Pointer
}

// Record stores parts (copied) for the wrapper py.
func (a *Aliases) Record(py unsafe.Pointer, parts []unsafe.Pointer) {
	if a.m == nil {
		a.m = map[unsafe.Pointer][]unsafe.Pointer{}
	}
	a.m[py] = append([]unsafe.Pointer(nil), parts...)
}

// Take returns and forgets what was recorded for py.
func (a *Aliases) Take(py unsafe.Pointer) []unsafe.Pointer {
	parts := a.m[py]
	delete(a.m, py)
	return parts
}
