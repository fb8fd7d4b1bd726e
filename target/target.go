// Package target knows the platforms pyspec cross-builds wheels for (the
// manylinux policies of x86_64 and aarch64), the toolchain that builds for
// them (zig cc, as the C compiler of both parts and as Go's cgo compiler)
// and where a target's Python configuration (Python.h, pyconfig.h,
// EXT_SUFFIX) comes from.
package target

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/pyspec/pyspec/build"
)

// Target is a platform a wheel is built for.
type Target struct {
	// Name is the policy's name as pyspec prints it: the legacy alias
	// when there is one (manylinux2014_x86_64), else the PEP 600 name.
	Name string
	// PEP600 is manylinux_<glibc major>_<glibc minor>_<arch>.
	PEP600 string
	Arch   string // uname -m: x86_64, aarch64
	GOARCH string // amd64, arm64
	// Glibc is the oldest glibc the target runs on, "2.17": zig links
	// against that version's symbols.
	Glibc string
}

var targets = []Target{
	{Name: "manylinux2014_x86_64", PEP600: "manylinux_2_17_x86_64", Arch: "x86_64", GOARCH: "amd64", Glibc: "2.17"},
	{Name: "manylinux2014_aarch64", PEP600: "manylinux_2_17_aarch64", Arch: "aarch64", GOARCH: "arm64", Glibc: "2.17"},
	{Name: "manylinux_2_28_x86_64", PEP600: "manylinux_2_28_x86_64", Arch: "x86_64", GOARCH: "amd64", Glibc: "2.28"},
	{Name: "manylinux_2_28_aarch64", PEP600: "manylinux_2_28_aarch64", Arch: "aarch64", GOARCH: "arm64", Glibc: "2.28"},
}

// Names lists the supported platforms, as --platform takes them (each also
// by its PEP 600 name).
func Names() []string {
	var names []string
	for _, t := range targets {
		names = append(names, t.Name)
		if t.PEP600 != t.Name {
			names = append(names, t.PEP600)
		}
	}
	return names
}

// UnknownError is a platform pyspec does not build for.
type UnknownError struct{ Platform string }

func (e *UnknownError) Error() string {
	return fmt.Sprintf("unsupported platform %q; supported: %s", e.Platform, strings.Join(Names(), ", "))
}

// Parse finds a platform by either of its names.
func Parse(name string) (*Target, error) {
	for _, t := range targets {
		if name == t.Name || name == t.PEP600 {
			t := t
			return &t, nil
		}
	}
	return nil, &UnknownError{name}
}

// GlibcMinor is N of the target's glibc 2.N.
func (t *Target) GlibcMinor() int {
	n, _ := strconv.Atoi(strings.TrimPrefix(t.Glibc, "2."))
	return n
}

// ZigTarget is zig's name of the target: aarch64-linux-gnu.2.17.
func (t *Target) ZigTarget() string { return t.Arch + "-linux-gnu." + t.Glibc }

// NoZig starts the message of a machine without zig.
const NoZig = "cross builds need zig"

// Zig finds the zig command: $PYSPEC_ZIG, else zig on PATH, else the
// ziglang package of PyPI in the interpreter python (python -m ziglang).
func Zig(python string) (string, error) {
	if z := os.Getenv("PYSPEC_ZIG"); z != "" {
		return z, nil
	}
	if p, err := exec.LookPath("zig"); err == nil {
		return p, nil
	}
	if python != "" {
		if err := exec.Command(python, "-c", "import ziglang").Run(); err == nil {
			// Go wants CC's program as an absolute path.
			exe, err := exec.LookPath(python)
			if err == nil {
				exe, err = filepath.Abs(exe)
			}
			if err != nil {
				return "", err
			}
			return exe + " -m ziglang", nil
		}
	}
	return "", fmt.Errorf("%s, which is neither on PATH nor importable by %s: pip install ziglang (into that interpreter), or set PYSPEC_ZIG to a zig command", NoZig, python)
}

// Toolchain is the cross toolchain of the target: zig cc for both parts.
// python is the interpreter that may have ziglang.
func (t *Target) Toolchain(python string) (*build.Cross, error) {
	zig, err := Zig(python)
	if err != nil {
		return nil, err
	}
	return &build.Cross{Name: t.Name, CC: zig + " cc -target " + t.ZigTarget(), GOOS: "linux", GOARCH: t.GOARCH}, nil
}

// SysrootEnv names a directory holding the target's Python configuration
// unpacked from Debian's packages (usr/include/python3.X); scripts/setup.sh
// makes the aarch64 one.
func SysrootEnv(arch string) string { return "PYSPEC_" + strings.ToUpper(arch) + "_SYSROOT" }

