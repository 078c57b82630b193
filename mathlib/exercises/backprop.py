"""Checks for the coding exercises of chapter 7: backward passes the chapter does not show.

``check_two_layer_backward`` checks the ReLU network of the chapter (kept for old notebooks);
``check_tanh_backward`` checks the same network with tanh hidden units;
``check_three_layer_backward`` checks a network with two ReLU hidden layers.
All compare every gradient with central differences in float64 and, before that, look for the
usual slips (a transposed product, a missing 1/N, a bias summed over the wrong axis, the wrong
activation derivative) and name them -- never the answer.
"""

from __future__ import annotations

import numpy as np

from mathlib.checks import check_callable
from mathlib.gradcheck import numerical_gradient

from ._core import Checker, Feedback
from ._messages import msg

__all__ = ["check_two_layer_backward", "check_tanh_backward", "check_three_layer_backward"]


def _mean_ce(Z, y):
    # mean softmax cross-entropy from logits Z (N, K), integer labels y (N,)
    m = Z.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(Z - m).sum(axis=1))
    return float(np.mean(lse - Z[np.arange(len(y)), y]))


def _forward(X, params, act, n_layers):
    # hidden layers l = 1 .. n_layers-1: H_l = act(H_{l-1} W_l + b_l); logits Z = H W_L + b_L
    H = X
    for layer in range(1, n_layers):
        H = act(H @ params[f"W{layer}"] + params[f"b{layer}"])
    return H @ params[f"W{n_layers}"] + params[f"b{n_layers}"]


def _relu(a):
    return np.maximum(a, 0.0)


def _make_params(rng, sizes):
    params = {}
    for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        params[f"W{layer}"] = rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)
        params[f"b{layer}"] = rng.standard_normal(fan_out) * 0.1
    return params


def _slip_hints(c, name, g, numerical, N):
    """Name the usual slip if the learner's gradient ``g`` is one of them (ends the case)."""
    ref = numerical
    if name.startswith("b") and g.ndim == 1 and g.shape == (N,) and ref.shape != (N,):
        c.expect_true(False, msg("backprop.bias_per_sample", name=name))
    if ref.ndim == 2 and ref.shape[0] != ref.shape[1] and g.shape == ref.shape[::-1]:
        c.expect_true(False, msg("backprop.transposed", name=name, shape=g.shape))
    if g.shape != ref.shape or not np.all(np.isfinite(g)):
        return
    scale = np.abs(ref).max()
    if scale == 0:
        return
    close = lambda a, b: np.abs(a - b).max() <= 1e-6 * scale  # noqa: E731
    if N > 1 and close(g, N * ref):
        c.expect_true(False, msg("backprop.times_N", name=name))
    if N > 1 and close(g, ref / N):
        c.expect_true(False, msg("backprop.over_N", name=name))
    if close(g, -ref):
        c.expect_true(False, msg("backprop.sign", name=name))


def _check_backward(fn, exercise, act, n_hidden_layers, slips, cases, seed):
    check_callable(fn, exercise)
    c = Checker(exercise)
    rng = np.random.default_rng(seed)
    n_layers = n_hidden_layers + 1
    keys = [f"{p}{layer}" for layer in range(1, n_layers + 1) for p in ("W", "b")]
    for description, sizes, N in cases:
        with c.case(description):
            X = rng.standard_normal((N, sizes[0]))
            y = rng.integers(0, sizes[-1], size=N)
            params = _make_params(rng, sizes)
            given = {k: v.copy() for k, v in params.items()}
            grads = c.call(fn, X.copy(), y.copy(), given)
            c.expect_true(isinstance(grads, dict),
                          msg("backprop.not_dict", keys=keys, kind=type(grads).__name__))
            missing = [k for k in keys if k not in grads]
            c.expect_true(not missing, msg("backprop.missing_keys", missing=missing))
            c.expect_true(all(np.array_equal(given[k], params[k]) for k in keys),
                          msg("backprop.params_changed"))
            for name in keys:
                g = c.numbers(grads[name], what=msg("backprop.gradient", name=name))
                probe = {k: v.copy() for k, v in params.items()}
                def loss(_p, probe=probe, X=X, y=y):
                    return _mean_ce(_forward(X, probe, act, n_layers), y)

                numerical = numerical_gradient(loss, probe[name])
                _slip_hints(c, name, g, numerical, N)
                for wrong_act, hint in slips:
                    if g.shape != numerical.shape:
                        break
                    alt = {k: v.copy() for k, v in params.items()}
                    wrong = wrong_act(X, y, alt, name)
                    if wrong is not None and np.allclose(g, wrong, rtol=1e-6, atol=1e-10) \
                            and not np.allclose(g, numerical, rtol=1e-5, atol=1e-9):
                        c.expect_true(False, msg("backprop.slip", name=name, hint=hint))
                c.expect_shape(g, params[name].shape,
                               what=msg("backprop.gradient_shape", name=name))
                c.expect_gradient(g, numerical, what=msg("backprop.gradient", name=name))
    return c.feedback()


