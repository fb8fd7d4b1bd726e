// Python objects in Go: the conversions of the types the Go part converts
// itself (object, dict, set, structs, unions, callables, enums, time and
// complex values, and containers of them), and py.Object's host. The
// C part passes such arguments as the Python objects they are; everything
// here runs with the GIL held unless it says otherwise.

package main

/*
#include <pthread.h>
#include "pyspec_go.h"

static inline unsigned long pyspec_thread_id(void) { return (unsigned long)pthread_self(); }
*/
import "C"

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/pyspec/pyspec/py"
	"github.com/pyspec/pyspec/py/pyimpl"
)

// ---- errors ------------------------------------------------------------------

// convError is a value of the wrong type or range, found converting: where
// inside the value (" item 2", " value for key 'a'") and what is wrong
// ("must be int, not str"). The caller names the value.
type convError struct {
	kind py.ExcKind
	path string
	msg  string
}

func (e *convError) Error() string { return "value" + e.path + " " + e.msg }

// named is the error raised for e when the value is what where names:
// "f() argument 'x'", "attribute 'n' of 'T' objects", "the result of f".
func (e *convError) named(where string) error {
	return py.ErrorOf(e.kind, "%s%s %s", where, e.path, e.msg)
}

// mismatchError is the conversion failure the C part just described.
func mismatchError() error {
	var kind C.int
	var n C.pyspec_ssize
	p := C.host_mismatch(&kind, &n)
	return &convError{kind: py.ExcKind(kind), msg: C.GoStringN(p, C.int(n))}
}

// pendingError takes the pending Python exception as a Go error: raising it
// again restores the original, with its traceback. Its text is bounded:
// an exception whose str() raises (even one raising itself) is named by
// its type alone.
func pendingError() error {
	exc := C.host_fetch_error()
	if exc == nil {
		return py.RuntimeError("pyspec: a Python call failed without an exception")
	}
	obj := pyimpl.StealObject(uintptr(unsafe.Pointer(exc)))
	typ := textOr(exc, 2, "exception")
	msg := textOr(exc, 0, "")
	return &py.PythonError{Exc: obj, Type: typ, Msg: msg}
}

// textOr is str(o), repr(o) or the name of o's type (how 0, 1, 2), or
// fallback when that raises: the exception is dropped at once, without
// formatting it in turn.
func textOr(o *C.PyObject, how C.int, fallback string) string {
	s := C.host_text_of(o, how)
	if s == nil {
		if exc := C.host_fetch_error(); exc != nil {
			C.host_decref(exc)
		}
		return fallback
	}
	defer C.host_decref(s)
	var b C.pyspec_bytes
	if C.host_to_scalar(s, C.PYSPEC_T_STR, unsafe.Pointer(&b)) != 0 {
		if exc := C.host_fetch_error(); exc != nil {
			C.host_decref(exc)
		}
		return fallback
	}
	return goString(&b)
}

// dropError releases at once the exception an error the glue discards
// holds (rather than when Go's garbage collector finds it).
func dropError(err error) {
	var pe *py.PythonError
	if errors.As(err, &pe) {
		pe.Exc.Close()
	}
}

// statusError is the error of a conversion status: a mismatch, or a
// Python exception.
func statusError(st C.int) error {
	if st == C.PYSPEC_MISMATCH {
		return mismatchError()
	}
	return pendingError()
}

// within places a conversion failure inside a container.
func within(err error, where string) error {
	if ce, ok := err.(*convError); ok {
		return &convError{kind: ce.kind, path: where + ce.path, msg: ce.msg}
	}
	return err
}

// raiseAt raises err, naming the value where when it is a conversion
// failure: then the status is PYSPEC_MISMATCH, which tells the C part that
// an argument was of the wrong type (a binary operator then returns
// NotImplemented, as for a mismatch C finds).
func raiseAt(err error, where string) C.int {
	if ce, ok := err.(*convError); ok {
		raise(ce.named(where))
		return C.PYSPEC_MISMATCH
	}
	return raise(err)
}

// raisePython re-raises the original exception of a PythonError in err's
// chain, unless an error with a class of its own (py.ValueError(...,
// %w), a declared exception) wraps it: false then, or when there is none.
// The Go error's own text, when it says more, becomes a note on the
// exception (PEP 678).
func raisePython(err error) bool {
	var pe *py.PythonError
	for e := err; e != nil; e = errors.Unwrap(e) {
		if _, ok := e.(*py.Error); ok {
			return false
		}
		if p, ok := e.(*py.PythonError); ok {
			pe = p
			break
		}
	}
	if pe == nil || pyimpl.Ptr(pe.Exc) == 0 {
		return false
	}
	if err.Error() != pe.Error() {
		if r, nerr := pe.Exc.CallMethod("add_note", err.Error()); nerr == nil {
			r.Close()
		}
	}
	p, perr := pyimpl.PtrOf(pe.Exc)
	if perr != nil || p == 0 {
		return false
	}
	C.host_restore_error(obj(p))
	// Raised: Python holds the exception now. Go's reference goes at once
	// (an error raised again later is raised by its class and text).
	pe.Exc.Close()
	return true
}

// raiseNil raises err and returns the nil of a failed conversion to Python.
func raiseNil(err error) *C.PyObject {
	raise(err)
	return nil
}

// typeName is the name of o's type.
func typeName(o *C.PyObject) string { return textOr(o, 2, "object") }

func textOf(o *C.PyObject, how C.int) (string, error) {
	s := C.host_text_of(o, how)
	if s == nil {
		return "", pendingError()
	}
	defer C.host_decref(s)
	return fromPy_str(s)
}

// Float defaults Go cannot spell as literals.
var floatInf, floatNaN = math.Inf(1), math.NaN()

// ---- None ----------------------------------------------------------------

