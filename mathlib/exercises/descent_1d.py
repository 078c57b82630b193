"""Checks for the coding exercises of chapter 0: descent in one dimension.

``check_descend_until`` checks gradient descent with a stopping rule (stop at the first iterate
whose derivative is small, or after a budget of updates); ``check_newton_1d`` checks Newton's
method, the step to the minimum of the local parabola.
"""

from __future__ import annotations

import numpy as np

from mathlib.checks import check_callable

from ._core import Checker, Feedback
from ._learner import CallBudget

__all__ = ["check_descend_until", "check_newton_1d"]


def _reference_until(grad, w0, learning_rate, tol, max_steps):
    # Stop at the first w_k with |L'(w_k)| < tol (no step from it), or after max_steps updates.
    path = [float(w0)]
    while abs(grad(path[-1])) >= tol and len(path) <= max_steps:
        path.append(path[-1] - learning_rate * grad(path[-1]))
    return np.array(path)


def _compare_paths(c: Checker, path: np.ndarray, expected: np.ndarray, w0: float, grad, tol):
    """Name the typical length mistakes before comparing values."""
    c.expect_true(path.ndim == 1, f"the path should be a 1-D array (one entry per iterate), "
                                  f"but it has shape {path.shape}.")
    c.expect_true(path.size >= 1 and np.isclose(path[0], w0, rtol=1e-12, atol=1e-12),
                  "the first entry of the path should be w0 itself.")
    n, m = path.size, expected.size
    if n == 1 and m > 1 and abs(grad(w0)) >= tol:
        c.expect_true(False, f"your loop stopped at w0, although |L'(w0)| = {abs(grad(w0)):g} "
                             "is not below tol. The rule compares the size of the derivative; "
                             "a derivative can be negative.")
    if n == m + 1 and np.allclose(path[:m], expected, rtol=1e-9, atol=1e-12):
        c.expect_true(False, "your path has one entry too many: once an iterate satisfies the "
                             "rule, return without stepping again.")
    if n == m - 1 and np.allclose(path, expected[:n], rtol=1e-9, atol=1e-12):
        c.expect_true(False, "your path is one entry short: it must end with the iterate that "
                             "satisfies the rule (or with the last update, if the budget ran "
                             "out), and start with w0.")
    c.expect_shape(path, expected.shape, what="the path (w0 first, then one entry per update)")
    c.expect_close(path, expected, what="the path", rtol=1e-9, atol=1e-12)


def check_descend_until(descend_until) -> Feedback:
    r"""Check ``descend_until(grad, w0, learning_rate, tol, max_steps) -> path``.

    The learner's function runs :math:`w_{k+1} = w_k - \eta L'(w_k)` from ``w0`` and stops at
    the first iterate with :math:`|L'(w_k)| < \text{tol}` (taking no step from it), or after
    ``max_steps`` updates. It returns every iterate, ``w_0`` first: shape ``(K + 1,)`` for
    ``K`` updates. Hidden cases approach the minimum from both sides, start at the minimum,
    diverge (the budget must stop the loop) and run out of budget while converging.
    """
    check_callable(descend_until, "descend_until")
    c = Checker("descend_until")
    cases = [
        ("the parabola L(w) = (w - 3)^2 / 2 from w0 = 0 (left of the minimum), eta = 0.5, "
         "tol = 1e-3", lambda w: w - 3.0, 0.0, 0.5, 1e-3, 100),
        ("the same parabola from w0 = 7.5 (right of the minimum), eta = 0.3, tol = 1e-6",
         lambda w: w - 3.0, 7.5, 0.3, 1e-6, 100),
        ("a steep parabola L(w) = 2 (w + 1)^2 from w0 = 2, eta = 0.1, tol = 1e-8",
         lambda w: 4.0 * (w + 1.0), 2.0, 0.1, 1e-8, 200),
        ("L(w) = log cosh(w - 1) from w0 = 3, eta = 1, tol = 1e-10",
         lambda w: float(np.tanh(w - 1.0)), 3.0, 1.0, 1e-10, 100),
        ("a start at the minimum (w0 = 3): no update is needed",
         lambda w: w - 3.0, 3.0, 0.5, 1e-6, 10),
        ("a small learning rate (eta = 0.01) whose budget of max_steps = 50 runs out first",
         lambda w: w - 3.0, 0.0, 0.01, 1e-6, 50),
        ("a learning rate above the threshold (eta = 2.5): only max_steps = 15 stops it",
         lambda w: w - 3.0, 0.0, 2.5, 1e-6, 15),
    ]
    for description, grad, w0, eta, tol, max_steps in cases:
        with c.case(description):
            budget = CallBudget(grad, 2 * max_steps + 4,
                                f"the loop called grad more than {2 * max_steps + 4} times; it "
                                f"must stop after max_steps = {max_steps} updates.")
            out = c.call(descend_until, budget, w0, eta, tol, max_steps)
            path = c.numbers(out, what="the path")
            expected = _reference_until(grad, w0, eta, tol, max_steps)
            _compare_paths(c, path, expected, w0, grad, tol)
    return c.feedback()


