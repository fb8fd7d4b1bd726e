package tests

import (
	"archive/zip"
	"bytes"
	"debug/elf"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyspec/pyspec/codegen"
	"github.com/pyspec/pyspec/target"
)

// zigEnv makes the cross builds find zig: the ziglang package of .venv
// (scripts/setup.sh installs it), given as PYSPEC_ZIG when zig is not on
// PATH.
func zigEnv(t *testing.T) []string {
	t.Helper()
	if _, err := exec.LookPath("zig"); err == nil {
		return nil
	}
	tools := venvTools(t)
	if err := exec.Command(tools, "-c", "import ziglang").Run(); err != nil {
		t.Skipf("no zig: neither on PATH nor in .venv (scripts/setup.sh installs PyPI's ziglang there): %v", err)
	}
	return []string{"PYSPEC_ZIG=" + tools + " -m ziglang"}
}

// unzipWheel extracts a wheel into a new directory and returns it, with
// the ELF machine of every shared library in it.
func unzipWheel(t *testing.T, wheel string) (string, map[string]elf.Machine) {
	t.Helper()
	zr, err := zip.OpenReader(wheel)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	dir := t.TempDir()
	machines := map[string]elf.Machine{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, data, 0o755); err != nil {
			t.Fatal(err)
		}
		if bytes.HasPrefix(data, []byte("\x7fELF")) {
			ef, err := elf.NewFile(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("%s in %s: %v", f.Name, wheel, err)
			}
			machines[f.Name] = ef.Machine
		} else if strings.HasSuffix(f.Name, ".so") {
			t.Errorf("%s in %s is not an ELF file", f.Name, wheel)
		}
	}
	return dir, machines
}

// TestCrossWheelManylinux2014 builds a manylinux2014 x86_64 wheel of an
// example with zig cc: tagged manylinux_2_17 (and its legacy alias), which
// auditwheel confirms, the same bytes from another work directory, and
// the example's tests pass against it installed in a fresh venv.
func TestCrossWheelManylinux2014(t *testing.T) {
	env := zigEnv(t)
	py := python()
	tools := venvTools(t)
	bin := buildPyspec(t)
	specPath := "../examples/buffers/module.yaml"
	dist := t.TempDir()
	args := []string{"wheel", specPath, "--version", "1.0", "--python", py, "--platform", "manylinux2014_x86_64"}
	// Two platforms in one command: a wheel each, their paths last.
	out := strings.Split(strings.TrimSpace(runIn(t, "", env, bin, append(args, "--platform", "manylinux_2_28_x86_64", "-o", dist, "--work", filepath.Join(t.TempDir(), "w"))...)), "\n")
	if len(out) < 2 {
		t.Fatalf("pyspec wheel with two platforms printed %q", out)
	}
	wheel, wheel228 := out[len(out)-2], out[len(out)-1]
	if want := "buffers-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"; filepath.Base(wheel) != want {
		t.Fatalf("wheel %s, want %s", filepath.Base(wheel), want)
	}
	if want := "buffers-1.0-cp311-cp311-manylinux_2_28_x86_64.whl"; filepath.Base(wheel228) != want {
		t.Errorf("wheel %s, want %s", filepath.Base(wheel228), want)
	}
	if _, m := unzipWheel(t, wheel228); len(m) != 2 || m["buffers.go.so"] != elf.EM_X86_64 {
		t.Errorf("libraries of %s: %v", wheel228, m)
	}
	checkRecord(t, wheel)
	dir, machines := unzipWheel(t, wheel)
	if len(machines) != 2 {
		t.Errorf("libraries in the wheel: %v", machines)
	}
	for name, m := range machines {
		if m != elf.EM_X86_64 {
			t.Errorf("%s is %v, not x86_64", name, m)
		}
	}
	whl, _ := os.ReadFile(filepath.Join(dir, "buffers-1.0.dist-info", "WHEEL"))
	if !strings.Contains(string(whl), "Tag: cp311-cp311-manylinux_2_17_x86_64\nTag: cp311-cp311-manylinux2014_x86_64\n") {
		t.Errorf("WHEEL does not list both tags:\n%s", whl)
	}
	show := strings.Join(strings.Fields(runIn(t, "", nil, tools, "-m", "auditwheel", "show", wheel)), " ")
	if !strings.Contains(show, `is consistent with the following platform tag: "manylinux_2_17_x86_64"`) {
		t.Errorf("auditwheel show does not agree with manylinux_2_17_x86_64:\n%s", show)
	}
	again := lastLine(runIn(t, "", env, bin, append(args, "-o", t.TempDir(), "--work", filepath.Join(t.TempDir(), "other", "w"))...))
	a, _ := os.ReadFile(wheel)
	b, _ := os.ReadFile(again)
	if !bytes.Equal(a, b) {
		t.Errorf("rebuilding %s in another work directory gave different bytes", filepath.Base(wheel))
	}
	venv := newVenv(t)
	runIn(t, "", nil, venv, "-m", "pip", "install", "-q", "--no-index", "--no-deps", wheel)
	abs, _ := filepath.Abs(filepath.Dir(specPath))
	elsewhere := t.TempDir()
	if out := runIn(t, elsewhere, []string{"PYTHONDONTWRITEBYTECODE=1"}, venv, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:pydust", "--import-mode=importlib", abs); !strings.Contains(out, " passed") {
		t.Errorf("no test passed:\n%s", out)
	}
}

