"""Processes, pools, clusters, asyncio and Ctrl-C with a pyspec module.

The module's Go part is reloaded (a private copy) in a forked child on
first use, because a Go runtime does not survive fork(); objects pickle by
their Go type's BinaryMarshaler or by their attributes; async calls run in
goroutines and complete on the caller's event loop.
"""
import asyncio
import concurrent.futures
import copy
import gc
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import threading
import time
import traceback
import warnings

import pytest

import procs


def in_child(fn, timeout=60):
    """Runs fn in a child made by os.fork(); returns its exit code, failing
    the test if the child hangs."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            fn()
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        wpid, status = os.waitpid(pid, os.WNOHANG)
        if wpid:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail(f"the forked child hung for {timeout} s")


# RSS says nothing about leaks under AddressSanitizer (freed memory waits in
# its quarantine) or Python's debug allocator, and the loops are slow there.
measures_rss = pytest.mark.skipif(
    "libasan" in os.environ.get("LD_PRELOAD", "") or sys.flags.dev_mode,
    reason="RSS is not comparable under ASan or -X dev",
)


def rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def os_threads():
    return len(os.listdir("/proc/self/task"))


# ---- fork -----------------------------------------------------------------


def test_forked_child_runs_go_after_the_parent_did():
    assert procs.churn(500_000) == 500_000  # the parent's Go runtime is busy

    def child():
        assert procs.pid() == os.getpid()
        # Enough allocation for Go's garbage collector to run, which needs
        # the runtime's other threads: the parent's copy would hang here.
        assert procs.churn(3_000_000) == 3_000_000
        acc = procs.Accumulator(1)
        acc.add(2)
        assert pickle.loads(pickle.dumps(acc)).total() == 3
        assert asyncio.run(procs.square_later(7)) == 49

    assert in_child(child) == 0
    assert procs.churn(1000) == 1000  # and the parent goes on


def test_grandchildren():
    procs.churn(100_000)

    def child():
        procs.churn(200_000)

        def grandchild():
            assert procs.churn(2_000_000) == 2_000_000
            assert procs.pid() == os.getpid()

        assert in_child(grandchild) == 0
        assert procs.churn(200_000) == 200_000

    assert in_child(child) == 0


def test_parent_objects_in_a_child_say_why_they_cannot_be_used():
    acc = procs.Accumulator(5)
    point = procs.Point(1, 2)

    def child():
        with pytest.raises(RuntimeError, match=r"made before os\.fork\(\).*pass it pickled"):
            acc.total()
        with pytest.raises(RuntimeError, match="before os.fork"):
            acc.count
        with pytest.raises(RuntimeError, match="before os.fork"):
            pickle.dumps(acc)
        # As an argument too; and their deallocation skips Go.
        fresh = procs.Accumulator(1)
        assert fresh.add(1) == 2
        del acc_ref[:]
        gc.collect()

    acc_ref = [acc, point]
    assert in_child(child) == 0
    assert acc.total() == 5 and point.x == 1


def test_fork_before_first_use_and_reimport():
    def child():
        import importlib
        saved = sys.modules.pop("procs")
        try:
            again = importlib.import_module("procs")
            assert again.churn(1_000_000) == 1_000_000
        finally:
            sys.modules["procs"] = saved

    assert in_child(child) == 0


# ---- pools ----------------------------------------------------------------


CHUNKS = [bytes(range(i % 256)) * 100 for i in range(40)]


def expected_checksums():
    return [procs.checksum(c) for c in CHUNKS]


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_multiprocessing_pool(method):
    procs.churn(100_000)
    want = expected_checksums()
    accs = [procs.Accumulator(i) for i in range(8)]
    ctx = multiprocessing.get_context(method)
    with ctx.Pool(2) as pool:
        assert pool.map(procs.checksum, CHUNKS) == want
        # Objects go to the workers pickled, and come back pickled.
        assert pool.map(procs.Accumulator.total, accs) == [float(i) for i in range(8)]
        back = pool.map(copy.copy, accs)
        assert [b.total() for b in back] == [float(i) for i in range(8)]
        assert all(b is not a for a, b in zip(accs, back))
        pids = set(pool.starmap(procs.pid, [()] * 8))
        assert os.getpid() not in pids


def test_process_pool_executor():
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as ex:
        assert list(ex.map(procs.checksum, CHUNKS)) == expected_checksums()
        p = ex.submit(copy.deepcopy, procs.Point(3, 4)).result(timeout=60)
        assert (p.x, p.y) == (3, 4)


# ---- pickling -------------------------------------------------------------


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_binary_and_attributes(protocol):
    acc = procs.Accumulator(2.5)
    acc.add(1)
    back = pickle.loads(pickle.dumps(acc, protocol))
    assert back.total() == 3.5 and back.count == 1
    back.add(10)
    assert acc.total() == 3.5  # its own Go value
    p = pickle.loads(pickle.dumps(procs.Point(-1, 2**40), protocol))
    assert (p.x, p.y) == (-1, 2**40)


def test_unpickling_garbage_is_an_error_never_a_crash():
    good = pickle.dumps(procs.Accumulator(1))
    for cut in range(len(good)):
        with pytest.raises(Exception):
            pickle.loads(good[:cut])
    with pytest.raises(ValueError, match="cannot unpickle procs.Accumulator: want 16 bytes, got 3"):
        procs.Accumulator().__setstate__(b"abc")
    with pytest.raises(TypeError):
        procs.Point(0, 0).__setstate__({"x": "one", "y": 2})
    with pytest.raises(TypeError, match="_pyspec_new"):
        procs._pyspec_new(int)


@measures_rss
def test_pickle_cycles_leak_nothing():
    acc = procs.Accumulator(1)
    for _ in range(2000):
        pickle.loads(pickle.dumps(acc))
    gc.collect()
    before = rss_kb()
    for _ in range(100_000):
        pickle.loads(pickle.dumps(acc))
    gc.collect()
    assert rss_kb() - before < 8_000  # kB: flat, give or take the allocator


# ---- asyncio --------------------------------------------------------------


def test_gather_a_thousand_calls():
    async def main():
        return await asyncio.gather(*[procs.square_later(i, 20) for i in range(1000)])

    assert asyncio.run(main()) == [i * i for i in range(1000)]


def test_ten_thousand_pending_calls_do_not_take_ten_thousand_threads():
    # The calls sleep far longer than a loaded machine (-X dev, ASan) needs
    # to start them all; then they are cancelled through their contexts.
    async def main():
        calls = [asyncio.ensure_future(procs.sleep_ms(120_000)) for _ in range(10_000)]
        for _ in range(6000):  # every task takes its first step
            await asyncio.sleep(0.01)
            if procs.pending() == 10_000:
                break
        threads = os_threads()
        pending = procs.pending()
        for c in calls:
            c.cancel()
        results = await asyncio.gather(*calls, return_exceptions=True)
        for _ in range(6000):
            if procs.pending() == 0:
                break
            await asyncio.sleep(0.01)
        return threads, pending, results

    threads, pending, results = asyncio.run(main())
    assert pending == 10_000
    assert threads < 64, f"{threads} OS threads for 10,000 pending calls"
    assert all(isinstance(r, asyncio.CancelledError) for r in results)
    assert procs.pending() == 0


def test_results_errors_and_panics():
    async def main():
        assert await procs.divmod_later(17, 5) == (3, 2)
        with pytest.raises(RuntimeError, match="division by zero"):
            await procs.divmod_later(1, 0)
        with pytest.raises(procs.Refused, match="refused asynchronously"):
            await procs.fail_later(False)
        with pytest.raises(RuntimeError, match=r"Go panic in procs\.FailLater: fail_later panics"):
            await procs.fail_later(True)
        acc = procs.Accumulator(1)
        assert await acc.add_later(2, 5) == 3 and acc.total() == 3

    asyncio.run(main())


def test_cancelling_cancels_the_go_context():
    async def main():
        task = asyncio.create_task(procs.sleep_ms(60_000))
        await asyncio.sleep(0.05)
        assert procs.pending() == 1
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        for _ in range(100):
            if procs.pending() == 0:
                break
            await asyncio.sleep(0.01)
        assert procs.pending() == 0  # the goroutine saw ctx.Done()

    asyncio.run(main())


def test_timeouts_cancel_too():
    async def main():
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(procs.sleep_ms(60_000), 0.05)
        await asyncio.sleep(0.05)
        assert procs.pending() == 0

    asyncio.run(main())


def test_cancelled_before_it_starts_no_goroutine_runs():
    async def main():
        task = asyncio.create_task(procs.sleep_ms(60_000))
        task.cancel()  # before its first step: the Go call never starts
        with pytest.raises(asyncio.CancelledError):
            await task
        assert procs.pending() == 0
        coro = procs.square_later(3)
        del coro  # never awaited: dropped, nothing runs
        gc.collect()

    with pytest.warns(RuntimeWarning, match="coroutine 'square_later' was never awaited"):
        asyncio.run(main())
    assert procs.pending() == 0


def test_arguments_are_checked_when_called():
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'ms'"):
        procs.sleep_ms()
    with pytest.raises(TypeError, match="argument 'x' must be int"):
        procs.square_later("a")
    assert asyncio.run(procs.total_later({"a": 1, "b": 2, "c": 3})) == 6
    # An argument the Go part refuses: the TypeError, and no coroutine left
    # behind to warn that it was never awaited.
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        for bad in (object(), {"a": "b"}, {1: 2}, None):
            with pytest.raises(TypeError, match="xs"):
                procs.total_later(bad)
        gc.collect()
    assert [str(w.message) for w in seen] == []
    assert procs.pending() == 0


@pytest.mark.skipif("libasan" in os.environ.get("LD_PRELOAD", "") or sys.flags.dev_mode,
                    reason="60,000 async calls take a minute under ASan or -X dev")
def test_async_calls_leak_nothing():
    async def batch(n):
        return await asyncio.gather(*[procs.square_later(i) for i in range(n)])

    async def errors(n):
        return await asyncio.gather(*[procs.fail_later(i % 2 == 0) for i in range(n)], return_exceptions=True)

    async def main(rounds):
        for _ in range(rounds):
            await batch(1000)
            await errors(200)

    # Not the RSS, which follows the collector's pace (GOGC=400 here) and
    # the machine's load: what a leak grows. Go's live heap after a
    # collection, its goroutines, and Python's allocated blocks.
    asyncio.run(main(10))
    gc.collect()
    heap, goroutines = procs.go_heap()
    blocks = sys.getallocatedblocks()
    asyncio.run(main(50))  # 50,000 calls, 10,000 failures
    gc.collect()
    heap_after, goroutines_after = procs.go_heap()
    assert procs.pending() == 0
    assert heap_after - heap < 1_000_000, (heap, heap_after)  # 20 B a call would be 1 MB
    assert goroutines_after <= goroutines + 2, (goroutines, goroutines_after)
    assert sys.getallocatedblocks() - blocks < 2_000  # one block in 25 calls


def test_stub_says_async():
    stub = os.path.join(os.path.dirname(procs.__file__), "procs.pyi")
    if os.path.exists(stub):
        with open(stub) as f:
            text = f.read()
        assert "async def sleep_ms(ms: int) -> int" in text
        assert "async def add_later(self, x: float, ms: int) -> float" in text


def test_a_missing_nogil_deadlock_is_reported():
    # Nothing can end this deadlock but a kill; pyspec's watchdog says what
    # it is and how to avoid it.
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    p = subprocess.Popen([sys.executable, "-c", "import procs; procs.call_from_goroutine(lambda x: x + 1)"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    timer = threading.Timer(30, p.kill)  # no report: fail, never hang
    timer.start()
    out = ""
    for line in p.stdout:  # the report comes after 5 s
        out += line
        if "pyspec:" in line:
            break
    timer.cancel()
    p.kill()
    p.communicate()
    assert "waited 5 s for the GIL" in out and "declare it `nogil: true`" in out, out


# ---- Ctrl-C ---------------------------------------------------------------


def run_and_interrupt(code, after=1.0):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    p = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, env=env)
    time.sleep(after)
    p.send_signal(signal.SIGINT)
    out, _ = p.communicate(timeout=30)
    return out, p.returncode


def test_ctrl_c_cancels_the_context_of_a_sync_call():
    out, code = run_and_interrupt("""
        import time, procs
        t0 = time.monotonic()
        try:
            procs.wait_for_interrupt(60_000)
            print("no interrupt")
        except KeyboardInterrupt:
            print("KeyboardInterrupt after %.1f s" % (time.monotonic() - t0))
        print(procs.wait_for_interrupt(20))  # Python's handler is back
    """)
    assert code == 0, out
    assert "KeyboardInterrupt after" in out and "timeout" in out, out
    took = float(out.split("after ")[1].split(" s")[0])
    assert took < 10


def test_ctrl_c_during_an_async_call():
    out, code = run_and_interrupt("""
        import asyncio, procs
        try:
            asyncio.run(procs.sleep_ms(60_000))
        except KeyboardInterrupt:
            print("KeyboardInterrupt")
        import time
        for _ in range(100):
            if procs.pending() == 0:
                break
            time.sleep(0.01)
        print("pending", procs.pending())
    """)
    assert code == 0, out
    assert "KeyboardInterrupt" in out and "pending 0" in out, out


def run_script(code, timeout=60):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    p = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, env=env, timeout=timeout)
    return p.stdout, p.returncode


# Issue 19, 4. Once Go's os/signal has installed Go's own SIGINT handler (a
# SA_SIGINFO one), the handler of a context call forwarded (sig, NULL, NULL)
# to it: SIGSEGV in runtime.sigtrampgo.
def test_ctrl_c_after_go_installed_its_own_handler():
    out, code = run_script("""
        import os, signal, threading, time, procs
        procs.notify_interrupt()
        threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
        print(procs.wait_for_interrupt(20_000))
        # Go's signal goroutine fills the channel soon after, not at once.
        for _ in range(500):
            if procs.notify_interrupt():
                break
            time.sleep(0.01)
        print("seen by Go:", procs.notify_interrupt())
    """)
    assert code == 0, out
    assert "cancelled" in out and "seen by Go: 1" in out, out


# Issue 19, 2. os.fork() inside a callback Go is running: the child loads
# its own Go part (with a generation of its own, so the parent's part, still
# on the stack, stamps nothing as the child's). The child does its work and
# exits inside the callback: returning would resume the parent's Go runtime,
# which may wait for threads the child does not have (README, fork).
#
# Not under ASan: gcc 12's ASan runtime does not take its allocator's locks
# around fork() (glibc's malloc does), so a child forked while another
# thread is inside ASan's allocator - here the Go runtime starting its
# threads - waits on that lock forever (seen every time when run alone).
@pytest.mark.skipif("libasan" in os.environ.get("LD_PRELOAD", ""),
                    reason="gcc 12's ASan allocator is not fork-safe with other threads allocating")
def test_fork_inside_a_callback():
    def cb():
        pid = os.fork()
        if pid != 0:
            return pid
        code = 1
        try:
            fresh = procs.Accumulator(1.0)  # the child's own Go part loads here
            fresh.add(2.0)
            procs.churn(200_000)  # the child's collector runs
            assert fresh.total() == 3.0 and procs.pid() == os.getpid()
            assert procs.apply(lambda x: x + 1, 1) == 2
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)

    pids = []
    acc = procs.accumulator_after(lambda: pids.append(cb()), 2.0)
    assert acc.total() == 2.0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        wpid, status = os.waitpid(pids[0], os.WNOHANG)
        if wpid:
            assert os.waitstatus_to_exitcode(status) == 0
            break
        time.sleep(0.02)
    else:
        os.kill(pids[0], signal.SIGKILL)
        os.waitpid(pids[0], 0)
        pytest.fail("the child hung")


# Issue 19, 10. atexit handlers registered before the module was imported run
# after any the module registers; callbacks and async calls must still work
# there, until the interpreter really finalizes.
def test_atexit_handlers_registered_before_import_can_call_in():
    out, code = run_script("""
        import asyncio, atexit

        def at_exit():
            print("apply", procs.apply(lambda x: x + 1, 41), flush=True)
            print("async", asyncio.run(procs.square_later(7, 10)), flush=True)

        atexit.register(at_exit)
        import procs
        procs.pid()
    """, timeout=60)
    assert code == 0, out
    assert "apply 42" in out and "async 49" in out, out


# Issue 19, 9. A subinterpreter that imports the module first was accepted;
# once it was destroyed, every callback in the main interpreter raised
# "Python is shutting down" (and its own first callback deadlocked).
def test_a_subinterpreter_importing_first_is_refused():
    pytest.importorskip("_testcapi")
    out, code = run_script("""
        import _testcapi
        r = _testcapi.run_in_subinterp(
            "try:\\n"
            "    import procs\\n"
            "except ImportError as e:\\n"
            "    assert 'subinterpreters' in str(e), e\\n"
            "else:\\n"
            "    raise SystemExit('imported in a subinterpreter')\\n")
        print("subinterpreter", r)
        import procs
        print("apply", procs.apply(lambda x: x * 2, 21))
    """)
    assert code == 0, out
    assert "subinterpreter 0" in out and "apply 42" in out, out


# Issue 22, item 8: the spec's go.gc defaults are in force; GOGC and
# GOMEMLIMIT in the environment still win.
def test_gc_defaults_from_the_spec():
    def settings(**extra):
        env = {k: v for k, v in os.environ.items() if k not in ("GOGC", "GOMEMLIMIT")}
        env.update(extra, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        p = subprocess.run([sys.executable, "-c", "import procs; print(procs.gc_settings())"],
                           capture_output=True, text=True, env=env, timeout=60)
        assert p.returncode == 0, p.stderr
        return p.stdout.strip()

    assert settings() == "(400, 3221225472)"
    assert settings(GOGC="50", GOMEMLIMIT="100MiB") == "(50, 104857600)"


# ---- Dask -----------------------------------------------------------------


def test_dask_local_cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=40) as cluster, distributed.Client(cluster) as client:
        futures = client.map(procs.checksum, CHUNKS)
        assert client.gather(futures) == expected_checksums()
        # pyspec objects travel to workers and back.
        accs = [procs.Accumulator(i) for i in range(6)]
        totals = client.gather(client.map(procs.Accumulator.total, accs))
        assert totals == [float(i) for i in range(6)]
        back = client.gather(client.map(copy.copy, accs))
        assert [b.total() for b in back] == totals
        pids = set(client.gather([client.submit(procs.pid, pure=False) for _ in range(6)]))
        assert os.getpid() not in pids


def test_the_specs_build_tags_and_cgo_flags_reach_the_build():
    # go.tags: [procs_tagged] picks tagged.go over untagged.go, and
    # go.cgo_cflags defines PROCS_CFLAG for the package's cgo.
    assert procs.build_settings() == ("procs_tagged", 42)


def test_abandoned_iterators_stop_their_go_sequences():
    # Dropped before the first item, inside a batch, at a batch's end,
    # after the end: each Go loop returns, no goroutine stays.
    def churn(rounds):
        for r in range(rounds):
            it = procs.numbers(10**9)
            for _ in range((r * 37) % 3000):
                next(it)
            del it
            procs.numbers(5)  # never started
            list(procs.numbers(r % 2000))

    churn(100)
    gc.collect()
    heap, goroutines = procs.go_heap()
    blocks = sys.getallocatedblocks()
    churn(3000)
    gc.collect()
    deadline = time.monotonic() + 10
    while procs.open_sequences() and time.monotonic() < deadline:
        time.sleep(0.01)  # a stopped loop returns in its own goroutine
    assert procs.open_sequences() == 0
    heap_after, goroutines_after = procs.go_heap()
    assert goroutines_after <= goroutines + 2, (goroutines, goroutines_after)
    assert heap_after - heap < 1_000_000, (heap, heap_after)
    assert sys.getallocatedblocks() - blocks < 2_000


def test_a_sequence_may_call_python():
    # The Go sequence calls f from its goroutine while the consumer waits
    # without the GIL; f's exception ends the iteration after the items
    # before it.
    assert list(procs.mapped(lambda x: x * x, 20)) == [x * x for x in range(20)]

    def f(x):
        if x == 13:
            raise KeyError("thirteen")
        return -x

    got = []
    with pytest.raises(KeyError, match="thirteen"):
        for v in procs.mapped(f, 100):
            got.append(v)
    assert got == [-x for x in range(13)]


def test_next_from_inside_the_sequence_is_refused():
    it = None

    def f(x):
        if x == 3:
            with pytest.raises(ValueError, match="GoIterator already executing"):
                next(it)
        return x

    it = procs.mapped(f, 10)
    assert list(it) == list(range(10))


def test_a_panic_comes_after_the_items_before_it():
    for k in [0, 5, 1024, 3000]:
        got = []
        with pytest.raises(RuntimeError, match=f"Go panic in procs.PanicsAt: item {k}"):
            for v in procs.panics_at(k):
                got.append(v)
        assert got == list(range(k))


def test_iterators_of_objects():
    accs = list(procs.accumulators(3000))
    assert [a.total() for a in accs] == [float(i) for i in range(3000)]
    assert all(type(a) is procs.Accumulator for a in accs)


def test_a_parent_iterator_in_a_child_says_why():
    it = procs.numbers(5000)
    assert next(it) == 0

    def child():
        rest = procs.numbers(3)  # made in the child: fine
        assert list(rest) == [0, 1, 2]
        for i in range(1, 1024):  # the rest of the batch (1024 items) is in C memory
            assert next(it) == i
        with pytest.raises(RuntimeError, match="made before os.fork"):
            for _ in it:
                pass

    assert in_child(child) == 0
    assert sum(it) == sum(range(1, 5000))
