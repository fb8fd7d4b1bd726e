// Command ctypesgo is what a Go user writes without a tool: a c-shared
// library with plain C-ABI exports (no Python headers), loaded from Python
// with ctypes (ctypes_go.py). Go objects cross as cgo.Handle values; memory
// that Python keeps after a call returns is C memory (C.malloc), since Go
// memory may not be kept by C.
package main

/*
#include <stdint.h>
#include <stdlib.h>
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

//export Noop
func Noop() {}

//export Add
func Add(a, b int64) int64 { return a + b }

//export Kw
func Kw(a, b, c int64) int64 { return a + b + c }

//export Strlen
func Strlen(p *C.char, n int64) int64 {
	s := unsafe.String((*byte)(unsafe.Pointer(p)), int(n))
	return int64(len(s))
}

//export Half
func Half(x float64) float64 { return x / 2.0 }

//export Sum
func Sum(p *int64, n int64) int64 {
	var s int64
	for _, v := range unsafe.Slice(p, int(n)) {
		s += v
	}
	return s
}

// Total2d sums a rows x cols float64 matrix with byte strides s0 and s1.
//
//export Total2d
func Total2d(p unsafe.Pointer, rows, cols, s0, s1 int64) float64 {
	var t float64
	for i := int64(0); i < rows; i++ {
		row := unsafe.Add(p, i*s0)
		for j := int64(0); j < cols; j++ {
			t += *(*float64)(unsafe.Add(row, j*s1))
		}
	}
	return t
}

//export Spin
func Spin(n int64) int64 {
	x := uint64(88172645463325252)
	for i := int64(0); i < n; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return int64(x >> 1)
}

// Counter is the Go object behind a Python Counter.
type Counter struct{ Value int64 }

//export CounterNew
func CounterNew(start int64) uintptr { return uintptr(cgo.NewHandle(&Counter{Value: start})) }

//export CounterFree
func CounterFree(h uintptr) { cgo.Handle(h).Delete() }

//export CounterInc
func CounterInc(h uintptr, by int64) int64 {
	c := cgo.Handle(h).Value().(*Counter)
	c.Value += by
	return c.Value
}

//export CounterGet
func CounterGet(h uintptr) int64 { return cgo.Handle(h).Value().(*Counter).Value }

//export CounterSet
func CounterSet(h uintptr, v int64) { cgo.Handle(h).Value().(*Counter).Value = v }

// BufNew returns n int64 values 0..n-1 in C memory; BufFree frees them.
//
//export BufNew
func BufNew(n int64) unsafe.Pointer {
	p := C.malloc(C.size_t(max(n, 1) * 8))
	for i, xs := 0, unsafe.Slice((*int64)(p), int(n)); i < len(xs); i++ {
		xs[i] = int64(i)
	}
	return p
}

//export BufFree
func BufFree(p unsafe.Pointer) { C.free(p) }

func main() {}
