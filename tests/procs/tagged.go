//go:build procs_tagged

package procs

// buildTag is the tag the spec's go.tags gave the build (see untagged.go).
const buildTag = "procs_tagged"
