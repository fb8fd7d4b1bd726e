"""Regression tests of issue 13's defects, each in the shape that broke it.

Several of these used to read freed memory: without AddressSanitizer they
may pass by luck on a broken build, so CI also runs them under ASan (and
under -X dev with PYTHONMALLOC=debug, which poisons freed memory).
"""
import builtins
import gc
import sys
import weakref

import pytest

import safety


# 1. A Python subclass's wrapper dies in stages: subtype_dealloc runs weakref
# callbacks and clears __dict__ before the base dealloc unbinds the Go value.
# Go code returning that value in between must not get the dying wrapper.

class Sub(safety.Item):
    pass


def test_weakref_callback_gets_a_live_wrapper():
    h = safety.Holder()
    s = Sub("kept")
    h.put(s)
    got = []
    r = weakref.ref(s, lambda ref: got.append(h.get()))
    del s
    gc.collect()
    assert r() is None
    assert len(got) == 1
    item = got[0]
    assert type(item) is safety.Item  # a new wrapper: the subclass part died
    assert item.label == "kept"
    assert sys.getrefcount(item) == 3  # got, item, the argument
    assert h.get() is item
    del got
    for _ in range(1000):  # reuse freed memory; the wrapper must stay intact
        Sub("x")
    assert item.label == "kept" and h.get() is item


class Trap:
    def __init__(self, holder, sink):
        self.holder, self.sink = holder, sink

    def __del__(self):
        self.sink.append(self.holder.get())


def test_dict_clearing_gets_a_live_wrapper():
    h = safety.Holder()
    s = Sub("trapped")
    h.put(s)
    sink = []
    s.trap = Trap(h, sink)
    del s
    gc.collect()
    assert len(sink) == 1
    item = sink[0]
    others = [safety.Item(str(i)) for i in range(100)]
    assert type(item) is safety.Item and item.label == "trapped"
    assert h.get() is item
    assert all(o.label == str(i) for i, o in enumerate(others))


# 2. The alias of an embedded *Base must be forgotten under the pointer it
# was registered with, even if Go code replaced the pointer since.

def test_swapped_base_pointer_leaves_no_stale_alias():
    d = safety.Derived()
    assert d.tag == "original"
    d.swap_base()
    assert d.tag == "swapped"
    del d
    gc.collect()
    for _ in range(100):
        safety.Item("reuse the freed wrapper's memory")
    old = safety.old_base()
    assert type(old) is safety.Base
    assert old.tag == "original" and old.describe() == "base original"
    assert old.root_name() == "root original"


def test_nil_embedded_pointer_is_an_error_not_a_crash():
    # Leaf -> Derived (by value) -> *Base (nil here) -> Root (by value): the
    # Root part of this Leaf is behind a nil pointer, also when it dies.
    leaf = safety.Leaf(False)
    with pytest.raises(RuntimeError, match="nil pointer"):
        leaf.describe()
    with pytest.raises(RuntimeError):
        leaf.root_name()
    with pytest.raises(RuntimeError):
        leaf.tag
    del leaf
    gc.collect()
    ok = safety.Leaf(True)
    assert ok.describe() == "base leaf"
    assert ok.root_name() == "root "


# 3. A shape whose element count overflows must not pass the size check.

def test_shape_product_overflow_is_refused():
    e = safety.Exporter(0, "overflow")
    with pytest.raises(BufferError, match="shape"):
        memoryview(e)


# 4. A view refused after the Go hook ran must run the release hook too.

def test_refused_views_are_released():
    e = safety.Exporter(4, "ok")
    before = len(safety.released_ids())
    with pytest.raises(BufferError, match="read-only"):
        safety.take_writable(e)
    assert e.live() == 0
    # The refused view, then the read-only probe that words the refusal.
    assert safety.released_ids()[before:] == [e.ident, e.ident]


def test_refused_fortran_request_releases():
    e = safety.Exporter(6, "grid")  # 2 x 3, C order
    before = len(safety.released_ids())
    with pytest.raises(BufferError, match="Fortran"):
        safety.take_fortran(e)
    assert e.live() == 0
    assert safety.released_ids()[before:] == [e.ident]
    flat = safety.Exporter(6, "ok")  # 1-D: Fortran-contiguous too
    safety.take_fortran(flat)
    assert flat.live() == 0


