"""Several separately built pyspec modules in one process, each with its own
Go runtime: what is process-wide (SIGINT, fork, loader names) has one owner.
TestCombined (tests/combined_test.go) builds procs, safety and buffers into
one directory and runs these."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import buffers
import procs
import safety


def run_script(code, timeout=60):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    p = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, env=env, timeout=timeout)
    return p.stdout, p.returncode


# Issue 19, 6. Context calls of two modules that end out of order (A enters,
# B enters, A leaves, B leaves): each module kept "the previous handler" of
# its own, so A's leaving took the handler away from B's call (its Ctrl-C
# was lost), and the handlers left behind could call each other forever.
def test_context_calls_of_two_modules_ending_out_of_order():
    out, code = run_script("""
        import os, signal, threading, time
        import procs, safety
        results = {}
        a = threading.Thread(target=lambda: results.setdefault("a", procs.wait_for_interrupt(300)))
        b = threading.Thread(target=lambda: results.setdefault("b", safety.wait_for_interrupt(20_000)))
        a.start()
        time.sleep(0.1)
        b.start()      # B enters while A runs
        a.join()       # A leaves first
        time.sleep(0.1)
        t0 = time.monotonic()
        try:
            os.kill(os.getpid(), signal.SIGINT)  # during B's call alone
            b.join()
            time.sleep(0.2)
            print("no KeyboardInterrupt")
        except KeyboardInterrupt:
            b.join()
            print("KeyboardInterrupt")
        print("a", results["a"], "b", results["b"], "b took %.1f s" % (time.monotonic() - t0))
        # No call runs now: Python's own handler is back.
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
            print("lost")
        except KeyboardInterrupt:
            print("KeyboardInterrupt again")
    """, timeout=60)
    assert code == 0, out
    assert "a timeout b cancelled" in out, out
    assert "KeyboardInterrupt\n" in out and "KeyboardInterrupt again" in out, out
    took = float(out.split("b took ")[1].split(" s")[0])
    assert took < 15, out


# Issue 19, 12. Three modules used, then fork: each child's first call of
# each module loads a private copy of its Go part. Copies were loaded as
# /proc/<pid>/fd/<N> with the fd closed after dlopen, so the next module's
# copy could get the same N, and the loader handed back the first one
# ("... is not its Go part").
def test_fork_with_three_modules_loaded():
    c = procs.Accumulator(1.0)
    assert buffers.sum(memoryview(bytearray(8 * 4)).cast("q")) == 0 and safety.f32(1.5) == 1.5 and c.total() == 1.0
    for _ in range(5):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                assert buffers.sum(memoryview(bytes(16)).cast("q")) == 0
                assert safety.f32(2.5) == 2.5
                assert procs.pid() == os.getpid()
                assert list(memoryview(buffers.ConstantBuffer(3, 2))) == [3, 3]
                code = 0
            except BaseException as e:
                print("child:", repr(e), file=sys.stderr, flush=True)
            os._exit(code)
        deadline = time.monotonic() + 60
        while True:
            wpid, status = os.waitpid(pid, os.WNOHANG)
            if wpid:
                assert os.waitstatus_to_exitcode(status) == 0
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise AssertionError("the child hung")
            time.sleep(0.02)


# Found by the state machine: a Ctrl-C during module A's context call also
# reached module B's pipe although B ran no context call, and B's next one
# found the stale byte and was cancelled at once ("cancelled" instead of
# "timeout"; its own Ctrl-C then raised only later).
def test_ctrl_c_reaches_only_modules_inside_a_context_call():
    out, code = run_script("""
        import os, signal, threading, time
        import procs, safety
        threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
        try:
            procs.wait_for_interrupt(30_000)
        except KeyboardInterrupt:
            print("A interrupted")
        print("B", safety.wait_for_interrupt(1))
        threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
        try:
            print("B returned", safety.wait_for_interrupt(30_000))
        except KeyboardInterrupt:
            print("B interrupted at its call")
    """)
    assert code == 0, out
    assert "A interrupted" in out and "B timeout" in out and "B interrupted at its call" in out, out
