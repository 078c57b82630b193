"""Convolution and max-pooling on image batches, vectorised with im2col.

Shapes: images ``X (N, C, H, W)``; filters ``W (F, C, kh, kw)``; biases ``b (F,)``;
outputs ``(N, F, Ho, Wo)`` with, for padding ``p`` on each side and stride ``s``,

.. math:: H_o = \\left\\lfloor \\frac{H + 2p - k_h}{s} \\right\\rfloor + 1

Like every deep-learning library, "convolution" here is cross-correlation (the kernel is
not flipped). ``padding`` is an int (zeros on every side), a pair of ints ``(ph, pw)``,
``"valid"`` (= 0) or ``"same"`` (TensorFlow's rule: ``Ho = ceil(H / s)``, the total
padding split with the extra pixel, if any, at the bottom/right). Kernel sizes, strides
and paddings must be Python or NumPy integers: ``1.5`` is refused, never truncated.

Dtypes: float32 and float64 arrays are kept; integer, boolean and float16 arrays become
float64. When the arrays of one call differ (a float32 ``X`` with a float64 ``W``), the
computation and every output use the wider dtype. An empty batch (``N = 0``) gives empty
outputs (and zero parameter gradients).

Memory layout (why this module is fast)
---------------------------------------
Every array here has the *shape* ``(N, C, H, W)``, but the layers keep the *memory*
channels-last, ``(N, H, W, C)``: the shape is a ``transpose`` view of that memory, which
costs nothing. Three reasons:

- a convolution's result ``cols @ W_mat.T`` comes out of the matrix product with rows
  ``(n, i, j)`` and columns ``f``, which *is* channels-last memory: no copy to reorder it;
- in channels-last memory the ``kw`` neighbouring pixels of a patch row, with all their
  channels, are ``kw * C`` consecutive numbers, so :func:`im2col` copies long contiguous
  runs (160 floats for a 5x5 kernel on 32 channels) instead of runs of ``kw``;
- the backward pass reads ``dOut`` in the same layout as a ``(N*Ho*Wo, F)`` matrix,
  again without a copy.

For the same reason the columns of :func:`im2col` are ordered ``(u, v, c)`` (kernel row,
kernel column, channel), and the filters enter the product flattened in that order,
``W_mat = W.transpose(0, 2, 3, 1).reshape(F, kh*kw*C)``. Any input layout works (NumPy
follows the strides); channels-last input only saves copies. Outputs are therefore often
non-contiguous views; use ``np.ascontiguousarray`` if a C-ordered array is needed.

The only Python loops run over the ``kh * kw`` kernel offsets (col2im's sum, the running
maximum of a pooling window), never over pixels or images; max-pool backward has none.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from mathlib.checks import (
    as_float_array,
    check_bool,
    check_int,
    check_number,
    check_positive_int,
    describe,
)
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


# ---------------------------------------------------------------------------------------
# Checking sizes and padding (all O(1): they run on every forward pass)
# ---------------------------------------------------------------------------------------

def _int_pair(value, name, minimum):
    """An int or a pair of ints, each >= ``minimum`` -> ``(a, b)``."""
    if isinstance(value, tuple | list):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
        return tuple(check_int(v, f"{name}[{i}]", minimum=minimum) for i, v in enumerate(value))
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an int or a pair of ints, got {describe(value)}")
    v = check_int(value, name, minimum=minimum)
    return v, v


def _check_kernel(kernel_size, name="kernel_size"):
    return _int_pair(kernel_size, name, minimum=1)


def _check_padding(padding):
    """Return ``"same"``, ``"valid"`` or a pair ``(ph, pw)`` of non-negative ints."""
    if isinstance(padding, str):
        if padding not in ("same", "valid"):
            raise ValueError(
                f'padding must be an int, a pair of ints, "same" or "valid", got {padding!r}')
        return padding
    return _int_pair(padding, "padding", minimum=0)


def _pads(H, W, kh, kw, stride, padding):
    """``(top, bottom, left, right)`` zero padding for a checked padding spec."""
    if padding == "valid":
        return 0, 0, 0, 0
    if padding == "same":
        pads = []
        for size, k in ((H, kh), (W, kw)):
            out = -(-size // stride)  # ceil(size / stride)
            total = max((out - 1) * stride + k - size, 0)
            pads += [total // 2, total - total // 2]
        return tuple(pads)
    ph, pw = padding
    return ph, ph, pw, pw


def _geometry(H, W, kh, kw, stride, padding, kernel_name, image_name):
    """Pads and output size of a window on ``H x W`` images; error if it does not fit."""
    pt, pb, pl, pr = _pads(H, W, kh, kw, stride, padding)
    Ho = (H + pt + pb - kh) // stride + 1
    Wo = (W + pl + pr - kw) // stride + 1
    if Ho < 1 or Wo < 1:
        padded = "" if padding == "valid" else f" with padding {padding!r}"
        raise ValueError(
            f"{kernel_name} {kh}x{kw} does not fit the {H}x{W} images of {image_name}{padded}: "
            f"the (padded) image must be at least as large as the kernel"
        )
    return (pt, pb, pl, pr), Ho, Wo


def _check_images(X, name="X"):
    """A 4-D finite float array ``(N, C, H, W)`` with ``C, H, W >= 1`` (``N`` may be 0)."""
    X = as_float_array(X, name, ndim=4)
    if min(X.shape[1:]) < 1:
        raise ValueError(f"{name} must have shape (N, C, H, W) with C, H, W >= 1, got {X.shape}")
    return X


def _check_filters(W, name="W"):
    W = as_float_array(W, name, ndim=4)
    if min(W.shape) < 1:
        raise ValueError(
            f"{name} must have shape (F, C, kh, kw) with every size >= 1, got {W.shape}")
    return W


def _check_image_shape(X_shape, name="X_shape"):
    """``X_shape = (N, C, H, W)``: four ints, ``N >= 0``, the others ``>= 1``."""
    if not isinstance(X_shape, tuple | list):
        raise TypeError(f"{name} must be a tuple (N, C, H, W), got {describe(X_shape)}")
    if len(X_shape) != 4:
        raise ValueError(f"{name} must be a tuple (N, C, H, W) of 4 ints, got {X_shape!r}")
    return tuple(check_int(v, f"{name}[{i}]", minimum=0 if i == 0 else 1)
                 for i, v in enumerate(X_shape))


def _common_dtype(*arrays):
    """Cast float arrays to their common (widest) dtype; a no-op when they already agree."""
    dtype = np.result_type(*arrays)
    return [a if a.dtype == dtype else a.astype(dtype) for a in arrays]


def _check_channels(X, W, X_name="X"):
    if X.shape[1] != W.shape[1]:
        raise ValueError(
            f"{X_name} must have shape (N, C, H, W) with C={W.shape[1]} channels to match "
            f"W {W.shape}, got {X.shape}"
        )


def conv_output_shape(H, W, kernel_size, stride=1, padding=0) -> tuple[int, int]:
    r"""Output height and width ``(Ho, Wo)`` of a convolution or pooling window.

    .. math:: H_o = \left\lfloor \frac{H + p_{top} + p_{bottom} - k_h}{s} \right\rfloor + 1

    ``H, W`` and ``kernel_size`` (an int or a pair ``(kh, kw)``) must be positive ints;
    a kernel larger than the padded image is a ``ValueError``.
    """
    H = check_positive_int(H, "H")
    W = check_positive_int(W, "W")
    kh, kw = _check_kernel(kernel_size)
    s = check_positive_int(stride, "stride")
    padding = _check_padding(padding)
    _, Ho, Wo = _geometry(H, W, kh, kw, s, padding, "kernel_size", "H x W")
    return Ho, Wo


# ---------------------------------------------------------------------------------------
# im2col / col2im
# ---------------------------------------------------------------------------------------

def _channels_last(X):
    """View an ``(N, C, H, W)`` array as ``(N, H, W, C)`` (no copy)."""
    return X.transpose(0, 2, 3, 1)


def _channels_first(Xh):
    """View an ``(N, H, W, C)`` array as ``(N, C, H, W)`` (no copy)."""
    return Xh.transpose(0, 3, 1, 2)


def _windows(Xh, kh, kw, s, Ho, Wo):
    """All ``kh x kw`` windows of channels-last images moved by ``s``, as a view.

    Shapes: ``Xh (N, Hp, Wp, C)`` -> ``(N, Ho, Wo, kh, kw, C)``; entry ``[n, i, j, u, v, c]``
    is ``Xh[n, s*i + u, s*j + v, c]``. Nothing is copied.
    """
    win = sliding_window_view(Xh, (kh, kw), axis=(1, 2))  # (N, Hp-kh+1, Wp-kw+1, C, kh, kw)
    win = win[:, : s * (Ho - 1) + 1 : s, : s * (Wo - 1) + 1 : s]
    return win.transpose(0, 1, 2, 4, 5, 3)


def _im2col(X, kh, kw, s, pads, Ho, Wo):
    N, C, H, W = X.shape
    pt, pb, pl, pr = pads
    Xh = _channels_last(X)
    if pt or pb or pl or pr:  # a zero-padded channels-last copy (small next to cols)
        Xh = np.zeros((N, H + pt + pb, W + pl + pr, C), dtype=X.dtype)
        Xh[:, pt : pt + H, pl : pl + W] = _channels_last(X)
    # The windows are a view; reshaping them into a matrix is the one big copy.
    return _windows(Xh, kh, kw, s, Ho, Wo).reshape(N * Ho * Wo, kh * kw * C)


def im2col(X, kh, kw, stride=1, padding=0):
    r"""Unroll every ``C x kh x kw`` patch of a padded image batch into one row.

    .. math:: \text{cols}[(n, i, j), (u, v, c)] = X^{pad}_{n, c, s i + u, s j + v}

    Rows are ordered ``(n, i, j)`` and columns ``(u, v, c)``, both row-major (channels
    last, see the module docstring), so a convolution is the matrix product
    ``cols @ W_mat.T`` with ``W_mat = W.transpose(0, 2, 3, 1).reshape(F, -1)``.

    The patches are a strided *view* of the (padded) images, ``sliding_window_view``;
    reshaping that view into a matrix is the one copy.

    Shapes: ``X (N, C, H, W)`` -> ``cols (N*Ho*Wo, kh*kw*C)`` (a new array, ``X``'s dtype).
    """
    X = _check_images(X)
    kh = check_positive_int(kh, "kh")
    kw = check_positive_int(kw, "kw")
    s = check_positive_int(stride, "stride")
    padding = _check_padding(padding)
    pads, Ho, Wo = _geometry(X.shape[2], X.shape[3], kh, kw, s, padding, "kh x kw", "X")
    return _im2col(X, kh, kw, s, pads, Ho, Wo)


def _col2im(slabs, H, W, s, pads):
    """The sum of :func:`col2im`, from the patches grouped by kernel offset.

    ``slabs[u, v]`` is ``(N, Ho, Wo, C)``: entry ``(u, v)`` of every patch. Each offset is
    one vectorised add into the pixels it was copied from; the result is channels-last
    ``(N, H, W, C)`` with the padding cropped off.
    """
    kh, kw, N, Ho, Wo, C = slabs.shape
    pt, pb, pl, pr = pads
    dXp = np.zeros((N, H + pt + pb, W + pl + pr, C), dtype=slabs.dtype)
    for u in range(kh):
        for v in range(kw):
            dXp[:, u : u + s * (Ho - 1) + 1 : s, v : v + s * (Wo - 1) + 1 : s] += slabs[u, v]
    return dXp[:, pt : pt + H, pl : pl + W]


def col2im(cols, X_shape, kh, kw, stride=1, padding=0):
    r"""Adjoint of :func:`im2col`: add every row's patch back into image positions.

    .. math:: dX^{pad}_{n, c, s i + u, s j + v} \mathrel{+}= \text{cols}[(n, i, j), (u, v, c)]

    Pixels covered by several patches receive the sum; the padding is cropped off.
    This turns ``dcols`` into ``dX`` in the convolution's backward pass.

    Shapes: ``cols (N*Ho*Wo, kh*kw*C)``, ``X_shape = (N, C, H, W)`` -> ``(N, C, H, W)``
    in ``cols``' dtype (channels-last memory).
    """
    N, C, H, W = _check_image_shape(X_shape)
    kh = check_positive_int(kh, "kh")
    kw = check_positive_int(kw, "kw")
    s = check_positive_int(stride, "stride")
    padding = _check_padding(padding)
    pads, Ho, Wo = _geometry(H, W, kh, kw, s, padding, "kh x kw", "X_shape")
    cols = as_float_array(cols, "cols", ndim=2)
    if cols.shape != (N * Ho * Wo, kh * kw * C):
        raise ValueError(
            f"cols must have shape (N*Ho*Wo, kh*kw*C) = ({N * Ho * Wo}, {kh * kw * C}), "
            f"got {cols.shape}"
        )
    slabs = cols.reshape(N, Ho, Wo, kh, kw, C).transpose(3, 4, 0, 1, 2, 5)  # a view
    return _channels_first(_col2im(slabs, H, W, s, pads))


# ---------------------------------------------------------------------------------------
# Convolution
# ---------------------------------------------------------------------------------------

def conv2d_forward(X, W, b, stride=1, padding=0):
    r"""2-D convolution (cross-correlation) of an image batch with a filter bank.

    .. math:: \text{out}_{n f i j} = b_f
              + \sum_{c, u, v} W_{f c u v}\, X^{pad}_{n, c, s i + u, s j + v}

    Computed as one matrix product on :func:`im2col` patches,
    ``out_mat = cols @ W_mat.T + b`` of shape ``(N*Ho*Wo, F)``. The output has the common
    dtype of ``X``, ``W`` and ``b`` (float64 if any of them is).

    Shapes: ``X (N, C, H, W)``, ``W (F, C, kh, kw)``, ``b (F,)`` -> ``(N, F, Ho, Wo)``
    (channels-last memory).
    """
    X = _check_images(X)
    W = _check_filters(W)
    b = as_float_array(b, "b", ndim=1)
    _check_channels(X, W)
    if b.shape != (W.shape[0],):
        raise ValueError(f"b must have shape (F,) with F={W.shape[0]}, got {b.shape}")
    s = check_positive_int(stride, "stride")
    padding = _check_padding(padding)
    X, W, b = _common_dtype(X, W, b)
    out, _ = _conv_forward(X, W, b, s, padding)
    return out


def _filter_matrix(W):
    """Filters as the rows of ``W_mat (F, kh*kw*C)``, flattened in im2col's (u, v, c) order."""
    return W.transpose(0, 2, 3, 1).reshape(W.shape[0], -1)


def _conv_forward(X, W, b, s, padding):
    """Convolution on checked arrays of one dtype; returns ``(out, cols)``."""
    N = X.shape[0]
    F, C, kh, kw = W.shape
    pads, Ho, Wo = _geometry(X.shape[2], X.shape[3], kh, kw, s, padding, "W's kernel", "X")
    cols = _im2col(X, kh, kw, s, pads, Ho, Wo)  # (N*Ho*Wo, kh*kw*C)
    out = cols @ _filter_matrix(W).T  # (N*Ho*Wo, F): channels-last memory
    out += b
    return _channels_first(out.reshape(N, Ho, Wo, F)), cols  # (N, F, Ho, Wo)


def conv2d_backward(dOut, X, W, stride=1, padding=0, *, cols=None):
    r"""Gradients of :func:`conv2d_forward` for an upstream gradient ``dOut``.

    With :math:`G` = ``dOut`` as a ``(N*Ho*Wo, F)`` matrix (rows ``(n, i, j)``) and
    ``W_mat (F, kh*kw*C)`` as in :func:`conv2d_forward`:

    .. math:: dW_{mat} = G^\top \text{cols}, \quad db_f = \sum_{n,i,j} G_{(nij), f},
              \quad dX = \operatorname{col2im}(G\, W_{mat})

    ``G`` is a free view when ``dOut`` is in channels-last memory, as the layers produce
    it. ``d cols = G W_mat`` is formed grouped by kernel offset, as the stack of products
    ``G @ W[:, :, u, v]`` (one batched ``matmul``, the same arithmetic): then each
    offset's part is one contiguous ``(N, Ho, Wo, C)`` block and col2im adds long
    contiguous rows instead of runs of ``C`` numbers.

    Shapes: ``dOut (N, F, Ho, Wo)``, ``X (N, C, H, W)``, ``W (F, C, kh, kw)``
    -> ``(dX (N, C, H, W), dW (F, C, kh, kw), db (F,))``, all three in the common dtype of
    ``dOut``, ``X`` and ``W`` (float64 if any of them is). ``cols`` may pass the forward
    pass's :func:`im2col` result ``(N*Ho*Wo, kh*kw*C)`` to save recomputing it. ``dX``
    is in channels-last memory.
    """
    X = _check_images(X)
    W = _check_filters(W)
    _check_channels(X, W)
    s = check_positive_int(stride, "stride")
    padding = _check_padding(padding)
    N, C, H, Wd = X.shape
    F, _, kh, kw = W.shape
    _, Ho, Wo = _geometry(H, Wd, kh, kw, s, padding, "W's kernel", "X")
    dOut = as_float_array(dOut, "dOut", ndim=4)
    if dOut.shape != (N, F, Ho, Wo):
        raise ValueError(
            f"dOut must have shape (N, F, Ho, Wo) = {(N, F, Ho, Wo)}, got {dOut.shape}"
        )
    arrays = [dOut, X, W]
    if cols is not None:
        cols = as_float_array(cols, "cols", ndim=2)
        if cols.shape != (N * Ho * Wo, kh * kw * C):
            raise ValueError(f"cols must have shape (N*Ho*Wo, kh*kw*C) = "
                             f"({N * Ho * Wo}, {kh * kw * C}), got {cols.shape}")
        arrays.append(cols)
    dOut, X, W, *rest = _common_dtype(*arrays)
    return _conv_backward(dOut, X, W, s, padding, rest[0] if rest else None)


def _conv_backward(dOut, X, W, s, padding, cols, input_grad=True):
    """Gradients on checked arrays of one dtype (``cols`` may be None).

    With ``input_grad=False`` the returned ``dX`` is None (a first layer's is never used).
    """
    N, C, H, Wd = X.shape
    F, _, kh, kw = W.shape
    pads, Ho, Wo = _geometry(H, Wd, kh, kw, s, padding, "W's kernel", "X")
    if cols is None:
        cols = _im2col(X, kh, kw, s, pads, Ho, Wo)
    G = _channels_last(dOut).reshape(N * Ho * Wo, F)  # a view if dOut is channels-last
    dW_mat = G.T @ cols  # (F, kh*kw*C)
    dW = dW_mat.reshape(F, kh, kw, C).transpose(0, 3, 1, 2).copy()  # (F, C, kh, kw)
    db = G.sum(axis=0)  # (F,)
    if not input_grad:
        return None, dW, db
    W_offsets = np.ascontiguousarray(W.transpose(2, 3, 0, 1))  # (kh, kw, F, C), small
    slabs = np.matmul(G, W_offsets)  # (kh, kw, N*Ho*Wo, C): d cols, grouped by offset
    dX = _col2im(slabs.reshape(kh, kw, N, Ho, Wo, C), H, Wd, s, pads)  # (N, H, W, C)
    return _channels_first(dX), dW, db


# ---------------------------------------------------------------------------------------
# Max pooling
# ---------------------------------------------------------------------------------------

def maxpool2d_forward(X, size=2, stride=2):
    r"""Max pooling over ``size x size`` windows moved by ``stride`` (no padding).

    .. math:: \text{out}_{n c i j} = \max_{0 \le u, v < k} X_{n, c, s i + u, s j + v}

    Windows that would run past the edge are dropped (``Ho = (H - k) // s + 1``).

    Shapes: ``X (N, C, H, W)`` -> ``(out (N, C, Ho, Wo), argmax (N, C, Ho, Wo))``, where
    ``out`` has ``X``'s dtype and ``argmax`` (int64) is the flat index ``u * k + v`` of the
    winner inside its window. On ties the first maximum in row-major window order
    (top-left first) wins and alone receives the gradient. Both outputs are in
    channels-last memory.

    A running maximum walks over the ``k * k`` window offsets (3 steps for 2x2), each
    step comparing every window at once; the strict ``>`` keeps the first maximum.
    """
    X = _check_images(X)
    k = check_positive_int(size, "size")
    s = check_positive_int(stride, "stride")
    return _maxpool_forward(X, k, s)


def _maxpool_forward(X, k, s):
    H, W = X.shape[2:]
    _, Ho, Wo = _geometry(H, W, k, k, s, "valid", "size", "X")
    win = _windows(_channels_last(X), k, k, s, Ho, Wo)  # (N, Ho, Wo, k, k, C), a view
    out = win[:, :, :, 0, 0].copy()  # (N, Ho, Wo, C): the running maximum ...
    # ... and its offset u * k + v, in the smallest integer type that holds k * k - 1
    idx = np.zeros(out.shape, dtype=np.min_scalar_type(k * k - 1))
    for offset in range(1, k * k):
        candidate = win[:, :, :, offset // k, offset % k]
        better = candidate > out
        # idx = offset where better, else unchanged: arithmetic, several times faster
        # than np.where with a data-dependent mask.
        idx -= better * (idx - idx.dtype.type(offset))
        np.maximum(out, candidate, out=out)
    return _channels_first(out), _channels_first(idx.astype(np.int64))


def maxpool2d_backward(dOut, argmax, X_shape, size=2, stride=2):
    r"""Backward pass of :func:`maxpool2d_forward`: route each gradient to its window's max.

    .. math:: dX_{n, c, s i + u, s j + v} \mathrel{+}= d\text{out}_{n c i j}\,
              [\,(u, v) = \operatorname{argmax}_{n c i j}\,]

    ``argmax`` must hold integers in ``[0, size * size)``, as :func:`maxpool2d_forward`
    returns them.

    No Python loop: when the windows tile the image (``stride == size``), ``dX`` seen as
    blocks ``(N, Ho, k, Wo, k, C)`` is one broadcast product ``[u * k + v = argmax] * dOut``
    over each block's offsets; otherwise every gradient goes to the flat index of
    its winner and ``np.bincount`` adds up what lands on the same pixel.

    Shapes: ``dOut (N, C, Ho, Wo)``, ``argmax (N, C, Ho, Wo)``, ``X_shape = (N, C, H, W)``
    -> ``dX (N, C, H, W)`` in ``dOut``'s dtype (channels-last memory); every other input
    pixel gets 0.
    """
    N, C, H, W = _check_image_shape(X_shape)
    k = check_positive_int(size, "size")
    s = check_positive_int(stride, "stride")
    _, Ho, Wo = _geometry(H, W, k, k, s, "valid", "size", "X_shape")
    dOut = as_float_array(dOut, "dOut", ndim=4)
    if dOut.shape != (N, C, Ho, Wo):
        raise ValueError(f"dOut must have shape (N, C, Ho, Wo) = {(N, C, Ho, Wo)}, "
                         f"got {dOut.shape}")
    argmax = np.asarray(argmax)
    if argmax.dtype.kind not in "iu":
        raise TypeError(f"argmax must hold integer window indices, got {describe(argmax)}")
    if argmax.shape != dOut.shape:
        raise ValueError(f"argmax must have the shape of dOut {dOut.shape}, got {argmax.shape}")
    if argmax.size and (argmax.min() < 0 or argmax.max() >= k * k):
        raise ValueError(f"argmax must hold window indices in [0, {k * k}) for size={k}, "
                         f"got min {argmax.min()}, max {argmax.max()}")
    return _maxpool_backward(dOut, argmax, (N, C, H, W), k, s)


def _maxpool_backward(dOut, argmax, X_shape, k, s):
    N, C, H, W = X_shape
    Ho, Wo = dOut.shape[2:]
    g = _channels_last(dOut)[:, :, None, :, None, :]  # (N, Ho, 1, Wo, 1, C)
    a = _channels_last(argmax)[:, :, None, :, None, :]
    if s == k:
        # Tiling windows: block (i, j) of dX is rows k*i .. k*i+k-1, columns k*j .. k*j+k-1,
        # and its offset u * k + v receives the gradient iff it is the window's argmax.
        offsets = (np.arange(k)[:, None] * k + np.arange(k))[:, None, :, None]  # (k, 1, k, 1)
        blocks = (a == offsets) * g  # (N, Ho, k, Wo, k, C), in dOut's dtype
        blocks = blocks.reshape(N, k * Ho, k * Wo, C)  # (N, Ho, k, Wo, k, C) is that memory
        if (k * Ho, k * Wo) == (H, W):
            return _channels_first(blocks)
        dX = np.zeros((N, H, W, C), dtype=dOut.dtype)  # rows no window covers stay 0
        dX[:, : k * Ho, : k * Wo] = blocks
        return _channels_first(dX)
    # Other strides: the flat channels-last index of every winner, then a scatter that sums
    # what lands on the same pixel (overlapping windows can share a winner).
    a, g = a[:, :, 0, :, 0], g[:, :, 0, :, 0]  # (N, Ho, Wo, C)
    rows = s * np.arange(Ho)[:, None, None] + a // k
    cols = s * np.arange(Wo)[:, None] + a % k
    flat = ((np.arange(N)[:, None, None, None] * H + rows) * W + cols) * C + np.arange(C)
    dX = np.bincount(flat.ravel(), weights=g.ravel(), minlength=N * H * W * C)
    return _channels_first(dX.astype(dOut.dtype).reshape(N, H, W, C))


# ---------------------------------------------------------------------------------------
# Layers
# ---------------------------------------------------------------------------------------

class Conv2D(Layer):
    r"""Convolution layer with filters ``W (F, C, kh, kw)`` and biases ``b (F,)``.

    .. math:: \text{out}_{n f i j} = b_f
              + \sum_{c, u, v} W_{f c u v}\, X^{pad}_{n, c, s i + u, s j + v}

    See :func:`conv2d_forward` / :func:`conv2d_backward`. ``padding`` is an int, a pair,
    ``"valid"`` or ``"same"``. Weights default to He initialisation with
    ``fan_in = C*kh*kw``; ``init="truncated_normal", std=0.1, bias=0.1`` reproduces the
    TF "Deep MNIST" tutorial. Inputs are cast to the layer's ``dtype``.

    Shapes: ``X (N, C, H, W)`` -> ``(N, F, Ho, Wo)``.
    """

    def __init__(self, in_channels, out_channels, kernel_size, *, stride=1, padding=0, rng,
                 init="he", std=None, bias=0.0, dtype=np.float64):
        super().__init__(dtype)
        C = check_positive_int(in_channels, "in_channels")
        F = check_positive_int(out_channels, "out_channels")
        kh, kw = _check_kernel(kernel_size)
        self.stride = check_positive_int(stride, "stride")
        self._padding = _check_padding(padding)
        self.padding = padding
        bias = check_number(bias, "bias")
        W = init_weights((F, C, kh, kw), C * kh * kw, F * kh * kw, init=init, std=std,
                         rng=rng, dtype=self.dtype)
        b = np.full((F,), bias, dtype=self.dtype)
        self.params = {"W": W, "b": b}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)}

    @classmethod
    def from_arrays(cls, W, b, *, stride=1, padding=0) -> Conv2D:
        """Build a Conv2D layer from ``W (F, C, kh, kw)`` and ``b (F,)`` (both copied).

        The layer's dtype is ``W``'s; ``b`` is cast to it.
        """
        W = _check_filters(W)
        b = as_float_array(b, "b", ndim=1)
        if b.shape != (W.shape[0],):
            raise ValueError(f"b must have shape (F,) with F={W.shape[0]}, got {b.shape}")
        layer = cls.__new__(cls)
        Layer.__init__(layer, W.dtype)
        layer.stride = check_positive_int(stride, "stride")
        layer._padding = _check_padding(padding)
        layer.padding = padding
        layer.params = {"W": W.copy(), "b": b.astype(W.dtype)}
        layer.grads = {"W": np.zeros_like(W), "b": np.zeros_like(layer.params["b"])}
        return layer

    def forward(self, X, *, train=False):
        check_bool(train, "train")
        X = self._input(X, ndim=4)
        W, b = self.params["W"], self.params["b"]
        _check_channels(X, W)
        out, cols = _conv_forward(X, W, b, self.stride, self._padding)
        self._cache = (X, cols, out.shape)
        return out

    def backward(self, dOut):
        return self._backward(dOut, input_grad=True)

    def backward_params(self, dOut):
        """Fill ``grads`` like :meth:`backward` without forming ``dX`` (returns None).

        For a first layer, whose ``dX`` nothing needs (see ``Sequential.backward``): it
        saves a third of the layer's backward pass.
        """
        self._backward(dOut, input_grad=False)

    def _backward(self, dOut, input_grad):
        X, cols, out_shape = self._cached()
        dOut = self._upstream(dOut, out_shape)
        dX, dW, db = _conv_backward(dOut, X, self.params["W"], self.stride, self._padding,
                                    cols, input_grad)
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
    Pooling keeps the input's dtype (float32 or float64; others become float64).

    Shapes: ``X (N, C, H, W)`` -> ``(N, C, Ho, Wo)``, ``Ho = (H - size) // stride + 1``.
    """

    def __init__(self, size=2, stride=2):
        super().__init__()
        self.size = check_positive_int(size, "size")
        self.stride = check_positive_int(stride, "stride")

    def forward(self, X, *, train=False):
        check_bool(train, "train")
        X = _check_images(X)
        out, idx = _maxpool_forward(X, self.size, self.stride)
        self._cache = (X.shape, idx, out.shape)
        return out

    def backward(self, dOut):
        X_shape, idx, out_shape = self._cached()
        dOut = self._upstream(dOut, out_shape)
        return _maxpool_backward(dOut, idx, X_shape, self.size, self.stride)

    def __repr__(self) -> str:
        return f"MaxPool2D(size={self.size}, stride={self.stride})"
