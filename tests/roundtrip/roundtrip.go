// Package roundtrip returns what it is given: the Go side of the
// property-based tests of every conversion.
package roundtrip

import (
	"fmt"

	"github.com/pyspec/pyspec/py"
)

// EchoBool returns x.
func EchoBool(x bool) bool { return x }

// EchoInt8 returns x.
func EchoInt8(x int8) int8 { return x }

// EchoInt16 returns x.
func EchoInt16(x int16) int16 { return x }

// EchoInt32 returns x.
func EchoInt32(x int32) int32 { return x }

// EchoInt64 returns x.
func EchoInt64(x int64) int64 { return x }

// EchoUint8 returns x.
func EchoUint8(x uint8) uint8 { return x }

// EchoUint16 returns x.
func EchoUint16(x uint16) uint16 { return x }

// EchoUint32 returns x.
func EchoUint32(x uint32) uint32 { return x }

// EchoUint64 returns x.
func EchoUint64(x uint64) uint64 { return x }

// EchoFloat32 returns x.
func EchoFloat32(x float32) float32 { return x }

// EchoFloat64 returns x.
func EchoFloat64(x float64) float64 { return x }

// EchoStr returns x.
func EchoStr(x string) string { return x }

// EchoBytes returns x.
func EchoBytes(x []byte) []byte { return x }

// EchoListBool returns xs.
func EchoListBool(xs []bool) []bool { return xs }

// EchoListInt8 returns xs.
func EchoListInt8(xs []int8) []int8 { return xs }

// EchoListUint64 returns xs.
func EchoListUint64(xs []uint64) []uint64 { return xs }

// EchoListInt64 returns xs.
func EchoListInt64(xs []int64) []int64 { return xs }

// EchoListFloat32 returns xs.
func EchoListFloat32(xs []float32) []float32 { return xs }

// EchoListFloat64 returns xs.
func EchoListFloat64(xs []float64) []float64 { return xs }

// EchoListStr returns xs.
func EchoListStr(xs []string) []string { return xs }

// EchoListBytes returns xs.
func EchoListBytes(xs [][]byte) [][]byte { return xs }

// EchoTupleUint16 returns xs.
func EchoTupleUint16(xs []uint16) []uint16 { return xs }

// EchoOptInt32 returns x.
func EchoOptInt32(x *int32) *int32 { return x }

// EchoOptStr returns x.
func EchoOptStr(x *string) *string { return x }

// EchoMany returns its arguments.
func EchoMany(a int8, b float32, c string, d *[]byte) (int8, float32, string, *[]byte) {
	return a, b, c, d
}

// ElemsInt8 lists the elements of buf in C order.
func ElemsInt8(buf py.View[int8]) []int8 { return elems(buf) }

// ElemsUint16 lists the elements of buf in C order.
func ElemsUint16(buf py.View[uint16]) []uint16 { return elems(buf) }

// ElemsInt32 lists the elements of buf in C order.
func ElemsInt32(buf py.View[int32]) []int32 { return elems(buf) }

// ElemsInt64 lists the elements of buf in C order.
func ElemsInt64(buf py.View[int64]) []int64 { return elems(buf) }

// ElemsUint64 lists the elements of buf in C order.
func ElemsUint64(buf py.View[uint64]) []uint64 { return elems(buf) }

// ElemsFloat32 lists the elements of buf in C order.
func ElemsFloat32(buf py.View[float32]) []float32 { return elems(buf) }

// ElemsFloat64 lists the elements of buf in C order.
func ElemsFloat64(buf py.View[float64]) []float64 { return elems(buf) }

// ElemsBool lists the elements of buf in C order.
func ElemsBool(buf py.View[bool]) []bool { return elems(buf) }

// elems walks every index of v in C order with At, whatever the strides.
func elems[T py.Elem](v py.View[T]) []T {
	shape := v.Shape()
	out := make([]T, 0, v.NumElems())
	if v.NumElems() == 0 {
		return out
	}
	idx := make([]int, len(shape))
	for {
		out = append(out, v.At(idx...))
		k := len(idx) - 1
		for k >= 0 {
			idx[k]++
			if idx[k] < shape[k] {
				break
			}
			idx[k] = 0
			k--
		}
		if k < 0 {
			return out
		}
	}
}

// FillUint8 writes v into every element of buf.
func FillUint8(buf py.View[uint8], v uint8) {
	shape := buf.Shape()
	if buf.NumElems() == 0 {
		return
	}
	idx := make([]int, len(shape))
	for {
		buf.Set(v, idx...)
		k := len(idx) - 1
		for k >= 0 {
			idx[k]++
			if idx[k] < shape[k] {
				break
			}
			idx[k] = 0
			k--
		}
		if k < 0 {
			return
		}
	}
}

// Nbytes is the buffer's length in bytes.
func Nbytes(buf py.Buffer) int64 { return int64(buf.Len()) }

// Fields has a field of every scalar type, in an order that makes padding.
type Fields struct {
	B   bool
	I8  int8
	I16 int16
	I32 int32
	I64 int64
	U8  uint8
	U16 uint16
	U32 uint32
	U64 uint64
	F32 float32
	F64 float64
}

// NewFields makes zero Fields.
func NewFields() (*Fields, error) { return &Fields{}, nil }

// InGo formats the fields.
func (f *Fields) InGo() string {
	return fmt.Sprintf("%v %d %d %d %d %d %d %d %d %v %v", f.B, f.I8, f.I16, f.I32, f.I64, f.U8, f.U16, f.U32, f.U64, f.F32, f.F64)
}

// ShapeOf is buf's shape: empty for a 0-d array (a scalar).
func ShapeOf(buf py.Buffer) []int64 {
	out := make([]int64, buf.NDim())
	for i, n := range buf.Shape() {
		out[i] = int64(n)
	}
	return out
}

// Clear is roundtrip.clear.
func Clear() string { return "clear" }

// FieldsInGo is roundtrip.Fields_in_go.
func FieldsInGo() string { return "Fields_in_go" }

// Methods is Fields.methods.
func (f *Fields) Methods() string { return "methods" }

// InGoCore is Fields.in_go_core.
func (f *Fields) InGoCore() string { return "in_go_core" }