var pyNoneOnce sync.Once
var pyNonePtr *C.PyObject

// pyNone is Python's None, borrowed: it lives as long as the interpreter.
func pyNone() *C.PyObject {
	pyNoneOnce.Do(func() {
		pyNonePtr = C.host_none()
		C.host_decref(pyNonePtr)
	})
	return pyNonePtr
}

// isNone reports None, or an absent argument (which takes its default).
func isNone(o *C.PyObject) bool { return o == nil || o == pyNone() }

// ---- Python to Go ----------------------------------------------------------

func fromScalar[T any](o *C.PyObject, code C.int) (T, error) {
	var v T
	if st := C.host_to_scalar(o, code, unsafe.Pointer(&v)); st != 0 {
		return v, statusError(st)
	}
	return v, nil
}

func fromPy_bool(o *C.PyObject) (bool, error)     { return fromScalar[bool](o, C.PYSPEC_T_BOOL) }
func fromPy_int8(o *C.PyObject) (int8, error)     { return fromScalar[int8](o, C.PYSPEC_T_INT8) }
func fromPy_int16(o *C.PyObject) (int16, error)   { return fromScalar[int16](o, C.PYSPEC_T_INT16) }
func fromPy_int32(o *C.PyObject) (int32, error)   { return fromScalar[int32](o, C.PYSPEC_T_INT32) }
func fromPy_int64(o *C.PyObject) (int64, error)   { return fromScalar[int64](o, C.PYSPEC_T_INT64) }
func fromPy_uint8(o *C.PyObject) (uint8, error)   { return fromScalar[uint8](o, C.PYSPEC_T_UINT8) }
func fromPy_uint16(o *C.PyObject) (uint16, error) { return fromScalar[uint16](o, C.PYSPEC_T_UINT16) }
func fromPy_uint32(o *C.PyObject) (uint32, error) { return fromScalar[uint32](o, C.PYSPEC_T_UINT32) }
func fromPy_uint64(o *C.PyObject) (uint64, error) { return fromScalar[uint64](o, C.PYSPEC_T_UINT64) }
func fromPy_float32(o *C.PyObject) (float32, error) {
	return fromScalar[float32](o, C.PYSPEC_T_FLOAT32)
}
func fromPy_float16(o *C.PyObject) (py.Float16, error) {
	return fromScalar[py.Float16](o, C.PYSPEC_T_FLOAT16)
}
func fromPy_float64(o *C.PyObject) (float64, error) {
	return fromScalar[float64](o, C.PYSPEC_T_FLOAT64)
}

func fromPy_str(o *C.PyObject) (string, error) {
	var b C.pyspec_bytes
	if st := C.host_to_scalar(o, C.PYSPEC_T_STR, unsafe.Pointer(&b)); st != 0 {
		return "", statusError(st)
	}
	return goString(&b), nil
}

func fromPy_bytes(o *C.PyObject) ([]byte, error) {
	var b C.pyspec_bytes
	if st := C.host_to_scalar(o, C.PYSPEC_T_BYTES, unsafe.Pointer(&b)); st != 0 {
		return nil, statusError(st)
	}
	return goBytes(&b), nil
}

// fromPy_object holds any object; an absent argument is None. Converting
// a call's arguments, it is borrowed for the call; otherwise (py.As)
// owned by Go.
func fromPy_object(o *C.PyObject) (py.Object, error) {
	if o == nil {
		return py.Object{}, nil
	}
	if s := argScope(); s != nil {
		return s.Borrow(ptrOf(o)), nil
	}
	return pyimpl.NewObject(ptrOf(o)), nil
}

func fromPy_complex128(o *C.PyObject) (complex128, error) {
	var re, im C.double
	if st := C.host_to_complex(o, &re, &im); st != 0 {
		return 0, statusError(st)
	}
	return complex(float64(re), float64(im)), nil
}

// fromPy_datetime takes an aware datetime as the same instant, in a fixed
// zone of its UTC offset (time.UTC for offset 0).
func fromPy_datetime(o *C.PyObject) (time.Time, error) {
	var d C.pyspec_datetime
	if st := C.host_to_datetime(o, &d); st != 0 {
		return time.Time{}, statusError(st)
	}
	loc := time.UTC
	if d.offset != 0 {
		loc = time.FixedZone("", int(d.offset))
	}
	return time.Date(int(d.year), time.Month(d.month), int(d.day), int(d.hour), int(d.minute), int(d.second), int(d.microsecond)*1000, loc), nil
}

func fromPy_timedelta(o *C.PyObject) (time.Duration, error) {
	var days, secs, us C.int64_t
	if st := C.host_to_timedelta(o, &days, &secs, &us); st != 0 {
		return 0, statusError(st)
	}
	// Python normalizes: 0 <= secs < 86400 and 0 <= us < 1e6.
	const usPerDay = 86400 * 1e6
	const maxDays = int64(1<<63-1) / 1000 / usPerDay
	if d := int64(days); d > maxDays || d < -maxDays-1 {
		r := textOr(o, 1, "?")
		return 0, &convError{kind: py.KindOverflowError, msg: "out of range for time.Duration (about ±292 years): " + r}
	}
	total := (int64(days)*usPerDay + int64(secs)*1e6 + int64(us))
	if total > (1<<63-1)/1000 || total < -(1<<63)/1000 {
		r := textOr(o, 1, "?")
		return 0, &convError{kind: py.KindOverflowError, msg: "out of range for time.Duration (about ±292 years): " + r}
	}
	return time.Duration(total) * time.Microsecond, nil
}

