"""Sliders that work in JupyterLab *and* on the static rendered book.

A chapter builds one matplotlib figure and an ``update(**values)`` function that changes the
figure's artists for one setting of the controls. :func:`explore` turns that pair into an
:class:`Explorer`, which a notebook cell shows as its last expression:

- in JupyterLab (a live kernel) it is an ipywidgets panel: one slider per parameter and an image
  of the figure, redrawn in place on every move (the figure is reused, never rebuilt);
- in the rendered book (no kernel) it is its static twin: every combination of the parameter grid
  is rendered once at build time into a PNG frame, and a few lines of JavaScript in the page swap
  frames as the reader moves a native ``<input type="range">``. Nothing is fetched from a CDN, and
  the slider values are written to the URL (``#name=eta:3``) so a reader can share a state.

Both come from one output: the cell's display data holds the widget view *and* the static HTML.
JupyterLab renders the widget; the book's ``_config.yml`` drops the widget MIME type, so myst-nb
renders the HTML. Widgets never appear inert on the site.

The drawing logic lives in ``update`` (and plot helpers that take ``ax``), so it is testable
without a browser; this module only connects controls to it.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["Explorer", "explore", "new_figure", "figure_png", "EXPLORERS"]

#: Every Explorer made in this process, in order (the widget benchmark moves each one's sliders).
EXPLORERS: list[Explorer] = []

#: Resolution of the static twin's frames (the live widget uses the figure's own dpi).
FRAME_DPI = 72

_NAME_RE = re.compile(r"^[a-z][a-z0-9-]*$")


def new_figure(figsize: tuple[float, float] = (7.0, 3.5), *, dpi: int = 80, **subplots_kw):
    """Create a figure (and axes) that pyplot does not manage.

    Pyplot figures are shown automatically at the end of a cell; an explorer's figure must only
    appear through the explorer, so it is built on a plain Agg canvas.

    Returns ``(fig, ax)`` like ``plt.subplots``; ``subplots_kw`` (``nrows``, ``ncols``,
    ``subplot_kw``, ...) is passed to ``Figure.subplots``.
    """
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots(**subplots_kw)
    return fig, ax


def figure_png(fig: Figure, *, dpi: int | None = None, compact: bool = False) -> bytes:
    """Render ``fig`` to PNG bytes (Agg).

    ``compact=True`` reduces the image to a 64-colour palette: plots have few distinct colours,
    so the frames of a static slider shrink about threefold with no visible change, which keeps
    pages that carry dozens of frames light.
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi)
    if not compact:
        return buf.getvalue()
    from PIL import Image

    image = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


def _format_value(v) -> str:
    if isinstance(v, float | np.floating):
        return f"{float(v):.4g}"
    return str(v)


