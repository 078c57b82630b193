"""Weight initialisers.

Every initialiser takes the random generator ``rng`` (a ``np.random.Generator``) and the
floating-point ``dtype`` as arguments. Random numbers are drawn in float64 and then
cast, so the same seed gives the same weights (up to rounding) in float32 and float64.

A dense layer's weight matrix has shape ``W (D, K)``: ``fan_in = D`` inputs, ``fan_out = K``
outputs. For a convolution with ``W (F, C, kh, kw)``, ``fan_in = C*kh*kw`` and
``fan_out = F*kh*kw``.
"""

from __future__ import annotations

import numpy as np

from mathlib.checks import (
    check_float_dtype,
    check_number,
    check_positive_int,
    check_rng,
    check_shape,
)

__all__ = [
    "normal",
    "truncated_normal",
    "he_normal",
    "xavier_uniform",
    "xavier_normal",
    "constant",
]


def _check_std(std) -> float:
    return check_number(std, "std", low=0)


def normal(shape, std, rng, dtype=np.float64):
    r"""Independent Gaussian entries with mean 0 and standard deviation ``std``.

    .. math:: W_{ij} \sim \mathcal N(0, \sigma^2)

    Shapes: returns an array of ``shape``.
    """
    shape = check_shape(shape)
    std = _check_std(std)
    rng = check_rng(rng)
    dtype = check_float_dtype(dtype)
    return (std * rng.standard_normal(shape)).astype(dtype)


def truncated_normal(shape, std, rng, dtype=np.float64):
    r"""Gaussian entries with every draw beyond two standard deviations redrawn.

    .. math:: W_{ij} \sim \mathcal N(0, \sigma^2) \text{ conditioned on } |W_{ij}| \le 2\sigma

    This is TensorFlow's ``truncated_normal``, used by the "Deep MNIST" tutorial with
    ``std = 0.1``. Redrawing is vectorised: all out-of-range entries are redrawn at once
    until none remain (about 4.6 % of entries need a redraw in the first round).
    Note the result's standard deviation is about ``0.88 * std``.

    Shapes: returns an array of ``shape``.
    """
    shape = check_shape(shape)
    std = _check_std(std)
    rng = check_rng(rng)
    dtype = check_float_dtype(dtype)
    z = rng.standard_normal(shape)
    bad = np.abs(z) > 2
    while bad.any():
        z[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(z) > 2
    return (std * z).astype(dtype)


def he_normal(fan_in, fan_out, rng, dtype=np.float64):
    r"""He (Kaiming) normal initialisation for layers followed by ReLU.

    .. math:: W_{ij} \sim \mathcal N\!\left(0, \frac{2}{\text{fan\_in}}\right)

    The factor 2 makes up for ReLU zeroing half of its inputs, so the variance of the
    activations stays roughly constant from layer to layer.

    Shapes: returns ``W (fan_in, fan_out)``.
    """
    fan_in = check_positive_int(fan_in, "fan_in")
    fan_out = check_positive_int(fan_out, "fan_out")
    return normal((fan_in, fan_out), np.sqrt(2.0 / fan_in), rng, dtype)


def xavier_uniform(fan_in, fan_out, rng, dtype=np.float64):
    r"""Glorot/Xavier uniform initialisation for tanh or sigmoid layers.

    .. math:: W_{ij} \sim \mathcal U(-a, a),
              \quad a = \sqrt{\frac{6}{\text{fan\_in} + \text{fan\_out}}}

    This gives variance :math:`a^2/3 = 2/(\text{fan\_in}+\text{fan\_out})`.

    Shapes: returns ``W (fan_in, fan_out)``.
    """
    fan_in = check_positive_int(fan_in, "fan_in")
    fan_out = check_positive_int(fan_out, "fan_out")
    rng = check_rng(rng)
    dtype = check_float_dtype(dtype)
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=(fan_in, fan_out)).astype(dtype)


def xavier_normal(fan_in, fan_out, rng, dtype=np.float64):
    r"""Glorot/Xavier normal initialisation.

    .. math:: W_{ij} \sim \mathcal N\!\left(0, \frac{2}{\text{fan\_in} + \text{fan\_out}}\right)

    Shapes: returns ``W (fan_in, fan_out)``.
    """
    fan_in = check_positive_int(fan_in, "fan_in")
    fan_out = check_positive_int(fan_out, "fan_out")
    return normal((fan_in, fan_out), np.sqrt(2.0 / (fan_in + fan_out)), rng, dtype)


def constant(shape, value, dtype=np.float64):
    r"""An array filled with one value (e.g. biases: 0, or 0.1 in the TF tutorial).

    .. math:: b_k = c

    Shapes: returns an array of ``shape``.
    """
    shape = check_shape(shape)
    dtype = check_float_dtype(dtype)
    value = check_number(value, "value")
    return np.full(shape, value, dtype=dtype)
