package build

import (
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
