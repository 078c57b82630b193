"""Checks for the coding exercises of chapter 2: a stable softmax and its Jacobian."""

from __future__ import annotations

import numpy as np

from mathlib.activations import softmax
from mathlib.gradcheck import numerical_gradient

from ._core import Checker, Feedback

__all__ = ["check_softmax_rows", "check_softmax_jacobian"]

_OVERFLOW_HINT = ("some exponential overflows or a division is 0/0. Use the shift invariance of "
                  "softmax.")


def check_softmax_rows(softmax_rows) -> Feedback:
    r"""Check ``softmax_rows(Z) -> P``: the softmax of every row of ``Z (N, K)``, ``P (N, K)``.

    Hidden cases: small scores, logits of size +-1000 (must not overflow or warn), shift
    invariance (adding a constant to a row changes nothing), rows that sum to 1, and the input
    left unchanged.
    """
    c = Checker("softmax_rows")
    rng = np.random.default_rng(202)
    cases = [
        ("two rows of small scores", np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])),
        ("a batch of 5 random rows with K = 4 classes", rng.standard_normal((5, 4))),
        ("huge positive logits (around +1000)", np.array([[1000.0, 999.0, 998.0]])),
        ("huge negative logits (around -1000)", np.array([[-1000.0, -1001.0, -1002.0, -1000.0]])),
        ("one row mixing +1000 and -1000", np.array([[1000.0, -1000.0, 0.0]])),
        ("a single row with K = 10 classes", rng.standard_normal((1, 10)) * 3),
    ]
    for description, Z in cases:
        with c.case(description):
            Z_in = Z.copy()
            P = c.call_quietly(softmax_rows, Z_in, hint=_OVERFLOW_HINT)
            c.expect_shape(P, Z.shape, what="P (one probability per entry of Z)")
            c.expect_true(np.array_equal(Z_in, Z),
                          "your function changed Z in place; subtract into a new array.")
            c.expect_finite(P, what="P")
            c.expect_true(np.allclose(np.asarray(P).sum(axis=1), 1.0, atol=1e-12),
                          "the rows of P do not sum to 1; normalise along axis=1 "
                          "(keepdims=True helps the broadcasting).")
            c.expect_close(P, softmax(Z), what="P", rtol=1e-9, atol=1e-12)
    with c.case("shift invariance: two rows, then the same rows plus 500 and -300"):
        Z = rng.standard_normal((2, 5))
        P = c.call_quietly(softmax_rows, Z.copy(), hint=_OVERFLOW_HINT)
        P_shift = c.call_quietly(softmax_rows, Z + np.array([[500.0], [-300.0]]),
                                 hint=_OVERFLOW_HINT)
        c.expect_close(P_shift, P, what="the shifted probabilities (they should not change)",
                       rtol=1e-9, atol=1e-12, show_expected=False)
    return c.feedback()


def check_softmax_jacobian(softmax_jacobian) -> Feedback:
    r"""Check ``softmax_jacobian(z) -> J`` with :math:`J_{ij} = \partial p_i / \partial z_j`.

    Shapes: ``z (K,)`` -> ``J (K, K)``. Compared with central differences of a stable
    softmax on hidden score vectors, including large logits.
    """
    c = Checker("softmax_jacobian")
    rng = np.random.default_rng(303)
    cases = [
        ("z = [1, 2, 3]", np.array([1.0, 2.0, 3.0])),
        ("equal scores z = [0, 0, 0, 0]", np.zeros(4)),
        ("random scores with K = 6", rng.standard_normal(6)),
        ("two classes, z = [0.5, -1.5]", np.array([0.5, -1.5])),
        ("large logits around 800", np.array([800.0, 801.0, 799.5])),
    ]
    for description, z in cases:
        with c.case(description):
            z_in = z.copy()
            J = c.call_quietly(softmax_jacobian, z_in, hint=_OVERFLOW_HINT)
            K = z.size
            c.expect_shape(J, (K, K), what="J (rows: outputs p_i, columns: scores z_j)")
            c.expect_true(np.array_equal(z_in, z), "your function changed z in place.")
            c.expect_finite(J, what="J")
            numerical = np.array([numerical_gradient(lambda v, i=i: softmax(v)[i], z.copy())
                                  for i in range(K)])  # (K, K), row i = gradient of p_i
            c.expect_gradient(J, numerical, what="J", tol=1e-6)
    return c.feedback()
