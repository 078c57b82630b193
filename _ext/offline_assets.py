"""Sphinx extension: make the built book readable with no network.

Jupyter Book's defaults load MathJax from a CDN, so an offline reader sees raw TeX.
This extension copies MathJax 3 from an installed PyPI package (``django-static-mathjax``,
pinned in requirements.txt; it is plain MathJax with no Django code) into the site's
``_static/vendor/mathjax/`` at build time and points Sphinx's ``mathjax_path`` at it.

We ship the CommonHTML output with every TeX extension preloaded (``tex-chtml-full.js``,
1.3 MB, against 2.3 MB for the SVG build) and its woff-v2 fonts, of which a page fetches
only the few it uses. The accessibility, menu and speech components are copied too, since
MathJax's menu may load them on demand.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

MATHJAX_PACKAGE = "mathjax"  # the import name of django-static-mathjax
MATHJAX_ENTRY = "tex-chtml-full.js"
# Files and folders of MathJax's es5 build that the entry point may request at run time.
MATHJAX_PARTS = [
    MATHJAX_ENTRY, "output/chtml/fonts/woff-v2", "a11y", "ui", "input/tex/extensions", "sre",
]


def mathjax_es5_dir() -> Path:
    """Return the ``es5`` folder of the installed MathJax 3 package (or raise)."""
    spec = importlib.util.find_spec(MATHJAX_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "MathJax is not installed; run `pip install -r requirements.txt` "
            "(it provides django-static-mathjax)."
        )
    root = Path(next(iter(spec.submodule_search_locations)))
    es5 = root / "static" / "mathjax" / "es5"
    if not (es5 / MATHJAX_ENTRY).is_file():
        raise RuntimeError(f"MathJax's {MATHJAX_ENTRY} was not found under {es5}")
    return es5


def _stage_assets(app, config) -> None:
    """Copy the vendored files into a staging folder and add it to ``html_static_path``."""
    es5 = mathjax_es5_dir()
    staging = Path(app.doctreedir).parent / "offline-static"
    target = staging / "vendor" / "mathjax"
    if target.exists():
        shutil.rmtree(target)
    for part in MATHJAX_PARTS:
        src = es5 / part
        dst = target / part
        if src.is_dir():
            shutil.copytree(src, dst)
        elif src.is_file():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    config.html_static_path = [*config.html_static_path, str(staging)]
    # Relative paths in mathjax_path are resolved against the built site's _static/.
    config.mathjax_path = f"vendor/mathjax/{MATHJAX_ENTRY}"


def _tidy_page(app, pagename, templatename, context, doctree) -> None:
    """Fix two console errors of a default Jupyter Book 1 page.

    - sphinx-thebe's inline settings script is added twice, and the second copy fails with
      "Identifier 'THEBE_JS_URL' has already been declared": keep one copy of each script.
    - myst-nb embeds the executed notebook's ipywidgets state; without a kernel those widgets
      are inert (the book shows each slider's static twin), so the state is dropped.
    - pydata-sphinx-theme loads Font Awesome twice: as a 1.5 MB script that swaps icons for
      SVG, and as a stylesheet with web fonts. The stylesheet alone draws every icon, so the
      script is dropped, which keeps each page well under 5 MB.
    - pydata-sphinx-theme logs "Got invalid theme mode" on a first visit because the page's
      default colour mode is empty: set it to "auto" (follow the reader's system).
    """
    scripts = context.get("script_files")
    if scripts:
        seen, unique = set(), []
        for script in scripts:
            attributes = getattr(script, "attributes", {})
            if attributes.get("type") == "application/vnd.jupyter.widget-state+json":
                continue
            key = (getattr(script, "filename", None) or "", attributes.get("body", ""))
            if key not in seen:
                seen.add(key)
                unique.append(script)
        scripts[:] = unique
    if not context.get("default_mode"):
        context["default_mode"] = "auto"


_FONTAWESOME_JS = re.compile(
    r'\s*<(?:script defer|link rel="preload" as="script") [^>]*scripts/fontawesome\.js[^>]*>'
    r'(?:</script>)?'
)


def _drop_fontawesome_script(app, exception) -> None:
    """Remove the theme's Font Awesome script tag from every page (see :func:`_tidy_page`).

    The tag is written by the theme's template, not registered with Sphinx, so it is removed
    from the written pages once the build has finished.
    """
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = _FONTAWESOME_JS.sub("", text)
        if new != text:
            page.write_text(new, encoding="utf-8")


def setup(app):
    app.connect("config-inited", _stage_assets, priority=900)
    app.connect("html-page-context", _tidy_page, priority=900)
    app.connect("build-finished", _drop_fontawesome_script)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
