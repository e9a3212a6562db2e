"""Alignment benchmark: two 400k-word spaces (glove-50d vs a rotated, noised copy with planted swaps).

Usage::

    python benchmarks/bench_compare.py            # glove-50d (400k × 50)
    python benchmarks/bench_compare.py --n 100000 # only the first N words

Prints one table: time (from fresh spaces: normalising rows and indexing keys included) and peak traced
memory (numpy and Python allocations, via tracemalloc, in a second run) of ``align`` and ``most_moved``,
the recovered fit, and where the planted swapped words land. Timings are wall-clock on
whatever machine runs it; note its load when quoting them.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
from _table import print_table  # the script folder is on sys.path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("EMBEDLAB_HOME", tempfile.mkdtemp(prefix="embedlab-bench-"))

from embedlab.compare import align, most_moved  # noqa: E402
from embedlab.registry import load  # noqa: E402
from embedlab.space import EmbeddingSpace  # noqa: E402


def measured(fn, *spaces: EmbeddingSpace):
    """``fn(*fresh)`` twice on fresh copies of ``spaces`` (no cached normalised rows or key index):
    untraced for the wall time, then under tracemalloc for the peak; returns (result, seconds, peak MB)."""
    fresh = [s.renamed(s.name) for s in spaces]
    t0 = time.perf_counter()
    out = fn(*fresh)
    secs = time.perf_counter() - t0
    fresh = [s.renamed(s.name) for s in spaces]
    tracemalloc.start()
    fn(*fresh)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return out, secs, peak


def planted_copy(a: EmbeddingSpace, noise: float, swaps: int, seed: int = 0
                 ) -> tuple[EmbeddingSpace, list[str]]:
    """``a`` rotated, plus Gaussian noise, with ``swaps`` pairs of frequent words exchanged."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.normal(size=(a.dim, a.dim)))
    v = a.normed @ q.astype(np.float32)
    v += noise * rng.normal(size=v.shape).astype(np.float32) / np.sqrt(a.dim)
    rows = rng.choice(np.arange(100, 5000), 2 * swaps, replace=False)
    v[rows] = v[np.r_[rows[swaps:], rows[:swaps]]]
    return EmbeddingSpace(a.keys, v, a.meta, name=f"{a.name}-rotated"), [a.keys[i] for i in rows]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=None, help="use only the first N words")
    ap.add_argument("--noise", type=float, default=0.1, help="noise norm relative to the unit vectors")
    ap.add_argument("--swaps", type=int, default=10, help="planted pairs of swapped words")
    args = ap.parse_args()
    a = load("glove-50d")
    if args.n:
        a = a.head(args.n)
    a = EmbeddingSpace(a.keys, np.asarray(a.vectors), a.meta, name=a.name)  # in memory, not memory-mapped
    b, swapped = planted_copy(a, args.noise, args.swaps)
    rows = []
    al, secs, peak = measured(align, a, b)
    inputs_mb = (a.vectors.nbytes + b.vectors.nbytes) / 2**20
    rows.append(("align: time", f"{secs:.2f} s", f"{len(a):,} × {a.dim} vs {len(b):,} × {b.dim}"))
    rows.append(("align: peak traced memory", f"{peak:.0f} MB", f"inputs {inputs_mb:.0f} MB"))
    planted = f"noise {args.noise}, {2 * args.swaps} swapped"
    rows.append(("align: mean cosine", f"{al.mean_cosine:.4f}", planted))
    top = 2 * args.swaps
    rep, secs, peak = measured(lambda x, y: most_moved(x, y, top=top, max_rank=50_000, alignment=al), a, b)
    rows.append(("most_moved (given the alignment): time", f"{secs:.2f} s", "top 20, k-NN overlap on them"))
    rows.append(("most_moved: peak traced memory", f"{peak:.0f} MB", "neighbour pool: 50k shared words"))
    found = len(set(rep.table["key"]) & set(swapped))
    rows.append(("planted swaps in the top 20", f"{found}/{len(swapped)}", ""))
    rep, secs, peak = measured(lambda x, y: most_moved(x, y, top=20, max_rank=50_000), a, b)
    rows.append(("most_moved from scratch: time", f"{secs:.2f} s", "align + measure + neighbours"))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(("process max RSS", f"{rss:.0f} MB", ""))
    print_table(rows, 10)


if __name__ == "__main__":
    main()
