// Package packaging turns a built module into what Python installs: PEP 427
// wheels (regular and PEP 660 editable), PEP 517 sdists, their core
// metadata, honest platform tags, and the in-tree PEP 517 backend that lets
// pip build a pyspec project without an index.
package packaging

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/pyspec/pyspec/spec"
)

// Metadata is a distribution's core metadata (the METADATA file of a wheel,
// PKG-INFO of an sdist).
type Metadata struct {
	Name             string // as the project spells it
	Version          string // PEP 440, normalized
	Summary          string
	RequiresPython   string
	RequiresDist     []string
	Keywords         []string
	Classifiers      []string
	Authors          []string // names of authors without an address
	AuthorEmails     []string // "Name <email>" or an address
	Maintainers      []string
	MaintainerEmails []string
	Extras           []string // optional-dependencies' names, sorted
	URLs             [][2]string
	License          string
	Description      string // the long description (a readme)
	DescriptionCT    string // its content type
}

// Project is where a spec's pyproject.toml is, if it has one.
type Project struct {
	Path string // pyproject.toml, absolute; "" when there is none
	Dir  string // the project's directory: pyproject's, else the spec's
	// HasProject reports a [project] table.
	HasProject bool
	// Spec is [tool.pyspec] spec, the spec's path relative to Dir.
	Spec string
	// SdistInclude and SdistExclude are [tool.pyspec] sdist-include and
	// sdist-exclude: globs relative to Dir (** spans directories) of more
	// files to ship in the sdist, and of files not to ship.
	SdistInclude, SdistExclude []string
}

// pyproject is the part of pyproject.toml pyspec reads.
type pyproject struct {
	BuildSystem struct {
		Requires     []string `toml:"requires"`
		BuildBackend string   `toml:"build-backend"`
		BackendPath  []string `toml:"backend-path"`
	} `toml:"build-system"`
	Project *struct {
		Name                 string              `toml:"name"`
		Version              string              `toml:"version"`
		Description          string              `toml:"description"`
		RequiresPython       string              `toml:"requires-python"`
		Dependencies         []string            `toml:"dependencies"`
		Keywords             []string            `toml:"keywords"`
		Classifiers          []string            `toml:"classifiers"`
		Dynamic              []string            `toml:"dynamic"`
		Readme               any                 `toml:"readme"`
		License              any                 `toml:"license"`
		Authors              []person            `toml:"authors"`
		Maintainers          []person            `toml:"maintainers"`
		OptionalDependencies map[string][]string `toml:"optional-dependencies"`
		URLs                 map[string]string   `toml:"urls"`
	} `toml:"project"`
	Tool struct {
		Pyspec struct {
			Spec         string   `toml:"spec"`
			SdistInclude []string `toml:"sdist-include"`
			SdistExclude []string `toml:"sdist-exclude"`
		} `toml:"pyspec"`
	} `toml:"tool"`
}

// FindProject looks for the pyproject.toml of spec m: in the spec's
// directory, then in its parents up to the Go module's root, where only
// one whose [tool.pyspec] spec names m's spec counts (the pyproject.toml
// of a repository that holds specs is not theirs: pyspec's own, above
// its examples, is pyspec's).
func FindProject(m *spec.Module) *Project {
	dir := filepath.Dir(m.SpecPath)
	for {
		p := filepath.Join(dir, "pyproject.toml")
		if _, err := os.Stat(p); err == nil && (dir == filepath.Dir(m.SpecPath) || namesSpec(p, m.SpecPath)) {
			return &Project{Path: p, Dir: dir}
		}
		if dir == m.Go.ModuleRoot || filepath.Dir(dir) == dir || !strings.HasPrefix(dir, m.Go.ModuleRoot) {
			break
		}
		dir = filepath.Dir(dir)
	}
	return &Project{Dir: filepath.Dir(m.SpecPath)}
}

