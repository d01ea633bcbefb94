"""The Python side of `npm run bench`: one workload of one run per invocation.

Usage: python3 pool_bench.py <workload> [--key value ...]; prints JSON lines on stdout. The last
line is `{"event": "done", ...}` with the measurements. A line with `"await": true` asks the
parent to do something (read this process tree's RSS) and to answer with one line on stdin.

Only the work is timed: the pool is started and warmed before the clock starts, except in `w4`,
which times start-up itself. Functions live at module level so the default `fork` start method
(Linux, Python 3.11) hands them to the workers without pickling code.
"""

import argparse
import json
import sys
import time
from multiprocessing import Pool


def identity(x):
    return x


def spin(n):
    """W3: the same loop as bench/fixtures/work.cjs; n is scaled so one call takes about as long."""
    x = 0
    for i in range(n):
        x = (x + i * i) % 1000003
    return x


def emit(**fields):
    print(json.dumps(fields), flush=True)


def pause(event, **fields):
    """Lets the parent measure this process tree at a known point, then continues."""
    emit(event=event, **{"await": True}, **fields)
    sys.stdin.readline()


def warm(pool, workers):
    # One task per worker with chunksize 1, so every worker has run something before timing.
    pool.map(identity, range(workers * 4), chunksize=1)


def w1(args):
    """W1 dispatch: map `n` tiny inputs; chunksize 'auto' is Pool.map's own rule."""
    chunksize = None if args.chunksize == "auto" else int(args.chunksize)
    with Pool(args.workers) as pool:
        warm(pool, args.workers)
        # --maps K: K-1 untimed maps of the same size first, then the timed one (steady state).
        for _ in range(args.maps - 1):
            pool.map(identity, range(args.n), chunksize=chunksize)
        started = time.perf_counter()
        results = pool.map(identity, range(args.n), chunksize=chunksize)
        seconds = time.perf_counter() - started
    assert len(results) == args.n and results[-1] == args.n - 1
    emit(event="done", seconds=seconds, rate=args.n / seconds)


def w2(args):
    """W2 latency: `n` sequential single tasks on a warm pool, one round trip each."""
    with Pool(args.workers) as pool:
        warm(pool, args.workers)
        for i in range(50):
            pool.apply(identity, (i,))
        latencies = []
        for i in range(args.n):
            started = time.perf_counter()
            pool.apply(identity, (i,))
            latencies.append((time.perf_counter() - started) * 1000)
    emit(event="done", latenciesMs=latencies)


def w3(args):
    """W3 scaling: `tasks` CPU-bound calls, in a plain loop (workers=0) or on a pool."""
    inputs = [args.spin] * args.tasks
    if args.workers == 0:
        started = time.perf_counter()
        results = [spin(n) for n in inputs]
        seconds = time.perf_counter() - started
    else:
        with Pool(args.workers) as pool:
            warm(pool, args.workers)
            started = time.perf_counter()
            results = pool.map(spin, inputs, chunksize=1)
            seconds = time.perf_counter() - started
    assert len(set(results)) == 1
    emit(event="done", seconds=seconds)


def w4(args):
    """W4 start-up: Pool(workers) constructed -> first result; then the idle tree's RSS."""
    started = time.perf_counter()
    pool = Pool(args.workers)
    pool.apply(identity, (1,))
    startup_ms = (time.perf_counter() - started) * 1000
    warm(pool, args.workers)
    time.sleep(0.3)
    pause("settled", startupMs=startup_ms)
    pool.terminate()
    pool.join()
    emit(event="done", startupMs=startup_ms)


def w5(args):
    """W5: `n` inputs from a generator through Pool.imap, results consumed one by one."""
    with Pool(args.workers) as pool:
        for _ in pool.imap(identity, range(1000), chunksize=args.chunksize):
            pass
        pause("ready")
        started = time.perf_counter()
        count = 0
        total = 0
        for value in pool.imap(identity, (i for i in range(args.n)), chunksize=args.chunksize):
            count += 1
            total += value
        seconds = time.perf_counter() - started
    assert count == args.n and total == args.n * (args.n - 1) // 2
    emit(event="done", seconds=seconds, rate=args.n / seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("workload", choices=["w1", "w2", "w3", "w4", "w5"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--chunksize", default="auto")
    parser.add_argument("--maps", type=int, default=1)
    parser.add_argument("--tasks", type=int, default=8)
    parser.add_argument("--spin", type=int, default=3_000_000)
    args = parser.parse_args()
    if args.workload == "w5":
        args.chunksize = 1 if args.chunksize == "auto" else int(args.chunksize)
    {"w1": w1, "w2": w2, "w3": w3, "w4": w4, "w5": w5}[args.workload](args)


if __name__ == "__main__":
    main()
