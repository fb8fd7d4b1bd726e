package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/pyspec/pyspec/schema"
	"github.com/santhosh-tekuri/jsonschema/v5"
	"gopkg.in/yaml.v3"
)

// Load reads, validates and resolves the spec at path, binding it to its Go
// package. The error is Diagnostics when the spec has problems (all of them,
// each positioned), or an I/O error.
func Load(path string) (*Module, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse is Load on spec text already read; path names it in diagnostics and
// anchors relative paths.
func Parse(path string, data []byte) (*Module, error) {
	return parse(path, data, false)
}

// ParseUnbound is Parse without looking for the Go package: the model as
// the spec alone describes it, with Go names by convention. For tests and
// tools that render glue without the author's code.
func ParseUnbound(path string, data []byte) (*Module, error) {
	return parse(path, data, true)
}

// CheckSpec reports the problems of the spec text alone, without looking
// for its Go package: what an editor or a linter of specs wants.
func CheckSpec(path string, data []byte) Diagnostics {
	_, err := parse(path, data, true)
	ds, _ := err.(Diagnostics)
	return ds
}

func parse(path string, data []byte, noBind bool) (*Module, error) {
	l := &loader{file: path, noBind: noBind}
	root := l.parseYAML(data)
	if root == nil {
		return nil, l.diags.sorted()
	}
	l.checkSchema(root)
	if len(l.diags) > 0 {
		l.semanticDespiteSchema(root)
		return nil, l.diags.sorted()
	}
	m := l.build(root)
	if len(l.diags) == 0 && !l.noBind {
		l.bind(m)
	}
	if len(l.diags) > 0 {
		return nil, l.diags.sorted()
	}
	return m, nil
}

// semanticDespiteSchema adds the semantic problems of a tree that failed
// the schema, so that one run reports both kinds. The model builder expects
// a schema-valid tree: where it trips over an invalid part, the schema has
// already said what is wrong there, so a panic only ends this extra pass.
// Problems on lines the schema already reported are left out as echoes.
func (l *loader) semanticDespiteSchema(root *yaml.Node) {
	schemaLines := map[int]bool{}
	for _, d := range l.diags {
		schemaLines[d.Line] = true
	}
	extra := &loader{file: l.file, pointers: l.pointers}
	func() {
		defer func() { _ = recover() }()
		extra.build(root)
	}()
	for _, d := range extra.diags {
		if !schemaLines[d.Line] {
			l.diags = append(l.diags, d)
		}
	}
}

type loader struct {
	file     string
	diags    Diagnostics
	classes  map[string]*Class
	structs  map[string]*Struct
	enums    map[string]*Enum
	pointers map[[2]int]string // JSON pointer of the node at each line and column
	noBind   bool
}

// scope is what type expressions may name besides the built-in types.
func (l *loader) scope() *typeScope {
	return &typeScope{classes: l.classes, structs: l.structs, enums: l.enums}
}

// errorAt reports a problem at a position recorded in the model.
func (l *loader) errorAt(at Pos, format string, args ...any) {
	l.diags = append(l.diags, Diagnostic{File: l.file, Line: at.Line, Col: at.Col, Message: fmt.Sprintf(format, args...), Severity: "error",
		Pointer: l.pointers[[2]int{at.Line, at.Col}]})
}

func (l *loader) errorf(n *yaml.Node, format string, args ...any) {
	d := Diagnostic{File: l.file, Line: 1, Col: 1, Message: fmt.Sprintf(format, args...), Severity: "error"}
	if n != nil {
		d.Line, d.Col = n.Line, n.Column
		d.Pointer = l.pointers[[2]int{n.Line, n.Column}]
	}
	l.diags = append(l.diags, d)
}

// indexPointers records the JSON pointer of every node by its position, so
// that each diagnostic can name its place both ways.
func (l *loader) indexPointers(n *yaml.Node, pointer string) {
	if l.pointers == nil {
		l.pointers = map[[2]int]string{}
	}
	if _, seen := l.pointers[[2]int{n.Line, n.Column}]; !seen {
		l.pointers[[2]int{n.Line, n.Column}] = pointer
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := pointer + "/" + escapePointer(n.Content[i].Value)
			l.pointers[[2]int{n.Content[i].Line, n.Content[i].Column}] = p
			l.indexPointers(n.Content[i+1], p)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			l.indexPointers(c, fmt.Sprintf("%s/%d", pointer, i))
		}
	}
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlParserErrorRE matches the messages of yaml.v3's parser (rather than
// its scanner); their line is where the unfinished collection began.
var yamlParserErrorRE = regexp.MustCompile(`^did not find expected (<document start>|node content|key|'-' indicator|',' or '\]'|',' or '\}')$`)

// parseYAML returns the document's top-level mapping, or nil after
// recording why there is none.
func (l *loader) parseYAML(data []byte) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		for _, msg := range strings.Split(strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n"), "\n") {
			msg = strings.TrimSpace(msg)
			line := 1
			if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
				line, _ = strconv.Atoi(m[1])
				msg = m[2]
				if yamlParserErrorRE.MatchString(msg) {
					// yaml.v3 numbers the lines of parser errors from 0
					// (scanner errors from 1).
					line++
				}
			} else {
				msg = strings.TrimPrefix(msg, "yaml: ")
			}
			if strings.Contains(msg, "did not find expected ',' or '}'") {
				msg += " (inside {...}, quote a type that has brackets or commas: xs: \"list[int64]\", or use block style)"
			}
			// yaml.v3 gives no column for syntax errors: point at the
			// bracket that opened an unclosed flow collection, else at
			// the line's first non-blank character.
			if last := lastContentLine(data); line > last && last > 0 {
				// The input ended inside a collection: point at its last line.
				line = last
				msg += " before the end of the file"
			}
			col := firstColumn(data, line)
			switch {
			case strings.Contains(msg, "',' or ']'"):
				col = openingColumn(data, line, '[', col)
			case strings.Contains(msg, "',' or '}'"):
				col = openingColumn(data, line, '{', col)
			case strings.Contains(msg, "node content"):
				col = openingColumn(data, line, '[', openingColumn(data, line, '{', col))
			}
			l.diags = append(l.diags, Diagnostic{File: l.file, Line: line, Col: col, Message: "YAML: " + msg, Severity: "error"})
		}
		return nil
	}
	if len(doc.Content) == 0 {
		l.diags = append(l.diags, Diagnostic{File: l.file, Line: 1, Col: 1, Message: "the spec is empty; it needs at least `module: <name>`", Severity: "error"})
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		l.errorf(root, "the spec must be a mapping with `module:`, `functions:` and `classes:`")
		return nil
	}
	l.indexPointers(root, "")
	root = l.expandAliases(root)
	if root == nil {
		return nil
	}
	l.checkKeys(root)
	if len(l.diags) > 0 {
		return nil
	}
	return root
}

