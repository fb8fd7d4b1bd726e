"""Per-call cost of a pyspec-generated module against hand-written floors and
the usual ways of writing an extension by hand.

Run by the interpreter under test (bench/run builds everything and does this):

    python bench.py --build DIR [--pyspec DIR] [--quick] [--out FILE]

Every contender implements the same module-level API (see bench/README.md):
noop, add, kw, strlen, half, sum, total2d, spin, the classes Counter and
Buf, and (where the contender has a natural iterator) count. Contenders:

  floor_c       hand-written pure C extension (bench/floor/cext)
  floor_go      hand-written C glue + one cgo crossing into Go (bench/floor/cgo)
  pyspec        pyspec_bench, compiled from bench/pyspec/module.yaml
  ctypes_go     a plain Go c-shared library loaded with ctypes (bench/peers/ctypes)
  cython_mod    Cython (bench/peers/cython)
  pybind11_mod  pybind11 (bench/peers/pybind11)
  nanobind_mod  nanobind (bench/peers/nanobind)
  pyo3_mod      PyO3, built with maturin (bench/peers/pyo3)
  pydust_mod    Pydust, Zig (bench/peers/pydust)
  numpy         arr.sum() / m.sum(), for the sum and total2d rows only
  py_slots      a Python class with __slots__, for the Counter rows only
  py_gen        a Python generator function, for the count rows only
  py_list       a prebuilt list of n ints, for the count rows only

Before anything is timed, every contender's results are checked against the
expected values (so all contenders agree); a disagreement stops the run.
"""

import argparse
import datetime
import importlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import timeit

import numpy as np

# contender -> module name; the yardsticks (numpy and plain Python) have no
# module of their own and time only the rows that give them a statement.
MODULES = {
    "floor_c": "floor_c",
    "floor_go": "floor_go",
    "pyspec": "pyspec_bench",
    "pyspec_abi3": "pyspec_bench_abi3",
    "ctypes_go": "ctypes_go",
    "cython_mod": "cython_mod",
    "pybind11_mod": "pybind11_mod",
    "nanobind_mod": "nanobind_mod",
    "pyo3_mod": "pyo3_mod",
    "pydust_mod": "pydust_mod",
}
YARDSTICKS = ("numpy", "py_slots", "py_gen", "py_list")
CONTENDERS = list(MODULES) + list(YARDSTICKS)
FLOORS = ("floor_c", "floor_go")
REPEAT = 7
# Where docs/benchmarks.md's hand-measured part starts, kept as it is.
KEEP_MARKER = "<!-- measured by hand, kept by bench/run -->"
TARGET_LO, TARGET_HI = 0.1, 0.2  # seconds per repeat
SPIN_N = 80_000_000
BUF_N = 1000
STR = "hello, world"
COUNT_NS = (1_000_000, 1_000)


def load(path, name):
    """Import module `name` from directory `path`; return (module, error)."""
    if not path or not os.path.isdir(path):
        return None, "not built"
    if not any(f == name + ".py" or (f.startswith(name + ".") and f.endswith(".so")) for f in os.listdir(path)):
        return None, "not built"
    sys.path.insert(0, os.path.abspath(path))
    try:
        return importlib.import_module(name), None
    except Exception as e:  # report, don't die: the row says why
        return None, f"import failed: {type(e).__name__}: {e}"
    finally:
        sys.path.pop(0)


def xorshift(n):
    """Reference result of spin(n)."""
    x = 88172645463325252
    mask = (1 << 64) - 1
    for _ in range(n):
        x ^= (x << 13) & mask
        x ^= x >> 7
        x ^= (x << 17) & mask
    return x >> 1


# ---- operations ----

class Op:
    """One table row: `stmt` timed with the names of env(mod) as locals.

    expect(result) checks what one evaluation of stmt returned (exec'd, with
    result None, when stmt is an assignment); check(env), when given, checks
    the env instead (a loop statement returns nothing to check). `numpy`,
    `slots` and `yard` give the yardsticks' (stmt, env) (`yard`: contender ->
    (stmt, env)); nbytes gives a GB/s figure. `needs` names the module
    attribute the row needs: a module without it shows "—". `per` divides
    the timings: ns per item of a statement that handles `per` items."""

    def __init__(self, key, label, stmt, env, expect, numpy=None, nbytes=None, slots=None,
                 yard=None, check=None, needs=None, per=1):
        self.key, self.label, self.stmt, self.env = key, label, stmt, env
        self.expect, self.nbytes, self.check, self.needs, self.per = expect, nbytes, check, needs, per
        self.yard = dict(yard or {})
        if numpy:
            self.yard["numpy"] = numpy
        if slots:
            self.yard["py_slots"] = slots


class SlotsCounter:
    """The py_slots contender: what a plain Python class with __slots__
    costs, for the Counter rows (the yardstick of attribute access)."""

    __slots__ = ("value",)

    def __init__(self, start):
        self.value = start

    def inc(self, by):
        self.value += by
        return self.value


def gen(n):
    """The py_gen contender: the generator a Python user writes."""
    for i in range(n):
        yield i


