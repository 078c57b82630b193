"""Checks for the coding exercises of chapter 1: variants of least squares and its descent.

``check_huber_gradient`` checks the gradient of the Huber loss, a least-squares loss that
grows only linearly for large residuals; ``check_line_search_descent`` checks steepest descent
with the exactly best step along the gradient on a quadratic.
"""

from __future__ import annotations

import numpy as np

from mathlib.checks import check_callable
from mathlib.gradcheck import numerical_gradient

from ._core import Checker, Feedback
from ._messages import msg

__all__ = ["check_huber_gradient", "check_line_search_descent"]

_X4 = np.array([[1.0, 1.0], [3.0, 1.0], [5.0, 1.0], [7.0, 1.0]])
_T4 = np.array([1.0, 4.0, 4.0, 8.0])


def _huber_loss(X, w, t, delta):
    # h(r) = r^2 / 2 for |r| <= delta, delta (|r| - delta / 2) beyond: summed over the points
    r = np.abs(X @ w - t)
    return float(np.sum(np.where(r <= delta, 0.5 * r**2, delta * (r - 0.5 * delta))))


def _huber_cases(rng):
    """Hidden (description, X, w, t, delta); no residual lies within 1e-3 of +-delta (a kink)."""
    cases = [
        (msg("least_squares.case.chapter"), _X4, np.array([1.0, 1.0]), _T4, 1.5),
        (msg("least_squares.case.outlier"), _X4, np.array([1.0, 0.5]),
         np.array([1.0, 4.0, 4.0, 20.0]), 1.0),
        (msg("least_squares.case.inside"), _X4, np.array([1.05, 0.05]), _T4, 10.0),
    ]
    for N, D, delta in [(12, 3, 0.5), (6, 1, 1.0), (20, 4, 2.0)]:
        while True:  # draw until no residual sits on a kink, where the gradient jumps
            X, w = rng.standard_normal((N, D)), rng.standard_normal(D)
            t = X @ w + 2.0 * rng.standard_normal(N)
            if np.min(np.abs(np.abs(X @ w - t) - delta)) > 1e-3:
                break
        cases.append((msg("least_squares.case.random", N=N, D=D, delta=delta), X, w, t, delta))
    return cases


def _huber_hint(grad, X, w, t, delta):
    """A hint for the usual slips, judged against what each slip would return."""
    r = X @ w - t
    slips = [
        (X.T @ r, msg("least_squares.slip_least_squares")),
        (X.T @ np.minimum(r, delta), msg("least_squares.slip_one_sided")),
        (X.T @ (delta * np.sign(r)), msg("least_squares.slip_all_outliers")),
    ]
    for value, hint in slips:
        if grad.shape == value.shape and np.allclose(grad, value, rtol=1e-9, atol=1e-12):
            return hint
    return None


def check_huber_gradient(huber_gradient) -> Feedback:
    r"""Check ``huber_gradient(X, w, t, delta) -> grad`` of the Huber loss.

    .. math:: L_\delta(w) = \sum_n h_\delta(x_n^\top w - t_n), \qquad
              h_\delta(r) = \begin{cases} r^2/2 & |r| \le \delta \\
              \delta\,(|r| - \delta/2) & |r| > \delta \end{cases}

    Shapes: ``X (N, D)``, ``w (D,)``, ``t (N,)``, ``delta > 0`` -> ``grad (D,)``. Compared with
    central differences of the loss on hidden cases (no residual on a kink); the inputs must not
    change; the usual slips (plain least squares, one-sided limit) get a targeted hint.
    """
    check_callable(huber_gradient, "huber_gradient")
    c = Checker("huber_gradient")
    rng = np.random.default_rng(111)
    for description, X, w, t, delta in _huber_cases(rng):
        with c.case(description):
            X_in, w_in, t_in = X.copy(), w.copy(), t.copy()
            grad = c.numbers(c.call(huber_gradient, X_in, w_in, t_in, delta),
                                what=msg("least_squares.gradient"))
            c.expect_true(
                np.array_equal(X_in, X) and np.array_equal(w_in, w) and np.array_equal(t_in, t),
                msg("least_squares.huber_inputs_changed"),
            )
            c.expect_shape(grad, w.shape, what=msg("least_squares.gradient_per_weight"))
            c.expect_finite(grad, what=msg("least_squares.gradient"))
            hint = _huber_hint(grad, X, w, t, delta)
            numerical = numerical_gradient(lambda v, X=X, t=t, d=delta: _huber_loss(X, v, t, d),
                                           w.copy())
            if hint is not None and not np.allclose(grad, numerical, rtol=1e-6, atol=1e-8):
                c.expect_true(False, hint)
            c.expect_gradient(grad, numerical, what=msg("least_squares.gradient"), tol=1e-6)
    with c.case(msg("least_squares.case.exact_fit")):
        X, w = np.array([[1.0, 1.0], [2.0, 1.0], [4.0, 1.0]]), np.array([0.5, -1.0])
        grad = c.numbers(c.call(huber_gradient, X, w.copy(), X @ w, 1.0),
                            what=msg("least_squares.gradient"))
        c.expect_shape(grad, (2,), what=msg("least_squares.gradient"))
        c.expect_close(grad, np.zeros(2), what=msg("least_squares.gradient_exact_fit"), atol=1e-12)
    return c.feedback()