// maxExpandedNodes bounds what aliases may expand to: an alias of an
// alias of ... (a "billion laughs") would otherwise take all memory.
const maxExpandedNodes = 100_000

// expandAliases replaces every alias (*name) with a copy of its anchor's
// value placed where the alias is, so that a problem inside it is reported
// at the use, and applies merge keys (<<: *name), whose entries give way to
// the mapping's own. The rest of the loader sees a plain tree.
func (l *loader) expandAliases(root *yaml.Node) *yaml.Node {
	count := 0
	var copyAt func(n *yaml.Node, at *yaml.Node) *yaml.Node
	var expand func(n *yaml.Node) *yaml.Node
	tooBig := false
	copyAt = func(n, at *yaml.Node) *yaml.Node {
		if count++; count > maxExpandedNodes {
			tooBig = true
			return n
		}
		if n.Kind == yaml.AliasNode {
			return copyAt(n.Alias, at)
		}
		c := *n
		c.Line, c.Column = at.Line, at.Column
		c.Anchor = ""
		c.Content = nil
		for _, k := range n.Content {
			c.Content = append(c.Content, copyAt(k, at))
		}
		return expand(&c)
	}
	expand = func(n *yaml.Node) *yaml.Node {
		if tooBig {
			return n
		}
		if n.Kind == yaml.AliasNode {
			if n.Alias == nil {
				return n
			}
			return copyAt(n.Alias, n)
		}
		for i, k := range n.Content {
			n.Content[i] = expand(k)
		}
		if n.Kind == yaml.MappingNode {
			n.Content = mergeKeys(n.Content)
		}
		return n
	}
	out := expand(root)
	if tooBig {
		l.errorf(root, "aliases expand to more than %d values; write the spec out", maxExpandedNodes)
		return nil
	}
	return out
}

