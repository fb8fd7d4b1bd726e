package spec

import (
	"bytes"
	"fmt"
	"go/token"
	"os"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/pyspec/pyspec/schema"
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

// errorAtGo records a problem found in the author's Go source, at its
// position there.
func (l *loader) errorAtGo(p token.Position, format string, args ...any) {
	l.diags = append(l.diags, Diagnostic{File: p.Filename, Line: p.Line, Col: p.Column, Message: fmt.Sprintf(format, args...), Severity: "error"})
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
			p := schema.Pointer(pointer, n.Content[i].Value)
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

func (l *loader) checkSchema(root *yaml.Node) {
	problems, err := schema.Validate(toJSON(root))
	if err != nil {
		l.errorf(nil, "%v", err)
		return
	}
	for _, p := range problems {
		key, val := lookup(root, p.Pointer)
		if p.AtKey {
			l.errorf(key, "%s", p.Message)
		} else {
			l.errorf(val, "%s", p.Message)
		}
	}
}

// lookup finds the key and value nodes a JSON pointer names; for the root it
// returns the root twice.
func lookup(root *yaml.Node, pointer string) (key, val *yaml.Node) {
	key, val = root, root
	for _, tok := range schema.Tokens(pointer) {
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
