package spec

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/pyspec/pyspec/py"
	"gopkg.in/yaml.v3"
)

// examples reads a callable's `examples:` list. initSig is the class
// constructor's signature for instance methods (whose examples say how to
// make the instance with `init:`), nil otherwise.
func (l *loader) examples(n *yaml.Node, owner string, sig *Signature, results []*Type, initSig *Signature) []*Example {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	var out []*Example
	for _, e := range n.Content {
		ex := &Example{Pos: pos(e)}
		ok := true
		fail := func(at *yaml.Node, format string, args ...any) {
			l.errorf(at, "%s example: "+format, append([]any{owner}, args...)...)
			ok = false
		}
		if in := get(e, "init"); in != nil {
			if initSig == nil {
				fail(in, "init: applies to instance methods of classes with init")
			} else {
				for i, a := range in.Content {
					if i >= len(initSig.Params) {
						fail(a, "init has %d arguments, the constructor takes %d", len(in.Content), len(initSig.Params))
						break
					}
					v, err := pyValue(a, initSig.Params[i].Type)
					if err != nil {
						fail(a, "init argument %s: %v", initSig.Params[i].Name, err)
					}
					ex.Init = append(ex.Init, v)
				}
			}
		}
		if args := get(e, "args"); args != nil {
			for i, a := range args.Content {
				p := sig.variadic(VarPositional)
				if i < sig.NPos {
					p = sig.Params[i]
				} else if p == nil {
					fail(a, "%d positional arguments, the signature takes at most %d", len(args.Content), sig.NPos)
					break
				}
				t := p.Type
				if p.Kind == VarPositional {
					t = t.Elem
				}
				v, err := pyValue(a, t)
				if err != nil {
					fail(a, "argument %s: %v", p.Name, err)
				}
				ex.Args = append(ex.Args, v)
			}
		}
		keys, vals := pairs(get(e, "kwargs"))
		for i, k := range keys {
			var p *Param
			for _, q := range sig.Params {
				if q.Name == k.Value && !q.Kind.IsVariadic() {
					p = q
				}
			}
			t := (*Type)(nil)
			if p != nil {
				t = p.Type
			} else if p = sig.variadic(VarKeyword); p != nil {
				t = p.Type.Elem
			} else {
				fail(k, "no parameter named %q", k.Value)
				continue
			}
			v, err := pyValue(vals[i], t)
			if err != nil {
				fail(vals[i], "argument %s: %v", p.Name, err)
			}
			ex.Kwargs = append(ex.Kwargs, [2]string{k.Value, v})
		}
		r, raises := get(e, "returns"), get(e, "raises")
		switch {
		case r != nil && raises != nil:
			fail(e, "give either returns or raises")
		case raises != nil:
			ex.Raises = raises.Value
			ex.Match = str(get(e, "match"))
		default:
			var t *Type
			switch len(results) {
			case 0:
			case 1:
				t = results[0]
			default:
				t = &Type{Kind: KindTuple, Items: results}
			}
			if r == nil || r.Tag == "!!null" {
				if t != nil && t.Kind != KindOptional {
					fail(e, "give returns (the call returns %s) or raises", t.Spec)
				}
				ex.Returns = "None"
				break
			}
			if t == nil {
				fail(r, "the call returns None")
				break
			}
			if t.Kind == KindBuffer {
				ex.NeedsNumpy = t.NDArray
				// Compared as bytes, or as a list of its elements.
				t = &Type{Kind: KindBuffer, Spec: "buffer", Elem: t.Elem, GoResult: "result"}
				ex.BufferResult = "bytes"
				if r.Kind == yaml.SequenceNode {
					ex.BufferResult = "tolist"
				}
			}
			if t.Kind == KindIterator {
				// Written as the list of its items.
				t = iteratorItems(t)
				ex.IteratorResult = true
			}
			v, err := pyValue(r, t)
			if err != nil {
				fail(r, "returns: %v", err)
			}
			ex.Returns = v
			ex.Approx = hasFloat(t)
		}
		if ok {
			out = append(out, ex)
		}
	}
	return out
}

func hasFloat(t *Type) bool { return familyOf(t).approx(t) }

// pyValue spells a YAML value of type t as a Python expression.
func pyValue(n *yaml.Node, t *Type) (string, error) {
	if t.Kind == KindAny {
		return pyNatural(n)
	}
	if n.Tag == "!!null" {
		if t.Kind == KindOptional {
			return "None", nil
		}
		return "", fmt.Errorf("null for %s, which is not optional", t.Spec)
	}
	return familyOf(t).example(n, t)
}

