// Package pyobjects implements the pyobjects example: Go code that holds,
// inspects and calls Python objects, takes unions, and calls back into
// Python from any goroutine.
package pyobjects

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pyspec/pyspec/py"
)

func Describe(x py.Object) string { return x.TypeName() + ": " + x.Repr() }

func Attr(o py.Object, name string, def py.Object) (py.Object, error) {
	has, err := o.HasAttr(name)
	if err != nil {
		return py.Object{}, err
	}
	if !has {
		return def, nil
	}
	return o.Attr(name)
}

func AsNumber(o py.Object) (float64, error) { return py.As[float64](o) }

func GoValues() (py.Object, error) {
	return py.ValueOf(map[string]any{
		"int":      42,
		"float":    2.5,
		"str":      "héllo",
		"bytes":    []byte("raw"),
		"list":     []int{1, 2, 3},
		"nested":   map[string][]string{"a": {"x", "y"}},
		"none":     nil,
		"bool":     true,
		"complex":  complex(1, -2),
		"set":      map[string]struct{}{"only": {}},
		"duration": 1500 * time.Millisecond,
		"when":     time.Date(2024, 2, 29, 23, 59, 0, 0, time.UTC),
		"money":    &Money{Cents: 250},
	})
}

var (
	keptMu sync.Mutex
	kept   py.Object
)

// Keep stores o beyond the call. An argument is only borrowed for the
// call (released when it returns), so Go keeps a reference of its own:
// o.Retain(). Drop closes it.
//
// The previous one is closed after the lock is let go: closing may run
// Python code (its __del__), which may call Keep, Kept or Drop again.
func Keep(o py.Object) {
	keptMu.Lock()
	old := kept
	kept = o.Retain()
	keptMu.Unlock()
	old.Close()
}

// Kept returns what Keep kept while Go keeps it too: a returned Object is
// handed to Python (Go's reference becomes the result's), so Go returns a
// new reference, kept.Retain(), and keeps its own.
func Kept() py.Object {
	keptMu.Lock()
	defer keptMu.Unlock()
	return kept.Retain()
}

// Drop closes what Keep kept, outside the lock (see Keep).
func Drop() {
	keptMu.Lock()
	old := kept
	kept = py.Object{}
	keptMu.Unlock()
	old.Close()
}

func Poke(m py.Object, key string, value py.Object) (py.Object, int64, bool, error) {
	if err := m.SetItem(key, value); err != nil {
		return py.Object{}, 0, false, err
	}
	if _, err := m.Item("gone"); err == nil {
		if err := m.DelItem("gone"); err != nil {
			return py.Object{}, 0, false, err
		}
	}
	got, err := m.Item(key)
	if err != nil {
		return py.Object{}, 0, false, err
	}
	n, err := m.Len()
	if err != nil {
		return py.Object{}, 0, false, err
	}
	t, err := m.Truth()
	return got, int64(n), t, err
}

func CallKw(f py.Object, x int64) (py.Object, error) {
	return f.CallKw([]any{x}, map[string]any{"scale": 2})
}

// GoObjects collects Go's garbage until the count of live Objects settles:
// what the leak tests compare.
func GoObjects() int64 {
	prev := int64(-1)
	for range 100 {
		runtime.GC()
		n := py.LiveObjects()
		if n == prev {
			return n
		}
		prev = n
		time.Sleep(time.Millisecond)
	}
	return prev
}

// ReprInGoroutines runs without the GIL; each goroutine's Repr takes it.
func ReprInGoroutines(o py.Object, n int64) []string {
	out := make([]string, n)
	var wg sync.WaitGroup
	for i := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = o.Repr()
		}()
	}
	wg.Wait()
	return out
}

func Loads(text string) (py.Object, error) {
	json, err := py.Import("json")
	if err != nil {
		return py.Object{}, err
	}
	return json.CallMethod("loads", text)
}

// Double's x is an int64, a float64 or a string: the union's alternative
// the Python value matched.
func Double(x any) any {
	switch v := x.(type) {
	case int64:
		return v * 2
	case float64:
		return v * 2
	case string:
		return v + v
	}
	panic(fmt.Sprintf("unexpected %T", x))
}

func MaybeLength(x any) *int64 {
	var n int64
	switch v := x.(type) {
	case nil:
		return nil
	case string:
		n = int64(len(v))
	case []int64:
		n = int64(len(v))
	}
	return &n
}

func Apply(f func(int64) (int64, error), xs []int64) ([]int64, error) {
	out := make([]int64, len(xs))
	for i, x := range xs {
		y, err := f(x)
		if err != nil {
			return nil, err // the Python exception, raised again as it was
		}
		out[i] = y
	}
	return out, nil
}

