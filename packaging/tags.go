package packaging

import (
	"debug/elf"
	"fmt"
	"strconv"
	"strings"

	"github.com/pyspec/pyspec/build"
)

// manylinuxLibs are the shared libraries the manylinux policies let a wheel
// link against, because every glibc-based Linux has them.
var manylinuxLibs = map[string]bool{
	"libc.so.6": true, "libpthread.so.0": true, "libdl.so.2": true, "libm.so.6": true,
	"librt.so.1": true, "libutil.so.1": true, "libgcc_s.so.1": true, "libstdc++.so.6": true,
	"ld-linux-x86-64.so.2": true, "ld-linux-aarch64.so.1": true,
}

// Platform is what a wheel's platform tag says, and why.
type Platform struct {
	Tag string // manylinux_2_34_x86_64, linux_x86_64, macosx_11_0_arm64, ...
	// Why says how Tag was chosen, for the user: the glibc version read
	// from the files, or why it is not a manylinux tag.
	Why string
}

// elfMachines are the ELF machines of the architectures of Linux wheels.
var elfMachines = map[string]elf.Machine{
	"x86_64": elf.EM_X86_64, "aarch64": elf.EM_AARCH64, "i686": elf.EM_386,
	"ppc64le": elf.EM_PPC64, "s390x": elf.EM_S390, "armv7l": elf.EM_ARM, "riscv64": elf.EM_RISCV,
}

// legacyAliases are the names the manylinux policies had before PEP 600,
// which a wheel names beside the PEP 600 tag (as auditwheel does) for the
// installers that know only those.
var legacyAliases = map[int]string{5: "manylinux1", 12: "manylinux2010", 17: "manylinux2014"}

// PlatformTag reads the shared libraries of a build and returns the most
// widely installable platform tag they honestly allow. On Linux that is
// manylinux_2_N for the highest GLIBC_2.N symbol version any of them needs
// (as auditwheel reads it), unless one needs a library outside the
// manylinux policy: then it is linux_<arch>. minGlibc, when not 0, is the
// N of the glibc 2.N a cross build was linked for (its headers' and
// symbols'): the tag claims no older glibc than that, and a library that
// needs a newer one is an error. Every library must be an ELF file of the
// interpreter's architecture.
func PlatformTag(py *build.Python, minGlibc int, files ...string) (Platform, error) {
	plat := strings.NewReplacer("-", "_", ".", "_").Replace(py.Platform)
	if !strings.HasPrefix(py.Platform, "linux-") {
		return Platform{Tag: plat, Why: "the interpreter's platform"}, nil
	}
	arch := strings.TrimPrefix(py.Platform, "linux-")
	glibcMinor := -1
	for _, path := range files {
		f, err := elf.Open(path)
		if err != nil {
			return Platform{}, fmt.Errorf("reading %s: %v", path, err)
		}
		if want, ok := elfMachines[arch]; ok && f.Machine != want {
			f.Close()
			return Platform{}, fmt.Errorf("%s is built for %s, not %s (%s): it cannot go into a wheel for %s", path, machineName(f.Machine), arch, want, arch)
		}
		libs, err := f.ImportedLibraries()
		if err != nil {
			f.Close()
			return Platform{}, fmt.Errorf("reading %s: %v", path, err)
		}
		for _, l := range libs {
			if !manylinuxLibs[l] {
				f.Close()
				return Platform{Tag: "linux_" + arch, Why: fmt.Sprintf("%s needs %s, which the manylinux policies do not allow", path, l)}, nil
			}
		}
		needs, err := f.DynamicVersionNeeds()
		f.Close()
		if err != nil {
			return Platform{}, fmt.Errorf("reading %s: %v", path, err)
		}
		for _, n := range needs {
			for _, d := range n.Needs {
				if minor, ok := glibcMinorOf(d.Dep); ok && minor > glibcMinor {
					glibcMinor = minor
				}
			}
		}
	}
	if glibcMinor < 0 {
		return Platform{Tag: "linux_" + arch, Why: "no glibc symbol version found: not a glibc build"}, nil
	}
	why := fmt.Sprintf("the highest glibc symbol version needed is GLIBC_2.%d", glibcMinor)
	if minGlibc > 0 {
		if glibcMinor > minGlibc {
			return Platform{}, fmt.Errorf("built for glibc 2.%d, the libraries need GLIBC_2.%d: the toolchain did not link for the target", minGlibc, glibcMinor)
		}
		if glibcMinor < minGlibc {
			why += fmt.Sprintf(", and they were built against glibc 2.%d's headers", minGlibc)
			glibcMinor = minGlibc
		}
	}
	tag := fmt.Sprintf("manylinux_2_%d_%s", glibcMinor, arch)
	if alias, ok := legacyAliases[glibcMinor]; ok {
		tag += "." + alias + "_" + arch
	}
	return Platform{Tag: tag, Why: why}, nil
}

// machineName is an ELF machine as uname -m says it, when known.
func machineName(m elf.Machine) string {
	for arch, mm := range elfMachines {
		if mm == m {
			return arch
		}
	}
	return m.String()
}

// glibcMinorOf reads "GLIBC_2.34" as 34.
func glibcMinorOf(v string) (int, bool) {
	rest, ok := strings.CutPrefix(v, "GLIBC_2.")
	if !ok {
		return 0, false
	}
	if i := strings.IndexByte(rest, '.'); i >= 0 {
		rest = rest[:i]
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil
}
