// Package shapes implements examples/shapes/module.yaml: spec classes that
// extend each other are Go types that embed each other.
package shapes

import (
	"fmt"
	"math"
)

// Shape is the base type; Circle embeds it by value, Square by pointer.
// Go has no virtual methods, so a concrete shape sets areaFunc: code that
// holds only the *Shape (Describe, Larger) still gets the right area.
type Shape struct {
	Name     string
	areaFunc func() float64
}

func NewShape(name string) (*Shape, error) {
	if name == "" {
		return nil, ShapeError.New("a shape needs a name")
	}
	return &Shape{Name: name}, nil
}

func (s *Shape) Area() float64 {
	if s.areaFunc != nil {
		return s.areaFunc()
	}
	return 0
}

func (s *Shape) Describe() string { return fmt.Sprintf("%s (area %.2f)", s.Name, s.Area()) }

func (s *Shape) Repr() string { return fmt.Sprintf("Shape(%q)", s.Name) }

// Circle is a Shape with a radius.
type Circle struct {
	Shape
	Radius float64
}

func NewCircle(radius float64, name string) (*Circle, error) {
	switch {
	case radius < 0:
		return nil, ShapeError.New("radius must be >= 0, not %v", radius)
	case radius == 0:
		return nil, DegenerateError.New("a circle of radius 0")
	}
	c := &Circle{Shape: Shape{Name: name}, Radius: radius}
	c.areaFunc = c.Area
	return c, nil
}

func (c *Circle) Area() float64 { return math.Pi * c.Radius * c.Radius }

func (c *Circle) Repr() string { return fmt.Sprintf("Circle(%v, %q)", c.Radius, c.Name) }

// Square embeds *Shape: the base part is a separate Go value.
type Square struct {
	*Shape
	side float64
}

func NewSquare(side float64) (*Square, error) {
	if side <= 0 {
		return nil, ShapeError.New("side must be > 0, not %v", side)
	}
	s := &Square{Shape: &Shape{Name: "square"}, side: side}
	s.areaFunc = s.Area
	return s, nil
}

func (s *Square) Side() float64 { return s.side }

func (s *Square) SetSide(v float64) error {
	if v <= 0 {
		return ShapeError.New("side must be > 0, not %v", v)
	}
	s.side = v
	return nil
}

func (s *Square) Area() float64 { return s.side * s.side }

// Larger returns whichever argument has the larger area: one of the very
// objects it was given, so Python sees the same object come back.
func Larger(a, b *Shape) *Shape {
	if a.Area() >= b.Area() {
		return a
	}
	return b
}

func SmallestCircle(none bool) *Circle {
	if none {
		return nil
	}
	c, _ := NewCircle(1, "unit")
	return c
}

func DescribeAll(a, b *Shape) string {
	if b == nil {
		return a.Describe()
	}
	return a.Describe() + "; " + b.Describe()
}