// fromSeq converts what a parameter of the form takes (a spec.SeqForm: a
// sequence, a tuple, any iterable) item by item, from a snapshot: Python
// code run by a conversion cannot change what is being converted. An
// absent argument is empty.
func fromSeq[T any](o *C.PyObject, form C.int, elem func(*C.PyObject) (T, error)) ([]T, error) {
	if o == nil {
		return nil, nil
	}
	var snap *C.PyObject
	var n C.pyspec_ssize
	if st := C.host_seq_snapshot(o, form, &snap, &n); st != 0 {
		return nil, statusError(st)
	}
	defer C.host_decref(snap)
	checkCopy(int64(n), int64(unsafe.Sizeof(*new(T))))
	out := make([]T, int(n))
	for i := range out {
		v, err := elem(C.host_tuple_item(snap, C.pyspec_ssize(i)))
		if err != nil {
			return nil, within(err, fmt.Sprintf(" item %d", i))
		}
		out[i] = v
	}
	return out, nil
}

func fromDict[K comparable, V any](o *C.PyObject, key func(*C.PyObject) (K, error), value func(*C.PyObject) (V, error)) (map[K]V, error) {
	if o == nil {
		return map[K]V{}, nil
	}
	var snap *C.PyObject
	var n C.pyspec_ssize
	if st := C.host_dict_snapshot(o, &snap, &n); st != 0 {
		return nil, statusError(st)
	}
	defer C.host_decref(snap)
	checkCopy(int64(n), int64(unsafe.Sizeof(*new(K))+unsafe.Sizeof(*new(V))))
	out := make(map[K]V, int(n))
	var pos C.pyspec_ssize
	var ko, vo *C.PyObject
	for C.host_dict_next(snap, &pos, &ko, &vo) != 0 {
		k, err := key(ko)
		if err != nil {
			return nil, within(err, " key "+reprFor(ko))
		}
		v, err := value(vo)
		if err != nil {
			return nil, within(err, " value for key "+reprFor(ko))
		}
		out[k] = v
	}
	return out, nil
}

func fromSet[T comparable](o *C.PyObject, elem func(*C.PyObject) (T, error)) (map[T]struct{}, error) {
	if o == nil {
		return map[T]struct{}{}, nil
	}
	var snap *C.PyObject
	var n C.pyspec_ssize
	if st := C.host_set_snapshot(o, &snap, &n); st != 0 {
		return nil, statusError(st)
	}
	defer C.host_decref(snap)
	checkCopy(int64(n), int64(unsafe.Sizeof(*new(T))))
	out := make(map[T]struct{}, int(n))
	for i := 0; i < int(n); i++ {
		item := C.host_tuple_item(snap, C.pyspec_ssize(i))
		v, err := elem(item)
		if err != nil {
			return nil, within(err, " element "+reprFor(item))
		}
		out[v] = struct{}{}
	}
	return out, nil
}