func CallEach(f func(string) error, words []string, n int64) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(words))
	sem := make(chan struct{}, max(n, 1))
	for _, w := range words {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := f(w); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs // nil when there were none
}

func CallAny(f func(args ...any) (py.Object, error), a, b py.Object) (py.Object, error) {
	return f(a, b)
}

func FirstOk(fs []func() (string, error)) (string, error) {
	var last error = py.ValueError("no functions")
	for _, f := range fs {
		s, err := f()
		if err == nil {
			return s, nil
		}
		last = fmt.Errorf("first_ok: every function failed: %w", err)
	}
	return "", last
}

var (
	subMu      sync.Mutex
	subscriber func(string) (bool, error)
)

// Subscribe stores f beyond the call: a callable argument is borrowed for
// the call, like an Object, so Go keeps it with py.RetainFunc.
func Subscribe(f func(string) (bool, error)) {
	subMu.Lock()
	defer subMu.Unlock()
	subscriber = py.RetainFunc(f)
}

func Publish(msg string) (bool, error) {
	subMu.Lock()
	f := subscriber
	subMu.Unlock()
	if f == nil {
		return false, py.RuntimeError("no subscriber")
	}
	type result struct {
		ok  bool
		err error
	}
	done := make(chan result)
	go func() {
		ok, err := f(msg)
		done <- result{ok, err}
	}()
	r := <-done
	return r.ok, r.err
}

// Money is an amount in cents.
type Money struct{ Cents int64 }

func NewMoney(cents int64) *Money { return &Money{cents} }

func (m *Money) Add(other any) (*Money, error) {
	switch v := other.(type) {
	case int64:
		return &Money{m.Cents + v*100}, nil
	case float64:
		return &Money{m.Cents + int64(v*100+0.5)}, nil
	case *Money:
		return &Money{m.Cents + v.Cents}, nil
	}
	return nil, py.TypeError("cannot add %T", other)
}

func (m *Money) Radd(other any) (*Money, error) { return m.Add(other) }

func (m *Money) Eq(other *Money) bool { return m.Cents == other.Cents }
func (m *Money) Hash() int64          { return m.Cents }
func (m *Money) Repr() string         { return fmt.Sprintf("Money(%d)", m.Cents) }

func (m *Money) Split(n int64, cents bool) (any, error) {
	if n <= 0 {
		return nil, py.ValueError("n must be positive, not %d", n)
	}
	parts := make([]int64, n)
	for i := range parts {
		parts[i] = m.Cents / n
		if int64(i) < m.Cents%n {
			parts[i]++
		}
	}
	if cents {
		return parts, nil
	}
	out := make([]*Money, n)
	for i, p := range parts {
		out[i] = &Money{p}
	}
	return out, nil
}

func Concat(sep string, parts ...string) string { return strings.Join(parts, sep) }

func Tally(counts map[string]int64) (int64, []string) {
	var total int64
	names := make([]string, 0, len(counts))
	for k, v := range counts {
		total += v
		names = append(names, k)
	}
	sort.Strings(names)
	return total, names
}

func CallShape(first int64, options map[string]py.Object, rest ...py.Object) string {
	keys := make([]string, 0, len(options))
	for k := range options {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return fmt.Sprintf("first=%d rest=%d keywords=%v", first, len(rest), keys)
}

// Record holds fields by name, which Python reaches as attributes.
type Record struct {
	Closed bool
	fields map[string]py.Object
}

func NewRecord() *Record { return &Record{fields: map[string]py.Object{}} }

func (r *Record) Getattr(name string) (py.Object, error) {
	v, ok := r.fields[name]
	if !ok {
		return py.Object{}, py.AttributeError("'Record' object has no attribute '%s'", name)
	}
	// Python gets a reference of its own; the record keeps v.
	return v.Retain(), nil
}

func (r *Record) Setattr(name string, value py.Object) error {
	if r.Closed {
		return py.ValueError("the record is closed")
	}
	// value is borrowed for the call: the record keeps its own reference.
	r.fields[name].Close() // the field's previous value, if any
	r.fields[name] = value.Retain()
	return nil
}

func (r *Record) Delattr(name string) error {
	v, ok := r.fields[name]
	if !ok {
		return py.AttributeError("'Record' object has no attribute '%s'", name)
	}
	v.Close()
	delete(r.fields, name)
	return nil
}

func (r *Record) Enter() *Record { return r }

// Exit closes the record, dropping Go's references to its fields at once,
// whether or not the block raised; false lets an exception through.
func (r *Record) Exit(excType, exc, tb py.Object) bool {
	for k, v := range r.fields {
		v.Close()
		delete(r.fields, k)
	}
	r.Closed = true
	return false
}

func (r *Record) Fields() []string {
	names := make([]string, 0, len(r.fields))
	for k := range r.fields {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
