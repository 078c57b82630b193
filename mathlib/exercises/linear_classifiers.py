"""Checks for the coding exercises of chapter 5: two more linear classifiers.

- ``nearest_mean_params(X, y, K) -> (W, b)``: the nearest-mean classifier written as a linear
  model, with no training at all.
- ``multiclass_hinge(X, W, b, y) -> (loss, dW, db)``: the multiclass hinge (SVM) loss of a linear
  model and its gradient, a different loss on the same scores ``Z = XW + b``.
"""

from __future__ import annotations

import numpy as np

from mathlib.gradcheck import numerical_gradient

from ._core import Checker, Feedback
from ._messages import msg

__all__ = ["check_nearest_mean_params", "check_multiclass_hinge"]



def _parts(c: Checker, out, names: tuple[str, ...]) -> list[np.ndarray]:
    """Unpack the learner's tuple ``out`` into arrays named ``names`` (in that order)."""
    listing = ", ".join(names)
    if isinstance(out, tuple | list):
        c.expect_true(len(out) == len(names), msg("linear_classifiers.tuple_length",
                                                  listing=listing, kind=type(out).__name__,
                                                  length=len(out)))
    else:
        c.expect_true(False, msg("linear_classifiers.tuple", listing=listing,
                                 kind=type(out).__name__))
    return [c.numbers(value, name) for value, name in zip(out, names, strict=True)]


def _scalar(c: Checker, value: np.ndarray, what: str) -> float:
    c.expect_true(value.size == 1, msg("linear_classifiers.one_number", what=what,
                                       shape=value.shape))
    return float(value.reshape(()))


def _unchanged(c: Checker, given, originals):
    c.expect_true(all(np.array_equal(g, o) for g, o in zip(given, originals, strict=True)),
                  msg("linear_classifiers.inputs_changed"))


# --- the nearest-mean classifier ----------------------------------------------------------


def _class_means(X, y, K):
    return np.stack([X[y == k].mean(axis=0) for k in range(K)])  # (K, D)


def _nearest(Q, means):
    # argmin_k ||q - mu_k||^2, computed from the definition (no expansion)
    d2 = ((Q[:, None, :] - means[None, :, :]) ** 2).sum(axis=2)  # (M, K)
    return d2.argmin(axis=1), d2


def _clear_points(rng, means, n, spread):
    """Query points whose nearest and second-nearest means are clearly apart (no ties)."""
    centre = means.mean(axis=0)
    Q = centre + spread * rng.standard_normal((n, means.shape[1]))
    Q = np.concatenate([Q, means + 0.3 * spread * rng.standard_normal(means.shape)])
    _, d2 = _nearest(Q, means)
    two = np.sort(d2, axis=1)[:, :2]
    return Q[two[:, 1] - two[:, 0] > 1e-6 * (1 + two[:, 1])]


def _nm_cases(rng):
    """(description, X, y, K) with unequal class sizes and means of very different lengths."""
    cases = []
    # 3 classes in 2-D, 5, 2 and 9 points; class 2 sits far from the origin (a long mean).
    centres = np.array([[0.0, 1.0], [1.0, 0.0], [3.0, 3.0]])
    sizes = [5, 2, 9]
    y = np.repeat(np.arange(3), sizes)
    X = centres[y] + 0.4 * rng.standard_normal((len(y), 2))
    order = rng.permutation(len(y))
    cases.append((msg("linear_classifiers.case.points"),
                  X[order], y[order], 3))
    # 5 classes of 'images' with 12 non-negative pixels, the means' ink differs a lot.
    K, D = 5, 12
    ink = np.array([0.2, 0.5, 1.0, 2.0, 4.0])
    y = rng.permutation(np.repeat(np.arange(K), [4, 7, 3, 6, 5]))
    X = np.abs(rng.standard_normal((K, D)))[y] * ink[y, None] + 0.1 * rng.random((len(y), D))
    cases.append((msg("linear_classifiers.case.ink"), X, y, K))
    return cases