// pyNatural spells a YAML value for an object parameter: as the Python
// value YAML's own types suggest.
func pyNatural(n *yaml.Node) (string, error) {
	switch n.Kind {
	case yaml.SequenceNode:
		var items []string
		for _, c := range n.Content {
			v, err := pyNatural(c)
			if err != nil {
				return "", err
			}
			items = append(items, v)
		}
		return "[" + strings.Join(items, ", ") + "]", nil
	case yaml.MappingNode:
		keys, vals := pairs(n)
		var items []string
		for i, k := range keys {
			kv, err := pyNatural(k)
			if err != nil {
				return "", err
			}
			v, err := pyNatural(vals[i])
			if err != nil {
				return "", err
			}
			items = append(items, kv+": "+v)
		}
		return "{" + strings.Join(items, ", ") + "}", nil
	}
	switch n.Tag {
	case "!!null":
		return "None", nil
	case "!!bool":
		return pyValue(n, scalarTypes["bool"])
	case "!!int":
		return strings.ReplaceAll(n.Value, "_", ""), nil
	case "!!float":
		return pyValue(n, scalarTypes["float64"])
	}
	return pyRepr(n.Value), nil
}

// arrayCodes are the array module's type codes of the element types.
var arrayCodes = map[string]string{
	"int8": "b", "uint8": "B", "int16": "h", "uint16": "H", "int32": "i", "uint32": "I",
	"int64": "q", "uint64": "Q", "float16": "e", "float32": "f", "float64": "d",
}

// pyBuffer spells a buffer in an example: a string is its bytes (a
// bytearray when the parameter is writable), a list the elements of an
// array.array of the buffer's element type (bytes for an untyped buffer).
// A buffer result is compared the same way (the test takes bytes() or
// .tolist() of what the call returns).
func pyBuffer(n *yaml.Node, t *Type) (string, error) {
	writable := t.Flags&py.WRITABLE != 0
	switch n.Kind {
	case yaml.ScalarNode:
		data, err := exampleBytes(n)
		if err != nil {
			return "", err
		}
		b := pyBytesRepr(string(data))
		if writable {
			return "bytearray(" + b + ")", nil
		}
		return b, nil
	case yaml.SequenceNode:
		elem := scalarTypes["uint8"]
		if t.Elem != nil {
			elem = t.Elem
		}
		var items []string
		for _, c := range n.Content {
			v, err := pyValue(c, elem)
			if err != nil {
				return "", err
			}
			items = append(items, v)
		}
		list := "[" + strings.Join(items, ", ") + "]"
		if t.GoResult != "" { // a result: compared with its elements
			return list, nil
		}
		code, ok := arrayCodes[elem.Spec]
		if !ok {
			return "", fmt.Errorf("a buffer of %s cannot be written in an example", elem.Spec)
		}
		return fmt.Sprintf("array.array(%q, %s)", code, list), nil
	}
	return "", fmt.Errorf("a buffer is written as a string (its bytes) or a list (its elements)")
}

// exampleBytes is the bytes a YAML value spells: a string's UTF-8, the
// decoded base64 of a !!binary string (any bytes), or a list of integers
// from 0 to 255.
func exampleBytes(n *yaml.Node) ([]byte, error) {
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag == "!!binary":
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(n.Value), ""))
		if err != nil {
			return nil, fmt.Errorf("!!binary %q is not base64: %v", n.Value, err)
		}
		return b, nil
	case n.Kind == yaml.ScalarNode:
		return []byte(n.Value), nil
	case n.Kind == yaml.SequenceNode:
		b := make([]byte, len(n.Content))
		for i, c := range n.Content {
			v, err := strconv.Atoi(c.Value)
			if c.Tag != "!!int" || err != nil || v < 0 || v > 255 {
				return nil, fmt.Errorf("item %d, %q, is not a byte (an integer from 0 to 255)", i, c.Value)
			}
			b[i] = byte(v)
		}
		return b, nil
	}
	return nil, fmt.Errorf("not bytes: write a string, !!binary base64, or a list of integers 0-255")
}

// iteratorItems is the list an iterator's items make: of 2-tuples for
// iterator[K, V].
func iteratorItems(t *Type) *Type {
	item := t.Elem
	if t.Key != nil {
		item = &Type{Kind: KindTuple, Items: []*Type{t.Key, t.Elem}, Spec: "tuple[" + t.Key.Spec + ", " + t.Elem.Spec + "]"}
	}
	return &Type{Kind: KindList, Elem: item, Spec: "list[" + item.Spec + "]"}
}
