// Package vectors implements examples/vectors/module.yaml.
package vectors

import (
	"fmt"
	"math"

	"github.com/pyspec/pyspec/py"
)

// Vec is a 2-D vector; Python sees X and Y as the attributes x and y.
type Vec struct {
	X, Y float64
}

func NewVec(x, y float64) (*Vec, error) {
	if math.IsNaN(x) || math.IsNaN(y) {
		return nil, VectorError.New("Vec(%v, %v): coordinates must not be NaN", x, y)
	}
	return &Vec{x, y}, nil
}

func (v *Vec) Length() float64 { return math.Hypot(v.X, v.Y) }

func (v *Vec) SetLength(l float64) error {
	if l < 0 {
		return py.ValueError("length must be >= 0, not %v", l)
	}
	n := v.Length()
	if n == 0 {
		if l == 0 {
			return nil
		}
		return VectorError.New("the zero vector has no direction to scale along")
	}
	v.X, v.Y = v.X*l/n, v.Y*l/n
	return nil
}

func (v *Vec) Dot(o *Vec) float64 { return v.X*o.X + v.Y*o.Y }

func (v *Vec) ScaledLength(k float64) float64 { return v.Length() * k }

func (v *Vec) Normalized() (*Vec, error) {
	n := v.Length()
	if n == 0 {
		return nil, fmt.Errorf("normalized: %w", VectorError.New("the zero vector has no direction"))
	}
	return &Vec{v.X / n, v.Y / n}, nil
}

func (v *Vec) Same() *Vec { return v }

func VecZero() *Vec { return &Vec{} }

func VecFromPolar(r, theta float64) *Vec {
	return &Vec{r * math.Cos(theta), r * math.Sin(theta)}
}

// RotatedMany is CPU-bound on purpose: it runs without the GIL.
func (v *Vec) RotatedMany(theta float64, n int64) *Vec {
	s, c := math.Sincos(theta)
	x, y := v.X, v.Y
	for i := int64(0); i < n; i++ {
		x, y = x*c-y*s, x*s+y*c
	}
	return &Vec{x, y}
}

func (v *Vec) Repr() string { return fmt.Sprintf("Vec(%v, %v)", v.X, v.Y) }

func (v *Vec) Eq(o *Vec) bool { return v.X == o.X && v.Y == o.Y }

func (v *Vec) Lt(o *Vec) bool { return v.Length() < o.Length() }

func (v *Vec) Hash() int64 {
	return int64(math.Float64bits(v.X)*31 ^ math.Float64bits(v.Y))
}

func (v *Vec) Bool() bool { return v.X != 0 || v.Y != 0 }

func (v *Vec) Len() int64 { return 2 }

func (v *Vec) Getitem(i int64) (float64, error) {
	switch i {
	case 0, -2:
		return v.X, nil
	case 1, -1:
		return v.Y, nil
	}
	return 0, py.IndexError("Vec index %d out of range", i)
}

func (v *Vec) Add(o *Vec) *Vec { return &Vec{v.X + o.X, v.Y + o.Y} }

func (v *Vec) Sub(o *Vec) *Vec { return &Vec{v.X - o.X, v.Y - o.Y} }

func (v *Vec) Mul(k float64) *Vec { return &Vec{v.X * k, v.Y * k} }

func (v *Vec) Rmul(k float64) *Vec { return v.Mul(k) }

func (v *Vec) Truediv(k float64) (*Vec, error) {
	if k == 0 {
		return nil, py.ZeroDivisionError("Vec division by zero")
	}
	return &Vec{v.X / k, v.Y / k}, nil
}

func (v *Vec) Matmul(o *Vec) float64 { return v.Dot(o) }

// Iadd adds in place: `v += w` keeps v's identity.
func (v *Vec) Iadd(o *Vec) { v.X, v.Y = v.X+o.X, v.Y+o.Y }

func (v *Vec) Neg() *Vec { return &Vec{-v.X, -v.Y} }

func (v *Vec) Abs() float64 { return v.Length() }
