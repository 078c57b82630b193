"""Layers with explicit parameters, gradients and forward/backward passes.

Every layer has

- ``params``: ``dict[str, ndarray]`` -- the layer's own parameter arrays (empty for
  activations). ``set_params`` copies new values into them.
- ``grads``: ``dict[str, ndarray]`` with the same keys and shapes, filled by ``backward``
  (overwritten, not accumulated).
- ``forward(X, *, train=False) -> out``; the layer remembers what its backward pass
  needs from the *last* forward call.
- ``backward(dOut) -> dX``: takes :math:`\\partial L/\\partial \\text{out}`, returns
  :math:`\\partial L/\\partial X` as a new array; it never modifies its input.

Shapes: ``X (N, D)``, ``W (D, K)``, ``b (K,)``, ``Z (N, K)``, images ``(N, C, H, W)``.
A layer with parameters casts its input to their dtype (float32 or float64); a layer
without parameters keeps a float32 or float64 input's dtype and computes integer, boolean
and float16 input in float64. Every ``forward`` accepts an empty batch (``N = 0``) and
returns an empty output; only the loss (a mean over the batch) needs ``N >= 1``.
"""

from __future__ import annotations

import math

import numpy as np

from mathlib import init as _init
from mathlib.activations import sigmoid, softmax, tanh
from mathlib.checks import (
    as_float_array,
    check_bool,
    check_choice,
    check_float_dtype,
    check_mapping,
    check_number,
    check_positive_int,
    check_rng,
    check_shape,
    describe,
    resolve_targets,
)
from mathlib.losses import cross_entropy_from_logits

__all__ = [
    "Layer",
    "Dense",
    "ReLU",
    "Sigmoid",
    "Tanh",
    "Dropout",
    "Flatten",
    "Reshape",
    "SoftmaxCrossEntropy",
    "init_weights",
]


class Layer:
    """Base class: empty ``params``/``grads``, shared checks; subclasses define forward/backward."""

    def __init__(self, dtype=None):
        # dtype of the parameters; None for parameter-free layers (they keep X's dtype).
        self.dtype = None if dtype is None else check_float_dtype(dtype)
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self._cache = None

    def forward(self, X, *, train: bool = False):  # pragma: no cover - abstract
        """Compute the layer's output for ``X`` and remember what backward needs.

        ``train`` matters only for layers that behave differently in training (dropout).
        The formula and shapes are in each layer's class docstring.
        """
        raise NotImplementedError

    def backward(self, dOut):  # pragma: no cover - abstract
        """Given ``dOut = dL/d(output)`` (the output's shape), fill ``grads`` and return dL/dX.

        Uses what the last ``forward`` stored; never modifies ``dOut`` or that input.
        """
        raise NotImplementedError

    def set_params(self, params) -> None:
        """Copy new values into the parameter arrays; keys and shapes must match exactly."""
        check_mapping(params, "params")
        if set(params) != set(self.params):
            raise ValueError(
                f"params must have keys {sorted(self.params)}, got {sorted(params)}"
            )
        for name, value in params.items():
            value = as_float_array(value, f"params[{name!r}]")
            if value.shape != self.params[name].shape:
                raise ValueError(
                    f"params[{name!r}] must have shape {self.params[name].shape}, "
                    f"got {value.shape}"
                )
            np.copyto(self.params[name], value)

    def _input(self, X, name="X", ndim=None, *, train=False):
        """Check ``train`` and ``X``; cast ``X`` to the parameters' dtype if there are any."""
        check_bool(train, "train")
        X = as_float_array(X, name, ndim=ndim)
        return X if self.dtype is None or X.dtype == self.dtype else X.astype(self.dtype)

    def _cached(self):
        """What the last forward pass stored for backward; error if there was none."""
        if self._cache is None:
            raise ValueError(f"{type(self).__name__}.backward called before forward")
        return self._cache

    def _upstream(self, dOut, shape, name="dOut"):
        """Check the upstream gradient against the last output's shape; cast to our dtype."""
        dOut = as_float_array(dOut, name)
        if dOut.shape != shape:
            raise ValueError(
                f"{name} must have the shape of the last forward output {shape}, "
                f"got {dOut.shape}"
            )
        if self.dtype is None or dOut.dtype == self.dtype:
            return dOut
        return dOut.astype(self.dtype)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def init_weights(shape, fan_in, fan_out, *, init, std, rng, dtype):
    r"""Draw a weight array of ``shape`` with a named scheme.

    ``init`` is one of ``"he"`` (:math:`\mathcal N(0, 2/\text{fan\_in})`), ``"xavier"``
    (uniform, variance :math:`2/(\text{fan\_in}+\text{fan\_out})`), ``"xavier_normal"``,
    ``"normal"`` (:math:`\mathcal N(0, \text{std}^2)`, ``std`` required) or
    ``"truncated_normal"`` (TensorFlow's, ``std`` required; the other schemes take their
    scale from the fans, so they refuse a ``std``). ``dtype`` is float32 or float64.
    """
    shape = check_shape(shape)
    fan_in = check_positive_int(fan_in, "fan_in")
    fan_out = check_positive_int(fan_out, "fan_out")
    rng = check_rng(rng)
    dtype = check_float_dtype(dtype)
    check_choice(init, "init", ("he", "xavier", "xavier_normal", "normal", "truncated_normal"))
    if std is not None and init not in ("normal", "truncated_normal"):
        raise ValueError(f'std is only used by init="normal" or "truncated_normal", got '
                         f"std={std!r} with init={init!r}")
    if init == "he":
        return _init.normal(shape, np.sqrt(2.0 / fan_in), rng, dtype)
    if init == "xavier":
        a = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-a, a, size=shape).astype(dtype)
    if init == "xavier_normal":
        return _init.normal(shape, np.sqrt(2.0 / (fan_in + fan_out)), rng, dtype)
    if std is None:  # "normal" or "truncated_normal"
        raise ValueError(f'init="{init}" needs std=..., got std=None')
    fn = _init.normal if init == "normal" else _init.truncated_normal
    return fn(shape, std, rng, dtype)


