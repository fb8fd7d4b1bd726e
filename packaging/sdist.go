package packaging

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pyspec/pyspec/build"
	"github.com/pyspec/pyspec/spec"
)

// ModCacheDir is where an sdist keeps the Go modules its build needs, laid
// out as a GOPROXY directory: building from the sdist reads them with
// GOPROXY=file://...,off, so nothing comes from the network.
const ModCacheDir = build.ModCacheDir

// BackendPath is where a project keeps its PEP 517 backend.
const BackendPath = ".pyspec/backend"

// SdistInput is what goes into an sdist.
type SdistInput struct {
	Module  *spec.Module
	Meta    *Metadata
	Project *Project
}

// Sdist writes the PEP 517 source distribution of a spec into dist and
// returns its path: the spec, pyproject.toml and the backend, the Go
// packages the module is built from (with go.mod and go.sum, and the
// vendored copy of package py of a pyspec init project), and the Go modules they need,
// so that building from it needs Go, a C compiler and pyspec, and no
// network. The sdist's root is the Go module's root.
func Sdist(in *SdistInput, dist string) (string, error) {
	m := in.Module
	root := m.Go.ModuleRoot
	files := map[string][]byte{}
	essential := map[string]bool{} // what sdist-exclude cannot leave out
	add := func(abs string) error {
		rel, err := filepath.Rel(root, abs)
		if err != nil || strings.HasPrefix(rel, "..") {
			return fmt.Errorf("%s is outside the Go module at %s, which is the sdist's root", abs, root)
		}
		data, err := os.ReadFile(abs)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)] = data
		return nil
	}
	pkgs, err := goList(root, m.Go.ImportPath)
	if err != nil {
		return "", err
	}
	modules := map[string]goModule{}
	for _, p := range pkgs {
		if p.Standard || p.Module == nil {
			continue
		}
		mod := *p.Module
		if mod.Replace != nil {
			mod = *mod.Replace
		}
		local := mod.Version == "" // the main module, or a replacement by a directory
		if local {
			if mod.Dir == "" || !within(root, mod.Dir) {
				return "", fmt.Errorf("package %s comes from %s, outside the Go module at %s: an sdist cannot carry it", p.ImportPath, mod.Dir, root)
			}
			for _, f := range p.files() {
				if err := add(filepath.Join(p.Dir, f)); err != nil {
					return "", err
				}
				rel, _ := filepath.Rel(root, filepath.Join(p.Dir, f))
				essential[filepath.ToSlash(rel)] = true
			}
			for _, f := range []string{"go.mod", "go.sum"} {
				if _, err := os.Stat(filepath.Join(mod.Dir, f)); err == nil {
					if err := add(filepath.Join(mod.Dir, f)); err != nil {
						return "", err
					}
				}
			}
			continue
		}
		modules[mod.Path+"@"+mod.Version] = mod
	}
	if err := addModCache(root, modules, files); err != nil {
		return "", err
	}
	// The spec and what lives beside it: the author's tests and clients,
	// and the project's readme and license.
	if err := add(m.SpecPath); err != nil {
		return "", err
	}
	if rel, err := filepath.Rel(root, m.SpecPath); err == nil {
		essential[filepath.ToSlash(rel)] = true
	}
	for _, dir := range []string{filepath.Dir(m.SpecPath), root, in.Project.Dir} {
		for _, pattern := range []string{"*.py", "README*", "LICENSE*", "COPYING*", "pyspec.schema.json"} {
			matches, _ := filepath.Glob(filepath.Join(dir, pattern))
			for _, f := range matches {
				if within(root, f) {
					if err := add(f); err != nil {
						return "", err
					}
				}
			}
		}
	}
	// What the project asks for besides: [tool.pyspec] sdist-include and
	// sdist-exclude (the latter leaves out what the globs above found; the
	// spec, the Go sources and the build files always ship).
	if err := includeGlobs(in.Project, root, add); err != nil {
		return "", err
	}
	for name := range files {
		if rel, err := filepath.Rel(in.Project.Dir, filepath.Join(root, filepath.FromSlash(name))); err == nil &&
			matchAny(in.Project.SdistExclude, filepath.ToSlash(rel)) && !essential[name] {
			delete(files, name)
		}
	}
	specRel, _ := filepath.Rel(root, m.SpecPath)
	if in.Project.Path != "" && filepath.Dir(in.Project.Path) == root {
		if err := add(in.Project.Path); err != nil {
			return "", err
		}
		if backend := filepath.Join(root, BackendPath, "pyspec_build.py"); fileExists(backend) {
			if err := add(backend); err != nil {
				return "", err
			}
		} else {
			files[BackendPath+"/pyspec_build.py"] = BackendSource()
		}
	} else {
		files["pyproject.toml"] = PyprojectFor(in.Meta, filepath.ToSlash(specRel), true)
		files[BackendPath+"/pyspec_build.py"] = BackendSource()
	}
	files["PKG-INFO"] = in.Meta.Render()
	base := in.Meta.FileName() + "-" + in.Meta.Version
	return writeTarGz(dist, base+".tar.gz", base, files)
}

func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

type goModule struct {
	Path    string
	Version string
	Dir     string
	Replace *goModule
}

type goPackage struct {
	ImportPath                                                  string
	Dir                                                         string
	Standard                                                    bool
	Module                                                      *goModule
	GoFiles, CgoFiles, CFiles, HFiles, SFiles, CXXFiles, MFiles []string
	EmbedFiles, SysoFiles, IgnoredGoFiles                       []string
}

func (p *goPackage) files() []string {
	var out []string
	for _, l := range [][]string{p.GoFiles, p.CgoFiles, p.CFiles, p.HFiles, p.SFiles, p.CXXFiles, p.MFiles, p.EmbedFiles, p.SysoFiles, p.IgnoredGoFiles} {
		out = append(out, l...)
	}
	return out
}

