"""Plot helpers shared by the chapters.

Every helper draws on the ``ax`` (or array of axes) it is given and returns it; none calls
``plt.show()`` or changes global settings, so the same helper serves a notebook figure, a
slider's figure (:mod:`mathlib.widgets`) and a test. Colour maps are perceptually uniform and
colour-blind safe (viridis, cividis; a diverging map only for signed quantities), and curves
differ by marker and line style as well as colour.

Arguments are checked before anything is drawn: a wrong one raises a ``TypeError`` or
``ValueError`` naming it, so a figure is never half drawn. Data must be finite, except the
curves of :func:`plot_curves`, where NaN leaves a gap (matplotlib's convention).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import Colormap, is_color_like

from mathlib.checks import (
    as_float_array,
    check_bool,
    check_callable,
    check_int,
    check_labels,
    check_mapping,
    check_number,
    describe,
)
from mathlib.i18n import word

__all__ = [
    "STYLES",
    "plot_image",
    "plot_digit_grid",
    "plot_confusion_matrix",
    "plot_curves",
    "plot_contours",
    "plot_path",
    "plot_decision_regions",
]

#: (marker, linestyle) pairs, so curves stay distinguishable without colour.
STYLES = [("o", "-"), ("s", "--"), ("^", "-."), ("D", ":"), ("v", "-"), ("P", "--"), ("X", "-.")]


def _check_ax(ax, name="ax"):
    if not isinstance(ax, Axes):
        raise TypeError(f"{name} must be matplotlib Axes (e.g. from plt.subplots()), "
                        f"got {describe(ax)}")
    return ax


def _check_text(value, name, optional=True):
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str{' or None' if optional else ''}, "
                        f"got {describe(value)}")
    return value


def _check_cmap(cmap):
    if isinstance(cmap, Colormap):
        return cmap
    if not isinstance(cmap, str):
        raise TypeError(f"cmap must be a colour-map name such as 'viridis', got {describe(cmap)}")
    if cmap not in matplotlib.colormaps:
        raise ValueError(f"cmap must be a matplotlib colour map such as 'viridis', got {cmap!r}")
    return cmap


def _check_lim(lim, name):
    """A pair ``(low, high)`` of finite numbers with ``low < high``."""
    if isinstance(lim, str) or not isinstance(lim, tuple | list | np.ndarray) or len(lim) != 2:
        raise TypeError(f"{name} must be a pair (low, high) of numbers, got {describe(lim)}")
    low = check_number(lim[0], f"{name}[0]")
    high = check_number(lim[1], f"{name}[1]")
    if not low < high:
        raise ValueError(f"{name} must be a pair (low, high) with low < high, got {tuple(lim)}")
    return low, high


def _check_names(names, name, k):
    """None, or ``k`` strings (one per row, column or image)."""
    if names is None:
        return None
    if (not isinstance(names, tuple | list | np.ndarray)
            or not all(isinstance(t, str | np.str_) for t in names)):
        raise TypeError(f"{name} must be a list of strings, got {describe(names)}")
    if len(names) != k:
        raise ValueError(f"{name} must hold {k} strings, one per entry, got {len(names)}")
    return [str(t) for t in names]


def _check_grid(f, name, X1, what):
    """``f``'s values on the grid: finite numbers with the grid's shape."""
    try:
        F = np.asarray(f, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must return an array of numbers, got {describe(f)}") from None
    if F.shape != X1.shape:
        raise ValueError(f"{name} must return shape {X1.shape} ({what}), got {F.shape}")
    if not np.isfinite(F).all():
        raise ValueError(f"{name} must return finite values, got {int((~np.isfinite(F)).sum())} "
                         f"NaN or inf on the {X1.shape[0]}x{X1.shape[1]} grid")
    return F


def plot_image(ax, image, *, title: str | None = None, cmap: str = "gray_r",
               symmetric: bool = False, colorbar: bool = False):
    """Show one image (H, W) or a flat 784-vector as 28 x 28, without ticks.

    ``symmetric=True`` centres a diverging map at 0 (for signed weights: red and blue are
    told apart by lightness as well as hue in ``RdBu``).
    """
    _check_ax(ax)
    img = as_float_array(image, "image", ndim=(1, 2))
    title = _check_text(title, "title")
    cmap = _check_cmap(cmap)
    symmetric = check_bool(symmetric, "symmetric")
    colorbar = check_bool(colorbar, "colorbar")
    if img.size == 0:
        raise ValueError(f"image must hold at least one pixel, got shape {img.shape}")
    if img.ndim == 1:
        side = int(round(np.sqrt(img.size)))
        if side * side != img.size:
            raise ValueError(f"image, if flat, must have a square size, got {img.size}")
        img = img.reshape(side, side)
    kw = {}
    if symmetric:
        lim = float(np.abs(img).max()) or 1.0
        kw = {"vmin": -lim, "vmax": lim}
        cmap = "RdBu" if cmap == "gray_r" else cmap
    im = ax.imshow(img, cmap=cmap, **kw)
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title, fontsize="small")
    if colorbar:
        ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    return ax


def plot_digit_grid(axes, images, titles: Sequence[str] | None = None, **kw):
    """Show ``images`` (N, H, W) or flat (N, H*W) on an array of axes, one per image.

    Axes beyond the number of images are hidden. ``titles`` has one string per image.
    Extra keywords go to :func:`plot_image`.
    """
    axes = np.asarray(axes, dtype=object).ravel()
    for i, ax in enumerate(axes):
        _check_ax(ax, f"axes[{i}]" if axes.size > 1 else "axes")
    images = as_float_array(images, "images", ndim=(2, 3))
    if 0 in images.shape[1:]:
        raise ValueError(f"images must have at least one pixel each, got shape {images.shape}")
    titles = _check_names(titles, "titles", len(images))
    if len(images) > axes.size:
        raise ValueError(f"images holds {len(images)} images but there are only "
                         f"{axes.size} axes")
    for i, ax in enumerate(axes):
        if i < len(images):
            plot_image(ax, images[i], title=None if titles is None else titles[i], **kw)
        else:
            ax.set_axis_off()
    return axes


def plot_confusion_matrix(ax, cm, *, class_names: Sequence[str] | None = None,
                          normalize: bool = False, annotate: bool = True):
    """Draw a confusion matrix ``cm`` (K, K): rows are true classes, columns predictions.

    With ``normalize=True`` each row is divided by its total (the recall of that class).
    Cell values are written in the cells, so the figure reads without colour.
    """
    _check_ax(ax)
    cm = as_float_array(cm, "cm", ndim=2)
    if cm.shape[0] != cm.shape[1] or cm.shape[0] == 0:
        raise ValueError(f"cm must have shape (K, K) with K >= 1, got {cm.shape}")
    if cm.min() < 0:
        raise ValueError(f"cm must hold counts >= 0, got min {cm.min()}")
    K = cm.shape[0]
    class_names = _check_names(class_names, "class_names", K)
    normalize = check_bool(normalize, "normalize")
    annotate = check_bool(annotate, "annotate")
    shown = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1) if normalize else cm
    # A log-like scale keeps the off-diagonal errors visible next to the large diagonal.
    ax.imshow(np.log1p(shown * (100 if normalize else 1)), cmap="cividis")
    names = class_names if class_names is not None else [str(k) for k in range(K)]
    ax.set_xticks(range(K), names)
    ax.set_yticks(range(K), names)
    ax.set_xlabel(word("predicted class"))
    ax.set_ylabel(word("true class"))
    if annotate:
        top = np.log1p(shown * (100 if normalize else 1)).max()
        for i in range(K):
            for j in range(K):
                v = shown[i, j]
                text = f"{v:.2f}" if normalize else f"{int(v)}"
                bright = np.log1p(v * (100 if normalize else 1)) > 0.6 * top
                ax.text(j, i, text, ha="center", va="center", fontsize="x-small",
                        color="black" if bright else "white")
    return ax


def plot_curves(ax, curves: Mapping[str, tuple[Sequence[float], Sequence[float]]], *,
                xlabel: str, ylabel: str, title: str | None = None, logy: bool = False,
                markevery: int | None = None):
    """Plot named curves ``{label: (x, y)}`` with distinct markers and line styles.

    ``x`` and ``y`` are 1-D and of equal length; a NaN in ``y`` leaves a gap.
    """
    _check_ax(ax)
    check_mapping(curves, "curves")
    if not curves:
        raise ValueError("curves must hold at least one curve {label: (x, y)}, got {}")
    checked = {}
    for label, pair in curves.items():
        where = f"curves[{label!r}]"
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise TypeError(f"{where} must be a pair (x, y) of arrays, got {describe(pair)}")
        x = as_float_array(pair[0], f"{where}[0] (x)", ndim=1, finite=False)
        y = as_float_array(pair[1], f"{where}[1] (y)", ndim=1, finite=False)
        if x.shape != y.shape:
            raise ValueError(f"{where} must have x and y of one length, got {x.shape[0]} "
                             f"and {y.shape[0]}")
        checked[str(label)] = (x, y)
    _check_text(xlabel, "xlabel", optional=False)
    _check_text(ylabel, "ylabel", optional=False)
    _check_text(title, "title")
    logy = check_bool(logy, "logy")
    if markevery is not None:
        markevery = check_int(markevery, "markevery", minimum=1)
    for k, (label, (x, y)) in enumerate(checked.items()):
        marker, ls = STYLES[k % len(STYLES)]
        every = markevery or max(1, len(x) // 10)
        ax.plot(x, y, marker=marker, linestyle=ls, markevery=every, label=label)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return ax


def plot_contours(ax, f: Callable[[np.ndarray, np.ndarray], np.ndarray], xlim, ylim, *,
                  levels: int | Sequence[float] = 20, log: bool = False, n: int = 200,
                  filled: bool = False, cmap: str = "viridis"):
    """Contours of a function of two variables ``f(X1, X2)`` evaluated on a grid.

    ``f`` receives two (n, n) arrays and returns an (n, n) array. ``log=True`` spaces the levels
    logarithmically (for valleys, where the interesting contours are close to the minimum; ``f``
    must then be positive somewhere). ``levels`` is a count or an increasing list of values.
    Returns the contour set.
    """
    _check_ax(ax)
    check_callable(f, "f")
    xlim, ylim = _check_lim(xlim, "xlim"), _check_lim(ylim, "ylim")
    n = check_int(n, "n", minimum=2)
    log = check_bool(log, "log")
    filled = check_bool(filled, "filled")
    cmap = _check_cmap(cmap)
    if isinstance(levels, int | np.integer) and not isinstance(levels, bool):
        levels = check_int(levels, "levels", minimum=1)
    else:
        levels = as_float_array(levels, "levels", ndim=1)
        if levels.size < (2 if filled else 1) or np.any(np.diff(levels) <= 0):
            raise ValueError(f"levels must be a count or increasing values ({2 if filled else 1}"
                             f" or more), got {levels.tolist()}")
    x1 = np.linspace(*xlim, n)
    x2 = np.linspace(*ylim, n)
    X1, X2 = np.meshgrid(x1, x2)
    F = _check_grid(f(X1, X2), "f", X1, "the grid's")
    if log and isinstance(levels, int):
        if F.max() <= 0:
            raise ValueError(f"log=True needs f to be positive somewhere, its maximum on the "
                             f"grid is {F.max():.3g}")
        lo = max(float(F.min()), 1e-12)
        lo = max(lo, float(F.max()) * 1e-8)
        levels = np.geomspace(lo, float(F.max()), levels)
    draw = ax.contourf if filled else ax.contour
    cs = draw(X1, X2, F, levels=levels, cmap=cmap)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    return cs


def plot_path(ax, path, *, label: str | None = None, style: int = 0, color=None):
    """Draw an optimisation path (T, 2) with its start and end marked; returns the line.

    ``style`` picks the marker and line style from :data:`STYLES`; ``color`` any matplotlib
    colour (default: the next in the cycle).
    """
    _check_ax(ax)
    path = as_float_array(path, "path", ndim=2)
    if path.shape[1] != 2 or path.shape[0] == 0:
        raise ValueError(f"path must have shape (T, 2) with T >= 1, got {path.shape}")
    _check_text(label, "label")
    style = check_int(style, "style", minimum=0)
    if color is not None and not is_color_like(color):
        raise ValueError(f"color must be a matplotlib colour such as 'C1' or 'red', got "
                         f"{color!r}")
    marker, ls = STYLES[style % len(STYLES)]
    (line,) = ax.plot(path[:, 0], path[:, 1], marker=marker, linestyle=ls, markersize=3,
                      label=label, color=color)
    ax.plot(*path[0], marker="o", color="black", markersize=6)
    ax.plot(*path[-1], marker="*", color=line.get_color(), markersize=11)
    return line


def plot_decision_regions(ax, predict_proba: Callable[[np.ndarray], np.ndarray], xlim, ylim, *,
                          X=None, y=None, levels: Sequence[float] = (0.5, 0.9), n: int = 150):
    """Contour lines of each class's predicted probability over the input plane.

    ``predict_proba`` maps points (M, 2) to probabilities (M, K). For each class k, the lines
    ``p_k = level`` are drawn (solid for the first level, dashed for the others); data points
    ``X`` (N, 2) with labels ``y`` (N,) in ``[0, K)`` are overlaid with one marker per class
    (give both or neither). ``levels`` are probabilities in (0, 1).
    """
    _check_ax(ax)
    check_callable(predict_proba, "predict_proba")
    xlim, ylim = _check_lim(xlim, "xlim"), _check_lim(ylim, "ylim")
    n = check_int(n, "n", minimum=2)
    if isinstance(levels, str) or not isinstance(levels, tuple | list | np.ndarray) \
            or len(levels) == 0:
        raise TypeError(f"levels must be a list of probabilities, got {describe(levels)}")
    levels = [check_number(v, f"levels[{i}]", low=0, high=1, low_open=True, high_open=True)
              for i, v in enumerate(levels)]
    if (X is None) != (y is None):
        raise ValueError("give both X and y (points and their labels), or neither")
    x1 = np.linspace(*xlim, n)
    x2 = np.linspace(*ylim, n)
    X1, X2 = np.meshgrid(x1, x2)
    points = np.column_stack([X1.ravel(), X2.ravel()])  # (n*n, 2)
    try:
        P = np.asarray(predict_proba(points), dtype=float)
    except (TypeError, ValueError):
        raise TypeError("predict_proba must return an array of probabilities (M, K)") from None
    if P.ndim != 2 or P.shape[0] != len(points) or P.shape[1] == 0:
        raise ValueError(f"predict_proba must return probabilities of shape (M, K) = "
                         f"({len(points)}, K) for M points, got {P.shape}")
    if not np.isfinite(P).all():
        raise ValueError(f"predict_proba must return finite probabilities, got "
                         f"{int((~np.isfinite(P)).sum())} NaN or inf")
    if P.min() < 0 or P.max() > 1:
        raise ValueError(f"predict_proba must return probabilities in [0, 1], got min "
                         f"{P.min():.3g}, max {P.max():.3g}")
    K = P.shape[1]
    if X is not None:
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != 2:
            raise ValueError(f"X must have shape (N, 2), got {X.shape}")
        y = check_labels(y, n=X.shape[0], k=K, name="y")
    colors = [f"C{k}" for k in range(K)]
    for k in range(K):
        ax.contour(X1, X2, P[:, k].reshape(X1.shape), levels=sorted(levels), colors=colors[k],
                   linestyles=["-", "--", ":"][: len(levels)], linewidths=1.5)
    if X is not None:
        for k in range(K):
            marker = STYLES[k % len(STYLES)][0]
            ax.scatter(*X[y == k].T, s=12, marker=marker, color=colors[k],
                       label=f"{word('class')} {k}", edgecolors="white", linewidths=0.3)
        ax.legend(fontsize="small")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax
