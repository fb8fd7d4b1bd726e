"""A Hypothesis state machine over three separately built pyspec modules
(procs, safety, buffers), each with its own Go runtime, in one process.

Its steps interleave what each module does on its own - sync calls over
buffers, callbacks, objects made and dropped, buffer exports held across
steps and released later, pickles and copies, async calls and their
cancellation, Ctrl-C during a context call, fork - so that the next defect
that only shows when features meet (issue 19) is found by the machine
rather than by a user. Every step checks its results against a plain
Python model; the invariants check what the model says about the whole
process (export counts, pending goroutines) after every step.

TestCombined (tests/combined_test.go) runs it three times: normally, under
-X dev with PYTHONMALLOC=debug, and with the modules built with
AddressSanitizer. In CI the example counts are small and the run is
derandomized (reproducible); PYSPEC_SOAK=1 (or a number of examples) makes
it a long randomized soak, see settings below.
"""
import array
import asyncio
import copy
import dis
import gc
import os
import pickle
import signal
import sys
import threading
import time
import traceback
import weakref

import numpy
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import buffers
import procs
import safety

# ---- example counts -------------------------------------------------------
#
# CI (PYSPEC_SOAK unset): 30 examples of up to 25 steps each, derandomized so
# that every run explores the same sequences; about 10-20 s per run on a
# 2-core machine (three runs in TestCombined). PYSPEC_SOAK=1: 2000 examples
# of up to 50 steps, random seeds (a failure prints the blob to reproduce
# it); PYSPEC_SOAK=N: N examples.
_SOAK = os.environ.get("PYSPEC_SOAK", "")
if _SOAK:
    _examples = int(_SOAK) if _SOAK.isdigit() and int(_SOAK) > 1 else 2000
    SETTINGS = settings(max_examples=_examples, stateful_step_count=50, deadline=None, derandomize=False,
                        database=None, print_blob=True, suppress_health_check=list(HealthCheck))
else:
    SETTINGS = settings(max_examples=30, stateful_step_count=25, deadline=None, derandomize=True,
                        database=None, suppress_health_check=list(HealthCheck))

INT64 = 2**63

UNDER_ASAN = "libasan" in os.environ.get("LD_PRELOAD", "")

# A context call that Ctrl-C must cancel: far longer than the test would
# wait, so a SIGINT that does not cancel it shows as "timeout".
LONG_MS = 30_000


def wrap64(v):
    """v as Go's int64 arithmetic leaves it."""
    v &= 2**64 - 1
    return v - 2**64 if v >= INT64 else v


def fnv1a(data):
    h = 14695981039346656037
    for b in data:
        h ^= b
        h = (h * 1099511628211) & (2**64 - 1)
    return h


def wait_pending_zero(limit_s=20.0):
    """procs.pending() reaches 0 once every async call has settled; a
    goroutine that never sees its context cancelled keeps it above 0."""
    end = time.monotonic() + limit_s
    while procs.pending() != 0 and time.monotonic() < end:
        time.sleep(0.002)
    return procs.pending()


def wait_child(pid, limit_s=60.0):
    """The exit code of a forked child, or None (after killing it) if it
    hung."""
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        wpid, status = os.waitpid(pid, os.WNOHANG)
        if wpid:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.005)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None


# ---- Ctrl-C during a call -------------------------------------------------
#
# The SIGINT is sent once the main thread is inside the Go call, so the step
# is deterministic: the watcher holds the GIL when it looks, and the main
# thread's innermost frame stands at the CALL instruction of blocking_wait
# only while that call runs without the GIL (wait_for_interrupt is nogil).
# (Python 3.11's specialized PRECALL instructions make the call themselves
# once the code is warm, so their offsets count too.)

def blocking_wait(mod):
    return mod.wait_for_interrupt(LONG_MS)


_CALL_OFFSETS = {i.offset for i in dis.get_instructions(blocking_wait) if i.opname.startswith(("CALL", "PRECALL"))}


