"""Checks for the coding exercise of chapter 5: the gradients of softmax regression."""

from __future__ import annotations

import numpy as np

from mathlib.gradcheck import numerical_gradient

from ._core import Checker, Feedback

__all__ = ["check_softmax_regression_grads"]


def _loss(X, W, b, y):
    # mean cross-entropy of softmax(X W + b), from the logits with the row maximum taken out
    Z = X @ W + b  # (N, K)
    S = Z - Z.max(axis=1, keepdims=True)
    log_p = S - np.log(np.exp(S).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(X.shape[0]), y].mean())


def _cases(rng):
    return [
        ("two images of 3 pixels and K = 2 classes, labels [0, 1]",
         np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.25]]), rng.standard_normal((3, 2)) * 0.1,
         np.array([0.1, -0.1]), np.array([0, 1])),
        ("a batch of 7 random images of 5 pixels and K = 4 classes",
         rng.uniform(0, 1, (7, 5)), rng.standard_normal((5, 4)), rng.standard_normal(4),
         rng.integers(0, 4, 7)),
        ("a single image (N = 1) of 6 pixels and K = 3 classes",
         rng.uniform(0, 1, (1, 6)), rng.standard_normal((6, 3)), np.zeros(3), np.array([2])),
        ("all-zero weights and biases (every probability is 1/K), N = 5, K = 10",
         rng.uniform(0, 1, (5, 8)), np.zeros((8, 10)), np.zeros(10), np.arange(5) * 2),
    ]


def _reference(X, W, b, y):
    # dZ = (P - Y) / N, dW = X^T dZ, db = column sums of dZ
    Z = X @ W + b
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    dZ = E / E.sum(axis=1, keepdims=True)
    dZ[np.arange(X.shape[0]), y] -= 1.0
    dZ /= X.shape[0]
    return X.T @ dZ, dZ.sum(axis=0)


def _large_case(rng):
    # Logits of several thousand: a naive exp overflows. Central differences of a loss this
    # large are too noisy to judge near-zero entries, so this case is compared with the formula.
    return ("large weights that give logits of several thousand, N = 4, K = 3",
            rng.uniform(0, 1, (4, 5)), rng.standard_normal((5, 3)) * 2000, np.zeros(3),
            np.array([0, 1, 2, 1]))


def _call(c, fn, args):
    """Call the learner's function; floating-point warnings become a problem."""
    out = c.call_quietly(fn, *args,
                         hint="compute the softmax with the row maximum subtracted.")
    c.expect_true(isinstance(out, tuple | list) and len(out) == 2,
                  "return a pair (dW, db), in that order.")
    return out


def _shapes(c, X, W, out):
    dW, db = (np.asarray(v, dtype=float) for v in out)
    D, K = W.shape
    if dW.shape == (K, D) and D != K:
        c.expect_true(False, f"dW has shape {dW.shape}, the transpose of W's {W.shape}: "
                      "dW must have W's shape (D, K); which matrix goes first?")
    c.expect_shape(dW, (D, K), what="dW (the shape of W, (D, K))")
    c.expect_shape(db, (K,), what="db (the shape of b, (K,))")
    c.expect_finite(dW, what="dW")
    c.expect_finite(db, what="db")
    return dW, db


def _factor_hint(got, numerical, n):
    """A hint when every entry is off by the same factor (a missing or extra 1/N)."""
    mask = np.abs(numerical) > 1e-8
    if not mask.any():
        return ""
    ratio = got[mask] / numerical[mask]
    if np.allclose(ratio, ratio[0], rtol=1e-6) and not np.isclose(ratio[0], 1.0):
        if np.isclose(ratio[0], n):
            return (f" Every entry is N = {n} times too large: is the loss the *mean* over "
                    "the batch?")
        if np.isclose(ratio[0], -1.0):
            return " Every entry has the wrong sign: it is P - Y, not Y - P."
        return " Every entry is off by the same factor; check the scaling."
    return ""


def check_softmax_regression_grads(softmax_regression_grads) -> Feedback:
    r"""Check ``softmax_regression_grads(X, W, b, y) -> (dW, db)``.

    For :math:`Z = XW + b`, :math:`P = \operatorname{softmax}(Z)` and the mean cross-entropy
    :math:`L`, the function returns :math:`dW = \partial L/\partial W` (the shape of ``W``,
    ``(D, K)``) and :math:`db = \partial L/\partial b` (shape ``(K,)``). Shapes: ``X (N, D)``,
    ``W (D, K)``, ``b (K,)``, integer ``y (N,)``. Both are compared with central differences
    of :math:`L` in float64; the inputs must not be modified, and logits of several hundred must
    not overflow.
    """
    c = Checker("softmax_regression_grads")
    rng = np.random.default_rng(505)
    for description, X, W, b, y in _cases(rng):
        with c.case(description):
            args = [X.copy(), W.copy(), b.copy(), y.copy()]
            out = _call(c, softmax_regression_grads, args)
            dW, db = _shapes(c, X, W, out)
            c.expect_true(all(np.array_equal(a, e) for a, e in zip(args, (X, W, b, y),
                                                                    strict=True)),
                          "your function changed one of its inputs in place; compute new arrays.")
            num_W = numerical_gradient(lambda v, X=X, b=b, y=y: _loss(X, v, b, y),
                                        W.astype(np.float64).copy())
            num_b = numerical_gradient(lambda v, X=X, W=W, y=y: _loss(X, W, v, y),
                                        b.astype(np.float64).copy())
            for name, got, num in (("dW", dW, num_W), ("db", db, num_b)):
                hint = _factor_hint(got, num, X.shape[0])
                if hint:
                    c.expect_true(False, f"{name} does not match the numerical gradient.{hint}")
                c.expect_gradient(got, num, what=name, tol=1e-6)
    description, X, W, b, y = _large_case(rng)
    with c.case(description):
        dW, db = _shapes(c, X, W, _call(c, softmax_regression_grads, [X.copy(), W.copy(),
                                                                       b.copy(), y.copy()]))
        ref_W, ref_b = _reference(X, W, b, y)
        c.expect_close(dW, ref_W, what="dW", rtol=1e-6, atol=1e-9, show_expected=False)
        c.expect_close(db, ref_b, what="db", rtol=1e-6, atol=1e-9, show_expected=False)
    return c.feedback()
