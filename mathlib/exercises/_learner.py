"""Helpers shared by the checks of chapters 0-2: read a learner's output without trusting it.

A learner's function may return anything -- a list, ``None``, a ragged list, a string. The
checks turn its result into a float64 array here, and a result that is not numbers becomes a
problem in the feedback instead of a traceback.
"""

from __future__ import annotations

import numpy as np

from mathlib.checks import describe

from ._core import Checker

__all__ = ["float_output", "CallBudget", "LoopDidNotStop"]


def float_output(c: Checker, value, *, what: str) -> np.ndarray:
    """``value`` as a new float64 array; if it is not an array of numbers, fail the case."""
    try:
        return np.array(value, dtype=np.float64)  # a copy: later checks see what was returned
    except (TypeError, ValueError):
        c.expect_true(False, f"{what} should be a NumPy array of numbers, but your function "
                             f"returned {describe(value)}.")
        raise AssertionError("unreachable: expect_true(False, ...) ends the case") from None


class LoopDidNotStop(Exception):
    """Raised by :class:`CallBudget` when a learner's loop calls a function too often."""


class CallBudget:
    """Wrap ``fn`` so that calling it more than ``limit`` times raises :class:`LoopDidNotStop`.

    A loop that ignores its stopping rule would otherwise hang the check; with the budget the
    learner reads which rule their loop did not respect.
    """

    def __init__(self, fn, limit: int, message: str):
        self.fn = fn
        self.limit = limit
        self.message = message
        self.calls = 0

    def __call__(self, *args):
        self.calls += 1
        if self.calls > self.limit:
            raise LoopDidNotStop(self.message)
        return self.fn(*args)