// fromOpt is nil for None, else a pointer to the converted value.
func fromOpt[T any](o *C.PyObject, conv func(*C.PyObject) (T, error)) (*T, error) {
	if isNone(o) {
		return nil, nil
	}
	v, err := conv(o)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// fromOptNil is the zero value (nil) for None: for Go types that have nil.
func fromOptNil[T any](o *C.PyObject, conv func(*C.PyObject) (T, error)) (T, error) {
	if isNone(o) {
		var zero T
		return zero, nil
	}
	return conv(o)
}

// anyOf adapts a converter to a union's alternatives.
func anyOf[T any](conv func(*C.PyObject) (T, error)) func(*C.PyObject) (any, error) {
	return func(o *C.PyObject) (any, error) {
		v, err := conv(o)
		if err != nil {
			return nil, err
		}
		return v, nil
	}
}

// fromUnion tries the alternatives in order; the first that takes the
// value wins. A value none takes is a TypeError naming them all (with why
// an alternative of the right type refused it, such as a range).
func fromUnion(o *C.PyObject, spec string, alts []func(*C.PyObject) (any, error)) (any, error) {
	var reasons []string
	for _, alt := range alts {
		v, err := alt(o)
		if err == nil {
			return v, nil
		}
		ce, ok := err.(*convError)
		if !ok {
			return nil, err
		}
		if ce.kind != py.KindTypeError {
			reasons = append(reasons, strings.TrimPrefix(ce.path+" "+ce.msg, " "))
		}
	}
	tn := typeName(o)
	msg := "must be " + spec + ", not " + tn
	if len(reasons) > 0 {
		msg += " (" + strings.Join(reasons, "; ") + ")"
	}
	return nil, &convError{kind: py.KindTypeError, msg: msg}
}

// dictFields reads a dict that holds a struct: the value of each of keys
// (nil when absent), borrowed from a snapshot that done releases. A key
// that is not one of keys, or a missing required one, is a TypeError.
func dictFields(o *C.PyObject, name string, keys []string, required []bool) (fields []*C.PyObject, done func(), err error) {
	var snap *C.PyObject
	var n C.pyspec_ssize
	if st := C.host_dict_snapshot(o, &snap, &n); st != 0 {
		err := statusError(st)
		if ce, ok := err.(*convError); ok {
			tn := typeName(o)
			ce.msg = "must be a dict with the keys of " + name + ", not " + tn
		}
		return nil, nil, err
	}
	fields = make([]*C.PyObject, len(keys))
	var pos C.pyspec_ssize
	var ko, vo *C.PyObject
	for C.host_dict_next(snap, &pos, &ko, &vo) != 0 {
		k, err := fromPy_str(ko)
		i := slices.Index(keys, k)
		if err != nil || i < 0 {
			C.host_decref(snap)
			return nil, nil, &convError{kind: py.KindTypeError,
				msg: fmt.Sprintf("has the key %s, which %s does not have (its keys: %s)", reprFor(ko), name, strings.Join(keys, ", "))}
		}
		fields[i] = vo
	}
	for i, f := range fields {
		if f == nil && required[i] {
			C.host_decref(snap)
			return nil, nil, &convError{kind: py.KindTypeError, msg: fmt.Sprintf("is missing the key '%s' of %s", keys[i], name)}
		}
	}
	return fields, func() { C.host_decref(snap) }, nil
}

// fromCallable checks that o can be called and holds it (borrowed, for a
// call's argument, as fromPy_object does).
func fromCallable(o *C.PyObject) (py.Object, error) {
	if C.host_is_callable(o) == 0 {
		tn := typeName(o)
		return py.Object{}, &convError{kind: py.KindTypeError, msg: "must be callable, not " + tn}
	}
	return fromPy_object(o)
}

// lendFunc records f, the Go func of the callable fn, with the call that
// lends fn, so that py.RetainFunc(f) can keep it.
func lendFunc[F any](fn py.Object, f F) F {
	if s := argScope(); s != nil {
		s.LendFunc(f, fn)
	}
	return f
}

// fromPy_callable is an untyped callable: Go's arguments are converted as
// py.ValueOf does, and the result is an Object.
func fromPy_callable(o *C.PyObject) (func(args ...any) (py.Object, error), error) {
	fn, err := fromCallable(o)
	if err != nil {
		return nil, err
	}
	return lendFunc(fn, fn.Call), nil
}

// callPython calls fn with the arguments args builds and hands the result
// to result, holding the GIL (taken by the calling goroutine, whichever
// it is) for all of it.
func callPython(fn py.Object, args func() []*C.PyObject, result func(r *C.PyObject) error) (err error) {
	defer memoryErrorAs(&err)
	leave, err := (pyHost{}).Enter()
	if err != nil {
		return err
	}
	defer leave()
	ps := args()
	defer func() {
		for _, p := range ps {
			if p != nil {
				C.host_decref(p)
			}
		}
	}()
	for _, p := range ps {
		if p == nil {
			return pendingError()
		}
	}
	var argv **C.PyObject
	if len(ps) > 0 {
		argv = &ps[0]
	}
	// A reference of its own while Python runs: the call may release
	// the GIL, and the call that lent fn may return meanwhile.
	p, err := pyimpl.PtrOf(fn)
	if err != nil {
		return err
	}
	C.host_incref(obj(p))
	r := C.host_call(obj(p), argv, C.pyspec_ssize(len(ps)), nil)
	C.host_decref(obj(p))
	if r == nil {
		return pendingError()
	}
	defer C.host_decref(r)
	if err := result(r); err != nil {
		if ce, ok := err.(*convError); ok {
			return ce.named("the result of " + fn.Repr())
		}
		return err
	}
	return nil
}

func reprFor(o *C.PyObject) string {
	r := textOr(o, 1, "?")
	if len(r) > 60 {
		r = r[:57] + "..."
	}
	return r
}

// ---- Go to Python ----------------------------------------------------------

func toPy_bool(v bool) *C.PyObject          { return pyBool(v) }
func toPy_int8(v int8) *C.PyObject          { return pyInt(v) }
func toPy_int16(v int16) *C.PyObject        { return pyInt(v) }
func toPy_int32(v int32) *C.PyObject        { return pyInt(v) }
func toPy_int64(v int64) *C.PyObject        { return pyInt(v) }
func toPy_uint8(v uint8) *C.PyObject        { return pyUint(v) }
func toPy_uint16(v uint16) *C.PyObject      { return pyUint(v) }
func toPy_uint32(v uint32) *C.PyObject      { return pyUint(v) }
func toPy_uint64(v uint64) *C.PyObject      { return pyUint(v) }
func toPy_float32(v float32) *C.PyObject    { return pyFloat(v) }
func toPy_float16(v py.Float16) *C.PyObject { return pyFloat(v.Float64()) }
func toPy_float64(v float64) *C.PyObject    { return pyFloat(v) }
func toPy_str(v string) *C.PyObject         { return pyStr(v) }
func toPy_bytes(v []byte) *C.PyObject       { return pyBytes(v) }

func toPy_complex128(v complex128) *C.PyObject {
	return C.host_from_complex(C.double(real(v)), C.double(imag(v)))
}

// toPy_object is a new reference to the object (None for the zero Object).
// For a call's result, an Object Go owns is handed over: it gives up its
// own reference when the call ends.
func toPy_object(v py.Object) *C.PyObject {
	p, err := pyimpl.PtrOf(v)
	if err != nil {
		return raiseNil(err)
	}
	if p == 0 {
		return C.host_none()
	}
	C.host_incref(obj(p))
	if s := resultScope(); s != nil {
		s.Hand(v)
	}
	return obj(p)
}

// toPy_datetime makes an aware datetime of t's instant, in t's UTC offset,
// rounded to the microsecond (datetime's resolution).
func toPy_datetime(t time.Time) *C.PyObject {
	t = t.Round(time.Microsecond)
	if t.Year() < 1 || t.Year() > 9999 {
		return raiseNil(py.OverflowError("%s is outside datetime's range (years 1 to 9999)", t))
	}
	_, off := t.Zone()
	d := C.pyspec_datetime{
		year: C.int64_t(t.Year()), month: C.int64_t(t.Month()), day: C.int64_t(t.Day()),
		hour: C.int64_t(t.Hour()), minute: C.int64_t(t.Minute()), second: C.int64_t(t.Second()),
		microsecond: C.int64_t(t.Nanosecond() / 1000), offset: C.int64_t(off),
	}
	return C.host_from_datetime(&d)
}

// toPy_timedelta rounds to the microsecond, halves to even (as timedelta
// does with fractions).
func toPy_timedelta(d time.Duration) *C.PyObject {
	us, rem := int64(d/time.Microsecond), int64(d%time.Microsecond)
	switch {
	case rem > 500 || rem == 500 && us%2 != 0:
		us++
	case rem < -500 || rem == -500 && us%2 != 0:
		us--
	}
	return C.host_from_timedelta(C.int64_t(us))
}

func toSeq[T any](xs []T, tuple bool, elem func(T) *C.PyObject) *C.PyObject {
	if tuple {
		items := make([]*C.PyObject, len(xs))
		for i, x := range xs {
			items[i] = elem(x)
			if items[i] == nil {
				for _, it := range items[:i] {
					C.host_decref(it)
				}
				return nil
			}
		}
		if len(items) == 0 {
			return C.host_tuple_steal(nil, 0)
		}
		return C.host_tuple_steal(&items[0], C.pyspec_ssize(len(items)))
	}
	list := C.host_list_new(C.pyspec_ssize(len(xs)))
	if list == nil {
		return nil
	}
	for i, x := range xs {
		if C.host_list_set_steal(list, C.pyspec_ssize(i), elem(x)) < 0 {
			C.host_decref(list)
			return nil
		}
	}
	return list
}

// toDict builds a dict in the order of the sorted keys, so that the same
// map gives the same dict.
func toDict[K cmp.Ordered, V any](m map[K]V, key func(K) *C.PyObject, value func(V) *C.PyObject) *C.PyObject {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return buildDict(keys, m, key, value)
}

// toDictAnyOrder is toDict for keys Go cannot order (bool, complex128).
func toDictAnyOrder[K comparable, V any](m map[K]V, key func(K) *C.PyObject, value func(V) *C.PyObject) *C.PyObject {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return buildDict(keys, m, key, value)
}

func buildDict[K comparable, V any](keys []K, m map[K]V, key func(K) *C.PyObject, value func(V) *C.PyObject) *C.PyObject {
	d := C.host_dict_new()
	if d == nil {
		return nil
	}
	for _, k := range keys {
		if C.host_dict_set_steal(d, key(k), value(m[k])) < 0 {
			C.host_decref(d)
			return nil
		}
	}
	return d
}

func toSet[T comparable](m map[T]struct{}, elem func(T) *C.PyObject) *C.PyObject {
	s := C.host_set_new()
	if s == nil {
		return nil
	}
	for k := range m {
		if C.host_set_add_steal(s, elem(k)) < 0 {
			C.host_decref(s)
			return nil
		}
	}
	return s
}

// toOptNil is None for nil: for Go types that have nil.
func toOptNil[T comparable](v T, conv func(T) *C.PyObject) *C.PyObject {
	var zero T
	if v == zero {
		return C.host_none()
	}
	return conv(v)
}

// unionMismatch is the error of a Go value a union's result cannot be.
func unionMismatch(v any, spec string) *C.PyObject {
	return raiseNil(py.TypeError("Go returned a %T where the spec declares %s", v, spec))
}

// ---- py.Object's host -------------------------------------------------

// pyHost is the interpreter for py.Object and py.ValueOf.
type pyHost struct{}

func init() { pyimpl.SetHost(pyHost{}) }

// gilSlots bounds the goroutines that wait for the GIL on an OS thread of
// their own (locked, blocked in PyGILState_Ensure): the others wait here,
// as goroutines, which cost no thread. Without the bound, thousands of
// goroutines calling Python at once exhaust the OS threads Go may make.
var gilSlots = make(chan struct{}, max(16, min(64, 4*runtime.GOMAXPROCS(0))))

func (pyHost) Enter() (func(), error) {
	select {
	case gilSlots <- struct{}{}:
		runtime.LockOSThread()
	default:
		// Every slot is taken. A thread that holds the GIL already (Go
		// code called from Python, or inside another Enter) takes it again
		// without waiting, and must not wait for a slot: the waiters wait
		// for it.
		runtime.LockOSThread()
		if C.host_gil_held() != 0 {
			st := C.host_gil_ensure()
			if st < 0 {
				runtime.UnlockOSThread()
				return nil, errShuttingDown
			}
			return func() {
				C.host_gil_release(st)
				runtime.UnlockOSThread()
			}, nil
		}
		runtime.UnlockOSThread()
		gilSlots <- struct{}{}
		runtime.LockOSThread()
	}
	st := C.host_gil_ensure()
	<-gilSlots
	if st < 0 {
		runtime.UnlockOSThread()
		return nil, errShuttingDown
	}
	return func() {
		C.host_gil_release(st)
		runtime.UnlockOSThread()
	}, nil
}

var errShuttingDown = py.RuntimeError("Python is shutting down: a Go goroutine cannot call into it any more")

// ---- what a call lends Go and hands Python ----------------------------------

// callScope is the pyimpl.Scope of one call: the Objects its arguments
// lend Go (borrowed: released when it returns) and those its results hand
// Python. While the arguments are converted, and again while the results
// are, it is its thread's current scope, which the conversions of object
// and callable values consult. Used with the GIL held.
type callScope struct {
	pyimpl.Scope
	tid  C.ulong
	prev *callScope
	mode int8 // scopeIdle, scopeArgs or scopeResults
}

const (
	scopeIdle = iota
	scopeArgs
	scopeResults
)

var (
	// The current scope of each thread converting a call's arguments or
	// results; calls nest on a thread (Go calls Python, which calls Go).
	scopes    = map[C.ulong]*callScope{}
	scopePool []*callScope
)

// beginCall opens the scope of a call and makes it current to convert its
// arguments.
func beginCall() *callScope {
	var s *callScope
	if n := len(scopePool); n > 0 {
		s, scopePool = scopePool[n-1], scopePool[:n-1]
	} else {
		s = new(callScope)
	}
	s.enter(scopeArgs)
	return s
}

// holdGIL and letGIL count the calls into Go in progress that hold the
// GIL, for the C part's watchdog: Go code waiting for the GIL while one
// does is what nogil cures. A plain count, not an atomic one: only the
// GIL's holder changes it.
func holdGIL() { *(*int32)(unsafe.Pointer(C.pyspec_host_ptr.go_holding)) += 1 }
func letGIL()  { *(*int32)(unsafe.Pointer(C.pyspec_host_ptr.go_holding)) -= 1 }

func (s *callScope) enter(mode int8) {
	s.tid = C.pyspec_thread_id()
	s.prev = scopes[s.tid]
	s.mode = mode
	scopes[s.tid] = s
}

// leave makes the scope not current: the Go function runs.
func (s *callScope) leave() {
	if s.mode == scopeIdle {
		return
	}
	if s.prev != nil {
		scopes[s.tid] = s.prev
	} else {
		delete(scopes, s.tid)
	}
	s.prev, s.mode = nil, scopeIdle
}

// results makes the scope current again to convert the results.
func (s *callScope) results() { s.enter(scopeResults) }

// end closes the scope when the call returns (with the GIL, also after a
// panic): the borrowed Objects are released, the handed ones given up.
func (s *callScope) end() {
	s.leave()
	s.Scope.End()
	scopePool = append(scopePool, s)
}

func currentScope(mode int8) *callScope {
	if len(scopes) == 0 {
		return nil
	}
	if s := scopes[C.pyspec_thread_id()]; s != nil && s.mode == mode {
		return s
	}
	return nil
}

// argScope is the scope whose arguments this thread converts, if any.
func argScope() *callScope { return currentScope(scopeArgs) }

// resultScope is the scope whose results this thread converts, if any.
func resultScope() *callScope { return currentScope(scopeResults) }

// checkAlloc panics with a MemoryError (which the glue raises as one) when
// n values of size bytes cannot be allocated: Go's own failure would end
// the process. For sizes Python reports, of values it holds.
func checkAlloc(n, size int64) {
	if err := py.CheckAlloc(n, size); err != nil {
		panic(err)
	}
}

// memoryErrorAs is deferred where such a panic must become an error (Go's
// own goroutines, which have no glue to raise it): it sets *err.
func memoryErrorAs(err *error) {
	if r := recover(); r != nil {
		if e, ok := r.(*py.Error); ok && e.Kind == py.KindMemoryError {
			*err = e
			return
		}
		panic(r)
	}
}

// obj is the PyObject at address p. It is C memory, which Go's collector
// neither moves nor frees, so a uintptr holds it safely; the bits are
// reinterpreted rather than converted, the conversion go vet flags for Go
// memory.
func obj(p uintptr) *C.PyObject { return *(**C.PyObject)(unsafe.Pointer(&p)) }

func ptrOf(o *C.PyObject) uintptr { return uintptr(unsafe.Pointer(o)) }

// result is a new reference as a uintptr, or the pending exception.
func result(o *C.PyObject) (uintptr, error) {
	if o == nil {
		return 0, pendingError()
	}
	return ptrOf(o), nil
}

func (pyHost) Incref(p uintptr)      { C.host_incref(obj(p)) }
func (pyHost) Decref(p uintptr)      { C.host_decref(obj(p)) }
func (pyHost) DecrefLater(p uintptr) { C.host_decref_later(obj(p)) }
func (pyHost) None() uintptr         { return ptrOf(C.host_none()) }

func (pyHost) Text(p uintptr, how pyimpl.TextKind) (string, error) {
	return textOf(obj(p), C.int(how))
}

func cName(name string) (*C.char, C.pyspec_ssize) {
	return (*C.char)(unsafe.Pointer(unsafe.StringData(name))), C.pyspec_ssize(len(name))
}

func (pyHost) GetAttr(p uintptr, name string) (uintptr, error) {
	n, l := cName(name)
	return result(C.host_getattr(obj(p), n, l))
}

func (pyHost) SetAttr(p uintptr, name string, v uintptr) error {
	n, l := cName(name)
	if C.host_setattr(obj(p), n, l, obj(v)) < 0 {
		return pendingError()
	}
	return nil
}

func (pyHost) HasAttr(p uintptr, name string) (bool, error) {
	n, l := cName(name)
	switch C.host_hasattr(obj(p), n, l) {
	case 1:
		return true, nil
	case 0:
		return false, nil
	}
	return false, pendingError()
}

func (pyHost) Call(p uintptr, args []uintptr, kwargs map[string]uintptr) (uintptr, error) {
	var kw *C.PyObject
	if len(kwargs) > 0 {
		kw = C.host_dict_new()
		if kw == nil {
			return 0, pendingError()
		}
		defer C.host_decref(kw)
		for k, v := range kwargs {
			C.host_incref(obj(v))
			if C.host_dict_set_steal(kw, pyStr(k), obj(v)) < 0 {
				return 0, pendingError()
			}
		}
	}
	var argv **C.PyObject
	if len(args) > 0 {
		argv = (**C.PyObject)(unsafe.Pointer(&args[0]))
	}
	return result(C.host_call(obj(p), argv, C.pyspec_ssize(len(args)), kw))
}

func (pyHost) Truth(p uintptr) (bool, error) {
	t := C.host_truth(obj(p))
	if t < 0 {
		return false, pendingError()
	}
	return t == 1, nil
}

func (pyHost) Len(p uintptr) (int, error) {
	n := C.host_length(obj(p))
	if n < 0 {
		return 0, pendingError()
	}
	return int(n), nil
}

func (pyHost) GetItem(p, key uintptr) (uintptr, error) {
	return result(C.host_getitem(obj(p), obj(key)))
}

func (pyHost) SetItem(p, key, v uintptr) error {
	if C.host_setitem(obj(p), obj(key), obj(v)) < 0 {
		return pendingError()
	}
	return nil
}

func (pyHost) Import(name string) (uintptr, error) {
	n, l := cName(name)
	return result(C.host_import(n, l))
}

func (pyHost) FromGo(v any) (uintptr, error) {
	o := fromGo(reflect.ValueOf(v))
	if o == nil {
		return 0, pendingError()
	}
	return ptrOf(o), nil
}

func (pyHost) ToGo(p uintptr, target any) (err error) {
	defer memoryErrorAs(&err)
	rv := reflect.ValueOf(target)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return py.TypeError("py.As: the target must be a non-nil pointer, not %T", target)
	}
	if err := toGo(obj(p), rv.Elem()); err != nil {
		if ce, ok := err.(*convError); ok {
			return py.ErrorOf(ce.kind, "cannot convert to Go %s: value%s %s", rv.Elem().Type(), ce.path, ce.msg)
		}
		return err
	}
	return nil
}

