// Iterator results: a Go iter.Seq handed to Python as an iterator that
// crosses into Go once per batch of items, not once per item.

package main

/*
#include <stdlib.h>
#include "pyspec_go.h"
*/
import "C"

import (
	"iter"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/pyspec/pyspec/py"
	"github.com/pyspec/pyspec/py/pyimpl"
)

// batchIter is the Go side of one Python iterator. The sequence runs in
// a producer goroutine, started by the first next(), which fills batches
// and runs ahead of Python by at most one: while Python works through a
// batch, the next one fills, and next() then takes it without waiting.
//
// The hand-over is a slot both sides poll for a while before they sleep:
// a goroutine woken through a channel waits for the OS to wake its thread
// (tens of microseconds on a busy machine), which per batch would cost
// more than the batch saves. A coroutine (iter.Pull) would switch more
// cheaply still, but it must be resumed on the OS thread that made it, at
// the same cgo call depth, and a Python iterator is pulled from any thread.
type batchIter[T any] struct {
	fn   string                // the Go function, for panics
	conv func([]T) *C.PyObject // a batch as a Python list; nil for scalars
	run  func(body func(T) bool) error
	size int
	// Scalar items cross as an array in C memory that the C part reads
	// until it asks for the next batch; freed by stop.
	raw unsafe.Pointer

	slot    atomic.Pointer[batch[T]] // a full batch, handed over
	filled  chan struct{}            // a batch went into slot (a wake-up, buffered)
	emptied chan struct{}            // slot was emptied (a wake-up, buffered)
	spare   chan []T                 // converted batches' slices, for reuse
	quit    chan struct{}            // closed when Python drops the iterator
	// quitted says quit is closed, for the producer's poll loop, which
	// reads it between tries: a load, where a select on quit would cost
	// a channel operation each time.
	quitted atomic.Bool
	started bool
	ended   bool     // the last batch was taken
	cur     batch[T] // the batch ready or wait took, for take
}

// batch is what the producer hands over: items, and with the last batch
// why the sequence ended early (its error, or a panic), if it did.
type batch[T any] struct {
	items []T
	last  bool
	err   error
}

// How long each side polls the slot before it sleeps: about what Python
// takes over a batch of a thousand items, or Go to fill one. The consumer
// polls with the GIL held, so briefly.
const (
	producerPoll = 200 * time.Microsecond
	consumerPoll = 50 * time.Microsecond
)

// poller bounds polling by time, reading the clock every 64 polls.
type poller struct {
	n        int
	deadline time.Time
	limit    time.Duration
}

// more reports whether polling goes on.
func (p *poller) more() bool {
	p.n++
	if p.n&63 != 0 {
		return true
	}
	now := time.Now()
	if p.deadline.IsZero() {
		p.deadline = now.Add(p.limit)
	}
	return now.Before(p.deadline)
}

// newBatchIter makes the Go side of an iterator whose batches conv makes
// lists of, or, when conv is nil, which are scalars the C part converts.
func newBatchIter[T any](fn string, size int, conv func([]T) *C.PyObject, run func(body func(T) bool) error) *batchIter[T] {
	return &batchIter[T]{fn: fn, conv: conv, run: run, size: size,
		filled: make(chan struct{}, 1), emptied: make(chan struct{}, 1), spare: make(chan []T, 1), quit: make(chan struct{})}
}

// signal wakes the other side if it sleeps on c; a wake-up already
// pending will do.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// publish hands bt over once the slot is empty; false if Python dropped
// the iterator meanwhile.
func (b *batchIter[T]) publish(bt *batch[T]) bool {
	p := poller{limit: producerPoll}
	for {
		if b.slot.Load() == nil && b.slot.CompareAndSwap(nil, bt) {
			signal(b.filled)
			return true
		}
		if b.quitted.Load() {
			return false
		}
		if !p.more() {
			select {
			case <-b.emptied:
				p = poller{limit: producerPoll}
			case <-b.quit:
				return false
			}
		}
	}
}

