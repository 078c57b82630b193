"""Checks for the coding exercises of chapter 4: Nesterov momentum and a learning-rate schedule.

- ``check_nesterov_step``: one step of Nesterov's accelerated gradient in the velocity form,
  where the gradient is taken at the look-ahead point :math:`\\theta + \\mu v`;
- ``check_warmup_cosine``: a linear warm-up followed by a cosine decay of the learning rate,
  including a run of noisy SGD where the decay must beat a constant rate.
"""

from __future__ import annotations

import numpy as np

from mathlib.checks import check_callable, describe

from ._core import Checker, Feedback
from ._messages import msg

__all__ = ["check_nesterov_step", "check_warmup_cosine"]



def _pair(c: Checker, out, names: str):
    """The learner's ``(theta_new, v_new)`` as two float arrays."""
    ok = isinstance(out, tuple | list) and len(out) == 2
    c.expect_true(ok, msg("optimizers.pair", names=names, got=describe(out)))
    return c.numbers(out[0], what="theta_new"), c.numbers(out[1], what="v_new")


# --- Nesterov momentum ---------------------------------------------------------------------


class _RecordingGradient:
    """The gradient A w of L(w) = w^T A w / 2, remembering where it was evaluated."""

    def __init__(self, A):
        self.A = np.asarray(A, dtype=float)
        self.points: list[np.ndarray] = []

    def __call__(self, w):
        w = np.asarray(w, dtype=float)
        self.points.append(w.copy())
        return self.A @ w


def _nesterov(theta, v, A, eta, mu):
    # v <- mu v - eta grad(theta + mu v) ; theta <- theta + v
    v_new = mu * v - eta * (A @ (theta + mu * v))
    return theta + v_new, v_new


def _nesterov_hint(theta_new, v_new, theta, v, A, eta, mu, points):
    """A targeted hint for the usual slips, or None."""
    v_right = mu * v - eta * (A @ (theta + mu * v))
    if np.allclose(v_new, v_right):
        if np.allclose(theta_new, theta + v):
            return msg("optimizers.old_velocity")
        return None
    heavy_v = mu * v - eta * (A @ theta)
    if np.allclose(v_new, heavy_v):
        return msg("optimizers.heavy_ball")
    if np.allclose(v_new, mu * v - eta * (A @ (theta - mu * v))):
        return msg("optimizers.backward_look")
    if points and not any(p.shape == theta.shape and np.allclose(p, theta + mu * v)
                          for p in points):
        return msg("optimizers.no_look_ahead")
    return None


def _nesterov_cases():
    # Each case: description, A, theta, v, eta, mu, expected theta_new, expected v_new.
    return [
        # look-ahead = 1 + 0.9 * 0 = 1; g = 2 * 1 = 2; v = -0.1 * 2 = -0.2; theta = 0.8
        (msg("optimizers.case.first_step"), [[2.0]], [1.0], [0.0], 0.1, 0.9, [0.8], [-0.2]),
        # look-ahead = 0.8 + 0.9 * (-0.2) = 0.62; g = 1.24; v = -0.18 - 0.124 = -0.304;
        # theta = 0.8 - 0.304 = 0.496
        (msg("optimizers.case.second_step"), [[2.0]], [0.8], [-0.2], 0.1, 0.9, [0.496], [-0.304]),
        # look-ahead = [1, 1] + 0.5 * [0.5, -0.5] = [1.25, 0.75]; g = [1.25, 7.5];
        # v = [0.25 - 0.0625, -0.25 - 0.375] = [0.1875, -0.625]; theta = [1.1875, 0.375]
        (msg("optimizers.case.two_coordinates"), [[1.0, 0.0], [0.0, 10.0]], [1.0, 1.0],
         [0.5, -0.5], 0.05, 0.5, [1.1875, 0.375], [0.1875, -0.625]),
        # mu = 0: the look-ahead is theta; g = [2, -3]; v = [-0.2, 0.3]; theta = [1.8, -0.7]
        (msg("optimizers.case.mu_zero"), [[1.0, 0.0], [0.0, 3.0]], [2.0, -1.0], [0.3, 0.3],
         0.1, 0.0, [1.8, -0.7], [-0.2, 0.3]),
    ]


