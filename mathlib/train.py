"""The mini-batch training loop and evaluation helpers.

Shapes: inputs ``X (N, D)`` or images ``(N, C, H, W)``, integer labels ``y (N,)``,
logits ``Z (N, K)`` or probabilities ``P (N, K)``.
"""

from __future__ import annotations

import numpy as np
from tqdm.auto import tqdm

from mathlib.checks import (
    as_float_array,
    check_bool,
    check_float_dtype,
    check_labels,
    check_number,
    check_positive_int,
    check_rng,
    describe,
)
from mathlib.losses import cross_entropy_from_logits

__all__ = ["train", "evaluate", "accuracy", "confusion_matrix"]


def accuracy(Z_or_P, y) -> float:
    r"""Fraction of rows whose largest score is the true class.

    .. math:: \text{acc} = \frac1N \sum_n [\arg\max_k Z_{nk} = y_n]

    Works for logits or probabilities (softmax keeps the argmax). Ties go to the lowest
    class index. NaN or inf scores are refused: the argmax of a NaN row is meaningless.

    Shapes: ``Z (N, K)`` or ``P (N, K)`` with ``N >= 1``, ``y (N,)`` -> float in ``[0, 1]``.
    """
    Z = as_float_array(Z_or_P, "Z_or_P", ndim=2)
    if Z.shape[0] == 0 or Z.shape[1] == 0:
        raise ValueError(f"Z_or_P must have shape (N, K) with N, K >= 1, got {Z.shape}")
    labels = check_labels(y, n=Z.shape[0], k=Z.shape[1], name="y")
    return float(np.mean(Z.argmax(axis=1) == labels))


def confusion_matrix(y_true, y_pred, num_classes: int):
    r"""Count how often each true class was predicted as each class.

    .. math:: C_{ij} = \#\{n : y^{true}_n = i,\ y^{pred}_n = j\}

    Rows are true classes, columns predictions; the diagonal holds the correct ones.

    Shapes: ``y_true (N,)``, ``y_pred (N,)`` -> ``C (K, K)`` int64 with ``K = num_classes``.
    """
    k = check_positive_int(num_classes, "num_classes")
    t = check_labels(y_true, k=k, name="y_true")
    p = check_labels(y_pred, n=t.shape[0], k=k, name="y_pred")
    return np.bincount(t * k + p, minlength=k * k).reshape(k, k)


def _check_has(obj, name, methods, example):
    """``obj`` must have the given methods, e.g. a Sequential model or an optimiser."""
    missing = [m for m in methods if not callable(getattr(obj, m, None))]
    if missing:
        raise TypeError(f"{name} must be {example} (with {', '.join(methods)}), got "
                        f"{describe(obj)}, which has no {missing[0]}")
    return obj


def _check_data(X, y, name_X, name_y, dtype):
    X = as_float_array(X, name_X)
    if X.ndim < 2:
        raise ValueError(f"{name_X} must have shape (N, D) or (N, C, H, W), got {X.shape}")
    y = check_labels(y, n=X.shape[0], name=name_y)
    if X.shape[0] == 0:
        raise ValueError(f"{name_X} must hold at least one sample, got 0")
    return X.astype(dtype, copy=False), y


def evaluate(model, X, y, batch_size: int = 1000) -> tuple[float, float]:
    r"""Mean cross-entropy and accuracy of ``model`` on a dataset, in evaluation mode.

    .. math:: L = \frac1N \sum_n -\log \operatorname{softmax}(Z)_{n, y_n}, \qquad
              \text{acc} = \frac1N \sum_n [\arg\max_k Z_{nk} = y_n]

    Runs ``batch_size`` samples at a time (dropout off) to bound memory.

    Shapes: ``X (N, ...)``, ``y (N,)`` -> ``(loss, accuracy)`` floats.
    """
    _check_has(model, "model", ("forward",), "a model such as mathlib.model.mlp(...)")
    batch_size = check_positive_int(batch_size, "batch_size")
    X, y = _check_data(X, y, "X", "y", getattr(model, "dtype", np.float64))
    n = X.shape[0]
    total_loss = 0.0
    correct = 0
    for i in range(0, n, batch_size):
        Z = model.forward(X[i : i + batch_size], train=False)  # (B, K)
        yb = y[i : i + batch_size]
        total_loss += cross_entropy_from_logits(Z, y=yb) * len(yb)
        correct += int(np.sum(Z.argmax(axis=1) == yb))
    return total_loss / n, correct / n


