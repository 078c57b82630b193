"""Keep the Japanese edition (``ja/``) in step with the English one: one truth, two languages.

Every page of the Japanese book has an English *twin* at the same relative path:
``ja/chapters/03_cross_entropy.ipynb`` translates ``chapters/03_cross_entropy.ipynb``,
``ja/teacher_notes/ch03.md`` translates ``teacher_notes/ch03.md``. Three rules hold for every
pair, and ``tests/test_editions.py`` fails when one breaks:

1. **Identical code.** The code cells are equal once string literals and comments are set aside:
   each cell is parsed (IPython magics first turned into Python), every string constant becomes
   one placeholder and every f-string the format specs of its fields alone (``.4f``: a
   translation may reorder words but not print other digits), and the syntax trees must then
   be equal. Comments never
   reach the tree. What must *not* be translated stays compared: the key of every
   ``glue("key", ...)`` and the ``NBVAL_*`` markers, so both editions glue the same numbers and
   check the same cells; cell tags (``hide-input``, ...) must be equal too. And each checked
   cell's stored output prints the same numbers in both editions (:func:`checked_numbers`).
2. **The same structure.** The markdown's labels ``(name)=``, ``:label:`` options, and the
   targets of ``{ref}``, ``{numref}``, ``{eq}``, ``{doc}`` and ``{glue:...}`` roles form the same
   multiset in both, so equations, exercises and cross-references correspond one to one.
3. **No drift.** A Japanese page records which version of its twin it translates: the SHA-256
   of the English page's normalised text (cell types and sources, trailing spaces removed;
   outputs excluded, since re-running a notebook is not a change to translate). It lives in the
   notebook metadata as ``{"translation": {"source": ..., "source_sha256": ...}}``, and in a
   Markdown page's front matter under the same keys. When the English page changes, the hash no
   longer matches and the test fails until the Japanese page is updated and re-stamped — so an
   English edit and its Japanese update land in the same commit.

Usage::

    python tools/editions.py check [ja pages] # all three rules, every pair; exit 1 on a problem
    python tools/editions.py status           # every English page: translated / outdated / missing
    python tools/editions.py stamp ja/chapters/03_cross_entropy.ipynb   # after updating it
    python tools/editions.py diff ja/chapters/03_cross_entropy.ipynb    # what changed in English
                                                                          # (needs git)
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
JA = ROOT / "ja"
_STR = "<str>"
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_LABEL = re.compile(r"^\(([\w.:-]+)\)=\s*$", re.M)
_OPTION_LABEL = re.compile(r"^:label:\s*(\S+)\s*$", re.M)
_ROLE = re.compile(r"\{(ref|numref|eq|doc|glue(?::text|:any|:figure|:math)?)\}`([^`]*)`")
_NBVAL = re.compile(r"#\s*(NBVAL_\w+)")
_FORMAT_SPEC = re.compile(r"\{[^{}:]*:([^{}]*[dfegs%])\}|(?<!%)%[-+ #0]*\d*(?:\.\d+)?[dfeg]")


# --- the pairs --------------------------------------------------------------------------------

def toc_files(book: Path) -> list[str]:
    """The documents of a book's ``_toc.yml`` (root first), as paths without suffix."""
    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for e in entries or []:
            if "file" in e:
                files.append(e["file"])
            walk(e.get("sections"))
            walk(e.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


def _with_suffix(book: Path, doc: str) -> Path:
    for suffix in (".ipynb", ".md"):
        if (book / (doc + suffix)).exists():
            return book / (doc + suffix)
    raise FileNotFoundError(f"{book / doc} (.ipynb or .md) is in {book / '_toc.yml'} but missing")


def pairs() -> list[tuple[Path, Path]]:
    """(English page, Japanese page) for every page of the Japanese book."""
    out = []
    for doc in toc_files(JA):
        ja = _with_suffix(JA, doc)
        en = ROOT / ja.relative_to(JA)
        out.append((en, ja))
    return out


# --- rule 1: identical code -------------------------------------------------------------------

def _python(source: str) -> str:
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


class _Blank(ast.NodeTransformer):
    """Every string becomes one placeholder, except glue keys (compared)."""

    def visit_Call(self, node):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        key = node.args[0] if node.args else None
        self.generic_visit(node)
        if name == "glue" and node.args and isinstance(key, ast.Constant):
            node.args[0] = ast.Constant(value=("glue-key", key.value))
        return node

    def visit_Constant(self, node):
        if isinstance(node.value, bytes):
            return ast.Constant(value=_STR)
        if isinstance(node.value, str):
            # A template for str.format or %: its number formats stay compared, as in f-strings.
            specs = sorted(m.group(0).split(":")[-1] for m in _FORMAT_SPEC.finditer(node.value))
            return ast.Constant(value=(_STR, *specs))
        return node

    def visit_JoinedStr(self, node):
        # An f-string's words are translated, may change order and may name things through a
        # small expression of their own; how it prints a number may not change: the format
        # specs of its fields ("{loss:.4f}" -> ".4f") stay compared, as a sorted list.
        specs = sorted(ast.unparse(v.format_spec) for v in node.values
                       if isinstance(v, ast.FormattedValue) and v.format_spec is not None)
        return ast.Constant(value=(_STR, *specs))


def normalised_code(source: str) -> str:
    """A code cell's syntax tree with strings and comments set aside, plus its NBVAL markers."""
    tree = ast.parse(_python(source))
    # Glue keys first: visit_Call must see the original key before visit_Constant blanks it.
    tree = _Blank().visit(tree)
    markers = " ".join(_NBVAL.findall(source))
    return markers + "\n" + ast.dump(tree, annotate_fields=False, include_attributes=False)


def _read_nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _code_cells(nb: dict) -> list[tuple[str, tuple[str, ...]]]:
    return [("".join(c["source"]), tuple(sorted(c.get("metadata", {}).get("tags", []))))
            for c in nb["cells"] if c["cell_type"] == "code"]


def code_problems(en: Path, ja: Path) -> list[str]:
    """Where the two notebooks' code differs beyond strings and comments."""
    a, b = _code_cells(_read_nb(en)), _code_cells(_read_nb(ja))
    rel = ja.relative_to(ROOT)
    if len(a) != len(b):
        return [f"{rel}: {len(b)} code cells, its English twin has {len(a)}"]
    problems = []
    for i, ((src_en, tags_en), (src_ja, tags_ja)) in enumerate(zip(a, b, strict=True), start=1):
        try:
            same = normalised_code(src_en) == normalised_code(src_ja)
        except SyntaxError as e:
            problems.append(f"{rel}: code cell {i} does not parse: {e}")
            continue
        if not same:
            first = src_en.strip().splitlines()[0] if src_en.strip() else ""
            problems.append(f"{rel}: code cell {i} differs from the English one beyond strings "
                            f"and comments (English cell starts {first!r})")
        if tags_en != tags_ja:
            problems.append(f"{rel}: code cell {i} has tags {list(tags_ja)}, English "
                            f"{list(tags_en)}")
    return problems


#: A number in printed output; the ones compared are decimals and integers of two or more
#: digits (Japanese sentences add small counts of their own: 1つ, 第2).
_NUMBER = re.compile(r"[-+−]?\d+(?:[.,]\d+)*(?:e[-+]?\d+)?")


def checked_numbers(path: Path) -> list[list[str]]:
    """For each cell marked ``NBVAL_CHECK_OUTPUT``, the sorted numbers of its stored output."""
    cells = []
    for cell in _read_nb(path)["cells"]:
        if cell["cell_type"] != "code" or "NBVAL_CHECK_OUTPUT" not in "".join(cell["source"]):
            continue
        text = []
        for out in cell.get("outputs", []):
            if out["output_type"] == "stream":
                text.append("".join(out["text"]))
            elif "text/plain" in out.get("data", {}):
                text.append("".join(out["data"]["text/plain"]))
        cells.append(sorted(n for n in _NUMBER.findall("\n".join(text))
                            if len(n.lstrip("-+−")) >= 2))
    return cells


def checked_number_problems(en: Path, ja: Path) -> list[str]:
    """Checked cells whose stored outputs print other numbers than their English twins'.

    CI runs the English notebooks under the machine's own set-up and the Japanese ones under
    the portability pass's (``tools/portability_check.py``); with the same code and the same
    stored numbers, each pass checks both editions' claims.
    """
    a, b = checked_numbers(en), checked_numbers(ja)
    rel = ja.relative_to(ROOT)
    if len(a) != len(b):
        return [f"{rel}: {len(b)} checked cells, its English twin has {len(a)}"]
    return [f"{rel}: checked cell {k} stores the numbers {y}, the English one {x}"
            for k, (x, y) in enumerate(zip(a, b, strict=True), start=1) if x != y]


# --- rule 2: the same structure ---------------------------------------------------------------

def _markdown(path: Path) -> str:
    if path.suffix == ".ipynb":
        return "\n".join("".join(c["source"]) for c in _read_nb(path)["cells"]
                         if c["cell_type"] == "markdown")
    return _FRONT.sub("", path.read_text(encoding="utf-8"))


def structure(path: Path) -> Counter:
    """Labels and reference targets of a page's prose (a multiset)."""
    text = _markdown(path)
    found = Counter(("label", m) for m in _LABEL.findall(text))
    found += Counter(("label", m) for m in _OPTION_LABEL.findall(text))
    for role, target in _ROLE.findall(text):
        target = target.split("<")[-1].rstrip(">") if "<" in target else target
        found[(role, target.strip())] += 1
    return found


def structure_problems(en: Path, ja: Path) -> list[str]:
    a, b = structure(en), structure(ja)
    if a == b:
        return []
    rel = ja.relative_to(ROOT)
    missing = sorted(f"{k}: {t}" for (k, t), n in (a - b).items())
    extra = sorted(f"{k}: {t}" for (k, t), n in (b - a).items())
    out = []
    if missing:
        out.append(f"{rel}: lacks what its English twin has: {missing}")
    if extra:
        out.append(f"{rel}: has what its English twin lacks: {extra}")
    return out


# --- rule 3: no drift -------------------------------------------------------------------------

def _norm(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def source_hash(en: Path) -> str:
    """SHA-256 of an English page's normalised text (outputs excluded)."""
    if en.suffix == ".ipynb":
        parts = [f"{c['cell_type']}\n{_norm(''.join(c['source']))}" for c in _read_nb(en)["cells"]]
        text = "\n\x1e\n".join(parts)
    else:
        text = _norm(en.read_text(encoding="utf-8"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def recorded(ja: Path) -> dict:
    """The ``translation`` record of a Japanese page ({} if none)."""
    if ja.suffix == ".ipynb":
        return _read_nb(ja).get("metadata", {}).get("translation", {}) or {}
    m = _FRONT.match(ja.read_text(encoding="utf-8"))
    return ((yaml.safe_load(m.group(1)) or {}).get("translation", {}) or {}) if m else {}


def drift_problems(en: Path, ja: Path) -> list[str]:
    rel, rec = ja.relative_to(ROOT), recorded(ja)
    want = str(en.relative_to(ROOT))
    if rec.get("source") != want:
        return [f"{rel}: its translation record must name source {want!r}, got "
                f"{rec.get('source')!r} (run: python tools/editions.py stamp {rel})"]
    if rec.get("source_sha256") != source_hash(en):
        return [f"{rel}: {want} changed since this translation was made; update the Japanese "
                f"page (python tools/editions.py diff {rel} shows what changed), then "
                f"python tools/editions.py stamp {rel}"]
    return []


def stamp(ja: Path) -> None:
    """Record that ``ja`` now translates the current version of its English twin."""
    ja = ja.resolve()
    en = ROOT / ja.relative_to(JA)
    rec = {"source": str(en.relative_to(ROOT)), "source_sha256": source_hash(en)}
    if ja.suffix == ".ipynb":
        nb = _read_nb(ja)
        nb.setdefault("metadata", {})["translation"] = rec
        ja.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    text = ja.read_text(encoding="utf-8")
    m = _FRONT.match(text)
    front = (yaml.safe_load(m.group(1)) or {}) if m else {}
    body = text[m.end():] if m else text
    front["translation"] = rec
    dumped = yaml.safe_dump(front, allow_unicode=True, sort_keys=False).strip()
    ja.write_text(f"---\n{dumped}\n---\n{body}", encoding="utf-8")


def problems(only: list[Path] | None = None) -> list[str]:
    """Every rule's problems, for every pair (or for the Japanese pages ``only``)."""
    out = []
    chosen = pairs() if only is None else [(ROOT / p.resolve().relative_to(JA), p.resolve())
                                          for p in only]
    for en, ja in chosen:
        if not en.exists():
            out.append(f"{ja.relative_to(ROOT)}: no English twin at {en.relative_to(ROOT)}")
            continue
        if ja.suffix == ".ipynb":
            out += code_problems(en, ja) + checked_number_problems(en, ja)
        out += structure_problems(en, ja) + drift_problems(en, ja)
    return out


def _english_pages() -> list[Path]:
    return [_with_suffix(ROOT, doc) for doc in toc_files(ROOT)]


def _git_diff(ja: Path) -> str:
    """The English twin's changes since the commit whose version the stamp records."""
    ja = ja.resolve()
    en = ROOT / ja.relative_to(JA)
    want = recorded(ja).get("source_sha256")
    rel = str(en.relative_to(ROOT))
    log = subprocess.run(["git", "log", "--format=%H", "--", rel], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.split()
    for commit in log:
        old = subprocess.run(["git", "show", f"{commit}:{rel}"], cwd=ROOT, capture_output=True)
        if old.returncode:
            continue
        tmp = ROOT / "_build" / ("_twin" + en.suffix)
        tmp.parent.mkdir(exist_ok=True)
        tmp.write_bytes(old.stdout)
        if source_hash(tmp) == want:
            diff = subprocess.run(["git", "diff", commit, "--", rel], cwd=ROOT,
                                  capture_output=True, text=True).stdout
            return diff or "(no change since the recorded version)"
    return "(the recorded version is not in this repository's history)"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("check").add_argument("pages", nargs="*", type=Path,
                                          help="Japanese pages (default: all of ja/_toc.yml)")
    sub.add_parser("status")
    for name in ("stamp", "diff"):
        p = sub.add_parser(name)
        p.add_argument("pages", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.cmd == "check":
        found = problems(args.pages or None)
        print("\n".join(found) if found else "every pair is in step")
        return 1 if found else 0
    if args.cmd == "status":
        ja_pages = {en: ja for en, ja in pairs()}
        for en in _english_pages():
            ja = ja_pages.get(en)
            state = ("missing" if ja is None else
                     "outdated" if drift_problems(en, ja) else "translated")
            print(f"{state:10s} {en.relative_to(ROOT)}")
        return 0
    for page in args.pages:
        if args.cmd == "stamp":
            stamp(page)
            print(f"stamped {page}")
        else:
            print(_git_diff(page))
    return 0


if __name__ == "__main__":
    sys.exit(main())
