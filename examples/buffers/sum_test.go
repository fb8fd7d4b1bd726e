package buffers

import (
	"math"
	"math/rand/v2"
	"testing"
)

// sumInt64 (AVX2 under GOEXPERIMENT=simd, scalar otherwise) agrees with a
// plain loop at every length around its 16-element steps, with wrapping.
func TestSumInt64(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 300; n++ {
		s := make([]int64, n)
		var want int64
		for i := range s {
			s[i] = r.Int64() - math.MaxInt64/2
			want += s[i]
		}
		if got := sumInt64(s); got != want {
			t.Fatalf("n=%d: sumInt64 = %d, want %d", n, got, want)
		}
		if n > 1 {
			// A window that starts mid-array: no alignment assumed.
			if got, w := sumInt64(s[1:]), want-s[0]; got != w {
				t.Fatalf("n=%d, s[1:]: %d, want %d", n, got, w)
			}
		}
	}
}

func BenchmarkSumInt64(b *testing.B) {
	s := make([]int64, 10_000_000)
	for i := range s {
		s[i] = int64(i)
	}
	b.SetBytes(int64(len(s) * 8))
	for b.Loop() {
		sumInt64(s)
	}
}

func BenchmarkSumScalar(b *testing.B) {
	s := make([]int64, 10_000_000)
	b.SetBytes(int64(len(s) * 8))
	for b.Loop() {
		sumScalar(s)
	}
}