// ReadMetadata decides the metadata of spec m's distribution: from
// pyproject.toml's [project] when there is one, else from the spec (module
// name, `version:`, the first line of `doc`). version, when not "",
// overrides both. requiresPython is the default Requires-Python.
func ReadMetadata(m *spec.Module, proj *Project, version, requiresPython string) (*Metadata, error) {
	md := &Metadata{Name: m.Name, Version: m.Version, RequiresPython: requiresPython, Summary: firstLine(m.Doc)}
	if proj.Path != "" {
		data, err := os.ReadFile(proj.Path)
		if err != nil {
			return nil, err
		}
		var pp pyproject
		if _, err := toml.Decode(string(data), &pp); err != nil {
			return nil, fmt.Errorf("%s: %v", proj.Path, err)
		}
		proj.Spec = pp.Tool.Pyspec.Spec
		proj.SdistInclude, proj.SdistExclude = pp.Tool.Pyspec.SdistInclude, pp.Tool.Pyspec.SdistExclude
		if p := pp.Project; p != nil {
			proj.HasProject = true
			if p.Name == "" {
				return nil, fmt.Errorf("%s: [project] has no name", proj.Path)
			}
			md.Name = p.Name
			dynamicVersion := false
			for _, d := range p.Dynamic {
				dynamicVersion = dynamicVersion || d == "version"
			}
			switch {
			case p.Version != "":
				v, err := spec.NormalizeVersion(p.Version)
				if err != nil {
					return nil, fmt.Errorf("%s: [project] %v", proj.Path, err)
				}
				if m.Version != "" && m.Version != v && version == "" {
					return nil, fmt.Errorf("%s: [project] version %s and the spec's `version: %s` (%s) differ: keep one of them (or list \"version\" in dynamic to take the spec's)", proj.Path, v, m.Version, m.SpecPath)
				}
				md.Version = v
			case !dynamicVersion:
				return nil, fmt.Errorf("%s: [project] has no version; give one, or list \"version\" in dynamic to take the spec's `version:`", proj.Path)
			}
			if p.Description != "" {
				md.Summary = p.Description
			}
			if p.RequiresPython != "" {
				md.RequiresPython = p.RequiresPython
			}
			md.RequiresDist = p.Dependencies
			md.Keywords = p.Keywords
			md.Classifiers = p.Classifiers
			md.Authors, md.AuthorEmails = people(p.Authors)
			md.Maintainers, md.MaintainerEmails = people(p.Maintainers)
			for _, extra := range slices.Sorted(maps.Keys(p.OptionalDependencies)) {
				md.Extras = append(md.Extras, extra)
				for _, dep := range p.OptionalDependencies[extra] {
					md.RequiresDist = append(md.RequiresDist, withExtra(dep, extra))
				}
			}
			keys := make([]string, 0, len(p.URLs))
			for k := range p.URLs {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				md.URLs = append(md.URLs, [2]string{k, p.URLs[k]})
			}
			switch l := p.License.(type) {
			case string:
				md.License = l
			case map[string]any:
				if t, ok := l["text"].(string); ok {
					md.License = t
				}
			}
			if err := md.readme(proj.Dir, p.Readme); err != nil {
				return nil, fmt.Errorf("%s: [project] readme: %v", proj.Path, err)
			}
		}
	}
	if version != "" {
		v, err := spec.NormalizeVersion(version)
		if err != nil {
			return nil, err
		}
		md.Version = v
	}
	if md.Version == "" {
		return nil, fmt.Errorf("%s: the distribution needs a version: add `version: 0.1.0` to the spec, a [project] version to pyproject.toml, or pass --version", m.SpecPath)
	}
	if !validName.MatchString(md.Name) {
		return nil, fmt.Errorf("%q is not a valid distribution name: letters, digits and . _ -, starting and ending with a letter or digit", md.Name)
	}
	return md, nil
}

// namesSpec reports whether the pyproject.toml at path has a [tool.pyspec]
// spec that is specPath (the backend builds that spec), or is not TOML.
func namesSpec(path, specPath string) bool {
	var pp pyproject
	if _, err := toml.DecodeFile(path, &pp); err != nil {
		return true // ReadMetadata reports the error
	}
	if pp.Tool.Pyspec.Spec == "" {
		return false
	}
	return filepath.Clean(filepath.Join(filepath.Dir(path), filepath.FromSlash(pp.Tool.Pyspec.Spec))) == filepath.Clean(specPath)
}