class Dense(Layer):
    r"""Fully connected (affine) layer.

    .. math:: Z = X W + b

    Backward, with :math:`dZ = \partial L / \partial Z`:

    .. math:: dW = X^\top dZ, \quad db = \textstyle\sum_n dZ_{n\cdot}, \quad dX = dZ\, W^\top

    Shapes: ``X (N, D)`` -> ``Z (N, K)``; ``W (D, K)``, ``b (K,)``, with
    ``D = in_features``, ``K = out_features``.

    Parameters
    ----------
    in_features, out_features : int
    rng : np.random.Generator
    init : str
        Weight scheme, see :func:`init_weights` (default ``"he"``).
    std : float, optional
        For ``init="normal"`` / ``"truncated_normal"``.
    bias : float
        Initial value of every bias (default 0; the TF tutorial uses 0.1).
    dtype : float32 or float64 (default float64).
    """

    def __init__(self, in_features, out_features, *, rng, init="he", std=None, bias=0.0,
                 dtype=np.float64):
        super().__init__(dtype)
        D = check_positive_int(in_features, "in_features")
        K = check_positive_int(out_features, "out_features")
        bias = check_number(bias, "bias")
        W = init_weights((D, K), D, K, init=init, std=std, rng=rng, dtype=self.dtype)
        self.params = {"W": W, "b": _init.constant((K,), bias, self.dtype)}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros((K,), self.dtype)}

    @classmethod
    def from_arrays(cls, W, b) -> Dense:
        """Build a Dense layer from given ``W (D, K)`` and ``b (K,)`` (both are copied).

        The layer's dtype is ``W``'s; ``b`` is cast to it.
        """
        W = as_float_array(W, "W", ndim=2)
        if min(W.shape) < 1:
            raise ValueError(f"W must have shape (D, K) with D, K >= 1, got {W.shape}")
        b = as_float_array(b, "b", ndim=1)
        if b.shape != (W.shape[1],):
            raise ValueError(f"b must have shape (K,) with K={W.shape[1]}, got {b.shape}")
        layer = cls.__new__(cls)
        Layer.__init__(layer, W.dtype)
        layer.params = {"W": W.copy(), "b": b.astype(W.dtype)}
        layer.grads = {"W": np.zeros_like(W), "b": np.zeros_like(layer.params["b"])}
        return layer

    @property
    def in_features(self) -> int:
        return self.params["W"].shape[0]

    @property
    def out_features(self) -> int:
        return self.params["W"].shape[1]

    def forward(self, X, *, train=False):
        X = self._input(X, ndim=2, train=train)
        D = self.in_features
        if X.shape[1] != D:
            raise ValueError(f"X must have shape (N, D) with D={D}, got {X.shape}")
        self._cache = X
        return X @ self.params["W"] + self.params["b"]  # (N, K)

    def backward(self, dOut):
        dZ = self.backward_params(dOut)
        return dZ @ self.params["W"].T  # (N, D)

    def backward_params(self, dOut):
        """Fill ``grads`` like :meth:`backward` without forming ``dX``; returns ``dZ``.

        For a first layer, whose ``dX`` nothing needs (see ``Sequential.backward``).
        """
        X = self._cached()
        dZ = self._upstream(dOut, (X.shape[0], self.out_features))
        self.grads = {"W": X.T @ dZ, "b": dZ.sum(axis=0)}  # (D, K), (K,)
        return dZ

    def __repr__(self) -> str:
        return f"Dense({self.in_features}, {self.out_features}, dtype={self.dtype})"