def make_ops():
    arrays = {n: np.arange(n, dtype=np.int64) for n in (10, 1_000, 10_000_000)}
    mat = np.arange(1_000_000, dtype=np.float64).reshape(1000, 1000)[:, ::2]
    mat_total = float(sum(range(0, 1_000_000, 2)))

    def eq(want):
        return lambda got: type(got) is type(want) and got == want

    ops = [
        Op("noop", "noop()", "f()", lambda m: {"f": m.noop}, lambda r: r is None),
        Op("add", "add(1, 2)", "f(1, 2)", lambda m: {"f": m.add}, eq(3)),
        Op("kw_kw", "kw(1, c=5)", "f(1, c=5)", lambda m: {"f": m.kw}, eq(8)),
        Op("kw_pos", "kw(1, 2, 5)", "f(1, 2, 5)", lambda m: {"f": m.kw}, eq(8)),
        Op("strlen", f"strlen({STR!r})", "f(s)", lambda m: {"f": m.strlen, "s": STR}, eq(len(STR.encode()))),
        Op("half", "half(3.0)", "f(3.0)", lambda m: {"f": m.half}, eq(1.5)),
    ]
    for key, label, n in (("sum10", "sum(int64[10])", 10), ("sum1k", "sum(int64[1,000])", 1_000),
                          ("sum10M", "sum(int64[10,000,000])", 10_000_000)):
        arr = arrays[n]
        want = n * (n - 1) // 2
        ops.append(Op(key, label, "f(arr)", lambda m, arr=arr: {"f": m.sum, "arr": arr},
                      lambda r, want=want: int(r) == want and isinstance(r, (int, np.integer)),
                      numpy=("arr.sum()", {"arr": arr}), nbytes=arr.nbytes))
    ops.append(Op("total2d", "total2d(1000×1000[:, ::2])", "f(m)", lambda m: {"f": m.total2d, "m": mat},
                  lambda r: float(r) == mat_total and isinstance(r, (float, np.floating)),
                  numpy=("m.sum()", {"m": mat})))
    ops += [
        Op("counter", "Counter(0) construct+drop", "C(0)", lambda m: {"C": m.Counter},
           lambda r: r is not None and type(r).__name__ in ("Counter", "SlotsCounter"), slots=("C(0)", {"C": SlotsCounter})),
        Op("inc", "c.inc(1)", "c.inc(1)", lambda m: {"c": m.Counter(0)}, eq(1), slots=("c.inc(1)", {"c": SlotsCounter(0)})),
        Op("get", "c.value", "c.value", lambda m: {"c": m.Counter(7)}, eq(7), slots=("c.value", {"c": SlotsCounter(7)})),
        Op("set", "c.value = 3", "c.value = 3", lambda m: {"c": m.Counter(7)}, lambda r: r is None,
           slots=("c.value = 3", {"c": SlotsCounter(7)})),
        Op("memoryview", f"memoryview(b), n={BUF_N:,}", "memoryview(b)",
           lambda m: {"memoryview": memoryview, "b": m.Buf(BUF_N)},
           lambda r: r.readonly and r.nbytes == 8 * BUF_N and r.itemsize == 8),
        Op("asarray", f"np.asarray(b), n={BUF_N:,}", "asarray(b)",
           lambda m: {"asarray": np.asarray, "b": m.Buf(BUF_N)},
           lambda r: r.dtype == np.int64 and int(r.sum()) == BUF_N * (BUF_N - 1) // 2),
    ]
    for n in COUNT_NS:
        want = list(range(n))

        def check(g, want=want):  # the items the timed loop sees
            got = list(g["f"](g["n"]) if "f" in g else g["lst"])
            return got == want and all(type(v) is int for v in got[:10])
        ops.append(Op(f"count{n // 1000}k" if n < 1_000_000 else f"count{n // 1_000_000}M",
                      f"for x in count({n:,}), per item", "for x in f(n): pass",
                      lambda m, n=n: {"f": m.count, "n": n}, lambda r: r is None, check=check, needs="count", per=n,
                      yard={"py_gen": ("for x in f(n): pass", {"f": gen, "n": n}),
                            "py_list": ("for x in lst: pass", {"lst": list(range(n))})}))
    return ops


def run_once(stmt, g):
    try:
        return eval(stmt, {}, dict(g))
    except SyntaxError:
        exec(stmt, {}, dict(g))
        return None


def check_semantics(c, m):
    """The API beyond the timed statements: defaults, keywords, errors,
    Counter and Buf behaviour. Raises AssertionError naming the contender."""

    def ok(cond, what):
        if not cond:
            raise AssertionError(f"{c}: {what}")

    def raises(exc, f, what):
        try:
            f()
        except exc:
            return
        except Exception as e:
            raise AssertionError(f"{c}: {what}: raised {type(e).__name__}: {e}, want {exc.__name__}")
        raise AssertionError(f"{c}: {what}: did not raise {exc.__name__}")

    ok(m.add(-5, 5) == 0 and m.add(2**62, 2**62 - 1) == 2**63 - 1, "add of large int64 values")
    ok(m.kw(1) == 6 and m.kw(a=1, b=1, c=1) == 3 and m.kw(1, c=0) == 3 and m.kw(4, 5) == 12, "kw defaults and keywords")
    raises(TypeError, lambda: m.kw(1, d=2), "kw(1, d=2)")
    raises(TypeError, lambda: m.kw(), "kw()")
    ok(m.strlen("") == 0 and m.strlen("héllo") == 6 and m.strlen("日本") == 6, "strlen counts UTF-8 bytes")
    ok(m.half(-1.0) == -0.5 and type(m.half(1.0)) is float, "half")
    ok(int(m.sum(np.zeros(0, dtype=np.int64))) == 0, "sum of an empty buffer")
    ok(int(m.sum(np.array([-1, 2**62, 3], dtype=np.int64))) == 2**62 + 2, "sum of negative and large values")
    t = np.arange(6, dtype=np.float64).reshape(2, 3)
    for view in (t, t.T, t[:, ::-1], np.asfortranarray(t)):
        ok(float(m.total2d(view)) == 15.0, f"total2d of a {view.shape} view with strides {view.strides}")
    ok(m.spin(1000) == xorshift(1000) and m.spin(0) == xorshift(0), "spin(1000) is xorshift64")

    cnt = m.Counter(5)
    ok(cnt.value == 5 and type(cnt.value) is int, "Counter(5).value")
    ok(cnt.inc(2) == 7 and cnt.value == 7, "Counter.inc")
    cnt.value = 3
    ok(cnt.value == 3 and cnt.inc(-4) == -1, "Counter.value write")
    ok(m.Counter(-3).inc(0) == -3, "a second Counter")
    counters = [m.Counter(i) for i in range(100)]
    ok([x.inc(1) for x in counters] == list(range(1, 101)), "100 counters are independent")
    del counters

    b = m.Buf(BUF_N)
    mv1 = memoryview(b)
    mv2 = memoryview(b)
    ok(mv1.readonly and mv1.ndim == 1 and mv1.shape == (BUF_N,) and mv1.itemsize == 8, "memoryview(Buf) shape")
    ok(mv1.format in ("q", "l", "<q", "<l", "=q", "=l"), f"memoryview(Buf).format {mv1.format!r}")
    ok(mv1.tolist() == list(range(BUF_N)), "memoryview(Buf) holds 0..n-1")
    raises(TypeError, lambda: mv1.__setitem__(0, 1), "writing through memoryview(Buf)")
    a = np.asarray(b)
    ok(not a.flags.writeable and int(a.sum()) == BUF_N * (BUF_N - 1) // 2 and int(a[-1]) == BUF_N - 1,
       "np.asarray(Buf) is read-only and holds 0..n-1")
    mv1.release()
    mv2.release()
    del a, b
    ok(memoryview(m.Buf(0)).tolist() == [], "Buf(0)")

    if hasattr(m, "count"):  # optional: a contender without it shows "—"
        it = m.count(3)
        ok(iter(it) is it, "iter(count(3)) is the iterator itself")
        ok(next(it) == 0 and list(it) == [1, 2], "count(3) yields 0, 1, 2")
        raises(StopIteration, lambda: next(it), "next() of an exhausted count(3)")
        ok(list(m.count(0)) == [], "count(0) is empty")
        a, b = m.count(2), m.count(2)
        ok(next(a) == 0 and next(a) == 1 and next(b) == 0, "each count(n) is a fresh iterator")


def contender_env(op, c, m):
    """(stmt, globals) for contender c of op, or None when c has no such op."""
    if c in YARDSTICKS:
        return op.yard.get(c)
    if op.needs and not hasattr(m, op.needs):
        return None
    return op.stmt, op.env(m)


def check_all(ops, mods):
    """Every contender must pass every check; returns the number of checks."""
    for c, (m, err) in mods.items():
        if m is not None:
            check_semantics(c, m)
    for op in ops:
        for c in CONTENDERS:
            m, err = mods.get(c, (None, None))
            if c not in YARDSTICKS and m is None:
                continue
            spec = contender_env(op, c, m)
            if spec is None:
                continue
            if op.check is not None:
                if not op.check(spec[1]):
                    raise AssertionError(f"{op.label}: {c} disagrees")
                continue
            got = run_once(*spec)
            if not op.expect(got):
                raise AssertionError(f"{op.label}: {c} returned {got!r}")


# ---- timing ----

def autorange(timer):
    """Pick N so one repeat of N calls takes about TARGET_LO..TARGET_HI s."""
    n = 1
    while True:
        t = timer.timeit(n)
        if t >= TARGET_LO:
            if t <= TARGET_HI or n == 1:
                return n
            return max(1, int(n * 0.15 / t))
        if t < 0.01:
            n *= 10
        else:
            n = max(n + 1, int(n * 0.15 / t))


def measure_interleaved(specs, per=1):
    """Time several contenders of one operation, taking their repeats in
    turn (A B C A B C ...) so that drift in machine load affects all alike.
    specs maps a contender to (stmt, globals); returns contender -> stats,
    in ns per statement / per (ns per item of a statement handling per)."""
    timers = {}
    for c, (stmt, g) in specs.items():
        # The setup runs inside timeit's inner function, so the names of g
        # become fast locals there (as with `python -m timeit -s`).
        setup = "; ".join(f"{k} = _g[{k!r}]" for k in g)
        timer = timeit.Timer(stmt, setup=setup, globals={"_g": g})
        timers[c] = (timer, autorange(timer))
    times = {c: [] for c in timers}
    for _ in range(REPEAT):
        for c, (timer, n) in timers.items():
            times[c].append(timer.timeit(n) / n * 1e9 / per)
    return {c: {"median": statistics.median(v), "best": min(v), "n": timers[c][1]} for c, v in times.items()}


def nogil_speedup(spin, n=SPIN_N, rounds=5):
    """Wall time of two calls of a CPU-bound function that releases the GIL,
    one after the other and in two threads; returns (serial s, threaded s)
    medians. Each call runs ~0.15 s: a thread's first entry into Go sets up
    its state, which a short call would count as lost parallelism."""
    serial, threaded = [], []
    for _ in range(rounds):
        t = time.perf_counter()
        spin(n)
        spin(n)
        serial.append(time.perf_counter() - t)
        ths = [threading.Thread(target=spin, args=(n,)) for _ in range(2)]
        t = time.perf_counter()
        for th in ths:
            th.start()
        for th in ths:
            th.join()
        threaded.append(time.perf_counter() - t)
    return statistics.median(serial), statistics.median(threaded)


def import_time_us(name, path, runs=5):
    """Median over fresh interpreters of `-X importtime`'s cumulative time of
    module `name` (µs), or None."""
    env = dict(os.environ, PYTHONPATH=os.path.abspath(path))
    vals = []
    for _ in range(runs):
        p = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {name}"],
                           env=env, capture_output=True, text=True)
        if p.returncode != 0:
            return None
        for line in p.stderr.splitlines():
            parts = line.split("|")
            if len(parts) == 3 and parts[2].strip() == name:
                vals.append(int(parts[1]))
    return statistics.median(vals) if vals else None


