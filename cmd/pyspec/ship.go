package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/pyspec/pyspec/build"
	"github.com/pyspec/pyspec/codegen"
	"github.com/pyspec/pyspec/packaging"
	"github.com/pyspec/pyspec/spec"
	"github.com/pyspec/pyspec/target"
)

var wheelCommand = &command{
	name:     "wheel",
	synopsis: "SPEC -o DIST [--python PATH] [--abi3] [--version V] [--editable] [--work DIR] [--platform P]...",
	summary:  "build a wheel (PEP 427) of the module into DIST",
	help: `
Builds the module as compile does (stripped) and writes one wheel into DIST:
the extension, its Go part, the stub and the .dist-info (METADATA, WHEEL,
RECORD). The last line of stdout is the wheel's path.

Its tag is cpXY-cpXY-PLATFORM for the interpreter (--abi3: cp311-abi3-
PLATFORM). On Linux the platform is manylinux_2_N_<arch> for the highest
GLIBC_2.N symbol version the libraries need, or linux_<arch> when they need
a library outside the manylinux policy. The same inputs give the same bytes
(file times from $SOURCE_DATE_EPOCH, else fixed).

Name and version come from pyproject.toml's [project] (beside the spec or
above it, up to the Go module's root), else from the spec's module and
version:. --version overrides both.

--platform P builds for a manylinux platform instead of this machine, with
zig cc (zig on PATH, else the ziglang package of the --python interpreter)
as the C compiler of both parts; repeated, it writes a wheel per platform,
and the last lines of stdout are their paths. P is one of
manylinux2014_x86_64, manylinux2014_aarch64, manylinux_2_28_x86_64,
manylinux_2_28_aarch64 (or its PEP 600 name, manylinux_2_17_x86_64 ...).
The tag is still read from the libraries (e.g.
manylinux_2_17_x86_64.manylinux2014_x86_64), and every library must be an
ELF file of the target's architecture. aarch64 builds need Debian's arm64
Python configuration: scripts/setup.sh unpacks it into
~/.cache/pyspec/arm64-sysroot; --target-python-include names another.

--editable writes a PEP 660 wheel instead: the installed module is rebuilt
from the spec, into build/pyspec-<tag> beside it, whenever a process first
imports it, so edits show without reinstalling.`,
	run: func(c *cli, cmd *command, args []string) int {
		fs := c.flags(cmd)
		bf := buildFlags(fs)
		targetFlags(fs, bf, true)
		out := fs.String("o", "", "the directory the wheel is written to (required)")
		version := fs.String("version", "", "the distribution's version, overriding pyproject.toml and the spec")
		editable := fs.Bool("editable", false, "write an editable (PEP 660) wheel that rebuilds the module on import")
		pos, _, code, stop := c.parse(fs, args)
		if stop {
			return code
		}
		if len(pos) != 1 {
			return c.usageError(cmd, "expected one spec file")
		}
		if *out == "" {
			return c.usageError(cmd, "-o DIST is required")
		}
		if *editable && len(bf.platforms) > 0 {
			return c.usageError(cmd, "--editable builds for this machine: no --platform")
		}
		for _, p := range bf.platforms {
			if _, err := target.Parse(p); err != nil {
				fmt.Fprintf(c.stderr, "pyspec wheel: %v\n", err)
				return 2
			}
		}
		if err := writable(*out); err != nil {
			return c.fail(err)
		}
		m := c.load(pos[0])
		if m == nil {
			return 1
		}
		py, err := build.InspectPython(bf.interpreter())
		if err != nil {
			return c.fail(err)
		}
		requires := ">=" + py.Version
		if bf.abi3 {
			requires = ">=" + build.LimitedVersion
		}
		proj := packaging.FindProject(m)
		md, err := packaging.ReadMetadata(m, proj, *version, requires)
		if err != nil {
			return c.fail(err)
		}
		if *editable {
			exe, err := os.Executable()
			if err != nil {
				return c.fail(err)
			}
			// Build now: a broken module fails the install, and the build
			// directory the .pth names exists (with the stub) from the start.
			outDir := packaging.EditableOutDir(m, py)
			if _, _, res, status := c.compile(m.SpecPath, outDir, bf); res == nil {
				return status
			}
			path, err := packaging.EditableWheel(&packaging.EditableInput{Module: m, Meta: md, Python: py, Pyspec: exe, OutDir: outDir}, *out)
			if err != nil {
				return c.fail(err)
			}
			fmt.Fprintln(c.stdout, path)
			return 0
		}
		work, err := bf.workDir(m)
		if err != nil {
			return c.fail(err)
		}
		if err := codegen.WriteAuthorFiles(m); err != nil {
			return c.fail(err)
		}
		// One build per platform: this machine's when none is named.
		var builds []packaging.WheelBuild
		if len(bf.platforms) == 0 {
			builds = append(builds, packaging.WheelBuild{Python: py, Options: build.Options{Limited: bf.abi3, Strip: true}})
		}
		for _, p := range bf.platforms {
			tb, status := c.resolveTarget(p, py, bf)
			if tb == nil {
				return status
			}
			builds = append(builds, packaging.WheelBuild{Python: tb.Python, Glibc: tb.Target.GlibcMinor(),
				Options: build.Options{Limited: bf.abi3, Strip: true, Cross: tb.Cross}})
		}
		paths, plats, err := packaging.BuildWheels(m, md, work, builds, *out)
		if err != nil {
			return c.fail(err)
		}
		for _, plat := range plats {
			fmt.Fprintf(c.stderr, "platform tag %s: %s\n", plat.Tag, plat.Why)
		}
		for _, path := range paths {
			fmt.Fprintln(c.stdout, path)
		}
		return 0
	},
}