def _reference_newton(grad, hess, w0, steps):
    # The minimum of the local parabola L(w_k) + L'(w_k) d + L''(w_k) d^2 / 2 is at
    # d = -L'(w_k) / L''(w_k).
    path = [float(w0)]
    for _ in range(steps):
        path.append(path[-1] - grad(path[-1]) / hess(path[-1]))
    return np.array(path)


def check_newton_1d(newton_1d) -> Feedback:
    r"""Check ``newton_1d(grad, hess, w0, steps) -> path``: Newton's method in one dimension.

    Each step moves to the minimum of the local quadratic model
    :math:`L(w_k) + L'(w_k)\,d + \tfrac12 L''(w_k)\,d^2`. The result holds the ``steps + 1``
    iterates, ``w0`` first, shape ``(steps + 1,)``. Hidden cases: a parabola (one step must land
    on the minimum), two non-quadratic convex losses, and zero steps.
    """
    check_callable(newton_1d, "newton_1d")
    c = Checker("newton_1d")
    with c.case("the parabola L(w) = (w + 1)^2 from w0 = 4, 2 steps"):
        grad, hess = (lambda w: 2.0 * (w + 1.0)), (lambda w: 2.0)
        path = c.numbers(c.call(newton_1d, grad, hess, 4.0, 2), what="the path")
        c.expect_shape(path, (3,), what="the path (w0 first, then one entry per step)")
        c.expect_close(path[0], 4.0, what="the first entry of the path (it is w0)")
        if path[1] > 4.0:
            c.expect_true(False, "your first step goes uphill, away from the minimum at -1.")
        c.expect_true(np.isclose(path[1], -1.0, rtol=0, atol=1e-12),
                      f"on a parabola the local quadratic model is the loss itself, so one "
                      f"step must land exactly on the minimum w = -1; yours lands at "
                      f"{path[1]:.6g}. Find the minimum of the model L(w_k) + L'(w_k) d + "
                      f"L''(w_k) d^2 / 2 over the step d.")
        c.expect_close(path, _reference_newton(grad, hess, 4.0, 2), what="the path")
    cases = [
        ("L(w) = exp(w) - 2 w from w0 = 0, 5 steps (the minimum is at log 2)",
         lambda w: np.exp(w) - 2.0, lambda w: np.exp(w), 0.0, 5),
        ("L(w) = log cosh(w - 1) from w0 = 1.5, 4 steps",
         lambda w: np.tanh(w - 1.0), lambda w: 1.0 - np.tanh(w - 1.0) ** 2, 1.5, 4),
        ("zero steps (the path is just w0)", lambda w: w, lambda w: 1.0, 2.5, 0),
    ]
    for description, grad, hess, w0, steps in cases:
        with c.case(description):
            path = c.numbers(c.call(newton_1d, grad, hess, w0, steps), what="the path")
            c.expect_shape(path, (steps + 1,), what="the path (w0 first, then one entry per step)")
            c.expect_close(path, _reference_newton(grad, hess, w0, steps), what="the path",
                           rtol=1e-9, atol=1e-12)
    return c.feedback()
