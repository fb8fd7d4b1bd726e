// Package safety is the Go side of the lifetime regression tests.
package safety

import (
	"context"
	"sort"
	"strconv"
	"time"

	"github.com/pyspec/pyspec/py"
)

// Item is what a Holder keeps.
type Item struct{ Label string }

// NewItem makes an Item.
func NewItem(label string) (*Item, error) { return &Item{Label: label}, nil }

// Greet is text, then the label.
func (i *Item) Greet(text string) string { return text + " " + i.Label }

// Holder keeps a Go pointer to an Item, beyond its wrapper's life.
type Holder struct{ item *Item }

// NewHolder makes an empty Holder.
func NewHolder() (*Holder, error) { return &Holder{}, nil }

// Put keeps item.
func (h *Holder) Put(item *Item) { h.item = item }

// Get returns the kept item.
func (h *Holder) Get() *Item { return h.item }

// Root is embedded by value in Base.
type Root struct {
	Name  string
	Level int64
}

// LevelInGo reads the level in Go.
func (r *Root) LevelInGo() int64 { return r.Level }

// RootName is the root's name.
func (r *Root) RootName() string { return "root " + r.Name }

// Base is embedded by pointer in Derived.
type Base struct {
	Root
	Tag string
}

// NewBase makes a Base.
func NewBase(tag string) (*Base, error) { return &Base{Root: Root{Name: tag}, Tag: tag}, nil }

// Describe names the base.
func (b *Base) Describe() string { return "base " + b.Tag }

// Derived embeds *Base.
type Derived struct{ *Base }

// NewDerived makes a Derived with its own Base.
func NewDerived() (*Derived, error) {
	return &Derived{Base: &Base{Root: Root{Name: "original"}, Tag: "original"}}, nil
}

var oldBase *Base

// SwapBase replaces the embedded pointer, keeping the old Base.
func (d *Derived) SwapBase() {
	oldBase = d.Base
	d.Base = &Base{Tag: "swapped"}
}

// OldBase is the Base of the last swap.
func OldBase() *Base { return oldBase }

// Leaf embeds Derived by value: its Base may be nil.
type Leaf struct{ Derived }

// NewLeaf makes a Leaf, with a Base or without one.
func NewLeaf(withBase bool) (*Leaf, error) {
	l := &Leaf{}
	if withBase {
		l.Base = &Base{Tag: "leaf"}
	}
	return l, nil
}

// Exporter exports its values read-only, or misbehaves as mode says.
type Exporter struct {
	Ident int64
	mode  string
	data  []int64
	live  int64
}

var (
	nextIdent int64
	released  []int64
)

// NewExporter makes an Exporter of n values.
func NewExporter(n int64, mode string) (*Exporter, error) {
	if n < 0 {
		return nil, py.ValueError("n must be >= 0, not %d", n)
	}
	nextIdent++
	return &Exporter{Ident: nextIdent, mode: mode, data: make([]int64, n)}, nil
}

// Buffer describes the export.
func (e *Exporter) Buffer(flags py.Flags) (py.Export, error) {
	switch e.mode {
	case "overflow":
		// The shape's product wraps around to 0 in 64 bits.
		return py.ExportSlice([]int64{}, true, 1<<33, 1<<31)
	case "refuse":
		return py.Export{}, ExportRefused.New("refused by mode %q", e.mode)
	case "buffererror":
		return py.Export{}, py.BufferError("no buffer today")
	}
	e.live++
	if e.mode == "grid" {
		return py.ExportSlice(e.data, true, 2, len(e.data)/2)
	}
	return py.ExportSlice(e.data, true)
}

// ReleaseBuffer runs once per released view.
func (e *Exporter) ReleaseBuffer() {
	e.live--
	released = append(released, e.Ident)
	if e.mode == "panic_release" {
		panic("the release hook panics")
	}
}

// Live is the number of views not released.
func (e *Exporter) Live() int64 { return e.live }

// ReleasedIds lists the exporters whose release hook ran.
func ReleasedIds() []int64 { return append([]int64{}, released...) }

// TakeWritable accepts a writable buffer.
func TakeWritable(buf py.Buffer) {}

// TakeFortran accepts a Fortran-contiguous buffer.
func TakeFortran(buf py.Buffer) {}

// BufferThenInt returns n.
func BufferThenInt(buf py.Buffer, n int64) int64 { return n }

// F32 returns x.
func F32(x float32) float32 { return x }

