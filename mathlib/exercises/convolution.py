"""Checks for the coding exercises of chapter 9: convolution with loops, max-pool backward,
a dilated convolution and the backward pass of a strided convolution by loops."""

from __future__ import annotations

import numpy as np

from mathlib.conv import conv2d_backward, conv2d_forward, maxpool2d_backward, maxpool2d_forward

from ._core import Checker, Feedback
from ._messages import msg

__all__ = [
    "check_conv2d_naive",
    "check_maxpool_backward",
    "check_conv2d_dilated",
    "check_conv2d_backward_loops",
]


def check_conv2d_naive(conv2d_naive) -> Feedback:
    """Check ``conv2d_naive(X, W, b, stride, padding) -> out``.

    ``X (N, C, H, W)``, filters ``W (F, C, kh, kw)``, ``b (F,)``, an int ``stride`` and an int
    ``padding`` (zeros on every side); ``out (N, F, Ho, Wo)`` with
    ``Ho = (H + 2 padding - kh) // stride + 1``. Compared with ``mathlib.conv.conv2d_forward``.
    """
    c = Checker("conv2d_naive")
    rng = np.random.default_rng(80808)
    cases = [
        (msg("convolution.case.naive_one"),
         (1, 1, 5, 5), (1, 1, 3, 3), 1, 0),
        (msg("convolution.case.naive_padding"),
         (2, 3, 6, 7), (4, 3, 3, 3), 1, 1),
        (msg("convolution.case.naive_stride"),
         (1, 2, 7, 7), (3, 2, 3, 3), 2, 0),
        (msg("convolution.case.naive_not_square"),
         (3, 1, 8, 6), (2, 1, 2, 4), 2, 2),
    ]
    for description, x_shape, w_shape, stride, padding in cases:
        with c.case(description):
            X = rng.standard_normal(x_shape)
            W = rng.standard_normal(w_shape)
            b = rng.standard_normal(w_shape[0])
            expected = conv2d_forward(X, W, b, stride=stride, padding=padding)
            out = c.call(conv2d_naive, X.copy(), W.copy(), b.copy(), stride, padding)
            c.expect_shape(out, expected.shape,
                           what=msg("convolution.output_size"))
            c.expect_close(out, expected, what=msg("convolution.output"), show_expected=False)
    return c.feedback()


def check_maxpool_backward(maxpool_backward) -> Feedback:
    """Check ``maxpool_backward(dOut, X, size) -> dX`` for non-overlapping ``size x size`` pooling.

    ``X (N, C, H, W)`` is the pooling's input, ``dOut (N, C, H // size, W // size)`` the upstream
    gradient; ``dX`` has the shape of ``X`` and is compared with ``mathlib.conv``.
    """
    c = Checker("maxpool_backward")
    rng = np.random.default_rng(8)
    cases = [
        (msg("convolution.case.pool_4x4"), (1, 1, 4, 4), 2),
        (msg("convolution.case.pool_batch"), (2, 3, 6, 8), 2),
        (msg("convolution.case.pool_3x3"), (1, 2, 6, 6), 3),
        (msg("convolution.case.pool_odd"), (1, 1, 5, 5), 2),
    ]
    for description, x_shape, k in cases:
        with c.case(description):
            X = rng.standard_normal(x_shape)
            out, argmax = maxpool2d_forward(X, k, k)
            dOut = rng.standard_normal(out.shape)
            expected = maxpool2d_backward(dOut, argmax, X.shape, k, k)
            dX = c.call(maxpool_backward, dOut.copy(), X.copy(), k)
            c.expect_shape(dX, X.shape, what=msg("convolution.dX_shape"))
            dX = np.asarray(dX, dtype=float)
            c.expect_true(np.count_nonzero(dX) <= dOut.size,
                          msg("convolution.pool_nonzero"))
            c.expect_close(dX, expected, what="dX", show_expected=False)
    return c.feedback()



def _dilated_reference(X, W, b, dilation):
    """A dilated convolution as an ordinary one with the filter's taps spread ``dilation`` apart.

    ``W (F, C, kh, kw)`` becomes ``(F, C, d (kh - 1) + 1, d (kw - 1) + 1)`` with zeros between
    the taps, so ``conv2d_forward`` (stride 1, no padding) computes
    ``b_f + sum_{c,u,v} W[f,c,u,v] X[n, c, i + d u, j + d v]``.
    """
    F, C, kh, kw = W.shape
    spread = np.zeros((F, C, dilation * (kh - 1) + 1, dilation * (kw - 1) + 1))
    spread[:, :, ::dilation, ::dilation] = W
    return conv2d_forward(X, spread, b)