// goList lists the packages pkg is built from, and those of pyspec the
// glue adds (py/pyimpl brings py).
func goList(root, pkg string) ([]goPackage, error) {
	cmd := exec.Command("go", "list", "-deps", "-json", pkg, "github.com/pyspec/pyspec/py/pyimpl")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list in %s: %v\n%s", root, err, stderr.String())
	}
	var pkgs []goPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p goPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// addModCache copies the module-cache files of the modules the build needs
// (their .info, .mod and .zip, as a GOPROXY serves them) into files, and
// the .mod and .info files of the rest of the module graph, which the go
// command reads to choose versions.
func addModCache(root string, needed map[string]goModule, files map[string][]byte) error {
	cmd := exec.Command("go", "mod", "download", "-json")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("go mod download in %s (the sdist carries the Go modules the build needs): %v\n%s", root, err, stderr.String())
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var d struct {
			Path, Version, Info, GoMod, Zip, Error string
		}
		if err := dec.Decode(&d); err == io.EOF {
			break
		} else if err != nil {
			return fmt.Errorf("go mod download: %v", err)
		}
		if d.Version == "" {
			continue
		}
		if d.Error != "" {
			return fmt.Errorf("go mod download %s@%s: %s", d.Path, d.Version, d.Error)
		}
		srcs := []string{d.Info, d.GoMod}
		if _, ok := needed[d.Path+"@"+d.Version]; ok {
			srcs = append(srcs, d.Zip)
		}
		for _, src := range srcs {
			if src == "" {
				continue
			}
			data, err := os.ReadFile(src)
			if err != nil {
				return err
			}
			// The cache keeps files at <escaped path>/@v/<version>.<ext>
			// under cache/download, the layout of a GOPROXY.
			i := strings.Index(filepath.ToSlash(src), "/cache/download/")
			if i < 0 {
				return fmt.Errorf("unexpected module cache path %s", src)
			}
			files[ModCacheDir+"/"+filepath.ToSlash(src)[i+len("/cache/download/"):]] = data
		}
	}
	return nil
}

// writeTarGz writes files under the directory base into dist/name, as a
// gzip'd tar with sorted entries, fixed times and owners.
func writeTarGz(dist, name, base string, files map[string][]byte) (string, error) {
	t, err := Timestamp()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dist, 0o755); err != nil {
		return "", fmt.Errorf("cannot create the output directory: %v", err)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	tw := tar.NewWriter(gz)
	dirs := map[string]bool{}
	for _, n := range names {
		full := base + "/" + n
		for d := filepath.ToSlash(filepath.Dir(full)); d != "." && !dirs[d]; d = filepath.ToSlash(filepath.Dir(d)) {
			dirs[d] = true
		}
	}
	var dirNames []string
	for d := range dirs {
		dirNames = append(dirNames, d)
	}
	sort.Strings(dirNames)
	for _, d := range dirNames {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755, ModTime: t, Format: tar.FormatPAX}); err != nil {
			return "", err
		}
	}
	for _, n := range names {
		h := &tar.Header{Typeflag: tar.TypeReg, Name: base + "/" + n, Mode: 0o644, Size: int64(len(files[n])), ModTime: t, Format: tar.FormatPAX}
		if err := tw.WriteHeader(h); err != nil {
			return "", err
		}
		if _, err := tw.Write(files[n]); err != nil {
			return "", err
		}
	}
	if err := tw.Close(); err != nil {
		return "", err
	}
	if err := gz.Close(); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dist, "."+name+".*")
	if err != nil {
		return "", fmt.Errorf("cannot write into %s: %v", dist, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return "", err
	}
	path := filepath.Join(dist, name)
	return path, os.Rename(tmp.Name(), path)
}

// includeGlobs adds the files of the project's sdist-include globs.
func includeGlobs(proj *Project, root string, add func(abs string) error) error {
	if len(proj.SdistInclude) == 0 {
		return nil
	}
	matched := map[string]bool{}
	err := filepath.WalkDir(proj.Dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(proj.Dir, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if name := d.Name(); path != proj.Dir && (strings.HasPrefix(name, ".") || name == "__pycache__" || name == "build" || name == "dist") {
				return filepath.SkipDir
			}
			return nil
		}
		for _, g := range proj.SdistInclude {
			if matchGlob(g, rel) {
				matched[g] = true
				if !within(root, path) {
					return fmt.Errorf("sdist-include %q: %s is outside the Go module at %s, which is the sdist's root", g, path, root)
				}
				return add(path)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, g := range proj.SdistInclude {
		if !matched[g] {
			return fmt.Errorf("%s: [tool.pyspec] sdist-include %q matches no file", proj.Path, g)
		}
	}
	return nil
}

func matchAny(globs []string, rel string) bool {
	for _, g := range globs {
		if matchGlob(g, rel) {
			return true
		}
	}
	return false
}

// matchGlob matches a slash-separated path against a glob whose ** spans
// any number of directories (tests/**, **/*.csv); a pattern naming a
// directory ("tests/") takes everything below it.
func matchGlob(pattern, rel string) bool {
	if strings.HasSuffix(pattern, "/") {
		pattern += "**"
	}
	return matchParts(strings.Split(pattern, "/"), strings.Split(rel, "/"))
}

func matchParts(pat, parts []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(parts); i++ {
				if matchParts(pat[1:], parts[i:]) {
					return true
				}
			}
			return false
		}
		if len(parts) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], parts[0]); !ok {
			return false
		}
		pat, parts = pat[1:], parts[1:]
	}
	return len(parts) == 0
}