class ReLU(Layer):
    r"""ReLU activation layer: :math:`A = \max(0, Z)`, :math:`dZ = dA \odot [Z > 0]`.

    At ``Z == 0`` the subgradient 0 is used. Shapes: any -> same.
    """

    def forward(self, X, *, train=False):
        X = self._input(X, train=train)
        self._cache = X
        return np.maximum(X, 0)  # relu(X); X is already checked

    def backward(self, dOut):
        Z = self._cached()
        dA = self._upstream(dOut, Z.shape)
        # relu_backward(dA, Z) without re-checking its inputs; a product with the 0/1 mask
        # is several times faster than np.where on a data-dependent mask.
        return dA * (Z > 0)


class Sigmoid(Layer):
    r"""Sigmoid activation layer: :math:`A = \sigma(Z)`, :math:`dZ = dA \odot A(1-A)`.

    Shapes: any -> same.
    """

    def forward(self, X, *, train=False):
        A = sigmoid(self._input(X, train=train))
        self._cache = A
        return A.copy()

    def backward(self, dOut):
        A = self._cached()
        dA = self._upstream(dOut, A.shape)
        return dA * A * (1 - A)


class Tanh(Layer):
    r"""Tanh activation layer: :math:`A = \tanh(Z)`, :math:`dZ = dA \odot (1 - A^2)`.

    Shapes: any -> same.
    """

    def forward(self, X, *, train=False):
        A = tanh(self._input(X, train=train))
        self._cache = A
        return A.copy()

    def backward(self, dOut):
        A = self._cached()
        dA = self._upstream(dOut, A.shape)
        return dA * (1 - A * A)


class Dropout(Layer):
    r"""Inverted dropout, parameterised like the TF tutorial by ``keep_prob``.

    In training each unit is kept with probability ``p = keep_prob`` and the kept ones
    are scaled by ``1/p``, so the expected activation is unchanged and evaluation is
    the identity:

    .. math:: \text{out} = X \odot \frac{M}{p}, \quad M_{i} \sim \text{Bernoulli}(p),
              \qquad dX = d\text{out} \odot \frac{M}{p}

    ``forward(X, train=False)`` returns a copy of ``X``. For tests, :meth:`set_mask`
    fixes ``M`` (boolean, shape of ``X``); ``set_mask(None)`` goes back to random masks.

    Shapes: any -> same.
    """

    def __init__(self, keep_prob=0.5, *, rng):
        super().__init__()
        self.keep_prob = check_number(keep_prob, "keep_prob", low=0, high=1, low_open=True)
        self.rng = check_rng(rng)
        self.fixed_mask = None

    def set_mask(self, mask) -> None:
        """Fix the keep-mask ``M`` (True = keep) used in training, or ``None`` for random."""
        if mask is None:
            self.fixed_mask = None
            return
        mask = np.asarray(mask)
        if mask.dtype.kind not in "biuf":
            raise TypeError(f"mask must be a boolean array (True = keep), got {describe(mask)}")
        if mask.dtype != bool:
            if not np.all((mask == 0) | (mask == 1)):
                raise ValueError("mask must be boolean or hold only 0 and 1")
            mask = mask.astype(bool)
        self.fixed_mask = mask.copy()

    def forward(self, X, *, train=False):
        X = self._input(X, train=train)
        if not train or self.keep_prob == 1.0:
            self._cache = (X.shape, None)
            return X.copy()
        if self.fixed_mask is not None:
            if self.fixed_mask.shape != X.shape:
                raise ValueError(
                    f"X must have the shape of the fixed mask {self.fixed_mask.shape} "
                    f"(see set_mask), got {X.shape}"
                )
            keep = self.fixed_mask
        else:
            keep = self.rng.random(X.shape) < self.keep_prob
        scale = (keep / self.keep_prob).astype(X.dtype)  # M / p
        self._cache = (X.shape, scale)
        return X * scale

    def backward(self, dOut):
        shape, scale = self._cached()
        dOut = self._upstream(dOut, shape)
        return dOut.copy() if scale is None else dOut * scale

    def __repr__(self) -> str:
        return f"Dropout(keep_prob={self.keep_prob})"


