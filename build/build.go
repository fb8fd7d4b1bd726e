// Package build turns the generated glue of a spec into an importable
// extension module: the C part with the C compiler, the Go part with the Go
// toolchain (-buildmode=c-shared), for one target interpreter. A build with
// nothing changed since the last one is skipped.
package build

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/pyspec/pyspec/codegen"
	"github.com/pyspec/pyspec/spec"
)

// Python is what a build needs to know of the target interpreter, asked of
// the interpreter itself.
type Python struct {
	Exe       string
	Include   string
	ExtSuffix string
	Version   string // "3.11"
	Tag       string // "cp311"
	Platform  string // sysconfig.get_platform(): "linux-x86_64"
	// Stdlib lists the standard library's module names: an extension
	// named like one of them could never be imported.
	Stdlib map[string]bool
	// Headers are header files the C part includes by a name outside
	// Include: Debian's pyconfig.h includes <ARCH-linux-gnu/python3.X/
	// pyconfig.h>, which a cross compiler does not find in /usr/include
	// (and must not look for there: that tree's other headers would
	// shadow the target's libc). Maps the included name to the file; a
	// build copies them into a directory of its own, searched last.
	Headers map[string]string
}

// InspectPython asks exe for its include directory and extension suffix.
func InspectPython(exe string) (*Python, error) {
	const probe = `import sys, sysconfig, json
print(json.dumps({"include": sysconfig.get_paths()["include"],
  "ext_suffix": sysconfig.get_config_var("EXT_SUFFIX"),
  "version": "%d.%d" % sys.version_info[:2],
  "impl": sys.implementation.name,
  "platform": sysconfig.get_platform(),
  "stdlib": sorted(set(getattr(sys, "stdlib_module_names", ())) | set(sys.builtin_module_names))}))`
	out, err := exec.Command(exe, "-c", probe).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return nil, fmt.Errorf("python %s failed: %v\n%s", exe, err, ee.Stderr)
		}
		return nil, fmt.Errorf("python %s: %v", exe, err)
	}
	var info struct {
		Include   string   `json:"include"`
		ExtSuffix string   `json:"ext_suffix"`
		Version   string   `json:"version"`
		Impl      string   `json:"impl"`
		Platform  string   `json:"platform"`
		Stdlib    []string `json:"stdlib"`
	}
	if err := json.Unmarshal(out, &info); err != nil {
		return nil, fmt.Errorf("python %s: unexpected sysconfig answer %q", exe, out)
	}
	if info.Impl != "cpython" {
		return nil, fmt.Errorf("python %s is %s; pyspec builds extensions for CPython", exe, info.Impl)
	}
	if _, err := os.Stat(filepath.Join(info.Include, "Python.h")); err != nil {
		return nil, fmt.Errorf("python %s (%s) has no C headers at %s: install its development package (e.g. python3-dev)", exe, info.Version, info.Include)
	}
	if info.ExtSuffix == "" {
		return nil, fmt.Errorf("python %s reports no EXT_SUFFIX", exe)
	}
	py := &Python{Exe: exe, Include: info.Include, ExtSuffix: info.ExtSuffix, Version: info.Version,
		Tag: "cp" + strings.ReplaceAll(info.Version, ".", ""), Platform: info.Platform, Stdlib: map[string]bool{}}
	for _, name := range info.Stdlib {
		py.Stdlib[name] = true
	}
	return py, nil
}

// DefaultPython is the interpreter pyspec builds for when none is named:
// $PYSPEC_PYTHON, else python3 on PATH.
func DefaultPython() string {
	if p := os.Getenv("PYSPEC_PYTHON"); p != "" {
		return p
	}
	return "python3"
}

// WorkDir is where the glue of a spec is built by default: a directory of
// the user cache, one per spec file.
func WorkDir(m *spec.Module) (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(m.SpecPath))
	return filepath.Join(cache, "pyspec", "build", m.Name+"-"+hex.EncodeToString(sum[:6])), nil
}

