// Package conversions implements examples/conversions/module.yaml: one function per
// conversion pyspec offers.
package conversions

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/pyspec/pyspec/py"
)

func Add(a, b int64) int64 { return a + b }

func EchoInts(i8 int8, i16 int16, i32 int32, i64 int64, u8 uint8, u16 uint16, u32 uint32, u64 uint64) (int8, int16, int32, int64, uint8, uint16, uint32, uint64) {
	return i8, i16, i32, i64, u8, u16, u32, u64
}

func Scale(x float64, factor float32, clamp bool) float64 {
	v := x * float64(factor)
	if clamp {
		v = math.Max(-1, math.Min(1, v))
	}
	return v
}

func Greet(name, greeting string, punct *string) string {
	p := "!"
	if punct != nil {
		p = *punct
	}
	return greeting + ", " + name + p
}

func Quote(s, open, close string) string { return open + s + close }

func ReverseBytes(data []byte) []byte {
	for i, j := 0, len(data)-1; i < j; i, j = i+1, j-1 {
		data[i], data[j] = data[j], data[i]
	}
	return data
}

func MaybeLen(data *[]byte) *int64 {
	if data == nil {
		return nil
	}
	n := int64(len(*data))
	return &n
}

func Total(xs []float64) float64 {
	var t float64
	for _, x := range xs {
		t += x
	}
	return t
}

func Join(parts []string, sep string) string { return strings.Join(parts, sep) }

func Split(s string) []string { return strings.Fields(s) }

func WordCounts(words []string) map[string]int64 {
	counts := make(map[string]int64)
	for _, w := range words {
		counts[w]++
	}
	return counts
}

func LongestRow(rows [][]int64) int64 {
	longest := 0
	for _, r := range rows {
		longest = max(longest, len(r))
	}
	return int64(longest)
}

func Squares(n uint32) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = int64(i) * int64(i)
	}
	return out
}

func NegateAll(xs []bool) []bool {
	for i := range xs {
		xs[i] = !xs[i]
	}
	return xs
}

func Find(xs []string, target string) *int64 {
	for i, x := range xs {
		if x == target {
			n := int64(i)
			return &n
		}
	}
	return nil
}

func DivMod(a, b int64) (int64, int64, error) {
	if b == 0 {
		return 0, 0, py.ValueError("div_mod: division by zero")
	}
	q, r := a/b, a%b
	if r != 0 && (r < 0) != (b < 0) { // Python floors
		q--
		r += b
	}
	return q, r, nil
}

// Window is the Go side of the spec's argument struct of the same name.
type Window struct {
	Start int64
	Stop  *int64
}

func WindowLen(w Window) (int64, error) {
	if w.Stop == nil {
		return 0, py.ValueError("window_len: an open window has no length")
	}
	return max(0, *w.Stop-w.Start), nil
}

func WindowText(w Window) string {
	if w.Stop == nil {
		return fmt.Sprintf("[%d:]", w.Start)
	}
	return fmt.Sprintf("[%d:%d]", w.Start, *w.Stop)
}

// SliceText is text[start:stop] by bytes; Go gets the spread keyword
// arguments as one Window.
func SliceText(text string, window Window) string {
	stop := int64(len(text))
	if window.Stop != nil {
		stop = min(stop, *window.Stop)
	}
	start := min(max(window.Start, 0), stop)
	return text[start:stop]
}

// DoubleHalf is 2*x in half precision: Go has no float16, so a spec's
// float16 is a py.Float16 (its bits), converted to compute.
func DoubleHalf(x py.Float16) (py.Float16, error) {
	return py.Float16From(2 * x.Float64())
}

// Halves is each x/2 (a half always fits).
func Halves(xs []py.Float16) []py.Float16 {
	out := make([]py.Float16, len(xs))
	for i, x := range xs {
		out[i] = py.MustFloat16(x.Float64() / 2)
	}
	return out
}

func Fail(kind string) error {
	var err error
	switch kind {
	case "value":
		err = py.ValueError("bad value")
	case "type":
		err = py.TypeError("bad type")
	case "overflow":
		err = py.OverflowError("too big")
	case "index":
		err = py.IndexError("no such index")
	case "key":
		err = py.KeyError("no such key")
	case "buffer":
		err = py.BufferError("bad buffer")
	case "notimpl":
		err = py.NotImplementedError("later")
	case "none":
		return nil
	default:
		err = errors.New("plain Go error")
	}
	return fmt.Errorf("fail(%q): %w", kind, err)
}

func Crash() {
	var m map[string]int
	m["boom"] = 1 // a nil-map write: a Go runtime panic
}

func Nothing() {}

// Spin is CPU-bound integer work for the nogil test and benchmark.
func Spin(n int64) int64 {
	var x uint64 = 88172645463325252
	for i := int64(0); i < n; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return int64(x >> 1)
}