// ---- conversions by reflection (py.ValueOf, py.As) -------------------

// The module's classes, structs and enums, registered by the generated
// glue: how values of their Go types cross.
type typeConv struct {
	toPy   func(v reflect.Value) *C.PyObject
	fromPy func(o *C.PyObject) (reflect.Value, error)
}

var typeConvs = map[reflect.Type]typeConv{}

// instanceConvs are the classes' entries, derived classes first: the
// first that takes an instance gives its most specific Go type.
var instanceConvs []typeConv

func registerType[T any](toPy func(T) *C.PyObject, fromPy func(*C.PyObject) (T, error), instance bool) {
	c := typeConv{
		toPy: func(v reflect.Value) *C.PyObject { return toPy(v.Interface().(T)) },
		fromPy: func(o *C.PyObject) (reflect.Value, error) {
			x, err := fromPy(o)
			return reflect.ValueOf(&x).Elem(), err
		},
	}
	typeConvs[reflect.TypeFor[T]()] = c
	if instance {
		instanceConvs = append(instanceConvs, c)
	}
}

var (
	objectType   = reflect.TypeFor[py.Object]()
	timeType     = reflect.TypeFor[time.Time]()
	durationType = reflect.TypeFor[time.Duration]()
	bytesType    = reflect.TypeFor[[]byte]()
)

