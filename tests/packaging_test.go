package tests

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// venvTools is the project's venv of PyPI tools (scripts/setup.sh makes it).
func venvTools(t *testing.T) string {
	t.Helper()
	py, _ := filepath.Abs("../.venv/bin/python")
	if _, err := os.Stat(py); err != nil {
		t.Fatalf("no .venv (run scripts/setup.sh, which the README's test command runs): %v", err)
	}
	return py
}

// newVenv makes a fresh venv of the test interpreter that sees its system
// site-packages (numpy, pytest), and returns its python.
func newVenv(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "venv")
	if b, err := exec.Command(python(), "-m", "venv", "--system-site-packages", dir).CombinedOutput(); err != nil {
		t.Fatalf("python -m venv: %v\n%s", err, b)
	}
	return filepath.Join(dir, "bin", "python")
}

// runIn runs a command in dir with extra environment, failing the test on
// error; it returns the combined output.
func runIn(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, b)
	}
	return string(b)
}

// lastLine is the last non-empty line of out.
func lastLine(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// checkRecord verifies every RECORD line of a wheel against its files, and
// that every file is listed.
func checkRecord(t *testing.T, wheel string) []string {
	t.Helper()
	zr, err := zip.OpenReader(wheel)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	contents := map[string][]byte{}
	var record []byte
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		contents[f.Name] = data
		if strings.HasSuffix(f.Name, ".dist-info/RECORD") {
			record = data
		}
	}
	if record == nil {
		t.Fatalf("%s has no RECORD", wheel)
	}
	listed := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(record))
	for sc.Scan() {
		parts := strings.Split(sc.Text(), ",")
		if len(parts) != 3 {
			t.Fatalf("RECORD line %q", sc.Text())
		}
		listed[parts[0]] = true
		if strings.HasSuffix(parts[0], "RECORD") {
			continue
		}
		data, ok := contents[parts[0]]
		if !ok {
			t.Errorf("RECORD lists %s, which the wheel lacks", parts[0])
			continue
		}
		sum := sha256.Sum256(data)
		if parts[1] != "sha256="+base64.RawURLEncoding.EncodeToString(sum[:]) || parts[2] != strconv.Itoa(len(data)) {
			t.Errorf("RECORD entry of %s does not match the file", parts[0])
		}
	}
	var names []string
	for n := range contents {
		names = append(names, n)
		if !listed[n] {
			t.Errorf("%s is not in RECORD", n)
		}
	}
	sort.Strings(names)
	return names
}

func sitePackages(t *testing.T, py string) []string {
	t.Helper()
	dir := strings.TrimSpace(runIn(t, "", nil, py, "-c", "import sysconfig; print(sysconfig.get_paths()['platlib'])"))
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.Contains(p, "__pycache__") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files
}