// InnerLabelOf is inner.label_of.
func InnerLabelOf(item *Item) string { return item.Label }

// LockedExporter exports n values; its spec says lock: true.
type LockedExporter struct {
	data []int64
	live int64
}

// NewLockedExporter makes a LockedExporter of n values.
func NewLockedExporter(n int64) (*LockedExporter, error) {
	if n < 0 || n > 1<<20 {
		return nil, py.ValueError("n must be in [0, 2**20], not %d", n)
	}
	return &LockedExporter{data: make([]int64, n)}, nil
}

// Buffer exports the values read-only.
func (e *LockedExporter) Buffer(flags py.Flags) (py.Export, error) {
	e.live++
	return py.ExportSlice(e.data, true)
}

// ReleaseBuffer runs once per released view.
func (e *LockedExporter) ReleaseBuffer() { e.live-- }

// Hold sleeps ms milliseconds (its caller holds the object's lock).
func (e *LockedExporter) Hold(ms int64) { time.Sleep(time.Duration(ms) * time.Millisecond) }

// Live is the number of views not released.
func (e *LockedExporter) Live() int64 { return e.live }

// FixedLocked exports n values 0..n-1; its spec says lock: true and
// buffer: {fixed: true} (data never changes once made).
type FixedLocked struct {
	data    []int64
	exports int64
}

// NewFixedLocked makes a FixedLocked of n values.
func NewFixedLocked(n int64) (*FixedLocked, error) {
	if n < 0 || n > 1<<20 {
		return nil, py.ValueError("n must be in [0, 2**20], not %d", n)
	}
	e := &FixedLocked{data: make([]int64, n)}
	for i := range e.data {
		e.data[i] = int64(i)
	}
	return e, nil
}

// Buffer exports the values read-only, and counts its calls.
func (e *FixedLocked) Buffer(flags py.Flags) (py.Export, error) {
	e.exports++
	return py.ExportSlice(e.data, true)
}

// Hold sleeps ms milliseconds (its caller holds the object's lock).
func (e *FixedLocked) Hold(ms int64) { time.Sleep(time.Duration(ms) * time.Millisecond) }

// Exports is how many times Buffer ran.
func (e *FixedLocked) Exports() int64 { return e.exports }

// MarshalBinary is the number of values (they are 0..n-1).
func (e *FixedLocked) MarshalBinary() ([]byte, error) {
	return []byte(strconv.Itoa(len(e.data))), nil
}

// UnmarshalBinary makes the values again.
func (e *FixedLocked) UnmarshalBinary(b []byte) error {
	n, err := strconv.Atoi(string(b))
	if err != nil {
		return err
	}
	made, err := NewFixedLocked(int64(n))
	if err != nil {
		return err
	}
	*e = *made
	return nil
}

// FixedChild is a FixedLocked below it in the spec.
type FixedChild struct{ FixedLocked }

// NewFixedChild makes a FixedChild of n values.
func NewFixedChild(n int64) (*FixedChild, error) {
	e, err := NewFixedLocked(n)
	if err != nil {
		return nil, err
	}
	return &FixedChild{*e}, nil
}

// WaitForInterrupt blocks until ctx is cancelled or ms pass.
func WaitForInterrupt(ctx context.Context, ms int64) string {
	select {
	case <-ctx.Done():
		return "cancelled"
	case <-time.After(time.Duration(ms) * time.Millisecond):
		return "timeout"
	}
}

// KwargNames is h, then the sorted keys of kw.
func KwargNames(h string, kw map[string]int64) []string {
	names := []string{h}
	for k := range kw {
		names = append(names, k)
	}
	sort.Strings(names[1:])
	return names
}

// Bag keeps attributes in a map.
type Bag struct{ m map[string]int64 }

// NewBag makes an empty Bag.
func NewBag() (*Bag, error) { return &Bag{m: map[string]int64{}}, nil }

// Setattr sets one.
func (b *Bag) Setattr(name string, value int64) { b.m[name] = value }

// Getattr gets one, or raises AttributeError.
func (b *Bag) Getattr(name string) (int64, error) {
	v, ok := b.m[name]
	if !ok {
		return 0, py.AttributeError("no attribute %q", name)
	}
	return v, nil
}

// RaiseKind returns the error of the kind whose Python class is name.
func RaiseKind(name string) error {
	for k := py.ExcKind(0); k < 64; k++ {
		if k.String() == name {
			return py.ErrorOf(k, "raised as %s", name)
		}
	}
	return py.ValueError("no kind %q", name)
}
