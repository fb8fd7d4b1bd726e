package packaging

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pyspec/pyspec/spec"
	"github.com/pyspec/pyspec/version"
)

//go:embed backend/pyspec_build.py
var backendSource []byte

// BackendSource is the PEP 517 backend a pyspec project carries in
// .pyspec/backend/pyspec_build.py.
func BackendSource() []byte { return append([]byte(nil), backendSource...) }

// PyprojectFor is a pyproject.toml for a distribution with metadata md
// whose spec is at specRel, and its [project] table. Its backend is
// pyspec_build: vendored, the in-tree copy (BackendPath), needing nothing
// from an index; else the one of the pyspec distribution, which build
// isolation installs (requires = ["pyspec>=<this version>"]).
func PyprojectFor(md *Metadata, specRel string, vendor bool) []byte {
	var b strings.Builder
	if vendor {
		b.WriteString("# Built by pyspec: `pip install .`, `pip install -e .` and `python -m build` need\n")
		b.WriteString("# the pyspec command (on PATH or in $PYSPEC), Go and a C compiler; nothing from an index.\n")
		b.WriteString("[build-system]\nrequires = []\nbuild-backend = \"pyspec_build\"\nbackend-path = [" + strconv.Quote(BackendPath) + "]\n\n")
	} else {
		b.WriteString("# Built by pyspec: `pip install .`, `pip install -e .` and `python -m build` install\n")
		b.WriteString("# pyspec (its command and this backend) into the build environment; they need Go\n")
		b.WriteString("# and a C compiler. `pyspec pyproject --vendor` makes a project that needs no index.\n")
		fmt.Fprintf(&b, "[build-system]\nrequires = [%s]\nbuild-backend = \"pyspec_build\"\n\n", strconv.Quote("pyspec>="+version.Version))
	}
	b.WriteString("[project]\n")
	fmt.Fprintf(&b, "name = %s\n", strconv.Quote(md.Name))
	fmt.Fprintf(&b, "version = %s\n", strconv.Quote(md.Version))
	if md.Summary != "" {
		fmt.Fprintf(&b, "description = %s\n", strconv.Quote(md.Summary))
	}
	if md.RequiresPython != "" {
		fmt.Fprintf(&b, "requires-python = %s\n", strconv.Quote(md.RequiresPython))
	}
	if len(md.RequiresDist) > 0 {
		b.WriteString("dependencies = [")
		for i, d := range md.RequiresDist {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Quote(d))
		}
		b.WriteString("]\n")
	}
	fmt.Fprintf(&b, "\n[tool.pyspec]\nspec = %s\n", strconv.Quote(specRel))
	return []byte(b.String())
}

// WriteProject gives the project of spec m a pyproject.toml (in the spec's
// directory; an existing one is left alone and reported), and with vendor
// the backend in BackendPath. It returns the files it wrote.
func WriteProject(m *spec.Module, projectVersion string, vendor bool) ([]string, error) {
	dir := filepath.Dir(m.SpecPath)
	pp := filepath.Join(dir, "pyproject.toml")
	var wrote []string
	if vendor {
		backend := filepath.Join(dir, BackendPath, "pyspec_build.py")
		if err := os.MkdirAll(filepath.Dir(backend), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(backend, BackendSource(), 0o644); err != nil {
			return nil, err
		}
		wrote = append(wrote, backend)
	}
	if _, err := os.Stat(pp); err == nil {
		if vendor {
			return wrote, fmt.Errorf("%s exists; left as it is (its [build-system] should read: requires = [], build-backend = \"pyspec_build\", backend-path = [%q])", pp, BackendPath)
		}
		return wrote, fmt.Errorf("%s exists; left as it is (its [build-system] should read: requires = [\"pyspec>=%s\"], build-backend = \"pyspec_build\")", pp, version.Version)
	}
	md, err := ReadMetadata(m, &Project{Dir: dir}, projectVersion, "")
	if err != nil {
		return wrote, err
	}
	if err := os.WriteFile(pp, PyprojectFor(md, filepath.Base(m.SpecPath), vendor), 0o644); err != nil {
		return wrote, err
	}
	return append(wrote, pp), nil
}
