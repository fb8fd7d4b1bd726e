package build

import (
	"strings"
	"testing"

	"github.com/pyspec/pyspec/spec"
)

// A cross build has a build directory of its own, gives Go the target's
// compiler and architecture (never the host's $CC), and finds Debian's
// multiarch pyconfig.h in a directory searched last.
func TestCrossBuildCommands(t *testing.T) {
	t.Setenv("CC", "gcc-host")
	cross := &Cross{Name: "manylinux2014_aarch64", CC: "/z/zig cc -target aarch64-linux-gnu.2.17", GOOS: "linux", GOARCH: "arm64"}
	host, target := Options{Strip: true}, Options{Strip: true, Cross: cross}
	if host.variant() == target.variant() || !strings.Contains(target.variant(), "manylinux2014_aarch64") {
		t.Errorf("variants %s / %s", host.variant(), target.variant())
	}
	_, env := goBuild("/w", "/w/m.go.so", spec.GoPackage{}, target, "", cross.CC)
	joined := strings.Join(env, "\n")
	for _, want := range []string{"CC=" + cross.CC, "GOARCH=arm64", "GOOS=linux"} {
		if !strings.Contains(joined, "\n"+want+"\n") && !strings.HasSuffix(joined, "\n"+want) {
			t.Errorf("cross go build env lacks %q", want)
		}
	}
	if strings.Contains(joined, "CC=gcc-host") {
		t.Errorf("cross go build keeps the host's CC")
	}
	cmd, env := goBuild("/w", "/w/m.go.so", spec.GoPackage{}, host, "", "gcc-host")
	if !strings.Contains(strings.Join(env, "\n"), "CC=gcc-host") || strings.Contains(strings.Join(cmd, " "), "strip-all") {
		t.Errorf("host go build: %v %v", cmd, env)
	}
	py := &Python{Include: "/r/usr/include/python3.11", Headers: map[string]string{"aarch64-linux-gnu/python3.11/pyconfig.h": "/r/x"}}
	args := strings.Join(cBuild("/w", "/w/out.so", py, target), " ")
	if !strings.Contains(args, "-I/r/usr/include/python3.11") || !strings.Contains(args, "-idirafter /w/_include") {
		t.Errorf("cross C part: %s", args)
	}
}