// armDriver exercises the buffers example on aarch64 where its tests'
// numpy is missing: calls, buffers both ways (bytes, bytearray,
// array.array, memoryview), a class, an exception, and a call in a forked
// child.
const armDriver = `
import array, os, platform, sys
import buffers
assert platform.machine() == "aarch64", platform.machine()
assert buffers.__file__.endswith(".cpython-311-aarch64-linux-gnu.so"), buffers.__file__
a = array.array("q", [1, 2, 3, 4, 5])
assert buffers.sum(a) == 15
assert buffers.sum(memoryview(a)) == 15
assert buffers.sum(memoryview(bytearray(array.array("q", [7, 8]).tobytes())).cast("q")) == 15
buffers.reverse(a)
assert list(a) == [5, 4, 3, 2, 1], a
raw = bytearray(array.array("q", [1, 2, 3]).tobytes())
buffers.reverse(memoryview(raw).cast("q"))
assert array.array("q", bytes(raw)).tolist() == [3, 2, 1]
c = buffers.ConstantBuffer(7, 4)
assert array.array("q", bytes(c)).tolist() == [7, 7, 7, 7]
m = memoryview(c)
assert (m.format, m.shape, m.readonly, m.tolist()) == ("q", (4,), True, [7, 7, 7, 7])
for bad in (b"abc", bytearray(b"abcdefgh"), "abc"):
    try:
        buffers.sum(bad)
    except TypeError as e:
        assert "int64" in str(e) or "must be a buffer" in str(e), e
    else:
        raise AssertionError("sum(%r) did not raise" % (bad,))
try:
    buffers.reverse(memoryview(bytes(16)).cast("q"))
except (TypeError, BufferError, ValueError) as e:
    pass
else:
    raise AssertionError("reverse of a read-only buffer did not raise")
pid = os.fork()
if pid == 0:
    ok = buffers.sum(array.array("q", [40, 2])) == 42 and bytes(buffers.ConstantBuffer(1, 1)) == (1).to_bytes(8, "little")
    os._exit(0 if ok else 3)
_, status = os.waitpid(pid, 0)
assert os.waitstatus_to_exitcode(status) == 0, status
print("aarch64 ok")
`

