"""The exercise checks of chapters 0-2 pass right answers and name the usual slips.

Each check gets a correct solution (written here independently of the notebooks' reference
solutions), then the mistakes the teacher notes list; the feedback must fail and say the
specific thing the notes promise. Garbage and non-functions must not crash a check.
"""

from __future__ import annotations

import numpy as np
import pytest

from mathlib.activations import softmax
from mathlib.exercises import (
    check_descend_until,
    check_huber_gradient,
    check_line_search_descent,
    check_log_softmax_jacobian,
    check_masked_softmax,
    check_newton_1d,
    check_sparsemax,
)

# --- chapter 0 ---------------------------------------------------------------------------------


def descend_until(grad, w0, learning_rate, tol, max_steps):
    path = [w0]
    for _ in range(max_steps):
        if abs(grad(path[-1])) < tol:
            break
        path.append(path[-1] - learning_rate * grad(path[-1]))
    return np.array(path)


def descend_until_no_abs(grad, w0, learning_rate, tol, max_steps):
    path = [w0]
    for _ in range(max_steps):
        if grad(path[-1]) < tol:
            break
        path.append(path[-1] - learning_rate * grad(path[-1]))
    return np.array(path)


def descend_until_one_more(grad, w0, learning_rate, tol, max_steps):
    path = [w0]
    for _ in range(max_steps):
        path.append(path[-1] - learning_rate * grad(path[-1]))
        if abs(grad(path[-2])) < tol:
            break
    return np.array(path)


def descend_until_forever(grad, w0, learning_rate, tol, max_steps):
    path = [w0]
    while abs(grad(path[-1])) >= tol:
        path.append(path[-1] - learning_rate * grad(path[-1]))
    return np.array(path)


def test_descend_until():
    assert check_descend_until(descend_until).passed
    assert "a derivative can be negative" in str(check_descend_until(descend_until_no_abs))
    assert "one entry too many" in str(check_descend_until(descend_until_one_more))
    assert "must stop after max_steps" in str(check_descend_until(descend_until_forever))


def newton_1d(grad, hess, w0, steps):
    path = [w0]
    for _ in range(steps):
        path.append(path[-1] - grad(path[-1]) / hess(path[-1]))
    return np.array(path)


def test_newton_1d():
    assert check_newton_1d(newton_1d).passed

    def gradient_step(grad, hess, w0, steps):
        return newton_1d(grad, lambda w: 1.0, w0, steps)

    def uphill(grad, hess, w0, steps):
        return newton_1d(lambda w: -grad(w), hess, w0, steps)

    assert "land exactly on the minimum" in str(check_newton_1d(gradient_step))
    # uphill runs off to where log-cosh's curvature is 0 and divides by it: the learner's
    # mistake, reported as "uphill", not a warning of the test run
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        assert "uphill" in str(check_newton_1d(uphill))


# --- chapter 1 ---------------------------------------------------------------------------------


def huber_gradient(X, w, t, delta):
    return X.T @ np.clip(X @ w - t, -delta, delta)


def test_huber_gradient():
    assert check_huber_gradient(huber_gradient).passed
    slips = {
        "least-squares gradient": lambda X, w, t, d: X.T @ (X @ w - t),
        "below -delta must be limited": lambda X, w, t, d: X.T @ np.minimum(X @ w - t, d),
        "treated as an outlier": lambda X, w, t, d: X.T @ (d * np.sign(X @ w - t)),
    }
    for hint, slip in slips.items():
        assert hint in str(check_huber_gradient(slip)), hint

    def in_place(X, w, t, delta):
        w -= 0.0 * w + 1.0
        return huber_gradient(X, w + 1.0, t, delta)

    assert "changed one of its inputs" in str(check_huber_gradient(in_place))


def line_search_descent(A, b, w0, steps):
    path = [np.array(w0, dtype=float)]
    for _ in range(steps):
        g = A @ path[-1] - b
        gAg = g @ A @ g
        path.append(path[-1] if gAg == 0 else path[-1] - (g @ g) / gAg * g)
    return np.array(path)


