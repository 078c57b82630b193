"""Explorers: validation, the static twin's frames and layout, and the live widget's redraws."""

import base64
import io
import json
import re
from html.parser import HTMLParser

import numpy as np
import pytest
from PIL import Image

from mathlib.widgets import (
    EXPLORERS,
    FRAME_COLORS,
    FRAME_DPI,
    _composite,
    _encode_frames,
    explore,
    figure_png,
    new_figure,
)

# How far the page's picture may be from matplotlib's own render (grey levels of 255, taken as
# the largest channel difference of each pixel). The palette keeps the frequent colours exact,
# so the mean is far below one level; anti-aliased edges move by a few levels.
MEAN_TOLERANCE = 1.0
P99_TOLERANCE = 12


def _explorer(name="demo", **grid):
    fig, ax = new_figure((3, 2))
    (line,) = ax.plot([], [])
    ax.set(xlim=(0, 1), ylim=(-3, 3))
    calls = []

    def update(a, b=0.0):
        calls.append((a, b))
        x = np.linspace(0, 1, 20)
        line.set_data(x, a * x + b)
        ax.set_title(f"a = {a}, b = {b}")

    grid = grid or {"a": [-2.0, 0.0, 2.0], "b": [0.0, 1.0]}
    return explore(fig, update, name=name, alt="a line", **grid), calls


def _twin(html: str):
    """The static twin's data, its base image (bytes) and each frame's overlay (bytes or None)."""
    data = json.loads(re.search(r'mathlib-explorer-data">(.*?)</script>', html).group(1))
    src = re.search(r'<img class="mathlib-explorer-frame"[^>]*src="data:image/webp;base64,'
                    r'([^"]+)"', html)
    assert src, "the frame <img> must carry the base frame as a WebP data URL"
    base = base64.b64decode(src.group(1))
    overlays = [None if f is None else base64.b64decode(f) for f in data["frames"]]
    return data, base, overlays


def _matplotlib_render(fig) -> np.ndarray:
    png = figure_png(fig, dpi=min(fig.dpi, FRAME_DPI))
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_static_twin_has_one_distinct_frame_per_combination():
    ex, calls = _explorer()
    html = ex.to_html()
    data, base, overlays = _twin(html)
    assert data["sizes"] == [3, 2] and len(overlays) == 6 and data["mime"] == "image/webp"
    assert base[:4] == b"RIFF" and base[8:12] == b"WEBP"
    assert overlays[0] is None, "the initial setting is the base itself"
    pictures = [_composite(base, o) for o in overlays]
    assert len({p.tobytes() for p in pictures}) == 6, "each setting must draw a different figure"
    assert html.count('type="range"') == 2 and 'alt="a line"' in html
    assert calls[-1] == (-2.0, 0.0), "the figure is left in its initial state"


def test_overlays_are_lossless_webp_with_binary_alpha():
    ex, _ = _explorer(name="alpha")
    _, base, overlays = _twin(ex.to_html())
    for overlay in overlays[1:]:
        assert overlay[:4] == b"RIFF" and overlay[12:16] == b"VP8L", "lossless WebP"
        alpha = np.asarray(Image.open(io.BytesIO(overlay)).convert("RGBA"))[..., 3]
        assert set(np.unique(alpha)) <= {0, 255}
        assert 0 < (alpha == 255).mean() < 0.5, "an overlay holds only what changed"


def test_frames_on_the_page_match_matplotlib_renders():
    """Each frame as the page draws it (overlay over base) against matplotlib's render."""
    ex, _ = _explorer(name="fidelity")
    _, base, overlays = _twin(ex.to_html())
    settings = [(a, b) for a in ex.grid["a"] for b in ex.grid["b"]]
    for (a, b), overlay in zip(settings, overlays, strict=True):
        shown = _composite(base, overlay).astype(int)
        ex.update(a=a, b=b)
        reference = _matplotlib_render(ex.fig).astype(int)
        assert shown.shape == reference.shape
        err = np.abs(shown - reference).max(axis=-1)
        assert err.mean() < MEAN_TOLERANCE, (a, b, err.mean())
        assert np.percentile(err, 99) <= P99_TOLERANCE, (a, b, np.percentile(err, 99))


def test_encoding_is_exact_for_few_colours_and_bounded_for_many():
    """Frames with few colours come back exactly; a smooth gradient keeps a small error."""
    rng = np.random.default_rng(0)
    few = rng.choice(np.array([[255, 255, 255], [0, 0, 0], [31, 119, 180]], np.uint8),
                     size=(4, 30, 40))
    base, overlays = _encode_frames(few, 2)
    assert overlays[2] is None
    for k in range(4):
        np.testing.assert_array_equal(_composite(base, overlays[k]), few[k])
    ramp = np.linspace(0, 255, 64 * 48 * 3).reshape(1, 64, 48, 3)
    many = np.concatenate([ramp, ramp[:, ::-1]]).astype(np.uint8)  # thousands of colours
    base, overlays = _encode_frames(many, 0)
    for k in range(2):
        err = np.abs(_composite(base, overlays[k]).astype(int) - many[k]).max(axis=-1)
        assert err.mean() < 8 and err.max() <= 32, (err.mean(), err.max())
    assert FRAME_COLORS <= 256, "WebP and PNG palettes hold at most 256 colours"


