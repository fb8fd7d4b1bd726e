// Package tests holds pyspec's end-to-end tests: every example under
// examples/ is compiled with the pyspec command and its pytest suite is run
// against the built module.
package tests

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyspec/pyspec/codegen"
)

// python is the interpreter the tests build for and run: $PYSPEC_PYTHON,
// else Debian's /usr/bin/python3 (which has numpy and pytest here), else
// python3 on PATH.
func python() string {
	if p := os.Getenv("PYSPEC_PYTHON"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		return "/usr/bin/python3"
	}
	return "python3"
}

func buildPyspec(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "pyspec")
	cmd := exec.Command("go", "build", "-o", bin, "../cmd/pyspec")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/pyspec: %v\n%s", err, out)
	}
	return bin
}

// modules lists the spec directories the end-to-end tests build: every
// example, and the regression modules under tests/.
func modules(t *testing.T) []string {
	specs, err := filepath.Glob("../examples/*/module.yaml")
	if err != nil || len(specs) == 0 {
		t.Fatalf("no examples found: %v", err)
	}
	return append(specs, "safety/module.yaml", "roundtrip/module.yaml", "procs/module.yaml", "ownership/module.yaml")
}

// pytestRun runs the generated tests of the module built into out and the
// author's tests beside its spec, with extra environment and interpreter
// options.
func pytestRun(t *testing.T, py, out, specPath string, env []string, pyOpts ...string) string {
	t.Helper()
	abs, _ := filepath.Abs(filepath.Dir(specPath))
	name := filepath.Base(abs)
	// ziggy-pydust (in .venv for the benchmarks) adds a pytest plugin that
	// fails without its own pyproject.toml.
	args := append(append([]string{}, pyOpts...), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:pydust", "--import-mode=importlib",
		filepath.Join(out, codegen.PytestFileName(name)), abs)
	cmd := exec.Command(py, args...)
	cmd.Dir = out
	cmd.Env = append(append(os.Environ(), "PYTHONPATH="+out, "PYTHONDONTWRITEBYTECODE=1"), env...)
	b, err := cmd.CombinedOutput()
	t.Logf("pytest %s %v:\n%s", name, pyOpts, b)
	if err != nil {
		t.Fatalf("pytest %s %v failed: %v", name, pyOpts, err)
	}
	if !strings.Contains(string(b), " passed") {
		t.Fatalf("pytest ran no test")
	}
	return string(b)
}

func TestExamples(t *testing.T) {
	py := python()
	if out, err := exec.Command(py, "-c", "import numpy, pytest, mypy.stubtest").CombinedOutput(); err != nil {
		t.Fatalf("%s lacks numpy, pytest or mypy (run the README's test command, which installs them): %v\n%s", py, err, out)
	}
	bin := buildPyspec(t)
	for _, specPath := range modules(t) {
		dir := filepath.Dir(specPath)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			out := t.TempDir()
			cmd := exec.Command(bin, "compile", specPath, "-o", out, "--python", py, "--work", filepath.Join(out, "_work"))
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("pyspec compile %s: %v\n%s", specPath, err, b)
			}
			abs, _ := filepath.Abs(dir)
			name := filepath.Base(dir)

			// The generated tests and the author's; then again in Python's
			// development mode with the debug allocator, which poisons
			// freed memory and checks the GIL on every allocation.
			pytestRun(t, py, out, specPath, nil)
			pytestRun(t, py, out, specPath, []string{"PYTHONMALLOC=debug"}, "-X", "dev")
			// And with .venv's numpy 2 (and dask), beside Debian's numpy 1.24.
			pytestRun(t, venvTools(t), out, specPath, nil)

			env := append(os.Environ(), "PYTHONPATH="+out, "MYPYPATH="+out, "PYTHONDONTWRITEBYTECODE=1")
			run := func(py string, args ...string) (string, error) {
				cmd := exec.Command(py, args...)
				cmd.Dir = out
				cmd.Env = env
				b, err := cmd.CombinedOutput()
				return string(b), err
			}

			// The stub agrees with the module, for Debian's mypy (1.0) and
			// .venv's (current: PEP 688, stricter stubtest).
			stubtest := []string{"-m", "mypy.stubtest", name}
			if _, err := os.Stat(filepath.Join(out, name+".stubtest-allowlist")); err == nil {
				// Some entries matter to one stubtest and not the other.
				stubtest = append(stubtest, "--allowlist", filepath.Join(out, name+".stubtest-allowlist"), "--ignore-unused-allowlist")
			}
			venv := venvTools(t)
			for _, checker := range []string{py, venv} {
				if b, err := run(checker, stubtest...); err != nil {
					t.Errorf("stubtest %s (%s): %v\n%s", name, checker, err, b)
				}
			}

			// mypy --strict accepts correct use and rejects a wrong type
			// (every example has such clients).
			if _, err := os.Stat(filepath.Join(abs, "typecheck_ok.py")); err != nil {
				if strings.Contains(abs, "examples") {
					t.Errorf("example %s has no typecheck_ok.py", name)
				}
				return
			}
			mypy := []string{"-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null"}
			if b, err := run(venv, append(mypy, filepath.Join(abs, "typecheck_ok.py"))...); err != nil {
				t.Errorf("mypy --strict rejects typecheck_ok.py: %v\n%s", err, b)
			}
			bad := filepath.Join(abs, "typecheck_bad.py")
			b, err := run(venv, append(mypy, bad)...)
			if err == nil || !strings.Contains(b, "error:") {
				t.Errorf("mypy --strict accepts typecheck_bad.py:\n%s", b)
			}
			// Every line marked "# E" is one mypy rejects.
			src, _ := os.ReadFile(bad)
			for i, line := range strings.Split(string(src), "\n") {
				if strings.Contains(line, "# E") && !strings.Contains(b, fmt.Sprintf("typecheck_bad.py:%d: error", i+1)) {
					t.Errorf("mypy --strict accepts line %d of typecheck_bad.py: %s\n%s", i+1, strings.TrimSpace(line), b)
				}
			}
		})
	}
}

