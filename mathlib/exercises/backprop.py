"""Checks for the coding exercise of chapter 7: the backward pass of a two-layer ReLU network."""

from __future__ import annotations

import numpy as np

from mathlib.gradcheck import numerical_gradient

from ._core import Checker, Feedback

__all__ = ["check_two_layer_backward"]

_KEYS = ("W1", "b1", "W2", "b2")


def _loss(X, y, params):
    # Z1 = X W1 + b1, H1 = relu(Z1), Z = H1 W2 + b2, L = mean(lse(Z) - Z[y])
    H1 = np.maximum(X @ params["W1"] + params["b1"], 0.0)
    Z = H1 @ params["W2"] + params["b2"]
    m = Z.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(Z - m).sum(axis=1))
    return float(np.mean(lse - Z[np.arange(len(y)), y]))


def _case(rng, N, D, H, K):
    X = rng.standard_normal((N, D))
    y = rng.integers(0, K, size=N)
    params = {
        "W1": rng.standard_normal((D, H)) * np.sqrt(2.0 / D),
        "b1": rng.standard_normal(H) * 0.1,
        "W2": rng.standard_normal((H, K)) * np.sqrt(2.0 / H),
        "b2": rng.standard_normal(K) * 0.1,
    }
    return X, y, params


def check_two_layer_backward(two_layer_backward) -> Feedback:
    """Check ``two_layer_backward(X, y, params) -> grads``.

    ``params`` holds ``W1 (D, H)``, ``b1 (H,)``, ``W2 (H, K)``, ``b2 (K,)``; the network is
    ``Z = relu(X W1 + b1) W2 + b2`` with the mean softmax cross-entropy against integer labels
    ``y (N,)``. ``grads`` must be a dict with the same keys and shapes, compared entry by entry
    with central differences in float64.
    """
    c = Checker("two_layer_backward")
    rng = np.random.default_rng(20240707)
    cases = [
        ("a batch of 4 samples, D=5 inputs, H=6 hidden units, K=3 classes", (4, 5, 6, 3)),
        ("a single sample (N=1), D=3, H=4, K=2", (1, 3, 4, 2)),
        ("a batch of 7 samples, D=8, H=3, K=10", (7, 8, 3, 10)),
    ]
    for description, (N, D, H, K) in cases:
        with c.case(description):
            X, y, params = _case(rng, N, D, H, K)
            given = {k: v.copy() for k, v in params.items()}
            grads = c.call(two_layer_backward, X.copy(), y.copy(), given)
            c.expect_true(isinstance(grads, dict),
                          f"the result should be a dict with keys {list(_KEYS)}, "
                          f"got {type(grads).__name__}.")
            missing = [k for k in _KEYS if k not in grads]
            c.expect_true(not missing, f"the result lacks the key(s) {missing}.")
            c.expect_true(all(np.array_equal(given[k], params[k]) for k in _KEYS),
                          "your function changed the arrays in `params`; a backward pass "
                          "must leave its inputs untouched.")
            for name in _KEYS:
                c.expect_shape(grads[name], params[name].shape,
                               what=f"the gradient {name} (it has the shape of {name})")
            for name in _KEYS:
                probe = {k: v.copy() for k, v in params.items()}
                numerical = numerical_gradient(lambda _p, X=X, y=y, probe=probe: _loss(X, y, probe),
                                               probe[name])
                c.expect_gradient(grads[name], numerical, what=f"the gradient {name}")
    return c.feedback()
