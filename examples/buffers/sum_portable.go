//go:build !(goexperiment.simd && amd64)

package buffers

// sumInt64 is sumScalar where Go's simd experiment is off or not amd64.
func sumInt64(s []int64) int64 { return sumScalar(s) }
