package codegen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pyspec/pyspec/spec"
)

// moduleView is what the templates render: the model plus every C and Go
// spelling, decided here.
type moduleView struct {
	*spec.Module
	ImplAlias string // how the glue imports the author's package
	Funcs     []*callView
	Classes   []*classView
}

type callView struct {
	PyName       string // for errors: "sum", "ConstantBuffer"
	CName        string
	Doc          string // C string literal: text signature and docstring
	Sig          *spec.Signature
	Params       []*paramView
	Results      []*resultView
	ReturnsError bool
	NoGIL        bool
	GoCall       string // e.g. "impl.Sum"
	GoArgs       string // the Go call's argument list
	GoName       string // for panic messages
	ClassCName   string // constructors: the class's C name
	ClassGoName  string
}

// GoResults is the left-hand side of the Go call: "v0, err := " and so on.
func (c *callView) GoResults() string {
	var vars []string
	if c.ClassCName != "" {
		vars = append(vars, "obj")
	}
	for _, r := range c.Results {
		vars = append(vars, r.GoVar)
	}
	if c.ReturnsError {
		vars = append(vars, "err")
	}
	if len(vars) == 0 {
		return ""
	}
	return strings.Join(vars, ", ") + " := "
}

// ParamsReversed is the order in which converted arguments are released.
func (c *callView) ParamsReversed() []*paramView {
	out := make([]*paramView, len(c.Params))
	for i, p := range c.Params {
		out[len(out)-1-i] = p
	}
	return out
}

// ResultObjects reports whether any result travels as a PyObject*.
func (c *callView) ResultObjects() bool {
	for _, r := range c.Results {
		if r.CType == "PyObject*" {
			return true
		}
	}
	return false
}

type paramView struct {
	Index    int
	Name     string
	Kind     string // PYSPEC_POS_OR_KW ...
	Required bool
	CType    string
	Field    string // C field in the args struct
	Present  string // C field telling None from a value ("" unless optional)
	Conv     string
	Release  string
	Default  string
	Optional bool
	Zero     string // clears the value of an absent optional
	GoExpr   string
}

type resultView struct {
	Field string
	CType string
	GoVar string
	GoToC string
	CToPy string
}

// AllCalls is every callable with a signature: functions, then constructors.
func (v *moduleView) AllCalls() []*callView {
	out := append([]*callView(nil), v.Funcs...)
	for _, c := range v.Classes {
		if c.Init != nil {
			out = append(out, c.Init)
		}
	}
	return out
}

// Imports is the Go glue's import block: only what it uses.
func (v *moduleView) Imports() []string {
	imports := []string{}
	if len(v.Classes) > 0 {
		imports = append(imports, `"runtime/cgo"`)
	}
	usesRuntime := false
	for _, c := range v.Classes {
		if c.Buffer != nil {
			imports = append(imports, `"unsafe"`)
			usesRuntime = true
			break
		}
		if c.Init != nil {
			usesRuntime = true
		}
	}
	if usesRuntime {
		imports = append(imports, `"github.com/pyspec/pyspec/runtime"`)
	}
	alias := implAlias
	if len(v.Funcs) == 0 && len(v.Classes) == 0 {
		alias = "_"
	}
	return append(imports, alias+" "+strconv.Quote(v.Go.ImportPath))
}

// DocLiteral is the module docstring as a C literal.
func (v *moduleView) DocLiteral() string { return cLiteral(v.Doc) }

type classView struct {
	*spec.Class
	Doc        string
	Init       *callView
	GoType     string // impl.ConstantBuffer
	BufferCall string
	Release    string
}

const implAlias = "impl"

