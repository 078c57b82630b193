"""Checks for the coding exercises of chapter 6: finite differences beyond the gradient.

- ``numerical_jacobian(f, x, h) -> J``: central differences for a function with a vector output.
- ``directional_derivatives(f, g, w, V, h) -> (numerical, claimed)``: the cheap gradient check
  along a few directions, two loss evaluations per direction instead of two per parameter.
"""

from __future__ import annotations

import numpy as np

from ._core import Checker, Feedback
from ._messages import msg

__all__ = ["check_numerical_jacobian", "check_directional_derivatives"]



# --- the Jacobian ---------------------------------------------------------------------------


def _softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


def _central_jacobian(f, x, h):
    """Reference: column j is (f(x + h e_j) - f(x - h e_j)) / 2h, on copies of x."""
    cols = []
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = h
        cols.append((np.asarray(f(x + step)) - np.asarray(f(x - step))) / (2 * h))
    return np.stack(cols, axis=1)  # (m, n)


def check_numerical_jacobian(numerical_jacobian) -> Feedback:
    r"""Check ``numerical_jacobian(f, x, h) -> J``.

    For a function ``f`` from a float64 vector ``x (n,)`` to a vector ``(m,)``, ``J`` has shape
    ``(m, n)`` with :math:`J_{ij} = (f_i(x + h e_j) - f_i(x - h e_j)) / 2h`: row ``i`` holds the
    derivatives of output ``i``, column ``j`` those with respect to input ``j``. After the call
    ``x`` must hold its original values. Hidden cases: a linear map with more inputs than
    outputs (``J`` is its matrix; a transposed result is named), a square non-symmetric linear
    map, an element-wise function (a diagonal ``J``), the softmax (whose Jacobian is
    :math:`\operatorname{diag}(p) - pp^\top`), a single output (``m = 1``), and a large ``h``
    on a cubic that tells the central formula from the one-sided one.
    """
    c = Checker("numerical_jacobian")
    rng = np.random.default_rng(616)
    A = rng.standard_normal((3, 5))
    S = rng.standard_normal((3, 3))
    cases = [
        (msg("finite_differences.case.linear"), lambda v: A @ v,
         rng.standard_normal(5), A),
        (msg("finite_differences.case.square"), lambda v: S @ v,
         rng.standard_normal(3), S),
        (msg("finite_differences.case.elementwise"), lambda v: v * np.sin(v),
         np.array([0.3, -1.0, 2.0, 0.0]), None),
        (msg("finite_differences.case.softmax"), _softmax, np.array([1.0, -0.5, 2.0, 0.1]), None),
        (msg("finite_differences.case.one_output"),
         lambda v: np.array([np.sum(v**2)]), np.array([1.0, -2.0, 0.5]), None),
    ]
    for description, f, x, exact in cases:
        with c.case(description):
            x_in = x.copy()
            J = c.numbers(c.call(numerical_jacobian, f, x_in, 1e-5), "J")
            c.expect_true(np.array_equal(x_in, x),
                          msg("finite_differences.x_changed"))
            m, n = np.asarray(f(x)).size, x.size
            if J.shape == (n, m) and m != n:
                c.expect_true(False, msg("finite_differences.J_nm", shape=J.shape,
                                         expected=(m, n)))
            c.expect_shape(J, (m, n), what=msg("finite_differences.J_shape"))
            c.expect_finite(J, what="J")
            reference = _central_jacobian(f, x, 1e-5) if exact is None else exact
            if (exact is not None and exact.shape == exact.T.shape
                    and np.allclose(J, exact.T, rtol=1e-6, atol=1e-8)
                    and not np.allclose(exact, exact.T)):
                c.expect_true(False, msg("finite_differences.J_transposed"))
            c.expect_close(J, reference, what="J", rtol=1e-6, atol=1e-8, show_expected=False)
    with c.case(msg("finite_differences.case.cube")):
        # central: 3 x^2 + h^2 = 3.01, 12.01; one-sided: 3 x^2 + 3 x h + h^2 = 3.31, 12.61
        x = np.array([1.0, 2.0])
        J = c.numbers(c.call(numerical_jacobian, lambda v: v**3, x, 0.1), "J")
        c.expect_shape(J, (2, 2), what="J")
        diag = np.diag(J)
        if np.allclose(diag, [3.31, 12.61], atol=1e-6):
            c.expect_true(False, msg("finite_differences.one_sided_x"))
        if np.allclose(diag, [6.02, 24.02], atol=1e-6):
            c.expect_true(False, msg("finite_differences.twice"))
        c.expect_close(J, np.diag([3.01, 12.01]), what=msg("finite_differences.J_large_h"),
                       rtol=1e-9, atol=1e-9, show_expected=False)
    return c.feedback()


# --- directional derivatives ------------------------------------------------------------------


def _quadratic(w):
    # f(w) = sum_i (i + 1) w_i^2 / 2, gradient (i + 1) w_i
    return float(0.5 * np.sum(np.arange(1, w.size + 1) * w.ravel() ** 2))


def _logsumexp(w):
    m = w.max()
    return float(m + np.log(np.exp(w - m).sum()))


