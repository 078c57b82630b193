"""Build the site: the English book in ``_build/html/``, the Japanese one in ``_build/html/ja/``.

Jupyter Book 1 builds one book per call, so the site is two calls and a copy:

1. ``jupyter-book build .`` writes ``_build/html/`` (English; ``ja/`` is excluded from it);
2. ``jupyter-book build ja --path-output _build/ja`` writes ``_build/ja/_build/html/``;
3. that folder is copied to ``_build/html/ja/``, so the two editions are one site and the
   language switch on every page (``_ext/edition_switch.py``) links within it.

Both builds are strict (``-W -n --keep-going``): a warning or a broken reference fails them.

``--stored-outputs`` builds from the outputs stored in the notebooks instead of executing them
again (Jupyter Book's ``execute_notebooks: off``, through a copy of each ``_config.yml`` with
that one setting changed). The test suite uses it: nbval has just run every notebook, and
``tests/test_notebook_hygiene.py`` proves the stored outputs are those of the current code (the
hash of the code that produced them is stored with them), so executing each notebook a second
time in the build would only double CI's time. ``make book`` executes (with jupyter-cache, only
what changed).

Usage: ``python tools/build_book.py [--stored-outputs]`` (``make book``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
HTML = BUILD / "html"
EDITIONS = [  # (source folder, --path-output or None, where its HTML ends up in the site)
    (ROOT, None, HTML),
    (ROOT / "ja", BUILD / "ja", HTML / "ja"),
]


def _jupyter_book() -> str:
    exe = Path(sys.executable).parent / "jupyter-book"
    return str(exe) if exe.exists() else "jupyter-book"


def _config_with_stored_outputs(source: Path) -> Path:
    """A copy of ``source/_config.yml`` with ``execute_notebooks: off``, next to the original
    (relative paths in it are resolved against the book's folder either way)."""
    text = (source / "_config.yml").read_text(encoding="utf-8")
    text, n = re.subn(r"^(  execute_notebooks:) \w+", r"\1 off", text, count=1, flags=re.M)
    if n != 1:
        raise ValueError(f"{source / '_config.yml'} has no 'execute_notebooks:' setting")
    path = source / "_config.stored-outputs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def build(stored_outputs: bool = False, log=None) -> int:
    """Build both editions; return 0, or the first failing build's exit status."""
    for source, output, site in EDITIONS:
        cmd = [_jupyter_book(), "build", "-W", "-n", "--keep-going", str(source)]
        if output is not None:
            cmd += ["--path-output", str(output)]
        config = _config_with_stored_outputs(source) if stored_outputs else None
        if config is not None:
            cmd += ["--config", str(config)]
        try:
            proc = subprocess.run(cmd, cwd=ROOT, capture_output=log is not None, text=True)
        finally:
            if config is not None:
                config.unlink()
        if log is not None:
            log.write(f"$ {' '.join(cmd)}\n{proc.stdout}{proc.stderr}\n")
        if proc.returncode != 0:
            return proc.returncode
        if output is not None:
            if site.exists():
                shutil.rmtree(site)
            shutil.copytree(output / "_build" / "html", site)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored-outputs", action="store_true",
                        help="show the notebooks' stored outputs instead of executing them")
    args = parser.parse_args(argv)
    status = build(stored_outputs=args.stored_outputs)
    if status == 0:
        print(f"\nThe book is built. Open: file://{HTML / 'index.html'}"
              f"  (日本語版: file://{HTML / 'ja' / 'index.html'})")
    return status


if __name__ == "__main__":
    sys.exit(main())
