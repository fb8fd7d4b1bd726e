// Command pyspec compiles a YAML module spec and its Go implementation into
// an importable CPython extension module.
//
//	pyspec init NAME [DIR]             a new project
//	pyspec validate SPEC               check the spec; exit 1 with every problem
//	pyspec generate SPEC -o DIR        write the glue sources only
//	pyspec compile SPEC -o DIR [--python PATH] [--work DIR]
//	pyspec test SPEC [-o DIR] [--python PATH] [-- PYTEST-ARGS]
//	pyspec schema                      print the spec's JSON Schema
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/pyspec/pyspec/codegen"
	"github.com/pyspec/pyspec/schema"
	"github.com/pyspec/pyspec/spec"
)

const usage = `usage:
  pyspec init NAME [DIR]
  pyspec validate SPEC [--format text|json] [--no-bind]
  pyspec generate SPEC -o DIR
  pyspec compile SPEC -o DIR [--python PATH] [--work DIR]
  pyspec test SPEC [-o DIR] [--python PATH] [--work DIR] [-- PYTEST-ARGS]
  pyspec schema

compile writes DIR/<module><EXT_SUFFIX>, its .pyi stub and test_<module>.py.
test compiles (into DIR, default a directory of the user cache), then runs
the generated tests and the author's own (test_*.py beside the spec) with
pytest under the chosen interpreter.

validate --format json prints {"valid": bool, "problems": [{"file", "line",
"column", "pointer", "message", "severity"}]} on stdout; --no-bind checks the
spec alone, without its Go package.

Exit status: 0 success, 1 the spec, the build or the tests have problems,
2 usage error.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, args := args[0], args[1:]
	var pytestArgs []string
	for i, a := range args {
		if a == "--" {
			args, pytestArgs = args[:i], args[i+1:]
			break
		}
	}
	fs := flag.NewFlagSet("pyspec "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "output directory")
	python := fs.String("python", codegen.DefaultPython(), "interpreter to build for (default $PYSPEC_PYTHON, else python3)")
	work := fs.String("work", "", "directory for the glue sources and build (default: in the user cache)")
	format := fs.String("format", "text", "validate: text (SPEC:LINE:COL: message lines) or json")
	noBind := fs.Bool("no-bind", false, "validate: check the spec alone, not its Go package")
	// Flags may follow the spec path: parse around it.
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch cmd {
	case "init":
		if len(positional) < 1 || len(positional) > 2 {
			fmt.Fprintf(stderr, "pyspec init: expected NAME [DIR]\n%s", usage)
			return 2
		}
		dir := positional[0]
		if len(positional) == 2 {
			dir = positional[1]
		}
		if err := codegen.InitProject(positional[0], dir); err != nil {
			fmt.Fprintf(stderr, "pyspec init: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "created %s: next, cd %s && pyspec compile module.yaml -o out && pyspec test module.yaml\n", dir, dir)
		return 0
	case "schema":
		stdout.Write(schema.JSON)
		return 0
	case "validate", "generate", "compile", "test":
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "pyspec: unknown command %q\n%s", cmd, usage)
		return 2
	}
	if len(positional) != 1 {
		fmt.Fprintf(stderr, "pyspec %s: expected one spec file\n%s", cmd, usage)
		return 2
	}
	if (cmd == "generate" || cmd == "compile") && *out == "" {
		fmt.Fprintf(stderr, "pyspec %s: -o DIR is required\n", cmd)
		return 2
	}
	if cmd == "validate" {
		return validate(positional[0], *format, *noBind, stdout, stderr)
	}
	m, err := spec.Load(positional[0])
	if err != nil {
		var ds spec.Diagnostics
		if errors.As(err, &ds) {
			for _, d := range ds {
				fmt.Fprintln(stderr, d)
			}
		} else {
			fmt.Fprintf(stderr, "pyspec: %v\n", err)
		}
		return 1
	}
	if cmd == "validate" {
		return 0
	}
	// The author's package gets its exception variables before anything
	// is built against it.
	if err := codegen.WriteAuthorFiles(m); err != nil {
		fmt.Fprintf(stderr, "pyspec: %v\n", err)
		return 1
	}
	switch cmd {
	case "generate":
		files, err := codegen.Generate(m)
		if err == nil {
			err = codegen.WriteFiles(*out, files)
		}
		if err == nil {
			err = codegen.WriteFiles(*out, codegen.Stubs(m))
		}
		if err == nil {
			err = codegen.WriteFiles(*out, codegen.PytestFile(m))
		}
		if err != nil {
			fmt.Fprintf(stderr, "pyspec: %v\n", err)
			return 1
		}
		return 0
	}
	py, err := codegen.InspectPython(*python)
	if err != nil {
		fmt.Fprintf(stderr, "pyspec: %v\n", err)
		return 1
	}
	dir := *work
	if dir == "" {
		if dir, err = codegen.WorkDir(m); err != nil {
			fmt.Fprintf(stderr, "pyspec: %v\n", err)
			return 1
		}
	}
	outDir := *out
	if outDir == "" { // pyspec test without -o
		outDir = filepath.Join(dir, "out")
	}
	if abs, err := filepath.Abs(outDir); err == nil {
		outDir = abs
	}
	target, err := codegen.Build(m, py, dir, outDir)
	if err != nil {
		fmt.Fprintf(stderr, "pyspec: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, target)
	if cmd == "test" {
		return runTests(m, py, outDir, pytestArgs, stdout, stderr)
	}
	return 0
}

// validate prints every problem of a spec: as SPEC:LINE:COL: message lines
// on stderr, or as one JSON document on stdout for editors and CI.
func validate(path, format string, noBind bool, stdout, stderr io.Writer) int {
	if format != "text" && format != "json" {
		fmt.Fprintf(stderr, "pyspec validate: --format is text or json, not %q\n", format)
		return 2
	}
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "pyspec: %v\n", err)
		return 1
	}
	var ds spec.Diagnostics
	if noBind {
		ds = spec.CheckSpec(path, data)
	} else if _, err := spec.Parse(path, data); err != nil && !errors.As(err, &ds) {
		fmt.Fprintf(stderr, "pyspec: %v\n", err)
		return 1
	}
	if format == "json" {
		problems := ds
		if problems == nil {
			problems = spec.Diagnostics{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(struct {
			Valid    bool             `json:"valid"`
			Problems spec.Diagnostics `json:"problems"`
		}{len(ds) == 0, problems})
	} else {
		for _, d := range ds {
			fmt.Fprintln(stderr, d)
		}
	}
	if len(ds) > 0 {
		return 1
	}
	return 0
}

// runTests runs pytest on the generated tests and the author's own.
func runTests(m *spec.Module, py *codegen.Python, outDir string, extra []string, stdout, stderr io.Writer) int {
	// importlib mode: the generated test_<module>.py and an author's file of
	// the same name can both be collected.
	args := []string{"-m", "pytest", "-p", "no:cacheprovider", "--import-mode=importlib",
		filepath.Join(outDir, "test_"+m.Name+".py")}
	if own, _ := filepath.Glob(filepath.Join(filepath.Dir(m.SpecPath), "test_*.py")); len(own) > 0 {
		args = append(args, own...)
	}
	args = append(args, extra...)
	cmd := exec.Command(py.Exe, args...)
	cmd.Dir = outDir
	cmd.Env = append(os.Environ(), "PYTHONPATH="+outDir+string(os.PathListSeparator)+os.Getenv("PYTHONPATH"), "PYTHONDONTWRITEBYTECODE=1")
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		}
		fmt.Fprintf(stderr, "pyspec: running pytest: %v\n", err)
		return 1
	}
	return 0
}
