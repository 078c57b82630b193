"""Page weight of the built site: each page's HTML plus every local file it loads.

Shared by ``benchmarks/bench_widgets.py`` (which prints it) and the book tests (which hold
every page under 5 MB).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

_ASSET = re.compile(r'<(?:script|img)[^>]+src="([^"#?]+)[^"]*"|<link[^>]+href="([^"#?]+)[^"]*"')
_LOADED_LINK = re.compile(r'rel="(?:stylesheet|preload|modulepreload)"')
LIMIT_BYTES = 5 * 1024 * 1024


def page_weights(html_dir: Path) -> dict[str, int]:
    """Bytes per page: the HTML file and the local scripts, styles and images it references.

    MathJax's one vendored file counts on every page that typesets math, although a browser
    caches it after the first page; inline frames of sliders count inside the HTML.
    """
    weights = {}
    for page in sorted(html_dir.rglob("*.html")):
        rel = page.relative_to(html_dir).as_posix()
        if rel.startswith(("_", ".")):
            continue
        text = page.read_text(errors="replace")
        total = page.stat().st_size
        seen = set()
        for m in _ASSET.finditer(text):
            ref = m.group(1) or m.group(2)
            if m.group(2) and not _LOADED_LINK.search(m.group(0)):
                continue  # prev/next/index links are not downloads
            if re.match(r"^[a-z]+:", ref) or ref.startswith("//"):
                continue
            asset = (page.parent / unquote(ref)).resolve()
            if asset in seen or not asset.is_file():
                continue
            seen.add(asset)
            total += asset.stat().st_size
        weights[rel] = total
    return weights
