"""Checks for the coding exercises of chapter 1: least squares by gradient descent."""

from __future__ import annotations

import numpy as np

from mathlib.gradcheck import numerical_gradient

from ._core import Checker, Feedback

__all__ = ["check_least_squares_gradient", "check_gradient_descent"]


def _loss(X, w, t):
    # L(w) = ||Xw - t||^2 / 2
    r = X @ w - t
    return 0.5 * float(r @ r)


def _cases(rng):
    """Hidden (description, X, w, t) cases, from the book's four points to random tall ones."""
    X0 = np.array([[1.0, 1.0], [3.0, 1.0], [5.0, 1.0], [7.0, 1.0]])
    t0 = np.array([1.0, 4.0, 4.0, 8.0])
    cases = [("the chapter's four points at w = [1, 1]", X0, np.array([1.0, 1.0]), t0),
             ("the chapter's four points at w = [-2, 0.5]", X0, np.array([-2.0, 0.5]), t0)]
    for N, D in [(7, 3), (5, 1), (12, 4)]:
        X = rng.standard_normal((N, D))
        cases.append((f"random data with N = {N} rows and D = {D} weights", X,
                      rng.standard_normal(D), rng.standard_normal(N)))
    return cases


def check_least_squares_gradient(least_squares_gradient) -> Feedback:
    r"""Check ``least_squares_gradient(X, w, t) -> grad`` of :math:`\tfrac12\lVert Xw - t\rVert^2`.

    Shapes: ``X (N, D)``, ``w (D,)``, ``t (N,)`` -> ``grad (D,)``. The learner's gradient is
    compared with central differences of the loss on hidden cases; the inputs must not change.
    """
    c = Checker("least_squares_gradient")
    rng = np.random.default_rng(101)
    for description, X, w, t in _cases(rng):
        with c.case(description):
            X_in, w_in, t_in = X.copy(), w.copy(), t.copy()
            grad = c.call(least_squares_gradient, X_in, w_in, t_in)
            c.expect_shape(grad, w.shape, what="the gradient (one entry per weight, like w)")
            c.expect_finite(grad, what="the gradient")
            c.expect_true(
                np.array_equal(X_in, X) and np.array_equal(w_in, w) and np.array_equal(t_in, t),
                "your function changed one of its inputs X, w or t; compute the gradient "
                "in new arrays instead.",
            )
            numerical = numerical_gradient(lambda v, X=X, t=t: _loss(X, v, t), w.copy())
            c.expect_gradient(grad, numerical, what="the gradient", tol=1e-6)
    with c.case("a point w where the line fits exactly (the gradient must vanish)"):
        X = np.array([[1.0, 1.0], [2.0, 1.0], [4.0, 1.0]])
        w = np.array([0.5, -1.0])
        grad = c.call(least_squares_gradient, X, w.copy(), X @ w)
        c.expect_close(grad, np.zeros(2), what="the gradient at an exact fit", atol=1e-12)
    return c.feedback()


def _reference_descent(grad, w0, learning_rate, steps):
    # w_{k+1} = w_k - eta * grad(w_k), the starting point first: (steps + 1, D)
    path = [np.array(w0, dtype=float)]
    for _ in range(steps):
        path.append(path[-1] - learning_rate * grad(path[-1]))
    return np.array(path)


def check_gradient_descent(gradient_descent) -> Feedback:
    r"""Check ``gradient_descent(grad, w0, learning_rate, steps) -> path``.

    ``grad`` maps ``w (D,)`` to the gradient ``(D,)``; the result holds the ``steps + 1``
    iterates :math:`w_0, \dots, w_{\text{steps}}` of :math:`w \leftarrow w - \eta \nabla L(w)`
    as rows, shape ``(steps + 1, D)``, and ``w0`` itself must not be modified.
    """
    c = Checker("gradient_descent")
    X = np.array([[1.0, 1.0], [3.0, 1.0], [5.0, 1.0], [7.0, 1.0]])
    t = np.array([1.0, 4.0, 4.0, 8.0])
    A = np.diag([1.0, 10.0, 0.5])
    cases = [
        ("the chapter's least-squares loss from w0 = [1, 1], eta = 0.01, 5 steps",
         lambda w: X.T @ (X @ w - t), np.array([1.0, 1.0]), 0.01, 5),
        ("a 3-D bowl L(w) = w^T A w / 2 with A = diag(1, 10, 0.5), eta = 0.15, 4 steps",
         lambda w: A @ w, np.array([1.0, -2.0, 3.0]), 0.15, 4),
        ("a learning rate above the stability threshold (the path must still be returned)",
         lambda w: A @ w, np.array([0.0, 1.0, 0.0]), 0.25, 3),
    ]
    for description, grad, w0, eta, steps in cases:
        with c.case(description):
            w0_in = w0.copy()
            path = c.call(gradient_descent, grad, w0_in, eta, steps)
            c.expect_shape(path, (steps + 1, w0.size),
                           what="the path (w0 in the first row, then one row per step)")
            c.expect_true(np.array_equal(w0_in, w0),
                          "your function modified w0 in place; copy it before updating "
                          "(e.g. w = w0.copy() or w = w - ...).")
            c.expect_close(np.asarray(path)[0], w0, what="the first row of the path (it is w0)")
            c.expect_close(path, _reference_descent(grad, w0, eta, steps), what="the path")
    with c.case("zero steps"):
        path = c.call(gradient_descent, lambda w: w, np.array([2.0, 3.0]), 0.1, 0)
        c.expect_shape(path, (1, 2), what="the path for steps = 0 (just w0, as one row)")
    return c.feedback()
