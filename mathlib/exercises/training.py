"""Checks for the coding exercises of chapter 8 (training well).

- ``l1_penalty(params, strength) -> (R, grads)``: the L1 penalty of the weights and its
  (sub)gradient, the variant of the chapter's L2 weight decay;
- ``plateau_schedule(val_losses, base_lr, factor, patience) -> rates``: a learning-rate schedule
  driven by the validation loss (reduce the rate when it stops improving);
- ``residual_backward(X, y, Ws, bs, W_out, b_out) -> (dWs, dbs, dW_out, db_out)``:
  backpropagation through a stack of residual tanh layers, the skip connections that keep deep
  networks' gradients from vanishing.
"""

from __future__ import annotations

import math

import numpy as np

from mathlib.gradcheck import numerical_gradient

from ._core import Checker, Feedback
from ._messages import msg

__all__ = ["check_l1_penalty", "check_plateau_schedule", "check_residual_backward"]


# ---------------------------------------------------------------------------------- L1 penalty
def _is_weight(name: str) -> bool:
    return name == "W" or name.endswith(".W")


def _l1_reference(params, strength):
    # R = strength * sum |W| over weights; dR/dW = strength * sign(W) (0 at W = 0); biases free
    value = sum(strength * float(np.abs(v).sum()) for k, v in params.items() if _is_weight(k))
    grads = {k: strength * np.sign(v) if _is_weight(k) else np.zeros_like(v)
             for k, v in params.items()}
    return value, grads


def _pair(c: Checker, out, names: str):
    kind = type(out).__name__
    c.expect_true(isinstance(out, tuple | list) and len(out) == 2,
                  msg("training.pair_length", names=names, kind=kind, length=len(out))
                  if isinstance(out, tuple | list) else msg("training.pair", names=names,
                                                            kind=kind))
    return out


def check_l1_penalty(l1_penalty) -> Feedback:
    r"""Check ``l1_penalty(params, strength) -> (R, grads)``.

    .. math:: R = \lambda \sum_{k\ \text{weight}} \sum_i |\theta_{k,i}|, \qquad
              \frac{\partial R}{\partial \theta_k} = \lambda \operatorname{sign}(\theta_k)

    for the weights (keys ``"W"`` or ending in ``".W"``) and a zero gradient for every other
    parameter; ``sign(0) = 0``. Hand-worked values, a gradient check away from 0, the
    subgradient at 0, inputs left unchanged, and the usual slips (an L2 habit such as the 1/2
    or ``lambda * W``, a penalised bias, a missing key).
    """
    c = Checker("l1_penalty")
    hand = {"0.W": np.array([[1.0, -2.0], [0.5, 3.0]]), "0.b": np.array([4.0, -1.0])}
    # R = 0.1 * (1 + 2 + 0.5 + 3) = 0.65 ; dR/dW = 0.1 * sign(W) ; dR/db = 0
    with c.case(msg("training.case.one_layer")):
        given = {k: v.copy() for k, v in hand.items()}
        out = _pair(c, c.call(l1_penalty, given, 0.1), "R, grads")
        value, grads = out
        c.expect_true(all(np.array_equal(given[k], hand[k]) for k in hand),
                      msg("training.params_changed"))
        c.expect_true(isinstance(grads, dict) and set(grads) == set(hand),
                      msg("training.grads_keys", keys=sorted(hand), got=sorted(grads))
                      if isinstance(grads, dict) else
                      msg("training.grads_kind", keys=sorted(hand), kind=type(grads).__name__))
        v = float(np.asarray(value, dtype=float).reshape(-1)[0]) if np.size(value) == 1 else None
        c.expect_true(v is not None, msg("training.R_number"))
        c.expect_true(not math.isclose(v, 0.325, rel_tol=1e-9),
                      msg("training.R_half"))
        c.expect_true(not math.isclose(v, 0.65 + 0.5, rel_tol=1e-9),
                      msg("training.R_biases"))
        c.expect_close(v, 0.65, what=msg("training.penalty_R"))
        c.expect_true(not np.allclose(grads["0.W"], 0.1 * hand["0.W"]),
                      msg("training.l2_gradient"))
        c.expect_shape(grads["0.W"], (2, 2), what=msg("training.gradient_of", name="0.W"))
        c.expect_close(grads["0.W"], 0.1 * np.sign(hand["0.W"]),
                       what=msg("training.gradient_of", name="0.W"), show_expected=False)
        c.expect_true(bool(np.all(np.asarray(grads["0.b"], dtype=float) == 0.0)),
                      msg("training.bias_gradient"))
    with c.case(msg("training.case.zero_weight")):
        params = {"W": np.array([[0.0, -1.5], [2.0, 0.0]]), "b": np.array([0.0])}
        out = _pair(c, c.call_quietly(l1_penalty, params, 0.5,
                                      hint=msg("training.zero_hint")), "R, grads")
        value, grads = out
        c.expect_close(value, 0.5 * 3.5, what=msg("training.penalty_R"))
        c.expect_finite(grads["W"], what=msg("training.gradient_of", name="W"))
        c.expect_close(grads["W"], 0.5 * np.sign(params["W"]),
                       what=msg("training.gradient_of", name="W"))
    rng = np.random.default_rng(8)
    with c.case(msg("training.case.two_layers")):
        params = {"0.W": rng.standard_normal((5, 4)), "0.b": rng.standard_normal(4),
                  "2.W": rng.standard_normal((4, 3)), "2.b": rng.standard_normal(3)}
        for k in ("0.W", "2.W"):  # keep every weight away from the corner at 0
            params[k] = np.where(np.abs(params[k]) < 0.05, 0.3, params[k])
        out = _pair(c, c.call(l1_penalty, {k: v.copy() for k, v in params.items()}, 0.03),
                    "R, grads")
        value, grads = out
        ref_value, _ = _l1_reference(params, 0.03)
        c.expect_close(value, ref_value, what=msg("training.penalty_R"), show_expected=False)
        for name in params:  # against central differences of the true penalty
            probe = {k: v.copy() for k, v in params.items()}
            numerical = numerical_gradient(
                lambda _x, probe=probe: _l1_reference(probe, 0.03)[0], probe[name])
            c.expect_gradient(grads[name], numerical, what=msg("training.gradient_of", name=name))
    return c.feedback()


