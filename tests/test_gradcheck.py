"""Tests for mathlib.gradcheck: the checker must itself be right, and must catch bugs."""

import numpy as np
import pytest

from mathlib.gradcheck import (
    PASS_MARK,
    check_layer_gradients,
    numerical_gradient,
    numerical_gradient_params,
    rel_error,
    rel_error_norm,
)
from mathlib.layers import Dense


def test_numerical_gradient_of_cubic():
    # f(x) = sum(x^3) has gradient 3 x^2; central differences are exact up to h^2 terms.
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    x0 = x.copy()
    g = numerical_gradient(lambda v: np.sum(v**3), x)
    assert g.shape == x.shape
    assert np.allclose(g, 3 * x0**2, rtol=1e-8)
    assert np.array_equal(x, x0)  # every probed entry was put back


def test_numerical_gradient_restores_on_exception():
    x = np.array([1.0, 2.0, 3.0])
    calls = []

    def f(v):
        calls.append(v.copy())
        if len(calls) == 2:
            raise RuntimeError("boom")
        return float(v.sum())

    with pytest.raises(RuntimeError, match="boom"):
        numerical_gradient(f, x)
    assert calls[0][0] == 1.0 + 1e-5  # it really did probe x[0] ...
    assert np.array_equal(x, [1.0, 2.0, 3.0])  # ... and restored it


def test_numerical_gradient_requires_float64():
    with pytest.raises(ValueError, match="x must be float64 for a gradient check, got float32"):
        numerical_gradient(lambda v: float(v.sum()), np.ones(3, dtype=np.float32))
    with pytest.raises(ValueError, match="float64"):
        numerical_gradient(lambda v: float(v.sum()), np.ones(3, dtype=np.int64))


def test_rel_error_values():
    assert rel_error(np.ones(3), np.ones(3)) == 0.0
    # |1 - 3| / (1 + 3) = 0.5
    assert rel_error(np.array([1.0]), np.array([3.0])) == 0.5
    # both zero -> 0 / max(1e-8, 0) = 0
    assert rel_error(np.zeros(2), np.zeros(2)) == 0.0
    # tiny absolute differences near zero are judged against eps = 1e-8: 1e-12 / 1e-8
    assert np.isclose(rel_error(np.array([0.0]), np.array([1e-12])), 1e-4)
    # the maximum over entries is reported
    assert rel_error(np.array([1.0, 1.0]), np.array([1.0, 2.0])) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="same shape"):
        rel_error(np.zeros(2), np.zeros(3))


def test_numerical_gradient_params_leaves_caller_arrays_alone():
    params = {"a": np.array([1.0, 2.0]), "b": np.array([[3.0]])}
    before = {k: v.copy() for k, v in params.items()}

    def loss(p):
        return float(np.sum(p["a"] ** 2) * p["b"][0, 0])

    grads = numerical_gradient_params(loss, params)
    assert set(grads) == {"a", "b"}
    assert np.allclose(grads["a"], 2 * params["a"] * 3.0)
    assert np.allclose(grads["b"], [[5.0]])  # 1 + 4
    for k in params:
        assert np.array_equal(params[k], before[k])


class BrokenDense(Dense):
    """A Dense layer with a classic slip: dW divided by N a second time (b left right)."""

    def backward(self, dOut):
        dX = super().backward(dOut)
        self.grads = {"W": self.grads["W"] / len(dOut), "b": self.grads["b"]}
        return dX


def test_check_layer_gradients_passes_good_and_catches_broken():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((4, 3))
    good = check_layer_gradients(Dense(3, 2, rng=rng), X, rng)
    assert set(good) == {"X", "W", "b"}
    assert max(good.values()) < PASS_MARK
    bad = check_layer_gradients(BrokenDense(3, 2, rng=rng), X, rng)
    assert bad["W"] > 0.1 and bad["b"] < PASS_MARK


def test_check_layer_gradients_restores_params_and_needs_float64():
    rng = np.random.default_rng(1)
    layer = Dense(3, 2, rng=rng)
    W0 = layer.params["W"].copy()
    check_layer_gradients(layer, rng.standard_normal((2, 3)), rng)
    assert np.array_equal(layer.params["W"], W0)
    with pytest.raises(ValueError, match="float64"):
        check_layer_gradients(Dense(3, 2, rng=rng, dtype=np.float32),
                              rng.standard_normal((2, 3)), rng)
    with pytest.raises(ValueError, match="X must be float64"):
        check_layer_gradients(layer, np.ones((2, 3), dtype=np.float32), rng)


def test_bad_functions_and_arguments_are_named():
    x = np.array([1.0, 2.0])
    with pytest.raises(TypeError, match="f must return a real scalar"):
        numerical_gradient(lambda v: v * 2, x)
    with pytest.raises(ValueError, match=r"f must return a finite value, got nan at x\[0\] \+ h"):
        numerical_gradient(lambda v: np.nan if v[0] > 1 else v.sum(), x)
    assert np.array_equal(x, [1.0, 2.0])  # still restored
    with pytest.raises(TypeError, match="h must be a real number"):
        numerical_gradient(lambda v: v.sum(), x, "1e-5")
    with pytest.raises(TypeError, match="f must be a function"):
        numerical_gradient(3.0, x)
    with pytest.raises(ValueError, match="x must be finite"):
        numerical_gradient(lambda v: v.sum(), np.array([np.nan]))
    with pytest.raises(TypeError, match="a must be an array of real numbers"):
        rel_error("abc", x)
    with pytest.raises(TypeError, match="layer must be a layer or model"):
        check_layer_gradients("dense", x, np.random.default_rng(0))


def test_rel_error_norm_by_hand():
    # a = [3, 4], b = [3, 0]: |a - b| = 4, |a| + |b| = 5 + 3 = 8, so 4 / 8 = 0.5
    assert rel_error_norm(np.array([3.0, 4.0]), np.array([3.0, 0.0])) == 0.5
    assert rel_error_norm(np.zeros(3), np.zeros(3)) == 0.0  # equal, though both are zero
    assert rel_error_norm(np.array([1.0, -2.0]), np.array([-1.0, 2.0])) == 1.0  # b = -a
    # One noisy tiny entry fails the entry-wise measure but not the whole-array one.
    a, b = np.array([1.0, 1e-9]), np.array([1.0, 1.2e-9])
    assert rel_error(a, b) > PASS_MARK > rel_error_norm(a, b)
    with pytest.raises(ValueError, match=r"b must have the same shape as a \(2,\)"):
        rel_error_norm(a, np.zeros(3))
