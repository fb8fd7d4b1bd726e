package main

import (
	"errors"
	"testing"

	"github.com/pyspec/pyspec/py"
	"github.com/pyspec/pyspec/py/pyimpl"
)

// A conversion failure deep in a container names the whole path to the
// value, outermost first, once the glue names the argument.
func TestConversionErrorPaths(t *testing.T) {
	var err error = &convError{kind: py.KindTypeError, msg: "must be int, not str"}
	err = within(within(err, " item 1"), " key 'a'")
	if got, want := err.Error(), "value key 'a' item 1 must be int, not str"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	named := err.(*convError).named("f() argument 'x'")
	if got, want := named.Error(), "f() argument 'x' key 'a' item 1 must be int, not str"; got != want {
		t.Errorf("named = %q, want %q", got, want)
	}
	if kind, _ := pyimpl.Classify(named); kind != py.KindTypeError {
		t.Errorf("named kind = %v, want TypeError", kind)
	}
	other := errors.New("not a conversion")
	if within(other, " item 1") != other {
		t.Errorf("within changed an error that is not a conversion failure")
	}
}

// An UnmarshalBinary error with no class of its own becomes ValueError
// naming the class; one with a class keeps it.
func TestUnpickleError(t *testing.T) {
	plain := unpickleError("Vec", errors.New("short state"))
	if kind, msg := pyimpl.Classify(plain); kind != py.KindValueError || msg != "cannot unpickle Vec: short state" {
		t.Errorf("plain error: %v %q", kind, msg)
	}
	typed := py.TypeError("wrong version")
	if got := unpickleError("Vec", typed); got != typed {
		t.Errorf("a TypeError became %v", got)
	}
}

// Copies past 16 MiB are checked against the memory Go may use: an absurd
// size panics with MemoryError (the glue raises it), a small one is free.
func TestCheckCopy(t *testing.T) {
	checkCopy(1<<20, 8) // 8 MiB: not checked
	var err error
	func() {
		defer memoryErrorAs(&err)
		checkCopy(1<<50, 8)
	}()
	if kind, _ := pyimpl.Classify(err); err == nil || kind != py.KindMemoryError {
		t.Errorf("checkCopy(2**50, 8): %v, want a MemoryError", err)
	}
}
