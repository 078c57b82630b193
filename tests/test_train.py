"""Tests for mathlib.train: the training loop, evaluation, accuracy, confusion matrix."""

import numpy as np
import pytest

from mathlib.losses import cross_entropy_from_logits
from mathlib.model import mlp
from mathlib.optim import SGD, Adam
from mathlib.train import accuracy, confusion_matrix, evaluate, train


def blobs(n_per_class, rng, dtype=np.float32):
    """Three well-separated Gaussian blobs in 2-D: X (3n, 2), y (3n,)."""
    centres = np.array([[0.0, 3.0], [-3.0, -2.0], [3.0, -2.0]])
    X = np.concatenate([c + rng.standard_normal((n_per_class, 2)) for c in centres])
    y = np.repeat(np.arange(3), n_per_class)
    return X.astype(dtype), y


def test_small_mlp_fits_blobs():
    X, y = blobs(100, np.random.default_rng(0))
    Xt, yt = blobs(50, np.random.default_rng(1))
    model = mlp([2, 16, 3], rng=np.random.default_rng(2))
    history = train(model, X, y, epochs=15, batch_size=20, optimizer=SGD(0.1),
                    rng=np.random.default_rng(3), X_test=Xt, y_test=yt, progress=False)
    assert history["train_acc"][-1] > 0.95
    assert history["test_acc"][-1] > 0.95
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert len(history["step_loss"]) == 15 * 15  # 300 samples / 20 per batch
    assert history["epoch"] == list(range(1, 16))
    assert len(history["test_loss"]) == 15
    loss, acc = evaluate(model, Xt, yt)
    assert (loss, acc) == (history["test_loss"][-1], history["test_acc"][-1])


def _run(seed):
    X, y = blobs(30, np.random.default_rng(seed))
    model = mlp([2, 8, 3], rng=np.random.default_rng(seed + 1))
    return train(model, X, y, epochs=3, batch_size=16, optimizer=Adam(0.01),
                 rng=np.random.default_rng(seed + 2), X_test=X, y_test=y, progress=False,
                 eval_every=5)


def test_same_seed_same_history():
    a, b, c = _run(0), _run(0), _run(1)
    assert a == b
    assert a["step_loss"] != c["step_loss"]
    # 90 samples / 16 -> 6 steps per epoch (last batch 10), 18 steps, evaluated at 5, 10, 15
    assert len(a["step_loss"]) == 18
    assert a["eval_step"] == [5, 10, 15]
    assert len(a["eval_test_acc"]) == 3


def test_float64_on_request_and_dtype_mismatch():
    X, y = blobs(10, np.random.default_rng(0), dtype=np.float64)
    model64 = mlp([2, 4, 3], rng=np.random.default_rng(1), dtype=np.float64)
    history = train(model64, X, y, epochs=1, batch_size=10, optimizer=SGD(0.1),
                    rng=np.random.default_rng(2), progress=False, dtype=np.float64)
    assert len(history["step_loss"]) == 3
    assert model64.dtype == np.float64
    with pytest.raises(ValueError, match="model parameters are float64 but dtype=float32"):
        train(model64, X, y, epochs=1, batch_size=10, optimizer=SGD(0.1),
              rng=np.random.default_rng(2), progress=False)


def test_train_argument_errors():
    X, y = blobs(5, np.random.default_rng(0))
    model = mlp([2, 3], rng=np.random.default_rng(1))
    kw = dict(epochs=1, batch_size=4, optimizer=SGD(0.1), rng=np.random.default_rng(2),
              progress=False)
    with pytest.raises(ValueError, match=r"y must have shape \(N,\) with N=15, got \(14,\)"):
        train(model, X, y[:-1], **kw)
    with pytest.raises(ValueError, match="both X_test and y_test"):
        train(model, X, y, X_test=X, **kw)
    with pytest.raises(ValueError, match="eval_every needs X_test"):
        train(model, X, y, eval_every=2, **kw)
    with pytest.raises(ValueError, match="X must be finite"):
        train(model, np.full_like(X, np.nan), y, **kw)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        train(model, X, y, **{**kw, "batch_size": 0})


def test_evaluate_is_batched_mean():
    rng = np.random.default_rng(4)
    model = mlp([3, 5, 4], rng=rng, dtype=np.float64)
    X = rng.standard_normal((17, 3))
    y = rng.integers(0, 4, 17)
    Z = model.forward(X)
    loss, acc = evaluate(model, X, y, batch_size=5)
    assert np.isclose(loss, cross_entropy_from_logits(Z, y=y))
    assert acc == accuracy(Z, y)


def test_accuracy_and_confusion_matrix_by_hand():
    Z = np.array([[2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [1.0, 0.0, 5.0], [4.0, 0.0, 0.0]])
    y = np.array([0, 1, 1, 2])
    assert accuracy(Z, y) == 0.5  # rows 0 and 1 right, rows 2 and 3 wrong
    C = confusion_matrix(y, Z.argmax(axis=1), 3)
    # true 0 -> 0; true 1 -> 1 and 2; true 2 -> 0
    assert np.array_equal(C, [[1, 0, 0], [0, 1, 1], [1, 0, 0]])
    assert C.sum() == 4
    with pytest.raises(ValueError, match=r"y must have shape \(N,\) with N=4"):
        accuracy(Z, y[:3])
    with pytest.raises(ValueError, match=r"y_pred must hold labels in \[0, 3\)"):
        confusion_matrix(y, np.array([0, 1, 2, 3]), 3)


def test_max_steps_stops_inside_an_epoch():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(100, 4)).astype(np.float32)
    y = (X[:, 0] > 0).astype(np.int64)
    model = mlp([4, 8, 2], rng=rng)
    history = train(model, X, y, epochs=5, batch_size=10, optimizer=SGD(0.1), rng=rng,
                    progress=False, max_steps=23)
    # 10 steps per epoch: two full epochs and 3 steps of the third
    assert len(history["step_loss"]) == 23
    assert history["epoch"] == [1, 2, 3]
    assert all(np.isfinite(history["train_loss"]))


def test_accuracy_refuses_nan_scores():
    # A NaN row has no meaningful argmax; it used to count as class 0 (accuracy 0.1 here).
    with pytest.raises(ValueError, match="Z_or_P must be finite, got 100 NaN"):
        accuracy(np.full((10, 10), np.nan), np.arange(10))
    with pytest.raises(ValueError, match=r"Z_or_P must have shape \(N, K\) with N, K >= 1"):
        accuracy(np.zeros((0, 3)), np.zeros(0, dtype=int))


def test_train_argument_types_are_named():
    X, y = blobs(5, np.random.default_rng(0))
    model = mlp([2, 3], rng=np.random.default_rng(1))
    kw = dict(epochs=1, batch_size=5, optimizer=SGD(0.1), rng=np.random.default_rng(2),
              progress=False)
    with pytest.raises(TypeError, match="model must be a model such as"):
        train("mlp", X, y, **kw)
    with pytest.raises(TypeError, match="optimizer must be an optimiser"):
        train(model, X, y, **(kw | {"optimizer": 0.1}))
    with pytest.raises(TypeError, match="progress must be True or False"):
        train(model, X, y, **(kw | {"progress": "no"}))
    with pytest.raises(TypeError, match="model must be a model"):
        evaluate(None, X, y)