// TestModulesUnderASan builds every module with --sanitize address and runs
// its tests with the AddressSanitizer runtime preloaded into Python: a read
// of freed memory or out of bounds in the glue stops the test.
func TestModulesUnderASan(t *testing.T) {
	py := python()
	bin := buildPyspec(t)
	lib, err := exec.Command("cc", "-print-file-name=libasan.so").Output()
	if err != nil || !filepath.IsAbs(strings.TrimSpace(string(lib))) {
		t.Fatalf("no AddressSanitizer runtime (cc -print-file-name=libasan.so: %v %s): install gcc", err, lib)
	}
	env := []string{"LD_PRELOAD=" + strings.TrimSpace(string(lib)), "ASAN_OPTIONS=detect_leaks=0:abort_on_error=0"}
	for _, specPath := range modules(t) {
		t.Run(filepath.Base(filepath.Dir(specPath)), func(t *testing.T) {
			out := t.TempDir()
			cmd := exec.Command(bin, "compile", specPath, "-o", out, "--python", py, "--work", filepath.Join(out, "_work"), "--sanitize", "address")
			b, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("pyspec compile --sanitize address %s: %v\n%s", specPath, err, b)
			}
			if !strings.Contains(string(b), "LD_PRELOAD=") {
				t.Errorf("compile --sanitize address does not say how to run Python:\n%s", b)
			}
			if got := pytestRun(t, py, out, specPath, env); strings.Contains(got, "AddressSanitizer") {
				t.Fatalf("AddressSanitizer reported an error")
			}
		})
	}
}

// tempModule makes a Go module for a throwaway spec, wired to this
// checkout of pyspec; write adds a file to it.
func tempModule(t *testing.T, name string) (dir string, write func(file, text string)) {
	dir = t.TempDir()
	root, _ := filepath.Abs("..")
	write = func(file, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, file), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/"+name+"\n\ngo 1.24\n\nrequire github.com/pyspec/pyspec v0.0.0\n\nreplace github.com/pyspec/pyspec => "+root+"\n")
	return dir, write
}

// TestCompileReportsGoErrors checks that a Go compile error in the author's
// package reaches the user instead of being swallowed.
func TestCompileReportsGoErrors(t *testing.T) {
	py := python()
	bin := buildPyspec(t)
	dir, write := tempModule(t, "broken")
	write("module.yaml", "module: broken\nfunctions:\n  f:\n    returns: int64\n")
	write("broken.go", "package broken\n\nfunc F() int64 { return undefinedThing }\n")
	cmd := exec.Command(bin, "compile", filepath.Join(dir, "module.yaml"), "-o", filepath.Join(dir, "out"), "--python", py, "--work", filepath.Join(dir, "work"))
	b, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("compile of a broken package succeeded:\n%s", b)
	}
	if !strings.Contains(string(b), "undefined: undefinedThing") {
		t.Fatalf("the Go compiler's error is not shown:\n%s", b)
	}
}

