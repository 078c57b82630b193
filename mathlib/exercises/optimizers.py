"""Checks for the coding exercises of chapter 4: one momentum step and one Adam step."""

from __future__ import annotations

import numpy as np

from ._core import Checker, Feedback

__all__ = ["check_momentum_step", "check_adam_step"]


def _as_tuple(c: Checker, out, n: int, names: str):
    c.expect_true(isinstance(out, tuple | list) and len(out) == n,
                  f"the function should return a tuple of {n} arrays ({names}), "
                  f"got {type(out).__name__}" + (f" of length {len(out)}"
                                                   if isinstance(out, tuple | list) else ""))
    return out


def check_momentum_step(momentum_step) -> Feedback:
    r"""Check ``momentum_step(theta, v, g, learning_rate, momentum) -> (theta_new, v_new)``.

    The rule: :math:`v \leftarrow \mu v - \eta g`, then :math:`\theta \leftarrow \theta + v`.
    Hand-worked cases (arithmetic in the comments), a three-step run, and inputs left unchanged.
    """
    c = Checker("momentum_step")
    cases = [
        # v = 0.9 * 0 - 0.1 * 2 = -0.2 ; theta = 1 + (-0.2) = 0.8  (the first step is plain GD)
        ("the first step (v = 0): theta = [1], g = [2], eta = 0.1, mu = 0.9",
         [1.0], [0.0], [2.0], 0.1, 0.9, [0.8], [-0.2]),
        # v = 0.9 * (-0.2) - 0.1 * 2 = -0.38 ; theta = 0.8 - 0.38 = 0.42
        ("a second step with v = [-0.2], theta = [0.8], g = [2], eta = 0.1, mu = 0.9",
         [0.8], [-0.2], [2.0], 0.1, 0.9, [0.42], [-0.38]),
        # v = 0.5 * [1, -1] - 0.2 * [0, 5] = [0.5, -1.5] ; theta = [3, 3] + v = [3.5, 1.5]
        ("two coordinates, v = [1, -1], g = [0, 5], eta = 0.2, mu = 0.5",
         [3.0, 3.0], [1.0, -1.0], [0.0, 5.0], 0.2, 0.5, [3.5, 1.5], [0.5, -1.5]),
        # mu = 0: v = -eta g = [-0.05, 0.1] ; theta = [0, 0] + v
        ("mu = 0 (plain gradient descent), g = [0.5, -1], eta = 0.1",
         [0.0, 0.0], [0.3, 0.3], [0.5, -1.0], 0.1, 0.0, [-0.05, 0.1], [-0.05, 0.1]),
    ]
    for description, theta, v, g, eta, mu, theta_exp, v_exp in cases:
        with c.case(description):
            args = [np.array(a, dtype=float) for a in (theta, v, g)]
            copies = [a.copy() for a in args]
            out = _as_tuple(c, c.call(momentum_step, *args, eta, mu), 2, "theta_new, v_new")
            c.expect_true(all(np.array_equal(a, b) for a, b in zip(args, copies, strict=True)),
                          "your function changed theta, v or g in place; return new arrays.")
            c.expect_shape(out[0], (len(theta),), what="theta_new")
            c.expect_close(out[1], v_exp, what="the new velocity v_new")
            c.expect_close(out[0], theta_exp, what="theta_new")
    with c.case("three steps on L(theta) = theta^2 / 2 from theta = [1], eta = 0.5, mu = 0.5"):
        theta, v = np.array([1.0]), np.array([0.0])
        # g = theta each time. Step 1: v = -0.5 * 1 = -0.5, theta = 0.5.
        # Step 2: v = 0.5 * (-0.5) - 0.5 * 0.5 = -0.5, theta = 0. Step 3: v = -0.25, theta = -0.25.
        expected = [0.5, 0.0, -0.25]
        for k in range(3):
            theta, v = _as_tuple(c, c.call(momentum_step, theta, v, theta.copy(), 0.5, 0.5), 2,
                                 "theta_new, v_new")
            c.expect_close(theta, [expected[k]], what=f"theta after step {k + 1}")
    return c.feedback()


