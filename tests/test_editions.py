"""Two editions, one truth: the Japanese book (``ja/``) cannot drift from the English one.

The rules are those of ``tools/editions.py`` (read its docstring): code equal up to strings and
comments, labels and references one to one, and a drift stamp per page. Beyond them: every file
of ``ja/`` is in its table of contents, in the English order; pages not translated yet are
listed in ``ja/untranslated.yml`` (so the gap is explicit and shrinks); the glossary is used
consistently; and the two ``_config.yml`` differ only where an edition must.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tools import editions

ROOT = editions.ROOT
JA = editions.JA
PAIRS = editions.pairs()
IDS = [str(ja.relative_to(JA)) for _, ja in PAIRS]
GLOSSARY = yaml.safe_load((JA / "glossary.yml").read_text(encoding="utf-8"))
UNTRANSLATED = yaml.safe_load((JA / "untranslated.yml").read_text(encoding="utf-8")) or []


def test_there_is_a_japanese_book():
    assert len(PAIRS) >= 2


@pytest.mark.parametrize(("en", "ja"), PAIRS, ids=IDS)
def test_code_is_the_english_code(en, ja):
    if ja.suffix != ".ipynb":
        pytest.skip("a Markdown page has no code cells")
    assert editions.code_problems(en, ja) == []


@pytest.mark.parametrize(("en", "ja"), PAIRS, ids=IDS)
def test_labels_and_references_correspond(en, ja):
    assert editions.structure_problems(en, ja) == []


@pytest.mark.parametrize(("en", "ja"), PAIRS, ids=IDS)
def test_translation_follows_the_current_english_page(en, ja):
    assert editions.drift_problems(en, ja) == []


NOTEBOOK_PAIRS = [pytest.param(en, ja, id=str(ja.relative_to(JA)))
                  for en, ja in PAIRS if ja.suffix == ".ipynb"]


@pytest.mark.parametrize(("en", "ja"), NOTEBOOK_PAIRS)
def test_checked_outputs_print_the_same_numbers(en, ja):
    """Each checked cell stores the same numbers in both editions. This is what lets CI run
    the English notebooks under the machine's own set-up and the Japanese ones under the
    portability pass's (tools/portability_check.py): the code is the same syntax tree and
    the stored outputs the same numbers, so each pass checks both editions' claims."""
    english, japanese = editions.checked_numbers(en), editions.checked_numbers(ja)
    assert len(english) == len(japanese), "the editions check different numbers of cells"
    differ = [(k, a, b) for k, (a, b) in enumerate(zip(english, japanese, strict=True)) if a != b]
    assert not differ, f"checked cells (k-th, en numbers, ja numbers) differ: {differ}"
    assert editions.checked_number_problems(en, ja) == []


def test_every_english_page_is_translated_or_listed_as_not_yet():
    english = [str(p.relative_to(ROOT)) for p in editions._english_pages()]
    translated = {str(en.relative_to(ROOT)) for en, _ in PAIRS}
    missing = [p for p in english if p not in translated and p not in UNTRANSLATED]
    stale = [p for p in UNTRANSLATED if p in translated or p not in english]
    assert not missing, f"not translated and not in ja/untranslated.yml: {missing}"
    assert not stale, f"ja/untranslated.yml lists pages that are translated or gone: {stale}"


def test_japanese_toc_follows_the_english_order():
    english = editions.toc_files(ROOT)
    japanese = editions.toc_files(JA)
    assert japanese == [doc for doc in english if doc in japanese]


def test_every_japanese_page_is_in_its_toc():
    listed = {str(ja.relative_to(JA)) for _, ja in PAIRS}
    pages = {str(p.relative_to(JA)) for p in JA.rglob("*")
             if p.suffix in (".md", ".ipynb") and "_build" not in p.parts
             and ".ipynb_checkpoints" not in p.parts}
    assert pages <= listed, f"in ja/ but not in ja/_toc.yml: {sorted(pages - listed)}"


def test_the_detector_sees_a_code_change():
    # The control for the tests above: a real code difference must be reported.
    a = 'print("loss", round(x, 3))  # comment'
    b = 'print("損失", round(x, 3))  # コメント'
    c = 'print("損失", round(x, 4))'
    assert editions.normalised_code(a) == editions.normalised_code(b)
    assert editions.normalised_code(a) != editions.normalised_code(c)
    assert editions.normalised_code('glue("k1", v)') != editions.normalised_code('glue("k2", v)')
    assert editions.normalised_code("# NBVAL_CHECK_OUTPUT\nx") != editions.normalised_code("x")
    # f-strings: words and their order may change, the digits printed may not.
    norm = editions.normalised_code
    en = 'print(f"loss {x:.3f} after {k} steps")'
    assert norm(en) == norm('print(f"{k} 回で損失 {x:.3f}")')
    assert norm(en) != norm('print(f"{k} 回で損失 {x:.5f}")')
    assert norm('print("acc %.2f" % a)') != norm('print("正解率 %.4f" % a)')


# --- the glossary ----------------------------------------------------------------------------

def _prose(path: Path) -> str:
    """A page's prose without code spans, math, roles' targets and front matter."""
    text = editions._markdown(path)
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$|\$[^$\n]*\$", " ", text, flags=re.S)
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", text)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return text


def test_glossary_entries_are_well_formed():
    for entry in GLOSSARY:
        assert set(entry) <= {"en", "ja", "avoid", "note"}, entry
        re.compile(entry["en"])
        for pattern in entry.get("avoid", []):
            re.compile(pattern)
    ens = [e["en"] for e in GLOSSARY]
    assert len(ens) == len(set(ens)), "an English term is listed twice"


@pytest.mark.parametrize(("en", "ja"), PAIRS, ids=IDS)
def test_glossary_terms_are_used(en, ja):
    en_text, ja_text = _prose(en), _prose(ja)
    problems = []
    for entry in GLOSSARY:
        wanted = entry["ja"] if isinstance(entry["ja"], list) else [entry["ja"]]
        if (re.search(rf"\b(?:{entry['en']})\b", en_text, re.I)
                and not any(w in ja_text for w in wanted)):
            problems.append(f"the English page says {entry['en']!r}; the Japanese one lacks "
                            f"{' / '.join(wanted)}")
        for pattern in entry.get("avoid", []):
            if m := re.search(pattern, ja_text):
                problems.append(f"uses {m.group(0)!r}; the glossary says {wanted[0]}")
    assert not problems, "\n".join(problems)


# --- the two configurations ------------------------------------------------------------------

def test_japanese_configuration_is_generated_from_the_english_one():
    from tools.make_ja_config import TARGET, japanese_config

    english = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert TARGET.read_text(encoding="utf-8") == japanese_config(english), \
        "ja/_config.yml is out of date: run `python tools/make_ja_config.py`"
    ja = yaml.safe_load(TARGET.read_text(encoding="utf-8"))
    en = yaml.safe_load(english)
    assert ja["sphinx"]["config"]["language"] == "ja"
    assert ja["sphinx"]["config"]["edition_other_url"] == "../"
    assert en["sphinx"]["config"]["edition_other_url"] == "ja/"
    assert set(ja["sphinx"]["local_extensions"]) == set(en["sphinx"]["local_extensions"])
