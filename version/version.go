// Package version is pyspec's own version: the pyspec command's, the
// version of the wheel pip builds of pyspec (the root pyproject.toml must
// say the same; a test checks), and the least version of pyspec that the
// [build-system] requires of a new project asks for.
package version

// Version is PEP 440.
const Version = "0.1.0"
