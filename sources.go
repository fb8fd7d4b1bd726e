// Package pyspec holds the sources that the pyspec command copies into new
// projects: the Go runtime, so that a project builds without network access.
package pyspec

import "embed"

// RuntimeSources is the runtime package's source files (tests included;
// whoever copies them leaves out the _test.go files).
//
//go:embed runtime/*.go
var RuntimeSources embed.FS

// ModulePath is the module path of pyspec and of its runtime.
const ModulePath = "github.com/pyspec/pyspec"
