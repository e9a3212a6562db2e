"""``embedlab index``: build (once) and save the approximate-neighbour index of a space, and report it."""

from __future__ import annotations

import argparse
import time

import numpy as np

from embedlab.cli._output import ProgressPrinter, add_json_flag, emit


def cmd_index(args: argparse.Namespace) -> int:
    """Build or load the hnswlib index of a space; print recall@10 and query latency against exact search."""
    from embedlab.ann.base import recall
    from embedlab.ann.hnsw import get_index, index_path
    from embedlab.registry import load

    space = load(args.space)
    path = index_path(space)
    existed = path.is_file()
    t0 = time.perf_counter()
    idx = get_index(space, build=True, progress=None if args.json else ProgressPrinter())
    seconds = time.perf_counter() - t0
    rec = recall(idx, k=10, n_queries=args.queries)
    rng = np.random.default_rng(0)
    q = space.normed[rng.choice(len(space), size=min(args.queries, len(space)), replace=False)]
    t1 = time.perf_counter()
    for row in q:
        idx.search(row, 10)
    per_query_ms = 1000 * (time.perf_counter() - t1) / len(q)
    out = {"space": space.name, "n": len(space), "path": str(path), "built": not existed,
           "seconds": round(seconds, 3), "recall_at_10": rec, "query_ms": round(per_query_ms, 4)}
    text = (f"{'Built' if not existed else 'Loaded'} the index of {space.name} ({len(space):,} keys) in "
            f"{seconds:.1f} s: {path}\nrecall@10 vs exact search: {rec:.3f} over {len(q)} queries; "
            f"{per_query_ms:.3f} ms a query")
    emit(out, args.json, text)
    return 0


def register(sub) -> None:
    """Register ``embedlab index``."""
    p = sub.add_parser("index", help="build and save the approximate-neighbour index of a space (hnswlib)")
    p.add_argument("space", help="bundled name, saved name, or vectors file")
    p.add_argument("--queries", type=int, default=200, help="queries used to measure recall (default 200)")
    add_json_flag(p)
    p.set_defaults(func=cmd_index)
