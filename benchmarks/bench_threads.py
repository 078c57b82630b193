"""Would Python threads put the second core to work on the CNN step's element-wise part?

Between its matrix products, a training step of ``deep_mnist_cnn`` spends about half its
time in NumPy's element-wise work (Adam's update, im2col/col2im, pooling, ReLU), which runs
on one core (``bench_mathlib.py --profile``). NumPy's ufuncs release the GIL, so threads
that each take a slice of the arrays can run at once, and an element-wise update split that
way gives the same numbers to the last bit. This script tests the idea on its largest
piece, Adam's update of 3.3 M parameters:

1. **alone**: the update of the Deep-MNIST parameters, in one thread (``mathlib.optim.Adam``)
   and split over ``--threads`` threads (``ThreadedAdam`` below), medians of 25;
2. **inside the training step**: ``Sequential.train_step`` with either optimiser on random
   batches of 50, in alternating blocks of ``STEPS`` (A B B A ...) so that the machine's
   load hits both alike, medians of the blocks.

It also checks that both optimisers leave bit-identical parameters.

Measured on the book's 2-core machine (AMD EPYC, OpenBLAS with 2 threads, 2026-11-30): alone,
the split update was 0.97-1.44x as fast over 16 runs (median 1.24x; for example 12.6 -> 8.8
ms) and left identical parameters; inside the step the ratio was 1.06, 0.98, 1.05, 0.95, 0.99
and 0.98 in six runs, no gain beyond the run-to-run noise. The one-thread step's CPU time is
already twice its wall time (1.98-1.99), though half the step is single-threaded NumPy:
between products, OpenBLAS's idle worker thread keeps spinning on the second core (for up to
``2**OPENBLAS_THREAD_TIMEOUT`` cycles, 2**28 by default), so an extra thread competes with it
instead of finding a free core. With ``OPENBLAS_THREAD_TIMEOUT=4`` the worker sleeps sooner
(CPU / wall 1.52) but the step still did not gain (1.01x, 0.96x): every product then pays to
wake it.

Splitting im2col, col2im and pooling over the batch, and Adam over its arrays (tried in the
engine, not kept) gave the same picture: faster alone with one BLAS thread (col2im of
conv 2: 4.5 -> 3.0 ms), but the whole step was slower than the single-threaded engine in
each of six alternating runs (medians of 20 steps, e.g. 80.9 against 82.6 ms). That is why
mathlib stays single-threaded outside BLAS.

Run: ``python benchmarks/bench_threads.py [--threads 2] [--blocks 6]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from mathlib.model import deep_mnist_cnn
from mathlib.optim import Adam

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_mathlib import _median_ms  # noqa: E402  (wall-clock median after a warm-up)

STEPS = 10  # training steps per timed block
BLOCK = 262_144  # numbers per block of the threaded update (1 MiB of float32)


class ThreadedAdam(Adam):
    """Adam whose in-place update splits each large array over ``threads`` threads.

    Each thread updates one contiguous part in blocks of ``BLOCK`` numbers with Adam's own
    ``_apply``, so every number sees the same operations as in ``Adam``.
    """

    def __init__(self, *args, threads=2, **kwargs):
        super().__init__(*args, **kwargs)
        self.threads = threads
        self._pool = ThreadPoolExecutor(threads)

    def _update(self, name, theta, g):
        st = self._slot(name, theta)
        st["t"] += 1
        names = self.state_names
        flats = [a.reshape(-1) for a in (theta, np.asarray(g, order="C"),
                                         *(st[key] for key in names))]
        n = theta.size
        parts = self.threads if n >= 2 * BLOCK else 1
        bounds = [n * i // parts for i in range(parts + 1)]

        def work(i):
            lo, hi = bounds[i], bounds[i + 1]
            scratch = [np.empty(min(BLOCK, hi - lo), theta.dtype) for _ in range(2)]
            for start in range(lo, hi, BLOCK):
                piece = slice(start, min(start + BLOCK, hi))
                th, gb, *rest = (f[piece] for f in flats)
                self._apply(th, gb, dict(zip(names, rest, strict=True)), st["t"],
                            [s[: th.size] for s in scratch])

        list(self._pool.map(work, range(parts)))


def _deep_params(rng):
    model = deep_mnist_cnn(rng=rng)
    params = {k: v.copy() for k, v in model.params.items()}
    grads = {k: rng.standard_normal(v.shape).astype(v.dtype) for k, v in params.items()}
    return params, grads


def update_alone(threads):
    params, grads = _deep_params(np.random.default_rng(0))
    one, split = Adam(1e-4), ThreadedAdam(1e-4, threads=threads)
    p1 = {k: v.copy() for k, v in params.items()}
    p2 = {k: v.copy() for k, v in params.items()}
    for _ in range(3):
        one.update(p1, grads)
        split.update(p2, grads)
    identical = all(np.array_equal(p1[k], p2[k]) for k in params)
    return (_median_ms(lambda: one.update(p1, grads), 25),
            _median_ms(lambda: split.update(p2, grads), 25), identical)


def step_blocks(threads, blocks):
    rng = np.random.default_rng(1)
    X = rng.random((50, 1, 28, 28)).astype(np.float32)  # (N, 1, 28, 28)
    y = rng.integers(0, 10, size=50)
    runs = {"one thread": (deep_mnist_cnn(rng=np.random.default_rng(0)), Adam(1e-4)),
            "split": (deep_mnist_cnn(rng=np.random.default_rng(0)),
                      ThreadedAdam(1e-4, threads=threads))}
    for model, opt in runs.values():
        model.train_step(X, y, opt)  # warm-up
    times = {key: [] for key in runs}
    cpu_per_wall = []  # of the one-thread blocks: 2.0 means both cores busy all the time
    order = ["one thread", "split"]
    for b in range(blocks):
        for key in order if b % 2 == 0 else order[::-1]:
            model, opt = runs[key]
            start, cpu = time.perf_counter(), time.process_time()
            for _ in range(STEPS):
                model.train_step(X, y, opt)
            wall = time.perf_counter() - start
            times[key].append(1e3 * wall / STEPS)
            if key == "one thread":
                cpu_per_wall.append((time.process_time() - cpu) / wall)
    medians = {key: float(np.median(v)) for key, v in times.items()}
    return medians, float(np.median(cpu_per_wall))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2, help="threads of the split update")
    parser.add_argument("--blocks", type=int, default=6, help="timed blocks per optimiser")
    args = parser.parse_args()
    timeout = os.environ.get("OPENBLAS_THREAD_TIMEOUT", "default")
    print(f"BLAS threads: {os.environ.get('OPENBLAS_NUM_THREADS', 'default')}, "
          f"OPENBLAS_THREAD_TIMEOUT: {timeout}; update split over {args.threads} threads")
    one, split, identical = update_alone(args.threads)
    print(f"Adam update alone:        one thread {one:6.2f} ms   split {split:6.2f} ms   "
          f"({one / split:.2f}x); identical parameters: {identical}")
    step, cpu_per_wall = step_blocks(args.threads, args.blocks)
    print(f"training step (batch 50): one thread {step['one thread']:6.2f} ms   "
          f"split {step['split']:6.2f} ms   ({step['one thread'] / step['split']:.2f}x)")
    print(f"CPU time / wall time of the one-thread step: {cpu_per_wall:.2f} "
          f"(2.00 = both cores busy throughout)")


if __name__ == "__main__":
    main()
