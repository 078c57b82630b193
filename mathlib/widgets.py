"""Sliders that work in JupyterLab *and* on the static rendered book.

A chapter builds one matplotlib figure and an ``update(**values)`` function that changes the
figure's artists for one setting of the controls. :func:`explore` turns that pair into an
:class:`Explorer`, which a notebook cell shows as its last expression:

- in JupyterLab (a live kernel) it is an ipywidgets panel: one slider per parameter and an image
  of the figure, redrawn in place on every move (the figure is reused, never rebuilt);
- in the rendered book (no kernel) it is its static twin: every combination of the parameter grid
  is rendered once at build time into a frame, and a few lines of JavaScript in the page swap
  frames as the reader moves a native ``<input type="range">``. Nothing is fetched from a CDN, and
  the slider values are written to the URL (``#name=eta:3``) so a reader can share a state.

Both come from one output: the cell's display data holds the widget view *and* the static HTML.
JupyterLab renders the widget; the book's ``_config.yml`` drops the widget MIME type, so myst-nb
renders the HTML. Widgets never appear inert on the site.

How the static twin stores its frames
-------------------------------------
The frames travel inside the page (base64 in the cell's HTML), so they are most of what a page
with sliders weighs. Two facts about our figures make them cheap to store:

1. *Few colours.* A plot is a white background, black text, a few line colours and their
   anti-aliased edges. All frames of one explorer share one palette of ``FRAME_COLORS`` (128)
   colours: the ``FRAME_EXACT_COLORS`` (32) most frequent colours of the frames exactly (white,
   black, the line colours), the rest chosen by Pillow's octree quantiser; each pixel takes the
   nearest palette colour. A typical frame keeps over 90 % of its pixels exact, the mean error
   is below half a grey level (of 255), and 99 % of the pixels are within 8 levels: only the
   edges of anti-aliased lines move.
   (Pillow's own palette mapping is approximate, it turns pure white into an off-white, so the
   nearest colour is found here with numpy.)
2. *Frames differ little.* Moving a slider redraws a trajectory, a curve or a title; axes,
   ticks, labels and contour lines stay put. The initial frame is stored whole (the *base*);
   every other frame is stored as an *overlay* of the base's size in which the pixels that equal
   the base's are transparent. Transparent runs cost almost nothing to compress.

Base and overlays are lossless WebP (which also packs palettes and transparency better than PNG;
every current browser decodes it). The page shows the base as the frame ``<img>``'s CSS
background and the current overlay as its ``src``, so there is still one image, it scales like
any other, and without JavaScript the reader sees the initial frame. The picture the reader sees
equals the quantised render exactly (lossless, alpha 0 or 255); ``tests/test_widgets.py`` holds
it within a stated tolerance of matplotlib's own render.

Measured on the book's ten explorers when this was written: their static twins (HTML, base64
frames included) weigh 1.37 MB in all, against 3.40 MB with one 64-colour PNG per frame (mean
colour error then up to 0.9 grey levels). The gain is smallest where a slider redraws the whole
background (chapter 4's condition-number contours: 418 kB -> 286 kB) and largest where only a
curve moves (chapter 3: 349 kB -> 64 kB). We tried a bounding box of the changed region (one
crop per frame): titles and curves change in several places at once, so the box covers almost
the whole frame and saves nothing. Lossy WebP blurs text and was larger than the lossless
overlays anyway.

The controls form a grid of label, slider and value (one row per parameter; on a narrow screen
the label and value share a line above a full-width slider). Each ``<label for=...>`` names its
input, the value is an ``<output for=...>``, and the input's ``aria-valuetext`` says the value,
so a screen reader announces "learning rate η, 0.02" rather than a frame index.

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

from .i18n import word

__all__ = ["Explorer", "explore", "new_figure", "figure_png", "EXPLORERS"]

#: Every Explorer made in this process, in order (the widget benchmark moves each one's sliders).
EXPLORERS: list[Explorer] = []

#: Resolution of the static twin's frames (the live widget uses the figure's own dpi).
FRAME_DPI = 72
#: Size of the palette shared by the frames of one static twin, and how many of its colours are
#: the frames' most frequent colours taken exactly (see the module docstring).
FRAME_COLORS = 128
FRAME_EXACT_COLORS = 32
#: How many pixels of the frames choose the palette (beyond that, every k-th frame is used).
_PALETTE_SAMPLE = 8_000_000
#: libwebp's lossless effort (``method`` 0-6, ``quality`` 0-100): Pillow's defaults. On our frames
#: ``method=5, quality=90`` saved under 2 % and took ten times longer. ``exact=False`` lets the
#: encoder change the colour of fully transparent pixels, which nobody sees.
_WEBP_OPTIONS = {"lossless": True, "method": 4, "quality": 80, "exact": False}

_NAME_RE = re.compile(r"^[a-z][a-z0-9-]*$")
#: Most frames a static twin may hold (the product of the grid sizes).
MAX_FRAMES = 200
#: Lowest resolution a figure may be drawn at (dots per inch).
MIN_DPI = 20


def new_figure(figsize: tuple[float, float] = (7.0, 3.5), *, dpi: int = 80, **subplots_kw):
    """Create a figure (and axes) that pyplot does not manage.

    Pyplot figures are shown automatically at the end of a cell; an explorer's figure must only
    appear through the explorer, so it is built on a plain Agg canvas.

    Returns ``(fig, ax)`` like ``plt.subplots``; ``subplots_kw`` (``nrows``, ``ncols``,
    ``subplot_kw``, ...) is passed to ``Figure.subplots``.
    """
    try:
        size = np.asarray(figsize, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"figsize must be (width, height) in inches, got {figsize!r}") from None
    if size.shape != (2,):
        raise TypeError(f"figsize must be (width, height) in inches, got {figsize!r}")
    if not (np.isfinite(size).all() and (size > 0).all()):
        raise ValueError(f"figsize must be two positive finite numbers, got {figsize!r}")
    _check_dpi(dpi, "dpi")
    fig = Figure(figsize=tuple(size), dpi=int(dpi), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots(**subplots_kw)
    return fig, ax


def figure_png(fig: Figure, *, dpi: int | None = None, compact: bool = False) -> bytes:
    """Render ``fig`` to PNG bytes (Agg), at ``dpi`` (default: the figure's own).

    ``compact=True`` reduces the image to a 64-colour palette: plots have few distinct colours,
    so the PNG shrinks about threefold with no visible change. (The static twin of an explorer
    encodes its frames together instead, see the module docstring.)
    """
    _check_figure(fig, "fig")
    if dpi is not None:
        _check_dpi(dpi, "dpi")
    if not isinstance(compact, bool | np.bool_):
        raise TypeError(f"compact must be True or False, got {compact!r}")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi)
    if not compact:
        return buf.getvalue()
    from PIL import Image

    image = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


def _figure_rgb(fig: Figure, dpi: float) -> np.ndarray:
    """Draw ``fig`` at ``dpi`` and return its pixels, shape ``(H, W, 3)`` uint8, on white.

    Same pixels as ``fig.savefig(..., dpi=dpi)`` gives (Agg draws both), without a PNG round trip.
    A figure whose canvas is not Agg's (a plain ``Figure()``) is drawn on a temporary Agg canvas,
    as ``savefig`` does.
    """
    old_dpi, old_canvas = fig.dpi, fig.canvas
    canvas = old_canvas if isinstance(old_canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    try:
        fig.dpi = dpi
        canvas.draw()
        rgba = np.asarray(canvas.buffer_rgba())
        alpha = rgba[..., 3:].astype(np.float32) / 255.0
        rgb = rgba[..., :3] * alpha + 255.0 * (1.0 - alpha)  # a transparent figure on white
        return np.rint(rgb).astype(np.uint8)
    finally:
        fig.dpi = old_dpi
        fig.set_canvas(old_canvas)


def _pack(rgb: np.ndarray) -> np.ndarray:
    """``(..., 3)`` uint8 colours -> ``(...)`` uint32 keys ``0xRRGGBB`` (for np.unique)."""
    rgb = rgb.astype(np.uint32)
    return (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]


def _unpack(keys: np.ndarray) -> np.ndarray:
    return np.stack([(keys >> 16) & 255, (keys >> 8) & 255, keys & 255], axis=-1).astype(np.uint8)


def _frame_palette(frames: np.ndarray, colors: int = FRAME_COLORS,
                   exact: int = FRAME_EXACT_COLORS) -> np.ndarray:
    """One palette for all ``frames`` ``(F, H, W, 3)``: shape ``(K, 3)`` uint8, ``K <= colors``.

    The ``exact`` most frequent colours are kept as they are (background, text, line colours);
    the other ``colors - exact`` entries come from Pillow's octree quantiser run on the remaining
    pixels. Every pixel counts (thin lines are single rows of a colour found nowhere else), of up
    to ``_PALETTE_SAMPLE`` pixels: beyond that, every k-th frame.
    """
    from PIL import Image

    n_pixels = frames.shape[0] * frames.shape[1] * frames.shape[2]
    step = max(1, -(-n_pixels // _PALETTE_SAMPLE))  # ceil
    sample = frames[::step].reshape(-1, 3)
    keys, counts = np.unique(_pack(sample), return_counts=True)
    if len(keys) <= colors:
        return _unpack(keys)
    top = keys[np.argsort(-counts, kind="stable")[:exact]]
    rest = sample[~np.isin(_pack(sample), top)]
    octree = Image.fromarray(rest.reshape(1, -1, 3)).quantize(
        colors - exact, method=Image.Quantize.FASTOCTREE)
    used = np.unique(np.asarray(octree))
    approx = np.asarray(octree.getpalette(), dtype=np.uint8).reshape(-1, 3)[used]
    return np.concatenate([_unpack(top), approx])


def _nearest_colors(rgb: np.ndarray, palette: np.ndarray) -> np.ndarray:
    """Index of the nearest ``palette`` colour (Euclidean in RGB) for each pixel of ``rgb``.

    ``rgb`` ``(H, W, 3)`` uint8, ``palette`` ``(K, 3)`` with ``K <= 256`` -> ``(H, W)`` uint8.
    A frame has a few thousand distinct colours, so distances are computed once per colour.
    """
    keys, inverse = np.unique(_pack(rgb), return_inverse=True)
    distinct = _unpack(keys).astype(np.int32)
    nearest = np.empty(len(keys), dtype=np.uint8)
    pal = palette.astype(np.int32)
    for start in range(0, len(keys), 4096):
        block = distinct[start:start + 4096]
        d2 = ((block[:, None, :] - pal[None, :, :]) ** 2).sum(axis=-1)
        nearest[start:start + 4096] = d2.argmin(axis=1)
    return nearest[inverse.reshape(rgb.shape[:2])]


def _webp(pixels: np.ndarray) -> bytes:
    """Lossless WebP of ``pixels`` ``(H, W, 3)`` RGB or ``(H, W, 4)`` RGBA, uint8."""
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, "WEBP", **_WEBP_OPTIONS)
    return buf.getvalue()


def _encode_frames(frames: np.ndarray, base: int) -> tuple[bytes, list[bytes | None]]:
    """Encode ``frames`` ``(F, H, W, 3)`` as the static twin stores them.

    Returns the lossless WebP of frame ``base`` (quantised to the shared palette) and, for every
    frame, the WebP of its overlay: the frame's quantised pixels where they differ from the
    base's, fully transparent elsewhere; ``None`` where a frame equals the base. Drawing the
    overlay over the base gives the quantised frame exactly (see :func:`_composite`).
    """
    palette = _frame_palette(frames)
    indices = [_nearest_colors(f, palette) for f in frames]
    ref = indices[base]
    overlays: list[bytes | None] = []
    for idx in indices:
        changed = idx != ref
        if not changed.any():
            overlays.append(None)
            continue
        rgba = np.zeros((*idx.shape, 4), dtype=np.uint8)
        rgba[changed, :3] = palette[idx[changed]]
        rgba[changed, 3] = 255
        overlays.append(_webp(rgba))
    return _webp(palette[ref]), overlays


def _composite(base: bytes, overlay: bytes | None) -> np.ndarray:
    """What the page shows for one frame: ``overlay`` drawn over ``base``, ``(H, W, 3)`` uint8.

    The Python mirror of the browser's drawing (the base is the image's CSS background, the
    overlay its content); the tests compare it with matplotlib's render.
    """
    from PIL import Image

    picture = np.asarray(Image.open(io.BytesIO(base)).convert("RGB")).copy()
    if overlay is None:
        return picture
    top = np.asarray(Image.open(io.BytesIO(overlay)).convert("RGBA"))
    if top.shape[:2] != picture.shape[:2]:
        raise ValueError(f"overlay is {top.shape[:2]}, base is {picture.shape[:2]}")
    opaque = top[..., 3] == 255
    picture[opaque] = top[opaque, :3]
    return picture


def _check_figure(fig, what: str) -> None:
    if not isinstance(fig, Figure):
        raise TypeError(f"{what} must be a matplotlib Figure (make one with new_figure), "
                        f"got {type(fig).__name__}")


def _check_dpi(dpi, what: str) -> None:
    if isinstance(dpi, bool | np.bool_) or not isinstance(dpi, int | np.integer):
        raise TypeError(f"{what} must be a whole number of dots per inch, got {dpi!r}")
    if dpi < MIN_DPI:
        raise ValueError(f"{what} must be at least {MIN_DPI} (below it text is illegible and "
                         f"FreeType refuses the font sizes), got {dpi}")


def _check_text(value, what: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, got {type(value).__name__}")


def _check_settings(name, grid, labels, initial) -> None:
    """The checks ``explore`` and ``Explorer`` share: every argument by its name."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if not _NAME_RE.match(name):
        raise ValueError(f"name must match {_NAME_RE.pattern!r}, got {name!r}")
    if not isinstance(grid, dict):
        raise TypeError(f"grid must be a dict of parameter -> values, got {type(grid).__name__}")
    if not grid:
        raise ValueError("explore needs at least one parameter grid, e.g. eta=[0.1, 0.2]")
    for k, values in grid.items():
        if not isinstance(values, list):
            raise TypeError(f"the grid of {k!r} must be a list of values, "
                            f"got {type(values).__name__}")
        if len(values) == 0:
            raise ValueError(f"the grid of {k!r} is empty")
    n_frames = int(np.prod([len(v) for v in grid.values()]))
    if n_frames > MAX_FRAMES:
        raise ValueError(f"the grid has {n_frames} combinations; keep it at most "
                         f"{MAX_FRAMES} frames")
    for what, mapping in (("labels", labels), ("initial", initial)):
        if not isinstance(mapping, dict):
            raise TypeError(f"{what} must be a dict keyed by parameter, "
                            f"got {type(mapping).__name__}")
        for k in mapping:
            if k not in grid:
                raise ValueError(f"{what} names {k!r}, which is not a parameter ({list(grid)})")
    for k, label in labels.items():
        if not isinstance(label, str):
            raise TypeError(f"labels[{k!r}] must be a str, got {type(label).__name__}")
    for k, v in initial.items():
        if not _in_grid(v, grid[k]):
            raise ValueError(f"initial value {v!r} of {k!r} is not in its grid {grid[k]}")


