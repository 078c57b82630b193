"""Sphinx extension: a description and Open Graph tags on every page, for link previews.

A link to the book pasted into a chat or a forum shows a card built from ``<meta property=
"og:...">`` tags. Every HTML page gets

- ``og:title``: the page's title, followed by the book's title (on the landing page, the book's
  title alone);
- ``description`` and ``og:description``: on the landing page, ``social_description`` from the
  configuration, as written (keep it under about 200 characters); on any other page, the page's
  first paragraph of prose (cut at a word to 200 characters), so a shared chapter link says
  what that chapter does;
- ``og:type``, ``og:site_name``, and ``og:url`` and ``og:image`` when ``html_baseurl`` (the
  published address) is set, since Open Graph wants absolute addresses for those two.

Why not ``sphinxext-opengraph``: it does the same and more, but it is one more dependency for four
tags, and its image card needs ``matplotlib`` fonts and an absolute site URL at build time. These
tags are computed from the pages themselves, offline, and request nothing.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

from docutils import nodes
from sphinx.application import Sphinx

DESCRIPTION_CHARS = 200


def first_paragraph(doctree: nodes.document | None) -> str:
    """The first paragraph of prose of a page (not inside an admonition, a cell or a table)."""
    if doctree is None:
        return ""
    skip = (nodes.Admonition, nodes.table, nodes.literal_block, nodes.field_list, nodes.topic)
    for para in doctree.findall(nodes.paragraph):
        parent, inside = para.parent, False
        while parent is not None:
            if isinstance(parent, skip) or (isinstance(parent, nodes.container)
                                            and parent.get("nb_element")):
                inside = True
                break
            parent = parent.parent
        text = " ".join(para.astext().split())
        if not inside and len(text) > 40:
            return text
    return ""


def shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def add_meta(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is None and pagename != app.config.root_doc:
        return  # search, genindex: no preview of their own
    book = app.config.html_title or app.config.project
    is_root = pagename == app.config.root_doc
    page_title = re.sub(r"<[^>]+>", "", html.unescape(context.get("title") or "")).strip()
    title = book if is_root or not page_title else f"{page_title} · {book}"
    description = (app.config.social_description if is_root else
                   shorten(first_paragraph(doctree)) or app.config.social_description)
    tags = {
        "og:title": title,
        "og:description": description,
        "og:type": "website",
        "og:site_name": book,
    }
    base = app.config.html_baseurl
    if base:
        tags["og:url"] = urljoin(base.rstrip("/") + "/", app.builder.get_target_uri(pagename))
        if app.config.html_logo:
            logo = app.config.html_logo.rsplit("/", 1)[-1]
            tags["og:image"] = urljoin(base.rstrip("/") + "/", f"_static/{logo}")
    lines = [f'<meta name="description" content="{html.escape(description)}" />']
    lines += [f'<meta property="{k}" content="{html.escape(v)}" />' for k, v in tags.items()]
    context["metatags"] = context.get("metatags", "") + "\n".join(lines) + "\n"


def setup(app: Sphinx) -> dict:
    app.add_config_value("social_description", "", "html", types=[str])
    app.connect("html-page-context", add_meta)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
