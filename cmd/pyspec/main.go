// Command pyspec compiles a YAML module spec and its Go implementation into
// an importable CPython extension module. Each command lives in a file of
// its own with its flags and help text; this file dispatches.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pyspec/pyspec/spec"
	"github.com/pyspec/pyspec/version"
)

// command is one subcommand: its one-line synopsis, its help text, and a
// run function given the arguments after its name.
type command struct {
	name     string
	synopsis string // "SPEC -o DIR [--python PATH]"
	summary  string // one line, for the command list
	help     string // what it does, for pyspec CMD --help
	run      func(c *cli, cmd *command, args []string) int
}

// commands in the order of the usage text.
var commands = []*command{initCommand, validateCommand, generateCommand, compileCommand, testCommand, wheelCommand, sdistCommand, pyprojectCommand, metadataCommand, schemaCommand}

// cli is where a command writes.
type cli struct {
	stdout, stderr io.Writer
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: pyspec COMMAND [ARGS]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\n`pyspec --version` prints the version; `pyspec COMMAND --help` describes a command and its flags.\n\nExit status: 0 success, 1 the spec, the build or the tests have problems,\n2 usage error.")
}

func run(args []string, stdout, stderr io.Writer) int {
	c := &cli{stdout, stderr}
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "version", "--version":
		fmt.Fprintln(stdout, "pyspec", version.Version)
		return 0
	case "help", "-h", "--help":
		if len(args) > 1 {
			for _, cmd := range commands {
				if cmd.name == args[1] {
					return cmd.run(c, cmd, []string{"--help"})
				}
			}
		}
		usage(stdout)
		return 0
	}
	for _, cmd := range commands {
		if cmd.name == args[0] {
			return cmd.run(c, cmd, args[1:])
		}
	}
	fmt.Fprintf(stderr, "pyspec: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

// flags makes the flag set of cmd, whose usage prints the command's help.
func (c *cli) flags(cmd *command) *flag.FlagSet {
	fs := flag.NewFlagSet("pyspec "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "usage: pyspec %s %s\n\n%s\n", cmd.name, cmd.synopsis, strings.TrimSpace(cmd.help))
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintln(w, "\nflags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses args with fs, letting flags follow positional arguments
// (pyspec compile module.yaml -o out), and stops at "--". It returns the
// positional arguments, what follows "--", and an exit status when the
// command must stop: 0 after --help, 2 on a usage error.
func (c *cli) parse(fs *flag.FlagSet, args []string) (positional, rest []string, stop int, stopped bool) {
	for i, a := range args {
		if a == "--" {
			args, rest = args[:i], args[i+1:]
			break
		}
	}
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			// Asked for: the help goes to stdout, and is no error.
			fs.SetOutput(c.stdout)
			fs.Usage()
			return nil, nil, 0, true
		}
	}
	for {
		if err := fs.Parse(args); err != nil {
			return nil, nil, 2, true
		}
		if fs.NArg() == 0 {
			return positional, rest, 0, false
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// usageError reports a wrong invocation of cmd.
func (c *cli) usageError(cmd *command, format string, args ...any) int {
	fmt.Fprintf(c.stderr, "pyspec %s: %s\nusage: pyspec %s %s (pyspec %s --help for more)\n",
		cmd.name, fmt.Sprintf(format, args...), cmd.name, cmd.synopsis, cmd.name)
	return 2
}

// load reads and checks a spec, printing its problems; nil when it has any.
func (c *cli) load(path string) *spec.Module {
	m, err := spec.Load(path)
	if err != nil {
		var ds spec.Diagnostics
		if errors.As(err, &ds) {
			for _, d := range ds {
				fmt.Fprintln(c.stderr, d)
			}
		} else {
			fmt.Fprintf(c.stderr, "pyspec: %v\n", err)
		}
		return nil
	}
	return m
}

// fail prints an error and returns exit status 1.
func (c *cli) fail(err error) int {
	fmt.Fprintf(c.stderr, "pyspec: %v\n", err)
	return 1
}
