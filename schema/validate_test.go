package schema

import (
	"strings"
	"testing"
)

func TestValidateShapesProblems(t *testing.T) {
	doc := map[string]any{
		"module": "m",
		"functions": map[string]any{
			"f": map[string]any{"retuns": "int64"},
			"g": map[string]any{"args": map[string]any{"b": map[string]any{"type": "buffer", "flags": "C_CONTIGUOS"}}},
		},
	}
	problems, err := Validate(doc)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.Pointer+" key="+map[bool]string{true: "y", false: "n"}[p.AtKey]+" "+p.Message)
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		`/functions/f/retuns key=y unknown key "retuns" in functions.f (did you mean "returns"?)`,
		`/functions/g/args/b/flags key=n functions.g.args.b.flags: "C_CONTIGUOS" is not one of the allowed values`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in\n%s", want, all)
		}
	}
	if ok, _ := Validate(map[string]any{"module": "m"}); len(ok) != 0 {
		t.Errorf("a valid spec: %v", ok)
	}
}

func TestPointers(t *testing.T) {
	p := Pointer(Pointer("", "a/b"), "c~d")
	if p != "/a~1b/c~0d" || strings.Join(Tokens(p), "|") != "a/b|c~d" || Describe(p) != "a/b.c~d" || Describe("") != "the spec" {
		t.Errorf("pointer %q tokens %q", p, Tokens(p))
	}
}
