"""Time mathlib's two workhorses on random data of MNIST shape.

1. One training epoch of a 784-100-10 MLP (ReLU, SGD, batch 100) over 60,000 samples.
2. One forward + backward step of ``deep_mnist_cnn`` on a batch of 50 images,
   in float32 and float64.

Run: ``python benchmarks/bench_mathlib.py [--repeats 3]``. Prints seconds and
samples/second (best of ``--repeats``). Targets on 2 CPU cores: MLP epoch < 2 s,
CNN step < 0.5 s in float32.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from mathlib.model import deep_mnist_cnn, mlp
from mathlib.optim import SGD
from mathlib.train import train


def bench_mlp_epoch(dtype, repeats, n=60_000, batch_size=100):
    """Best time of one epoch of a 784-100-10 MLP over ``n`` random samples."""
    rng = np.random.default_rng(0)
    X = rng.random((n, 784), dtype=np.float32).astype(dtype)  # (N, 784) pixels in [0, 1)
    y = rng.integers(0, 10, size=n)  # (N,)
    best = np.inf
    for _ in range(repeats):
        model = mlp([784, 100, 10], rng=np.random.default_rng(1), dtype=dtype)
        start = time.perf_counter()
        train(model, X, y, epochs=1, batch_size=batch_size, optimizer=SGD(0.1),
              rng=np.random.default_rng(2), progress=False, dtype=dtype)
        best = min(best, time.perf_counter() - start)
    return best, n / best


def bench_cnn_step(dtype, repeats, batch_size=50):
    """Best time of one forward + backward pass of ``deep_mnist_cnn`` on one batch."""
    rng = np.random.default_rng(0)
    model = deep_mnist_cnn(rng=rng, dtype=dtype)
    X = rng.random((batch_size, 1, 28, 28)).astype(dtype)  # (N, 1, 28, 28)
    y = rng.integers(0, 10, size=batch_size)  # (N,)
    model.loss_and_grads(X, y=y)  # warm-up
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        model.loss_and_grads(X, y=y)
        best = min(best, time.perf_counter() - start)
    return best, batch_size / best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs")
    args = parser.parse_args()

    seconds, rate = bench_mlp_epoch(np.float32, args.repeats)
    print(f"MLP 784-100-10, 1 epoch of 60,000, batch 100, float32: "
          f"{seconds:7.3f} s  {rate:12,.0f} samples/s   (target < 2 s)")
    for dtype in (np.float32, np.float64):
        seconds, rate = bench_cnn_step(dtype, args.repeats)
        target = "   (target < 0.5 s)" if dtype == np.float32 else ""
        print(f"deep_mnist_cnn fwd+bwd, batch 50, {np.dtype(dtype).name}: "
              f"{seconds:7.3f} s  {rate:12,.0f} samples/s{target}")


if __name__ == "__main__":
    main()
