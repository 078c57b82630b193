"""Tests for mathlib.layers and mathlib.init."""

import numpy as np
import pytest

from mathlib import init
from mathlib.gradcheck import PASS_MARK, check_layer_gradients, numerical_gradient, rel_error
from mathlib.layers import (
    Dense,
    Dropout,
    Flatten,
    ReLU,
    Reshape,
    Sigmoid,
    SoftmaxCrossEntropy,
    Tanh,
)
from mathlib.losses import cross_entropy_from_logits


def _layers(rng):
    """(name, layer, input) triples covering every layer type, float64."""
    Xr = rng.standard_normal((4, 5))
    Xr[np.abs(Xr) < 0.1] += 0.5  # ReLU: stay off the kink
    drop = Dropout(0.6, rng=rng)
    drop.set_mask(rng.random((4, 5)) < 0.6)
    return [
        ("dense", Dense(5, 3, rng=rng), rng.standard_normal((4, 5))),
        ("dense_xavier", Dense(5, 3, rng=rng, init="xavier", bias=0.1),
         rng.standard_normal((4, 5))),
        ("relu", ReLU(), Xr),
        ("sigmoid", Sigmoid(), rng.standard_normal((4, 5))),
        ("tanh", Tanh(), rng.standard_normal((4, 5))),
        ("dropout_fixed_mask", drop, rng.standard_normal((4, 5))),
        ("flatten", Flatten(), rng.standard_normal((2, 3, 2, 2))),
        ("reshape", Reshape((2, 3)), rng.standard_normal((3, 6))),
    ]


@pytest.mark.parametrize("index", range(8))
def test_layer_gradients(index):
    rng = np.random.default_rng(index)
    name, layer, X = _layers(rng)[index]
    errors = check_layer_gradients(layer, X, rng)
    assert set(errors) == {"X", *layer.params}
    assert max(errors.values()) < PASS_MARK, (name, errors)


@pytest.mark.parametrize("index", range(8))
def test_backward_does_not_modify_inputs(index):
    rng = np.random.default_rng(10 + index)
    name, layer, X = _layers(rng)[index]
    X0 = X.copy()
    params0 = {k: v.copy() for k, v in layer.params.items()}
    out = layer.forward(X, train=True)
    assert np.array_equal(X, X0), name
    assert not np.shares_memory(out, X), name
    dOut = rng.standard_normal(out.shape)
    dOut0 = dOut.copy()
    dX = layer.backward(dOut)
    assert np.array_equal(dOut, dOut0), name
    assert np.array_equal(X, X0), name
    assert not np.shares_memory(dX, dOut) and not np.shares_memory(dX, X), name
    assert dX.shape == X.shape
    for k in layer.params:
        assert np.array_equal(layer.params[k], params0[k])
        assert layer.grads[k].shape == layer.params[k].shape
        assert not np.shares_memory(layer.grads[k], layer.params[k])


def test_dense_hand_values_and_from_arrays_copies():
    W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])  # (D=3, K=2)
    b = np.array([1.0, -1.0])
    layer = Dense.from_arrays(W, b)
    W[0, 0] = 99.0  # the layer holds its own copy
    Z = layer.forward(np.array([[1.0, 2.0, 3.0]]))
    # [1 + 3 + 1, 2 + 3 - 1] = [5, 4]
    assert np.array_equal(Z, [[5.0, 4.0]])
    dX = layer.backward(np.array([[1.0, 2.0]]))
    assert np.array_equal(layer.grads["W"], [[1, 2], [2, 4], [3, 6]])  # X^T dZ
    assert np.array_equal(layer.grads["b"], [1.0, 2.0])
    assert np.array_equal(dX, [[1.0, 2.0, 3.0]])  # dZ W^T


def test_dense_errors():
    rng = np.random.default_rng(0)
    layer = Dense(4, 2, rng=rng)
    with pytest.raises(ValueError, match=r"called before forward"):
        layer.backward(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"X must have shape \(N, D\) with D=4, got \(3, 5\)"):
        layer.forward(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="X must be finite"):
        layer.forward(np.full((1, 4), np.nan))
    layer.forward(np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"dOut must have the shape .*\(3, 2\), got \(3, 3\)"):
        layer.backward(np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"b must have shape \(K,\) with K=2"):
        Dense.from_arrays(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="needs std"):
        Dense(3, 2, rng=rng, init="normal")
    with pytest.raises(ValueError, match="init must be one of"):
        Dense(3, 2, rng=rng, init="bogus")
    with pytest.raises(TypeError, match="rng must be a np.random.Generator"):
        Dense(3, 2, rng=0)
    with pytest.raises(ValueError, match=r"keys \['W', 'b'\]"):
        layer.set_params({"W": np.zeros((4, 2))})


def test_dense_casts_input_to_its_dtype():
    layer = Dense(3, 2, rng=np.random.default_rng(0), dtype=np.float32)
    assert layer.forward(np.ones((1, 3))).dtype == np.float32


