"""Plot helpers shared by the chapters.

Every helper draws on the ``ax`` (or array of axes) it is given and returns it; none calls
``plt.show()`` or changes global settings, so the same helper serves a notebook figure, a
slider's figure (:mod:`mathlib.widgets`) and a test. Colour maps are perceptually uniform and
colour-blind safe (viridis, cividis; a diverging map only for signed quantities), and curves
differ by marker and line style as well as colour.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

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


def plot_image(ax, image, *, title: str | None = None, cmap: str = "gray_r",
               symmetric: bool = False, colorbar: bool = False):
    """Show one image (H, W) or a flat 784-vector as 28 x 28, without ticks.

    ``symmetric=True`` centres a diverging map at 0 (for signed weights: red and blue are
    told apart by lightness as well as hue in ``RdBu``).
    """
    img = np.asarray(image, dtype=float)
    if img.ndim == 1:
        side = int(round(np.sqrt(img.size)))
        if side * side != img.size:
            raise ValueError(f"a flat image must have a square size, got {img.size}")
        img = img.reshape(side, side)
    if img.ndim != 2:
        raise ValueError(f"image must have shape (H, W) or (H*W,), got {np.shape(image)}")
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
    """Show ``images`` (N, 28, 28) or (N, 784) on an array of axes, one per image.

    Axes beyond the number of images are hidden. Extra keywords go to :func:`plot_image`.
    """
    axes = np.asarray(axes).ravel()
    images = np.asarray(images)
    if len(images) > axes.size:
        raise ValueError(f"{len(images)} images but only {axes.size} axes")
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
    cm = np.asarray(cm, dtype=float)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"cm must have shape (K, K), got {cm.shape}")
    K = cm.shape[0]
    shown = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1) if normalize else cm
    # A log-like scale keeps the off-diagonal errors visible next to the large diagonal.
    ax.imshow(np.log1p(shown * (100 if normalize else 1)), cmap="cividis")
    names = list(class_names) if class_names is not None else [str(k) for k in range(K)]
    ax.set_xticks(range(K), names)
    ax.set_yticks(range(K), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
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
    """Plot named curves ``{label: (x, y)}`` with distinct markers and line styles."""
    for k, (label, (x, y)) in enumerate(curves.items()):
        marker, ls = STYLES[k % len(STYLES)]
        x = np.asarray(x)
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
    logarithmically (for valleys, where the interesting contours are close to the minimum).
    Returns the contour set.
    """
    x1 = np.linspace(*xlim, n)
    x2 = np.linspace(*ylim, n)
    X1, X2 = np.meshgrid(x1, x2)
    F = np.asarray(f(X1, X2), dtype=float)
    if F.shape != X1.shape:
        raise ValueError(f"f must return shape {X1.shape}, got {F.shape}")
    if log and isinstance(levels, int):
        lo = max(float(np.nanmin(F)), 1e-12)
        lo = max(lo, float(np.nanmax(F)) * 1e-8)
        levels = np.geomspace(lo, float(np.nanmax(F)), levels)
    draw = ax.contourf if filled else ax.contour
    cs = draw(X1, X2, F, levels=levels, cmap=cmap)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    return cs


def plot_path(ax, path, *, label: str | None = None, style: int = 0, color=None):
    """Draw an optimisation path (T, 2) with its start and end marked; returns the line."""
    path = np.asarray(path, dtype=float)
    if path.ndim != 2 or path.shape[1] != 2:
        raise ValueError(f"path must have shape (T, 2), got {path.shape}")
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
    ``X`` (N, 2) with labels ``y`` (N,) are overlaid with one marker per class.
    """
    x1 = np.linspace(*xlim, n)
    x2 = np.linspace(*ylim, n)
    X1, X2 = np.meshgrid(x1, x2)
    P = np.asarray(predict_proba(np.column_stack([X1.ravel(), X2.ravel()])))
    K = P.shape[1]
    colors = [f"C{k}" for k in range(K)]
    for k in range(K):
        ax.contour(X1, X2, P[:, k].reshape(X1.shape), levels=sorted(levels), colors=colors[k],
                   linestyles=["-", "--", ":"][: len(levels)], linewidths=1.5)
    if X is not None and y is not None:
        X = np.asarray(X)
        y = np.asarray(y)
        for k in range(K):
            marker = STYLES[k % len(STYLES)][0]
            ax.scatter(*X[y == k].T, s=12, marker=marker, color=colors[k], label=f"class {k}",
                       edgecolors="white", linewidths=0.3)
        ax.legend(fontsize="small")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax
