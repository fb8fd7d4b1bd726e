package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/pyspec/pyspec/build"
	"github.com/pyspec/pyspec/codegen"
	"github.com/pyspec/pyspec/spec"
	"github.com/pyspec/pyspec/target"
)

var generateCommand = &command{
	name:     "generate",
	synopsis: "SPEC -o DIR",
	summary:  "write the glue sources, the stub and the tests; no build",
	help: `
Writes the generated sources of SPEC into DIR: the C part (c/), the Go part
(go/), the .pyi stub and test_<module>_spec.py. Nothing is compiled.`,
	run: func(c *cli, cmd *command, args []string) int {
		fs := c.flags(cmd)
		out := fs.String("o", "", "output directory (required)")
		pos, _, code, stop := c.parse(fs, args)
		if stop {
			return code
		}
		if len(pos) != 1 {
			return c.usageError(cmd, "expected one spec file")
		}
		if *out == "" {
			return c.usageError(cmd, "-o DIR is required")
		}
		m := c.load(pos[0])
		if m == nil {
			return 1
		}
		if err := codegen.WriteAuthorFiles(m); err != nil {
			return c.fail(err)
		}
		outputs, err := codegen.Outputs(m)
		if err != nil {
			return c.fail(err)
		}
		for _, files := range outputs.All() {
			if err := codegen.WriteFiles(*out, files); err != nil {
				return c.fail(err)
			}
		}
		return 0
	},
}

var compileCommand = &command{
	name:     "compile",
	synopsis: "SPEC -o DIR [--python PATH] [--work DIR] [--abi3] [--sanitize address] [--platform P]",
	summary:  "validate, generate and build the extension module",
	help: `
Validates SPEC, generates its glue and builds, for the interpreter PATH:
DIR/<module><EXT_SUFFIX> (the extension), DIR/<module>.go.so (its Go part,
which the extension loads), DIR/<module>.pyi and DIR/test_<module>_spec.py. The
last line of stdout is the extension's path. A build with nothing changed
since the last one is skipped. Go and C compiler errors are shown.

--platform builds for a manylinux platform instead, with zig cc (zig on
PATH, else the ziglang package of the --python interpreter) as the C
compiler of both parts: for aarch64, against Debian's arm64 Python
configuration (see --target-python-include).`,
	run: func(c *cli, cmd *command, args []string) int {
		fs := c.flags(cmd)
		bf := debugBuildFlags(fs)
		targetFlags(fs, bf, false)
		out := fs.String("o", "", "output directory (required)")
		pos, _, code, stop := c.parse(fs, args)
		if stop {
			return code
		}
		if len(pos) != 1 {
			return c.usageError(cmd, "expected one spec file")
		}
		if *out == "" {
			return c.usageError(cmd, "-o DIR is required")
		}
		if len(bf.platforms) > 1 {
			return c.usageError(cmd, "--platform once: one build per output directory (pyspec wheel takes several)")
		}
		_, py, res, status := c.compile(pos[0], *out, bf)
		if res == nil {
			return status
		}
		if bf.sanitize == "address" {
			c.asanHint(py, res)
		}
		fmt.Fprintln(c.stdout, res.Extension)
		return 0
	},
}

var testCommand = &command{
	name:     "test",
	synopsis: "SPEC [-o DIR] [--python PATH] [--work DIR] [--abi3] [--sanitize address] [-- PYTEST-ARGS]",
	summary:  "compile, then run the generated tests and the author's with pytest",
	help: `
Compiles SPEC (into DIR, default a directory of the user cache), then runs
the generated tests and the author's own (test_*.py beside the spec) with
pytest under the chosen interpreter, and exits with pytest's status.
Arguments after -- go to pytest; naming test files there runs those instead
of the author's.`,
	run: func(c *cli, cmd *command, args []string) int {
		fs := c.flags(cmd)
		bf := debugBuildFlags(fs)
		out := fs.String("o", "", "output directory (default: in the user cache)")
		pos, rest, code, stop := c.parse(fs, args)
		if stop {
			return code
		}
		if len(pos) != 1 {
			return c.usageError(cmd, "expected one spec file")
		}
		m, py, res, status := c.compile(pos[0], *out, bf)
		if res == nil {
			return status
		}
		fmt.Fprintln(c.stdout, res.Extension)
		return c.runTests(m, py, res, rest, bf.sanitize)
	},
}