@dataclass
class Explorer:
    """A figure whose parameters can be explored live (ipywidgets) or statically (frames).

    Build it with :func:`explore`. Attributes: ``name`` (unique on its page, used in the URL),
    ``grid`` (parameter name -> sequence of values), ``labels`` (parameter -> slider label),
    ``initial`` (parameter -> starting value), ``alt`` (text alternative of the figure),
    ``callback_seconds`` (the durations of live redraws, for the benchmark).
    """

    fig: Figure
    update: Callable[..., None]
    name: str
    grid: dict[str, list]
    labels: dict[str, str]
    initial: dict[str, object]
    alt: str
    caption: str = ""
    callback_seconds: list[float] = field(default_factory=list)
    _widget: object = field(default=None, repr=False)

    # ----- drawing -------------------------------------------------------------------------
    def render(self, *, compact: bool = False, **values) -> bytes:
        """Apply ``values`` through ``update`` and return the figure as PNG bytes.

        ``compact=True`` (the static twin's frames) renders at no more than ``FRAME_DPI`` and
        with a small palette, so a page with dozens of frames stays light.
        """
        self.update(**values)
        if compact:
            return figure_png(self.fig, dpi=min(self.fig.dpi, FRAME_DPI), compact=True)
        return figure_png(self.fig)

    def frames(self) -> list[bytes]:
        """Every grid combination rendered once, in row-major order of ``grid``."""
        names = list(self.grid)
        return [
            self.render(compact=True, **dict(zip(names, combo, strict=True)))
            for combo in itertools.product(*(self.grid[n] for n in names))
        ]

    # ----- the static twin -----------------------------------------------------------------
    def to_html(self) -> str:
        """The self-contained static explorer: PNG frames, range inputs and a small script."""
        names = list(self.grid)
        frames = [base64.b64encode(png).decode("ascii") for png in self.frames()]
        self.update(**self.initial)  # leave the figure in its initial state
        start = [self.grid[n].index(self.initial[n]) for n in names]
        sizes = [len(self.grid[n]) for n in names]
        flat = int(np.ravel_multi_index(start, sizes)) if names else 0
        data = {
            "name": self.name,
            "params": names,
            "values": [[_format_value(v) for v in self.grid[n]] for n in names],
            "sizes": sizes,
            "frames": frames,
        }
        controls = []
        for n, i in zip(names, start, strict=True):
            label = html.escape(self.labels[n])
            value = html.escape(_format_value(self.grid[n][i]))
            controls.append(
                f'<label class="mathlib-explorer-control">{label} '
                f'<input type="range" min="0" max="{len(self.grid[n]) - 1}" step="1" '
                f'value="{i}" data-param="{html.escape(n)}" aria-label="{label}"> '
                f'<output>{value}</output></label>'
            )
        alt = html.escape(self.alt)
        caption = f"<figcaption>{html.escape(self.caption)}</figcaption>" if self.caption else ""
        payload = json.dumps(data).replace("</", "<\\/")
        return (
            f'<div class="mathlib-explorer" id="explorer-{self.name}" data-name="{self.name}">'
            f'<div class="mathlib-explorer-controls">{"".join(controls)}</div>'
            f'<figure><img class="mathlib-explorer-frame" alt="{alt}" '
            f'src="data:image/png;base64,{frames[flat]}">{caption}</figure>'
            f'<script type="application/json" class="mathlib-explorer-data">{payload}</script>'
            f"<script>{_STATIC_JS}</script></div>"
        )

    # ----- the live widget -----------------------------------------------------------------
    def widget(self):
        """The ipywidgets panel: one selection slider per parameter above the figure image."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as widgets

        image = widgets.Image(format="png", value=self.render(**self.initial))
        sliders = {
            n: widgets.SelectionSlider(
                options=[(_format_value(v), v) for v in self.grid[n]],
                value=self.initial[n],
                description=self.labels[n],
                continuous_update=True,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="420px"),
            )
            for n in self.grid
        }

        def on_change(_change):
            t0 = time.perf_counter()
            image.value = self.render(**{n: s.value for n, s in sliders.items()})
            self.callback_seconds.append(time.perf_counter() - t0)

        for s in sliders.values():
            s.observe(on_change, names="value")
        self._widget = widgets.VBox([*sliders.values(), image])
        self._widget.sliders = sliders  # for tests and the benchmark
        return self._widget

    # ----- display ---------------------------------------------------------------------------
    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/html": self.to_html(), "text/plain": f"<Explorer {self.name}: {self.alt}>"}
        view = self.widget()._repr_mimebundle_()
        if view:  # None outside a kernel: then the static twin alone is shown
            bundle.update({k: v for k, v in view.items() if k != "text/plain"})
        return bundle


def explore(
    fig: Figure,
    update: Callable[..., None],
    *,
    name: str,
    alt: str,
    caption: str = "",
    labels: dict[str, str] | None = None,
    initial: dict[str, object] | None = None,
    **grid: Sequence,
) -> Explorer:
    """Connect a figure to sliders, live in JupyterLab and as precomputed frames in the book.

    Parameters
    ----------
    fig : Figure
        The figure to redraw (make it with :func:`new_figure` so pyplot does not also show it).
    update : callable
        ``update(**values)`` changes the figure's artists for one setting (``set_data``,
        ``set_height`` ...). It must not create a new figure.
    name : str
        A short slug unique on the page (``[a-z][a-z0-9-]*``); it keys the URL state.
    alt : str
        The figure's text alternative, for readers who cannot see it.
    caption, labels, initial
        An optional caption, slider labels (default: the parameter names) and starting values
        (default: the first value of each grid).
    **grid : sequence
        For each parameter of ``update``, the values its slider offers. The static twin renders
        every combination, so keep the product small (a few dozen frames).

    Returns
    -------
    Explorer
        Display it as the cell's last expression.
    """
    if not _NAME_RE.match(name):
        raise ValueError(f"name must match {_NAME_RE.pattern!r}, got {name!r}")
    if not grid:
        raise ValueError("explore needs at least one parameter grid, e.g. eta=[0.1, 0.2]")
    grid = {k: list(v) for k, v in grid.items()}
    for k, values in grid.items():
        if len(values) == 0:
            raise ValueError(f"the grid of {k!r} is empty")
    n_frames = int(np.prod([len(v) for v in grid.values()]))
    if n_frames > 200:
        raise ValueError(f"the grid has {n_frames} combinations; keep it at most 200 frames")
    labels = {k: k for k in grid} | dict(labels or {})
    initial = {k: v[0] for k, v in grid.items()} | dict(initial or {})
    for k, v in initial.items():
        if k not in grid:
            raise ValueError(f"initial names {k!r}, which is not a parameter ({list(grid)})")
        if v not in grid[k]:
            raise ValueError(f"initial value {v!r} of {k!r} is not in its grid {grid[k]}")
    if any(e.name == name for e in EXPLORERS):
        EXPLORERS[:] = [e for e in EXPLORERS if e.name != name]  # a re-run cell replaces its own
    # Lay the figure out once, in its initial state, then freeze the layout: re-running the
    # constrained-layout solver on every redraw costs more than drawing the lines themselves,
    # and a panel that keeps its place while a slider moves is easier to read anyway.
    update(**initial)
    fig.canvas.draw()
    if fig.get_layout_engine() is not None:
        fig.set_layout_engine("none")
    explorer = Explorer(fig, update, name, grid, labels, initial, alt, caption)
    EXPLORERS.append(explorer)
    return explorer


# The page-side half of the static twin: swap frames on input, mirror the state in the URL hash.
_STATIC_JS = """
(function () {
  var root = document.currentScript.parentElement;
  var data = JSON.parse(root.querySelector('.mathlib-explorer-data').textContent);
  var img = root.querySelector('.mathlib-explorer-frame');
  var inputs = Array.prototype.slice.call(root.querySelectorAll('input[type=range]'));
  function show() {
    var flat = 0, parts = [];
    inputs.forEach(function (input, k) {
      var i = parseInt(input.value, 10);
      flat = flat * data.sizes[k] + i;
      input.nextElementSibling.textContent = data.values[k][i];
      parts.push(data.params[k] + ':' + i);
    });
    img.src = 'data:image/png;base64,' + data.frames[flat];
    return parts.join(',');
  }
  function readHash() {
    var entries = window.location.hash.replace(/^#/, '').split('&');
    entries.forEach(function (entry) {
      var kv = entry.split('=');
      if (kv[0] !== data.name || !kv[1]) return;
      kv[1].split(',').forEach(function (pair) {
        var p = pair.split(':'), k = data.params.indexOf(p[0]), i = parseInt(p[1], 10);
        if (k >= 0 && i >= 0 && i < data.sizes[k]) inputs[k].value = String(i);
      });
    });
  }
  function writeHash(state) {
    var kept = window.location.hash.replace(/^#/, '').split('&').filter(function (e) {
      return e && e.split('=')[0] !== data.name && e.indexOf('=') > 0;
    });
    kept.push(data.name + '=' + state);
    history.replaceState(null, '', '#' + kept.join('&'));
  }
  inputs.forEach(function (input) {
    input.addEventListener('input', function () { writeHash(show()); });
  });
  readHash();
  show();
})();
"""
