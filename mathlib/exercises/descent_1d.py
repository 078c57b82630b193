"""Checks for the warm-up exercise of chapter 0: gradient descent in one dimension."""

from __future__ import annotations

import numpy as np

from ._core import Checker, Feedback

__all__ = ["check_gradient_descent_1d"]


def _reference_path(grad, w0, learning_rate, steps):
    # w_{k+1} = w_k - eta * L'(w_k), with w_0 first: steps + 1 iterates
    path = [float(w0)]
    for _ in range(steps):
        path.append(path[-1] - learning_rate * grad(path[-1]))
    return np.array(path)


def check_gradient_descent_1d(gradient_descent_1d) -> Feedback:
    """Check ``gradient_descent_1d(grad, w0, learning_rate, steps) -> path``.

    The learner's function must return the ``steps + 1`` iterates ``w_0, ..., w_steps`` of
    :math:`w_{k+1} = w_k - \\eta L'(w_k)` as a 1-D array of shape ``(steps + 1,)``.
    """
    c = Checker("gradient_descent_1d")
    cases = [
        ("the parabola L(w) = (w - 3)^2 / 2 from w0 = 0 with eta = 0.5, 4 steps",
         lambda w: w - 3.0, 0.0, 0.5, 4),
        ("a steep parabola L(w) = 2 (w + 1)^2 from w0 = 2 with eta = 0.1, 6 steps",
         lambda w: 4.0 * (w + 1.0), 2.0, 0.1, 6),
        ("a learning rate that overshoots (eta = 1.5 on L(w) = w^2 / 2), 3 steps",
         lambda w: w, 1.0, 1.5, 3),
    ]
    for description, grad, w0, eta, steps in cases:
        with c.case(description):
            path = c.call(gradient_descent_1d, grad, w0, eta, steps)
            c.expect_shape(path, (steps + 1,), what="the path (w0 first, then one entry per step)")
            c.expect_close(np.asarray(path)[0], w0, what="the first entry of the path (it is w0)")
            c.expect_close(path, _reference_path(grad, w0, eta, steps), what="the path")
    with c.case("zero steps"):
        path = c.call(gradient_descent_1d, lambda w: w, 5.0, 0.1, 0)
        c.expect_shape(path, (1,), what="the path for steps = 0 (just w0)")
    return c.feedback()