def native_files(c, m):
    """The shared libraries that hold contender c's native code."""
    f = getattr(m, "__file__", None)
    if f is None:
        return []
    if c == "ctypes_go":  # a Python module over a c-shared Go library
        return [os.path.join(os.path.dirname(f), "libctypes_go.so")]
    go_part = os.path.join(os.path.dirname(f), m.__name__ + ".go.so")
    if c.startswith("pyspec") and os.path.exists(go_part):  # the extension and its Go part
        return [f, go_part]
    return [f]


def footprint(paths):
    """(size, stripped size) of shared libraries in bytes; stripped is None
    without binutils' strip."""
    size = sum(os.path.getsize(p) for p in paths)
    strip = shutil.which("strip")
    if not strip:
        return size, None
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            out = os.path.join(tmp, "stripped.so")
            p = subprocess.run([strip, "--strip-unneeded", "-o", out, path], capture_output=True)
            if p.returncode != 0:
                return size, None
            total += os.path.getsize(out)
    return size, total


def import_cost(name, path):
    """(RSS kB, OS threads) that importing module `name` adds to a fresh
    interpreter, or None."""
    code = ("import os, sys\n"
            "def rss():\n"
            "    return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS:'))\n"
            "r0, t0 = rss(), len(os.listdir('/proc/self/task'))\n"
            f"import {name}\n"
            "print(rss() - r0, len(os.listdir('/proc/self/task')) - t0)\n")
    p = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=os.path.abspath(path)),
                       capture_output=True, text=True)
    if p.returncode != 0:
        return None
    kb, threads = p.stdout.split()
    return int(kb), int(threads)


