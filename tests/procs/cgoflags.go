package procs

/*
#ifndef PROCS_CFLAG
#define PROCS_CFLAG 0
#endif
static int procs_cflag(void) { return PROCS_CFLAG; }
*/
import "C"

// BuildSettings reports what the spec's go section gave the Go part's
// build: its build tag, and the value of a define from go.cgo_cflags.
func BuildSettings() (string, int64) { return buildTag, int64(C.procs_cflag()) }
