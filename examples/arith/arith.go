// Package arith implements examples/arith/module.yaml.
package arith

import (
	"fmt"
	"math/bits"

	"github.com/pyspec/pyspec/runtime"
)

// BitsPopcount is bits.popcount of the submodule arith.bits.
func BitsPopcount(x uint64) int64 { return int64(bits.OnesCount64(x)) }

// Bits is a 64-bit pattern.
type Bits struct{ v uint64 }

func NewBits(value uint64) *Bits { return &Bits{value} }

func (b *Bits) And(o *Bits) *Bits   { return &Bits{b.v & o.v} }
func (b *Bits) Or(o *Bits) *Bits    { return &Bits{b.v | o.v} }
func (b *Bits) Xor(o *Bits) *Bits   { return &Bits{b.v ^ o.v} }
func (b *Bits) Rand(o uint64) *Bits { return &Bits{b.v & o} }
func (b *Bits) Invert() *Bits       { return &Bits{^b.v} }

func shift(n int64) (uint, error) {
	if n < 0 {
		return 0, runtime.ValueError("negative shift count")
	}
	return uint(n), nil
}

func (b *Bits) Lshift(n int64) (*Bits, error) {
	s, err := shift(n)
	return &Bits{b.v << s}, err
}

func (b *Bits) Rshift(n int64) (*Bits, error) {
	s, err := shift(n)
	return &Bits{b.v >> s}, err
}

func (b *Bits) Iand(o *Bits) { b.v &= o.v }
func (b *Bits) Ior(o *Bits)  { b.v |= o.v }
func (b *Bits) Ixor(o *Bits) { b.v ^= o.v }

func (b *Bits) Ilshift(n int64) error {
	s, err := shift(n)
	b.v <<= s
	return err
}

func (b *Bits) Irshift(n int64) error {
	s, err := shift(n)
	b.v >>= s
	return err
}

func (b *Bits) Int() uint64     { return b.v }
func (b *Bits) Index() uint64   { return b.v }
func (b *Bits) Eq(o *Bits) bool { return b.v == o.v }
func (b *Bits) Hash() uint64    { return b.v }
func (b *Bits) Repr() string    { return fmt.Sprintf("Bits(0b%b)", b.v) }

// Frac is a fraction in lowest terms with a positive denominator.
type Frac struct {
	Num, Den int64
}

func gcd(a, b int64) int64 {
	if a < 0 {
		a = -a
	}
	for b != 0 {
		a, b = b, a%b
	}
	if a < 0 {
		return -a
	}
	return a
}

func makeFrac(num, den int64) (*Frac, error) {
	if den == 0 {
		return nil, runtime.ZeroDivisionError("Frac(%d, 0)", num)
	}
	if den < 0 {
		num, den = -num, -den
	}
	g := gcd(num, den)
	if g == 0 {
		g = 1
	}
	return &Frac{num / g, den / g}, nil
}

func NewFrac(num, den int64) (*Frac, error) { return makeFrac(num, den) }

func (f *Frac) Value() float64 { return float64(f.Num) / float64(f.Den) }

func (f *Frac) Broken() int64 {
	var m map[string]int64
	return m["x"] + int64(1/len(m)) // divide by zero: a Go runtime panic
}

func (f *Frac) SetBroken(v int64) {
	var p *Frac
	p.Num = v // nil pointer dereference: a Go runtime panic
}

func (f *Frac) Boom() int64 {
	xs := []int64{1, 2, 3}
	i := int(f.Num) + 10
	return xs[i]
}

func (f *Frac) Add(o *Frac) (*Frac, error)  { return makeFrac(f.Num*o.Den+o.Num*f.Den, f.Den*o.Den) }
func (f *Frac) Radd(o int64) (*Frac, error) { return makeFrac(f.Num+o*f.Den, f.Den) }
func (f *Frac) Sub(o *Frac) (*Frac, error)  { return makeFrac(f.Num*o.Den-o.Num*f.Den, f.Den*o.Den) }
func (f *Frac) Mul(o *Frac) (*Frac, error)  { return makeFrac(f.Num*o.Num, f.Den*o.Den) }
func (f *Frac) Truediv(o *Frac) (*Frac, error) {
	if o.Num == 0 {
		return nil, runtime.ZeroDivisionError("Frac division by zero")
	}
	return makeFrac(f.Num*o.Den, f.Den*o.Num)
}

// Floordiv floors like Python's //.
func (f *Frac) Floordiv(o *Frac) (int64, error) {
	q, _, err := f.Divmod(o)
	return q, err
}

// Mod divides without checking for zero on purpose: a zero divisor is a
// Go runtime panic, which Python sees as a RuntimeError.
func (f *Frac) Mod(o *Frac) (*Frac, error) {
	a, b := f.Num*o.Den, o.Num*f.Den
	r := a % b
	if r != 0 && (r < 0) != (b < 0) {
		r += b
	}
	return makeFrac(r, f.Den*o.Den)
}

func (f *Frac) Divmod(o *Frac) (int64, *Frac, error) {
	if o.Num == 0 {
		return 0, nil, runtime.ZeroDivisionError("Frac divmod by zero")
	}
	a, b := f.Num*o.Den, o.Num*f.Den
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	r, err := f.Sub(&Frac{q * o.Num, o.Den})
	return q, r, err
}

func (f *Frac) Pow(n int64) (*Frac, error) {
	num, den := int64(1), int64(1)
	if n < 0 {
		if f.Num == 0 {
			return nil, runtime.ZeroDivisionError("0 cannot be raised to a negative power")
		}
		n = -n
		f = &Frac{f.Den, f.Num}
	}
	for i := int64(0); i < n; i++ {
		num, den = num*f.Num, den*f.Den
	}
	return makeFrac(num, den)
}

func (f *Frac) Pos() *Frac { return &Frac{f.Num, f.Den} }
func (f *Frac) Neg() *Frac { return &Frac{-f.Num, f.Den} }
func (f *Frac) Abs() *Frac {
	if f.Num < 0 {
		return f.Neg()
	}
	return f.Pos()
}
func (f *Frac) Float() float64 { return f.Value() }
func (f *Frac) Int() int64     { return f.Num / f.Den }
func (f *Frac) Bool() bool     { return f.Num != 0 }
func (f *Frac) Str() string    { return fmt.Sprintf("%d/%d", f.Num, f.Den) }
func (f *Frac) Repr() string   { return fmt.Sprintf("Frac(%d, %d)", f.Num, f.Den) }

func (f *Frac) cmp(o *Frac) int64 { return f.Num*o.Den - o.Num*f.Den }

func (f *Frac) Eq(o *Frac) bool { return f.cmp(o) == 0 }
func (f *Frac) Ne(o *Frac) bool { return f.cmp(o) != 0 }
func (f *Frac) Lt(o *Frac) bool { return f.cmp(o) < 0 }
func (f *Frac) Le(o *Frac) bool { return f.cmp(o) <= 0 }
func (f *Frac) Gt(o *Frac) bool { return f.cmp(o) > 0 }
func (f *Frac) Ge(o *Frac) bool { return f.cmp(o) >= 0 }

func (f *Frac) Hash() int64 { return f.Num*1000003 ^ f.Den }
