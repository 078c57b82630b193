"""Draw the book's logo and favicon: a handwritten 7 as the network sees it, 28×28 grey pixels.

The digit is drawn by code, the way a reader draws one on the pad of chapter 7: a few pen strokes
on a 280×280 canvas (:func:`mathlib.preprocess.draw_strokes`), then MNIST's own preprocessing
(:func:`mathlib.preprocess.preprocess_digit`: crop, scale into a 20×20 box, centre of mass on the
middle pixel). Each of the 28×28 grey levels becomes one square:

- ``_static/logo.png`` (256×256): every MNIST pixel an 8×8 square, with a one-pixel gap so the
  grid shows, on a transparent background;
- ``_static/favicon.png`` (32×32): every MNIST pixel one favicon pixel, a 28×28 image in a
  2-pixel light frame (the digit is exactly the size of a favicon).

Both are committed (``_config.yml`` points at them), and ``tests/test_book.py`` regenerates them
and compares the pixels, so they cannot drift from this script. After changing the drawing, run
``python tools/make_logo.py`` and commit the two files; ``--check`` only compares.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mathlib.preprocess import SIZE, draw_strokes, preprocess_digit  # noqa: E402

STATIC = ROOT / "_static"
#: A 7 with a hand's slight curve, in canvas pixels (x right, y down) on a 280×280 canvas.
STROKES = [
    [(62, 58), (120, 54), (176, 52), (214, 56)],
    [(214, 56), (196, 100), (170, 152), (146, 206), (132, 244)],
    [(110, 146), (150, 144), (196, 142)],
]
PEN = 26.0
PAPER = np.array([238, 241, 246], dtype=np.float64)  # a light blue-grey, readable on dark tabs
INK = np.array([24, 42, 110], dtype=np.float64)  # dark navy
CELL, GAP, LOGO = 8, 1, 256


def digit() -> np.ndarray:
    """The 7 as MNIST would store it: ``(28, 28)`` float in [0, 1], ink 1."""
    return preprocess_digit(draw_strokes(STROKES, size=280, pen=PEN)).astype(np.float64)


def colours(x: np.ndarray) -> np.ndarray:
    """Grey levels ``(H, W)`` in [0, 1] -> RGB ``(H, W, 3)`` uint8 between PAPER and INK."""
    return np.rint(PAPER + x[..., None] * (INK - PAPER)).astype(np.uint8)


def logo_pixels(x: np.ndarray) -> np.ndarray:
    """``(LOGO, LOGO, 4)`` RGBA: each pixel of ``x`` a CELL×CELL square, GAP pixels apart."""
    out = np.zeros((LOGO, LOGO, 4), np.uint8)
    margin = (LOGO - SIZE * CELL) // 2
    rgb = colours(x)
    for r in range(SIZE):
        for c in range(SIZE):
            y0, x0 = margin + r * CELL, margin + c * CELL
            out[y0:y0 + CELL - GAP, x0:x0 + CELL - GAP, :3] = rgb[r, c]
            out[y0:y0 + CELL - GAP, x0:x0 + CELL - GAP, 3] = 255
    return out


def favicon_pixels(x: np.ndarray) -> np.ndarray:
    """``(32, 32, 3)`` RGB: ``x`` pixel for pixel in a 2-pixel PAPER frame."""
    out = np.empty((SIZE + 4, SIZE + 4, 3), np.uint8)
    out[...] = PAPER.astype(np.uint8)
    out[2:-2, 2:-2] = colours(x)
    return out


def write(folder: Path) -> list[Path]:
    """Write logo.png and favicon.png into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    x = digit()
    paths = [folder / "logo.png", folder / "favicon.png"]
    Image.fromarray(logo_pixels(x), "RGBA").save(paths[0], optimize=True)
    Image.fromarray(favicon_pixels(x), "RGB").save(paths[1], optimize=True)
    return paths


def differences(folder: Path = STATIC) -> list[str]:
    """The committed files in ``folder`` that the script would draw differently."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for fresh in write(Path(tmp)):
            committed = folder / fresh.name
            if not committed.exists():
                problems.append(f"{committed} is missing")
                continue
            a = np.asarray(Image.open(fresh)).astype(int)
            b = np.asarray(Image.open(committed)).astype(int)
            if a.shape != b.shape or np.abs(a - b).max() > 1:  # one grey level of rounding
                problems.append(f"{committed} differs from what tools/make_logo.py draws")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the committed files instead of writing them")
    args = parser.parse_args(argv)
    if args.check:
        problems = differences()
        print("\n".join(problems) or "logo and favicon match tools/make_logo.py")
        return 1 if problems else 0
    for path in write(STATIC):
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