# ------------------------------------------------------------------- reduce on plateau
def _plateau_reference(val_losses, base_lr, factor, patience):
    rates, lr, best, waited = [], base_lr, math.inf, 0
    for loss in val_losses:
        if loss < best:  # strictly better than the best so far
            best, waited = loss, 0
        else:
            waited += 1
            if waited == patience:
                lr, waited = lr * factor, 0
        rates.append(lr)
    return rates


def check_plateau_schedule(plateau_schedule) -> Feedback:
    r"""Check ``plateau_schedule(val_losses, base_lr, factor, patience) -> rates``.

    ``rates[e]`` is the learning rate in force after epoch ``e`` (for the next epoch): it
    starts at ``base_lr`` and is multiplied by ``factor`` each time the validation loss has
    failed, ``patience`` epochs in a row, to beat the best loss so far (strictly); the count
    starts again after each reduction. Hand-worked sequences (in the comments) that separate
    the usual slips: comparing with the previous epoch instead of the best, counting a tie as
    progress, not restarting the count, reducing one epoch late.
    """
    c = Checker("plateau_schedule")
    cases = [
        # best 1.0, 0.8; 0.9 and 0.85 fail twice -> x0.5 after epoch 4; 0.7 new best;
        # 0.75, 0.75 fail twice -> x0.5 after epoch 7; one more failure is not yet enough
        (msg("training.case.plateau_mixed"),
         ([1.0, 0.8, 0.9, 0.85, 0.7, 0.75, 0.75, 0.75], 0.1, 0.5, 2),
         [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025]),
        # a flat loss never beats its best: reduce after epochs 3, 5 and 7
        (msg("training.case.plateau_flat"),
         ([1.0] * 7, 1.0, 0.5, 2), [1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.125]),
        # always improving: the rate never changes
        (msg("training.case.plateau_falling"),
         ([5.0, 4.0, 3.0, 2.0], 0.3, 0.1, 1), [0.3, 0.3, 0.3, 0.3]),
        # patience 1: every epoch that is not a new best reduces at once
        (msg("training.case.plateau_patience_1"),
         ([2.0, 3.0, 1.0, 1.5, 1.2], 1.0, 0.1, 1), [1.0, 0.1, 0.1, 0.01, 0.001]),
    ]
    hints = {
        "previous": msg("training.slip_previous"),
        "tie": msg("training.slip_tie"),
        "no reset": msg("training.slip_no_reset"),
        "late": msg("training.slip_late"),
        "shifted": msg("training.slip_shifted"),
    }
    for description, (losses, base, factor, patience), expected in cases:
        with c.case(description):
            given = list(losses)
            got = c.call(plateau_schedule, given, base, factor, patience)
            c.expect_true(given == losses, msg("training.val_losses_changed"))
            c.expect_shape(got, (len(losses),), what=msg("training.rates_per_epoch"))
            got = np.asarray(got, dtype=float)
            if not np.allclose(got, expected, rtol=1e-12):
                for slip, rates in _plateau_slips(losses, base, factor, patience).items():
                    if np.allclose(got, rates, rtol=1e-12):
                        c.expect_true(False, hints[slip])
            c.expect_close(got, expected, what=msg("training.rates"), rtol=1e-12, atol=0.0)
    return c.feedback()