# 5. A re-initialized exporter releases its old views against the value that
# exported them.

def test_reinit_while_exported_releases_the_old_value():
    e = safety.Exporter(4, "ok")
    old = e.ident
    m = memoryview(e)
    assert e.live() == 1
    e.__init__(8, "ok")
    new = e.ident
    assert new != old and e.live() == 0
    m.release()
    assert e.live() == 0
    assert safety.released_ids()[-1] == old
    assert len(memoryview(e)) == 8


# 6. A release hook that panics while another argument's TypeError is pending
# must not replace it (it once became "SystemError: returned NULL without
# setting an exception").

def test_pending_exception_survives_a_panicking_release(monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: seen.append(u))
    e = safety.Exporter(2, "panic_release")
    with pytest.raises(TypeError, match="argument 'n' must be int"):
        safety.buffer_then_int(e, "not an int")
    assert len(seen) == 1 and "release hook panics" in str(seen[0].exc_value)
    assert safety.buffer_then_int(safety.Exporter(1, "ok"), 5) == 5


# 7. Smaller defects.

def test_float32_accepts_its_own_bounds():
    import struct
    big = 3.4028235e38
    struct.pack("f", big)  # what Python itself accepts
    assert safety.f32(big) == pytest.approx(big, rel=1e-7)
    assert safety.f32(-big) == pytest.approx(-big, rel=1e-7)
    assert safety.f32(float("inf")) == float("inf")
    with pytest.raises(OverflowError, match="float32"):
        safety.f32(3.5e38)


def test_reassigned_init_is_called():
    calls = []
    original = safety.Item.__init__

    def init(self, label):
        calls.append(label)
        original(self, label.upper())

    safety.Item.__init__ = init
    try:
        it = safety.Item("abc")
        assert calls == ["abc"] and it.label == "ABC"
    finally:
        safety.Item.__init__ = original
    assert safety.Item("x").label == "x" and calls == ["abc"]


def test_base_init_refuses_an_instance_of_a_derived_spec_class():
    d = safety.Derived()
    with pytest.raises(TypeError, match=r"Base.__init__\(\) cannot initialize a Derived"):
        safety.Base.__init__(d, "hijack")
    d.swap_base()
    assert d.tag == "swapped"


# Exceptions from a buffer argument's exporter keep their class and cause.

def test_builtin_exporter_error_is_chained():
    with pytest.raises(BufferError) as info:
        safety.buffer_then_int(safety.Exporter(1, "buffererror"), 1)
    assert str(info.value).startswith("buffer_then_int() argument 'buf': ")
    assert isinstance(info.value.__cause__, BufferError)
    assert str(info.value.__cause__) == "no buffer today"


def test_declared_exporter_error_keeps_its_class():
    with pytest.raises(safety.ExportRefused) as info:
        safety.buffer_then_int(safety.Exporter(1, "refuse"), 1)
    assert "refused by mode" in str(info.value)
    assert any("buffer_then_int() argument 'buf'" in n for n in info.value.__notes__)


# Module objects: PEP 489 multi-phase init.

def test_reimport_shares_the_classes():
    import importlib
    h = safety.Holder()
    h.put(safety.Item("a"))
    saved = sys.modules.pop("safety")
    try:
        again = importlib.import_module("safety")
        assert again is not saved
        assert again.Item is saved.Item
        assert isinstance(h.get(), again.Item)
    finally:
        sys.modules["safety"] = saved


def test_subinterpreter_is_refused():
    _testcapi = pytest.importorskip("_testcapi")
    code = (
        "try:\n"
        "    import safety\n"
        "except ImportError as e:\n"
        "    assert 'subinterpreters' in str(e), e\n"
        "else:\n"
        "    raise AssertionError('imported in a subinterpreter')\n"
    )
    assert _testcapi.run_in_subinterp(code) == 0


def test_weak_references():
    it = safety.Item("w")
    r = weakref.ref(it)
    assert r() is it
    del it
    assert r() is None


# Scalar attributes are read and written by C in the Go value itself, at
# the offset the Go part reports for each class; through an embedded
# pointer they go through Go.

