"""Checks for the coding exercises of chapter 3: cross-entropy from logits and its gradient."""

from __future__ import annotations

import numpy as np

from mathlib.activations import log_softmax
from mathlib.gradcheck import numerical_gradient

from ._core import Checker, Feedback

__all__ = ["check_cross_entropy_from_logits_rows", "check_softmax_ce_grad"]


_OVERFLOW_HINT = ("an exponential overflows or a log of 0 is taken. Work with log-probabilities "
                  "from the logits.")


def _ce_rows(Z, y):
    return -log_softmax(Z)[np.arange(Z.shape[0]), y]  # (N,)


def _cases(rng):
    return [
        ("two rows of small logits, labels [2, 0]",
         np.array([[1.0, 2.0, 3.0], [0.5, -0.5, 0.0]]), np.array([2, 0])),
        ("uniform logits (every loss is log K) with K = 4", np.zeros((3, 4)), np.array([0, 1, 3])),
        ("a batch of 6 random rows with K = 5", rng.standard_normal((6, 5)) * 2,
         rng.integers(0, 5, size=6)),
        ("logits around +1000", np.array([[1000.0, 999.0, 998.0]]), np.array([1])),
        ("logits around -1000", np.array([[-1000.0, -1001.0, -1000.5]]), np.array([0])),
        ("a true class 800 below its rival", np.array([[-800.0, 0.0, -1.0]]), np.array([0])),
    ]


def check_cross_entropy_from_logits_rows(cross_entropy_from_logits_rows) -> Feedback:
    r"""Check ``cross_entropy_from_logits_rows(Z, y) -> losses``.

    :math:`\ell_n = -\log \operatorname{softmax}(Z_{n\cdot})_{y_n}`, one loss per row.
    Shapes: ``Z (N, K)``, integer ``y (N,)`` -> ``losses (N,)``. Hidden cases include logits of
    size +-1000 and a true class 800 below its rival (the loss must be about 800, not capped,
    not inf), and ``Z`` must not be modified.
    """
    c = Checker("cross_entropy_from_logits_rows")
    rng = np.random.default_rng(331)
    for description, Z, y in _cases(rng):
        with c.case(description):
            Z_in = Z.copy()
            out = c.call_quietly(cross_entropy_from_logits_rows, Z_in, y.copy(),
                                 hint=_OVERFLOW_HINT)
            c.expect_shape(out, (Z.shape[0],), what="the losses (one per row of Z)")
            c.expect_true(np.array_equal(Z_in, Z),
                          "your function changed Z in place; compute into a new array.")
            c.expect_finite(out, what="the losses")
            c.expect_true(np.all(np.asarray(out) >= 0),
                          "a loss is negative; -log p is never below 0 (check the sign).")
            c.expect_close(out, _ce_rows(Z, y), what="the losses", rtol=1e-9, atol=1e-10)
    return c.feedback()


def check_softmax_ce_grad(softmax_ce_grad) -> Feedback:
    r"""Check ``softmax_ce_grad(Z, y) -> dZ``, the gradient of the *mean* cross-entropy.

    :math:`L = \frac1N \sum_n -\log \operatorname{softmax}(Z_{n\cdot})_{y_n}`. Shapes:
    ``Z (N, K)``, ``y (N,)`` -> ``dZ (N, K)``. Compared with central differences of ``L``
    (float64), including logits of size +-1000; rows of ``dZ`` must sum to 0.
    """
    c = Checker("softmax_ce_grad")
    rng = np.random.default_rng(332)
    for description, Z, y in _cases(rng):
        with c.case(description):
            Z_in = Z.copy()
            dZ = c.call_quietly(softmax_ce_grad, Z_in, y.copy(), hint=_OVERFLOW_HINT)
            c.expect_shape(dZ, Z.shape, what="dZ (the shape of Z)")
            c.expect_true(np.array_equal(Z_in, Z),
                          "your function changed Z in place; compute into a new array.")
            c.expect_finite(dZ, what="dZ")
            c.expect_true(np.allclose(np.asarray(dZ).sum(axis=1), 0.0, atol=1e-12),
                          "the rows of dZ do not sum to 0; the probabilities and the one-hot "
                          "targets each sum to 1, so their difference should sum to 0.")
            numerical = numerical_gradient(lambda v, y=y: _ce_rows(v, y).mean(),
                                           Z.astype(np.float64).copy())
            c.expect_gradient(dZ, numerical, what="dZ", tol=1e-6)
    return c.feedback()