# ---- report ----

def fmt_ns(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:,.2f} ms"
    if ns >= 1e4:
        return f"{ns / 1e3:,.1f} µs"
    return f"{ns:,.1f} ns"


def fmt_cell(ns):
    # Cells are ns/call; large values keep ns but drop decimals.
    return f"{ns:,.0f}" if ns >= 1000 else f"{ns:,.1f}"


def environment(mods):
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    lines = [
        f"- date: {datetime.datetime.now().isoformat(timespec='seconds')}",
        f"- python: {sys.executable} {platform.python_version()} ({platform.python_implementation()})",
        f"- numpy: {np.__version__}",
        f"- cpu: {cpu}, {os.cpu_count()} logical cores",
    ]
    if os.environ.get("BENCH_GO_VERSION"):
        lines.append(f"- go: {os.environ['BENCH_GO_VERSION']}")
    for key in ("BENCH_CC_VERSION", "BENCH_CYTHON_VERSION", "BENCH_PYBIND11_VERSION", "BENCH_NANOBIND_VERSION",
                "BENCH_RUSTC_VERSION", "BENCH_PYO3_VERSION", "BENCH_MATURIN_VERSION", "BENCH_PYDUST_VERSION",
                "BENCH_ZIG_VERSION"):
        if os.environ.get(key):
            lines.append(f"- {key[6:].lower().replace('_version', '')}: {os.environ[key]}")
    for c in MODULES:
        m, err = mods[c]
        lines.append(f"- {c}: {getattr(m, '__file__', None) if m else err}")
    return lines


def ratio(a, b):
    return a["median"] / b["median"] if isinstance(a, dict) and isinstance(b, dict) else None


def fmt_ratio(r):
    return "—" if r is None else f"{r:.2f}×"


def fmt_ratio3(r):
    # Targets are judged on the unrounded ratio; three decimals show which
    # side of the limit a ratio that rounds to it is on.
    return "—" if r is None else f"{r:.3f}×"


