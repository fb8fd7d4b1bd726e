// Resolving functions and signatures: parameters, results, buffers.

package spec

import (
	"strconv"
	"strings"

	"github.com/pyspec/pyspec/py"
	"gopkg.in/yaml.v3"
)

// async reads `async:` of a function or method: the call returns an
// awaitable. Its arguments become Go values before the call returns, so a
// buffer (a view valid only during the call) cannot be one.
func (l *loader) async(v *yaml.Node, owner string, sig *Signature, special bool) bool {
	a := get(v, "async")
	if a == nil || a.Value != "true" {
		return false
	}
	if special {
		l.errorf(a, "%s: a special method cannot be async", owner)
		return false
	}
	for _, p := range sig.Params {
		if t := p.Type; t.Kind == KindBuffer || t.Kind == KindOptional && t.Elem.Kind == KindBuffer {
			l.errorf(a, "%s: an async call cannot take the buffer %q: a view is valid only until the call returns, and Go runs later; take bytes (copied) instead", owner, p.Name)
		}
	}
	return true
}

// returns reads `returns:` of a function or method: a type, or a mapping
// {type, writable, doc} (writable is for buffer results). None, or no
// `returns:`, is no result; a tuple is several.
func (l *loader) returns(r *yaml.Node, owner string) []*Type {
	if r == nil {
		return nil
	}
	node, writable := r, false
	var batch, ndim *yaml.Node
	if r.Kind == yaml.MappingNode {
		node = get(r, "type")
		if node == nil {
			l.errorf(r, "%s returns: a mapping needs `type:`", owner)
			return nil
		}
		if w := get(r, "writable"); w != nil {
			writable = w.Value == "true"
		}
		batch = get(r, "batch")
		ndim = get(r, "ndim")
	}
	if node.Value == "None" {
		return nil
	}
	t, err := parseTypeIn(node.Value, ctxReturn, l.scope())
	if err != nil {
		l.errorf(node, "%s returns: %v", owner, err)
		return nil
	}
	if c := findKind(t, KindCallable); c != nil {
		l.errorf(node, "%s returns: %s: a callable is a parameter type (Python hands Go a function), not a result", owner, c.Spec)
		return nil
	}
	if writable {
		if t.Kind != KindBuffer {
			l.errorf(r, "%s returns: writable is for buffer results, not %s", owner, t.Spec)
		}
		t.Writable = true
	}
	if batch != nil {
		n, err := strconv.Atoi(batch.Value)
		switch {
		case t.Kind != KindIterator:
			l.errorf(batch, "%s returns: batch is for iterator results, not %s", owner, t.Spec)
		case err != nil || n < 1 || n > MaxBatch:
			l.errorf(batch, "%s returns: batch must be a whole number from 1 to %d, not %s", owner, MaxBatch, batch.Value)
		default:
			t.Batch = n
		}
	}
	if ndim != nil {
		if !t.NDArray {
			l.errorf(ndim, "%s returns: ndim is for ndarray results, not %s", owner, t.Spec)
		} else {
			n, _ := strconv.Atoi(ndim.Value) // the schema allows 0..64
			t.Shaped, t.Dims = true, make([]Dim, n)
			for i := range t.Dims {
				t.Dims[i].Size = -1
			}
		}
	}
	if t.Kind == KindTuple {
		for _, it := range t.Items {
			if it.Kind == KindIterator {
				l.errorf(node, "%s returns: %s: an iterator is a whole result, not one of several", owner, it.Spec)
				return nil
			}
		}
		return t.Items
	}
	return []*Type{t}
}

