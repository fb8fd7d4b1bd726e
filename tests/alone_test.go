package tests

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestObjectsOnlyInsideContainersBuild compiles and calls modules whose only
// use of `object` is inside containers and variadics, and one whose only
// buffer is a result, with no class: their glue once failed go build with
// `"unsafe" imported and not used` or `undefined: runtime` (issue 19, 14).
// codegen's TestEveryTypeAlone checks every type this way without building.
func TestObjectsOnlyInsideContainersBuild(t *testing.T) {
	py := python()
	bin := buildPyspec(t)
	dir, write := tempModule(t, "alone")
	write("module.yaml", `module: alone
functions:
  count:
    args: {xs: "list[object]", named: "dict[str, object]"}
    returns: int64
  spread:
    args:
      args: {type: object, kind: var_positional}
      kwargs: {type: object, kind: var_keyword}
    returns: int64
  lend:
    args: {n: int64}
    returns: buffer
`)
	write("alone.go", `package alone

import "github.com/pyspec/pyspec/py"

func Count(xs []py.Object, named map[string]py.Object) int64 { return int64(len(xs) + len(named)) }

func Spread(args ...py.Object) func(map[string]py.Object) int64 { return nil }
`)
	// The binder says what Spread and Lend must look like; take its word.
	out := filepath.Join(dir, "out")
	compile := func() (string, error) {
		cmd := exec.Command(bin, "compile", filepath.Join(dir, "module.yaml"), "-o", out, "--python", py, "--work", filepath.Join(dir, "work"))
		b, err := cmd.CombinedOutput()
		return string(b), err
	}
	if b, err := compile(); err == nil || !strings.Contains(b, "expected func Spread(") {
		t.Fatalf("want the binder's expected signature:\n%s", b)
	}
	write("alone.go", `package alone

import "github.com/pyspec/pyspec/py"

func Count(xs []py.Object, named map[string]py.Object) int64 { return int64(len(xs) + len(named)) }

func Spread(kwargs map[string]py.Object, args ...py.Object) int64 { return int64(len(args)*10 + len(kwargs)) }

func Lend(n int64) []byte { return make([]byte, n) }
`)
	if b, err := compile(); err != nil {
		t.Fatalf("pyspec compile: %v\n%s", err, b)
	}
	cmd := exec.Command(py, "-c", "import alone; print(alone.count([1, None], {'a': 2}), alone.spread(1, 2, k=3), len(alone.lend(5)))")
	cmd.Dir = out
	b, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(b)) != "3 21 5" {
		t.Fatalf("calls: %v\n%s", err, b)
	}
}
