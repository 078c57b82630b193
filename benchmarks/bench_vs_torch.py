"""mathlib against PyTorch on the same work, measured side by side in one run.

Four measurements, each on full MNIST in float32 with 2 threads for both libraries
(``--threads`` to change):

1. ``mlp_epoch``: one epoch of a 784-100-10 ReLU MLP, plain SGD (learning rate 0.1),
   batches of 100, over the whole training split (shuffled).
2. ``cnn_step``: one training step of the "Deep MNIST for experts" CNN (conv 5x5 1->32,
   ReLU, pool 2 -> conv 5x5 32->64, ReLU, pool 2 -> dense 3136->1024, ReLU, dropout 0.5
   -> dense 10), batches of 50, Adam (1e-4): forward, backward and update, timed over 20
   consecutive steps of the training loop (``Sequential.train_step`` on batches of the
   shuffled data, as ``train`` runs it) and divided by their number.
3. ``time_to_91``: softmax regression (dense 784->10), SGD 0.5, batches of 100, to 91 %
   *validation* accuracy. (Not 92 %: on this validation split softmax regression peaks
   near 91.9 % within 8 epochs, so 92 % measures luck, not speed; 91 % takes about two
   epochs.)
4. ``time_to_98``: a 784-512-10 ReLU MLP, SGD with momentum (0.05, 0.9), batches of 100,
   to 98 % validation accuracy.

For 3 and 4 both libraries start from the *same* weights and see the *same* batches
(mathlib's shuffles are replayed in PyTorch), so they need the same number of steps up to
float rounding. An untimed search first finds, for each library, the first check (every
50 steps, or every half epoch for 4) at the target; the timed run then trains that many
steps from scratch (one ``train`` call) and evaluates the validation set once. The step
counts are printed.

The PyTorch side runs in its own interpreter (``--torch-python``, a virtual environment
outside this repository; PyTorch is never a dependency of the book), started once as a
worker that this script drives over a pipe. Repetitions alternate between the two
libraries (A B B A ...) so that load from other processes hits both alike; the printed
figures are medians. Without ``--torch-python`` only mathlib is timed.

Where mathlib's CNN step goes (``python benchmarks/bench_mathlib.py --profile`` prints
the per-layer table): the three matrix products of the second convolution dominate,
then the dense 3136->1024 layer's three products and the Adam update of 3.3 M
parameters, then im2col/col2im copies, pooling and ReLU.

On a machine busy with other work, 2-thread BLAS suffers far more than 1 thread: every
product waits for both threads to be scheduled. Measured here at a load average of 7-14
on 2 cores, mathlib's many small products (the MLP) lost most, so compare ``--threads 1``
runs too.

Usage::

    python3 -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch numpy
    python benchmarks/bench_vs_torch.py --torch-python /tmp/torchvenv/bin/python
    python benchmarks/bench_vs_torch.py --only cnn_step mlp_epoch --repeats 7
"""

from __future__ import annotations

import os
import sys

# Threads for both libraries: 2 unless --threads N is given (read here, because the BLAS
# thread count must be set before NumPy or torch is imported).
THREADS = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 2
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(THREADS)

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

TASKS = ("mlp_epoch", "cnn_step", "time_to_91", "time_to_98")
CNN_STEPS = 20  # steps per timed block of the CNN
SEED = 0

# The two time-to-accuracy recipes: layer sizes, learning rate, momentum, target, steps
# between validation checks while searching, largest number of steps. Batches of 100.
RECIPES = {
    "time_to_91": dict(sizes=[784, 10], lr=0.5, momentum=0.0, target=0.91, every=50,
                       max_steps=4400),
    "time_to_98": dict(sizes=[784, 512, 10], lr=0.05, momentum=0.9, target=0.98, every=275,
                       max_steps=16500),
}


# --------------------------------------------------------------------------------------
# Shared data: written once by the parent, read by the PyTorch worker.


def _load_data():
    """Full MNIST, float32: train, validation (5,000) and the flat/image views."""
    from mathlib.data import load_mnist

    data = load_mnist(layout="flat", scale="float")
    X, y = data.X_train, data.y_train
    X_val, y_val = getattr(data, "X_val", None), getattr(data, "y_val", None)
    if X_val is None or len(X_val) == 0:  # an older load_mnist: hold out the last 5,000
        X, X_val, y, y_val = X[:-5000], X[-5000:], y[:-5000], y[-5000:]
    as32 = lambda a: np.ascontiguousarray(a, dtype=np.float32)  # noqa: E731
    return dict(X=as32(X), y=np.asarray(y, np.int64), X_val=as32(X_val),
                y_val=np.asarray(y_val, np.int64))