def test_scalar_attributes_in_place_through_every_embedding():
    b = safety.Base("t")  # Root embedded by value: an offset
    b.level = 7
    assert b.level == 7 and b.level_in_go() == 7
    d = safety.Derived()  # Root behind *Base: through Go
    d.level = -3
    assert d.level == -3 and d.level_in_go() == -3
    d.swap_base()
    assert d.level == 0  # the new Base's
    leaf = safety.Leaf(True)
    leaf.level = 2**62
    assert leaf.level == 2**62 and leaf.level_in_go() == 2**62
    with pytest.raises(RuntimeError):
        safety.Leaf(False).level
    with pytest.raises(OverflowError):
        b.level = 2**63
    with pytest.raises(TypeError, match="attribute 'level' of 'Root' objects must be int"):
        b.level = "x"
    assert b.level == 7


# Issue 19, 15. The getbuffer slot handed Go an uninitialised export
# descriptor on the C stack; Go's write barrier passed the stale words it
# overwrote to the collector ("found bad pointer in Go heap"). GOGC=1 keeps
# the collector running, so the old glue died within a second or two.

EXPORT_STRESS = r"""
import sys, threading
sys.path.insert(0, sys.argv[1])
import safety

def work():
    e = safety.Exporter(64, "ok")
    for i in range(50000):
        e = safety.Exporter(64, "ok")
        m = memoryview(e)
        assert safety.buffer_then_int(e, i) == i
        m.release()
        e.__init__(32, "ok")
        with memoryview(e) as m2:
            assert len(m2) == 32

threads = [threading.Thread(target=work) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("done")
"""


def test_exports_from_threads_under_constant_gc():
    import os, subprocess
    env = dict(os.environ, GOGC="1")
    r = subprocess.run([sys.executable, "-c", EXPORT_STRESS, os.path.dirname(safety.__file__)],
                       env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0 and r.stdout.strip() == "done", r.stderr[-2000:]


def _run(code, timeout=60):
    import os, subprocess, textwrap
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, env=env, timeout=timeout)


# Issue 19, 3. A submodule's function kept after the module was dropped from
# sys.modules and collected: the module's classes were gone, and the
# argument check dereferenced a NULL type.
def test_a_kept_submodule_function_keeps_the_classes():
    r = _run("""
        import gc, sys
        import safety
        label_of = safety.inner.label_of
        for name in [n for n in sys.modules if n == "safety" or n.startswith("safety.")]:
            del sys.modules[name]
        del safety
        gc.collect()
        try:
            label_of("not an item")
        except TypeError as e:
            print("TypeError:", e)
    """)
    assert r.returncode == 0, r.stdout
    assert "TypeError: label_of() argument 'item' must be Item, not str" in r.stdout, r.stdout


# Issue 19, 7. In a forked child, releasing a view that a lock: true object
# exported before the fork took the object's lock first, held by a parent's
# thread that does not exist in the child: the child hung.
def test_a_child_releases_a_locked_exporters_view_while_a_parent_thread_held_the_lock():
    r = _run("""
        import os, sys, threading, time
        import safety
        e = safety.LockedExporter(8)
        m = memoryview(e)
        t = threading.Thread(target=e.hold, args=(1500,))
        t.start()
        time.sleep(0.3)  # t holds e's lock, without the GIL
        pid = os.fork()
        if pid == 0:
            m.release()
            try:
                e.live()
            except RuntimeError as err:
                assert "fork" in str(err), err
            e.__init__(4)  # a new Go value in the child, behind a fresh lock
            with memoryview(e) as m2:
                assert len(m2) == 4
            os._exit(0)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            wpid, status = os.waitpid(pid, os.WNOHANG)
            if wpid:
                print("child", os.waitstatus_to_exitcode(status))
                break
            time.sleep(0.02)
        else:
            os.kill(pid, 9)
            print("child hung")
        t.join()
        m.release()
        print("live", e.live())
    """)
    assert r.returncode == 0, r.stdout
    assert "child 0" in r.stdout and "live 0" in r.stdout, r.stdout


