package pyimpl

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/pyspec/pyspec/py"
	"github.com/pyspec/pyspec/py/internal/core"
)

// fakeHost counts references per "object" (any non-zero uintptr); a
// count below zero is what would be a use after free in Python.
type fakeHost struct {
	mu   sync.Mutex
	refs map[uintptr]int
	neg  bool
	// during runs inside Len, as Python code run by the method would.
	during func()
}

func newFakeHost() *fakeHost { return &fakeHost{refs: map[uintptr]int{}} }

func (h *fakeHost) add(p uintptr, d int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.refs[p] += d
	if h.refs[p] < 0 {
		h.neg = true
	}
}

func (h *fakeHost) count(p uintptr) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.refs[p]
}

func (h *fakeHost) Enter() (func(), error) { return func() {}, nil }
func (h *fakeHost) Incref(p uintptr)       { h.add(p, 1) }
func (h *fakeHost) Decref(p uintptr)       { h.add(p, -1) }
func (h *fakeHost) DecrefLater(p uintptr)  { h.add(p, -1) }
func (h *fakeHost) None() uintptr          { return 1 }
func (h *fakeHost) Text(p uintptr, how TextKind) (string, error) {
	return "obj", nil
}
func (h *fakeHost) GetAttr(p uintptr, name string) (uintptr, error) { return 0, errors.New("no") }
func (h *fakeHost) SetAttr(p uintptr, name string, v uintptr) error { return nil }
func (h *fakeHost) HasAttr(p uintptr, name string) (bool, error)    { return false, nil }
func (h *fakeHost) Call(p uintptr, args []uintptr, kwargs map[string]uintptr) (uintptr, error) {
	return 0, errors.New("no")
}
func (h *fakeHost) Truth(p uintptr) (bool, error) { return true, nil }
func (h *fakeHost) Len(p uintptr) (int, error) {
	if h.count(p) <= 0 {
		return 0, errors.New("freed while in use")
	}
	if h.during != nil {
		h.during()
	}
	if h.count(p) <= 0 {
		return 0, errors.New("freed while in use")
	}
	return 3, nil
}
func (h *fakeHost) GetItem(p, key uintptr) (uintptr, error) { return 0, errors.New("no") }
func (h *fakeHost) SetItem(p, key, v uintptr) error         { return nil }
func (h *fakeHost) Import(name string) (uintptr, error)     { return 0, errors.New("no") }
func (h *fakeHost) FromGo(v any) (uintptr, error)           { return 0, errors.New("no") }
func (h *fakeHost) ToGo(p uintptr, target any) error        { return errors.New("no") }

func wantErr(t *testing.T, err error, text string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), text) {
		t.Fatalf("error %v, want one saying %q", err, text)
	}
	if k, _ := Classify(err); k != py.KindRuntimeError {
		t.Fatalf("error %v is a %v, want a RuntimeError", err, k)
	}
}

func TestObjectOwnership(t *testing.T) {
	h := newFakeHost()
	SetHost(h)
	defer SetHost(nil)
	const p = 100
	h.refs[p] = 1 // Python's own reference
	live0 := py.LiveObjects()

	// A borrowed argument: a reference for the call, released at its end.
	var s Scope
	arg := s.Borrow(p)
	if h.count(p) != 2 || py.LiveObjects() != live0+1 {
		t.Fatalf("borrow: count %d, live %d", h.count(p), py.LiveObjects()-live0)
	}
	kept := arg.Retain()
	if n, err := arg.Len(); n != 3 || err != nil {
		t.Fatalf("Len of a borrowed Object: %d, %v", n, err)
	}
	s.End()
	if h.count(p) != 2 { // Python's and kept's
		t.Fatalf("after End: count %d, want 2", h.count(p))
	}
	_, err := arg.Len()
	wantErr(t, err, "Retain")
	wantErr(t, arg.Close(), "Retain")

	// Close while a method runs (Python code it runs closes the Object):
	// the method's own reference keeps the object alive.
	h.during = func() {
		if err := kept.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
	if _, err := kept.Len(); err != nil {
		t.Fatalf("Len with a Close meanwhile: %v", err)
	}
	h.during = nil
	if h.count(p) != 1 || h.neg {
		t.Fatalf("after Close: count %d", h.count(p))
	}
	wantErr(t, kept.Close(), "closed")
	_, err = kept.Len()
	wantErr(t, err, "closed")
	_, err = kept.Retain().Len()
	wantErr(t, err, "closed")

	// A result: an owned Object handed to Python gives up its reference
	// when the call ends (the glue gave Python one of its own).
	owned := NewObject(p)
	var s2 Scope
	h.Incref(p) // what the glue hands Python
	s2.Hand(owned)
	s2.End()
	if h.count(p) != 2 {
		t.Fatalf("after hand-over: count %d, want 2", h.count(p))
	}
	_, err = owned.Len()
	wantErr(t, err, "returned it to Python")
	h.Decref(p)

	// A callable argument kept with RetainFunc outlives its call.
	var s3 Scope
	fn := s3.Borrow(p)
	g := func() bool { return Ptr(fn) != 0 }
	s3.LendFunc(g, fn)
	if py.RetainFunc(g) == nil {
		t.Fatal("RetainFunc returned nil")
	}
	s3.End()
	if !g() || h.count(p) != 2 {
		t.Fatalf("a retained callable: live %v, count %d", g(), h.count(p))
	}
	// Without RetainFunc, the call's end releases it.
	var s4 Scope
	fn2 := s4.Borrow(p)
	g2 := func() bool { return Ptr(fn2) != 0 }
	s4.LendFunc(g2, fn2)
	s4.End()
	if g2() || h.count(p) != 2 || h.neg {
		t.Fatalf("a borrowed callable after its call: live %v, count %d", g2(), h.count(p))
	}
	if n := core.Lent(); n != 0 {
		t.Fatalf("%d callables still registered", n)
	}
}