def check_conv2d_dilated(conv2d_dilated) -> Feedback:
    r"""Check ``conv2d_dilated(X, W, b, dilation) -> out`` (stride 1, no padding).

    .. math:: \text{out}_{n f i j} = b_f + \sum_{c,u,v} W_{f c u v}\,
              X_{n, c,\, i + d u,\, j + d v}

    ``X (N, C, H, W)``, ``W (F, C, kh, kw)``, ``b (F,)``, an int ``dilation`` :math:`d \ge 1`;
    ``out (N, F, Ho, Wo)``. Compared with an ordinary convolution whose filter has zeros
    between its taps. The messages name the case and the kind of error (shape, missing bias,
    dilation ignored), never the formula for the output size.
    """
    c = Checker("conv2d_dilated")
    rng = np.random.default_rng(90909)
    cases = [
        (msg("convolution.case.dilation_1"),
         (1, 1, 6, 6), (1, 1, 3, 3), 1),
        (msg("convolution.case.dilation_2"), (1, 1, 7, 7), (1, 1, 3, 3), 2),
        (msg("convolution.case.dilation_3"),
         (2, 3, 9, 8), (4, 3, 2, 3), 3),
        (msg("convolution.case.dilation_4"),
         (1, 2, 10, 10), (2, 2, 3, 3), 4),
    ]
    for description, x_shape, w_shape, d in cases:
        with c.case(description):
            X = rng.standard_normal(x_shape)
            W = rng.standard_normal(w_shape)
            b = rng.standard_normal(w_shape[0])
            expected = _dilated_reference(X, W, b, d)
            out = c.numbers(c.call(conv2d_dilated, X.copy(), W.copy(), b.copy(), d),
                            what=msg("convolution.output"))
            undilated = conv2d_forward(X, W, b).shape
            if d > 1 and out.shape == undilated:
                c.expect_true(False, msg("convolution.undilated_size", shape=out.shape))
            c.expect_shape(out, expected.shape, what=msg("convolution.output_shape"))
            if np.allclose(out + b[None, :, None, None], expected, rtol=1e-6, atol=1e-9):
                c.expect_true(False, msg("convolution.no_bias"))
            flipped = _dilated_reference(X, W[:, :, ::-1, ::-1], b, d)
            if not np.allclose(expected, flipped) and np.allclose(out, flipped, atol=1e-9):
                c.expect_true(False, msg("convolution.flipped"))
            c.expect_close(out, expected, what=msg("convolution.output"), show_expected=False)
    return c.feedback()


def check_conv2d_backward_loops(conv2d_backward_loops) -> Feedback:
    r"""Check ``conv2d_backward_loops(dOut, X, W, stride) -> (dX, dW, db)`` (no padding).

    The gradients of :math:`\text{out}_{n f i j} = b_f + \sum_{c,u,v} W_{f c u v}
    X_{n, c, s i + u, s j + v}` for an upstream gradient ``dOut (N, F, Ho, Wo)``, with
    ``X (N, C, H, W)``, ``W (F, C, kh, kw)``, an int ``stride``; ``dX`` has ``X``'s shape,
    ``dW`` ``W``'s and ``db`` is ``(F,)``. Compared with ``mathlib.conv.conv2d_backward``
    (itself checked against numerical gradients); the messages point at the pixels or
    filters that go wrong, never at the expected numbers.
    """
    c = Checker("conv2d_backward_loops")
    rng = np.random.default_rng(20202)
    cases = [
        (msg("convolution.case.back_no_overlap"),
         (1, 1, 6, 6), (2, 1, 2, 2), 2),
        (msg("convolution.case.back_overlap"),
         (1, 2, 5, 5), (3, 2, 3, 3), 1),
        (msg("convolution.case.back_one_pixel"),
         (2, 3, 7, 7), (4, 3, 3, 3), 2),
        (msg("convolution.case.back_uncovered"), (3, 1, 8, 9), (2, 1, 3, 2), 3),
    ]
    for description, x_shape, w_shape, s in cases:
        with c.case(description):
            X = rng.standard_normal(x_shape)
            W = rng.standard_normal(w_shape)
            F, _, kh, kw = w_shape
            out = conv2d_forward(X, W, np.zeros(F), stride=s)
            dOut = rng.standard_normal(out.shape)
            dX_ref, dW_ref, db_ref = conv2d_backward(dOut, X, W, stride=s)
            result = c.call(conv2d_backward_loops, dOut.copy(), X.copy(), W.copy(), s)
            c.expect_true(isinstance(result, tuple | list) and len(result) == 3,
                          msg("convolution.three_arrays"))
            dX, dW, db = (c.numbers(r, what=name) for r, name in zip(
                result, ("dX", "dW", "db"), strict=True))
            c.expect_shape(db, (F,), what=msg("convolution.db_shape"))
            c.expect_close(db, db_ref, what="db", show_expected=False)
            c.expect_shape(dW, W.shape, what=msg("convolution.dW_shape"))
            if X.shape[0] > 1:
                one = conv2d_backward(dOut[-1:], X[-1:], W, stride=s)[1]
                if np.allclose(dW, one, atol=1e-9) and not np.allclose(dW_ref, one):
                    c.expect_true(False, msg("convolution.dW_last_image"))
            c.expect_close(dW, dW_ref, what="dW", show_expected=False)
            c.expect_shape(dX, X.shape, what=msg("convolution.dX_shape"))
            wrong = ~np.isclose(dX, dX_ref, rtol=1e-6, atol=1e-9)
            if wrong.any():
                if F > 1:
                    last = conv2d_backward(dOut[:, -1:], X, W[-1:], stride=s)[0]
                    if np.allclose(dX, last, atol=1e-9):
                        c.expect_true(False, msg("convolution.dX_last_filter"))
                # How many windows cover each pixel (the same for every filter).
                cover = conv2d_backward(np.ones_like(dOut[:, :1]), X, np.ones_like(W[:1]),
                                        stride=s)[0]
                if np.any(cover[wrong] == 0):
                    c.expect_true(False, msg("convolution.dX_uncovered"))
                if np.all(cover[wrong] > 1) and np.any(cover == 1):
                    c.expect_true(False, msg("convolution.dX_overlap"))
            c.expect_close(dX, dX_ref, what="dX", show_expected=False)
    return c.feedback()
