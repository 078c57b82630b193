"""Input validators shared by every mathlib module.

Each validator either returns a clean array or raises a ``ValueError`` that names the
argument, what was expected and what was received, e.g.
``y must have shape (N,) with N=5, got (5, 3)``. Nothing is reshaped or cast silently
except where the function says so (``as_float_array`` turns integer input into float64).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "as_float_array",
    "check_finite",
    "check_labels",
    "check_one_hot",
    "check_prob_rows",
    "check_same_shape",
    "check_rng",
    "check_positive_int",
    "check_float_dtype",
    "resolve_targets",
]

_FLOAT_KINDS = "f"


def check_float_dtype(dtype) -> np.dtype:
    """Return ``np.dtype(dtype)`` if it is float32 or float64, else raise ``ValueError``."""
    dt = np.dtype(dtype)
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64, got {dt}")
    return dt


def as_float_array(x, name: str, ndim: int | tuple[int, ...] | None = None, *,
                   finite: bool = True) -> np.ndarray:
    """Return ``x`` as a floating-point ndarray, checking its number of dimensions.

    Float32/float64 arrays are returned as they are (no copy); integer, boolean and
    Python-number input becomes float64. Complex, object and string input is refused.

    Parameters
    ----------
    x : array_like
    name : str
        Used in error messages, e.g. ``"Z"``.
    ndim : int or tuple of int, optional
        Allowed numbers of dimensions.
    finite : bool
        If True (default), NaN or inf anywhere raises ``ValueError``.
    """
    arr = np.asarray(x)
    if arr.dtype.kind in "biu":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind == "f":
        if arr.dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
            arr = arr.astype(np.float64)
    else:
        raise ValueError(f"{name} must be a real numeric array, got dtype {arr.dtype}")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(str(a) for a in allowed)
            raise ValueError(
                f"{name} must have {want} dimension(s), got shape {arr.shape} ({arr.ndim}-D)"
            )
    if finite:
        check_finite(arr, name)
    return arr


def check_finite(x: np.ndarray, name: str) -> np.ndarray:
    """Raise ``ValueError`` if ``x`` contains NaN or +-inf; return ``x`` unchanged."""
    arr = np.asarray(x)
    if arr.dtype.kind in "fc" and not np.isfinite(arr).all():
        n_nan = int(np.isnan(arr).sum())
        n_inf = int(np.isinf(arr).sum())
        raise ValueError(f"{name} must be finite, got {n_nan} NaN and {n_inf} inf entries")
    return arr


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise ``ValueError`` unless ``a.shape == b.shape``."""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_b} must have the same shape as {name_a} {a.shape}, got {b.shape}"
        )


def check_labels(y, n: int | None = None, k: int | None = None, name: str = "y") -> np.ndarray:
    """Validate integer class labels ``y`` of shape ``(N,)`` with values in ``[0, K)``.

    Parameters
    ----------
    y : array_like of int, shape (N,)
    n : int, optional
        Required number of labels N.
    k : int, optional
        Number of classes K; every label must satisfy ``0 <= y[i] < K``.

    Returns
    -------
    y : ndarray of int64, shape (N,)
    """
    arr = np.asarray(y)
    if arr.dtype.kind == "f":
        if arr.size and not np.all(np.isfinite(arr) & (arr == np.round(arr))):
            raise ValueError(f"{name} must hold integer class labels, got non-integer floats")
        # Floats holding whole numbers are accepted only if they are exactly integral.
        arr = arr.astype(np.int64)
    elif arr.dtype.kind not in "iu":
        raise ValueError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
    if arr.ndim != 1 or (n is not None and arr.shape[0] != n):
        n_txt = f" with N={n}" if n is not None else ""
        raise ValueError(f"{name} must have shape (N,){n_txt}, got {arr.shape}")
    arr = arr.astype(np.int64, copy=False)
    if k is not None and arr.size:
        lo, hi = int(arr.min()), int(arr.max())
        if lo < 0 or hi >= k:
            raise ValueError(
                f"{name} must hold labels in [0, {k}) for K={k} classes, got min {lo}, max {hi}"
            )
    return arr


def check_prob_rows(Y, n: int | None = None, k: int | None = None, name: str = "Y",
                    atol: float = 1e-6) -> np.ndarray:
    """Validate a target matrix ``Y (N, K)`` whose rows are probability vectors.

    Every entry must lie in ``[0, 1]`` and every row must sum to 1 (within ``atol``
    scaled for float32). One-hot rows are the special case with a single 1 per row.
    """
    arr = as_float_array(Y, name, ndim=2)
    if (n is not None and arr.shape[0] != n) or (k is not None and arr.shape[1] != k):
        want = f"({n if n is not None else 'N'}, {k if k is not None else 'K'})"
        raise ValueError(f"{name} must have shape (N, K) = {want}, got {arr.shape}")
    if arr.size:
        if arr.min() < 0 or arr.max() > 1:
            raise ValueError(
                f"{name} must hold probabilities in [0, 1], got min {arr.min()}, max {arr.max()}"
            )
        tol = max(atol, 10 * np.finfo(arr.dtype).eps * arr.shape[1])
        sums = arr.sum(axis=1)
        bad = np.abs(sums - 1) > tol
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(f"{name} rows must sum to 1, row {i} sums to {sums[i]}")
    return arr


def check_one_hot(Y, n: int | None = None, k: int | None = None, name: str = "Y") -> np.ndarray:
    """Validate a one-hot matrix ``Y (N, K)``: entries 0 or 1, exactly one 1 per row."""
    arr = as_float_array(Y, name, ndim=2)
    if (n is not None and arr.shape[0] != n) or (k is not None and arr.shape[1] != k):
        want = f"({n if n is not None else 'N'}, {k if k is not None else 'K'})"
        raise ValueError(f"{name} must have shape (N, K) = {want}, got {arr.shape}")
    if not np.all((arr == 0) | (arr == 1)) or not np.all(arr.sum(axis=1) == 1):
        raise ValueError(f"{name} must be one-hot: entries 0 or 1 with exactly one 1 per row")
    return arr


def resolve_targets(y, Y, n: int, k: int, dtype) -> np.ndarray:
    """Turn exactly one of ``y (N,)`` (int labels) or ``Y (N, K)`` (probability rows) into ``Y``.

    Raises ``ValueError`` if both or neither are given: mathlib never guesses the
    target format from array sizes.

    Returns
    -------
    Y : ndarray, shape (N, K), in ``dtype`` (a new array when built from ``y``).
    """
    if (y is None) == (Y is None):
        raise ValueError(
            "give exactly one of y= (integer labels, shape (N,)) or Y= (one-hot or "
            "probability rows, shape (N, K)); got "
            + ("both" if y is not None else "neither")
        )
    if y is not None:
        labels = check_labels(y, n=n, k=k, name="y")
        out = np.zeros((n, k), dtype=dtype)
        out[np.arange(n), labels] = 1
        return out
    targets = check_prob_rows(Y, n=n, k=k, name="Y")
    return targets.astype(dtype, copy=False)


def check_rng(rng, name: str = "rng") -> np.random.Generator:
    """Raise ``ValueError`` unless ``rng`` is a ``np.random.Generator``."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"{name} must be a np.random.Generator (e.g. np.random.default_rng(0)), "
            f"got {type(rng).__name__}"
        )
    return rng


def check_positive_int(value, name: str) -> int:
    """Return ``value`` as int if it is a positive integer, else raise ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)