def _plateau_slips(val_losses, base_lr, factor, patience):
    """What the usual slips return, to name the slip in the feedback."""
    out = {}
    for slip in ("previous", "tie", "no reset", "late"):
        rates, lr, best, waited = [], base_lr, math.inf, 0
        for loss in val_losses:
            better = loss <= best if slip == "tie" else loss < best
            if better:
                best, waited = loss, 0
            else:
                waited += 1
                if (waited > patience) if slip == "late" else (
                        waited >= patience if slip == "no reset" else waited == patience):
                    lr = lr * factor
                    if slip != "no reset":
                        waited = 0
            if slip == "previous":
                best = loss
            rates.append(lr)
        out[slip] = rates
    out["shifted"] = [base_lr, *_plateau_reference(val_losses, base_lr, factor, patience)[:-1]]
    return out


# --------------------------------------------------------------------- residual backward
def _residual_grads(X, y, Ws, bs, W_out, b_out, skip_in_backward=True):
    """Reference gradients (dWs, dbs, dW_out, db_out); the flag reproduces a typical slip."""
    Hs, Ts = [X], []
    for W, b in zip(Ws, bs, strict=True):
        Ts.append(np.tanh(Hs[-1] @ W + b))  # branch output (N, D)
        Hs.append(Hs[-1] + Ts[-1])  # H_l = H_{l-1} + tanh(A_l)
    Z = Hs[-1] @ W_out + b_out
    P = np.exp(Z - Z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    N = X.shape[0]
    dZ = P.copy()
    dZ[np.arange(N), y] -= 1.0
    dZ /= N
    dH = dZ @ W_out.T
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    for layer in reversed(range(len(Ws))):
        dA = dH * (1.0 - Ts[layer] ** 2)
        dWs[layer], dbs[layer] = Hs[layer].T @ dA, dA.sum(axis=0)
        dH = (dH if skip_in_backward else 0.0) + dA @ Ws[layer].T
    return dWs, dbs, Hs[-1].T @ dZ, dZ.sum(axis=0)


def _residual_loss(X, y, Ws, bs, W_out, b_out):
    H = X
    for W, b in zip(Ws, bs, strict=True):
        H = H + np.tanh(H @ W + b)
    Z = H @ W_out + b_out
    m = Z.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(Z - m).sum(axis=1))
    return float(np.mean(lse - Z[np.arange(len(y)), y]))


