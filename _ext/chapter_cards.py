"""Sphinx extension: a grid of chapter cards on the landing page, each with a figure from the build.

In ``intro.md``::

    ```{chapter-cards}
    chapters/05_softmax_regression: How far does one linear map from pixels to ten scores get?
    ...
    ```

Each line names a chapter page and the one question it answers. For every line the card shows
the chapter's title (as the table of contents has it), the question, a link to the chapter and a
thumbnail of one figure **that the chapter's own run produced in this build**: the image output of
the first code cell tagged ``landing-card``, or by default the first image output of the
notebook. The thumbnail is made from that output file at build time, so it can never drift
from the chapter the way a stored screenshot would.

Why an extension, and why this shape:

- The figures only exist once the notebooks have run, and the landing page is read before or
  after the chapters in any order. A directive therefore leaves a placeholder, and the cards are
  filled in at ``doctree-resolved`` (the write phase), when every chapter's doctree is pickled and
  its image outputs are on disk. ``env-get-outdated`` re-writes the landing page whenever a chapter
  is re-read, so an incremental build never shows an old figure.
- The figures in the chapters are drawn for reading (about 1,000 px wide, 40-240 KB of PNG);
  ten of them would weigh more than the rest of the landing page. Each is downscaled with Pillow
  to ``THUMB_WIDTH`` pixels (twice the card's CSS width, sharp on a high-density screen) and
  stored as WebP, a few KB each, in ``_images/cards/``.
- The grid is plain HTML and a few lines of CSS in the page (no sphinx-design, no script):
  CSS grid with ``auto-fill`` columns gives one column on a phone and up to four on a desktop,
  and the theme's colour variables keep it readable in dark mode.
- A line that names a missing page, a chapter with no image output, or a chapter page of the
  table of contents left without a card is a build warning (so ``-W`` fails the build).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from PIL import Image
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

CHAPTER_DOC = re.compile(r"^chapters/\d+_[^/]+$")
TAG = "landing-card"
THUMB_WIDTH = 480  # pixels; the card shows it at most about 240 CSS pixels wide
THUMB_DIR = "_images/cards"

CSS = """
.chapter-cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(13.5rem,1fr));
  gap:1rem;margin:1.25rem 0 2rem;padding:0;list-style:none}
