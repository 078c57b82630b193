"""Input validators shared by every mathlib module.

Each validator either returns a clean value or raises an error that names the argument, says
what was expected and what came, e.g. ``y must have shape (N,) with N=5, got (5, 3)``:

- ``TypeError`` when the *kind* of object is wrong: a string where a number belongs, a float
  where an integer belongs, a list where a Generator belongs;
- ``ValueError`` when the kind is right but the value is not: a wrong shape, a negative size,
  a label out of range, a NaN.

Nothing is reshaped or guessed. The one cast is stated here and in the functions that use
it: :func:`as_float_array` keeps float32 and float64 as they are and turns integer, boolean
and float16 input into float64 (float16 keeps about 3 significant digits, too few for sums
such as a softmax denominator or a mean loss).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np

__all__ = [
    "as_float_array",
    "check_finite",
    "check_labels",
    "check_one_hot",
    "check_prob_rows",
    "check_same_shape",
    "check_rng",
    "check_int",
    "check_positive_int",
    "check_number",
    "check_bool",
    "check_choice",
    "check_callable",
    "check_mapping",
    "check_shape",
    "check_float_dtype",
    "describe",
    "resolve_targets",
]

_KEPT_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def describe(value) -> str:
    """A short account of what a caller passed, for error messages.

    Arrays are described by dtype and shape, anything else by a (shortened) ``repr`` and
    its type, e.g. ``'0.5' (str)``.
    """
    if isinstance(value, np.ndarray):
        return f"a {value.dtype} array of shape {value.shape}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def _name(name, arg: str = "name") -> str:
    """The validators' own ``name`` argument: the checked argument's name, for messages."""
    if not isinstance(name, str):
        raise TypeError(f"{arg} must be a str (the checked argument's name), got "
                        f"{describe(name)}")
    return name


def _ndims(ndim) -> tuple[int, ...] | None:
    if ndim is None:
        return None
    if type(ndim) is int and ndim >= 0:  # the common case, kept cheap (every forward pass)
        return (ndim,)
    allowed = ndim if isinstance(ndim, tuple | list) else (ndim,)
    for i, a in enumerate(allowed):
        check_int(a, "ndim" if allowed is not ndim else f"ndim[{i}]", minimum=0)
    return tuple(allowed)


def _optional_size(value, name, minimum):
    return None if value is None else check_int(value, name, minimum=minimum)


def check_float_dtype(dtype, name: str = "dtype") -> np.dtype:
    """Return ``np.dtype(dtype)`` if it is float32 or float64, else raise.

    ``None`` is refused (NumPy would silently read it as float64).
    """
    _name(name)
    if dtype is None:
        raise TypeError(f"{name} must be np.float32 or np.float64, got None")
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{name} must be np.float32 or np.float64, got {describe(dtype)}") from None
    if dt not in _KEPT_FLOATS:
        raise ValueError(f"{name} must be float32 or float64, got {dt}")
    return dt


def as_float_array(x, name: str, ndim: int | tuple[int, ...] | None = None, *,
                   finite: bool = True) -> np.ndarray:
    """Return ``x`` as a floating-point ndarray, checking its number of dimensions.

    Float32/float64 arrays are returned as they are (no copy); integer, boolean, float16
    and Python-number input becomes float64. Complex, object and string input is refused
    with a ``TypeError``, ragged nested lists with a ``ValueError``.

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
    _name(name)
    allowed = _ndims(ndim)
    finite = check_bool(finite, "finite")
    try:
        arr = np.asarray(x)
    except ValueError:  # NumPy refuses ragged nested sequences
        raise ValueError(
            f"{name} must be a rectangular array of numbers, got a ragged {type(x).__name__}"
        ) from None
    kind = arr.dtype.kind
    if kind in "biu" or (kind == "f" and arr.dtype not in _KEPT_FLOATS):
        arr = arr.astype(np.float64)
    elif kind != "f":
        raise TypeError(f"{name} must be an array of real numbers, got {describe(x)}")
    if allowed is not None:
        if arr.ndim not in allowed:
            want = " or ".join(str(a) for a in allowed)
            raise ValueError(
                f"{name} must have {want} dimension(s), got shape {arr.shape} ({arr.ndim}-D)"
            )
    if finite:
        check_finite(arr, name)
    return arr


