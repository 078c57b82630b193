"""The notation page lists every symbol shared by chapters, and it is generated from its list.

A symbol is a single letter or a Greek letter in the LaTeX of a chapter's markdown (text inside
``\\text{}``, ``\\operatorname{}`` and the like does not count). A symbol that appears in the
mathematics of two or more chapters must be in ``notation.yml``: under ``symbols`` (meaning,
shape, chapter, mathlib name) or under ``local`` (an index or a name defined where it is used).
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import make_notation  # noqa: E402

GREEK = set(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu "
    "xi pi rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma "
    "Phi Psi Omega nabla".split()
)
TEXTUAL = re.compile(r"\\(?:text|textrm|textit|operatorname|mathrm|label|tag)\{[^{}]*\}")


def math_segments(markdown: str) -> list[str]:
    display = re.findall(r"\$\$(.*?)\$\$", markdown, re.S)
    rest = re.sub(r"\$\$.*?\$\$", " ", markdown, flags=re.S)
    rest = re.sub(r"`[^`\n]*`", " ", rest)  # code spans and roles may hold a dollar sign
    inline = re.findall(r"(?<!\\)\$([^$]+?)\$", rest)  # may wrap a line, never a paragraph
    return display + [seg for seg in inline if "\n\n" not in seg]


def symbols_in(tex: str) -> set[str]:
    """Letters and Greek letters of a formula: ``\\eta\\, \\nabla L(w)`` -> eta, nabla, L, w.

    Two adjacent letters are two symbols (``XW`` is X times W); a run of three or more letters
    is a word (``out``, ``lse``) and does not count.
    """
    tex = TEXTUAL.sub(" ", tex)
    found = {"\\" + g for g in re.findall(r"\\([A-Za-z]+)", tex) if g in GREEK}
    tex = re.sub(r"\\[A-Za-z]+", " ", tex)
    runs = re.findall(r"[A-Za-z]+", tex)
    return found | {letter for run in runs if len(run) <= 2 for letter in run}


def chapter_symbols() -> dict[str, set[str]]:
    where: dict[str, set[str]] = defaultdict(set)
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        md = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        for seg in math_segments(md):
            for s in symbols_in(seg):
                where[s].add(path.stem)
    return where


def listed() -> set[str]:
    spec = make_notation.load()
    names = {part.strip() for s in spec["symbols"] for part in s["tex"].split(",")}
    names = {n.split("_")[0] for n in names}  # x_n is the entry for x
    return names | set(spec["local"]["letters"])


def test_symbol_extraction():
    assert symbols_in(r"\eta\, \nabla L(w) + \text{loss}") == {"\\eta", "\\nabla", "L", "w"}
    assert symbols_in(r"Z = XW + b \qquad \operatorname{softmax}(z)_k") == {
        "Z", "X", "W", "b", "z", "k"}


def test_every_shared_symbol_is_on_the_notation_page():
    missing = {s: sorted(docs) for s, docs in chapter_symbols().items()
               if len(docs) >= 2 and s not in listed()}
    assert not missing, (
        "symbols used in two or more chapters but missing from notation.yml (add them, then run "
        f"tools/make_notation.py): {missing}")


def test_page_is_generated_from_the_list():
    page = (ROOT / "notation.md").read_text()
    assert page == make_notation.render(make_notation.load()), \
        "notation.md is out of date: run `python tools/make_notation.py`"


@pytest.mark.parametrize("entry", make_notation.load()["symbols"], ids=lambda s: s["tex"])
def test_entries_point_at_real_chapters_and_code(entry):
    assert (ROOT / "chapters" / f"{entry['doc']}.ipynb").is_file(), entry["doc"]
    if entry.get("mathlib"):
        module, _, attr = entry["mathlib"].rpartition(".")
        try:
            obj = importlib.import_module(entry["mathlib"])
        except ModuleNotFoundError:
            obj = getattr(importlib.import_module(module), attr, None)
        assert obj is not None, f"{entry['mathlib']} does not exist"
