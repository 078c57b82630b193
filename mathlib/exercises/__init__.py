"""Automatic checks for the chapters' coding exercises.

Each coding exercise in a chapter has a starter cell (the learner's function, with the reference
solution between nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION`` markers) followed by a
check cell that calls one of the ``check_*`` functions here. A check runs the learner's function
on hidden cases and properties and returns a :class:`Feedback`: which case failed, the expected
shape, a gradient mismatch and where -- never the solution itself. The feedback speaks the
language set by :func:`mathlib.i18n.use_language`: every message comes from one table,
``_messages.MESSAGES``, with an English and a Japanese text per entry.

The checks live in small modules named after their topic; this package re-exports every public
``check_*`` so a notebook writes ``from mathlib.exercises import check_gradient_step``.
"""

from __future__ import annotations

import importlib
import pkgutil

from ._core import Checker, Feedback

__all__ = ["Feedback", "Checker"]

for _info in pkgutil.iter_modules(__path__):
    if _info.name.startswith("_"):
        continue
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    for _name in getattr(_module, "__all__", []):
        if _name in globals():  # two topics must not silently shadow each other's checks
            raise ImportError(f"mathlib.exercises.{_info.name} exports {_name!r} twice")
        globals()[_name] = getattr(_module, _name)
        __all__.append(_name)
