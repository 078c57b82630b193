"""Hostile input for every public function, class and method of mathlib (issue 18).

The test discovers the API itself: it walks every public module of the package (``pkgutil``,
skipping private ``_`` modules, so modules added later are included) and reads each
``__all__``; classes bring their public methods. Every name found must have an entry in
``SPECS``, the table below that says how to build *valid* arguments for it. A name without an
entry fails :func:`test_every_public_name_has_an_entry`, so nothing added later is forgotten.

From the valid arguments the test derives bad ones, one argument at a time: wrong types
(strings, None, lists, bools), NaN and inf, wrong numbers of dimensions and sizes that do not
match another argument, an empty batch (N = 0) or any other size 0, out-of-range, fractional
and overflowing labels (1e20, uint64 2**63), zero and negative sizes, floats where integers
belong, unknown options. Hypothesis draws the sizes and values. Every call must end in one of

- a *clear error*: ``ValueError`` or ``TypeError`` whose message names the argument (or, for a
  size that does not match, one of the arguments that share the size); or
- a *correct result*: for input that is unusual but valid (float16/float32/integer arrays, an
  empty batch where the docstring allows it, NumPy scalars) the result must be finite and
  equal the same call with the plain float64/int version, to the precision of the dtype.

Anything else fails: another exception type, a message that does not name the argument, a
RuntimeWarning, a bad value accepted silently, NaN or inf in a result, a different result.

``python tests/test_bad_input.py`` runs the same sweep and prints the tally: calls tried,
clear errors, correct results, and the (zero) obscure or silently wrong ones.
"""

from __future__ import annotations

import gzip
import importlib
import inspect
import math
import pkgutil
import re
import struct
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import mathlib  # noqa: E402

# ---------------------------------------------------------------------------------------------
# Discovery
# ---------------------------------------------------------------------------------------------