// produce is the producer goroutine.
func (b *batchIter[T]) produce() {
	buf := make([]T, 0, b.size)
	done := false
	defer func() {
		// Recovered always: a panic here is the sequence's, in this
		// goroutine, and would end the process. After a drop (a sequence
		// that goes on after its loop broke panics) nobody hears of it.
		p := recover()
		if done {
			return
		}
		var err error
		if p != nil {
			err = pyimpl.PanicError(b.fn, p)
		}
		b.publish(&batch[T]{items: buf, last: true, err: err})
	}()
	err := b.run(func(v T) bool {
		buf = append(buf, v)
		if len(buf) < b.size {
			return true
		}
		if !b.publish(&batch[T]{items: buf}) {
			done = true // dropped: nobody takes the rest
			return false
		}
		select {
		case s := <-b.spare:
			buf = s[:0]
		default:
			buf = make([]T, 0, b.size)
		}
		return true
	})
	if !done {
		done = true
		b.publish(&batch[T]{items: buf, last: true, err: err})
	}
}

// tryTake takes the batch in the slot, if there is one.
func (b *batchIter[T]) tryTake() bool {
	if b.slot.Load() == nil {
		return false
	}
	p := b.slot.Swap(nil) // only this side empties the slot: p is not nil
	b.cur = *p
	signal(b.emptied)
	return true
}

// ready takes the next batch if the producer has it, or has it soon,
// without sleeping. Called with the GIL.
func (b *batchIter[T]) ready() bool {
	if b.ended {
		return true
	}
	if !b.started {
		b.started = true
		go b.produce()
	}
	for p := (poller{limit: consumerPoll}); p.more(); {
		if b.tryTake() {
			return true
		}
	}
	return false
}

// wait sleeps until the next batch is there. Called without the GIL: the
// sequence may call Python.
func (b *batchIter[T]) wait() {
	for !b.tryTake() {
		<-b.filled // a wake-up may be stale: look again
	}
}

// Results of take, as iter_next_go returns them.
const (
	iterItems = 0  // a list of the next items
	iterDone  = 1  // exhausted
	iterError = -1 // an exception is set; exhausted too
)

// take hands the batch ready or wait took to the C part, with the GIL.
func (b *batchIter[T]) take(out *C.pyspec_iter_batch) int {
	cur := b.cur
	b.cur = batch[T]{}
	if cur.last {
		b.ended = true
		// The last batch's items first; its error at the next().
		b.cur = batch[T]{last: true, err: cur.err}
	}
	if len(cur.items) > 0 {
		if b.conv == nil {
			if b.raw == nil {
				var zero T
				b.raw = C.malloc(C.size_t(b.size) * C.size_t(unsafe.Sizeof(zero)))
				if b.raw == nil {
					b.ended = true
					raise(py.MemoryError("no memory for a batch of %d items", b.size))
					return iterError
				}
			}
			out.raw, out.n = b.raw, C.pyspec_ssize(copy(unsafe.Slice((*T)(b.raw), b.size), cur.items))
		} else {
			out.items = b.conv(cur.items)
			clear(cur.items) // drop the batch's references for Go's collector
		}
		select {
		case b.spare <- cur.items:
		default:
		}
		if b.conv != nil && out.items == nil {
			b.ended = true
			return iterError
		}
		return iterItems
	}
	if cur.err != nil {
		raise(cur.err)
		return iterError
	}
	return iterDone
}

// stop ends the producer: its sequence's loop breaks at the next full
// batch, and the sequence's deferred calls run in the producer goroutine.
func (b *batchIter[T]) stop() {
	if b.started && !b.quitted.Load() {
		b.quitted.Store(true)
		close(b.quit) // the producer may have returned already: harmless
	}
	b.started, b.ended = true, true
	if b.raw != nil {
		C.free(b.raw) // the C part reads no more of it: the iterator ended
		b.raw = nil
	}
}

// goIter is what the C part's iterator holds a token of.
type goIter interface {
	ready() bool
	wait()
	take(out *C.pyspec_iter_batch) int
	stop()
}