# Issue 19, 8. The interpreter exits while a daemon thread is inside a locked
# nogil method: Python stops the thread when it asks for the GIL back, so the
# lock stays held, and finalization blocked in releasebuffer on it.
def test_exit_while_a_daemon_thread_holds_an_objects_lock():
    r = _run("""
        import threading, time
        import safety
        e = safety.LockedExporter(8)
        m = memoryview(e)  # released during finalization
        threading.Thread(target=e.hold, args=(300,), daemon=True).start()
        time.sleep(0.1)
        print("exiting", flush=True)
    """, timeout=60)
    assert r.returncode == 0, r.stdout
    assert "exiting" in r.stdout


# Issue 19, 14. A positional-only parameter's name given as a keyword goes to
# **kwargs when there is one (PEP 570), as CPython does for def f(h, /, **kw).
def test_positional_only_name_goes_to_kwargs():
    assert safety.kwarg_names("x", h=1, a=2) == ["x", "a", "h"]
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'h'"):
        safety.kwarg_names(h=1)


# Issue 19, 19. __setattr__ with a name that has no UTF-8 (a lone surrogate)
# went on with the UnicodeEncodeError still pending.
def test_setattr_with_a_lone_surrogate_name():
    b = safety.Bag()
    b.x = 3
    assert b.x == 3
    with pytest.raises(AttributeError) as e:
        setattr(b, "\udc80", 1)
    assert e.value.__context__ is None
    assert b.x == 3

    class Sub(safety.Bag):
        pass

    s = Sub()
    setattr(s, "\udc80", 1)  # into the subclass's __dict__, with no error pending
    assert getattr(s, "\udc80") == 1


# Issue 21, item 3. A fixed export under lock: true: the first view calls
# Buffer under the object's lock; later ones are made from the kept export
# without it, so a nogil call holding the lock does not hold them up.
def test_fixed_export_views_need_no_lock():
    import threading
    import time

    e = safety.FixedLocked(8)
    memoryview(e).release()  # the export is kept from here on
    t = threading.Thread(target=e.hold, args=(2000,))
    t.start()
    time.sleep(0.2)  # t holds e's lock, without the GIL
    start = time.monotonic()
    with memoryview(e) as m:
        assert m.tolist() == list(range(8))
    took = time.monotonic() - start
    t.join()
    assert took < 1.0, f"a cached view waited {took:.2f} s for the lock"
    assert e.exports() == 1


def test_fixed_export_is_read_again_after_setstate():
    e = safety.FixedLocked(3)
    old = memoryview(e)
    state = safety.FixedLocked(5).__reduce_ex__(2)[2]
    e.__setstate__(state)  # a new Go value in the same wrapper
    assert e.exports() == 0
    assert memoryview(e).tolist() == list(range(5)) and e.exports() == 1
    assert old.tolist() == [0, 1, 2]  # the old export, still pinned
    old.release()
    d = pickle_roundtrip(e)
    assert memoryview(d).tolist() == list(range(5)) and d.exports() == 1


def pickle_roundtrip(o):
    import pickle

    return pickle.loads(pickle.dumps(o))


def test_fixed_export_inherited_by_a_derived_class():
    c = safety.FixedChild(4)
    views = [memoryview(c) for _ in range(20)]
    assert c.exports() == 1 and all(v.tolist() == [0, 1, 2, 3] for v in views)
    c.__init__(2)  # the derived class's own __init__ drops the kept export too
    assert memoryview(c).tolist() == [0, 1] and c.exports() == 1
    assert views[0].tolist() == [0, 1, 2, 3]
    for v in reversed(views):
        v.release()

    class Sub(safety.FixedLocked):
        pass

    s = Sub(3)
    with memoryview(s) as a, memoryview(s) as b:
        assert a.tolist() == b.tolist() == [0, 1, 2]
    s.__init__(1)
    assert memoryview(s).tolist() == [0] and s.exports() == 1
    del s, c
    gc.collect()


@pytest.mark.parametrize("name", [
    "RuntimeError", "ValueError", "TypeError", "BufferError", "OverflowError", "IndexError", "KeyError",
    "NotImplementedError", "StopIteration", "AttributeError", "ZeroDivisionError", "MemoryError",
])
def test_every_error_kind_is_raised_as_its_class(name):
    # py.MemoryError was once raised as RuntimeError: the C part's table of
    # classes lacked it.
    cls = getattr(builtins, name)
    with pytest.raises(cls, match="raised as " + name) as e:
        safety.raise_kind(name)
    assert type(e.value) is cls
