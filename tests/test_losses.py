"""Tests for mathlib.losses: hand-worked values, numerical care, explicit labels."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mathlib.gradcheck import PASS_MARK, numerical_gradient, rel_error
from mathlib.losses import (
    cross_entropy_from_logits,
    cross_entropy_from_probs,
    mean_squared_error,
    mean_squared_error_backward,
    one_hot,
    softmax_cross_entropy_backward,
    squared_error,
    squared_error_backward,
)


def test_one_hot():
    Y = one_hot(np.array([2, 0]), 3)
    assert np.array_equal(Y, [[0, 0, 1], [1, 0, 0]])
    with pytest.raises(ValueError, match=r"labels in \[0, 3\)"):
        one_hot(np.array([3]), 3)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 6), st.integers(2, 12), st.floats(-1000, 1000))
def test_uniform_logits_cost_log_k(n, k, c):
    # All K logits equal -> P = 1/K for every class -> loss = -log(1/K) = log K.
    Z = np.full((n, k), c)
    y = np.arange(n) % k
    assert np.isclose(cross_entropy_from_logits(Z, y=y), np.log(k), rtol=1e-12)


def test_confident_wrong_answer_costs_about_50_not_16():
    # Two classes, true class 50 below the other: loss = log(1 + e^50) = 50 + log(1 + e^-50).
    Z = np.array([[-50.0, 0.0]])
    loss = cross_entropy_from_logits(Z, y=np.array([0]))
    assert np.isclose(loss, 50.0, rtol=1e-12)
    assert loss > 16.2  # the log(p + 1e-7) trick would have capped it at 16.1
    # Even 1000 below is exact.
    assert np.isclose(cross_entropy_from_logits(np.array([[-1000.0, 0.0]]), y=[0]), 1000.0)


@pytest.mark.parametrize("dtype, cap", [(np.float64, 36.04365338911715),
                                        (np.float32, 15.942385)])
def test_cross_entropy_from_probs_caps_at_minus_log_eps(dtype, cap):
    P = np.array([[0.0, 1.0]], dtype=dtype)  # the true class got probability 0
    loss = cross_entropy_from_probs(P, y=np.array([0]))
    assert np.isclose(loss, -np.log(np.finfo(dtype).eps), rtol=1e-6)
    assert np.isclose(loss, cap, rtol=1e-6)


def test_from_probs_agrees_with_from_logits_when_not_clipped():
    rng = np.random.default_rng(0)
    Z = rng.standard_normal((5, 4))
    y = rng.integers(0, 4, 5)
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    assert np.isclose(cross_entropy_from_probs(P, y=y), cross_entropy_from_logits(Z, y=y))


def test_y_and_Y_agree_and_soft_targets():
    rng = np.random.default_rng(1)
    Z = rng.standard_normal((6, 3))
    y = rng.integers(0, 3, 6)
    assert np.isclose(cross_entropy_from_logits(Z, y=y),
                      cross_entropy_from_logits(Z, Y=one_hot(y, 3)))
    # Soft targets: the loss is the Y-weighted average of the one-hot losses.
    Y = np.full((6, 3), 1 / 3)
    per_class = [cross_entropy_from_logits(Z, y=np.full(6, k)) for k in range(3)]
    assert np.isclose(cross_entropy_from_logits(Z, Y=Y), np.mean(per_class))


def test_labels_must_be_explicit():
    Z = np.zeros((3, 3))
    Y = np.eye(3)
    with pytest.raises(ValueError, match="exactly one of y="):
        cross_entropy_from_logits(Z)
    with pytest.raises(ValueError, match="got both"):
        cross_entropy_from_logits(Z, y=np.array([0, 1, 2]), Y=Y)
    # A one-hot matrix passed as y is refused, not guessed at.
    with pytest.raises(ValueError, match=r"y must have shape \(N,\) with N=3, got \(3, 3\)"):
        cross_entropy_from_logits(Z, y=Y)
    with pytest.raises(ValueError, match=r"Y must have 2 dimension"):
        cross_entropy_from_logits(Z, Y=np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="exactly one of y="):
        softmax_cross_entropy_backward(Z)
    with pytest.raises(ValueError, match="exactly one of y="):
        cross_entropy_from_probs(np.full((3, 3), 1 / 3))


def test_bad_labels_and_targets():
    Z = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"labels in \[0, 3\).*max 3"):
        cross_entropy_from_logits(Z, y=np.array([0, 3]))
    with pytest.raises(ValueError, match="integer class labels"):
        cross_entropy_from_logits(Z, y=np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match="rows must sum to 1"):
        cross_entropy_from_logits(Z, Y=np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0]]))
    with pytest.raises(ValueError, match=r"Y must have shape \(N, K\) = \(2, 3\), got \(2, 4\)"):
        cross_entropy_from_logits(Z, Y=np.eye(2, 4))
    with pytest.raises(ValueError, match="Z must be finite"):
        cross_entropy_from_logits(np.array([[np.nan, 0.0]]), y=[0])
    with pytest.raises(ValueError, match="P rows must sum to 1"):
        cross_entropy_from_probs(np.array([[0.5, 0.6]]), y=[0])


def test_softmax_cross_entropy_backward():
    rng = np.random.default_rng(2)
    Z = rng.standard_normal((5, 4))
    y = rng.integers(0, 4, 5)
    Z0 = Z.copy()
    dZ = softmax_cross_entropy_backward(Z, y=y)
    assert np.array_equal(Z, Z0)
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    assert np.allclose(dZ, (P - one_hot(y, 4)) / 5)
    num = numerical_gradient(lambda v: cross_entropy_from_logits(v, y=y), Z.copy())
    assert rel_error(dZ, num) < PASS_MARK
    # Soft targets as well.
    Y = rng.dirichlet(np.ones(4), size=5)
    num = numerical_gradient(lambda v: cross_entropy_from_logits(v, Y=Y), Z.copy())
    assert rel_error(softmax_cross_entropy_backward(Z, Y=Y), num) < PASS_MARK


def test_squared_error_hand_values_and_gradients():
    pred = np.array([[1.0, 2.0], [0.0, 0.0]])
    target = np.zeros((2, 2))
    # 0.5 * (1 + 4 + 0 + 0) = 2.5; averaged over N = 2 samples -> 1.25
    assert squared_error(pred, target) == 2.5
    assert mean_squared_error(pred, target) == 1.25
    assert np.array_equal(squared_error_backward(pred, target), pred)
    assert np.array_equal(mean_squared_error_backward(pred, target), pred / 2)
    rng = np.random.default_rng(3)
    p, t = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    p0, t0 = p.copy(), t.copy()
    for loss, grad in ((squared_error, squared_error_backward),
                       (mean_squared_error, mean_squared_error_backward)):
        num = numerical_gradient(lambda v, loss=loss: loss(v, t), p.copy())
        assert rel_error(grad(p, t), num) < PASS_MARK
    assert np.array_equal(p, p0) and np.array_equal(t, t0)
    with pytest.raises(ValueError, match="same shape"):
        squared_error(np.zeros(3), np.zeros(4))


@pytest.mark.parametrize("loss", [cross_entropy_from_logits, softmax_cross_entropy_backward,
                                  cross_entropy_from_probs])
def test_empty_batch_is_refused_not_nan(loss):
    # The mean over N = 0 samples is undefined: a clear error, not NaN and a RuntimeWarning.
    Z = np.full((0, 3), 1 / 3)
    with pytest.raises(ValueError, match=r"must have shape \(N, K\) with N >= 1"):
        loss(Z, y=np.zeros(0, dtype=int))


@pytest.mark.parametrize("labels, shown", [
    (np.array([0.0, 1e20]), r"max 1e\+20"),
    (np.array([0, 2**63], dtype=np.uint64), "max 9223372036854775808"),
    (np.array([0.0, 1.5]), "got 1.5 at index 1"),
])
def test_huge_labels_are_reported_as_they_are(labels, shown):
    # Not as the int64 a cast would wrap them to (min -9223372036854775808).
    with pytest.raises(ValueError, match=shown):
        cross_entropy_from_logits(np.zeros((2, 3)), y=labels)


def test_float16_probabilities_use_their_own_tolerance():
    # Rounded to float16, 0.1 + 0.2 + 0.7 sums to 1.00012: exact to float16 precision.
    P = np.array([[0.3333, 0.3333, 0.3334], [0.1, 0.2, 0.7]], dtype=np.float16)
    assert abs(float(P.astype(np.float64).sum(axis=1)[1]) - 1) > 1e-4
    loss = cross_entropy_from_probs(P, y=np.array([2, 1]))
    P64 = P.astype(np.float64)  # computed in float64 from the float16 values
    assert np.isclose(loss, -(np.log(P64[0, 2]) + np.log(P64[1, 1])) / 2, rtol=1e-15)
    # ...while float64 rows that far from 1 are still refused.
    with pytest.raises(ValueError, match="P rows must sum to 1"):
        cross_entropy_from_probs(np.array([[0.3333, 0.3333, 0.3335]]), y=np.array([0]))


def test_one_hot_argument_types():
    with pytest.raises(TypeError, match="num_classes must be an integer"):
        one_hot(np.array([0]), "3")
    with pytest.raises(TypeError, match="y must hold integer class labels"):
        one_hot(np.array(["a"]), 3)
    with pytest.raises(ValueError, match="dtype must be float32 or float64"):
        one_hot(np.array([0]), 3, dtype=np.int64)
    assert one_hot(np.zeros(0, dtype=int), 3).shape == (0, 3)
