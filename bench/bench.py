"""Per-call cost of a pyspec-generated module against hand-written floors.

Run by the interpreter under test (bench/run does this for you):

    python bench.py --build DIR [--pyspec DIR] [--quick] [--out FILE]

Contenders:
  floor_c   hand-written pure C extension (bench/floor/cext)
  floor_go  hand-written C glue + one cgo crossing into Go (bench/floor/cgo)
  pyspec    the compiled pyspec examples: conversions.nothing (noop),
            conversions.add (add) and buffers.sum (sum)
  numpy     arr.sum(), for the sum rows only
"""

import argparse
import datetime
import importlib
import os
import platform
import statistics
import sys
import threading
import time
import timeit
import types

import numpy as np

CONTENDERS = ["floor_c", "floor_go", "pyspec", "numpy"]
REPEAT = 7
TARGET_LO, TARGET_HI = 0.1, 0.2  # seconds per repeat


def load(path, name):
    """Import module `name` from directory `path`; return (module, error)."""
    if not path or not os.path.isdir(path):
        return None, "not built"
    sys.path.insert(0, os.path.abspath(path))
    try:
        return importlib.import_module(name), None
    except Exception as e:  # report, don't die: the row says why
        return None, f"import failed: {type(e).__name__}: {e}"
    finally:
        sys.path.pop(0)


def load_pyspec(path):
    """The pyspec contender: the examples' functions under the floors' names."""
    buffers, err = load(path, "buffers")
    if buffers is None:
        return None, err
    conversions, err = load(path, "conversions")
    if conversions is None:
        return None, err
    ns = types.SimpleNamespace(noop=conversions.nothing, add=conversions.add, sum=buffers.sum,
                               spin=conversions.spin, __file__=os.path.dirname(buffers.__file__))
    return ns, None


def nogil_speedup(spin, n=80_000_000, rounds=5):
    """Wall time of two calls of a CPU-bound nogil function, one after the
    other and in two threads; returns (serial s, threaded s) medians. Each
    call runs ~0.15 s: a thread's first entry into Go sets up its state,
    which a short call would count as lost parallelism."""
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


def make_ops():
    """Operations in table order: (label, name, element count or None)."""
    return [
        ("noop()", "noop", None),
        ("add(1, 2)", "add", None),
        ("sum(int64[10])", "sum", 10),
        ("sum(int64[1,000])", "sum", 1_000),
        ("sum(int64[10,000,000])", "sum", 10_000_000),
    ]


def callables(mods, name, arr):
    """contender -> (stmt, globals) or a string saying why it is absent."""
    out = {}
    for c in CONTENDERS:
        if c == "numpy":
            out[c] = ("arr.sum()", {"arr": arr}) if name == "sum" else "—"
            continue
        mod, err = mods[c]
        if mod is None:
            out[c] = err
            continue
        if not hasattr(mod, name):
            out[c] = "n/a"
            continue
        g = {"f": getattr(mod, name), "arr": arr}
        out[c] = {"noop": "f()", "add": "f(1, 2)", "sum": "f(arr)"}[name], g
    return out


def check(label, name, arr, cs):
    """Every contender must return the same result; returns that result."""
    expected = {"noop": None, "add": 3}.get(name)
    if name == "sum":
        n = len(arr)
        expected = n * (n - 1) // 2
    for c, v in cs.items():
        if isinstance(v, str):
            continue
        stmt, g = v
        got = eval(stmt, g)
        if not (got is None and expected is None) and got != expected:
            raise AssertionError(f"{label}: {c} returned {got!r}, want {expected!r}")
    return expected


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


def measure_interleaved(specs):
    """Time several contenders of one operation, taking their repeats in
    turn (A B C A B C ...) so that drift in machine load affects all alike.
    specs maps a contender to (stmt, globals); returns contender -> stats."""
    timers = {}
    for c, (stmt, g) in specs.items():
        # The setup runs inside timeit's inner function, so f/arr become
        # fast locals there (as with `python -m timeit -s`).
        setup = "; ".join(f"{k} = _g[{k!r}]" for k in g)
        timer = timeit.Timer(stmt, setup=setup, globals={"_g": g})
        timers[c] = (timer, autorange(timer))
    per = {c: [] for c in timers}
    for _ in range(REPEAT):
        for c, (timer, n) in timers.items():
            per[c].append(timer.timeit(n) / n * 1e9)
    return {c: {"median": statistics.median(v), "best": min(v), "n": timers[c][1]} for c, v in per.items()}


