package schema

import (
	"encoding/json"
	"fmt"
	"testing"
)

// TestEveryKeyIsDescribed walks the schema: every property and every
// enumerated value must carry a description, which editors show while
// completing, and every object must say which keys it allows.
func TestEveryKeyIsDescribed(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(JSON, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(path string, s map[string]any)
	sub := func(path string, v any) {
		if m, ok := v.(map[string]any); ok {
			walk(path, m)
		}
	}
	walk = func(path string, s map[string]any) {
		if _, ok := s["enum"]; ok {
			t.Errorf("%s: an enum without per-value descriptions (use oneOf of const with description)", path)
		}
		if c, ok := s["const"]; ok {
			if _, ok := s["description"]; !ok {
				t.Errorf("%s: value %v has no description", path, c)
			}
		}
		if s["type"] == "object" && s["additionalProperties"] == nil {
			t.Errorf("%s: an object without additionalProperties: a typo would pass silently", path)
		}
		props, _ := s["properties"].(map[string]any)
		for name, p := range props {
			pm, _ := p.(map[string]any)
			_, hasDesc := pm["description"]
			_, isRef := pm["$ref"]
			if !hasDesc && !isRef {
				t.Errorf("%s/properties/%s has no description", path, name)
			}
			walk(path+"/properties/"+name, pm)
		}
		for _, k := range []string{"additionalProperties", "items", "propertyNames"} {
			sub(path+"/"+k, s[k])
		}
		for _, k := range []string{"oneOf", "anyOf", "allOf"} {
			list, _ := s[k].([]any)
			for i, v := range list {
				sub(fmt.Sprintf("%s/%s/%d", path, k, i), v)
			}
		}
		defs, _ := s["$defs"].(map[string]any)
		for name, d := range defs {
			sub(path+"/$defs/"+name, d)
		}
	}
	walk("#", doc)
}
