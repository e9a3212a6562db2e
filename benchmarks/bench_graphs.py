"""node2vec benchmark: embedlab's walks (numba, rejection sampling) + its numba skip-gram, side by side with
the ``node2vec`` package from PyPI (precomputed per-edge transition tables + gensim), on synthetic graphs.

Each run happens in a fresh subprocess, so ``peak RSS`` is that run's own high-water mark (``ru_maxrss``);
``base RSS`` is the same process after imports and building the graph, before any walk, so
``peak - base`` is what the method itself needed (for the reference this leaves out its joblib worker
processes, which hold further copies of its tables: its figure is a lower bound). ``cpu s`` adds up the
CPU time of all threads and worker processes, which a busy shared machine disturbs less than wall time.
``community macro-F1`` checks both embeddings are equally good (a logistic regression recovering each
node's planted community), so the speed is compared at equal quality, not just equal settings.
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
import signal
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
    est = Node2Vec(dim=args.dim, walk_length=args.walk_length, num_walks=args.num_walks, window=args.window,
                   p=args.p, q=args.q, epochs=1, workers=2, random_state=0)
    est.fit(Graph.from_edges(["a", "b", "b"], ["b", "c", "d"]))  # compile the skip-gram kernel too
    c0 = cpu_s()
    est.fit(g)
    return {"walk_s": est.walk_seconds_, "train_s": est.train_seconds_, "base_mb": base, "peak_mb": rss_mb(),
            "edges": g.n_edges, "cpu": cpu_s() - c0, "f1": community_f1(est.embedding_.vectors, g.nodes)}


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
    t1 = time.perf_counter()
    fitted = model.fit(window=args.window, min_count=1, epochs=1, workers=2, seed=0)
    c2, t2 = cpu_s(), time.perf_counter()
    nodes = sorted(g.nodes)
    vectors = np.stack([fitted.wv[str(v)] for v in nodes])
    return {"walk_s": t1 - t0, "train_s": t2 - t1, "base_mb": base, "peak_mb": rss_mb(),
            "edges": g.number_of_edges(), "cpu": c2 - c0,
            "f1": community_f1(vectors, [str(v) for v in nodes])}


def community_f1(vectors: np.ndarray, nodes) -> float:
    """Macro-F1 of a logistic regression recovering each node's planted community (held-out half of up to
    20,000 nodes): the two embeddings compared at equal quality, not just equal settings."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    labels = np.array([int(v) for v in nodes]) // 1000
    idx = np.random.default_rng(0).permutation(len(labels))[:20_000]
    x = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    half = len(idx) // 2
    clf = LogisticRegression(max_iter=500).fit(x[idx[:half]], labels[idx[:half]])
    return float(f1_score(labels[idx[half:]], clf.predict(x[idx[half:]]), average="macro"))


def in_subprocess(which: str, n: int, m: int, args) -> dict | None:
    cmd = [sys.executable, __file__, "--worker", which, "--sizes", f"{n}:{m}", "--p", str(args.p), "--q",
           str(args.q), "--dim", str(args.dim), "--walk-length", str(args.walk_length), "--num-walks",
           str(args.num_walks), "--window", str(args.window)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's embedlab, not an installed one
    # its own session, killed whole afterwards: the reference's joblib workers must not linger and take
    # CPU from the next run
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
                            start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return {"timeout": args.timeout}
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    if proc.returncode:
        return {"error": stderr.strip().splitlines()[-1] if stderr.strip() else f"exit {proc.returncode}"}
    out = subprocess.CompletedProcess(cmd, 0, stdout, stderr)
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
    print("\n| nodes | edges | implementation | walks s | skip-gram s | total s | total cpu s "
          "| community macro-F1 | base RSS MB | peak RSS MB | peak - base MB |\n" + "|---" * 11 + "|")
    for n, m, label, r in rows:
        if "walk_s" not in r:
            print(f"| {n:,} | {m:,} | {label} | {r} | | | | | | | |")
            continue
        print(f"| {n:,} | {r['edges']:,} | {label} | {r['walk_s']:.1f} | {r['train_s']:.1f} | "
              f"{r['walk_s'] + r['train_s']:.1f} | {r['cpu']:.1f} | {r['f1']:.3f} | {r['base_mb']:.0f} | "
              f"{r['peak_mb']:.0f} | {r['peak_mb'] - r['base_mb']:.0f} |")
    by = {(n, m, label): r for n, m, label, r in rows}
    print()
    for (n, m) in sizes:
        a, b = by.get((n, m, "embedlab")), by.get((n, m, "node2vec 0.5 (PyPI)"))
        if a and b and "walk_s" in a and "walk_s" in b:
            print(f"{n:,}/{m:,}: walks {b['walk_s'] / a['walk_s']:.0f}x faster, skip-gram "
                  f"{b['train_s'] / a['train_s']:.1f}x faster, walks + training "
                  f"{(b['walk_s'] + b['train_s']) / (a['walk_s'] + a['train_s']):.1f}x faster (cpu "
                  f"{b['cpu'] / a['cpu']:.1f}x less), "
                  "extra memory "
                  f"{(b['peak_mb'] - b['base_mb']) / max(a['peak_mb'] - a['base_mb'], 1):.1f}x smaller")


if __name__ == "__main__":
    main()
