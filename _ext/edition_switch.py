"""Sphinx extension: a language switch on every page, leading to the same page in the other edition.

The English book is built into ``_build/html/`` and the Japanese one into ``_build/html/ja/``
(``make book``). Each book's ``_config.yml`` names the other edition::

    edition_other_language: ja          # its language code and label
    edition_other_label: 日本語
    edition_other_source: ja            # its source folder, relative to this book's
    edition_other_url: ja/              # its site root, relative to this site's root

On every page the extension adds a link to the page of the same name in the other edition (to
the other edition's start page when that page is not translated yet), and a
``<link rel="alternate" hreflang=...>`` in the head, which is how search engines pair
translations. The link is plain HTML, so it works with JavaScript off and offline.

It also makes the Japanese edition's search find compound words. Sphinx indexes Japanese text
with a word segmenter (``sphinx.search.ja``), but in the browser it splits a query only at
spaces and punctuation, and Japanese writes no spaces: 「交差エントロピー」 stayed one query
term that is not in the index (which holds 交差 and エントロピー). For ``language: ja`` the
search page's ``splitQuery`` therefore segments the query with the browser's own word
segmenter (``Intl.Segmenter``, ICU's dictionary), falling back to the old split where a browser
lacks it.
"""

from __future__ import annotations

import html
from pathlib import Path

from sphinx.application import Sphinx

_SUFFIXES = (".ipynb", ".md")


def _counterpart(app: Sphinx, pagename: str) -> str:
    """URL of ``pagename``'s twin, relative to the current page."""
    cfg = app.config
    other_src = (Path(app.srcdir) / cfg.edition_other_source).resolve()
    exists = any((other_src / (pagename + s)).exists() for s in _SUFFIXES)
    target = pagename if exists else "index"
    up = "../" * pagename.count("/")
    return f"{up}{cfg.edition_other_url}{target}.html"


def _add_switch(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    cfg = app.config
    if not cfg.edition_other_language or doctree is None:
        return
    href = html.escape(_counterpart(app, pagename))
    lang, label = html.escape(cfg.edition_other_language), html.escape(cfg.edition_other_label)
    context["metatags"] = (context.get("metatags", "")
                           + f'\n<link rel="alternate" hreflang="{lang}" href="{href}" />')
    switch = (f'<nav class="edition-switch" aria-label="{html.escape(cfg.edition_switch_aria)}">'
              f'<a href="{href}" hreflang="{lang}" lang="{lang}">{label}</a></nav>\n')
    context["body"] = switch + context.get("body", "")


_CSS = """
.edition-switch { float: right; margin: 0 0 0.5rem 1rem; font-size: 0.9rem; }
.edition-switch a { border: 1px solid var(--pst-color-border, #ccc); border-radius: 0.3rem;
  padding: 0.15rem 0.6rem; text-decoration: none; }
"""


def _write_css(app: Sphinx, exc) -> None:
    if exc is None and app.builder.format == "html":
        out = Path(app.outdir) / "_static" / "edition-switch.css"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(_CSS, encoding="utf-8")


# Sphinx puts this into language_data.js as the search page's splitQuery (see the docstring).
_JA_SPLITTER = """
function splitQuery(query) {
  if (typeof Intl !== "undefined" && typeof Intl.Segmenter === "function") {
    var words = [];
    for (var s of new Intl.Segmenter("ja", {granularity: "word"}).segment(query)) {
      if (s.isWordLike) words.push(s.segment);
    }
    return words;
  }
  return query.split(/[\\s\\u3000\\u3001\\u3002,.]+/).filter(function (w) { return w; });
}
"""


def _japanese_query_splitter(app: Sphinx) -> None:
    if app.config.language == "ja":
        from sphinx.search.ja import SearchJapanese

        SearchJapanese.js_splitter_code = _JA_SPLITTER


def setup(app: Sphinx) -> dict:
    app.add_config_value("edition_other_language", "", "html")
    app.add_config_value("edition_other_label", "", "html")
    app.add_config_value("edition_other_source", "", "html")
    app.add_config_value("edition_other_url", "", "html")
    app.add_config_value("edition_switch_aria", "Language", "html")
    app.connect("builder-inited", _japanese_query_splitter)
    app.connect("html-page-context", _add_switch)
    app.connect("build-finished", _write_css)
    app.add_css_file("edition-switch.css")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
