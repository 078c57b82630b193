"""How fast the live sliders redraw, and how heavy each page of the built book is.

For every chapter notebook: execute it in a fresh kernel (as a reader would), then move every
slider of every explorer through all its values and record each redraw's duration. Prints the
median and the worst redraw per explorer (the target is under 100 ms per move), then the weight
of each built page (target: under 5 MB) if ``_build/html`` exists.

Usage: ``python benchmarks/bench_widgets.py [chapters/NN_name.ipynb ...]`` (``make benchmarks``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from page_weight import LIMIT_BYTES, page_weights  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

MOVE_EVERY_SLIDER = r'''
import json, statistics
from mathlib.widgets import EXPLORERS
report = []
for ex in EXPLORERS:
    panel = ex.widget()
    ex.callback_seconds.clear()
    for name, slider in panel.sliders.items():
        for value in ex.grid[name]:
            slider.value = value
    times = ex.callback_seconds
    report.append({"name": ex.name, "moves": len(times),
                   "median_ms": 1000 * statistics.median(times) if times else None,
                   "max_ms": 1000 * max(times) if times else None})
print("BENCH" + json.dumps(report))
'''


def bench_notebook(path: Path) -> list[dict]:
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(MOVE_EVERY_SLIDER))
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    for out in nb.cells[-1].outputs:
        text = out.get("text", "")
        if "BENCH" in text:
            return json.loads(text.split("BENCH", 1)[1])
    raise RuntimeError(f"{path.name}: the benchmark cell printed nothing")


def main(argv: list[str]) -> int:
    notebooks = [Path(a) for a in argv] or sorted((ROOT / "chapters").glob("*.ipynb"))
    print("Live slider redraws (JupyterLab callback: update + render PNG), target < 100 ms")
    print(f"{'notebook':40s} {'explorer':28s} {'moves':>5s} {'median ms':>10s} {'max ms':>8s}")
    worst = 0.0
    for path in notebooks:
        for row in bench_notebook(path):
            worst = max(worst, row["median_ms"] or 0.0)
            print(f"{path.stem:40s} {row['name']:28s} {row['moves']:5d} "
                  f"{row['median_ms']:10.1f} {row['max_ms']:8.1f}")
    print(f"worst median redraw: {worst:.1f} ms ({'OK' if worst < 100 else 'TOO SLOW'})")
    html = ROOT / "_build" / "html"
    if html.is_dir():
        print("\nPage weight (HTML + local scripts, styles and images), limit 5 MB")
        for rel, size in page_weights(html).items():
            flag = "" if size <= LIMIT_BYTES else "  OVER LIMIT"
            print(f"{rel:50s} {size / 2**20:6.2f} MB{flag}")
    else:
        print("\n(no _build/html: run `make book` to measure page weights)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
