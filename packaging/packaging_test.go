package packaging

import (
	"archive/zip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pyspec/pyspec/build"
	"github.com/pyspec/pyspec/spec"
)

func module(t *testing.T, dir, version, doc string) *spec.Module {
	t.Helper()
	return &spec.Module{Name: "geo_tools", Version: version, Doc: doc, SpecPath: filepath.Join(dir, "module.yaml"),
		Go: spec.GoPackage{ModuleRoot: dir}}
}

func TestMetadataFromSpec(t *testing.T) {
	dir := t.TempDir()
	m := module(t, dir, "1.2.0", "Geometry helpers.\n\nMore text.")
	md, err := ReadMetadata(m, FindProject(m), "", ">=3.11")
	if err != nil {
		t.Fatal(err)
	}
	if md.Name != "geo_tools" || md.Version != "1.2.0" || md.Summary != "Geometry helpers." || md.RequiresPython != ">=3.11" {
		t.Fatalf("metadata %+v", md)
	}
	if md.FileName() != "geo_tools" || md.DistInfo() != "geo_tools-1.2.0.dist-info" {
		t.Fatalf("names %s %s", md.FileName(), md.DistInfo())
	}
	if _, err := ReadMetadata(module(t, dir, "", ""), &Project{Dir: dir}, "", ""); err == nil || !strings.Contains(err.Error(), "needs a version") {
		t.Fatalf("no version: %v", err)
	}
	md, err = ReadMetadata(m, &Project{Dir: dir}, "2.0-beta.3", "")
	if err != nil || md.Version != "2.0b3" {
		t.Fatalf("--version: %v %v", md, err)
	}
}