def targets(results, by_key):
    """Lines stating each target and whether the measured medians meet it
    (only those whose rows were timed: --only times a subset)."""
    out = []

    def line(desc, value, holds, shown):
        if value is None:
            out.append(f"- {desc}: not measured")
        else:
            out.append(f"- {desc}: {shown} — {'holds' if holds else '**does not hold**'}")

    for keys, limit in ((("noop", "add", "inc", "sum10"), 1.10), (("sum1k", "total2d", "memoryview"), 1.15)):
        for k in keys:
            if k not in by_key:
                continue
            op = by_key[k]
            r = ratio(results[op.label, "pyspec"], results[op.label, "floor_go"])
            line(f"pyspec / floor_go for `{op.label}` ≤ {limit:.2f}", r, r is not None and r <= limit, fmt_ratio3(r))
    for k, limit in (("get", 1.5), ("set", 2.0), ("counter", 2.5)):
        if k not in by_key:
            continue
        op = by_key[k]
        r = ratio(results[op.label, "pyspec"], results[op.label, "py_slots"])
        line(f"pyspec / a Python `__slots__` class for `{op.label}` ≤ {limit:.1f}", r, r is not None and r <= limit, fmt_ratio3(r))
    if "count1M" in by_key:
        op = by_key["count1M"]
        r = ratio(results[op.label, "pyspec"], results[op.label, "py_gen"])
        line(f"pyspec / a Python generator for `{op.label}` ≤ 1.0", r, r is not None and r <= 1.0, fmt_ratio3(r))
    if "kw_kw" in by_key and "kw_pos" in by_key:
        r = ratio(results[by_key["kw_kw"].label, "pyspec"], results[by_key["kw_pos"].label, "pyspec"])
        line("pyspec `kw(1, c=5)` / pyspec `kw(1, 2, 5)` ≤ 1.25", r, r is not None and r <= 1.25, fmt_ratio3(r))
    if "sum10M" not in by_key:
        return out
    big = by_key["sum10M"]
    p, n = results[big.label, "pyspec"], results[big.label, "numpy"]
    r = ratio(n, p)  # throughput ratio pyspec / numpy = time numpy / time pyspec
    shown = None
    if r is not None:
        shown = (f"{big.nbytes / p['median']:.2f} GB/s vs numpy {big.nbytes / n['median']:.2f} GB/s "
                 f"({r:.3f}×)")
    line("pyspec `sum(int64[10,000,000])` throughput ≥ 0.9 × numpy `arr.sum()`", r, r is not None and r >= 0.9, shown)
    return out


def large_results(m):
    """[(n, lent ns, copied ns)] for pyspec's blob and blob_bytes, or []."""
    if m is None or not hasattr(m, "blob"):
        return []
    out = []
    for n in (1 << 20, 64 << 20):
        assert bytes(m.blob(n))[:3] == b"\x00\x01\x02" and m.blob_bytes(n)[:3] == b"\x00\x01\x02"
        timed = measure_interleaved({"lent": ("f(n)", {"f": m.blob, "n": n}), "copied": ("f(n)", {"f": m.blob_bytes, "n": n})})
        out.append((n, timed["lent"]["median"], timed["copied"]["median"]))
        print(f"  blob({n:,}): lent {fmt_ns(timed['lent']['median'])}, copied {fmt_ns(timed['copied']['median'])}",
              file=sys.stderr, flush=True)
    return out


UFUNC_SIZES = (1_000, 1_000_000, 10_000_000)
# The ufunc table's columns, in order; a contender that can't run here (numba
# not installed, the Python loop at 10M) shows "—".
UFUNC_COLUMNS = ("ufunc", "ufunc parallel", "numpy x*x + 1", "numba", "numba parallel", "buffer loop", "Python loop")
_numba_ufuncs = None


def numba_ufuncs():
    """(serial, parallel) Numba @vectorize ufuncs of x*x + 1, compiled (and
    the parallel one's thread pool started) before any timing, or None when
    numba is not importable."""
    global _numba_ufuncs
    if _numba_ufuncs is None:
        try:
            import numba  # optional: Debian's python3 has no numba, .venv has it from PyPI
        except ImportError:
            _numba_ufuncs = ()
            return None

        def poly(v):
            return v * v + 1

        # Eager compilation: an explicit signature compiles at decoration.
        serial = numba.vectorize(["float64(float64)"])(poly)
        parallel = numba.vectorize(["float64(float64)"], target="parallel")(poly)
        warm = np.arange(1000.0)
        serial(warm)
        parallel(warm)
        _numba_ufuncs = (serial, parallel)
    return _numba_ufuncs or None


def numba_version():
    """numba's version for the report's header, or None."""
    try:
        import llvmlite
        import numba
    except ImportError:
        return None
    v = f"{numba.__version__} (llvmlite {llvmlite.__version__}, {numba.config.NUMBA_NUM_THREADS} threads"
    try:
        v += f", threading layer {numba.threading_layer()}"  # known once a parallel ufunc ran
    except ValueError:
        pass
    return v + ")"


