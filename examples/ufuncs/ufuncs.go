// Package ufuncs implements examples/ufuncs/module.yaml: plain scalar Go
// functions, which pyspec makes numpy ufuncs.
package ufuncs

import (
	"math"

	"github.com/pyspec/pyspec/py"
)

func Poly(x float64) float64 { return x*x + 1 }

// PolyParallel is called from several goroutines at once (parallel: true):
// like every ufunc's function, it must be safe for that.
func PolyParallel(x float64) float64 { return x*x + 1 }

func ClampAdd(a, b int64) int64 {
	s := a + b
	switch {
	case a > 0 && b > 0 && s < 0:
		return math.MaxInt64
	case a < 0 && b < 0 && s >= 0:
		return math.MinInt64
	}
	return s
}

func DivMod(a, b int64) (int64, int64, error) {
	if b == 0 {
		return 0, 0, py.ZeroDivisionError("integer division or modulo by zero")
	}
	if a == math.MinInt64 && b == -1 {
		// Go would wrap the quotient to MinInt64; Python's is 2**63.
		return 0, 0, py.OverflowError("div_mod(%d, -1): the quotient does not fit in int64", a)
	}
	q, r := a/b, a%b
	if r != 0 && (r < 0) != (b < 0) {
		q, r = q-1, r+b
	}
	return q, r, nil
}

func Isqrt(x int64) (int64, error) {
	if x < 0 {
		return 0, py.ValueError("isqrt of a negative number: %d", x)
	}
	r := int64(math.Sqrt(float64(x)))
	for r*r > x {
		r--
	}
	for (r+1)*(r+1) <= x {
		r++
	}
	return r, nil
}

func InvChecked(x float64) float64 {
	if x == 0 {
		panic("InvChecked(0)")
	}
	return 1 / x
}

func InUnitCircle(re, im float32) bool { return re*re+im*im < 1 }

func Rotate(z complex128, k int8, turn bool) complex128 {
	if !turn {
		return z
	}
	for range (int(k)%4 + 4) % 4 {
		z *= 1i
	}
	return z
}

func Halve(x py.Float16) py.Float16 { return py.MustFloat16(x.Float64() / 2) }

func Saturate(x int32) uint8 { return uint8(min(max(x, 0), 255)) }