// fromGo makes a new Python object of v, or nil with an exception set.
func fromGo(v reflect.Value) *C.PyObject { return fromGoIn(v, nil) }

// goPlace is a map, slice or pointer being converted, to find cycles.
type goPlace struct {
	p   unsafe.Pointer
	n   int
	typ reflect.Type
}

// fromGoIn converts v inside the maps, slices and pointers of path: a value
// that is one of them again is a cycle, which has no Python object.
func fromGoIn(v reflect.Value, path []goPlace) *C.PyObject {
	if !v.IsValid() {
		return C.host_none()
	}
	switch v.Kind() {
	case reflect.Map, reflect.Pointer, reflect.Slice:
		if v.IsNil() || v.Kind() == reflect.Slice && v.Len() == 0 {
			break
		}
		here := goPlace{v.UnsafePointer(), 0, v.Type()}
		if v.Kind() == reflect.Slice {
			here.n = v.Len()
		}
		for _, at := range path {
			if at == here {
				return raiseNil(py.ValueError("py.ValueOf: the Go value is cyclic (a %s contains itself), which no Python value can be", v.Type()))
			}
		}
		path = append(path, here)
	}
	fromGo := func(v reflect.Value) *C.PyObject { return fromGoIn(v, path) }
	t := v.Type()
	if c, ok := typeConvs[t]; ok {
		return c.toPy(v)
	}
	switch t {
	case objectType:
		return toPy_object(v.Interface().(py.Object))
	case timeType:
		return toPy_datetime(v.Interface().(time.Time))
	case durationType:
		return toPy_timedelta(time.Duration(v.Int()))
	}
	switch t.Kind() {
	case reflect.Bool:
		return pyBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return C.host_from_int64(C.int64_t(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return C.host_from_uint64(C.uint64_t(v.Uint()))
	case reflect.Float32, reflect.Float64:
		return C.host_from_float64(C.double(v.Float()))
	case reflect.Complex64, reflect.Complex128:
		return toPy_complex128(v.Complex())
	case reflect.String:
		return pyStr(v.String())
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return pyBytes(v.Bytes())
		}
		fallthrough
	case reflect.Array:
		list := C.host_list_new(C.pyspec_ssize(v.Len()))
		for i := 0; list != nil && i < v.Len(); i++ {
			if C.host_list_set_steal(list, C.pyspec_ssize(i), fromGo(v.Index(i))) < 0 {
				C.host_decref(list)
				list = nil
			}
		}
		return list
	case reflect.Map:
		if t.Elem().Kind() == reflect.Struct && t.Elem().NumField() == 0 {
			s := C.host_set_new()
			for it := v.MapRange(); s != nil && it.Next(); {
				if C.host_set_add_steal(s, fromGo(it.Key())) < 0 {
					C.host_decref(s)
					s = nil
				}
			}
			return s
		}
		d := C.host_dict_new()
		for it := v.MapRange(); d != nil && it.Next(); {
			if C.host_dict_set_steal(d, fromGo(it.Key()), fromGo(it.Value())) < 0 {
				C.host_decref(d)
				d = nil
			}
		}
		return d
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return C.host_none()
		}
		return fromGo(v.Elem())
	}
	return raiseNil(py.TypeError("cannot convert a Go %s to a Python object", t))
}

