package py

import "math"

// allocProbe is the size from which CheckAlloc asks the system whether the
// memory can be had; smaller allocations are left to Go.
const allocProbe = 32 << 20

// CheckAlloc returns a MemoryError when n values of size bytes each cannot
// be allocated: their total overflows, or the system refuses that much
// memory now (a limit such as `ulimit -v`, or more than the machine has).
// Call it before making a slice or map whose length comes from the user:
// Go ends the process when an allocation fails. A negative n is a
// ValueError. The check is a promise for the moment only: another
// allocation may take the memory first.
func CheckAlloc(n, size int64) error {
	if n < 0 {
		return ValueError("negative size %d", n)
	}
	if size <= 0 || n == 0 {
		return nil
	}
	if n > math.MaxInt64/size {
		return MemoryError("cannot allocate %d values of %d bytes: the size overflows", n, size)
	}
	total := n * size
	if total < allocProbe {
		return nil
	}
	if !canMap(total) {
		return MemoryError("cannot allocate %d bytes (%d values of %d bytes)", total, n, size)
	}
	return nil
}
