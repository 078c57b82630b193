"""The exercise checks of chapters 3-4 pass right answers and name the usual slips.

Each check gets a correct solution (written here independently of the notebooks' reference
solutions), then the mistakes the teacher notes list; the feedback must fail and say the
specific thing the notes promise, without printing the expected numbers of hidden cases.
"""

from __future__ import annotations

import numpy as np
import pytest

from mathlib.exercises import (
    check_binary_cross_entropy_from_logit,
    check_cross_entropy_from_logits_rows,
    check_nesterov_step,
    check_warmup_cosine,
    check_weighted_ce_grad,
)

# --- chapter 3: one loss per row -------------------------------------------------------------


def ce_rows(Z, y):
    m = Z.max(axis=1, keepdims=True)
    return (m[:, 0] + np.log(np.exp(Z - m).sum(axis=1))) - Z[np.arange(len(y)), y]


def ce_rows_naive(Z, y):
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    return -np.log(P[np.arange(len(y)), y])


def ce_rows_mean(Z, y):
    return ce_rows(Z, y).mean()


def test_rows_passes_and_catches_overflow_and_shape():
    assert check_cross_entropy_from_logits_rows(ce_rows).passed
    naive = check_cross_entropy_from_logits_rows(ce_rows_naive)
    assert not naive.passed and "NumPy warned" in str(naive)
    mean = check_cross_entropy_from_logits_rows(ce_rows_mean)
    assert not mean.passed and "shape (2,)" in str(mean)


# --- chapter 3: binary cross-entropy from one score -------------------------------------------


def bce(z, t):
    softplus = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))  # -log(1 - sigmoid(z))
    return softplus - t * z


def bce_naive(z, t):
    s = 1 / (1 + np.exp(-z))
    return -t * np.log(s) - (1 - t) * np.log(1 - s)


def bce_swapped(z, t):
    return bce(z, 1 - t)


def bce_log1p_exp(z, t):  # exact formula, but exp(z) overflows for z = 1000
    return np.log1p(np.exp(z)) - t * z


def test_bce_passes_and_names_the_slips():
    assert check_binary_cross_entropy_from_logit(bce).passed
    naive = str(check_binary_cross_entropy_from_logit(bce_naive))
    assert "NOT YET" in naive and "sigmoid(40) rounds to exactly 1" in naive
    assert "NumPy warned" in naive
    assert "opposite targets" in str(check_binary_cross_entropy_from_logit(bce_swapped))
    overflow = str(check_binary_cross_entropy_from_logit(bce_log1p_exp))
    assert "NumPy warned" in overflow and "size 1000" in overflow


def test_bce_does_not_give_the_hidden_values_away():
    out = str(check_binary_cross_entropy_from_logit(lambda z, t: np.zeros_like(z)))
    assert "NOT YET" in out
    assert "derivative" in out and "expected" not in out.split("derivative", 1)[1]


# --- chapter 3: class-weighted cross-entropy --------------------------------------------------