def ufunc_contenders(m, n):
    """{contender: (stmt, globals)} computing x*x + 1 over n float64, and
    the array they must all return (checked before timing)."""
    x = np.random.default_rng(n).uniform(-1e3, 1e3, n)
    specs = {
        "ufunc": ("f(x)", {"f": m.poly, "x": x}),
        "ufunc parallel": ("f(x)", {"f": m.poly_parallel, "x": x}),
        "numpy x*x + 1": ("x * x + 1", {"x": x}),
        "buffer loop": ("f(x, empty(n)) ", {"f": m.poly_into, "x": x, "empty": np.empty, "n": n}),
    }
    if n <= 1_000_000:  # 10M Python calls would take seconds per repeat
        specs["Python loop"] = ("[f(v) for v in x]", {"f": m.poly_scalar, "x": x.tolist()})
    nb = numba_ufuncs()
    if nb:
        specs["numba"] = ("f(x)", {"f": nb[0], "x": x})
        specs["numba parallel"] = ("f(x)", {"f": nb[1], "x": x})
    return {c: specs[c] for c in UFUNC_COLUMNS if c in specs}, x * x + 1


def ufunc_results(m, quick=False):
    """[(n, {contender: median ns})] of the ufunc table, or [] without
    pyspec; quick only checks that every contender agrees."""
    if m is None or not hasattr(m, "poly"):
        return []
    out = []
    for n in UFUNC_SIZES:
        specs, want = ufunc_contenders(m, n)
        for c, (stmt, g) in specs.items():
            if stmt.startswith("f(x, empty"):
                got = np.empty(n)
                g["f"](g["x"], got)
            else:
                got = np.asarray(eval(stmt, dict(g)))  # globals: the Python loop's comprehension sees them
            if not np.array_equal(got, want):
                sys.exit(f"bench: {c} over {n:,} float64 disagrees with x*x + 1")
        if quick:
            continue
        timed = measure_interleaved(specs)
        out.append((n, {c: t["median"] for c, t in timed.items()}))
        print(f"  ufunc n={n:,}: " + ", ".join(f"{c} {fmt_ns(t['median'])}" for c, t in timed.items()),
              file=sys.stderr, flush=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True, help="directory holding floor_c, floor_go and the peers")
    ap.add_argument("--pyspec", help="directory holding the compiled pyspec module pyspec_bench")
    ap.add_argument("--pyspec-abi3", help="directory holding pyspec_bench_abi3, the same spec built with --abi3")
    ap.add_argument("--quick", action="store_true", help="only check imports and results")
    ap.add_argument("--out", help="also write the markdown report to FILE")
    ap.add_argument("--only", metavar="KEYS",
                    help="time only these rows (comma-separated Op keys, e.g. count1M,count1k, and ufunc for the "
                    "ufunc table) and print their tables; no nogil, import or footprint sections, no --out")
    args = ap.parse_args()
    only = set(args.only.split(",")) if args.only else None
    if only is not None and args.out:
        ap.error("--only writes no report file: drop --out")

    paths = {c: {"pyspec": args.pyspec, "pyspec_abi3": args.pyspec_abi3}.get(c, args.build) for c in MODULES}
    mods = {c: load(paths[c], MODULES[c]) for c in MODULES}
    # The floors are always required; --quick (CI's build check) requires
    # every contender that bench/run was asked to build.
    required = list(MODULES) if args.quick else list(FLOORS)
    if args.quick and not args.pyspec:
        required.remove("pyspec")
    if args.quick and not args.pyspec_abi3:
        required.remove("pyspec_abi3")
    missing = [f"{c}: {mods[c][1]}" for c in required if mods[c][0] is None]
    if missing:
        sys.exit("bench: contenders missing:\n  " + "\n  ".join(missing))

    ops = make_ops()
    by_key = {op.key: op for op in ops}
    if only is not None and only - set(by_key) - {"ufunc"}:
        ap.error(f"--only: unknown keys {', '.join(sorted(only - set(by_key) - {'ufunc'}))}; "
                 f"rows are {', '.join(by_key)}, ufunc")
    check_all(ops, mods)
    present = [c for c in CONTENDERS if c in YARDSTICKS or mods[c][0] is not None]

    if args.quick:
        for c in MODULES:
            m, err = mods[c]
            print(f"  {c:13s} {'ok: ' + m.__file__ if m else err}")
        for op in ops:
            status = ", ".join(c for c in present if contender_env(op, c, mods.get(c, (None,))[0]) is not None)
            print(f"  {op.label:36s} {status}")
        print(f"  {'spin(1000)':36s} " + ", ".join(c for c in present if c not in YARDSTICKS))
        if mods["pyspec"][0] is not None and hasattr(mods["pyspec"][0], "poly"):
            ufunc_results(mods["pyspec"][0], quick=True)  # exits on a disagreement
            names = list(ufunc_contenders(mods["pyspec"][0], 10)[0])
            print(f"  {'poly ufunc, 1k..10M':36s} {', '.join(names)} agree with numpy")
        print(f"bench --quick: {len(present)} contenders, {len(ops) + 1} operations agree")
        return

    if only is not None:
        ops = [op for op in ops if op.key in only]
        by_key = {op.key: op for op in ops}
    results = {}  # (label, contender) -> dict or str
    for op in ops:
        specs, absent = {}, {}
        for c in CONTENDERS:
            m, err = mods.get(c, (None, None))
            if c not in YARDSTICKS and m is None:
                absent[c] = err
                continue
            spec = contender_env(op, c, m)
            if spec is None:
                absent[c] = "—"
            else:
                specs[c] = spec
        timed = measure_interleaved(specs, per=op.per)
        for c in CONTENDERS:
            if c in absent:
                results[op.label, c] = absent[c]
                continue
            r = results[op.label, c] = timed[c]
            print(f"  {op.label:36s} {c:13s} median {fmt_ns(r['median']):>12s}  best {fmt_ns(r['best']):>12s}"
                  f"  (N={r['n']:,})", file=sys.stderr, flush=True)

    nogil = {}
    for c in MODULES if only is None else ():
        m, _ = mods[c]
        if m is not None:
            nogil[c] = nogil_speedup(m.spin)
            print(f"  nogil {c:13s} serial {nogil[c][0] * 1e3:.1f} ms, 2 threads {nogil[c][1] * 1e3:.1f} ms",
                  file=sys.stderr, flush=True)

    imports = {}
    for c in MODULES if only is None else ():
        if mods[c][0] is not None:
            imports[c] = import_time_us(MODULES[c], paths[c])
    if imports:
        print("  import µs: " + ", ".join(f"{c} {v}" for c, v in imports.items()), file=sys.stderr, flush=True)

    big_results = large_results(mods.get("pyspec", (None, None))[0]) if only is None else []
    ufuncs = ufunc_results(mods.get("pyspec", (None, None))[0]) if only is None or "ufunc" in only else []

    md = ["# pyspec benchmarks", "",
          "Per-call cost of the pyspec-generated module `pyspec_bench` against hand-written floors and the",
          "usual ways of writing an extension by hand, all implementing the same API",
          f"(`bench/run`; see `bench/README.md`; `timeit` repeat={REPEAT}, N chosen so one repeat takes ~0.1–0.2 s,",
          "contenders' repeats interleaved).", ""]
    md += environment(mods)
    md.append(f"- numba: {numba_version() or 'not installed'}")
    if only is not None:
        md.append(f"- rows: only {args.only} (`--only`)")
    md += ["", "## Median ns per call", "",
           "| operation | " + " | ".join(CONTENDERS) + " | pyspec / floor_go |",
           "|---|" + "---:|" * len(CONTENDERS) + "---:|"]
    for op in ops:
        cells = []
        for c in CONTENDERS:
            r = results[op.label, c]
            cells.append(r if isinstance(r, str) else fmt_cell(r["median"]))
        r = ratio(results[op.label, "pyspec"], results[op.label, "floor_go"])
        md.append(f"| {op.label} | " + " | ".join(cells) + f" | {fmt_ratio(r)} |")

    if any(op.per > 1 for op in ops):
        md += ["", "The `count` rows are ns per item: `for x in count(n): pass` over a fresh iterator, divided by n",
               "(at n = 1,000 the iterator's creation weighs 1/1,000 on each item). `py_gen` is the generator a",
               "Python user writes (`for i in range(n): yield i`), `py_list` the same loop over a prebuilt list",
               "of n ints; a contender without `count` shows —."]
    if "sum10M" in by_key:
        big = by_key["sum10M"]
        md += ["", f"Throughput of {big.label} ({big.nbytes / 1e6:,.0f} MB, median): " + ", ".join(
            f"{c} {big.nbytes / results[big.label, c]['median']:.2f} GB/s"
            for c in CONTENDERS if isinstance(results[big.label, c], dict)) + "."]

    if any(isinstance(results[op.label, "pyspec_abi3"], dict) for op in ops):
        md += ["", "## What the Limited API costs", "",
               "`pyspec_abi3` is the same spec built with `pyspec compile --abi3` (one `.abi3.so` for CPython 3.11",
               "and later): no vectorcall for constructors, and functions instead of macros for tuple and",
               "float access. Median ns per call, and the ratio to the full-API build:", "",
               "| operation | pyspec | pyspec_abi3 | abi3 / full |", "|---|---:|---:|---:|"]
        for op in ops:
            a, b = results[op.label, "pyspec"], results[op.label, "pyspec_abi3"]
            if isinstance(a, dict) and isinstance(b, dict):
                md.append(f"| {op.label} | {fmt_cell(a['median'])} | {fmt_cell(b['median'])} | {fmt_ratio(ratio(b, a))} |")

    if big_results:
        md += ["", "## Large results: lent or copied", "",
               "pyspec only: `blob(n)` returns Go memory as a `GoBuffer` (`returns: buffer`: pinned, no copy),",
               "`blob_bytes(n)` the same bytes as a `bytes` object (copied). Median per call, and what the",
               "copy costs:", "",
               "| size | blob (lent) | blob_bytes (copied) | copied / lent |", "|---|---:|---:|---:|"]
        for n, lent, copied in big_results:
            md.append(f"| {n / 2**20:,.0f} MiB | {fmt_ns(lent)} | {fmt_ns(copied)} | {copied / lent:,.0f}× |")

    if ufuncs:
        names = list(UFUNC_COLUMNS)
        md += ["", "## ufuncs: one crossing per loop", "",
               "`poly(x) = x*x + 1` over n float64: pyspec's ufunc (`vectorize: true`, and with",
               "`parallel: true`), numpy's expression (two passes), Numba's `@vectorize([\"float64(float64)\"])`",
               "of the same function (and with `target=\"parallel\"`; compiled before timing; — without numba),",
               "the same Go function as a hand-written buffer loop into `np.empty(n)`, and called once per",
               "element from a Python loop. Median per call, and the ratio to numpy's expression:", "",
               "| n | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
        for n, t in ufuncs:
            base = t["numpy x*x + 1"]
            md.append(f"| {n:,} | " + " | ".join(f"{fmt_ns(t[c])} ({t[c] / base:.2f}×)" if c in t else "—" for c in names) + " |")

    lines = targets(results, by_key)
    if lines:
        md += ["", "## Targets", "", "Computed from the medians above.", ""] + lines

    for base in FLOORS:
        others = [c for c in CONTENDERS if c != base]
        md += ["", f"## Ratio to {base} (median / {base} median)", "",
               "| operation | " + " | ".join(others) + " |", "|---|" + "---:|" * len(others)]
        for op in ops:
            md.append(f"| {op.label} | " + " | ".join(
                fmt_ratio(ratio(results[op.label, c], results[op.label, base])) for c in others) + " |")

    # The whole-module sections: not with --only.
    if only is None:
        md += ["", "## nogil: a CPU-bound function from 2 threads", "",
               f"`spin({SPIN_N:_})` (xorshift64; the GIL released around the loop: `Py_BEGIN_ALLOW_THREADS` in C,",
               "in the C glue around the Go call for the Go floors, `nogil: true` in pyspec, by ctypes around every",
               "foreign call, `with nogil` in Cython, `gil_scoped_release` in pybind11 and nanobind, `Python::detach`",
               "in PyO3, `py.nogil()` in Pydust) called twice in a row, then once in each of two threads (median of",
               "5 rounds):", "",
               "| contender | serial | 2 threads | speedup |", "|---|---:|---:|---:|"]
        for c, (serial, threaded) in nogil.items():
            md.append(f"| {c} | {serial * 1e3:.1f} ms | {threaded * 1e3:.1f} ms | {serial / threaded:.2f}× |")

        def fmt_us(v):
            return "failed" if v is None else f"{v:,.0f} µs"

        md += ["", "## Import time", "",
               "Median of 5 fresh `python3 -X importtime -c 'import X'` runs, the module's own cumulative µs:"
               + (f" pyspec_bench {fmt_us(imports.get('pyspec'))}, floor_go {fmt_us(imports.get('floor_go'))}"
                  if "pyspec" in imports else f" floor_go {fmt_us(imports.get('floor_go'))} (pyspec not built)")
               + (f" ({imports['pyspec'] / imports['floor_go']:.2f}×)."
                  if imports.get("pyspec") and imports.get("floor_go") else "."),
               "Others: " + ", ".join(f"{MODULES[c]} {fmt_us(v)}" for c, v in imports.items()
                                      if c not in ("pyspec", "floor_go"))
               + (" (ctypes_go's includes importing numpy and ctypes)." if "ctypes_go" in imports else ".")]

        def fmt_kb(n):
            return "—" if n is None else f"{n / 1024:,.0f} KiB"

        md += ["", "## Footprint", "",
               "Size of the shared libraries each contender loads (ctypes_go: `libctypes_go.so`; pyspec: the extension",
               "and its Go part `.go.so`), as built and after `strip --strip-unneeded` (`pyspec wheel` strips), the",
               "import time, and the RSS and OS threads that importing the module adds to a fresh interpreter:", "",
               "| contender | files | size | stripped | import | RSS | threads |", "|---|---|---:|---:|---:|---:|---:|"]
        for c in MODULES:
            m, _ = mods[c]
            files = native_files(c, m) if m is not None else []
            if not files or not all(os.path.exists(f) for f in files):
                continue
            size, stripped = footprint(files)
            cost = import_cost(MODULES[c], paths[c])
            rss, threads = (f"{cost[0]:,} kB", f"+{cost[1]}") if cost else ("—", "—")
            md.append(f"| {c} | {', '.join('`' + os.path.basename(f) + '`' for f in files)} | {fmt_kb(size)} | "
                      f"{fmt_kb(stripped)} | {fmt_us(imports.get(c))} | {rss} | {threads} |")

    md += ["", "## Detail: median / best ns per call (N calls per repeat)", "",
           "| operation | contender | median | best | N |", "|---|---|---:|---:|---:|"]
    for op in ops:
        for c in CONTENDERS:
            r = results[op.label, c]
            if isinstance(r, dict):
                md.append(f"| {op.label} | {c} | {fmt_cell(r['median'])} | {fmt_cell(r['best'])} | {r['n']:,} |")
    text = "\n".join(md) + "\n"
    print(text)
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        # The hand-measured sections at the end (cross builds: build times,
        # the zig-built module) survive a rerun.
        if os.path.exists(args.out):
            with open(args.out) as fh:
                old = fh.read()
            if KEEP_MARKER in old:
                text = text.rstrip("\n") + "\n\n" + old[old.index(KEEP_MARKER):]
        with open(args.out, "w") as fh:
            fh.write(text)
        print(f"bench: wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
