package runtime

import (
	goruntime "runtime"
	"unsafe"
)

// Objects maps the Go values of one type to the Python objects that wrap
// them, so that a Go function returning a value it was given returns the
// same Python object. A bound value is pinned: its wrapper keeps a plain
// pointer to it, and the garbage collector may neither move nor free it
// until the wrapper dies. For the glue; used with the GIL held.
type Objects[T any] struct {
	m map[*T]*objectEntry
}

type objectEntry struct {
	py     unsafe.Pointer
	refs   int // wrappers pointing at the value (more than one only via __init__ returning a shared value)
	pinned bool
	pinner goruntime.Pinner
}

// Bind records py as a wrapper of p and pins p.
func (o *Objects[T]) Bind(p *T, py unsafe.Pointer) { o.bind(p, py, true) }

// Alias records py as the wrapper of p, a value embedded in the value of
// another class's wrapper (a base class part), so that returning p returns
// that wrapper. The containing value is pinned already.
func (o *Objects[T]) Alias(p *T, py unsafe.Pointer) { o.bind(p, py, false) }

func (o *Objects[T]) bind(p *T, py unsafe.Pointer, pin bool) {
	if o.m == nil {
		o.m = map[*T]*objectEntry{}
	}
	if e := o.m[p]; e != nil {
		// The newest wrapper is the one a return of p gives: an older one
		// may be dying (a Python subclass's dealloc runs Python code before
		// the wrapper is unbound).
		e.refs++
		e.py = py
		if pin && !e.pinned {
			e.pinner.Pin(p)
			e.pinned = true
		}
		return
	}
	e := &objectEntry{py: py, refs: 1, pinned: pin}
	if pin {
		e.pinner.Pin(p)
	}
	o.m[p] = e
}

// Lookup returns the wrapper of p, or nil.
func (o *Objects[T]) Lookup(p *T) unsafe.Pointer {
	if e := o.m[p]; e != nil {
		return e.py
	}
	return nil
}

// Unbind forgets the wrapper py of p (bound or aliased), unpinning p when
// no wrapper is left.
func (o *Objects[T]) Unbind(p *T, py unsafe.Pointer) {
	e := o.m[p]
	if e == nil {
		return
	}
	e.refs--
	if e.refs > 0 {
		if e.py == py {
			e.py = nil // a later return of p makes a new wrapper
		}
		return
	}
	e.pinner.Unpin()
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
