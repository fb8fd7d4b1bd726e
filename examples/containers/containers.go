// Package containers implements examples/containers/module.yaml.
package containers

import (
	"fmt"
	"iter"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pyspec/pyspec/py"
)

// IntList is a list of int64.
type IntList struct {
	items []int64
	Name  *string
}

func NewIntList(items []int64) (*IntList, error) { return &IntList{items: items}, nil }

func (l *IntList) Append(x int64) { l.items = append(l.items, x) }

func (l *IntList) Pop() (int64, error) {
	if len(l.items) == 0 {
		return 0, EmptyError.New("pop from an empty IntList")
	}
	x := l.items[len(l.items)-1]
	l.items = l.items[:len(l.items)-1]
	return x, nil
}

func (l *IntList) Total() int64 {
	var t int64
	for _, x := range l.items {
		t += x
	}
	return t
}

func (l *IntList) Len() int64 { return int64(len(l.items)) }

// index resolves a Python index (negative counts from the end).
func (l *IntList) index(i int64) (int, error) {
	n := int64(len(l.items))
	if i < 0 {
		i += n
	}
	if i < 0 || i >= n {
		return 0, py.IndexError("IntList index out of range")
	}
	return int(i), nil
}

func (l *IntList) Getitem(i int64) (int64, error) {
	j, err := l.index(i)
	if err != nil {
		return 0, err
	}
	return l.items[j], nil
}

func (l *IntList) Setitem(i, x int64) error {
	j, err := l.index(i)
	if err != nil {
		return err
	}
	l.items[j] = x
	return nil
}

func (l *IntList) Delitem(i int64) error {
	j, err := l.index(i)
	if err != nil {
		return err
	}
	l.items = slices.Delete(l.items, j, j+1)
	return nil
}

func (l *IntList) Contains(x int64) bool { return slices.Contains(l.items, x) }

func (l *IntList) Iter() *IntListIter { return &IntListIter{items: slices.Clone(l.items)} }

// Values ranges over a snapshot: the sequence runs in a goroutine of its
// own, and Python may change the list meanwhile.
func (l *IntList) Values() iter.Seq[int64] { return slices.Values(slices.Clone(l.items)) }

func (l *IntList) Repr() string {
	parts := make([]string, len(l.items))
	for i, x := range l.items {
		parts[i] = fmt.Sprint(x)
	}
	return "IntList([" + strings.Join(parts, ", ") + "])"
}

func (l *IntList) Eq(o *IntList) bool { return slices.Equal(l.items, o.items) }

func (l *IntList) Call(x, start int64) int64 {
	var n int64
	for i, y := range l.items {
		if int64(i) >= start && y == x {
			n++
		}
	}
	return n
}

// IntListIter walks a snapshot of an IntList.
type IntListIter struct {
	items []int64
	pos   int
}

func (it *IntListIter) Iter() *IntListIter { return it }

func (it *IntListIter) Next() (int64, error) {
	if it.pos >= len(it.items) {
		return 0, py.StopIteration()
	}
	it.pos++
	return it.items[it.pos-1], nil
}

// Registry is a str -> int64 map.
type Registry struct {
	m map[string]int64
}

func NewRegistry() *Registry { return &Registry{m: map[string]int64{}} }

func (r *Registry) Len() int64 { return int64(len(r.m)) }

func (r *Registry) Getitem(key string) (int64, error) {
	v, ok := r.m[key]
	if !ok {
		return 0, py.KeyError("%s", key)
	}
	return v, nil
}

func (r *Registry) Setitem(key string, value int64) { r.m[key] = value }

func (r *Registry) Contains(key string) bool { _, ok := r.m[key]; return ok }

func (r *Registry) Keys() []string {
	keys := make([]string, 0, len(r.m))
	for k := range r.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Iter yields the keys in order.
func (r *Registry) Iter() iter.Seq[string] { return slices.Values(r.Keys()) }

// Items yields the pairs in key order, from a snapshot of the keys.
func (r *Registry) Items() iter.Seq2[string, int64] {
	keys := r.Keys()
	vals := make([]int64, len(keys))
	for i, k := range keys {
		vals[i] = r.m[k]
	}
	return func(yield func(string, int64) bool) {
		for i, k := range keys {
			if !yield(k, vals[i]) {
				return
			}
		}
	}
}

// Count is Python's range as a Go sequence; the checks run at the call,
// before any item is asked for.
func Count(stop, start, step int64) (iter.Seq[int64], error) {
	if step == 0 {
		return nil, py.ValueError("count(): step must not be zero")
	}
	return func(yield func(int64) bool) {
		for i := start; step > 0 && i < stop || step < 0 && i > stop; i += step {
			if !yield(i) {
				return
			}
			if step > 0 && i > math.MaxInt64-step || step < 0 && i < math.MinInt64-step {
				return // the next i would overflow: it is past stop
			}
		}
	}, nil
}

func Words(text string) iter.Seq[string] { return strings.FieldsSeq(text) }

func NumberedLines(text string) iter.Seq2[int64, string] {
	return func(yield func(int64, string) bool) {
		n := int64(0)
		for line := range strings.Lines(text) {
			n++
			if !yield(n, strings.TrimSuffix(line, "\n")) {
				return
			}
		}
	}
}

// ParseInts stops at the first bad text: the error is raised in Python
// after the items before it.
func ParseInts(texts []string) iter.Seq2[int64, error] {
	return func(yield func(int64, error) bool) {
		for i, t := range texts {
			n, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64)
			if err != nil {
				yield(0, py.ValueError("item %d: %q is not an int64", i, t))
				return
			}
			if !yield(n, nil) {
				return
			}
		}
	}
}
