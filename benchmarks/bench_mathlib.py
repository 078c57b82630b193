"""Time mathlib's two workhorses on random data of MNIST shape, and profile the CNN step.

1. One training epoch of a 784-100-10 MLP (ReLU, SGD, batch 100) over 60,000 samples.
2. One training step (forward, backward, Adam update, as ``train`` does it) of
   ``deep_mnist_cnn`` on a batch of 50 images, in float32 and float64.

``--profile`` prints where the float32 CNN step goes, layer by layer (medians), next to
the time its matrix products take on their own, with the same shapes and memory layouts
(the "peak" for those shapes), and NumPy's peak rate on a large square product.

Where the time went (CPU time of one step, batch 50, one BLAS thread, the same 2-core AMD
EPYC and the same load for both; before = commit 0fdf9ec, after = this engine):

=================================  ========  =======
part of the step                    before    after
=================================  ========  =======
conv 2 forward (im2col + product)   32.1 ms  18.8 ms
conv 2 backward                     42.6 ms  37.7 ms
dense 3136->1024 fwd + bwd          18.6 ms  16.2 ms
conv 1 forward + backward           15.9 ms   6.8 ms
max-pool forward + backward         35.4 ms   6.9 ms
ReLU forward + backward              9.8 ms   4.0 ms
Adam + copies of params and grads   30.4 ms  12.6 ms
everything else                      1.0 ms   1.0 ms
total                              185.9 ms 103.9 ms
=================================  ========  =======

Before, a third of the step was copies and masks: max-pool's ``argmax`` over a copied
window axis and a ``np.where`` per offset, ReLU's ``np.where``, im2col copying runs of 5
numbers, the first layer's unused input gradient, and Adam allocating a dozen 13 MB
temporaries plus four copies of every parameter per step. After, conv 2 and the dense
layer, whose time is mostly their matrix products, take 70 % of the step; Adam's in-place
update of 3.3 M parameters is the largest remaining part outside them.

Run: ``python benchmarks/bench_mathlib.py [--repeats 3] [--profile]``. Prints seconds and
samples/second (best of ``--repeats``). Targets on 2 CPU cores: MLP epoch < 2 s,
CNN step < 0.5 s in float32.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from mathlib.model import deep_mnist_cnn, mlp
from mathlib.optim import SGD, Adam
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
    """Best time of one training step of ``deep_mnist_cnn`` (forward, backward, Adam)."""
    rng = np.random.default_rng(0)
    model = deep_mnist_cnn(rng=rng, dtype=dtype)
    X = rng.random((batch_size, 1, 28, 28)).astype(dtype)  # (N, 1, 28, 28)
    y = rng.integers(0, 10, size=batch_size)  # (N,)
    adam = Adam(1e-4)
    model.train_step(X, y, adam)  # warm-up
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        model.train_step(X, y, adam)
        best = min(best, time.perf_counter() - start)
    return best, batch_size / best


CLOCK = time.perf_counter  # wall time; --cpu-time switches to this process's CPU time


def _median_ms(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        start = CLOCK()
        fn()
        times.append(CLOCK() - start)
    return 1e3 * float(np.median(times))


def _products(batch_size):
    """The matrix products of one float32 Deep MNIST step: (name, A shape, B shape, batch).

    Same shapes and memory layouts as mathlib's layers use them (``T`` = a transposed
    view); ``batch`` > 1 is one batched ``matmul`` of that many products.
    """
    M1, M2 = batch_size * 28 * 28, batch_size * 14 * 14
    return [
        ("conv1 forward cols @ W_mat.T", (M1, 25), (32, 25, "T"), 1),
        ("conv1 dW = G.T @ cols", (M1, 32, "T"), (M1, 25), 1),
        ("conv2 forward cols @ W_mat.T", (M2, 800), (64, 800, "T"), 1),
        ("conv2 dW = G.T @ cols", (M2, 64, "T"), (M2, 800), 1),
        ("conv2 dcols = G @ W[:, :, u, v]", (M2, 64), (25, 64, 32), 25),
        ("dense1 forward X @ W", (batch_size, 3136), (3136, 1024), 1),
        ("dense1 dW = X.T @ dZ", (batch_size, 3136, "T"), (batch_size, 1024), 1),
        ("dense1 dX = dZ @ W.T", (batch_size, 1024), (3136, 1024, "T"), 1),
    ]


def _operand(rng, spec):
    if spec[-1] == "T":
        return rng.random(spec[:-1], dtype=np.float32).T
    return rng.random(spec, dtype=np.float32)


def profile_cnn_step(repeats, batch_size=50):
    """Print the per-layer time of a float32 Deep MNIST training step and its products."""
    rng = np.random.default_rng(0)
    model = deep_mnist_cnn(rng=rng)
    X = rng.random((batch_size, 1, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, size=batch_size)
    adam = Adam(1e-4)
    rows = {}

    def record(key, fn):
        start = CLOCK()
        out = fn()
        rows.setdefault(key, []).append(CLOCK() - start)
        return out

    live = [(f"{i}.{n}", layer, n) for i, layer in enumerate(model.layers)
            for n in layer.params]
    for _ in range(repeats + 1):
        out = X
        for i, layer in enumerate(model.layers):
            out = record(f"{i} {type(layer).__name__} forward",
                         lambda layer=layer, out=out: layer.forward(out, train=True))
        record("loss forward", lambda out=out: model.loss_layer.forward(out, y=y))
        grad = record("loss backward", model.loss_layer.backward)
        for i in range(len(model.layers) - 1, -1, -1):
            layer = model.layers[i]
            if i == 0:  # as in training: the first layer skips dL/dX
                record(f"{i} {type(layer).__name__} backward (params only)",
                       lambda layer=layer, grad=grad: layer.backward_params(grad))
            else:
                grad = record(f"{i} {type(layer).__name__} backward",
                              lambda layer=layer, grad=grad: layer.backward(grad))
        record("Adam update (in place)", lambda: adam.update(
            {k: layer.params[n] for k, layer, n in live},
            {k: layer.grads[n] for k, layer, n in live}))
    medians = {key: 1e3 * float(np.median(v[1:])) for key, v in rows.items()}
    total = sum(medians.values())
    print(f"\nDeep MNIST float32 training step, batch {batch_size}, per layer "
          f"(median of {repeats}):")
    for key, ms in medians.items():
        print(f"  {key:40s} {ms:8.2f} ms  {100 * ms / total:5.1f} %")
    print(f"  {'total':40s} {total:8.2f} ms")

    print("\nIts matrix products on their own (same shapes and layouts, median):")
    flops = 0
    product_ms = 0.0
    for name, a, b, batch in _products(batch_size):
        A, B = _operand(rng, a), _operand(rng, b)
        ms = _median_ms(lambda A=A, B=B: np.matmul(A, B), repeats)
        m, k = A.shape
        n = B.shape[-1]
        f = 2 * m * k * n * batch
        flops += f
        product_ms += ms
        print(f"  {name:36s} {ms:8.2f} ms  {f / ms / 1e6:7.1f} GFLOP/s")
    print(f"  {'all products':36s} {product_ms:8.2f} ms  {flops / product_ms / 1e6:7.1f} "
          f"GFLOP/s  ({flops / 1e9:.2f} GFLOP)")
    print(f"\nThe products alone take {product_ms:.1f} ms of the {total:.1f} ms step "
          f"({100 * product_ms / total:.0f} %); the whole step runs at "
          f"{flops / total / 1e6:.1f} GFLOP/s, {100 * product_ms / total:.0f} % of the rate "
          f"its products reach on their own.")
    peak = numpy_peak_gflops(repeats)
    print(f"NumPy's peak here (float32 {PEAK_SIZE}x{PEAK_SIZE} product): {peak:.1f} GFLOP/s. "
          f"The step's products reach {flops / product_ms / 1e6 / peak:.0%} of it, and their "
          f"time is {100 * product_ms / total:.0f} % of the step.")


PEAK_SIZE = 2048  # a square product large enough for BLAS to run at full speed


def numpy_peak_gflops(repeats):
    """GFLOP/s of NumPy's float32 product of two ``PEAK_SIZE`` square matrices (best run)."""
    rng = np.random.default_rng(1)
    A = rng.random((PEAK_SIZE, PEAK_SIZE), dtype=np.float32)
    B = rng.random((PEAK_SIZE, PEAK_SIZE), dtype=np.float32)
    A @ B  # warm-up
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        A @ B
        best = min(best, time.perf_counter() - start)
    return 2 * PEAK_SIZE**3 / best / 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs")
    parser.add_argument("--profile", action="store_true",
                        help="also print the per-layer profile of the float32 CNN step")
    parser.add_argument("--profile-only", action="store_true", help="only the profile")
    parser.add_argument("--cpu-time", action="store_true",
                        help="profile in CPU time instead of wall time: steadier on a busy "
                             "machine, meaningful with one BLAS thread (OPENBLAS_NUM_THREADS=1)")
    args = parser.parse_args()
    if args.cpu_time:
        global CLOCK
        CLOCK = time.process_time
    if args.profile_only:
        profile_cnn_step(max(args.repeats, 5))
        return

    seconds, rate = bench_mlp_epoch(np.float32, args.repeats)
    print(f"MLP 784-100-10, 1 epoch of 60,000, batch 100, float32: "
          f"{seconds:7.3f} s  {rate:12,.0f} samples/s   (target < 2 s)")
    for dtype in (np.float32, np.float64):
        seconds, rate = bench_cnn_step(dtype, args.repeats)
        target = "   (target < 0.5 s)" if dtype == np.float32 else ""
        print(f"deep_mnist_cnn training step, batch 50, {np.dtype(dtype).name}: "
              f"{seconds:7.3f} s  {rate:12,.0f} samples/s{target}")
    if args.profile:
        profile_cnn_step(max(args.repeats, 5))


if __name__ == "__main__":
    main()
