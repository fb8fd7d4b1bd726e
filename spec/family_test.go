package spec

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pyspec/pyspec/schema"
)

// sampleTypes are type expressions of every kind, as a module with a class
// C, a struct S and an enum E writes them, for the tests of the families.
var sampleTypes = []struct {
	expr  string
	where typeContext
}{
	{"bool", ctxArg}, {"int32", ctxArg}, {"uint8", ctxArg}, {"float16", ctxArg}, {"float64", ctxArg},
	{"complex128", ctxArg}, {"str", ctxArg}, {"bytes", ctxArg}, {"buffer", ctxArg}, {"ndarray[float32]", ctxReturn},
	{"list[int64]", ctxArg}, {"tuple[str, ...]", ctxArg}, {"iterable[S]", ctxArg}, {"tuple[int64, str]", ctxReturn},
	{"int64 | None", ctxArg}, {"C", ctxArg}, {"object", ctxArg}, {"dict[str, list[float64]]", ctxArg},
	{"set[E]", ctxArg}, {"S", ctxArg}, {"int64 | str", ctxArg}, {"callable[[int64], str]", ctxArg}, {"callable", ctxArg},
	{"E", ctxArg}, {"datetime", ctxArg}, {"timedelta", ctxArg}, {"iterator[str]", ctxReturn}, {"iterator[str, C]", ctxReturn},
}

func sampleScope() *typeScope {
	s := &Struct{Name: "S", GoName: "S"}
	s.Params = []*Param{{Name: "x", Type: scalarTypes["float64"]}}
	return &typeScope{
		classes: map[string]*Class{"C": {Name: "C", GoName: "C"}},
		structs: map[string]*Struct{"S": s},
		enums:   map[string]*Enum{"E": {Name: "E", GoName: "E", Members: []*EnumMember{{Name: "A", GoName: "EA"}}}},
	}
}

// TestEveryKindHasAFamily fails when a TypeKind lacks its family, or the
// samples above lack a type of some kind (so the tests below skip it).
func TestEveryKindHasAFamily(t *testing.T) {
	seen := map[TypeKind]bool{}
	for _, s := range sampleTypes {
		typ, err := parseTypeIn(s.expr, s.where, sampleScope())
		if err != nil {
			t.Fatalf("%s: %v", s.expr, err)
		}
		seen[typ.Kind] = true
	}
	for k := TypeKind(0); int(k) < KindCount; k++ {
		if families[k] == nil {
			t.Errorf("kind %d has no family in spec/families.go", k)
		}
		if !seen[k] {
			t.Errorf("kind %d has no sample type in sampleTypes", k)
		}
	}
	if len(families) != KindCount {
		t.Errorf("%d families for %d kinds", len(families), KindCount)
	}
}

// TestFamilyParts asks every part of every family of a sample type.
func TestFamilyParts(t *testing.T) {
	for _, s := range sampleTypes {
		typ, err := parseTypeIn(s.expr, s.where, sampleScope())
		if err != nil {
			t.Fatal(err)
		}
		if g := typ.GoTypeIn("pkg"); g == "" || strings.Contains(g, "?") {
			t.Errorf("%s: Go type %q", s.expr, g)
		}
		if id := typ.ID(); id == "" || strings.ContainsAny(id, " []|,.") {
			t.Errorf("%s: ID %q is no identifier", s.expr, id)
		}
		if sp := familyOf(typ).spellings(); sp != nil && len(sp) == 0 {
			t.Errorf("%s: an empty list of spellings (nil: the module names it)", s.expr)
		}
		if s.where == ctxArg {
			if _, err := optionalOf(typ, ctxArg); err != nil && typ.Kind != KindAny {
				t.Errorf("%s | None: %v", s.expr, err)
			}
		}
	}
}

// TestSpellingsAreInTheSchema: what the spec's messages list as types is
// what the schema shows editors, both from the families.
func TestSpellingsAreInTheSchema(t *testing.T) {
	var doc struct {
		Defs map[string]struct {
			Description string `json:"description"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(schema.JSON, &doc); err != nil {
		t.Fatal(err)
	}
	desc := doc.Defs["typeExpr"].Description
	if desc == "" {
		t.Fatal("the schema has no typeExpr description")
	}
	known := (&typeParser{scope: &typeScope{}}).known()
	for _, f := range families {
		for _, sp := range f.spellings() {
			plain := strings.Trim(sp, "`")
			if !strings.Contains(desc, plain) {
				t.Errorf("the schema's typeExpr description does not mention %s", plain)
			}
			if !strings.Contains(known, sp) {
				t.Errorf("unknown-type messages do not list %s", sp)
			}
		}
	}
}
