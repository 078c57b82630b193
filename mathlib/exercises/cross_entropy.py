"""Checks for the coding exercises of chapter 3: cross-entropy from logits and two variants.

- ``check_cross_entropy_from_logits_rows``: one loss per row, computed from the logits;
- ``check_binary_cross_entropy_from_logit``: the two-class loss of a single score (sigmoid),
  computed from the score so that it stays exact for scores of any size;
- ``check_weighted_ce_grad``: the gradient of the class-weighted mean cross-entropy.
"""

from __future__ import annotations

import numpy as np

from mathlib.activations import log_softmax, softmax
from mathlib.checks import check_callable
from mathlib.gradcheck import numerical_gradient

from ._core import Checker, Feedback
from ._messages import msg

__all__ = [
    "check_cross_entropy_from_logits_rows",
    "check_binary_cross_entropy_from_logit",
    "check_weighted_ce_grad",
]


def _unchanged(c: Checker, pairs, message: str):
    c.expect_true(all(np.array_equal(a, b) for a, b in pairs), message)


# --- one loss per row ----------------------------------------------------------------------


def _ce_rows(Z, y):
    return -log_softmax(Z)[np.arange(Z.shape[0]), y]  # (N,)


def _cases(rng):
    return [
        (msg("cross_entropy.case.small"),
         np.array([[1.0, 2.0, 3.0], [0.5, -0.5, 0.0]]), np.array([2, 0])),
        (msg("cross_entropy.case.uniform"), np.zeros((3, 4)), np.array([0, 1, 3])),
        (msg("cross_entropy.case.batch"), rng.standard_normal((6, 5)) * 2,
         rng.integers(0, 5, size=6)),
        (msg("cross_entropy.case.plus_1000"), np.array([[1000.0, 999.0, 998.0]]), np.array([1])),
        (msg("cross_entropy.case.minus_1000"), np.array([[-1000.0, -1001.0, -1000.5]]),
         np.array([0])),
        (msg("cross_entropy.case.rival_800"), np.array([[-800.0, 0.0, -1.0]]), np.array([0])),
    ]


def check_cross_entropy_from_logits_rows(cross_entropy_from_logits_rows) -> Feedback:
    r"""Check ``cross_entropy_from_logits_rows(Z, y) -> losses``.

    :math:`\ell_n = -\log \operatorname{softmax}(Z_{n\cdot})_{y_n}`, one loss per row.
    Shapes: ``Z (N, K)``, integer ``y (N,)`` -> ``losses (N,)``. Hidden cases include logits of
    size +-1000 and a true class 800 below its rival (the loss must be about 800, not capped,
    not inf), and ``Z`` must not be modified.
    """
    check_callable(cross_entropy_from_logits_rows, "cross_entropy_from_logits_rows")
    c = Checker("cross_entropy_from_logits_rows")
    rng = np.random.default_rng(331)
    for description, Z, y in _cases(rng):
        with c.case(description):
            Z_in = Z.copy()
            out = c.numbers(c.call_quietly(cross_entropy_from_logits_rows, Z_in, y.copy(),
                                           hint=msg("cross_entropy.overflow_hint")),
                            what=msg("cross_entropy.losses"))
            c.expect_shape(out, (Z.shape[0],), what=msg("cross_entropy.losses_per_row"))
            _unchanged(c, [(Z_in, Z)], msg("cross_entropy.Z_changed"))
            c.expect_finite(out, what=msg("cross_entropy.losses"))
            c.expect_true(bool(np.all(out >= 0)), msg("cross_entropy.negative"))
            c.expect_close(out, _ce_rows(Z, y), what=msg("cross_entropy.losses"), rtol=1e-9,
                           atol=1e-10)
    return c.feedback()


# --- binary cross-entropy from one score -----------------------------------------------------


def _softplus(x):
    # log(1 + e^x) = max(x, 0) + log(1 + e^-|x|): the exponent is never positive
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _bce(z, t):
    # -t log s(z) - (1 - t) log(1 - s(z)), with -log s(z) = softplus(-z) and
    # -log(1 - s(z)) = softplus(z)
    return t * _softplus(-z) + (1 - t) * _softplus(z)