// Options are the variants of a build.
type Options struct {
	// Limited builds the C part against the Limited API of Python 3.11
	// (abi3): one extension for every CPython from 3.11 on.
	Limited bool
	// Sanitize is "" or "address": both parts built with AddressSanitizer.
	Sanitize string
	// Strip leaves symbol tables and debug information out of both parts
	// (wheels: about half the size).
	Strip bool
	// Cross, when not nil, builds for another platform with its toolchain
	// (package target chooses it); nil builds for this machine with $CC.
	Cross *Cross
}

// Cross is the toolchain of a build for a target platform.
type Cross struct {
	// Name is the target's name ("manylinux2014_aarch64"): it names the
	// build directory, so that a target's build never replaces the host's.
	Name string
	// CC is the C compiler command of both parts ("zig cc -target
	// aarch64-linux-gnu.2.17"); Go gets it as CC.
	CC           string
	GOOS, GOARCH string
}

// variant names the options in build directories.
func (o Options) variant() string {
	v := "full"
	if o.Limited {
		v = "abi3"
	}
	if o.Sanitize != "" {
		v += "-" + o.Sanitize
	}
	if o.Strip {
		v += "-stripped"
	}
	if o.Cross != nil {
		v += "-" + o.Cross.Name
	}
	return v
}

// LimitedAPI is the Py_LIMITED_API version abi3 builds target: 3.11, the
// first whose Limited API has the buffer protocol.
const (
	LimitedAPI     = "0x030B0000"
	LimitedVersion = "3.11"
)

// Result is what a build produced in the output directory.
type Result struct {
	Extension string // the C part: <module><EXT_SUFFIX>, or <module>.abi3.so
	GoPart    string // <module>.go.so, loaded by the extension
	Stubs     []string
	Tests     string
}

// ExtSuffix is the file suffix of the extension for py and opts.
func ExtSuffix(py *Python, opts Options) string {
	if opts.Limited {
		return ".abi3.so"
	}
	return py.ExtSuffix
}

// GoPartName is the file of the Go part of module name, beside the extension.
func GoPartName(name string) string { return name + ".go.so" }