def train(model, X, y, *, epochs, batch_size, optimizer, rng, X_test=None, y_test=None,
          progress=True, eval_every=None, dtype=np.float32, max_steps=None,
          schedule=None) -> dict:
    r"""Train ``model`` with mini-batch gradient descent on softmax cross-entropy.

    Each epoch shuffles the training set with ``rng`` and walks through it in
    mini-batches of ``batch_size`` (the last one may be smaller). For each batch:

    .. math:: L_B = -\frac1B \sum_{n \in B} \log \operatorname{softmax}(Z)_{n, y_n},
              \qquad \theta \leftarrow \text{optimizer.step}(\theta, \nabla_\theta L_B)

    A ``Sequential`` model is updated in place (:meth:`Sequential.train_step` with
    ``optimizer.update``), which gives the same numbers as ``optimizer.step`` without
    copying every parameter and gradient in and out of the model.

    Parameters
    ----------
    model : Sequential
        Its parameter dtype must equal ``dtype`` (float32 by default; pass
        ``dtype=np.float64`` for a float64 model). It is updated in place.
    X, y : arrays, ``(N, ...)`` and ``(N,)`` int labels.
    epochs, batch_size : int
    optimizer : an optimiser from :mod:`mathlib.optim` (anything with ``step``).
    rng : np.random.Generator, used for shuffling only (dropout uses the model's own).
    X_test, y_test : optional test set, evaluated after every epoch.
    progress : bool, show a ``tqdm`` progress bar.
    eval_every : int, optional
        Also evaluate the test set every ``eval_every`` steps (needs ``X_test``).
    max_steps : int, optional
        Stop after this many mini-batch steps, inside an epoch if need be (for step-based
        recipes such as "20,000 steps of 50"); the cut epoch is recorded like a full one.
    schedule : callable, optional
        A learning-rate schedule: ``schedule(t)`` is the learning rate of step ``t``
        (counted from 0), set as ``optimizer.learning_rate`` before that step; e.g. a
        linear decay to 0 over ``T`` steps, ``lambda t: 2e-3 * (1 - t / T)``. The
        optimiser's own learning rate is put back at the end.

    Returns
    -------
    dict
        ``"step_loss"``: loss of every mini-batch; ``"epoch"``: 1, 2, ...;
        ``"train_loss"``, ``"train_acc"``: per epoch, averaged over that epoch's
        mini-batches as they were trained (dropout on, weights moving; weighted by batch
        size); ``"test_loss"``, ``"test_acc"``: per epoch after training on it
        (empty without a test set); ``"eval_step"``, ``"eval_test_loss"``,
        ``"eval_test_acc"``: the ``eval_every`` evaluations (step counted from 1).
    """
    _check_has(model, "model", ("forward", "loss_and_grads", "set_params"),
               "a model such as mathlib.model.mlp(...)")
    _check_has(optimizer, "optimizer", ("step",), "an optimiser such as mathlib.optim.SGD(0.1)")
    dtype = check_float_dtype(dtype)
    progress = check_bool(progress, "progress")
    model_dtype = getattr(model, "dtype", None)
    if model_dtype != dtype:
        raise ValueError(
            f"model parameters are {model_dtype} but dtype={dtype}; build the model with "
            f"dtype=np.{dtype} or pass dtype=np.{model_dtype} to train"
        )
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    rng = check_rng(rng)
    X, y = _check_data(X, y, "X", "y", dtype)
    if (X_test is None) != (y_test is None):
        raise ValueError("give both X_test and y_test, or neither")
    if X_test is not None:
        X_test, y_test = _check_data(X_test, y_test, "X_test", "y_test", dtype)
        k = np.shape(model.forward(X_test[:1]))[-1]  # the model's number of classes K
        check_labels(y_test, k=k, name="y_test")  # before training, named as the caller knows it
    if eval_every is not None:
        eval_every = check_positive_int(eval_every, "eval_every")
        if X_test is None:
            raise ValueError("eval_every needs X_test and y_test")

    n = X.shape[0]
    steps_per_epoch = -(-n // batch_size)
    total_steps = epochs * steps_per_epoch
    if max_steps is not None:
        total_steps = min(total_steps, check_positive_int(max_steps, "max_steps"))
    history = {key: [] for key in ("step_loss", "epoch", "train_loss", "train_acc",
                                   "test_loss", "test_acc", "eval_step", "eval_test_loss",
                                   "eval_test_acc")}
    if schedule is not None and not callable(schedule):
        raise TypeError(f"schedule must be a function of the step number, got "
                        f"{describe(schedule)}")
    base_rate = getattr(optimizer, "learning_rate", None)
    fast = hasattr(model, "train_step")  # Sequential: in-place updates (optimizer.update)
    step = 0
    with tqdm(total=total_steps, disable=not progress, unit="step") as bar:
        for epoch in range(1, epochs + 1):
            if step >= total_steps:
                break
            order = rng.permutation(n)
            loss_sum = 0.0
            correct = 0
            seen = 0
            for start in range(0, n, batch_size):
                if step >= total_steps:
                    break
                idx = order[start : start + batch_size]
                Xb, yb = X[idx], y[idx]
                if schedule is not None:
                    optimizer.learning_rate = check_number(
                        schedule(step), f"schedule({step})", low=0, low_open=True)
                if fast:  # the same numbers without copying the parameters in and out
                    loss, Z = model.train_step(Xb, yb, optimizer)
                else:
                    loss, grads, Z = model.loss_and_grads(Xb, y=yb, train=True,
                                                          return_logits=True)
                    model.set_params(optimizer.step(model.params, grads))
                step += 1
                history["step_loss"].append(loss)
                loss_sum += loss * len(idx)
                seen += len(idx)
                correct += int(np.sum(Z.argmax(axis=1) == yb))
                if eval_every is not None and step % eval_every == 0:
                    t_loss, t_acc = evaluate(model, X_test, y_test)
                    history["eval_step"].append(step)
                    history["eval_test_loss"].append(t_loss)
                    history["eval_test_acc"].append(t_acc)
                bar.update(1)
                if step % 10 == 0:
                    # refresh=False: the bar redraws on its own clock, not on every call
                    bar.set_postfix(epoch=epoch, loss=f"{loss:.4f}", refresh=False)
            history["epoch"].append(epoch)
            history["train_loss"].append(loss_sum / seen)
            history["train_acc"].append(correct / seen)
            if X_test is not None:
                t_loss, t_acc = evaluate(model, X_test, y_test)
                history["test_loss"].append(t_loss)
                history["test_acc"].append(t_acc)
    if schedule is not None:
        optimizer.learning_rate = base_rate
    return history
