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
	if t.Kind == KindOptional {
		if n.Tag == "!!str" && n.Value == "None" && n.Style == 0 {
			return nil, fmt.Errorf("write `default: null` for None (a plain None is YAML's string \"None\"; quote it for that)")
		}
		return makeDefault(t.Elem, n)
	}
	switch t.Kind {
	case KindBool:
		if n.Tag != "!!bool" {
			return nil, fmt.Errorf("default %q is not a bool (true or false)", n.Value)
		}
		var b bool
		_ = n.Decode(&b)
		if b {
			return &Default{Python: "True", C: "1", Go: "true"}, nil
		}
		return &Default{Python: "False", C: "0", Go: "false"}, nil
	case KindInt:
		if n.Tag != "!!int" {
			return nil, fmt.Errorf("default %q is not an integer", n.Value)
		}
		if t.Signed {
			v, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, t.Bits)
			if err != nil {
				return nil, fmt.Errorf("default %s is out of range for %s", n.Value, t.Spec)
			}
			c := fmt.Sprintf("INT64_C(%d)", v)
			if v == math.MinInt64 {
				c = "INT64_MIN"
			}
			return &Default{Python: strconv.FormatInt(v, 10), C: c, Go: strconv.FormatInt(v, 10)}, nil
		}
		v, err := strconv.ParseUint(strings.ReplaceAll(n.Value, "_", ""), 0, t.Bits)
		if err != nil {
			return nil, fmt.Errorf("default %s is out of range for %s", n.Value, t.Spec)
		}
		return &Default{Python: strconv.FormatUint(v, 10), C: fmt.Sprintf("UINT64_C(%d)", v), Go: strconv.FormatUint(v, 10)}, nil
	case KindFloat:
		if n.Tag != "!!float" && n.Tag != "!!int" {
			return nil, fmt.Errorf("default %q is not a number", n.Value)
		}
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, fmt.Errorf("default %q is not a number", n.Value)
		}
		return floatDefault(f, t.Bits)
	case KindStr, KindBytes:
		if n.Tag != "!!str" {
			return nil, fmt.Errorf("default %s for %s must be a quoted string", n.Value, t.Spec)
		}
		d := &Default{Python: pyRepr(n.Value), C: cString(n.Value), CLen: len(n.Value), Go: strconv.Quote(n.Value)}
		if t.Kind == KindBytes {
			d.Python = pyBytesRepr(n.Value)
			d.Go = "[]byte(" + d.Go + ")"
		} else if shown := pyUnicodeRepr(n.Value); shown != d.Python {
			d.Repr = shown
		}
		return d, nil
	case KindList:
		if n.Kind == yaml.SequenceNode {
			if t.Seq != SeqList {
				// Any iterable: the stub and the signature show ().
				return &Default{Python: "()"}, nil
			}
			return &Default{Python: "[]"}, nil
		}
		return nil, fmt.Errorf("a list default can only be []")
	case KindDict:
		if n.Kind == yaml.MappingNode {
			return &Default{Python: "{}"}, nil
		}
		return nil, fmt.Errorf("a dict default can only be {}")
	case KindEnum:
		for _, m := range t.Enum.Members {
			if n.Value == m.Name {
				return &Default{Python: t.Enum.Name + "." + m.Name, Repr: fmt.Sprintf("<%s.%s: %d>", t.Enum.Name, m.Name, m.Value), Member: m}, nil
			}
		}
		return nil, fmt.Errorf("default %q is not a member of %s", n.Value, t.Enum.Name)
	}
	if t.Dynamic() {
		return nil, fmt.Errorf("%s parameters cannot have a default (but None when optional)", t.Spec)
	}
	return nil, fmt.Errorf("%s parameters cannot have a default", t.Spec)
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
		return &Default{Python: lit, C: fmt.Sprintf("0x%04x", uint16(h)), Go: fmt.Sprintf("py.Float16(0x%04x)", uint16(h))}, nil
	}
	switch {
	case math.IsNaN(f):
		return &Default{Python: "nan", C: "NAN", Go: "floatNaN"}, nil
	case math.IsInf(f, 1):
		return &Default{Python: "inf", C: "INFINITY", Go: "floatInf"}, nil
	case math.IsInf(f, -1):
		return &Default{Python: "-inf", C: "(-INFINITY)", Go: "-floatInf"}, nil
	case bits == 32 && math.Abs(f) > math.MaxFloat32:
		return nil, fmt.Errorf("default %v is out of range for float32", f)
	}
	py := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(py, ".eE") {
		py += ".0"
	}
	c := strconv.FormatFloat(f, 'g', 17, 64)
	if !strings.ContainsAny(c, ".eE") {
		c += ".0"
	}
	return &Default{Python: py, C: c, Go: c}, nil
}

// cString spells s as a C string literal, escaping every byte that is not
// plain printable ASCII.
func cString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 0x20 && c < 0x7f && c != '?':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "\\%03o", c)
		}
	}
	b.WriteByte('"')
	return b.String()
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