def check_nesterov_step(nesterov_step) -> Feedback:
    r"""Check ``nesterov_step(theta, v, grad, learning_rate, momentum) -> (theta_new, v_new)``.

    .. math:: v \leftarrow \mu v - \eta\, \nabla L(\theta + \mu v), \qquad
              \theta \leftarrow \theta + v

    ``grad`` is a function returning :math:`\nabla L` at a point. Hand-worked cases on
    quadratics (arithmetic in the comments), a three-step run, inputs left unchanged; the
    heavy-ball step and a backward look-ahead get a targeted hint.
    """
    check_callable(nesterov_step, "nesterov_step")
    c = Checker("nesterov_step")
    for description, A, theta, v, eta, mu, theta_exp, v_exp in _nesterov_cases():
        with c.case(description):
            A, theta, v = (np.array(a, dtype=float) for a in (A, theta, v))
            theta_in, v_in = theta.copy(), v.copy()
            grad = _RecordingGradient(A)
            theta_new, v_new = _pair(c, c.call(nesterov_step, theta_in, v_in, grad, eta, mu),
                                     "theta_new, v_new")
            c.expect_true(np.array_equal(theta_in, theta) and np.array_equal(v_in, v),
                          msg("optimizers.theta_v_changed"))
            c.expect_shape(theta_new, theta.shape, what="theta_new")
            c.expect_shape(v_new, theta.shape, what="v_new")
            if not (np.allclose(theta_new, theta_exp) and np.allclose(v_new, v_exp)):
                slip = _nesterov_hint(theta_new, v_new, theta, v, A, eta, mu, grad.points)
                if slip is not None:
                    c.expect_true(False, slip)
            c.expect_close(v_new, v_exp, what=msg("optimizers.new_velocity"))
            c.expect_close(theta_new, theta_exp, what="theta_new")
    with c.case(msg("optimizers.case.three_steps")):
        # Step 1: look-ahead 1, v = -0.5, theta = 0.5. Step 2: look-ahead 0.25, v = -0.375,
        # theta = 0.125. Step 3: look-ahead -0.0625, v = -0.15625, theta = -0.03125.
        expected = [0.5, 0.125, -0.03125]
        theta, v = np.array([1.0]), np.array([0.0])
        for k in range(3):
            theta, v = _pair(c, c.call(nesterov_step, theta, v, _RecordingGradient([[1.0]]),
                                       0.5, 0.5), "theta_new, v_new")
            c.expect_close(theta, [expected[k]],
                           what=msg("optimizers.theta_after_step", step=k + 1))
    with c.case(msg("optimizers.case.rotated_bowl")):
        angle = np.pi / 6
        R = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        A = R @ np.diag([1.0, 100.0]) @ R.T
        theta, v = np.array([-4.0, 2.0]), np.zeros(2)
        ref_theta, ref_v = theta.copy(), v.copy()
        for _ in range(60):
            theta, v = _pair(c, c.call(nesterov_step, theta, v, _RecordingGradient(A), 0.01, 0.9),
                             "theta_new, v_new")
            ref_theta, ref_v = _nesterov(ref_theta, ref_v, A, 0.01, 0.9)
        c.expect_close(theta, ref_theta, what=msg("optimizers.theta_after_60"), rtol=1e-9,
                       atol=1e-12)
    return c.feedback()


# --- a learning-rate schedule ----------------------------------------------------------------


def _warmup_cosine(k, T, peak, W):
    # linear warm-up (k + 1) / W of the peak, then half a cosine from the peak towards 0
    if k < W:
        return peak * (k + 1) / W
    return 0.5 * peak * (1.0 + np.cos(np.pi * (k - W) / (T - W)))


def _schedule_hint(rates, T, peak, W):
    """A targeted hint for the usual slips (rates for steps 0..T-1), or None."""
    k = np.arange(T)
    if W > 0 and np.allclose(rates[:W], peak * k[:W] / W):
        return msg("optimizers.warmup_from_zero")
    if np.any(rates < 0):
        return msg("optimizers.negative_rate")
    phase_from_zero = 0.5 * peak * (1 + np.cos(np.pi * k[W:] / (T - W)))
    if W > 0 and np.allclose(rates[W:], phase_from_zero):
        return msg("optimizers.cosine_phase")
    return None


def _noisy_sgd(schedule, rng):
    """Final mean loss of 400 SGD runs on L = theta^2 / 2 with gradient noise of std 1."""
    T, runs = 400, 400
    theta = np.full(runs, 5.0)
    with np.errstate(all="ignore"):  # a learner's huge rate may overflow: the verdict says so
        for k in range(T):
            g = theta + rng.standard_normal(runs)  # an unbiased but noisy gradient
            theta = theta - schedule(k) * g
        loss = float(np.mean(0.5 * theta**2))
    return loss if np.isfinite(loss) else np.inf