def _in_grid(value, values: list) -> bool:
    try:
        return any(bool(value == v) for v in values)
    except (TypeError, ValueError):  # e.g. an array compared with a number
        return False


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

    def __post_init__(self):
        _check_figure(self.fig, "fig")
        if not callable(self.update):
            raise TypeError(f"update must be a function, got {type(self.update).__name__}")
        _check_settings(self.name, self.grid, self.labels, self.initial)
        missing = [k for k in self.grid if k not in self.labels or k not in self.initial]
        if missing:
            raise ValueError(f"labels and initial need an entry for every parameter; "
                             f"missing for {missing}")
        _check_text(self.alt, "alt")
        _check_text(self.caption, "caption")
        if not isinstance(self.callback_seconds, list):
            raise TypeError(f"callback_seconds must be a list, "
                            f"got {type(self.callback_seconds).__name__}")

    # ----- drawing -------------------------------------------------------------------------
    def render(self, *, compact: bool = False, **values) -> bytes:
        """Apply ``values`` through ``update`` and return the figure as PNG bytes.

        ``compact=True`` renders at no more than ``FRAME_DPI`` with a 64-colour palette: a light
        PNG of one setting. (The static twin encodes all its frames together, see
        :meth:`to_html`.)
        """
        for k, v in values.items():
            if k not in self.grid:
                raise ValueError(f"render values name {k!r}, which is not a parameter "
                                 f"({list(self.grid)})")
            if not _in_grid(v, self.grid[k]):
                raise ValueError(f"render values: {v!r} is not in the grid of {k!r}, "
                                 f"{self.grid[k]}")
        if not isinstance(compact, bool | np.bool_):
            raise TypeError(f"compact must be True or False, got {compact!r}")
        self.update(**values)
        if compact:
            return figure_png(self.fig, dpi=min(self.fig.dpi, FRAME_DPI), compact=True)
        return figure_png(self.fig)

    def frames(self) -> np.ndarray:
        """Every grid combination drawn once at ``FRAME_DPI``, in row-major order of ``grid``.

        Returns the pixels, shape ``(F, H, W, 3)`` uint8 with ``F`` the product of the grid
        sizes: the frames of the static twin before they are encoded.
        """
        names = list(self.grid)
        dpi = min(self.fig.dpi, FRAME_DPI)
        frames = []
        for combo in itertools.product(*(self.grid[n] for n in names)):
            self.update(**dict(zip(names, combo, strict=True)))
            frames.append(_figure_rgb(self.fig, dpi))
        return np.stack(frames)

    # ----- the static twin -----------------------------------------------------------------
    def to_html(self) -> str:
        """The self-contained static explorer: controls, frames and a small script.

        The frames are a WebP base (the initial setting) and one WebP overlay per setting, as
        the module docstring explains; the script shows ``overlay[k]`` over the base.
        """
        names = list(self.grid)
        start = [self.grid[n].index(self.initial[n]) for n in names]
        sizes = [len(self.grid[n]) for n in names]
        flat = int(np.ravel_multi_index(start, sizes))
        pixels = self.frames()
        self.update(**self.initial)  # leave the figure in its initial state
        base, overlays = _encode_frames(pixels, flat)
        data = {
            "name": self.name,
            "params": names,
            "values": [[_format_value(v) for v in self.grid[n]] for n in names],
            "sizes": sizes,
            "mime": "image/webp",
            # The base is the <img>'s own src; null marks a setting that looks like the base.
            "frames": [None if o is None else base64.b64encode(o).decode("ascii")
                       for o in overlays],
        }
        controls = []
        for n, i in zip(names, start, strict=True):
            ident = html.escape(f"explorer-{self.name}-{n}")
            value = html.escape(_format_value(self.grid[n][i]))
            controls.append(
                f'<label for="{ident}">{html.escape(self.labels[n])}</label>'
                f'<input type="range" id="{ident}" min="0" max="{len(self.grid[n]) - 1}" '
                f'step="1" value="{i}" data-param="{html.escape(n)}" aria-valuetext="{value}">'
                f'<output for="{ident}">{value}</output>'
            )
        alt = html.escape(self.alt)
        caption = f"<figcaption>{html.escape(self.caption)}</figcaption>" if self.caption else ""
        payload = json.dumps(data).replace("</", "<\\/")
        height, width = pixels.shape[1:3]
        src = "data:image/webp;base64," + base64.b64encode(base).decode("ascii")
        return (
            f'<div class="mathlib-explorer" id="explorer-{self.name}" data-name="{self.name}">'
            f"<style>{_STATIC_CSS}</style>"
            f'<div class="mathlib-explorer-controls" role="group" '
            f'aria-label="{word("figure settings")}">{"".join(controls)}</div>'
            f'<figure><img class="mathlib-explorer-frame" alt="{alt}" width="{width}" '
            f'height="{height}" src="{src}">{caption}</figure>'
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
    _check_figure(fig, "fig")
    if not callable(update):
        raise TypeError(f"update must be a function, got {type(update).__name__}")
    _check_text(alt, "alt")
    _check_text(caption, "caption")
    for k, values in grid.items():
        if isinstance(values, str | bytes | dict) or not isinstance(values, Sequence | np.ndarray):
            raise TypeError(f"the grid of {k!r} must be a sequence of values, "
                            f"got {type(values).__name__}")
    grid = {k: list(v) for k, v in grid.items()}
    for what, mapping in (("labels", labels), ("initial", initial)):
        if mapping is not None and not isinstance(mapping, dict):
            raise TypeError(f"{what} must be a dict keyed by parameter, "
                            f"got {type(mapping).__name__}")
    _check_settings(name, grid, labels or {}, initial or {})
    labels = {k: k for k in grid} | dict(labels or {})
    initial = {k: v[0] for k, v in grid.items()} | dict(initial or {})
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


# The static twin's layout: a grid of label | slider | value rows, aligned in columns; on a
# narrow screen, label and value share a line above a full-width slider ("dense" packing puts
# each value beside its label although it comes after the slider in the markup, which keeps the
# reading order label, slider, value for screen readers).
_STATIC_CSS = (
    ".mathlib-explorer-controls{display:grid;"
    "grid-template-columns:max-content minmax(8em,24em) minmax(4.5em,max-content);"
    "gap:.35em .9em;align-items:center;margin:.5em 0 .75em}"
    ".mathlib-explorer-controls label{margin:0}"
    ".mathlib-explorer-controls input{width:100%;margin:0}"
    ".mathlib-explorer-controls output{font-variant-numeric:tabular-nums}"
    ".mathlib-explorer-frame{max-width:100%;height:auto;print-color-adjust:exact;"
    "-webkit-print-color-adjust:exact}"
    "@media (max-width:36em){.mathlib-explorer-controls{grid-template-columns:1fr auto;"
    "grid-auto-flow:row dense;row-gap:.15em}"
    ".mathlib-explorer-controls input{grid-column:1/-1;margin-bottom:.5em}}"
)

# The page-side half of the static twin: draw the overlay of the chosen setting over the base
# (the image's CSS background), say the value, mirror the state in the URL hash.
_STATIC_JS = """
(function () {
  var root = document.currentScript.parentElement;
  var data = JSON.parse(root.querySelector('.mathlib-explorer-data').textContent);
  var img = root.querySelector('.mathlib-explorer-frame');
  var base = img.getAttribute('src');
  var prefix = 'data:' + data.mime + ';base64,';
  img.style.background = 'url("' + base + '") 0 0 / 100% 100% no-repeat';
  var inputs = Array.prototype.slice.call(root.querySelectorAll('input[type=range]'));
  var outputs = Array.prototype.slice.call(root.querySelectorAll('output'));
  function show() {
    var flat = 0, parts = [];
    inputs.forEach(function (input, k) {
      var i = parseInt(input.value, 10), text = data.values[k][i];
      flat = flat * data.sizes[k] + i;
      outputs[k].textContent = text;
      input.setAttribute('aria-valuetext', text);
      parts.push(data.params[k] + ':' + i);
    });
    var overlay = data.frames[flat];
    img.src = overlay ? prefix + overlay : base;
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
