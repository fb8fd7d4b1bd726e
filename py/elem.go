package py

import (
	"encoding/binary"
	"fmt"
	"unsafe"
)

// Elem is the set of element types a typed buffer view or export can have.
type Elem interface {
	~bool | ~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64 |
		~float32 | ~float64
}

type elemClass uint8

const (
	classNone elemClass = iota
	classBool
	classSigned
	classUnsigned
	classFloat
)

// elemInfo is what a format code says about an element.
type elemInfo struct {
	class elemClass
	size  int
}

// Name is the pyspec element type name, e.g. "int64", or "" when there is none.
func (e elemInfo) Name() string {
	switch e.class {
	case classBool:
		if e.size == 1 {
			return "bool"
		}
	case classSigned:
		return fmt.Sprintf("int%d", e.size*8)
	case classUnsigned:
		return fmt.Sprintf("uint%d", e.size*8)
	case classFloat:
		return fmt.Sprintf("float%d", e.size*8)
	}
	return ""
}

func infoOf[T Elem]() elemInfo {
	var zero T
	size := int(unsafe.Sizeof(zero))
	switch any(zero).(type) {
	case bool:
		return elemInfo{classBool, size}
	case int8, int16, int32, int64:
		return elemInfo{classSigned, size}
	case uint8, uint16, uint32, uint64:
		return elemInfo{classUnsigned, size}
	case float32, float64, Float16:
		return elemInfo{classFloat, size}
	}
	// A named type (~int64 and friends): classify by its underlying kind.
	return infoOfUnderlying(any(zero), size)
}

var littleEndianHost = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// parseFormat reads a single-element format in struct-module syntax: an
// optional byte-order prefix and one type code. ok is false for anything it
// does not describe as one plain number (structs, counts, pointers).
func parseFormat(format string) (info elemInfo, ok bool) {
	native := true // native sizes
	nativeOrder := true
	switch {
	case format == "":
		format = "B"
	case format[0] == '@':
		format = format[1:]
	case format[0] == '=':
		native, format = false, format[1:]
	case format[0] == '<':
		native, nativeOrder, format = false, littleEndianHost, format[1:]
	case format[0] == '>' || format[0] == '!':
		native, nativeOrder, format = false, !littleEndianHost, format[1:]
	}
	if len(format) != 1 {
		return elemInfo{}, false
	}
	var c elemClass
	var size int
	switch format[0] {
	case '?':
		c, size = classBool, 1
	case 'b':
		c, size = classSigned, 1
	case 'B':
		c, size = classUnsigned, 1
	case 'h':
		c, size = classSigned, 2
	case 'H':
		c, size = classUnsigned, 2
	case 'i':
		c, size = classSigned, 4
	case 'I':
		c, size = classUnsigned, 4
	case 'l':
		c, size = classSigned, 4
		if native {
			size = int(unsafe.Sizeof(clong(0)))
		}
	case 'L':
		c, size = classUnsigned, 4
		if native {
			size = int(unsafe.Sizeof(clong(0)))
		}
	case 'q':
		c, size = classSigned, 8
	case 'Q':
		c, size = classUnsigned, 8
	case 'n', 'N':
		if !native {
			return elemInfo{}, false
		}
		c, size = classSigned, int(unsafe.Sizeof(uintptr(0)))
		if format[0] == 'N' {
			c = classUnsigned
		}
	case 'e':
		c, size = classFloat, 2
	case 'f':
		c, size = classFloat, 4
	case 'd':
		c, size = classFloat, 8
	default:
		return elemInfo{}, false
	}
	if !nativeOrder && size > 1 {
		return elemInfo{}, false
	}
	return elemInfo{c, size}, true
}

// describeFormat names a format for an error message: "float64 (format 'd')".
func describeFormat(format string) string {
	if info, ok := parseFormat(format); ok && info.Name() != "" {
		return fmt.Sprintf("%s (format '%s')", info.Name(), format)
	}
	return fmt.Sprintf("format '%s'", format)
}

// CheckElem reports whether b holds elements of type T: its format must
// describe T's kind and size in native byte order, and its item size must be
// T's size. The error is a TypeError whose text completes "argument 'x' ...".
func CheckElem[T Elem](b Buffer) error {
	want := infoOf[T]()
	format := b.Format()
	got, ok := parseFormat(format)
	if !ok || got != want || b.ItemSize() != want.size {
		if ok && got == want {
			return TypeError("must be a buffer of %s, got item size %d for format '%s'", want.Name(), b.ItemSize(), format)
		}
		return TypeError("must be a buffer of %s, not %s", want.Name(), describeFormat(format))
	}
	return nil
}

// ElemName is the pyspec name of T's element type, e.g. "float64".
func ElemName[T Elem]() string { return infoOf[T]().Name() }

// ElemFormat is the native struct-module format of T, e.g. "q" for int64.
func ElemFormat[T Elem]() string {
	info := infoOf[T]()
	switch info.class {
	case classBool:
		return "?"
	case classFloat:
		return [...]string{2: "e", 4: "f", 8: "d"}[info.size]
	case classSigned:
		return [...]string{1: "b", 2: "h", 4: "i", 8: "q"}[info.size]
	default:
		return [...]string{1: "B", 2: "H", 4: "I", 8: "Q"}[info.size]
	}
}
