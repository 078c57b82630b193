r"""Draw a digit and watch mathlib networks read it: on the static book page and in JupyterLab.

One JavaScript file, ``mathlib/static/drawpad.js``, does everything the reader sees: the
canvas (mouse, pen and touch through pointer events, a Clear button), MNIST's preprocessing
(the steps of :mod:`mathlib.preprocess`, line for line), the forward pass of the exported
models (dense, convolution, ReLU, max-pool and flatten layers), the 28×28 input, the ten
softmax bars of each model and, for an MLP, its hidden units. :func:`drawpad` returns a
:class:`DrawPad` whose display carries it twice:

- as an **anywidget** view (``application/vnd.jupyter.widget-view+json``): in JupyterLab the
  same JavaScript runs as the widget's ES module and sends every update of the 28×28 input to
  Python, where :attr:`DrawPad.digit` gives it as a ``(28, 28)`` float32 array for the reader's
  own model;
- as its **static twin** (``text/html``): the canvas markup, the model as JSON and the script,
  inline. The book's ``_config.yml`` drops widget views, so the page shows the twin, which runs
  with no kernel and requests nothing.

Why anywidget: its front end is one plain ES module with a ``render({model, el})`` function, so
the code that runs on the static page is the code that runs in the notebook; a classic
ipywidgets extension would need a separately built and installed JavaScript package, and a
``Javascript`` display object has no channel back to Python. anywidget's synced traits are that
channel (``digit`` here). The static twin follows :mod:`mathlib.widgets` (live view plus twin in
one output).

The weights on the page
-----------------------
The budget is 300 KB per model in the page, and base64 turns 3 bytes into 4. Chapter 7's MLP
(784-256-10) has 203,530 weights and biases: float32 would be 1.09 MB in base64, float16 543 KB.
:func:`export_model` therefore stores each ``Dense`` weight matrix as **int8 with one float32
scale per output unit**,

.. math:: s_k = \max_d |W_{dk}| / 127, \qquad q_{dk} = \operatorname{round}(W_{dk} / s_k)
          \in \{-127, \dots, 127\}, \qquad \hat W_{dk} = q_{dk}\, s_k ,

so each weight is one byte (784-256-10: 203 KB raw, 271 KB in base64; the whole pad with its
script measured 288 KB) and the rounding error
of a weight is at most :math:`s_k / 2`, relative to the largest weight of the same unit (one
scale per unit, not per matrix, so a unit with small weights keeps its precision). Biases and
scales stay float32. The JavaScript computes :math:`z_k = s_k \sum_d x_d q_{dk} + b_k`, the same
numbers as NumPy's ``X @ W_hat + b``; :func:`model_from_export` rebuilds that dequantised
model in mathlib, so the effect of quantisation is measured, not guessed
(``tests/test_drawpad.py``: argmax agreement with the float32 model on the test digits;
9,996 of 10,000 when this was written).

A ``Conv2D`` filter bank ``W (F, C, kh, kw)`` is quantised the same way with **one float32
scale per output channel** (filter) :math:`f`,

.. math:: s_f = \max_{c,u,v} |W_{fcuv}| / 127, \qquad
          q_{fuvc} = \operatorname{round}(W_{fcuv} / s_f), \qquad
          \text{out}_{fij} = s_f \sum_{u,v,c} q_{fuvc}\, X^{pad}_{c,\, s i + u,\, s j + v} + b_f,

stored in the order ``(f, u, v, c)`` of mathlib's im2col columns (:mod:`mathlib.conv`). The
JavaScript keeps every feature map channel-first ``(C, H, W)`` in memory, so its flatten is
mathlib's ``Flatten`` order ``(c, i, j)`` of the ``(N, C, H, W)`` view, whatever memory
layout NumPy used. Chapter 9's small CNN ``cnn(channels=(8, 16), hidden=128)`` has 105,194
parameters: 141 KB of base64 weights, its whole pad 156 KB. Several models can read one
drawing side by side (``drawpad([mlp, cnn], name=[...])``): one canvas, one 28×28 input, one
set of bars per model.
"""

from __future__ import annotations

import base64
import html
import itertools
import json
import math
from importlib import resources

import anywidget
import numpy as np
import traitlets

from .checks import as_float_array, describe
from .conv import Conv2D, MaxPool2D, _geometry, _pads
from .i18n import PAD_TEXT, pad_text
from .layers import Dense, Dropout, Flatten, ReLU
from .model import Sequential
from .preprocess import SIZE