// TestCrossWheelAarch64 builds aarch64 wheels with zig cc against Debian's
// arm64 CPython 3.11 configuration, checks that they hold aarch64 ELF
// files only, and runs the examples under qemu with Debian's arm64
// CPython: the buffers example with a driver script (its own tests need
// numpy), the shapes example with its generated and own pytest tests
// (classes, inheritance, exceptions). A host build in the same work
// directory is neither replaced nor rebuilt by the cross build.
func TestCrossWheelAarch64(t *testing.T) {
	qemu, err := exec.LookPath("qemu-aarch64-static")
	if err != nil {
		t.Skip("no qemu-aarch64-static (scripts/setup.sh installs Debian's qemu-user-static)")
	}
	env := zigEnv(t)
	root := target.DefaultSysroot("aarch64")
	armPython := filepath.Join(root, "usr", "bin", "python3.11")
	if _, err := os.Stat(armPython); err != nil {
		t.Fatalf("no arm64 CPython in %s (scripts/setup.sh unpacks it there): %v", root, err)
	}
	py := python()
	bin := buildPyspec(t)

	// An unknown platform is a usage error, and writes nothing.
	dist := t.TempDir()
	cmd := exec.Command(bin, "wheel", "../examples/buffers/module.yaml", "-o", dist, "--platform", "manylinux2014_riscv64")
	b, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(b), "manylinux2014_aarch64") {
		t.Errorf("--platform manylinux2014_riscv64: %v\n%s", err, b)
	}
	if entries, _ := os.ReadDir(dist); len(entries) != 0 {
		t.Errorf("a failed wheel left %v in the output directory", entries)
	}
	// A target whose Python configuration is missing: the file and where
	// it was looked for, and nothing written.
	cmd = exec.Command(bin, "wheel", "../examples/buffers/module.yaml", "-o", dist, "--version", "1.0", "--python", py,
		"--platform", "manylinux2014_aarch64", "--target-python-include", filepath.Join(dist, "nowhere"))
	cmd.Env = append(os.Environ(), env...)
	b, err = cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(b), filepath.Join(dist, "nowhere", "Python.h")) || !strings.Contains(string(b), "--target-python-include") {
		t.Errorf("a missing target Python configuration: %v\n%s", err, b)
	}
	if entries, _ := os.ReadDir(dist); len(entries) != 0 {
		t.Errorf("a failed wheel left %v in the output directory", entries)
	}

	work := filepath.Join(t.TempDir(), "w")
	hostOut := t.TempDir()
	compileHost := func() os.FileInfo {
		t.Helper()
		runIn(t, "", nil, bin, "compile", "../examples/shapes/module.yaml", "-o", hostOut, "--python", py, "--work", work)
		ext := filepath.Join(hostOut, "shapes.cpython-311-x86_64-linux-gnu.so")
		for _, lib := range []string{ext, filepath.Join(hostOut, "shapes.go.so")} {
			f, err := elf.Open(lib)
			if err != nil {
				t.Fatal(err)
			}
			if f.Machine != elf.EM_X86_64 {
				t.Errorf("host build %s is %v", lib, f.Machine)
			}
			f.Close()
		}
		st, err := os.Stat(filepath.Join(work, "_build", "full", "shapes.go.so"))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	first := compileHost()

	elsewhere := t.TempDir()
	for _, name := range []string{"buffers", "shapes"} {
		t.Run(name, func(t *testing.T) {
			specPath := filepath.Join("..", "examples", name, "module.yaml")
			w := filepath.Join(t.TempDir(), "w")
			if name == "shapes" {
				w = work
			}
			// The PEP 600 spelling; zig from .venv's ziglang, found
			// through --python.
			args := []string{"wheel", specPath, "--version", "1.0", "-o", dist, "--work", w, "--platform", "manylinux_2_17_aarch64"}
			if env != nil {
				args = append(args, "--python", venvTools(t))
			} else {
				args = append(args, "--python", py)
			}
			wheel := lastLine(runIn(t, "", nil, bin, args...))
			if want := name + "-1.0-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl"; filepath.Base(wheel) != want {
				t.Fatalf("wheel %s, want %s", filepath.Base(wheel), want)
			}
			checkRecord(t, wheel)
			dir, machines := unzipWheel(t, wheel)
			if len(machines) != 2 {
				t.Errorf("libraries in the wheel: %v", machines)
			}
			for lib, m := range machines {
				if m != elf.EM_AARCH64 {
					t.Errorf("%s in the aarch64 wheel is %v", lib, m)
				}
			}
			gen := t.TempDir()
			runIn(t, "", nil, bin, "generate", specPath, "-o", gen)
			tests := []string{filepath.Join(gen, codegen.PytestFileName(name))}
			if name == "shapes" {
				abs, _ := filepath.Abs(filepath.Join("..", "examples", name, "test_shapes.py"))
				tests = append(tests, abs)
			}
			qenv := []string{"PYTHONPATH=" + dir, "PYTHONDONTWRITEBYTECODE=1"}
			out := runIn(t, elsewhere, qenv, qemu, append([]string{"-L", root, armPython, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--import-mode=importlib"}, tests...)...)
			t.Logf("pytest under qemu:\n%s", out)
			if !strings.Contains(out, " passed") || strings.Contains(out, "failed") {
				t.Errorf("the tests of %s under qemu:\n%s", name, out)
			}
			if name == "buffers" {
				driver := filepath.Join(t.TempDir(), "driver.py")
				os.WriteFile(driver, []byte(armDriver), 0o644)
				if out := runIn(t, elsewhere, qenv, qemu, "-L", root, armPython, driver); !strings.Contains(out, "aarch64 ok") {
					t.Errorf("the buffers driver under qemu:\n%s", out)
				}
			}
		})
	}
	// The host build in the same work directory is still there, and
	// nothing of it is rebuilt.
	if again := compileHost(); !again.ModTime().Equal(first.ModTime()) {
		t.Errorf("the cross build made the host build in the same work directory rebuild")
	}
}