def _bce_cases():
    return [
        (msg("cross_entropy.case.bce_hard"),
         np.array([-1.0, 0.0, 2.0]), np.array([0.0, 1.0, 1.0])),
        (msg("cross_entropy.case.bce_soft"),
         np.array([0.5, -2.0, 3.0]), np.array([0.3, 0.9, 0.5])),
        (msg("cross_entropy.case.bce_40"),
         np.array([40.0, 40.0]), np.array([1.0, 0.0])),
        (msg("cross_entropy.case.bce_1000"),
         np.array([1000.0, -1000.0, 1000.0, -1000.0]), np.array([0.0, 1.0, 1.0, 0.0])),
        (msg("cross_entropy.case.bce_800"),
         np.array([-800.0]), np.array([1.0])),
    ]


def _bce_hint(out, z, t):
    """A targeted hint for the usual slips, or None."""
    if np.allclose(out, _bce(z, 1 - t), rtol=1e-9, atol=1e-10):
        return msg("cross_entropy.bce_opposite")
    if np.allclose(out, -_bce(z, t), rtol=1e-9, atol=1e-10):
        return msg("cross_entropy.bce_sign")
    return None


def check_binary_cross_entropy_from_logit(binary_cross_entropy_from_logit) -> Feedback:
    r"""Check ``binary_cross_entropy_from_logit(z, t) -> losses``.

    .. math:: \ell_n = -t_n \log \sigma(z_n) - (1 - t_n) \log\bigl(1 - \sigma(z_n)\bigr)

    Shapes: scores ``z (N,)`` and targets ``t (N,)`` in [0, 1] -> ``losses (N,)``. Hidden cases
    include soft targets, scores of size 40 (where ``1 - sigmoid(z)`` is exactly 0 in float64)
    and of size 800-1000; any overflow or log(0) warning is reported, and the inputs must not
    change.
    """
    check_callable(binary_cross_entropy_from_logit, "binary_cross_entropy_from_logit")
    c = Checker("binary_cross_entropy_from_logit")
    hint = msg("cross_entropy.bce_hint")
    for description, z, t in _bce_cases():
        with c.case(description):
            z_in, t_in = z.copy(), t.copy()
            out = c.numbers(c.call_quietly(binary_cross_entropy_from_logit, z_in, t_in,
                                           hint=hint), what=msg("cross_entropy.losses"))
            c.expect_shape(out, z.shape, what=msg("cross_entropy.losses_per_score"))
            _unchanged(c, [(z_in, z), (t_in, t)], msg("cross_entropy.zt_changed"))
            c.expect_finite(out, what=msg("cross_entropy.losses"))
            slip = _bce_hint(out, z, t)
            if slip is not None:
                c.expect_true(False, slip)
            c.expect_true(bool(np.all(out >= -1e-12)), msg("cross_entropy.negative"))
            c.expect_close(out, _bce(z, t), what=msg("cross_entropy.losses"), rtol=1e-9, atol=1e-10)
    with c.case(msg("cross_entropy.case.bce_derivative")):
        z, t = np.array([-3.0, 0.5, 6.0]), np.array([1.0, 0.2, 0.0])
        out = c.numbers(c.call(binary_cross_entropy_from_logit, z.copy(), t.copy()),
                        what=msg("cross_entropy.losses"))
        c.expect_shape(out, z.shape, what=msg("cross_entropy.losses_per_score"))

        def total(v):  # the sum of the learner's losses; each loss depends on its own score
            losses = c.numbers(c.call(binary_cross_entropy_from_logit, v.copy(), t.copy()),
                               what=msg("cross_entropy.losses"))
            return float(np.sum(losses))

        c.expect_close(numerical_gradient(total, z.copy()), 1 / (1 + np.exp(-z)) - t,
                       what=msg("cross_entropy.bce_derivative"),
                       rtol=1e-6, atol=1e-8, show_expected=False)
    return c.feedback()


# --- class-weighted cross-entropy ----------------------------------------------------------


