"""Sphinx extension: number exercises per chapter ("Exercise 5.2"), like the per-page equations.

sphinx-exercise registers exercises as Sphinx *enumerable nodes*, so Sphinx numbers them with its
figure-numbering machinery: without section numbers in the table of contents that is one count
across the whole book ("Exercise 12" for the first exercise of chapter 3). A teacher who hands out
"exercise 3 of chapter 2" should find "Exercise 2.3" on the page, in every cross-reference and in
the teacher notes.

After Sphinx has assigned its numbers (``env-get-updated``), this extension renumbers the
exercises of every chapter page ``chapters/NN_name`` as ``(NN, 1), (NN, 2), ...`` in page order.
Titles, ``{ref}`` links and ``{numref}`` texts all read ``env.toc_fignumbers``, so they change
together. Pages that are not chapters keep Sphinx's numbering.

It also gives the label the book's word in each language. sphinx-exercise's own Japanese catalog
says 練習 where the book's glossary (``ja/glossary.yml``) and prose say 演習. Sphinx merges the
catalogs of one domain with the *first* loaded taking precedence, so this extension loads the
book's catalog (``_ext/locales``, compiled here from its ``.po``) and only then sets up
sphinx-exercise itself; the package's catalog stays the fallback for every other word.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

CHAPTER_DOC = re.compile(r"(?:^|/)chapters/(\d+)_[^/]+$")
FIGTYPE = "exercise"
#: sphinx-exercise's message catalog (its domain name) and the book's own .po files for it.
CATALOG = "exercise"
LOCALES = Path(__file__).parent / "locales"


def chapter_number(docname: str) -> int | None:
    """``chapters/05_softmax_regression`` -> 5; any other page -> None."""
    m = CHAPTER_DOC.search(docname)
    return int(m.group(1)) if m else None


def renumber(app: Sphinx, env: BuildEnvironment) -> list[str]:
    changed = []
    for docname, by_type in env.toc_fignumbers.items():
        n = chapter_number(docname)
        numbers = by_type.get(FIGTYPE)
        if n is None or not numbers:
            continue
        in_page_order = sorted(numbers, key=lambda node_id: numbers[node_id])
        new = {node_id: (n, k) for k, node_id in enumerate(in_page_order, start=1)}
        if new != numbers:
            by_type[FIGTYPE] = new
            changed.append(docname)
    return changed


def compile_catalogs(out: Path) -> Path:
    """Compile every ``locales/<lang>/LC_MESSAGES/exercise.po`` to a ``.mo`` under ``out``."""
    for po in LOCALES.glob(f"*/LC_MESSAGES/{CATALOG}.po"):
        mo = out / po.relative_to(LOCALES).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as f:
            catalog = read_po(f)
        with mo.open("wb") as f:
            write_mo(f, catalog)
    return out


def setup(app: Sphinx) -> dict:
    if "sphinx_exercise" in app.extensions:
        raise RuntimeError("load sphinx_exercise through _ext/exercise_numbers (after the book's "
                           "own catalog), not in extra_extensions")
    app.add_message_catalog(CATALOG, str(compile_catalogs(Path(app.doctreedir) / "locales")))
    app.setup_extension("sphinx_exercise")
    # After Sphinx's TocTreeCollector (priority 500) has assigned the book-wide numbers.
    app.connect("env-get-updated", renumber, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