def fmt_ns(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:,.2f} ms"
    if ns >= 1e4:
        return f"{ns / 1e3:,.1f} µs"
    return f"{ns:,.1f}"


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
    for c in ("floor_c", "floor_go", "pyspec"):
        mod, err = mods[c]
        lines.append(f"- {c}: {getattr(mod, '__file__', None) if mod else err}")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True, help="directory holding floor_c and floor_go")
    ap.add_argument("--pyspec", help="directory holding the compiled pyspec modules `buffers` and `conversions`")
    ap.add_argument("--quick", action="store_true", help="only check imports and results")
    ap.add_argument("--out", help="also write the markdown report to FILE")
    args = ap.parse_args()

    mods = {
        "floor_c": load(args.build, "floor_c"),
        "floor_go": load(args.build, "floor_go"),
        "pyspec": load_pyspec(args.pyspec),
    }
    for c in ("floor_c", "floor_go"):
        if mods[c][0] is None:
            sys.exit(f"bench: {c} missing in {args.build}: {mods[c][1]}")

    arrays = {}
    ops = []
    for label, name, n in make_ops():
        arr = None
        if n is not None:
            arr = arrays.setdefault(n, np.arange(n, dtype=np.int64))
        cs = callables(mods, name, arr)
        check(label, name, arr, cs)
        ops.append((label, name, n, cs))

    if args.quick:
        if mods["pyspec"][0] is not None:
            mods["pyspec"][0].spin(1000)  # builds and runs; not timed
        print("bench --quick: all contenders agree")
        for c in ("floor_c", "floor_go", "pyspec"):
            mod, err = mods[c]
            print(f"  {c:9s} {'ok: ' + mod.__file__ if mod else err}")
        for label, name, n, cs in ops:
            status = ", ".join(f"{c}={'ok' if not isinstance(v, str) else v}" for c, v in cs.items())
            print(f"  {label:24s} {status}")
        return

    results = {}  # (label, contender) -> dict or str
    for label, name, n, cs in ops:
        timed = measure_interleaved({c: v for c, v in cs.items() if not isinstance(v, str)})
        for c, v in cs.items():
            if isinstance(v, str):
                results[label, c] = v
                continue
            r = timed[c]
            results[label, c] = r
            print(f"  {label:24s} {c:9s} median {fmt_ns(r['median']):>12s}  best {fmt_ns(r['best']):>12s}  (N={r['n']:,})",
                  file=sys.stderr, flush=True)

    md = ["# pyspec benchmarks", "",
          "Per-call cost of the pyspec-generated module against hand-written floors",
          f"(`bench/run`; `timeit` repeat={REPEAT}, N chosen so one repeat takes ~0.1–0.2 s).", ""]
    md += environment(mods)
    md += ["", "## Median ns per call", "",
           "| operation | " + " | ".join(CONTENDERS) + " | pyspec / floor_go |",
           "|---|" + "---:|" * len(CONTENDERS) + "---:|"]
    for label, name, n, cs in ops:
        cells = []
        for c in CONTENDERS:
            r = results[label, c]
            cells.append(r if isinstance(r, str) else fmt_cell(r["median"]))
        p, g = results[label, "pyspec"], results[label, "floor_go"]
        ratio = f"{p['median'] / g['median']:.2f}×" if isinstance(p, dict) and isinstance(g, dict) else "—"
        md.append(f"| {label} | " + " | ".join(cells) + f" | {ratio} |")

    big = max(n for _, _, n, _ in ops if n)
    big_label = next(label for label, _, n, _ in ops if n == big)
    md += ["", f"Throughput of {big_label} ({big * 8 / 1e6:,.0f} MB, median): " + ", ".join(
        f"{c} {big * 8 / (results[big_label, c]['median']):.2f} GB/s"
        for c in CONTENDERS if isinstance(results[big_label, c], dict)) + "."]

    if mods["pyspec"][0] is not None:
        serial, threaded = nogil_speedup(mods["pyspec"][0].spin)
        md += ["", "## nogil: a CPU-bound Go function from 2 threads", "",
               "`conversions.spin(80_000_000)` (`nogil: true`) called twice in a row, then once in each of two threads "
               "(median of 5 rounds):", "",
               "| serial | 2 threads | speedup |", "|---:|---:|---:|",
               f"| {serial * 1e3:.1f} ms | {threaded * 1e3:.1f} ms | {serial / threaded:.2f}× |"]
        print(f"  nogil: serial {serial * 1e3:.1f} ms, 2 threads {threaded * 1e3:.1f} ms", file=sys.stderr)

    md += ["", "## Detail: median / best ns per call (N calls per repeat)", "",
           "| operation | contender | median | best | N |", "|---|---|---:|---:|---:|"]
    for label, name, n, cs in ops:
        for c in CONTENDERS:
            r = results[label, c]
            if isinstance(r, dict):
                md.append(f"| {label} | {c} | {fmt_cell(r['median'])} | {fmt_cell(r['best'])} | {r['n']:,} |")
    text = "\n".join(md) + "\n"
    print(text)
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as fh:
            fh.write(text)
        print(f"bench: wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
