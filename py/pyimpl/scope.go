package pyimpl

import (
	"unsafe"

	"github.com/pyspec/pyspec/py"
	"github.com/pyspec/pyspec/py/internal/core"
)

// Scope holds what one call lends Go and hands Python: the borrowed
// Objects of its arguments, released when it ends, and the owned Objects
// its results hand over. Used with the GIL held, and reused once ended.
type Scope struct {
	borrowed []*core.Ref
	handed   []*core.Ref
	funcs    []unsafe.Pointer
}

// Borrow wraps the Python object at p, an argument of the call, taking a
// reference that End releases.
func (s *Scope) Borrow(p uintptr) py.Object {
	h, err := core.GetHost()
	if err != nil || p == 0 {
		return py.Object{}
	}
	h.Incref(p)
	r := core.Borrowed(p)
	s.borrowed = append(s.borrowed, r)
	return py.Internal.Object(r)
}

// Hand records that o, a result, was handed to Python (which got a
// reference of its own): an owned o gives up its reference when the call
// ends, as if Python had taken it.
func (s *Scope) Hand(o py.Object) {
	if r := py.Internal.Ref(o); r != nil && !r.Borrowed() {
		s.handed = append(s.handed, r)
	}
}

// LendFunc records f, a callable argument made around the borrowed
// Object o, so that py.RetainFunc(f) can keep o.
func (s *Scope) LendFunc(f any, o py.Object) {
	r := py.Internal.Ref(o)
	if r == nil || !r.Borrowed() {
		return
	}
	k := core.FuncKey(f)
	core.Lend(k, r)
	s.funcs = append(s.funcs, k)
}

// End releases what the call lent and handed over. The GIL is held.
func (s *Scope) End() {
	h, err := core.GetHost()
	if len(s.funcs) > 0 {
		core.Unlend(s.funcs)
		clear(s.funcs)
		s.funcs = s.funcs[:0]
	}
	for _, r := range s.borrowed {
		if !r.Borrowed() {
			continue // retained by RetainFunc: owned now
		}
		if p := r.Release(core.DeadExpired); p != 0 && err == nil {
			h.Decref(p)
		}
	}
	for _, r := range s.handed {
		if p := r.Release(core.DeadHanded); p != 0 && err == nil {
			h.Decref(p)
		}
	}
	clear(s.borrowed)
	clear(s.handed)
	s.borrowed, s.handed = s.borrowed[:0], s.handed[:0]
}
