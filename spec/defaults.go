// Defaults: checked against their types and spelled as C and Python literals.

package spec

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/pyspec/pyspec/py"
	"gopkg.in/yaml.v3"
)

// makeDefault checks a default value against its type and spells it.
func makeDefault(t *Type, n *yaml.Node) (*Default, error) {
	if n.Kind != yaml.ScalarNode && !(n.Kind == yaml.SequenceNode && len(n.Content) == 0) && !(n.Kind == yaml.MappingNode && len(n.Content) == 0) {
		return nil, fmt.Errorf("a default must be a plain value (or [] for a list, {} for a dict)")
	}
	if n.Tag == "!!null" {
		if t.Kind == KindAny {
			return &Default{Python: "None", IsNone: true}, nil
		}
		if t.Kind != KindOptional {
			return nil, fmt.Errorf("default is null but %s is not optional (write %s | None)", t.Spec, t.Spec)
		}
		return &Default{Python: "None", IsNone: true}, nil
	}
	return familyOf(t).defaultOf(t, n)
}

func floatDefault(f float64, bits int) (*Default, error) {
	if bits == 16 {
		// C holds a half's bits; Python shows the value it rounds to.
		h, err := py.Float16From(f)
		if err != nil {
			return nil, fmt.Errorf("default %v is out of range for float16 (+-65504)", f)
		}
		lit := strconv.FormatFloat(h.Float64(), 'g', -1, 64)
		switch {
		case math.IsNaN(f):
			lit = "nan"
		case math.IsInf(f, 0):
			lit = strings.ToLower(strings.TrimPrefix(lit, "+"))
		case !strings.ContainsAny(lit, ".eE"):
			lit += ".0"
		}
		return &Default{Python: lit, Value: h, Go: fmt.Sprintf("py.Float16(0x%04x)", uint16(h))}, nil
	}
	switch {
	case math.IsNaN(f):
		return &Default{Python: "nan", Value: f, Go: "floatNaN"}, nil
	case math.IsInf(f, 1):
		return &Default{Python: "inf", Value: f, Go: "floatInf"}, nil
	case math.IsInf(f, -1):
		return &Default{Python: "-inf", Value: f, Go: "-floatInf"}, nil
	case bits == 32 && math.Abs(f) > math.MaxFloat32:
		return nil, fmt.Errorf("default %v is out of range for float32", f)
	}
	py := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(py, ".eE") {
		py += ".0"
	}
	g := strconv.FormatFloat(f, 'g', 17, 64)
	if !strings.ContainsAny(g, ".eE") {
		g += ".0"
	}
	return &Default{Python: py, Value: f, Go: g}, nil
}

// pyRepr spells s as Python's ascii() would: a literal in plain ASCII,
// as text signatures (parsed from the docstring) and bytes literals need.
func pyRepr(s string) string { return pyLiteral(s, false) }

// pyUnicodeRepr spells s as Python's repr() would: printable characters
// beyond ASCII stay as they are.
func pyUnicodeRepr(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > 0x7f && unicode.IsPrint(r) {
			b.WriteRune(r)
		} else {
			lit := pyRepr(string(r))
			b.WriteString(lit[1 : len(lit)-1])
		}
	}
	return "'" + b.String() + "'"
}

// pyBytesRepr spells the UTF-8 bytes of s as a bytes literal.
func pyBytesRepr(s string) string { return "b" + pyLiteral(s, true) }

func pyLiteral(s string, bytes bool) string {
	var b strings.Builder
	b.WriteByte('\'')
	escape := func(r rune) {
		switch r {
		case '\'', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			switch {
			case r >= 0x20 && r < 0x7f:
				b.WriteRune(r)
			case r < 0x100:
				fmt.Fprintf(&b, `\x%02x`, r)
			case r < 0x10000:
				fmt.Fprintf(&b, `\u%04x`, r)
			default:
				fmt.Fprintf(&b, `\U%08x`, r)
			}
		}
	}
	if bytes {
		for i := 0; i < len(s); i++ {
			escape(rune(s[i]))
		}
	} else {
		for _, r := range s {
			escape(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}