def check_finite(x: np.ndarray, name: str) -> np.ndarray:
    """Raise ``ValueError`` if ``x`` contains NaN or +-inf; return ``x`` unchanged.

    ``x`` must be an array of real numbers (or something NumPy turns into one).
    """
    _name(name)
    arr = as_float_array(x, name, finite=False) if not isinstance(x, np.ndarray) else x
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of real numbers, got {describe(x)}")
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        n_nan = int(np.isnan(arr).sum())
        n_inf = int(np.isinf(arr).sum())
        raise ValueError(f"{name} must be finite, got {n_nan} NaN and {n_inf} inf entries")
    return arr


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise ``ValueError`` unless ``a`` and ``b`` (arrays or nested lists) have one shape."""
    shape_a = _shape(a, _name(name_a, "name_a"))
    shape_b = _shape(b, _name(name_b, "name_b"))
    if shape_a != shape_b:
        raise ValueError(
            f"{name_b} must have the same shape as {name_a} {shape_a}, got {shape_b}"
        )


def _shape(x, name) -> tuple[int, ...]:
    try:
        return np.shape(x)
    except ValueError:
        raise ValueError(f"{name} must be a rectangular array, got a ragged "
                         f"{type(x).__name__}") from None


def check_labels(y, n: int | None = None, k: int | None = None, name: str = "y") -> np.ndarray:
    """Validate integer class labels ``y`` of shape ``(N,)`` with values in ``[0, K)``.

    Floats are accepted only if every value is a whole number. The range is checked in
    the labels' own dtype, before any cast, so ``1e20`` or a uint64 above ``2**63`` is
    reported as it is (not as the number a cast to int64 would wrap it to).

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
    _name(name)
    n = _optional_size(n, "n", 0)
    k = _optional_size(k, "k", 0)  # K = 0 classes: then no label is valid
    try:
        arr = np.asarray(y)
    except ValueError:
        raise ValueError(f"{name} must be a 1-D array of integer labels, got a ragged "
                         f"{type(y).__name__}") from None
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold integer class labels, got {describe(y)}")
    if arr.ndim != 1 or (n is not None and arr.shape[0] != n):
        n_txt = f" with N={n}" if n is not None else ""
        raise ValueError(f"{name} must have shape (N,){n_txt}, got {arr.shape}")
    if arr.size == 0:
        return arr.astype(np.int64)
    if arr.dtype.kind == "f":
        whole = np.isfinite(arr) & (arr == np.round(arr))
        if not whole.all():
            i = int(np.argmin(whole))
            raise ValueError(f"{name} must hold integer class labels, got {arr[i]} at index {i}")
    lo, hi = arr.min().item(), arr.max().item()
    top = k if k is not None else np.iinfo(np.int64).max + 1
    if lo < 0 or hi >= top:
        want = f"[0, {k}) for K={k} classes" if k is not None else "[0, 2**63)"
        raise ValueError(f"{name} must hold labels in {want}, got min {lo}, max {hi}")
    return arr.astype(np.int64)


def check_prob_rows(Y, n: int | None = None, k: int | None = None, name: str = "Y",
                    atol: float = 1e-6) -> np.ndarray:
    """Validate a target matrix ``Y (N, K)`` whose rows are probability vectors.

    Every entry must lie in ``[0, 1]`` and every row must sum to 1 within
    ``max(atol, 10 K eps)``, where ``eps`` is the machine epsilon of ``Y``'s *own* dtype
    (before any cast): rows rounded to float16 or float32 sum to 1 only to that precision.
    One-hot rows are the special case with a single 1 per row.
    """
    n = _optional_size(n, "n", 0)
    k = _optional_size(k, "k", 0)
    atol = check_number(atol, "atol", low=0)
    src = np.asarray(Y).dtype if isinstance(Y, np.ndarray) else np.dtype(np.float64)
    arr = as_float_array(Y, name, ndim=2)
    if (n is not None and arr.shape[0] != n) or (k is not None and arr.shape[1] != k):
        want = f"({n if n is not None else 'N'}, {k if k is not None else 'K'})"
        raise ValueError(f"{name} must have shape (N, K) = {want}, got {arr.shape}")
    if arr.size:
        lo, hi = arr.min(), arr.max()
        if lo < 0 or hi > 1:
            raise ValueError(f"{name} must hold probabilities in [0, 1], got min {lo}, max {hi}")
    if arr.shape[0]:  # rows of K = 0 entries sum to 0, not 1
        eps = np.finfo(src if src.kind == "f" else np.float64).eps
        tol = max(atol, 10 * float(eps) * arr.shape[1])
        sums = arr.sum(axis=1)
        bad = np.abs(sums - 1) > tol
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(f"{name} rows must sum to 1, row {i} sums to {sums[i]}")
    return arr


def check_one_hot(Y, n: int | None = None, k: int | None = None, name: str = "Y") -> np.ndarray:
    """Validate a one-hot matrix ``Y (N, K)``: entries 0 or 1, exactly one 1 per row."""
    n = _optional_size(n, "n", 0)
    k = _optional_size(k, "k", 0)
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
    n = check_int(n, "n", minimum=0)
    k = check_int(k, "k", minimum=0)
    dtype = check_float_dtype(dtype)
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
    """Raise ``TypeError`` unless ``rng`` is a ``np.random.Generator``."""
    _name(name)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{name} must be a np.random.Generator (e.g. np.random.default_rng(0)), "
            f"got {describe(rng)}"
        )
    return rng


