package spec

import (
	"fmt"
	"sort"
	"strings"
)

// Diagnostic is one problem in a spec, at the line and column of the YAML
// node that causes it (or, for a problem of the Go package found before
// binding, such as an import of pyspec's former package path, at its place
// in the Go file).
type Diagnostic struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"column"`
	Pointer  string `json:"pointer"` // JSON pointer of the offending node ("" is the whole spec)
	Message  string `json:"message"`
	Severity string `json:"severity"` // "error"; the field leaves room for warnings
}

func (d Diagnostic) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", d.File, d.Line, d.Col, d.Message)
}

// Diagnostics is every problem found in a spec. It is an error so that Load
// can return it as one.
type Diagnostics []Diagnostic

func (ds Diagnostics) Error() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

func (ds Diagnostics) sorted() Diagnostics {
	out := append(Diagnostics(nil), ds...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File { // the spec's, or Go files'
			return out[i].File < out[j].File
		}
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Col < out[j].Col
	})
	// The schema can report one cause through several keywords; keep one.
	dedup := out[:0]
	for i, d := range out {
		if i > 0 && d.File == out[i-1].File && d.Line == out[i-1].Line && d.Col == out[i-1].Col && d.Message == out[i-1].Message {
			continue
		}
		dedup = append(dedup, d)
	}
	return dedup
}
