"""Checks for the coding exercises of chapter 9: convolution with loops, max-pool backward."""

from __future__ import annotations

import numpy as np

from mathlib.conv import conv2d_forward, maxpool2d_backward, maxpool2d_forward

from ._core import Checker, Feedback

__all__ = ["check_conv2d_naive", "check_maxpool_backward"]


def check_conv2d_naive(conv2d_naive) -> Feedback:
    """Check ``conv2d_naive(X, W, b, stride, padding) -> out``.

    ``X (N, C, H, W)``, filters ``W (F, C, kh, kw)``, ``b (F,)``, an int ``stride`` and an int
    ``padding`` (zeros on every side); ``out (N, F, Ho, Wo)`` with
    ``Ho = (H + 2 padding - kh) // stride + 1``. Compared with ``mathlib.conv.conv2d_forward``.
    """
    c = Checker("conv2d_naive")
    rng = np.random.default_rng(80808)
    cases = [
        ("one 1-channel 5x5 image, one 3x3 filter, stride 1, no padding",
         (1, 1, 5, 5), (1, 1, 3, 3), 1, 0),
        ("two 3-channel 6x7 images, four 3x3 filters, stride 1, padding 1",
         (2, 3, 6, 7), (4, 3, 3, 3), 1, 1),
        ("one 2-channel 7x7 image, three 3x3 filters, stride 2, no padding",
         (1, 2, 7, 7), (3, 2, 3, 3), 2, 0),
        ("three 1-channel 8x6 images, two 2x4 filters (not square), stride 2, padding 2",
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
                           what="the output (N, F, Ho, Wo), Ho = (H + 2*padding - kh)//stride + 1")
            c.expect_close(out, expected, what="the output", show_expected=False)
    return c.feedback()


def check_maxpool_backward(maxpool_backward) -> Feedback:
    """Check ``maxpool_backward(dOut, X, size) -> dX`` for non-overlapping ``size x size`` pooling.

    ``X (N, C, H, W)`` is the pooling's input, ``dOut (N, C, H // size, W // size)`` the upstream
    gradient; ``dX`` has the shape of ``X`` and is compared with ``mathlib.conv``.
    """
    c = Checker("maxpool_backward")
    rng = np.random.default_rng(8)
    cases = [
        ("one 1-channel 4x4 input, 2x2 windows", (1, 1, 4, 4), 2),
        ("two 3-channel 6x8 inputs, 2x2 windows", (2, 3, 6, 8), 2),
        ("one 2-channel 6x6 input, 3x3 windows", (1, 2, 6, 6), 3),
        ("one 1-channel 5x5 input, 2x2 windows (the last row and column are not pooled)",
         (1, 1, 5, 5), 2),
    ]
    for description, x_shape, k in cases:
        with c.case(description):
            X = rng.standard_normal(x_shape)
            out, argmax = maxpool2d_forward(X, k, k)
            dOut = rng.standard_normal(out.shape)
            expected = maxpool2d_backward(dOut, argmax, X.shape, k, k)
            dX = c.call(maxpool_backward, dOut.copy(), X.copy(), k)
            c.expect_shape(dX, X.shape, what="dX (it has the shape of X)")
            dX = np.asarray(dX, dtype=float)
            c.expect_true(np.count_nonzero(dX) <= dOut.size,
                          "dX has more non-zero entries than there are windows: each window "
                          "should send its gradient to one input pixel only.")
            c.expect_close(dX, expected, what="dX", show_expected=False)
    return c.feedback()
