//go:build goexperiment.simd && amd64

package buffers

import "simd/archsimd"

// hasAVX2 is read once: the vector loop runs only where the CPU has AVX2.
var hasAVX2 = archsimd.X86.AVX2()

// sumInt64 adds 16 elements a step in four 4-lane AVX2 accumulators, the
// tail in Go; int64 addition wraps the same way in every order.
func sumInt64(s []int64) int64 {
	if !hasAVX2 || len(s) < 64 {
		return sumScalar(s)
	}
	var a, b, c, d archsimd.Int64x4
	i := 0
	for ; i+16 <= len(s); i += 16 {
		a = a.Add(archsimd.LoadInt64x4Slice(s[i : i+4]))
		b = b.Add(archsimd.LoadInt64x4Slice(s[i+4 : i+8]))
		c = c.Add(archsimd.LoadInt64x4Slice(s[i+8 : i+12]))
		d = d.Add(archsimd.LoadInt64x4Slice(s[i+12 : i+16]))
	}
	var lanes [4]int64
	a.Add(b).Add(c.Add(d)).Store(&lanes)
	archsimd.ClearAVXUpperBits()
	return lanes[0] + lanes[1] + lanes[2] + lanes[3] + sumScalar(s[i:])
}
