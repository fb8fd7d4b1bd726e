package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAtLeast(t *testing.T) {
	for _, c := range []struct {
		v, min string
		want   bool
	}{{"3.11", "3.11", true}, {"3.12", "3.11", true}, {"3.9", "3.11", false}, {"4.0", "3.11", true}, {"3.10", "3.9", true}} {
		if got := atLeast(c.v, c.min); got != c.want {
			t.Errorf("atLeast(%s, %s) = %v", c.v, c.min, got)
		}
	}
}

func TestBuildCommands(t *testing.T) {
	py := &Python{Include: "/inc", ExtSuffix: ".cpython-311-x86_64-linux-gnu.so"}
	full := strings.Join(cBuild("/w", "/w/out.so", py, Options{}), " ")
	limited := strings.Join(cBuild("/w", "/w/out.so", py, Options{Limited: true, Strip: true}), " ")
	asan := strings.Join(cBuild("/w", "/w/out.so", py, Options{Sanitize: "address"}), " ")
	if strings.Contains(full, "Py_LIMITED_API") || !strings.Contains(limited, "-DPy_LIMITED_API="+LimitedAPI) {
		t.Errorf("limited API flag: %s / %s", full, limited)
	}
	if !strings.Contains(full, "-ffile-prefix-map=/w=.") || !strings.Contains(full, "--build-id=none") {
		t.Errorf("reproducibility flags missing: %s", full)
	}
	if !strings.Contains(asan, "-fsanitize=address") || !strings.HasSuffix(limited, " -s") {
		t.Errorf("asan / strip: %s / %s", asan, limited)
	}
	cmd, env := goBuild("/w", "/w/m.go.so", Options{Sanitize: "address", Strip: true}, "/p/.pyspec/modcache")
	joined := strings.Join(cmd, " ") + " " + strings.Join(env, " ")
	for _, want := range []string{"-buildmode=c-shared", "-trimpath", "-asan", "-ldflags=-s -w -buildid=", "GOPROXY=file:///p/.pyspec/modcache,off", "GOWORK=/w/go.work"} {
		if !strings.Contains(joined, want) {
			t.Errorf("go build lacks %q: %s", want, joined)
		}
	}
	if ExtSuffix(py, Options{Limited: true}) != ".abi3.so" || ExtSuffix(py, Options{}) != py.ExtSuffix {
		t.Error("ExtSuffix")
	}
}

// Local replace directives reach the workspace through links in the work
// directory, so the path Go records is the same in every work directory.
func TestLocalReplaces(t *testing.T) {
	root := t.TempDir()
	gomod := "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/b v1.0.0\n)\n\n" +
		"replace example.com/a => ../a\n\nreplace example.com/b v1.0.0 => example.com/c v1.2.0\n\nreplace example.com/d v0.1.0 => /abs/d\n"
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	links, err := localReplaces(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 2 || links[0].Target != filepath.Join(filepath.Dir(root), "a") || links[1].Target != "/abs/d" || links[1].OldVersion != "v0.1.0" {
		t.Fatalf("links = %+v", links)
	}
	work := string(goWork("1.26", root, links))
	for _, want := range []string{"replace example.com/a => ./_replace/0\n", "replace example.com/d v0.1.0 => ./_replace/1\n"} {
		if !strings.Contains(work, want) {
			t.Errorf("go.work lacks %q:\n%s", want, work)
		}
	}
	if strings.Contains(work, "example.com/c") {
		t.Errorf("a version replacement was linked:\n%s", work)
	}
	w := t.TempDir()
	if err := writeLinks(w, links); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.Readlink(filepath.Join(w, "_replace", "1")); got != "/abs/d" {
		t.Errorf("link 1 -> %q", got)
	}
	if _, err := localReplaces(filepath.Join(root, "missing")); err == nil || !strings.Contains(err.Error(), "go.mod") {
		t.Errorf("missing go.mod: %v", err)
	}
}