// Build generates the glue of m into work and builds outDir/<module><EXT_SUFFIX>
// and outDir/<module>.go.so for py, with the stub and the generated tests.
func Build(m *spec.Module, py *Python, work, outDir string, opts Options) (*Result, error) {
	if py.Stdlib[m.Name] {
		return nil, fmt.Errorf("%s: module name %q is a standard-library module of Python %s: `import %s` would load that one; choose another name",
			m.SpecPath, m.Name, py.Version, m.Name)
	}
	if opts.Sanitize != "" && opts.Sanitize != "address" {
		return nil, fmt.Errorf("--sanitize %q: only \"address\" is supported", opts.Sanitize)
	}
	if opts.Limited && !atLeast(py.Version, LimitedVersion) {
		return nil, fmt.Errorf("--abi3 needs Python %s or later to build with (the Limited API's buffer protocol); %s is %s", LimitedVersion, py.Exe, py.Version)
	}
	outputs, err := codegen.Outputs(m)
	if err != nil {
		return nil, err
	}
	files := outputs.Glue
	goVersion, err := goEnv("GOVERSION")
	if err != nil {
		return nil, err
	}
	if opts.Cross != nil && opts.Sanitize != "" {
		return nil, fmt.Errorf("--sanitize builds for this machine only, not for %s", opts.Cross.Name)
	}
	var cc string
	if opts.Cross != nil {
		cc = opts.Cross.CC
	} else if cc, err = cCompiler(); err != nil {
		return nil, err
	}
	links, err := localReplaces(m.Go.ModuleRoot)
	if err != nil {
		return nil, err
	}
	files["go.work"] = goWork(strings.TrimPrefix(goVersion, "go"), m.Go.ModuleRoot, links)
	if err := codegen.WriteFiles(work, files); err != nil {
		return nil, err
	}
	if err := writeLinks(work, links); err != nil {
		return nil, err
	}
	if err := writeHeaders(work, py.Headers); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	suffix := ExtSuffix(py, opts)
	dir := filepath.Join(work, "_build", opts.variant())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ext := filepath.Join(dir, m.Name+suffix)
	goPart := filepath.Join(dir, GoPartName(m.Name))
	modcache := filepath.Join(m.Go.ModuleRoot, filepath.FromSlash(ModCacheDir))
	if st, err := os.Stat(modcache); err != nil || !st.IsDir() {
		modcache = ""
	}
	goCmd, goEnvVars := goBuild(work, goPart, m.Go, opts, modcache, cc)
	ccArgs := cBuild(work, ext, py, opts)
	key, err := buildKey(files, m, py, goEnvVars, append(append([]string{cc}, ccArgs...), goCmd...))
	if err != nil {
		return nil, err
	}
	stamp := filepath.Join(dir, "inputs.sha256")
	if old, err := os.ReadFile(stamp); err == nil && string(old) == key && fileExists(ext) && fileExists(goPart) {
		// Nothing that goes into the build changed: skip both compilers.
	} else {
		os.Remove(stamp)
		if err := run(work, goEnvVars, goCmd[0], goCmd[1:]...); err != nil {
			return nil, fmt.Errorf("go build of module %s failed (%v); glue sources are in %s:\n%s", m.Name, err, work, err.(*runError).out)
		}
		if err := run(work, os.Environ(), cc, ccArgs...); err != nil {
			return nil, fmt.Errorf("%s of module %s's C part failed (%v); glue sources are in %s:\n%s", cc, m.Name, err, work, err.(*runError).out)
		}
		if err := os.WriteFile(stamp, []byte(key), 0o644); err != nil {
			return nil, err
		}
	}
	res := &Result{Extension: filepath.Join(outDir, m.Name+suffix), GoPart: filepath.Join(outDir, GoPartName(m.Name))}
	for _, f := range [][2]string{{goPart, res.GoPart}, {ext, res.Extension}} {
		if err := install(f[0], f[1]); err != nil {
			return nil, err
		}
	}
	for _, files := range outputs.Beside() {
		if err := refuseOverwrite(outDir, files); err != nil {
			return nil, err
		}
	}
	for _, files := range outputs.Beside() {
		if err := codegen.WriteFiles(outDir, files); err != nil {
			return nil, err
		}
	}
	for _, n := range outputs.Stubs.Names() {
		res.Stubs = append(res.Stubs, filepath.Join(outDir, filepath.FromSlash(n)))
	}
	for _, n := range outputs.Tests.Names() {
		res.Tests = filepath.Join(outDir, n)
	}
	return res, nil
}

// refuseOverwrite stops a build before it replaces a file pyspec did not
// write (an author's own test or stub in the output directory).
func refuseOverwrite(dir string, files codegen.Files) error {
	for _, name := range files.Names() {
		path := filepath.Join(dir, filepath.FromSlash(name))
		f, err := os.Open(path)
		if err != nil {
			continue // not there: nothing to lose
		}
		head := make([]byte, 512)
		n, _ := f.Read(head)
		f.Close()
		// py.typed is empty; allowlists once had no header.
		legacy := bytes.HasPrefix(head[:n], []byte("# What the stub leaves out on purpose, for mypy.stubtest"))
		if n > 0 && !legacy && !bytes.Contains(head[:n], []byte("generated by pyspec")) {
			return fmt.Errorf("%s exists and pyspec did not write it (no \"generated by pyspec\" header): building into %s would replace it; choose another output directory with -o", path, dir)
		}
	}
	return nil
}

// install copies a built file into place unless it is there already.
// Rename into place: a process that has the old file loaded keeps its
// mapping intact.
func install(built, target string) error {
	if sameFile(built, target) {
		return nil
	}
	tmp := target + ".tmp"
	if err := copyFile(built, tmp); err != nil {
		return err
	}
	return os.Rename(tmp, target)
}

// ModCacheDir is where an sdist carries the Go modules its build needs,
// relative to the Go module's root (a GOPROXY directory).
const ModCacheDir = ".pyspec/modcache"

