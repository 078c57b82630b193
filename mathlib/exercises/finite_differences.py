"""Checks for the coding exercises of chapter 6: central differences, a two-layer forward pass."""

from __future__ import annotations

import numpy as np

from ._core import Checker, Feedback

__all__ = ["check_central_difference_gradient", "check_two_layer_forward"]


def _quadratic(w):
    # f(w) = sum_i (i + 1) w_i^2 / 2, gradient (i + 1) w_i
    return float(0.5 * np.sum(np.arange(1, w.size + 1) * w.ravel() ** 2))


def _quadratic_grad(w):
    return np.arange(1, w.size + 1).reshape(w.shape) * w


def _trig(w):
    # f(w) = sin(w_0) cos(w_1) + w_0 w_1 on a 2-vector
    return float(np.sin(w[0]) * np.cos(w[1]) + w[0] * w[1])


def _trig_grad(w):
    return np.array([np.cos(w[0]) * np.cos(w[1]) + w[1], -np.sin(w[0]) * np.sin(w[1]) + w[0]])


def _logsumexp_matrix(w):
    # f(W) = log sum_ij exp(W_ij), gradient softmax over all entries
    m = w.max()
    return float(m + np.log(np.exp(w - m).sum()))


def _logsumexp_grad(w):
    e = np.exp(w - w.max())
    return e / e.sum()


def check_central_difference_gradient(central_difference_gradient) -> Feedback:
    r"""Check ``central_difference_gradient(f, w, h) -> grad``.

    :math:`\partial f/\partial w_i \approx (f(w + h e_i) - f(w - h e_i)) / 2h` for every entry of
    ``w`` (any shape, float64); ``grad`` has the shape of ``w``; ``f(w)`` returns a float. After
    the call ``w`` must hold exactly its original values (an in-place probe must put each entry
    back). Hidden cases: a weighted quadratic (where central differences are exact up to
    rounding), a trigonometric function of two variables, a 2-D array, and a check that the
    formula is the *central* one, not the one-sided :math:`(f(w + h) - f(w))/h`.
    """
    c = Checker("central_difference_gradient")
    rng = np.random.default_rng(606)
    cases = [
        ("a weighted quadratic of a 5-vector, h = 1e-5", _quadratic, _quadratic_grad,
         rng.standard_normal(5), 1e-5),
        ("f(w) = sin(w0) cos(w1) + w0 w1, h = 1e-5", _trig, _trig_grad, np.array([0.3, -1.2]),
         1e-5),
        ("log-sum-exp of a 3x4 matrix (the gradient has the shape of the matrix), h = 1e-5",
         _logsumexp_matrix, _logsumexp_grad, rng.standard_normal((3, 4)), 1e-5),
    ]
    for description, f, grad, w, h in cases:
        with c.case(description):
            w_in = w.copy()
            out = c.call(central_difference_gradient, f, w_in, h)
            c.expect_true(np.array_equal(w_in, w),
                          "w does not hold its original values after your function returns: "
                          "put each probed entry back (w[i] = old) after the two evaluations.")
            c.expect_shape(out, w.shape, what="the gradient (the shape of w)")
            c.expect_close(out, grad(w), what="the gradient", rtol=1e-6, atol=1e-8,
                           show_expected=False)
    with c.case("f(w) = w^3 at w = 1 with a large step h = 0.1"):
        # central: (1.331 - 0.729) / 0.2 = 3.01; forward: (1.331 - 1) / 0.1 = 3.31
        w = np.array([1.0])
        out = c.call(central_difference_gradient, lambda v: float(v[0] ** 3), w, 0.1)
        c.expect_shape(out, (1,), what="the gradient")
        got = float(np.asarray(out).ravel()[0])
        if np.isclose(got, 3.31, atol=1e-6):
            c.expect_true(False, "this is the one-sided difference (f(w + h) - f(w)) / h; use "
                          "f(w + h) and f(w - h), divided by 2h.")
        if np.isclose(got, 6.02, atol=1e-6):
            c.expect_true(False, "the result is twice too large: divide by 2h, not h.")
        c.expect_close(got, 3.01, what="the estimate with h = 0.1", rtol=1e-9, atol=1e-9,
                       show_expected=False)
    return c.feedback()


def _sigmoid(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))),
                    np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))


def _forward(X, W1, b1, W2, b2):
    H = _sigmoid(X @ W1 + b1)  # (N, M)
    Z = H @ W2 + b2  # (N, K)
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def check_two_layer_forward(two_layer_forward) -> Feedback:
    r"""Check ``two_layer_forward(X, W1, b1, W2, b2) -> P``.

    :math:`H = \sigma(XW_1 + b_1)`, :math:`P = \operatorname{softmax}(HW_2 + b_2)`. Shapes:
    ``X (N, D)``, ``W1 (D, M)``, ``b1 (M,)``, ``W2 (M, K)``, ``b2 (K,)`` -> ``P (N, K)``.
    Hidden cases vary N, D, M and K (so a transposed product fails loudly), include large
    weights (no overflow warnings), and check that every row of ``P`` sums to 1.
    """
    c = Checker("two_layer_forward")
    rng = np.random.default_rng(607)
    shapes = [("N = 4 points in D = 2, M = 3 hidden units, K = 3 classes", 4, 2, 3, 3, 1.0),
              ("N = 5, D = 2, M = 6, K = 2", 5, 2, 6, 2, 1.0),
              ("N = 1, D = 4, M = 2, K = 5", 1, 4, 2, 5, 1.0),
              ("large weights (pre-activations in the thousands), N = 3, D = 2, M = 4, K = 3",
               3, 2, 4, 3, 1000.0)]
    for description, N, D, M, K, scale in shapes:
        with c.case(description):
            X = rng.standard_normal((N, D))
            W1, b1 = scale * rng.standard_normal((D, M)), rng.standard_normal(M)
            W2, b2 = scale * rng.standard_normal((M, K)), rng.standard_normal(K)
            args = [a.copy() for a in (X, W1, b1, W2, b2)]
            P = c.call_quietly(two_layer_forward, *args,
                               hint="use the stable sigmoid and softmax.")
            P = np.asarray(P, dtype=float)
            if P.shape == (N, M) and M != K:
                c.expect_true(False, f"P has shape {P.shape} = (N, M): that is the hidden layer "
                              "H; the output layer W2, b2 still has to be applied.")
            c.expect_shape(P, (N, K), what="P (one row of K probabilities per point, (N, K))")
            c.expect_finite(P, what="P")
            c.expect_true(np.allclose(P.sum(axis=1), 1.0),
                          "the rows of P do not sum to 1: apply softmax to each row of the "
                          "output scores.")
            c.expect_close(P, _forward(X, W1, b1, W2, b2), what="P", rtol=1e-7, atol=1e-10,
                           show_expected=False)
    return c.feedback()
