"""Run chapter notebooks top to bottom in place, so their stored outputs are fresh.

The book's policy: every committed notebook holds the outputs of one clean run (execution counts
1, 2, 3, ... and no errors), because nbval compares the cells marked ``# NBVAL_CHECK_OUTPUT``
against those stored outputs and readers of GitHub see results. ``tests/test_notebook_hygiene.py``
enforces it. After the run we drop what would only bloat the file or go stale:

- live-widget views and the notebook's widget state (a kernel recreates them; the static twin
  of every slider, ``text/html``, stays, so an un-run notebook still shows the figure);
- run-specific metadata (timings).

The run also records ``executed_code_sha256`` in the notebook's metadata: the hash of the code
cells it ran (:func:`code_sha256`). ``tests/test_notebook_hygiene.py`` fails when the code has
changed since, so the stored outputs (the figures the book shows) always come from the current
code, and the test build can show them without running every notebook a second time.

Solution and check cells get nbgrader's cell metadata (see tools/classroom.py).

Usage: ``python tools/execute_notebooks.py chapters/*.ipynb`` (``make execute``).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from classroom import add_nbgrader_metadata  # noqa: E402

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def code_sha256(nb) -> str:
    """SHA-256 of a notebook's code cells, in order (sources only; outputs and metadata aside)."""
    sources = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
               for c in nb["cells"] if c["cell_type"] == "code"]
    return hashlib.sha256("\n\x1e\n".join(sources).encode("utf-8")).hexdigest()


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop widget views/state and per-run metadata; name the kernel consistently."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if "data" in out:
                out["data"].pop(WIDGET_VIEW, None)
    return nb


def execute(path: Path, timeout: int) -> float:
    """Execute ``path`` in its own folder and write it back; return the seconds taken."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    t0 = time.perf_counter()
    NotebookClient(
        nb, timeout=timeout, kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    seconds = time.perf_counter() - t0
    nb.metadata["executed_code_sha256"] = code_sha256(nb)
    nbformat.write(add_nbgrader_metadata(clean(nb), path.stem), path)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    args = parser.parse_args(argv)
    for path in args.notebooks:
        seconds = execute(path, args.timeout)
        print(f"{path}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