// goBuild is the command building the Go part of the package pkg, and its
// environment. modcache, when not "", is a GOPROXY directory to take
// modules from.
func goBuild(work, out string, pkg spec.GoPackage, opts Options, modcache, cc string) ([]string, []string) {
	var env []string
	// The spec's cgo flags, then the environment's: a library's path set
	// for this machine (CGO_LDFLAGS=-L/opt/...) adds to what the spec links.
	cgoCFlags, cgoLDFlags := pkg.CgoCFlags, pkg.CgoLDFlags
	experiments := strings.Join(pkg.Experiments, ",")
	for _, kv := range os.Environ() {
		switch k, v, _ := strings.Cut(kv, "="); k {
		case "GOEXPERIMENT":
			experiments = strings.Trim(experiments+","+v, ",")
			continue
		case "CGO_CFLAGS":
			cgoCFlags = strings.TrimSpace(cgoCFlags + " " + v)
			continue
		case "CGO_LDFLAGS":
			cgoLDFlags = strings.TrimSpace(cgoLDFlags + " " + v)
			continue
		case "GOWORK", "GOFLAGS", "CGO_ENABLED":
			continue
		case "CC", "CXX", "GOOS", "GOARCH", "GOARM64", "GOAMD64":
			if opts.Cross != nil {
				continue // the target's toolchain, below
			}
		case "GOPROXY", "GONOSUMDB":
			if modcache != "" {
				continue
			}
		}
		env = append(env, kv)
	}
	// -trimpath and no build ids: the same inputs give the same bytes.
	ldflags := "-buildid= -extldflags=-Wl,--build-id=none"
	if opts.Strip {
		ldflags = "-s -w " + ldflags
		if opts.Cross != nil {
			// zig's linker keeps the debug information Go's -s -w leaves
			// to the external linker: strip there too.
			ldflags += ",--strip-all"
		}
	}
	cmd := []string{"go", "build", "-buildmode=c-shared", "-trimpath", "-ldflags=" + ldflags, "-o", out}
	if len(pkg.Tags) > 0 {
		cmd = append(cmd, "-tags="+strings.Join(pkg.Tags, ","))
	}
	cflags := strings.TrimSpace("-O2 -ffile-prefix-map=" + work + "=. " + cgoCFlags)
	if opts.Sanitize == "address" {
		cmd = append(cmd, "-asan")
		cflags += " -fno-omit-frame-pointer"
	}
	cmd = append(cmd, "./"+codegen.GoDir)
	env = append(env,
		"GOWORK="+filepath.Join(work, "go.work"),
		"CGO_ENABLED=1",
		"CGO_CFLAGS="+cflags,
	)
	if cgoLDFlags != "" {
		env = append(env, "CGO_LDFLAGS="+cgoLDFlags)
	}
	if experiments != "" {
		env = append(env, "GOEXPERIMENT="+experiments)
	}
	if opts.Cross != nil {
		env = append(env, "CC="+cc, "GOOS="+opts.Cross.GOOS, "GOARCH="+opts.Cross.GOARCH)
	}
	if modcache != "" {
		// Built from an sdist: the Go modules it carries, and nothing
		// from the network.
		env = append(env, "GOPROXY=file://"+filepath.ToSlash(modcache)+",off", "GONOSUMDB=*")
	}
	return cmd, env
}

// cBuild is the C compiler's arguments for the C part.
func cBuild(work, out string, py *Python, opts Options) []string {
	c := filepath.Join(work, codegen.CDir)
	args := []string{"-O2", "-fPIC", "-shared", "-fvisibility=hidden", "-std=gnu11",
		"-Wall", "-Wno-unused-label", "-Wno-unused-function", "-Werror=implicit-function-declaration", "-Werror=incompatible-pointer-types",
		"-ffile-prefix-map=" + work + "=.", "-I" + c, "-I" + py.Include}
	if len(py.Headers) > 0 {
		args = append(args, "-idirafter", filepath.Join(work, headersDir))
	}
	if opts.Limited {
		args = append(args, "-DPy_LIMITED_API="+LimitedAPI)
	}
	if opts.Sanitize == "address" {
		args = append(args, "-fsanitize=address", "-fno-omit-frame-pointer")
	}
	args = append(args, "-o", out, filepath.Join(c, "module.c"), filepath.Join(c, "pyspec_rt.c"), "-ldl", "-lpthread")
	if runtime.GOOS == "linux" {
		args = append(args, "-Wl,--build-id=none")
	}
	if opts.Strip {
		args = append(args, "-s")
	}
	return args
}