def check_int(value, name: str, *, minimum: int | None = None) -> int:
    """Return ``value`` as a Python int; it must be an integer (not a bool, not a float).

    ``2.0`` is refused like ``2.5``: a float where a count belongs is usually a slip
    (``n / 2`` instead of ``n // 2``), and truncating it would hide that.
    """
    _name(name)
    if minimum is not None and type(minimum) is not int and (
            isinstance(minimum, bool) or not isinstance(minimum, numbers.Integral)):
        raise TypeError(f"minimum must be an integer or None, got {describe(minimum)}")
    if type(value) is not int and (isinstance(value, bool | np.bool_)
                                   or not isinstance(value, numbers.Integral)):
        raise TypeError(f"{name} must be an integer, got {describe(value)}")
    if minimum is not None and value < minimum:
        want = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise ValueError(f"{name} must be {want}, got {value!r}")
    return int(value)


def check_positive_int(value, name: str) -> int:
    """Return ``value`` as int if it is an integer >= 1 (see :func:`check_int`)."""
    return check_int(value, name, minimum=1)


def _interval(low, high, low_open, high_open) -> str:
    if low is not None and high is not None:
        return f"in {'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"
    if low is not None:
        return f"{'>' if low_open else '>='} {low}"
    return f"{'<' if high_open else '<='} {high}"


def check_number(value, name: str, *, low=None, high=None, low_open: bool = False,
                 high_open: bool = False) -> float:
    """Return ``value`` as a Python float: a finite real number inside the given bounds.

    Python and NumPy ints and floats (and 0-d arrays of them) are accepted; strings,
    booleans, None and sequences raise ``TypeError``; NaN, inf and values outside
    ``[low, high]`` (``(low, ...`` with ``low_open``) raise ``ValueError``.
    """
    _name(name)
    for bound, bound_name in ((low, "low"), (high, "high")):
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, numbers.Real)
                                  or not np.isfinite(bound)):
            raise TypeError(f"{bound_name} must be a finite number or None, got "
                            f"{describe(bound)}")
    low_open = check_bool(low_open, "low_open")
    high_open = check_bool(high_open, "high_open")
    v = value
    if isinstance(v, np.ndarray) and v.ndim == 0 and v.dtype.kind in "iuf":
        v = v.item()
    if isinstance(v, bool | np.bool_) or not isinstance(v, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {describe(value)}")
    v = float(v)
    if not np.isfinite(v):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if (low is not None and (v < low or (low_open and v == low))) or (
            high is not None and (v > high or (high_open and v == high))):
        raise ValueError(
            f"{name} must be {_interval(low, high, low_open, high_open)}, got {value!r}")
    return v


def check_bool(value, name: str) -> bool:
    """Return ``value`` as a bool; it must be ``True`` or ``False`` (NumPy bools too)."""
    if (value is True or value is False) and type(name) is str:  # the common case, cheap
        return value
    _name(name)
    if not isinstance(value, np.bool_):
        raise TypeError(f"{name} must be True or False, got {describe(value)}")
    return bool(value)


def check_choice(value, name: str, options) -> str:
    """Return ``value`` if it is one of the strings ``options`` (a list or tuple), else raise."""
    _name(name)
    if (not isinstance(options, tuple | list) or not options
            or not all(isinstance(o, str) for o in options)):
        raise TypeError(f"options must be a non-empty list of strings, got {describe(options)}")
    listed = ", ".join(repr(o) for o in options)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {listed}, got {describe(value)}")
    if value not in options:
        raise ValueError(f"{name} must be one of {listed}, got {value!r}")
    return value


def check_callable(value, name: str):
    """Raise ``TypeError`` unless ``value`` can be called (a function, a method, ...)."""
    _name(name)
    if not callable(value):
        raise TypeError(
            f"{name} must be a function (pass the function itself, not the result of "
            f"calling it), got {describe(value)}"
        )
    return value


def check_mapping(value, name: str) -> Mapping:
    """Raise ``TypeError`` unless ``value`` is a dict (any ``Mapping``)."""
    _name(name)
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict of arrays, got {describe(value)}")
    return value


def check_shape(shape, name: str = "shape") -> tuple[int, ...]:
    """Return an array shape as a tuple of ints >= 0; an int ``n`` means ``(n,)``."""
    _name(name)
    if isinstance(shape, int | np.integer) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, tuple | list):
        raise TypeError(f"{name} must be a tuple of non-negative ints, got {describe(shape)}")
    return tuple(check_int(s, f"{name}[{i}]", minimum=0) for i, s in enumerate(shape))