def test_line_search_descent():
    assert check_line_search_descent(line_search_descent).passed

    def inverted(A, b, w0, steps):  # eta = g.A g / g.g: far too long on the chapter's loss
        path = [w0.copy()]
        for _ in range(steps):
            g = A @ path[-1] - b
            gg = g @ g
            path.append(path[-1] if gg == 0 else path[-1] - (g @ A @ g) / gg * g)
        return np.array(path)

    def no_guard(A, b, w0, steps):
        path = [w0.copy()]
        for _ in range(steps):
            g = A @ path[-1] - b
            with np.errstate(invalid="ignore"):
                path.append(path[-1] - (g @ g) / (g @ A @ g) * g)
        return np.array(path)

    assert "overshoots" in str(check_line_search_descent(inverted))
    assert "0 / 0 is not a step size" in str(check_line_search_descent(no_guard))


# --- chapter 2 ---------------------------------------------------------------------------------


def masked_softmax(Z, mask):
    S = np.where(mask, Z, -np.inf)
    E = np.exp(S - S.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def test_masked_softmax():
    assert check_masked_softmax(masked_softmax).passed

    def not_renormalised(Z, mask):
        return softmax(Z) * mask

    def max_over_all(Z, mask):
        E = np.exp(Z - Z.max(axis=1, keepdims=True)) * mask
        return E / E.sum(axis=1, keepdims=True)

    def finite_penalty(Z, mask):
        return softmax(Z - 100.0 * ~mask)

    assert "do not sum to 1" in str(check_masked_softmax(not_renormalised))
    assert "NumPy warned" in str(check_masked_softmax(max_over_all))
    assert "exactly 0" in str(check_masked_softmax(finite_penalty))


def log_softmax_jacobian(z):
    return np.eye(z.size) - softmax(z)[None, :]


def test_log_softmax_jacobian():
    assert check_log_softmax_jacobian(log_softmax_jacobian).passed
    assert "swapped" in str(check_log_softmax_jacobian(lambda z: log_softmax_jacobian(z).T))

    def of_p(z):
        p = softmax(z)
        return np.diag(p) - np.outer(p, p)

    def naive(z):
        e = np.exp(z)
        return np.eye(z.size) - (e / e.sum())[None, :]

    assert "Jacobian of p, not of log p" in str(check_log_softmax_jacobian(of_p))
    assert "NumPy warned" in str(check_log_softmax_jacobian(naive))


def sparsemax(z):
    u = np.sort(z)[::-1]
    for k in range(z.size, 0, -1):  # the largest k whose k-th score stays above the threshold
        tau = (u[:k].sum() - 1.0) / k
        if u[k - 1] > tau:
            return np.maximum(z - tau, 0.0)
    raise AssertionError("unreachable: k = 1 always qualifies")


def test_sparsemax():
    assert check_sparsemax(sparsemax).passed

    def all_entries(z):  # the projection onto the plane sum p = 1, ignoring p >= 0
        return z - (z.sum() - 1.0) / z.size

    def sorted_result(z):
        return np.sort(sparsemax(z))[::-1]

    assert "negative entry" in str(check_sparsemax(all_entries))
    assert "sorted from largest to smallest" in str(check_sparsemax(sorted_result))
    assert "sums to" in str(check_sparsemax(softmax)) or not check_sparsemax(softmax).passed


# --- every check: stubs, garbage and non-functions -----------------------------------------

CHECKS = [check_descend_until, check_newton_1d, check_huber_gradient, check_line_search_descent,
          check_masked_softmax, check_log_softmax_jacobian, check_sparsemax]
GARBAGE = [None, "abc", np.nan, [[1.0, 2.0], [3.0]], {}, np.array(["a", "b"]), object(), True]


@pytest.mark.parametrize("check", CHECKS, ids=[c.__name__ for c in CHECKS])
def test_stubs_garbage_and_non_functions(check):
    def stub(*args):
        raise NotImplementedError()

    verdict = check(stub)
    assert not verdict.passed and "NotImplementedError" in str(verdict)
    assert verdict.checks_run >= 1
    for value in GARBAGE:
        verdict = check(lambda *args, value=value: value)
        assert not verdict.passed, value
    assert not check(lambda *args: args[0]).passed
    with pytest.raises(TypeError, match=check.__code__.co_varnames[0]):
        check(3)
