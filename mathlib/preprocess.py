r"""Turn a drawing into an MNIST digit: the preprocessing MNIST's own digits went through.

LeCun, Cortes and Burges describe how MNIST was made from NIST's black-and-white scans: each
digit was *size-normalised to fit a 20×20 box while preserving its aspect ratio*, which made it
grey through *anti-aliasing*, and then *centred in a 28×28 image by its centre of mass*. A
network trained on those images has only ever seen digits of that size, at that place, with
strokes about two pixels wide. A digit drawn in a corner of a canvas, or filling all of it, lies
outside that distribution, and the network's answer on it means little. :func:`preprocess_digit`
applies the same three steps to a drawing, so the drawing meets the network where its training
data lived.

The steps, for a grey canvas :math:`C` of shape ``(H, W)`` with ink in :math:`[0, 1]`:

1. **Crop to the ink.** The bounding box of the pixels with :math:`C > 0` gives an ink image of
   shape ``(h, w)``. Position and canvas size are gone.
2. **Scale into 20×20, keeping the aspect ratio.** With :math:`s = 20 / \max(h, w)` the ink
   becomes :math:`h' = \lfloor s h + \tfrac12 \rfloor` by :math:`w' = \lfloor s w + \tfrac12
   \rfloor` pixels (at least 1): the longer side is exactly 20, as in 99.7 % of MNIST's
   training digits. The resampling is *area averaging* (:func:`resize_area`): each new pixel is
   the mean of the canvas area it covers. That is the anti-aliasing: a stroke edge that half
   covers a pixel gives a half-grey pixel. It is linear and separable,
   :math:`I' = A_y\, I\, A_x^\top`, with :math:`A_{ij}` = (overlap of source pixel :math:`j`
   with target pixel :math:`i`) / (source pixels per target pixel).
3. **Ink level.** The result is divided by its maximum, so the darkest pixel is 1: 90 % of
   MNIST's training digits reach exactly 1 (255), and a faint or thin stroke otherwise reaches
   the network as a pale ghost of a digit.
4. **Centre by centre of mass.** With pixel centres at integer coordinates, the mean position
   of the ink, weighted by its grey level, is :math:`(\bar r, \bar c) = \sum_{rc} I'_{rc}\,(r, c)
   / \sum_{rc} I'_{rc}`. On MNIST's own digits it lies within half a pixel of (14, 14) (all
   of them; the mean is (14.00, 14.01)), so that is where the ink is placed: at the whole-pixel
   offset :math:`\lfloor 14 - \bar r + \tfrac12 \rfloor`, :math:`\lfloor 14 - \bar c +
   \tfrac12 \rfloor`. A whole-pixel shift keeps the values exact (no second blur); the centre
   of mass then lies within half a pixel of (14, 14), like MNIST's. Ink that the shift pushes
   past the border (only possible for very lopsided digits) is cut off.

The result is ``(28, 28)`` float32 in :math:`[0, 1]`, like one row of
``load_mnist(scale="float")`` reshaped. The page's JavaScript (``mathlib/static/drawpad.js``)
implements the same steps line by line; ``tests/test_drawpad.py`` holds the two equal.

:func:`draw_strokes` rasterises polylines with a round pen, as a canvas does, so tests and
chapters can make drawings without a mouse.
"""

from __future__ import annotations

import functools

import numpy as np

from .checks import as_float_array, check_number, check_positive_int, describe

__all__ = ["resize_area", "center_of_mass", "preprocess_digit", "draw_strokes"]

#: Side of the box the longer side of the ink is scaled to (MNIST: 20).
BOX = 20
#: Side of the output image (MNIST: 28).
SIZE = 28
#: Where the centre of mass goes, in pixel-index coordinates (MNIST's digits: (14, 14)).
CENTER = 14.0


def _round_half_up(x: float) -> int:
    """``floor(x + 1/2)``: JavaScript's ``Math.round``, so both sides round alike."""
    return int(np.floor(x + 0.5))


@functools.lru_cache(maxsize=256)
def _area_matrix(n: int, m: int) -> np.ndarray:
    """``A (m, n)``: target pixel ``i`` averages source pixels over ``[i n/m, (i+1) n/m)``."""
    r = n / m  # source pixels per target pixel
    lo = np.arange(m)[:, None] * r
    j = np.arange(n)[None, :]
    overlap = np.clip(np.minimum(j + 1, lo + r) - np.maximum(j, lo), 0.0, None)
    A = overlap / r
    A.flags.writeable = False  # shared by the cache
    return A


def _check_image(image, name: str) -> np.ndarray:
    img = as_float_array(image, name, ndim=2)
    if min(img.shape) < 1:
        raise ValueError(f"{name} must have shape (H, W) with H, W >= 1, got {img.shape}")
    if img.min() < 0 or img.max() > 1:
        raise ValueError(f"{name} must hold grey levels in [0, 1], got values in "
                         f"[{img.min():.3g}, {img.max():.3g}]")
    return img.astype(np.float64)


def resize_area(image, shape) -> np.ndarray:
    r"""Resample ``image (H, W)`` to ``shape = (h, w)`` by area averaging.

    .. math:: I' = A_y\, I\, A_x^\top, \qquad A_{ij} = \frac{|[j, j+1) \cap [i r, (i+1) r)|}{r},
              \quad r = n / m

    for each axis (``n`` source, ``m`` target pixels). Each output pixel is the mean of the
    input area it covers, so the mean grey level is kept and the values stay within the input's
    range. Returns float64 ``(h, w)``.
    """
    img = _check_image(image, "image")
    if not isinstance(shape, tuple | list) or len(shape) != 2:
        raise TypeError(f"shape must be a pair (h, w) of positive ints, got {describe(shape)}")
    h = check_positive_int(shape[0], "shape[0]")
    w = check_positive_int(shape[1], "shape[1]")
    out = _area_matrix(img.shape[0], h) @ img @ _area_matrix(img.shape[1], w).T
    # a mean of the input lies within its range; clip the last-bit rounding (1 + 1e-16)
    return np.clip(out, img.min(), img.max())


