"""Numerical gradient checking.

The recipe: compute a gradient analytically (a ``backward`` pass), compute it again by
central differences, and compare the two with :func:`rel_error`. In float64 a correct
backward pass gives a relative error far below ``PASS_MARK = 1e-7``; a wrong one
typically gives 1e-2 or more.

Gradient checks need float64: with float32's 7 significant digits the central
difference itself is too inaccurate to judge anything, so these tools refuse other
dtypes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from mathlib.checks import (
    as_float_array,
    check_bool,
    check_callable,
    check_finite,
    check_mapping,
    check_number,
    check_rng,
    describe,
)

__all__ = [
    "PASS_MARK",
    "numerical_gradient",
    "numerical_gradient_params",
    "rel_error",
    "rel_error_norm",
    "check_layer_gradients",
]

PASS_MARK = 1e-7
"""Largest :func:`rel_error` (in float64, ``h = 1e-5``) counted as a passing gradient check."""


def _require_float64(x, name: str) -> np.ndarray:
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{name} must be a float64 NumPy array, got {describe(x)}")
    if x.dtype != np.float64:
        raise ValueError(
            f"{name} must be float64 for a gradient check, got {x.dtype}; "
            f"use {name}.astype(np.float64)"
        )
    return check_finite(x, name)


def _check_step(h) -> float:
    return check_number(h, "h", low=0, low_open=True)


def _scalar(value, name: str, where: str) -> float:
    """The value of ``f`` at one probe as a float; a non-scalar or NaN is ``f``'s error."""
    arr = np.asarray(value)
    if arr.size != 1 or arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must return a real scalar, got {describe(value)} {where}")
    out = float(arr.reshape(()))
    if not np.isfinite(out):
        raise ValueError(f"{name} must return a finite value, got {out} {where}")
    return out


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5):
    r"""Gradient of a scalar function by central differences, one entry at a time.

    .. math:: \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}

    ``x`` is perturbed **in place** (so ``f`` may read it directly or through a closure),
    ``f(x)`` is called twice per entry, and the original value is put back afterwards --
    also if ``f`` raises (``try``/``finally``). The error is :math:`O(h^2)`. ``f`` must
    return a finite real scalar at every probe.

    Shapes: ``x`` any shape, float64 and finite -> gradient with the shape of ``x``.
    """
    check_callable(f, "f")
    _require_float64(x, "x")
    h = _check_step(h)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        try:
            x[idx] = old + h
            f_plus = _scalar(f(x), "f", f"at x{list(idx)} + h")
            x[idx] = old - h
            f_minus = _scalar(f(x), "f", f"at x{list(idx)} - h")
        finally:
            x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def numerical_gradient_params(loss_fn: Callable[[dict], float],
                              params: Mapping[str, np.ndarray], h: float = 1e-5) -> dict:
    r"""Central-difference gradient of ``loss_fn(params)`` for every array in a dict.

    .. math:: \frac{\partial L}{\partial \theta_i} \approx
              \frac{L(\theta + h e_i) - L(\theta - h e_i)}{2h}

    The caller's arrays are never touched: the function probes float64 *copies*, and
    passes the whole dict of copies to ``loss_fn`` on each call.

    Shapes: ``params`` maps names to float64 arrays -> dict with the same keys and shapes.
    """
    check_callable(loss_fn, "loss_fn")
    check_mapping(params, "params")
    h = _check_step(h)
    probe = {}
    for name, value in params.items():
        _require_float64(value, f"params[{name!r}]")
        probe[name] = value.copy()
    grads = {}
    for name in probe:
        grads[name] = numerical_gradient(
            lambda _x, name=name: _scalar(loss_fn(probe), "loss_fn",
                                          f"when probing params[{name!r}]"),
            probe[name], h)
    return grads