// iters are the live iterators by token; touched with the GIL held.
var (
	iters    = map[uintptr]goIter{}
	nextIter uintptr
)

// newIterator registers it and returns the Python iterator over it; code
// is the element code of scalar items, or -1.
func newIterator(it goIter, code C.int) *C.PyObject {
	nextIter++
	token := nextIter
	o := C.host_new_iterator(C.uintptr_t(token), code)
	if o == nil {
		it.stop() // not started: nothing runs
		return nil
	}
	iters[token] = it
	return o
}

// pySeq is the Python iterator over an iterator[T] result.
//
// Items of element code code (>= 0) cross as arrays; others as the lists
// conv makes.
func pySeq[T any](seq iter.Seq[T], fn string, size int, code C.int, conv func([]T) *C.PyObject) *C.PyObject {
	if seq == nil {
		return raiseNil(py.RuntimeError("%s returned a nil iter.Seq", fn))
	}
	return newIterator(newBatchIter(fn, size, conv, func(body func(T) bool) error {
		for v := range seq {
			if !body(v) {
				break
			}
		}
		return nil
	}), code)
}

// pySeqErr is the Python iterator over an iterator[T] result whose Go
// sequence is an iter.Seq2[T, error]: the first error ends the iteration,
// raised at the next() that reaches it.
func pySeqErr[T any](seq iter.Seq2[T, error], fn string, size int, code C.int, conv func([]T) *C.PyObject) *C.PyObject {
	if seq == nil {
		return raiseNil(py.RuntimeError("%s returned a nil iter.Seq2", fn))
	}
	return newIterator(newBatchIter(fn, size, conv, func(body func(T) bool) error {
		for v, err := range seq {
			if err != nil {
				return err
			}
			if !body(v) {
				break
			}
		}
		return nil
	}), code)
}

// pair is one item of an iter.Seq2[K, V].
type pair[K, V any] struct {
	k K
	v V
}

// pySeq2 is the Python iterator over an iterator[K, V] result: 2-tuples.
func pySeq2[K, V any](seq iter.Seq2[K, V], fn string, size int, convK func([]K) *C.PyObject, convV func([]V) *C.PyObject) *C.PyObject {
	if seq == nil {
		return raiseNil(py.RuntimeError("%s returned a nil iter.Seq2", fn))
	}
	var ks []K
	var vs []V
	conv := func(ps []pair[K, V]) *C.PyObject {
		ks, vs = ks[:0], vs[:0]
		for _, p := range ps {
			ks, vs = append(ks, p.k), append(vs, p.v)
		}
		kl := convK(ks)
		clear(ks)
		if kl == nil {
			clear(vs)
			return nil
		}
		vl := convV(vs)
		clear(vs)
		if vl == nil {
			C.host_decref(kl)
			return nil
		}
		return C.host_zip_pairs(kl, vl)
	}
	return newIterator(newBatchIter(fn, size, conv, func(body func(pair[K, V]) bool) error {
		for k, v := range seq {
			if !body(pair[K, V]{k, v}) {
				break
			}
		}
		return nil
	}), -1)
}

// iter_next_go gives the C part the next batch of token's iterator in
// *b: 0, or 1 when the iterator is exhausted, or -1 with an exception
// set (the iterator is then exhausted too). Called with the GIL.
//
//export iter_next_go
func iter_next_go(token C.uintptr_t, b *C.pyspec_iter_batch) C.int {
	it := iters[uintptr(token)]
	if it == nil {
		raise(py.RuntimeError("the Go side of this iterator is gone"))
		return -1
	}
	if !it.ready() {
		ts := C.host_save_thread()
		it.wait()
		C.host_restore_thread(ts)
	}
	status := it.take(b)
	if status != iterItems {
		delete(iters, uintptr(token))
		it.stop()
	}
	return C.int(status)
}

// iter_close_go stops token's iterator: Python dropped it.
//
//export iter_close_go
func iter_close_go(token C.uintptr_t) {
	if it := iters[uintptr(token)]; it != nil {
		delete(iters, uintptr(token))
		it.stop()
	}
}
