"""Helpers for checks whose learner functions loop: a call budget that stops a runaway loop.

(A learner's result is read with :meth:`Checker.numbers`, which turns anything that is not an
array of numbers into feedback.)
"""

from __future__ import annotations

__all__ = ["CallBudget", "LoopDidNotStop"]


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
