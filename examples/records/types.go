package records

// Point is the struct `Point` of the spec: a dict {"x", "y", "label"} in
// Python.
type Point struct {
	X, Y  float64
	Label string
}

// Box is the struct `Box`.
type Box struct {
	Low, High Point
	Inside    []Point
	Color     Color
}
