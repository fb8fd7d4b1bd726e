// Package ownership is the Go side of the ownership regression tests: Go
// code that keeps, returns and closes Python objects, on purpose both
// right (Retain) and wrong (keeping a borrowed Object).
package ownership

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/pyspec/pyspec/py"
)

var (
	mu     sync.Mutex
	kept   py.Object
	closed chan error
	values []py.Object
	fn     func(int64) (int64, error)
)

func Keep(o py.Object) {
	mu.Lock()
	defer mu.Unlock()
	kept = o.Retain() // Go keeps it beyond the call: Retain
}

func KeepBorrowed(o py.Object) {
	mu.Lock()
	defer mu.Unlock()
	kept = o // wrong: o is only lent for the call
}

func current() py.Object {
	mu.Lock()
	defer mu.Unlock()
	return kept
}

func KeptItem(key py.Object) (py.Object, error) { return current().Item(key) }

func KeptLen() (int64, error) {
	n, err := current().Len()
	return int64(n), err
}

// Kept hands Python a reference of its own: returning kept itself would
// move Go's reference to Python.
func Kept() py.Object { return current().Retain() }

func CloseKept() error { return current().Close() }

func CloseKeptInGoroutine() {
	o := current()
	ch := make(chan error, 1)
	mu.Lock()
	closed = ch
	mu.Unlock()
	go func() { ch <- o.Close() }()
}

func WaitClosed() error {
	mu.Lock()
	ch := closed
	mu.Unlock()
	if ch == nil {
		return py.RuntimeError("nothing is being closed")
	}
	return <-ch
}

func CloseTwice(o py.Object) error {
	r := o.Retain()
	if err := r.Close(); err != nil {
		return fmt.Errorf("the first Close failed: %w", err)
	}
	return r.Close()
}

func UseAfterClose(o py.Object) (int64, error) {
	r := o.Retain()
	r.Close()
	n, err := r.Len()
	return int64(n), err
}

func Ignore(o py.Object) int64 { return 0 }

func Same(o py.Object) py.Object { return o }

func GetAttr(o py.Object, name string) (py.Object, error) { return o.Attr(name) }

func GetAttrs(o py.Object, names []string) ([]py.Object, error) {
	out := make([]py.Object, len(names))
	for i, n := range names {
		a, err := o.Attr(n)
		if err != nil {
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

func KeepList(xs []py.Object) {
	mu.Lock()
	defer mu.Unlock()
	values = xs // wrong: the items are only lent for the call
}

func KeepDict(d map[string]py.Object) {
	mu.Lock()
	defer mu.Unlock()
	values = values[:0]
	for _, v := range d {
		values = append(values, v.Retain())
	}
}

func KeepArgs(kwargs map[string]py.Object, args ...py.Object) {
	mu.Lock()
	defer mu.Unlock()
	values = append(args, values[:0]...)
	for _, v := range kwargs {
		values = append(values, v)
	}
}

func KeptValues() ([]int64, error) {
	mu.Lock()
	defer mu.Unlock()
	out := make([]int64, len(values))
	for i, v := range values {
		n, err := v.Len()
		if err != nil {
			return nil, err
		}
		out[i] = int64(n)
	}
	return out, nil
}

func KeepCallable(f func(int64) (int64, error), retain bool) {
	if retain {
		f = py.RetainFunc(f)
	}
	mu.Lock()
	defer mu.Unlock()
	fn = f
}

func CallKept(x int64) (int64, error) {
	mu.Lock()
	f := fn
	mu.Unlock()
	return f(x)
}

func LiveObjects() int64 { return py.LiveObjects() }

type node struct {
	Name string
	Next *node
}

func Cyclic(kind string) (py.Object, error) {
	switch kind {
	case "map":
		m := map[string]any{"a": 1}
		m["self"] = m
		return py.ValueOf(m)
	case "slice":
		s := []any{1, nil}
		s[1] = s
		return py.ValueOf(s)
	case "pointer":
		var x any
		x = &x
		return py.ValueOf(x)
	case "struct":
		n := &node{Name: "n"}
		n.Next = n
		return py.ValueOf(map[string]any{"n": []any{n}})
	case "deep":
		// Not a cycle: the same map twice is fine.
		m := map[string]int{"x": 1}
		return py.ValueOf([]any{m, m, []any{m}})
	}
	return py.Object{}, py.ValueError("no kind %q", kind)
}

func Rotate(z complex128) complex128 { return z * 1i }

func ModeValue(m Mode) int64 { return int64(m) }

func ReprInGoroutines(o py.Object, n int64) int64 {
	var wg sync.WaitGroup
	var ok sync.Map
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s := o.Repr(); !strings.HasPrefix(s, "<") || strings.HasPrefix(s, "<R") {
				ok.Store(i, true)
			}
		}()
	}
	wg.Wait()
	var count int64
	ok.Range(func(any, any) bool { count++; return true })
	return count
}

func SetMaxThreads(n int64) int64 { return int64(debug.SetMaxThreads(int(n))) }

var reprCh chan string

func ReprLater(o py.Object) {
	r := o.Retain()
	ch := make(chan string, 1)
	mu.Lock()
	reprCh = ch
	mu.Unlock()
	go func() {
		defer r.Close()
		ch <- r.Repr()
	}()
}

func ReprDone() string {
	mu.Lock()
	ch := reprCh
	mu.Unlock()
	return <-ch
}

func Length(b []byte) int64 {
	runtime.KeepAlive(b)
	return int64(len(b))
}

func Total(xs any) int64 {
	var t int64
	if s, ok := xs.([]int64); ok {
		for _, x := range s {
			t += x
		}
	}
	return t
}

// MakeTags allocates n strings: a size from the user, so it checks first
// that the memory can be had (a Go allocation that cannot is fatal).
func MakeTags(n int64) ([]string, error) {
	if err := py.CheckAlloc(n, 16); err != nil {
		return nil, err
	}
	out := make([]string, n)
	for i := range out {
		out[i] = "tag"
	}
	return out, nil
}
