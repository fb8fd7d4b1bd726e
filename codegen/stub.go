package codegen

import (
	"bytes"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pyspec/pyspec/spec"
)

// The .pyi stubs: every name of the module with its Python types, for
// mypy, editors and help(). Python spellings are decided here.

func pyResult(results []*spec.Type) string {
	switch len(results) {
	case 0:
		return "None"
	case 1:
		return pyType(results[0], false)
	}
	return pyType(&spec.Type{Kind: spec.KindTuple, Items: results}, false)
}

type stubWriter struct {
	b         bytes.Buffer
	indent    string
	headerEnd int  // where the imports go, once the body shows which it needs
	numpy     bool // the stub names numpy.ufunc
}

func (w *stubWriter) line(format string, args ...any) {
	if format == "" {
		w.b.WriteString("\n")
		return
	}
	w.b.WriteString(w.indent + fmt.Sprintf(format, args...) + "\n")
}

func (w *stubWriter) doc(doc string) {
	if doc == "" {
		return
	}
	doc = strings.ReplaceAll(strings.TrimRight(doc, "\n"), `\`, `\\`)
	doc = strings.ReplaceAll(doc, `"""`, `\"\"\"`)
	if !strings.Contains(doc, "\n") {
		w.line(`"""%s"""`, doc)
		return
	}
	w.line(`"""`)
	for _, l := range strings.Split(doc, "\n") {
		if l == "" {
			w.line("") // no trailing white space
			continue
		}
		w.line("%s", l)
	}
	w.line(`"""`)
}

func (w *stubWriter) function(name string, decorators []string, params, result, doc string) {
	w.def("def", name, decorators, params, result, doc)
}

// def writes a function or method; keyword is "def" or "async def".
func (w *stubWriter) def(keyword, name string, decorators []string, params, result, doc string) {
	for _, d := range decorators {
		w.line("@%s", d)
	}
	if doc == "" {
		w.line("%s %s(%s) -> %s: ...", keyword, name, params, result)
		return
	}
	w.line("%s %s(%s) -> %s:", keyword, name, params, result)
	w.indent += "    "
	w.doc(doc)
	w.indent = w.indent[4:]
}

func (w *stubWriter) constants(cs []*spec.Constant, classVar bool) {
	for _, c := range cs {
		t := pyType(c.Type, false)
		if classVar {
			w.line("%s: ClassVar[%s]", c.Name, t)
		} else {
			w.line("%s: Final[%s]", c.Name, t)
		}
	}
}

// Stubs renders the .pyi files of m: "<module>.pyi", or, when the module
// has submodules, a stub package "<module>/__init__.pyi" with one file per
// submodule (mypy then resolves `import mod.sub`).
func Stubs(m *spec.Module) Files {
	files := Files{}
	w := &stubWriter{}
	header(w, m.Doc)
	w.constants(m.Constants, false)
	for _, sub := range m.Submodules {
		w.line("from . import %s as %s", sub.Name, sub.Name)
	}
	for _, e := range m.Enums {
		w.line("")
		base := "IntEnum"
		if e.Flag {
			base = "IntFlag"
		}
		w.line("class %s(%s):", e.Name, base)
		w.indent = "    "
		if e.Doc != "" {
			w.doc(e.Doc)
		}
		for _, mem := range e.Members {
			w.line("%s = %d", mem.Name, mem.Value)
		}
		w.indent = ""
	}
	for _, st := range m.Structs {
		if !structTyped(st) {
			continue
		}
		w.line("")
		w.line("class %s(TypedDict):", st.Name)
		w.indent = "    "
		if st.Doc != "" {
			w.doc(st.Doc)
		}
		for _, p := range st.Params {
			t := pyType(p.Type, false)
			if p.Default != nil {
				t = "NotRequired[" + t + "]"
			}
			w.line("%s: %s", p.Name, t)
		}
		w.indent = ""
	}
	for _, e := range m.Exceptions {
		w.line("")
		w.line("class %s(%s):", e.Name, e.Base)
		w.indent = "    "
		if e.Doc != "" {
			w.doc(e.Doc)
		} else {
			w.line("...")
		}
		w.indent = ""
	}
	for _, f := range m.Functions {
		w.line("")
		w.def(defKeyword(f.Async), f.Name, nil, pyParams("", f.Sig, nil), pyResult(f.Results), documented(f.Doc, f.Sig))
	}
	w.numpy = anyResult(m, func(t *spec.Type) bool { return t.NDArray })
	for _, f := range m.Ufuncs {
		// A ufunc is an object, not a def: its call signature is numpy's.
		w.line("")
		w.line("# %s", ufuncSignature(f))
		for _, l := range strings.Split(strings.TrimSpace(f.Doc), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				w.line("# %s", l)
			}
		}
		w.line("%s: numpy.ufunc", f.Name)
		w.numpy = true
	}
	for _, c := range m.Classes {
		w.line("")
		classStub(w, c)
	}
	if hasBufferResults(m) {
		w.line("")
		w.line("@final")
		w.line("class GoBuffer:")
		w.indent = "    "
		w.doc("Go memory lent to Python without a copy: what a function returning buffer returns.\n" +
			"It exports the memory through the buffer protocol (memoryview, bytes, numpy.asarray),\n" +
			"which stays valid while the GoBuffer or any view of it lives.")
		bufferMethods(w)
		w.function("__len__", nil, "self", "int", "")
		for _, p := range [][2]string{{"nbytes", "int"}, {"itemsize", "int"}, {"ndim", "int"}, {"format", "str"}, {"shape", "tuple[int, ...]"}, {"readonly", "bool"}} {
			w.function(p[0], []string{"property"}, "self", p[1], "")
		}
		w.indent = ""
	}
	// A constructor without parameters is a slot wrapper whose signature
	// Python reports as (self, /, *args, **kwargs) whatever the class does
	// (it raises TypeError for any argument); stubtest takes a list of such
	// known differences.
	var allow []string
	for _, c := range m.Classes {
		if c.Init != nil && len(c.Init.Sig.Params) == 0 {
			allow = append(allow, m.Name+"."+c.Name+".__init__")
		}
	}
	// PEP 688's methods, which Python 3.12 adds to every exporter and 3.11
	// does not have.
	var exporters []string
	for _, c := range m.Classes {
		if c.Buffer != nil {
			exporters = append(exporters, c.Name)
		}
	}
	if hasBufferResults(m) {
		exporters = append(exporters, "GoBuffer")
	}
	for _, e := range exporters {
		allow = append(allow, m.Name+"."+e+".__buffer__", m.Name+"."+e+".__release_buffer__")
	}
	for _, c := range m.Classes {
		allow = append(allow, slotSiblings(m.Name, c)...)
		// Extension classes are disjoint bases (PEP 800); @disjoint_base
		// needs typing_extensions 4.15, which type checkers before 2025 lack.
		allow = append(allow, m.Name+"."+c.Name)
	}
	if hasBufferResults(m) {
		allow = append(allow, m.Name+".GoBuffer")
	}
	// __getattr__ fills a slot (tp_getattro); the class has no attribute
	// of that name, though type checkers need the stub's.
	for _, c := range m.Classes {
		for _, meth := range c.Methods {
			if meth.Name == "__getattr__" {
				allow = append(allow, m.Name+"."+c.Name+".__getattr__")
			}
		}
	}
	// Older stubtests (mypy 1.0) misread a runtime TypedDict's metaclass.
	for _, st := range m.Structs {
		if structTyped(st) {
			allow = append(allow, m.Name+"."+st.Name)
		}
	}
	if len(allow) > 0 {
		files[m.Name+".stubtest-allowlist"] = []byte("# Code generated by pyspec. DO NOT EDIT.\n# What the stub leaves out on purpose, for mypy.stubtest: parameterless constructors (their runtime\n" +
			"# signature is the generic slot wrapper's), __buffer__/__release_buffer__ (Python adds them to exporters\n" +
			"# from 3.12 on), the dunders a filled slot adds beside the declared ones (a class with __add__ also\n" +
			"# has __radd__, which returns NotImplemented), each class's disjoint-base marking, __getattr__ (a slot,\n" +
			"# not an attribute), and the structs (TypedDicts, whose metaclass mypy 1.0's stubtest misreads).\n" +
			strings.Join(allow, "\n") + "\n")
	}
	if len(m.Submodules) == 0 {
		files[m.Name+".pyi"] = w.bytes()
		return files
	}
	files[m.Name+"/__init__.pyi"] = w.bytes()
	files[m.Name+"/py.typed"] = []byte{}
	for _, sub := range m.Submodules {
		sw := &stubWriter{}
		header(sw, sub.Doc)
		// The module's own classes, structs and enums the functions name.
		names := map[string]bool{}
		for _, f := range sub.Functions {
			for _, p := range f.Sig.Params {
				declaredNames(p.Type, names)
			}
			for _, r := range f.Results {
				declaredNames(r, names)
			}
		}
		if len(names) > 0 {
			sorted := slices.Sorted(maps.Keys(names))
			sw.line("from %s import %s", m.Name, strings.Join(sorted, ", "))
			sw.line("")
		}
		sw.constants(sub.Constants, false)
		for _, f := range sub.Functions {
			sw.line("")
			sw.def(defKeyword(f.Async), f.Name, nil, pyParams("", f.Sig, nil), pyResult(f.Results), documented(f.Doc, f.Sig))
		}
		files[m.Name+"/"+sub.Name+".pyi"] = sw.bytes()
	}
	return files
}

func header(w *stubWriter, doc string) {
	w.line("# Code generated by pyspec. DO NOT EDIT.")
	w.doc(doc)
	w.line("")
	w.headerEnd = w.b.Len()
}

// bufferAlias is what the stubs call any buffer exporter.
const bufferAlias = `class _SupportsArray(Protocol):
    def __array__(self) -> Any: ...

class _SupportsBuffer(Protocol):
    def __buffer__(self, flags: int, /) -> memoryview: ...

# Any buffer exporter: the standard library's, numpy arrays, and every
# class with __buffer__ (PEP 688), this module's exporters included.
_Buffer: TypeAlias = ReadableBuffer | _SupportsArray | _SupportsBuffer

`

var stubWordRE = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// bytes is the stub with the imports its body uses, and the buffer alias
// when a parameter takes any buffer.
func (w *stubWriter) bytes() []byte {
	src := w.b.Bytes()
	body := src[w.headerEnd:]
	used := map[string]bool{}
	for _, word := range stubWordRE.FindAll(body, -1) {
		used[string(word)] = true
	}
	var extra string
	if used["_Buffer"] {
		extra = bufferAlias
		for _, n := range []string{"Protocol", "Any", "TypeAlias", "ReadableBuffer"} {
			used[n] = true
		}
	}
	pick := func(names ...string) []string {
		var out []string
		for _, n := range names {
			if used[n] {
				out = append(out, n)
			}
		}
		return out
	}
	var imports []string
	if used["datetime"] {
		imports = append(imports, "import datetime")
	}
	for _, from := range []struct {
		module string
		names  []string
	}{
		{"collections.abc", pick("Callable", "Iterable", "Iterator", "Sequence")},
		{"enum", pick("IntEnum", "IntFlag")},
		{"typing", pick("Any", "ClassVar", "Final", "NotRequired", "Protocol", "TypedDict", "final")},
	} {
		if len(from.names) > 0 {
			imports = append(imports, "from "+from.module+" import "+strings.Join(from.names, ", "))
		}
	}
	var third []string
	if w.numpy {
		third = append(third, "import numpy")
	}
	if used["ReadableBuffer"] {
		third = append(third, "from _typeshed import ReadableBuffer")
	}
	if names := pick("Self", "TypeAlias"); len(names) > 0 {
		third = append(third, "from typing_extensions import "+strings.Join(names, ", "))
	}
	var b bytes.Buffer
	b.Write(src[:w.headerEnd])
	for _, group := range [][]string{imports, third} {
		if len(group) > 0 {
			b.WriteString(strings.Join(group, "\n") + "\n\n")
		}
	}
	b.WriteString(extra)
	b.Write(body)
	return b.Bytes()
}

// structTyped reports whether a struct is a TypedDict of the module: it
// can be a dict (an argument struct holding a buffer cannot).
func structTyped(s *spec.Struct) bool {
	for _, p := range s.Params {
		if p.Type == nil || p.Type.Kind == spec.KindBuffer || p.Type.Kind == spec.KindOptional && p.Type.Elem.Kind == spec.KindBuffer {
			return false
		}
	}
	return true
}

// typedDictSource is the Python source defining the module's structs as
// TypedDicts at import, so that they exist at runtime as in the stub:
// annotations are strings (a struct may name one defined after it), the
// NotRequired around those with defaults is not.
func typedDictSource(m *spec.Module) (src string, names []string) {
	var b strings.Builder
	b.WriteString("from typing import TypedDict\ntry:\n    from typing import NotRequired\nexcept ImportError:\n    from typing_extensions import NotRequired\n")
	for _, st := range m.Structs {
		if !structTyped(st) {
			continue
		}
		names = append(names, st.Name)
		fmt.Fprintf(&b, "\n\nclass %s(TypedDict):\n", st.Name)
		if st.Doc != "" {
			fmt.Fprintf(&b, "    %s\n", pyDocLiteral(st.Doc))
		}
		for _, p := range st.Params {
			t := strconv.Quote(pyType(p.Type, false))
			if p.Default != nil {
				t = "NotRequired[" + t + "]"
			}
			fmt.Fprintf(&b, "    %s: %s\n", p.Name, t)
		}
		if len(st.Params) == 0 {
			b.WriteString("    pass\n")
		}
	}
	if len(names) == 0 {
		return "", nil
	}
	return b.String(), names
}

// pyDocLiteral spells a docstring as a Python string literal.
func pyDocLiteral(doc string) string { return strconv.Quote(doc) }

// comparisonParam is the parameter type a stub gives a comparison: object
// for == and != (whose signature object fixes), the declared type otherwise.
func specialOverride(meth *spec.Method) map[int]string {
	if meth.Name == "__eq__" || meth.Name == "__ne__" {
		return map[int]string{0: "object"}
	}
	return nil
}

func classStub(w *stubWriter, c *spec.Class) {
	base := ""
	if c.Base != nil {
		base = "(" + c.Base.Name + ")"
	}
	if !c.Subclassable {
		w.line("@final")
	}
	w.line("class %s%s:", c.Name, base)
	w.indent = "    "
	defer func() { w.indent = "" }()
	if c.Init != nil {
		w.doc(documented(c.Doc, c.Init.Sig))
	} else {
		w.doc(c.Doc)
	}
	w.constants(c.Constants, true)
	for _, a := range c.Attributes {
		if a.Readonly {
			w.function(a.Name, []string{"property"}, "self", pyType(a.Type, false), a.Doc)
			continue
		}
		w.line("%s: %s", a.Name, pyType(a.Type, false))
	}
	for _, p := range c.Properties {
		w.function(p.Name, []string{"property"}, "self", pyType(p.Type, false), p.Doc)
		if p.Setter != "" {
			w.function(p.Name, []string{p.Name + ".setter"}, "self, value: "+pyType(p.Type, true), "None", "")
		}
	}
	if c.Init != nil && len(c.Init.Sig.Params) > 0 {
		w.function("__init__", nil, pyParams("self", c.Init.Sig, nil), "None", "")
	}
	if c.Buffer != nil {
		bufferMethods(w)
	}
	hasEq, hasHash := false, false
	for _, meth := range c.Methods {
		if meth.Name == "__richcompare__" {
			// Python sees the six comparisons it fills.
			other := pyType(meth.Sig.Params[0].Type, true)
			for _, name := range []string{"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"} {
				t := other
				if name == "__eq__" || name == "__ne__" {
					t = "object"
				}
				w.def("def", name, nil, "self, other: "+t+", /", pyResult(meth.Results), documented(meth.Doc, meth.Sig))
			}
			hasEq = true
			continue
		}
		switch meth.Kind {
		case spec.StaticMethod:
			w.def(defKeyword(meth.Async), meth.Name, []string{"staticmethod"}, pyParams("", meth.Sig, nil), pyResult(meth.Results), documented(meth.Doc, meth.Sig))
		case spec.ClassMethod:
			w.def(defKeyword(meth.Async), meth.Name, []string{"classmethod"}, pyParams("cls", meth.Sig, nil), pyResult(meth.Results), documented(meth.Doc, meth.Sig))
		default:
			result := pyResult(meth.Results)
			if meth.Protocol != nil && meth.Protocol.Group == "inplace" && len(meth.Results) == 0 {
				result = "Self"
			}
			params := pyParams("self", meth.Sig, specialOverride(meth))
			if meth.Name == "__pow__" || meth.Name == "__rpow__" {
				// The slot takes pow()'s third argument too; only None works.
				params += ", mod: None = None, /"
			} else if meth.Protocol != nil && meth.Protocol.Args > 0 && !strings.HasSuffix(params, "/") {
				params += ", /" // slot wrappers take their operands by position
			}
			w.def(defKeyword(meth.Async), meth.Name, nil, params, result, documented(meth.Doc, meth.Sig))
		}
		hasEq = hasEq || meth.Name == "__eq__"
		hasHash = hasHash || meth.Name == "__hash__"
	}
	if hasEq && !hasHash {
		w.line("__hash__: ClassVar[None]  # type: ignore[assignment]")
	}
	if len(c.Attributes)+len(c.Properties)+len(c.Methods)+len(c.Constants) == 0 && c.Init == nil && c.Doc == "" {
		w.line("...")
	}
}

// defKeyword is how a stub declares a callable: async calls return a
// coroutine.
func defKeyword(async bool) string {
	if async {
		return "async def"
	}
	return "def"
}

// bufferMethods declares PEP 688's buffer methods: type checkers then take
// the exporter wherever a buffer is expected.
func bufferMethods(w *stubWriter) {
	w.function("__buffer__", nil, "self, flags: int, /", "memoryview", "")
	w.function("__release_buffer__", nil, "self, buffer: memoryview, /", "None", "")
}

// hasBufferResults reports whether a function or method of m returns a
// buffer (a GoBuffer).
func hasBufferResults(m *spec.Module) bool { return returnsKind(m, spec.KindBuffer) }

// returnsKind reports whether a function or method of m has a result of
// kind k.
func returnsKind(m *spec.Module, k spec.TypeKind) bool {
	return anyResult(m, func(t *spec.Type) bool { return t.Kind == k })
}

// anyResult reports whether is holds for a result of a function or
// method of m.
func anyResult(m *spec.Module, is func(*spec.Type) bool) bool {
	var results [][]*spec.Type
	for _, f := range m.AllFunctions() {
		results = append(results, f.Results)
	}
	for _, c := range m.Classes {
		for _, meth := range c.Methods {
			results = append(results, meth.Results)
		}
	}
	for _, rs := range results {
		for _, r := range rs {
			if is(r) {
				return true
			}
		}
	}
	return false
}

// slotSiblings lists the dunders CPython adds beside a class's declared
// special methods when it fills their slot: __radd__ beside __add__ (one nb
// slot serves both), every comparison beside any (one richcompare slot),
// __delitem__ beside __setitem__. They return NotImplemented or raise, so
// the stub rightly leaves them out.
func slotSiblings(module string, c *spec.Class) []string {
	declared := map[string]bool{}
	for _, meth := range c.Methods {
		declared[meth.Name] = true
	}
	var out []string
	add := func(name string) {
		if !declared[name] {
			declared[name] = true
			out = append(out, module+"."+c.Name+"."+name)
		}
	}
	for _, meth := range c.Methods {
		p := meth.Protocol
		if p == nil {
			continue
		}
		switch p.Group {
		case "binary", "reflected":
			if p.Group == "binary" { // __add__ -> __radd__
				add("__r" + meth.Name[2:])
			} else { // __radd__ -> __add__
				add("__" + meth.Name[3:])
			}
		case "compare":
			for _, op := range []string{"lt", "le", "gt", "ge"} {
				add("__" + op + "__")
			}
		case "setitem":
			add("__delitem__")
		case "delitem":
			add("__setitem__")
		}
	}
	return out
}

// declaredNames adds the names of the module's classes, structs and enums
// that t mentions.
func declaredNames(t *spec.Type, names map[string]bool) {
	if t == nil {
		return
	}
	switch {
	case t.Class != nil:
		names[t.Class.Name] = true
	case t.Struct != nil && structTyped(t.Struct):
		names[t.Struct.Name] = true
	case t.Enum != nil:
		names[t.Enum.Name] = true
	}
	declaredNames(t.Elem, names)
	declaredNames(t.Key, names)
	for _, it := range t.Items {
		declaredNames(it, names)
	}
}

// ufuncSignature is how a ufunc's docstring and stub name its inputs and
// outputs: poly(x, /) -> float, divmod_(a, b, /) -> (int, int).
func ufuncSignature(f *spec.Function) string {
	var in, out []string
	for _, p := range f.Sig.Params {
		in = append(in, p.Name+": "+pyType(p.Type, true))
	}
	for _, r := range f.Results {
		out = append(out, pyType(r, false))
	}
	res := out[0]
	if len(out) > 1 {
		res = "(" + strings.Join(out, ", ") + ")"
	}
	return f.Name + "(" + strings.Join(in, ", ") + ", /) -> " + res + ", elementwise (a numpy ufunc)"
}