// atLeast compares "3.9" and "3.11" as versions.
func atLeast(v, min string) bool {
	var a, b, c, d int
	fmt.Sscanf(v, "%d.%d", &a, &b)
	fmt.Sscanf(min, "%d.%d", &c, &d)
	return a > c || a == c && b >= d
}

// The messages of a machine that cannot build at all (not of a build that
// failed): an editable install then falls back to its last build.
const (
	NoGoToolchain = "the Go toolchain is needed to build"
	NoCCompiler   = "no C compiler"
)

// cCompiler is $CC, else cc.
func cCompiler() (string, error) {
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "cc"
	}
	if _, err := exec.LookPath(strings.Fields(cc)[0]); err != nil {
		return "", fmt.Errorf("%s (%s): install gcc, or set CC", NoCCompiler, cc)
	}
	return cc, nil
}

type runError struct {
	err error
	out string
}

func (e *runError) Error() string { return e.err.Error() }

func run(dir string, env []string, name string, args ...string) error {
	fields := strings.Fields(name)
	cmd := exec.Command(fields[0], append(fields[1:], args...)...)
	cmd.Dir = dir
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return &runError{err, out.String()}
	}
	return nil
}

// buildKey hashes everything a build depends on: the generated sources,
// the Go sources of the author's module (and the go.mod/go.sum files that
// pick its dependencies), the interpreter's headers and suffix, the
// toolchains, the commands and the build environment.
func buildKey(files codegen.Files, m *spec.Module, py *Python, env, commands []string) (string, error) {
	h := sha256.New()
	for _, name := range files.Names() {
		fmt.Fprintf(h, "gen %s %d\n", name, len(files[name]))
		h.Write(files[name])
	}
	fmt.Fprintf(h, "python %s %s %s\n", py.Exe, py.Include, py.ExtSuffix)
	names := make([]string, 0, len(py.Headers))
	for name := range py.Headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		data, err := os.ReadFile(py.Headers[name])
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "header %s %d\n", name, len(data))
		h.Write(data)
	}
	for _, kv := range env {
		if strings.HasPrefix(kv, "CGO_") || strings.HasPrefix(kv, "GO") || strings.HasPrefix(kv, "CC=") || strings.HasPrefix(kv, "CXX=") {
			fmt.Fprintf(h, "env %s\n", kv)
		}
	}
	fmt.Fprintf(h, "commands %q\n", commands)
	if v, err := goEnv("GOVERSION"); err == nil {
		fmt.Fprintf(h, "go %s\n", v)
	}
	err := filepath.WalkDir(m.Go.ModuleRoot, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			// What the go command ignores, and trees that are not Go.
			if path != m.Go.ModuleRoot && ((strings.HasPrefix(name, ".") && name != ".pyspec") || strings.HasPrefix(name, "_") ||
				name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") && name != "go.mod" && name != "go.sum" && !strings.HasSuffix(name, ".c") && !strings.HasSuffix(name, ".h") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "src %s %d\n", path, len(data))
		h.Write(data)
		return nil
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// sameFile reports whether two files have the same bytes.
func sameFile(a, b string) bool {
	da, err := os.ReadFile(a)
	if err != nil {
		return false
	}
	db, err := os.ReadFile(b)
	return err == nil && bytes.Equal(da, db)
}

func goEnv(key string) (string, error) {
	out, err := exec.Command("go", "env", key).Output()
	if err != nil {
		return "", fmt.Errorf("%s (go env %s: %v)", NoGoToolchain, key, err)
	}
	return strings.TrimSpace(string(out)), nil
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o755)
}

// headersDir holds the copies of Python.Headers in the work directory.
const headersDir = "_include"

// writeHeaders copies the headers of a target's Python configuration that
// live outside its include directory into work/_include.
func writeHeaders(work string, headers map[string]string) error {
	dir := filepath.Join(work, headersDir)
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for name, src := range headers {
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