def softmax_rows(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def weighted(Z, y, a):
    w = a[y]
    dZ = softmax_rows(Z)
    dZ[np.arange(len(y)), y] -= 1
    return w[:, None] * dZ / w.sum()


def weighted_over_n(Z, y, a):
    return weighted(Z, y, a) * a[y].sum() / len(y)


def weighted_by_column(Z, y, a):
    dZ = softmax_rows(Z)
    dZ[np.arange(len(y)), y] -= 1
    return a[None, :] * dZ / a[y].sum()


def unweighted(Z, y, a):
    dZ = softmax_rows(Z)
    dZ[np.arange(len(y)), y] -= 1
    return dZ / len(y)


@pytest.mark.parametrize("slip, message", [
    (weighted_over_n, "not by N"),
    (weighted_by_column, "weight of its own label"),
    (unweighted, "unweighted"),
])
def test_weighted_passes_and_names_the_slips(slip, message):
    assert check_weighted_ce_grad(weighted).passed
    out = check_weighted_ce_grad(slip)
    assert not out.passed and message in str(out)


def test_weighted_catches_in_place_changes():
    def in_place(Z, y, a):
        Z -= Z.max(axis=1, keepdims=True)
        return weighted(Z, y, a)
    assert "in place" in str(check_weighted_ce_grad(in_place))


# --- chapter 4: Nesterov momentum -------------------------------------------------------------


def nesterov(theta, v, grad, learning_rate, momentum):
    v_new = momentum * v - learning_rate * grad(theta + momentum * v)
    return theta + v_new, v_new


def heavy_ball(theta, v, grad, learning_rate, momentum):
    v_new = momentum * v - learning_rate * grad(theta)
    return theta + v_new, v_new


def backward_look(theta, v, grad, learning_rate, momentum):
    v_new = momentum * v - learning_rate * grad(theta - momentum * v)
    return theta + v_new, v_new


def old_velocity(theta, v, grad, learning_rate, momentum):
    v_new = momentum * v - learning_rate * grad(theta + momentum * v)
    return theta + v, v_new


def in_place_nesterov(theta, v, grad, learning_rate, momentum):
    v *= momentum
    v -= learning_rate * grad(theta + v)
    theta += v
    return theta, v


@pytest.mark.parametrize("slip, message", [
    (heavy_ball, "heavy-ball"),
    (backward_look, "wrong way"),
    (old_velocity, "not by the old v"),
    (in_place_nesterov, "in place"),
])
def test_nesterov_passes_and_names_the_slips(slip, message):
    assert check_nesterov_step(nesterov).passed
    out = check_nesterov_step(slip)
    assert not out.passed and message in str(out), str(out)


# --- chapter 4: warm-up and cosine decay ------------------------------------------------------


def warmup_cosine(step, total_steps, peak, warmup_steps):
    if step < warmup_steps:
        return peak * (step + 1) / warmup_steps
    return peak * 0.5 * (1 + np.cos(np.pi * (step - warmup_steps) / (total_steps - warmup_steps)))


def warmup_from_zero(step, total_steps, peak, warmup_steps):
    if step < warmup_steps:
        return peak * step / warmup_steps
    return warmup_cosine(step, total_steps, peak, warmup_steps)


def cosine_from_step_zero(step, total_steps, peak, warmup_steps):
    if step < warmup_steps:
        return peak * (step + 1) / warmup_steps
    return peak * 0.5 * (1 + np.cos(np.pi * step / (total_steps - warmup_steps)))


def plain_cosine(step, total_steps, peak, warmup_steps):
    if step < warmup_steps:
        return peak * (step + 1) / warmup_steps
    return peak * np.cos(np.pi * (step - warmup_steps) / (total_steps - warmup_steps))


def constant(step, total_steps, peak, warmup_steps):
    return peak


@pytest.mark.parametrize("slip, message", [
    (warmup_from_zero, "starts at 0"),
    (cosine_from_step_zero, "where the warm-up ends"),
    (plain_cosine, "negative"),
    (constant, "the rate of step 5 is off"),
])
def test_schedule_passes_and_names_the_slips(slip, message):
    assert check_warmup_cosine(warmup_cosine).passed
    out = check_warmup_cosine(slip)
    assert not out.passed and message in str(out), str(out)


def test_schedule_noise_case_needs_the_decay():
    """A schedule that warms up and then stays at the peak fails the noisy-SGD case."""
    def no_decay(step, total_steps, peak, warmup_steps):
        return peak * min(step + 1, warmup_steps) / warmup_steps if warmup_steps else peak
    out = str(check_warmup_cosine(no_decay))
    assert "noise of the last steps" in out


@pytest.mark.parametrize("check", [check_binary_cross_entropy_from_logit, check_weighted_ce_grad,
                                   check_nesterov_step, check_warmup_cosine,
                                   check_cross_entropy_from_logits_rows])
@pytest.mark.parametrize("garbage", [None, "abc", {}, np.zeros((2, 3, 4)), (1, 2, 3), object()])
def test_garbage_results_become_feedback(check, garbage):
    out = check(lambda *args: garbage)
    assert not out.passed and "NOT YET" in str(out)


@pytest.mark.parametrize("check", [check_binary_cross_entropy_from_logit, check_weighted_ce_grad,
                                   check_nesterov_step, check_warmup_cosine])
def test_stubs_get_the_hint(check):
    def stub(*args):
        raise NotImplementedError()
    out = str(check(stub))
    assert "NotImplementedError" in out and "Replace" in out
