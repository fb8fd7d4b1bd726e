package codegen

import (
	"fmt"
	"strings"
)

// The ABI between the C part and the Go part of a module: the entry points
// of the Go part, each described once. An entry renders the member of the
// API table (module.h), the C part's forwarding stub (module.c), the
// arguments a call's core function passes and the signature of the exported
// Go function behind it (glue.go), so that the three cannot drift apart.
// The fixed Go part (gopart/) exports a few entries by hand; a test holds
// those to their description here.

// abiEntry is one entry point of the Go part: a member of the API table the
// C part calls through, and the exported Go function Name + "_go" behind it.
type abiEntry struct {
	Name   string // table member
	Result abiResult
	Params []abiParam
}

// abiResult is what an entry point returns.
type abiResult struct {
	CType string // "int" (0, or -1 with an exception set), "void" or "PyObject*"
	Fail  string // what a stub returns when the Go part cannot be loaded ("" for void)
	// GoName names the Go export's result ("status") when its body sets
	// it, in a deferred recover; "" leaves it unnamed.
	GoName string
}

// abiParam is one parameter of an entry point.
type abiParam struct {
	Name   string // in the C prototype and the forwarding call
	CType  string
	GoName string // in the Go export, when it differs from Name
	// Arg is the C expression a call's core function passes for the
	// parameter (module.c); only the entries of calls (callView) have it.
	Arg string
}

// The results of entry points.
var (
	// statusResult is an int status the Go body sets as it recovers a panic.
	statusResult = abiResult{CType: "int", Fail: "-1", GoName: "status"}
	intResult    = abiResult{CType: "int", Fail: "-1"}
	voidResult   = abiResult{CType: "void"}
	objectResult = abiResult{CType: "PyObject*", Fail: "NULL"}
)

// param is a parameter whose name is the same in C and Go.
func param(ctype, name string) abiParam { return abiParam{Name: name, CType: ctype} }

// The entry points the fixed Go part exports (gopart/iter.go): written by
// hand there, held to these by TestGopartExportsMatchABI.
var (
	iterNextEntry = abiEntry{Name: "iter_next", Result: intResult,
		Params: []abiParam{param("uintptr_t", "token"), param("pyspec_iter_batch*", "b")}}
	iterCloseEntry = abiEntry{Name: "iter_close", Result: voidResult,
		Params: []abiParam{param("uintptr_t", "token")}}
)

// gopartEntries are the entries gopart/ exports.
var gopartEntries = []abiEntry{iterNextEntry, iterCloseEntry}

// CParams is the C parameter list of the prototype ("void" for none).
func (e abiEntry) CParams() string {
	if len(e.Params) == 0 {
		return "void"
	}
	ps := make([]string, len(e.Params))
	for i, p := range e.Params {
		ps[i] = p.CType + " " + p.Name
	}
	return strings.Join(ps, ", ")
}

// CArgs is the parameters' names, to forward a call.
func (e abiEntry) CArgs() string {
	as := make([]string, len(e.Params))
	for i, p := range e.Params {
		as[i] = p.Name
	}
	return strings.Join(as, ", ")
}

// CCallArgs is the argument list with which a call's core function calls
// the entry (each parameter's Arg).
func (e abiEntry) CCallArgs() string {
	as := make([]string, len(e.Params))
	for i, p := range e.Params {
		if p.Arg == "" {
			panic(fmt.Sprintf("codegen: entry point %s: parameter %s has no call-site argument", e.Name, p.Name))
		}
		as[i] = p.Arg
	}
	return strings.Join(as, ", ")
}

// GoSignature is the exported Go function's declaration without its body,
// as gofmt prints it: "func NAME_go(token C.uintptr_t) C.int".
func (e abiEntry) GoSignature() string {
	ps := make([]string, len(e.Params))
	for i, p := range e.Params {
		name := p.Name
		if p.GoName != "" {
			name = p.GoName
		}
		ps[i] = name + " " + cgoType(p.CType)
	}
	sig := "func " + e.Name + "_go(" + strings.Join(ps, ", ") + ")"
	switch {
	case e.Result.CType == "void":
	case e.Result.GoName != "":
		sig += " (" + e.Result.GoName + " " + cgoType(e.Result.CType) + ")"
	default:
		sig += " " + cgoType(e.Result.CType)
	}
	return sig
}

// Export is the cgo export directive and the signature that follows it.
func (e abiEntry) Export() string {
	return "//export " + e.Name + "_go\n" + e.GoSignature()
}

// cgoScalars are the C scalar types an entry point may use, which cgo
// spells C.<name>.
var cgoScalars = map[string]bool{
	"char": true, "int": true, "float": true, "double": true,
	"int8_t": true, "int16_t": true, "int32_t": true, "int64_t": true,
	"uint8_t": true, "uint16_t": true, "uint32_t": true, "uint64_t": true,
	"uintptr_t": true,
}

// cgoType is how cgo spells the C type of an entry point's parameter or
// result in Go: void* is unsafe.Pointer, struct S is C.struct_S, PyObject,
// pyspec_* and the scalars are C.<name>, and each further * a pointer. It
// panics on a type it does not know, so that a new entry point cannot be
// spelled wrong in Go without notice.
func cgoType(ctype string) string {
	t := strings.TrimSpace(ctype)
	stars := 0
	for strings.HasSuffix(t, "*") {
		t = strings.TrimSpace(strings.TrimSuffix(t, "*"))
		stars++
	}
	var base string
	switch {
	case t == "void" && stars > 0:
		stars--
		base = "unsafe.Pointer"
	case strings.HasPrefix(t, "struct ") && isIdentifier(strings.TrimPrefix(t, "struct ")):
		base = "C.struct_" + strings.TrimPrefix(t, "struct ")
	case cgoScalars[t], t == "PyObject", strings.HasPrefix(t, "pyspec_") && isIdentifier(t):
		base = "C." + t
	default:
		panic(fmt.Sprintf("codegen: the ABI model does not know how cgo spells the C type %q", ctype))
	}
	return strings.Repeat("*", stars) + base
}
