"""The exercise checks speak the edition's language: every message comes from one table.

``mathlib.exercises._messages.MESSAGES`` holds each learner-facing text in English and Japanese.
These tests check the table itself (both languages, the same placeholders, no English left in
a Japanese entry, the glossary's terms, no key missing or unused) and that a check run after
``use_language("ja")`` reports in Japanese, and in English again after ``use_language("en")``.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import yaml

import mathlib.exercises
from mathlib.exercises import check_descend_until, check_newton_1d
from mathlib.exercises._messages import MESSAGES, msg, placeholders
from mathlib.i18n import LANGUAGES, language, use_language

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(mathlib.exercises.__file__).parent
# Names a Japanese text keeps in Latin letters (as Japanese textbooks do).
KEPT_NAMES = {"NumPy", "ReLU", "tanh", "Nesterov", "Huber"}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")  # kana or kanji


def _latin_words(text: str) -> list[str]:
    """Runs of 4+ ASCII letters outside `code spans` and {placeholders}, except KEPT_NAMES."""
    prose = re.sub(r"\{[^{}]*\}", " ", re.sub(r"`[^`]*`", " ", text))
    return [w for w in re.findall(r"[A-Za-z]{4,}", prose) if w not in KEPT_NAMES]


@pytest.fixture
def japanese():
    """Run a test in Japanese, and restore English (the default) whatever happens."""
    use_language("ja")
    try:
        yield
    finally:
        use_language("en")


def test_every_entry_has_every_language():
    assert len(MESSAGES) > 100
    for key, entry in MESSAGES.items():
        assert set(entry) == set(LANGUAGES), f"{key} has languages {sorted(entry)}"
        for code, text in entry.items():
            assert isinstance(text, str) and text.strip(), f"{key}[{code!r}] is empty"


def test_both_languages_have_the_same_placeholders():
    for key, entry in MESSAGES.items():
        assert placeholders(entry["ja"]) == placeholders(entry["en"]), key


def test_no_japanese_entry_is_left_in_english():
    for key, entry in MESSAGES.items():
        ja = entry["ja"]
        assert not _latin_words(ja), f"{key}: English words {_latin_words(ja)} in {ja!r}"
        assert JAPANESE.search(ja), f"{key}: no Japanese in {ja!r}"
        assert ja != entry["en"], key


def test_the_latin_word_finder_finds_english():
    assert _latin_words("the gradient `np.exp` {what:.3g}") == ["gradient"]
    assert _latin_words("`np.exp` が {what} です。NumPy の警告") == []


def test_japanese_entries_use_the_glossary_terms():
    # Where the English text uses a glossary term, the Japanese one uses its translation (or
    # keeps the word inside a `code span`, as in `theta + momentum * v`), never a variant the
    # glossary says to avoid. The glossary's note on "loss": 損失 alone for its value.
    glossary = yaml.safe_load((ROOT / "ja" / "glossary.yml").read_text(encoding="utf-8"))
    short = {"損失関数": "損失"}
    missing, avoided = [], []
    for term in glossary:
        wanted = term["ja"] if isinstance(term["ja"], list) else [term["ja"]]
        wanted += [short[w] for w in wanted if w in short]
        for key, entry in MESSAGES.items():
            en = re.sub(r"\{[^{}]*\}", " ", entry["en"])
            code = " ".join(re.findall(r"`([^`]*)`", entry["ja"]))
            if (re.search(term["en"], en, re.IGNORECASE)
                    and not any(w in entry["ja"] for w in wanted)
                    and not re.search(term["en"], code, re.IGNORECASE)):
                missing.append((key, term["en"]))
            avoided += [(key, a) for a in term.get("avoid", []) if re.search(a, entry["ja"])]
    assert not missing, f"glossary terms not used: {missing}"
    assert not avoided, f"variants ja/glossary.yml says to avoid: {avoided}"
    # The terms learners meet most in the feedback, as the glossary spells them.
    text = "".join(entry["ja"] for entry in MESSAGES.values())
    for term in ("勾配", "損失関数", "学習率", "ソフトマックス", "連鎖律", "数値勾配", "重み",
                 "バイアス", "誤差逆伝播法", "ヤコビ行列", "畳み込み", "ロジット"):
        assert term in text, term


def test_every_key_used_by_a_check_exists_and_every_entry_is_used():
    used = set()
    for path in PACKAGE.glob("*.py"):
        if path.name != "_messages.py":
            used |= set(re.findall(r"""msg\(\s*["']([^"']+)["']""", path.read_text()))
    assert used - set(MESSAGES) == set(), "keys used but not in MESSAGES"
    assert set(MESSAGES) - used == set(), "entries no check uses"


def test_msg_follows_the_language(japanese):
    assert msg("core.shape", what="P", shape=(2, 3), got=(3, 2)) == (
        "Pの形状は (2, 3) であるべきですが、(3, 2) になっています。")
    use_language("en")
    assert msg("core.shape", what="P", shape=(2, 3), got=(3, 2)) == (
        "P should have shape (2, 3), but it has shape (3, 2).")
    with pytest.raises(KeyError, match="no.such.key"):
        msg("no.such.key")


def _newton(grad, hess, w0, steps):
    path = [float(w0)]
    for _ in range(steps):
        path.append(path[-1] - grad(path[-1]) / hess(path[-1]))
    return np.array(path)


def _stops_one_step_late(grad, w0, learning_rate, tol, max_steps):
    path = [float(w0)]
    while len(path) <= max_steps:
        path.append(path[-1] - learning_rate * grad(path[-1]))
        if abs(grad(path[-2])) < tol:
            break
    return np.array(path)


def _english_phrases(text: str) -> list[str]:
    """Three English words in a row outside `code spans`: a sentence left untranslated."""
    return re.findall(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+", re.sub(r"`[^`]*`", " ", text))


def test_a_failing_and_a_passing_check_report_in_japanese(japanese):
    assert language() == "ja"
    failing = check_descend_until(_stops_one_step_late)
    text = str(failing)
    assert not failing.passed
    assert text.startswith("もう一歩 descend_until：問題が")
    assert "の場合：" in text and "経路の要素が 1 つ多すぎます" in text
    assert not _english_phrases(text), _english_phrases(text)
    assert "もう一歩" in failing._repr_html_()

    passing = check_newton_1d(_newton)
    assert passing.passed
    assert str(passing).startswith("合格 newton_1d：") and "よくできました" in str(passing)


def test_a_stub_and_garbage_get_japanese_feedback(japanese):
    def stub(*args):
        raise NotImplementedError()

    text = str(check_newton_1d(stub))
    assert "まだ `NotImplementedError` を送出しています" in text
    assert not _english_phrases(text), _english_phrases(text)
    text = str(check_newton_1d(lambda *args: "abc"))
    assert "数値の配列であるべきですが" in text
    assert not _english_phrases(text), _english_phrases(text)


def test_english_again_after_use_language_en(japanese):
    use_language("en")
    text = str(check_descend_until(_stops_one_step_late))
    assert text.startswith("NOT YET descend_until:")
    assert "your path has one entry too many" in text
    assert str(check_newton_1d(_newton)).startswith("PASSED newton_1d: all ")


@pytest.mark.parametrize("name", [n for n in mathlib.exercises.__all__
                                  if n.startswith("check_")])
def test_every_check_reports_a_stub_in_japanese(name, japanese):
    def stub(*args):
        raise NotImplementedError()

    text = str(getattr(mathlib.exercises, name)(stub))
    assert text.startswith("もう一歩 "), text
    assert not _english_phrases(text), _english_phrases(text)


@pytest.mark.parametrize("name", [n for n in mathlib.exercises.__all__
                                  if n.startswith("check_")])
def test_every_case_of_every_check_is_described_in_japanese(name, japanese):
    # A function that returns None fails every case (a stub stops at the first), so the
    # feedback names every hidden case of the check.
    failing = getattr(mathlib.exercises, name)(lambda *args: None)
    text = str(failing)
    assert not failing.passed and text.startswith("もう一歩 ")
    assert text.count("の場合：") == len(failing.problems)
    assert not _english_phrases(text), _english_phrases(text)


def test_the_default_name_of_a_checked_value_is_translated(japanese):
    from mathlib.exercises import Checker

    c = Checker("shapes")
    with c.case("ケース"):
        c.expect_shape([1.0, 2.0], (3,))
    assert c.problems == ["「ケース」の場合：結果の形状は (3,) であるべきですが、(2,) に"
                          "なっています。"]
    use_language("en")
    with c.case("a case"):
        c.expect_close([1.0], [2.0])
    assert c.problems[-1] == "On a case: the result is off at index (0,): you have 1, expected 2."