func TestMetadataFromPyproject(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "spec")
	os.MkdirAll(sub, 0o755)
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("# Geo\n\nLong text.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "pyproject.toml"), []byte(`
[project]
name = "Geo.Tools"
version = "0.3"
description = "From pyproject"
requires-python = ">=3.10"
dependencies = ["numpy>=1.24"]
readme = "README.md"
authors = [{name = "Ann", email = "ann@example.com"}]
urls = {Home = "https://example.com"}
classifiers = ["Programming Language :: Go"]

[tool.pyspec]
spec = "spec/module.yaml"
`), 0o644)
	m := module(t, dir, "9.9", "Spec doc.")
	m.SpecPath = filepath.Join(sub, "module.yaml")
	proj := FindProject(m)
	if proj.Path != filepath.Join(dir, "pyproject.toml") {
		t.Fatalf("FindProject = %+v", proj)
	}
	// Two different versions: neither wins silently.
	if _, err := ReadMetadata(m, proj, "", ">=3.11"); err == nil || !strings.Contains(err.Error(), "[project] version 0.3 and the spec's `version: 9.9`") {
		t.Fatalf("versions that differ: %v", err)
	}
	m.Version = "0.3" // the same version in both places is fine
	md, err := ReadMetadata(m, proj, "", ">=3.11")
	if err != nil {
		t.Fatal(err)
	}
	m.Version = "9.9"
	if md.Name != "Geo.Tools" || md.Version != "0.3" || md.Summary != "From pyproject" || md.RequiresPython != ">=3.10" ||
		proj.Spec != "spec/module.yaml" || md.FileName() != "geo_tools" {
		t.Fatalf("metadata %+v, project %+v", md, proj)
	}
	got := string(md.Render())
	for _, want := range []string{"Metadata-Version: 2.1\n", "Name: Geo.Tools\n", "Requires-Dist: numpy>=1.24\n",
		"Author-email: Ann <ann@example.com>\n", "Project-URL: Home, https://example.com\n",
		"Description-Content-Type: text/markdown\n\n# Geo\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("METADATA lacks %q:\n%s", want, got)
		}
	}
	// A dynamic version is the spec's; a missing one is an error.
	os.WriteFile(filepath.Join(dir, "pyproject.toml"), []byte("[project]\nname = \"g\"\ndynamic = [\"version\"]\n[tool.pyspec]\nspec = \"spec/module.yaml\"\n"), 0o644)
	if md, err := ReadMetadata(m, FindProject(m), "", ""); err != nil || md.Version != "9.9" {
		t.Fatalf("dynamic version: %+v %v", md, err)
	}
	os.WriteFile(filepath.Join(dir, "pyproject.toml"), []byte("[project]\nname = \"g\"\n[tool.pyspec]\nspec = \"spec/module.yaml\"\n"), 0o644)
	if _, err := ReadMetadata(m, FindProject(m), "", ""); err == nil || !strings.Contains(err.Error(), "no version") {
		t.Fatalf("missing version: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "pyproject.toml"), []byte("[project\nname = \"g\"\n"), 0o644)
	if _, err := ReadMetadata(m, FindProject(m), "", ""); err == nil || !strings.Contains(err.Error(), "pyproject.toml") {
		t.Fatalf("bad TOML: %v", err)
	}
	// A pyproject.toml above the spec's directory that builds another
	// spec (a repository's own) is not the spec's.
	os.WriteFile(filepath.Join(dir, "pyproject.toml"), []byte("[project]\nname = \"repo\"\nversion = \"5.0\"\n"), 0o644)
	if proj := FindProject(m); proj.Path != "" {
		t.Fatalf("a parent pyproject.toml without [tool.pyspec] taken: %+v", proj)
	}
}

func TestWheelArchive(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	dist := t.TempDir()
	md := &Metadata{Name: "m", Version: "1.0"}
	path, err := writeWheel(dist, "m-1.0-cp311-cp311-linux_x86_64.whl",
		[]entry{{name: "m.so", data: []byte("elf"), exec: true}, {name: "a.pyi", data: []byte("x: int\n")}}, md, "cp311-cp311-linux_x86_64")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Modified.Unix() != 1700000000 {
			t.Errorf("%s time %v", f.Name, f.Modified)
		}
		if f.Name == "m.so" && f.Mode().Perm() != 0o755 {
			t.Errorf("m.so mode %v", f.Mode())
		}
		if strings.HasSuffix(f.Name, "RECORD") {
			rc, _ := f.Open()
			rec, _ := io.ReadAll(rc)
			rc.Close()
			if !strings.Contains(string(rec), "m.so,sha256=") || !strings.HasSuffix(string(rec), "m-1.0.dist-info/RECORD,,\n") {
				t.Errorf("RECORD:\n%s", rec)
			}
		}
	}
	want := "a.pyi m.so m-1.0.dist-info/METADATA m-1.0.dist-info/WHEEL m-1.0.dist-info/RECORD"
	if strings.Join(names, " ") != want {
		t.Errorf("entries %v, want %s", names, want)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("wheel file mode %v", st.Mode())
	}
	// A failure leaves nothing behind.
	if _, err := writeZip(filepath.Join(path, "not-a-dir"), "x.whl", nil); err == nil {
		t.Error("writing into a file's path succeeded")
	}
	entries, _ := os.ReadDir(dist)
	if len(entries) != 1 {
		t.Errorf("dist holds %v", entries)
	}
}

func TestStubNames(t *testing.T) {
	for in, want := range map[string]string{
		"vec.pyi": "vec-stubs/__init__.pyi", "vec/__init__.pyi": "vec-stubs/__init__.pyi",
		"vec/bits.pyi": "vec-stubs/bits.pyi", "vec/py.typed": "", "other.pyi": "",
	} {
		if got := stubName("vec", in); got != want {
			t.Errorf("stubName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGlibcVersions(t *testing.T) {
	for in, want := range map[string]int{"GLIBC_2.34": 34, "GLIBC_2.3.2": 3, "GLIBC_2.2.5": 2} {
		if got, ok := glibcMinorOf(in); !ok || got != want {
			t.Errorf("glibcMinorOf(%q) = %d, %v", in, got, ok)
		}
	}
	if _, ok := glibcMinorOf("GLIBCXX_3.4"); ok {
		t.Error("GLIBCXX read as glibc")
	}
}

func TestTimestamp(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "nope")
	if _, err := Timestamp(); err == nil {
		t.Error("a bad SOURCE_DATE_EPOCH accepted")
	}
	t.Setenv("SOURCE_DATE_EPOCH", "0")
	if ts, _ := Timestamp(); ts.Year() != 1980 {
		t.Errorf("epoch 0 gives %v; zip needs 1980 or later", ts)
	}
}

// A cross build's tag: the glibc it linked for at least, its legacy alias
// beside it, and only libraries of the interpreter's architecture.
func TestCrossPlatformTag(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "lib.c")
	lib := filepath.Join(dir, "lib.so")
	os.WriteFile(src, []byte("#include <stdio.h>\nint f(void) { return puts(\"x\"); }\n"), 0o644)
	if out, err := exec.Command("cc", "-shared", "-fPIC", "-o", lib, src).CombinedOutput(); err != nil {
		t.Fatalf("cc: %v\n%s", err, out)
	}
	if runtime.GOARCH != "amd64" {
		t.Skip("the library built here is not x86_64")
	}
	x86 := &build.Python{Platform: "linux-x86_64"}
	plat, err := PlatformTag(x86, 17, lib)
	if err != nil || plat.Tag != "manylinux_2_17_x86_64.manylinux2014_x86_64" {
		t.Errorf("manylinux2014 tag %+v %v", plat, err)
	}
	if plat, err := PlatformTag(x86, 28, lib); err != nil || plat.Tag != "manylinux_2_28_x86_64" {
		t.Errorf("manylinux_2_28 tag %+v %v", plat, err)
	}
	// puts is GLIBC_2.2.5: a build for glibc 2.1 cannot need it.
	if _, err := PlatformTag(x86, 1, lib); err == nil || !strings.Contains(err.Error(), "GLIBC_2.2") {
		t.Errorf("a library newer than the target's glibc: %v", err)
	}
	// A host-architecture file in an aarch64 wheel.
	if _, err := PlatformTag(&build.Python{Platform: "linux-aarch64"}, 17, lib); err == nil || !strings.Contains(err.Error(), "built for x86_64, not aarch64") {
		t.Errorf("an x86_64 library for aarch64: %v", err)
	}
	if got := expandTags("cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64"); strings.Join(got, " ") != "cp311-cp311-manylinux_2_17_x86_64 cp311-cp311-manylinux2014_x86_64" {
		t.Errorf("expandTags: %v", got)
	}
}

func TestMatchGlob(t *testing.T) {
	for _, c := range []struct {
		pattern, path string
		want          bool
	}{
		{"tests/**", "tests/a.py", true}, {"tests/**", "tests/data/x.csv", true}, {"tests/", "tests/data/x.csv", true},
		{"tests/**", "test/a.py", false}, {"**/*.csv", "a/b/c.csv", true}, {"**/*.csv", "c.csv", true},
		{"*.py", "a/b.py", false}, {"bench/*.py", "bench/run.py", true},
	} {
		if got := matchGlob(c.pattern, c.path); got != c.want {
			t.Errorf("matchGlob(%q, %q) = %v", c.pattern, c.path, got)
		}
	}
}