// TestWheels builds a wheel of every example (and an abi3 one), installs
// them into fresh venvs with pip --no-index, runs each example's tests
// against the installed copy from another directory, and checks RECORD,
// the platform tag (auditwheel), abi3 compliance (abi3audit), that a
// rebuild is byte-identical and that pip uninstall removes every file.
// The rebuild is of two examples (zstd, with a Go module of its own, and
// shapes, with submodules; the cross tests rebuild buffers) unless
// PYSPEC_SOAK is set: each takes a build, and the bytes depend on the
// build's inputs, not on the example.
func TestWheels(t *testing.T) {
	py := python()
	tools := venvTools(t)
	bin := buildPyspec(t)
	specs, _ := filepath.Glob("../examples/*/module.yaml")
	for _, abi3 := range []bool{false, true} {
		name := "cpython"
		if abi3 {
			name = "abi3"
		}
		t.Run(name, func(t *testing.T) {
			dist := t.TempDir()
			venv := newVenv(t)
			before := sitePackages(t, venv)
			var wheels []string
			for _, specPath := range specs {
				args := []string{"wheel", specPath, "--version", "1.2.3", "--python", py}
				if abi3 {
					args = append(args, "--abi3")
				}
				wheel := lastLine(runIn(t, "", nil, bin, append(args, "-o", dist, "--work", filepath.Join(t.TempDir(), "w"))...))
				wantTag := "-cp311-cp311-manylinux_2_"
				if abi3 {
					wantTag = "-cp311-abi3-manylinux_2_"
				}
				if !strings.Contains(filepath.Base(wheel), "-1.2.3"+wantTag) {
					t.Errorf("wheel name %s lacks %s", wheel, wantTag)
				}
				names := checkRecord(t, wheel)
				mod := filepath.Base(filepath.Dir(specPath))
				for _, want := range []string{mod + ".go.so", mod + "-stubs/__init__.pyi"} {
					if sort.SearchStrings(names, want) == len(names) || names[sort.SearchStrings(names, want)] != want {
						t.Errorf("%s lacks %s: %v", wheel, want, names)
					}
				}
				// The same inputs, another work directory: the same bytes.
				if mod == "zstd" || mod == "shapes" || os.Getenv("PYSPEC_SOAK") != "" {
					again := lastLine(runIn(t, "", nil, bin, append(args, "-o", t.TempDir(), "--work", filepath.Join(t.TempDir(), "other", "w"))...))
					a, _ := os.ReadFile(wheel)
					b, _ := os.ReadFile(again)
					if !bytes.Equal(a, b) {
						t.Errorf("rebuilding %s gave different bytes", filepath.Base(wheel))
					}
				}
				// auditwheel reads the same platform tag from the libraries.
				out := strings.Join(strings.Fields(runIn(t, "", nil, tools, "-m", "auditwheel", "show", wheel)), " ")
				plat := strings.TrimSuffix(wheel[strings.LastIndex(wheel, "-")+1:], ".whl")
				if !strings.Contains(out, `is consistent with the following platform tag: "`+plat+`"`) {
					t.Errorf("auditwheel show %s does not agree with %s:\n%s", wheel, plat, out)
				}
				if abi3 {
					out := runIn(t, "", nil, tools, "-m", "abi3audit", "--strict", "--report", wheel)
					if !strings.Contains(out, `"non_abi3_symbols": []`) || strings.Contains(out, `"is_abi3": false`) {
						t.Errorf("abi3audit %s:\n%s", wheel, out)
					}
				}
				wheels = append(wheels, wheel)
			}
			runIn(t, "", nil, venv, append([]string{"-m", "pip", "install", "-q", "--no-index", "--no-deps"}, wheels...)...)
			// Each example's own tests against the installed copy, from a
			// directory that holds no module.
			elsewhere := t.TempDir()
			for _, specPath := range specs {
				abs, _ := filepath.Abs(filepath.Dir(specPath))
				out := runIn(t, elsewhere, []string{"PYTHONDONTWRITEBYTECODE=1"}, venv, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--import-mode=importlib", abs)
				if !strings.Contains(out, " passed") {
					t.Errorf("%s: no test passed:\n%s", abs, out)
				}
				mod := filepath.Base(abs)
				where := runIn(t, elsewhere, nil, venv, "-c", "import "+mod+"; print("+mod+".__file__)")
				if !strings.Contains(where, "site-packages") {
					t.Errorf("import %s loaded %s", mod, where)
				}
				// Type checkers find the stubs in site-packages.
				if _, err := os.Stat(filepath.Join(abs, "typecheck_ok.py")); err == nil {
					cmd := exec.Command(tools, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null",
						"--python-executable", venv, filepath.Join(abs, "typecheck_ok.py"))
					cmd.Dir = elsewhere
					out, err := cmd.CombinedOutput()
					if err != nil {
						t.Errorf("mypy --strict with the installed stubs of %s: %v\n%s", mod, err, out)
					}
				}
			}
			var dists []string
			for _, s := range specs {
				dists = append(dists, filepath.Base(filepath.Dir(s)))
			}
			runIn(t, elsewhere, nil, venv, append([]string{"-m", "pip", "uninstall", "-q", "-y"}, dists...)...)
			if after := sitePackages(t, venv); strings.Join(after, "\n") != strings.Join(before, "\n") {
				t.Errorf("pip uninstall left files behind:\n%s", strings.Join(after, "\n"))
			}
		})
	}
}

// TestProjectInstallsOffline is the shipping path of a pyspec init
// project, with module downloads off: pip install ., an editable install
// whose Go edits show on the next import (and whose build errors are
// ImportErrors), and an sdist built with python -m build, from which a
// wheel builds.
func TestProjectInstallsOffline(t *testing.T) {
	tools := venvTools(t)
	bin := buildPyspec(t)
	binDir := filepath.Dir(bin)
	work := t.TempDir()
	env := []string{"GOPROXY=off", "PATH=" + binDir + string(os.PathListSeparator) + os.Getenv("PATH"), "PYTHONDONTWRITEBYTECODE=1"}
	runIn(t, work, env, bin, "init", "--vendor", "shipme")
	project := filepath.Join(work, "shipme")
	elsewhere := t.TempDir()
	venv := newVenv(t)

	runIn(t, project, env, venv, "-m", "pip", "install", "-q", "--no-index", ".")
	if out := runIn(t, elsewhere, env, venv, "-c", "import shipme; print(shipme.add(2, 3))"); strings.TrimSpace(out) != "5" {
		t.Fatalf("installed shipme.add(2, 3) = %s", out)
	}
	runIn(t, elsewhere, env, venv, "-m", "pip", "uninstall", "-q", "-y", "shipme")

	// Editable: an edit of the Go source shows on the next import.
	runIn(t, project, env, venv, "-m", "pip", "install", "-q", "--no-index", "-e", ".")
	if out := runIn(t, elsewhere, env, venv, "-c", "import shipme; print(shipme.add(2, 3))"); strings.TrimSpace(out) != "5" {
		t.Fatalf("editable shipme.add(2, 3) = %s", out)
	}
	src := filepath.Join(project, "shipme.go")
	code, _ := os.ReadFile(src)
	if !bytes.Contains(code, []byte("return a + b")) {
		t.Fatalf("the scaffold's Add changed: %s", code)
	}
	os.WriteFile(src, bytes.Replace(code, []byte("return a + b"), []byte("return a + b + 1000"), 1), 0o644)
	if out := runIn(t, elsewhere, env, venv, "-c", "import shipme; print(shipme.add(2, 3))"); strings.TrimSpace(out) != "1005" {
		t.Fatalf("after an edit, editable shipme.add(2, 3) = %s", out)
	}
	// Where Go is not on PATH (an IDE, a service), the last build imports,
	// with a warning that says why it was not checked.
	noGo := exec.Command(venv, "-c", "import shipme; print(shipme.add(2, 3))")
	noGo.Dir = elsewhere
	noGo.Env = append(os.Environ(), "GOPROXY=off", "PYTHONDONTWRITEBYTECODE=1", "PATH="+binDir+string(os.PathListSeparator)+"/usr/bin:/bin")
	if out, err := noGo.CombinedOutput(); err != nil || !strings.Contains(string(out), "1005") ||
		!strings.Contains(string(out), "RuntimeWarning: shipme: importing the last build") || !strings.Contains(string(out), "Go toolchain") {
		t.Fatalf("without Go on PATH: %v\n%s", err, out)
	}
	os.WriteFile(src, append(bytes.Replace(code, []byte("return a + b"), []byte("return a + b + 1000"), 1), []byte("\nfunc Broken() int { return \"x\" }\n")...), 0o644)
	cmd := exec.Command(venv, "-c", "import shipme")
	cmd.Dir, cmd.Env = elsewhere, append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "ImportError: rebuilding shipme") || !strings.Contains(string(out), "shipme.go:") {
		t.Fatalf("a broken edit gives no ImportError with the Go error: %v\n%s", err, out)
	}
	os.WriteFile(src, code, 0o644)
	runIn(t, elsewhere, env, venv, "-m", "pip", "uninstall", "-q", "-y", "shipme")

	// python -m build: an sdist, then a wheel built from it, offline.
	dist := t.TempDir()
	runIn(t, project, env, tools, "-m", "build", "--no-isolation", "-o", dist)
	sdists, _ := filepath.Glob(filepath.Join(dist, "shipme-0.1.0.tar.gz"))
	wheels, _ := filepath.Glob(filepath.Join(dist, "shipme-0.1.0-cp311-*.whl"))
	if len(sdists) != 1 || len(wheels) != 1 {
		entries, _ := os.ReadDir(dist)
		t.Fatalf("python -m build wrote %v", entries)
	}
	runIn(t, elsewhere, env, venv, "-m", "pip", "install", "-q", "--no-index", sdists[0])
	if out := runIn(t, elsewhere, env, venv, "-c", "import shipme; print(shipme.add(2, 3))"); strings.TrimSpace(out) != "5" {
		t.Fatalf("shipme from its sdist: add(2, 3) = %s", out)
	}
}

