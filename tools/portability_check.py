"""Run every chapter notebook again under a numerical set-up unlike the default one.

nbval compares the cells marked ``# NBVAL_CHECK_OUTPUT`` with their stored outputs. Those cells
must print the same text on any CPU, BLAS kernel and thread count (verdicts against a pass mark,
or values rounded to what the argument needs). A cell that prints a rounding-level number passes
on the machine that stored it and fails on a reader's laptop. This script makes such a cell fail
here instead, by re-running the notebooks with

- one BLAS thread (OpenBLAS splits a matrix product differently with 1 and 2+ threads, which
  changes the order of the additions);
- another OpenBLAS kernel family (``OPENBLAS_CORETYPE``: the generic SSE kernels of ``Nehalem``
  on x86-64, ``ARMV8`` on 64-bit ARM), which tiles and vectorises the products differently;
- NumPy's own SIMD loops reduced to the build's baseline (``NPY_DISABLE_CPU_FEATURES`` lists
  every dispatched extension this CPU has), which changes how sums and ``exp`` are evaluated.

Together these perturb every rounding the notebooks depend on, as a different CPU would.
The default set-up is covered by the main ``pytest`` run; this is the second of the two runs
that ``make test`` does.

It runs the **Japanese** notebooks (``ja/chapters``), and the main run the English ones. A
Japanese notebook is its English twin's syntax tree with other strings
(``tests/test_editions.py``), and each checked cell stores the same numbers in both editions
(the same file checks that too). So every notebook's code is run once under each set-up and
every edition's stored outputs are compared once, in one pass over each edition instead of
three passes (English twice, Japanese once). It runs on every core (pytest-xdist, as
configured in ``pyproject.toml``), one BLAS thread per worker.

Usage: ``python tools/portability_check.py [pytest args...]`` (default: ``ja/chapters``).
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys

CORETYPES = {"x86_64": "Nehalem", "AMD64": "Nehalem", "aarch64": "ARMV8", "arm64": "ARMV8"}


def dispatched_features() -> list[str]:
    """NumPy's SIMD extensions that this CPU has beyond the build's baseline."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    return [name for name in __cpu_dispatch__ if __cpu_features__.get(name)]


def portable_env() -> dict[str, str]:
    """The environment variables of the second set-up (see the module docstring)."""
    env = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    coretype = CORETYPES.get(platform.machine())
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    features = dispatched_features()
    if features:
        env["NPY_DISABLE_CPU_FEATURES"] = " ".join(features)
    return env


def main(argv: list[str]) -> int:
    changes = portable_env()
    print("Portability run: the notebooks (the Japanese edition by default) with " +
          ", ".join(f"{k}={v!r}" for k, v in changes.items()), flush=True)
    args = argv or ["ja/chapters"]
    cmd = [sys.executable, "-m", "pytest", "-q", *args]
    return subprocess.call(cmd, env={**os.environ, **changes})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
