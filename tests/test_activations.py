"""Tests for mathlib.activations: hand values, properties and gradient checks."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mathlib.activations import (
    log_softmax,
    logsumexp,
    relu,
    relu_backward,
    sigmoid,
    sigmoid_backward,
    softmax,
    softmax_backward,
    softmax_jacobian,
    tanh,
    tanh_backward,
)
from mathlib.gradcheck import PASS_MARK, numerical_gradient, rel_error

HYP = settings(max_examples=50, deadline=None)

logit_rows = arrays(
    np.float64,
    st.tuples(st.integers(1, 5), st.integers(2, 6)),
    elements=st.floats(-1000, 1000, allow_nan=False, allow_infinity=False),
)


def test_hand_values():
    # sigma(0) = 1/2; tanh(0) = 0; relu keeps positives, zeroes negatives.
    assert sigmoid(np.array([0.0]))[0] == 0.5
    assert np.allclose(sigmoid(np.array([np.log(3.0)])), 0.75)  # 1 / (1 + 1/3)
    assert tanh(np.array([0.0]))[0] == 0.0
    assert np.array_equal(relu(np.array([-2.0, 0.0, 3.0])), [0.0, 0.0, 3.0])
    # softmax of (0, ln 3) = (1/4, 3/4)
    assert np.allclose(softmax(np.array([0.0, np.log(3.0)])), [0.25, 0.75])


def test_sigmoid_extremes_without_warnings():
    Z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            A = sigmoid(Z)
    assert A[0] == 0.0 and A[-1] == 1.0
    assert np.all(np.diff(A) >= 0)
    assert np.isclose(A[1], np.exp(-50.0), rtol=1e-12)  # tiny but not lost


def test_dtype_is_kept():
    Z = np.linspace(-3, 3, 12, dtype=np.float32).reshape(3, 4)
    for fn in (sigmoid, tanh, relu, softmax, log_softmax):
        assert fn(Z).dtype == np.float32, fn.__name__


@HYP
@given(logit_rows)
def test_softmax_rows_sum_to_one_and_are_finite(Z):
    P = softmax(Z)
    assert P.shape == Z.shape
    assert np.all(np.isfinite(P)) and np.all(P >= 0)
    assert np.allclose(P.sum(axis=1), 1.0, atol=1e-12)


@HYP
@given(logit_rows, st.floats(-1000, 1000))
def test_softmax_invariant_to_shift(Z, c):
    assert np.allclose(softmax(Z + c), softmax(Z), atol=1e-9)
    assert np.allclose(log_softmax(Z + c), log_softmax(Z), atol=1e-9 * (1 + abs(c)))


@HYP
@given(logit_rows)
def test_log_softmax_equals_log_of_softmax_where_finite(Z):
    P = softmax(Z)
    ok = P > 1e-300
    with np.errstate(divide="ignore"):
        assert np.allclose(log_softmax(Z)[ok], np.log(P[ok]), atol=1e-9)
    assert np.all(np.isfinite(log_softmax(Z)))


def test_softmax_plus_minus_1000():
    Z = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0]])
    P = softmax(Z)
    assert np.allclose(P, [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]])
    # log P of the losing class is exactly -2000, not -inf.
    assert log_softmax(Z)[0, 1] == -2000.0


def test_softmax_accepts_vector_and_axis():
    z = np.array([1.0, 2.0, 3.0])
    assert softmax(z).shape == (3,)
    Z = np.array([[1.0, 2.0], [3.0, 5.0]])
    assert np.allclose(softmax(Z, axis=0).sum(axis=0), 1.0)
    assert np.allclose(softmax(Z, axis=0), softmax(Z.T).T)


def test_logsumexp():
    Z = np.array([[0.0, np.log(3.0)], [1000.0, 1000.0]])
    # log(1 + 3) = log 4;  1000 + log 2
    assert np.allclose(logsumexp(Z), [np.log(4.0), 1000 + np.log(2.0)])
    assert logsumexp(Z, keepdims=True).shape == (2, 1)
    assert np.ndim(logsumexp(np.array([1.0, 2.0]))) == 0


def test_softmax_jacobian_matches_numerical():
    rng = np.random.default_rng(0)
    z = rng.standard_normal(5)
    J = softmax_jacobian(z)
    assert J.shape == (5, 5)
    assert np.allclose(J, J.T)
    assert np.allclose(J.sum(axis=1), 0.0)  # softmax rows always sum to 1
    for i in range(5):
        num = numerical_gradient(lambda v, i=i: softmax(v)[i], z.copy())
        assert rel_error(J[i], num) < PASS_MARK


def test_softmax_backward_is_vjp():
    rng = np.random.default_rng(1)
    Z = rng.standard_normal((4, 6))
    dP = rng.standard_normal((4, 6))
    P = softmax(Z)
    expected = np.stack([dP[n] @ softmax_jacobian(Z[n]) for n in range(4)])
    assert np.allclose(softmax_backward(dP, P), expected, atol=1e-14)
    num = numerical_gradient(lambda v: np.sum(softmax(v) * dP), Z.copy())
    assert rel_error(softmax_backward(dP, P), num) < PASS_MARK


@pytest.mark.parametrize(
    "forward, backward, uses_output",
    [(sigmoid, sigmoid_backward, True), (tanh, tanh_backward, True),
     (relu, relu_backward, False)],
)
def test_elementwise_backward_gradcheck_and_no_mutation(forward, backward, uses_output):
    rng = np.random.default_rng(2)
    Z = rng.standard_normal((4, 5))
    Z[np.abs(Z) < 0.1] += 0.5  # keep ReLU away from its kink at 0
    dA = rng.standard_normal((4, 5))
    A = forward(Z)
    second = A if uses_output else Z
    dA_copy, second_copy = dA.copy(), second.copy()
    dZ = backward(dA, second)
    assert np.array_equal(dA, dA_copy) and np.array_equal(second, second_copy)
    assert dZ is not dA
    num = numerical_gradient(lambda v: np.sum(forward(v) * dA), Z.copy())
    assert rel_error(dZ, num) < PASS_MARK


def test_relu_subgradient_zero_at_zero():
    assert relu_backward(np.array([1.0, 1.0, 1.0]), np.array([-1.0, 0.0, 1.0])).tolist() == [
        0.0, 0.0, 1.0]


def test_softmax_backward_does_not_modify_inputs():
    P = softmax(np.array([[1.0, 2.0, 3.0]]))
    dP = np.array([[0.1, -0.2, 0.3]])
    P0, dP0 = P.copy(), dP.copy()
    softmax_backward(dP, P)
    assert np.array_equal(P, P0) and np.array_equal(dP, dP0)


def test_errors():
    with pytest.raises(ValueError, match="Z must be finite"):
        softmax(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="Z must be finite"):
        sigmoid(np.array([np.inf]))
    with pytest.raises(ValueError, match=r"1 or 2 dimension\(s\), got shape \(2, 2, 2\)"):
        softmax(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="same shape"):
        sigmoid_backward(np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(TypeError, match="Z must be an array of real numbers"):
        relu(np.array(["a", "b"]))
    with pytest.raises(ValueError, match=r"z must have 1 dimension"):
        softmax_jacobian(np.zeros((2, 3)))


@pytest.mark.parametrize("fn", [softmax, log_softmax, logsumexp])
def test_no_classes_is_a_clear_error_and_no_rows_an_empty_result(fn):
    # K = 0: a softmax over nothing is undefined (numpy would say "zero-size array to
    # reduction"); N = 0 rows of K = 3 is simply an empty batch.
    with pytest.raises(ValueError, match=r"Z must have at least one entry \(K >= 1\)"):
        fn(np.zeros((2, 0)))
    assert fn(np.zeros((0, 3))).shape[0] == 0
    with pytest.raises(ValueError, match=r"axis must be in \[-2, 2\)"):
        fn(np.zeros((2, 3)), axis=2)
    with pytest.raises(TypeError, match="axis must be an integer"):
        fn(np.zeros((2, 3)), axis=1.0)
    with pytest.raises(ValueError, match=r"at least one logit"):
        softmax_jacobian(np.zeros(0))


def test_float16_is_computed_in_float64():
    Z16 = np.array([[1.0, 2.0, 3.0]], dtype=np.float16)
    P = softmax(Z16)
    assert P.dtype == np.float64
    assert np.array_equal(P, softmax(Z16.astype(np.float64)))
