// Package pyspec holds the sources that the pyspec command copies into new
// projects: the Go package py (with its subpackages), so that a project
// builds without network access.
package pyspec

import "embed"

// PySources is the source files of package py and its subpackages (tests
// included; whoever copies them leaves out the _test.go files).
//
//go:embed py
var PySources embed.FS

// ModulePath is the module path of pyspec and of package py.
const ModulePath = "github.com/pyspec/pyspec"