// function resolves a function of the module or of a submodule; goPrefix
// starts the default Go name (a submodule's functions are SubF).
func (l *loader) function(k, v *yaml.Node, goPrefix string, structs map[string]*Struct) *Function {
	l.checkName(k, "function name")
	problems := len(l.diags)
	f := &Function{
		Name:   k.Value,
		Doc:    str(get(v, "doc")),
		GoName: goPrefix + CamelCase(k.Value),
		Pos:    pos(k),
	}
	if g := get(v, "go"); g != nil {
		f.GoName = g.Value
	}
	if ng := get(v, "nogil"); ng != nil {
		f.NoGIL = ng.Value == "true"
	}
	f.Sig = l.signature(get(v, "args"), structs, f.Name+"()")
	f.Async = l.async(v, f.Name+"()", f.Sig, false)
	f.Results = l.returns(get(v, "returns"), f.Name+"()")
	// Examples of a signature with problems would only echo them.
	if len(l.diags) == problems {
		f.Examples = l.examples(get(v, "examples"), f.Name+"()", f.Sig, f.Results, nil)
	}
	l.vectorize(v, f, goPrefix != "")
	return f
}

// vectorize reads `vectorize:` and `parallel:`. A ufunc's inputs are its
// parameters, numeric scalars passed by position; its outputs are its
// results, at least one. numpy brings the rest: broadcasting, out=,
// dtype casting, reduce.
func (l *loader) vectorize(v *yaml.Node, f *Function, inSubmodule bool) {
	vec, par := get(v, "vectorize"), get(v, "parallel")
	f.Vectorize = vec != nil && vec.Value == "true"
	f.Parallel = par != nil && par.Value == "true"
	if f.Parallel && !f.Vectorize {
		l.errorf(par, "%s(): parallel splits a ufunc's loop across goroutines; it needs vectorize: true", f.Name)
	}
	if !f.Vectorize {
		return
	}
	owner := f.Name + "(), a ufunc (vectorize: true)"
	switch {
	case inSubmodule:
		l.errorf(vec, "%s: ufuncs are module-level functions; move it out of the submodule", owner)
	case f.Async:
		l.errorf(get(v, "async"), "%s: cannot be async; numpy runs its loop", owner)
	case f.NoGIL:
		l.errorf(get(v, "nogil"), "%s: its loop runs without the GIL already; drop nogil", owner)
	case f.Sig.Struct != nil:
		l.errorf(get(v, "args"), "%s: takes its inputs by position; list them under args rather than naming a struct", owner)
	}
	for _, p := range f.Sig.Params {
		switch {
		case p.Kind == VarPositional || p.Kind == VarKeyword || p.Kind == KeywordOnly:
			l.errorAt(p.Pos, "%s: input %q is %s; a ufunc's inputs are positional", owner, p.Name, kindWord(p.Kind))
		case p.Default != nil:
			l.errorAt(p.Pos, "%s: input %q has a default; every input of a ufunc is required", owner, p.Name)
		case !p.Type.UfuncScalar():
			l.errorAt(p.Pos, "%s: input %q is %s; a ufunc's inputs are numeric scalars (bool, int8..int64, uint8..uint64, float16..float64, complex128)", owner, p.Name, p.Type.Spec)
		}
	}
	if len(f.Sig.Params) == 0 {
		l.errorf(vec, "%s: takes no input; a ufunc's inputs are its parameters (declare args:)", owner)
	}
	if len(f.Results) == 0 {
		l.errorf(vec, "%s: returns nothing; a ufunc's outputs are its results (declare returns:)", owner)
	}
	for _, r := range f.Results {
		if !r.UfuncScalar() {
			l.errorf(get(v, "returns"), "%s: returns %s; a ufunc's outputs are numeric scalars (bool, int8..int64, uint8..uint64, float16..float64, complex128)", owner, r.Spec)
			break
		}
	}
	for _, ex := range f.Examples {
		if len(ex.Kwargs) > 0 {
			l.errorAt(ex.Pos, "%s: an example passes inputs by name; a ufunc takes them by position", owner)
		}
	}
}