// TestSdistCarriesGoModules: the sdist of a module whose Go package needs
// a module from the proxy carries it, and builds with GOPROXY=off and an
// empty module cache.
func TestSdistCarriesGoModules(t *testing.T) {
	py := python()
	bin := buildPyspec(t)
	work := t.TempDir()
	runIn(t, work, nil, bin, "init", "withdeps")
	dir := filepath.Join(work, "withdeps")
	os.Remove(filepath.Join(dir, "pyproject.toml")) // name and version from the spec
	os.Remove(filepath.Join(dir, "test_withdeps.py"))
	os.WriteFile(filepath.Join(dir, "module.yaml"), []byte("module: withdeps\nversion: 0.2.0\nfunctions:\n  ident:\n    returns: str\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "withdeps.go"), []byte("package withdeps\n\nimport \"golang.org/x/crypto/blake2b\"\n\n// Ident is a digest.\nfunc Ident() string { s := blake2b.Sum256([]byte(\"x\")); return string(rune('a' + s[0]%26)) }\n"), 0o644)
	// Resolve the dependency the way an author would (go get), from this
	// machine's module cache.
	runIn(t, dir, nil, "go", "get", "golang.org/x/crypto@v0.26.0")
	dist := t.TempDir()
	sdist := lastLine(runIn(t, "", nil, bin, "sdist", filepath.Join(dir, "module.yaml"), "-o", dist))
	if filepath.Base(sdist) != "withdeps-0.2.0.tar.gz" {
		t.Fatalf("sdist %s", sdist)
	}
	unpacked := t.TempDir()
	runIn(t, unpacked, nil, "tar", "xzf", sdist)
	root := filepath.Join(unpacked, "withdeps-0.2.0")
	if _, err := os.Stat(filepath.Join(root, ".pyspec", "modcache", "golang.org", "x", "crypto", "@v", "v0.26.0.zip")); err != nil {
		t.Fatalf("the sdist does not carry golang.org/x/crypto: %v", err)
	}
	// A fresh module cache and no network: only what the sdist carries.
	env := []string{"GOPROXY=off", "GOMODCACHE=" + t.TempDir(), "GOFLAGS=-modcacherw"}
	runIn(t, root, env, bin, "compile", "module.yaml", "-o", "out", "--python", py, "--work", filepath.Join(t.TempDir(), "w"))
	if out := runIn(t, filepath.Join(root, "out"), nil, py, "-c", "import withdeps; print(withdeps.ident())"); len(strings.TrimSpace(out)) != 1 {
		t.Fatalf("withdeps.ident() = %q", out)
	}
}

