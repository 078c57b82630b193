"""Write the book's notation pages from ``notation.yml``: ``notation.md`` and ``ja/notation.md``.

The pages are generated so that they cannot disagree with the list that ``tests/test_notation.py``
checks against the chapters. Run it after editing ``notation.yml``:
``python tools/make_notation.py`` writes both pages (``--lang en`` or ``--lang ja`` writes one);
the test fails while a page is out of date.

The Japanese page (the Japanese edition's twin of ``notation.md``, see ``tools/editions.py``)
has the same rows: the same symbols, shapes, chapter links (``{doc}`` targets are relative, so
they resolve to the Japanese chapters) and ``mathlib`` names, with each entry's ``meaning_ja``
and a Japanese header. Its front matter carries the translation record that
``tools/editions.py stamp`` would write (the hash of the English page), so regenerating it keeps
it in step without a separate stamp.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCE, PAGE = ROOT / "notation.yml", ROOT / "notation.md"
PAGE_JA = ROOT / "ja" / "notation.md"

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

# Japanese prose is written without line breaks inside a paragraph: a soft break becomes a
# space in HTML, which Japanese text must not have.
HEADER_JA = """\
# 記号と表記

記号はどの章でも同じものを表し、コードでも同じ名前を使います。数式の`X`はセルの`X`です。\
このページには、2つ以上の章の数式に現れるすべての記号について、その意味、形状（本書は形状を \
NumPy と同じように書きます。`(N, D)`は D 個の数からなる行が N 行あることを表します）、\
その記号を導入する章、そして`mathlib`のどこにあるかを示します。\
添字や局所的な量を表すだけの文字（{local}など）は、それを使う文の中で定義します。

| 記号 | 意味 | 形状 | 導入される章 | `mathlib`での名前 |
|---|---|---|---|---|
"""

# Shapes that are words, not tuples; a tuple such as (N, D) is the same in both languages.
SHAPE_WORDS_JA = {
    "scalar": "スカラー",
    "elementwise": "要素ごと",
    "like the output": "出力と同じ",
    "like the variable": "変数と同じ",
}


def shape_ja(shape: str) -> str:
    """``(N,) or (K,)`` -> ```(N,)`または`(K,)``` ; ``scalar`` -> ``スカラー``."""
    parts = []
    for part in shape.split(" or "):
        part = part.strip()
        if part.startswith("("):
            parts.append(f"`{part}`")
        elif part in SHAPE_WORDS_JA:
            parts.append(SHAPE_WORDS_JA[part])
        else:
            raise ValueError(f"shape {shape!r}: no Japanese for {part!r}; add it to "
                             f"SHAPE_WORDS_JA in tools/make_notation.py")
    return "または".join(parts)


def render(spec: dict) -> str:
    """The English page ``notation.md``."""
    local = ", ".join(f"${c}$" for c in spec["local"]["letters"][:5])
    rows = []
    for s in spec["symbols"]:
        symbol = ", ".join(f"${part.strip()}$" for part in s["tex"].split(","))
        where = f"{{doc}}`chapters/{s['doc']}`"
        lib = f"`{s['mathlib']}`" if s.get("mathlib") else ""
        meaning = s["meaning"].replace("|", "\\|")
        rows.append(f"| {symbol} | {meaning} | `{s['shape']}` | {where} | {lib} |")
    return HEADER.format(local=local) + "\n".join(rows) + "\n"


def render_ja(spec: dict) -> str:
    """The body of the Japanese page (without its front matter): the same rows as ``render``."""
    local = "、".join(f"${c}$" for c in spec["local"]["letters"][:5])
    rows = []
    for s in spec["symbols"]:
        meaning = s.get("meaning_ja")
        if not isinstance(meaning, str) or not meaning.strip():
            raise ValueError(f"notation.yml: the entry {s['tex']!r} has no meaning_ja (the "
                             f"Japanese meaning), got {meaning!r}")
        symbol = "、".join(f"${part.strip()}$" for part in s["tex"].split(","))
        where = f"{{doc}}`chapters/{s['doc']}`"
        lib = f"`{s['mathlib']}`" if s.get("mathlib") else ""
        meaning = meaning.replace("|", "\\|")
        rows.append(f"| {symbol} | {meaning} | {shape_ja(s['shape'])} | {where} | {lib} |")
    return HEADER_JA.format(local=local) + "\n".join(rows) + "\n"


def render_ja_page(spec: dict, english_page: Path = PAGE) -> str:
    """``ja/notation.md`` as written: the translation record of ``english_page``, then the body.

    The record is the one ``tools/editions.py stamp`` writes (same keys, same YAML dump), so
    ``editions.py check`` finds the page in step with the English one.
    """
    sys.path.insert(0, str(ROOT / "tools"))
    import editions

    record = {"translation": {"source": str(english_page.relative_to(ROOT)),
                              "source_sha256": editions.source_hash(english_page)}}
    front = yaml.safe_dump(record, allow_unicode=True, sort_keys=False).strip()
    return f"---\n{front}\n---\n{render_ja(spec)}"


def load() -> dict:
    return yaml.safe_load(SOURCE.read_text(encoding="utf-8"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", choices=["en", "ja", "all"], default="all",
                        help="which page to write (default: both)")
    args = parser.parse_args(argv)
    spec = load()
    # English first: the Japanese page's record holds the hash of the English page.
    if args.lang in ("en", "all"):
        PAGE.write_text(render(spec), encoding="utf-8")
        print(f"wrote {PAGE.relative_to(ROOT)}")
    if args.lang in ("ja", "all"):
        PAGE_JA.parent.mkdir(exist_ok=True)
        PAGE_JA.write_text(render_ja_page(spec), encoding="utf-8")
        print(f"wrote {PAGE_JA.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
