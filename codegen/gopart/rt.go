// Conversions between the C part's values and Go's, shared by every
// function of the module's Go part.

package main

/*
#include "pyspec_go.h"
*/
import "C"

import (
	"context"
	"os"
	"runtime"
	"sync"
	"unsafe"

	"github.com/pyspec/pyspec/py"
	"github.com/pyspec/pyspec/py/pyimpl"
)

func main() {}

// raise sets the Python exception for err and returns the glue's failure status.
func raise(err error) C.int {
	if raisePython(err) {
		return -1
	}
	kind, msg := pyimpl.Classify(err)
	// A Python exception wrapped in an error with a class of its own is
	// raised by that class: Go's reference to it goes now.
	defer dropError(err)
	if raiseDeclared(err, msg) {
		return -1
	}
	C.host_raise(C.int(kind), (*C.char)(unsafe.Pointer(unsafe.StringData(msg))), C.pyspec_ssize(len(msg)))
	return -1
}

// unraisable reports err where it cannot be raised (while Python frees
// memory), as Python reports an exception in __del__.
func unraisable(err error) {
	raise(err)
	C.host_write_unraisable()
}

// unpickleError is the error of an UnmarshalBinary that refused a pickled
// state: its own class if it has one, else ValueError naming the class.
func unpickleError(class string, err error) error {
	if kind, _ := pyimpl.Classify(err); kind != py.KindRuntimeError {
		return err
	}
	return py.ValueError("cannot unpickle %s: %w", class, err)
}

// raisePanic turns a recovered panic of the Go function fn into an exception.
func raisePanic(fn string, recovered any) C.int {
	return raise(pyimpl.PanicError(fn, recovered))
}

func goBool(v C.int) bool { return v != 0 }

func cBool(v bool) C.int {
	if v {
		return 1
	}
	return 0
}

// The copies below are of sizes Python reports, of values it holds: a
// copy Go cannot allocate is a MemoryError (a panic the glue raises as
// one), not the end of the process. Small ones skip the check.
func checkCopy(n, size int64) {
	if n*size >= 16<<20 || n > 1<<40 {
		checkAlloc(n, size)
	}
}

// goString copies: Go strings may outlive the call, Python's may not.
func goString(b *C.pyspec_bytes) string {
	checkCopy(int64(b.len), 1)
	return string(unsafe.Slice((*byte)(unsafe.Pointer(b.ptr)), int(b.len)))
}

func goBytes(b *C.pyspec_bytes) []byte {
	checkCopy(int64(b.len), 1)
	out := make([]byte, int(b.len))
	copy(out, unsafe.Slice((*byte)(unsafe.Pointer(b.ptr)), int(b.len)))
	return out
}

// goList copies a converted list of scalars; C's element layout is Go's.
func goList[T any](l *C.pyspec_list) []T {
	checkCopy(int64(l.len), int64(unsafe.Sizeof(*new(T))))
	out := make([]T, int(l.len))
	copy(out, unsafe.Slice((*T)(l.items), int(l.len)))
	return out
}

func goStringList(l *C.pyspec_list) []string {
	items := unsafe.Slice((*C.pyspec_bytes)(l.items), int(l.len))
	checkCopy(int64(len(items)), int64(unsafe.Sizeof("")))
	out := make([]string, len(items))
	for i := range items {
		out[i] = goString(&items[i])
	}
	return out
}

func goBytesList(l *C.pyspec_list) [][]byte {
	items := unsafe.Slice((*C.pyspec_bytes)(l.items), int(l.len))
	checkCopy(int64(len(items)), int64(unsafe.Sizeof([]byte(nil))))
	out := make([][]byte, len(items))
	for i := range items {
		out[i] = goBytes(&items[i])
	}
	return out
}

// opt is the Go value of an optional argument: nil for None.
func opt[T any](present C.int, v T) *T {
	if present == 0 {
		return nil
	}
	return &v
}

// The C descriptor and pyimpl.CView must agree (a compile error otherwise).
var _ [unsafe.Sizeof(pyimpl.CView{}) - C.sizeof_pyspec_desc]byte
var _ [C.sizeof_pyspec_desc - unsafe.Sizeof(pyimpl.CView{})]byte

// goBuffer describes an acquired view without copying; it is valid until
// the Go function returns.
func goBuffer(d *C.pyspec_desc) py.Buffer {
	return pyimpl.BufferOf((*pyimpl.CView)(unsafe.Pointer(d)))
}

func goView[T py.Elem](d *C.pyspec_desc) py.View[T] {
	return py.View[T]{Buffer: goBuffer(d)}
}

func pyBool(v bool) *C.PyObject {
	if v {
		return C.host_from_bool(1)
	}
	return C.host_from_bool(0)
}

func pyInt[T ~int8 | ~int16 | ~int32 | ~int64](v T) *C.PyObject {
	return C.host_from_int64(C.int64_t(v))
}

func pyUint[T ~uint8 | ~uint16 | ~uint32 | ~uint64](v T) *C.PyObject {
	return C.host_from_uint64(C.uint64_t(v))
}

