package pyimpl

import (
	"errors"
	"fmt"
	"testing"
	"unsafe"

	"github.com/pyspec/pyspec/py"
)

func TestClassify(t *testing.T) {
	err := fmt.Errorf("loading: %w", py.ValueError("bad value %d", 3))
	kind, msg := Classify(err)
	if kind != py.KindValueError || msg != "loading: bad value 3" {
		t.Errorf("Classify = %v, %q", kind, msg)
	}
	if kind, _ := Classify(errors.New("plain")); kind != py.KindRuntimeError {
		t.Errorf("plain error is %v", kind)
	}
	if kind, msg := Classify(PanicError("m.F", py.ValueError("x"))); kind != py.KindRuntimeError || msg != "Go panic in m.F: x" {
		t.Errorf("panic = %v %q", kind, msg)
	}
}

func TestPanicErrorKeepsMemoryError(t *testing.T) {
	err := PanicError("f", py.MemoryError("too big"))
	if k, _ := Classify(err); k != py.KindMemoryError {
		t.Fatalf("a MemoryError panic becomes a %v", k)
	}
}

func TestPinExport(t *testing.T) {
	e, _ := py.ExportSlice([]float32{1, 2, 3, 4, 5, 6}, true, 2, 3)
	flat, _ := py.ExportSlice([]int64{1, 2, 3}, false)
	owner := unsafe.Pointer(new(int))
	tok := PinExport(e, owner, 3, 1)
	tok2 := PinExport(flat, nil, 0, 0)
	if o, cls, hook := ExportOwner(tok); o != owner || cls != 3 || hook != 1 {
		t.Fatalf("ExportOwner = %v, %d, %d", o, cls, hook)
	}
	ReleaseExport(tok)
	if again := PinExport(e, nil, 0, 0); again != tok {
		t.Fatalf("a released token is not reused: %d, then %d", tok, again)
	}
	ReleaseExport(tok2)
	empty, _ := py.ExportSlice([]uint8{}, false)
	ReleaseExport(PinExport(empty, nil, 0, 0))
}

func TestAliases(t *testing.T) {
	var a Aliases
	w := unsafe.Pointer(new(byte))
	parts := []unsafe.Pointer{unsafe.Pointer(new(int)), nil}
	a.Record(w, parts)
	parts[0] = nil // recorded by copy
	if got := a.Take(w); len(got) != 2 || got[0] == nil || got[1] != nil {
		t.Fatalf("Take = %v", got)
	}
	if a.Take(w) != nil {
		t.Fatal("Take twice")
	}
}

func TestObjects(t *testing.T) {
	type T struct{ p *int }
	var o Objects[T]
	a, b := &T{}, &T{}
	pa, pb := unsafe.Pointer(new(byte)), unsafe.Pointer(new(byte))
	o.Bind(a, pa)
	if o.Lookup(a) != pa || o.Lookup(b) != nil || o.Len() != 1 {
		t.Fatal("lookup after bind")
	}
	o.Alias(b, pb)
	o.Bind(a, pb) // a second wrapper of a (a constructor returning a shared value)
	if o.Lookup(a) != pb {
		t.Fatal("the newest wrapper is not the one returned")
	}
	o.Unbind(a, pa)
	if o.Lookup(a) != pb || o.Len() != 2 {
		t.Fatal("the first wrapper of a is gone, the second still holds it")
	}
	o.Unbind(a, pb)
	o.Unbind(b, pb)
	if o.Len() != 0 {
		t.Fatal("entries left after unbinding everything")
	}
}

// BenchmarkObjectsBindUnbind is the Go side of making and dropping one
// Python wrapper of a value Go may return: pin and register, then forget
// and unpin.
func BenchmarkObjectsBindUnbind(b *testing.B) {
	type T struct{ v [4]int64 }
	var o Objects[T]
	var pins Pins
	w := unsafe.Pointer(new(byte))
	for i := 0; i < b.N; i++ {
		p := &T{}
		pin := pins.Pin(unsafe.Pointer(p))
		o.Bind(p, w)
		o.Unbind(p, w)
		pins.Unpin(pin)
	}
}

// BenchmarkPins is the same for a value Go never returns: the pin alone.
func BenchmarkPins(b *testing.B) {
	type T struct{ v [4]int64 }
	var pins Pins
	for i := 0; i < b.N; i++ {
		pins.Unpin(pins.Pin(unsafe.Pointer(&T{})))
	}
}

func TestPins(t *testing.T) {
	var pins Pins
	a, b := pins.Pin(unsafe.Pointer(new(int))), pins.Pin(unsafe.Pointer(new(int)))
	if a == b || pins.Len() != 2 {
		t.Fatalf("pins %d %d, len %d", a, b, pins.Len())
	}
	pins.Unpin(a)
	if c := pins.Pin(unsafe.Pointer(new(int))); c != a {
		t.Fatalf("a freed pin is not reused: %d, then %d", a, c)
	}
	pins.Unpin(a)
	pins.Unpin(b)
	if pins.Len() != 0 {
		t.Fatalf("len %d after unpinning all", pins.Len())
	}
}