// toGo converts o into v, which must be settable.
func toGo(o *C.PyObject, v reflect.Value) error {
	t := v.Type()
	if c, ok := typeConvs[t]; ok {
		if t.Kind() == reflect.Pointer && isNone(o) {
			v.SetZero()
			return nil
		}
		r, err := c.fromPy(o)
		if err == nil {
			v.Set(r)
		}
		return err
	}
	set := func(x any, err error) error {
		if err == nil {
			v.Set(reflect.ValueOf(x).Convert(t))
		}
		return err
	}
	switch t {
	case objectType:
		return set(fromPy_object(o))
	case timeType:
		return set(fromPy_datetime(o))
	case durationType:
		return set(fromPy_timedelta(o))
	case bytesType:
		return set(fromPy_bytes(o))
	}
	switch t.Kind() {
	case reflect.Bool:
		return set(fromPy_bool(o))
	case reflect.Int8:
		return set(fromPy_int8(o))
	case reflect.Int16:
		return set(fromPy_int16(o))
	case reflect.Int32:
		return set(fromPy_int32(o))
	case reflect.Int, reflect.Int64:
		return set(fromPy_int64(o))
	case reflect.Uint8:
		return set(fromPy_uint8(o))
	case reflect.Uint16:
		return set(fromPy_uint16(o))
	case reflect.Uint32:
		return set(fromPy_uint32(o))
	case reflect.Uint, reflect.Uint64, reflect.Uintptr:
		return set(fromPy_uint64(o))
	case reflect.Float32:
		return set(fromPy_float32(o))
	case reflect.Float64:
		return set(fromPy_float64(o))
	case reflect.Complex64, reflect.Complex128:
		return set(fromPy_complex128(o))
	case reflect.String:
		return set(fromPy_str(o))
	case reflect.Slice:
		items, err := fromSeq(o, C.PYSPEC_SEQ_LIST, func(item *C.PyObject) (reflect.Value, error) {
			e := reflect.New(t.Elem()).Elem()
			return e, toGo(item, e)
		})
		if err != nil {
			return err
		}
		s := reflect.MakeSlice(t, len(items), len(items))
		for i, it := range items {
			s.Index(i).Set(it)
		}
		v.Set(s)
		return nil
	case reflect.Map:
		m := reflect.MakeMap(t)
		if t.Elem().Kind() == reflect.Struct && t.Elem().NumField() == 0 {
			_, err := fromSet(o, func(item *C.PyObject) (struct{}, error) {
				k := reflect.New(t.Key()).Elem()
				if err := toGo(item, k); err != nil {
					return struct{}{}, err
				}
				m.SetMapIndex(k, reflect.New(t.Elem()).Elem())
				return struct{}{}, nil
			})
			if err == nil {
				v.Set(m)
			}
			return err
		}
		var keys []reflect.Value
		_, err := fromDict(o, func(ko *C.PyObject) (int, error) {
			k := reflect.New(t.Key()).Elem()
			keys = append(keys, k)
			return len(keys) - 1, toGo(ko, k)
		}, func(vo *C.PyObject) (reflect.Value, error) {
			e := reflect.New(t.Elem()).Elem()
			if err := toGo(vo, e); err != nil {
				return e, err
			}
			m.SetMapIndex(keys[len(keys)-1], e)
			return e, nil
		})
		if err == nil {
			v.Set(m)
		}
		return err
	case reflect.Pointer:
		if isNone(o) {
			v.SetZero()
			return nil
		}
		p := reflect.New(t.Elem())
		if err := toGo(o, p.Elem()); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case reflect.Interface:
		if t.NumMethod() == 0 {
			x, err := naturalGo(o)
			if err == nil {
				if x == nil {
					v.SetZero()
				} else {
					v.Set(reflect.ValueOf(x))
				}
			}
			return err
		}
	}
	tn := typeName(o)
	return &convError{kind: py.KindTypeError, msg: fmt.Sprintf("cannot become a Go %s (it is a %s)", t, tn)}
}