// mergeKeys applies the YAML merge keys (<<) of a mapping's key/value
// list: the merged mappings' entries, after the mapping's own, unless the
// mapping has that key already.
func mergeKeys(content []*yaml.Node) []*yaml.Node {
	var own, merged []*yaml.Node
	for i := 0; i+1 < len(content); i += 2 {
		k, v := content[i], content[i+1]
		if k.Kind != yaml.ScalarNode || k.Value != "<<" || k.Tag != "!!merge" {
			own = append(own, k, v)
			continue
		}
		sources := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			sources = v.Content
		}
		for _, src := range sources {
			if src.Kind == yaml.MappingNode {
				merged = append(merged, src.Content...)
			}
		}
	}
	have := map[string]bool{}
	for i := 0; i+1 < len(own); i += 2 {
		have[own[i].Value] = true
	}
	for i := 0; i+1 < len(merged); i += 2 {
		if !have[merged[i].Value] {
			have[merged[i].Value] = true
			own = append(own, merged[i], merged[i+1])
		}
	}
	return own
}

// openingColumn is the column of the innermost bracket of kind ('[' or
// '{') left open on line (quoted text and comments skipped), or def.
func openingColumn(data []byte, line int, kind rune, def int) int {
	lines := bytes.Split(data, []byte("\n"))
	if line < 1 || line > len(lines) {
		return def
	}
	closer := map[rune]rune{'[': ']', '{': '}'}
	type opener struct {
		r   rune
		col int
	}
	var open []opener
	var quote rune
	prev := ' '
scan:
	for col, r := range []rune(string(lines[line-1])) {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '#' && unicode.IsSpace(prev):
			break scan
		case r == '[' || r == '{':
			open = append(open, opener{r, col + 1})
		case len(open) > 0 && r == closer[open[len(open)-1].r]:
			open = open[:len(open)-1]
		}
		prev = r
	}
	for i := len(open) - 1; i >= 0; i-- {
		if open[i].r == kind {
			return open[i].col
		}
	}
	return def
}

// lastContentLine is the number of the last line holding more than blanks.
func lastContentLine(data []byte) int {
	lines := bytes.Split(data, []byte("\n"))
	for i := len(lines) - 1; i >= 0; i-- {
		if len(bytes.TrimSpace(lines[i])) > 0 {
			return i + 1
		}
	}
	return 0
}

func firstColumn(data []byte, line int) int {
	lines := bytes.Split(data, []byte("\n"))
	if line < 1 || line > len(lines) {
		return 1
	}
	s := lines[line-1]
	return len(s) - len(bytes.TrimLeft(s, " \t")) + 1
}

// checkKeys reports duplicate and non-string keys, which YAML allows and a
// spec does not.
func (l *loader) checkKeys(n *yaml.Node) {
	if n.Kind == yaml.MappingNode {
		seen := map[string]*yaml.Node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
				l.errorf(k, "keys must be plain names")
				continue
			}
			if prev, dup := seen[k.Value]; dup {
				l.errorf(k, "duplicate key %q (first at line %d)", k.Value, prev.Line)
			}
			seen[k.Value] = k
		}
	}
	for _, c := range n.Content {
		l.checkKeys(c)
	}
}

// toJSON converts a node to the value a JSON Schema validator takes.
func toJSON(n *yaml.Node) any {
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = toJSON(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			s[i] = toJSON(c)
		}
		return s
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil
		case "!!bool", "!!int", "!!float":
			var v any
			if err := n.Decode(&v); err == nil {
				switch x := v.(type) {
				case int:
					return float64(x)
				case int64:
					return float64(x)
				case uint64:
					return float64(x)
				}
				return v
			}
		}
		return n.Value
	}
	return nil
}

var (
	compiledSchema     *jsonschema.Schema
	compiledSchemaErr  error
	compiledSchemaOnce sync.Once
)

// Schema is the compiled JSON Schema of the spec.
func Schema() (*jsonschema.Schema, error) {
	compiledSchemaOnce.Do(func() {
		c := jsonschema.NewCompiler()
		c.Draft = jsonschema.Draft2020
		if err := c.AddResource(schema.URL, bytes.NewReader(schema.JSON)); err != nil {
			compiledSchemaErr = err
			return
		}
		compiledSchema, compiledSchemaErr = c.Compile(schema.URL)
	})
	return compiledSchema, compiledSchemaErr
}

func (l *loader) checkSchema(root *yaml.Node) {
	sch, err := Schema()
	if err != nil {
		l.errorf(nil, "internal error: the embedded schema does not compile: %v", err)
		return
	}
	err = sch.Validate(toJSON(root))
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		if err != nil {
			l.errorf(root, "%v", err)
		}
		return
	}
	collection := func(at string) bool {
		_, val := lookup(root, at)
		return val != nil && (val.Kind == yaml.SequenceNode || val.Kind == yaml.MappingNode)
	}
	for _, e := range schemaLeaves(ve, collection) {
		l.schemaDiag(root, e)
	}
}