// signature resolves `args:`, either inline parameters or a struct name.
func (l *loader) signature(n *yaml.Node, structs map[string]*Struct, owner string) *Signature {
	sig := &Signature{}
	switch {
	case n == nil:
	case n.Kind == yaml.ScalarNode:
		s, ok := structs[n.Value]
		if !ok {
			l.errorf(n, "%s: args names struct %q, which is not declared under `structs:`", owner, n.Value)
			return sig
		}
		sig.Struct = s
		sig.Params = s.Params
	default:
		sig.Params = l.params(n, owner)
		l.spread(sig, owner)
	}
	for _, p := range sig.Params {
		switch p.Kind {
		case PositionalOnly:
			sig.NPosOnly++
			sig.NPos++
		case PositionalOrKeyword:
			sig.NPos++
		}
		if p.Kind.IsVariadic() && sig.Struct != nil {
			l.errorf(n, "%s: struct %s has the variadic parameter %q; a struct's fields are named, so declare *args and **kwargs in the function's own args", owner, sig.Struct.Name, p.Name)
		}
	}
	l.elemTypes(sig, owner)
	return sig
}

// elemTypes settles the element types the buffer parameters with an
// `elem:` list share: one list, as the Go function has one type parameter.
func (l *loader) elemTypes(sig *Signature, owner string) {
	var first *Param
	for _, p := range sig.Params {
		t := p.Type
		if t != nil && t.Kind == KindOptional {
			t = t.Elem
		}
		if t == nil || t.Kind != KindBuffer || t.Elems == nil {
			continue
		}
		if first == nil {
			first, sig.ElemTypes = p, t.Elems
		} else if !sameTypes(t.Elems, sig.ElemTypes) {
			l.errorAt(p.Pos, "%s: parameter %q lists the element types %s, and %q lists %s: they are the Go function's one type parameter, so list the same",
				owner, p.Name, specsOf(t.Elems), first.Name, specsOf(sig.ElemTypes))
		}
	}
}

func sameTypes(a, b []*Type) bool {
	return specsOf(a) == specsOf(b)
}

func specsOf(ts []*Type) string {
	specs := make([]string, len(ts))
	for i, t := range ts {
		specs[i] = t.Spec
	}
	return "[" + strings.Join(specs, ", ") + "]"
}

var kindNames = map[string]ParamKind{
	"positional_or_keyword": PositionalOrKeyword,
	"positional_only":       PositionalOnly,
	"keyword_only":          KeywordOnly,
	"var_positional":        VarPositional,
	"var_keyword":           VarKeyword,
}

// params resolves a parameter mapping and checks the order rules of a
// Python signature.
func (l *loader) params(n *yaml.Node, owner string) []*Param {
	var out []*Param
	keys, vals := pairs(n)
	var lastDefault *Param
	for i, k := range keys {
		l.checkName(k, "parameter name")
		p := l.param(k, vals[i], owner)
		if p == nil {
			continue
		}
		if prev := out; len(prev) > 0 && prev[len(prev)-1].Kind.rank() > p.Kind.rank() {
			if p.Kind == PositionalOnly && prev[len(prev)-1].Kind == PositionalOrKeyword {
				l.errorf(k, "%s: positional-only parameter %q must come before the positional-or-keyword ones", owner, p.Name)
			} else {
				l.errorf(k, "%s: parameter %q (%s) must come before %q (%s): positional-only, positional-or-keyword, *args, keyword-only, **kwargs",
					owner, p.Name, kindWord(p.Kind), prev[len(prev)-1].Name, kindWord(prev[len(prev)-1].Kind))
			}
		}
		if p.Kind.IsVariadic() {
			for _, q := range out {
				if q.Kind == p.Kind {
					l.errorf(k, "%s: %q is a second %s parameter (after %q)", owner, p.Name, kindWord(p.Kind), q.Name)
				}
			}
		}
		if p.Kind != KeywordOnly && !p.Kind.IsVariadic() {
			if p.Default != nil {
				lastDefault = p
			} else if lastDefault != nil {
				l.errorf(k, "%s: parameter %q has no default but follows %q, which has one", owner, p.Name, lastDefault.Name)
			}
		}
		out = append(out, p)
	}
	return out
}