// buildOptions are the flags every building command takes.
type buildOptions struct {
	python, work, sanitize string
	abi3                   bool
	// platforms and targetInclude: the cross-building flags of compile
	// and wheel (targetFlags).
	platforms     stringList
	targetInclude string
}

// stringList is a flag that may be repeated.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// targetFlags adds --platform and --target-python-include to o; many says
// whether --platform may be repeated.
func targetFlags(fs *flag.FlagSet, o *buildOptions, many bool) {
	again := ""
	if many {
		again = "; repeat it for a build per platform"
	}
	fs.Var(&o.platforms, "platform", "build with zig cc for a manylinux platform: "+strings.Join(target.Names(), ", ")+again)
	fs.StringVar(&o.targetInclude, "target-python-include", "", "the directory of the target platform's Python.h and pyconfig.h (default: this interpreter's for its own architecture, else $PYSPEC_AARCH64_SYSROOT/usr/include/python3.X, else ~/.cache/pyspec/arm64-sysroot/...)")
}

// resolveTarget prepares the build for platform; an unsupported platform
// is a usage error (exit status 2).
func (c *cli) resolveTarget(platform string, host *build.Python, o *buildOptions) (*target.Build, int) {
	tb, err := target.Resolve(platform, host, o.targetInclude)
	if err != nil {
		fmt.Fprintf(c.stderr, "pyspec: %v\n", err)
		if _, unknown := err.(*target.UnknownError); unknown {
			return nil, 2
		}
		return nil, 1
	}
	return tb, 0
}

func buildFlags(fs *flag.FlagSet) *buildOptions {
	o := &buildOptions{}
	fs.StringVar(&o.python, "python", "", "the interpreter to build for (default $PYSPEC_PYTHON, else python3 on PATH)")
	fs.StringVar(&o.work, "work", "", "directory for the glue sources and the build (default: one per spec in the user cache)")
	fs.BoolVar(&o.abi3, "abi3", false, "build against Python 3.11's Limited API: one <module>.abi3.so for CPython 3.11 and later")
	return o
}

// debugBuildFlags is buildFlags plus --sanitize, for the commands that
// build for debugging here (compile, test), not for shipping.
func debugBuildFlags(fs *flag.FlagSet) *buildOptions {
	o := buildFlags(fs)
	fs.StringVar(&o.sanitize, "sanitize", "", `"address": build both parts with AddressSanitizer, for debugging memory errors`)
	return o
}

// compile loads, checks and builds a spec into out (a directory of the
// work dir when out is ""). A nil result comes with the exit status.
func (c *cli) compile(path, out string, o *buildOptions) (*spec.Module, *build.Python, *build.Result, int) {
	if o.sanitize != "" && o.sanitize != "address" {
		fmt.Fprintf(c.stderr, "pyspec: --sanitize takes \"address\", not %q\n", o.sanitize)
		return nil, nil, nil, 2
	}
	m := c.load(path)
	if m == nil {
		return nil, nil, nil, 1
	}
	// The author's package gets its exception variables before anything
	// is built against it.
	if err := codegen.WriteAuthorFiles(m); err != nil {
		return nil, nil, nil, c.fail(err)
	}
	exe := o.python
	if exe == "" {
		exe = build.DefaultPython()
	}
	py, err := build.InspectPython(exe)
	if err != nil {
		return nil, nil, nil, c.fail(err)
	}
	work := o.work
	if work == "" {
		if work, err = build.WorkDir(m); err != nil {
			return nil, nil, nil, c.fail(err)
		}
	}
	if abs, err := filepath.Abs(work); err == nil {
		work = abs
	}
	if out == "" { // pyspec test without -o
		out = filepath.Join(work, "out")
	}
	if abs, err := filepath.Abs(out); err == nil {
		out = abs
	}
	opts := build.Options{Limited: o.abi3, Sanitize: o.sanitize}
	if len(o.platforms) == 1 {
		tb, status := c.resolveTarget(o.platforms[0], py, o)
		if tb == nil {
			return nil, nil, nil, status
		}
		py, opts.Cross = tb.Python, tb.Cross
	}
	res, err := build.Build(m, py, work, out, opts)
	if err != nil {
		return nil, nil, nil, c.fail(err)
	}
	return m, py, res, 0
}

