"""Neighbour-search benchmark: load time, exact query latency vs. bandwidth, hnswlib build/recall/latency.

Usage::

    python benchmarks/bench_neighbours.py            # glove-50d + synthetic 1M × 300 (needs ~3 GB RAM)
    python benchmarks/bench_neighbours.py --quick    # 100k × 300 synthetic, ANN on 20k points

Prints one table. Timings are wall-clock on whatever machine runs it; note its load when quoting them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _table import print_table  # the script folder is on sys.path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("EMBEDLAB_HOME", tempfile.mkdtemp(prefix="embedlab-bench-"))

from embedlab.ann import HnswIndex, recall  # noqa: E402
from embedlab.neighbours import most_similar  # noqa: E402
from embedlab.space import EmbeddingSpace  # noqa: E402

ROWS: list[tuple[str, str, str]] = []


def row(what: str, value: str, note: str = "") -> None:
    ROWS.append((what, value, note))
    print(f"  {what:<48} {value:>14}  {note}", file=sys.stderr, flush=True)


def pct(times: list[float]) -> tuple[float, float]:
    a = np.asarray(times) * 1e3
    return float(np.percentile(a, 50)), float(np.percentile(a, 95))


def load_time_fresh_process() -> None:
    code = ("import time; t0 = time.perf_counter(); from embedlab.registry import load; "
            "t1 = time.perf_counter(); s = load('glove-50d'); t2 = time.perf_counter(); "
            "print(t1 - t0, t2 - t1, len(s))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    imp, load, n = out.stdout.split()
    row("glove-50d load (fresh process)", f"{float(load):.2f} s",
        f"{int(n):,} words; +{float(imp):.2f} s import")


def bandwidth(x: np.ndarray, repeats: int = 3) -> tuple[float, str]:
    """Measured streaming rate of ``x`` in bytes/s: the best of a full reduction and a copy (2 × bytes)."""
    reduce_s = min(_timed(lambda: np.add.reduce(x, axis=None)) for _ in range(repeats))
    buf = np.empty_like(x)
    np.copyto(buf, x)  # fault the pages in first
    copy_s = min(_timed(lambda: np.copyto(buf, x)) for _ in range(repeats))
    rates = {"np.add.reduce": x.nbytes / reduce_s, "copy, read+write": 2 * x.nbytes / copy_s}
    how = max(rates, key=rates.get)
    return rates[how], how


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def exact_queries(space: EmbeddingSpace, label: str, n_queries: int = 50) -> None:
    rng = np.random.default_rng(0)
    qs = space.normed[rng.choice(len(space), n_queries, replace=False)]
    most_similar(space, [qs[0]], topn=10)  # warm-up (normed view is computed once)
    ours = [_timed(lambda q=q: most_similar(space, [q], topn=10)) for q in qs]
    base = [_timed(lambda q=q: space.normed @ q) for q in qs]
    bw, how = bandwidth(space.normed)
    bound_ms = space.normed.nbytes / bw * 1e3
    p50, p95 = pct(ours)
    b50, b95 = pct(base)
    size = f"{len(space):,} × {space.dim}"
    row(f"{label}: exact top-10 query p50 / p95", f"{p50:.1f} / {p95:.1f} ms", size)
    row(f"{label}: numpy normed @ q p50 / p95", f"{b50:.1f} / {b95:.1f} ms", "matmul only, no top-k")
    row(f"{label}: bandwidth bound", f"{bound_ms:.1f} ms",
        f"{space.normed.nbytes / 1e9:.2f} GB at {bw / 1e9:.1f} GB/s ({how}); "
        f"p50 = {p50 / bound_ms:.2f}× bound")


def ann(space: EmbeddingSpace, label: str, ef_values=(64, 128, 256)) -> None:
    t = time.perf_counter()
    idx = HnswIndex.build(space)
    row(f"{label}: hnswlib build (M=32, ef_c=200)", f"{time.perf_counter() - t:.1f} s",
        f"{len(space):,} vectors")
    path = Path(os.environ["EMBEDLAB_HOME"]) / f"bench-{label}.bin"
    t = time.perf_counter()
    idx.save(path)
    HnswIndex.load(path, space)
    row(f"{label}: index save + load", f"{time.perf_counter() - t:.2f} s",
        f"{path.stat().st_size / 1e6:.0f} MB on disk")
    rng = np.random.default_rng(1)
    qs = space.normed[rng.choice(len(space), 200, replace=False)]
    for ef in ef_values:
        idx.ef = ef
        rec = recall(idx, qs, k=10)
        lat = [_timed(lambda q=q: idx.search(q, 10)) for q in qs]
        p50, p95 = pct(lat)
        row(f"{label}: ANN ef={ef} recall@10, p50 / p95", f"{rec:.3f}, {p50:.2f} / {p95:.2f} ms",
            "200 queries (rows of the space), one at a time")


def synthetic(n: int, d: int = 300) -> EmbeddingSpace:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, d), dtype=np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    x.flags.writeable = False
    return EmbeddingSpace([f"v{i}" for i in range(n)], x, name=f"synthetic-{n}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small synthetic set and small ANN builds")
    ap.add_argument("--n", type=int, default=None, help="synthetic rows (default 1,000,000; quick 100,000)")
    ap.add_argument("--ann-points", type=int, default=None,
                    help="rows indexed by hnswlib for the synthetic ANN rows (default: all; quick 20,000)")
    ap.add_argument("--glove-ann-points", type=int, default=None,
                    help="glove-50d rows indexed (default: all 400,000; quick 50,000)")
    args = ap.parse_args()
    n = args.n or (100_000 if args.quick else 1_000_000)
    ann_n = args.ann_points or (20_000 if args.quick else n)
    glove_ann_n = args.glove_ann_points or (50_000 if args.quick else 400_000)

    print(f"embedlab neighbour benchmark ({'quick' if args.quick else 'full'}; {os.cpu_count()} CPUs)",
          file=sys.stderr)
    load_time_fresh_process()
    from embedlab.registry import load

    glove = load("glove-50d")
    exact_queries(glove, "glove-50d")
    ann(glove.head(glove_ann_n), f"glove-50d[:{glove_ann_n:,}]")
    space = synthetic(n)
    exact_queries(space, f"synthetic {n:,}")
    ann(space if ann_n >= n else space.head(ann_n), f"synthetic {ann_n:,}")

    print_table(ROWS, value_width=24)


if __name__ == "__main__":
    main()
