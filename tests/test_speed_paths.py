"""The fast paths give the same numbers as the plain ones they replace.

In-place optimiser updates, ``Sequential.train_step``, skipping the first layer's input
gradient, learning-rate schedules in ``train``, and the loop-free max-pool backward.
"""

import numpy as np
import pytest

from mathlib.conv import Conv2D, MaxPool2D, maxpool2d_backward, maxpool2d_forward
from mathlib.model import cnn, mlp
from mathlib.optim import BLOCK, SGD, Adam, Momentum, RMSProp
from mathlib.train import train

OPTIMIZERS = [lambda: SGD(0.1), lambda: Momentum(0.05, 0.9), lambda: RMSProp(0.01),
              lambda: Adam(1e-3)]


@pytest.mark.parametrize("make", OPTIMIZERS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_update_in_place_equals_step(make, dtype):
    rng = np.random.default_rng(0)
    # one array longer than a block (so it is split), one tiny, one 0-d
    shapes = {"W": (BLOCK + 3,), "b": (3, 2), "s": ()}
    params = {k: rng.standard_normal(s).astype(dtype) for k, s in shapes.items()}
    by_step, in_place = make(), make()
    p_step = {k: v.copy() for k, v in params.items()}
    p_live = {k: v.copy() for k, v in params.items()}
    arrays = dict(p_live)
    for _ in range(4):
        grads = {k: rng.standard_normal(s).astype(dtype) for k, s in shapes.items()}
        p_step = by_step.step(p_step, grads)
        in_place.update(p_live, grads)
    for k in params:
        assert p_live[k] is arrays[k]  # the same arrays, overwritten
        assert p_live[k].dtype == dtype
        assert np.array_equal(p_step[k], p_live[k])  # bit for bit


def test_update_refuses_arrays_it_cannot_overwrite():
    frozen = np.zeros(3)
    frozen.flags.writeable = False
    with pytest.raises(TypeError, match="writeable C-contiguous"):
        SGD(0.1).update({"w": frozen}, {"w": np.ones(3)})
    with pytest.raises(TypeError, match="writeable C-contiguous"):
        SGD(0.1).update({"w": np.zeros((4, 4))[:, ::2]}, {"w": np.ones((4, 2))})


def _tiny_cnn(seed):
    return cnn(rng=np.random.default_rng(seed), channels=(2, 3), hidden=8, keep_prob=0.7,
               dtype=np.float64)


def test_train_step_equals_copying_path():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((6, 1, 28, 28))
    y = rng.integers(0, 10, 6)
    fast, plain = _tiny_cnn(2), _tiny_cnn(2)
    opt_fast, opt_plain = Adam(1e-2), Adam(1e-2)
    for _ in range(3):
        loss_fast, _ = fast.train_step(X, y, opt_fast)
        loss_plain, grads = plain.loss_and_grads(X, y=y)
        plain.set_params(opt_plain.step(plain.params, grads))
        assert loss_fast == loss_plain
    for k, v in plain.params.items():
        assert np.array_equal(fast.params[k], v)


def test_backward_without_input_gradient():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((2, 1, 28, 28))
    model = _tiny_cnn(4)
    model.layers[-2].set_mask(np.ones((2, 8), dtype=bool))  # dropout: the same both times
    dZ = rng.standard_normal((2, 10))
    model.forward(X, train=True)
    dX = model.backward(dZ)
    full = model.grads
    model.forward(X, train=True)
    assert model.backward(dZ, input_grad=False) is None
    assert dX.shape == X.shape
    for k, v in model.grads.items():
        assert np.array_equal(v, full[k])


def test_first_layer_backward_params_fills_the_same_grads():
    rng = np.random.default_rng(5)
    layer = Conv2D(2, 3, 3, padding="same", rng=rng)
    X = rng.standard_normal((2, 2, 5, 5))
    dOut = rng.standard_normal((2, 3, 5, 5))
    layer.forward(X)
    layer.backward(dOut)
    full = {k: v.copy() for k, v in layer.grads.items()}
    assert layer.backward_params(dOut) is None
    for k in full:
        assert np.array_equal(layer.grads[k], full[k])


def test_schedule_sets_each_rate_and_restores_the_optimiser():
    rng = np.random.default_rng(6)
    X = rng.standard_normal((40, 5)).astype(np.float32)
    y = rng.integers(0, 3, 40)
    seen = []

    def rate(t):
        seen.append(t)
        return 0.1 * (1 - t / 8)

    a, b = (mlp([5, 4, 3], rng=np.random.default_rng(7)) for _ in range(2))
    opt = SGD(0.5)
    train(a, X, y, epochs=2, batch_size=10, optimizer=opt, rng=np.random.default_rng(8),
          progress=False, schedule=rate)
    assert seen == list(range(8)) and opt.learning_rate == 0.5
    # the same run by hand, one step at a time with the scheduled rate
    order_rng = np.random.default_rng(8)
    step = 0
    for _ in range(2):
        order = order_rng.permutation(40)
        for start in range(0, 40, 10):
            idx = order[start : start + 10]
            b.train_step(X[idx], y[idx], SGD(0.1 * (1 - step / 8)))
            step += 1
    for k, v in b.params.items():
        assert np.array_equal(a.params[k], v)


def test_schedule_must_give_positive_rates():
    X = np.zeros((4, 2), dtype=np.float32)
    y = np.zeros(4, dtype=int)
    model = mlp([2, 2], rng=np.random.default_rng(0))
    with pytest.raises(TypeError, match="schedule must be a function"):
        train(model, X, y, epochs=1, batch_size=2, optimizer=SGD(0.1),
              rng=np.random.default_rng(0), progress=False, schedule=0.1)
    with pytest.raises(ValueError, match=r"schedule\(0\)"):
        train(model, X, y, epochs=1, batch_size=2, optimizer=SGD(0.1),
              rng=np.random.default_rng(0), progress=False, schedule=lambda t: 0.0)


def _naive_pool_backward(dOut, argmax, shape, k, s):
    dX = np.zeros(shape)
    N, C, Ho, Wo = dOut.shape
    for n, c, i, j in np.ndindex(N, C, Ho, Wo):
        u, v = divmod(int(argmax[n, c, i, j]), k)
        dX[n, c, s * i + u, s * j + v] += dOut[n, c, i, j]
    return dX


@pytest.mark.parametrize("k, s, shape", [(2, 2, (2, 3, 6, 7)), (3, 2, (2, 2, 7, 7)),
                                         (2, 3, (1, 2, 8, 5)), (3, 1, (1, 1, 5, 6))])
def test_maxpool_backward_matches_a_loop_over_windows(k, s, shape):
    rng = np.random.default_rng(9)
    X = rng.integers(0, 3, shape).astype(float)  # many ties: the first maximum wins
    out, argmax = maxpool2d_forward(X, k, s)
    dOut = rng.standard_normal(out.shape)
    assert np.allclose(maxpool2d_backward(dOut, argmax, X.shape, k, s),
                       _naive_pool_backward(dOut, argmax, X.shape, k, s), atol=1e-12)
    layer = MaxPool2D(k, s)
    layer.forward(X)
    assert np.allclose(layer.backward(dOut), _naive_pool_backward(dOut, argmax, X.shape, k, s))


def test_layers_hand_on_channels_last_memory():
    rng = np.random.default_rng(10)
    conv = Conv2D(1, 4, 3, padding="same", rng=rng, dtype=np.float32)
    out = conv.forward(rng.standard_normal((2, 1, 6, 6)).astype(np.float32))
    assert out.shape == (2, 4, 6, 6)
    assert out.transpose(0, 2, 3, 1).flags.c_contiguous  # (N, H, W, C) memory
    pooled = MaxPool2D().forward(out)
    assert pooled.transpose(0, 2, 3, 1).flags.c_contiguous
