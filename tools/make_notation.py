"""Write ``notation.md``, the book's notation page, from ``notation.yml``.

The page is generated so that it cannot disagree with the list that ``tests/test_notation.py``
checks against the chapters. Run it after editing ``notation.yml``:
``python tools/make_notation.py`` (the test fails while the page is out of date).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCE, PAGE = ROOT / "notation.yml", ROOT / "notation.md"

HEADER = """\
# Notation

The same letters mean the same things in every chapter, and the code uses the same names:
`X` in a formula is `X` in a cell. This page lists every symbol that appears in the mathematics
of more than one chapter: what it means, its shape (the book writes shapes as NumPy does,
`(N, D)` for N rows of D numbers), the chapter that introduces it, and where `mathlib` holds it.
Letters that only name an index or a local quantity (such as {local}) are defined in the
sentence that uses them.

| Symbol | Meaning | Shape | Introduced in | In `mathlib` |
|---|---|---|---|---|
"""


def render(spec: dict) -> str:
    local = ", ".join(f"${c}$" for c in spec["local"]["letters"][:5])
    rows = []
    for s in spec["symbols"]:
        symbol = ", ".join(f"${part.strip()}$" for part in s["tex"].split(","))
        where = f"{{doc}}`chapters/{s['doc']}`"
        lib = f"`{s['mathlib']}`" if s.get("mathlib") else ""
        meaning = s["meaning"].replace("|", "\\|")
        rows.append(f"| {symbol} | {meaning} | `{s['shape']}` | {where} | {lib} |")
    return HEADER.format(local=local) + "\n".join(rows) + "\n"


def load() -> dict:
    return yaml.safe_load(SOURCE.read_text())


def main() -> int:
    PAGE.write_text(render(load()))
    print(f"wrote {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