def interrupt_when_inside(main_ident, stop):
    while not stop.is_set():
        frame = sys._current_frames().get(main_ident)
        if frame is not None and frame.f_code is blocking_wait.__code__ and frame.f_lasti in _CALL_OFFSETS:
            os.kill(os.getpid(), signal.SIGINT)
            return
        time.sleep(0.001)


class SubItem(safety.Item):
    """A Python subclass: Go hands back this wrapper while it lives."""


# ---- the model's records --------------------------------------------------

class Acc:
    def __init__(self, obj, total, count):
        self.obj, self.total, self.count = obj, total, count


class Exp:
    """An exporter: kind is "exporter" (safety.Exporter), "locked"
    (safety.LockedExporter), "fixed" (safety.FixedLocked, whose export is
    kept in C after the first) or "constant" (buffers.ConstantBuffer); gen
    counts re-initializations, whose new Go value has no views yet."""

    def __init__(self, kind, obj, n, elem):
        self.kind, self.obj, self.n, self.elem, self.gen = kind, obj, n, elem, 0
        self.open_views = []  # View records not released

    def contents(self):
        if self.kind == "fixed":
            return list(range(self.n))
        return [self.elem] * self.n

    def live(self):
        return sum(1 for v in self.open_views if v.gen == self.gen)


class View:
    def __init__(self, exp, mv):
        self.exp, self.mv, self.gen, self.want = exp, mv, exp.gen, exp.contents()


def make_exporter(kind, n, elem):
    if kind == "exporter":
        return Exp(kind, safety.Exporter(n, "ok"), n, 0)
    if kind == "locked":
        return Exp(kind, safety.LockedExporter(n), n, 0)
    if kind == "fixed":
        return Exp(kind, safety.FixedLocked(n), n, 0)
    return Exp(kind, buffers.ConstantBuffer(elem, n), n, elem)


def buffer_of(kind, values):
    """An int64 buffer of values, of a kind of Python exporter."""
    if kind == "numpy":
        return numpy.array(values, dtype=numpy.int64)
    if kind == "array":
        return array.array("q", values)
    if kind == "bytes":
        return memoryview(array.array("q", values).tobytes()).cast("q")
    return memoryview(bytearray(array.array("q", values).tobytes())).cast("q")


small_ints = st.integers(-(2**40), 2**40)
int64s = st.integers(-INT64, INT64 - 1)
floats = st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)
index = st.integers(0, 1 << 16)
labels = st.text(max_size=12)
exporter_kinds = st.sampled_from(["exporter", "locked", "fixed", "constant"])
buffer_kinds = st.sampled_from(["numpy", "array", "bytes", "bytearray"])


