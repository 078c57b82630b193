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
from ._messages import msg

__all__ = ["check_descend_until", "check_newton_1d"]


def _reference_until(grad, w0, learning_rate, tol, max_steps):
    # Stop at the first w_k with |L'(w_k)| < tol (no step from it), or after max_steps updates.
    path = [float(w0)]
    while abs(grad(path[-1])) >= tol and len(path) <= max_steps:
        path.append(path[-1] - learning_rate * grad(path[-1]))
    return np.array(path)


def _compare_paths(c: Checker, path: np.ndarray, expected: np.ndarray, w0: float, grad, tol):
    """Name the typical length mistakes before comparing values."""
    c.expect_true(path.ndim == 1, msg("descent_1d.not_1d", shape=path.shape))
    c.expect_true(path.size >= 1 and np.isclose(path[0], w0, rtol=1e-12, atol=1e-12),
                  msg("descent_1d.first_is_w0"))
    n, m = path.size, expected.size
    if n == 1 and m > 1 and abs(grad(w0)) >= tol:
        c.expect_true(False, msg("descent_1d.stopped_at_w0", slope=abs(grad(w0))))
    if n == m + 1 and np.allclose(path[:m], expected, rtol=1e-9, atol=1e-12):
        c.expect_true(False, msg("descent_1d.one_too_many"))
    if n == m - 1 and np.allclose(path, expected[:n], rtol=1e-9, atol=1e-12):
        c.expect_true(False, msg("descent_1d.one_short"))
    c.expect_shape(path, expected.shape, what=msg("descent_1d.path_updates"))
    c.expect_close(path, expected, what=msg("descent_1d.path"), rtol=1e-9, atol=1e-12)


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
        (msg("descent_1d.case.left"), lambda w: w - 3.0, 0.0, 0.5, 1e-3, 100),
        (msg("descent_1d.case.right"), lambda w: w - 3.0, 7.5, 0.3, 1e-6, 100),
        (msg("descent_1d.case.steep"), lambda w: 4.0 * (w + 1.0), 2.0, 0.1, 1e-8, 200),
        (msg("descent_1d.case.logcosh"), lambda w: float(np.tanh(w - 1.0)), 3.0, 1.0, 1e-10, 100),
        (msg("descent_1d.case.at_minimum"), lambda w: w - 3.0, 3.0, 0.5, 1e-6, 10),
        (msg("descent_1d.case.budget_small_eta"), lambda w: w - 3.0, 0.0, 0.01, 1e-6, 50),
        (msg("descent_1d.case.budget_diverges"), lambda w: w - 3.0, 0.0, 2.5, 1e-6, 15),
    ]
    for description, grad, w0, eta, tol, max_steps in cases:
        with c.case(description):
            budget = CallBudget(grad, 2 * max_steps + 4,
                                msg("descent_1d.budget", limit=2 * max_steps + 4,
                                    max_steps=max_steps))
            out = c.call(descend_until, budget, w0, eta, tol, max_steps)
            path = c.numbers(out, what=msg("descent_1d.path"))
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
    with c.case(msg("descent_1d.newton_parabola")):
        grad, hess = (lambda w: 2.0 * (w + 1.0)), (lambda w: 2.0)
        path = c.numbers(c.call(newton_1d, grad, hess, 4.0, 2), what=msg("descent_1d.path"))
        c.expect_shape(path, (3,), what=msg("descent_1d.path_steps"))
        c.expect_close(path[0], 4.0, what=msg("descent_1d.path_first"))
        if path[1] > 4.0:
            c.expect_true(False, msg("descent_1d.newton_uphill"))
        c.expect_true(np.isclose(path[1], -1.0, rtol=0, atol=1e-12),
                      msg("descent_1d.newton_one_step", landed=path[1]))
        c.expect_close(path, _reference_newton(grad, hess, 4.0, 2), what=msg("descent_1d.path"))
    cases = [
        (msg("descent_1d.case.newton_exp"),
         lambda w: np.exp(w) - 2.0, lambda w: np.exp(w), 0.0, 5),
        (msg("descent_1d.case.newton_logcosh"),
         lambda w: np.tanh(w - 1.0), lambda w: 1.0 - np.tanh(w - 1.0) ** 2, 1.5, 4),
        (msg("descent_1d.case.newton_zero"), lambda w: w, lambda w: 1.0, 2.5, 0),
    ]
    for description, grad, hess, w0, steps in cases:
        with c.case(description):
            path = c.numbers(c.call(newton_1d, grad, hess, w0, steps),
                             what=msg("descent_1d.path"))
            c.expect_shape(path, (steps + 1,), what=msg("descent_1d.path_steps"))
            c.expect_close(path, _reference_newton(grad, hess, w0, steps),
                           what=msg("descent_1d.path"), rtol=1e-9, atol=1e-12)
    return c.feedback()
