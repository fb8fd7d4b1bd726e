package main

import (
	"fmt"
	"path/filepath"

	"github.com/pyspec/pyspec/codegen"
	"github.com/pyspec/pyspec/packaging"
)

var initCommand = &command{
	name:     "init",
	synopsis: "NAME [DIR] [--vendor]",
	summary:  "start a new project: spec, Go package, tests, go.mod",
	help: `
Writes a new project for module NAME into DIR (default NAME), which must be
empty or missing: module.yaml with the schema modeline and a copy of the
schema, a Go implementation, a first test, a README, pyproject.toml, and a
copy of pyspec's Go package py (with its subpackages) that go.mod points
to, so that the project builds with GOPROXY=off.

pyproject.toml's [build-system] requires pyspec (this version or later)
and names its backend, pyspec_build: pip install . installs pyspec into the
isolated build environment. With --vendor, the backend is copied into
.pyspec/backend instead and nothing is required: the project builds
without an index, with the pyspec command on PATH (or in $PYSPEC).`,
	run: func(c *cli, cmd *command, args []string) int {
		fs := c.flags(cmd)
		vendor := fs.Bool("vendor", false, "copy the build backend into the project (requires = []): pip builds it with no index, with pyspec on PATH")
		pos, _, code, stop := c.parse(fs, args)
		if stop {
			return code
		}
		if len(pos) < 1 || len(pos) > 2 {
			return c.usageError(cmd, "expected NAME [DIR]")
		}
		dir := pos[0]
		if len(pos) == 2 {
			dir = pos[1]
		}
		if err := codegen.InitProject(pos[0], dir); err != nil {
			fmt.Fprintf(c.stderr, "pyspec init: %v\n", err)
			return 1
		}
		// pyproject.toml (and the in-tree backend): pip install . works.
		m := c.load(filepath.Join(dir, "module.yaml"))
		if m == nil {
			return 1
		}
		if _, err := packaging.WriteProject(m, "0.1.0", *vendor); err != nil {
			fmt.Fprintf(c.stderr, "pyspec init: %v\n", err)
			return 1
		}
		fmt.Fprintf(c.stdout, "created %s: next, cd %s && pyspec compile module.yaml -o out && pyspec test module.yaml (or pip install .)\n", dir, dir)
		return 0
	},
}
