"""Activation functions and their backward passes (vector-Jacobian products).

Shapes: logits/pre-activations ``Z (N, K)``, activations ``A`` with the shape of ``Z``,
probabilities ``P (N, K)``. Element-wise functions accept any shape. Softmax and
friends act along ``axis`` (default: last) and accept a single vector ``(K,)`` or a
batch ``(N, K)``.

Every backward function returns a new array and never modifies its inputs.

Dtypes: float32 and float64 inputs are computed in their own precision; integer, boolean
and float16 inputs are computed in float64 (see :func:`mathlib.checks.as_float_array`).
NaN or inf anywhere in an input is a ``ValueError``. Softmax and friends need at least one
entry along ``axis`` (``K >= 1``); a batch of ``N = 0`` rows gives an empty result.
"""

from __future__ import annotations

import numpy as np

from mathlib.checks import as_float_array, check_bool, check_int, check_same_shape

__all__ = [
    "sigmoid",
    "sigmoid_backward",
    "tanh",
    "tanh_backward",
    "relu",
    "relu_backward",
    "logsumexp",
    "softmax",
    "log_softmax",
    "softmax_backward",
    "softmax_jacobian",
]


def _along_axis(Z, axis):
    """Check ``Z (K,)`` or ``(N, K)`` and ``axis``; the reduced axis must not be empty."""
    Z = as_float_array(Z, "Z", ndim=(1, 2))
    axis = check_int(axis, "axis")
    if not -Z.ndim <= axis < Z.ndim:
        raise ValueError(f"axis must be in [{-Z.ndim}, {Z.ndim}) for Z of shape {Z.shape}, "
                         f"got {axis}")
    if Z.shape[axis] == 0:
        raise ValueError(f"Z must have at least one entry (K >= 1) along axis {axis}, "
                         f"got shape {Z.shape}")
    return Z, axis


def sigmoid(Z):
    r"""Logistic sigmoid, element-wise.

    .. math:: \sigma(z) = \frac{1}{1 + e^{-z}}

    Shapes: ``Z`` any shape -> ``A`` same shape.

    Numerical care: only :math:`e^{-|z|} \le 1` is ever computed, using
    :math:`\sigma(z) = e^{z} / (1 + e^{z})` for negative ``z``, so ``z = +-1000`` gives
    exactly 1 and 0 with no overflow warning.
    """
    Z = as_float_array(Z, "Z")
    E = np.exp(-np.abs(Z))  # in (0, 1], never overflows
    return np.where(Z >= 0, 1.0 / (1.0 + E), E / (1.0 + E)).astype(Z.dtype, copy=False)


def sigmoid_backward(dA, A):
    r"""Backward pass of :func:`sigmoid`, written with its output ``A``.

    .. math:: \frac{\partial L}{\partial Z} = \frac{\partial L}{\partial A} \odot A (1 - A)

    Shapes: ``dA`` and ``A`` (the sigmoid output) the same shape -> ``dZ`` that shape.
    """
    dA = as_float_array(dA, "dA")
    A = as_float_array(A, "A")
    check_same_shape(dA, A, "dA", "A")
    return dA * A * (1 - A)


def tanh(Z):
    r"""Hyperbolic tangent, element-wise.

    .. math:: \tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}} = 2\sigma(2z) - 1

    Shapes: ``Z`` any shape -> ``A`` same shape. ``np.tanh`` is stable for all ``z``.
    """
    Z = as_float_array(Z, "Z")
    return np.tanh(Z)


def tanh_backward(dA, A):
    r"""Backward pass of :func:`tanh`, written with its output ``A``.

    .. math:: \frac{\partial L}{\partial Z} = \frac{\partial L}{\partial A} \odot (1 - A^2)

    Shapes: ``dA`` and ``A`` (the tanh output) the same shape -> ``dZ`` that shape.
    """
    dA = as_float_array(dA, "dA")
    A = as_float_array(A, "A")
    check_same_shape(dA, A, "dA", "A")
    return dA * (1 - A * A)


def relu(Z):
    r"""Rectified linear unit, element-wise.

    .. math:: \operatorname{relu}(z) = \max(0, z)

    Shapes: ``Z`` any shape -> ``A`` same shape (a new array).
    """
    Z = as_float_array(Z, "Z")
    return np.maximum(Z, 0)


