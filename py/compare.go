package py

// The operators __richcompare__ gets, as Python numbers them (Py_LT ...
// Py_GE): one method may implement all six comparisons.
const (
	LT int64 = iota // <
	LE              // <=
	EQ              // ==
	NE              // !=
	GT              // >
	GE              // >=
)

// Compare reports whether a comparison of a and b by op holds, for
// __richcompare__ methods over ordered values.
func Compare[T int | int8 | int16 | int32 | int64 | uint | uint8 | uint16 | uint32 | uint64 | float32 | float64 | string](a, b T, op int64) bool {
	switch op {
	case LT:
		return a < b
	case LE:
		return a <= b
	case EQ:
		return a == b
	case NE:
		return a != b
	case GT:
		return a > b
	case GE:
		return a >= b
	}
	return false
}
