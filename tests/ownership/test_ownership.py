"""Regression tests of issue 19's ownership defects, each in the shape that
broke it.

Some used to read freed memory: without AddressSanitizer they may pass by
luck on a broken build, so CI also runs them under ASan and under -X dev
with PYTHONMALLOC=debug. Those that used to kill the interpreter (a Go
fatal error) run in a subprocess.
"""
import gc
import os
import subprocess
import sys
import textwrap

import pytest

import ownership


def rss() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def run_python(code: str, **kw) -> subprocess.CompletedProcess:
    """Runs code in a fresh interpreter that imports ownership as this one does."""
    env = dict(os.environ, PYSPEC_GIL_WATCHDOG="1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return subprocess.run([sys.executable, *sys.flags_args(), "-c", textwrap.dedent(code)],
                          capture_output=True, text=True, env=env, timeout=120, **kw)


def _flags_args():
    args = []
    if sys.flags.dev_mode:
        args += ["-X", "dev"]
    return args


sys.flags_args = _flags_args  # type: ignore[attr-defined]


# 1. Close while another method of the same Object runs. The dict's only
# reference is Go's; a key's __eq__, run by the lookup, closes it.

class CollidingKey:
    def __init__(self, on_eq):
        self.on_eq = on_eq

    def __hash__(self):
        return 1

    def __eq__(self, other):
        self.on_eq()
        return False


class One:
    def __hash__(self):
        return 1

    def __eq__(self, other):
        return True if self is other else NotImplemented


def test_close_during_item_reentrant():
    d = {One(): "a", 2: "b"}
    ownership.keep(d)
    del d
    with pytest.raises(KeyError):
        ownership.kept_item(CollidingKey(ownership.close_kept))
    # Closed: a use now is a clear error, and so is a second Close.
    with pytest.raises(RuntimeError, match="closed"):
        ownership.kept_len()
    with pytest.raises(RuntimeError, match="closed"):
        ownership.close_kept()


def test_close_during_item_from_goroutine():
    d = {One(): "a", 2: "b"}
    ownership.keep(d)
    del d

    def close_meanwhile():
        ownership.close_kept_in_goroutine()
        ownership.wait_closed()  # releases the GIL: the goroutine closes

    with pytest.raises(KeyError):
        ownership.kept_item(CollidingKey(close_meanwhile))
    with pytest.raises(RuntimeError, match="closed"):
        ownership.kept_len()


def test_close_twice_and_use_after_close():
    with pytest.raises(RuntimeError, match="closed"):
        ownership.close_twice([1])
    with pytest.raises(RuntimeError, match="closed"):
        ownership.use_after_close([1])


# 2. Ownership: arguments are borrowed for the call, kept ones retained,
# returned ones handed over.

def test_borrowed_arguments_do_not_pile_up():
    gc.collect()
    before = rss()
    for _ in range(100):
        ownership.ignore(bytearray(20 << 20))
    grown = rss() - before
    # 100 * 20 MiB = 2 GiB when Go holds them until its garbage collector
    # runs; released at each call's end, a few MiB.
    assert grown < 512 << 20, f"RSS grew by {grown >> 20} MiB"
    assert ownership.live_objects() == 0


def test_borrowed_argument_refcount():
    x = object()
    before = sys.getrefcount(x)
    for _ in range(10):
        ownership.ignore(x)
    assert sys.getrefcount(x) == before
    assert ownership.live_objects() == 0


def py_same(o):
    return o


def py_getattr(o, name):
    return getattr(o, name)


class Holder:
    pass


def test_returned_object_refcounts():
    x = object()
    h = Holder()
    h.a = x
    # A Go function returning a value gives the same counts as a Python one.
    # (Counted outside assert: pytest's rewritten asserts keep values.)
    go, py = sys.getrefcount(ownership.same(x)), sys.getrefcount(py_same(x))
    assert go == py
    go, py = sys.getrefcount(ownership.get_attr(h, "a")), sys.getrefcount(py_getattr(h, "a"))
    assert go == py
    before = sys.getrefcount(x)
    got = ownership.get_attrs(h, ["a", "a"])
    assert got == [x, x]
    assert sys.getrefcount(x) == before + 2
    del got
    assert sys.getrefcount(x) == before
    assert ownership.live_objects() == 0


def test_kept_object_retained():
    d = {"k": 1}
    ownership.keep(d)
    before = sys.getrefcount(d)
    assert ownership.kept() is d
    assert sys.getrefcount(d) == before
    assert ownership.kept_item("k") == 1
    ownership.close_kept()
    assert sys.getrefcount(d) == before - 1
    assert ownership.live_objects() == 0


def test_borrowed_object_used_after_the_call():
    ownership.keep_borrowed([1, 2, 3])
    with pytest.raises(RuntimeError, match="Retain"):
        ownership.kept_len()
    assert ownership.live_objects() == 0


def test_containers_and_variadics_are_borrowed():
    ownership.keep_list([[1], [1, 2]])
    with pytest.raises(RuntimeError, match="Retain"):
        ownership.kept_values()
    ownership.keep_args([1], [1, 2], k=[1, 2, 3])
    with pytest.raises(RuntimeError, match="Retain"):
        ownership.kept_values()
    v = [1, 2, 3]
    before = sys.getrefcount(v)
    ownership.keep_dict({"a": v})
    assert sys.getrefcount(v) == before + 1  # retained
    assert ownership.kept_values() == [3]
    ownership.keep_list([])
    gc.collect()


