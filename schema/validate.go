package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Problem is one way a document breaks the schema, said in the spec's
// terms: the validator's errors are shaped here, beside the schema whose
// structure they reflect (oneOf branches, described constants), so that
// spec only places each message.
type Problem struct {
	// Pointer is the JSON pointer of the offending value.
	Pointer string
	// AtKey: the message belongs on the key that names the value (a bad
	// name, a missing key), not on the value itself.
	AtKey bool
	// Message says what is wrong, naming the place (functions.sum.args).
	Message string
}

var (
	compiled     *jsonschema.Schema
	compiledErr  error
	compiledOnce sync.Once
)

// Compiled is the schema, compiled once.
func Compiled() (*jsonschema.Schema, error) {
	compiledOnce.Do(func() {
		c := jsonschema.NewCompiler()
		c.Draft = jsonschema.Draft2020
		if err := c.AddResource(URL, bytes.NewReader(JSON)); err != nil {
			compiledErr = err
			return
		}
		compiled, compiledErr = c.Compile(URL)
	})
	return compiled, compiledErr
}

// Validate checks doc (JSON values: maps, slices, strings, float64, bool,
// nil) and returns its problems, each at its root cause.
func Validate(doc any) ([]Problem, error) {
	sch, err := Compiled()
	if err != nil {
		return nil, fmt.Errorf("internal error: the embedded schema does not compile: %v", err)
	}
	err = sch.Validate(doc)
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		if err != nil {
			return []Problem{{Message: err.Error()}}, nil
		}
		return nil, nil
	}
	collection := func(at string) bool {
		switch valueAt(doc, at).(type) {
		case map[string]any, []any:
			return true
		}
		return false
	}
	var out []Problem
	for _, e := range leaves(ve, collection) {
		out = append(out, problems(doc, e)...)
	}
	return out, nil
}

// leaves flattens a validation error to its root causes. Of the branches
// of a failed oneOf, those that failed only because the value has another
// type are dropped: for a parameter written as a mapping, the "expected
// string" of the shorthand branch says nothing useful; nor does "not one of
// the allowed values" of a list written where a branch takes one of some
// constants (collection tells whether the value at an instance location is
// a list or a mapping).
func leaves(e *jsonschema.ValidationError, collection func(at string) bool) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	causes := e.Causes
	if values := constAlternatives(e); values != nil {
		// An enumeration written as oneOf of described constants.
		return []*jsonschema.ValidationError{{
			KeywordLocation: e.KeywordLocation + "/enum", InstanceLocation: e.InstanceLocation,
			Message: "value must be one of " + strings.Join(values, ", "),
		}}
	}
	if strings.HasSuffix(e.KeywordLocation, "/oneOf") || strings.HasSuffix(e.KeywordLocation, "/anyOf") {
		var kept []*jsonschema.ValidationError
		for _, c := range causes {
			if !onlyTypeMismatch(c, e.InstanceLocation, collection(e.InstanceLocation)) {
				kept = append(kept, c)
			}
		}
		if len(kept) == 0 {
			return []*jsonschema.ValidationError{{
				KeywordLocation: e.KeywordLocation, InstanceLocation: e.InstanceLocation,
				Message: "has the wrong type: " + typeAlternatives(causes),
			}}
		}
		causes = kept
	}
	var out []*jsonschema.ValidationError
	for _, c := range causes {
		out = append(out, leaves(c, collection)...)
	}
	return out
}

// constAlternatives returns the allowed values when every cause of a
// oneOf failed its const, or nil.
func constAlternatives(e *jsonschema.ValidationError) []string {
	if !strings.HasSuffix(e.KeywordLocation, "/oneOf") || len(e.Causes) == 0 {
		return nil
	}
	var values []string
	for _, c := range e.Causes {
		if !strings.HasSuffix(c.KeywordLocation, "/const") || len(c.Causes) > 0 {
			return nil
		}
		values = append(values, strings.TrimPrefix(c.Message, "value must be "))
	}
	return values
}

func onlyTypeMismatch(e *jsonschema.ValidationError, at string, collection bool) bool {
	if len(e.Causes) == 0 {
		if e.InstanceLocation != at {
			return false
		}
		kw := e.KeywordLocation[strings.LastIndex(e.KeywordLocation, "/")+1:]
		return kw == "type" || collection && (kw == "const" || kw == "enum")
	}
	for _, c := range e.Causes {
		if !onlyTypeMismatch(c, at, collection) {
			return false
		}
	}
	return true
}

var expectedRE = regexp.MustCompile(`expected (.*), but got (\w+)`)

