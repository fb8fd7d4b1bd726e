package pyimpl

import (
	"github.com/pyspec/pyspec/py"
	"github.com/pyspec/pyspec/py/internal/core"
)

// CView describes an acquired buffer. The generated glue fills it in C (its
// layout is pyspec.h's pyspec_desc) and py.Buffer reads it in place, so
// making a view costs nothing per call.
type CView = core.CView

// BufferOf wraps a descriptor.
func BufferOf(d *CView) py.Buffer { return py.Internal.Buffer(d) }
