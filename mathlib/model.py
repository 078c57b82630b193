"""Stacks of layers (``Sequential``) and ready-made networks for MNIST.

A model maps inputs ``X (N, D)`` (or images ``(N, C, H, W)``) to logits ``Z (N, K)``;
the softmax cross-entropy loss is applied by :meth:`Sequential.loss_and_grads`.

Parameters and gradients are exposed as flat dicts keyed ``"<layer index>.<name>"``,
e.g. ``"0.W"``, ``"0.b"``, ``"2.W"``. ``params`` and ``grads`` return *copies*, and
``set_params`` copies values in, so a model never shares arrays with its caller::

    loss, grads = model.loss_and_grads(X, y=y)
    model.set_params(optimizer.step(model.params, grads))
"""

from __future__ import annotations

import numpy as np

from mathlib.activations import softmax
from mathlib.checks import (
    as_float_array,
    check_bool,
    check_choice,
    check_float_dtype,
    check_mapping,
    check_number,
    check_positive_int,
    check_rng,
    describe,
)
from mathlib.conv import Conv2D, MaxPool2D, conv_output_shape
from mathlib.layers import Dense, Dropout, Flatten, ReLU, Sigmoid, SoftmaxCrossEntropy, Tanh

__all__ = ["Sequential", "mlp", "cnn", "deep_mnist_cnn"]