func typeAlternatives(causes []*jsonschema.ValidationError) string {
	var want []string
	got := ""
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if m := expectedRE.FindStringSubmatch(e.Message); m != nil {
			want = append(want, m[1])
			got = m[2]
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	for _, c := range causes {
		walk(c)
	}
	return fmt.Sprintf("expected %s, not %s", strings.Join(want, " or "), got)
}

var quotedRE = regexp.MustCompile(`'([^']*)'`)

// problems says one root cause in the spec's terms (several for unknown
// keys: one each).
func problems(doc any, e *jsonschema.ValidationError) []Problem {
	at := e.InstanceLocation
	where := Describe(at)
	kw := e.KeywordLocation[strings.LastIndex(e.KeywordLocation, "/")+1:]
	value := fmt.Sprint(valueAt(doc, at))
	switch {
	case strings.Contains(e.KeywordLocation, "/propertyNames"):
		return []Problem{{Pointer: at, AtKey: true, Message: fmt.Sprintf("%q is not a valid name: use letters, digits and _, not starting with a digit", unescapeToken(at[strings.LastIndex(at, "/")+1:]))}}
	case kw == "additionalProperties":
		var out []Problem
		for _, m := range quotedRE.FindAllStringSubmatch(e.Message, -1) {
			out = append(out, Problem{Pointer: at + "/" + escapeToken(m[1]), AtKey: true,
				Message: fmt.Sprintf("unknown key %q in %s%s", m[1], where, DidYouMean(m[1], keysAt(e.AbsoluteKeywordLocation)))})
		}
		return out
	case kw == "required":
		return []Problem{{Pointer: at, AtKey: true, Message: fmt.Sprintf("%s is missing %s", where, strings.ReplaceAll(strings.TrimPrefix(e.Message, "missing properties: "), "'", "`"))}}
	case kw == "pattern" && strings.Contains(e.KeywordLocation, "goIdentifier"):
		return []Problem{{Pointer: at, Message: fmt.Sprintf("%s: %q is not an exported Go identifier", where, value)}}
	case kw == "pattern":
		return []Problem{{Pointer: at, Message: fmt.Sprintf("%s: %q is not a valid name: use letters, digits and _, not starting with a digit", where, value)}}
	case kw == "enum":
		return []Problem{{Pointer: at, Message: fmt.Sprintf("%s: %q is not one of the allowed values: %s", where, value, strings.TrimPrefix(e.Message, "value must be one of "))}}
	}
	return []Problem{{Pointer: at, Message: fmt.Sprintf("%s: %s", where, e.Message)}}
}

// valueAt is the value of doc at a JSON pointer, or nil.
func valueAt(doc any, pointer string) any {
	if pointer == "" {
		return doc
	}
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		switch n := doc.(type) {
		case map[string]any:
			doc = n[unescapeToken(tok)]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n) {
				return nil
			}
			doc = n[i]
		default:
			return nil
		}
	}
	return doc
}

// Tokens splits a JSON pointer into its unescaped reference tokens.
func Tokens(pointer string) []string {
	if pointer == "" {
		return nil
	}
	toks := strings.Split(strings.TrimPrefix(pointer, "/"), "/")
	for i, t := range toks {
		toks[i] = unescapeToken(t)
	}
	return toks
}

// Pointer joins a JSON pointer and one more key.
func Pointer(parent, key string) string { return parent + "/" + escapeToken(key) }

func unescapeToken(t string) string {
	return strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
}

func escapeToken(t string) string {
	return strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
}

// Describe spells a JSON pointer as a dotted path for messages:
// /functions/sum/args -> functions.sum.args; the root is "the spec".
func Describe(p string) string {
	if p == "" {
		return "the spec"
	}
	return strings.Join(Tokens(p), ".")
}

var (
	docOnce sync.Once
	doc     any
)

// keysAt lists the keys the schema object at an additionalProperties
// keyword location allows (its "properties"), for suggestions.
func keysAt(absLoc string) []string {
	i := strings.Index(absLoc, "#")
	if i < 0 {
		return nil
	}
	docOnce.Do(func() { json.Unmarshal(JSON, &doc) })
	var node any = doc
	parts := strings.Split(strings.TrimPrefix(absLoc[i+1:], "/"), "/")
	for _, p := range parts[:len(parts)-1] { // up to the object holding the keyword
		switch n := node.(type) {
		case map[string]any:
			node = n[unescapeToken(p)]
		case []any:
			k, err := strconv.Atoi(p)
			if err != nil || k < 0 || k >= len(n) {
				return nil
			}
			node = n[k]
		default:
			return nil
		}
	}
	obj, _ := node.(map[string]any)
	props, _ := obj["properties"].(map[string]any)
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// DidYouMean suggests the known name closest to a misspelt one (at most a
// third of its letters off), as " (did you mean \"returns\"?)", or "".
func DidYouMean(got string, known []string) string {
	best, bestD := "", max(1, len(got)/3)+1
	for _, k := range known {
		if d := editDistance(got, k); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" || best == got {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance of a and b, in bytes (keys are
// ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
