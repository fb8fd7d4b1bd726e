package packaging

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pyspec/pyspec/build"
	"github.com/pyspec/pyspec/spec"
)

// entry is one file of an archive.
type entry struct {
	name string // slash-separated, relative to the archive root
	data []byte
	exec bool
}

// Timestamp is the modification time of every archive entry:
// $SOURCE_DATE_EPOCH when set (reproducible-builds.org), else a fixed date,
// so the same inputs give the same bytes.
func Timestamp() (time.Time, error) {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds", s)
		}
		t := time.Unix(n, 0).UTC()
		if t.Year() < 1980 {
			t = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC) // the earliest a zip can say
		}
		return t, nil
	}
	return time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), nil
}

// WheelInput is what goes into a wheel.
type WheelInput struct {
	Module *spec.Module
	Meta   *Metadata
	Python *build.Python
	Build  *build.Result // the extension, its Go part and stubs
	// Limited marks an abi3 build (tag cp311-abi3-...).
	Limited bool
	// Glibc is N of the glibc 2.N a cross build linked for (0: a build
	// for this machine): the oldest the platform tag may claim.
	Glibc int
}

// Tags returns the wheel's python, abi and platform tags.
func (in *WheelInput) tags(plat Platform) (string, string, string) {
	if in.Limited {
		return "cp" + strings.ReplaceAll(build.LimitedVersion, ".", ""), "abi3", plat.Tag
	}
	return in.Python.Tag, in.Python.Tag, plat.Tag
}

// Wheel writes the PEP 427 wheel of a build into dist and returns its path
// and the platform tag it chose. Nothing is left in dist on failure.
func Wheel(in *WheelInput, dist string) (string, Platform, error) {
	plat, err := PlatformTag(in.Python, in.Glibc, in.Build.Extension, in.Build.GoPart)
	if err != nil {
		return "", Platform{}, err
	}
	outDir := filepath.Dir(in.Build.Extension)
	var files []entry
	for _, p := range append([]string{in.Build.Extension, in.Build.GoPart}, in.Build.Stubs...) {
		data, err := os.ReadFile(p)
		if err != nil {
			return "", Platform{}, err
		}
		rel, err := filepath.Rel(outDir, p)
		if err != nil {
			return "", Platform{}, err
		}
		name := filepath.ToSlash(rel)
		if !strings.HasSuffix(p, ".so") {
			name = stubName(in.Module.Name, name)
			if name == "" {
				continue
			}
		}
		files = append(files, entry{name: name, data: data, exec: strings.HasSuffix(p, ".so")})
	}
	py, abi, platTag := in.tags(plat)
	tag := py + "-" + abi + "-" + platTag
	name := fmt.Sprintf("%s-%s-%s.whl", in.Meta.FileName(), in.Meta.Version, tag)
	path, err := writeWheel(dist, name, files, in.Meta, tag)
	return path, plat, err
}

// WheelBuild is one wheel of a command that may write several: the
// interpreter (or target Python configuration) and the build's options.
type WheelBuild struct {
	Python  *build.Python
	Options build.Options
	// Glibc is N of the glibc 2.N a cross build links for; 0 for this
	// machine's build.
	Glibc int
}

// BuildWheels builds module m once per entry of builds, in its own
// directory of work, then writes a wheel of each into dist and returns
// their paths and platform tags. Every build runs before any wheel is
// written, and a wheel that cannot be written removes the ones written
// before it: a failure leaves nothing in dist.
func BuildWheels(m *spec.Module, md *Metadata, work string, builds []WheelBuild, dist string) ([]string, []Platform, error) {
	var inputs []*WheelInput
	for _, b := range builds {
		dir := b.Python.Tag + "-" + fmt.Sprint(b.Options.Limited)
		if b.Options.Cross != nil {
			dir += "-" + b.Options.Cross.Name
		}
		res, err := build.Build(m, b.Python, work, filepath.Join(work, "_wheel", dir), b.Options)
		if err != nil {
			return nil, nil, err
		}
		inputs = append(inputs, &WheelInput{Module: m, Meta: md, Python: b.Python, Build: res, Limited: b.Options.Limited, Glibc: b.Glibc})
	}
	var paths []string
	var plats []Platform
	for _, in := range inputs {
		path, plat, err := Wheel(in, dist)
		if err != nil {
			for _, p := range paths {
				os.Remove(p)
			}
			return nil, nil, err
		}
		paths, plats = append(paths, path), append(plats, plat)
	}
	return paths, plats, nil
}

// stubName places a stub file of the build in the wheel: in the stub-only
// package <module>-stubs (PEP 561), which type checkers read from
// site-packages, where a lone <module>.pyi is not looked at and a module
// cannot carry py.typed. "" leaves the file out.
func stubName(module, name string) string {
	switch {
	case name == module+".pyi":
		return module + "-stubs/__init__.pyi"
	case strings.HasPrefix(name, module+"/") && strings.HasSuffix(name, ".pyi"):
		return module + "-stubs/" + strings.TrimPrefix(name, module+"/")
	}
	return "" // py.typed: a stub-only package needs none
}

// writeWheel writes files and the .dist-info of md (METADATA, WHEEL,
// RECORD last) into dist/name, atomically.
func writeWheel(dist, name string, files []entry, md *Metadata, tag string) (string, error) {
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	di := md.DistInfo()
	wheelFile := "Wheel-Version: 1.0\nGenerator: pyspec\nRoot-Is-Purelib: false\n"
	for _, t := range expandTags(tag) {
		wheelFile += "Tag: " + t + "\n"
	}
	files = append(files,
		entry{name: di + "/METADATA", data: md.Render()},
		entry{name: di + "/WHEEL", data: []byte(wheelFile)},
	)
	var record bytes.Buffer
	for _, f := range files {
		sum := sha256.Sum256(f.data)
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", csvField(f.name), base64.RawURLEncoding.EncodeToString(sum[:]), len(f.data))
	}
	fmt.Fprintf(&record, "%s,,\n", csvField(di+"/RECORD"))
	files = append(files, entry{name: di + "/RECORD", data: record.Bytes()})
	return writeZip(dist, name, files)
}

// expandTags lists the tags of a compressed tag set (PEP 425):
// cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64 is two tags.
func expandTags(tag string) []string {
	parts := strings.SplitN(tag, "-", 3)
	if len(parts) != 3 {
		return []string{tag}
	}
	var tags []string
	for _, py := range strings.Split(parts[0], ".") {
		for _, abi := range strings.Split(parts[1], ".") {
			for _, plat := range strings.Split(parts[2], ".") {
				tags = append(tags, py+"-"+abi+"-"+plat)
			}
		}
	}
	return tags
}

// csvField quotes a RECORD path when CSV needs it.
func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// writeZip writes files, in order, into dist/name through a temporary file
// renamed into place: a failure leaves nothing behind.
func writeZip(dist, name string, files []entry) (string, error) {
	t, err := Timestamp()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dist, 0o755); err != nil {
		return "", fmt.Errorf("cannot create the output directory: %v", err)
	}
	tmp, err := os.CreateTemp(dist, "."+name+".*")
	if err != nil {
		return "", fmt.Errorf("cannot write into %s: %v", dist, err)
	}
	defer os.Remove(tmp.Name())
	zw := zip.NewWriter(tmp)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: t}
		mode := os.FileMode(0o644)
		if f.exec {
			mode = 0o755
		}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			tmp.Close()
			return "", err
		}
		if _, err := w.Write(f.data); err != nil {
			tmp.Close()
			return "", err
		}
	}
	if err := zw.Close(); err != nil {
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
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", err
	}
	return path, nil
}
