// Package schema holds the JSON Schema (draft 2020-12) of pyspec's module
// spec. Editors read the file itself; pyspec embeds it to validate specs.
package schema

import _ "embed"

// JSON is the schema document.
//
//go:embed pyspec.schema.json
var JSON []byte

// URL is the schema's $id.
const URL = "https://pyspec.dev/schema/pyspec.schema.json"
