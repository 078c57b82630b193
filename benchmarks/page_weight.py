"""Page weight of the built site: what each page downloads on a first visit.

Two measures, shared by ``benchmarks/bench_widgets.py`` and the book tests:

- :func:`page_weights` reads the files: each page's HTML plus the local scripts, styles and
  images its markup references. Quick, no browser, but blind to what CSS and scripts load in
  turn (web fonts, MathJax's own fonts).
- :func:`browser_weights` opens every page in headless Chromium and sums the browser's Resource
  Timing records, exactly as ``tests/test_book.py`` does (the figure the limit applies to).
  With ``gzip=True`` the local server compresses HTML, scripts, styles and JSON, as GitHub Pages
  does, so the sum is what a reader of the published site downloads.

The target is ``LIMIT_BYTES`` = 2,500,000 bytes (2.5 MB in SI units, 2.38 MiB) per page.

Usage: ``python benchmarks/page_weight.py [--browser [--gzip]] [HTML_DIR]`` (default
``_build/html``). Exits with status 2 if a page is over the target.
"""

from __future__ import annotations

import functools
import gzip as gzip_module
import http.server
import io
import re
import shutil
import sys
import threading
from pathlib import Path
from urllib.parse import unquote

_ASSET = re.compile(r'<(?:script|img)[^>]+src="([^"#?]+)[^"]*"|<link[^>]+href="([^"#?]+)[^"]*"')
_LOADED_LINK = re.compile(r'rel="(?:stylesheet|preload|modulepreload)"')
LIMIT_BYTES = 2_500_000
ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]

# What a page has downloaded once it is loaded: the document and every fetched resource (data:
# URLs are inside the document already). Used by tests/test_book.py as well.
FIRST_LOAD_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  let total = nav ? nav.encodedBodySize : 0;
  for (const r of performance.getEntriesByType('resource')) {
    if (!r.name.startsWith('data:')) total += r.encodedBodySize;
  }
  return total;
}"""


def content_pages(html_dir: Path) -> list[str]:
    """The site's pages, relative to ``html_dir`` (not the theme's files under ``_static/``)."""
    return [p.relative_to(html_dir).as_posix() for p in sorted(html_dir.rglob("*.html"))
            if not p.relative_to(html_dir).as_posix().startswith(("_", "."))]


def page_weights(html_dir: Path) -> dict[str, int]:
    """Bytes per page: the HTML file and the local scripts, styles and images it references.

    MathJax's one vendored file counts on every page that typesets math, although a browser
    caches it after the first page; inline frames of sliders count inside the HTML.
    """
    weights = {}
    for rel in content_pages(html_dir):
        page = html_dir / rel
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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


_COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".txt")


class GzipHandler(_QuietHandler):
    """Serves text files gzip-compressed to clients that accept it (as GitHub Pages does)."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in _COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip_module.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def browser_weights(html_dir: Path, chromium: str | None = None, *,
                    gzip: bool = False) -> dict[str, int]:
    """Bytes per page as headless Chromium downloads them on a first visit (empty cache).

    Serves ``html_dir`` on 127.0.0.1 (text compressed if ``gzip``), opens each page in a fresh
    browser context, waits for the network to go idle and for MathJax to finish, then sums
    :data:`FIRST_LOAD_JS` (``encodedBodySize``: the bytes on the wire).
    """
    from playwright.sync_api import sync_playwright

    chromium = chromium or next((c for c in CHROMIUM_CANDIDATES if Path(c).exists()),
                                shutil.which("chromium"))
    if chromium is None:
        raise RuntimeError("Chromium is not installed (apt-get install -y chromium)")
    handler = functools.partial(GzipHandler if gzip else _QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}/"
    weights = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True,
                                        args=["--headless", "--no-sandbox", "--disable-gpu"])
            for rel in content_pages(html_dir):
                context = browser.new_context(viewport={"width": 1200, "height": 900})
                page = context.new_page()
                page.goto(origin + rel, wait_until="load")
                page.wait_for_load_state("networkidle")
                page.evaluate("() => (window.MathJax && MathJax.startup && MathJax.startup.promise)"
                              " ? MathJax.startup.promise : null")
                weights[rel] = int(page.evaluate(FIRST_LOAD_JS))
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return weights


def main(argv: list[str]) -> int:
    browser, gzip = "--browser" in argv, "--gzip" in argv
    args = [a for a in argv if a not in ("--browser", "--gzip")]
    html_dir = Path(args[0]) if args else ROOT / "_build" / "html"
    if not html_dir.is_dir():
        print(f"{html_dir} does not exist: build the book first (make book)")
        return 1
    weights = browser_weights(html_dir, gzip=gzip) if browser else page_weights(html_dir)
    how = ("downloaded by Chromium" + (", text gzip-compressed" if gzip else "") if browser
           else "HTML + referenced files")
    print(f"Page weight ({how}), limit {LIMIT_BYTES:,} bytes")
    for rel, size in weights.items():
        flag = "" if size <= LIMIT_BYTES else "  OVER LIMIT"
        print(f"{rel:50s} {size:>11,} bytes {size / 1e6:6.2f} MB{flag}")
    return 0 if all(w <= LIMIT_BYTES for w in weights.values()) else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
