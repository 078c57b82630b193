"""pytest settings shared by the unit tests and the notebooks that nbval runs.

Missing glyphs are errors
-------------------------
A figure whose text uses a character its font lacks shows an empty box, and matplotlib only
warns ("Glyph 25613 ... missing from font(s) DejaVu Sans"). The kernels nbval starts, and the
book build's kernels, inherit this environment, so the warning becomes an error there and such
a figure fails its notebook (this is how the Japanese edition proves its figures render; see
mathlib.i18n). PYTHONWARNINGS matches the start of the message, case-insensitively.

Parallel runs
-------------
``pyproject.toml`` runs pytest on several workers (pytest-xdist, ``-n auto --dist loadfile``:
a notebook's cells, like a test module's tests, stay together and in order on one worker).
:func:`pytest_xdist_auto_num_workers` makes ``auto`` one worker per CPU this process may use,
at most :data:`MAX_WORKERS`. Each worker, and every kernel it starts, gets **one BLAS thread**
unless the environment already says otherwise: two workers with two OpenBLAS threads each on
two cores would make every matrix product wait for a core, and one notebook per core is
faster than two threads on one notebook (these notebooks' products are small). The stored
outputs come from ``make execute`` with the machine's default thread count, so nbval still
compares a one-thread run against a multi-thread one.
"""

import os
import sys

_GLYPH_IS_AN_ERROR = "error:Glyph:UserWarning"
if _GLYPH_IS_AN_ERROR not in os.environ.get("PYTHONWARNINGS", ""):
    os.environ["PYTHONWARNINGS"] = ",".join(
        filter(None, [os.environ.get("PYTHONWARNINGS"), _GLYPH_IS_AN_ERROR]))

#: Most workers ``-n auto`` starts: each may hold a notebook kernel with all of MNIST.
MAX_WORKERS = 4
_BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

if os.environ.get("PYTEST_XDIST_WORKER"):
    if "numpy" in sys.modules:  # BLAS reads its thread count once, when NumPy loads
        raise RuntimeError("conftest.py must set the BLAS threads before NumPy is imported")
    for _name in _BLAS_THREADS:
        os.environ.setdefault(_name, "1")


def pytest_xdist_auto_num_workers(config):
    """``-n auto``: the CPUs this process may run on (not psutil's physical cores, which is
    1 on many 2-vCPU machines), at most MAX_WORKERS."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cpus = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cpus))
