// Reading the YAML tree: keys, values and positions.

package spec

import (
	"gopkg.in/yaml.v3"
)

// get returns the value node of key in mapping n, or nil.
func get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// pairs returns the key and value nodes of mapping n, in order.
func pairs(n *yaml.Node) (keys, vals []*yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		keys = append(keys, n.Content[i])
		vals = append(vals, n.Content[i+1])
	}
	return keys, vals
}

func str(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return n.Value
}

func pos(n *yaml.Node) Pos { return Pos{n.Line, n.Column} }
