// Package tests holds pyspec's end-to-end tests: every example under
// examples/ is compiled with the pyspec command and its pytest suite is run
// against the built module.
package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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

func TestExamples(t *testing.T) {
	py := python()
	if out, err := exec.Command(py, "-c", "import numpy, pytest").CombinedOutput(); err != nil {
		t.Fatalf("%s lacks numpy or pytest (run the README's test command, which installs them): %v\n%s", py, err, out)
	}
	bin := buildPyspec(t)
	specs, err := filepath.Glob("../examples/*/module.yaml")
	if err != nil || len(specs) == 0 {
		t.Fatalf("no examples found: %v", err)
	}
	for _, specPath := range specs {
		dir := filepath.Dir(specPath)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			out := t.TempDir()
			cmd := exec.Command(bin, "compile", specPath, "-o", out, "--python", py, "--work", filepath.Join(out, "_work"))
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("pyspec compile %s: %v\n%s", specPath, err, b)
			}
			abs, _ := filepath.Abs(dir)
			test := exec.Command(py, "-m", "pytest", "-q", "-p", "no:cacheprovider", abs)
			test.Dir = out
			test.Env = append(os.Environ(), "PYTHONPATH="+out, "PYTHONDONTWRITEBYTECODE=1")
			b, err := test.CombinedOutput()
			t.Logf("pytest %s:\n%s", dir, b)
			if err != nil {
				t.Fatalf("pytest failed: %v", err)
			}
			if !strings.Contains(string(b), " passed") {
				t.Fatalf("pytest ran no test")
			}
		})
	}
}

// TestCompileReportsGoErrors checks that a Go compile error in the author's
// package reaches the user instead of being swallowed.
func TestCompileReportsGoErrors(t *testing.T) {
	py := python()
	bin := buildPyspec(t)
	dir := t.TempDir()
	root, _ := filepath.Abs("..")
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/broken\n\ngo 1.24\n\nrequire github.com/pyspec/pyspec v0.0.0\n\nreplace github.com/pyspec/pyspec => "+root+"\n")
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
