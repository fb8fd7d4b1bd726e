package codegen

import (
	"bytes"
	"embed"
	"fmt"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"

	"github.com/pyspec/pyspec"
	"github.com/pyspec/pyspec/schema"
	"github.com/pyspec/pyspec/spec"
)

//go:embed scaffold/*.tmpl
var scaffoldFS embed.FS

var scaffoldTemplates = template.Must(template.New("").ParseFS(scaffoldFS, "scaffold/*.tmpl"))

// InitProject writes a new, self-contained pyspec project named name into
// dir, which must not exist or be empty: a spec, its Go implementation, a
// first test, a README, the spec's JSON Schema for editors, and a copy of
// pyspec's Go package py that go.mod points to, so nothing is downloaded.
func InitProject(name, dir string) error {
	switch {
	case !isIdentifier(name):
		return fmt.Errorf("%q cannot name a module: use letters, digits and _, not starting with a digit", name)
	case spec.IsPythonKeyword(name), token.IsKeyword(name), name == "main":
		return fmt.Errorf("%q is reserved in Python or Go and cannot name a module", name)
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty: pyspec init writes a new project into an empty directory", dir)
	}
	files := Files{}
	data := struct{ Name string }{name}
	for tmpl, out := range map[string]string{
		"module.yaml.tmpl": "module.yaml",
		"impl.go.tmpl":     name + ".go",
		"test.py.tmpl":     "test_" + name + ".py",
		"README.md.tmpl":   "README.md",
		"gitignore.tmpl":   ".gitignore",
	} {
		var b bytes.Buffer
		if err := scaffoldTemplates.ExecuteTemplate(&b, tmpl, data); err != nil {
			return err
		}
		files[out] = b.Bytes()
	}
	files["pyspec.schema.json"] = schema.JSON
	files["go.mod"] = []byte(fmt.Sprintf("module %s\n\ngo 1.24\n\nrequire %s v0.0.0\n\n// pyspec's Go package py, copied here by pyspec init.\nreplace %s => ./.pyspec/pyspec\n",
		name, pyspec.ModulePath, pyspec.ModulePath))
	files[".pyspec/pyspec/go.mod"] = []byte(fmt.Sprintf("module %s\n\ngo 1.24\n", pyspec.ModulePath))
	err := fs.WalkDir(pyspec.PySources, "py", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := pyspec.PySources.ReadFile(path)
		files[".pyspec/pyspec/"+path] = src
		return err
	})
	if err != nil {
		return err
	}
	return WriteFiles(filepath.Clean(dir), files)
}

func isIdentifier(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, c := range s {
		if c != '_' && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
