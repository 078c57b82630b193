"""Loss functions and their gradients.

Shapes: logits ``Z (N, K)``, probabilities ``P (N, K)``, integer labels ``y (N,)``,
one-hot (or any probability-row) targets ``Y (N, K)``. Cross-entropy functions take the
targets as keyword arguments, exactly one of ``y=`` or ``Y=``; mathlib never guesses
the format from array sizes.

All losses are returned as Python floats; gradients are new arrays. A loss that is a
mean over the batch needs ``N >= 1`` (the mean of nothing is undefined, not 0 and not NaN);
the plain sum :func:`squared_error` of an empty batch is 0. Integer, boolean and float16
inputs are computed in float64; float32 stays float32.
"""

from __future__ import annotations

import numpy as np

from mathlib.activations import log_softmax, softmax
from mathlib.checks import (
    as_float_array,
    check_float_dtype,
    check_labels,
    check_positive_int,
    check_prob_rows,
    check_same_shape,
    resolve_targets,
)

__all__ = [
    "one_hot",
    "cross_entropy_from_logits",
    "softmax_cross_entropy_backward",
    "cross_entropy_from_probs",
    "squared_error",
    "squared_error_backward",
    "mean_squared_error",
    "mean_squared_error_backward",
]


def one_hot(y, num_classes: int, dtype=np.float64):
    r"""One-hot encode integer labels.

    .. math:: Y_{nk} = [y_n = k]

    Shapes: ``y (N,)`` with values in ``[0, K)`` -> ``Y (N, K)`` with ``K = num_classes``,
    in ``dtype`` (float32 or float64).
    """
    k = check_positive_int(num_classes, "num_classes")
    dtype = check_float_dtype(dtype)
    labels = check_labels(y, k=k, name="y")
    Y = np.zeros((labels.shape[0], k), dtype=dtype)
    Y[np.arange(labels.shape[0]), labels] = 1
    return Y


def _check_batch(A, name):
    """A finite ``(N, K)`` array with ``N >= 1`` rows and ``K >= 1`` columns."""
    A = as_float_array(A, name, ndim=2)
    if A.shape[0] == 0 or A.shape[1] == 0:
        raise ValueError(
            f"{name} must have shape (N, K) with N >= 1 samples (the loss is a mean over "
            f"them) and K >= 1 classes, got {A.shape}"
        )
    return A


def cross_entropy_from_logits(Z, *, y=None, Y=None) -> float:
    r"""Mean cross-entropy of softmax(Z) against the targets, computed from the logits.

    .. math::
        L = -\frac{1}{N} \sum_{n} \sum_{k} Y_{nk} \log \operatorname{softmax}(Z)_{nk}
          = \frac{1}{N} \sum_n \Big(\operatorname{lse}(Z_{n\cdot}) - Z_{n, y_n}\Big)

    Shapes: ``Z (N, K)``; exactly one of ``y (N,)`` (int labels) or ``Y (N, K)`` (one-hot
    or probability rows) -> scalar float.

    Numerical care: uses :func:`~mathlib.activations.log_softmax` (max subtraction), so
    a true class 50 below the others costs ~50, with no cap, and ``+-1000`` logits are
    fine. Prefer this to :func:`cross_entropy_from_probs`.
    """
    Z = _check_batch(Z, "Z")
    n, k = Z.shape
    if (y is None) == (Y is None):
        resolve_targets(y, Y, n, k, Z.dtype)  # raises the explanatory error
    logP = log_softmax(Z)  # (N, K)
    if y is not None:
        labels = check_labels(y, n=n, k=k, name="y")
        return float(-logP[np.arange(n), labels].mean())
    T = check_prob_rows(Y, n=n, k=k, name="Y")
    return float(-(T * logP).sum() / n)


def softmax_cross_entropy_backward(Z, *, y=None, Y=None):
    r"""Gradient of the mean softmax cross-entropy with respect to the logits.

    For the pairing *softmax output + cross-entropy loss* the Jacobian of the softmax
    and the derivative of the log cancel, leaving

    .. math:: \frac{\partial L}{\partial Z} = \frac{P - Y}{N}, \quad P = \operatorname{softmax}(Z)

    (``1/N`` because the loss is the batch mean). This holds only for that pairing.

    Shapes: ``Z (N, K)``; exactly one of ``y (N,)`` or ``Y (N, K)`` -> ``dZ (N, K)``.
    """
    Z = _check_batch(Z, "Z")
    n, k = Z.shape
    T = resolve_targets(y, Y, n, k, Z.dtype)  # (N, K)
    return (softmax(Z) - T) / n