// asanEnv is the environment that runs Python with an AddressSanitizer
// build: the ASan runtime preloaded (the interpreter is not built with it)
// and CPython's own allocations, which ASan cannot follow across a leak
// check at exit, not reported as leaks.
func asanEnv() ([]string, error) {
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "cc"
	}
	out, err := exec.Command(strings.Fields(cc)[0], "-print-file-name=libasan.so").Output()
	lib := strings.TrimSpace(string(out))
	if err != nil || !filepath.IsAbs(lib) {
		return nil, fmt.Errorf("cannot find the AddressSanitizer runtime (%s -print-file-name=libasan.so: %v)", cc, err)
	}
	return []string{"LD_PRELOAD=" + lib, "ASAN_OPTIONS=detect_leaks=0"}, nil
}

func (c *cli) asanHint(py *build.Python, res *build.Result) {
	env, err := asanEnv()
	if err != nil {
		fmt.Fprintf(c.stderr, "pyspec: %v\n", err)
		return
	}
	fmt.Fprintf(c.stderr, "built with AddressSanitizer; run Python with it preloaded:\n  cd %s && %s %s -c 'import %s'\n",
		filepath.Dir(res.Extension), strings.Join(env, " "), py.Exe, strings.TrimSuffix(filepath.Base(res.GoPart), ".go.so"))
}

func fileOrDir(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// runTests runs pytest on the generated tests and the author's own.
func (c *cli) runTests(m *spec.Module, py *build.Python, res *build.Result, extra []string, sanitize string) int {
	outDir := filepath.Dir(res.Extension)
	specDir := filepath.Dir(m.SpecPath)
	// importlib mode: pytest leaves sys.path alone, so `import <module>`
	// finds the fresh build in outDir, never a stale one beside the spec.
	// With the spec's directory as rootdir and on PYTHONPATH (after
	// outDir), the author's test files are modules of their own names
	// (test_x), which the helpers beside them and the workers of a
	// 'spawn' or 'forkserver' pool can import.
	args := []string{"-m", "pytest", "-p", "no:cacheprovider", "--import-mode=importlib", "--rootdir", specDir, res.Tests}
	namesFiles := false
	extra = append([]string(nil), extra...)
	for i, a := range extra {
		if strings.HasSuffix(a, ".py") || strings.Contains(a, ".py::") {
			namesFiles = true
		}
		// pytest runs in the output directory: paths the user gave
		// relative to here must still name the same files.
		path, rest, _ := strings.Cut(a, "::")
		if !strings.HasPrefix(a, "-") && !filepath.IsAbs(path) && fileOrDir(path) {
			if abs, err := filepath.Abs(path); err == nil {
				extra[i] = abs
				if rest != "" {
					extra[i] += "::" + rest
				}
			}
		}
	}
	if !namesFiles {
		if own, _ := filepath.Glob(filepath.Join(filepath.Dir(m.SpecPath), "test_*.py")); len(own) > 0 {
			args = append(args, own...)
		}
	}
	args = append(args, extra...)
	cmd := exec.Command(py.Exe, args...)
	cmd.Dir = outDir
	pythonPath := outDir + string(os.PathListSeparator) + specDir
	if p := os.Getenv("PYTHONPATH"); p != "" {
		pythonPath += string(os.PathListSeparator) + p
	}
	cmd.Env = append(os.Environ(), "PYTHONPATH="+pythonPath, "PYTHONDONTWRITEBYTECODE=1")
	if sanitize == "address" {
		env, err := asanEnv()
		if err != nil {
			return c.fail(err)
		}
		cmd.Env = append(cmd.Env, env...)
	}
	cmd.Stdout, cmd.Stderr = c.stdout, c.stderr
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		}
		return c.fail(fmt.Errorf("running pytest: %v", err))
	}
	return 0
}
