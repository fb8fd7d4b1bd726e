package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// otherPythons are the venvs of the other CPythons the examples are tested
// on (scripts/setup.sh makes them from pyenv's 3.12.1 and 3.13.0), by
// version.
var otherPythons = []struct{ version, venv string }{{"3.12", "../.venv312"}, {"3.13", "../.venv313"}}

func otherPython(t *testing.T, venv, version string) string {
	t.Helper()
	py, _ := filepath.Abs(filepath.Join(venv, "bin", "python"))
	if _, err := os.Stat(py); err != nil {
		t.Fatalf("no CPython %s venv at %s (scripts/setup.sh makes it from pyenv's CPython %s): %v", version, py, version, err)
	}
	if got := strings.TrimSpace(runIn(t, "", nil, py, "-c", "import sys; print('%d.%d' % sys.version_info[:2])")); got != version {
		t.Fatalf("%s is Python %s, not %s", py, got, version)
	}
	return py
}

// TestExamplesOnOtherPythons builds every example for CPython 3.12 and
// 3.13 (the full C API, each version's own headers and EXT_SUFFIX) and
// runs its generated and own tests there (the regression modules of
// tests/ and the ASan, dev-mode, mypy and numpy 2 runs stay on 3.11).
func TestExamplesOnOtherPythons(t *testing.T) {
	bin := buildPyspec(t)
	specs, _ := filepath.Glob("../examples/*/module.yaml")
	if len(specs) == 0 {
		t.Fatal("no examples")
	}
	for _, p := range otherPythons {
		t.Run(p.version, func(t *testing.T) {
			py := otherPython(t, p.venv, p.version)
			suffix := ".cpython-" + strings.ReplaceAll(p.version, ".", "") + "-x86_64-linux-gnu.so"
			for _, specPath := range specs {
				name := filepath.Base(filepath.Dir(specPath))
				t.Run(name, func(t *testing.T) {
					out := t.TempDir()
					ext := lastLine(runIn(t, "", nil, bin, "compile", specPath, "-o", out, "--python", py, "--work", filepath.Join(out, "_work")))
					if filepath.Base(ext) != name+suffix {
						t.Errorf("built %s, want %s%s", ext, name, suffix)
					}
					pytestRun(t, py, out, specPath, nil)
				})
			}
		})
	}
}

// TestAbi3WheelOnOtherPythons: the abi3 wheel built with 3.11 installs on
// 3.12 and 3.13, and the example's tests pass there.
func TestAbi3WheelOnOtherPythons(t *testing.T) {
	bin := buildPyspec(t)
	dist := t.TempDir()
	var wheels []string
	for _, name := range []string{"buffers", "shapes"} {
		wheels = append(wheels, lastLine(runIn(t, "", nil, bin, "wheel", filepath.Join("..", "examples", name, "module.yaml"), "--abi3", "--version", "1.0",
			"--python", python(), "-o", dist, "--work", filepath.Join(t.TempDir(), "w"))))
	}
	for _, p := range otherPythons {
		t.Run(p.version, func(t *testing.T) {
			base := otherPython(t, p.venv, p.version)
			// A fresh venv of that version that sees the packages of its
			// tools venv (pytest, numpy).
			dir := filepath.Join(t.TempDir(), "venv")
			runIn(t, "", nil, base, "-m", "venv", "--without-pip", dir)
			site := strings.TrimSpace(runIn(t, "", nil, base, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"))
			venv := filepath.Join(dir, "bin", "python")
			mySite := strings.TrimSpace(runIn(t, "", nil, venv, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"))
			os.WriteFile(filepath.Join(mySite, "tools.pth"), []byte(site+"\n"), 0o644)
			runIn(t, "", nil, base, append([]string{"-m", "pip", "--python", venv, "install", "-q", "--no-index", "--no-deps"}, wheels...)...)
			elsewhere := t.TempDir()
			for _, name := range []string{"buffers", "shapes"} {
				abs, _ := filepath.Abs(filepath.Join("..", "examples", name))
				if where := runIn(t, elsewhere, nil, venv, "-c", "import "+name+"; print("+name+".__file__)"); !strings.Contains(where, filepath.Join(dir, "lib")) || !strings.Contains(where, ".abi3.so") {
					t.Errorf("import %s loaded %s", name, where)
				}
				out := runIn(t, elsewhere, []string{"PYTHONDONTWRITEBYTECODE=1"}, venv, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--import-mode=importlib", abs)
				if !strings.Contains(out, " passed") {
					t.Errorf("%s on %s: no test passed:\n%s", name, p.version, out)
				}
			}
		})
	}
}