def relu_backward(dA, Z):
    r"""Backward pass of :func:`relu`, written with its input ``Z``.

    .. math:: \frac{\partial L}{\partial Z} = \frac{\partial L}{\partial A} \odot [Z > 0]

    ReLU has no derivative at 0; we use the subgradient 0 there (``Z == 0`` passes no
    gradient), the usual convention.

    Shapes: ``dA`` and ``Z`` the same shape -> ``dZ`` that shape (a new array).
    """
    dA = as_float_array(dA, "dA")
    Z = as_float_array(Z, "Z")
    check_same_shape(dA, Z, "dA", "Z")
    return np.where(Z > 0, dA, 0).astype(dA.dtype, copy=False)


def logsumexp(Z, axis: int = -1, keepdims: bool = False):
    r"""Log of the sum of exponentials along ``axis``, computed stably.

    .. math:: \operatorname{lse}(z) = m + \log \sum_k e^{z_k - m}, \quad m = \max_k z_k

    Shapes: ``Z (N, K)`` -> ``(N,)`` (or ``(N, 1)`` with ``keepdims``); ``(K,)`` -> scalar.

    Numerical care: subtracting the maximum makes the largest exponent ``e^0 = 1``, so
    nothing overflows and the sum is at least 1 (its log never underflows to ``-inf``).
    """
    Z, axis = _along_axis(Z, axis)
    keepdims = check_bool(keepdims, "keepdims")
    m = Z.max(axis=axis, keepdims=True)
    out = m + np.log(np.exp(Z - m).sum(axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


def softmax(Z, axis: int = -1):
    r"""Softmax along ``axis``: turns logits into probabilities.

    .. math:: P_{nk} = \frac{e^{Z_{nk} - m_n}}{\sum_j e^{Z_{nj} - m_n}}, \quad m_n = \max_j Z_{nj}

    Shapes: ``Z (N, K)`` -> ``P (N, K)``, or ``(K,)`` -> ``(K,)``.

    Numerical care: subtracting the row maximum (which leaves the result unchanged)
    keeps every exponent ``<= 0``, so logits like ``+-1000`` cannot overflow.
    """
    Z, axis = _along_axis(Z, axis)
    E = np.exp(Z - Z.max(axis=axis, keepdims=True))
    return E / E.sum(axis=axis, keepdims=True)


def log_softmax(Z, axis: int = -1):
    r"""Logarithm of the softmax along ``axis``, without ever forming ``log(P)``.

    .. math:: \log P_{nk} = Z_{nk} - \operatorname{lse}(Z_{n\cdot})

    Shapes: ``Z (N, K)`` -> ``(N, K)``, or ``(K,)`` -> ``(K,)``.

    Numerical care: with max subtraction, a logit 1000 below the others gives
    ``log P = -1000`` exactly, where ``log(softmax(Z))`` would give ``-inf``.
    """
    Z, axis = _along_axis(Z, axis)
    S = Z - Z.max(axis=axis, keepdims=True)
    return S - np.log(np.exp(S).sum(axis=axis, keepdims=True))


def softmax_backward(dP, P):
    r"""Vector-Jacobian product of the softmax, row by row (along the last axis).

    .. math::
        \frac{\partial L}{\partial Z_{n\cdot}} = P_{n\cdot} \odot
        \Big(\frac{\partial L}{\partial P_{n\cdot}}
        - \sum_k \frac{\partial L}{\partial P_{nk}} P_{nk}\Big)

    This equals ``dP[n] @ softmax_jacobian(Z[n])`` for each row without building the
    ``(K, K)`` Jacobian.

    Shapes: ``dP`` and ``P`` (the softmax output) both ``(N, K)`` or ``(K,)`` -> ``dZ`` same.
    """
    dP = as_float_array(dP, "dP", ndim=(1, 2))
    P = as_float_array(P, "P", ndim=(1, 2))
    check_same_shape(dP, P, "dP", "P")
    return P * (dP - (dP * P).sum(axis=-1, keepdims=True))


def softmax_jacobian(z):
    r"""Jacobian of the softmax of one logit vector.

    .. math:: J_{ij} = \frac{\partial p_i}{\partial z_j} = p_i(\delta_{ij} - p_j),
              \quad J = \operatorname{diag}(p) - p p^\top

    Shapes: ``z (K,)`` -> ``J (K, K)`` (symmetric).
    """
    z = as_float_array(z, "z", ndim=1)
    if z.size == 0:
        raise ValueError("z must hold at least one logit (K >= 1), got shape (0,)")
    p = softmax(z)
    return np.diag(p) - np.outer(p, p)
