package main

import "github.com/pyspec/pyspec/schema"

var schemaCommand = &command{
	name:     "schema",
	synopsis: "",
	summary:  "print the JSON Schema of the spec",
	help: `
Prints the JSON Schema (draft 2020-12) that specs are validated against and
editors complete from.`,
	run: func(c *cli, cmd *command, args []string) int {
		fs := c.flags(cmd)
		pos, _, code, stop := c.parse(fs, args)
		if stop {
			return code
		}
		if len(pos) != 0 {
			return c.usageError(cmd, "takes no arguments")
		}
		c.stdout.Write(schema.JSON)
		return 0
	},
}
