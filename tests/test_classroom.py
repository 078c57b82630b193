"""The classroom edition: exercises in every chapter, stubs that fail kindly, solutions that pass.

These tests read whatever chapters exist, so a new chapter is covered without changing them.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import re
from pathlib import Path

import matplotlib
import nbformat
import pytest

from tools import classroom
from tools.make_student_edition import main as make_student_edition

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
IDS = [p.stem for p in CHAPTERS]


def _read(path):
    return nbformat.read(path, as_version=4)


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    assert make_student_edition(["--out", str(out)]) == 0
    return out / "chapters"


def test_there_are_chapters():
    assert CHAPTERS, "no chapter notebooks found"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_chapter_has_three_to_six_exercises_each_with_a_solution(path):
    nb = _read(path)
    labels = classroom.exercise_labels(nb)
    assert 3 <= len(labels) <= 6, f"{path.name} has {len(labels)} exercises (want 3 to 6)"
    assert len(set(labels)) == len(labels), f"duplicate exercise labels in {path.name}"
    sources = "\n".join(classroom.source(c) for c in nb.cells if c.cell_type == "markdown")
    for label in labels:
        solved = re.search(r"\{solution(-start)?\}\s*" + re.escape(label) + r"\b", sources)
        assert solved, f"exercise {label} in {path.name} has no solution"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_coding_exercises_are_folded_and_checked(path):
    nb = _read(path)
    cells = nb.cells
    for sol, check in classroom.coding_exercises(nb):
        i = next(k for k, c in enumerate(cells) if c is sol)
        assert classroom.is_solution_wrapper(cells[i - 1]), \
            f"{path.name}: the solution cell {i} must follow a {{solution-start}} cell"
        assert classroom.is_solution_wrapper(cells[i + 1]), \
            f"{path.name}: the solution cell {i} must be followed by a {{solution-end}} cell"
        assert classroom.check_call_present(check), \
            f"{path.name}: the code cell after solution cell {i} must call a check_* function"
        assert sol.metadata.get("nbgrader", {}).get("solution") is True, \
            f"{path.name}: solution cell {i} lacks nbgrader metadata (run `make execute`)"


def test_japanese_student_edition_is_written_in_japanese(student_dir):
    ja_chapters = sorted((ROOT / "ja" / "chapters").glob("*.ipynb"))
    if not ja_chapters:
        pytest.skip("no Japanese chapters yet")
    ja_dir = student_dir.parent / "ja" / "chapters"
    assert sorted(p.name for p in ja_dir.glob("*.ipynb")) == [p.name for p in ja_chapters]
    for path in ja_dir.glob("*.ipynb"):
        stubs = [c.source for c in _read(path).cells if c.cell_type == "markdown"
                 and ("Your answer here" in c.source or "ここに解答" in c.source)]
        assert all("ここに解答を書いてください" in s for s in stubs), path.name


def test_student_edition_is_written_for_every_chapter(student_dir):
    written = sorted(p.name for p in student_dir.glob("*.ipynb"))
    assert written == [p.name for p in CHAPTERS]
    for path in student_dir.glob("*.ipynb"):
        nb = _read(path)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, \
                    f"{path.name}: outputs must be cleared in the student edition"
        assert not any(classroom.is_solution_wrapper(c) for c in nb.cells)


def _solution_lines(nb) -> list[str]:
    """Distinctive lines of every solution: what must not survive in the student edition."""
    lines = []
    for cell in nb.cells:
        src = classroom.source(cell)
        if classroom.is_code_solution(cell):
            inside = False
            for line in src.splitlines():
                if line.strip() == classroom.BEGIN:
                    inside = True
                elif line.strip() == classroom.END:
                    inside = False
                elif inside:
                    lines.append(line.strip())
        elif classroom.is_markdown_solution(cell):
            lines += [ln.strip() for ln in src.splitlines()[1:]]
    return [ln for ln in lines if len(ln) >= 12 and not ln.startswith((":", "#", "`"))]


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_no_solution_text_survives_in_the_student_edition(path, student_dir):
    source_nb = _read(path)
    student_nb = _read(student_dir / path.name)
    student_text = "\n".join(classroom.source(c) for c in student_nb.cells)
    # A line that also appears outside the solutions (e.g. a shared helper) is not a leak.
    other_text = "\n".join(
        classroom.source(c) for c in source_nb.cells
        if not (classroom.is_code_solution(c) or classroom.is_markdown_solution(c))
    )
    leaks = [ln for ln in _solution_lines(source_nb) if ln in student_text and ln not in other_text]
    assert not leaks, f"solution text survives in the student {path.name}: {leaks[:3]}"
    assert classroom.STUB in student_text or not classroom.coding_exercises(source_nb)


def _run(src: str, namespace: dict):
    """Execute a cell's source; return the value of its last expression (like a notebook)."""
    src = "\n".join(ln for ln in src.splitlines() if not ln.lstrip().startswith(("%", "!")))
    tree = ast.parse(src)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    if last is not None:
        return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
    return None


@pytest.fixture()
def in_chapters_dir():
    """Run cells where the kernel would: in chapters/, with a non-interactive backend."""
    matplotlib.use("Agg")
    old = os.getcwd()
    os.chdir(ROOT / "chapters")
    yield
    os.chdir(old)


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_reference_solutions_pass_and_stubs_fail_helpfully(path, in_chapters_dir):
    nb = _read(path)
    pairs = classroom.coding_exercises(nb)
    if not pairs:
        pytest.skip(f"{path.name} has no coding exercises")
    base: dict = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        _run(classroom.source(classroom.setup_cell(nb)), base)
        for sol, check in pairs:
            ns = dict(base)
            _run(classroom.source(sol), ns)
            verdict = _run(classroom.source(check), ns)
            assert verdict is not None and verdict.passed, \
                f"{path.name}: the reference solution fails its check:\n{verdict}"
            ns = dict(base)
            _run(classroom.stub_code(classroom.source(sol)), ns)
            verdict = _run(classroom.source(check), ns)
            assert verdict is not None and not verdict.passed, \
                f"{path.name}: a stub passes its check"
            assert "NotImplementedError" in str(verdict) and "Replace" in str(verdict), \
                f"{path.name}: the stub's feedback is not helpful:\n{verdict}"


def test_stub_code_keeps_signature_and_indentation():
    src = (
        "def f(x):\n    '''Doc.'''\n"
        "    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\n"
    )
    out = classroom.stub_code(src)
    assert "return 2 * x" not in out
    assert "    raise NotImplementedError()" in out
    assert out.startswith("def f(x):")
    with pytest.raises(ValueError, match="without"):
        classroom.stub_code("### BEGIN SOLUTION\nx = 1\n")
