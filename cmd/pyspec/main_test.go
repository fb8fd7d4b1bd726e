package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func runCLI(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestValidateText(t *testing.T) {
	code, _, errOut := runCLI("validate", "../../examples/buffers/module.yaml")
	if code != 0 || errOut != "" {
		t.Fatalf("valid spec: exit %d, %s", code, errOut)
	}
	code, _, errOut = runCLI("validate", "../../spec/testdata/bad.yaml")
	if code != 1 || !strings.Contains(errOut, "../../spec/testdata/bad.yaml:2:1: unknown key \"colour\" in the spec\n") {
		t.Fatalf("bad spec: exit %d, %s", code, errOut)
	}
}

func TestValidateJSON(t *testing.T) {
	code, out, _ := runCLI("validate", "../../spec/testdata/bad.yaml", "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Valid    bool
		Problems []struct {
			File, Pointer, Message, Severity string
			Line, Column                     int
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if doc.Valid || len(doc.Problems) == 0 {
		t.Fatalf("doc = %+v", doc)
	}
	p := doc.Problems[1]
	if p.Line != 2 || p.Column != 1 || p.Pointer != "/colour" || p.Severity != "error" {
		t.Fatalf("problem = %+v", p)
	}
	code, out, _ = runCLI("validate", "--format=json", "--no-bind", "../../examples/vectors/module.yaml")
	if code != 0 || !strings.Contains(out, `"valid": true`) || !strings.Contains(out, `"problems": []`) {
		t.Fatalf("valid spec as JSON: exit %d\n%s", code, out)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"frobnicate"}, {"compile", "x.yaml"}, {"validate"}, {"validate", "a", "--format", "xml"}} {
		if code, _, _ := runCLI(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, out, _ := runCLI("schema"); code != 0 || !strings.Contains(out, `"$schema"`) {
		t.Errorf("schema: exit %d", code)
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range commands {
		code, out, errOut := runCLI(c.name, "--help")
		if code != 0 || !strings.Contains(out, "usage: pyspec "+c.name) || errOut != "" {
			t.Errorf("pyspec %s --help: exit %d\n%s%s", c.name, code, out, errOut)
		}
		if strings.Count(out, "(default") > strings.Count(out, "-") {
			t.Errorf("pyspec %s --help repeats defaults:\n%s", c.name, out)
		}
	}
	if code, out, _ := runCLI("help", "wheel"); code != 0 || !strings.Contains(out, "manylinux") {
		t.Errorf("pyspec help wheel: exit %d\n%s", code, out)
	}
	// One default per flag: --python names its default once.
	_, out, _ := runCLI("compile", "--help")
	if strings.Count(out, "PYSPEC_PYTHON") != 1 {
		t.Errorf("compile --help describes --python's default %d times:\n%s", strings.Count(out, "PYSPEC_PYTHON"), out)
	}
}

func TestShippingBadInput(t *testing.T) {
	dist := t.TempDir() + "/dist"
	code, _, errOut := runCLI("wheel", "../../spec/testdata/bad.yaml", "-o", dist)
	if code != 1 || !strings.Contains(errOut, "bad.yaml:2:1: unknown key") {
		t.Fatalf("wheel of a bad spec: exit %d\n%s", code, errOut)
	}
	if entries, _ := os.ReadDir(dist); len(entries) != 0 {
		t.Fatalf("a failed wheel left %v", entries)
	}
	code, _, errOut = runCLI("sdist", "../../examples/vectors/module.yaml", "-o", "/dev/null/dist")
	if code != 1 || !strings.Contains(errOut, "cannot write to /dev/null/dist") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("sdist into an unwritable directory: exit %d\n%s", code, errOut)
	}
	code, _, errOut = runCLI("wheel", "../../examples/vectors/module.yaml", "-o", dist, "--version", "one")
	if code != 1 || !strings.Contains(errOut, `version "one" is not a PEP 440 version`) {
		t.Fatalf("a bad version: exit %d\n%s", code, errOut)
	}
	code, _, errOut = runCLI("wheel", "../../examples/vectors/module.yaml", "-o", dist)
	if code != 1 || !strings.Contains(errOut, "needs a version") {
		t.Fatalf("no version: exit %d\n%s", code, errOut)
	}
	code, _, errOut = runCLI("wheel", "../../examples/vectors/module.yaml", "-o", dist, "--version", "1.0", "--python", "/nonexistent/python3")
	if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "/nonexistent/python3") {
		t.Fatalf("a missing interpreter: exit %d\n%s", code, errOut)
	}
}
