"""node2vec benchmark: embedlab's walks (numba, rejection sampling) + gensim skip-gram, side by side with the
``node2vec`` package from PyPI (precomputed per-edge transition tables + gensim), on synthetic graphs.

Each run happens in a fresh subprocess, so ``peak RSS`` is that run's own high-water mark (``ru_maxrss``);
``base RSS`` is the same process after imports and building the graph, before any walk, so
``peak - base`` is what the method itself needed (for the reference this leaves out its joblib worker
processes, which hold further copies of its tables: its figure is a lower bound). ``cpu s`` adds up the
CPU time of all threads and worker processes, which a busy shared machine disturbs less than wall time.
Both use the same p, q, walk length, walks per node, dimension, window, one skip-gram epoch and two
threads/processes. Times are wall seconds (the machine is shared: compare ratios from one run, not
absolute figures). The numba kernel is compiled (or loaded from
its cache) before the clock starts. Usage::

    pip install --no-deps node2vec==0.5.0      # the reference; not an embedlab dependency
    python benchmarks/bench_graphs.py                       # 10k/100k, 30k/300k both; 100k/1M ours
    python benchmarks/bench_graphs.py --sizes 100000:1000000 --ref-sizes 100000:1000000

The synthetic graph has 1 000-node communities: each edge joins a random node to a node of its own
community (90 %) or anywhere (10 %); duplicates and self-loops are dropped, so the edge count is a hair
under the target.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def synthetic_edges(n: int, m: int, seed: int = 0, block: int = 1000) -> np.ndarray:
    """About ``m`` distinct undirected edges over ``n`` nodes with planted communities."""
    rng = np.random.default_rng(seed)
    k = int(m * 1.03) + 100
    u = rng.integers(0, n, size=k)
    local = rng.random(k) < 0.9
    base = (u // block) * block
    v = np.where(local, np.minimum(base + rng.integers(0, block, size=k), n - 1), rng.integers(0, n, size=k))
    e = np.unique(np.sort(np.stack([u, v], axis=1), axis=1), axis=0)
    e = e[e[:, 0] != e[:, 1]]
    return e[rng.permutation(len(e))[:m]]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    """CPU seconds of this process, its finished children and its live ones (the reference's joblib
    workers), all threads: less sensitive than wall time to a busy machine."""
    import psutil

    done = sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))
    live = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            t = child.cpu_times()
            live += t.user + t.system
        except psutil.Error:
            pass
    return done + live


def run_ours(n: int, m: int, args) -> dict:
    from embedlab.graphs import Graph, Node2Vec, random_walks

    e = synthetic_edges(n, m)
    g = Graph.from_edges(e[:, 0].astype(str), e[:, 1].astype(str), name="synthetic")
    random_walks(Graph.from_edges(["a", "b", "b"], ["b", "c", "d"]), 3, 1, p=args.p, q=args.q)  # compile
    base = rss_mb()
    cpu = []
    est = Node2Vec(dim=args.dim, walk_length=args.walk_length, num_walks=args.num_walks, window=args.window,
                   p=args.p, q=args.q, epochs=1, workers=2, random_state=0)
    last_pass = f"walks: pass {args.num_walks} of"

    def note_walks_done(done: float, total: float, msg: str) -> None:
        if msg.startswith(last_pass):
            cpu.append(cpu_s())  # walks finished, skip-gram starts

    cpu.append(cpu_s())
    est.fit(g, progress=note_walks_done)
    cpu.append(cpu_s())
    return {"walk_s": est.walk_seconds_, "train_s": est.train_seconds_, "base_mb": base, "peak_mb": rss_mb(),
            "edges": g.n_edges, "walk_cpu": cpu[1] - cpu[0], "train_cpu": cpu[2] - cpu[1]}


def run_reference(n: int, m: int, args) -> dict:
    import networkx as nx
    from node2vec import Node2Vec as RefNode2Vec

    e = synthetic_edges(n, m)
    g = nx.Graph()
    g.add_edges_from(e.tolist())
    base = rss_mb()
    c0, t0 = cpu_s(), time.perf_counter()
    model = RefNode2Vec(g, dimensions=args.dim, walk_length=args.walk_length, num_walks=args.num_walks,
                        p=args.p, q=args.q, workers=2, quiet=True, seed=0)
    c1, t1 = cpu_s(), time.perf_counter()
    model.fit(window=args.window, min_count=1, epochs=1, workers=2, seed=0)
    c2, t2 = cpu_s(), time.perf_counter()
    return {"walk_s": t1 - t0, "train_s": t2 - t1, "base_mb": base, "peak_mb": rss_mb(),
            "edges": g.number_of_edges(), "walk_cpu": c1 - c0, "train_cpu": c2 - c1}


def in_subprocess(which: str, n: int, m: int, args) -> dict | None:
    cmd = [sys.executable, __file__, "--worker", which, "--sizes", f"{n}:{m}", "--p", str(args.p), "--q",
           str(args.q), "--dim", str(args.dim), "--walk-length", str(args.walk_length), "--num-walks",
           str(args.num_walks), "--window", str(args.window)]
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's embedlab, not an installed one
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout, cwd=ROOT, check=True,
                             env=env)
    except subprocess.TimeoutExpired:
        return {"timeout": args.timeout}
    except subprocess.CalledProcessError as exc:
        return {"error": exc.stderr.strip().splitlines()[-1] if exc.stderr.strip() else str(exc)}
    return json.loads(out.stdout.strip().splitlines()[-1])


def parse_sizes(text: str) -> list[tuple[int, int]]:
    return [tuple(int(x) for x in s.split(":")) for s in text.split(",") if s]  # type: ignore[misc]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000:100000,30000:300000,100000:1000000",
                    help="nodes:edges for embedlab (comma-separated)")
    ap.add_argument("--ref-sizes", default="10000:100000,30000:300000", help="nodes:edges for the package")
    ap.add_argument("--p", type=float, default=1.0)
    ap.add_argument("--q", type=float, default=0.5)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--walk-length", type=int, default=40)
    ap.add_argument("--num-walks", type=int, default=10)
    ap.add_argument("--window", type=int, default=5)
    ap.add_argument("--timeout", type=int, default=3600, help="seconds per run before giving up")
    ap.add_argument("--worker", choices=("ours", "ref"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        (n, m), = parse_sizes(args.sizes)
        res = (run_ours if args.worker == "ours" else run_reference)(n, m, args)
        print(json.dumps(res))
        return
    print(f"node2vec p={args.p} q={args.q}, walk length {args.walk_length}, {args.num_walks} walks/node, "
          f"dim {args.dim}, window {args.window}, 1 epoch, 2 threads")
    rows = []
    sizes = sorted(set(parse_sizes(args.sizes)) | set(parse_sizes(args.ref_sizes)))
    for n, m in sizes:
        for which, label in (("ours", "embedlab"), ("ref", "node2vec 0.5 (PyPI)")):
            if (n, m) not in parse_sizes(args.sizes if which == "ours" else args.ref_sizes):
                continue
            res = in_subprocess(which, n, m, args)
            rows.append((n, m, label, res))
            print(f"  {n:,} nodes / {m:,} edges, {label}: {res}", file=sys.stderr, flush=True)
    print("\n| nodes | edges | implementation | walks s (cpu s) | skip-gram s (cpu s) | total s (cpu s) "
          "| base RSS MB | peak RSS MB | peak - base MB |\n|---|---|---|---|---|---|---|---|---|")
    for n, m, label, r in rows:
        if "walk_s" not in r:
            print(f"| {n:,} | {m:,} | {label} | {r} | | | | | |")
            continue
        print(f"| {n:,} | {r['edges']:,} | {label} | {r['walk_s']:.1f} ({r['walk_cpu']:.1f}) | "
              f"{r['train_s']:.1f} ({r['train_cpu']:.1f}) | {r['walk_s'] + r['train_s']:.1f} "
              f"({r['walk_cpu'] + r['train_cpu']:.1f}) | {r['base_mb']:.0f} | {r['peak_mb']:.0f} | "
              f"{r['peak_mb'] - r['base_mb']:.0f} |")
    by = {(n, m, label): r for n, m, label, r in rows}
    print()
    for (n, m) in sizes:
        a, b = by.get((n, m, "embedlab")), by.get((n, m, "node2vec 0.5 (PyPI)"))
        if a and b and "walk_s" in a and "walk_s" in b:
            print(f"{n:,}/{m:,}: walks {b['walk_s'] / a['walk_s']:.0f}x faster (cpu "
                  f"{b['walk_cpu'] / max(a['walk_cpu'], 1e-9):.0f}x less), walks + training "
                  f"{(b['walk_s'] + b['train_s']) / (a['walk_s'] + a['train_s']):.1f}x faster (cpu "
                  f"{(b['walk_cpu'] + b['train_cpu']) / (a['walk_cpu'] + a['train_cpu']):.1f}x less), "
                  "extra memory "
                  f"{(b['peak_mb'] - b['base_mb']) / max(a['peak_mb'] - a['base_mb'], 1):.1f}x smaller")


if __name__ == "__main__":
    main()
