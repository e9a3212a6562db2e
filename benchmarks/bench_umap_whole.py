"""UMAP of a whole space: the Map's background job on all 400,000 GloVe words (fitted on a seeded sample,
the rest placed with ``transform``), and how faithful that is against one full fit at 50,000 words.

Rows:

- **50k, full fit** vs **50k, sample + transform** (the Map's way past 20,000 points): wall time and
  trustworthiness (10 neighbours, the same seeded 2,000 points for both), side by side in one run;
- **400k, background job** (``project_in_background``, as the Map page starts it): wall time, the
  progress messages it published, the process's peak resident memory, trustworthiness, and the time to
  open the cached coordinates afterwards (what every later visit costs).

The first run in a fresh environment also compiles numba's kernels (cached on disk afterwards); run twice
for warm figures. Usage::

    python benchmarks/bench_umap_whole.py
    python benchmarks/bench_umap_whole.py --sizes 50000 --whole 0     # only the 50k comparison
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from _table import print_table  # the script folder is on sys.path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("EMBEDLAB_HOME", tempfile.mkdtemp(prefix="embedlab-bench-"))

from embedlab.projection import UMAPProjection, trustworthiness  # noqa: E402
from embedlab.registry import load  # noqa: E402

TRUST_POINTS = 2000


class PeakRSS:
    """The process's peak resident memory while the block runs (sampled every 0.2 s), in MB."""

    def __enter__(self):
        import psutil

        self.proc, self.peak, self.stop = psutil.Process(), 0.0, threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()
        return self

    def _watch(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, self.proc.memory_info().rss / 2**20)
            time.sleep(0.2)

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


def compare_at(glove, n: int, rows: list) -> None:
    """A full UMAP fit of the ``n`` most frequent words against the Map's sample + transform."""
    space = glove.head(n)
    results = {}
    for label, max_fit in (("full fit", n), ("sample of 20,000 + transform", 20_000)):
        t0 = time.perf_counter()
        coords = UMAPProjection(random_state=0, max_fit=max_fit).fit_transform(space)
        dt = time.perf_counter() - t0
        tw = trustworthiness(space, coords, max_points=TRUST_POINTS)
        results[label] = (dt, tw)
        rows.append((f"UMAP {n:,} words, {label}", f"{dt:.0f} s", f"trustworthiness {tw:.3f}"))
    (full_s, full_t), (part_s, part_t) = results.values()
    rows.append((f"UMAP {n:,}: sample + transform / full fit", f"{part_s / full_s:.2f}×",
                 f"trustworthiness {part_t - full_t:+.3f}"))


def whole_space(glove, rows: list) -> None:
    """The Map page's background job on every word, then a reopen from the disk cache."""
    from embedlab.projection import cached_projection, project_in_background

    messages: list[str] = []
    with PeakRSS() as rss:
        t0 = time.perf_counter()
        job = project_in_background(glove, "umap", 2)
        while job.running:
            message = job.progress[2]
            if message and (not messages or messages[-1] != message):
                messages.append(message)
            time.sleep(0.5)
        dt = time.perf_counter() - t0
    if job.status != "done":
        rows.append((f"UMAP all {len(glove):,} words (background job)", "failed", str(job.error)[:80]))
        return
    tw = trustworthiness(glove, job.result, max_points=TRUST_POINTS)
    rows.append((f"UMAP all {len(glove):,} words (background job)", f"{dt:.0f} s",
                 f"peak {rss.peak:,.0f} MB; trustworthiness {tw:.3f}; {len(messages)} progress messages, "
                 f"last: {messages[-1] if messages else '-'}"))
    t0 = time.perf_counter()
    again = cached_projection(glove, "umap", 2)
    rows.append(("reopen from the disk cache", f"{time.perf_counter() - t0:.2f} s",
                 "what a later visit to the map costs" if again is not None else "NOT cached"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="50000", help="sizes of the full-fit comparison (0: none)")
    ap.add_argument("--whole", type=int, default=1, help="1: also the whole-space background job")
    args = ap.parse_args()
    glove = load("glove-50d")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    rows: list = []
    for n in (int(s) for s in args.sizes.split(",") if int(s)):
        compare_at(glove, n, rows)
    if args.whole:
        whole_space(glove, rows)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"trustworthiness: 10 neighbours, on the same seeded {TRUST_POINTS:,} points of each map")
    print_table(rows)


if __name__ == "__main__":
    main()