func kindWord(k ParamKind) string {
	return [...]string{"positional-or-keyword", "positional-only", "keyword-only", "*args", "**kwargs"}[k]
}

func (l *loader) param(k, v *yaml.Node, owner string) *Param {
	p := &Param{Name: k.Value, GoName: CamelCase(k.Value), Pos: pos(k)}
	typeNode := v
	if v.Kind == yaml.MappingNode {
		typeNode = get(v, "type")
		p.Doc = str(get(v, "doc"))
		if kn := get(v, "kind"); kn != nil {
			p.Kind = kindNames[kn.Value]
		}
	}
	t, err := parseTypeIn(typeNode.Value, ctxArg, l.scope())
	if err != nil {
		l.errorf(typeNode, "%s: parameter %q: %v", owner, p.Name, err)
		return nil
	}
	p.Type = t
	if p.Kind.IsVariadic() {
		// The declared type is each argument's; Python collects them.
		var err error
		if p.Kind == VarPositional {
			p.Type, err = listOf(t, SeqTuple)
		} else {
			p.Type = &Type{Kind: KindDict, Key: &Type{Kind: KindStr, Spec: "str"}, Elem: t, Spec: "dict[str, " + t.Spec + "]"}
			err = checkElem(t)
		}
		if err != nil {
			l.errorf(typeNode, "%s: parameter %q: %v", owner, p.Name, err)
			return nil
		}
		if d := get(v, "default"); d != nil {
			l.errorf(d, "%s: parameter %q: %s takes no default (it is empty when nothing is passed)", owner, p.Name, kindWord(p.Kind))
		}
		return p
	}
	if v.Kind == yaml.MappingNode {
		elem, flags := get(v, "elem"), get(v, "flags")
		switch {
		case t.Kind == KindBuffer:
			p.Type = l.bufferType(elem, flags)
			l.bufferShape(v, p.Type, owner, p.Name)
		case t.Kind == KindOptional && t.Elem.Kind == KindBuffer:
			b := l.bufferType(elem, flags)
			l.bufferShape(v, b, owner, p.Name)
			p.Type = optionalBuffer(b)
		default:
			for _, bad := range []*yaml.Node{elem, flags, get(v, "ndim"), get(v, "shape")} {
				if bad != nil {
					l.errorf(bad, "%s: parameter %q: elem, flags, ndim and shape apply to buffers only, not %s", owner, p.Name, t.Spec)
				}
			}
		}
		if d := get(v, "default"); d != nil {
			def, err := makeDefault(p.Type, d)
			if err != nil {
				l.errorf(d, "%s: parameter %q: %v", owner, p.Name, err)
			}
			p.Default = def
		}
	} else if t.Kind == KindBuffer {
		p.Type = l.bufferType(nil, nil)
	} else if t.Kind == KindOptional && t.Elem.Kind == KindBuffer {
		p.Type = optionalBuffer(l.bufferType(nil, nil))
	}
	return p
}

// optionalBuffer is `buffer | None` of a resolved buffer request: Go gets
// nil for None (a *py.Buffer or *py.View[T]).
func optionalBuffer(b *Type) *Type {
	return &Type{Kind: KindOptional, Elem: b, Spec: b.Spec + " | None"}
}