func pyFloat[T ~float32 | ~float64](v T) *C.PyObject {
	return C.host_from_float64(C.double(v))
}

func pyText(s string, code C.int) *C.PyObject {
	return C.host_text((*C.char)(unsafe.Pointer(unsafe.StringData(s))), C.pyspec_ssize(len(s)), code)
}

func pyStr(s string) *C.PyObject { return pyText(s, C.PYSPEC_T_STR) }

func pyBytes(b []byte) *C.PyObject {
	return C.host_text((*C.char)(unsafe.Pointer(unsafe.SliceData(b))), C.pyspec_ssize(len(b)), C.PYSPEC_T_BYTES)
}

// pyList builds a list from scalars in one crossing; code is the element's.
func pyList[T any](xs []T, code C.int) *C.PyObject {
	return C.host_list_of(unsafe.Pointer(unsafe.SliceData(xs)), C.pyspec_ssize(len(xs)), code)
}

func pyStrList(xs []string) *C.PyObject {
	list := C.host_list_new(C.pyspec_ssize(len(xs)))
	for i, s := range xs {
		if list == nil {
			break
		}
		if C.host_list_set_text(list, C.pyspec_ssize(i), (*C.char)(unsafe.Pointer(unsafe.StringData(s))), C.pyspec_ssize(len(s)), C.PYSPEC_T_STR) < 0 {
			C.host_decref(list)
			list = nil
		}
	}
	return list
}

func pyBytesList(xs [][]byte) *C.PyObject {
	list := C.host_list_new(C.pyspec_ssize(len(xs)))
	for i, b := range xs {
		if list == nil {
			break
		}
		if C.host_list_set_text(list, C.pyspec_ssize(i), (*C.char)(unsafe.Pointer(unsafe.SliceData(b))), C.pyspec_ssize(len(b)), C.PYSPEC_T_BYTES) < 0 {
			C.host_decref(list)
			list = nil
		}
	}
	return list
}

// pyOpt is None for nil, else conv(*p).
func pyOpt[T any](p *T, conv func(T) *C.PyObject) *C.PyObject {
	if p == nil {
		return C.host_none()
	}
	return conv(*p)
}

// describeExport pins an export for one view and describes it to C, which
// fills the Py_buffer. Storing the data pointer in C memory is allowed: it
// is pinned until the view's release. owner and cls are the exporting value
// and its class index, hook the class whose release hook the view's release
// runs.
func describeExport(e py.Export, owner unsafe.Pointer, cls C.int32_t, hook int32, d *C.pyspec_export_desc) C.int {
	format := e.Format()
	if len(format) >= len(d.format) || e.NDim() > len(d.shape) {
		return raise(py.BufferError("export format %q or %d dimensions exceed what a view can describe", format, e.NDim()))
	}
	if err := e.Check(); err != nil {
		return raise(err)
	}
	d.token = C.uintptr_t(pyimpl.PinExport(e, owner, int32(cls), hook))
	d.buf = e.Data()
	d.len = C.pyspec_ssize(e.Len())
	d.itemsize = C.pyspec_ssize(e.ItemSize())
	d.readonly = C.int32_t(cBool(e.Readonly()))
	d.ndim = C.int32_t(e.NDim())
	d.format_len = C.pyspec_ssize(len(format))
	copy(unsafe.Slice((*byte)(unsafe.Pointer(&d.format[0])), len(d.format)), format)
	e.ShapeInto(unsafe.Slice((*int)(unsafe.Pointer(&d.shape[0])), len(d.shape)))
	return 0
}

// pyTuple builds a tuple of results; nil items (a failed conversion, with
// its exception set) make it nil.
func pyTuple(items []*C.PyObject) *C.PyObject {
	for _, it := range items {
		if it == nil {
			for _, x := range items {
				if x != nil {
					C.host_decref(x)
				}
			}
			return nil
		}
	}
	return C.host_tuple_steal(&items[0], C.pyspec_ssize(len(items)))
}

// Async calls: each has a token. The call itself converts the arguments
// and leaves the work here; the coroutine's first step runs it in a
// goroutine, whose context is cancelled when the future is. The result
// waits, as a function building the Python value, until the C part's
// delivery thread asks for it with the GIL held.
var (
	asyncMu      sync.Mutex
	asyncWork    = map[uint64]func(context.Context, *C.PyObject){}
	asyncCancels = map[uint64]context.CancelFunc{}
	asyncResults = map[uint64]func() *C.PyObject{}
)

func asyncPrepare(token uint64, work func(context.Context, *C.PyObject)) {
	asyncMu.Lock()
	asyncWork[token] = work
	asyncMu.Unlock()
}

func asyncRun(token uint64, fut *C.PyObject) C.int {
	asyncMu.Lock()
	work := asyncWork[token]
	delete(asyncWork, token)
	var ctx context.Context
	if work != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(context.Background())
		asyncCancels[token] = cancel
	}
	asyncMu.Unlock()
	if work == nil {
		return raise(py.RuntimeError("pyspec: async call %d has no work", token))
	}
	go work(ctx, fut)
	return 0
}