def cross_entropy_from_probs(P, *, y=None, Y=None) -> float:
    r"""Mean cross-entropy computed from probabilities (the early chapters' version).

    .. math:: L = -\frac{1}{N} \sum_n \sum_k Y_{nk} \log \max(P_{nk}, \varepsilon)

    Shapes: ``P (N, K)`` rows summing to 1; exactly one of ``y (N,)`` or ``Y (N, K)``
    -> scalar float.

    Numerical care: a probability that has underflowed to 0 would give ``log 0 = -inf``,
    so ``P`` is clipped below at ``eps = np.finfo(P.dtype).eps``, the smallest step that
    changes 1.0 in that dtype (2.2e-16 in float64, 1.2e-7 in float32). This caps each
    term at ``-log(eps)``: 36.04 in float64, 15.94 in float32. A wrong answer held with
    great confidence therefore costs at most that much, whatever the logits were --
    which is why :func:`cross_entropy_from_logits` is preferred.

    Rows must sum to 1 to the precision of ``P``'s own dtype (float16 rows rounded to
    1.0001 are accepted); float16 is then computed in float64.
    """
    P = _check_batch(check_prob_rows(P, name="P"), "P")  # tolerance from P's own dtype
    n, k = P.shape
    T = resolve_targets(y, Y, n, k, P.dtype)  # (N, K)
    eps = np.finfo(P.dtype).eps
    logP = np.log(np.clip(P, eps, 1.0))
    return float(-(T * logP).sum() / n)


def _pred_target(pred, target):
    pred = as_float_array(pred, "pred")
    target = as_float_array(target, "target")
    check_same_shape(pred, target, "pred", "target")
    return pred, target


def squared_error(pred, target) -> float:
    r"""Half the sum of squared differences.

    .. math:: L = \tfrac12 \sum_{i} (\hat y_i - t_i)^2

    Shapes: ``pred`` and ``target`` any equal shapes -> scalar float.
    """
    pred, target = _pred_target(pred, target)
    d = pred - target
    return float(0.5 * np.sum(d * d))


def squared_error_backward(pred, target):
    r"""Gradient of :func:`squared_error` with respect to ``pred``.

    .. math:: \frac{\partial L}{\partial \hat y} = \hat y - t

    Shapes: ``pred`` and ``target`` equal shapes -> same shape.
    """
    pred, target = _pred_target(pred, target)
    return pred - target


def mean_squared_error(pred, target) -> float:
    r"""Half the squared error of each sample, averaged over the batch.

    .. math:: L = \frac{1}{N} \sum_{n} \tfrac12 \lVert \hat Y_{n\cdot} - T_{n\cdot} \rVert^2

    Convention: the mean is over samples (rows) only, *not* over the ``K`` outputs, and
    the ``1/2`` cancels the 2 from differentiating the square. A 1-D ``pred (N,)`` is
    treated as ``N`` samples with one output each.

    Shapes: ``pred (N, K)`` or ``(N,)``, ``target`` the same -> scalar float.
    """
    pred, target = _pred_target(pred, target)
    if pred.ndim == 0 or pred.shape[0] == 0:
        raise ValueError(f"pred must have shape (N, K) or (N,) with N >= 1, got {pred.shape}")
    d = pred - target
    return float(0.5 * np.sum(d * d) / pred.shape[0])


def mean_squared_error_backward(pred, target):
    r"""Gradient of :func:`mean_squared_error` with respect to ``pred``.

    .. math:: \frac{\partial L}{\partial \hat Y} = \frac{\hat Y - T}{N}

    Shapes: ``pred (N, K)`` or ``(N,)``, ``target`` the same -> same shape.
    """
    pred, target = _pred_target(pred, target)
    if pred.ndim == 0 or pred.shape[0] == 0:
        raise ValueError(f"pred must have shape (N, K) or (N,) with N >= 1, got {pred.shape}")
    return (pred - target) / pred.shape[0]
