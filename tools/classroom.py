"""The classroom conventions of the chapter notebooks, in one place.

One source notebook serves the book, the reader and the class:

- A **coding exercise** is a code cell whose reference solution sits between nbgrader's markers
  ``### BEGIN SOLUTION`` and ``### END SOLUTION``, followed by a **check cell**: the next code
  cell, which calls a ``check_*`` function from ``mathlib.exercises``. In the book the solution
  cell is wrapped in ``{solution-start}`` / ``{solution-end}`` markdown cells, so it is folded.
  The solution and check cells may use only names from the chapter's setup cell (the first code
  cell), so each exercise can be checked on its own.
- A **derivation exercise** has its solution in a markdown cell that starts with a
  ``{solution}`` directive (``:::{solution} label``), folded in the book by ``:class: dropdown``.

The student edition replaces code solutions with ``raise NotImplementedError()`` (as nbgrader
does), derivation solutions with *Your answer here* (in Japanese for the Japanese edition),
drops the fold markers and clears outputs.
Solution cells also carry nbgrader cell metadata, so nbgrader users can take the notebooks as
they are.
"""

from __future__ import annotations

import copy
import re

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB = "raise NotImplementedError()"
_SOLUTION_MD = re.compile(r"^\s*(:{3,}|`{3,})\{solution\}\s*(?P<label>\S*)")
_WRAPPER_MD = re.compile(r"^\s*(:{3,}|`{3,})\{solution-(start|end)\}")
_EXERCISE_MD = re.compile(r"(:{3,}|`{3,})\{exercise\}[^\n]*\n(?:[^\n]*\n)*?\s*:label:\s*(\S+)")
_CHECK_CALL = re.compile(r"\bcheck_[a-z0-9_]+\s*\(")


def source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def is_code_solution(cell) -> bool:
    return cell.get("cell_type") == "code" and BEGIN in source(cell)


def is_markdown_solution(cell) -> bool:
    return cell.get("cell_type") == "markdown" and bool(_SOLUTION_MD.match(source(cell)))


def is_solution_wrapper(cell) -> bool:
    return cell.get("cell_type") == "markdown" and bool(_WRAPPER_MD.match(source(cell)))


def exercise_labels(nb) -> list[str]:
    """The labels of every ``{exercise}`` directive, in order."""
    labels = []
    for cell in nb["cells"]:
        if cell.get("cell_type") == "markdown":
            labels += [m.group(2) for m in _EXERCISE_MD.finditer(source(cell))]
    return labels


def setup_cell(nb):
    """The chapter's one setup cell: its first code cell."""
    return next(c for c in nb["cells"] if c.get("cell_type") == "code")


def coding_exercises(nb) -> list[tuple[dict, dict]]:
    """Pairs ``(solution cell, check cell)``; the check is the next code cell."""
    cells = nb["cells"]
    pairs = []
    for i, cell in enumerate(cells):
        if not is_code_solution(cell):
            continue
        check = next((c for c in cells[i + 1:] if c.get("cell_type") == "code"), None)
        pairs.append((cell, check))
    return pairs


def stub_code(src: str) -> str:
    """Replace every marked solution region by a stub at the marker's indentation."""
    out, inside = [], False
    for line in src.splitlines():
        stripped = line.strip()
        if stripped == BEGIN:
            indent = line[: len(line) - len(line.lstrip())]
            out += [f"{indent}# YOUR CODE HERE", f"{indent}{STUB}"]
            inside = True
        elif stripped == END:
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{BEGIN} without {END} in:\n{src}")
    return "\n".join(out)


def solution_label(cell) -> str:
    m = _SOLUTION_MD.match(source(cell))
    return m.group("label") if m else ""


def notebook_language(nb) -> str:
    """"ja" for a page of the Japanese edition (it carries a translation record), else "en"."""
    return "ja" if nb.get("metadata", {}).get("translation") else "en"


def student_markdown(cell, language: str = "en") -> str:
    label = solution_label(cell)
    if language == "ja":
        ref = f"（演習 {{ref}}`{label}`）" if label else ""
        return f"**ここに解答を書いてください{ref}。** このセルに導出を書きます。"
    ref = f" (exercise {{ref}}`{label}`)" if label else ""
    return f"**Your answer here{ref}.** Write your derivation in this cell."


def add_nbgrader_metadata(nb, stem: str):
    """Mark solution and check cells the way nbgrader expects (schema 3)."""
    for i, cell in enumerate(nb["cells"]):
        meta = None
        if is_code_solution(cell) or is_markdown_solution(cell):
            meta = {"solution": True, "grade": is_markdown_solution(cell), "locked": False}
            if meta["grade"]:
                meta["points"] = 1
        elif cell.get("cell_type") == "code" and any(
            check is cell for _, check in coding_exercises(nb)
        ):
            meta = {"solution": False, "grade": True, "locked": True, "points": 1}
        if meta is not None:
            meta.update({"grade_id": f"{stem}-cell-{i}", "schema_version": 3})
            cell.setdefault("metadata", {})["nbgrader"] = meta
        else:
            cell.get("metadata", {}).pop("nbgrader", None)
    return nb


def studentize(nb):
    """Return the student edition of a notebook (the input is not modified)."""
    nb = copy.deepcopy(nb)
    language = notebook_language(nb)
    cells = []
    for cell in nb["cells"]:
        if is_solution_wrapper(cell):
            continue
        if is_code_solution(cell):
            cell["source"] = stub_code(source(cell))
        elif is_markdown_solution(cell):
            cell["source"] = student_markdown(cell, language)
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cells.append(cell)
    nb["cells"] = cells
    nb.get("metadata", {}).pop("widgets", None)
    return nb


def check_call_present(cell) -> bool:
    return cell is not None and bool(_CHECK_CALL.search(source(cell)))