var sdistCommand = &command{
	name:     "sdist",
	synopsis: "SPEC -o DIST [--version V]",
	summary:  "write a source distribution (PEP 517 sdist) into DIST",
	help: `
Writes <name>-<version>.tar.gz into DIST: PKG-INFO, pyproject.toml (the
project's, or one made from the spec) with the in-tree backend, the spec
and the files beside it, the Go packages the module is built from with
go.mod and go.sum (a pyspec init project's vendored copy of package py
included), and the Go modules they need, as a module proxy directory.
Building from it needs Go, a C compiler and pyspec, nothing from the
network. The last line
of stdout is its path.`,
	run: func(c *cli, cmd *command, args []string) int {
		fs := c.flags(cmd)
		out := fs.String("o", "", "the directory the sdist is written to (required)")
		version := fs.String("version", "", "the distribution's version, overriding pyproject.toml and the spec")
		pos, _, code, stop := c.parse(fs, args)
		if stop {
			return code
		}
		if len(pos) != 1 {
			return c.usageError(cmd, "expected one spec file")
		}
		if *out == "" {
			return c.usageError(cmd, "-o DIST is required")
		}
		if err := writable(*out); err != nil {
			return c.fail(err)
		}
		m := c.load(pos[0])
		if m == nil {
			return 1
		}
		if err := codegen.WriteAuthorFiles(m); err != nil {
			return c.fail(err)
		}
		proj := packaging.FindProject(m)
		md, err := packaging.ReadMetadata(m, proj, *version, "")
		if err != nil {
			return c.fail(err)
		}
		path, err := packaging.Sdist(&packaging.SdistInput{Module: m, Meta: md, Project: proj}, *out)
		if err != nil {
			return c.fail(err)
		}
		fmt.Fprintln(c.stdout, path)
		return 0
	},
}

var metadataCommand = &command{
	name:     "metadata",
	synopsis: "SPEC -o DIR [--version V] [--abi3] [--python PATH]",
	summary:  "write the wheel's .dist-info/METADATA (for build backends)",
	help: `
Writes DIR/<name>-<version>.dist-info/METADATA, what pyspec wheel would put
in the wheel, without building: the backend's
prepare_metadata_for_build_wheel. The last line of stdout is the
.dist-info directory.`,
	run: func(c *cli, cmd *command, args []string) int {
		fs := c.flags(cmd)
		bf := buildFlags(fs)
		out := fs.String("o", "", "the directory to write into (required)")
		version := fs.String("version", "", "the distribution's version, overriding pyproject.toml and the spec")
		pos, _, code, stop := c.parse(fs, args)
		if stop {
			return code
		}
		if len(pos) != 1 || *out == "" {
			return c.usageError(cmd, "expected one spec file and -o DIR")
		}
		m := c.load(pos[0])
		if m == nil {
			return 1
		}
		requires := ""
		if bf.abi3 {
			requires = ">=" + build.LimitedVersion
		} else if py, err := build.InspectPython(bf.interpreter()); err == nil {
			requires = ">=" + py.Version
		}
		md, err := packaging.ReadMetadata(m, packaging.FindProject(m), *version, requires)
		if err != nil {
			return c.fail(err)
		}
		dir := filepath.Join(*out, md.DistInfo())
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return c.fail(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "METADATA"), md.Render(), 0o644); err != nil {
			return c.fail(err)
		}
		fmt.Fprintln(c.stdout, dir)
		return 0
	},
}

var pyprojectCommand = &command{
	name:     "pyproject",
	synopsis: "SPEC [--version V] [--vendor]",
	summary:  "give an existing spec a pyproject.toml",
	help: `
Writes pyproject.toml beside SPEC (unless there is one), whose
[build-system] requires pyspec and names its PEP 517 backend, so that pip
install ., pip install -e . and python -m build work (pip installs pyspec
into the build environment). With --vendor it writes the backend into
.pyspec/backend/pyspec_build.py and requires nothing, so that they work
offline with pyspec on PATH.`,
	run: func(c *cli, cmd *command, args []string) int {
		fs := c.flags(cmd)
		version := fs.String("version", "", "the version to write (default: the spec's version:, else 0.1.0)")
		vendor := fs.Bool("vendor", false, "copy the build backend into the project (requires = []): no index needed, pyspec on PATH")
		pos, _, code, stop := c.parse(fs, args)
		if stop {
			return code
		}
		if len(pos) != 1 {
			return c.usageError(cmd, "expected one spec file")
		}
		m := c.load(pos[0])
		if m == nil {
			return 1
		}
		v := *version
		if v == "" && m.Version == "" {
			v = "0.1.0"
		}
		wrote, err := packaging.WriteProject(m, v, *vendor)
		for _, f := range wrote {
			fmt.Fprintln(c.stdout, "wrote", f)
		}
		if err != nil {
			return c.fail(err)
		}
		return 0
	},
}

// writable checks, before any work, that files can be created in dir.
func writable(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot write to %s: %v", dir, err)
	}
	f, err := os.CreateTemp(dir, ".pyspec-check-*")
	if err != nil {
		return fmt.Errorf("cannot write to %s: %v", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// interpreter is --python, else the default.
func (o *buildOptions) interpreter() string {
	if o.python != "" {
		return o.python
	}
	return build.DefaultPython()
}

// workDir is --work (absolute), else the spec's directory in the cache.
func (o *buildOptions) workDir(m *spec.Module) (string, error) {
	if o.work == "" {
		return build.WorkDir(m)
	}
	return filepath.Abs(o.work)
}
