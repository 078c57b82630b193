"""Rules for the prose: numbers come from the code, and the test set is touched once.

1. **Numbers in the prose are computed.** A number with three or more significant digits in the
   markdown of a chapter, of the intro or of the teacher notes must be glued from the code
   (``{glue:text}`key` ``), or sit inside math or code, or be allowed with a reason: in
   ``ALLOWED`` below for the whole book (sizes that the code asserts, years), or per page
   (a chapter's notebook metadata ``"prose_numbers": {"0.0229": "why"}``, a markdown page's
   front matter ``prose_numbers:``). Two significant digits ("92 %", "60,000") are a rounded
   statement the reader checks against the glued value beside it; three or more are a
   measurement, and a typed measurement goes stale the day the code changes.
2. **The test set is used once.** Every setting is chosen on the validation split. In a chapter,
   no code cell may mention ``X_test`` or ``y_test`` before the markdown cell labelled
   ``(chN-final-test)=``, where the final model meets the test data, once.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
# Both editions: the Japanese pages (ja/, see tools/editions.py) follow the same rules.
CHAPTERS = [*sorted((ROOT / "chapters").glob("*.ipynb")),
            *sorted((ROOT / "ja" / "chapters").glob("*.ipynb"))]
PAGES = [ROOT / "intro.md", *sorted((ROOT / "teacher_notes").glob("*.md")),
         *[p for p in (ROOT / "ja" / "intro.md", ROOT / "ja" / "notation.md") if p.exists()],
         *sorted((ROOT / "ja" / "teacher_notes").glob("*.md"))]
IDS = [str(p.relative_to(ROOT)) for p in CHAPTERS]
PAGE_IDS = [str(p.relative_to(ROOT)) for p in PAGES]

# Numbers allowed everywhere, with the reason. Sizes here are asserted by the code that uses them.
ALLOWED = {
    "784": "pixels of a 28x28 image; load_mnist and every model check this input size",
    "1024": "the Deep-MNIST CNN's hidden width, fixed by the tutorial and built by deep_mnist_cnn",
    "3136": "7 * 7 * 64, the CNN's flattened feature size, checked by the layer shapes",
    "0.0229": "the learning rate of the source notes' experiment: an input, not a result",
    "256": "a hidden width chosen in the text and built by the code beside it",
    "128": "a hidden width chosen in the text and built by the code beside it",
    "255": "the largest pixel value of the IDX files (uint8)",
    "0.999": "Adam's default beta_2, an input",
}
YEAR = re.compile(r"^(19|20)\d\d$")

STRIP = [
    re.compile(r"```.*?```", re.S),  # fenced code and directives' bodies stay checked below
    re.compile(r"\$\$.*?\$\$", re.S),  # display math
    re.compile(r"(?<!\\)\$[^$\n]+?\$"),  # inline math
    re.compile(r"\{[a-z:-]+\}`[^`]*`"),  # roles: glue, eq, doc, ref, numref ...
    re.compile(r"`[^`\n]*`"),  # inline code
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"<[^>\n]+>"),  # html tags
    re.compile(r"^\s*:[a-z-]+:.*$", re.M),  # directive options (:label: ...)
    re.compile(r"^\([\w-]+\)=\s*$", re.M),  # MyST targets
    re.compile(r"https?://\S+"),
]
# ASCII word characters only: Python's \w also matches kana and kanji, and a number written
# against Japanese text ("1175回") must still be found.
NUMBER = re.compile(r"(?<![\w.\-/])(\d[\d,]*(?:\.\d+)?)(?![\w]|\.\d)", re.ASCII)


def significant_digits(number: str) -> int:
    """Significant digits as a reader sees them: 0.0229 -> 3, 1175 -> 4, 60,000 -> 1, 2.50 -> 3."""
    digits = number.replace(",", "")
    if "." in digits:
        return len(digits.replace(".", "").lstrip("0"))
    return len(digits.lstrip("0").rstrip("0"))


def typed_numbers(markdown: str) -> list[str]:
    """Numbers with three or more significant digits left in prose once math and code are gone."""
    text = markdown
    for pattern in STRIP:
        text = pattern.sub(" ", text)
    found = []
    for match in NUMBER.finditer(text):
        number = match.group(1).rstrip(",")
        if significant_digits(number) >= 3 and not YEAR.match(number):
            found.append(number)
    return found


def front_matter(text: str) -> dict:
    if text.startswith("---\n"):
        end = text.index("\n---", 4)
        return yaml.safe_load(text[4:end]) or {}
    return {}


def test_the_detector_finds_typed_measurements():
    md = ("Accuracy 92.27 % after 1175 steps, {glue:text}`ch5_acc` glued, $\\eta = 0.0229$ in "
          "math, `0.123` in code, 60,000 images, 3.2 million parameters, 1.5e-11, year 2015, 92 %.")
    assert typed_numbers(md) == ["92.27", "1175"]
    assert typed_numbers("更新は1175回必要で、正解率は92 %です。") == ["1175"]
    assert significant_digits("0.0229") == 3 and significant_digits("60,000") == 1


def _offenders(markdown_cells, allowed):
    bad = []
    for where, md in markdown_cells:
        for number in typed_numbers(md):
            if number not in ALLOWED and number not in allowed:
                bad.append(f"{where}: {number}")
    return bad


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_chapter_prose_numbers_are_glued(path):
    nb = nbformat.read(path, as_version=4)
    allowed = nb.metadata.get("prose_numbers", {})
    cells = [(f"{path.name} cell {i}", c.source) for i, c in enumerate(nb.cells)
             if c.cell_type == "markdown"]
    bad = _offenders(cells, allowed)
    assert not bad, ("typed numbers in the prose (glue them, or allow them with a reason in the "
                     "notebook metadata 'prose_numbers'):\n" + "\n".join(bad))


@pytest.mark.parametrize("path", PAGES, ids=PAGE_IDS)
def test_page_prose_numbers_are_glued(path):
    text = path.read_text(encoding="utf-8")
    allowed = front_matter(text).get("prose_numbers", {})
    bad = _offenders([(path.name, text)], allowed)
    assert not bad, ("typed numbers in the prose (glue them, or allow them with a reason in the "
                     "page's front matter 'prose_numbers'):\n" + "\n".join(bad))


TEST_DATA = re.compile(r"\b[Xy]_test\b")


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_test_set_is_used_once_at_the_end(path):
    nb = nbformat.read(path, as_version=4)
    n = int(path.stem.split("_")[0])
    label = f"(ch{n}-final-test)="
    marks = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and label in c.source]
    uses = [i for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and TEST_DATA.search(c.source)]
    if not uses:
        return
    assert len(marks) == 1, f"{path.name} uses test data but has no single '{label}' section"
    early = [i for i in uses if i < marks[0]]
    assert not early, (f"{path.name}: cells {early} touch the test set before the final "
                       f"evaluation (cell {marks[0]}); choose on data.X_val / data.y_val")