// naturalGo is the Go value Python's built-in types map to in an any:
// None nil, bool, int int64, float float64, complex complex128, str
// string, bytes []byte, list and tuple []any, dict map[any]any (str keys:
// map[string]any), set map[any]struct{}, datetime time.Time, timedelta
// time.Duration, an instance of the module's classes its Go pointer;
// anything else a py.Object.
func naturalGo(o *C.PyObject) (any, error) {
	switch C.host_kind_of(o) {
	case C.PYSPEC_K_NONE:
		return nil, nil
	case C.PYSPEC_K_BOOL:
		return fromPy_bool(o)
	case C.PYSPEC_K_INT:
		return fromPy_int64(o)
	case C.PYSPEC_K_FLOAT:
		return fromPy_float64(o)
	case C.PYSPEC_K_COMPLEX:
		return fromPy_complex128(o)
	case C.PYSPEC_K_STR:
		return fromPy_str(o)
	case C.PYSPEC_K_BYTES:
		return fromPy_bytes(o)
	case C.PYSPEC_K_LIST, C.PYSPEC_K_TUPLE:
		return fromSeq(o, C.PYSPEC_SEQ_LIST, naturalGo)
	case C.PYSPEC_K_DICT:
		m, err := fromDict(o, fromPy_str, naturalGo)
		if err == nil {
			return m, nil
		}
		dropError(err)
		return fromDict(o, naturalKey, naturalGo)
	case C.PYSPEC_K_SET:
		return fromSet(o, naturalKey)
	case C.PYSPEC_K_DATETIME:
		return fromPy_datetime(o)
	case C.PYSPEC_K_TIMEDELTA:
		return fromPy_timedelta(o)
	case -1:
		return nil, pendingError()
	}
	for _, c := range instanceConvs {
		if r, err := c.fromPy(o); err == nil {
			return r.Interface(), nil
		} else if _, ok := err.(*convError); !ok {
			return nil, err
		}
	}
	return fromPy_object(o)
}

// naturalKey is naturalGo for a map key: bytes become a string (a Go
// []byte cannot be a key).
func naturalKey(o *C.PyObject) (any, error) {
	x, err := naturalGo(o)
	if b, ok := x.([]byte); ok {
		return string(b), err
	}
	if x != nil && !reflect.TypeOf(x).Comparable() {
		tn := typeName(o)
		return nil, &convError{kind: py.KindTypeError, msg: "cannot be a Go map key (it is a " + tn + ")"}
	}
	return x, err
}