def test_dropout_modes():
    rng = np.random.default_rng(0)
    X = np.ones((2000, 50))
    drop = Dropout(0.8, rng=rng)
    assert np.array_equal(drop.forward(X, train=False), X)  # evaluation: identity
    out = drop.forward(X, train=True)
    kept = out != 0
    assert set(np.unique(out)) == {0.0, 1.25}  # kept units are scaled by 1 / 0.8
    assert abs(kept.mean() - 0.8) < 0.01
    assert abs(out.mean() - 1.0) < 0.02  # inverted dropout keeps the mean
    dX = drop.backward(np.ones_like(X))
    assert np.array_equal(dX != 0, kept)  # the same mask routes the gradient
    # Same seed, same masks.
    a = Dropout(0.5, rng=np.random.default_rng(7)).forward(X, train=True)
    b = Dropout(0.5, rng=np.random.default_rng(7)).forward(X, train=True)
    assert np.array_equal(a, b)
    assert np.array_equal(Dropout(1.0, rng=rng).forward(X, train=True), X)
    with pytest.raises(ValueError, match=r"keep_prob must be in \(0, 1\]"):
        Dropout(0.0, rng=rng)
    fixed = Dropout(0.5, rng=rng)
    fixed.set_mask(np.array([[True, False]]))
    assert np.array_equal(fixed.forward(np.array([[3.0, 4.0]]), train=True), [[6.0, 0.0]])
    with pytest.raises(ValueError, match=r"X must have the shape of the fixed mask \(1, 2\)"):
        fixed.forward(np.ones((2, 2)), train=True)


def test_softmax_cross_entropy_layer():
    rng = np.random.default_rng(3)
    Z = rng.standard_normal((4, 3))
    y = np.array([0, 2, 1, 2])
    loss_layer = SoftmaxCrossEntropy()
    loss = loss_layer.forward(Z, y=y)
    assert loss == cross_entropy_from_logits(Z, y=y)
    dZ = loss_layer.backward()
    num = numerical_gradient(lambda v: SoftmaxCrossEntropy().forward(v, y=y), Z.copy())
    assert rel_error(dZ, num) < PASS_MARK
    with pytest.raises(ValueError, match="exactly one of y="):
        loss_layer.forward(Z)
    with pytest.raises(ValueError, match="before forward"):
        SoftmaxCrossEntropy().backward()


def test_flatten_and_reshape_shapes():
    X = np.arange(24.0).reshape(2, 3, 2, 2)
    assert Flatten().forward(X).shape == (2, 12)
    assert Reshape((1, 4, 3)).forward(X).shape == (2, 1, 4, 3)
    with pytest.raises(ValueError, match="to reshape"):
        Reshape((5,)).forward(X)


# ---- init ----------------------------------------------------------------------------

def test_init_shapes_dtypes_and_scales():
    rng = np.random.default_rng(0)
    W = init.he_normal(400, 300, rng, np.float32)
    assert W.shape == (400, 300) and W.dtype == np.float32
    assert abs(W.std() - np.sqrt(2 / 400)) < 0.01 * np.sqrt(2 / 400) * 5
    U = init.xavier_uniform(200, 100, rng)
    a = np.sqrt(6 / 300)
    assert U.min() >= -a and U.max() <= a and abs(U.std() - np.sqrt(2 / 300)) < 2e-3
    N = init.xavier_normal(200, 100, rng)
    assert abs(N.std() - np.sqrt(2 / 300)) < 2e-3
    assert np.array_equal(init.constant((2, 3), 0.1, np.float32),
                          np.full((2, 3), 0.1, np.float32))
    assert abs(init.normal((100_000,), 0.5, rng).std() - 0.5) < 0.01


def test_truncated_normal_bounds_and_reproducibility():
    T = init.truncated_normal((300, 200), 0.1, np.random.default_rng(5), np.float64)
    assert np.abs(T).max() <= 0.2
    assert abs(T.std() - 0.088) < 0.002  # truncation at 2 std shrinks the std to ~0.88 std
    again = init.truncated_normal((300, 200), 0.1, np.random.default_rng(5), np.float64)
    assert np.array_equal(T, again)


def test_init_errors():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="dtype must be float32 or float64"):
        init.normal((2,), 1.0, rng, np.int32)
    with pytest.raises(ValueError, match="std must be"):
        init.normal((2,), -1.0, rng)
    with pytest.raises(ValueError, match="fan_in must be a positive integer"):
        init.he_normal(0, 3, rng)


def test_parameter_free_layers_keep_the_input_dtype():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 4)).astype(np.float32)
    drop = Dropout(0.5, rng=rng)
    for layer in (ReLU(), Sigmoid(), Tanh(), drop, Flatten(), Reshape((2, 2))):
        out = layer.forward(X, train=True)
        assert out.dtype == np.float32, layer
        assert layer.backward(np.ones_like(out)).dtype == np.float32, layer


def test_empty_batch_passes_through_layers():
    rng = np.random.default_rng(11)
    X = np.zeros((0, 2, 3, 2))
    assert Flatten().forward(X).shape == (0, 12)
    dense = Dense(4, 3, rng=rng)
    assert dense.forward(np.zeros((0, 4))).shape == (0, 3)
    dense.backward(np.zeros((0, 3)))
    assert not dense.grads["W"].any()  # a sum over no samples
    loss = SoftmaxCrossEntropy()
    with pytest.raises(ValueError, match=r"N >= 1"):
        loss.forward(np.zeros((0, 3)), y=np.zeros(0, dtype=int))


def test_argument_types_are_named():
    rng = np.random.default_rng(12)
    loss = SoftmaxCrossEntropy()
    loss.forward(np.zeros((2, 3)), y=np.array([0, 1]))
    with pytest.raises(ValueError, match="dLoss must be a finite number"):
        loss.backward(np.nan)
    with pytest.raises(TypeError, match="keep_prob must be a real number, got '0.5'"):
        Dropout("0.5", rng=rng)
    with pytest.raises(TypeError, match=r"shape\[0\] must be an integer"):
        Reshape((1.5, 2))
    with pytest.raises(TypeError, match="train must be True or False"):
        ReLU().forward(np.zeros((1, 2)), train="yes")
    with pytest.raises(ValueError, match='std is only used by init="normal"'):
        Dense(3, 2, rng=rng, init="he", std=0.1)
    with pytest.raises(TypeError, match="dtype must be np.float32 or np.float64"):
        Dense(3, 2, rng=rng, dtype="floaty")
