package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// combinedSpecs are the separately built modules that tests/combined loads
// into one process, each with its own Go runtime.
var combinedSpecs = []string{"procs/module.yaml", "safety/module.yaml", "../examples/buffers/module.yaml"}

// TestCombined builds procs, safety and buffers into one directory and runs
// every tests/combined/test_*.py against them (among them the Hypothesis
// state machine that interleaves the modules' features): normally, under
// -X dev with PYTHONMALLOC=debug, and built with AddressSanitizer.
//
// The state machine's example counts are CI-sized unless PYSPEC_SOAK is
// set (see test_state_machine.py): PYSPEC_SOAK=1 go test ./tests -run
// TestCombined -timeout 0 soaks for 2000 examples in each of the three runs.
func TestCombined(t *testing.T) {
	py := python()
	if out, err := exec.Command(py, "-c", "import numpy, pytest, hypothesis").CombinedOutput(); err != nil {
		t.Fatalf("%s lacks numpy, pytest or hypothesis: %v\n%s", py, err, out)
	}
	tests, err := filepath.Glob("combined/test_*.py")
	if err != nil || len(tests) == 0 {
		t.Fatalf("no tests in tests/combined: %v", err)
	}
	for i, f := range tests {
		tests[i], _ = filepath.Abs(f)
	}
	bin := buildPyspec(t)

	build := func(t *testing.T, extra ...string) string {
		t.Helper()
		out := t.TempDir()
		for _, spec := range combinedSpecs {
			args := append([]string{"compile", spec, "-o", out, "--python", py,
				"--work", filepath.Join(out, "_work_"+filepath.Base(filepath.Dir(spec)))}, extra...)
			if b, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
				t.Fatalf("pyspec compile %s %v: %v\n%s", spec, extra, err, b)
			}
		}
		return out
	}
	run := func(t *testing.T, out string, env []string, pyOpts ...string) string {
		t.Helper()
		// ziggy-pydust (in .venv) adds a pytest plugin that fails without
		// its own pyproject.toml; -p no:pydust keeps it out.
		args := append(append([]string{}, pyOpts...), "-m", "pytest", "-q", "--tb=short", "-p", "no:cacheprovider", "-p", "no:pydust",
			"--import-mode=importlib")
		cmd := exec.Command(py, append(args, tests...)...)
		cmd.Dir = out
		cmd.Env = append(append(os.Environ(), "PYTHONPATH="+out, "PYTHONDONTWRITEBYTECODE=1"), env...)
		b, err := cmd.CombinedOutput()
		t.Logf("pytest %v %v:\n%s", env, pyOpts, b)
		// An error, not fatal: the other runs still say what they see.
		if err != nil {
			t.Errorf("pytest tests/combined %v %v failed: %v", env, pyOpts, err)
		} else if !strings.Contains(string(b), " passed") {
			t.Errorf("pytest ran no test")
		}
		return string(b)
	}

	t.Run("normal", func(t *testing.T) {
		out := build(t)
		run(t, out, nil)
		// Freed memory poisoned, the GIL checked on every allocation.
		run(t, out, []string{"PYTHONMALLOC=debug"}, "-X", "dev")
	})
	t.Run("asan", func(t *testing.T) {
		lib, err := exec.Command("cc", "-print-file-name=libasan.so").Output()
		if err != nil || !filepath.IsAbs(strings.TrimSpace(string(lib))) {
			t.Fatalf("no AddressSanitizer runtime (cc -print-file-name=libasan.so: %v %s): install gcc", err, lib)
		}
		out := build(t, "--sanitize", "address")
		env := []string{"LD_PRELOAD=" + strings.TrimSpace(string(lib)), "ASAN_OPTIONS=detect_leaks=0:abort_on_error=0"}
		if got := run(t, out, env); strings.Contains(got, "AddressSanitizer") {
			t.Errorf("AddressSanitizer reported an error")
		}
	})
}
