"""The language a chapter speaks: English, or Japanese for the book's Japanese edition.

Both editions run the same code; a Japanese notebook differs from its English twin only in
strings and comments (``tests/test_editions.py`` checks it). So the one line that differs in
the setup cell is a string: ``use_language("en")`` in ``chapters/``, ``use_language("ja")`` in
``ja/chapters/``. It sets two things for the rest of the session:

- **fonts** for Japanese figure text. ``"ja"`` registers the IPAex Gothic font that the
  ``matplotlib-fontja`` package ships (a maintained package, so every machine renders the same
  glyphs, with no system font needed) and makes it the *fallback* after matplotlib's default
  DejaVu Sans: digits, Latin letters and maths keep the look of the English figures, and only
  the glyphs DejaVu lacks (kana, kanji) come from IPAex. ``"en"`` restores the default.
- the **language of the exercise checks' feedback** and of the few words mathlib's own figures
  and drawing pad write (:func:`language`, :func:`word`, :func:`pad_text`, read by
  :mod:`mathlib.exercises`, :mod:`mathlib.plots` and :mod:`mathlib.drawpad`).

A character missing from every font is drawn as an empty box. Matplotlib reports it as a
``UserWarning`` starting "Glyph" for ordinary text, but only *logs* it for text inside ``$...$``
(mathtext, which has no font fallback, so a label mixing Japanese and ``$...$`` loses its
Japanese). :func:`use_language` turns that log record into the same warning, so one rule
catches both (the test run makes it an error: see ``conftest.py``).

It changes matplotlib's global ``font.family``, which is why it is one explicit call in the
setup cell and not a side effect of importing :mod:`mathlib.plots`.
"""

from __future__ import annotations

import logging
import warnings

import matplotlib

from .checks import describe

__all__ = ["LANGUAGES", "use_language", "language", "word", "pad_text"]

#: The editions: language code -> its name.
LANGUAGES = {"en": "English", "ja": "日本語"}
_DEFAULT_FAMILY = list(matplotlib.rcParamsDefault["font.family"])
_JAPANESE_FALLBACK = "IPAexGothic"
_current = "en"
#: Words that mathlib's figures write themselves (legend labels), per language.
WORDS = {
    "class": {"en": "class", "ja": "クラス"},
    "predicted class": {"en": "predicted class", "ja": "予測したクラス"},
    "true class": {"en": "true class", "ja": "正解のクラス"},
    "figure settings": {"en": "Settings of the figure below", "ja": "下の図の設定"},
}
#: The drawing pad's own words (mathlib.drawpad passes them to its JavaScript), per language.
#: ``{name}`` is a model's name, ``{names}`` the joined names, ``{n}`` a number of units.
PAD_TEXT = {
    "en": {
        "clear": "Clear",
        "preprocess": "MNIST preprocessing",
        "canvas": "Drawing pad: draw a digit from 0 to 9 with the mouse or a finger",
        "sees_one": "What the network sees (28×28)",
        "sees_many": "What the networks see (28×28)",
        "reads_one": "The network reads: ",
        "reads_many": "{name} reads: ",
        "empty": "Draw a digit",
        "probs": "{name}: softmax probabilities",
        "hidden": "Hidden units ({n}, ReLU)",
        "pad": "{names} drawing pad",
        "and": " and ",
        "noscript": "The drawing pad needs JavaScript.",
    },
    "ja": {
        "clear": "消去",
        "preprocess": "MNISTの前処理",
        "canvas": "描画パッド：マウスか指で0から9の数字を書いてください",
        "sees_one": "ネットワークが見る入力（28×28）",
        "sees_many": "ネットワークが見る入力（28×28）",
        "reads_one": "ネットワークの読み：",
        "reads_many": "{name}の読み：",
        "empty": "数字を書いてください",
        "probs": "{name}：ソフトマックスの確率",
        "hidden": "隠れユニット（{n}個、ReLU）",
        "pad": "{names}の描画パッド",
        "and": "と",
        "noscript": "描画パッドにはJavaScriptが必要です。",
    },
}


class _MissingGlyphWarning(logging.Filter):
    """Re-emit mathtext's "... does not have a glyph for ..." log record as a UserWarning."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "does not have a glyph" in message:
            warnings.warn(f"Glyph missing from a mathtext font: {message}", UserWarning,
                          stacklevel=2)
        return True


_GLYPH_FILTER = _MissingGlyphWarning()


def use_language(code: str) -> str:
    """Use ``code`` ("en" or "ja") for figure fonts and check feedback; return it."""
    global _current
    if not isinstance(code, str) or code not in LANGUAGES:
        raise ValueError(f"code must be one of {sorted(LANGUAGES)}, got {describe(code)}")
    for name in ("matplotlib.mathtext", "matplotlib._mathtext"):
        logger = logging.getLogger(name)
        if _GLYPH_FILTER not in logger.filters:
            logger.addFilter(_GLYPH_FILTER)
    if code == "ja":
        _register_japanese_font()
        matplotlib.rcParams["font.family"] = ["DejaVu Sans", _JAPANESE_FALLBACK]
    else:
        matplotlib.rcParams["font.family"] = list(_DEFAULT_FAMILY)
    _current = code
    return code


def language() -> str:
    """The language set by :func:`use_language` ("en" until it is called)."""
    return _current


def word(key: str) -> str:
    """``key`` (an entry of :data:`WORDS`) in the current language."""
    if not isinstance(key, str) or key not in WORDS:
        raise ValueError(f"key must be one of {sorted(WORDS)}, got {describe(key)}")
    return WORDS[key][_current]


def pad_text() -> dict[str, str]:
    """The drawing pad's words (:data:`PAD_TEXT`) in the current language."""
    return dict(PAD_TEXT[_current])


def _register_japanese_font() -> None:
    # matplotlib_fontja.japanize() would make IPAex the *only* family; add the font file
    # ourselves and keep DejaVu first (see the module docstring).
    from matplotlib import font_manager

    try:
        from matplotlib_fontja import get_font_ttf_path
    except ImportError:  # pragma: no cover - it is in requirements.txt
        raise ImportError("Japanese figures need the matplotlib-fontja package: "
                          "pip install matplotlib-fontja") from None
    names = {f.name for f in font_manager.fontManager.ttflist}
    if _JAPANESE_FALLBACK not in names:
        font_manager.fontManager.addfont(get_font_ttf_path())