// bufferType resolves a buffer parameter's request. ND is the default: it
// guarantees a C-contiguous view; FORMAT is added when elem is declared, so
// the glue can check the element type.
func (l *loader) bufferType(elem, flags *yaml.Node) *Type {
	t := &Type{Kind: KindBuffer, Spec: "buffer", Flags: py.ND}
	if flags != nil {
		t.Flags = 0
		names := []*yaml.Node{flags}
		if flags.Kind == yaml.SequenceNode {
			names = flags.Content
		}
		for _, n := range names {
			t.Flags |= py.FlagNames[n.Value]
		}
	}
	switch {
	case elem != nil && elem.Kind == yaml.SequenceNode:
		// Several: the Go function is generic over them.
		names := make([]string, len(elem.Content))
		for i, e := range elem.Content {
			t.Elems = append(t.Elems, scalarTypes[e.Value])
			names[i] = e.Value
		}
		t.Flags |= py.FORMAT
		t.TypeParam = "T"
		t.Spec = "buffer[" + strings.Join(names, " | ") + "]"
	case elem != nil:
		t.Elem = scalarTypes[elem.Value]
		t.Flags |= py.FORMAT
		t.Spec = "buffer[" + elem.Value + "]"
	}
	return t
}

// bufferShape reads a buffer parameter's `ndim:` and `shape:`. A shape
// entry is a size, `_` (any), or a name: every dimension of one name, in
// any buffer parameter of the call, has the same size.
func (l *loader) bufferShape(v *yaml.Node, t *Type, owner, param string) {
	nd, sh := get(v, "ndim"), get(v, "shape")
	if nd == nil && sh == nil {
		return
	}
	if t.Flags&py.ND != py.ND {
		l.errorf(firstNode(sh, nd), "%s: parameter %q: a shape needs the view's shape: add ND or STRIDES to flags", owner, param)
		return
	}
	t.Shaped = true
	if sh != nil {
		for _, e := range sh.Content {
			n, err := strconv.Atoi(e.Value)
			switch {
			case e.Tag == "!!null" || e.Value == "_":
				t.Dims = append(t.Dims, Dim{Size: -1})
			case err == nil && n >= 0:
				t.Dims = append(t.Dims, Dim{Size: n})
			case err == nil:
				l.errorf(e, "%s: parameter %q: shape: %d is not a size", owner, param, n)
			default:
				t.Dims = append(t.Dims, Dim{Size: -1, Name: e.Value})
			}
		}
	}
	if nd != nil {
		n, _ := strconv.Atoi(nd.Value) // the schema allows 0..PYSPEC_MAX_NDIM
		switch {
		case sh == nil:
			t.Dims = make([]Dim, n)
			for i := range t.Dims {
				t.Dims[i].Size = -1
			}
		case n != len(sh.Content):
			l.errorf(nd, "%s: parameter %q: ndim %d, but shape has %d dimensions", owner, param, n, len(sh.Content))
		}
	}
}

func firstNode(ns ...*yaml.Node) *yaml.Node {
	for _, n := range ns {
		if n != nil {
			return n
		}
	}
	return nil
}

// spread turns a **kwargs whose type is a struct into the struct's fields,
// as keyword-only parameters that the Go function takes as one struct
// (Python typing's **kwargs: Unpack[Struct], PEP 692).
func (l *loader) spread(sig *Signature, owner string) {
	last := len(sig.Params) - 1
	if last < 0 {
		return
	}
	kw := sig.Params[last]
	if kw.Kind != VarKeyword || kw.Type.Elem.Kind != KindStruct {
		return
	}
	st := kw.Type.Elem.Struct
	sig.Params = sig.Params[:last]
	taken := map[string]bool{}
	for _, p := range sig.Params {
		taken[p.Name] = true
	}
	sig.Spread, sig.SpreadFrom, sig.SpreadName = st, last, kw.Name
	for _, f := range st.Params {
		if taken[f.Name] {
			l.errorAt(kw.Pos, "%s: **%s spreads struct %s, whose field %q is also a parameter", owner, kw.Name, st.Name, f.Name)
		}
		if f.Kind.IsVariadic() {
			l.errorAt(kw.Pos, "%s: **%s spreads struct %s, whose %q is variadic", owner, kw.Name, st.Name, f.Name)
		}
		field := *f
		field.Kind = KeywordOnly
		sig.Params = append(sig.Params, &field)
	}
}
