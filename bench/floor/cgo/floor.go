// Command floorgo is the Go half of the floor_go extension module: C glue in
// floor_go.c does all CPython work and calls these exported functions through
// exactly one cgo crossing per Python call.
package main

/*
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
*/
import "C"

import "unsafe"

//export goNoop
func goNoop() {}

//export goAdd
func goAdd(a, b int64) int64 { return a + b }

//export goSum
func goSum(ptr *C.int64_t, n C.Py_ssize_t) int64 {
	if n <= 0 {
		return 0
	}
	xs := unsafe.Slice((*int64)(unsafe.Pointer(ptr)), int(n))
	var s0, s1, s2, s3 int64
	i := 0
	for ; i+4 <= len(xs); i += 4 {
		s0 += xs[i]
		s1 += xs[i+1]
		s2 += xs[i+2]
		s3 += xs[i+3]
	}
	for ; i < len(xs); i++ {
		s0 += xs[i]
	}
	return s0 + s1 + s2 + s3
}

func main() {}
