"""Tests for mathlib.model: Sequential, mlp, cnn, deep_mnist_cnn."""

import numpy as np
import pytest

from mathlib.gradcheck import (
    PASS_MARK,
    check_layer_gradients,
    numerical_gradient_params,
    rel_error,
)
from mathlib.layers import Dense, Dropout, ReLU
from mathlib.losses import cross_entropy_from_logits
from mathlib.model import Sequential, cnn, deep_mnist_cnn, mlp


def _loss_fn(model, X, y):
    def loss(params):
        model.set_params(params)
        return cross_entropy_from_logits(model.forward(X, train=True), y=y)
    return loss


def test_mlp_end_to_end_gradients():
    rng = np.random.default_rng(0)
    model = mlp([4, 6, 5, 3], activation="tanh", rng=rng, dtype=np.float64)
    X = rng.standard_normal((5, 4))
    y = rng.integers(0, 3, 5)
    loss, grads = model.loss_and_grads(X, y=y)
    assert np.isclose(loss, cross_entropy_from_logits(model.forward(X), y=y))
    num = numerical_gradient_params(_loss_fn(model, X, y), model.params)
    assert set(grads) == set(num) == {"0.W", "0.b", "2.W", "2.b", "4.W", "4.b"}
    for key in grads:
        assert rel_error(grads[key], num[key]) < PASS_MARK, key


def test_small_cnn_with_dropout_end_to_end_gradients():
    rng = np.random.default_rng(1)
    model = cnn(rng=rng, dtype=np.float64, input_shape=(1, 8, 8), channels=(2, 3),
                hidden=6, num_classes=4, keep_prob=0.7)
    drop = next(layer for layer in model.layers if isinstance(layer, Dropout))
    drop.set_mask(rng.random((3, 6)) < 0.7)
    X = rng.permutation(3 * 64).reshape(3, 1, 8, 8) / 50.0  # distinct values: no pool ties
    y = np.array([0, 3, 1])
    loss, grads = model.loss_and_grads(X, y=y)
    num = numerical_gradient_params(_loss_fn(model, X, y), model.params)
    for key in grads:
        assert rel_error(grads[key], num[key]) < PASS_MARK, key
    # The same network, checked as one big "layer" against a random upstream gradient.
    errors = check_layer_gradients(model, X, rng)
    assert max(errors.values()) < PASS_MARK, errors


def test_params_are_copies_and_set_params_checks():
    rng = np.random.default_rng(2)
    model = mlp([3, 4, 2], rng=rng, dtype=np.float64)
    params = model.params
    assert list(params) == ["0.W", "0.b", "2.W", "2.b"]
    assert params["0.W"].shape == (3, 4) and params["2.b"].shape == (2,)
    params["0.W"][:] = 0.0  # changing the copy ...
    assert not np.all(model.params["0.W"] == 0.0)  # ... leaves the model alone
    new = {k: np.full_like(v, 0.5) for k, v in model.params.items()}
    model.set_params(new)
    new["0.W"][:] = 9.0
    assert np.all(model.params["0.W"] == 0.5)  # set_params copied the values
    with pytest.raises(ValueError, match=r"missing \['2.b'\]"):
        model.set_params({k: v for k, v in model.params.items() if k != "2.b"})
    with pytest.raises(ValueError, match=r"params\['0.W'\] must have shape \(3, 4\)"):
        model.set_params({**model.params, "0.W": np.zeros((4, 3))})


def test_backward_does_not_modify_upstream_gradient():
    rng = np.random.default_rng(3)
    model = Sequential([Dense(3, 4, rng=rng), ReLU(), Dense(4, 2, rng=rng)])
    X = rng.standard_normal((5, 3))
    X0 = X.copy()
    Z = model.forward(X)
    dZ = rng.standard_normal(Z.shape)
    dZ0 = dZ.copy()
    dX = model.backward(dZ)
    assert np.array_equal(dZ, dZ0) and np.array_equal(X, X0)
    assert dX.shape == X.shape


def test_predict_batched_equals_unbatched():
    rng = np.random.default_rng(4)
    model = mlp([6, 8, 3], rng=rng, dtype=np.float64)
    X = rng.standard_normal((23, 6))
    Z = model.forward(X)
    assert np.allclose(model.logits(X, batch_size=5), Z)
    assert np.array_equal(model.predict(X, batch_size=7), Z.argmax(axis=1))
    P = model.predict_proba(X, batch_size=4)
    assert P.shape == (23, 3) and np.allclose(P.sum(axis=1), 1.0)


def test_loss_and_grads_needs_explicit_targets():
    rng = np.random.default_rng(5)
    model = mlp([2, 3], rng=rng)
    with pytest.raises(ValueError, match="exactly one of y="):
        model.loss_and_grads(np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"y must have shape \(N,\) with N=2"):
        model.loss_and_grads(np.zeros((2, 2)), y=np.zeros((2, 3), dtype=int))


def test_deep_mnist_cnn_structure():
    model = deep_mnist_cnn(rng=np.random.default_rng(0))
    shapes = {k: v.shape for k, v in model.params.items()}
    assert shapes == {
        "0.W": (32, 1, 5, 5), "0.b": (32,), "3.W": (64, 32, 5, 5), "3.b": (64,),
        "7.W": (3136, 1024), "7.b": (1024,), "10.W": (1024, 10), "10.b": (10,),
    }
    # 832 + 51,264 + 3,212,288 + 10,250
    assert model.num_params == 3_274_634
    assert model.dtype == np.float32
    params = model.params
    for key in ("0", "3", "7", "10"):
        assert np.abs(params[f"{key}.W"]).max() <= 0.2  # truncated at 2 std = 0.2
        assert np.allclose(params[f"{key}.b"], 0.1)
    X = np.random.default_rng(1).random((2, 1, 28, 28), dtype=np.float32)
    Z = model.forward(X)
    assert Z.shape == (2, 10) and Z.dtype == np.float32


def test_mlp_errors():
    rng = np.random.default_rng(6)
    with pytest.raises(ValueError, match="activation must be one of"):
        mlp([2, 3], activation="swish", rng=rng)
    with pytest.raises(ValueError, match="at least input and output"):
        mlp([2], rng=rng)


def test_empty_batch_and_bad_containers():
    model = mlp([4, 3], rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="X must hold at least one sample"):
        model.loss_and_grads(np.zeros((0, 4)), y=np.zeros(0, dtype=int))
    assert model.forward(np.zeros((0, 4))).shape == (0, 3)
    with pytest.raises(TypeError, match="layers must be a list of layers"):
        Sequential(Dense(2, 2, rng=np.random.default_rng(0)))
    with pytest.raises(TypeError, match=r"layers\[1\] must be a layer"):
        Sequential([ReLU(), "relu"])
    with pytest.raises(TypeError, match=r"sizes\[1\] must be an integer"):
        mlp([4, 2.5, 3], rng=np.random.default_rng(0))
    with pytest.raises(TypeError, match="keep_prob must be a real number"):
        cnn(rng=np.random.default_rng(0), keep_prob="0.5")
    with pytest.raises(ValueError, match=r"input_shape \(1, 3, 3\) is too small for 2"):
        cnn(rng=np.random.default_rng(0), input_shape=(1, 3, 3))