def _weighted_grad(Z, y, a):
    # dL/dZ_n = a_{y_n} (p_n - t_n) / sum_m a_{y_m}
    w = a[y]  # (N,) the weight of each example's label
    P = softmax(Z)
    P[np.arange(Z.shape[0]), y] -= 1.0
    return w[:, None] * P / w.sum()


def _weighted_loss(Z, y, a):
    w = a[y]
    return float(np.sum(w * _ce_rows(Z, y)) / w.sum())


def _weighted_cases(rng):
    return [
        (msg("cross_entropy.case.equal_weights"),
         rng.standard_normal((4, 3)), np.array([0, 2, 1, 2]), np.array([1.0, 1.0, 1.0])),
        (msg("cross_entropy.case.weights"),
         rng.standard_normal((6, 3)) * 2, np.array([1, 0, 1, 2, 2, 0]), np.array([1.0, 5.0, 0.5])),
        (msg("cross_entropy.case.zero_weight"),
         rng.standard_normal((5, 4)), np.array([0, 1, 2, 3, 0]), np.array([0.0, 2.0, 1.0, 1.0])),
        (msg("cross_entropy.case.weighted_1000"),
         np.array([[1000.0, 999.0], [-1000.0, -1003.0], [0.0, 800.0]]), np.array([0, 1, 0]),
         np.array([3.0, 1.0])),
    ]


def _weighted_hint(dZ, Z, y, a):
    """A targeted hint for the usual slips, or None."""
    N = Z.shape[0]
    ref = _weighted_grad(Z, y, a)
    if np.allclose(dZ, ref * a[y].sum() / N, rtol=1e-7, atol=1e-12):
        return msg("cross_entropy.weighted_by_N")
    P = softmax(Z)
    P[np.arange(N), y] -= 1.0
    if np.allclose(dZ, P / N, rtol=1e-7, atol=1e-12):
        return msg("cross_entropy.unweighted")
    by_column = a[None, :] * P / a[y].sum()
    if np.allclose(dZ, by_column, rtol=1e-7, atol=1e-12):
        return msg("cross_entropy.by_column")
    return None


def check_weighted_ce_grad(weighted_ce_grad) -> Feedback:
    r"""Check ``weighted_ce_grad(Z, y, class_weights) -> dZ``.

    .. math:: L = \frac{\sum_n a_{y_n}\, \ell_n}{\sum_n a_{y_n}}, \qquad
              \ell_n = -\log \operatorname{softmax}(Z_{n\cdot})_{y_n}

    Shapes: ``Z (N, K)``, ``y (N,)``, ``class_weights (K,)`` (non-negative, not all used labels
    0) -> ``dZ (N, K)``. Compared with central differences of ``L`` (float64), including logits
    of size +-1000; rows of ``dZ`` must sum to 0; inputs must not change.
    """
    check_callable(weighted_ce_grad, "weighted_ce_grad")
    c = Checker("weighted_ce_grad")
    rng = np.random.default_rng(333)
    for description, Z, y, a in _weighted_cases(rng):
        with c.case(description):
            Z_in, y_in, a_in = Z.copy(), y.copy(), a.copy()
            dZ = c.numbers(c.call_quietly(weighted_ce_grad, Z_in, y_in, a_in,
                                          hint=msg("cross_entropy.overflow_hint")), what="dZ")
            c.expect_shape(dZ, Z.shape, what=msg("cross_entropy.dZ_shape"))
            _unchanged(c, [(Z_in, Z), (y_in, y), (a_in, a)], msg("cross_entropy.Zya_changed"))
            c.expect_finite(dZ, what="dZ")
            slip = _weighted_hint(dZ, Z, y, a)
            if slip is not None and not np.allclose(dZ, _weighted_grad(Z, y, a)):
                c.expect_true(False, slip)
            c.expect_true(bool(np.allclose(dZ.sum(axis=1), 0.0, atol=1e-12)),
                          msg("cross_entropy.dZ_rows"))
            numerical = numerical_gradient(lambda V, y=y, a=a: _weighted_loss(V, y, a),
                                           Z.astype(np.float64).copy())
            c.expect_gradient(dZ, numerical, what="dZ", tol=1e-6)
    return c.feedback()
