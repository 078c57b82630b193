"""pytest settings shared by the unit tests and the notebooks that nbval runs.

A figure whose text uses a character its font lacks shows an empty box, and matplotlib only
warns ("Glyph 25613 ... missing from font(s) DejaVu Sans"). The kernels nbval starts, and the
book build's kernels, inherit this environment, so the warning becomes an error there and such
a figure fails its notebook (this is how the Japanese edition proves its figures render; see
mathlib.i18n). PYTHONWARNINGS matches the start of the message, case-insensitively.
"""

import os

_GLYPH_IS_AN_ERROR = "error:Glyph:UserWarning"
if _GLYPH_IS_AN_ERROR not in os.environ.get("PYTHONWARNINGS", ""):
    os.environ["PYTHONWARNINGS"] = ",".join(
        filter(None, [os.environ.get("PYTHONWARNINGS"), _GLYPH_IS_AN_ERROR]))
