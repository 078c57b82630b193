"""Checks for the coding exercises of chapter 2: variants of the softmax.

``check_masked_softmax`` checks a softmax that gives some classes probability exactly 0;
``check_log_softmax_jacobian`` checks the Jacobian of the log-softmax;
``check_sparsemax`` checks sparsemax, the Euclidean projection of the scores onto the
probability simplex.
"""

from __future__ import annotations

import numpy as np

from mathlib.activations import log_softmax, softmax
from mathlib.checks import check_callable
from mathlib.gradcheck import numerical_gradient

from ._core import Checker, Feedback
from ._messages import msg

__all__ = ["check_masked_softmax", "check_log_softmax_jacobian", "check_sparsemax"]

def _reference_masked(Z, mask):
    # softmax over the allowed entries of each row; masked entries are exactly 0
    shifted = np.where(mask, Z, -np.inf)
    E = np.exp(shifted - shifted.max(axis=1, keepdims=True))  # exp(-inf) = 0
    return E / E.sum(axis=1, keepdims=True)


def check_masked_softmax(masked_softmax) -> Feedback:
    r"""Check ``masked_softmax(Z, mask) -> P``: a softmax restricted to the allowed classes.

    Shapes: ``Z (N, K)`` scores, ``mask (N, K)`` booleans (``True`` = allowed, at least one per
    row) -> ``P (N, K)``. Allowed entries get :math:`e^{z_k} / \sum_{j \text{ allowed}}
    e^{z_j}`, masked ones exactly 0. Hidden cases include logits of +-1000 and a masked entry
    whose score is far above every allowed one; a floating-point warning is a problem.
    """
    check_callable(masked_softmax, "masked_softmax")
    c = Checker("masked_softmax")
    rng = np.random.default_rng(203)
    odd = np.arange(10) % 2 == 1
    cases = [
        (msg("softmax.case.small"),
         np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]), np.ones((2, 3), dtype=bool)),
        (msg("softmax.case.masked_batch"),
         rng.standard_normal((4, 5)),
         np.array([[1, 0, 1, 1, 0], [0, 1, 1, 1, 1], [1, 1, 0, 0, 0], [0, 0, 0, 0, 1]], bool)),
        (msg("softmax.case.odd_digits"),
         rng.standard_normal((1, 10)) * 3, odd[None, :]),
        (msg("softmax.case.masked_far_above"),
         np.array([[1000.0, 0.5, -0.3, 1.2]]), np.array([[False, True, True, True]])),
        (msg("softmax.case.huge_logits"),
         np.array([[1000.0, 999.0, -1000.0], [-1000.0, -1001.0, -1002.0]]),
         np.array([[True, True, True], [True, False, True]])),
        (msg("softmax.case.single_allowed"), np.array([[5.0, -2.0, 0.0], [0.0, 0.0, 0.0]]),
         np.array([[False, True, False], [False, False, True]])),
    ]
    overflow = msg("softmax.overflow_hint")
    for description, Z, mask in cases:
        with c.case(description):
            Z_in, mask_in = Z.copy(), mask.copy()
            out = c.call_quietly(masked_softmax, Z_in, mask_in, hint=overflow)
            P = c.numbers(out, what="P")
            c.expect_true(np.array_equal(Z_in, Z) and np.array_equal(mask_in, mask),
                          msg("softmax.masked_changed"))
            c.expect_shape(P, Z.shape, what=msg("softmax.P_per_entry"))
            c.expect_finite(P, what="P")
            if np.any(P[~mask] != 0):
                worst = np.abs(P[~mask]).max()
                c.expect_true(False, msg("softmax.masked_nonzero", worst=worst))
            c.expect_true(np.allclose(P.sum(axis=1), 1.0, rtol=0, atol=1e-12),
                          msg("softmax.masked_rows_sum"))
            c.expect_close(P, _reference_masked(Z, mask), what="P", rtol=1e-9, atol=1e-12)
    with c.case(msg("softmax.case.shift")):
        Z, mask = rng.standard_normal((1, 6)), np.array([[True, False, True, True, False, True]])
        P = c.numbers(c.call_quietly(masked_softmax, Z.copy(), mask.copy(), hint=overflow),
                      what="P")
        P_shift = c.numbers(c.call_quietly(masked_softmax, Z + 500.0, mask.copy(),
                                           hint=overflow), what="P")
        c.expect_close(P_shift, P, what=msg("softmax.shifted"),
                       rtol=1e-9, atol=1e-12, show_expected=False)
    return c.feedback()