func newModuleView(m *spec.Module) *moduleView {
	v := &moduleView{Module: m, ImplAlias: implAlias}
	for _, f := range m.Functions {
		c := newCallView(f.Name, f.CName, f.Sig, f.Results, f.ReturnsError, f.NoGIL)
		c.GoCall = implAlias + "." + f.GoName
		c.GoName = m.Go.Name + "." + f.GoName
		c.Doc = cLiteral(textSignature(f.Name, "$module", f.Sig) + f.Doc)
		v.Funcs = append(v.Funcs, c)
	}
	for _, cl := range m.Classes {
		cv := &classView{Class: cl, GoType: implAlias + "." + cl.GoName, Doc: cLiteral(cl.Doc)}
		if cl.Init != nil {
			cv.Init = newCallView(cl.Name, cl.CName+"_init", cl.Init.Sig, nil, cl.Init.ReturnsError, false)
			cv.Init.GoCall = implAlias + "." + cl.Init.GoName
			cv.Init.ClassCName = cl.CName
			cv.Init.ClassGoName = cl.GoName
			cv.Init.GoName = m.Go.Name + "." + cl.Init.GoName
			cv.Doc = cLiteral(textSignature(cl.Name, "", cl.Init.Sig) + cl.Doc)
		}
		if cl.Buffer != nil {
			cv.BufferCall = cl.Buffer.GoMethod
			cv.Release = cl.Buffer.ReleaseGoMethod
		}
		v.Classes = append(v.Classes, cv)
	}
	return v
}

func newCallView(pyName, cname string, sig *spec.Signature, results []*spec.Type, returnsError, nogil bool) *callView {
	c := &callView{PyName: pyName, CName: cname, Sig: sig, ReturnsError: returnsError, NoGIL: nogil}
	sigVar := cname + "_sig"
	var goArgs []string
	for i, p := range sig.Params {
		pv := &paramView{
			Index:    i,
			Name:     p.Name,
			Kind:     [...]string{"PYSPEC_POS_OR_KW", "PYSPEC_POS_ONLY", "PYSPEC_KW_ONLY"}[p.Kind],
			Required: p.Default == nil,
			CType:    p.Type.CType(),
			Field:    "p_" + p.Name,
			Optional: p.Type.Kind == spec.KindOptional,
		}
		if pv.Optional {
			pv.Present = "has_" + p.Name
			pv.Zero = cZero(p.Type, "a."+pv.Field)
		}
		pv.Conv = cConv(p.Type, fmt.Sprintf("argv[%d]", i), "a."+pv.Field, sigVar, i)
		pv.Release = cRelease(p.Type, "a."+pv.Field)
		if p.Default != nil {
			pv.Default = cDefault(p, "a."+pv.Field, "a."+pv.Present)
		}
		pv.GoExpr = goFromC(p.Type, "a."+pv.Field, "a."+pv.Present)
		c.Params = append(c.Params, pv)
		if sig.Struct != nil {
			goArgs = append(goArgs, p.GoName+": "+pv.GoExpr)
		} else {
			goArgs = append(goArgs, pv.GoExpr)
		}
	}
	if sig.Struct != nil {
		c.GoArgs = implAlias + "." + sig.Struct.GoName + "{" + strings.Join(goArgs, ", ") + "}"
	} else {
		c.GoArgs = strings.Join(goArgs, ", ")
	}
	alone := len(results) == 1
	for i, t := range results {
		r := &resultView{Field: fmt.Sprintf("r%d", i), GoVar: fmt.Sprintf("v%d", i), CType: cResultType(t, alone)}
		r.GoToC = goToC(t, r.GoVar, alone)
		r.CToPy = cToPy(t, "r."+r.Field, alone)
		c.Results = append(c.Results, r)
	}
	return c
}

// textSignature is the "name(a, b=1, /, *, c)\n--\n\n" prefix of a
// docstring, from which CPython derives __text_signature__.
func textSignature(name, self string, sig *spec.Signature) string {
	var parts []string
	if self != "" {
		parts = append(parts, self)
	}
	kwMarked := false
	for i, p := range sig.Params {
		if p.Kind == spec.KeywordOnly && !kwMarked {
			parts = append(parts, "*")
			kwMarked = true
		}
		s := p.Name
		if p.Default != nil {
			s += "=" + p.Default.Python
		}
		parts = append(parts, s)
		if p.Kind == spec.PositionalOnly && (i+1 == len(sig.Params) || sig.Params[i+1].Kind != spec.PositionalOnly) {
			parts = append(parts, "/")
		}
	}
	return name + "(" + strings.Join(parts, ", ") + ")\n--\n\n"
}

// cLiteral spells s as a C string literal, split at newlines for reading.
func cLiteral(s string) string {
	if s == "" {
		return "NULL"
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\n' && i+1 < len(s):
			b.WriteString("\\n\"\n\t\"")
		case c == '\n':
			b.WriteString("\\n")
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
