package spec

import (
	"fmt"
	"strconv"
	"strings"
)

// NormalizeVersion returns the PEP 440 normal form of a version
// ("1.0-Alpha.1" -> "1.0a1", "v2.0.0-post3" -> "2.0.0.post3"), or an error
// naming what is not a version. Wheel and sdist file names use the normal
// form, as pip compares them.
func NormalizeVersion(v string) (string, error) {
	orig := v
	s := strings.ToLower(strings.TrimSpace(v))
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("version %q is not a PEP 440 version (%s); e.g. 1.2.3, 1.0a1, 2.0.post1, 0.3.dev4", orig, why)
	}
	if s == "" {
		return bad("empty")
	}
	s = strings.TrimPrefix(s, "v")
	var local string
	if i := strings.IndexByte(s, '+'); i >= 0 {
		s, local = s[:i], s[i+1:]
		if local == "" {
			return bad("empty local part after +")
		}
		parts := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '-' || r == '_' })
		for i, p := range parts {
			for _, r := range p {
				if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
					return bad("a local part has letters and digits only")
				}
			}
			if n, err := strconv.ParseUint(p, 10, 64); err == nil {
				parts[i] = strconv.FormatUint(n, 10)
			}
		}
		local = strings.Join(parts, ".")
	}
	p := &versionScanner{s: s}
	var b strings.Builder
	// Epoch and release: N(.N)*, with an optional N! in front.
	n, ok := p.number()
	if !ok {
		return bad("it must start with a number")
	}
	if p.accept("!") {
		if n != "0" {
			b.WriteString(n + "!")
		}
		if n, ok = p.number(); !ok {
			return bad("a number must follow the epoch")
		}
	}
	b.WriteString(n)
	for p.peek('.') && p.digitAt(1) {
		p.i++
		n, _ = p.number()
		b.WriteString("." + n)
	}
	// Pre-release: a, b or rc (and their spellings), optional number.
	if tag, ok := p.word([][2]string{{"alpha", "a"}, {"beta", "b"}, {"preview", "rc"}, {"pre", "rc"}, {"rc", "rc"}, {"c", "rc"}, {"a", "a"}, {"b", "b"}}); ok {
		p.sep()
		n, ok := p.number()
		if !ok {
			n = "0"
		}
		b.WriteString(tag + n)
	}
	// Post-release: .postN, -N, or post/rev/r spellings.
	save := p.i
	if p.accept("-") && p.digitAt(0) {
		n, _ := p.number()
		b.WriteString(".post" + n)
	} else {
		p.i = save
		if _, ok := p.word([][2]string{{"post", "post"}, {"rev", "post"}, {"r", "post"}}); ok {
			p.sep()
			n, ok := p.number()
			if !ok {
				n = "0"
			}
			b.WriteString(".post" + n)
		} else {
			p.i = save
		}
	}
	// Development release.
	if _, ok := p.word([][2]string{{"dev", "dev"}}); ok {
		p.sep()
		n, ok := p.number()
		if !ok {
			n = "0"
		}
		b.WriteString(".dev" + n)
	}
	if p.i != len(p.s) {
		return bad(fmt.Sprintf("unexpected %q", p.s[p.i:]))
	}
	if local != "" {
		b.WriteString("+" + local)
	}
	return b.String(), nil
}

type versionScanner struct {
	s string
	i int
}

func (p *versionScanner) peek(c byte) bool { return p.i < len(p.s) && p.s[p.i] == c }

func (p *versionScanner) digitAt(k int) bool {
	return p.i+k < len(p.s) && p.s[p.i+k] >= '0' && p.s[p.i+k] <= '9'
}

func (p *versionScanner) accept(t string) bool {
	if strings.HasPrefix(p.s[p.i:], t) {
		p.i += len(t)
		return true
	}
	return false
}

// number reads digits and returns them without leading zeros.
func (p *versionScanner) number() (string, bool) {
	start := p.i
	for p.digitAt(0) {
		p.i++
	}
	if p.i == start {
		return "", false
	}
	n, err := strconv.ParseUint(p.s[start:p.i], 10, 64)
	if err != nil {
		return strings.TrimLeft(p.s[start:p.i], "0"), true
	}
	return strconv.FormatUint(n, 10), true
}

// sep skips one optional separator.
func (p *versionScanner) sep() {
	if p.i < len(p.s) && strings.IndexByte(".-_", p.s[p.i]) >= 0 {
		p.i++
	}
}

// word reads an optional separator and one of the spellings, longest
// first, returning its normal form.
func (p *versionScanner) word(spellings [][2]string) (string, bool) {
	save := p.i
	p.sep()
	for _, sp := range spellings {
		if p.accept(sp[0]) {
			return sp[1], true
		}
	}
	p.i = save
	return "", false
}