def test_callables_are_borrowed():
    ownership.keep_callable(lambda x: x + 1, False)
    with pytest.raises(RuntimeError, match="Retain"):
        ownership.call_kept(1)
    ownership.keep_callable(lambda x: x + 2, True)
    assert ownership.call_kept(1) == 3


# 3. py.ValueOf of a cyclic value.

@pytest.mark.parametrize("kind,typ", [("map", "map[string]interface {}"), ("slice", "[]interface {}"),
                                      ("pointer", "*interface {}"), ("struct", "*ownership.node")])
def test_value_of_cycle(kind, typ):
    with pytest.raises((ValueError, TypeError), match="cyclic|cannot convert") as e:
        ownership.cyclic(kind)
    if kind != "struct":  # a Go struct is not convertible at all
        assert e.type is ValueError and typ in str(e.value)


def test_value_of_shared_is_not_a_cycle():
    assert ownership.cyclic("deep") == [{"x": 1}, {"x": 1}, [{"x": 1}]]


# 4. An exception whose __str__ raises.

def test_exception_whose_str_raises():
    r = run_python("""
        import ownership
        class E(Exception):
            def __str__(self):
                raise E()
        class X:
            def __complex__(self):
                raise E()
        try:
            ownership.rotate(X())
        except E:
            print("E raised")
    """)
    assert r.returncode == 0, r.stderr[:3000]
    assert "E raised" in r.stdout


# 5. Goroutines waiting for the GIL must not take an OS thread each.

def test_goroutines_waiting_for_the_gil():
    r = run_python("""
        import time, ownership
        class Slow:
            def __repr__(self):
                t = time.perf_counter() + 0.0005
                while time.perf_counter() < t:
                    pass
                return "slow"
        ownership.set_max_threads(150)  # the shape of 11,000 goroutines, at a lower limit
        print(ownership.repr_in_goroutines(Slow(), 600))
    """)
    assert r.returncode == 0, r.stderr[:3000]
    assert r.stdout.split() == ["600"]


def test_watchdog_blames_python_not_nogil():
    # Python code holds the GIL (a long switch interval, a busy loop) while a
    # goroutine waits for it: no call into Go holds it, so nogil would not help.
    r = run_python("""
        import sys, time, ownership
        sys.setswitchinterval(30)
        ownership.repr_later([1])
        t = time.monotonic() + 2.5
        while time.monotonic() < t:
            pass
        sys.setswitchinterval(0.005)
        print(ownership.repr_done())
    """)
    assert r.returncode == 0, r.stderr[:3000]
    assert r.stdout.split() == ["[1]"]
    assert "waited" in r.stderr and "for the GIL" in r.stderr, r.stderr
    assert "nogil" not in r.stderr, r.stderr


# 6. Go out of memory: a MemoryError, as Python raises for the same sizes.

LIMIT = """
import resource
def vm():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
"""


@pytest.mark.skipif("asan" in os.environ.get("LD_PRELOAD", ""), reason="ASan reserves terabytes of address space")
def test_go_copy_out_of_memory():
    r = run_python(LIMIT + """
import ownership
ownership.length(b"x")
big = bytes(512 << 20)    # fits
lst = [0] * (1 << 26)     # 512 MiB of pointers, fits
resource.setrlimit(resource.RLIMIT_AS, (vm() + (256 << 20),) * 2)
for f, arg in [(ownership.length, big), (ownership.total, lst), (ownership.make_tags, 2**43), (ownership.make_tags, 2**40)]:
    try:
        f(arg)
    except MemoryError as e:
        print("MemoryError", e)
print(ownership.length(b"abc"))
""")
    assert r.returncode == 0, r.stderr[:3000]
    lines = r.stdout.splitlines()
    assert len(lines) == 5 and all(l.startswith("MemoryError") for l in lines[:4]), r.stdout
    assert lines[4] == "3"


# 7. Exceptions raised during the Go part's conversions are released at
# once, not when Go's garbage collector runs.

class Boom(Exception):
    pass


def test_conversion_exceptions_released():
    e = Boom("no")

    class X:
        def __complex__(self):
            raise e

    before = sys.getrefcount(e)
    live = ownership.live_objects()  # what earlier tests kept
    for _ in range(100):
        with pytest.raises(Boom):
            ownership.rotate(X())
        e.__traceback__ = None
        assert ownership.live_objects() <= live
    assert sys.getrefcount(e) == before
    for _ in range(100):
        with pytest.raises(OverflowError):
            ownership.mode_value(2**64)
        assert ownership.live_objects() <= live


def test_conversion_exceptions_flat():
    import tracemalloc

    class X:
        def __complex__(self):
            raise Boom("no")

    def loop(n):
        for _ in range(n):
            try:
                ownership.rotate(X())
            except Boom:
                pass
            try:
                ownership.mode_value(2**64)
            except OverflowError:
                pass

    loop(1000)
    live = ownership.live_objects()
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        loop(50_000)  # 100,000 failed conversions
        grown = tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()
    assert grown < 256 << 10, f"{grown} bytes held after 100,000 failed conversions"
    assert ownership.live_objects() <= live
