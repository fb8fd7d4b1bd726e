// Package procs is the Go side of the processes test module.
package procs

import (
	"context"
	"encoding/binary"
	"fmt"
	"iter"
	"math"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pyspec/pyspec/py"
)

// Checksum is FNV-1a over data.
func Checksum(data []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, b := range data {
		h ^= uint64(b)
		h *= 1099511628211
	}
	return h
}

var sink []*[4]int64

// Churn allocates n small objects, keeping a few, so that Go's garbage
// collector runs (and needs its other threads).
func Churn(n int64) int64 {
	var keep []*[4]int64
	for i := int64(0); i < n; i++ {
		p := &[4]int64{i}
		if i%1024 == 0 {
			keep = append(keep, p)
		}
	}
	sink = keep
	return n
}

// Pid is the process id.
func Pid() int64 { return int64(os.Getpid()) }

var running atomic.Int64

func track() func() {
	running.Add(1)
	return func() { running.Add(-1) }
}

// Pending counts async goroutines still running.
func Pending() int64 { return running.Load() }

// SleepMs sleeps ms milliseconds unless ctx is cancelled first.
func SleepMs(ctx context.Context, ms int64) (int64, error) {
	defer track()()
	select {
	case <-time.After(time.Duration(ms) * time.Millisecond):
		return ms, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// SquareLater is x*x, after ms milliseconds.
func SquareLater(x, ms int64) int64 {
	defer track()()
	time.Sleep(time.Duration(ms) * time.Millisecond)
	return x * x
}

// CallFromGoroutine calls f(1) on a goroutine and waits for it. Its spec
// leaves out nogil on purpose: the goroutine never gets the GIL.
func CallFromGoroutine(f func(int64) (int64, error)) (int64, error) {
	type result struct {
		v   int64
		err error
	}
	ch := make(chan result)
	go func() {
		v, err := f(1)
		ch <- result{v, err}
	}()
	r := <-ch
	return r.v, r.err
}

// TotalLater adds the values of xs.
func TotalLater(xs map[string]int64) int64 {
	defer track()()
	var t int64
	for _, x := range xs {
		t += x
	}
	return t
}

// FailLater fails or panics.
func FailLater(panics bool) (string, error) {
	if panics {
		panic("fail_later panics")
	}
	return "", Refused.New("refused asynchronously")
}

// DivmodLater is a/b and a%b.
func DivmodLater(a, b int64) (int64, int64, error) {
	if b == 0 {
		return 0, 0, fmt.Errorf("division by zero")
	}
	return a / b, a % b, nil
}

// WaitForInterrupt blocks until ctx is cancelled or ms pass.
func WaitForInterrupt(ctx context.Context, ms int64) string {
	select {
	case <-ctx.Done():
		return "cancelled"
	case <-time.After(time.Duration(ms) * time.Millisecond):
		return "timeout"
	}
}

// Accumulator sums floats; safe for its async method.
type Accumulator struct {
	mu    sync.Mutex
	sum   float64
	Count int64
}

// NewAccumulator starts at start.
func NewAccumulator(start float64) (*Accumulator, error) { return &Accumulator{sum: start}, nil }

// Add adds x.
func (a *Accumulator) Add(x float64) float64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sum += x
	a.Count++
	return a.sum
}

// Total is the sum.
func (a *Accumulator) Total() float64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.sum
}

// AddLater adds x after ms milliseconds.
func (a *Accumulator) AddLater(x float64, ms int64) float64 {
	time.Sleep(time.Duration(ms) * time.Millisecond)
	return a.Add(x)
}

// MarshalBinary is the sum and the count.
func (a *Accumulator) MarshalBinary() ([]byte, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]byte, 16)
	binary.LittleEndian.PutUint64(out, math.Float64bits(a.sum))
	binary.LittleEndian.PutUint64(out[8:], uint64(a.Count))
	return out, nil
}

// UnmarshalBinary restores MarshalBinary's state.
func (a *Accumulator) UnmarshalBinary(data []byte) error {
	if len(data) != 16 {
		return fmt.Errorf("want 16 bytes, got %d", len(data))
	}
	a.sum = math.Float64frombits(binary.LittleEndian.Uint64(data))
	a.Count = int64(binary.LittleEndian.Uint64(data[8:]))
	return nil
}

// Point is two coordinates.
type Point struct{ X, Y int64 }

// NewPoint makes a Point.
func NewPoint(x, y int64) (*Point, error) { return &Point{x, y}, nil }

// Apply calls f(x) on the calling goroutine.
func Apply(f func(int64) (int64, error), x int64) (int64, error) { return f(x) }

// AccumulatorAfter calls f, then makes an Accumulator: when f forked, the
// rest of this call runs in the child on the parent's Go runtime.
func AccumulatorAfter(f func(args ...any) (py.Object, error), start float64) (*Accumulator, error) {
	if _, err := f(); err != nil {
		return nil, err
	}
	return NewAccumulator(start)
}

var interrupts = make(chan os.Signal, 16)

// NotifyInterrupt makes Go's runtime install its SIGINT handler, as a
// program using os/signal does; it returns how many SIGINTs Go has seen.
func NotifyInterrupt() int64 {
	signal.Notify(interrupts, os.Interrupt)
	return int64(len(interrupts))
}

// GcSettings reads the collector's settings back (setting them to what
// they were).
func GcSettings() (int64, int64) {
	percent := debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	return int64(percent), debug.SetMemoryLimit(-1)
}

// GoHeap collects, then returns the bytes of Go's live heap and the number
// of goroutines: what a leak of Go values or goroutines grows, whatever
// the collector's pace (this module's GOGC is 400) does to the RSS.
func GoHeap() (int64, int64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc), int64(runtime.NumGoroutine())
}

var openSequences atomic.Int64

// Numbers counts its running loops, so that a test sees a dropped
// iterator's loop end.
func Numbers(n int64) iter.Seq[int64] {
	return func(yield func(int64) bool) {
		openSequences.Add(1)
		defer openSequences.Add(-1)
		for i := range n {
			if !yield(i) {
				return
			}
		}
	}
}

func OpenSequences() int64 { return openSequences.Load() }

// Mapped calls Python from the producer goroutine, which takes the GIL.
// The sequence runs after Mapped returns: it keeps f, which is borrowed
// for the call only.
func Mapped(f func(int64) (int64, error), n int64) iter.Seq2[int64, error] {
	f = py.RetainFunc(f)
	return func(yield func(int64, error) bool) {
		for i := range n {
			if !yield(f(i)) {
				return
			}
		}
	}
}

func PanicsAt(k int64) iter.Seq[int64] {
	return func(yield func(int64) bool) {
		for i := int64(0); ; i++ {
			if i == k {
				panic(fmt.Sprintf("item %d", i))
			}
			if !yield(i) {
				return
			}
		}
	}
}

func Accumulators(n int64) iter.Seq[*Accumulator] {
	return func(yield func(*Accumulator) bool) {
		for i := range n {
			a, _ := NewAccumulator(float64(i))
			if !yield(a) {
				return
			}
		}
	}
}