var validName = regexp.MustCompile(`^(?i)[a-z0-9]([a-z0-9._-]*[a-z0-9])?$`)

func (md *Metadata) readme(dir string, r any) error {
	file, ct := "", ""
	switch r := r.(type) {
	case nil:
		return nil
	case string:
		file = r
	case map[string]any:
		if t, ok := r["text"].(string); ok {
			md.Description = t
		}
		file, _ = r["file"].(string)
		ct, _ = r["content-type"].(string)
	}
	if file != "" {
		data, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			return err
		}
		md.Description = string(data)
	}
	if ct == "" {
		switch strings.ToLower(filepath.Ext(file)) {
		case ".md":
			ct = "text/markdown"
		case ".rst":
			ct = "text/x-rst"
		default:
			ct = "text/plain"
		}
	}
	md.DescriptionCT = ct
	return nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// Render writes the metadata in the core metadata format, version 2.1.
func (md *Metadata) Render() []byte {
	var b bytes.Buffer
	field := func(k, v string) {
		if v != "" {
			// Continuation lines keep multi-line values in one field.
			fmt.Fprintf(&b, "%s: %s\n", k, strings.ReplaceAll(v, "\n", "\n        "))
		}
	}
	field("Metadata-Version", "2.1")
	field("Name", md.Name)
	field("Version", md.Version)
	field("Summary", md.Summary)
	field("Keywords", strings.Join(md.Keywords, ","))
	field("Author", strings.Join(md.Authors, ", "))
	field("Author-email", strings.Join(md.AuthorEmails, ", "))
	field("Maintainer", strings.Join(md.Maintainers, ", "))
	field("Maintainer-email", strings.Join(md.MaintainerEmails, ", "))
	field("License", md.License)
	for _, u := range md.URLs {
		field("Project-URL", u[0]+", "+u[1])
	}
	for _, c := range md.Classifiers {
		field("Classifier", c)
	}
	field("Requires-Python", md.RequiresPython)
	for _, d := range md.RequiresDist {
		field("Requires-Dist", d)
	}
	for _, e := range md.Extras {
		field("Provides-Extra", e)
	}
	if md.Description != "" {
		field("Description-Content-Type", md.DescriptionCT)
		b.WriteString("\n")
		b.WriteString(md.Description)
		if !strings.HasSuffix(md.Description, "\n") {
			b.WriteString("\n")
		}
	}
	return b.Bytes()
}

// FileName is the distribution name as file names spell it: lower case,
// runs of - _ . as one _.
func (md *Metadata) FileName() string {
	return strings.ToLower(regexp.MustCompile(`[-_.]+`).ReplaceAllString(md.Name, "_"))
}

// DistInfo is the name of the wheel's .dist-info directory.
func (md *Metadata) DistInfo() string { return md.FileName() + "-" + md.Version + ".dist-info" }

// person is an author or maintainer in pyproject.toml.
type person struct {
	Name  string `toml:"name"`
	Email string `toml:"email"`
}

// people splits PEP 621 people into core metadata's two fields: names
// without an address (Author), and addresses with their names if any
// (Author-email), as PEP 621 maps them.
func people(ps []person) (names, emails []string) {
	for _, p := range ps {
		switch {
		case p.Email != "" && p.Name != "":
			emails = append(emails, fmt.Sprintf("%s <%s>", p.Name, p.Email))
		case p.Email != "":
			emails = append(emails, p.Email)
		case p.Name != "":
			names = append(names, p.Name)
		}
	}
	return names, emails
}

// withExtra is an optional dependency's Requires-Dist: its requirement with
// `extra == "name"` joined to any marker it has.
func withExtra(dep, extra string) string {
	req, marker, hasMarker := strings.Cut(dep, ";")
	req = strings.TrimSpace(req)
	cond := fmt.Sprintf("extra == %q", extra)
	if hasMarker && strings.TrimSpace(marker) != "" {
		return req + "; (" + strings.TrimSpace(marker) + ") and " + cond
	}
	return req + "; " + cond
}
