"""How fast the live sliders redraw, how heavy the static twins are, and each page's weight.

For every chapter notebook: execute it in a fresh kernel (as a reader would), then move every
slider of every explorer through all its values and record each redraw's duration. Prints the
median and the worst redraw per explorer (the target is under 100 ms per move), the size of
each explorer's static twin (its HTML, frames included) and the time to build it, then the
weight of each built page (limit: ``page_weight.LIMIT_BYTES``) if ``_build/html`` exists.

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
import json, statistics, time
from mathlib.widgets import EXPLORERS
report = []
for ex in EXPLORERS:
    t0 = time.perf_counter()
    twin_bytes = len(ex.to_html().encode())
    twin_seconds = time.perf_counter() - t0
    panel = ex.widget()
    ex.callback_seconds.clear()
    for name, slider in panel.sliders.items():
        for value in ex.grid[name]:
            slider.value = value
    times = ex.callback_seconds
    report.append({"name": ex.name, "moves": len(times),
                   "median_ms": 1000 * statistics.median(times) if times else None,
                   "max_ms": 1000 * max(times) if times else None,
                   "twin_kb": twin_bytes / 1000, "twin_s": twin_seconds})
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
    print("Live slider redraws (JupyterLab callback: update + render PNG), target < 100 ms;")
    print("static twin: its HTML with every frame, and the seconds to draw and encode them")
    print(f"{'notebook':34s} {'explorer':20s} {'moves':>5s} {'median ms':>10s} {'max ms':>8s}"
          f" {'twin kB':>8s} {'twin s':>7s}")
    worst = 0.0
    for path in notebooks:
        for row in bench_notebook(path):
            worst = max(worst, row["median_ms"] or 0.0)
            print(f"{path.stem:34s} {row['name']:20s} {row['moves']:5d} "
                  f"{row['median_ms']:10.1f} {row['max_ms']:8.1f} "
                  f"{row['twin_kb']:8.0f} {row['twin_s']:7.1f}")
    print(f"worst median redraw: {worst:.1f} ms ({'OK' if worst < 100 else 'TOO SLOW'})")
    html = ROOT / "_build" / "html"
    if html.is_dir():
        print(f"\nPage weight (HTML + referenced files; `python benchmarks/page_weight.py "
              f"--browser` counts what Chromium downloads), limit {LIMIT_BYTES:,} bytes")
        for rel, size in page_weights(html).items():
            flag = "" if size <= LIMIT_BYTES else "  OVER LIMIT"
            print(f"{rel:50s} {size:>11,} bytes{flag}")
    else:
        print("\n(no _build/html: run `make book` to measure page weights)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
