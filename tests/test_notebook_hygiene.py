"""Notebook hygiene, enforced: the policy is *all outputs fresh* (see tools/execute_notebooks.py).

Every committed chapter holds the outputs of one clean top-to-bottom run: every code cell ran,
in order, without errors; nothing names a personal path; the kernel is named ``python3``; no
live-widget state is stored; and the first code cell seeds the randomness.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
IDS = [p.stem for p in CHAPTERS]
# Both editions: the rules below that do not depend on the language hold for the Japanese
# chapters (ja/chapters, see tools/editions.py) too.
NOTEBOOKS = CHAPTERS + sorted((ROOT / "ja" / "chapters").glob("*.ipynb"))
NB_IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]
PERSONAL_PATH = re.compile(r"(/root/|/home/[a-z]|/Users/|[A-Z]:\\\\Users|/tmp/|/work/|\.venv/)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NB_IDS)
def test_outputs_are_fresh_and_in_order(path):
    nb = nbformat.read(path, as_version=4)
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts} are not 1..n; "
        "run `make execute` to store the outputs of one clean run"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NB_IDS)
def test_no_errors_stored(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"{path.name}: cell {i} stores an error"
            text = out.get("text", "")
            assert "Traceback (most recent call last)" not in text, \
                f"{path.name}: cell {i} prints a traceback"
            assert not re.search(r"Glyph \d+ .*missing from", text), \
                f"{path.name}: cell {i} drew a character its font lacks (an empty box)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NB_IDS)
def test_no_personal_paths(path):
    text = path.read_text()
    m = PERSONAL_PATH.search(text)
    assert m is None, f"{path.name} contains a machine path: ...{text[m.start()-40:m.end()+40]}..."


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NB_IDS)
def test_kernel_and_widget_state(path):
    raw = json.loads(path.read_text())
    assert raw["metadata"]["kernelspec"]["name"] == "python3"
    assert "widgets" not in raw["metadata"], f"{path.name} stores widget state"
    assert "application/vnd.jupyter.widget-view+json" not in path.read_text(), \
        f"{path.name} stores a live widget view (run `make execute`)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NB_IDS)
def test_one_seeded_setup_cell_and_no_installs(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "default_rng(" in code[0].source, f"{path.name}: the setup cell must seed an rng"
    for cell in code:
        assert not re.search(r"^\s*[!%]\s*pip", cell.source, re.M), \
            f"{path.name}: notebooks never install packages"
        assert "np.random.seed" not in cell.source, f"{path.name}: use rng, not global seeding"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NB_IDS)
def test_outputs_come_from_the_current_code(path):
    """The stored outputs (the book's figures) are those of the code as it is now."""
    from tools.execute_notebooks import code_sha256

    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.get("executed_code_sha256") == code_sha256(nb), (
        f"{path.relative_to(ROOT)}: its code changed since its outputs were stored; "
        f"run `python tools/execute_notebooks.py {path.relative_to(ROOT)}`")


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_chapter_outline(path):
    nb = nbformat.read(path, as_version=4)
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), \
        f"{path.name} must open with its title"
    assert "**In this chapter**" in md, f"{path.name} lacks the 'In this chapter' bullets"
    assert re.search(r"^## Summary", md, re.M), f"{path.name} lacks a Summary section"


def test_toc_lists_every_chapter_in_order():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [ch["file"] for part in toc["parts"] for ch in part["chapters"]]
    chapters = [f for f in files if f.startswith("chapters/")]
    assert chapters == [f"chapters/{p.stem}" for p in CHAPTERS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NB_IDS)
def test_setup_cell_installs_mathlib_on_a_hosted_notebook(path):
    """Colab/Binder open a notebook without the repository: the setup cell installs mathlib."""
    from tools.bootstrap import has_bootstrap

    assert has_bootstrap(path), (
        f"{path.name}: the setup cell must start with the hosted-notebook snippet; "
        "run `python tools/bootstrap.py insert chapters/*.ipynb`")