// schemaLeaves flattens a validation error to its root causes. Of the
// branches of a failed oneOf, those that failed only because the value has
// another type are dropped: for a parameter written as a mapping, the
// "expected string" of the shorthand branch says nothing useful; nor does
// "not one of the allowed values" of a list written where a branch takes
// one of some constants (collection tells whether the value at an instance
// location is a list or a mapping).
func schemaLeaves(e *jsonschema.ValidationError, collection func(at string) bool) []*jsonschema.ValidationError {
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
		out = append(out, schemaLeaves(c, collection)...)
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

func (l *loader) schemaDiag(root *yaml.Node, e *jsonschema.ValidationError) {
	key, val := lookup(root, e.InstanceLocation)
	where := describePointer(e.InstanceLocation)
	kw := e.KeywordLocation[strings.LastIndex(e.KeywordLocation, "/")+1:]
	switch {
	case strings.Contains(e.KeywordLocation, "/propertyNames"):
		l.errorf(key, "%q is not a valid name: use letters, digits and _, not starting with a digit", unescapePointer(e.InstanceLocation))
	case kw == "additionalProperties":
		for _, m := range quotedRE.FindAllStringSubmatch(e.Message, -1) {
			k, _ := lookup(val, "/"+escapePointer(m[1]))
			l.errorf(k, "unknown key %q in %s%s", m[1], where, didYouMean(m[1], schemaKeys(e.AbsoluteKeywordLocation)))
		}
	case kw == "required":
		l.errorf(key, "%s is missing %s", where, strings.ReplaceAll(strings.TrimPrefix(e.Message, "missing properties: "), "'", "`"))
	case kw == "pattern" && strings.Contains(e.KeywordLocation, "goIdentifier"):
		l.errorf(val, "%s: %q is not an exported Go identifier", where, nodeValue(val))
	case kw == "pattern":
		l.errorf(val, "%s: %q is not a valid name: use letters, digits and _, not starting with a digit", where, nodeValue(val))
	case kw == "enum":
		l.errorf(val, "%s: %q is not one of the allowed values: %s", where, nodeValue(val), strings.TrimPrefix(e.Message, "value must be one of "))
	default:
		l.errorf(val, "%s: %s", where, e.Message)
	}
}

func nodeValue(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return n.Value
}

// lookup finds the key and value nodes a JSON pointer names; for the root it
// returns the root twice.
func lookup(root *yaml.Node, pointer string) (key, val *yaml.Node) {
	key, val = root, root
	if pointer == "" {
		return
	}
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		tok = unescapeToken(tok)
		switch val.Kind {
		case yaml.MappingNode:
			found := false
			for i := 0; i+1 < len(val.Content); i += 2 {
				if val.Content[i].Value == tok {
					key, val = val.Content[i], val.Content[i+1]
					found = true
					break
				}
			}
			if !found {
				return
			}
		case yaml.SequenceNode:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(val.Content) {
				return
			}
			key, val = val.Content[i], val.Content[i]
		default:
			return
		}
	}
	return
}

func unescapeToken(t string) string {
	return strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
}

func escapePointer(t string) string {
	return strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
}

func unescapePointer(p string) string {
	return unescapeToken(p[strings.LastIndex(p, "/")+1:])
}

// describePointer spells a JSON pointer as a dotted path for messages:
// /functions/sum/args -> functions.sum.args; the root is "the spec".
func describePointer(p string) string {
	if p == "" {
		return "the spec"
	}
	toks := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, t := range toks {
		toks[i] = unescapeToken(t)
	}
	return strings.Join(toks, ".")
}

// schemaKeys lists the keys the schema object at an additionalProperties
// keyword location allows (its "properties"), for suggestions.
func schemaKeys(absLoc string) []string {
	i := strings.Index(absLoc, "#")
	if i < 0 {
		return nil
	}
	schemaDocOnce.Do(func() { json.Unmarshal(schema.JSON, &schemaDoc) })
	var node any = schemaDoc
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

var (
	schemaDocOnce sync.Once
	schemaDoc     any
)

// didYouMean suggests the known name closest to a misspelt one (at most a
// third of its letters off), as " (did you mean \"returns\"?)", or "".
func didYouMean(got string, known []string) string {
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