def check_adam_step(adam_step) -> Feedback:
    r"""Check ``adam_step(theta, m, v, g, t, learning_rate, beta1, beta2, eps) -> (theta, m, v)``.

    ``t`` is the number of this step (1 for the first). Hand-worked cases test the moment updates
    and the bias correction :math:`\hat m = m / (1 - \beta_1^t)`, :math:`\hat v = v/(1-\beta_2^t)`.
    """
    c = Checker("adam_step")
    cases = [
        # m = 0.1 * 2 = 0.2 ; v = 0.001 * 4 = 0.004 ; m_hat = 0.2/0.1 = 2 ; v_hat = 0.004/0.001 = 4
        # theta = 1 - 0.1 * 2 / (2 + 0) = 0.9   (the first step is eta * sign(g))
        ("the first step t = 1 from m = v = 0: theta = [1], g = [2], eta = 0.1, eps = 0",
         [1.0], [0.0], [0.0], [2.0], 1, 0.1, 0.9, 0.999, 0.0, [0.9], [0.2], [0.004]),
        # m = 0.5 * 1 + 0.5 * 3 = 2 ; v = 0.5 * 1 + 0.5 * 9 = 5 ; m_hat = 2 / (1 - 0.25) = 8/3
        # v_hat = 5 / 0.75 = 20/3 ; theta = 0 - 1 * (8/3) / sqrt(20/3) = -1.0327955...
        ("a second step t = 2 with beta1 = beta2 = 0.5, m = [1], v = [1], g = [3], eps = 0",
         [0.0], [1.0], [1.0], [3.0], 2, 1.0, 0.5, 0.5, 0.0,
         [-(8 / 3) / np.sqrt(20 / 3)], [2.0], [5.0]),
        # t = 1 with g = [-4, 0.5]: m_hat = g, v_hat = g^2, step = eta * g / (|g| + eps)
        # = 0.01 * [-4 / (4 + 1e-8), 0.5 / (0.5 + 1e-8)]
        ("two coordinates at t = 1, g = [-4, 0.5], eta = 0.01, default betas, eps = 1e-8",
         [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [-4.0, 0.5], 1, 0.01, 0.9, 0.999, 1e-8,
         [0.01 * 4 / (4 + 1e-8), -0.01 * 0.5 / (0.5 + 1e-8)], [-0.4, 0.05], [0.016, 0.00025]),
    ]
    for (description, theta, m, v, g, t, eta, b1, b2, eps,
         theta_exp, m_exp, v_exp) in cases:
        with c.case(description):
            args = [np.array(a, dtype=float) for a in (theta, m, v, g)]
            copies = [a.copy() for a in args]
            out = _as_tuple(c, c.call(adam_step, *args, t, eta, b1, b2, eps), 3,
                            "theta_new, m_new, v_new")
            c.expect_true(all(np.array_equal(a, b) for a, b in zip(args, copies, strict=True)),
                          "your function changed theta, m, v or g in place; return new arrays.")
            c.expect_close(out[1], m_exp, what="the first moment m_new (before bias correction)")
            c.expect_close(out[2], v_exp, what="the second moment v_new (before bias correction)")
            c.expect_close(out[0], theta_exp, what="theta_new (check the bias correction)",
                           rtol=1e-9)
    with c.case("ten steps with a constant gradient g = [0.3]: each step should be about eta"):
        theta, m, v = np.array([0.0]), np.array([0.0]), np.array([0.0])
        for t in range(1, 11):
            theta, m, v = _as_tuple(c, c.call(adam_step, theta, m, v, np.array([0.3]), t,
                                              0.01, 0.9, 0.999, 1e-8), 3, "theta_new, m_new, v_new")
        c.expect_close(theta, [-0.1], what="theta after ten steps", rtol=1e-6)
    return c.feedback()