def check_nearest_mean_params(nearest_mean_params) -> Feedback:
    r"""Check ``nearest_mean_params(X, y, K) -> (W, b)``.

    With :math:`\mu_k` the mean of the rows of ``X`` of class :math:`k`, the linear scores
    :math:`x W + b` must pick the class whose mean is nearest in Euclidean distance,
    :math:`\arg\max_k (xW + b)_k = \arg\min_k \lVert x - \mu_k \rVert`, for every point
    :math:`x`. Shapes: ``X (N, D)``, integer ``y (N,)`` with every class ``0..K-1`` present
    -> ``W (D, K)``, ``b (K,)``. Any ``(W, b)`` with these predictions passes (a positive
    factor or a common shift changes no argmax). Hidden cases: unequal class sizes, shuffled
    labels, means of very different lengths; the inputs must not be changed.
    """
    c = Checker("nearest_mean_params")
    rng = np.random.default_rng(515)
    for description, X, y, K in _nm_cases(rng):
        with c.case(description):
            given = [X.copy(), y.copy()]
            out = c.call(nearest_mean_params, given[0], given[1], K)
            W, b = _parts(c, out, ("W", "b"))
            D = X.shape[1]
            if W.shape == (K, D):
                c.expect_true(False, msg("linear_classifiers.W_transposed", shape=W.shape,
                                         expected=(D, K)))
            c.expect_shape(W, (D, K), what=msg("linear_classifiers.W_columns"))
            c.expect_shape(b, (K,), what=msg("linear_classifiers.b_per_class"))
            c.expect_finite(W, what="W")
            c.expect_finite(b, what="b")
            _unchanged(c, given, [X, y])
            means = _class_means(X, y, K)
            Q = _clear_points(rng, means, 400, X.std(axis=0).mean() * 2)
            truth, _ = _nearest(Q, means)
            got = (Q @ W + b).argmax(axis=1)
            wrong = int(np.sum(got != truth))
            if wrong:
                norms = (means**2).sum(axis=1)
                variants = {
                    "no bias": ((Q @ means.T).argmax(axis=1),
                                msg("linear_classifiers.no_bias")),
                    "factor": ((Q @ means.T - norms).argmax(axis=1),
                               msg("linear_classifiers.bias_factor")),
                    "sign": ((Q @ means.T + 0.5 * norms).argmax(axis=1),
                             msg("linear_classifiers.bias_sign")),
                }
                for pred, hint in variants.values():
                    if np.array_equal(got, pred) and not np.array_equal(pred, truth):
                        c.expect_true(False, hint)
                c.expect_true(False, msg("linear_classifiers.not_nearest", wrong=wrong,
                                         total=len(Q)))
    return c.feedback()


# --- the multiclass hinge loss ------------------------------------------------------------


def _hinge(X, W, b, y, *, at_kink=0.0):
    """Mean over the batch of sum_{j != y_n} max(0, Z_nj - Z_n,y_n + 1) and its gradient.

    ``at_kink`` is the derivative used at a margin of exactly 0 (the book's choice is 0; 1 is
    the mistake the checks recognise).
    """
    N = X.shape[0]
    Z = X @ W + b  # (N, K)
    margins = Z - Z[np.arange(N), y][:, None] + 1.0  # (N, K)
    margins[np.arange(N), y] = -1.0  # the true class has no margin term
    active = (margins > 0) + at_kink * (margins == 0)
    margins[np.arange(N), y] = 0.0
    loss = float(np.maximum(margins, 0.0).sum() / N)
    dZ = active.copy()
    dZ[np.arange(N), y] = -active.sum(axis=1)
    dZ /= N
    return loss, X.T @ dZ, dZ.sum(axis=0)


_H = 1e-4  # central-difference step: the loss is piecewise linear, so any step that does not
# cross a kink gives the exact slope up to rounding (about 1e-12 here)