def test_static_twin_is_lighter_than_one_palette_png_per_frame():
    ex, _ = _explorer(name="weight", a=list(np.linspace(-2, 2, 9)), b=[0.0, 1.0])
    _, base, overlays = _twin(ex.to_html())
    twin = len(base) + sum(len(o) for o in overlays if o is not None)
    pngs = 0
    for a in ex.grid["a"]:
        for b in ex.grid["b"]:
            ex.update(a=a, b=b)
            pngs += len(figure_png(ex.fig, dpi=FRAME_DPI, compact=True))
    assert twin < 0.6 * pngs, (twin, pngs)


class _Controls(HTMLParser):
    """The tags inside the twin's controls, in document order, with their attributes."""

    def __init__(self):
        super().__init__()
        self.tags, self.text, self._inside = [], {}, None

    def handle_starttag(self, tag, attrs):
        if tag in ("label", "input", "output"):
            self.tags.append((tag, dict(attrs)))
            self._inside = len(self.tags) - 1

    def handle_endtag(self, tag):
        self._inside = None

    def handle_data(self, data):
        if self._inside is not None:
            self.text[self._inside] = self.text.get(self._inside, "") + data


def test_controls_are_label_slider_value_triples():
    ex, _ = _explorer(name="layout", a=[-2.0, 0.0, 2.0], b=[0.0, 0.5, 1.0])
    ex.labels["a"] = "slope a"
    ex.initial["b"] = 0.5
    html = ex.to_html()
    controls = re.search(r'<div class="mathlib-explorer-controls"[^>]*>(.*?)</div>', html)
    assert controls and 'role="group"' in controls.group(0)
    parser = _Controls()
    parser.feed(controls.group(1))
    assert [t for t, _ in parser.tags] == ["label", "input", "output"] * 2
    for k, (param, label, value) in enumerate([("a", "slope a", "-2"), ("b", "b", "0.5")]):
        (_, lab), (_, inp), (_, out) = parser.tags[3 * k: 3 * k + 3]
        assert inp["id"] and lab["for"] == inp["id"] == out["for"], "label and value name it"
        assert inp["data-param"] == param and inp["type"] == "range"
        assert parser.text[3 * k] == label
        assert parser.text[3 * k + 2] == value == inp["aria-valuetext"]
        assert "aria-label" not in inp, "the <label> names the input; no second name"
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids are unique"
    assert "grid-template-columns" in html and "@media" in html, "columns, and a phone layout"


def test_mimebundle_has_widget_and_static_html():
    ex, _ = _explorer(name="bundle")
    bundle = ex._repr_mimebundle_()
    assert "text/html" in bundle and "text/plain" in bundle
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_live_widget_redraws_in_place_and_times_itself():
    ex, calls = _explorer(name="live")
    w = ex.widget()
    first = w.children[-1].value
    w.sliders["a"].value = 2.0
    assert calls[-1] == (2.0, 0.0)
    assert w.children[-1].value != first
    assert w.children[-1].value[:4] == b"\x89PNG", "the live image stays a full-quality PNG"
    assert len(ex.callback_seconds) == 1 and ex.callback_seconds[0] > 0
    assert ex.widget() is w, "the panel is built once and reused"


def test_rerunning_a_cell_replaces_its_explorer():
    _explorer(name="again")
    _explorer(name="again")
    assert [e.name for e in EXPLORERS].count("again") == 1


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": "Bad Name"}, "name must match"),
        ({"grid": {}}, "at least one parameter"),
        ({"grid": {"a": []}}, "is empty"),
        ({"grid": {"a": list(range(300))}}, "at most 200"),
        ({"initial": {"z": 1}}, "not a parameter"),
        ({"initial": {"a": 5}}, "not in its grid"),
        ({"labels": {"zz": "x"}}, "labels names 'zz'"),
    ],
)
def test_bad_arguments_are_explained(kwargs, message):
    fig, _ = new_figure()
    grid = kwargs.pop("grid", {"a": [1, 2]})
    name = kwargs.pop("name", "ok")
    with pytest.raises(ValueError, match=message):
        explore(fig, lambda **v: None, name=name, alt="x", **kwargs, **grid)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"fig": "fig"}, "fig must be a matplotlib Figure"),
        ({"update": None}, "update must be a function"),
        ({"alt": None}, "alt must be a str"),
        ({"labels": {"a": 3}}, r"labels\['a'\] must be a str"),
        ({"initial": 3}, "initial must be a dict"),
        ({"grid": {"a": 3}}, "the grid of 'a' must be a sequence"),
        ({"name": None}, "name must be a str"),
    ],
)
def test_wrong_types_are_named(kwargs, message):
    args = {"fig": new_figure()[0], "update": lambda **v: None, "name": "ok", "alt": "x"}
    grid = kwargs.pop("grid", {"a": [1, 2]})
    with pytest.raises(TypeError, match=message):
        explore(**(args | kwargs), **grid)


def test_render_refuses_settings_off_the_grid():
    ex, _ = _explorer(name="offgrid")
    with pytest.raises(ValueError, match="not in the grid of 'a'"):
        ex.render(a=99.0)
    with pytest.raises(ValueError, match="'zz', which is not a parameter"):
        ex.render(zz=1)
    with pytest.raises(ValueError, match="dpi must be at least"):
        figure_png(ex.fig, dpi=2)