def check_log_softmax_jacobian(log_softmax_jacobian) -> Feedback:
    r"""Check ``log_softmax_jacobian(z) -> J``, :math:`J_{ij} = \partial \log p_i / \partial z_j`.

    Shapes: ``z (K,)`` -> ``J (K, K)``, row ``i`` the gradient of :math:`\log p_i`. Compared
    with central differences of ``mathlib.activations.log_softmax`` on hidden score vectors,
    including large logits (a floating-point warning is a problem); swapped rows and columns
    and the Jacobian of :math:`p` instead of :math:`\log p` get a targeted hint.
    """
    check_callable(log_softmax_jacobian, "log_softmax_jacobian")
    c = Checker("log_softmax_jacobian")
    rng = np.random.default_rng(303)
    cases = [
        ("z = [1, 2, 3]", np.array([1.0, 2.0, 3.0])),
        (msg("softmax.case.equal"), np.zeros(4)),
        (msg("softmax.case.random", K=6), rng.standard_normal(6)),
        (msg("softmax.case.two_classes"), np.array([0.5, -1.5])),
        (msg("softmax.case.large_800"), np.array([800.0, 801.0, 799.5])),
        (msg("softmax.case.far_below"), np.array([0.0, -1000.0, 2.0])),
    ]
    overflow = msg("softmax.overflow_hint")
    for description, z in cases:
        with c.case(description):
            z_in = z.copy()
            out = c.call_quietly(log_softmax_jacobian, z_in, hint=overflow)
            J = c.numbers(out, what="J")
            K = z.size
            c.expect_true(np.array_equal(z_in, z), msg("softmax.z_changed"))
            c.expect_shape(J, (K, K), what=msg("softmax.J_shape"))
            c.expect_finite(J, what="J")
            numerical = np.array([numerical_gradient(lambda v, i=i: log_softmax(v)[i], z.copy())
                                  for i in range(K)])  # (K, K), row i = gradient of log p_i
            if not np.allclose(J, numerical, rtol=1e-6, atol=1e-8):
                p = softmax(z)
                if np.allclose(J.T, numerical, rtol=1e-6, atol=1e-8):
                    c.expect_true(False, msg("softmax.J_swapped"))
                if np.allclose(J, np.diag(p) - np.outer(p, p), rtol=1e-6, atol=1e-12):
                    c.expect_true(False, msg("softmax.J_of_p"))
            c.expect_gradient(J, numerical, what="J", tol=1e-6)
    return c.feedback()


def _reference_sparsemax(z):
    # p = max(z - tau, 0): the support is the k largest scores with 1 + k u_k > sum_{j<=k} u_j
    u = np.sort(z)[::-1]
    cumulative = np.cumsum(u) - 1.0
    k = np.arange(1, z.size + 1)
    support = k[u - cumulative / k > 0][-1]
    tau = cumulative[support - 1] / support
    return np.maximum(z - tau, 0.0)


def check_sparsemax(sparsemax) -> Feedback:
    r"""Check ``sparsemax(z) -> p``: the point of the probability simplex closest to ``z``.

    Shapes: ``z (K,)`` -> ``p (K,)``, with :math:`p_k = \max(z_k - \tau, 0)` and the threshold
    :math:`\tau` that makes :math:`\sum_k p_k = 1` (Martins and Astudillo, 2016). Hidden cases:
    scores where some or none of the classes get 0, ties, one class, large shifted scores, and
    unsorted scores (the result must follow the order of ``z``).
    """
    check_callable(sparsemax, "sparsemax")
    c = Checker("sparsemax")
    rng = np.random.default_rng(404)
    cases = [
        (msg("softmax.case.far_ahead"), np.array([1.0, 2.0, 3.0])),
        (msg("softmax.case.close"), np.array([0.1, 0.2, 0.3])),
        (msg("softmax.case.equal"), np.zeros(4)),
        (msg("softmax.case.unsorted"), np.array([0.9, 3.0, -2.0, 1.0, 2.5])),
        (msg("softmax.case.tie"), np.array([2.0, 2.0, 0.0])),
        (msg("softmax.case.single"), np.array([-7.0])),
        (msg("softmax.case.large_scores"), np.array([1000.3, 1000.1, 999.0])),
        (msg("softmax.case.random", K=10), rng.standard_normal(10)),
    ]
    for description, z in cases:
        with c.case(description):
            z_in = z.copy()
            p = c.numbers(c.call_quietly(sparsemax, z_in, hint=msg("softmax.sparsemax_hint")),
                          what="p")
            expected = _reference_sparsemax(z)
            c.expect_true(np.array_equal(z_in, z), msg("softmax.z_changed_sort"))
            c.expect_shape(p, z.shape, what=msg("softmax.p_per_score"))
            c.expect_finite(p, what="p")
            c.expect_true(np.all(p >= 0), msg("softmax.p_negative", minimum=p.min()))
            c.expect_true(abs(p.sum() - 1.0) < 1e-9, msg("softmax.p_sum", total=p.sum()))
            if z.size > 1 and not np.array_equal(np.argsort(-z, kind="stable"),
                                                 np.arange(z.size)):
                c.expect_true(not np.allclose(p, np.sort(expected)[::-1], atol=1e-9),
                              msg("softmax.p_sorted"))
            c.expect_true(np.array_equal(p == 0, expected == 0), msg("softmax.p_zeros"))
            c.expect_close(p, expected, what="p", rtol=1e-9, atol=1e-12)
    return c.feedback()
