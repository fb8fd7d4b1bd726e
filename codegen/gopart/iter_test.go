package main

import (
	"errors"
	"fmt"
	"iter"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// drain takes every batch as the C part would, without converting them:
// the items in order, and the error that ended the sequence.
func drain[T any](b *batchIter[T]) ([]T, error) {
	var out []T
	for {
		if !b.ready() {
			b.wait()
		}
		cur := b.cur
		b.cur = batch[T]{}
		out = append(out, cur.items...)
		if cur.last {
			b.ended = true
			return out, cur.err
		}
		if len(cur.items) != b.size {
			return out, fmt.Errorf("a batch of %d items before the last, want %d", len(cur.items), b.size)
		}
		select {
		case b.spare <- cur.items:
		default:
		}
	}
}

func counting(n int) func(body func(int) bool) error {
	return func(body func(int) bool) error {
		for i := range n {
			if !body(i) {
				break
			}
		}
		return nil
	}
}

// Every item comes once, in order, in full batches but the last, for
// sizes around the batch.
func TestBatchesCarryEveryItemOnce(t *testing.T) {
	for _, size := range []int{1, 2, 7, 64} {
		for _, n := range []int{0, 1, size - 1, size, size + 1, 3*size + 2, 1000} {
			b := newBatchIter("t", size, nil, counting(n))
			got, err := drain(b)
			want := slices.Collect(func(yield func(int) bool) {
				for i := range n {
					yield(i)
				}
			})
			if err != nil || !slices.Equal(got, want) {
				t.Fatalf("size %d, n %d: got %v (%v)", size, n, got, err)
			}
			b.stop()
		}
	}
}

// An error or a panic ends the sequence after the items before it.
func TestErrorsAndPanicsComeLast(t *testing.T) {
	boom := errors.New("boom")
	b := newBatchIter("t", 4, nil, func(body func(int) bool) error {
		for i := range 10 {
			body(i)
		}
		return boom
	})
	if got, err := drain(b); err != boom || len(got) != 10 {
		t.Errorf("error: got %v, %v", got, err)
	}
	b = newBatchIter("pkg.F", 4, nil, func(body func(int) bool) error {
		for i := range 6 {
			body(i)
		}
		panic("at 6")
	})
	got, err := drain(b)
	if err == nil || !strings.Contains(err.Error(), "Go panic in pkg.F: at 6") || len(got) != 6 {
		t.Errorf("panic: got %v, %v", got, err)
	}
}

// A dropped iterator's producer returns, wherever it was: not started,
// waiting to hand over a batch, or asleep after polling.
func TestStopEndsTheProducer(t *testing.T) {
	before := runtime.NumGoroutine()
	var its []*batchIter[int]
	for i := range 50 {
		b := newBatchIter("t", 8, nil, counting(1<<30))
		if i%3 > 0 {
			drain1(b)
		}
		its = append(its, b)
	}
	time.Sleep(5 * producerPoll) // some producers sleep by now
	for _, b := range its {
		b.stop()
	}
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after stopping, %d before", n, before)
	}
}

// drain1 takes one batch.
func drain1[T any](b *batchIter[T]) {
	if !b.ready() {
		b.wait()
	}
}

// A sequence that goes on after its loop broke is the sequence's bug:
// Go panics in the producer, which must not hand anything over then.
func TestASequenceIgnoringStop(t *testing.T) {
	var seq iter.Seq[int] = func(yield func(int) bool) {
		for i := 0; ; i++ {
			yield(i) // ignores false
		}
	}
	b := newBatchIter("t", 4, nil, func(body func(int) bool) error {
		for v := range seq {
			if !body(v) {
				break
			}
		}
		return nil
	})
	drain1(b)
	b.stop()
	time.Sleep(10 * time.Millisecond)
	if b.slot.Load() != nil && !b.quitted.Load() {
		t.Errorf("a batch was handed over after stop")
	}
}
