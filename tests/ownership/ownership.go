// Package ownership is the Go side of the ownership regression tests: Go
// code that keeps, returns and closes Python objects, on purpose both
// right (Retain) and wrong (keeping a borrowed Object).
package ownership

import (
	"fmt"
	goruntime "runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/pyspec/pyspec/runtime"
)

var (
	mu     sync.Mutex
	kept   runtime.Object
	closed chan error
	values []runtime.Object
	fn     func(int64) (int64, error)
)

func Keep(o runtime.Object) {
	mu.Lock()
	defer mu.Unlock()
	kept = o.Retain() // Go keeps it beyond the call: Retain
}

func KeepBorrowed(o runtime.Object) {
	mu.Lock()
	defer mu.Unlock()
	kept = o // wrong: o is only lent for the call
}

func current() runtime.Object {
	mu.Lock()
	defer mu.Unlock()
	return kept
}

func KeptItem(key runtime.Object) (runtime.Object, error) { return current().Item(key) }

func KeptLen() (int64, error) {
	n, err := current().Len()
	return int64(n), err
}

// Kept hands Python a reference of its own: returning kept itself would
// move Go's reference to Python.
func Kept() runtime.Object { return current().Retain() }

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
		return runtime.RuntimeError("nothing is being closed")
	}
	return <-ch
}

func CloseTwice(o runtime.Object) error {
	r := o.Retain()
	if err := r.Close(); err != nil {
		return fmt.Errorf("the first Close failed: %w", err)
	}
	return r.Close()
}

func UseAfterClose(o runtime.Object) (int64, error) {
	r := o.Retain()
	r.Close()
	n, err := r.Len()
	return int64(n), err
}

func Ignore(o runtime.Object) int64 { return 0 }

func Same(o runtime.Object) runtime.Object { return o }

func GetAttr(o runtime.Object, name string) (runtime.Object, error) { return o.Attr(name) }

func GetAttrs(o runtime.Object, names []string) ([]runtime.Object, error) {
	out := make([]runtime.Object, len(names))
	for i, n := range names {
		a, err := o.Attr(n)
		if err != nil {
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

func KeepList(xs []runtime.Object) {
	mu.Lock()
	defer mu.Unlock()
	values = xs // wrong: the items are only lent for the call
}

func KeepDict(d map[string]runtime.Object) {
	mu.Lock()
	defer mu.Unlock()
	values = values[:0]
	for _, v := range d {
		values = append(values, v.Retain())
	}
}

func KeepArgs(kwargs map[string]runtime.Object, args ...runtime.Object) {
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
		f = runtime.RetainFunc(f)
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

func LiveObjects() int64 { return runtime.LiveObjects() }

type node struct {
	Name string
	Next *node
}

func Cyclic(kind string) (runtime.Object, error) {
	switch kind {
	case "map":
		m := map[string]any{"a": 1}
		m["self"] = m
		return runtime.ValueOf(m)
	case "slice":
		s := []any{1, nil}
		s[1] = s
		return runtime.ValueOf(s)
	case "pointer":
		var x any
		x = &x
		return runtime.ValueOf(x)
	case "struct":
		n := &node{Name: "n"}
		n.Next = n
		return runtime.ValueOf(map[string]any{"n": []any{n}})
	case "deep":
		// Not a cycle: the same map twice is fine.
		m := map[string]int{"x": 1}
		return runtime.ValueOf([]any{m, m, []any{m}})
	}
	return runtime.Object{}, runtime.ValueError("no kind %q", kind)
}

func Rotate(z complex128) complex128 { return z * 1i }

func ModeValue(m Mode) int64 { return int64(m) }

func ReprInGoroutines(o runtime.Object, n int64) int64 {
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

func ReprLater(o runtime.Object) {
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
	goruntime.KeepAlive(b)
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
	if err := runtime.CheckAlloc(n, 16); err != nil {
		return nil, err
	}
	out := make([]string, n)
	for i := range out {
		out[i] = "tag"
	}
	return out, nil
}
