package py

import "math"

// Float16 is an IEEE 754 half-precision number held as its 16 bits: numpy's
// float16 and the struct module's 'e'. Go has no such type; a spec's
// float16 parameter arrives as one, and a buffer of them is a
// View[Float16]. Convert with Float32, Float64 and Float16From.
type Float16 uint16

// Float64 is h's value.
func (h Float16) Float64() float64 {
	exp, frac := int(h>>10)&0x1f, int(h&0x3ff)
	var v float64
	switch exp {
	case 0:
		v = math.Ldexp(float64(frac), -24) // subnormal
	case 31:
		if frac != 0 {
			v = math.NaN()
		} else {
			v = math.Inf(1)
		}
	default:
		v = math.Ldexp(float64(frac|0x400), exp-25)
	}
	if h&0x8000 != 0 {
		return -v
	}
	return v
}

// Float32 is h's value (every half is exactly a float32).
func (h Float16) Float32() float32 { return float32(h.Float64()) }

// Float16From rounds v to the nearest half, ties to even. A finite v beyond
// the largest half (65504) is an OverflowError, as for struct.pack('e').
func Float16From(v float64) (Float16, error) {
	var sign Float16
	if math.Signbit(v) {
		sign = 0x8000
	}
	a := math.Abs(v)
	switch {
	case math.IsNaN(v):
		return sign | 0x7e00, nil
	case math.IsInf(v, 0):
		return sign | 0x7c00, nil
	case a < 0x1p-14:
		// Subnormal (or zero): units of 2**-24; 1024 units is the smallest
		// normal, which is also its right encoding.
		return sign | Float16(math.RoundToEven(a*0x1p24)), nil
	}
	m, e := math.Frexp(a) // a = m * 2**e, m in [0.5, 1)
	frac := math.RoundToEven((m*2 - 1) * 1024)
	exp := e - 1 + 15
	if frac == 1024 {
		frac, exp = 0, exp+1
	}
	if exp >= 31 {
		return 0, OverflowError("%v is out of range for float16 (+-65504)", v)
	}
	return sign | Float16(exp<<10) | Float16(frac), nil
}

// MustFloat16 is Float16From for values known to fit; it panics otherwise.
func MustFloat16(v float64) Float16 {
	h, err := Float16From(v)
	if err != nil {
		panic(err)
	}
	return h
}
