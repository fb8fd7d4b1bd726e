package codegen

import (
	"fmt"
	"strings"

	"github.com/pyspec/pyspec/spec"
)

// ufuncView is a function with vectorize: true, made a numpy ufunc: the C
// part registers one inner loop of the declared types with numpy, and the
// loop is one call into Go, which runs the author's function over the
// whole stride.
type ufuncView struct {
	Name     string // Python name
	CName    string
	Origin   string // its place in module.yaml
	Doc      string // C literal: the docstring
	GoCall   string // the author's function, e.g. "impl.Poly"
	GoName   string // as a panic names it
	Parallel bool
	In, Out  []ufuncOperand
	// ReturnsError: the Go function's last result is an error, which
	// stops the loop and raises.
	ReturnsError bool
}

// ufuncOperand is one input or output array of a ufunc, with every
// spelling of its dtype that the glue, the stub and the tests need.
type ufuncOperand struct {
	NumpyType string // the C constant of numpy's type number (pyspec.h)
	Char      string // numpy's type character, as ufunc.types shows it
	Dtype     string // numpy's name: numpy.<Dtype>
	GoType    string // as it is in memory: uint8 for bool
	Size      int    // its item size: the stride of a contiguous array
	Bool      bool   // numpy's bool is a byte that Go reads as != 0
}

// Load is the Go expression of the input at p (an unsafe.Pointer).
func (o ufuncOperand) Load(p string) string {
	if o.Bool {
		return "*(*uint8)(" + p + ") != 0"
	}
	return "*(*" + o.GoType + ")(" + p + ")"
}

// Store is the Go statement writing v as the output at p.
func (o ufuncOperand) Store(p, v string) string {
	if o.Bool {
		return "*(*bool)(" + p + ") = " + v
	}
	return "*(*" + o.GoType + ")(" + p + ") = " + v
}

func newUfuncOperand(t *spec.Type) ufuncOperand {
	if d, ok := familyOf(t).(numpyDtype); ok {
		return d.ufuncOperand(t)
	}
	panic("codegen: a ufunc operand of type " + t.Spec + " passed spec's checks")
}

func newUfuncView(m *spec.Module, f *spec.Function, cname string) *ufuncView {
	u := &ufuncView{
		Name:         f.Name,
		CName:        cname,
		Origin:       origin(m, f.Pos, "functions."+f.Name),
		GoCall:       implAlias + "." + f.GoName,
		GoName:       m.Go.Name + "." + f.GoName,
		Parallel:     f.Parallel,
		ReturnsError: f.ReturnsError,
	}
	// numpy writes the signature line (inputs, out=, where=...) itself.
	u.Doc = cLiteral(strings.TrimSpace(f.Doc))
	if u.Doc == "NULL" {
		u.Doc = `""`
	}
	for _, p := range f.Sig.Params {
		u.In = append(u.In, newUfuncOperand(p.Type))
	}
	for _, r := range f.Results {
		u.Out = append(u.Out, newUfuncOperand(r))
	}
	return u
}

// Operands is the inputs, then the outputs: numpy's order of args and steps.
func (u *ufuncView) Operands() []ufuncOperand {
	return append(append([]ufuncOperand(nil), u.In...), u.Out...)
}

// Types is the C initialiser of the loop's numpy type numbers.
func (u *ufuncView) Types() string {
	var ts []string
	for _, o := range u.Operands() {
		ts = append(ts, o.NumpyType)
	}
	return strings.Join(ts, ", ")
}

// Contiguous is the Go condition that every operand is contiguous.
func (u *ufuncView) Contiguous() string {
	var cs []string
	for i, o := range u.Operands() {
		cs = append(cs, fmt.Sprintf("steps[%d] == %d", i, o.Size))
	}
	return strings.Join(cs, " && ")
}

// call is the statements calling the author's function on the inputs
// args, then storing each result r<k> with store(k, "r<k>").
func (u *ufuncView) call(args []string, store func(k int, v string) string) []string {
	var outs []string
	for k := range u.Out {
		outs = append(outs, fmt.Sprintf("r%d", k))
	}
	call := u.GoCall + "(" + strings.Join(args, ", ") + ")"
	var lines []string
	if u.ReturnsError {
		lines = append(lines, strings.Join(append(outs, "err"), ", ")+" := "+call, "if err != nil {", "\treturn err", "}")
	} else {
		lines = append(lines, strings.Join(outs, ", ")+" := "+call)
	}
	for k := range u.Out {
		lines = append(lines, store(k, outs[k]))
	}
	return lines
}

// ContiguousLoop is the Go statements of the loop over [lo, hi) when every
// operand is contiguous: Go slices over numpy's memory, of one length, so
// that the compiler drops the bounds checks.
func (u *ufuncView) ContiguousLoop() []string {
	var lines, args []string
	ops := u.Operands()
	for k, o := range ops {
		elem := o.GoType
		if o.Bool && k < len(u.In) {
			elem = "uint8" // any non-zero byte is True
		}
		length := "hi-lo"
		if k > 0 {
			length = "len(v0)"
		}
		lines = append(lines, fmt.Sprintf("v%d := unsafe.Slice((*%s)(unsafe.Add(ptrs[%d], lo*%d)), %s)", k, elem, k, o.Size, length))
	}
	for k := 1; k < len(ops); k++ {
		lines = append(lines, fmt.Sprintf("v%d = v%d[:len(v0)]", k, k))
	}
	for k, o := range u.In {
		a := fmt.Sprintf("v%d[i]", k)
		if o.Bool {
			a += " != 0"
		}
		args = append(args, a)
	}
	lines = append(lines, "for i := range v0 {")
	for _, l := range u.call(args, func(k int, v string) string { return fmt.Sprintf("v%d[i] = %s", len(u.In)+k, v) }) {
		lines = append(lines, "\t"+l)
	}
	return append(lines, "}")
}

// StridedLoop is the Go statements of the loop over [lo, hi) in any
// layout: operand k's element i is at p<k> + i*s<k>.
func (u *ufuncView) StridedLoop() []string {
	var lines, args []string
	for k := range u.Operands() {
		lines = append(lines, fmt.Sprintf("p%d, s%d := ptrs[%d], steps[%d]", k, k, k, k))
	}
	for k, o := range u.In {
		args = append(args, o.Load(fmt.Sprintf("unsafe.Add(p%d, i*s%d)", k, k)))
	}
	lines = append(lines, "for i := lo; i < hi; i++ {")
	store := func(k int, v string) string {
		j := len(u.In) + k
		return u.Out[k].Store(fmt.Sprintf("unsafe.Add(p%d, i*s%d)", j, j), v)
	}
	for _, l := range u.call(args, store) {
		lines = append(lines, "\t"+l)
	}
	return append(lines, "}")
}

// ufuncTypeChars is the loop as numpy's ufunc.types shows it: "ll->ll".
func ufuncTypeChars(f *spec.Function) string {
	var in, out string
	for _, p := range f.Sig.Params {
		in += newUfuncOperand(p.Type).Char
	}
	for _, r := range f.Results {
		out += newUfuncOperand(r).Char
	}
	return in + "->" + out
}