def _backward_with(X, y, params, n_layers, hidden, dact):
    """Backward pass where ``dact(A, H)`` gives the local slope; used to build the slips."""
    N = len(X)
    inputs, pre = [X], []
    H = X
    for layer in range(1, n_layers):
        A = H @ params[f"W{layer}"] + params[f"b{layer}"]
        H = hidden(A)
        pre.append(A)
        inputs.append(H)
    Z = H @ params[f"W{n_layers}"] + params[f"b{n_layers}"]
    P = np.exp(Z - Z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    P[np.arange(N), y] -= 1.0
    G = P / N
    grads = {}
    for layer in range(n_layers, 0, -1):
        grads[f"W{layer}"] = inputs[layer - 1].T @ G
        grads[f"b{layer}"] = G.sum(axis=0)
        if layer > 1:
            G = (G @ params[f"W{layer}"].T) * dact(pre[layer - 2], inputs[layer - 1])
    return grads


def _slip(n_layers, hidden, dact):
    def wrong(X, y, params, name):
        return _backward_with(X, y, params, n_layers, hidden, dact)[name]
    return wrong


def check_two_layer_backward(two_layer_backward) -> Feedback:
    """Check ``two_layer_backward(X, y, params) -> grads`` for ``Z = relu(X W1 + b1) W2 + b2``.

    ``params`` holds ``W1 (D, H)``, ``b1 (H,)``, ``W2 (H, K)``, ``b2 (K,)``; the loss is the
    mean softmax cross-entropy against integer labels ``y (N,)``. ``grads`` is a dict with the
    same keys and shapes, compared entry by entry with central differences in float64.
    """
    cases = [
        (msg("backprop.case.batch_4"), (5, 6, 3), 4),
        (msg("backprop.case.single"), (3, 4, 2), 1),
        (msg("backprop.case.batch_7"), (8, 3, 10), 7),
    ]
    return _check_backward(two_layer_backward, "two_layer_backward", _relu, 1, [],
                           cases, 20240707)


def check_tanh_backward(tanh_backward) -> Feedback:
    r"""Check ``tanh_backward(X, y, params) -> grads`` for ``Z = tanh(X W1 + b1) W2 + b2``.

    Shapes: ``X (N, D)``, ``y (N,)`` integer labels, ``params`` with ``W1 (D, H)``, ``b1 (H,)``,
    ``W2 (H, K)``, ``b2 (K,)``; ``grads`` a dict with the same keys and shapes holding the
    gradients of the mean softmax cross-entropy. Slips named: ReLU's mask instead of
    :math:`1 - \tanh^2`, the slope taken at the pre-activation instead of from the output,
    transposes, a missing 1/N, a bias summed over the wrong axis.
    """
    slips = [
        (_slip(2, np.tanh, lambda A, H: (A > 0).astype(float)),
         msg("backprop.relu_mask_for_tanh")),
        (_slip(2, np.tanh, lambda A, H: 1.0 - A**2),
         msg("backprop.tanh_slope_of_input")),
        (_slip(2, np.tanh, lambda A, H: np.ones_like(A)),
         msg("backprop.tanh_skipped")),
    ]
    cases = [
        (msg("backprop.case.batch_4"), (5, 6, 3), 4),
        (msg("backprop.case.single"), (3, 4, 2), 1),
        (msg("backprop.case.batch_9"), (7, 5, 10), 9),
    ]
    return _check_backward(tanh_backward, "tanh_backward", np.tanh, 1, slips, cases, 707)


def check_three_layer_backward(three_layer_backward) -> Feedback:
    """Check ``three_layer_backward(X, y, params) -> grads`` for two ReLU hidden layers.

    The network is ``H1 = relu(X W1 + b1)``, ``H2 = relu(H1 W2 + b2)``, ``Z = H2 W3 + b3``
    with ``W1 (D, H1)``, ``b1 (H1,)``, ``W2 (H1, H2)``, ``b2 (H2,)``, ``W3 (H2, K)``,
    ``b3 (K,)``, the mean softmax cross-entropy against ``y (N,)``. ``grads`` is a dict with
    the six keys and the parameters' shapes. Slips named: a ReLU mask left out, transposes, a
    missing 1/N, a bias summed over the wrong axis.
    """
    slips = [
        (_slip(3, _relu, lambda A, H: np.ones_like(A)),
         msg("backprop.relu_skipped")),
    ]
    cases = [
        (msg("backprop.case.three_batch_5"), (6, 4, 3, 3), 5),
        (msg("backprop.case.three_single"), (3, 5, 2, 4), 1),
        (msg("backprop.case.three_batch_8"), (4, 7, 6, 10), 8),
    ]
    return _check_backward(three_layer_backward, "three_layer_backward", _relu, 2,
                           slips, cases, 7707)