def center_of_mass(image) -> tuple[float, float]:
    r"""Grey-level centre of mass ``(row, col)`` of ``image (H, W)``, pixel centres at integers.

    .. math:: (\bar r, \bar c) = \frac{\sum_{rc} I_{rc}\,(r, c)}{\sum_{rc} I_{rc}}

    Raises ``ValueError`` if the image has no ink (all zeros).
    """
    img = _check_image(image, "image")
    mass = img.sum()
    if mass <= 0:
        raise ValueError("image has no ink (all pixels are 0), so it has no centre of mass")
    rows = img.sum(axis=1) @ np.arange(img.shape[0]) / mass
    cols = img.sum(axis=0) @ np.arange(img.shape[1]) / mass
    return float(rows), float(cols)


def preprocess_digit(canvas) -> np.ndarray:
    """MNIST's preprocessing of a drawing: crop, scale into 20×20, normalise ink, centre by mass.

    Parameters
    ----------
    canvas : array_like, shape (H, W)
        Grey levels in [0, 1], 1 = ink (a canvas's alpha channel / 255, or :func:`draw_strokes`).

    Returns
    -------
    ndarray, shape (28, 28), float32 in [0, 1]
        What the network sees; ``.reshape(1, 784)`` gives one row like ``load_mnist``'s.

    Raises ``ValueError("canvas has no ink ...")`` for an empty canvas. See the module
    docstring for the derivation of each step.
    """
    img = _check_image(canvas, "canvas")
    ink = img > 0
    if not ink.any():
        raise ValueError(f"canvas has no ink: all {img.size} pixels are 0; draw a digit first")
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    crop = img[rows[0]: rows[-1] + 1, cols[0]: cols[-1] + 1]  # 1. crop to the ink
    h, w = crop.shape
    s = BOX / max(h, w)  # 2. longer side -> 20, aspect kept
    small = resize_area(crop, (max(1, _round_half_up(h * s)), max(1, _round_half_up(w * s))))
    small /= small.max()  # 3. darkest pixel = 1
    r, c = center_of_mass(small)  # 4. centre of mass -> (14, 14)
    oy, ox = _round_half_up(CENTER - r), _round_half_up(CENTER - c)
    out = np.zeros((SIZE, SIZE), np.float64)
    y0, x0 = max(oy, 0), max(ox, 0)
    y1, x1 = min(oy + small.shape[0], SIZE), min(ox + small.shape[1], SIZE)
    out[y0:y1, x0:x1] = small[y0 - oy: y1 - oy, x0 - ox: x1 - ox]
    return np.clip(out, 0.0, 1.0).astype(np.float32)


def draw_strokes(strokes, size: int = 280, pen: float = 20.0) -> np.ndarray:
    r"""Rasterise polylines with a round pen on a ``(size, size)`` canvas (ink 1, paper 0).

    Each pixel (centre at ``(x + 1/2, y + 1/2)``) gets :math:`\mathrm{clip}(p/2 - d + 1/2,
    0, 1)`, with :math:`d` its distance to the nearest segment and :math:`p` the pen width: a
    one-pixel anti-aliased edge, like a canvas's ``lineCap = lineJoin = "round"`` stroke.

    Parameters
    ----------
    strokes : list of array_like, each (P, 2)
        Points ``(x, y)`` in canvas pixels (x to the right, y down); a stroke with one point is
        a dot.
    size : int
    pen : float
        Pen width in pixels (> 0).

    Returns ``(size, size)`` float64 in [0, 1].
    """
    size = check_positive_int(size, "size")
    pen = check_number(pen, "pen", low=0, low_open=True)
    if not isinstance(strokes, list | tuple) or not strokes:
        raise TypeError(f"strokes must be a non-empty list of (P, 2) point arrays, "
                        f"got {describe(strokes)}")
    dist = np.full((size, size), np.inf)
    reach = pen / 2 + 1  # pixels farther than this from a segment get no ink from it
    for k, stroke in enumerate(strokes):
        P = as_float_array(stroke, f"strokes[{k}]", ndim=2)
        if P.shape[0] < 1 or P.shape[1] != 2:
            raise ValueError(f"strokes[{k}] must have shape (P, 2) with P >= 1, got {P.shape}")
        segments = zip(P[:-1], P[1:], strict=True) if len(P) > 1 else [(P[0], P[0])]
        for a, b in segments:
            # only the window around the segment can change (keeps long strokes cheap)
            x0, x1 = (int(np.clip(np.floor(v), 0, size)) for v in
                      (min(a[0], b[0]) - reach, max(a[0], b[0]) + reach + 1))
            y0, y1 = (int(np.clip(np.floor(v), 0, size)) for v in
                      (min(a[1], b[1]) - reach, max(a[1], b[1]) + reach + 1))
            if x0 >= x1 or y0 >= y1:
                continue
            py, px = np.meshgrid(np.arange(y0, y1) + 0.5, np.arange(x0, x1) + 0.5, indexing="ij")
            d = b - a
            L2 = float(d @ d)
            t = 0.0 if L2 == 0 else np.clip(((px - a[0]) * d[0] + (py - a[1]) * d[1]) / L2, 0, 1)
            dist[y0:y1, x0:x1] = np.minimum(dist[y0:y1, x0:x1],
                                            np.hypot(px - a[0] - t * d[0], py - a[1] - t * d[1]))
    return np.clip(pen / 2 - dist + 0.5, 0.0, 1.0)