.chapter-cards li{margin:0}
.chapter-card{display:flex;flex-direction:column;height:100%;border:1px solid
  var(--pst-color-border,#ccc);border-radius:.5rem;overflow:hidden;text-decoration:none!important;
  color:inherit!important;background:var(--pst-color-surface,transparent)}
.chapter-card:hover,.chapter-card:focus{border-color:var(--pst-color-primary,#1f77b4);
  box-shadow:0 .15rem .6rem rgba(0,0,0,.15)}
.chapter-card img{display:block;width:100%;height:8.5rem;object-fit:contain;background:#fff;
  border-bottom:1px solid var(--pst-color-border,#ccc)}
.chapter-card .cc-title{font-weight:600;padding:.6rem .75rem 0}
.chapter-card .cc-question{padding:.25rem .75rem .75rem;font-size:.92em;
  color:var(--pst-color-text-muted,#555)}
"""


class chapter_cards(nodes.General, nodes.Element):
    """Placeholder, replaced by the grid when the page is written."""


class ChapterCardsDirective(Directive):
    has_content = True

    def run(self):
        env = self.state.document.settings.env
        cards, problems = [], []
        for line in self.content:
            if not line.strip():
                continue
            doc, sep, question = line.partition(":")
            if not sep or not question.strip():
                problems.append(f"chapter-cards: expected 'docname: question', got {line!r}")
                continue
            cards.append((doc.strip().removesuffix(".ipynb"), question.strip()))
        for msg in problems:
            logger.warning(msg, location=(env.docname, self.lineno))
        if not cards:
            logger.warning("chapter-cards: no cards listed", location=(env.docname, self.lineno))
        if not hasattr(env, "chapter_cards_docs"):
            env.chapter_cards_docs = set()
        env.chapter_cards_docs.add(env.docname)
        return [chapter_cards(cards=cards)]


def first_figure(doctree: nodes.document) -> nodes.image | None:
    """The image output of the first code cell tagged ``landing-card``, else the first one."""
    def is_cell(n):
        return isinstance(n, nodes.container) and n.get("nb_element") == "cell_code"

    def output_images(cell):
        return [img for out in cell.findall(nodes.container)
                if out.get("nb_element") == "cell_code_output"
                for img in out.findall(nodes.image)]

    cells = list(doctree.findall(is_cell))
    for cell in cells:
        if TAG in cell.get("cell_metadata", {}).get("tags", []):
            images = output_images(cell)
            if images:
                return images[0]
    for cell in cells:
        images = output_images(cell)
        if images:
            return images[0]
    return None


def thumbnail(source: Path, target: Path) -> tuple[int, int]:
    """Downscale ``source`` to ``THUMB_WIDTH`` pixels wide (never up) as WebP; return its size."""
    with Image.open(source) as im:
        im = im.convert("RGBA") if im.mode in ("P", "LA") else im
        if im.mode == "RGBA":  # transparent figure background -> white, as the card shows it
            white = Image.new("RGB", im.size, "white")
            white.paste(im, mask=im.getchannel("A"))
            im = white
        im = im.convert("RGB")
        if im.width > THUMB_WIDTH:
            im = im.resize((THUMB_WIDTH, round(im.height * THUMB_WIDTH / im.width)),
                           Image.Resampling.LANCZOS)
        target.parent.mkdir(parents=True, exist_ok=True)
        im.save(target, "WEBP", quality=80, method=6)
        return im.size


def render_cards(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    env = app.env
    for node in list(doctree.findall(chapter_cards)):
        listed = {doc for doc, _ in node["cards"]}
        for doc in sorted(d for d in env.found_docs if CHAPTER_DOC.match(d)):
            if doc not in listed:
                logger.warning(f"chapter-cards: chapter {doc} has no card", location=node)
        if app.builder.format != "html":
            node.replace_self(nodes.paragraph())
            continue
        items = []
        for doc, question in node["cards"]:
            if doc not in env.found_docs:
                logger.warning(f"chapter-cards: no page {doc!r}", location=node)
                continue
            image = first_figure(env.get_doctree(doc))
            if image is None:
                logger.warning(f"chapter-cards: {doc} produced no figure", location=node)
                continue
            source = Path(env.srcdir) / image["candidates"]["*"]
            name = doc.replace("/", "__") + ".webp"
            w, h = thumbnail(source, Path(app.outdir) / THUMB_DIR / name)
            title = env.titles[doc].astext()
            href = app.builder.get_relative_uri(docname, doc)
            src = f"{app.builder.get_target_uri(docname).count('/') * '../'}{THUMB_DIR}/{name}"
            alt = image.get("alt") or f"A figure from the chapter {title}"
            items.append(
                f'<li><a class="chapter-card" href="{html.escape(href)}">'
                f'<img src="{src}" width="{w}" height="{h}" '
                f'alt="{html.escape(alt)}">'
                f'<span class="cc-title">{html.escape(title)}</span>'
                f'<span class="cc-question">{html.escape(question)}</span></a></li>')
        markup = (f"<style>{' '.join(CSS.split())}</style>"
                  f'<ul class="chapter-cards">{"".join(items)}</ul>')
        node.replace_self(nodes.raw("", markup, format="html"))


def outdated(app, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """Re-write the pages with cards whenever any page is re-read (its figure may be new)."""
    docs = getattr(env, "chapter_cards_docs", set())
    return sorted(docs & env.found_docs) if (added or changed or removed) else []


def purge(app, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "chapter_cards_docs", set()).discard(docname)


def merge(app, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    if not hasattr(env, "chapter_cards_docs"):
        env.chapter_cards_docs = set()
    env.chapter_cards_docs |= getattr(other, "chapter_cards_docs", set()) & set(docnames)


def setup(app: Sphinx) -> dict:
    app.add_node(chapter_cards)
    app.add_directive("chapter-cards", ChapterCardsDirective)
    app.connect("doctree-resolved", render_cards)
    app.connect("env-get-outdated", outdated)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