def public_modules():
    """Every importable public module of mathlib (no path component starting with ``_``)."""
    modules = []
    for info in pkgutil.walk_packages(mathlib.__path__, "mathlib."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            modules.append(importlib.import_module(info.name))
    return modules


def _key(module, name, obj):
    """One key per object, wherever it is re-exported: where it was defined."""
    if inspect.isclass(obj) or inspect.isfunction(obj):
        return f"{obj.__module__}.{obj.__qualname__}"
    return f"{module.__name__}.{name}"


@dataclass(frozen=True)
class Method:
    """A public method, called on an object made by the entry's ``setup`` (or on the class)."""

    cls: type
    name: str


def public_api() -> dict[str, object]:
    """``{key: object}`` for every name in an ``__all__`` and every public method of a class.

    Methods are keyed ``"<class key>.<method>"`` and map to a :class:`Method`.
    """
    api = {}
    for module in public_modules():
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            key = _key(module, name, obj)
            api[key] = obj
            if inspect.isclass(obj) and not issubclass(obj, BaseException):
                for attr, member in vars(obj).items():
                    if attr.startswith("_") or isinstance(member, property):
                        continue
                    if callable(member) or isinstance(member, classmethod | staticmethod):
                        api[f"{key}.{attr}"] = Method(obj, attr)
    return api


# ---------------------------------------------------------------------------------------------
# Values: fresh copies for every call
# ---------------------------------------------------------------------------------------------

OMIT = object()  # an argument that is not passed at all


@dataclass(frozen=True)
class Fresh:
    """A value made anew for every call (a Generator, axes, a model), so calls never share it."""

    make: Callable[[], object]
    label: str = "fresh"

    def __repr__(self):
        return f"Fresh({self.label})"


def materialize(value):
    if isinstance(value, Fresh):
        return value.make()
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: materialize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [materialize(v) for v in value]
    return value


@dataclass(frozen=True)
class Bad:
    """One bad or unusual value for an argument, and what a call with it must do.

    ``expect``: ``"raise"`` -- a clear error naming the argument (or one in ``blame``);
    ``"ok"`` -- a finite result equal to the call with ``reference`` (an error only where that
    call fails too, or, with ``strict=False``, a clear error);
    ``"feedback"`` -- an exercise check must return a failing Feedback, not raise.
    ``forbids``: a regular expression the error message must not match (a wrapped value).
    """

    family: str
    value: object
    expect: str = "raise"
    reference: object = OMIT  # the value that should give the same result ("ok")
    blame: tuple = ()
    strict: bool = True
    forbids: str | None = None


def _seed(draw):
    return np.random.default_rng(draw(st.integers(0, 2**16)))


def _wrong_types():
    return [Bad("type", None), Bad("type", "abc"), Bad("type", {"a": 1}),
            Bad("type", Fresh(object, "object()"))]


# ---------------------------------------------------------------------------------------------
# Kinds of argument: how to make a valid value, and which bad values it has
# ---------------------------------------------------------------------------------------------


class Kind:
    dims: tuple = ()  # size names this argument's shape depends on

    def valid(self, draw, d):
        raise NotImplementedError

    def bad(self, value, draw, d, ctx):
        return []


class Arr(Kind):
    """A float array. ``shape``: one entry per axis, a size name (``"N"``), an int, or a
    function of the sizes (a derived size such as ``C*H*W``; ``dims`` then lists every name
    the shape uses). ``ndims``: other numbers of dimensions that are also valid (None: any;
    False: do not try others). ``finite=False``: NaN/inf allowed (plots leave gaps)."""

    def __init__(self, *shape, dims=None, ndims=(), finite=True, low=None, high=None,
                 integer_ok=True, nonneg=False, float64_only=False):
        self.shape = shape
        self.dims = tuple(dims) if dims is not None else tuple(s for s in shape
                                                               if isinstance(s, str))
        self.ndims = ndims
        self.finite = finite
        self.low, self.high = low, high
        self.integer_ok, self.nonneg = integer_ok, nonneg
        self.float64_only = float64_only  # gradient checks refuse other dtypes, by name

    def resolve(self, d):
        return tuple(d[s] if isinstance(s, str) else s(d) if callable(s) else s
                     for s in self.shape)

    def draw_values(self, rng, shape):
        if self.low is not None:
            return rng.uniform(self.low, self.high, shape)
        return rng.standard_normal(shape)

    def valid(self, draw, d):
        return self.draw_values(_seed(draw), self.resolve(d))


    def bad(self, value, draw, d, ctx):
        out = _wrong_types()
        out += [Bad("type", np.full(value.shape, "a")), Bad("type", value.astype(complex))]
        if value.ndim >= 2 and value.shape[0] >= 2 and value.shape[1] >= 2:
            rows = value.tolist()
            rows[-1] = rows[-1][:-1]
            out.append(Bad("ragged", rows))
        shared = ctx.shared_with(self)
        for new in (value[None], value[..., 0] if value.ndim else None):
            if new is None or self.ndims is False:
                continue
            allowed = self.ndims is None or new.ndim in self.ndims
            if not (allowed and not shared):
                out.append(Bad("ndim", new, blame=shared))
        for axis, entry in enumerate(self.shape):
            if isinstance(entry, str) and not ctx.constrained(entry):
                continue  # a size only this argument has: any value is valid
            bigger = np.concatenate([value, value.take([0], axis=axis)], axis=axis) \
                if value.shape[axis] else np.zeros(
                    value.shape[:axis] + (1,) + value.shape[axis + 1:])
            blame = (ctx.sharing(entry) if isinstance(entry, str)
                     else ctx.all if callable(entry) else ())
            out.append(Bad("size", bigger, blame=blame))
        if value.size and self.nonneg:
            negative = value.copy()
            negative.flat[0] = -1
            out.append(Bad("range", negative))
        if value.size:
            i = draw(st.integers(0, value.size - 1))
            for v in (np.nan, np.inf, -np.inf):
                nonfinite = value.copy()
                nonfinite.flat[i] = v
                out.append(Bad("nonfinite", nonfinite, "raise" if self.finite else "ok"))
        precisions = [np.float32, np.float16] + ([np.int64] if self.integer_ok else [])
        strict = not self.float64_only
        for dtype in precisions:
            low = value.astype(dtype)
            out.append(Bad("precision", low, "ok", reference=self._reference(value, low),
                           strict=strict))
        out.append(Bad("precision", value.tolist(), "ok", reference=value, strict=strict))
        return out

    def _reference(self, value, low):
        """The float64 input a lower-precision one must agree with: its own values, exactly."""
        return low.astype(np.float64)


class Prob(Arr):
    """Rows of probabilities ``(N, K)``: softmax of random logits."""

    def __init__(self, n="N", k="K"):
        super().__init__(n, k, integer_ok=False)

    def _reference(self, value, low):
        # Rounded to float16, rows sum to 1 only to float16 precision (1.0001): the same rows in
        # float64 would rightly be refused, so compare with the unrounded probabilities.
        return value

    def valid(self, draw, d):
        Z = _seed(draw).standard_normal(self.resolve(d))
        E = np.exp(Z - Z.max(axis=1, keepdims=True)) if Z.size else Z
        return E / E.sum(axis=1, keepdims=True) if Z.size else Z

    def bad(self, value, draw, d, ctx):
        out = super().bad(value, draw, d, ctx)
        if value.size:
            negative = value.copy()
            negative[0, 0] = -0.25
            negative[0, -1] += 0.25 if value.shape[1] > 1 else 0
            big_row = value.copy()
            big_row[0] *= 1.5
            out += [Bad("probability", negative), Bad("probability", big_row)]
        return out


WRAPPED = r"-9223372036854775808"  # what 1e20 or uint64 2**63 become in a cast to int64


class Labels(Kind):
    """Integer labels ``(N,)`` in ``[0, K)``."""

    def __init__(self, n="N", k="K"):
        # Only N must match; labels below K fit any K' > K too. K = 0 makes every label bad.
        self.n, self.k = n, k
        self.dims = (n,)
        self.also = (k,) if isinstance(k, str) else ()

    def _k(self, d):
        return self.k if isinstance(self.k, int) else d[self.k]

    def valid(self, draw, d):
        k = self._k(d)
        return _seed(draw).integers(0, max(k, 1), d[self.n]) if k else np.zeros(d[self.n], int)

    def bad(self, value, draw, d, ctx):
        out = _wrong_types()
        out += [Bad("type", value.astype(bool)), Bad("type", value.astype(str)),
                Bad("ndim", value[None], blame=ctx.shared_with(self))]
        if ctx.constrained(self.n):
            out.append(Bad("size", np.append(value, 0), blame=ctx.sharing(self.n)))
        if value.size:
            k = self._k(d)
            i = draw(st.integers(0, value.size - 1))
            for label in (-1, k, 1e20, 0.5, np.nan):
                bad = value.astype(float) if isinstance(label, float) else value.copy()
                bad[i] = label
                out.append(Bad("label", bad, forbids=WRAPPED))
            huge = value.astype(np.uint64)
            huge[i] = 2**63
            out.append(Bad("label", huge, forbids=WRAPPED))
            out.append(Bad("precision", value.astype(float), "ok", reference=value))
            out.append(Bad("precision", value.astype(np.uint8), "ok", reference=value))
        return out


class Int(Kind):
    """An integer ``>= minimum``: drawn from ``[lo, hi]``, or the size ``dim``.
    ``optional``: None is valid too (it means "not given")."""

    def __init__(self, lo=1, hi=3, *, dim=None, minimum=None, value=None, optional=False):
        self.lo, self.hi, self.dim, self.value = lo, hi, dim, value
        self.optional = optional
        self.minimum = lo if minimum is None else minimum
        self.dims = (dim,) if dim else ()

    def valid(self, draw, d):
        if self.value is not None:
            return self.value
        return d[self.dim] if self.dim else draw(st.integers(self.lo, self.hi))

    def bad(self, value, draw, d, ctx):
        m = self.minimum
        out = [Bad("size", m - 1), Bad("size", m - 7), Bad("type", value + 0.5),
               Bad("type", float(value)), Bad("type", str(value)),
               Bad("type", True), Bad("type", [value])]
        if not self.optional:
            out.append(Bad("type", None))
        out += [Bad("precision", np.int64(value), "ok", reference=value),
                Bad("precision", np.int32(value), "ok", reference=value)]
        return out


class Real(Kind):
    """A finite real number in ``[lo, hi]`` (open ends with ``lo_open``/``hi_open``)."""

    def __init__(self, lo=None, hi=None, *, lo_open=False, hi_open=False, value=None):
        self.lo, self.hi, self.lo_open, self.hi_open = lo, hi, lo_open, hi_open
        self.value = value

    def valid(self, draw, d):
        if self.value is not None:
            return self.value
        lo = -3.0 if self.lo is None else self.lo
        hi = lo + 3.0 if self.hi is None else self.hi
        return float(np.round(lo + (hi - lo) * draw(st.sampled_from([0.25, 0.5, 0.75])), 6))

    def bad(self, value, draw, d, ctx):
        out = [Bad("nonfinite", math.nan), Bad("nonfinite", math.inf),
               Bad("nonfinite", -math.inf), Bad("type", str(value)), Bad("type", None),
               Bad("type", True), Bad("type", [value]), Bad("type", np.array([value]))]
        if self.lo is not None:
            out.append(Bad("range", self.lo if self.lo_open else self.lo - 1.0))
        if self.hi is not None:
            out.append(Bad("range", self.hi if self.hi_open else self.hi + 1.0))
        out += [Bad("precision", np.float32(value), "ok", reference=value),
                Bad("precision", np.float64(value), "ok", reference=value),
                Bad("precision", np.array(value), "ok", reference=value)]
        return out


class Choice(Kind):
    def __init__(self, *options, value=None):
        self.options, self.value = options, value

    def valid(self, draw, d):
        return self.value if self.value is not None else draw(st.sampled_from(self.options))

    def bad(self, value, draw, d, ctx):
        out = [Bad("option", "no-such-option"), Bad("type", 3), Bad("type", None),
               Bad("type", [value])]
        if isinstance(value, str) and value.upper() != value:
            out.append(Bad("option", value.upper()))
        return out


class Dtype(Kind):
    """A float dtype argument: float32 or float64."""

    def __init__(self, *options):
        self.options = options or (np.float32, np.float64)

    def valid(self, draw, d):
        return draw(st.sampled_from(self.options))

    def bad(self, value, draw, d, ctx):
        return [Bad("type", "floaty"), Bad("type", None), Bad("type", 3),
                Bad("option", np.float16), Bad("option", np.int64), Bad("option", bool),
                Bad("precision", np.dtype(value).name, "ok", reference=value),
                Bad("precision", np.dtype(value), "ok", reference=value)]


class Flag(Kind):
    def __init__(self, value=None):
        self.value = value

    def valid(self, draw, d):
        return self.value if self.value is not None else draw(st.booleans())

    def bad(self, value, draw, d, ctx):
        return [Bad("type", "yes"), Bad("type", None), Bad("type", 1), Bad("type", 0.5),
                Bad("precision", np.bool_(value), "ok", reference=value)]


class Rng(Kind):
    def valid(self, draw, d):
        seed = draw(st.integers(0, 2**16))
        return Fresh(lambda: np.random.default_rng(seed), f"default_rng({seed})")

    def bad(self, value, draw, d, ctx):
        return [Bad("type", 0), Bad("type", None), Bad("type", "rng"),
                Bad("type", Fresh(lambda: np.random.RandomState(0), "RandomState(0)"))]


class Text(Kind):
    def __init__(self, value="text", optional=False):
        self.value, self.optional = value, optional

    def valid(self, draw, d):
        return self.value

    def bad(self, value, draw, d, ctx):
        out = [Bad("type", 3), Bad("type", ["a"]), Bad("type", b"bytes")]
        return out if self.optional else [*out, Bad("type", None)]


class Func(Kind):
    """A callable argument; ``garbage``: extra ``Bad`` values (functions that misbehave)."""

    def __init__(self, fn, garbage=(), dims=(), optional=False):
        self.fn, self.garbage, self.dims = fn, garbage, tuple(dims)
        self.optional = optional  # None is valid too (no callback)

    def valid(self, draw, d):
        return self.fn(d) if getattr(self.fn, "needs_dims", False) else self.fn

    def bad(self, value, draw, d, ctx):
        out = [Bad("type", 3), Bad("type", "f"), Bad("type", np.zeros(2)), *self.garbage]
        return out if self.optional else [*out, Bad("type", None)]


def needs_dims(fn):
    """Mark a ``Func``/``Lit`` factory that builds its value from the drawn sizes."""
    fn.needs_dims = True
    return fn


def _returns(value, label):
    """A function that ignores its arguments and returns ``value`` (a misbehaving callback)."""
    def fn(*args, **kwargs):
        return materialize(value)
    fn.__name__ = f"returns_{label}"
    return fn


class Lit(Kind):
    """An argument with a hand-made list of bad values (``bad``, all must raise) and valid
    variants (``ok``, equivalent to ``valid``). Entries may be ``needs_dims`` functions."""

    def __init__(self, valid, bad=(), ok=(), dims=()):
        self._valid, self._bad, self._ok, self.dims = valid, bad, ok, tuple(dims)

    @staticmethod
    def _at(v, d):
        return v(d) if getattr(v, "needs_dims", False) else v

    def valid(self, draw, d):
        return self._at(self._valid, d)

    def bad(self, value, draw, d, ctx):
        out = [Bad("value", self._at(v, d), blame=ctx.shared_with(self)) for v in self._bad]
        return out + [Bad("variant", self._at(v, d), "ok", reference=value) for v in self._ok]


class Params(Kind):
    """A dict of float arrays, e.g. ``params``/``grads``. ``fixed_keys``: keys and shapes
    must match something (a model, or the ``partner`` argument that shares them)."""

    def __init__(self, shapes, *, dims=(), partner=None, fixed_keys=True, float64_only=False):
        self.shapes, self.dims, self.partner = shapes, tuple(dims), partner
        self.fixed_keys, self.float64_only = fixed_keys, float64_only

    def valid(self, draw, d):
        rng = _seed(draw)
        return {k: rng.standard_normal(s) for k, s in self.shapes(d).items()}

    def bad(self, value, draw, d, ctx):
        blame = (self.partner,) if self.partner else ()
        key = next(iter(value))
        out = [Bad("type", list(value.values())), Bad("type", None), Bad("type", "params"),
               Bad("nonfinite", value | {key: np.full(value[key].shape, np.nan)}),
               Bad("type", value | {key: "abc"})]
        if self.fixed_keys:
            out += [Bad("keys", {k: v for k, v in value.items() if k != key}, blame=blame),
                    Bad("keys", value | {"extra": np.zeros(1)}, blame=blame),
                    Bad("size", value | {key: np.zeros(value[key].size + 1)}, blame=blame)]
        f32 = {k: v.astype(np.float32) for k, v in value.items()}
        out.append(Bad("precision", f32, "ok", strict=not self.float64_only,
                       reference={k: v.astype(np.float64) for k, v in f32.items()}))
        return out


class Axes(Kind):
    """Matplotlib axes to draw on. Making axes costs tens of milliseconds, so the calls of one
    example share them, emptied of the previous call's artists (nothing is ever rendered)."""

    def __init__(self, ncols=1):
        self.ncols = ncols

    def valid(self, draw, d):
        axes = Figure().subplots(1, self.ncols)
        return Fresh(lambda: _emptied(axes), "axes")

    def bad(self, value, draw, d, ctx):
        figure = np.ravel(materialize(value))[0].figure
        return [Bad("type", None), Bad("type", "ax"), Bad("type", np.zeros(2)),
                Bad("type", figure)]


def _emptied(axes):
    """``axes`` without what earlier calls drew on them (and without added colour bars)."""
    flat = list(np.ravel(axes))
    for ax in flat:
        for artist in [*ax.collections, *ax.lines, *ax.images, *ax.texts, *ax.patches]:
            artist.remove()
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        ax.set_axis_on()
    for extra in [a for a in flat[0].figure.axes if a not in flat]:
        extra.remove()
    return axes


class Learner(Kind):
    """A value the learner's function returned: garbage must become feedback, not a crash."""

    def __init__(self, valid):
        self._valid = valid

    def valid(self, draw, d):
        return self._valid

    def bad(self, value, draw, d, ctx):
        return [Bad("garbage", g, "feedback") for g in GARBAGE]


GARBAGE = [None, "abc", np.nan, np.inf, 1e308, [[1.0, 2.0], [3.0]], (1, 2, 3), {}, [],
           np.array([]), np.array(["a", "b"]), np.full((2, 2), np.nan), np.zeros((2, 3, 4)),
           Fresh(object, "object()"), True]


class AnyValue(Kind):
    """An argument that accepts anything (``describe``): garbage must not crash it."""

    def __init__(self, valid):
        self._valid = valid

    def valid(self, draw, d):
        return self._valid

    def bad(self, value, draw, d, ctx):
        return [Bad("any", g, "ok") for g in GARBAGE]


class OneHot(Arr):
    """One-hot rows ``(N, K)``."""

    def __init__(self):
        super().__init__("N", "K")

    def valid(self, draw, d):
        n, k = d["N"], d["K"]
        Y = np.zeros((n, k))
        if k:
            Y[np.arange(n), _seed(draw).integers(0, k, n)] = 1
        return Y

    def bad(self, value, draw, d, ctx):
        out = super().bad(value, draw, d, ctx)
        if value.size:
            two = value.copy()
            two[0] = 1
            out.append(Bad("one-hot", two))
        return out


# ---------------------------------------------------------------------------------------------
# The table entry, and running one example
# ---------------------------------------------------------------------------------------------

SIZES = st.fixed_dictionaries({
    "N": st.integers(1, 3), "D": st.integers(1, 4), "K": st.integers(2, 4),
    "C": st.integers(1, 2), "F": st.integers(1, 3), "H": st.integers(4, 6),
    "W": st.integers(4, 6), "k": st.integers(1, 3), "q": st.integers(1, 3),
    "T": st.integers(2, 4),
})


@dataclass
class Spec:
    """How to call one public callable with valid arguments.

    ``args``: argument name -> :class:`Kind` (keyword arguments, in order).
    ``setup``: for a method, ``sizes -> object`` (made anew for every call); ``setup_dims``
    are the sizes that object fixes (an argument must then match them).
    ``call``: ``(bound callable, kwargs) -> result`` when a plain call is not enough (to return
    the state a method changed, or to run an exercise check inside a case).
    ``empty``: what an empty batch (N = 0) must give: ``"ok"`` (an empty, finite result) or
    ``"raise"`` (a mean over nothing). ``zero_ok``: other sizes that may be 0.
    ``extra``: ``(family, plan -> plan, blame)`` whole-call mutations that must raise.
    ``aliases``: argument -> other words a message may use for it.
    ``unattacked``: parameter -> why the table leaves it out (every other parameter of the
    callable must be in ``args`` of one of its entries).
    ``strict_types``: argument -> why a clear refusal of an equivalent value of another type
    (a list for an array, float labels) is right there.
    """

    args: dict = field(default_factory=dict)
    setup: Callable | None = None
    setup_dims: tuple = ()
    call: Callable | None = None
    empty: str = "ok"
    zero_ok: tuple = ()
    extra: tuple = ()
    aliases: dict = field(default_factory=dict)
    errors: tuple = (ValueError, TypeError)
    examples: int = 3
    unattacked: dict = field(default_factory=dict)
    strict_types: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Exempt:
    """A public name that takes no input to attack: a constant, an exception class, an
    abstract method. ``reason`` says which."""

    reason: str


class Ctx:
    """Which arguments share each size, so a mismatch knows whom a message may blame."""

    def __init__(self, spec):
        self.uses = Counter()
        self.by_dim = {}
        for name, kind in spec.args.items():
            for dim in kind.dims:
                self.uses[dim] += 1
                self.by_dim.setdefault(dim, set()).add(name)
            for dim in getattr(kind, "also", ()):
                self.by_dim.setdefault(dim, set()).add(name)
        for dim in spec.setup_dims:
            self.uses[dim] += 2
            self.by_dim.setdefault(dim, set()).add("<setup>")
        self.names = {id(kind): name for name, kind in spec.args.items()}
        self.all = tuple(spec.args)

    def constrained(self, dim):
        return self.uses[dim] >= 2

    def sharing(self, dim):
        return tuple(sorted(self.by_dim.get(dim, ())))

    def shared_with(self, kind):
        me = self.names[id(kind)]
        others = set()
        for dim in kind.dims:
            others |= self.by_dim.get(dim, set()) - {me}
        if any(self.uses[dim] >= 2 and kind.dims.count(dim) >= 2 for dim in kind.dims):
            others.add("<itself>")
        return tuple(sorted(others))


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None
    warned: list = field(default_factory=list)


def attempt(spec, target, plan, d) -> Outcome:
    """One call with fresh copies of ``plan``; records the result, the error, the warnings."""
    kwargs = {k: materialize(v) for k, v in plan.items() if v is not OMIT}
    if isinstance(target, Method):  # on a fresh object, or on the class (a classmethod)
        fn = getattr(spec.setup(d) if spec.setup else target.cls, target.name)
    else:
        fn = target
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = spec.call(fn, kwargs) if spec.call else fn(**kwargs)
        except Exception as err:  # noqa: BLE001 - judged below
            return Outcome(error=err, warned=_runtime(caught))
    return Outcome(value=value, warned=_runtime(caught))


def _runtime(caught):
    return [w for w in caught if issubclass(w.category, RuntimeWarning)]


def names_any(message: str, names) -> bool:
    """Does ``message`` mention one of ``names`` as a whole word (``y`` in ``y=``, not ``Y``)?"""
    return any(re.search(rf"(?<![A-Za-z0-9_]){re.escape(n)}(?![A-Za-z0-9_])", message)
               for n in names if not n.startswith("<"))


def nonfinite(value) -> bool:
    """True if a float anywhere in a result (arrays, tuples, dicts, lists) is NaN or inf."""
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "fc" and not np.isfinite(value).all()
    if isinstance(value, float | np.floating):
        return not np.isfinite(value)
    if isinstance(value, dict):
        return any(nonfinite(v) for v in value.values())
    if isinstance(value, tuple | list):
        return any(nonfinite(v) for v in value)
    return False


def _state(obj):
    return {k: v for k, v in vars(obj).items() if not k.startswith("_")}


def same(a, b, tol) -> bool:
    """Equal results, numbers to ``tol`` (relative, and absolute on the result's scale).

    With a float32-sized ``tol`` (a lower-precision input) a result may also have another
    float dtype than the float64 call's (a layer built from float32 arrays is float32)."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k], tol)
                                                                    for k in a)
    if isinstance(a, tuple | list):
        return (isinstance(b, tuple | list) and len(a) == len(b)
                and all(same(x, y, tol) for x, y in zip(a, b, strict=True)))
    if isinstance(a, np.dtype):
        return a == b or (tol > 1e-6 and a.kind == b.kind == "f")
    if isinstance(a, np.ndarray | np.generic | int | float) and not isinstance(a, bool):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape:
            return False
        if a.dtype == object or b.dtype == object:  # e.g. an array of Axes
            return a.dtype == b.dtype and all(same(x, y, tol)
                                              for x, y in zip(a.flat, b.flat, strict=True))
        if a.dtype.kind not in "biuf" or b.dtype.kind not in "biuf":
            return np.array_equal(a, b)
        scale = max(1.0, float(np.abs(b).max())) if b.size else 1.0
        return bool(np.allclose(a, b, rtol=tol, atol=tol * scale))
    if type(a).__module__.startswith("mathlib") and hasattr(a, "__dict__"):
        return type(a) is type(b) and same(_state(a), _state(b), tol)
    if isinstance(a, str | bytes | bool | np.dtype) or a is None:
        return a == b
    return type(a) is type(b)


def short(value) -> str:
    if isinstance(value, np.ndarray):
        return f"{value.dtype}{value.shape}"
    try:
        text = repr(value)
    except Exception as err:  # noqa: BLE001 - a broken repr is itself worth reporting
        return f"<{type(value).__name__} whose repr raises {type(err).__name__}: {err}>"
    return text if len(text) < 70 else text[:67] + "..."


TALLY = Counter()


def judge(key, spec, target, plan, d, names, bad, ref_plan, problems):
    """Make one call with a bad value and record how it ended."""
    out = attempt(spec, target, plan, d)
    TALLY["calls tried"] += 1
    where = f"{key}({', '.join(names)}) {bad.family} {short(bad.value)}"
    if out.warned:
        problems.append(f"{where}: RuntimeWarning '{out.warned[0].message}'")
        TALLY["obscure"] += 1
        return
    if out.error is not None:
        err = out.error
        allowed = list(names) + list(bad.blame)
        for n in names:
            allowed += list(spec.aliases.get(n, ()))
        if not (bad.expect != "feedback" and isinstance(err, spec.errors)
                and names_any(str(err), allowed)):
            problems.append(f"{where}: {type(err).__name__}: {err}")
            TALLY["obscure"] += 1
        elif bad.forbids and re.search(bad.forbids, str(err)):
            problems.append(f"{where}: the message shows a value the input does not hold "
                            f"({bad.forbids}): {err}")
            TALLY["obscure"] += 1
        elif bad.expect == "ok" and bad.strict and ref_plan is not None \
                and attempt(spec, target, ref_plan, d).error is None:
            problems.append(f"{where}: refused, but the same call with {short(bad.reference)} "
                            f"works: {type(err).__name__}: {err}")
            TALLY["silently wrong"] += 1
        else:
            TALLY["clear errors"] += 1
        return
    if bad.expect == "raise":
        problems.append(f"{where}: accepted silently, returned {short(out.value)}")
        TALLY["silently wrong"] += 1
        return
    if bad.expect == "feedback":
        from mathlib.exercises import Feedback

        if isinstance(out.value, Feedback) and not out.value.passed:
            TALLY["correct results"] += 1
        else:
            problems.append(f"{where}: expected a failing Feedback, got {short(out.value)}")
            TALLY["silently wrong"] += 1
        return
    if nonfinite(out.value):
        problems.append(f"{where}: NaN or inf in the result {short(out.value)}")
        TALLY["silently wrong"] += 1
        return
    if ref_plan is not None:
        ref = attempt(spec, target, ref_plan, d)
        tol = 5e-3 if bad.family == "precision" else 1e-9
        if ref.error is None and not same(out.value, ref.value, tol):
            problems.append(f"{where}: result differs from the call with "
                            f"{short(bad.reference)}: {short(out.value)} vs {short(ref.value)}")
            TALLY["silently wrong"] += 1
            return
    TALLY["correct results"] += 1


def run_example(key, spec, target, data):
    """All bad calls of one callable for one draw of sizes and values."""
    d = data.draw(SIZES, label="sizes")
    plan = {name: kind.valid(data.draw, d) for name, kind in spec.args.items()}
    valid = attempt(spec, target, plan, d)
    assert valid.error is None and not valid.warned, (
        f"{key}: the valid call {({k: short(v) for k, v in plan.items()})} failed: "
        f"{valid.error!r} {[str(w.message) for w in valid.warned]}")
    assert not nonfinite(valid.value), f"{key}: the valid call returned NaN/inf"
    TALLY["valid calls"] += 1
    ctx = Ctx(spec)
    problems = []
    for name, kind in spec.args.items():
        for bad in kind.bad(plan[name], data.draw, d, ctx):
            if name in spec.strict_types:
                bad = replace(bad, strict=False)
            ref = None if bad.reference is OMIT else plan | {name: bad.reference}
            judge(key, spec, target, plan | {name: bad.value}, d, (name,), bad, ref, problems)
    for family, transform, blame in spec.extra:
        judge(key, spec, target, transform(plan, d), d, tuple(blame), Bad(family, "-"), None,
              problems)
    dims = sorted({dim for kind in spec.args.values() for dim in kind.dims}
                  | {dim for kind in spec.args.values() for dim in getattr(kind, "also", ())}
                  | set(spec.setup_dims))
    for dim in dims:
        d0 = d | {dim: 0}
        if spec.setup is not None:
            try:
                spec.setup(d0)
            except (ValueError, TypeError):
                continue  # the object refuses this size itself (its constructor has an entry)
        try:
            plan0 = {name: kind.valid(data.draw, d0) for name, kind in spec.args.items()}
            materialize(plan0)
        except (ValueError, TypeError):
            continue  # no valid argument (a layer, a model) exists with this size 0
        expect = spec.empty if dim == "N" else ("ok" if dim in spec.zero_ok else "raise")
        blame = ctx.sharing(dim) or ctx.all
        judge(key, spec, target, plan0, d0, blame, Bad(f"size {dim}=0", "-", expect), None,
              problems)
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# The table: how to build valid arguments for every public callable
# ---------------------------------------------------------------------------------------------

from mathlib import layers as L  # noqa: E402
from mathlib.conv import Conv2D, MaxPool2D  # noqa: E402
from mathlib.model import cnn, mlp  # noqa: E402
from mathlib.optim import SGD  # noqa: E402


def _dims(fn):
    return needs_dims(fn)


def _both_targets(plan, d):
    """Give ``Y`` as well as ``y`` (mathlib never guesses which to use)."""
    return plan | {"Y": np.eye(max(d["K"], 1))[np.zeros(d["N"], dtype=int)][:, :d["K"]]}


def _no_targets(plan, d):
    return {k: v for k, v in plan.items() if k not in ("y", "Y")}


TARGET_EXTRA = (("targets", _both_targets, ("y", "Y")), ("targets", _no_targets, ("y", "Y")))


def _dense(d, dtype=np.float64):
    return L.Dense(d["D"], d["K"], rng=np.random.default_rng(0), dtype=dtype)


def _after_forward(make, shape):
    """A setup: make a layer and run ``forward`` on a batch of ``shape(sizes)``."""
    def setup(d):
        layer = make(d)
        layer.forward(np.random.default_rng(1).standard_normal(shape(d)), train=True)
        return layer
    return setup


def _and_grads(fn, kwargs):
    """Call a ``backward`` and return what it returned together with the grads it set."""
    return fn(**kwargs), fn.__self__.grads


def _and_state(attr):
    def call(fn, kwargs):
        fn(**kwargs)
        return getattr(fn.__self__, attr)
    return call


def _out_hw(d, k="k", q="q", stride=1, pad=0):
    return ((d["H"] + 2 * pad - d[k]) // stride + 1, (d["W"] + 2 * pad - d[q]) // stride + 1)


PAD_BAD = [-1, (1.7, 1.2), 1.5, "full", (1, 2, 3), None, (-1, 0), True, [0.5, 0]]
PAD = Lit(0, bad=PAD_BAD, ok=[(0, 0), [0, 0], "valid", np.int64(0)])
PAD_LAYER = Lit(0, bad=PAD_BAD)  # a layer keeps the spelling it was given (for its repr)
KERNEL = Lit(_dims(lambda d: (d["k"], d["q"])),
             bad=[0, -1, 1.5, (2,), (1.7, 1.2), "3", None, (0, 2), True, (1, 2, 3)],
             ok=[_dims(lambda d: [d["k"], d["q"]]), _dims(lambda d: (np.int64(d["k"]), d["q"]))],
             dims=("k", "q"))
SHAPE = Lit(_dims(lambda d: (d["D"], d["K"])),
            bad=["abc", None, (2.5, 3), (-1, 3), 4.0, (True, 2), ("2", 3)],
            ok=[_dims(lambda d: [d["D"], d["K"]]), _dims(lambda d: (np.int64(d["D"]), d["K"]))],
            dims=("D", "K"))
IMAGES = Arr("N", "C", "H", "W")
FILTERS = Arr("F", "C", "k", "q")
Z_OR_VECTOR = Arr("N", "K", ndims=(1,))
AXIS = Lit(-1, bad=[2, -3, 1.5, "1", None, (0, 1)], ok=[1, np.int64(-1)])


def _elementwise(*names, low=None, high=None):
    args = {n: Arr("N", "D", ndims=None, low=low if n == names[-1] else None,
                   high=high if n == names[-1] else None) for n in names}
    return Spec(args, zero_ok=("D",))


SPECS: dict[str, Spec | list | Exempt] = {
    # --- activations ---------------------------------------------------------------------
    "mathlib.activations.sigmoid": _elementwise("Z"),
    "mathlib.activations.sigmoid_backward": _elementwise("dA", "A", low=0, high=1),
    "mathlib.activations.tanh": _elementwise("Z"),
    "mathlib.activations.tanh_backward": _elementwise("dA", "A", low=-1, high=1),
    "mathlib.activations.relu": _elementwise("Z"),
    "mathlib.activations.relu_backward": _elementwise("dA", "Z"),
    "mathlib.activations.logsumexp": Spec({"Z": Z_OR_VECTOR, "axis": AXIS, "keepdims": Flag()}),
    "mathlib.activations.softmax": Spec({"Z": Z_OR_VECTOR, "axis": AXIS}),
    "mathlib.activations.log_softmax": Spec({"Z": Z_OR_VECTOR, "axis": AXIS}),
    "mathlib.activations.softmax_backward": Spec(
        {"dP": Arr("N", "K", ndims=(1,)), "P": Arr("N", "K", ndims=(1,), low=0, high=1)},
        zero_ok=("K",)),
    "mathlib.activations.softmax_jacobian": Spec({"z": Arr("K")}),
    # --- losses --------------------------------------------------------------------------
    "mathlib.losses.one_hot": Spec({"y": Labels(), "num_classes": Int(dim="K"),
                                    "dtype": Dtype()}),
    "mathlib.losses.cross_entropy_from_logits": [
        Spec({"Z": Arr("N", "K"), "y": Labels()}, empty="raise", extra=TARGET_EXTRA),
        Spec({"Z": Arr("N", "K"), "Y": Prob()}, empty="raise"),
    ],
    "mathlib.losses.softmax_cross_entropy_backward": [
        Spec({"Z": Arr("N", "K"), "y": Labels()}, empty="raise", extra=TARGET_EXTRA),
        Spec({"Z": Arr("N", "K"), "Y": OneHot()}, empty="raise"),
    ],
    "mathlib.losses.cross_entropy_from_probs": [
        Spec({"P": Prob(), "y": Labels()}, empty="raise", extra=TARGET_EXTRA),
        Spec({"P": Prob(), "Y": Prob()}, empty="raise"),
    ],
    "mathlib.losses.squared_error": _elementwise("pred", "target"),
    "mathlib.losses.squared_error_backward": _elementwise("pred", "target"),
    "mathlib.losses.mean_squared_error": Spec(
        {"pred": Arr("N", "D", ndims=(1,)), "target": Arr("N", "D", ndims=(1,))},
        empty="raise", zero_ok=("D",)),
    "mathlib.losses.mean_squared_error_backward": Spec(
        {"pred": Arr("N", "D", ndims=(1,)), "target": Arr("N", "D", ndims=(1,))},
        empty="raise", zero_ok=("D",)),
    # --- layers --------------------------------------------------------------------------
    "mathlib.layers.Layer": Spec({"dtype": Lit(np.float32, bad=["floaty", np.float16, 3],
                                               ok=["float32", np.dtype(np.float32)])}),
    "mathlib.layers.Layer.forward": Exempt("abstract; every layer class has its own entry"),
    "mathlib.layers.Layer.backward": Exempt("abstract; every layer class has its own entry"),
    "mathlib.layers.Layer.set_params": Spec(
        {"params": Params(lambda d: {"W": (d["D"], d["K"]), "b": (d["K"],)}, dims=("D", "K"))},
        setup=_dense, setup_dims=("D", "K"), call=_and_state("params")),
    "mathlib.layers.Dense": [
        Spec({"in_features": Int(dim="D"), "out_features": Int(dim="K"), "rng": Rng(),
              "init": Choice("he", "xavier", "xavier_normal"),
              "std": Lit(None, bad=[0.1, "0.1"]), "bias": Real(), "dtype": Dtype()}),
        Spec({"in_features": Int(dim="D"), "out_features": Int(dim="K"), "rng": Rng(),
              "init": Choice("normal", "truncated_normal"), "std": Real(0),
              "dtype": Dtype()}),
    ],
    "mathlib.layers.Dense.from_arrays": Spec({"W": Arr("D", "K"), "b": Arr("K")}),
    "mathlib.layers.Dense.forward": Spec({"X": Arr("N", "D"), "train": Flag()}, setup=_dense,
                                         setup_dims=("D", "K")),
    "mathlib.layers.Dense.backward": Spec(
        {"dOut": Arr("N", "K")}, setup=_after_forward(_dense, lambda d: (d["N"], d["D"])),
        setup_dims=("N", "D", "K"), call=_and_grads),
    "mathlib.layers.Dense.backward_params": Spec(
        {"dOut": Arr("N", "K")}, setup=_after_forward(_dense, lambda d: (d["N"], d["D"])),
        setup_dims=("N", "D", "K"), call=_and_grads),
}

# Parameter-free layers take Layer's optional dtype (None: keep the input's).
NO_DTYPE = Lit(None, bad=["floaty", np.float16, 3], ok=[])

for _cls in (L.ReLU, L.Sigmoid, L.Tanh):
    _key_cls = f"mathlib.layers.{_cls.__name__}"
    SPECS[_key_cls] = Spec({"dtype": NO_DTYPE})
    SPECS[f"{_key_cls}.forward"] = Spec({"X": Arr("N", "D", ndims=None), "train": Flag()},
                                        setup=lambda d, c=_cls: c(), zero_ok=("D",))
    SPECS[f"{_key_cls}.backward"] = Spec(
        {"dOut": Arr("N", "D")},
        setup=_after_forward(lambda d, c=_cls: c(), lambda d: (d["N"], d["D"])),
        setup_dims=("N", "D"), zero_ok=("D",))


def _dropout(d):
    return L.Dropout(0.5, rng=np.random.default_rng(2))


def _reshape(d):
    return L.Reshape((d["C"], d["H"], d["W"]))


def _flat_images(d):
    return (d["N"], d["C"] * d["H"] * d["W"])


FLAT_IMAGES = Arr("N", lambda d: d["C"] * d["H"] * d["W"], dims=("N", "C", "H", "W"))


def _images(d):
    return (d["N"], d["C"], d["H"], d["W"])


def _sce(d):
    return L.SoftmaxCrossEntropy()


def _sce_after_forward(d):
    loss = L.SoftmaxCrossEntropy()
    loss.forward(np.zeros((d["N"], d["K"])), y=np.zeros(d["N"], dtype=int))
    return loss


SPECS |= {
    "mathlib.layers.Dropout": Spec({"keep_prob": Real(0, 1, lo_open=True), "rng": Rng()}),
    "mathlib.layers.Dropout.set_mask": Spec(
        {"mask": Lit(_dims(lambda d: np.ones((d["N"], d["D"]), bool)),
                     bad=["abc", np.array([0.5, 1.0]), np.full(2, np.nan),
                          Fresh(object, "object()")],
                     ok=[_dims(lambda d: np.ones((d["N"], d["D"]), int))])},
        setup=_dropout, call=_and_state("fixed_mask")),
    "mathlib.layers.Dropout.forward": Spec({"X": Arr("N", "D", ndims=None), "train": Flag()},
                                           setup=_dropout, zero_ok=("D",)),
    "mathlib.layers.Dropout.backward": Spec(
        {"dOut": Arr("N", "D")}, setup=_after_forward(_dropout, lambda d: (d["N"], d["D"])),
        setup_dims=("N", "D"), zero_ok=("D",)),
    "mathlib.layers.Flatten": Spec({"dtype": NO_DTYPE}),
    "mathlib.layers.Flatten.forward": Spec({"X": Arr("N", "C", "H", "W", ndims=(2, 3, 5)),
                                            "train": Flag()},
                                           setup=lambda d: L.Flatten(),
                                           zero_ok=("C", "H", "W")),
    "mathlib.layers.Flatten.backward": Spec(
        {"dOut": FLAT_IMAGES}, setup=_after_forward(lambda d: L.Flatten(), _images),
        setup_dims=("N", "C", "H", "W"), zero_ok=("C", "H", "W")),
    "mathlib.layers.Reshape": Spec({"shape": Lit((2, 3), bad=[(2.5, 3), (0, 3), (-1, 3), "23",
                                                               None, 6, (2, "3")],
                                                 ok=[[2, 3], (np.int64(2), 3)])}),
    "mathlib.layers.Reshape.forward": Spec(
        {"X": Arr("N", lambda d: d["C"] * d["H"] * d["W"], dims=("N", "C", "H", "W"),
                  ndims=False),  # (N, ...) of any rank: only the count per sample matters
         "train": Flag()},
        setup=_reshape, setup_dims=("C", "H", "W")),
    "mathlib.layers.Reshape.backward": Spec(
        {"dOut": IMAGES}, setup=_after_forward(_reshape, _flat_images),
        setup_dims=("N", "C", "H", "W")),
    "mathlib.layers.SoftmaxCrossEntropy": Spec(),
    "mathlib.layers.SoftmaxCrossEntropy.forward": [
        Spec({"Z": Arr("N", "K"), "y": Labels()}, setup=_sce, empty="raise",
             extra=TARGET_EXTRA),
        Spec({"Z": Arr("N", "K"), "Y": Prob()}, setup=_sce, empty="raise"),
    ],
    "mathlib.layers.SoftmaxCrossEntropy.backward": Spec(
        {"dLoss": Real()}, setup=_sce_after_forward, setup_dims=("N", "K")),
    "mathlib.layers.init_weights": [
        Spec({"shape": SHAPE, "fan_in": Int(dim="D"), "fan_out": Int(dim="K"),
              "init": Choice("he", "xavier", "xavier_normal"), "std": Lit(None, bad=[0.1, "x"]),
              "rng": Rng(), "dtype": Dtype()}),
        Spec({"shape": SHAPE, "fan_in": Int(dim="D"), "fan_out": Int(dim="K"),
              "init": Choice("normal", "truncated_normal"), "std": Real(0), "rng": Rng(),
              "dtype": Dtype()}),
    ],
}


# --- conv ----------------------------------------------------------------------------------


def _cols_shape(d):
    Ho, Wo = _out_hw(d)
    return (d["N"] * Ho * Wo, d["C"] * d["k"] * d["q"])


def _pool_out(d):
    return (d["N"], d["C"], (d["H"] - 2) // 2 + 1, (d["W"] - 2) // 2 + 1)


CONV_DIMS = ("N", "C", "F", "H", "W", "k", "q")
COLS = Arr(lambda d: _cols_shape(d)[0], lambda d: _cols_shape(d)[1],
           dims=("N", "C", "H", "W", "k", "q"))
CONV_OUT = Arr("N", "F", lambda d: _out_hw(d)[0], lambda d: _out_hw(d)[1],
               dims=("N", "F", "H", "W", "k", "q"))
POOL_OUT = Arr("N", "C", lambda d: _pool_out(d)[2], lambda d: _pool_out(d)[3],
               dims=("N", "C", "H", "W"))


def _conv_layer(d):
    return Conv2D(d["C"], d["F"], (d["k"], d["q"]), rng=np.random.default_rng(0))


X_SHAPE = Lit(_dims(_images), dims=("N", "C", "H", "W"),
              bad=[_dims(lambda d: _images(d)[:3]), "abc", None,
                   _dims(lambda d: (*_images(d)[:3], -1)),
                   _dims(lambda d: (*_images(d)[:3], 2.5)), _dims(lambda d: np.array(_images(d))),
                   _dims(lambda d: (d["N"] + 1, *_images(d)[1:]))],
              ok=[_dims(lambda d: list(_images(d)))])
ARGMAX = Lit(_dims(lambda d: np.zeros(_pool_out(d), dtype=np.int64)),
             dims=("N", "C", "H", "W"),
             bad=[_dims(lambda d: np.zeros(_pool_out(d))),
                  _dims(lambda d: np.full(_pool_out(d), 4)),
                  _dims(lambda d: np.full(_pool_out(d), -1)), _dims(lambda d: np.zeros((1, 1))),
                  "abc", None],
             ok=[_dims(lambda d: np.zeros(_pool_out(d), dtype=np.uint8))])

SPECS |= {
    "mathlib.conv.conv_output_shape": Spec({"H": Int(dim="H"), "W": Int(dim="W"),
                                            "kernel_size": KERNEL, "stride": Int(1, 2),
                                            "padding": PAD}),
    "mathlib.conv.im2col": Spec({"X": IMAGES, "kh": Int(dim="k"), "kw": Int(dim="q"),
                                 "stride": Int(1, 2), "padding": PAD}),
    "mathlib.conv.col2im": Spec({"cols": COLS,
                                 "X_shape": X_SHAPE, "kh": Int(dim="k"), "kw": Int(dim="q"),
                                 "stride": Int(value=1), "padding": Lit(0, bad=[-1, 0.5, "x"])}),
    "mathlib.conv.conv2d_forward": Spec({"X": IMAGES, "W": FILTERS, "b": Arr("F"),
                                         "stride": Int(1, 2), "padding": PAD}),
    "mathlib.conv.conv2d_backward": Spec({
        "dOut": CONV_OUT, "X": IMAGES, "W": FILTERS,
        "stride": Int(value=1), "padding": Lit(0, bad=[-1, 0.5, "x", (0, 0, 0)]),
        "cols": Lit(None, bad=[np.zeros((1, 1)), "abc",
                               _dims(lambda d: np.zeros(_cols_shape(d)[::-1]))])}),
    "mathlib.conv.maxpool2d_forward": Spec({"X": IMAGES, "size": Int(1, 3),
                                            "stride": Int(1, 3)}),
    "mathlib.conv.maxpool2d_backward": Spec({
        "dOut": POOL_OUT, "argmax": ARGMAX, "X_shape": X_SHAPE,
        "size": Int(value=2), "stride": Int(value=2)}),
    "mathlib.conv.Conv2D": Spec({
        "in_channels": Int(dim="C"), "out_channels": Int(dim="F"), "kernel_size": KERNEL,
        "stride": Int(1, 2), "padding": PAD_LAYER, "rng": Rng(),
        "init": Choice("he", "xavier", "xavier_normal"), "std": Lit(None, bad=[0.1, "0.1"]),
        "bias": Real(), "dtype": Dtype()}),
    "mathlib.conv.Conv2D.from_arrays": Spec({"W": FILTERS, "b": Arr("F"), "stride": Int(1, 2),
                                             "padding": PAD_LAYER}),
    "mathlib.conv.Conv2D.forward": Spec({"X": IMAGES, "train": Flag()}, setup=_conv_layer,
                                        setup_dims=("C", "F", "k", "q")),
    "mathlib.conv.Conv2D.backward": Spec(
        {"dOut": CONV_OUT}, setup=_after_forward(_conv_layer, _images),
        setup_dims=("N", "C", "F", "H", "W", "k", "q"), call=_and_grads),
    "mathlib.conv.Conv2D.backward_params": Spec(
        {"dOut": CONV_OUT}, setup=_after_forward(_conv_layer, _images),
        setup_dims=("N", "C", "F", "H", "W", "k", "q"), call=_and_grads),
    "mathlib.conv.MaxPool2D": Spec({"size": Int(1, 3), "stride": Int(1, 3)}),
    "mathlib.conv.MaxPool2D.forward": Spec({"X": IMAGES, "train": Flag()},
                                           setup=lambda d: MaxPool2D(2, 2)),
    "mathlib.conv.MaxPool2D.backward": Spec(
        {"dOut": POOL_OUT}, setup=_after_forward(lambda d: MaxPool2D(2, 2), _images),
        setup_dims=("N", "C", "H", "W")),
}


# --- model, optim, train -------------------------------------------------------------------


def _model(d, dtype=np.float64):
    return mlp([d["D"], 3, d["K"]], rng=np.random.default_rng(0), dtype=dtype)


OPTIMIZER = Lit(Fresh(lambda: SGD(0.1), "SGD(0.1)"), bad=[None, 0.1, "sgd"],
                ok=[Fresh(lambda: _StepOnly(SGD(0.1)), "an optimiser without update")])


class _StepOnly:
    """An optimiser offering only ``step`` (the copying path of ``train_step``)."""

    def __init__(self, inner):
        self.step = inner.step


MODEL = Lit(_dims(lambda d: Fresh(lambda: _model(d), "mlp")), dims=("D", "K"),
            bad=[None, "model", Fresh(object, "object()"), Fresh(lambda: SGD(0.1), "SGD")])
BATCH = {"X": Arr("N", "D"), "y": Labels()}


def _model_params(d):
    return {k: v.shape for k, v in _model(d).params.items()}


SPECS |= {
    "mathlib.model.Sequential": Spec({"layers": Lit(
        Fresh(lambda: [L.Dense(2, 3, rng=np.random.default_rng(0)), L.ReLU()], "layers"),
        bad=[[], "abc", None, Fresh(lambda: L.ReLU(), "ReLU()"), [None],
             Fresh(lambda: [L.ReLU(), "relu"], "[ReLU(), 'relu']")],
        ok=[Fresh(lambda: (L.Dense(2, 3, rng=np.random.default_rng(0)), L.ReLU()), "tuple")])}),
    "mathlib.model.Sequential.set_params": Spec(
        {"params": Params(_model_params, dims=("D", "K"))}, setup=_model,
        setup_dims=("D", "K"), call=_and_state("params")),
    "mathlib.model.Sequential.forward": Spec({"X": Arr("N", "D"), "train": Flag()},
                                             setup=_model, setup_dims=("D", "K")),
    "mathlib.model.Sequential.backward": Spec(
        {"dOut": Arr("N", "K"), "input_grad": Flag()},
        setup=_after_forward(_model, lambda d: (d["N"], d["D"])),
        setup_dims=("N", "D", "K"), call=_and_grads),
    "mathlib.model.Sequential.train_step": Spec(
        BATCH | {"optimizer": OPTIMIZER}, setup=_model, setup_dims=("D", "K"), empty="raise",
        call=_and_state("params")),
    "mathlib.model.Sequential.loss_and_grads": [
        Spec(BATCH | {"train": Flag(), "return_logits": Flag()}, setup=_model,
             setup_dims=("D", "K"), empty="raise", extra=TARGET_EXTRA),
        Spec({"X": Arr("N", "D"), "Y": Prob()}, setup=_model, setup_dims=("D", "K"),
             empty="raise"),
    ],
    "mathlib.model.Sequential.summary": Spec(setup=_model),
}
for _m in ("logits", "predict_proba", "predict"):
    SPECS[f"mathlib.model.Sequential.{_m}"] = Spec(
        {"X": Arr("N", "D"), "batch_size": Int(1, 3)}, setup=_model, setup_dims=("D", "K"),
        empty="raise")

SPECS |= {
    "mathlib.model.mlp": Spec({
        "sizes": Lit(_dims(lambda d: [d["D"], d["K"]]),
                     bad=[_dims(lambda d: [d["D"]]), [], _dims(lambda d: [d["D"], 0]),
                          _dims(lambda d: [d["D"], 2.5]), "abc", None,
                          _dims(lambda d: [d["D"], str(d["K"])]), 5],
                     ok=[_dims(lambda d: (d["D"], d["K"])),
                         _dims(lambda d: [np.int64(d["D"]), d["K"]])]),
        "activation": Choice("relu", "sigmoid", "tanh"), "rng": Rng(), "dtype": Dtype(),
        "init": Lit(None, bad=["bogus", 3])}),
    "mathlib.model.cnn": Spec({
        "rng": Rng(), "dtype": Dtype(),
        "input_shape": Lit((1, 8, 8), bad=[(1, 8), (1, 8, 8.0), (0, 8, 8), (1, 1, 1), "abc",
                                           None, 8],
                           ok=[[1, 8, 8]]),
        "channels": Lit((2,), bad=[(0,), (2.5,), "ab", None, 2], ok=[[2]]),
        "kernel_size": Lit(3, bad=[0, 1.5, "3", None], ok=[(3, 3)]),
        "hidden": Lit(4, bad=[0, 2.5, "4"], ok=[np.int64(4)]),
        "num_classes": Int(2, 3, minimum=1), "keep_prob": Real(0, 1, lo_open=True),
        "init": Choice("he", "xavier"), "std": Lit(None, bad=[0.1]), "bias": Real()},
        examples=2),
    "mathlib.model.deep_mnist_cnn": Spec({"rng": Rng(), "dtype": Dtype(),
                                          "keep_prob": Real(0, 1, lo_open=True)}, examples=1),
}


def _step_params(d):
    return {"w": (d["D"],), "b": (d["K"],)}


def _updated(fn, kwargs):
    """``update`` works in place: the result is the parameters it changed."""
    fn(**kwargs)
    return kwargs["params"]


RATE = Real(0, lo_open=True)
FRACTION = Real(0, 1, hi_open=True)
EPS = Real(0, lo_open=True, value=1e-8)
STEP_ARGS = {"params": Params(_step_params, dims=("D", "K"), partner="grads"),
             "grads": Params(_step_params, dims=("D", "K"), partner="params")}

SPECS |= {
    "mathlib.optim.Optimizer": Spec({"learning_rate": RATE}),
    "mathlib.optim.Optimizer.reset": Spec(setup=lambda d: SGD(0.1)),
    # The base class's step is abstract; SGD inherits it unchanged.
    "mathlib.optim.Optimizer.step": Spec(STEP_ARGS, setup=lambda d: SGD(0.1),
                                         zero_ok=("D", "K")),
    "mathlib.optim.Optimizer.update": Spec(STEP_ARGS, setup=lambda d: SGD(0.1),
                                           zero_ok=("D", "K"), call=_updated),
    "mathlib.optim.BLOCK": Exempt("a constant"),
    "mathlib.optim.SGD": Spec({"learning_rate": RATE}),
    "mathlib.optim.Momentum": Spec({"learning_rate": RATE, "momentum": FRACTION}),
    "mathlib.optim.RMSProp": Spec({"learning_rate": RATE, "decay": FRACTION, "eps": EPS}),
    "mathlib.optim.Adam": Spec({"learning_rate": RATE, "beta1": FRACTION, "beta2": FRACTION,
                                "eps": EPS}),
    "mathlib.optim.sgd_step": Spec(STEP_ARGS | {"learning_rate": RATE}, zero_ok=("D", "K")),
    "mathlib.train.accuracy": Spec({"Z_or_P": Arr("N", "K"), "y": Labels()}, empty="raise"),
    "mathlib.train.confusion_matrix": Spec({"y_true": Labels(), "y_pred": Labels(),
                                            "num_classes": Int(dim="K")}),
    "mathlib.train.evaluate": Spec({"model": MODEL} | BATCH | {"batch_size": Int(1, 3)},
                                   empty="raise"),
}
def _penalized(d):
    from mathlib.regularization import PenalizedModel

    return PenalizedModel(_model(d), 0.01)


@needs_dims
def _weight_names(d):
    return [k for k in _model(d).params if k.endswith(".W")]


DECAY = Real(0)
DECAY_KEYS = Lit(None, bad=["0.W", ["no-such-key"], [3], 3], ok=[_weight_names])
SPECS |= {
    "mathlib.regularization.weight_keys": Spec({"params": Lit(
        {"0.W": 1, "0.b": 2}, bad=[None, [1], "abc", {3: 1}],
        ok=[{"0.W": np.zeros(2), "0.b": 0}])}),
    "mathlib.regularization.l2_penalty": Spec({
        "params": Params(_model_params, dims=("D", "K"), fixed_keys=False),
        "weight_decay": DECAY, "keys": DECAY_KEYS}, zero_ok=("D", "K")),
    "mathlib.regularization.l2_penalty_grad": Spec({
        "params": Params(_model_params, dims=("D", "K"), fixed_keys=False),
        "weight_decay": DECAY, "keys": DECAY_KEYS}, zero_ok=("D", "K")),
    "mathlib.regularization.PenalizedModel": Spec({
        "model": MODEL, "weight_decay": DECAY, "keys": DECAY_KEYS}),
    "mathlib.regularization.PenalizedModel.forward": Spec(
        {"X": Arr("N", "D"), "train": Flag()}, setup=_penalized, setup_dims=("D", "K")),
    "mathlib.regularization.PenalizedModel.loss_and_grads": [
        Spec(BATCH | {"train": Flag(), "return_logits": Flag()}, setup=_penalized,
             setup_dims=("D", "K"), empty="raise", extra=TARGET_EXTRA),
        Spec({"X": Arr("N", "D"), "Y": Prob()}, setup=_penalized, setup_dims=("D", "K"),
             empty="raise"),
    ],
    "mathlib.regularization.PenalizedModel.penalty": Spec(setup=_penalized),
    "mathlib.regularization.PenalizedModel.set_params": Spec(
        {"params": Params(_model_params, dims=("D", "K"))}, setup=_penalized,
        setup_dims=("D", "K"), call=_and_state("params")),
}

TRAIN_ARGS = {"model": MODEL} | BATCH | {
    "epochs": Int(1, 2), "batch_size": Int(1, 3),
    "optimizer": OPTIMIZER, "rng": Rng(), "progress": Flag(False),
    "dtype": Lit(np.float64, bad=[np.float32, "floaty", np.float16, None]),
    "max_steps": Lit(None, bad=[0, -1, 2.5, "3"], ok=[100]),
    "schedule": Func(lambda t: 0.1, optional=True, garbage=(Bad("garbage", _returns(-1.0, "-1")),
                                             Bad("garbage", _returns(math.nan, "nan")),
                                             Bad("garbage", _returns("abc", "str"))))}
SPECS["mathlib.train.train"] = [
    Spec(TRAIN_ARGS | {"eval_every": Lit(None, bad=[1])}, empty="raise", examples=2,
         extra=(("test set", lambda p, d: p | {"X_test": p["X"]}, ("X_test", "y_test")),)),
    Spec(TRAIN_ARGS | {"X_test": Arr("T", "D"), "y_test": Labels("T", "K"),
                       "eval_every": Int(1, 2, optional=True)}, empty="raise", examples=2),
]


# --- gradcheck, checks, init, toydata ------------------------------------------------------


def _sum_squares(x):
    return float(np.sum(x * x))


F_GARBAGE = (Bad("garbage", _returns(np.zeros(2), "array")),
             Bad("garbage", _returns(np.nan, "nan")), Bad("garbage", _returns("abc", "str")),
             Bad("garbage", _returns(None, "None")))
H = Real(0, lo_open=True, value=1e-5)
NAME = Text
OPTIONAL_N = Int(dim="N", minimum=0, optional=True)
OPTIONAL_K = Int(dim="K", minimum=0, optional=True)
ANY_SHAPE = Lit(_dims(lambda d: np.zeros((d["N"], d["D"]))), dims=("N", "D"),  # only shapes
                bad=[[[1.0, 2.0], [3.0]], _dims(lambda d: np.zeros((d["N"] + 1, d["D"])))],
                ok=[_dims(lambda d: np.zeros((d["N"], d["D"])).tolist()),
                    _dims(lambda d: np.full((d["N"], d["D"]), "a"))])


def _float64_dense(d):
    return Fresh(lambda: L.Dense(d["D"], d["K"], rng=np.random.default_rng(0)), "Dense")


SPECS |= {
    "mathlib.gradcheck.PASS_MARK": Exempt("a constant"),
    "mathlib.gradcheck.numerical_gradient": Spec(
        {"f": Func(_sum_squares, garbage=F_GARBAGE),
         "x": Arr("N", "D", ndims=None, float64_only=True), "h": H}, zero_ok=("D",)),
    "mathlib.gradcheck.numerical_gradient_params": Spec(
        {"loss_fn": Func(lambda p: sum(_sum_squares(v) for v in p.values()),
                         garbage=F_GARBAGE),
         "params": Params(_step_params, dims=("D", "K"), fixed_keys=False, float64_only=True),
         "h": H},
        zero_ok=("D", "K")),
    "mathlib.gradcheck.rel_error": Spec(
        {"a": Arr("N", "D", ndims=None), "b": Arr("N", "D", ndims=None), "eps": EPS},
        zero_ok=("D",)),
    "mathlib.gradcheck.rel_error_norm": Spec(
        {"a": Arr("N", "D", ndims=None), "b": Arr("N", "D", ndims=None)}, zero_ok=("D",)),
    "mathlib.gradcheck.check_layer_gradients": Spec(
        {"layer": Lit(_dims(_float64_dense), dims=("D", "K"),
                      bad=[None, "dense", Fresh(object, "object()")]),
         "X": Arr("N", "D", float64_only=True), "rng": Rng(), "h": H, "train": Flag()}),
    # the validators themselves
    "mathlib.checks.as_float_array": Spec(
        {"x": Arr("N", "D", ndims=None), "name": NAME("x"),
         "ndim": Lit(None, bad=["2", 2.5, (1, "2"), -1], ok=[_dims(lambda d: 2)]),
         "finite": Flag(True)}, zero_ok=("D",)),
    "mathlib.checks.check_finite": Spec({"x": Arr("N", "D", ndims=None), "name": NAME("x")},
                                        zero_ok=("D",)),
    "mathlib.checks.check_labels": Spec({"y": Labels(), "n": OPTIONAL_N, "k": OPTIONAL_K,
                                         "name": NAME("y")}),
    "mathlib.checks.check_one_hot": Spec({"Y": OneHot(), "n": OPTIONAL_N, "k": OPTIONAL_K,
                                          "name": NAME("Y")}),
    "mathlib.checks.check_prob_rows": Spec({"Y": Prob(), "n": OPTIONAL_N, "k": OPTIONAL_K,
                                            "name": NAME("Y"), "atol": Real(0, value=1e-6)}),
    "mathlib.checks.check_same_shape": Spec(
        {"a": ANY_SHAPE, "b": ANY_SHAPE, "name_a": NAME("a"), "name_b": NAME("b")},
        zero_ok=("D",)),
    "mathlib.checks.check_rng": Spec({"rng": Rng(), "name": NAME("rng")}),
    "mathlib.checks.check_int": Spec({"value": Int(0, 5, minimum=0), "name": NAME("value"),
                                      "minimum": Lit(0, bad=["0", 0.5], ok=[None])}),
    "mathlib.checks.check_positive_int": Spec({"value": Int(1, 5), "name": NAME("value")}),
    "mathlib.checks.check_number": Spec({
        "value": Real(0, 1), "name": NAME("value"),
        "low": Lit(0.0, bad=["0", math.nan], ok=[0, None]),
        "high": Lit(1.0, bad=["1", math.nan], ok=[1, None]),
        "low_open": Flag(False), "high_open": Flag(False)}),
    "mathlib.checks.check_bool": Spec({"value": Flag(), "name": NAME("value")}),
    "mathlib.checks.check_choice": Spec({"value": Choice("a", "b"), "name": NAME("value"),
                                         "options": Lit(("a", "b"), bad=["ab", None, 3, ("a", 3)],
                                                        ok=[["a", "b"]])}),
    "mathlib.checks.check_callable": Spec({"value": Func(len), "name": NAME("value")}),
    "mathlib.checks.check_mapping": Spec({"value": Lit({"a": 1}, bad=[None, [1], "abc"]),
                                          "name": NAME("value")}),
    "mathlib.checks.check_shape": Spec({"shape": SHAPE, "name": NAME("shape")},
                                       zero_ok=("D", "K")),
    "mathlib.checks.check_float_dtype": Spec({"dtype": Dtype(), "name": NAME("dtype")}),
    "mathlib.checks.describe": Spec({"value": AnyValue(1.5)}),
    "mathlib.checks.resolve_targets": [
        Spec({"y": Labels(), "Y": Lit(None, bad=[_dims(lambda d: np.eye(d["K"])[:d["N"]])]),
              "n": Int(dim="N", minimum=0), "k": Int(dim="K", minimum=0), "dtype": Dtype()}),
        Spec({"y": Lit(None, bad=[_dims(lambda d: np.zeros(d["N"], int))]), "Y": Prob(),
              "n": Int(dim="N", minimum=0), "k": Int(dim="K", minimum=0), "dtype": Dtype()}),
    ],
    "mathlib.init.normal": Spec({"shape": SHAPE, "std": Real(0), "rng": Rng(),
                                 "dtype": Dtype()}, zero_ok=("D", "K")),
    "mathlib.init.truncated_normal": Spec({"shape": SHAPE, "std": Real(0), "rng": Rng(),
                                           "dtype": Dtype()}, zero_ok=("D", "K")),
    "mathlib.init.constant": Spec({"shape": SHAPE, "value": Real(), "dtype": Dtype()},
                                  zero_ok=("D", "K")),
    "mathlib.toydata.least_squares_toy": Spec(),
    "mathlib.toydata.three_gaussians": Spec({
        "n_per_class": Int(1, 4), "rng": Rng(),
        "means": Lit(None, bad=["abc", np.zeros((3, 3)), np.full((3, 2), np.nan),
                                np.zeros((0, 2)), [[1.0, 2.0], [3.0]], np.zeros(2)],
                     ok=[Fresh(lambda: np.array([[-1.0, -0.5], [1.0, -0.5], [0.0, 1.2]]),
                               "the default means")]),
        "std": Lit(0.5, bad=[0, -1.0, math.nan, "0.5", None, np.zeros(3),
                             np.array([[0.5, -1.0]])],
                   ok=[np.float32(0.5), np.array([0.5]), np.full((3, 2), 0.5)])}),
    "mathlib.toydata.xor_data": Spec({"n": Int(4, 8, minimum=4), "rng": Rng(),
                                      "noise": Real(0, lo_open=True)}),
}
for _name in ("he_normal", "xavier_uniform", "xavier_normal"):
    SPECS[f"mathlib.init.{_name}"] = Spec({"fan_in": Int(dim="D"), "fan_out": Int(dim="K"),
                                          "rng": Rng(), "dtype": Dtype()})


# --- plots ----------------------------------------------------------------------------------


def _bowl(X1, X2):
    return X1**2 + X2**2 + 0.5  # (n, n), positive: fine for log-spaced levels


@needs_dims
def _proba(d):
    W = np.random.default_rng(3).standard_normal((2, d["K"]))

    def predict_proba(points):
        Z = points @ W  # (M, K)
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        return E / E.sum(axis=1, keepdims=True)
    return predict_proba


LIM = Lit((-1.0, 1.0), bad=[(1.0, -1.0), (0.0, 0.0), (0.0, math.nan), "ab", None, (0.0,),
                            (0, 1, 2), (0.0, math.inf)],
          ok=[[-1.0, 1.0], (-1, 1), np.array([-1.0, 1.0])])
P_GARBAGE = (Bad("garbage", _returns(np.zeros(3), "1-D")),
             Bad("garbage", _returns(np.full((4, 2), np.nan), "nan")),
             Bad("garbage", _returns("abc", "str")), Bad("garbage", _returns(None, "None")))
FIELD_GARBAGE = (Bad("garbage", _returns(np.zeros(3), "wrong shape")),
                 Bad("garbage", lambda X1, X2: np.full(X1.shape, np.nan)),
                 Bad("garbage", _returns("abc", "str")), Bad("garbage", _returns(None, "None")))


@needs_dims
def _curves(d):
    rng = np.random.default_rng(4)
    return {"train": (np.arange(d["T"]), np.exp(rng.standard_normal(d["T"]))),
            "test": (np.arange(d["T"]), np.exp(rng.standard_normal(d["T"])))}


SPECS |= {
    "mathlib.plots.STYLES": Exempt("a constant"),
    "mathlib.plots.plot_image": Spec({
        "ax": Axes(), "image": Arr("H", "W", ndims=(1,)), "title": Text(None, optional=True),
        "cmap": Lit("gray_r", bad=["no-such-map", 3, None], ok=["viridis"]),
        "symmetric": Flag(), "colorbar": Flag()}, examples=1),
    "mathlib.plots.plot_digit_grid": Spec({
        "axes": Axes(ncols=3),
        "images": Arr("N", "H", "W", ndims=(2,)),
        "titles": Lit(None, bad=[3, "abc", _dims(lambda d: ["t"] * (d["N"] + 1))],
                      ok=[_dims(lambda d: ["t"] * d["N"])])}, examples=1),
    "mathlib.plots.plot_confusion_matrix": Spec({
        "ax": Axes(), "cm": Arr("K", "K", low=0, high=9, nonneg=True),
        "class_names": Lit(None, dims=("K",), bad=[["a"], 3, _dims(lambda d: "x" * d["K"])],
                           ok=[_dims(lambda d: [str(k) for k in range(d["K"])])]),
        "normalize": Flag(), "annotate": Flag()}, examples=1),
    "mathlib.plots.plot_curves": Spec({
        "ax": Axes(), "curves": Lit(_curves, dims=("T",), bad=[
            None, [1, 2], {}, {"a": (np.arange(3), np.arange(4))}, {"a": "abc"},
            {"a": (np.arange(3),)}, {"a": (np.array(["x", "y"]), np.arange(2))}]),
        "xlabel": Text("step"), "ylabel": Text("loss"), "title": Text(None, optional=True),
        "logy": Flag(), "markevery": Lit(None, bad=[0, 1.5, "2", -1], ok=[1])},
        zero_ok=("T",), examples=1),
    "mathlib.plots.plot_contours": Spec({
        "ax": Axes(), "f": Func(_bowl, garbage=FIELD_GARBAGE), "xlim": LIM, "ylim": LIM,
        "levels": Lit(5, bad=[0, -3, 2.5, "5", [3.0, 1.0, 2.0], []],
                      ok=[[0.6, 1.0, 2.0], np.int64(5)]),
        "log": Flag(), "n": Int(3, 12, minimum=2), "filled": Flag(),
        "cmap": Lit("viridis", bad=["no-such-map", 3])}, examples=1),
    "mathlib.plots.plot_path": Spec({
        "ax": Axes(), "path": Arr("T", 2), "label": Text(None, optional=True),
        "style": Int(0, 3, minimum=0),
        "color": Lit(None, bad=["not-a-colour", 3.5, (1, 2)], ok=["C1", "red"])},
        examples=1),
    "mathlib.plots.plot_decision_regions": Spec({
        "ax": Axes(), "predict_proba": Func(_proba, garbage=P_GARBAGE, dims=("K",)),
        "xlim": LIM, "ylim": LIM, "X": Arr("N", 2), "y": Labels(),
        "levels": Lit((0.5, 0.9), bad=[(1.5,), "a", (), (0.9, "x"), None],
                      ok=[[0.5, 0.9], (0.9, 0.5)]),
        "n": Int(3, 10, minimum=2)}, examples=1,
        extra=(("X without y", lambda p, d: p | {"y": None}, ("X", "y")),
               ("y without X", lambda p, d: p | {"X": None}, ("X", "y")))),
}


# --- data ----------------------------------------------------------------------------------


def _idx_labels(values):
    """The bytes of an IDX labels file (magic 2049, count, one byte per label)."""
    return struct.pack(">II", 2049, len(values)) + bytes(int(v) for v in values)


IDX = Lit(_idx_labels([3, 1, 4]),  # (a str is a path: "abc" is a FileNotFoundError naming it)
          bad=[None, 3, [1, 2], b"\x00\x00\x08\x01", _idx_labels([3, 1, 4])[:-1],
               _idx_labels([3, 1, 4]) + b"\x00", _idx_labels([3, 11])],
          ok=[bytearray(_idx_labels([3, 1, 4])), gzip.compress(_idx_labels([3, 1, 4]), mtime=0)])
HEX = "0123456789abcdef"

SPECS |= {
    "mathlib.data.DEFAULT_MIRRORS": Exempt("a constant"),
    "mathlib.data.FILES": Exempt("a constant"),
    "mathlib.data.MIN_DOWNLOAD_RATE": Exempt("a constant"),
    "mathlib.data.VALIDATION_SEED": Exempt("a constant"),
    "mathlib.data.MNISTChecksumError": Exempt("an exception class"),
    "mathlib.data.MNISTSampleWarning": Exempt("a warning class"),
    "mathlib.data.MNISTUnavailableError": Exempt("an exception class"),
    "mathlib.data.default_cache_dir": Spec(),
    "mathlib.data.default_validation_size": Spec({"n_train": Int(0, 100, minimum=0)}),
    "mathlib.data.parse_idx": Spec({"data": Lit(
        _idx_labels([3, 1, 4]), bad=["abc", None, 3, [1, 2], b"\x00\x00\x08\x01",
                                    _idx_labels([3, 1, 4])[:-1], _idx_labels([3, 1, 4]) + b"\x00",
                                    _idx_labels([3, 11])],
        ok=[bytearray(_idx_labels([3, 1, 4])), memoryview(_idx_labels([3, 1, 4]))]),
        "name": Text("data")}),
    "mathlib.data.read_idx": Spec({"path_or_bytes": IDX, "name": Text("path_or_bytes",
                                                                      optional=True)}),
    "mathlib.data.validation_split": Spec({
        "labels": Labels(k=10),
        "validation_size": Lit(_dims(lambda d: d["N"] // 2),
                               bad=[-1, _dims(lambda d: d["N"] + 1), 0.5, "1", None],
                               ok=[_dims(lambda d: np.int64(d["N"] // 2))]),
        "seed": Int(0, 5, minimum=0)}),
    "mathlib.data.MNISTFile": Spec({
        "name": Lit("x-idx1-ubyte.gz", bad=["x.txt", 3, None, ""]),
        "sha256": Lit("ab" * 32, bad=["abc", "z" * 64, None, 3]),
        "md5": Lit("cd" * 16, bad=["abc", "z" * 32, None]),
        "size": Int(1, 100), "content_size": Int(1, 100)}),
    # The record load_mnist returns: images of any layout (flat, (28, 28), (1, 28, 28)) whose
    # sample shape agrees across the splits, and labels 0..9 that match the images in number.
    "mathlib.data.MNIST": Spec({
        "X_train": Arr("N", "D", ndims=None), "y_train": Labels(k=10),
        "X_val": Arr("T", "D", ndims=None), "y_val": Labels("T", 10),
        "X_test": Arr("K", "D", ndims=None), "y_test": Labels("K", 10),
        "source": Choice("full", "sample"), "description": Text("MNIST")},
        zero_ok=("T", "K", "D"),  # a record may hold an empty split; it only checks agreement
        strict_types={name: "a record of the arrays load_mnist made: NumPy arrays, int labels"
                      for name in ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test")}),
    "mathlib.data.load_mnist": Spec({
        "layout": Choice("flat", "image", "channels"), "scale": Choice("float", "uint8"),
        "one_hot": Flag(), "validation_size": Lit(None, bad=[-1, 0.5, "10", 10**9],
                                                  ok=[333, np.int64(333)]),
        "source": Lit("sample", bad=["internet", 3]), "timeout": Real(0, lo_open=True),
        "progress": Flag(False), "data_dir": Lit(None, bad=[3, ["a"]]),
        "cache_dir": Lit(None, bad=[3, ["a"]]), "mirrors": Lit(None, bad=[3, [3], b"x"])},
        examples=1),
}


# --- widgets -------------------------------------------------------------------------------


def _tiny_figure():
    fig = Figure(figsize=(1.0, 0.8), dpi=20)
    fig.subplots().plot([0, 1], [0, 1])
    return fig


def _line_update(fig):
    def update(a):
        fig.axes[0].lines[0].set_ydata([0, a])
    return update


def _explore_kwargs():
    fig = _tiny_figure()
    return dict(fig=fig, update=_line_update(fig), name="hostile-test", alt="a line",
                grid={"a": [1, 2]})


def _with_grid(fn, kwargs):
    """``explore``/``render`` take the slider grid (or values) as keyword arguments."""
    kwargs = dict(kwargs)
    extra = kwargs.pop("grid", None) or kwargs.pop("values", None) or {}
    if not isinstance(extra, dict):
        return fn(**kwargs, grid=extra)  # a bad grid: passed as it came
    return fn(**kwargs, **extra)


def _explorer(d):
    from mathlib.widgets import explore

    return explore(**{k: v for k, v in _explore_kwargs().items() if k != "grid"}, a=[1, 2])


FIG = Lit(Fresh(_tiny_figure, "a small figure"),
          bad=[None, "fig", Fresh(lambda: _tiny_figure().axes[0], "axes")])

SPECS |= {
    "mathlib.widgets.EXPLORERS": Exempt("the registry of explorers made so far (a list)"),
    "mathlib.widgets.new_figure": Spec({
        "figsize": Lit((2.0, 1.5), bad=[(0.0, 1.0), (-1.0, 1.0), "ab", None, (1.0,),
                                       (math.nan, 1.0)], ok=[[2.0, 1.5], (2, 1.5)]),
        "dpi": Int(20, 40)}, examples=1),
    "mathlib.widgets.figure_png": Spec({
        "fig": FIG, "dpi": Lit(None, bad=[0, -1, 2.5, "72"], ok=[20, np.int64(20)]),
        "compact": Flag()}, examples=1),
    "mathlib.widgets.explore": Spec({
        "fig": FIG, "update": Func(lambda a: None),
        "name": Lit("hostile-test", bad=["Bad Name", 3, None, ""]),
        "alt": Text("a line"), "caption": Text(""),
        "labels": Lit(None, bad=[{"zz": "x"}, 3, {"a": 3}], ok=[{"a": "a"}]),
        "initial": Lit(None, bad=[{"a": 99}, {"zz": 1}, 3], ok=[{"a": 1}]),
        "grid": Lit({"a": [1, 2]}, bad=[{}, {"a": []}, {"a": 3}, {"a": list(range(300))}],
                    ok=[{"a": (1, 2)}])}, call=_with_grid, examples=1),
    "mathlib.widgets.Explorer": Spec({
        "fig": FIG, "update": Func(lambda a: None),
        "name": Lit("hostile-test", bad=["Bad Name", 3, None]),
        "grid": Lit({"a": [1, 2]}, bad=[{}, {"a": []}, 3]),
        "labels": Lit({"a": "a"}, bad=[3, {"zz": "x"}]),
        "initial": Lit({"a": 1}, bad=[{"a": 99}, 3]), "alt": Text("a line"),
        "caption": Text(""), "callback_seconds": Lit([], bad=[3, "x"])}, examples=1),
    "mathlib.widgets.Explorer.render": Spec({
        "compact": Flag(), "values": Lit({"a": 2}, bad=[{"a": 99}, {"zz": 1}])},
        setup=_explorer, call=_with_grid, examples=1),
    "mathlib.widgets.Explorer.frames": Spec(setup=_explorer, examples=1),
    "mathlib.widgets.Explorer.to_html": Spec(setup=_explorer, examples=1),
    "mathlib.widgets.Explorer.widget": Spec(setup=_explorer, examples=1),
}


# --- preprocess, drawpad ---------------------------------------------------------------------


INK = Arr("H", "W", low=0.1, high=1.0, nonneg=True)  # grey levels in [0, 1], some ink
STROKES = Lit([np.array([[2.0, 2.0], [6.0, 7.0]])],
              bad=[[], None, "ab", [np.zeros((2, 3))], [[[1.0], [2.0, 3.0]]],
                   [np.array([[math.nan, 1.0]])], [np.zeros((0, 2))]],
              ok=[[[[2.0, 2.0], [6.0, 7.0]]], (np.array([[2.0, 2.0], [6.0, 7.0]]),)])


def _pad_model():
    return mlp([784, 4, 10], rng=np.random.default_rng(0))


def _pad_words_en():
    from mathlib.i18n import PAD_TEXT

    return dict(PAD_TEXT["en"])


def _pad_config():
    from mathlib.drawpad import export_model

    return export_model(_pad_model(), name="pad")


PAD_MODEL = Lit(Fresh(_pad_model, "mlp([784, 4, 10])"),
                bad=[None, "model", Fresh(lambda: mlp([784, 5], rng=np.random.default_rng(0)),
                                          "5 outputs"),
                     Fresh(lambda: mlp([10, 10], rng=np.random.default_rng(0)), "10 inputs"),
                     Fresh(lambda: cnn(rng=np.random.default_rng(0), input_shape=(3, 28, 28)),
                           "a CNN for 3 channels"),
                     Fresh(lambda: cnn(rng=np.random.default_rng(0), num_classes=4),
                           "a CNN with 4 outputs")])
PAD_CONFIG = Lit(Fresh(_pad_config, "export_model(...)"),
                 bad=[None, "abc", {}, {"layers": 3}, {"layers": [{"type": "conv"}]}, [],
                      {"name": "x", "layers": [{"type": "conv", "in": 1, "out": 2}]},
                      {"name": "x", "layers": [{"type": "maxpool", "size": 40, "stride": 2}]},
                      {"name": "x", "layers": [{"type": "flatten"}, {"type": "softmax"}]}])

# The pad's words: None (the book's language) or a dict with exactly PAD_TEXT's keys.
PAD_WORDS = Lit(None, bad=["Clear", {"clear": "Clear"}, [],
                           {**_pad_words_en(), "clear": 3}, {**_pad_words_en(), "extra": "x"}])

SPECS |= {
    "mathlib.preprocess.resize_area": Spec({
        "image": INK, "shape": Lit((3, 4), bad=[(0, 3), (2.5, 3), "ab", None, (3,)],
                                   ok=[[3, 4]])}),
    "mathlib.preprocess.center_of_mass": Spec({"image": INK}),
    "mathlib.preprocess.preprocess_digit": Spec({"canvas": INK}),
    "mathlib.preprocess.draw_strokes": Spec({"strokes": STROKES, "size": Int(8, 12, minimum=1),
                                             "pen": Real(0, lo_open=True)}),
    "mathlib.drawpad.JS_SOURCE": Exempt("a constant (the pad's JavaScript)"),
    "mathlib.i18n.LANGUAGES": Exempt("a constant"),
    "mathlib.i18n.language": Spec(),
    "mathlib.i18n.word": Spec({"key": Choice("class", "true class", value="class")}),
    "mathlib.i18n.pad_text": Spec(),
    # "en" only: "ja" would change matplotlib's font for the rest of the test session.
    "mathlib.i18n.use_language": Spec({"code": Choice("en", "ja", value="en")}),
    "mathlib.drawpad.export_model": Spec({"model": PAD_MODEL, "name": Lit("pad", bad=["", 3])},
                                         examples=1),
    "mathlib.drawpad.model_from_export": Spec({"config": PAD_CONFIG}, examples=1),
    "mathlib.drawpad.drawpad_html": Spec({"config": PAD_CONFIG, "text": PAD_WORDS}, examples=1),
    "mathlib.drawpad.drawpad": Spec({"model": PAD_MODEL, "name": Lit("pad", bad=["", 3])},
                                    examples=1),
    "mathlib.drawpad.DrawPad": Spec({"config": PAD_CONFIG, "text": PAD_WORDS}, examples=1),
}


# --- exercises: the checks and the machinery behind them -------------------------------------


def _raises(exc, label):
    def fn(*args, **kwargs):
        raise exc
    fn.__name__ = f"raises_{label}"
    return fn


def _vandal(*args, **kwargs):
    """A learner's function that overwrites its inputs and returns one of them."""
    for a in args:
        if isinstance(a, np.ndarray) and a.dtype.kind == "f":
            a[...] = np.nan
    return args[0] if args else None


def _no_arguments():
    return 1.0


CRASHES = [Bad("garbage", _raises(ZeroDivisionError("division by zero"), "ZeroDivisionError"),
               "feedback"),
           Bad("garbage", _raises(NotImplementedError(), "NotImplementedError"), "feedback"),
           Bad("garbage", _raises(ValueError("my bug"), "ValueError"), "feedback"),
           Bad("garbage", _raises(IndexError("index 5"), "IndexError"), "feedback")]
LEARNER_FUNCS = ([Bad("garbage", _returns(g, short(g)), "feedback") for g in GARBAGE]
                 + CRASHES + [Bad("garbage", _vandal, "feedback"),
                              Bad("garbage", _no_arguments, "feedback"),
                              Bad("garbage", lambda *a, **k: a[0], "feedback")])
NOT_FINITE = [None, "abc", np.nan, np.inf, [[1.0, 2.0], [3.0]], {}, np.array(["a", "b"]),
              np.full((2, 2), np.nan), Fresh(object, "object()")]  # garbage that is not finite
NOT_NUMBERS = [None, "abc", [[1.0, 2.0], [3.0]], {}, np.array(["a", "b"]),
               Fresh(object, "object()")]  # garbage that is not an array of numbers


def _in_case(fn, kwargs):
    """Checker methods are used inside ``with c.case(...)``; return the verdict."""
    checker = fn.__self__
    with checker.case("a hostile case"):
        fn(**kwargs)
    return checker.feedback()


def _checker(d):
    from mathlib.exercises import Checker

    return Checker("hostile")


class LearnerOut(Learner):
    def __init__(self, valid, garbage=GARBAGE):
        super().__init__(valid)
        self.garbage = garbage

    def bad(self, value, draw, d, ctx):
        return [Bad("garbage", g, "feedback") for g in self.garbage]


AUTHOR_ARRAY = Lit(np.ones(3), bad=["abc", np.full(3, np.nan), None, [[1.0], [1.0, 2.0]]],
                   ok=[[1.0, 1.0, 1.0]])
IN_CASE = {"setup": _checker, "call": _in_case, "aliases": {"fn": ("hostile",)}}

SPECS |= {
    "mathlib.exercises._core.Feedback": Spec({
        "exercise": Text("name"), "checks_run": Int(0, 5, minimum=0),
        "problems": Lit([], bad=["abc", None, [3], [None]], ok=[()])}),
    "mathlib.exercises._core.Checker": Spec({"exercise": Text("hostile")}),
    "mathlib.exercises._core.Checker.case": Spec({"description": Text("a case")},
                                                 setup=_checker),
    "mathlib.exercises._core.Checker.call": Spec(
        {"fn": Func(_no_arguments, garbage=CRASHES)}, **IN_CASE),
    "mathlib.exercises._core.Checker.call_quietly": Spec(
        {"fn": Func(_no_arguments, garbage=[
            *CRASHES, Bad("garbage", lambda: np.log(np.zeros(1)), "feedback")]),
         "hint": Text("a hint")}, **IN_CASE),
    "mathlib.exercises._core.Checker.expect_true": Spec(
        {"condition": Lit(True, bad=["yes", np.array([1, 2]), None, 1], ok=[np.True_]),
         "message": Text("a message")}, **IN_CASE),
    "mathlib.exercises._core.Checker.expect_shape": Spec(
        {"value": LearnerOut(np.zeros((2, 3))),
         "shape": Lit((2, 3), bad=["ab", None, (2.5, 3), (-1, 3)], ok=[[2, 3]]),
         "what": Text("the result")}, **IN_CASE),
    # numbers() only converts: NaN or a wrong shape is for the expect_* checks to judge.
    "mathlib.exercises._core.Checker.numbers": Spec(
        {"value": LearnerOut(np.zeros(3), NOT_NUMBERS), "what": Text("the result")}, **IN_CASE),
    "mathlib.exercises._core.Checker.expect_finite": Spec(
        {"value": LearnerOut(np.zeros(3), NOT_FINITE), "what": Text("the result")}, **IN_CASE),
    "mathlib.exercises._core.Checker.expect_close": Spec(
        {"value": LearnerOut(np.ones(3)), "expected": AUTHOR_ARRAY, "what": Text("the result"),
         "rtol": Real(0, value=1e-6), "atol": Real(0, value=1e-9), "show_expected": Flag()},
        **IN_CASE),
    "mathlib.exercises._core.Checker.expect_gradient": Spec(
        {"grad": LearnerOut(np.ones(3)), "numerical": AUTHOR_ARRAY, "what": Text("dW"),
         "tol": Real(0, lo_open=True, value=1e-6)}, **IN_CASE),
    "mathlib.exercises._core.Checker.feedback": Spec(setup=_checker),
}


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------

API = public_api()

# Every exercise check takes one argument, the learner's function (CONTRIBUTING.md): those
# that follow the convention get their entry here; one that does not has none and fails.
for _key, _obj in API.items():
    if (_key.startswith("mathlib.exercises.") and inspect.isfunction(_obj)
            and _obj.__name__.startswith("check_") and _key not in SPECS):
        _params = list(inspect.signature(_obj).parameters)
        if len(_params) == 1:
            SPECS[_key] = Spec({_params[0]: Func(_returns(None, "None"), garbage=LEARNER_FUNCS)},
                               examples=1)


@pytest.fixture(autouse=True, scope="module")
def _forget_test_explorers():
    """Leave mathlib.widgets.EXPLORERS as we found it (explore() registers every explorer)."""
    yield
    from mathlib.widgets import EXPLORERS

    EXPLORERS[:] = [e for e in EXPLORERS if e.name != "hostile-test"]


def _entries(key):
    entry = SPECS[key]
    return entry if isinstance(entry, list) else [entry]


CALLABLE_KEYS = sorted(k for k in SPECS if k in API and not isinstance(SPECS[k], Exempt))


def test_every_public_module_declares_all():
    missing = [m.__name__ for m in public_modules() if not hasattr(m, "__all__")]
    assert not missing, f"public modules without __all__: {missing}"


def test_every_public_name_has_an_entry():
    missing = sorted(set(API) - set(SPECS))
    stale = sorted(set(SPECS) - set(API))
    assert not missing, ("these public names have no entry in SPECS (say how to build valid "
                         f"arguments for them): {missing}")
    assert not stale, f"SPECS has entries for names that are no longer public: {stale}"


def _parameters(obj):
    fn = getattr(obj.cls, obj.name) if isinstance(obj, Method) else obj
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):  # some builtins have none
        return []
    return [p.name for p in sig.parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
            and p.name not in ("self", "cls") and not p.name.startswith("_")]


