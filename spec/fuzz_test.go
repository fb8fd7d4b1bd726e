package spec

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzCheckSpec feeds the spec loader arbitrary text, seeded with every
// example and corpus spec: it must never panic, and every problem it
// reports must name a place inside the text (or its end), with a message.
// CI runs it briefly (`go test -fuzz FuzzCheckSpec -fuzztime 20s ./spec`);
// plain `go test` runs the seeds.
func FuzzCheckSpec(f *testing.F) {
	seeds, _ := filepath.Glob("../examples/*/module.yaml")
	more, _ := filepath.Glob("../tests/corpus/*/*.yaml")
	tests, _ := filepath.Glob("../tests/*/module.yaml")
	for _, path := range append(append(seeds, more...), tests...) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("module: m\nfunctions:\n  f: {args: {x: [\n"))
	f.Add([]byte("module: m\nclasses:\n  A: {base: B}\n  B: {base: A}\n"))
	f.Add([]byte("module: m\nfunctions: &a\n  f: *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// A loader that never returns is a bug too: report the input.
		done := make(chan Diagnostics, 1)
		go func() { done <- CheckSpec("fuzz.yaml", data) }()
		var ds Diagnostics
		select {
		case ds = <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("CheckSpec did not return within 5 s on %q", data)
		}
		// YAML breaks lines at \n, \r\n and a lone \r, as editors do.
		lines := bytes.Count(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\n")) +
			bytes.Count(bytes.ReplaceAll(data, []byte("\r\n"), nil), []byte("\r")) + 1
		for _, d := range ds {
			if d.Line < 0 || d.Line > lines+1 || d.Col < 0 {
				t.Errorf("problem outside the text (%d lines): %v", lines, d)
			}
			if strings.TrimSpace(d.Message) == "" || !utf8.ValidString(d.File) {
				t.Errorf("problem without a message: %#v", d)
			}
		}
	})
}