def check_residual_backward(residual_backward) -> Feedback:
    r"""Check ``residual_backward(X, y, Ws, bs, W_out, b_out) -> (dWs, dbs, dW_out, db_out)``.

    The network: :math:`H_0 = X`, :math:`H_l = H_{l-1} + \tanh(H_{l-1} W_l + b_l)` for
    :math:`l = 1 \dots L` (every ``W_l`` is ``(D, D)``), logits :math:`Z = H_L W_{out} +
    b_{out}`, mean softmax cross-entropy against integer labels ``y (N,)``. Every gradient is
    compared with central differences in float64, for one, three and five residual layers;
    the feedback names a missing skip path, a missing 1/N, lists in reverse order.
    """
    c = Checker("residual_backward")
    rng = np.random.default_rng(88)
    cases = [
        (msg("training.case.residual_one"), 4, 3, 2, 1),
        (msg("training.case.residual_three"), 5, 4, 3, 3),
        (msg("training.case.residual_five"), 1, 3, 4, 5),
    ]
    for description, N, D, K, L in cases:
        with c.case(description):
            X = rng.standard_normal((N, D))
            y = rng.integers(0, K, size=N)
            Ws = [rng.standard_normal((D, D)) * np.sqrt(1.0 / D) for _ in range(L)]
            bs = [rng.standard_normal(D) * 0.1 for _ in range(L)]
            W_out = rng.standard_normal((D, K)) * np.sqrt(1.0 / D)
            b_out = rng.standard_normal(K) * 0.1
            inputs = [X, *Ws, *bs, W_out, b_out]
            copies = [a.copy() for a in inputs]
            out = c.call(residual_backward, copies[0], y.copy(), copies[1:L + 1],
                         copies[L + 1:2 * L + 1], copies[-2], copies[-1])
            c.expect_true(isinstance(out, tuple | list) and len(out) == 4,
                          msg("training.four_things"))
            dWs, dbs, dW_out, db_out = out
            c.expect_true(all(np.array_equal(a, b) for a, b in zip(copies, inputs, strict=True)),
                          msg("training.inputs_changed"))
            c.expect_true(isinstance(dWs, list | tuple) and len(dWs) == L
                          and isinstance(dbs, list | tuple) and len(dbs) == L,
                          msg("training.lists", L=L))
            c.expect_shape(dW_out, (D, K), what=msg("training.dW_out_shape"))
            c.expect_shape(db_out, (K,), what=msg("training.db_out_shape"))
            for i in range(L):
                c.expect_shape(dWs[i], (D, D), what=f"dWs[{i}]")
                c.expect_shape(dbs[i], (D,), what=f"dbs[{i}]")
            ref = _residual_grads(X, y, Ws, bs, W_out, b_out)
            got = [*dWs, *dbs, dW_out, db_out]
            want = [*ref[0], *ref[1], ref[2], ref[3]]
            flat_got = np.concatenate([np.ravel(np.asarray(g, dtype=float)) for g in got])
            flat_want = np.concatenate([np.ravel(w) for w in want])
            if N > 1 and np.allclose(flat_got, N * flat_want, rtol=1e-6, atol=1e-12):
                c.expect_true(False, msg("training.times_N", N=N))
            if L > 1 and np.allclose(np.asarray(dWs[0], dtype=float), ref[0][-1], rtol=1e-6) \
                    and not np.allclose(ref[0][0], ref[0][-1], rtol=1e-6):
                c.expect_true(False, msg("training.reversed"))
            slip = _residual_grads(X, y, Ws, bs, W_out, b_out, skip_in_backward=False)
            if L > 1 and np.allclose(np.asarray(dWs[0], dtype=float), slip[0][0], rtol=1e-6):
                c.expect_true(False, msg("training.no_skip"))
            params = [*Ws, *bs, W_out, b_out]
            names = ([f"dWs[{i}]" for i in range(L)] + [f"dbs[{i}]" for i in range(L)]
                     + ["dW_out", "db_out"])
            for k, (grad, name) in enumerate(zip(got, names, strict=True)):
                probe = [a.copy() for a in params]

                def loss(_x, probe=probe, X=X, y=y, L=L):
                    return _residual_loss(X, y, probe[:L], probe[L:2 * L], probe[-2], probe[-1])

                c.expect_gradient(grad, numerical_gradient(loss, probe[k]), what=name)
    return c.feedback()