def test_every_parameter_is_in_the_table():
    """A parameter added later (``schedule=``) must be attacked too, or say why not."""
    missing = {}
    for key in CALLABLE_KEYS:
        covered = set()
        for spec in _entries(key):
            covered |= set(spec.args) | set(spec.unattacked)
        left = [p for p in _parameters(API[key]) if p not in covered]
        if left:
            missing[key] = left
    assert not missing, f"parameters without an entry in SPECS: {missing}"


def test_exempt_entries_take_no_input():
    for key, entry in SPECS.items():
        if not isinstance(entry, Exempt) or key not in API:
            continue
        obj = API[key]
        if isinstance(obj, Method):  # only abstract methods are exempt
            assert "raise NotImplementedError" in inspect.getsource(getattr(obj.cls, obj.name)), key
        else:
            assert not callable(obj) or (inspect.isclass(obj)
                                         and issubclass(obj, BaseException)), key


def _property(key, spec):
    """A Hypothesis test: ``spec.examples`` draws of sizes and values, derandomised so the
    tally is the same on every run. No shrinking: each problem already names the call."""
    @settings(max_examples=spec.examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), phases=(Phase.explicit, Phase.generate))
    @given(data=st.data())
    def run(data):
        run_example(key, spec, API[key], data)
    return run


@pytest.mark.parametrize("key", CALLABLE_KEYS)
def test_bad_input_gets_a_clear_error_or_a_correct_result(key):
    for spec in _entries(key):
        _property(key, spec)()


if __name__ == "__main__":  # the tally for the closing note
    failed = []
    for _key in CALLABLE_KEYS:
        try:
            test_bad_input_gets_a_clear_error_or_a_correct_result(_key)
        except AssertionError as err:
            failed.append(_key)
            print(f"FAILED {_key}\n{err}\n")
    print(f"{len(CALLABLE_KEYS)} public callables; {TALLY['valid calls']} valid calls as a "
          f"baseline; {TALLY['calls tried']} calls with bad or unusual input: "
          f"{TALLY['clear errors']} clear errors, {TALLY['correct results']} correct results, "
          f"{TALLY['obscure']} obscure, {TALLY['silently wrong']} silently wrong; "
          f"failed: {failed or 'none'}")
