//go:build unix

package py

import (
	"math"
	"syscall"
)

// canMap reports whether the system gives n bytes of memory now: a
// mapping it refuses (RLIMIT_AS, overcommit) is one Go's allocator could
// not get either.
func canMap(n int64) bool {
	if uint64(n) > math.MaxInt {
		return false
	}
	b, err := syscall.Mmap(-1, 0, int(n), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return false
	}
	syscall.Munmap(b)
	return true
}