def _reference_line_search(A, b, w0, steps):
    # g = A w - b; the step eta = g.g / g.A g minimises L(w - eta g); stay put where g = 0
    path = [np.array(w0, dtype=float)]
    for _ in range(steps):
        w = path[-1]
        g = A @ w - b
        curvature = g @ A @ g
        path.append(w.copy() if curvature == 0 else w - (g @ g) / curvature * g)
    return np.array(path)


def _line_search_cases(rng):
    M = rng.standard_normal((3, 3))
    A3 = M @ M.T + 3.0 * np.eye(3)  # symmetric positive definite
    A_chapter = _X4.T @ _X4
    return [
        (msg("least_squares.case.line_chapter"),
         A_chapter, _X4.T @ _T4, np.array([1.0, 1.0]), 6),
        (msg("least_squares.case.line_one_weight"),
         np.array([[4.0]]), np.array([2.0]), np.array([3.0]), 2),
        (msg("least_squares.case.line_bowl"),
         A3, rng.standard_normal(3), rng.standard_normal(3), 5),
        (msg("least_squares.case.line_at_minimum"), np.diag([2.0, 5.0]),
         np.array([2.0, 5.0]), np.array([1.0, 1.0]), 3),
    ]


def check_line_search_descent(line_search_descent) -> Feedback:
    r"""Check ``line_search_descent(A, b, w0, steps) -> path``: steepest descent, best step.

    On :math:`L(w) = \tfrac12 w^\top A w - b^\top w` (``A (D, D)`` symmetric positive
    definite, ``b (D,)``) each step goes along :math:`-g`, :math:`g = Aw - b`, by the step size
    that minimises :math:`L` on that line; where :math:`g = 0` the iterate stays. Returns the
    ``steps + 1`` iterates as rows, ``(steps + 1, D)``; ``A``, ``b`` and ``w0`` must not
    change. A wrong step size is reported through its symptom: along the best step, the new
    gradient is orthogonal to the old one.
    """
    check_callable(line_search_descent, "line_search_descent")
    c = Checker("line_search_descent")
    rng = np.random.default_rng(112)
    for description, A, b, w0, steps in _line_search_cases(rng):
        with c.case(description):
            A_in, b_in, w0_in = A.copy(), b.copy(), w0.copy()
            out = c.call(line_search_descent, A_in, b_in, w0_in, steps)
            path = c.numbers(out, what=msg("least_squares.path"))
            c.expect_true(
                np.array_equal(A_in, A) and np.array_equal(b_in, b) and np.array_equal(w0_in, w0),
                msg("least_squares.line_inputs_changed"),
            )
            c.expect_shape(path, (steps + 1, w0.size),
                           what=msg("least_squares.path_rows"))
            c.expect_finite(path, what=msg("least_squares.path_finite"))
            c.expect_close(path[0], w0, what=msg("least_squares.path_first_row"))
            g0, g1 = A @ path[0] - b, A @ path[1] - b
            if np.linalg.norm(g0) > 0:
                cosine = (g0 @ g1) / (np.linalg.norm(g0) * max(np.linalg.norm(g1), 1e-300))
                c.expect_true(
                    np.linalg.norm(g1) < 1e-12 * np.linalg.norm(g0) or abs(cosine) < 1e-8,
                    msg("least_squares.not_orthogonal", cosine=cosine,
                        verdict=msg("least_squares.too_short") if cosine > 0
                        else msg("least_squares.overshoots")),
                )
            c.expect_close(path, _reference_line_search(A, b, w0, steps),
                           what=msg("least_squares.path"), rtol=1e-9, atol=1e-12)
    return c.feedback()
