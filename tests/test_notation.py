"""The notation page lists every symbol shared by chapters, and it is generated from its list.

A symbol is a single letter or a Greek letter in the LaTeX of a chapter's markdown (text inside
``\\text{}``, ``\\operatorname{}`` and the like does not count). A symbol that appears in the
mathematics of two or more chapters must be in ``notation.yml``: under ``symbols`` (meaning,
shape, chapter, mathlib name) or under ``local`` (an index or a name defined where it is used).

The Japanese edition's ``ja/notation.md`` is generated from the same list: every entry carries
its Japanese meaning (``meaning_ja``), and the page has the same rows (symbols, shapes, chapter
links, mathlib names) as ``notation.md``, with the translation record of the current English page.
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
    page = (ROOT / "notation.md").read_text(encoding="utf-8")
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


# --- the Japanese edition's page ---------------------------------------------------------------

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")  # kana and kanji


@pytest.mark.parametrize("entry", make_notation.load()["symbols"], ids=lambda s: s["tex"])
def test_every_entry_has_its_japanese_meaning(entry):
    meaning = entry.get("meaning_ja")
    assert isinstance(meaning, str) and JAPANESE.search(meaning), (
        f"notation.yml: the entry {entry['tex']!r} needs `meaning_ja`, its meaning in Japanese "
        f"(got {meaning!r}); then run `python tools/make_notation.py`")


def test_an_entry_without_japanese_meaning_is_refused():
    spec = make_notation.load()
    entry = dict(spec["symbols"][0])
    entry.pop("meaning_ja", None)
    with pytest.raises(ValueError, match="meaning_ja"):
        make_notation.render_ja({**spec, "symbols": [entry]})
    with pytest.raises(ValueError, match="no Japanese"):
        make_notation.shape_ja("a ragged list")


def test_japanese_page_is_generated_from_the_list():
    page = make_notation.PAGE_JA.read_text(encoding="utf-8")
    assert page == make_notation.render_ja_page(make_notation.load()), (
        "ja/notation.md is out of date with notation.yml (or with notation.md, whose hash its "
        "translation record holds): run `python tools/make_notation.py`")


def _rows(page: str) -> list[list[str]]:
    lines = [ln for ln in page.splitlines() if ln.startswith("| ") and not ln.startswith("|---")]
    return [[cell.strip() for cell in ln.strip("|").split(" | ")] for ln in lines[1:]]


def test_japanese_page_has_the_same_rows_as_the_english_one():
    en = _rows((ROOT / "notation.md").read_text(encoding="utf-8"))
    ja = _rows(make_notation.PAGE_JA.read_text(encoding="utf-8"))
    assert len(en) == len(ja) == len(make_notation.load()["symbols"])
    for e, j in zip(en, ja, strict=True):
        assert j[0].replace("、", ", ") == e[0], (e[0], j[0])  # the same symbols
        assert j[3:] == e[3:], (e, j)  # the same chapter link and mathlib name
        tuples = re.findall(r"\([^)]*\)", e[2])
        assert re.findall(r"\([^)]*\)", j[2]) == tuples, (e[2], j[2])  # the same shapes
        assert JAPANESE.search(j[1]), j[1]


def test_japanese_page_is_in_step_with_the_english_one():
    import editions

    en, ja = ROOT / "notation.md", make_notation.PAGE_JA
    assert editions.structure_problems(en, ja) == []
    assert editions.drift_problems(en, ja) == []