// TestSdistIncludeAndMetadata: [tool.pyspec] sdist-include ships tests
// with their data files from another directory, sdist-exclude leaves files
// out, and every core-metadata field pyproject states reaches METADATA, as
// importlib.metadata reads it from the wheel (issue 22, item 7).
func TestSdistIncludeAndMetadata(t *testing.T) {
	py := python()
	bin := buildPyspec(t)
	work := t.TempDir()
	runIn(t, work, nil, bin, "init", "meta")
	dir := filepath.Join(work, "meta")
	os.MkdirAll(filepath.Join(dir, "tests", "data"), 0o755)
	os.WriteFile(filepath.Join(dir, "tests", "test_more.py"), []byte("def test_x():\n    pass\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "tests", "data", "sample.csv"), []byte("a,b\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "scratch.py"), []byte("# not for the sdist\n"), 0o644)
	pp, _ := os.ReadFile(filepath.Join(dir, "pyproject.toml"))
	text := strings.Replace(string(pp), "[project]\n", `[project]
authors = [{name = "Ann Author", email = "ann@example.com"}, {name = "Bo"}]
maintainers = [{email = "team@example.com"}]
license = {text = "MIT"}
keywords = ["go", "ffi"]
classifiers = ["Programming Language :: Go", "License :: OSI Approved :: MIT License"]
urls = {Source = "https://example.com/src"}
optional-dependencies = {fast = ["numpy>=1.24", "orjson; python_version < '3.14'"]}
`, 1)
	text += "sdist-include = [\"tests/**\"]\nsdist-exclude = [\"scratch.py\"]\n"
	if !strings.Contains(text, "[tool.pyspec]") {
		t.Fatalf("init's pyproject.toml has no [tool.pyspec]:\n%s", text)
	}
	os.WriteFile(filepath.Join(dir, "pyproject.toml"), []byte(text), 0o644)

	dist := t.TempDir()
	sdist := lastLine(runIn(t, "", nil, bin, "sdist", filepath.Join(dir, "module.yaml"), "-o", dist))
	list := runIn(t, "", nil, "tar", "tzf", sdist)
	for _, want := range []string{"/tests/test_more.py", "/tests/data/sample.csv", "/module.yaml"} {
		if !strings.Contains(list, want) {
			t.Errorf("the sdist lacks %s:\n%s", want, list)
		}
	}
	if strings.Contains(list, "scratch.py") {
		t.Errorf("sdist-exclude did not leave scratch.py out:\n%s", list)
	}

	wheel := lastLine(runIn(t, "", nil, bin, "wheel", filepath.Join(dir, "module.yaml"), "-o", dist, "--python", py))
	site := t.TempDir()
	runIn(t, site, nil, py, "-m", "zipfile", "-e", wheel, site)
	got := runIn(t, site, nil, py, "-c", `
import importlib.metadata as md, json
m = md.metadata("meta")
print(json.dumps({k: m.get_all(k) for k in ["Author", "Author-email", "Maintainer-email", "License", "Keywords",
    "Classifier", "Project-URL", "Provides-Extra", "Requires-Dist"]}, sort_keys=True))
`)
	for _, want := range []string{
		`"Author": ["Bo"]`, `"Author-email": ["Ann Author <ann@example.com>"]`, `"Maintainer-email": ["team@example.com"]`,
		`"License": ["MIT"]`, `"Keywords": ["go,ffi"]`, `"Provides-Extra": ["fast"]`,
		`"Classifier": ["Programming Language :: Go", "License :: OSI Approved :: MIT License"]`,
		`"Project-URL": ["Source, https://example.com/src"]`,
		`"numpy>=1.24; extra == \"fast\""`, `"orjson; (python_version < '3.14') and extra == \"fast\""`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("METADATA lacks %s:\n%s", want, got)
		}
	}
}
