r"""Draw a digit and watch a mathlib network read it: on the static book page and in JupyterLab.

One JavaScript file, ``mathlib/static/drawpad.js``, does everything the reader sees: the
canvas (mouse, pen and touch through pointer events, a Clear button), MNIST's preprocessing
(the steps of :mod:`mathlib.preprocess`, line for line), the forward pass of the exported model,
the 28×28 input, the ten softmax bars and, for an MLP, its hidden units. :func:`drawpad`
returns a :class:`DrawPad` whose display carries it twice:

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
"""

from __future__ import annotations

import base64
import html
import itertools
import json
from importlib import resources

import anywidget
import numpy as np
import traitlets

from .checks import as_float_array, describe
from .layers import Dense, ReLU
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
    for i, L in enumerate(layers):
        kind = L.get("type") if isinstance(L, dict) else None
        if kind == "relu":
            continue
        keys = {"in", "out", "q", "scale", "b"}
        if kind != "dense" or not keys <= set(L):
            raise ValueError(f"config['layers'][{i}] must be {{'type': 'relu'}} or a dense layer "
                             f"with keys {sorted(keys)}, got {describe(L)}")
        D, K = L["in"], L["out"]
        if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (D, K)):
            raise ValueError(f"config['layers'][{i}] needs positive int 'in' and 'out', "
                             f"got {D!r}, {K!r}")
        try:
            sizes = [len(base64.b64decode(L[k], validate=True)) for k in ("q", "scale", "b")]
        except (TypeError, ValueError):
            raise ValueError(f"config['layers'][{i}] arrays must be base64 strings") from None
        if sizes != [D * K, 4 * K, 4 * K]:
            raise ValueError(f"config['layers'][{i}] arrays must hold {D}x{K} int8 weights and "
                             f"{K} float32 scales and biases, got {sizes} bytes")
    return config


def export_model(model, *, name: str) -> dict:
    """A trained ``Sequential`` of ``Dense`` and ``ReLU`` layers as a compact JSON-able dict.

    Each ``Dense`` becomes ``{"type": "dense", "in": D, "out": K, "q": int8 (D, K) row-major,
    "scale": float32 (K,), "b": float32 (K,)}`` (arrays in little-endian base64), each ``ReLU``
    ``{"type": "relu"}``; quantisation as in the module docstring. ``"hidden"`` is the index of
    the first ReLU (whose output the pad shows), or None. The input must be 784 = 28·28 wide and
    the output 10 classes.
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be a mathlib Sequential of Dense and ReLU layers, "
                        f"got {describe(model)}")
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty str, got {describe(name)}")
    layers, hidden, width = [], None, SIZE * SIZE
    for i, layer in enumerate(model.layers):
        if isinstance(layer, ReLU):
            hidden = i if hidden is None else hidden
            layers.append({"type": "relu"})
        elif isinstance(layer, Dense):
            W = np.asarray(layer.params["W"], np.float64)
            b = np.asarray(layer.params["b"], np.float64)
            if W.shape[0] != width:
                raise ValueError(f"model.layers[{i}] must take {width} inputs, got W of shape "
                                 f"{W.shape}")
            scale = np.abs(W).max(axis=0) / 127
            scale[scale == 0] = 1.0  # an all-zero unit: any scale reproduces it
            q = np.rint(W / scale).astype(np.int8)
            layers.append({"type": "dense", "in": W.shape[0], "out": W.shape[1],
                           "q": _b64(q, "<i1"), "scale": _b64(scale, "<f4"),
                           "b": _b64(b, "<f4")})
            width = W.shape[1]
        else:
            raise TypeError(f"model.layers[{i}] must be Dense or ReLU (the page's forward pass "
                            f"knows only those), got {describe(layer)}")
    if width != 10:
        raise ValueError(f"model must output 10 logits (digits 0-9), got {width}")
    return {"name": name, "layers": layers, "hidden": hidden}


def model_from_export(config) -> Sequential:
    """The dequantised model the page runs, in mathlib: ``W_hat = q * scale`` (float32)."""
    _check_config(config)
    layers = []
    for L in config["layers"]:
        if L["type"] == "relu":
            layers.append(ReLU())
            continue
        q = _unb64(L["q"], "<i1", (L["in"], L["out"])).astype(np.float32)
        scale = _unb64(L["scale"], "<f4", (L["out"],))
        layers.append(Dense.from_arrays(q * scale, _unb64(L["b"], "<f4", (L["out"],))))
    return Sequential(layers)


def drawpad_html(config) -> str:
    """The static twin: markup, the model as JSON and the inline script (no request)."""
    _check_config(config)
    pad_id = f"mathlib-drawpad-{next(_ids)}"
    payload = json.dumps(config, separators=(",", ":")).replace("</", "<\\/")
    return (f'<div class="mathlib-drawpad" id="{pad_id}" '
            f'aria-label="{html.escape(config["name"])} drawing pad">'
            f'<script type="application/json">{payload}</script>'
            f"<noscript>The drawing pad needs JavaScript.</noscript></div>"
            f"<script>{JS_SOURCE}\nMathlibDrawpad.mountAll();</script>")


class DrawPad(anywidget.AnyWidget):
    """The pad as a widget; its display also carries the static twin (see the module docstring).

    ``digit``: the drawing as the network sees it, ``(28, 28)`` float32 in [0, 1], or None
    before anything is drawn (or after Clear).
    """

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    config = traitlets.Unicode("").tag(sync=True)
    _digit = traitlets.List([]).tag(sync=True)

    def __init__(self, config: dict, **kwargs):
        _check_config(config)
        super().__init__(config=json.dumps(config, separators=(",", ":")), **kwargs)
        self._config = config

    @property
    def digit(self) -> np.ndarray | None:
        if not self._digit:
            return None
        return as_float_array(self._digit, "digit").astype(np.float32).reshape(SIZE, SIZE)

    def _repr_mimebundle_(self, **kwargs):
        bundle = {"text/html": drawpad_html(self._config),
                  "text/plain": f"<DrawPad {self._config['name']}>"}
        view = super()._repr_mimebundle_(**kwargs)
        if isinstance(view, tuple):
            view = view[0]
        if view:  # None outside a kernel: then the static twin alone is shown
            bundle.update({k: v for k, v in view.items() if k != "text/plain"})
        return bundle


def drawpad(model, *, name: str) -> DrawPad:
    """A drawing pad read live by ``model`` (a trained 784-...-10 ``Sequential`` of Dense/ReLU).

    Show it as a cell's last expression; in JupyterLab, ``pad.digit`` is the drawn digit.
    """
    return DrawPad(export_model(model, name=name))