class CombinedModules(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.accs = []      # Acc
        self.points = []    # [Point, x, y]
        self.items = []     # (Item or SubItem, label)
        self.holders = []   # [Holder, label or None, weakref to the item put or None]
        self.exps = []      # Exp held by the model (views hold theirs too)
        self.views = []     # View not released

    # ---- sync calls ---------------------------------------------------

    @rule(data=st.binary(max_size=300))
    def checksum(self, data):
        before = sys.getrefcount(data)
        assert procs.checksum(data) == fnv1a(data)
        assert sys.getrefcount(data) == before

    @rule(kind=buffer_kinds, values=st.lists(int64s, max_size=40))
    def sum_of_a_python_buffer(self, kind, values):
        buf = buffer_of(kind, values)
        before = sys.getrefcount(buf)
        assert buffers.sum(buf) == wrap64(sum(values))
        assert sys.getrefcount(buf) == before

    @rule(kind=st.sampled_from(["numpy", "bytearray"]), values=st.lists(int64s, max_size=20))
    def reverse_in_place(self, kind, values):
        buf = buffer_of(kind, values)
        buffers.reverse(buf)
        assert list(buf) == values[::-1]

    @rule(i=index, direct=st.booleans())
    @precondition(lambda self: self.exps)
    def sum_of_a_go_export(self, i, direct):
        # One module's export read by another module's function.
        exp = self.exps[i % len(self.exps)]
        # A plain name: pytest's assert rewriting keeps an attribute's value
        # (exp.obj) in a temporary, one more reference than outside asserts.
        obj = exp.obj
        before = sys.getrefcount(obj)
        arg = obj if direct else memoryview(obj)
        assert buffers.sum(arg) == wrap64(sum(exp.contents()))
        assert safety.buffer_then_int(arg, exp.n) == exp.n
        if not direct:
            arg.release()
        del arg
        assert sys.getrefcount(obj) == before
        self.check_live(exp)

    @rule(i=index)
    @precondition(lambda self: self.exps)
    def writable_request_is_refused(self, i):
        exp = self.exps[i % len(self.exps)]
        try:
            buffers.reverse(exp.obj)
        except BufferError as e:
            assert "writable" in str(e), e
        else:
            raise AssertionError("a read-only export was reversed in place")
        try:
            safety.take_writable(exp.obj)
        except BufferError as e:
            assert "writable" in str(e) or "read-only" in str(e), e
        else:
            raise AssertionError("a read-only export was taken as writable")
        self.check_live(exp)

    # ---- callbacks ----------------------------------------------------

    @rule(x=small_ints, inner=st.sampled_from(["none", "buffers", "safety", "procs", "apply", "raise"]),
          values=st.lists(small_ints, max_size=8))
    def apply(self, x, inner, values):
        err = ValueError("from the callback")

        def f(v):
            if inner == "buffers":
                return v + buffers.sum(array.array("q", values))
            if inner == "safety":
                return v + len(safety.Item(str(v)).label)
            if inner == "procs":
                return v + procs.checksum(str(v).encode()) % 1000
            if inner == "apply":
                return procs.apply(lambda w: w * 2, v) + 1
            if inner == "raise":
                raise err
            return v - 1

        want = {"none": x - 1, "buffers": x + sum(values), "safety": x + len(str(x)),
                "procs": x + fnv1a(str(x).encode()) % 1000, "apply": 2 * x + 1}.get(inner)
        before = sys.getrefcount(f)
        if inner == "raise":
            try:
                procs.apply(f, x)
            except ValueError as e:
                assert e is err
            else:
                raise AssertionError("the callback's exception was lost")
            # The traceback holds f's frame, and so f: only Go's references count.
            err.__traceback__ = None
        else:
            assert procs.apply(f, x) == want
        assert sys.getrefcount(f) == before

    # ---- objects ------------------------------------------------------

    @rule(start=floats, inner=st.sampled_from(["none", "buffers", "safety"]))
    def new_accumulator(self, start, inner):
        if inner == "none":
            self.accs.append(Acc(procs.Accumulator(start), start, 0))
            return
        seen = []

        def f(*args):
            # Another module's call and object inside procs' callback.
            if inner == "buffers":
                seen.append(buffers.sum(buffers.ConstantBuffer(2, 3)))
            else:
                seen.append(safety.Item("made in a callback").label)

        acc = procs.accumulator_after(f, start)
        assert seen == [6] if inner == "buffers" else seen == ["made in a callback"]
        assert type(acc) is procs.Accumulator
        self.accs.append(Acc(acc, start, 0))

    @rule(i=index, x=floats)
    @precondition(lambda self: self.accs)
    def add(self, i, x):
        a = self.accs[i % len(self.accs)]
        a.total += x
        a.count += 1
        assert a.obj.add(x) == a.total
        assert a.obj.count == a.count

    @rule(i=index, how=st.sampled_from(["copy", "deepcopy"] + [f"pickle{p}" for p in range(pickle.HIGHEST_PROTOCOL + 1)]))
    @precondition(lambda self: self.accs)
    def copy_accumulator(self, i, how):
        a = self.accs[i % len(self.accs)]
        c = copy.copy(a.obj) if how == "copy" else copy.deepcopy(a.obj) if how == "deepcopy" else \
            pickle.loads(pickle.dumps(a.obj, int(how[6:])))
        assert c is not a.obj and type(c) is procs.Accumulator
        assert c.total() == a.total and c.count == a.count
        c.add(1.0)  # its own Go value
        assert a.obj.total() == a.total and a.obj.count == a.count
        self.accs.append(Acc(c, a.total + 1.0, a.count + 1))

    @rule(i=index)
    @precondition(lambda self: self.accs)
    def drop_accumulator(self, i):
        a = self.accs.pop(i % len(self.accs))
        r = weakref.ref(a.obj)
        del a
        # Nothing else keeps it. A reference an async call's goroutine held
        # is dropped by the main thread soon after (decref_later, a pending
        # call), which a slow run (ASan) may not have reached yet.
        deadline = time.monotonic() + 5
        while r() is not None and time.monotonic() < deadline:
            time.sleep(0.001)
        assert r() is None

    @rule(x=int64s, y=int64s)
    def new_point(self, x, y):
        self.points.append([procs.Point(x, y), x, y])

    @rule(i=index, x=int64s, how=st.sampled_from(["set", "copy", "deepcopy", "pickle"]))
    @precondition(lambda self: self.points)
    def use_point(self, i, x, how):
        p = self.points[i % len(self.points)]
        if how == "set":
            p[0].x = x
            p[1] = x
        else:
            c = copy.copy(p[0]) if how == "copy" else copy.deepcopy(p[0]) if how == "deepcopy" else \
                pickle.loads(pickle.dumps(p[0]))
            assert c is not p[0] and (c.x, c.y) == (p[1], p[2])
            c.y = x
            self.points.append([c, p[1], x])
        assert (p[0].x, p[0].y) == (p[1], p[2])

    @rule(i=index)
    @precondition(lambda self: self.points)
    def drop_point(self, i):
        self.points.pop(i % len(self.points))

    @rule(label=labels, sub=st.booleans())
    def new_item(self, label, sub):
        self.items.append(((SubItem if sub else safety.Item)(label), label))

    @rule()
    def new_holder(self):
        self.holders.append([safety.Holder(), None, None])

    @rule(h=index, i=index)
    @precondition(lambda self: self.holders and self.items)
    def put(self, h, i):
        rec = self.holders[h % len(self.holders)]
        item, label = self.items[i % len(self.items)]
        before = sys.getrefcount(item)
        rec[0].put(item)
        assert sys.getrefcount(item) == before  # Go keeps its value, not the wrapper
        rec[1], rec[2] = label, weakref.ref(item)

    @rule(h=index)
    @precondition(lambda self: any(r[1] is not None for r in self.holders))
    def get(self, h):
        full = [r for r in self.holders if r[1] is not None]
        holder, label, ref = full[h % len(full)]
        got = holder.get()
        assert got.label == label and safety.inner.label_of(got) == label
        alive = ref()
        if alive is not None:
            assert got is alive  # the live wrapper, subclass and all
        else:
            assert type(got) is safety.Item  # a new wrapper of the Go value

    @rule(i=index)
    @precondition(lambda self: self.items)
    def drop_item(self, i):
        self.items.pop(i % len(self.items))

    @rule(h=index)
    @precondition(lambda self: self.holders)
    def drop_holder(self, h):
        self.holders.pop(h % len(self.holders))

    # ---- exports ------------------------------------------------------

    @rule(kind=exporter_kinds, n=st.integers(0, 64), elem=int64s)
    def new_exporter(self, kind, n, elem):
        exp = make_exporter(kind, n, elem)
        self.exps.append(exp)
        self.check_live(exp)

    @rule(i=index)
    @precondition(lambda self: self.exps)
    def view(self, i):
        exp = self.exps[i % len(self.exps)]
        v = View(exp, memoryview(exp.obj))
        assert v.mv.readonly and v.mv.format == "q" and list(v.mv) == v.want
        exp.open_views.append(v)
        self.views.append(v)
        self.check_live(exp)

    @rule(i=index)
    @precondition(lambda self: self.views)
    def release(self, i):
        v = self.views.pop(i % len(self.views))
        assert list(v.mv) == v.want  # still pinned, whatever happened since
        v.mv.release()
        v.exp.open_views.remove(v)
        self.check_live(v.exp)

    @rule(i=index)
    @precondition(lambda self: self.exps)
    def drop_exporter(self, i):
        # Its views, if any, keep it alive; their release still counts.
        self.exps.pop(i % len(self.exps))

    @rule(i=index, n=st.integers(0, 64), elem=int64s)
    @precondition(lambda self: self.exps)
    def reinit_exporter(self, i, n, elem):
        exp = self.exps[i % len(self.exps)]
        if exp.kind == "exporter":
            exp.obj.__init__(n, "ok")
        elif exp.kind in ("locked", "fixed"):
            exp.obj.__init__(n)
        else:
            exp.obj.__init__(elem, n)
            exp.elem = elem
        exp.n = n
        exp.gen += 1  # old views belong to the old Go value
        self.check_live(exp)
        with memoryview(exp.obj) as m:
            assert list(m) == exp.contents()

    @rule(i=index, how=st.sampled_from(["copy", "deepcopy", "pickle"]))
    @precondition(lambda self: any(e.kind == "constant" for e in self.exps))
    def copy_constant_buffer(self, i, how):
        consts = [e for e in self.exps if e.kind == "constant"]
        exp = consts[i % len(consts)]
        c = copy.copy(exp.obj) if how == "copy" else copy.deepcopy(exp.obj) if how == "deepcopy" else \
            pickle.loads(pickle.dumps(exp.obj))
        assert c is not exp.obj
        with memoryview(c) as m:
            assert list(m) == exp.contents()
        self.exps.append(Exp("constant", c, exp.n, exp.elem))

    # ---- async --------------------------------------------------------

    @rule(xs=st.lists(small_ints.filter(lambda v: abs(v) < 2**31), max_size=6), ms=st.integers(0, 3),
          cancel=st.sampled_from(["none", "before_start", "after_start", "timeout"]), acc=index,
          add=floats, in_between=st.sampled_from(["none", "apply", "buffers", "safety"]))
    def async_calls(self, xs, ms, cancel, acc, add, in_between):
        a = self.accs[acc % len(self.accs)] if self.accs else None

        async def main():
            squares = asyncio.gather(*[procs.square_later(x, ms) for x in xs])
            later = asyncio.ensure_future(a.obj.add_later(add, ms)) if a else None
            # A sync call of any module while the async calls run.
            if in_between == "apply":
                assert procs.apply(lambda v: v + 1, 41) == 42
            elif in_between == "buffers":
                assert buffers.sum(array.array("q", [1, 2, 3])) == 6
            elif in_between == "safety":
                assert safety.Item("between").label == "between"
            if cancel == "timeout":
                try:
                    await asyncio.wait_for(procs.sleep_ms(LONG_MS), 0.01)
                except asyncio.TimeoutError:
                    pass
                else:
                    raise AssertionError("sleep_ms outlived its timeout")
            elif cancel != "none":
                task = asyncio.ensure_future(procs.sleep_ms(LONG_MS))
                if cancel == "after_start":
                    await asyncio.sleep(0)  # the task's first step starts the goroutine
                task.cancel()
                try:
                    await task
                except asyncio.CancelledError:
                    pass
                else:
                    raise AssertionError("a cancelled sleep_ms completed")
            assert await squares == [x * x for x in xs]
            assert await procs.divmod_later(17, 5) == (3, 2)
            try:
                await procs.fail_later(len(xs) % 2 == 0)
            except (procs.Refused, RuntimeError):
                pass
            else:
                raise AssertionError("fail_later did not fail")
            return await later if later else None

        got = asyncio.run(main())
        if a:
            a.total += add
            a.count += 1
            assert got == a.total and a.obj.count == a.count
        assert wait_pending_zero() == 0  # every goroutine saw its result delivered or its context cancelled

    # ---- Ctrl-C -------------------------------------------------------

    @rule(mod=st.sampled_from(["procs", "safety"]), nested=st.booleans(), handler=st.sampled_from(["default", "own"]))
    def ctrl_c_during_a_context_call(self, mod, nested, handler):
        m = procs if mod == "procs" else safety
        seen = []
        old = signal.getsignal(signal.SIGINT)
        assert old is signal.default_int_handler
        if handler == "own":
            signal.signal(signal.SIGINT, lambda s, f: seen.append(s))
        stop = threading.Event()
        watcher = threading.Thread(target=interrupt_when_inside, args=(threading.get_ident(), stop))
        watcher.start()
        result, interrupted, late, seen_at_return = None, False, False, None
        try:
            if nested:
                # The context call of one module inside another's callback.
                result = procs.apply(lambda x: 1 if blocking_wait(m) == "cancelled" else 0, 0)
            else:
                result = blocking_wait(m)
            seen_at_return = len(seen)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            stop.set()
            watcher.join()
            # A SIGINT the call left pending surfaces here, not in a later step.
            try:
                for _ in range(3):
                    time.sleep(0.001)
            except KeyboardInterrupt:
                late = True
            signal.signal(signal.SIGINT, old)
        if handler == "own":
            # Python's handler ran once, by the time the call returned, and
            # raised nothing: the call's own result says it was cancelled.
            assert not interrupted
            assert (seen_at_return, seen) == (1, [signal.SIGINT]), "Python's SIGINT handler ran late or not once"
            assert result == (1 if nested else "cancelled")
        else:
            assert not late, "the KeyboardInterrupt came after the call returned"
            assert interrupted and result is None
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        # Python's handler is back: a call of each module times out normally.
        assert procs.wait_for_interrupt(1) == "timeout" and safety.wait_for_interrupt(1) == "timeout"

    # ---- fork ---------------------------------------------------------

    @rule(where=st.sampled_from(["top", "in_apply", "in_accumulator_after"]), hold=st.booleans())
    def fork(self, where, hold):
        if UNDER_ASAN:
            # gcc 12's ASan allocator is not fork-safe while other threads
            # allocate, as the Go runtime's do during a call: fork at the
            # top level only (tests/procs, test_fork_inside_a_callback).
            where = "top"
        pickled = [pickle.dumps(a.obj) for a in self.accs[:3]]
        want_pickled = [(a.total, a.count) for a in self.accs[:3]]
        holder = None
        locked = [e for e in self.exps if e.kind == "locked"]
        if hold and locked:
            # A parent thread inside a lock: true method when the fork happens.
            holder = threading.Thread(target=locked[0].obj.hold, args=(100,))
            holder.start()
            time.sleep(0.01)
        def child_main():
            code = 1
            try:
                self.in_child(pickled, want_pickled)
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)

        def fork_here():
            # A child forked inside a callback finishes there: returning would
            # resume the parent's Go runtime, which may wait for a thread the
            # child does not have (README, "fork inside a callback").
            pid = os.fork()
            if pid == 0:
                child_main()
            return pid

        pid = None
        try:
            if where == "top":
                pid = os.fork()
                if pid == 0:
                    child_main()
            elif where == "in_apply":
                pids = []
                r = procs.apply(lambda x: pids.append(fork_here()) or x + 1, 1)
                pid = pids[0]
                assert r == 2
            else:
                pids = []
                acc = procs.accumulator_after(lambda *a: pids.append(fork_here()), 4.0)
                pid = pids[0]
                assert acc.total() == 4.0
        finally:
            if holder is not None:
                holder.join()
        code = wait_child(pid)
        assert code is not None, "the forked child hung"
        assert code == 0, f"the forked child failed (exit code {code}); its traceback is above"
        # And the parent goes on with its own objects.
        for a in self.accs:
            assert a.obj.total() == a.total
        assert procs.churn(10_000) == 10_000

    def in_child(self, pickled, want_pickled):
        def fails(call, exc=RuntimeError):
            try:
                call()
            except exc as e:
                assert "fork" in str(e), e
            else:
                raise AssertionError(f"{call} worked in the child on a parent's object")

        # Objects made before the fork: refused, saying why.
        for a in self.accs:
            fails(a.obj.total)
            fails(lambda: pickle.dumps(a.obj))
        for p in self.points:
            fails(lambda: p[0].x)
        for h in self.holders:
            fails(h[0].get)
        for item, _ in self.items:
            fails(lambda: item.label)
            fails(lambda: safety.inner.label_of(item))
        for e in self.exps:
            fails(lambda: memoryview(e.obj), BufferError)
            fails(lambda: buffers.sum(e.obj), BufferError)
            if e.kind == "fixed":
                fails(e.obj.exports)
            elif e.kind != "constant":
                fails(e.obj.live)
        # Views exported before the fork stay readable and release (also a
        # lock: true object's, whose lock a parent thread may hold).
        for v in self.views:
            assert list(v.mv) == v.want
            v.mv.release()
        # What the parent pickled comes back in the child.
        for data, (total, count) in zip(pickled, want_pickled):
            a = pickle.loads(data)
            assert (a.total(), a.count) == (total, count)
        # Fresh objects and calls of each module work, with their collectors.
        assert procs.churn(200_000) == 200_000 and procs.pid() == os.getpid()
        acc = procs.Accumulator(1.0)
        assert acc.add(2.0) == 3.0 and pickle.loads(pickle.dumps(acc)).total() == 3.0
        c = buffers.ConstantBuffer(7, 5)
        assert buffers.sum(c) == 35 and list(memoryview(c)) == [7] * 5
        assert buffers.sum(numpy.arange(10, dtype=numpy.int64)) == 45
        e = safety.Exporter(3, "ok")
        with memoryview(e) as m:
            assert e.live() == 1 and list(m) == [0, 0, 0]
        assert e.live() == 0
        le = safety.LockedExporter(2)
        with memoryview(le) as m:
            assert le.live() == 1
        h = safety.Holder()
        h.put(safety.Item("child"))
        assert h.get().label == "child"
        assert procs.apply(lambda x: x + buffers.sum(array.array("q", [x])), 4) == 8
        assert asyncio.run(procs.square_later(5)) == 25
        for e in self.exps:
            if e.kind == "locked":
                e.obj.__init__(2)  # a new Go value in the child, behind a fresh lock
                with memoryview(e.obj) as m:
                    assert len(m) == 2
        gc.collect()

    # ---- invariants ---------------------------------------------------

    def check_live(self, exp):
        if exp.kind == "fixed":
            # Buffer runs once per Go value: for its first view, or a
            # refused request (which keeps the export too).
            calls = exp.obj.exports()
            assert calls <= 1 and (calls == 1 or exp.live() == 0), (calls, exp.live())
        elif exp.kind != "constant":
            assert exp.obj.live() == exp.live(), (exp.kind, exp.obj.live(), exp.live())

    @invariant()
    def export_counts_match(self):
        for exp in self.exps:
            self.check_live(exp)
        for v in self.views:
            self.check_live(v.exp)

    @invariant()
    def no_pending_goroutines(self):
        assert procs.pending() == 0

    @invariant()
    def accumulators_match(self):
        for a in self.accs:
            assert a.obj.total() == a.total and a.obj.count == a.count

    def teardown(self):
        for v in self.views:
            v.mv.release()
            v.exp.open_views.remove(v)
        for exp in self.exps:
            self.check_live(exp)
        self.views.clear()


CombinedModules.TestCase.settings = SETTINGS
test_combined_modules = CombinedModules.TestCase