class Flatten(Layer):
    """Flatten everything but the batch axis: ``(N, C, H, W)`` -> ``(N, C*H*W)``.

    Backward reshapes the gradient back. Both return new arrays (not views).
    """

    def forward(self, X, *, train=False):
        X = self._input(X, train=train)
        if X.ndim < 2:
            raise ValueError(f"X must have a batch axis and at least one more, got {X.shape}")
        self._cache = X.shape
        return X.reshape(X.shape[0], math.prod(X.shape[1:])).copy()  # N = 0 works too

    def backward(self, dOut):
        shape = self._cached()
        dOut = self._upstream(dOut, (shape[0], math.prod(shape[1:])))
        return dOut.reshape(shape).copy()


class Reshape(Layer):
    """Reshape every sample: ``(N, ...)`` -> ``(N, *shape)``.

    For example ``Reshape((1, 28, 28))`` turns ``(N, 784)`` into ``(N, 1, 28, 28)``.
    Returns new arrays (not views).
    """

    def __init__(self, shape):
        super().__init__()
        if not isinstance(shape, tuple | list):
            raise TypeError(f"shape must be a tuple of positive ints, got {describe(shape)}")
        self.shape = tuple(check_positive_int(s, f"shape[{i}]") for i, s in enumerate(shape))

    def forward(self, X, *, train=False):
        X = self._input(X, train=train)
        if X.ndim < 1 or math.prod(X.shape[1:]) != math.prod(self.shape):
            raise ValueError(
                f"X must have N samples of {math.prod(self.shape)} values to reshape "
                f"to (N, {', '.join(map(str, self.shape))}), got {X.shape}"
            )
        self._cache = X.shape
        return X.reshape((X.shape[0], *self.shape)).copy()

    def backward(self, dOut):
        shape = self._cached()
        dOut = self._upstream(dOut, (shape[0], *self.shape))
        return dOut.reshape(shape).copy()

    def __repr__(self) -> str:
        return f"Reshape({self.shape})"


class SoftmaxCrossEntropy:
    r"""Softmax followed by mean cross-entropy, as one fused loss layer.

    .. math:: L = -\frac{1}{N}\sum_{n,k} Y_{nk} \log \operatorname{softmax}(Z)_{nk},
              \qquad \frac{\partial L}{\partial Z} = \frac{P - Y}{N}

    The simple gradient holds only for this pairing (softmax output + cross-entropy).
    ``forward(Z, y=... or Y=...)`` returns the loss (float, ``N >= 1``); ``backward(dLoss)``
    returns ``dZ`` scaled by the finite number ``dLoss`` (default 1).

    Shapes: ``Z (N, K)``; ``y (N,)`` int labels or ``Y (N, K)`` rows -> scalar; ``dZ (N, K)``.
    """

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self._cache = None

    def forward(self, Z, *, y=None, Y=None) -> float:
        Z = as_float_array(Z, "Z", ndim=2)
        n, k = Z.shape
        T = resolve_targets(y, Y, n, k, Z.dtype)  # (N, K)
        # The caller's own targets: their dtype sets the tolerance of the row-sum check
        # (float16 rows are exact only to float16 precision). Refuses N = 0 and K = 0.
        loss = cross_entropy_from_logits(Z, y=y, Y=Y)
        self._cache = (softmax(Z), T)  # P (N, K), Y (N, K)
        return loss

    def backward(self, dLoss: float = 1.0):
        dLoss = check_number(dLoss, "dLoss")
        if self._cache is None:
            raise ValueError("SoftmaxCrossEntropy.backward called before forward")
        P, T = self._cache
        return (dLoss / P.shape[0]) * (P - T)  # (N, K)

    def __repr__(self) -> str:
        return "SoftmaxCrossEntropy()"