// TestGeneratedTestsCatchWrongResults builds a module whose Go function
// breaks the spec's own example: pyspec test must fail, naming it.
func TestGeneratedTestsCatchWrongResults(t *testing.T) {
	py := python()
	bin := buildPyspec(t)
	dir, write := tempModule(t, "wrong")
	write("module.yaml", "module: wrong\nfunctions:\n  double:\n    args: {x: int64}\n    returns: int64\n    examples:\n      - args: [21]\n        returns: 42\n")
	write("wrong.go", "package wrong\n\n// Double is broken on purpose.\nfunc Double(x int64) int64 { return x + 2 }\n")
	cmd := exec.Command(bin, "test", filepath.Join(dir, "module.yaml"), "-o", filepath.Join(dir, "out"), "--python", py, "--work", filepath.Join(dir, "work"))
	b, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("pyspec test passed a broken implementation:\n%s", b)
	}
	if !strings.Contains(string(b), "test_double_example_1") || !strings.Contains(string(b), "assert 23 == 42") {
		t.Fatalf("the failing example is not reported:\n%s", b)
	}
	// Fixed, the same tests pass.
	write("wrong.go", "package wrong\n\n// Double doubles.\nfunc Double(x int64) int64 { return 2 * x }\n")
	cmd = exec.Command(bin, "test", filepath.Join(dir, "module.yaml"), "-o", filepath.Join(dir, "out"), "--python", py, "--work", filepath.Join(dir, "work"))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pyspec test fails on the fixed implementation: %v\n%s", err, b)
	}
}

// TestInitProjectOffline is the new user's path: pyspec init in an empty
// directory outside this repository, then compile, import and the
// generated tests, with module downloads switched off.
func TestInitProjectOffline(t *testing.T) {
	py := python()
	bin := buildPyspec(t)
	work := t.TempDir()
	env := append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod")
	run := func(dir string, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Env = env
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, b)
		}
		return string(b)
	}
	run(work, bin, "init", "demo")
	project := filepath.Join(work, "demo")
	if b, err := os.ReadFile(filepath.Join(project, "module.yaml")); err != nil || !strings.HasPrefix(string(b), "# yaml-language-server: $schema=./pyspec.schema.json") {
		t.Fatalf("module.yaml lacks the schema modeline: %v\n%s", err, b)
	}
	run(project, bin, "compile", "module.yaml", "-o", "out", "--python", py, "--work", filepath.Join(work, "build"))
	if out := run(filepath.Join(project, "out"), py, "-c", "import demo; print(demo.add(2, 3), demo.greet('you'))"); !strings.Contains(out, "5 Hello, you!") {
		t.Fatalf("import demo: %s", out)
	}
	if out := run(project, bin, "test", "module.yaml", "-o", "out", "--python", py, "--work", filepath.Join(work, "build")); !strings.Contains(out, " passed") {
		t.Fatalf("pyspec test: %s", out)
	}
	// init refuses to overwrite.
	cmd := exec.Command(bin, "init", "demo")
	cmd.Dir = work
	if b, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(b), "not empty") {
		t.Fatalf("init into a non-empty directory: %v\n%s", err, b)
	}
}

// TestWarmCompileSkipsTheBuild: compiling again with nothing changed does
// not run go build (the built library is untouched); changing the author's
// Go code does.
func TestWarmCompileSkipsTheBuild(t *testing.T) {
	py := python()
	bin := buildPyspec(t)
	dir, write := tempModule(t, "warm")
	write("module.yaml", "module: warm\nfunctions:\n  one:\n    returns: int64\n")
	write("warm.go", "package warm\n\nfunc One() int64 { return 1 }\n")
	work := filepath.Join(dir, "work")
	compile := func() os.FileInfo {
		t.Helper()
		cmd := exec.Command(bin, "compile", filepath.Join(dir, "module.yaml"), "-o", filepath.Join(dir, "out"), "--python", py, "--work", work)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("compile: %v\n%s", err, b)
		}
		// The C part and the Go part.
		libs, _ := filepath.Glob(filepath.Join(work, "_build", "full", "warm*.so"))
		if len(libs) != 2 {
			t.Fatalf("built libraries: %v", libs)
		}
		st, err := os.Stat(libs[1])
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	first := compile()
	os.Chtimes(filepath.Join(dir, "warm.go"), first.ModTime(), first.ModTime()) // same content, new time
	if again := compile(); !again.ModTime().Equal(first.ModTime()) {
		t.Fatalf("an unchanged module was rebuilt")
	}
	write("warm.go", "package warm\n\n// One is one.\nfunc One() int64 { return 1 }\n")
	if changed := compile(); changed.ModTime().Equal(first.ModTime()) {
		t.Fatalf("a changed Go source did not rebuild")
	}
}
