package main

import (
	"bytes"
	"encoding/json"
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