def _kink_free(X, W, b, y):
    """True if no margin is within reach of the kink for a probe of size ``_H``."""
    N = X.shape[0]
    Z = X @ W + b
    m = Z - Z[np.arange(N), y][:, None] + 1.0
    m[np.arange(N), y] = 1.0
    reach = 2 * _H * (1 + np.abs(X).max(axis=1, keepdims=True))
    return bool(np.all(np.abs(m) > reach))


def _hinge_cases(rng):
    """Random batches with no margin near a kink and a db that is not all zeros."""
    shapes = [(msg("linear_classifiers.case.hinge_batch"), 6, 4, 3, 1.0),
              (msg("linear_classifiers.case.hinge_single"), 1, 5, 4, 1.0),
              (msg("linear_classifiers.case.hinge_large"), 9, 7, 5, 3.0)]
    cases = []
    for description, N, D, K, scale in shapes:
        while True:
            X = rng.uniform(0, 1, (N, D))
            W, b = scale * rng.standard_normal((D, K)), rng.standard_normal(K)
            y = rng.integers(0, K, N)
            if _kink_free(X, W, b, y) and np.abs(_hinge(X, W, b, y)[2]).max() > 0.05:
                cases.append((description, X, W, b, y))
                break
    return cases


def _loss_hint(c, loss, ref, N):
    if np.isclose(loss, ref + 1.0, rtol=1e-9, atol=1e-9):
        c.expect_true(False, msg("linear_classifiers.loss_plus_one"))
    if N > 1 and np.isclose(loss, N * ref, rtol=1e-9, atol=1e-12) and ref > 0:
        c.expect_true(False, msg("linear_classifiers.loss_times_N", N=N))
    c.expect_close(loss, ref, what=msg("linear_classifiers.loss"), rtol=1e-9, atol=1e-12,
                   show_expected=False)


def _grad_hint(c, name, got, ref, N):
    mask = np.abs(ref) > 1e-12
    if mask.any() and got.shape == ref.shape:
        ratio = got[mask] / ref[mask]
        if np.allclose(ratio, N) and N > 1:
            c.expect_true(False, msg("linear_classifiers.grad_times_N", name=name, N=N))
        if np.allclose(ratio, -1.0):
            c.expect_true(False, msg("linear_classifiers.grad_sign", name=name))
    if name == "db" and got.shape == ref.shape and not np.isclose(got.sum(), 0.0, atol=1e-9):
        c.expect_true(False, msg("linear_classifiers.db_sum"))