def _rate(c: Checker, warmup_cosine, k, T, peak, W) -> float:
    """The learner's rate for step ``k`` as a float; a non-number fails the case."""
    value = c.numbers(c.call(warmup_cosine, k, T, peak, W),
                      what=msg("optimizers.rate_of_step", k=k))
    c.expect_shape(value, (), what=msg("optimizers.rate_of_step_number", k=k))
    c.expect_finite(value, what=msg("optimizers.rate_of_step", k=k))
    return float(value)


def _all_rates(c: Checker, warmup_cosine, T, peak, W) -> np.ndarray:
    """The learner's rates for steps 0..T-1 (one call of the check, T calls of the function)."""
    def every_step():
        return [warmup_cosine(k, T, peak, W) for k in range(T)]

    every_step.__name__ = getattr(warmup_cosine, "__name__", "warmup_cosine")
    rates = c.numbers(c.call(every_step), what=msg("optimizers.rates_of_steps", last=T - 1))
    c.expect_shape(rates, (T,), what=msg("optimizers.rates_of_steps_each", last=T - 1))
    c.expect_finite(rates, what=msg("optimizers.rates"))
    return rates


def check_warmup_cosine(warmup_cosine) -> Feedback:
    r"""Check ``warmup_cosine(step, total_steps, peak, warmup_steps) -> learning rate``.

    For :math:`0 \le k < W`: :math:`\eta_k = \eta_{\text{peak}} (k + 1)/W`; for
    :math:`W \le k < T`: :math:`\eta_k = \tfrac12 \eta_{\text{peak}}
    \bigl(1 + \cos(\pi (k - W)/(T - W))\bigr)`. Hand-worked values, the shape of the whole
    schedule (rising, then falling, never below 0 or above the peak), and a run of noisy SGD in
    which the schedule must end closer to the minimum than the constant peak rate.
    """
    check_callable(warmup_cosine, "warmup_cosine")
    c = Checker("warmup_cosine")
    values = [
        # W = 0: k = 0 -> peak; k = 5 -> (1 + cos(pi/2))/2 = 0.5; k = 9 -> (1 + cos(0.9 pi))/2
        (msg("optimizers.case.no_warmup"), 10, 1.0, 0, [0, 5, 9],
         [1.0, 0.5, 0.5 * (1 + np.cos(0.9 * np.pi))]),
        # W = 4: k = 0 -> 0.1 * 1/4; k = 3 -> 0.1; k = 4 -> 0.1; k = 7 -> 0.05 (1 + cos(pi/2))
        (msg("optimizers.case.warmup_4"), 10, 0.1, 4, [0, 3, 4, 7],
         [0.025, 0.1, 0.1, 0.05]),
    ]
    for description, T, peak, W, steps, expected in values:
        with c.case(msg("optimizers.case.steps", description=description, steps=steps)):
            got = [_rate(c, warmup_cosine, k, T, peak, W) for k in steps]
            for k, value, exp in zip(steps, got, expected, strict=True):
                if not np.isclose(value, exp):
                    rates = _all_rates(c, warmup_cosine, T, peak, W)
                    slip = _schedule_hint(rates, T, peak, W)
                    if slip is not None:
                        c.expect_true(False, slip)
                c.expect_close(value, exp, what=msg("optimizers.rate_of_step", k=k), rtol=1e-9,
                               atol=1e-12)
    with c.case(msg("optimizers.case.whole_schedule")):
        T, peak, W = 200, 0.5, 20
        rates = _all_rates(c, warmup_cosine, T, peak, W)
        c.expect_true(bool(np.all(rates > 0)), msg("optimizers.rate_not_positive"))
        c.expect_true(bool(np.all(rates <= peak * (1 + 1e-12))), msg("optimizers.above_peak"))
        c.expect_true(bool(np.all(np.diff(rates[:W]) > 0)), msg("optimizers.warmup_not_rising"))
        c.expect_true(bool(np.all(np.diff(rates[W:]) < 0)), msg("optimizers.not_falling"))
        c.expect_close(rates, [_warmup_cosine(k, T, peak, W) for k in range(T)],
                       what=msg("optimizers.rates"), rtol=1e-9, atol=1e-12, show_expected=False)
    with c.case(msg("optimizers.case.noisy_sgd")):
        schedule = _all_rates(c, warmup_cosine, 400, 0.1, 20)
        with_schedule = _noisy_sgd(lambda k: schedule[k], np.random.default_rng(404))
        constant = _noisy_sgd(lambda k: 0.1, np.random.default_rng(404))
        c.expect_true(with_schedule < 0.5 * constant,
                      msg("optimizers.not_below_constant"))
    return c.feedback()
