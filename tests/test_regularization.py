"""Tests for mathlib.regularization: hand-worked penalties, gradient checks, SGD decay."""

import numpy as np
import pytest

from mathlib.gradcheck import PASS_MARK, numerical_gradient_params, rel_error
from mathlib.model import mlp
from mathlib.optim import SGD
from mathlib.regularization import PenalizedModel, l2_penalty, l2_penalty_grad, weight_keys
from mathlib.train import train


def small_params():
    return {"0.W": np.array([[1.0, 2.0], [3.0, 4.0]]), "0.b": np.array([5.0, 6.0]),
            "2.W": np.array([[-1.0], [0.5]]), "2.b": np.array([7.0])}


def test_weight_keys_are_the_weights_in_order():
    assert weight_keys(small_params()) == ["0.W", "2.W"]
    assert weight_keys({"W": np.zeros(2), "b": np.zeros(1)}) == ["W"]
    # names that merely contain a W are not weights
    assert weight_keys({"0.Wx": np.zeros(1), "conv.b": np.zeros(1)}) == []


def test_penalty_and_gradient_by_hand():
    params = small_params()
    # ||0.W||^2 = 1 + 4 + 9 + 16 = 30 ; ||2.W||^2 = 1 + 0.25 = 1.25 ; biases not counted
    # R = 0.1 / 2 * 31.25 = 1.5625
    assert l2_penalty(params, 0.1) == pytest.approx(1.5625, rel=1e-15)
    grads = l2_penalty_grad(params, 0.1)
    assert list(grads) == list(params)
    assert np.allclose(grads["0.W"], [[0.1, 0.2], [0.3, 0.4]])  # lambda * W
    assert np.allclose(grads["2.W"], [[-0.1], [0.05]])
    assert np.array_equal(grads["0.b"], [0.0, 0.0]) and np.array_equal(grads["2.b"], [0.0])


def test_explicit_keys_can_include_a_bias():
    params = small_params()
    # (0.5 / 2) * (25 + 36) = 15.25
    assert l2_penalty(params, 0.5, keys=["0.b"]) == pytest.approx(15.25)
    assert l2_penalty(params, 0.5, keys=["0.b", "0.b"]) == pytest.approx(15.25)
    grads = l2_penalty_grad(params, 0.5, keys=["0.b"])
    assert np.allclose(grads["0.b"], [2.5, 3.0]) and not grads["0.W"].any()
    assert l2_penalty(params, 0.5, keys=[]) == 0.0


def test_zero_decay_gives_zero():
    params = small_params()
    assert l2_penalty(params, 0.0) == 0.0
    assert all(not g.any() for g in l2_penalty_grad(params, 0).values())


def test_gradient_matches_central_differences():
    rng = np.random.default_rng(0)
    params = {"0.W": rng.standard_normal((5, 4)), "0.b": rng.standard_normal(4),
              "1.W": rng.standard_normal((4, 3)), "1.b": rng.standard_normal(3)}
    numerical = numerical_gradient_params(lambda p: l2_penalty(p, 0.3), params)
    analytic = l2_penalty_grad(params, 0.3)
    for name in params:
        assert rel_error(analytic[name], numerical[name]) < PASS_MARK, name


def test_inputs_are_not_modified_and_outputs_are_new_arrays():
    params = small_params()
    before = {k: v.copy() for k, v in params.items()}
    grads = l2_penalty_grad(params, 0.2)
    grads["0.W"] += 100.0
    grads["0.b"] += 100.0
    for k in params:
        assert np.array_equal(params[k], before[k])


def test_dtype_is_kept_and_float32_penalty_is_summed_in_float64():
    params = {"W": np.full((1000, 100), 0.1, dtype=np.float32)}
    assert l2_penalty_grad(params, 0.5)["W"].dtype == np.float32
    # 1e5 entries of 0.01: sum 1000 exactly in float64 arithmetic on the float32 values
    exact = 0.5 * 0.5 * 1e5 * float(np.float32(0.1)) ** 2
    assert l2_penalty(params, 0.5) == pytest.approx(exact, rel=1e-12)


