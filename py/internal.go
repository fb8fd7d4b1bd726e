package py

import "github.com/pyspec/pyspec/py/internal/core"

// Internal is for package pyimpl alone, which the code pyspec generates
// uses: how it makes and opens this package's values. Module authors have
// no use for it; it changes without notice.
var Internal internal

type internal struct{}

// Object wraps a reference.
func (internal) Object(r *core.Ref) Object { return Object{r} }

// Ref is the reference o holds, nil for None.
func (internal) Ref(o Object) *core.Ref { return o.ref }

// Buffer wraps a descriptor.
func (internal) Buffer(d *core.CView) Buffer { return Buffer{d} }

// NewException describes the declared exception module.name, raised as
// fallback when its module cannot be found.
func (internal) NewException(module, name string, fallback ExcKind) *Exception {
	return &Exception{module: module, name: name, kind: fallback}
}

// Declared is the spec-declared exception class err is raised as, or nil.
func (internal) Declared(err error) *Exception { return declared(err) }
