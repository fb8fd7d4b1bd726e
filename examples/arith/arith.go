// Package arith implements examples/arith/module.yaml.
package arith

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"

	"github.com/pyspec/pyspec/py"
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
		return 0, py.ValueError("negative shift count")
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
		return nil, py.ZeroDivisionError("Frac(%d, 0)", num)
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

// The arithmetic is checked: Python's fractions never overflow, and an
// int64 that wrapped around would give a wrong answer without a word. A
// result beyond int64 is an OverflowError instead.
var errOverflow = py.OverflowError("Frac result does not fit int64 numerator and denominator")

// mul is a*b, or errOverflow.
func mul(a, b int64) (int64, error) {
	hi, lo := bits.Mul64(uint64(abs(a)), uint64(abs(b)))
	if hi != 0 || lo > math.MaxInt64 || a == math.MinInt64 || b == math.MinInt64 {
		return 0, errOverflow
	}
	if (a < 0) != (b < 0) {
		return -int64(lo), nil
	}
	return int64(lo), nil
}

// add is a+b, or errOverflow.
func add(a, b int64) (int64, error) {
	c := a + b
	if (b > 0 && c < a) || (b < 0 && c > a) {
		return 0, errOverflow
	}
	return c, nil
}

func abs(a int64) int64 {
	if a < 0 {
		return -a
	}
	return a
}

// cross is a/b op c/d over a common denominator: a*d op c*b (plus, for
// op +1, minus for -1), checked.
func cross(a, b, c, d int64, sign int64) (num, den int64, err error) {
	ad, err1 := mul(a, d)
	cb, err2 := mul(c, b)
	bd, err3 := mul(b, d)
	if err := errors.Join(err1, err2, err3); err != nil {
		return 0, 0, errOverflow
	}
	if sign < 0 {
		if cb == math.MinInt64 {
			return 0, 0, errOverflow
		}
		cb = -cb
	}
	num, err = add(ad, cb)
	return num, bd, err
}

func (f *Frac) Add(o *Frac) (*Frac, error) {
	num, den, err := cross(f.Num, f.Den, o.Num, o.Den, 1)
	if err != nil {
		return nil, err
	}
	return makeFrac(num, den)
}

func (f *Frac) Radd(o int64) (*Frac, error) { return f.Add(&Frac{o, 1}) }

func (f *Frac) Sub(o *Frac) (*Frac, error) {
	num, den, err := cross(f.Num, f.Den, o.Num, o.Den, -1)
	if err != nil {
		return nil, err
	}
	return makeFrac(num, den)
}

func (f *Frac) Mul(o *Frac) (*Frac, error) {
	num, err1 := mul(f.Num, o.Num)
	den, err2 := mul(f.Den, o.Den)
	if err := errors.Join(err1, err2); err != nil {
		return nil, errOverflow
	}
	return makeFrac(num, den)
}

func (f *Frac) Truediv(o *Frac) (*Frac, error) {
	if o.Num == 0 {
		return nil, py.ZeroDivisionError("Frac division by zero")
	}
	return f.Mul(&Frac{o.Den, o.Num})
}

// Floordiv floors like Python's //.
func (f *Frac) Floordiv(o *Frac) (int64, error) {
	q, _, err := f.Divmod(o)
	return q, err
}

// Mod divides without checking for zero on purpose: a zero divisor is a
// Go runtime panic, which Python sees as a RuntimeError.
func (f *Frac) Mod(o *Frac) (*Frac, error) {
	a, err1 := mul(f.Num, o.Den)
	b, err2 := mul(o.Num, f.Den)
	den, err3 := mul(f.Den, o.Den)
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, errOverflow
	}
	r := a % b
	if r != 0 && (r < 0) != (b < 0) {
		r += b
	}
	return makeFrac(r, den)
}

func (f *Frac) Divmod(o *Frac) (int64, *Frac, error) {
	if o.Num == 0 {
		return 0, nil, py.ZeroDivisionError("Frac divmod by zero")
	}
	a, err1 := mul(f.Num, o.Den)
	b, err2 := mul(o.Num, f.Den)
	if err := errors.Join(err1, err2); err != nil {
		return 0, nil, errOverflow
	}
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	qn, err := mul(q, o.Num)
	if err != nil {
		return 0, nil, err
	}
	r, err := f.Sub(&Frac{qn, o.Den})
	return q, r, err
}

func (f *Frac) Pow(n int64) (*Frac, error) {
	num, den := int64(1), int64(1)
	if n < 0 {
		if f.Num == 0 {
			return nil, py.ZeroDivisionError("0 cannot be raised to a negative power")
		}
		n = -n
		f = &Frac{f.Den, f.Num}
	}
	// By squaring: log2(n) steps, so f ** 2**40 ends at once (it
	// overflows within 63 squarings unless f is 0 or ±1).
	base := *f
	var err error
	for n > 0 {
		if n&1 == 1 {
			if num, err = mul(num, base.Num); err != nil {
				return nil, err
			}
			if den, err = mul(den, base.Den); err != nil {
				return nil, err
			}
		}
		if n >>= 1; n > 0 {
			if base.Num, err = mul(base.Num, base.Num); err != nil {
				return nil, err
			}
			if base.Den, err = mul(base.Den, base.Den); err != nil {
				return nil, err
			}
		}
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

// cmp is -1, 0 or 1 as f is less than, equal to or greater than o,
// exactly: the cross products can exceed int64, so they are compared as
// big integers.
func (f *Frac) cmp(o *Frac) int {
	a := new(big.Int).Mul(big.NewInt(f.Num), big.NewInt(o.Den))
	b := new(big.Int).Mul(big.NewInt(o.Num), big.NewInt(f.Den))
	return a.Cmp(b)
}

// Richcompare is all six comparisons in one (__richcompare__): op is
// py.LT ... py.GE.
func (f *Frac) Richcompare(o *Frac, op int64) bool { return py.Compare(f.cmp(o), 0, op) }

func (f *Frac) Hash() int64 { return f.Num*1000003 ^ f.Den }