def _lse_grad(w):
    e = np.exp(w - w.max())
    return e / e.sum()


def _reference(f, g, w, V, h):
    numerical = np.array([(f(w + h * v) - f(w - h * v)) / (2 * h) for v in V])
    claimed = np.array([np.sum(g * v) for v in V])
    return numerical, claimed


def check_directional_derivatives(directional_derivatives) -> Feedback:
    r"""Check ``directional_derivatives(f, g, w, V, h) -> (numerical, claimed)``.

    ``f`` maps a float64 array ``w`` (any shape) to a float, ``g`` is a claimed gradient (the
    shape of ``w``), and ``V (R, *w.shape)`` holds ``R`` directions. For each direction
    :math:`v_r` the function returns the central difference along it,
    :math:`(f(w + h v_r) - f(w - h v_r)) / 2h`, and the claimed slope
    :math:`\sum_i g_i (v_r)_i` (a sum over *all* entries, for any shape of ``w``): two arrays of
    shape ``(R,)``. ``w`` and ``V`` must not be changed. Hidden cases: a quadratic on a vector
    with the right gradient, log-sum-exp on a matrix with a gradient that is wrong in one
    entry, directions that are not unit vectors, and a large ``h`` on a cubic.
    """
    c = Checker("directional_derivatives")
    rng = np.random.default_rng(626)
    w_vec = rng.standard_normal(5)
    w_mat = rng.standard_normal((3, 4))
    wrong = _lse_grad(w_mat).copy()
    wrong[1, 2] += 0.3
    cases = [
        (msg("finite_differences.case.quadratic"), _quadratic,
         np.arange(1, 6) * w_vec, w_vec, rng.standard_normal((3, 5)), 1e-5),
        (msg("finite_differences.case.logsumexp"),
         _logsumexp, wrong, w_mat, rng.standard_normal((4, 3, 4)), 1e-5),
        (msg("finite_differences.case.lengths"), _quadratic,
         np.arange(1, 6) * w_vec, w_vec,
         np.stack([10 * np.eye(5)[1], 0.1 * np.ones(5) / np.sqrt(5)]), 1e-5),
    ]
    for description, f, g, w, V, h in cases:
        with c.case(description):
            w_in, V_in, g_in = w.copy(), V.copy(), g.copy()
            out = c.call(directional_derivatives, f, g_in, w_in, V_in, h)
            c.expect_true(isinstance(out, tuple | list) and len(out) == 2,
                          msg("finite_differences.pair"))
            numerical, claimed = (c.numbers(v, name) for v, name in
                                  zip(out, ("numerical", "claimed"), strict=True))
            c.expect_true(np.array_equal(w_in, w) and np.array_equal(V_in, V)
                          and np.array_equal(g_in, g),
                          msg("finite_differences.inputs_changed"))
            R = V.shape[0]
            if claimed.ndim > 1:
                c.expect_true(False, msg("finite_differences.claimed_not_scalar",
                                         shape=claimed.shape))
            c.expect_shape(numerical, (R,), what=msg("finite_differences.numerical_shape"))
            c.expect_shape(claimed, (R,), what=msg("finite_differences.claimed_shape"))
            ref_num, ref_claimed = _reference(f, g, w, V, h)
            if np.allclose(numerical, ref_claimed, rtol=1e-6) and \
                    np.allclose(claimed, ref_num, rtol=1e-6) and \
                    not np.allclose(ref_num, ref_claimed, rtol=1e-6):
                c.expect_true(False, msg("finite_differences.swapped"))
            lengths = np.sqrt((V.reshape(R, -1) ** 2).sum(axis=1))
            if not np.allclose(lengths, 1) and np.allclose(numerical, ref_num / lengths,
                                                           rtol=1e-5):
                c.expect_true(False, msg("finite_differences.unit_directions"))
            c.expect_close(numerical, ref_num, what="numerical", rtol=1e-6, atol=1e-8,
                           show_expected=False)
            c.expect_close(claimed, ref_claimed, what="claimed", rtol=1e-9, atol=1e-12,
                           show_expected=False)
    with c.case(msg("finite_differences.case.sum_cubes")):
        # central: 3 + 12 + 2 h^2 = 15.02; one-sided: 15 + 3 h (1 + 2) + 2 h^2 = 15.92
        w = np.array([1.0, 2.0])
        out = c.call(directional_derivatives, lambda v: float(np.sum(v**3)), 3 * w**2, w,
                     np.ones((1, 2)), 0.1)
        c.expect_true(isinstance(out, tuple | list) and len(out) == 2,
                      msg("finite_differences.pair"))
        numerical = c.numbers(out[0], "numerical")
        c.expect_shape(numerical, (1,), what="numerical")
        if np.isclose(numerical[0], 15.92, atol=1e-6):
            c.expect_true(False, msg("finite_differences.one_sided_w"))
        if np.isclose(numerical[0], 30.04, atol=1e-6):
            c.expect_true(False, msg("finite_differences.twice"))
        c.expect_close(numerical[0], 15.02, what=msg("finite_differences.slope_large_h"),
                       rtol=1e-9, atol=1e-9, show_expected=False)
    return c.feedback()
