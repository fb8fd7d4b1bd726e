// Command gopart is not a program: this directory holds the fixed Go sources
// of every module's Go part (rt.go, objects.go and pyspec_go.h), which
// codegen copies into each build beside the glue it generates. They live
// here as Go so that the compiler, go vet, gopls and unit tests see them.
//
// This file and standin.c stand in for what each module generates (the
// glue's raiseDeclared, api.c's host table), so that the package builds in
// place; they are never copied into a build.
package main

/*
#cgo CFLAGS: -I${SRCDIR}/../static
*/
import "C"

// raiseDeclared stands in for the glue's: a module with no exceptions of
// its own raises every error as its built-in class.
func raiseDeclared(err error, msg string) bool { return false }