def check_multiclass_hinge(multiclass_hinge) -> Feedback:
    r"""Check ``multiclass_hinge(X, W, b, y) -> (loss, dW, db)``.

    For scores :math:`Z = XW + b` the loss is the mean multiclass hinge (SVM) loss with
    margin 1,

    .. math:: L = \frac1N \sum_n \sum_{j \ne y_n} \max(0,\ Z_{nj} - Z_{n y_n} + 1),

    ``dW`` and ``db`` its gradient, with the shapes of ``W (D, K)`` and ``b (K,)``; at a margin
    of exactly 0 the derivative is taken to be 0. Hidden cases: random batches (compared with
    central differences), a hand-made case with every margin satisfied (loss 0), ``W = 0``
    (every margin is 1), and integer scores that put some margins exactly at the kink
    (compared with the formula). The inputs must not be changed.
    """
    c = Checker("multiclass_hinge")
    rng = np.random.default_rng(525)
    for description, X, W, b, y in _hinge_cases(rng):
        with c.case(description):
            given = [X.copy(), W.copy(), b.copy(), y.copy()]
            loss, dW, db = _parts(c, c.call(multiclass_hinge, *given), ("loss", "dW", "db"))
            loss = _scalar(c, loss, msg("linear_classifiers.loss"))
            D, K = W.shape
            if dW.shape == (K, D) and K != D:
                c.expect_true(False, msg("linear_classifiers.dW_transposed", got=dW.shape,
                                         shape=W.shape))
            c.expect_shape(dW, W.shape, what=msg("linear_classifiers.dW_shape"))
            c.expect_shape(db, b.shape, what=msg("linear_classifiers.db_shape"))
            _unchanged(c, given, [X, W, b, y])
            ref_loss, ref_W, ref_b = _hinge(X, W, b, y)
            _loss_hint(c, loss, ref_loss, X.shape[0])
            num_W = numerical_gradient(lambda v, X=X, b=b, y=y: _hinge(X, v, b, y)[0],
                                       W.copy(), h=_H)
            num_b = numerical_gradient(lambda v, X=X, W=W, y=y: _hinge(X, W, v, y)[0],
                                       b.copy(), h=_H)
            for name, got, num in (("db", db, num_b), ("dW", dW, num_W)):
                _grad_hint(c, name, got, num, X.shape[0])
                c.expect_gradient(got, num, what=name, tol=1e-6)
    with c.case(msg("linear_classifiers.case.margins_met")):
        X = np.eye(3)
        W = 5.0 * np.eye(3)
        y = np.array([0, 1, 2])
        loss, dW, db = _parts(c, c.call(multiclass_hinge, X, W, np.zeros(3), y),
                              ("loss", "dW", "db"))
        the_loss = msg("linear_classifiers.loss")
        c.expect_close(_scalar(c, loss, the_loss), 0.0, what=the_loss, atol=1e-12)
        c.expect_close(dW, np.zeros((3, 3)), what="dW", atol=1e-12)
        c.expect_close(db, np.zeros(3), what="db", atol=1e-12)
    with c.case(msg("linear_classifiers.case.zero_weights")):
        X = rng.standard_normal((4, 6))
        y = np.array([0, 3, 3, 4])
        loss, dW, db = _parts(c, c.call(multiclass_hinge, X, np.zeros((6, 5)), np.zeros(5), y),
                              ("loss", "dW", "db"))
        ref_loss, ref_W, ref_b = _hinge(X, np.zeros((6, 5)), np.zeros(5), y)
        _loss_hint(c, _scalar(c, loss, msg("linear_classifiers.loss")), ref_loss, 4)
        _grad_hint(c, "db", db, ref_b, 4)
        c.expect_close(db, ref_b, what="db", rtol=1e-9, atol=1e-12, show_expected=False)
        c.expect_close(dW, ref_W, what="dW", rtol=1e-9, atol=1e-12, show_expected=False)
    with c.case(msg("linear_classifiers.case.kink")):
        X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
        W = np.array([[2.0, 1.0, 0.0], [0.0, 1.0, 3.0]])
        y = np.array([0, 1, 2])
        # margins: row 0 (scores 2, 1, 0): 0 and -1; row 1 (0, 1, 3): 0 and 3;
        # row 2 (scores 2, 2, 3): 0 and 0
        loss, dW, db = _parts(c, c.call(multiclass_hinge, X, W, np.zeros(3), y),
                              ("loss", "dW", "db"))
        ref_loss, ref_W, ref_b = _hinge(X, W, np.zeros(3), y)
        _loss_hint(c, _scalar(c, loss, msg("linear_classifiers.loss")), ref_loss, 3)
        _, kink_W, kink_b = _hinge(X, W, np.zeros(3), y, at_kink=1.0)
        if (dW.shape == kink_W.shape and db.shape == kink_b.shape
                and np.allclose(dW, kink_W, atol=1e-12) and np.allclose(db, kink_b, atol=1e-12)):
            c.expect_true(False, msg("linear_classifiers.kink_active"))
        _grad_hint(c, "db", db, ref_b, 3)
        c.expect_close(db, ref_b, what="db", rtol=1e-9, atol=1e-12, show_expected=False)
        c.expect_close(dW, ref_W, what="dW", rtol=1e-9, atol=1e-12, show_expected=False)
    return c.feedback()