// DefaultSysroot is where scripts/setup.sh unpacks Debian's packages of
// arch: $PYSPEC_<ARCH>_SYSROOT, else <user cache>/pyspec/<debian arch>-sysroot.
func DefaultSysroot(arch string) string {
	if d := os.Getenv(SysrootEnv(arch)); d != "" {
		return d
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	deb := map[string]string{"x86_64": "amd64", "aarch64": "arm64"}[arch]
	return filepath.Join(cache, "pyspec", deb+"-sysroot")
}

// Python is the target's Python configuration for a build. host is the
// interpreter pyspec runs with (its version, when include does not say
// one, and its standard library names). include is the directory of the
// target's Python.h ("" for the default): for a target of the host's own
// architecture, the host's headers; else the Debian sysroot's
// usr/include/python<host version>.
func (t *Target) Python(host *build.Python, include string) (*build.Python, error) {
	if include == "" && host.Platform == "linux-"+t.Arch {
		py := *host
		if err := multiarch(t, &py); err != nil {
			return nil, err
		}
		return &py, nil
	}
	where := "as --target-python-include names it"
	if include == "" {
		root := DefaultSysroot(t.Arch)
		include = filepath.Join(root, "usr", "include", "python"+host.Version)
		from := "the default sysroot"
		if os.Getenv(SysrootEnv(t.Arch)) != "" {
			from = "$" + SysrootEnv(t.Arch)
		}
		where = fmt.Sprintf("in %s %s; scripts/setup.sh unpacks Debian's libpython%s-dev:%s there, or name the directory with --target-python-include",
			from, root, host.Version, map[string]string{"x86_64": "amd64", "aarch64": "arm64"}[t.Arch])
	}
	include, err := filepath.Abs(include)
	if err != nil {
		return nil, err
	}
	missing := func(file string) error {
		return fmt.Errorf("the %s Python configuration is missing: no %s (the directory %s, %s)", t.Name, file, include, where)
	}
	for _, f := range []string{"Python.h", "patchlevel.h", "pyconfig.h"} {
		if _, err := os.Stat(filepath.Join(include, f)); err != nil {
			return nil, missing(filepath.Join(include, f))
		}
	}
	version, err := headerVersion(filepath.Join(include, "patchlevel.h"))
	if err != nil {
		return nil, err
	}
	py := &build.Python{
		Exe: "(" + t.Arch + " Python " + version + " at " + include + ")", Include: include,
		ExtSuffix: ".cpython-" + strings.ReplaceAll(version, ".", "") + "-" + t.Arch + "-linux-gnu.so",
		Version:   version, Tag: "cp" + strings.ReplaceAll(version, ".", ""),
		Platform: "linux-" + t.Arch, Stdlib: host.Stdlib,
	}
	if err := multiarch(t, py); err != nil {
		return nil, err
	}
	return py, nil
}

// multiarch finds the file Debian's pyconfig.h includes for the target's
// architecture (<ARCH-linux-gnu/python3.X/pyconfig.h>, in the multiarch
// include directory beside py.Include) and hands it to the build.
func multiarch(t *Target, py *build.Python) error {
	cfg, err := os.ReadFile(filepath.Join(py.Include, "pyconfig.h"))
	if err != nil {
		return err
	}
	want := t.Arch + "-linux-gnu/python" + py.Version + "/pyconfig.h"
	if !bytes.Contains(cfg, []byte("<"+want+">")) {
		return nil // a pyconfig.h of its own
	}
	parent := filepath.Dir(py.Include)
	file := filepath.Join(parent, filepath.FromSlash(want))
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("the %s Python configuration is missing: %s includes <%s>, and there is no %s (looked in %s)",
			t.Name, filepath.Join(py.Include, "pyconfig.h"), want, file, parent)
	}
	py.Headers = map[string]string{want: file}
	return nil
}

// headerVersion reads "3.11" from a patchlevel.h.
func headerVersion(path string) (string, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	get := func(name string) string {
		m := regexp.MustCompile(`#define\s+` + name + `\s+(\d+)`).FindSubmatch(src)
		if m == nil {
			return ""
		}
		return string(m[1])
	}
	major, minor := get("PY_MAJOR_VERSION"), get("PY_MINOR_VERSION")
	if major == "" || minor == "" {
		return "", fmt.Errorf("%s does not define PY_MAJOR_VERSION and PY_MINOR_VERSION", path)
	}
	return major + "." + minor, nil
}

// Build is what a build for a named platform needs: the target, its
// Python configuration and its toolchain.
type Build struct {
	Target *Target
	Python *build.Python
	Cross  *build.Cross
}

// Resolve prepares a build for platform (either of its names) from the
// host interpreter (whose ziglang may be the zig) and the target's
// include directory ("" for the default). An unsupported platform is an
// *UnknownError.
func Resolve(platform string, host *build.Python, include string) (*Build, error) {
	t, err := Parse(platform)
	if err != nil {
		return nil, err
	}
	py, err := t.Python(host, include)
	if err != nil {
		return nil, err
	}
	cross, err := t.Toolchain(host.Exe)
	if err != nil {
		return nil, err
	}
	return &Build{Target: t, Python: py, Cross: cross}, nil
}