__all__ = ["export_model", "model_from_export", "drawpad_html", "drawpad", "DrawPad",
           "JS_SOURCE"]

#: The pad's JavaScript (one implementation for the page and the widget).
JS_SOURCE = resources.files("mathlib").joinpath("static/drawpad.js").read_text(encoding="utf-8")
#: The same file as an ES module for anywidget.
_ESM = JS_SOURCE + "\nexport default { render: MathlibDrawpad.renderWidget };\n"
_ids = itertools.count()


def _b64(a: np.ndarray, dtype: str) -> str:
    return base64.b64encode(np.ascontiguousarray(a, dtype=dtype).tobytes()).decode("ascii")


def _unb64(s: str, dtype: str, shape) -> np.ndarray:
    return np.frombuffer(base64.b64decode(s), dtype=dtype).reshape(shape)


def _pos_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v > 0


def _walk(layers, where="config['layers']"):
    """Check every layer dict of an export and follow the activation's shape through them.

    The input is the 784-vector of the pad, read as ``(1, 28, 28)`` by a first convolution.
    Returns the final width (which must be 10).
    """
    shape = (1, SIZE, SIZE)  # (C, H, W) or (D,) after a flatten or dense layer
    flat_input = True  # the raw input may enter a dense layer directly (an MLP)
    for i, L in enumerate(layers):
        kind = L.get("type") if isinstance(L, dict) else None
        here = f"{where}[{i}]"
        if kind == "relu":
            continue
        if kind == "flatten":
            shape, flat_input = (math.prod(shape),), False
            continue
        if kind == "maxpool":
            k, s = L.get("size"), L.get("stride")
            if len(shape) != 3 or not (_pos_int(k) and _pos_int(s)):
                raise ValueError(f"{here} must be a max-pool with positive int 'size' and "
                                 f"'stride' on (C, H, W) maps, got {describe(L)} on {shape}")
            C, H, W = shape
            if min(H, W) < k:
                raise ValueError(f"{here}: a {k}x{k} window does not fit {H}x{W} maps")
            shape, flat_input = (C, (H - k) // s + 1, (W - k) // s + 1), False
            continue
        if kind not in ("dense", "conv"):
            raise ValueError(f"{here} must be a dense, conv, relu, maxpool or flatten layer "
                             f"(the page's forward pass knows only those), got {describe(L)}")
        keys = {"in", "out", "q", "scale", "b"} | ({"k", "stride", "pads"} if kind == "conv"
                                                   else set())
        if not keys <= set(L):
            raise ValueError(f"{here}: a {kind} layer needs keys {sorted(keys)}, got {describe(L)}")
        D, K = L["in"], L["out"]
        if not (_pos_int(D) and _pos_int(K)):
            raise ValueError(f"{here} needs positive int 'in' and 'out', got {D!r}, {K!r}")
        if kind == "dense":
            width = SIZE * SIZE if flat_input else (shape[0] if len(shape) == 1 else None)
            if width != D:
                raise ValueError(f"{here}: a dense layer with 'in' {D} cannot follow an output "
                                 f"of shape {shape}")
            n_weights, shape = D * K, (K,)
        else:
            kh, kw = L["k"] if isinstance(L["k"], list) and len(L["k"]) == 2 else (None, None)
            pads, s = L["pads"], L["stride"]
            if not (_pos_int(kh) and _pos_int(kw) and _pos_int(s) and isinstance(pads, list)
                    and len(pads) == 4 and all(isinstance(p, int) and not isinstance(p, bool)
                                               and p >= 0 for p in pads)):
                raise ValueError(f"{here} needs 'k' [kh, kw], 'stride' (positive ints) and "
                                 f"'pads' [top, bottom, left, right] (ints >= 0), got "
                                 f"{describe(L)}")
            if len(shape) != 3 or shape[0] != D:
                raise ValueError(f"{here}: a conv layer with 'in' {D} channels cannot follow an "
                                 f"output of shape {shape}")
            Ho = (shape[1] + pads[0] + pads[1] - kh) // s + 1
            Wo = (shape[2] + pads[2] + pads[3] - kw) // s + 1
            if Ho < 1 or Wo < 1:
                raise ValueError(f"{here}: a {kh}x{kw} kernel does not fit {shape[1:]} maps")
            if (pads[0] != pads[1] or pads[2] != pads[3]) and list(
                    _pads(shape[1], shape[2], kh, kw, s, "same")) != pads:
                raise ValueError(f"{here}: uneven 'pads' {pads} must be the 'same' padding of "
                                 f"{shape[1]}x{shape[2]} maps (mathlib pads evenly otherwise)")
            n_weights, shape = K * kh * kw * D, (K, Ho, Wo)
        flat_input = False
        try:
            sizes = [len(base64.b64decode(L[k], validate=True)) for k in ("q", "scale", "b")]
        except (TypeError, ValueError):
            raise ValueError(f"{here} arrays must be base64 strings") from None
        if sizes != [n_weights, 4 * K, 4 * K]:
            raise ValueError(f"{here} arrays must hold {n_weights} int8 weights and {K} float32 "
                             f"scales and biases, got {sizes} bytes")
    if shape != (10,):
        raise ValueError(f"{where} must end with 10 logits (digits 0-9), got shape {shape}")
    return shape


def _check_config(config) -> dict:
    """Refuse anything :func:`export_model` would not have made, naming ``config``."""
    if not isinstance(config, dict):
        raise TypeError(f"config must be a dict made by export_model, got {describe(config)}")
    name, layers, hidden = config.get("name"), config.get("layers"), config.get("hidden", 0)
    if not isinstance(name, str) or not name:
        raise ValueError(f"config['name'] must be a non-empty str, got {describe(name)}")
    if not isinstance(layers, list) or not layers:
        raise ValueError(f"config['layers'] must be a non-empty list of layers, "
                         f"got {describe(layers)}")
    if hidden is not None and (isinstance(hidden, bool) or not isinstance(hidden, int)
                               or not 0 <= hidden < len(layers)):
        raise ValueError(f"config['hidden'] must be None or a layer index, got {describe(hidden)}")
    _walk(layers)
    if hidden is not None and (not isinstance(layers[hidden], dict)
                               or layers[hidden].get("type") != "relu"
                               or any(L.get("type") == "conv" for L in layers)):
        raise ValueError(f"config['hidden'] must index a ReLU of a model without convolutions "
                         f"(an MLP), got {hidden}")
    return config


def _check_configs(configs) -> list:
    """One config or a non-empty list of them (several models reading one drawing)."""
    if isinstance(configs, list):
        if not configs:
            raise ValueError("config must be a config or a non-empty list of configs, got []")
        return [_check_config(c) for c in configs]
    return [_check_config(configs)]


def _quantise(W: np.ndarray):
    """int8 ``q`` and float32 scales for ``W (units, ...)``: one scale per row (output unit)."""
    scale = np.abs(W).reshape(len(W), -1).max(axis=1) / 127
    scale[scale == 0] = 1.0  # an all-zero unit: any scale reproduces it
    q = np.rint(W / scale.reshape((-1,) + (1,) * (W.ndim - 1))).astype(np.int8)
    return q, scale


def export_model(model, *, name: str) -> dict:
    """A trained ``Sequential`` as a compact JSON-able dict for the pad's JavaScript.

    Layers (arrays in little-endian base64; quantisation as in the module docstring):

    - ``Dense`` -> ``{"type": "dense", "in": D, "out": K, "q": int8 (D, K) row-major,
      "scale": float32 (K,), "b": float32 (K,)}``;
    - ``Conv2D`` -> ``{"type": "conv", "in": C, "out": F, "k": [kh, kw], "stride": s,
      "pads": [top, bottom, left, right], "q": int8 (F, kh, kw, C) row-major (mathlib's im2col
      column order), "scale": float32 (F,), "b": float32 (F,)}``, the padding resolved for the
      map size the layer sees;
    - ``ReLU``, ``Flatten`` -> ``{"type": "relu"}``, ``{"type": "flatten"}``;
      ``MaxPool2D`` -> ``{"type": "maxpool", "size": k, "stride": s}``;
    - ``Dropout`` is left out (at prediction time it is the identity).

    The input is the pad's 28×28 digit: 784 values for a first ``Dense``, ``(1, 28, 28)`` for a
    first ``Conv2D``; the output must be 10 logits. ``"hidden"`` is the index of the first
    ReLU of an MLP (whose output the pad shows), None for a model with convolutions.
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be a mathlib Sequential of Dense, Conv2D, ReLU, MaxPool2D "
                        f"and Flatten layers, got {describe(model)}")
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty str, got {describe(name)}")
    layers, relu_at = [], None
    shape = None  # (C, H, W) of the maps once a conv layer has run
    for i, layer in enumerate(model.layers):
        if isinstance(layer, ReLU):
            relu_at = len(layers) if relu_at is None else relu_at
            layers.append({"type": "relu"})
        elif isinstance(layer, Dropout):
            continue
        elif isinstance(layer, Flatten):
            layers.append({"type": "flatten"})
        elif isinstance(layer, MaxPool2D):
            layers.append({"type": "maxpool", "size": layer.size, "stride": layer.stride})
            if shape is not None:
                C, H, W = shape
                shape = (C, (H - layer.size) // layer.stride + 1,
                         (W - layer.size) // layer.stride + 1)
        elif isinstance(layer, Dense):
            W = np.asarray(layer.params["W"], np.float64)
            q, scale = _quantise(W.T)  # rows of W.T are the output units
            layers.append({"type": "dense", "in": W.shape[0], "out": W.shape[1],
                           "q": _b64(q.T, "<i1"), "scale": _b64(scale, "<f4"),
                           "b": _b64(layer.params["b"], "<f4")})
        elif isinstance(layer, Conv2D):
            W = np.asarray(layer.params["W"], np.float64)  # (F, C, kh, kw)
            F, C, kh, kw = W.shape
            H, Wd = (SIZE, SIZE) if shape is None else shape[1:]
            try:
                pads, Ho, Wo = _geometry(H, Wd, kh, kw, layer.stride, layer._padding,
                                         "kernel", f"model.layers[{i}]'s input")
            except ValueError as e:
                raise ValueError(f"model.layers[{i}]: {e}") from None
            q, scale = _quantise(W.transpose(0, 2, 3, 1))  # (F, kh, kw, C): im2col's order
            layers.append({"type": "conv", "in": C, "out": F, "k": [kh, kw],
                           "stride": layer.stride, "pads": [int(p) for p in pads],
                           "q": _b64(q, "<i1"), "scale": _b64(scale, "<f4"),
                           "b": _b64(layer.params["b"], "<f4")})
            shape = (F, Ho, Wo)
        else:
            raise TypeError(f"model.layers[{i}] must be Dense, Conv2D, ReLU, MaxPool2D, Flatten "
                            f"or Dropout (the page's forward pass knows only those), "
                            f"got {describe(layer)}")
    has_conv = any(L["type"] == "conv" for L in layers)
    config = {"name": name, "layers": layers, "hidden": None if has_conv else relu_at}
    try:
        _walk(layers, where="model")
    except ValueError as e:
        msg = str(e).replace("model[", "model.layers[").replace("'in'", "input size")
        raise ValueError(f"{msg} (the pad feeds a 28x28 digit: 784 inputs for a dense first "
                         f"layer, (1, 28, 28) for a convolution, and needs 10 logits)") from None
    return config


def model_from_export(config) -> Sequential:
    """The dequantised model the page runs, in mathlib: ``W_hat = q * scale`` (float32).

    A model whose first layer is a convolution takes images ``(N, 1, 28, 28)``, an MLP
    ``(N, 784)``; both return logits ``(N, 10)``.
    """
    _check_config(config)
    layers = []
    for L in config["layers"]:
        kind = L["type"]
        if kind == "relu":
            layers.append(ReLU())
        elif kind == "flatten":
            layers.append(Flatten())
        elif kind == "maxpool":
            layers.append(MaxPool2D(L["size"], L["stride"]))
        elif kind == "dense":
            q = _unb64(L["q"], "<i1", (L["in"], L["out"])).astype(np.float32)
            scale = _unb64(L["scale"], "<f4", (L["out"],))
            layers.append(Dense.from_arrays(q * scale, _unb64(L["b"], "<f4", (L["out"],))))
        else:  # conv
            F, C, (kh, kw) = L["out"], L["in"], L["k"]
            q = _unb64(L["q"], "<i1", (F, kh, kw, C)).astype(np.float32)
            scale = _unb64(L["scale"], "<f4", (F,))
            W = (q * scale[:, None, None, None]).transpose(0, 3, 1, 2)  # (F, C, kh, kw)
            pt, pb, pl, pr = L["pads"]
            if pt != pb or pl != pr:  # mathlib's explicit padding is symmetric; "same" is not
                padding = "same"
            else:
                padding = (pt, pl)
            layer = Conv2D.from_arrays(np.ascontiguousarray(W),
                                       _unb64(L["b"], "<f4", (F,)), stride=L["stride"],
                                       padding=padding)
            layers.append(layer)
    return Sequential(layers)


def _check_text(text) -> dict:
    """The pad's words: None for the current language's (:func:`mathlib.i18n.pad_text`)."""
    if text is None:
        return pad_text()
    keys = set(PAD_TEXT["en"])
    if not isinstance(text, dict) or set(text) != keys or not all(
            isinstance(v, str) for v in text.values()):
        raise ValueError(f"text must be a dict of strings with the keys {sorted(keys)}, "
                         f"got {describe(text)}")
    return dict(text)


def drawpad_html(config, text=None) -> str:
    """The static twin: markup, the model(s) and the pad's words as JSON, and the inline script
    (no request).

    ``config``: one export (see :func:`export_model`) or a list of them, read side by side.
    ``text``: the pad's words (the keys of :data:`mathlib.i18n.PAD_TEXT`); None for those of
    the language set by :func:`mathlib.i18n.use_language`.
    """
    configs = _check_configs(config)
    text = _check_text(text)
    pad_id = f"mathlib-drawpad-{next(_ids)}"

    def as_json(obj):
        return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")

    names = text["and"].join(c["name"] for c in configs)
    label = text["pad"].replace("{names}", names)
    return (f'<div class="mathlib-drawpad" id="{pad_id}" aria-label="{html.escape(label)}">'
            f'<script type="application/json">{as_json(config)}</script>'
            f'<script type="application/json" class="mdp-text">{as_json(text)}</script>'
            f"<noscript>{html.escape(text['noscript'])}</noscript></div>"
            f"<script>{JS_SOURCE}\nMathlibDrawpad.mountAll();</script>")


class DrawPad(anywidget.AnyWidget):
    """The pad as a widget; its display also carries the static twin (see the module docstring).

    ``config``: one export or a list of them (several models reading the same drawing).
    ``text``: the pad's words (see :func:`drawpad_html`); None for the book's language now.
    ``digit``: the drawing as the networks see it, ``(28, 28)`` float32 in [0, 1], or None
    before anything is drawn (or after Clear).
    """

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    config = traitlets.Unicode("").tag(sync=True)
    text = traitlets.Unicode("").tag(sync=True)  # the pad's words, fixed when it is made
    _digit = traitlets.List([]).tag(sync=True)

    def __init__(self, config, text=None, **kwargs):
        configs = _check_configs(config)
        words = _check_text(text)
        super().__init__(config=json.dumps(config, separators=(",", ":")),
                         text=json.dumps(words, ensure_ascii=False), **kwargs)
        self._config = config
        self._words = words
        self._names = [c["name"] for c in configs]

    @property
    def digit(self) -> np.ndarray | None:
        if not self._digit:
            return None
        return as_float_array(self._digit, "digit").astype(np.float32).reshape(SIZE, SIZE)

    def _repr_mimebundle_(self, **kwargs):
        bundle = {"text/html": drawpad_html(self._config, self._words),
                  "text/plain": f"<DrawPad {' | '.join(self._names)}>"}
        view = super()._repr_mimebundle_(**kwargs)
        if isinstance(view, tuple):
            view = view[0]
        if view:  # None outside a kernel: then the static twin alone is shown
            bundle.update({k: v for k, v in view.items() if k != "text/plain"})
        return bundle


def drawpad(model, *, name) -> DrawPad:
    """A drawing pad read live by ``model``, a trained ``Sequential`` (see :func:`export_model`).

    Side by side: ``model`` a list of models and ``name`` a list of as many names; all read
    the same drawing. Show the pad as a cell's last expression; in JupyterLab, ``pad.digit`` is
    the drawn digit.
    """
    if isinstance(model, list | tuple):
        if not model:
            raise ValueError("model must be a model or a non-empty list of models, got []")
        if not isinstance(name, list | tuple) or len(name) != len(model):
            raise TypeError(f"name must be a list of {len(model)} names, one per model, "
                            f"got {describe(name)}")
        return DrawPad([export_model(m, name=n) for m, n in zip(model, name, strict=True)])
    return DrawPad(export_model(model, name=name))