def _initial_mlp(sizes):
    """The weights mathlib.model.mlp draws with seed SEED, as ``[(W (D, K), b (K,)), ...]``."""
    from mathlib.model import mlp

    model = mlp(sizes, rng=np.random.default_rng(SEED))
    return [(layer.params["W"].copy(), layer.params["b"].copy())
            for layer in model.layers if layer.params]


def _shuffles(n, count):
    """The permutations that ``train(..., rng=default_rng(SEED + 1))`` chunks draw, in order."""
    rng = np.random.default_rng(SEED + 1)
    return np.stack([rng.permutation(n) for _ in range(count)])


# --------------------------------------------------------------------------------------
# mathlib side.


class MathlibRunner:
    """Runs each task with mathlib and returns ``{"seconds": ..., ...}``."""

    def __init__(self, data):
        self.d = data
        self.X_img = data["X"].reshape(-1, 1, 28, 28)
        self._steps_to = {}

    def mlp_epoch(self):
        from mathlib.model import mlp
        from mathlib.optim import SGD
        from mathlib.train import train

        model = mlp([784, 100, 10], rng=np.random.default_rng(SEED))
        t0 = time.perf_counter()
        train(model, self.d["X"], self.d["y"], epochs=1, batch_size=100, optimizer=SGD(0.1),
              rng=np.random.default_rng(SEED + 1), progress=False)
        return {"seconds": time.perf_counter() - t0}

    def cnn_step(self):
        from mathlib.model import deep_mnist_cnn
        from mathlib.optim import Adam

        if not hasattr(self, "_cnn"):
            self._cnn = deep_mnist_cnn(rng=np.random.default_rng(SEED))
            self._adam = Adam(1e-4)
        # The steps of train()'s loop (a batch of the shuffled data, then train_step), without
        # its one-time check of the whole training set, which an epoch pays once.
        order = np.random.default_rng(SEED + 1).permutation(len(self.X_img))
        batches = [order[i * 50 : (i + 1) * 50] for i in range(CNN_STEPS + 2)]
        for idx in batches[:2]:  # warm caches
            self._cnn.train_step(self.X_img[idx], self.d["y"][idx], self._adam)
        t0 = time.perf_counter()
        for idx in batches[2:]:
            self._cnn.train_step(self.X_img[idx], self.d["y"][idx], self._adam)
        return {"seconds": (time.perf_counter() - t0) / CNN_STEPS}

    def _fresh(self, task):
        from mathlib.layers import Dense, ReLU
        from mathlib.model import Sequential
        from mathlib.optim import SGD, Momentum

        r = RECIPES[task]
        layers = []
        for i, (W, b) in enumerate(_initial_mlp(r["sizes"])):
            layers += [ReLU()] if i else []
            layers.append(Dense.from_arrays(W, b))
        opt = Momentum(r["lr"], r["momentum"]) if r["momentum"] else SGD(r["lr"])
        return Sequential(layers), opt

    def steps_to(self, task):
        """Untimed search: the first check (every ``every`` steps) at the target accuracy."""
        from mathlib.train import train

        r = RECIPES[task]
        model, opt = self._fresh(task)
        epochs = -(-r["max_steps"] // -(-len(self.d["X"]) // 100))
        h = train(model, self.d["X"], self.d["y"], epochs=epochs, batch_size=100,
                  optimizer=opt, rng=np.random.default_rng(SEED + 1), progress=False,
                  X_test=self.d["X_val"], y_test=self.d["y_val"], eval_every=r["every"],
                  max_steps=r["max_steps"])
        hits = [s for s, a in zip(h["eval_step"], h["eval_test_acc"], strict=True)
                if a >= r["target"]]
        return hits[0] if hits else None

    def time_to(self, task):
        """Time ``steps_to(task)`` steps from scratch plus one validation evaluation."""
        from mathlib.train import evaluate, train

        if task not in self._steps_to:
            self._steps_to[task] = self.steps_to(task)
        steps = self._steps_to[task]
        if steps is None:
            return {"seconds": float("nan"), "steps": None, "val_acc": None}
        model, opt = self._fresh(task)
        epochs = -(-steps // -(-len(self.d["X"]) // 100))
        t0 = time.perf_counter()
        train(model, self.d["X"], self.d["y"], epochs=epochs, batch_size=100, optimizer=opt,
              rng=np.random.default_rng(SEED + 1), progress=False, max_steps=steps)
        acc = evaluate(model, self.d["X_val"], self.d["y_val"])[1]
        return {"seconds": time.perf_counter() - t0, "steps": steps, "val_acc": acc}

    def run(self, task):
        return self.time_to(task) if task.startswith("time_to") else getattr(self, task)()


# --------------------------------------------------------------------------------------
# PyTorch side (runs in the worker interpreter; imports torch, never mathlib).


class TorchRunner:
    """The same tasks in PyTorch: same architectures, batches, dtype and thread count."""

    def __init__(self, folder):
        import torch

        torch.set_num_threads(THREADS)
        self.torch = torch
        f = Path(folder)
        load = lambda name: torch.from_numpy(np.load(f / f"{name}.npy"))  # noqa: E731
        self.X, self.y = load("X"), load("y")
        self.X_val, self.y_val = load("X_val"), load("y_val")
        self.X_img = self.X.reshape(-1, 1, 28, 28)
        self.folder = f
        self._steps_to = {}

    def _mlp(self, sizes, init=None):
        nn = self.torch.nn
        layers = []
        for i, (d, k) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            if i:
                layers.append(nn.ReLU())
            layers.append(nn.Linear(d, k))
        model = nn.Sequential(*layers)
        if init is not None:
            linears = [m for m in model if isinstance(m, nn.Linear)]
            with self.torch.no_grad():
                for i, lin in enumerate(linears):
                    W = np.load(self.folder / f"{init}_W{i}.npy")  # (D, K) as in mathlib
                    lin.weight.copy_(self.torch.from_numpy(W.T.copy()))
                    lin.bias.copy_(self.torch.from_numpy(np.load(self.folder / f"{init}_b{i}.npy")))
        return model

    def _steps(self, model, opt, X, y, order, batch_size, max_steps=None):
        F = self.torch.nn.functional
        model.train()
        n = X.shape[0]
        step = 0
        for start in range(0, n, batch_size):
            if max_steps is not None and step >= max_steps:
                break
            idx = order[start : start + batch_size]
            loss = F.cross_entropy(model(X[idx]), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1

    def mlp_epoch(self):
        torch = self.torch
        model = self._mlp([784, 100, 10])
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        t0 = time.perf_counter()
        order = torch.randperm(self.X.shape[0])
        self._steps(model, opt, self.X, self.y, order, 100)
        return {"seconds": time.perf_counter() - t0}

    def cnn_step(self):
        torch = self.torch
        nn = torch.nn
        if not hasattr(self, "_cnn"):
            self._cnn = nn.Sequential(
                nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                nn.Linear(3136, 1024), nn.ReLU(), nn.Dropout(0.5), nn.Linear(1024, 10))
            self._adam = torch.optim.Adam(self._cnn.parameters(), lr=1e-4)
        order = torch.randperm(self.X.shape[0])
        self._steps(self._cnn, self._adam, self.X_img, self.y, order, 50, max_steps=2)
        t0 = time.perf_counter()
        order = torch.randperm(self.X.shape[0])
        self._steps(self._cnn, self._adam, self.X_img, self.y, order, 50, max_steps=CNN_STEPS)
        return {"seconds": (time.perf_counter() - t0) / CNN_STEPS}

    def _val_accuracy(self, model):
        torch = self.torch
        model.eval()
        with torch.no_grad():
            correct = sum(int((model(self.X_val[i : i + 1000]).argmax(1)
                               == self.y_val[i : i + 1000]).sum())
                          for i in range(0, len(self.X_val), 1000))
        return correct / len(self.X_val)

    def _replay(self, task, steps, every=None):
        """Train ``steps`` steps on mathlib's shuffles; optionally check every ``every``."""
        torch = self.torch
        r = RECIPES[task]
        model = self._mlp(r["sizes"], init=task)
        opt = torch.optim.SGD(model.parameters(), lr=r["lr"], momentum=r["momentum"])
        orders = torch.from_numpy(np.load(self.folder / f"{task}_orders.npy"))
        per_epoch = -(-self.X.shape[0] // 100)
        done = 0
        for order in orders:
            while done < steps:
                chunk = min(every or steps, steps - done, per_epoch - done % per_epoch)
                start = (done % per_epoch) * 100
                self._steps(model, opt, self.X, self.y, order[start:], 100, max_steps=chunk)
                done += chunk
                if every and done % every == 0 and self._val_accuracy(model) >= r["target"]:
                    return done
                if done % per_epoch == 0:
                    break
        return model if every is None else None

    def time_to(self, task):
        if task not in self._steps_to:  # untimed search, as on the mathlib side
            self._steps_to[task] = self._replay(task, RECIPES[task]["max_steps"],
                                                every=RECIPES[task]["every"])
        steps = self._steps_to[task]
        if steps is None:
            return {"seconds": float("nan"), "steps": None, "val_acc": None}
        t0 = time.perf_counter()
        model = self._replay(task, steps)
        acc = self._val_accuracy(model)
        return {"seconds": time.perf_counter() - t0, "steps": steps, "val_acc": acc}

    def run(self, task):
        return self.time_to(task) if task.startswith("time_to") else getattr(self, task)()


def worker(folder):
    """Read task names from stdin, answer each with one JSON line on stdout."""
    runner = TorchRunner(folder)
    print(json.dumps({"ready": runner.torch.__version__,
                      "threads": runner.torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        task = line.strip()
        if not task:
            continue
        print(json.dumps(runner.run(task)), flush=True)


class TorchClient:
    """The parent's handle on the worker process."""

    def __init__(self, python, folder):
        self.proc = subprocess.Popen(
            [python, os.path.abspath(__file__), "--worker", folder, "--threads", str(THREADS)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": ""})
        hello = json.loads(self.proc.stdout.readline())
        self.version, self.threads = hello["ready"], hello["threads"]

    def run(self, task):
        self.proc.stdin.write(task + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the PyTorch worker stopped; run it by hand to see why")
        return json.loads(line)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def _write_shared(folder, data, tasks):
    f = Path(folder)
    for name in ("X", "y", "X_val", "y_val"):
        np.save(f / f"{name}.npy", data[name])
    for task in tasks:
        if not task.startswith("time_to"):
            continue
        r = RECIPES[task]
        for i, (W, b) in enumerate(_initial_mlp(r["sizes"])):
            np.save(f / f"{task}_W{i}.npy", W)
            np.save(f / f"{task}_b{i}.npy", b)
        per_epoch = -(-len(data["X"]) // 100)
        np.save(f / f"{task}_orders.npy",
                _shuffles(len(data["X"]), -(-r["max_steps"] // per_epoch)))


def _fmt(task, seconds):
    return f"{1e3 * seconds:8.1f} ms" if task == "cnn_step" else f"{seconds:8.2f} s "


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--torch-python", help="python of a venv with torch (outside the repo)")
    parser.add_argument("--repeats", type=int, default=5, help="repetitions per library")
    parser.add_argument("--only", nargs="+", choices=TASKS, default=list(TASKS))
    parser.add_argument("--json", type=Path, help="also write the medians to this file")
    parser.add_argument("--threads", type=int, default=2,
                        help="threads for both libraries (default 2; 1 is steadier on a "
                             "machine shared with other work)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker)
        return 0

    from threadpoolctl import threadpool_info

    data = _load_data()
    blas = ", ".join(f"{i['internal_api']} {i['num_threads']} threads"
                     for i in threadpool_info())
    print(f"mathlib: numpy {np.__version__} ({blas}); {len(data['X']):,} training images, "
          f"{len(data['X_val']):,} validation; float32")
    ml = MathlibRunner(data)
    with tempfile.TemporaryDirectory(prefix="bench_vs_torch_") as folder:
        client = None
        if args.torch_python:
            _write_shared(folder, data, args.only)
            client = TorchClient(args.torch_python, folder)
            print(f"torch {client.version}, {client.threads} threads")
        print(f"load average at start: {os.getloadavg()[0]:.2f} (1 min)")
        results = {}
        for task in args.only:
            runs = {"mathlib": [], "torch": []}
            for rep in range(args.repeats):
                order = ["mathlib", "torch"] if rep % 2 == 0 else ["torch", "mathlib"]
                for lib in order:
                    if lib == "mathlib":
                        runs[lib].append(ml.run(task))
                    elif client is not None:
                        runs[lib].append(client.run(task))
            results[task] = {}
            for lib, reps in runs.items():
                if not reps:
                    continue
                med = float(np.median([r["seconds"] for r in reps]))
                results[task][lib] = {"median_seconds": med,
                                      "all_seconds": [r["seconds"] for r in reps]}
                if "steps" in reps[0]:
                    results[task][lib]["steps"] = sorted({r["steps"] for r in reps})
                    results[task][lib]["val_acc"] = reps[0]["val_acc"]
            m = results[task]["mathlib"]["median_seconds"]
            line = f"{task:11s} mathlib {_fmt(task, m)}"
            if "torch" in results[task]:
                t = results[task]["torch"]["median_seconds"]
                results[task]["speed_ratio"] = t / m  # > 1: mathlib is faster
                line += f"   torch {_fmt(task, t)}   mathlib speed = {t / m:.2f} x torch"
            if "steps" in results[task]["mathlib"]:
                line += "   steps " + " / ".join(
                    str(results[task][lib]["steps"]) for lib in runs if lib in results[task])
            print(line, flush=True)
        print(f"load average at end: {os.getloadavg()[0]:.2f} (1 min)")
        if client is not None:
            client.close()
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
