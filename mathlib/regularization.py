r"""L2 weight decay: a penalty on the size of the weights, its gradient, and a model wrapper.

The penalty adds :math:`R = \tfrac{\lambda}{2} \sum_l \lVert W_l \rVert_F^2` to the training loss,
so gradient descent minimises :math:`L + R`. Its gradient is :math:`\lambda W_l`, and one SGD step
becomes

.. math:: W \leftarrow W - \eta (\nabla_W L + \lambda W) = (1 - \eta\lambda) W - \eta \nabla_W L ,

a shrink of every weight by the factor :math:`1 - \eta\lambda` before the usual step: hence the
name *weight decay*. Only weights are penalised, not biases (see :func:`weight_keys`).

Parameters are flat dicts as in :mod:`mathlib.model` (``{"0.W": (D, H), "0.b": (H,), ...}``);
``weight_decay`` is :math:`\lambda \ge 0`. :class:`PenalizedModel` wraps a model so that
:func:`mathlib.train.train` trains it on the penalised loss without any change to the loop.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from mathlib.checks import as_float_array, check_bool, check_mapping, check_number, describe

__all__ = ["weight_keys", "l2_penalty", "l2_penalty_grad", "PenalizedModel"]


def weight_keys(params) -> list[str]:
    """The names of the weight arrays in a flat parameter dict, in the dict's order.

    A weight is a parameter named ``"W"`` or ``"<layer>.W"`` (dense matrices and conv filters
    alike); biases (``"b"``) are left out. A bias shifts a unit's input by a constant and cannot
    amplify the noise of any input pixel, and there are few of them, so decaying them buys no
    smoothness and only pulls the units' thresholds towards 0.

    Shapes: ``params`` maps names to arrays -> list of names.
    """
    check_mapping(params, "params")
    for key in params:
        if not isinstance(key, str):
            raise TypeError(f"params must have string keys such as '0.W', got {describe(key)}")
    return [key for key in params if key == "W" or key.endswith(".W")]


def _checked(params, weight_decay, keys):
    """Validate the arguments; return ``(lambda, keys to decay, params as float arrays)``."""
    names = weight_keys(params)
    lam = check_number(weight_decay, "weight_decay", low=0)
    if keys is None:
        keys = names
    else:
        if not isinstance(keys, list | tuple) or not all(isinstance(k, str) for k in keys):
            raise TypeError(f"keys must be a list of parameter names, got {describe(keys)}")
        unknown = [k for k in keys if k not in params]
        if unknown:
            raise ValueError(f"keys must name entries of params {sorted(params)}, got unknown "
                             f"{unknown}")
        keys = list(dict.fromkeys(keys))  # a name listed twice is decayed once
    arrays = {name: as_float_array(value, f"params[{name!r}]") for name, value in params.items()}
    return lam, keys, arrays


def l2_penalty(params, weight_decay, *, keys=None) -> float:
    r"""The L2 penalty of the weights.

    .. math:: R(\theta) = \frac{\lambda}{2} \sum_{k \in \text{keys}} \lVert \theta_k \rVert_F^2
              = \frac{\lambda}{2} \sum_{k \in \text{keys}} \sum_{i} \theta_{k,i}^2

    Parameters
    ----------
    params : dict of arrays, e.g. ``model.params`` (``{"0.W": (D, H), "0.b": (H,), ...}``).
    weight_decay : float, :math:`\lambda \ge 0`.
    keys : list of str, optional
        The parameters to penalise; default :func:`weight_keys` (every weight, no bias).

    Numerical care: the squares are summed in float64 whatever the parameters' dtype.

    Shapes: dict of arrays of any shapes -> float.
    """
    lam, keys, arrays = _checked(params, weight_decay, keys)
    total = sum(float(np.sum(np.square(arrays[k], dtype=np.float64))) for k in keys)
    return 0.5 * lam * total


def l2_penalty_grad(params, weight_decay, *, keys=None) -> dict:
    r"""The gradient of :func:`l2_penalty`, one array per parameter.

    .. math:: \frac{\partial R}{\partial \theta_k} = \lambda\, \theta_k \quad (k \in \text{keys}),
              \qquad \frac{\partial R}{\partial \theta_k} = 0 \quad \text{otherwise}

    (each :math:`\theta_{k,i}` appears in :math:`R` once, as :math:`\tfrac{\lambda}{2}
    \theta_{k,i}^2`). The result has the same keys, shapes and dtypes as ``params``, so it can
    be added to a dict of loss gradients key by key. New arrays; ``params`` is not modified.

    Shapes: dict of arrays -> dict of arrays with identical keys and shapes.
    """
    lam, keys, arrays = _checked(params, weight_decay, keys)
    decayed = set(keys)
    return {name: (lam * value).astype(value.dtype, copy=False) if name in decayed
            else np.zeros_like(value) for name, value in arrays.items()}


class PenalizedModel:
    r"""A model trained on its loss plus an L2 penalty on its weights.

    .. math:: L_\lambda(\theta) = L(\theta) + \frac{\lambda}{2} \sum_l \lVert W_l \rVert_F^2,
              \qquad \nabla_{W_l} L_\lambda = \nabla_{W_l} L + \lambda W_l

    Wraps a model with ``forward``, ``loss_and_grads``, ``params`` and ``set_params`` (such as
    :func:`mathlib.model.mlp`). Only :meth:`loss_and_grads` changes: it returns the penalised
    loss and gradients, so :func:`mathlib.train.train` (whose ``"step_loss"`` and
    ``"train_loss"`` then include the penalty) trains on :math:`L_\lambda` unchanged.
    Prediction and :func:`mathlib.train.evaluate` see the plain network: the penalty shapes
    training only. Parameters are the wrapped model's own (no copy is kept here).

    With plain SGD the update is exactly :math:`W \leftarrow (1-\eta\lambda) W - \eta \nabla_W L`.
    With Adam or RMSProp the penalty's gradient is rescaled like every other gradient, so it is
    not the same as decaying the weights by a fixed factor (Loshchilov & Hutter, 2019).

    Parameters
    ----------
    model : a model such as ``mlp([784, 256, 10], rng=rng)``.
    weight_decay : float, :math:`\lambda \ge 0`.
    keys : list of str, optional; default every weight (:func:`weight_keys`).
    """

    def __init__(self, model, weight_decay, *, keys=None):
        for attr in ("forward", "loss_and_grads", "params", "set_params"):
            if not hasattr(model, attr):
                raise TypeError(f"model must be a model such as mathlib.model.mlp(...) (with "
                                f"forward, loss_and_grads, params and set_params), got "
                                f"{describe(model)} without {attr!r}")
        params = model.params
        if not isinstance(params, Mapping):
            raise TypeError(f"model.params must be a dict of arrays, got {describe(params)}")
        _, self.keys, _ = _checked(params, weight_decay, keys)
        self.model = model
        self.weight_decay = check_number(weight_decay, "weight_decay", low=0)

    @property
    def params(self) -> dict:
        """The wrapped model's parameters (its ``params``: a dict of copies for Sequential)."""
        return self.model.params

    @property
    def dtype(self):
        """The wrapped model's parameter dtype."""
        return self.model.dtype

    def set_params(self, params) -> None:
        """Copy new values into the wrapped model's parameters."""
        self.model.set_params(params)

    def forward(self, X, train: bool = False):
        """The wrapped model's logits ``Z (N, K)``; the penalty does not change them."""
        return self.model.forward(X, train=train)

    def penalty(self) -> float:
        r"""The current :math:`\tfrac{\lambda}{2}\sum_l \lVert W_l \rVert_F^2`."""
        return l2_penalty(self.model.params, self.weight_decay, keys=self.keys)

    def loss_and_grads(self, X, *, y=None, Y=None, train: bool = True,
                       return_logits: bool = False):
        r"""Penalised loss :math:`L + R` of the batch and its gradients (a flat dict).

        Same arguments and return values as the wrapped model's ``loss_and_grads``.
        """
        return_logits = check_bool(return_logits, "return_logits")
        loss, grads, Z = self.model.loss_and_grads(X, y=y, Y=Y, train=train,
                                                   return_logits=True)
        params = self.model.params
        penalty = l2_penalty(params, self.weight_decay, keys=self.keys)
        dR = l2_penalty_grad(params, self.weight_decay, keys=self.keys)
        grads = {name: g + dR[name].astype(g.dtype, copy=False) for name, g in grads.items()}
        if return_logits:
            return loss + penalty, grads, Z
        return loss + penalty, grads

    def __repr__(self) -> str:
        return f"PenalizedModel({self.model!r}, weight_decay={self.weight_decay})"