class Sequential:
    r"""A chain of layers applied one after another.

    .. math:: Z = f_{L-1}(\cdots f_1(f_0(X)))

    Backward runs the layers in reverse, each turning :math:`\partial L/\partial
    \text{out}` into :math:`\partial L/\partial \text{in}` (the chain rule).

    Shapes: ``X (N, D)`` or ``(N, C, H, W)`` -> logits ``Z (N, K)``.
    """

    def __init__(self, layers):
        if not isinstance(layers, list | tuple):
            raise TypeError(f"layers must be a list of layers, got {describe(layers)}")
        self.layers = list(layers)
        if not self.layers:
            raise ValueError("layers must hold at least one layer, got none")
        for i, layer in enumerate(self.layers):
            for attr in ("params", "grads", "forward", "backward"):
                if not hasattr(layer, attr):
                    raise TypeError(f"layers[{i}] must be a layer (with params, grads, forward "
                                    f"and backward), got {describe(layer)} without {attr!r}")
        self.loss_layer = SoftmaxCrossEntropy()

    def _items(self, which):
        out = {}
        for i, layer in enumerate(self.layers):
            source = getattr(layer, which)
            for name in layer.params:
                out[f"{i}.{name}"] = source[name].copy()
        return out

    @property
    def params(self) -> dict:
        """All parameters as a new flat dict ``{"0.W": ..., "0.b": ...}`` of copies."""
        return self._items("params")

    @property
    def grads(self) -> dict:
        """Gradients from the last ``backward``, a new flat dict of copies (same keys)."""
        return self._items("grads")

    @property
    def dtype(self) -> np.dtype:
        """The floating-point dtype of the parameters (float64 if there are none)."""
        for layer in self.layers:
            for value in layer.params.values():
                return value.dtype
        return np.dtype(np.float64)

    @property
    def num_params(self) -> int:
        """Total number of scalar parameters."""
        return sum(v.size for layer in self.layers for v in layer.params.values())

    def set_params(self, params) -> None:
        """Copy values into the model's parameters; keys and shapes must match exactly."""
        check_mapping(params, "params")
        expected = {f"{i}.{n}": v for i, layer in enumerate(self.layers)
                    for n, v in layer.params.items()}
        if set(params) != set(expected):
            missing = sorted(set(expected) - set(params))
            extra = sorted(set(params) - set(expected))
            raise ValueError(f"params keys do not match the model: missing {missing}, "
                             f"unexpected {extra}")
        for key, value in params.items():
            value = as_float_array(value, f"params[{key!r}]")
            if value.shape != expected[key].shape:
                raise ValueError(f"params[{key!r}] must have shape {expected[key].shape}, "
                                 f"got {value.shape}")
            np.copyto(expected[key], value)

    def forward(self, X, train: bool = False):
        """Run every layer; returns logits ``Z (N, K)``. ``train`` switches on dropout."""
        check_bool(train, "train")
        out = X
        for layer in self.layers:
            out = layer.forward(out, train=train)
        return out

    def backward(self, dOut, *, input_grad: bool = True):
        """Run the layers' backward passes in reverse; fills each layer's grads.

        With ``input_grad=False`` the gradient with respect to the input ``X`` is not
        formed (training never needs it): a first layer that offers ``backward_params``
        (Dense, Conv2D) fills its grads only, and None is returned.

        Shapes: ``dOut`` like the output (``dZ (N, K)``) -> ``dX`` like the input.
        """
        input_grad = check_bool(input_grad, "input_grad")
        grad = dOut
        for i in range(len(self.layers) - 1, -1, -1):
            layer = self.layers[i]
            if i == 0 and not input_grad:
                if hasattr(layer, "backward_params"):
                    layer.backward_params(grad)
                else:
                    layer.backward(grad)
                return None
            grad = layer.backward(grad)
        return grad

    def loss_and_grads(self, X, *, y=None, Y=None, train: bool = True,
                       return_logits: bool = False):
        r"""Mean softmax cross-entropy of the batch and its gradient for every parameter.

        .. math:: L = -\frac1N \sum_{n,k} Y_{nk} \log \operatorname{softmax}(Z)_{nk},
                  \qquad \frac{\partial L}{\partial Z} = \frac{P - Y}{N}

        Exactly one of ``y (N,)`` or ``Y (N, K)`` must be given, and ``X`` must hold at least
        one sample (the loss is a mean). ``train=True`` (default) switches on dropout.

        Returns ``(loss, grads)`` -- or ``(loss, grads, Z)`` with ``return_logits`` --
        where ``grads`` is a flat dict like :attr:`params`.
        """
        return_logits = check_bool(return_logits, "return_logits")
        Z = self.forward(X, train=train)  # (N, K)
        if Z.shape[0] == 0:
            raise ValueError(f"X must hold at least one sample (the loss is a mean over the "
                             f"batch), got {np.shape(X)}")
        loss = self.loss_layer.forward(Z, y=y, Y=Y)
        self.backward(self.loss_layer.backward(), input_grad=False)
        if return_logits:
            return loss, self.grads, Z
        return loss, self.grads

    def train_step(self, X, y, optimizer):
        r"""One training step in place: loss and gradients of a batch, then an update.

        Does what ``set_params(optimizer.step(params, loss_and_grads(X, y=y)[1]))`` does,
        with the same numbers, but hands the optimiser the model's own arrays
        (``optimizer.update``) instead of copying every parameter and gradient in and
        out: for a network of 3 M parameters those copies cost more than the update.
        An optimiser without ``update`` gets the copying path. Dropout is on.

        Shapes: ``X (N, ...)``, ``y (N,)`` -> ``(loss, Z (N, K))``.
        """
        in_place = hasattr(optimizer, "update")
        if not in_place and not hasattr(optimizer, "step"):
            raise TypeError(f"optimizer must be an optimiser such as mathlib.optim.SGD(0.1) "
                            f"(with update or step), got {describe(optimizer)}")
        Z = self.forward(X, train=True)  # (N, K)
        if Z.shape[0] == 0:
            raise ValueError(f"X must hold at least one sample (the loss is a mean over the "
                             f"batch), got {np.shape(X)}")
        loss = self.loss_layer.forward(Z, y=y)
        self.backward(self.loss_layer.backward(), input_grad=False)
        if in_place:
            live = [(f"{i}.{n}", layer, n) for i, layer in enumerate(self.layers)
                    for n in layer.params]
            optimizer.update({key: layer.params[n] for key, layer, n in live},
                             {key: layer.grads[n] for key, layer, n in live})
        else:
            self.set_params(optimizer.step(self.params, self.grads))
        return loss, Z

    def logits(self, X, batch_size: int = 1000):
        """Logits ``Z (N, K)`` in evaluation mode, computed ``batch_size`` samples at a time."""
        batch_size = check_positive_int(batch_size, "batch_size")
        X = as_float_array(X, "X")
        if X.ndim < 2 or X.shape[0] == 0:
            raise ValueError(f"X must have shape (N, ...) with N >= 1 samples, got {X.shape}")
        n = X.shape[0]
        parts = [self.forward(X[i : i + batch_size], train=False)
                 for i in range(0, n, batch_size)]
        return np.concatenate(parts, axis=0)

    def predict_proba(self, X, batch_size: int = 1000):
        """Class probabilities ``P = softmax(Z)``, shape ``(N, K)``, in evaluation mode."""
        return softmax(self.logits(X, batch_size))

    def predict(self, X, batch_size: int = 1000):
        """Predicted labels ``argmax_k Z_{nk}``, shape ``(N,)``, in evaluation mode."""
        return self.logits(X, batch_size).argmax(axis=1)

    def summary(self) -> str:
        """One line per layer with its parameter shapes, and the total parameter count."""
        lines = []
        for i, layer in enumerate(self.layers):
            shapes = ", ".join(f"{n} {v.shape}" for n, v in layer.params.items())
            lines.append(f"{i}: {layer!r}" + (f"  [{shapes}]" if shapes else ""))
        lines.append(f"total parameters: {self.num_params:,}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return "Sequential([" + ", ".join(repr(layer) for layer in self.layers) + "])"


_ACTIVATIONS = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh}


