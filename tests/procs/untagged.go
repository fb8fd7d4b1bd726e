//go:build !procs_tagged

package procs

// buildTag is empty when the build had no procs_tagged tag.
const buildTag = ""
