"""Chapters 5 and 6's exercise checks: right answers pass, the usual slips get their named hint."""

import numpy as np
import pytest

from mathlib.exercises import (
    check_directional_derivatives,
    check_multiclass_hinge,
    check_nearest_mean_params,
    check_numerical_jacobian,
)


def _means(X, y, K):
    return np.stack([X[y == k].mean(axis=0) for k in range(K)])  # (K, D)


def _nearest_mean(X, y, K, slip=None):
    M = _means(X, y, K)
    if slip == "sum over N/K":  # divides each class sum by N / K instead of its own count
        M = np.stack([X[y == k].sum(axis=0) / (len(X) / K) for k in range(K)])
    bias = {"no bias": 0.0 * M[:, 0], "no half": -(M**2).sum(axis=1),
            "sign": 0.5 * (M**2).sum(axis=1)}.get(slip, -0.5 * (M**2).sum(axis=1))
    if slip == "in place":
        X -= X.mean(axis=0)
    W = M if slip == "transpose" else M.T
    return W, bias


def _hinge(X, W, b, y, slip=None):
    N = X.shape[0]
    Z = X @ W + b
    rows = np.arange(N)
    margins = Z - Z[rows, y][:, None] + 1.0
    if slip != "true class":
        margins[rows, y] = -1.0 if slip == ">=" else 0.0
    active = (margins >= 0) if slip == ">=" else (margins > 0)
    loss = np.maximum(margins, 0.0).sum() / (1 if slip == "no 1/N" else N)
    dZ = active.astype(float)
    if slip != "no true column":
        dZ[rows, y] = -dZ.sum(axis=1)
    dZ /= 1 if slip == "no 1/N" else N
    dW = dZ.T @ X if slip == "transpose" else X.T @ dZ
    if slip == "pair":
        return dW, dZ.sum(axis=0)
    return loss, dW, dZ.sum(axis=0)


def _jacobian(f, x, h, slip=None):
    columns = []
    f0 = np.array(f(x), dtype=float)
    for j in range(x.size):
        old = x[j]
        x[j] = old + h
        f_plus = np.array(f(x), dtype=float)
        x[j] = old - h
        f_minus = np.array(f(x), dtype=float)
        if slip != "no restore":
            x[j] = old
        if slip == "one-sided":
            columns.append((f_plus - f0) / h)
        elif slip == "over h":
            columns.append((f_plus - f_minus) / h)
        else:
            columns.append((f_plus - f_minus) / (2 * h))
    J = np.stack(columns, axis=1)
    return J.T if slip == "transpose" else J


def _directional(f, g, w, V, h, slip=None):
    if slip == "unit":
        V = np.array([v / np.linalg.norm(v) for v in V])
    if slip == "one-sided":
        numerical = np.array([(f(w + h * v) - f(w)) / h for v in V])
    else:
        numerical = np.array([(f(w + h * v) - f(w - h * v)) / (2 * h) for v in V])
    if slip == "dot":
        claimed = np.array([np.dot(g.ravel(), v.ravel()) * np.ones(w.shape) for v in V])
    else:
        claimed = np.array([np.sum(g * v) for v in V])
    if slip == "swap":
        return claimed, numerical
    if slip == "in place":
        w += h
    return numerical, claimed


def test_reference_answers_pass():
    assert check_nearest_mean_params(_nearest_mean).passed
    assert check_multiclass_hinge(_hinge).passed
    assert check_numerical_jacobian(_jacobian).passed
    assert check_directional_derivatives(_directional).passed


def test_any_equivalent_nearest_mean_classifier_passes():
    def scaled(X, y, K):  # a positive factor and a common shift change no prediction
        M = _means(X, y, K)
        return 3 * M.T, -1.5 * (M**2).sum(axis=1) + 7.0

    assert check_nearest_mean_params(scaled).passed


@pytest.mark.parametrize("slip, words", [
    ("no bias", "no bias"),
    ("no half", "wrong factor"),
    ("sign", "wrong sign"),
    ("transpose", "(K, D)"),
    ("sum over N/K", "mean of the rows of class k only"),
    ("in place", "changed one of its inputs"),
])
def test_nearest_mean_slips_are_named(slip, words):
    verdict = check_nearest_mean_params(lambda X, y, K: _nearest_mean(X, y, K, slip))
    assert not verdict.passed
    assert words in str(verdict), str(verdict)


@pytest.mark.parametrize("slip, words", [
    ("true class", "exactly 1 too large"),
    ("no 1/N", "N = 6 times too large"),
    ("no true column", "do not sum to 0"),
    (">=", "margin of exactly 0 as active"),
    ("transpose", "transpose of W's"),
    ("pair", "return a tuple (loss, dW, db)"),
])
def test_hinge_slips_are_named(slip, words):
    verdict = check_multiclass_hinge(lambda X, W, b, y: _hinge(X, W, b, y, slip))
    assert not verdict.passed
    assert words in str(verdict), str(verdict)


@pytest.mark.parametrize("slip, words", [
    ("transpose", "transpose of the Jacobian"),
    ("one-sided", "one-sided difference"),
    ("over h", "twice too large"),
    ("no restore", "does not hold its original values"),
])
def test_jacobian_slips_are_named(slip, words):
    verdict = check_numerical_jacobian(lambda f, x, h: _jacobian(f, x, h, slip))
    assert not verdict.passed
    assert words in str(verdict), str(verdict)


@pytest.mark.parametrize("slip, words", [
    ("unit", "unit directions"),
    ("one-sided", "one-sided difference"),
    ("dot", "ONE number"),
    ("swap", "swapped"),
    ("in place", "changed w, g or V"),
])
def test_directional_slips_are_named(slip, words):
    verdict = check_directional_derivatives(lambda f, g, w, V, h: _directional(f, g, w, V, h,
                                                                               slip))
    assert not verdict.passed
    assert words in str(verdict), str(verdict)