def mlp(sizes, *, activation="relu", rng, dtype=np.float32, init=None):
    r"""A multilayer perceptron ``Dense -> act -> ... -> Dense`` (logits out).

    .. math:: A_0 = X, \quad A_{l+1} = g(A_l W_l + b_l), \quad Z = A_{L-1} W_{L-1} + b_{L-1}

    ``sizes = [D, H_1, ..., K]``; ``activation`` is ``"relu"`` (He init by default),
    ``"sigmoid"`` or ``"tanh"`` (Xavier init by default). Biases start at 0.
    Float32 by default, to match :func:`mathlib.train.train`; use float64 for
    gradient checks.

    Shapes: ``X (N, D)`` -> ``Z (N, K)``.
    """
    if not isinstance(sizes, list | tuple):
        raise TypeError(f"sizes must be a list of layer widths [D, ..., K], got {describe(sizes)}")
    sizes = [check_positive_int(s, f"sizes[{i}]") for i, s in enumerate(sizes)]
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least input and output sizes, got {sizes}")
    check_choice(activation, "activation", sorted(_ACTIVATIONS))
    rng = check_rng(rng)
    dtype = check_float_dtype(dtype)
    if init is None:
        init = "he" if activation == "relu" else "xavier"
    layers = []
    for i, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers.append(Dense(d_in, d_out, rng=rng, init=init, dtype=dtype))
        if i < len(sizes) - 2:
            layers.append(_ACTIVATIONS[activation]())
    return Sequential(layers)