def rel_error(a, b, eps: float = 1e-8) -> float:
    r"""Largest entry-wise relative error between two arrays (CS231n convention).

    .. math:: \operatorname{rel\_error}(a, b)
              = \max_i \frac{|a_i - b_i|}{\max(\varepsilon, |a_i| + |b_i|)}

    with :math:`\varepsilon = 10^{-8}` so that entries where both values are (near) zero
    do not divide by zero: there, the absolute difference is judged against ``eps``.
    The result lies in ``[0, 1]``; compare it with :data:`PASS_MARK` (1e-7).

    Shapes: ``a`` and ``b`` the same shape (any), finite -> float (0.0 for empty arrays).
    """
    a = as_float_array(a, "a").astype(np.float64, copy=False)
    b = as_float_array(b, "b").astype(np.float64, copy=False)
    eps = check_number(eps, "eps", low=0, low_open=True)
    if a.shape != b.shape:
        raise ValueError(f"b must have the same shape as a {a.shape}, got {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(eps, np.abs(a) + np.abs(b))))


def rel_error_norm(a, b) -> float:
    r"""Relative error of two whole arrays, measured with their Euclidean norms.

    .. math:: \operatorname{rel\_error\_norm}(a, b) = \frac{\lVert a - b \rVert_2}
              {\lVert a \rVert_2 + \lVert b \rVert_2}

    Unlike :func:`rel_error`, which judges every entry on its own scale (so a tiny entry with
    rounding noise can dominate), this judges the difference against the size of the whole
    gradient. The result lies in ``[0, 1]``: 0 for equal arrays (also both zero), 1 for
    ``b = -a``. Compare it with :data:`PASS_MARK`.

    Shapes: ``a`` and ``b`` the same shape (any), finite -> float (0.0 for empty arrays).
    """
    a = as_float_array(a, "a").astype(np.float64, copy=False)
    b = as_float_array(b, "b").astype(np.float64, copy=False)
    if a.shape != b.shape:
        raise ValueError(f"b must have the same shape as a {a.shape}, got {b.shape}")
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / scale) if scale > 0 else 0.0


def check_layer_gradients(layer, X, rng, h: float = 1e-5, *, train: bool = True) -> dict:
    r"""Compare a layer's ``backward`` with central differences, for its input and params.

    A random upstream gradient ``G`` (the shape of the output) stands in for
    :math:`\partial L / \partial \text{out}`, so no loss function is needed: the scalar

    .. math:: f = \sum_{i} \text{out}_i\, G_i, \qquad \frac{\partial f}{\partial \text{out}} = G,

    has gradients ``layer.backward(G)`` (for ``X``) and ``layer.grads`` (for each param).
    Both are compared with :func:`numerical_gradient` using :func:`rel_error`.

    Numerical care: the central differences use :math:`\sum_i (\text{out}_i -
    \text{out}^0_i) G_i` with the unperturbed output :math:`\text{out}^0` subtracted
    first (same gradient); outputs the probe does not touch then cancel exactly, which
    removes most of the rounding noise from small gradient entries.

    ``train`` is passed to every ``forward`` call; with ``train=True`` a
    :class:`~mathlib.layers.Dropout` layer must have a fixed mask (``set_mask``), or the
    numerical gradient would see a new mask on every call.

    Works for anything with ``params``, ``grads``, ``set_params``, ``forward`` and
    ``backward`` -- a single layer or a whole :class:`~mathlib.model.Sequential`. The
    parameters are probed on copies and loaded with ``set_params``; the originals are
    restored at the end.

    Shapes: ``X`` the layer's input shape, float64; the layer's params must be float64.

    Returns
    -------
    dict
        ``{"X": err, "W": err, "b": err, ...}``: one relative error per gradient.
        Pass if all are below :data:`PASS_MARK`.
    """
    for attr in ("params", "grads", "set_params", "forward", "backward"):
        if not hasattr(layer, attr):
            raise TypeError(f"layer must be a layer or model (with params, grads, set_params, "
                            f"forward and backward), got {describe(layer)} without {attr!r}")
    rng = check_rng(rng)
    h = _check_step(h)
    train = check_bool(train, "train")
    X = _require_float64(np.asarray(X), "X").copy()
    original = {name: np.array(value, copy=True) for name, value in layer.params.items()}
    for name, value in original.items():
        _require_float64(value, f"layer.params[{name!r}]")
    out = np.array(layer.forward(X, train=train), dtype=np.float64, copy=True)
    G = rng.standard_normal(out.shape)
    dX = layer.backward(G.copy())
    grads = layer.grads
    analytic = {"X": np.array(dX, dtype=np.float64, copy=True)}
    for name in original:
        analytic[name] = np.array(grads[name], dtype=np.float64, copy=True)

    probe = {name: value.copy() for name, value in original.items()}

    def f(_x):
        # Load the (possibly perturbed) probe values, then evaluate sum((out - out0) * G).
        if probe:
            layer.set_params(probe)
        return float(np.sum((layer.forward(X, train=train) - out) * G))

    try:
        errors = {"X": rel_error(analytic["X"], numerical_gradient(f, X, h))}
        for name in original:
            errors[name] = rel_error(analytic[name], numerical_gradient(f, probe[name], h))
    finally:
        if original:
            layer.set_params(original)
    return errors
