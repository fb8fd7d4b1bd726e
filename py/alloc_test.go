package py

import (
	"errors"
	"testing"
)

// kindOf is the class err is raised as.
func kindOf(err error) ExcKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindRuntimeError
}

func TestCheckAlloc(t *testing.T) {
	if err := CheckAlloc(1000, 8); err != nil {
		t.Fatal(err)
	}
	if k := kindOf(CheckAlloc(-1, 8)); k != KindValueError {
		t.Fatalf("negative size: %v", k)
	}
	for _, n := range []int64{1 << 62, 1 << 43} {
		if k := kindOf(CheckAlloc(n, 16)); k != KindMemoryError {
			t.Fatalf("%d values of 16 bytes: %v, want MemoryError", n, k)
		}
	}
}
