"""The feedback machinery shared by every exercise check.

A check creates a :class:`Checker`, runs the learner's function on hidden cases through
:meth:`Checker.call`, compares with :meth:`Checker.expect_close` / :meth:`Checker.expect_shape`
/ :meth:`Checker.expect_true`, and returns :meth:`Checker.feedback`. Messages are specific and
kind, and name the case, never the solution. Every message is an entry of
:data:`mathlib.exercises._messages.MESSAGES`, shown in the language set by
:func:`mathlib.i18n.use_language` (English by default, Japanese in the Japanese edition).

Whatever the learner's function returns or raises becomes feedback, never a traceback: a
crash, a string where an array belongs, a ragged list. Mistakes of the *check's author* (a
tolerance that is not a number, an expected value with NaN, a non-function passed as the
learner's function) raise a ``TypeError``/``ValueError`` that names the argument.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from mathlib.checks import (
    as_float_array,
    check_bool,
    check_int,
    check_number,
    check_shape,
    describe,
)

from ._messages import msg

__all__ = ["Feedback", "Checker"]


@dataclass
class Feedback:
    """The result of an exercise check: ``passed``, how many checks ran, and what went wrong.

    Shown as the last expression of a cell it renders as a short coloured box (with a text
    form for nbval and terminals); ``bool(feedback)`` is ``passed``.
    """

    exercise: str
    checks_run: int
    problems: list[str] = field(default_factory=list)

    def __post_init__(self):
        _text(self.exercise, "exercise")
        check_int(self.checks_run, "checks_run", minimum=0)
        if not isinstance(self.problems, list | tuple) or not all(
                isinstance(p, str) for p in self.problems):
            raise TypeError(f"problems must be a list of strings, got {describe(self.problems)}")
        self.problems = list(self.problems)

    @property
    def passed(self) -> bool:
        return not self.problems

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        if self.passed:
            return msg("core.passed", exercise=self.exercise, checks_run=self.checks_run)
        lines = [msg("core.not_yet", exercise=self.exercise, count=len(self.problems))]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour, mark = ("#1a7f37", "&#10004;") if self.passed else ("#9a6700", "&#9998;")
        items = "".join(f"<li>{html.escape(p)}</li>" for p in self.problems)
        body = f"<ul>{items}</ul>" if items else ""
        head = html.escape(str(self).splitlines()[0])
        return (
            f'<div class="mathlib-feedback" role="status" style="border-left: 4px solid '
            f'{colour}; padding: 0.3em 0.8em;"><strong>{mark} {head}</strong>{body}</div>'
        )


class _TheResult:
    """The default ``what``: "the result", in the language of the moment it is shown."""

    def __repr__(self) -> str:
        return repr(msg("core.the_result"))


_THE_RESULT = _TheResult()


def _what(what) -> str:
    """``what`` checked as a str, with the default put into the current language."""
    return msg("core.the_result") if what is _THE_RESULT else _text(what, "what")


class _Stop(Exception):
    """Raised inside a check to stop after a problem that makes later cases meaningless."""


def _at(idx: tuple) -> str:
    """" at index (i, j)" for the worst entry of an array ("" for a single number)."""
    return msg("core.at_index", index=tuple(int(i) for i in idx)) if idx else ""


def _text(value, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {describe(value)}")
    return value


class Checker:
    """Collects the outcome of the hidden cases of one exercise.

    Usage::

        c = Checker("softmax_rows")
        with c.case("two rows of small scores"):
            out = c.call(fn, Z)
            c.expect_shape(out, (2, 3))
            c.expect_close(out, expected, what="the probabilities")
        return c.feedback()
    """

    def __init__(self, exercise: str):
        self.exercise = _text(exercise, "exercise")
        if not exercise:
            raise ValueError("exercise must name the exercise, got an empty string")
        self.checks_run = 0
        self.problems: list[str] = []
        self._case = ""
        self._called = False  # has the learner's function run in the current case?
        self._stubbed = False  # once a stub is seen, one message is enough

    # A case groups expectations; the first failure inside a case ends that case only.
    def case(self, description: str):
        """Start a hidden case: use as ``with c.case("..."):``; its first problem ends it."""
        self._case = _text(description, "description")
        self._called = False
        return self

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is _Stop:
            return True
        if exc_type is not None and issubclass(exc_type, Exception) and self._called:
            # The check's own code tripped over what the learner's function returned (a
            # ragged list, a string, ...): that is feedback about the result, not a crash.
            self.problems.append(self._where() + msg(
                "core.unreadable", error=type(exc).__name__, detail=exc))
            return True
        return False

    def _learner_fn(self, fn):
        if not callable(fn):
            raise TypeError(msg("core.not_function", exercise=self.exercise, got=describe(fn)))
        return fn

    def numbers(self, value, what: str) -> np.ndarray:
        """The learner's value as a new float64 array; anything else ends the case with a problem.

        A learner's function may return a list, ``None``, a ragged list or a string; every
        check reads its result through here, so such a result becomes feedback, not a traceback.
        """
        _text(what, "what")
        try:
            arr = np.asarray(value)
        except ValueError:  # ragged nested lists
            self._fail(msg("core.ragged", what=what, kind=type(value).__name__))
        if arr.dtype.kind not in "biuf":
            self._fail(msg("core.not_numbers", what=what, got=describe(value)))
        return arr.astype(float)

    def _where(self) -> str:
        """The prefix that names the current case ("" outside a case)."""
        return msg("core.where", case=self._case) if self._case else ""

    def _fail(self, message: str, stop: bool = True):
        self.problems.append(self._where() + message)
        if stop:
            raise _Stop

    def call(self, fn: Callable, *args, **kwargs):
        """Call the learner's function; a stub or a crash becomes a clear problem."""
        self._learner_fn(fn)
        if self._stubbed:
            raise _Stop
        self._called = True
        self.checks_run += 1
        name = getattr(fn, "__name__", None)
        if name is None:
            name = msg("core.your_function")
        try:
            return fn(*args, **kwargs)
        except NotImplementedError:
            self._stubbed = True
            self.problems.append(msg("core.not_implemented", name=name))
            raise _Stop from None
        except Exception as err:  # report any crash as feedback, not a traceback
            self._fail(msg("core.raised", name=name, error=type(err).__name__, detail=err))

    def call_quietly(self, fn: Callable, *args, hint: str):
        """Like :meth:`call`, but a floating-point warning inside ``fn`` is a problem.

        Overflow, 0/0 and log(0) raise NumPy's RuntimeWarning; underflow to 0 is harmless in a
        stable implementation and ignored. ``hint`` says what to do about it.
        """
        self._learner_fn(fn)
        _text(hint, "hint")
        errstate = np.errstate(over="warn", divide="warn", invalid="warn", under="ignore")
        with warnings.catch_warnings(record=True) as caught, errstate:
            warnings.simplefilter("always")
            out = self.call(fn, *args)
        runtime = [w for w in caught if issubclass(w.category, RuntimeWarning)]
        if runtime:
            self.expect_true(False, msg("core.numpy_warned", warning=runtime[0].message,
                                        hint=hint))
        self.checks_run += 1
        return out

    def expect_true(self, condition: bool, message: str):
        """Record ``message`` as a problem unless ``condition`` (a bool) holds."""
        condition = check_bool(condition, "condition")
        _text(message, "message")
        self.checks_run += 1
        if not condition:
            self._fail(message)

    def expect_shape(self, value, shape: tuple, *, what: str = _THE_RESULT):
        """Check that ``value`` is an array of the given shape."""
        shape = check_shape(shape)
        what = _what(what)
        self.checks_run += 1
        try:
            arr = np.asarray(value)
        except ValueError:
            self._fail(msg("core.shape_ragged", what=what, shape=tuple(shape),
                           kind=type(value).__name__))
        if arr.shape != tuple(shape):
            self._fail(msg("core.shape", what=what, shape=tuple(shape), got=arr.shape))

    def expect_finite(self, value, *, what: str = _THE_RESULT):
        """Check that every entry is finite (no overflow to inf, no NaN)."""
        what = _what(what)
        self.checks_run += 1
        arr = self.numbers(value, what)
        if not np.all(np.isfinite(arr)):
            bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
            self._fail(msg("core.not_finite", what=what, value=arr[bad], index=bad))

    def expect_close(self, value, expected, *, what: str = _THE_RESULT, rtol=1e-6, atol=1e-9,
                     show_expected: bool = True):
        """Check that ``value`` matches ``expected`` entry by entry.

        The message names the worst entry; ``show_expected=False`` hides the expected number
        (for cases where the number would give the answer away).
        """
        exp = as_float_array(expected, "expected")
        what = _what(what)
        rtol = check_number(rtol, "rtol", low=0)
        atol = check_number(atol, "atol", low=0)
        show_expected = check_bool(show_expected, "show_expected")
        self.checks_run += 1
        got = self.numbers(value, what)
        if got.shape != exp.shape:
            self._fail(msg("core.shape", what=what, shape=exp.shape, got=got.shape))
        if not np.all(np.isfinite(got)):
            self.expect_finite(got, what=what)
        if not np.allclose(got, exp, rtol=rtol, atol=atol):
            err = np.abs(got - exp) - rtol * np.abs(exp)
            idx = np.unravel_index(int(np.argmax(err)), err.shape) if err.ndim else ()
            if show_expected:
                self._fail(msg("core.off_expected", what=what, at=_at(idx), got=got[idx],
                               expected=exp[idx]))
            self._fail(msg("core.off", what=what, at=_at(idx), got=got[idx]))

    def expect_gradient(self, grad, numerical, *, what: str, tol: float = 1e-6):
        """Compare an analytic gradient with a numerical one; name the worst entry."""
        n = as_float_array(numerical, "numerical")
        _text(what, "what")
        tol = check_number(tol, "tol", low=0, low_open=True)
        self.checks_run += 1
        g = self.numbers(grad, what)
        if g.shape != n.shape:
            self._fail(msg("core.grad_shape", what=what, shape=n.shape, got=g.shape))
        if not np.all(np.isfinite(g)):
            self.expect_finite(g, what=what)
        if g.size == 0:
            return
        denom = np.maximum(np.abs(g) + np.abs(n), 1e-12)
        rel = np.abs(g - n) / denom
        rel[np.abs(g - n) < 1e-10] = 0.0  # both essentially zero
        if rel.max() > tol:
            idx = np.unravel_index(int(np.argmax(rel)), rel.shape) if rel.ndim else ()
            self._fail(msg("core.grad_mismatch", what=what, rel=rel.max(), at=_at(idx),
                           tol=tol))

    def feedback(self) -> Feedback:
        """The verdict, ready to display."""
        return Feedback(self.exercise, self.checks_run, list(self.problems))