def test_penalized_model_gradients_match_central_differences():
    rng = np.random.default_rng(1)
    model = mlp([6, 5, 3], rng=rng, dtype=np.float64)
    X = rng.standard_normal((4, 6))
    y = np.array([0, 2, 1, 2])
    wrapped = PenalizedModel(model, 0.7)
    loss, grads = wrapped.loss_and_grads(X, y=y)
    plain_loss, _ = model.loss_and_grads(X, y=y)
    assert loss == pytest.approx(plain_loss + l2_penalty(model.params, 0.7))

    def total(p):
        model.set_params(p)
        return model.loss_and_grads(X, y=y)[0] + l2_penalty(p, 0.7)

    start = model.params
    numerical = numerical_gradient_params(total, start)
    model.set_params(start)
    for name in start:
        assert rel_error(grads[name], numerical[name]) < PASS_MARK, name


def test_penalized_model_predicts_like_the_plain_model():
    rng = np.random.default_rng(2)
    model = mlp([4, 3, 2], rng=rng, dtype=np.float64)
    wrapped = PenalizedModel(model, 5.0)
    X = rng.standard_normal((3, 4))
    assert np.array_equal(wrapped.forward(X), model.forward(X))
    assert wrapped.dtype == model.dtype
    assert wrapped.penalty() == pytest.approx(l2_penalty(model.params, 5.0))
    _, _, Z = wrapped.loss_and_grads(X, y=np.array([0, 1, 1]), return_logits=True)
    assert np.allclose(Z, model.forward(X))


def test_sgd_with_the_penalty_decays_unused_weights_by_one_minus_eta_lambda():
    """An input that is always 0 gets no data gradient: W[d] <- (1 - eta lambda) W[d] per step."""
    rng = np.random.default_rng(3)
    X = rng.random((60, 5)).astype(np.float32)
    X[:, 2] = 0.0  # a "never-inked pixel"
    y = rng.integers(0, 3, size=60)
    model = mlp([5, 4, 3], rng=rng)
    start = model.params["0.W"][2].copy()
    eta, lam = 0.1, 0.5
    history = train(PenalizedModel(model, lam), X, y, epochs=3, batch_size=20,
                    optimizer=SGD(eta), rng=rng, progress=False)
    steps = len(history["step_loss"])
    assert steps == 9
    expected = start * (1 - eta * lam) ** steps
    assert np.allclose(model.params["0.W"][2], expected, rtol=1e-5)
    # and the weights of used inputs moved for other reasons too
    assert not np.allclose(model.params["0.W"][0], 0.0)


def test_train_loss_of_a_penalized_model_includes_the_penalty():
    rng = np.random.default_rng(4)
    X = rng.random((10, 3)).astype(np.float32)
    y = rng.integers(0, 2, size=10)
    model = mlp([3, 2], rng=rng)
    model.set_params({"0.W": np.full((3, 2), 10.0), "0.b": np.zeros(2)})
    history = train(PenalizedModel(model, 1.0), X, y, epochs=1, batch_size=10,
                    optimizer=SGD(1e-9), rng=rng, progress=False)
    # the penalty alone is 0.5 * 6 * 100 = 300, far above any cross-entropy of these logits
    assert history["step_loss"][0] > 300.0


@pytest.mark.parametrize("call, match", [
    (lambda: l2_penalty(small_params(), -0.1), "weight_decay"),
    (lambda: l2_penalty(small_params(), float("nan")), "weight_decay"),
    (lambda: l2_penalty_grad(small_params(), "0.1"), "weight_decay"),
    (lambda: l2_penalty(small_params(), None), "weight_decay"),
    (lambda: l2_penalty([np.ones(2)], 0.1), "params"),
    (lambda: l2_penalty({0: np.ones(2)}, 0.1), "params"),
    (lambda: l2_penalty(small_params(), 0.1, keys=["0.W", "9.W"]), "keys"),
    (lambda: l2_penalty(small_params(), 0.1, keys="0.W"), "keys"),
    (lambda: l2_penalty({"W": np.array([1.0, np.inf])}, 0.1), "params"),
    (lambda: l2_penalty({"W": np.array(["a"])}, 0.1), "params"),
    (lambda: PenalizedModel(object(), 0.1), "model"),
    (lambda: PenalizedModel(mlp([2, 2], rng=np.random.default_rng(0)), -1.0), "weight_decay"),
])
def test_bad_arguments_are_named(call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call()