func asyncDiscard(token uint64) {
	asyncMu.Lock()
	delete(asyncWork, token)
	asyncMu.Unlock()
}

func asyncFinish(token uint64, fut *C.PyObject, build func() *C.PyObject) {
	asyncMu.Lock()
	if cancel := asyncCancels[token]; cancel != nil {
		cancel()
		delete(asyncCancels, token)
	}
	asyncResults[token] = build
	asyncMu.Unlock()
	C.host_async_ready(fut, C.uint64_t(token))
}

func asyncSettle(token uint64) (res *C.PyObject) {
	asyncMu.Lock()
	build := asyncResults[token]
	delete(asyncResults, token)
	asyncMu.Unlock()
	defer func() {
		if p := recover(); p != nil {
			raisePanic("building an async result", p)
			res = nil
		}
	}()
	if build == nil {
		raise(py.RuntimeError("pyspec: no result for async call %d", token))
		return nil
	}
	return build()
}

func asyncCancel(token uint64) {
	asyncMu.Lock()
	cancel := asyncCancels[token]
	asyncMu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// Ctrl-C: while a call whose Go function takes a context runs, the C part
// writes a byte to a pipe per SIGINT; one goroutine reads it and cancels
// the contexts of the calls running then.
var (
	interruptMu      sync.Mutex
	interruptNext    uint64
	interruptCancels = map[uint64]context.CancelFunc{}
	interruptWatch   sync.Once
)

func interruptContext() (context.Context, func()) {
	interruptWatch.Do(func() {
		fd := int(C.pyspec_host_ptr.interrupt_fd)
		if fd < 0 {
			return
		}
		f := os.NewFile(uintptr(fd), "pyspec-interrupts")
		go func() {
			buf := make([]byte, 64)
			for {
				if _, err := f.Read(buf); err != nil {
					return
				}
				interruptMu.Lock()
				for _, cancel := range interruptCancels {
					cancel()
				}
				interruptMu.Unlock()
			}
		}()
	})
	ctx, cancel := context.WithCancel(context.Background())
	interruptMu.Lock()
	interruptNext++
	id := interruptNext
	interruptCancels[id] = cancel
	interruptMu.Unlock()
	return ctx, func() {
		interruptMu.Lock()
		delete(interruptCancels, id)
		interruptMu.Unlock()
		cancel()
	}
}

// pyGoSlice lends xs to Python as a GoBuffer: no copy; pinned while the
// GoBuffer (or any view of it) lives.
func pyGoSlice[T py.Elem](xs []T, readonly bool) *C.PyObject {
	e, err := py.ExportSlice(xs, readonly)
	if err != nil {
		raise(err)
		return nil
	}
	return pyExport(e)
}

// pyExport lends the memory of e to Python as a GoBuffer.
func pyExport(e py.Export) *C.PyObject {
	var d C.pyspec_export_desc
	if describeExport(e, nil, -1, -1, &d) < 0 {
		return nil
	}
	obj := C.host_new_buffer(&d)
	if obj == nil {
		pyimpl.ReleaseExport(uintptr(d.token))
	}
	return obj
}

// pyNDArray is numpy.asarray of the GoBuffer b (nil: b's exception
// stands), checked against the spec's element code and ndim (-1: any).
func pyNDArray(b *C.PyObject, elem C.int, ndim int) *C.PyObject {
	if b == nil {
		return nil
	}
	return C.host_as_ndarray(b, elem, C.int(ndim))
}

// ufuncParallelMin is the smallest loop that parallel: true splits: below
// it, starting goroutines costs more than the work.
const ufuncParallelMin = 1 << 16

// ufuncLoop runs a ufunc's inner loop over n elements, body doing those in
// [lo, hi). With parallel, a loop of ufuncParallelMin elements or more is
// split into contiguous ranges across up to GOMAXPROCS goroutines. A panic
// in the author's function is the loop's error; of several, the one of the
// lowest range is returned.
func ufuncLoop(fn string, n int, parallel bool, body func(lo, hi int) error) error {
	workers := 1
	if parallel && n >= ufuncParallelMin {
		workers = min(runtime.GOMAXPROCS(0), n/(ufuncParallelMin/2))
	}
	if workers <= 1 {
		return ufuncRange(fn, body, 0, n)
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := 1; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = ufuncRange(fn, body, n*w/workers, n*(w+1)/workers)
		}()
	}
	errs[0] = ufuncRange(fn, body, 0, n/workers)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func ufuncRange(fn string, body func(lo, hi int) error, lo, hi int) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = pyimpl.PanicError(fn, p)
		}
	}()
	return body(lo, hi)
}

// raiseFromLoop raises err from a ufunc's loop, which numpy runs with or
// without the GIL: it takes the GIL (again) to set the exception, which
// numpy raises once the loop returns.
func raiseFromLoop(err error) C.int {
	st := C.host_gil_ensure()
	if st < 0 {
		return -1 // Python is exiting: nobody will see it
	}
	raise(err)
	C.host_gil_release(st)
	return -1
}
