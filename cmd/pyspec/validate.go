package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/pyspec/pyspec/spec"
)

var validateCommand = &command{
	name:     "validate",
	synopsis: "SPEC [--format text|json] [--no-bind]",
	summary:  "check a spec and its Go package; print every problem",
	help: `
Checks SPEC against the schema and the semantic rules, then binds it to its
Go package. Exit 0 when it is valid; else exit 1 and every problem, one per
line, as SPEC:LINE:COL: message on stderr.

--format json prints {"valid": bool, "problems": [{"file", "line",
"column", "pointer", "message", "severity"}]} on stdout instead.`,
	run: func(c *cli, cmd *command, args []string) int {
		fs := c.flags(cmd)
		format := fs.String("format", "text", "text (SPEC:LINE:COL: message lines on stderr) or json (a document on stdout)")
		noBind := fs.Bool("no-bind", false, "check the spec alone, not its Go package")
		pos, _, code, stop := c.parse(fs, args)
		if stop {
			return code
		}
		if len(pos) != 1 {
			return c.usageError(cmd, "expected one spec file")
		}
		if *format != "text" && *format != "json" {
			return c.usageError(cmd, "--format is text or json, not %q", *format)
		}
		return c.validate(pos[0], *format, *noBind)
	},
}

// validate prints every problem of a spec: as SPEC:LINE:COL: message lines
// on stderr, or as one JSON document on stdout for editors and CI.
func (c *cli) validate(path, format string, noBind bool) int {
	data, err := os.ReadFile(path)
	if err != nil {
		return c.fail(err)
	}
	var ds spec.Diagnostics
	if noBind {
		ds = spec.CheckSpec(path, data)
	} else if _, err := spec.Parse(path, data); err != nil && !errors.As(err, &ds) {
		return c.fail(err)
	}
	if format == "json" {
		problems := ds
		if problems == nil {
			problems = spec.Diagnostics{}
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		enc.Encode(struct {
			Valid    bool             `json:"valid"`
			Problems spec.Diagnostics `json:"problems"`
		}{len(ds) == 0, problems})
	} else {
		for _, d := range ds {
			fmt.Fprintln(c.stderr, d)
		}
	}
	if len(ds) > 0 {
		return 1
	}
	return 0
}
