package py

import "strings"

// Flags is a buffer request, as CPython's PyBUF_* constants: the consumer
// says which fields it can handle and whether it needs to write.
type Flags int

// The request flags and their combinations, with CPython's values.
const (
	SIMPLE         Flags = 0
	WRITABLE       Flags = 0x0001
	FORMAT         Flags = 0x0004
	ND             Flags = 0x0008
	STRIDES        Flags = 0x0010 | ND
	C_CONTIGUOUS   Flags = 0x0020 | STRIDES
	F_CONTIGUOUS   Flags = 0x0040 | STRIDES
	ANY_CONTIGUOUS Flags = 0x0080 | STRIDES
	INDIRECT       Flags = 0x0100 | STRIDES
	CONTIG         Flags = ND | WRITABLE
	CONTIG_RO      Flags = ND
	STRIDED        Flags = STRIDES | WRITABLE
	STRIDED_RO     Flags = STRIDES
	RECORDS        Flags = STRIDES | WRITABLE | FORMAT
	RECORDS_RO     Flags = STRIDES | FORMAT
	FULL           Flags = INDIRECT | WRITABLE | FORMAT
	FULL_RO        Flags = INDIRECT | FORMAT
)

// FlagNames maps every request name a spec may use to its value.
var FlagNames = map[string]Flags{
	"SIMPLE": SIMPLE, "WRITABLE": WRITABLE, "FORMAT": FORMAT, "ND": ND,
	"STRIDES": STRIDES, "C_CONTIGUOUS": C_CONTIGUOUS, "F_CONTIGUOUS": F_CONTIGUOUS,
	"ANY_CONTIGUOUS": ANY_CONTIGUOUS, "INDIRECT": INDIRECT,
	"CONTIG": CONTIG, "CONTIG_RO": CONTIG_RO, "STRIDED": STRIDED, "STRIDED_RO": STRIDED_RO,
	"RECORDS": RECORDS, "RECORDS_RO": RECORDS_RO, "FULL": FULL, "FULL_RO": FULL_RO,
}

// Has reports whether every bit of want is requested.
func (f Flags) Has(want Flags) bool { return f&want == want }

// Writable reports whether the consumer asked for a writable buffer.
func (f Flags) Writable() bool { return f&WRITABLE != 0 }

// String spells the request with the names a spec uses, e.g. "STRIDES|WRITABLE".
func (f Flags) String() string {
	var parts []string
	rest := f
	// Largest composite bits first, so INDIRECT is not also shown as STRIDES|ND.
	for _, c := range []struct {
		name string
		v    Flags
	}{
		{"INDIRECT", INDIRECT}, {"ANY_CONTIGUOUS", ANY_CONTIGUOUS}, {"F_CONTIGUOUS", F_CONTIGUOUS},
		{"C_CONTIGUOUS", C_CONTIGUOUS}, {"STRIDES", STRIDES}, {"ND", ND},
		{"FORMAT", FORMAT}, {"WRITABLE", WRITABLE},
	} {
		if rest&c.v == c.v && rest&c.v != 0 {
			parts = append(parts, c.name)
			rest &^= c.v
		}
	}
	if len(parts) == 0 {
		return "SIMPLE"
	}
	return strings.Join(parts, "|")
}
