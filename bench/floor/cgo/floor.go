// Command floorgo is the Go half of the floor_go extension module: C glue in
// floor_go.c (with floor_glue.h) does all CPython work and calls these
// exported functions through exactly one cgo crossing per Python call (two
// for the pairs new/free and export/release).
//
// Objects live in Go: a Python Counter or Buf holds an index into a Go
// slice of pointers. Every call into this package is made with the GIL held
// (spin excepted, which touches no shared state), so the GIL serializes them
// and the tables need no lock.
package main

/*
#include <stdint.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

//export goNoop
func goNoop() {}

//export goAdd
func goAdd(a, b int64) int64 { return a + b }

//export goKw
func goKw(a, b, c int64) int64 { return a + b + c }

//export goStrlen
func goStrlen(p *C.char, n int64) int64 {
	s := unsafe.String((*byte)(unsafe.Pointer(p)), int(n))
	return int64(len(s))
}

//export goHalf
func goHalf(x float64) float64 { return x / 2.0 }

//export goSum
func goSum(ptr *C.int64_t, n int64) int64 {
	if n <= 0 {
		return 0
	}
	// Four accumulators; the 4-element subslice lets the compiler drop the
	// bounds checks.
	xs := unsafe.Slice((*int64)(unsafe.Pointer(ptr)), int(n))
	var s0, s1, s2, s3 int64
	i := 0
	for ; i+4 <= len(xs); i += 4 {
		q := xs[i : i+4 : i+4]
		s0 += q[0]
		s1 += q[1]
		s2 += q[2]
		s3 += q[3]
	}
	for _, v := range xs[i:] {
		s0 += v
	}
	return s0 + s1 + s2 + s3
}

// goTotal2d sums a rows x cols float64 matrix whose rows are s0 bytes apart
// and whose columns are s1 bytes apart, in row-major order.
//
//export goTotal2d
func goTotal2d(p unsafe.Pointer, rows, cols, s0, s1 int64) float64 {
	var t float64
	for i := int64(0); i < rows; i++ {
		row := unsafe.Add(p, i*s0)
		for j := int64(0); j < cols; j++ {
			t += *(*float64)(unsafe.Add(row, j*s1))
		}
	}
	return t
}

//export goSpin
func goSpin(n int64) int64 {
	x := uint64(88172645463325252)
	for i := int64(0); i < n; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return int64(x >> 1)
}

// table is a slice of Go objects addressed by index, with a free list.
type table[T any] struct {
	items []*T
	free  []int64
}

func (t *table[T]) add(v *T) int64 {
	if n := len(t.free); n > 0 {
		i := t.free[n-1]
		t.free = t.free[:n-1]
		t.items[i] = v
		return i
	}
	t.items = append(t.items, v)
	return int64(len(t.items) - 1)
}

func (t *table[T]) remove(i int64) {
	t.items[i] = nil
	t.free = append(t.free, i)
}

// Counter is the Go object behind a Python Counter.
type Counter struct{ Value int64 }

// Inc adds by to the count and returns the new count.
func (c *Counter) Inc(by int64) int64 {
	c.Value += by
	return c.Value
}

var counters table[Counter]

//export goCounterNew
func goCounterNew(start int64) int64 { return counters.add(&Counter{Value: start}) }

//export goCounterFree
func goCounterFree(i int64) { counters.remove(i) }

//export goCounterInc
func goCounterInc(i, by int64) int64 { return counters.items[i].Inc(by) }

//export goCounterGet
func goCounterGet(i int64) int64 { return counters.items[i].Value }

//export goCounterSet
func goCounterSet(i, v int64) { counters.items[i].Value = v }

// Buf is the Go object behind a Python Buf: Go memory, pinned while
// exported through the buffer protocol.
type Buf struct {
	data    []int64
	pinner  runtime.Pinner
	exports int
}

var bufs table[Buf]

//export goBufNew
func goBufNew(n int64) int64 {
	data := make([]int64, max(n, 1))[:n]
	for i := range data {
		data[i] = int64(i)
	}
	return bufs.add(&Buf{data: data})
}

//export goBufFree
func goBufFree(i int64) { bufs.remove(i) }

// goBufExport pins the data on the first of overlapping exports and
// returns its address.
//
//export goBufExport
func goBufExport(i int64) *C.int64_t {
	b := bufs.items[i]
	p := unsafe.SliceData(b.data[:1])
	if b.exports == 0 {
		b.pinner.Pin(p)
	}
	b.exports++
	return (*C.int64_t)(unsafe.Pointer(p))
}

// goBufRelease unpins the data when the last export is released.
//
//export goBufRelease
func goBufRelease(i int64) {
	b := bufs.items[i]
	if b.exports--; b.exports == 0 {
		b.pinner.Unpin()
	}
}

func main() {}
