"""Chapter 7's exercise checks: right answers pass, the usual slips get their named hint."""

import numpy as np
import pytest

from mathlib.activations import softmax
from mathlib.exercises import check_tanh_backward, check_three_layer_backward
from mathlib.losses import one_hot


def _tanh_backward(X, y, params, slip=None):
    N, K = X.shape[0], params["W2"].shape[1]
    A1 = X @ params["W1"] + params["b1"]
    T = np.tanh(A1)
    Z = T @ params["W2"] + params["b2"]
    dZ = (softmax(Z) - one_hot(y, K)) / (1 if slip == "no 1/N" else N)
    if slip == "sign":
        dZ = -dZ
    slope = {"pre": 1 - A1**2, "relu": (A1 > 0) * 1.0, "skip": 1.0}.get(slip, 1 - T**2)
    dA1 = (dZ @ params["W2"].T) * slope
    g = {"W1": X.T @ dA1, "b1": dA1.sum(axis=0), "W2": T.T @ dZ, "b2": dZ.sum(axis=0)}
    if slip == "transpose":
        g["W2"] = dZ.T @ T
    if slip == "axis":
        g["b1"] = dA1.sum(axis=1)
    if slip == "tuple":
        return tuple(g.values())
    return g


def _three_layer_backward(X, y, params, slip=None):
    N, K = X.shape[0], params["W3"].shape[1]
    A1 = X @ params["W1"] + params["b1"]
    H1 = np.maximum(A1, 0)
    A2 = H1 @ params["W2"] + params["b2"]
    H2 = np.maximum(A2, 0)
    Z = H2 @ params["W3"] + params["b3"]
    dZ = (softmax(Z) - one_hot(y, K)) / N
    mask = (lambda A: 1.0) if slip == "no mask" else (lambda A: A > 0)
    dA2 = (dZ @ params["W3"].T) * mask(A2)
    dA1 = (dA2 @ params["W2"].T) * mask(A1)
    if slip == "in place":
        params["W1"] *= 2
    return {"W1": X.T @ dA1, "b1": dA1.sum(axis=0), "W2": H1.T @ dA2, "b2": dA2.sum(axis=0),
            "W3": H2.T @ dZ, "b3": dZ.sum(axis=0)}


def test_reference_answers_pass():
    assert check_tanh_backward(_tanh_backward).passed
    assert check_three_layer_backward(_three_layer_backward).passed


@pytest.mark.parametrize("slip, words", [
    ("no 1/N", "N times too large"),
    ("sign", "wrong sign"),
    ("pre", "not its input A"),
    ("relu", "ReLU's derivative"),
    ("skip", "skips the tanh node"),
    ("transpose", "transposed shape"),
    ("axis", "one entry per sample"),
    ("tuple", "should be a dict"),
])
def test_tanh_slips_are_named(slip, words):
    verdict = check_tanh_backward(lambda X, y, p: _tanh_backward(X, y, p, slip))
    assert not verdict.passed
    assert words in str(verdict), str(verdict)


@pytest.mark.parametrize("slip, words", [
    ("no mask", "ReLU node was skipped"),
    ("in place", "changed the arrays in `params`"),
])
def test_three_layer_slips_are_named(slip, words):
    verdict = check_three_layer_backward(lambda X, y, p: _three_layer_backward(X, y, p, slip))
    assert not verdict.passed
    assert words in str(verdict), str(verdict)


def test_garbage_and_non_functions():
    assert not check_tanh_backward(lambda X, y, p: "abc").passed
    assert not check_three_layer_backward(lambda X, y, p: {k: "x" for k in p}).passed
    with pytest.raises(TypeError, match="three_layer_backward"):
        check_three_layer_backward(3)
