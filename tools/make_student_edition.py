"""Write the student edition of every chapter: solutions stubbed, outputs cleared.

Both editions: ``student/chapters/`` (English) and ``student/ja/chapters/`` (Japanese).
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


README_JA = """# 学生用エディション

このノートブックは、本書の各章から解答をすべて取り除いたものです。コードの演習は
`raise NotImplementedError()` で終わり、導出の演習には「ここに解答を書いてください」とあります。
解答を書いてセルを実行したら、その次のチェック用セルを実行してください。まだ何が違うかを教えてくれます。

チェックは `mathlib.exercises` にあるので、本書の環境（リポジトリで `make lab`）で実行してください。
"""


def write_edition(chapters: Path, out: Path, readme: str) -> int:
    """Studentize every notebook of ``chapters`` into ``out/chapters``; return how many."""
    (out / "chapters").mkdir(parents=True, exist_ok=True)
    notebooks = sorted(chapters.glob("*.ipynb"))
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        nbformat.write(studentize(nb), out / "chapters" / path.name)
    (out / "README.md").write_text(readme, encoding="utf-8")
    print(f"Wrote {len(notebooks)} student notebooks to {out / 'chapters'}")
    return len(notebooks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "student")
    parser.add_argument("--chapters", type=Path, default=ROOT / "chapters")
    parser.add_argument("--ja-chapters", type=Path, default=ROOT / "ja" / "chapters",
                        help="the Japanese edition's chapters, written to OUT/ja/chapters")
    args = parser.parse_args(argv)
    write_edition(args.chapters, args.out, README)
    if args.ja_chapters.is_dir() and any(args.ja_chapters.glob("*.ipynb")):
        write_edition(args.ja_chapters, args.out / "ja", README_JA)
    return 0


if __name__ == "__main__":
    sys.exit(main())
