"""Tests for mathlib.optim: hand-worked first steps, convergence, purity."""

import numpy as np
import pytest

from mathlib.optim import SGD, Adam, Momentum, RMSProp, sgd_step

A = np.array([1.0, 10.0])  # f(w) = 0.5 * (w1^2 + 10 w2^2), an elongated bowl


def grad_bowl(w):
    return A * w


def test_sgd_first_step_by_hand():
    params = {"w": np.array([1.0, 2.0])}
    grads = {"w": np.array([0.5, -1.0])}
    # w - 0.1 g = [1 - 0.05, 2 + 0.1]
    assert np.allclose(SGD(0.1).step(params, grads)["w"], [0.95, 2.1])
    assert np.allclose(sgd_step(params, grads, 0.1)["w"], [0.95, 2.1])


def test_momentum_two_steps_by_hand():
    opt = Momentum(0.1, momentum=0.9)
    p = {"w": np.array([1.0])}
    g = {"w": np.array([2.0])}
    p = opt.step(p, g)  # v = -0.2, w = 0.8
    assert np.allclose(p["w"], [0.8])
    p = opt.step(p, g)  # v = 0.9 * -0.2 - 0.2 = -0.38, w = 0.42
    assert np.allclose(p["w"], [0.42])


def test_rmsprop_first_step_by_hand():
    opt = RMSProp(0.01, decay=0.9, eps=1e-8)
    g = np.array([4.0, -0.001])
    new = opt.step({"w": np.zeros(2)}, {"w": g})["w"]
    # s = 0.1 g^2, step = 0.01 g / (sqrt(0.1) |g|) = 0.01 / sqrt(0.1) * sign(g)
    assert np.allclose(new, -0.01 / np.sqrt(0.1) * np.sign(g), rtol=1e-4)


def test_adam_first_step_is_learning_rate_times_sign():
    opt = Adam(learning_rate=0.05)
    g = np.array([1e-3, 1e3, -5.0])
    new = opt.step({"w": np.zeros(3)}, {"w": g})["w"]
    # bias correction: m_hat = g, v_hat = g^2, so the step is lr * g / |g|
    assert np.allclose(new, -0.05 * np.sign(g), rtol=1e-4)


def test_adam_second_step_by_hand():
    opt = Adam(learning_rate=0.1, beta1=0.9, beta2=0.999, eps=0.0 + 1e-12)
    p = opt.step({"w": np.array([0.0])}, {"w": np.array([1.0])})
    p = opt.step(p, {"w": np.array([3.0])})
    m = 0.9 * 0.1 * 1 + 0.1 * 3  # 0.39
    v = 0.999 * 0.001 * 1 + 0.001 * 9  # 0.009999
    m_hat, v_hat = m / (1 - 0.9**2), v / (1 - 0.999**2)
    assert np.allclose(p["w"], [-0.1 - 0.1 * m_hat / np.sqrt(v_hat)])


@pytest.mark.parametrize("opt, steps", [
    (SGD(0.15), 300),
    (Momentum(0.05, momentum=0.8), 300),
    (RMSProp(0.01, decay=0.9), 1500),
    (Adam(0.05), 1500),
])
def test_optimizers_find_bowl_minimum(opt, steps):
    params = {"w": np.array([3.0, -2.0])}  # a single 2-D point, as in chapter 4
    start = params["w"].copy()
    for _ in range(steps):
        params = opt.step(params, {"w": grad_bowl(params["w"])})
    assert np.linalg.norm(params["w"]) < 1e-2 * np.linalg.norm(start), (opt, params)


@pytest.mark.parametrize("opt", [SGD(0.1), Momentum(0.1), RMSProp(0.1), Adam(0.1)])
def test_step_returns_new_arrays_and_keeps_inputs(opt):
    params = {"a": np.array([[1.0, 2.0]]), "b": np.array([0.5])}
    grads = {"a": np.array([[0.1, -0.2]]), "b": np.array([1.0])}
    before = {k: v.copy() for k, v in {**params}.items()}
    gbefore = {k: v.copy() for k, v in grads.items()}
    new = opt.step(params, grads)
    assert set(new) == {"a", "b"}
    for k in params:
        assert np.array_equal(params[k], before[k]) and np.array_equal(grads[k], gbefore[k])
        assert not np.shares_memory(new[k], params[k])
        assert not np.shares_memory(new[k], grads[k])
        assert new[k].shape == params[k].shape
    if not isinstance(opt, SGD):
        assert set(opt.state) == {"a", "b"}  # state keyed by parameter name
        opt.reset()
        assert opt.state == {}


def test_float32_stays_float32():
    p = {"w": np.ones(3, dtype=np.float32)}
    g = {"w": np.ones(3, dtype=np.float32)}
    for opt in (SGD(0.1), Momentum(0.1), RMSProp(0.1), Adam(0.1)):
        assert opt.step(p, g)["w"].dtype == np.float32


def test_errors():
    p = {"w": np.zeros(2)}
    with pytest.raises(ValueError, match=r"missing \['w'\], unexpected \['v'\]"):
        SGD(0.1).step(p, {"v": np.zeros(2)})
    with pytest.raises(ValueError, match=r"grads\['w'\] must have the shape of params\['w'\]"):
        Adam().step(p, {"w": np.zeros(3)})
    with pytest.raises(ValueError, match="learning_rate must be > 0, got -1.0"):
        SGD(-1.0)
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\)"):
        Momentum(0.1, momentum=1.0)
    with pytest.raises(ValueError, match="must be finite"):
        SGD(0.1).step(p, {"w": np.array([np.nan, 0.0])})
    opt = Adam()
    opt.step(p, {"w": np.zeros(2)})
    with pytest.raises(ValueError, match="call reset"):
        opt.step({"w": np.zeros(3)}, {"w": np.zeros(3)})


def test_argument_types_are_named():
    with pytest.raises(TypeError, match="learning_rate must be a real number, got '0.1'"):
        SGD("0.1")
    with pytest.raises(TypeError, match="momentum must be a real number"):
        Momentum(0.1, momentum="0.9")
    with pytest.raises(ValueError, match="beta2 must be a finite number, got nan"):
        Adam(beta2=float("nan"))
    with pytest.raises(TypeError, match="params must be a dict of arrays"):
        SGD(0.1).step([np.zeros(2)], {"w": np.zeros(2)})
    with pytest.raises(TypeError, match="learning_rate must be a real number"):
        sgd_step({"w": np.zeros(2)}, {"w": np.zeros(2)}, None)
