"""Convolution and max-pooling on image batches, vectorised with im2col.

Shapes: images ``X (N, C, H, W)``; filters ``W (F, C, kh, kw)``; biases ``b (F,)``;
outputs ``(N, F, Ho, Wo)`` with, for padding ``p`` on each side and stride ``s``,

.. math:: H_o = \\left\\lfloor \\frac{H + 2p - k_h}{s} \\right\\rfloor + 1

Like every deep-learning library, "convolution" here is cross-correlation (the kernel is
not flipped). ``padding`` is an int (zeros on every side), a pair ``(ph, pw)``,
``"valid"`` (= 0) or ``"same"`` (TensorFlow's rule: ``Ho = ceil(H / s)``, the total
padding split with the extra pixel, if any, at the bottom/right).

The only Python loops run over the ``kh * kw`` kernel offsets, never over pixels.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from mathlib.checks import as_float_array, check_positive_int
from mathlib.layers import Layer, init_weights

__all__ = [
    "conv_output_shape",
    "im2col",
    "col2im",
    "conv2d_forward",
    "conv2d_backward",
    "maxpool2d_forward",
    "maxpool2d_backward",
    "Conv2D",
    "MaxPool2D",
]


def _pair(value, name):
    if isinstance(value, int | np.integer):
        return int(value), int(value)
    if isinstance(value, tuple | list) and len(value) == 2:
        return int(value[0]), int(value[1])
    raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")


def _pads(H, W, kh, kw, stride, padding):
    """Return ``(top, bottom, left, right)`` zero padding for the given rule."""
    if isinstance(padding, str):
        if padding == "valid":
            return 0, 0, 0, 0
        if padding != "same":
            raise ValueError(f'padding must be an int, a pair, "same" or "valid", got {padding!r}')
        pads = []
        for size, k in ((H, kh), (W, kw)):
            out = -(-size // stride)  # ceil(size / stride)
            total = max((out - 1) * stride + k - size, 0)
            pads += [total // 2, total - total // 2]
        return tuple(pads)
    ph, pw = _pair(padding, "padding")
    if ph < 0 or pw < 0:
        raise ValueError(f"padding must be >= 0, got {padding!r}")
    return ph, ph, pw, pw


def conv_output_shape(H, W, kernel_size, stride=1, padding=0) -> tuple[int, int]:
    r"""Output height and width ``(Ho, Wo)`` of a convolution or pooling window.

    .. math:: H_o = \left\lfloor \frac{H + p_{top} + p_{bottom} - k_h}{s} \right\rfloor + 1
    """
    kh, kw = _pair(kernel_size, "kernel_size")
    s = check_positive_int(stride, "stride")
    pt, pb, pl, pr = _pads(H, W, kh, kw, s, padding)
    Ho = (H + pt + pb - kh) // s + 1
    Wo = (W + pl + pr - kw) // s + 1
    if Ho < 1 or Wo < 1:
        raise ValueError(
            f"kernel {kh}x{kw} does not fit an image of {H}x{W} with padding {padding!r}"
        )
    return Ho, Wo


def _check_images(X, name="X"):
    X = as_float_array(X, name, ndim=4)
    return X


def im2col(X, kh, kw, stride=1, padding=0):
    r"""Unroll every ``C x kh x kw`` patch of a padded image batch into one row.

    .. math:: \text{cols}[(n, i, j), (c, u, v)] = X^{pad}_{n, c, s i + u, s j + v}

    Rows are ordered ``(n, i, j)`` and columns ``(c, u, v)``, both row-major, so a
    convolution is the matrix product ``cols @ W.reshape(F, -1).T``.

    Shapes: ``X (N, C, H, W)`` -> ``cols (N*Ho*Wo, C*kh*kw)`` (a new array).
    """
    X = _check_images(X)
    s = check_positive_int(stride, "stride")
    N, C, H, W = X.shape
    Ho, Wo = conv_output_shape(H, W, (kh, kw), s, padding)
    pt, pb, pl, pr = _pads(H, W, kh, kw, s, padding)
    Xp = X
    if pt or pb or pl or pr:
        Xp = np.pad(X, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    win = sliding_window_view(Xp, (kh, kw), axis=(2, 3))  # (N, C, Hp-kh+1, Wp-kw+1, kh, kw)
    win = win[:, :, : s * (Ho - 1) + 1 : s, : s * (Wo - 1) + 1 : s]  # (N, C, Ho, Wo, kh, kw)
    return win.transpose(0, 2, 3, 1, 4, 5).reshape(N * Ho * Wo, C * kh * kw)


def col2im(cols, X_shape, kh, kw, stride=1, padding=0):
    r"""Adjoint of :func:`im2col`: add every row's patch back into image positions.

    .. math:: dX^{pad}_{n, c, s i + u, s j + v} \mathrel{+}= \text{cols}[(n, i, j), (c, u, v)]

    Pixels covered by several patches receive the sum; the padding is cropped off.
    This turns ``dcols`` into ``dX`` in the convolution's backward pass.

    Shapes: ``cols (N*Ho*Wo, C*kh*kw)``, ``X_shape = (N, C, H, W)`` -> ``(N, C, H, W)``.
    """
    N, C, H, W = (int(v) for v in X_shape)
    s = check_positive_int(stride, "stride")
    Ho, Wo = conv_output_shape(H, W, (kh, kw), s, padding)
    pt, pb, pl, pr = _pads(H, W, kh, kw, s, padding)
    cols = as_float_array(cols, "cols", ndim=2)
    if cols.shape != (N * Ho * Wo, C * kh * kw):
        raise ValueError(
            f"cols must have shape (N*Ho*Wo, C*kh*kw) = ({N * Ho * Wo}, {C * kh * kw}), "
            f"got {cols.shape}"
        )
    c6 = cols.reshape(N, Ho, Wo, C, kh, kw)
    # Accumulate in (N, Hp, Wp, C) layout: the channel axis is innermost in both operands.
    dXp = np.zeros((N, H + pt + pb, W + pl + pr, C), dtype=cols.dtype)
    for u in range(kh):
        for v in range(kw):
            dXp[:, u : u + s * (Ho - 1) + 1 : s, v : v + s * (Wo - 1) + 1 : s, :] += c6[
                :, :, :, :, u, v
            ]
    return dXp[:, pt : pt + H, pl : pl + W, :].transpose(0, 3, 1, 2).copy()


def _check_filters(X, W, b):
    W = as_float_array(W, "W", ndim=4)
    b = as_float_array(b, "b", ndim=1)
    if X.shape[1] != W.shape[1]:
        raise ValueError(
            f"X must have shape (N, C, H, W) with C={W.shape[1]} channels to match "
            f"W {W.shape}, got {X.shape}"
        )
    if b.shape != (W.shape[0],):
        raise ValueError(f"b must have shape (F,) with F={W.shape[0]}, got {b.shape}")
    return W, b


def conv2d_forward(X, W, b, stride=1, padding=0):
    r"""2-D convolution (cross-correlation) of an image batch with a filter bank.

    .. math:: \text{out}_{n f i j} = b_f
              + \sum_{c, u, v} W_{f c u v}\, X^{pad}_{n, c, s i + u, s j + v}

    Computed as one matrix product on :func:`im2col` patches.

    Shapes: ``X (N, C, H, W)``, ``W (F, C, kh, kw)``, ``b (F,)`` -> ``(N, F, Ho, Wo)``.
    """
    X = _check_images(X)
    W, b = _check_filters(X, W, b)
    out, _ = _conv_forward(X, W, b, stride, padding)
    return out


def _conv_forward(X, W, b, stride, padding):
    N = X.shape[0]
    F, C, kh, kw = W.shape
    Ho, Wo = conv_output_shape(X.shape[2], X.shape[3], (kh, kw), stride, padding)
    cols = im2col(X, kh, kw, stride, padding)  # (N*Ho*Wo, C*kh*kw)
    out = cols @ W.reshape(F, -1).T  # (N*Ho*Wo, F)
    out += b
    return out.reshape(N, Ho, Wo, F).transpose(0, 3, 1, 2), cols  # (N, F, Ho, Wo)


def conv2d_backward(dOut, X, W, stride=1, padding=0, *, cols=None):
    r"""Gradients of :func:`conv2d_forward` for an upstream gradient ``dOut``.

    With :math:`G` = ``dOut`` reshaped to ``(N*Ho*Wo, F)``:

    .. math:: dW = G^\top \text{cols}, \quad db_f = \sum_{n,i,j} G_{(nij), f},
              \quad dX = \operatorname{col2im}(G\, W_{mat})

    ``dX`` is formed one kernel offset at a time (the same sum :func:`col2im` computes),
    which avoids building the ``(N*Ho*Wo, C*kh*kw)`` array ``G W_mat``.

    Shapes: ``dOut (N, F, Ho, Wo)``, ``X (N, C, H, W)``, ``W (F, C, kh, kw)``
    -> ``(dX (N, C, H, W), dW (F, C, kh, kw), db (F,))``. ``cols`` may pass the
    forward pass's :func:`im2col` result to save recomputing it.
    """
    X = _check_images(X)
    W = as_float_array(W, "W", ndim=4)
    F, C, kh, kw = W.shape
    N = X.shape[0]
    Ho, Wo = conv_output_shape(X.shape[2], X.shape[3], (kh, kw), stride, padding)
    dOut = as_float_array(dOut, "dOut", ndim=4)
    if dOut.shape != (N, F, Ho, Wo):
        raise ValueError(
            f"dOut must have shape (N, F, Ho, Wo) = {(N, F, Ho, Wo)}, got {dOut.shape}"
        )
    if cols is None:
        cols = im2col(X, kh, kw, stride, padding)
    G = dOut.transpose(0, 2, 3, 1).reshape(N * Ho * Wo, F)  # (N*Ho*Wo, F)
    dW = (G.T @ cols).reshape(W.shape)  # (F, C, kh, kw)
    db = G.sum(axis=0)  # (F,)
    # dX = col2im(G @ W_mat), formed one kernel offset at a time so the big dcols array
    # is never built: offset (u, v) adds G @ W[:, :, u, v] to the pixels it touched.
    s = stride
    H, Wd = X.shape[2], X.shape[3]
    pt, pb, pl, pr = _pads(H, Wd, kh, kw, s, padding)
    W_off = W.transpose(2, 3, 0, 1).copy()  # (kh, kw, F, C)
    dXp = np.zeros((N, H + pt + pb, Wd + pl + pr, C), dtype=G.dtype)  # channels last
    for u in range(kh):
        for v in range(kw):
            dXp[:, u : u + s * (Ho - 1) + 1 : s, v : v + s * (Wo - 1) + 1 : s, :] += (
                G @ W_off[u, v]
            ).reshape(N, Ho, Wo, C)
    dX = dXp[:, pt : pt + H, pl : pl + Wd, :].transpose(0, 3, 1, 2)  # (N, C, H, W)
    return dX, dW, db


def maxpool2d_forward(X, size=2, stride=2):
    r"""Max pooling over ``size x size`` windows moved by ``stride`` (no padding).

    .. math:: \text{out}_{n c i j} = \max_{0 \le u, v < k} X_{n, c, s i + u, s j + v}

    Windows that would run past the edge are dropped (``Ho = (H - k) // s + 1``).

    Shapes: ``X (N, C, H, W)`` -> ``(out (N, C, Ho, Wo), argmax (N, C, Ho, Wo))``, where
    ``argmax`` is the flat index ``u * k + v`` of the winner inside its window. On ties
    the first maximum in row-major window order (top-left first) wins and alone receives
    the gradient.
    """
    X = _check_images(X)
    k = check_positive_int(size, "size")
    s = check_positive_int(stride, "stride")
    N, C, H, W = X.shape
    Ho, Wo = conv_output_shape(H, W, k, s, 0)
    win = sliding_window_view(X, (k, k), axis=(2, 3))
    win = win[:, :, : s * (Ho - 1) + 1 : s, : s * (Wo - 1) + 1 : s]  # (N, C, Ho, Wo, k, k)
    flat = win.reshape(N, C, Ho, Wo, k * k)
    idx = flat.argmax(axis=-1)  # (N, C, Ho, Wo)
    out = np.take_along_axis(flat, idx[..., None], axis=-1)[..., 0]
    return out, idx


def maxpool2d_backward(dOut, argmax, X_shape, size=2, stride=2):
    r"""Backward pass of :func:`maxpool2d_forward`: route each gradient to its window's max.

    .. math:: dX_{n, c, s i + u, s j + v} \mathrel{+}= d\text{out}_{n c i j}\,
              [\,(u, v) = \operatorname{argmax}_{n c i j}\,]

    Shapes: ``dOut (N, C, Ho, Wo)``, ``argmax (N, C, Ho, Wo)``, ``X_shape = (N, C, H, W)``
    -> ``dX (N, C, H, W)``; every other input pixel gets 0.
    """
    k = check_positive_int(size, "size")
    s = check_positive_int(stride, "stride")
    N, C, H, W = (int(v) for v in X_shape)
    Ho, Wo = conv_output_shape(H, W, k, s, 0)
    dOut = as_float_array(dOut, "dOut", ndim=4)
    argmax = np.asarray(argmax)
    if dOut.shape != (N, C, Ho, Wo) or argmax.shape != dOut.shape:
        raise ValueError(
            f"dOut and argmax must have shape (N, C, Ho, Wo) = {(N, C, Ho, Wo)}, "
            f"got {dOut.shape} and {argmax.shape}"
        )
    dX = np.zeros((N, C, H, W), dtype=dOut.dtype)
    for u in range(k):
        for v in range(k):
            routed = np.where(argmax == u * k + v, dOut, 0)
            dX[:, :, u : u + s * (Ho - 1) + 1 : s, v : v + s * (Wo - 1) + 1 : s] += routed
    return dX


class Conv2D(Layer):
    r"""Convolution layer with filters ``W (F, C, kh, kw)`` and biases ``b (F,)``.

    .. math:: \text{out}_{n f i j} = b_f
              + \sum_{c, u, v} W_{f c u v}\, X^{pad}_{n, c, s i + u, s j + v}

    See :func:`conv2d_forward` / :func:`conv2d_backward`. ``padding`` is an int, a pair,
    ``"valid"`` or ``"same"``. Weights default to He initialisation with
    ``fan_in = C*kh*kw``; ``init="truncated_normal", std=0.1, bias=0.1`` reproduces the
    TF "Deep MNIST" tutorial.

    Shapes: ``X (N, C, H, W)`` -> ``(N, F, Ho, Wo)``.
    """

    def __init__(self, in_channels, out_channels, kernel_size, *, stride=1, padding=0, rng,
                 init="he", std=None, bias=0.0, dtype=np.float64):
        super().__init__(dtype)
        C = check_positive_int(in_channels, "in_channels")
        F = check_positive_int(out_channels, "out_channels")
        kh, kw = _pair(kernel_size, "kernel_size")
        self.stride = check_positive_int(stride, "stride")
        _pads(kh, kw, kh, kw, self.stride, padding)  # validates the padding spec early
        self.padding = padding
        W = init_weights((F, C, kh, kw), C * kh * kw, F * kh * kw, init=init, std=std,
                         rng=rng, dtype=self.dtype)
        b = np.full((F,), bias, dtype=self.dtype)
        self.params = {"W": W, "b": b}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)}

    @classmethod
    def from_arrays(cls, W, b, *, stride=1, padding=0) -> Conv2D:
        """Build a Conv2D layer from ``W (F, C, kh, kw)`` and ``b (F,)`` (both copied)."""
        W = as_float_array(W, "W", ndim=4)
        b = as_float_array(b, "b", ndim=1)
        if b.shape != (W.shape[0],):
            raise ValueError(f"b must have shape (F,) with F={W.shape[0]}, got {b.shape}")
        layer = cls.__new__(cls)
        Layer.__init__(layer, W.dtype)
        layer.stride = check_positive_int(stride, "stride")
        _pads(W.shape[2], W.shape[3], W.shape[2], W.shape[3], layer.stride, padding)
        layer.padding = padding
        layer.params = {"W": W.copy(), "b": b.astype(W.dtype)}
        layer.grads = {"W": np.zeros_like(W), "b": np.zeros_like(layer.params["b"])}
        return layer

    def forward(self, X, *, train=False):
        X = self._input(X, ndim=4)
        W, b = _check_filters(X, self.params["W"], self.params["b"])
        out, cols = _conv_forward(X, W, b, self.stride, self.padding)
        self._cache = (X, cols, out.shape)
        return out

    def backward(self, dOut):
        X, cols, out_shape = self._cached()
        dOut = self._upstream(dOut, out_shape)
        dX, dW, db = conv2d_backward(dOut, X, self.params["W"], self.stride, self.padding,
                                     cols=cols)
        self.grads = {"W": dW, "b": db}
        return dX

    def __repr__(self) -> str:
        F, C, kh, kw = self.params["W"].shape
        return (f"Conv2D({C}, {F}, ({kh}, {kw}), stride={self.stride}, "
                f"padding={self.padding!r}, dtype={self.dtype})")


class MaxPool2D(Layer):
    r"""Max-pooling layer (no parameters); see :func:`maxpool2d_forward`.

    .. math:: \text{out}_{n c i j} = \max_{0 \le u, v < k} X_{n, c, s i + u, s j + v}

    On ties the first maximum (row-major in its window) receives the whole gradient.

    Shapes: ``X (N, C, H, W)`` -> ``(N, C, Ho, Wo)``, ``Ho = (H - size) // stride + 1``.
    """

    def __init__(self, size=2, stride=2):
        super().__init__()
        self.size = check_positive_int(size, "size")
        self.stride = check_positive_int(stride, "stride")

    def forward(self, X, *, train=False):
        X = as_float_array(X, "X", ndim=4)  # pooling keeps the input's dtype
        out, idx = maxpool2d_forward(X, self.size, self.stride)
        self._cache = (X.shape, idx, out.shape)
        return out

    def backward(self, dOut):
        X_shape, idx, out_shape = self._cached()
        dOut = self._upstream(dOut, out_shape)
        return maxpool2d_backward(dOut, idx, X_shape, self.size, self.stride)

    def __repr__(self) -> str:
        return f"MaxPool2D(size={self.size}, stride={self.stride})"
