package target

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyspec/pyspec/build"
)

func TestParse(t *testing.T) {
	for name, want := range map[string]string{
		"manylinux2014_x86_64": "manylinux_2_17_x86_64", "manylinux_2_17_aarch64": "manylinux_2_17_aarch64",
		"manylinux_2_28_x86_64": "manylinux_2_28_x86_64", "manylinux_2_28_aarch64": "manylinux_2_28_aarch64",
	} {
		tg, err := Parse(name)
		if err != nil || tg.PEP600 != want {
			t.Errorf("Parse(%s) = %+v, %v", name, tg, err)
		}
	}
	tg, _ := Parse("manylinux_2_17_aarch64")
	if tg.Name != "manylinux2014_aarch64" || tg.GOARCH != "arm64" || tg.ZigTarget() != "aarch64-linux-gnu.2.17" || tg.GlibcMinor() != 17 {
		t.Errorf("aarch64 target %+v %s", tg, tg.ZigTarget())
	}
	_, err := Parse("manylinux2014_ppc64le")
	if _, ok := err.(*UnknownError); !ok || !strings.Contains(err.Error(), "manylinux_2_28_aarch64") {
		t.Errorf("unknown platform: %v", err)
	}
}

func TestToolchain(t *testing.T) {
	t.Setenv("PYSPEC_ZIG", "/opt/zig/zig")
	tg, _ := Parse("manylinux_2_28_aarch64")
	c, err := tg.Toolchain("python3")
	if err != nil || c.CC != "/opt/zig/zig cc -target aarch64-linux-gnu.2.28" || c.GOARCH != "arm64" || c.GOOS != "linux" || c.Name != "manylinux_2_28_aarch64" {
		t.Errorf("toolchain %+v %v", c, err)
	}
	t.Setenv("PYSPEC_ZIG", "")
	t.Setenv("PATH", t.TempDir())
	if _, err := tg.Toolchain(filepath.Join(t.TempDir(), "nopython")); err == nil || !strings.Contains(err.Error(), "pip install ziglang") {
		t.Errorf("no zig: %v", err)
	}
}

// A Debian-style include tree: python3.11/ with the multiarch wrapper
// pyconfig.h, and aarch64-linux-gnu/python3.11/pyconfig.h beside it.
func debianTree(t *testing.T, withArch bool) string {
	root := t.TempDir()
	inc := filepath.Join(root, "usr", "include", "python3.11")
	os.MkdirAll(inc, 0o755)
	os.WriteFile(filepath.Join(inc, "Python.h"), []byte("/* Python.h */\n"), 0o644)
	os.WriteFile(filepath.Join(inc, "patchlevel.h"), []byte("#define PY_MAJOR_VERSION\t3\n#define PY_MINOR_VERSION\t11\n"), 0o644)
	os.WriteFile(filepath.Join(inc, "pyconfig.h"), []byte("#if defined(__aarch64__)\n#  include <aarch64-linux-gnu/python3.11/pyconfig.h>\n#endif\n"), 0o644)
	if withArch {
		arch := filepath.Join(root, "usr", "include", "aarch64-linux-gnu", "python3.11")
		os.MkdirAll(arch, 0o755)
		os.WriteFile(filepath.Join(arch, "pyconfig.h"), []byte("#define SIZEOF_VOID_P 8\n"), 0o644)
	}
	return root
}

func TestTargetPython(t *testing.T) {
	host := &build.Python{Exe: "/usr/bin/python3", Include: "/usr/include/python3.11", ExtSuffix: ".cpython-311-x86_64-linux-gnu.so",
		Version: "3.11", Tag: "cp311", Platform: "linux-x86_64", Stdlib: map[string]bool{"os": true}}
	arm, _ := Parse("manylinux2014_aarch64")

	root := debianTree(t, true)
	t.Setenv(SysrootEnv("aarch64"), root)
	py, err := arm.Python(host, "")
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(root, "usr", "include", "aarch64-linux-gnu", "python3.11", "pyconfig.h")
	if py.ExtSuffix != ".cpython-311-aarch64-linux-gnu.so" || py.Platform != "linux-aarch64" || py.Tag != "cp311" ||
		py.Include != filepath.Join(root, "usr", "include", "python3.11") || py.Headers["aarch64-linux-gnu/python3.11/pyconfig.h"] != want || !py.Stdlib["os"] {
		t.Errorf("aarch64 python %+v", py)
	}

	// The multiarch pyconfig.h missing: the message names it and where.
	bare := debianTree(t, false)
	_, err = arm.Python(host, filepath.Join(bare, "usr", "include", "python3.11"))
	if err == nil || !strings.Contains(err.Error(), filepath.Join(bare, "usr", "include", "aarch64-linux-gnu", "python3.11", "pyconfig.h")) {
		t.Errorf("missing multiarch pyconfig.h: %v", err)
	}
	// No headers at all, in the default place.
	t.Setenv(SysrootEnv("aarch64"), filepath.Join(bare, "nothing"))
	_, err = arm.Python(host, "")
	if err == nil || !strings.Contains(err.Error(), filepath.Join(bare, "nothing", "usr", "include", "python3.11", "Python.h")) || !strings.Contains(err.Error(), "scripts/setup.sh") {
		t.Errorf("missing sysroot: %v", err)
	}

	// x86_64 on an x86_64 host: the host's own configuration.
	x86, _ := Parse("manylinux_2_17_x86_64")
	hostTree := t.TempDir()
	os.WriteFile(filepath.Join(hostTree, "pyconfig.h"), []byte("#define X 1\n"), 0o644)
	h := *host
	h.Include = hostTree
	py, err = x86.Python(&h, "")
	if err != nil || py.ExtSuffix != host.ExtSuffix || py.Include != hostTree || len(py.Headers) != 0 {
		t.Errorf("x86_64 python %+v %v", py, err)
	}
}
