"""mathlib.i18n: Japanese figure text renders with real glyphs; English figures are unchanged."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import matplotlib
import pytest

from mathlib.i18n import language, use_language

# A fresh interpreter per case: use_language changes matplotlib's global font settings, and
# matplotlib warns about a missing glyph only once per process.
DRAW = textwrap.dedent("""
    import warnings
    warnings.simplefilter("error")          # a "Glyph ... missing" warning fails the case
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from mathlib.i18n import use_language
    {setup}
    fig, ax = plt.subplots()
    ax.set_title("損失関数と学習率 η = 0.1")
    ax.set_xlabel("エポック (epoch)")
    fig.savefig(__import__("io").BytesIO(), format="png")
    print(matplotlib.rcParams["font.family"])
""")


def _draw(setup: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", DRAW.format(setup=setup)],
                          capture_output=True, text=True, timeout=120)


def test_japanese_figure_text_has_every_glyph():
    proc = _draw('use_language("ja")')
    assert proc.returncode == 0, proc.stderr[-2000:]
    # DejaVu first: digits, Latin and Greek look as in the English figures.
    assert proc.stdout.strip() == "['DejaVu Sans', 'IPAexGothic']"


def test_without_the_japanese_setting_the_glyphs_are_missing():
    # The control: the test above would pass vacuously if no glyph could ever go missing.
    proc = _draw('use_language("en")')
    assert proc.returncode != 0 and "Glyph" in proc.stderr


def test_language_is_remembered_and_english_restores_the_default_font():
    before = list(matplotlib.rcParams["font.family"])
    try:
        assert use_language("en") == "en" and language() == "en"
        assert list(matplotlib.rcParams["font.family"]) == \
            list(matplotlib.rcParamsDefault["font.family"])
    finally:
        matplotlib.rcParams["font.family"] = before


def test_japanese_inside_mathtext_is_caught_too():
    # Text with $...$ is drawn by mathtext, which has no font fallback and only logs the
    # missing glyph; use_language makes that log record the same "Glyph" warning.
    proc = _draw('use_language("ja")').args[2]  # the script, to reuse with another title
    script = proc.replace('"損失関数と学習率 η = 0.1"', '"ステップ $k$"')
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode != 0 and "Glyph missing from a mathtext font" in run.stderr


def test_words_of_mathlib_figures_follow_the_language():
    from mathlib.i18n import word

    try:
        use_language("ja")
        assert word("class") == "クラス"
    finally:
        use_language("en")
    assert word("class") == "class"


@pytest.mark.parametrize("bad", ["EN", "jp", "", None, 3])
def test_unknown_language_is_refused_by_name(bad):
    with pytest.raises(ValueError, match="code must be one of"):
        use_language(bad)
