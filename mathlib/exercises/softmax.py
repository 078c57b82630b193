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

__all__ = ["check_masked_softmax", "check_log_softmax_jacobian", "check_sparsemax"]

_OVERFLOW_HINT = ("some exponential overflows or a division is 0/0. Use the shift invariance of "
                  "softmax, with a shift that suits the classes that are allowed.")


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
        ("two rows of small scores, every class allowed",
         np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]), np.ones((2, 3), dtype=bool)),
        ("a batch of 4 random rows with K = 5 and some classes masked",
         rng.standard_normal((4, 5)),
         np.array([[1, 0, 1, 1, 0], [0, 1, 1, 1, 1], [1, 1, 0, 0, 0], [0, 0, 0, 0, 1]], bool)),
        ("ten digit scores where only the odd digits are allowed",
         rng.standard_normal((1, 10)) * 3, odd[None, :]),
        ("a masked class whose score (1000) is far above every allowed one",
         np.array([[1000.0, 0.5, -0.3, 1.2]]), np.array([[False, True, True, True]])),
        ("huge logits (around +-1000) on allowed classes",
         np.array([[1000.0, 999.0, -1000.0], [-1000.0, -1001.0, -1002.0]]),
         np.array([[True, True, True], [True, False, True]])),
        ("rows with a single allowed class", np.array([[5.0, -2.0, 0.0], [0.0, 0.0, 0.0]]),
         np.array([[False, True, False], [False, False, True]])),
    ]
    for description, Z, mask in cases:
        with c.case(description):
            Z_in, mask_in = Z.copy(), mask.copy()
            out = c.call_quietly(masked_softmax, Z_in, mask_in, hint=_OVERFLOW_HINT)
            P = c.numbers(out, what="P")
            c.expect_true(np.array_equal(Z_in, Z) and np.array_equal(mask_in, mask),
                          "your function changed Z or mask in place; work on new arrays.")
            c.expect_shape(P, Z.shape, what="P (one probability per entry of Z)")
            c.expect_finite(P, what="P")
            if np.any(P[~mask] != 0):
                worst = np.abs(P[~mask]).max()
                c.expect_true(False, f"a masked class gets probability {worst:.3g}; it must get "
                                     "exactly 0 (the class is impossible, not just unlikely).")
            c.expect_true(np.allclose(P.sum(axis=1), 1.0, rtol=0, atol=1e-12),
                          "the rows of P do not sum to 1: the probability of the masked "
                          "classes has to go to the allowed ones.")
            c.expect_close(P, _reference_masked(Z, mask), what="P", rtol=1e-9, atol=1e-12)
    with c.case("shift invariance: the same row plus 500 (allowed classes only matter)"):
        Z, mask = rng.standard_normal((1, 6)), np.array([[True, False, True, True, False, True]])
        P = c.numbers(c.call_quietly(masked_softmax, Z.copy(), mask.copy(),
                                           hint=_OVERFLOW_HINT), what="P")
        P_shift = c.numbers(c.call_quietly(masked_softmax, Z + 500.0, mask.copy(),
                                                 hint=_OVERFLOW_HINT), what="P")
        c.expect_close(P_shift, P, what="the shifted probabilities (they should not change)",
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
        ("equal scores z = [0, 0, 0, 0]", np.zeros(4)),
        ("random scores with K = 6", rng.standard_normal(6)),
        ("two classes, z = [0.5, -1.5]", np.array([0.5, -1.5])),
        ("large logits around 800", np.array([800.0, 801.0, 799.5])),
        ("one score far below the others, z = [0, -1000, 2]", np.array([0.0, -1000.0, 2.0])),
    ]
    for description, z in cases:
        with c.case(description):
            z_in = z.copy()
            out = c.call_quietly(log_softmax_jacobian, z_in, hint=_OVERFLOW_HINT)
            J = c.numbers(out, what="J")
            K = z.size
            c.expect_true(np.array_equal(z_in, z), "your function changed z in place.")
            c.expect_shape(J, (K, K), what="J (rows: outputs log p_i, columns: scores z_j)")
            c.expect_finite(J, what="J")
            numerical = np.array([numerical_gradient(lambda v, i=i: log_softmax(v)[i], z.copy())
                                  for i in range(K)])  # (K, K), row i = gradient of log p_i
            if not np.allclose(J, numerical, rtol=1e-6, atol=1e-8):
                p = softmax(z)
                if np.allclose(J.T, numerical, rtol=1e-6, atol=1e-8):
                    c.expect_true(False, "rows and columns are swapped: row i must hold the "
                                         "derivatives of log p_i with respect to z_1, ..., z_K.")
                if np.allclose(J, np.diag(p) - np.outer(p, p), rtol=1e-6, atol=1e-12):
                    c.expect_true(False, "this is the Jacobian of p, not of log p: apply the "
                                         "chain rule to the logarithm.")
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
        ("z = [1, 2, 3] (one score far ahead)", np.array([1.0, 2.0, 3.0])),
        ("close scores z = [0.1, 0.2, 0.3] (every class stays)", np.array([0.1, 0.2, 0.3])),
        ("equal scores z = [0, 0, 0, 0]", np.zeros(4)),
        ("unsorted scores z = [0.9, 3, -2, 1, 2.5]", np.array([0.9, 3.0, -2.0, 1.0, 2.5])),
        ("a tie for the lead, z = [2, 2, 0]", np.array([2.0, 2.0, 0.0])),
        ("a single class, z = [-7]", np.array([-7.0])),
        ("large scores z = [1000.3, 1000.1, 999]", np.array([1000.3, 1000.1, 999.0])),
        ("random scores with K = 10", rng.standard_normal(10)),
    ]
    for description, z in cases:
        with c.case(description):
            z_in = z.copy()
            p = c.numbers(c.call_quietly(sparsemax, z_in, hint="avoid 0 / 0 and "
                                               "overflow; sparsemax needs no exponential."),
                             what="p")
            expected = _reference_sparsemax(z)
            c.expect_true(np.array_equal(z_in, z), "your function changed z in place "
                                                   "(np.sort returns a copy; .sort() does not).")
            c.expect_shape(p, z.shape, what="p (one probability per score)")
            c.expect_finite(p, what="p")
            c.expect_true(np.all(p >= 0), f"p has a negative entry ({p.min():.3g}): every "
                                          "probability is at least 0, so the scores below the "
                                          "threshold must be cut to exactly 0, and the "
                                          "threshold chosen for the entries that stay.")
            c.expect_true(abs(p.sum() - 1.0) < 1e-9, f"p sums to {p.sum():.6g}, not 1.")
            if z.size > 1 and not np.array_equal(np.argsort(-z, kind="stable"),
                                                 np.arange(z.size)):
                c.expect_true(not np.allclose(p, np.sort(expected)[::-1], atol=1e-9),
                              "your p is sorted from largest to smallest: it must follow the "
                              "order of the scores z.")
            c.expect_true(np.array_equal(p == 0, expected == 0),
                          "p has the wrong set of exact zeros: a class is cut to 0 exactly when "
                          "its score is at or below the threshold.")
            c.expect_close(p, expected, what="p", rtol=1e-9, atol=1e-12)
    return c.feedback()
