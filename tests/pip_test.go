package tests

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pyspec/pyspec/version"
)

// TestPyspecVersionsAgree: the root pyproject.toml, which pip builds
// pyspec's own wheel from, says the pyspec command's version.
func TestPyspecVersionsAgree(t *testing.T) {
	data, err := os.ReadFile("../pyproject.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^version\s*=\s*"([^"]+)"`).FindSubmatch(data)
	if m == nil || string(m[1]) != version.Version {
		t.Fatalf("pyproject.toml version %q, version.Version %q", m, version.Version)
	}
	if out := runIn(t, "", nil, buildPyspec(t), "--version"); strings.TrimSpace(out) != "pyspec "+version.Version {
		t.Fatalf("pyspec --version: %s", out)
	}
}

// TestPyspecFromPip builds pyspec's own sdist and wheel from this tree
// with python -m build (the in-tree backend builds the Go command from the
// sdist), installs the wheel into a fresh venv,
// and from there takes a new user's path: the installed pyspec init
// writes a project whose [build-system] requires pyspec, which pip
// installs with build isolation from a local wheelhouse (no index), and
// the module imports.
func TestPyspecFromPip(t *testing.T) {
	tools := venvTools(t)
	wheelhouse := t.TempDir()
	root, _ := filepath.Abs("..")
	// python -m build: the sdist, then the wheel built from it (the
	// backend writes nothing into the checkout).
	runIn(t, "", []string{"PIP_NO_INDEX=1"}, tools, "-m", "build", "-o", wheelhouse, root)
	sdists, _ := filepath.Glob(filepath.Join(wheelhouse, "pyspec-"+version.Version+".tar.gz"))
	wheels, _ := filepath.Glob(filepath.Join(wheelhouse, "pyspec-"+version.Version+"-py3-none-*.whl"))
	if len(sdists) != 1 || len(wheels) != 1 {
		entries, _ := os.ReadDir(wheelhouse)
		t.Fatalf("python -m build wrote %v", entries)
	}
	names := checkRecord(t, wheels[0])
	for _, want := range []string{"pyspec_build.py", "pyspec-" + version.Version + ".data/scripts/pyspec"} {
		if !strings.Contains(strings.Join(names, "\n")+"\n", want+"\n") {
			t.Errorf("%s lacks %s: %v", wheels[0], want, names)
		}
	}

	venv := newVenv(t)
	bin := filepath.Dir(venv)
	runIn(t, "", nil, venv, "-m", "pip", "install", "-q", "--no-index", wheels[0])
	pyspecExe := filepath.Join(bin, "pyspec")
	if out := runIn(t, "", nil, pyspecExe, "--version"); strings.TrimSpace(out) != "pyspec "+version.Version {
		t.Fatalf("the installed pyspec --version: %s", out)
	}
	runIn(t, "", nil, venv, "-c", "import pyspec_build")

	work := t.TempDir()
	// Only what pip's build environment provides: no pyspec on PATH
	// (Go and a C compiler are), no Go module downloads.
	env := []string{"GOPROXY=off", "PYTHONDONTWRITEBYTECODE=1", "PATH=" + os.Getenv("PATH")}
	runIn(t, work, env, pyspecExe, "init", "fromwheel")
	project := filepath.Join(work, "fromwheel")
	pp, _ := os.ReadFile(filepath.Join(project, "pyproject.toml"))
	if !strings.Contains(string(pp), `requires = ["pyspec>=`+version.Version+`"]`) || !strings.Contains(string(pp), `build-backend = "pyspec_build"`) ||
		strings.Contains(string(pp), "backend-path") {
		t.Fatalf("pyspec init's pyproject.toml:\n%s", pp)
	}
	if _, err := os.Stat(filepath.Join(project, ".pyspec", "backend")); err == nil {
		t.Errorf("pyspec init without --vendor vendored the backend")
	}
	runIn(t, project, env, venv, "-m", "pip", "install", "-q", "--no-index", "--find-links", wheelhouse, ".")
	if out := runIn(t, t.TempDir(), env, venv, "-c", "import fromwheel; print(fromwheel.add(2, 3))"); strings.TrimSpace(out) != "5" {
		t.Fatalf("fromwheel.add(2, 3) = %s", out)
	}
}
