"""Write the student edition of every chapter: solutions stubbed, outputs cleared.

Usage: ``python tools/make_student_edition.py --out student`` (``make student``).
See tools/classroom.py for the conventions and the teacher notes for the workflow.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from classroom import studentize  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

README = """# Student edition

These notebooks are the chapters of the book with every solution removed: code exercises end
in `raise NotImplementedError()`, derivations say *Your answer here*. Write your answer, run the
cell, then run the check cell after it: it tells you what is still wrong.

Run them in the book's environment (`make lab` in the repository), since the checks come from
`mathlib.exercises`.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "student")
    parser.add_argument("--chapters", type=Path, default=ROOT / "chapters")
    args = parser.parse_args(argv)
    out = args.out / "chapters"
    out.mkdir(parents=True, exist_ok=True)
    notebooks = sorted(args.chapters.glob("*.ipynb"))
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        nbformat.write(studentize(nb), out / path.name)
    (args.out / "README.md").write_text(README)
    print(f"Wrote {len(notebooks)} student notebooks to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