def cnn(*, rng, dtype=np.float32, input_shape=(1, 28, 28), channels=(8, 16), kernel_size=5,
        hidden=128, num_classes=10, keep_prob=1.0, init="he", std=None, bias=0.0):
    r"""A configurable small CNN: ``[conv same -> ReLU -> maxpool 2]`` per entry of
    ``channels``, then ``flatten -> dense(hidden) -> ReLU [-> dropout] -> dense(K)``.

    .. math:: Z = \text{Dense}(\text{ReLU}(\text{Dense}(\text{flat}(\text{pool}(\text{ReLU}(
              \text{conv}(X))) \cdots))))

    ``hidden=None`` goes straight from the flattened features to the logits;
    ``keep_prob < 1`` adds dropout before the last layer. Sized for training in a
    chapter: the defaults have about 0.1 M parameters.

    Shapes: images ``(N, C, H, W)`` with ``(C, H, W) = input_shape`` -> ``Z (N, K)``.
    """
    rng = check_rng(rng)
    dtype = check_float_dtype(dtype)
    if not isinstance(input_shape, tuple | list) or len(input_shape) != 3:
        raise TypeError(f"input_shape must be a tuple (C, H, W), got {describe(input_shape)}")
    C, H, W = (check_positive_int(v, f"input_shape[{i}]") for i, v in enumerate(input_shape))
    if not isinstance(channels, tuple | list):
        raise TypeError(f"channels must be a tuple of filter counts, got {describe(channels)}")
    channels = [check_positive_int(F, f"channels[{i}]") for i, F in enumerate(channels)]
    if min(H, W) < 2 ** len(channels):
        raise ValueError(f"input_shape {tuple(input_shape)} is too small for "
                         f"{len(channels)} 2x2 poolings (channels={tuple(channels)}): H and W "
                         f"must be at least {2 ** len(channels)}")
    if hidden is not None:
        hidden = check_positive_int(hidden, "hidden")
    num_classes = check_positive_int(num_classes, "num_classes")
    keep_prob = check_number(keep_prob, "keep_prob", low=0, high=1, low_open=True)
    kw = dict(init=init, std=std, bias=bias, dtype=dtype)
    layers = []
    for F in channels:
        layers += [Conv2D(C, F, kernel_size, padding="same", rng=rng, **kw), ReLU(),
                   MaxPool2D(2, 2)]
        C = F
        H, W = conv_output_shape(H, W, 2, 2, 0)
    layers.append(Flatten())
    features = C * H * W
    if hidden is not None:
        layers += [Dense(features, hidden, rng=rng, **kw), ReLU()]
        features = hidden
    if keep_prob < 1.0:
        layers.append(Dropout(keep_prob, rng=rng.spawn(1)[0]))
    layers.append(Dense(features, num_classes, rng=rng, **kw))
    return Sequential(layers)


def deep_mnist_cnn(*, rng, dtype=np.float32, keep_prob=0.5):
    r"""The CNN of TensorFlow's "Deep MNIST for Experts" tutorial (about 3.27 M parameters).

    ::

        0 conv 5x5, 1 -> 32, same     (N, 1, 28, 28) -> (N, 32, 28, 28)
        1 ReLU
        2 maxpool 2x2                 -> (N, 32, 14, 14)
        3 conv 5x5, 32 -> 64, same    -> (N, 64, 14, 14)
        4 ReLU
        5 maxpool 2x2                 -> (N, 64, 7, 7)
        6 flatten                     -> (N, 3136)
        7 dense 3136 -> 1024
        8 ReLU
        9 dropout (keep_prob)
        10 dense 1024 -> 10           -> Z (N, 10)

    As in the tutorial, weights are truncated normal with std 0.1 and biases 0.1.
    Parameter keys: ``"0.W"``, ``"0.b"``, ``"3.W"``, ``"3.b"``, ``"7.W"``, ``"7.b"``,
    ``"10.W"``, ``"10.b"``.

    Shapes: images ``(N, 1, 28, 28)`` -> ``Z (N, 10)``.
    """
    rng = check_rng(rng)
    dtype = check_float_dtype(dtype)
    keep_prob = check_number(keep_prob, "keep_prob", low=0, high=1, low_open=True)
    kw = dict(init="truncated_normal", std=0.1, bias=0.1, dtype=dtype)
    layers = [
        Conv2D(1, 32, 5, padding="same", rng=rng, **kw),
        ReLU(),
        MaxPool2D(2, 2),
        Conv2D(32, 64, 5, padding="same", rng=rng, **kw),
        ReLU(),
        MaxPool2D(2, 2),
        Flatten(),
        Dense(7 * 7 * 64, 1024, rng=rng, **kw),
        ReLU(),
        Dropout(keep_prob, rng=rng.spawn(1)[0]),
        Dense(1024, 10, rng=rng, **kw),
    ]
    return Sequential(layers)
