"""Gradient-descent optimisers with one interface.

Every optimiser has ``step(params, grads) -> new_params``: ``params`` and ``grads`` are
dicts with identical keys and shapes (e.g. ``{"0.W": ..., "0.b": ...}``, or a single
2-D point ``{"w": np.array([x, y])}``), and the result is a *new* dict of *new* arrays;
the inputs are never modified. Optimisers with memory (velocity, running averages)
keep it in ``self.state``, keyed by parameter name; ``reset()`` clears it.

Symbols: :math:`\\theta` a parameter, :math:`g = \\partial L/\\partial \\theta`,
:math:`\\eta` the ``learning_rate``, :math:`t` the step number (1, 2, ...).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from mathlib.checks import as_float_array, check_mapping, check_number

__all__ = ["Optimizer", "SGD", "Momentum", "RMSProp", "Adam", "sgd_step"]


def _check_rate(value, name):
    """A finite number > 0 (learning rates, epsilons)."""
    return check_number(value, name, low=0, low_open=True)


def _check_fraction(value, name):
    """A decay factor in [0, 1)."""
    return check_number(value, name, low=0, high=1, high_open=True)


def _pairs(params: Mapping, grads: Mapping):
    """Validate matching keys/shapes and yield ``(name, theta, g)`` as float arrays."""
    check_mapping(params, "params")
    check_mapping(grads, "grads")
    if set(params) != set(grads):
        missing = sorted(set(params) - set(grads))
        extra = sorted(set(grads) - set(params))
        raise ValueError(
            f"grads must have the same keys as params: missing {missing}, unexpected {extra}"
        )
    out = []
    for name in params:
        theta = as_float_array(params[name], f"params[{name!r}]")
        g = as_float_array(grads[name], f"grads[{name!r}]")
        if g.shape != theta.shape:
            raise ValueError(
                f"grads[{name!r}] must have the shape of params[{name!r}] {theta.shape}, "
                f"got {g.shape}"
            )
        out.append((name, theta, g.astype(theta.dtype, copy=False)))
    return out


def sgd_step(params, grads, learning_rate):
    r"""One plain gradient-descent step, as a pure function.

    .. math:: \theta \leftarrow \theta - \eta\, g

    Shapes: dicts of arrays with identical keys/shapes -> a new dict of new arrays.
    """
    lr = _check_rate(learning_rate, "learning_rate")
    return {name: theta - lr * g for name, theta, g in _pairs(params, grads)}


class Optimizer:
    """Base class: holds ``learning_rate`` and the per-parameter ``state`` dict."""

    def __init__(self, learning_rate):
        self.learning_rate = _check_rate(learning_rate, "learning_rate")
        self.state: dict[str, dict] = {}

    def reset(self) -> None:
        """Forget all accumulated state (velocities, averages, step counts)."""
        self.state = {}

    def step(self, params, grads) -> dict:
        """Return new parameters after one update; ``params``/``grads`` are not modified."""
        return {name: self._update(name, theta, g) for name, theta, g in _pairs(params, grads)}

    def _update(self, name, theta, g):  # pragma: no cover - abstract
        raise NotImplementedError

    def _slot(self, name, theta, **zeros):
        st = self.state.get(name)
        if st is None:
            st = {key: np.zeros_like(theta) for key in zeros}
            st["t"] = 0
            self.state[name] = st
        elif any(st[key].shape != theta.shape for key in zeros):
            raise ValueError(
                f"params[{name!r}] has shape {theta.shape} but the optimiser state was built "
                f"for {st[next(iter(zeros))].shape}; call reset() for a new model"
            )
        return st


class SGD(Optimizer):
    r"""Plain (stochastic) gradient descent.

    .. math:: \theta \leftarrow \theta - \eta\, g
    """

    def _update(self, name, theta, g):
        return theta - self.learning_rate * g

    def __repr__(self) -> str:
        return f"SGD(learning_rate={self.learning_rate})"


class Momentum(Optimizer):
    r"""Gradient descent with (heavy-ball) momentum.

    .. math:: v \leftarrow \mu v - \eta\, g, \qquad \theta \leftarrow \theta + v

    with :math:`v = 0` initially, so the first step equals plain SGD's. ``momentum`` is
    :math:`\mu \in [0, 1)`.
    """

    def __init__(self, learning_rate, momentum=0.9):
        super().__init__(learning_rate)
        self.momentum = _check_fraction(momentum, "momentum")

    def _update(self, name, theta, g):
        st = self._slot(name, theta, v=None)
        st["v"] = self.momentum * st["v"] - self.learning_rate * g
        st["t"] += 1
        return theta + st["v"]

    def __repr__(self) -> str:
        return f"Momentum(learning_rate={self.learning_rate}, momentum={self.momentum})"


class RMSProp(Optimizer):
    r"""RMSProp: divide each step by a running root-mean-square of the gradient.

    .. math:: s \leftarrow \rho s + (1 - \rho) g^2, \qquad
              \theta \leftarrow \theta - \eta \frac{g}{\sqrt{s} + \varepsilon}

    with :math:`s = 0` initially and ``decay`` :math:`= \rho`. No bias correction, so
    the first step is :math:`\eta g / (\sqrt{1-\rho}\,|g| + \varepsilon)`, about
    :math:`3.16\,\eta\,\operatorname{sign}(g)` for :math:`\rho = 0.9`.
    """

    def __init__(self, learning_rate, decay=0.9, eps=1e-8):
        super().__init__(learning_rate)
        self.decay = _check_fraction(decay, "decay")
        self.eps = _check_rate(eps, "eps")

    def _update(self, name, theta, g):
        st = self._slot(name, theta, s=None)
        st["s"] = self.decay * st["s"] + (1 - self.decay) * (g * g)
        st["t"] += 1
        return theta - self.learning_rate * g / (np.sqrt(st["s"]) + self.eps)

    def __repr__(self) -> str:
        return (f"RMSProp(learning_rate={self.learning_rate}, decay={self.decay}, "
                f"eps={self.eps})")


class Adam(Optimizer):
    r"""Adam: momentum on the gradient and on its square, with bias correction.

    .. math::
        m \leftarrow \beta_1 m + (1-\beta_1) g, \quad
        v \leftarrow \beta_2 v + (1-\beta_2) g^2, \quad
        \hat m = \frac{m}{1-\beta_1^t}, \quad \hat v = \frac{v}{1-\beta_2^t},
        \quad \theta \leftarrow \theta - \eta \frac{\hat m}{\sqrt{\hat v} + \varepsilon}

    The bias correction undoes the zero initialisation of :math:`m, v`: at
    :math:`t = 1`, :math:`\hat m = g` and :math:`\hat v = g^2`, so the first step moves
    every coordinate by about :math:`\eta\,\operatorname{sign}(g)`. The step count
    :math:`t` is kept per parameter.
    """

    def __init__(self, learning_rate=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(learning_rate)
        self.beta1 = _check_fraction(beta1, "beta1")
        self.beta2 = _check_fraction(beta2, "beta2")
        self.eps = _check_rate(eps, "eps")

    def _update(self, name, theta, g):
        st = self._slot(name, theta, m=None, v=None)
        st["t"] += 1
        t = st["t"]
        st["m"] = self.beta1 * st["m"] + (1 - self.beta1) * g
        st["v"] = self.beta2 * st["v"] + (1 - self.beta2) * (g * g)
        m_hat = st["m"] / (1 - self.beta1**t)
        v_hat = st["v"] / (1 - self.beta2**t)
        return theta - self.learning_rate * m_hat / (np.sqrt(v_hat) + self.eps)

    def __repr__(self) -> str:
        return (f"Adam(learning_rate={self.learning_rate}, beta1={self.beta1}, "
                f"beta2={self.beta2}, eps={self.eps})")
