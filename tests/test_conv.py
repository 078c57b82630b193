"""Tests for mathlib.conv: im2col/col2im, convolution and max pooling."""

import numpy as np
import pytest

from mathlib.conv import (
    Conv2D,
    MaxPool2D,
    col2im,
    conv2d_backward,
    conv2d_forward,
    conv_output_shape,
    im2col,
    maxpool2d_backward,
    maxpool2d_forward,
)
from mathlib.gradcheck import PASS_MARK, check_layer_gradients


def naive_conv(X, W, b, stride, pads):
    """Reference convolution with explicit loops over every output pixel."""
    pt, pb, pl, pr = pads
    Xp = np.pad(X, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    N, _, H, Wd = Xp.shape
    F, _, kh, kw = W.shape
    Ho, Wo = (H - kh) // stride + 1, (Wd - kw) // stride + 1
    out = np.zeros((N, F, Ho, Wo))
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    patch = Xp[n, :, i * stride : i * stride + kh, j * stride : j * stride + kw]
                    out[n, f, i, j] = np.sum(patch * W[f]) + b[f]
    return out


def test_im2col_hand_example():
    X = np.arange(9.0).reshape(1, 1, 3, 3)
    # [[0 1 2]
    #  [3 4 5]
    #  [6 7 8]]  -> the four 2x2 patches, row-major
    cols = im2col(X, 2, 2)
    assert np.array_equal(cols, [[0, 1, 3, 4], [1, 2, 4, 5], [3, 4, 6, 7], [4, 5, 7, 8]])
    # col2im adds overlapping patches back: the centre pixel is in all four.
    counts = col2im(np.ones_like(cols), X.shape, 2, 2)
    assert np.array_equal(counts[0, 0], [[1, 2, 1], [2, 4, 2], [1, 2, 1]])


@pytest.mark.parametrize("k, stride, padding", [(3, 1, 0), (3, 2, 1), (4, 1, "same"),
                                                (5, 2, "same"), (2, 3, (1, 0))])
def test_col2im_is_adjoint_of_im2col(k, stride, padding):
    # <im2col(X), C> = <X, col2im(C)> for all X, C  (col2im is the transpose map)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 3, 7, 6))
    cols = im2col(X, k, k, stride, padding)
    C = rng.standard_normal(cols.shape)
    lhs = np.sum(cols * C)
    rhs = np.sum(X * col2im(C, X.shape, k, k, stride, padding))
    assert np.isclose(lhs, rhs, rtol=1e-12)


@pytest.mark.parametrize("k, stride, padding, pads", [
    (3, 1, 0, (0, 0, 0, 0)),
    (3, 2, 1, (1, 1, 1, 1)),
    (5, 1, "same", (2, 2, 2, 2)),
    (4, 1, "same", (1, 2, 1, 2)),  # even kernel: the extra pixel goes bottom/right (TF)
    (3, 2, "same", (1, 1, 0, 1)),  # H=7: Ho=4, total 2; W=6: Wo=3, total 1
])
def test_conv_forward_matches_naive_loops(k, stride, padding, pads):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((2, 3, 7, 6))
    W = rng.standard_normal((4, 3, k, k))
    b = rng.standard_normal(4)
    out = conv2d_forward(X, W, b, stride, padding)
    assert np.allclose(out, naive_conv(X, W, b, stride, pads), atol=1e-12)


def test_same_padding_output_shapes():
    assert conv_output_shape(28, 28, 5, 1, "same") == (28, 28)
    assert conv_output_shape(28, 27, 3, 2, "same") == (14, 14)  # ceil(H / s)
    assert conv_output_shape(28, 28, 5, 1, "valid") == (24, 24)


@pytest.mark.parametrize("kwargs, shape", [
    (dict(kernel_size=3, stride=2, padding=1), (2, 2, 7, 7)),
    (dict(kernel_size=4, stride=1, padding="same"), (2, 2, 6, 5)),
    (dict(kernel_size=(3, 2), stride=1, padding=0), (1, 2, 5, 4)),
    (dict(kernel_size=3, stride=3, padding=2), (2, 2, 5, 5)),
])
def test_conv2d_layer_gradients(kwargs, shape):
    rng = np.random.default_rng(2)
    layer = Conv2D(shape[1], 3, rng=rng, bias=0.1, **kwargs)
    errors = check_layer_gradients(layer, rng.standard_normal(shape), rng)
    assert set(errors) == {"X", "W", "b"}
    assert max(errors.values()) < PASS_MARK, errors


def test_conv_backward_does_not_modify_inputs():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((2, 2, 5, 5))
    W = rng.standard_normal((3, 2, 3, 3))
    dOut = rng.standard_normal((2, 3, 3, 3))
    copies = [a.copy() for a in (X, W, dOut)]
    dX, dW, db = conv2d_backward(dOut, X, W, stride=2, padding=1)
    for a, c in zip((X, W, dOut), copies, strict=True):
        assert np.array_equal(a, c)
    assert dX.shape == X.shape and dW.shape == W.shape and db.shape == (3,)


def _distinct(rng, shape):
    """Inputs without ties: a random permutation of 0..size-1, scaled."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) / 10.0


@pytest.mark.parametrize("size, stride, shape", [(2, 2, (2, 3, 6, 6)), (3, 2, (2, 2, 7, 7)),
                                                 (2, 2, (1, 2, 5, 7))])
def test_maxpool_gradients(size, stride, shape):
    rng = np.random.default_rng(4)
    errors = check_layer_gradients(MaxPool2D(size, stride), _distinct(rng, shape), rng)
    assert errors["X"] < PASS_MARK


def test_maxpool_hand_example_and_ties():
    X = np.array([[1.0, 5.0, 2.0, 0.0],
                  [3.0, 4.0, 2.0, 2.0],
                  [0.0, 0.0, 9.0, 8.0],
                  [7.0, 1.0, 6.0, 9.0]]).reshape(1, 1, 4, 4)
    pool = MaxPool2D(2, 2)
    out = pool.forward(X)
    assert np.array_equal(out[0, 0], [[5, 2], [7, 9]])
    dX = pool.backward(np.array([[[[10.0, 20.0], [30.0, 40.0]]]]))
    # Each gradient goes to its window's max; the 2-2-2 tie and the 9-9 tie go to the
    # first maximum in row-major window order.
    assert np.array_equal(dX[0, 0], [[0, 10, 20, 0],
                                     [0, 0, 0, 0],
                                     [0, 0, 40, 0],
                                     [30, 0, 0, 0]])
    _, idx = maxpool2d_forward(X)
    assert idx[0, 0, 0, 1] == 0  # window [[2, 0], [2, 2]]: first 2 wins


def test_maxpool_backward_does_not_modify_inputs():
    rng = np.random.default_rng(5)
    X = _distinct(rng, (1, 2, 4, 4))
    X0 = X.copy()
    pool = MaxPool2D()
    pool.forward(X)
    dOut = rng.standard_normal((1, 2, 2, 2))
    dOut0 = dOut.copy()
    pool.backward(dOut)
    assert np.array_equal(X, X0) and np.array_equal(dOut, dOut0)


def test_conv_errors():
    rng = np.random.default_rng(6)
    layer = Conv2D(3, 2, 3, rng=rng)
    with pytest.raises(ValueError, match=r"C=3 channels"):
        layer.forward(np.zeros((1, 2, 5, 5)))
    with pytest.raises(ValueError, match=r"X must have 4 dimension"):
        layer.forward(np.zeros((5, 5)))
    with pytest.raises(ValueError, match="does not fit"):
        layer.forward(np.zeros((1, 3, 2, 2)))
    with pytest.raises(ValueError, match="padding must be"):
        Conv2D(3, 2, 3, rng=rng, padding="full")
    with pytest.raises(ValueError, match="X must be finite"):
        layer.forward(np.full((1, 3, 5, 5), np.inf))
    layer.forward(np.zeros((1, 3, 5, 5)))
    with pytest.raises(ValueError, match=r"shape of the last forward output \(1, 2, 3, 3\)"):
        layer.backward(np.zeros((1, 2, 5, 5)))
    with pytest.raises(ValueError, match=r"b must have shape \(F,\) with F=2"):
        conv2d_forward(np.zeros((1, 1, 4, 4)), np.zeros((2, 1, 3, 3)), np.zeros(3))


def test_float32_stays_float32():
    rng = np.random.default_rng(7)
    layer = Conv2D(1, 4, 5, padding="same", rng=rng, dtype=np.float32)
    out = layer.forward(rng.random((2, 1, 8, 8), dtype=np.float32))
    assert out.dtype == np.float32 and out.shape == (2, 4, 8, 8)
    assert layer.backward(np.ones_like(out)).dtype == np.float32
    assert layer.grads["W"].dtype == np.float32


@pytest.mark.parametrize("call, error, message", [
    # kernel size 0: refused up front, not a ZeroDivisionError or a bias-only output
    (lambda: Conv2D(3, 4, 0, rng=np.random.default_rng(0)), ValueError,
     r"kernel_size must be a positive integer, got 0"),
    (lambda: conv2d_forward(np.ones((1, 3, 5, 5)), np.ones((4, 3, 0, 0)), np.ones(4)),
     ValueError, r"W must have shape \(F, C, kh, kw\) with every size >= 1, got \(4, 3, 0, 0\)"),
    (lambda: conv_output_shape(5, 5, 0), ValueError, "kernel_size must be a positive integer"),
    # a float padding is refused, never truncated (1.7 is not 1)
    (lambda: conv_output_shape(5, 5, 3, padding=(1.7, 1.2)), TypeError,
     r"padding\[0\] must be an integer, got 1.7"),
    (lambda: conv_output_shape(5, 5, 3, padding=1.5), TypeError, "padding must be an int"),
    # channels that do not match the filters: named, not "cannot reshape array"
    (lambda: conv2d_backward(np.ones((1, 4, 3, 3)), np.ones((1, 3, 5, 5)), np.ones((4, 2, 3, 3))),
     ValueError, r"X must have shape \(N, C, H, W\) with C=2 channels"),
    (lambda: col2im(np.ones((9, 9)), (1, 1, 5), 3, 3), ValueError,
     r"X_shape must be a tuple \(N, C, H, W\) of 4 ints, got \(1, 1, 5\)"),
    # argmax out of range or not integer: refused, the gradient is never dropped silently
    (lambda: maxpool2d_backward(np.ones((1, 1, 2, 2)), np.full((1, 1, 2, 2), 7), (1, 1, 4, 4)),
     ValueError, r"argmax must hold window indices in \[0, 4\) for size=2, got min 7"),
    (lambda: maxpool2d_backward(np.ones((1, 1, 2, 2)), np.full((1, 1, 2, 2), 1.0),
                                (1, 1, 4, 4)), TypeError, "argmax must hold integer"),
    (lambda: maxpool2d_forward(np.ones((1, 1, 1, 5)), 2), ValueError,
     r"size 2x2 does not fit the 1x5 images of X"),
])
def test_bad_arguments_get_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_empty_batch_gives_empty_outputs_and_zero_parameter_gradients():
    rng = np.random.default_rng(8)
    X = np.zeros((0, 3, 5, 5))
    W = rng.standard_normal((4, 3, 3, 3))
    assert conv2d_forward(X, W, np.zeros(4)).shape == (0, 4, 3, 3)
    dX, dW, db = conv2d_backward(np.zeros((0, 4, 3, 3)), X, W)
    # L is a sum over no samples, so its gradient with respect to W and b is exactly 0.
    assert dX.shape == (0, 3, 5, 5) and not dW.any() and not db.any()
    out, argmax = maxpool2d_forward(X)
    assert out.shape == argmax.shape == (0, 3, 2, 2)


def test_mixed_dtypes_compute_in_the_wider_one():
    rng = np.random.default_rng(9)
    X = rng.standard_normal((2, 3, 5, 5)).astype(np.float32)
    W = rng.standard_normal((4, 3, 3, 3))  # float64
    dOut = rng.standard_normal((2, 4, 3, 3)).astype(np.float32)
    grads = conv2d_backward(dOut, X, W)
    assert [g.dtype for g in grads] == [np.float64] * 3
    ref = conv2d_backward(dOut.astype(np.float64), X.astype(np.float64), W)
    assert all(np.array_equal(g, r) for g, r in zip(grads, ref, strict=True))
    assert conv2d_forward(X, W, np.zeros(4, np.float32)).dtype == np.float64
    # all float32 stays float32
    grads32 = conv2d_backward(dOut, X, W.astype(np.float32))
    assert [g.dtype for g in grads32] == [np.float32] * 3
