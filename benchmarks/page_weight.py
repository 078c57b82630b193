"""Page weight of the built site: each page's HTML plus every local file it loads.

Shared by ``benchmarks/bench_widgets.py`` (which prints it) and the book tests (which hold
every page under 5 MB).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

_ASSET = re.compile(r'<(?:script|img|link)[^>]+(?:src|href)="([^"#?]+)[^"]*"')
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
        for ref in _ASSET.findall(text):
            if re.match(r"^[a-z]+:", ref) or ref.startswith("//"):
                continue
            asset = (page.parent / unquote(ref)).resolve()
            if asset in seen or not asset.is_file():
                continue
            seen.add(asset)
            total += asset.stat().st_size
        weights[rel] = total
    return weights
