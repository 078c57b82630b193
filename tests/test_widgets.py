"""Explorers: validation, the static twin's frames, and the live widget's redraws."""

import base64
import json
import re

import numpy as np
import pytest

from mathlib.widgets import EXPLORERS, explore, new_figure


def _explorer(name="demo", **grid):
    fig, ax = new_figure((3, 2))
    (line,) = ax.plot([], [])
    ax.set(xlim=(0, 1), ylim=(-3, 3))
    calls = []

    def update(a, b=0.0):
        calls.append((a, b))
        x = np.linspace(0, 1, 20)
        line.set_data(x, a * x + b)

    grid = grid or {"a": [-2.0, 0.0, 2.0], "b": [0.0, 1.0]}
    return explore(fig, update, name=name, alt="a line", **grid), calls


def test_static_twin_has_one_distinct_frame_per_combination():
    ex, calls = _explorer()
    html = ex.to_html()
    data = json.loads(re.search(r'mathlib-explorer-data">(.*?)</script>', html).group(1))
    assert data["sizes"] == [3, 2] and len(data["frames"]) == 6
    assert len(set(data["frames"])) == 6, "each setting must draw a different figure"
    assert all(base64.b64decode(f)[:4] == b"\x89PNG" for f in data["frames"])
    assert html.count('type="range"') == 2 and 'alt="a line"' in html
    assert calls[-1] == (-2.0, 0.0), "the figure is left in its initial state"


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
    ],
)
def test_bad_arguments_are_explained(kwargs, message):
    fig, _ = new_figure()
    grid = kwargs.pop("grid", {"a": [1, 2]})
    name = kwargs.pop("name", "ok")
    with pytest.raises(ValueError, match=message):
        explore(fig, lambda **v: None, name=name, alt="x", **kwargs, **grid)
