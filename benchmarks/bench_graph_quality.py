"""Same walks, two skip-gram trainers: embedlab's numba SGNS against gensim's Word2Vec, on quality and time.

embedlab trains node2vec/DeepWalk with its own skip-gram (``embedlab/graphs/skipgram.py``: integer walks,
no vocabulary, negatives shared across a window). This checks it learns embeddings as good as gensim's
(the trainer embedlab used before, fed the same walks as a ``corpus_file``) on every bundled graph and on a
harder synthetic one: node-classification macro-F1 and link-prediction AUC, mean ± sd over seeds, and the
skip-gram seconds. Usage::

    python benchmarks/bench_graph_quality.py              # seeds 0, 1, 2
    python benchmarks/bench_graph_quality.py --seeds 0
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

import numpy as np
from _table import print_grid  # the script folder is on sys.path

SECONDS: dict[str, list[float]] = {}


def gensim_embed(graph, method: str, seed: int):
    """The walks embedlab draws, trained by gensim's skip-gram (the previous trainer), same parameters."""
    from gensim.models import Word2Vec

    from embedlab.graphs.walkembed import MIN_TOKENS, node_space
    from embedlab.graphs.walks import walk_chunks

    p, q = (1.0, 0.5) if method == "node2vec" else (1.0, 1.0)
    tokens = graph.n_nodes * 10 * 40
    epochs = max(1, min(50, -(-MIN_TOKENS // tokens)))
    workers = 1 if tokens * epochs < 5_000_000 else os.cpu_count() or 1
    fd, path = tempfile.mkstemp(suffix=".txt")
    counts = np.zeros(graph.n_nodes, dtype=np.int64)
    with os.fdopen(fd, "wb") as fh:
        for chunk in walk_chunks(graph, 40, 10, p, q, seed):
            lines = (" ".join(map(str, row[row >= 0].tolist())) for row in chunk)
            fh.write(("\n".join(lines) + "\n").encode())
            counts += np.bincount(chunk[chunk >= 0], minlength=graph.n_nodes)
    t0 = time.perf_counter()
    model = Word2Vec(vector_size=64, window=5, min_count=1, sg=1, negative=5, workers=workers, seed=seed)
    model.build_vocab_from_freq({str(i): int(c) for i, c in enumerate(counts) if c},
                                corpus_count=graph.n_nodes * 10)
    model.train(corpus_file=path, total_words=int(counts.sum()), total_examples=graph.n_nodes * 10,
                epochs=epochs)
    SECONDS.setdefault("gensim", []).append(time.perf_counter() - t0)
    os.unlink(path)
    vectors = np.zeros((graph.n_nodes, 64), dtype=np.float32)
    vectors[[int(k) for k in model.wv.index_to_key]] = model.wv.vectors
    return node_space(graph, vectors, method, {})


def embedlab_embed(graph, method: str, seed: int):
    from embedlab.graphs.api import make_estimator

    est = make_estimator(method, dim=64, p=1.0, q=0.5 if method == "node2vec" else 1.0, seed=seed)
    est.fit(graph)
    SECONDS.setdefault("embedlab", []).append(est.train_seconds_)
    return est.embedding_


def harder_synthetic():
    """10k nodes in 100 communities of 100, only half of each node's edges inside its community."""
    from embedlab.graphs import Graph

    rng = np.random.default_rng(7)
    n, m, block = 10_000, 60_000, 100
    u = rng.integers(0, n, size=m)
    local = rng.random(m) < 0.5
    v = np.where(local, (u // block) * block + rng.integers(0, block, size=m), rng.integers(0, n, size=m))
    keep = u != v
    g = Graph.from_edges(u[keep].astype(str), v[keep].astype(str), name="synthetic-10k")
    return g.with_labels({str(i): f"c{i // block}" for i in range(n)})


def main() -> None:
    from embedlab.graphs.datasets import load_bundled
    from embedlab.graphs.evaluate import link_prediction, node_classification

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--method", default="node2vec", choices=("node2vec", "deepwalk"))
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    graphs = {name: load_bundled(name) for name in ("karate", "lesmis", "wordnet-nouns")}
    graphs["synthetic-10k (50% local)"] = harder_synthetic()
    trainers = {"gensim Word2Vec": gensim_embed, "embedlab SGNS": embedlab_embed}
    rows = []
    for gname, g in graphs.items():
        for tname, embed in trainers.items():
            SECONDS.clear()
            f1 = [node_classification(embed(g, args.method, s), seed=s)["macro_f1"] for s in seeds]
            auc = [link_prediction(g, lambda tg, _p, s=s, e=embed: e(tg, args.method, s), 0.2, s)["auc"]
                   for s in seeds]
            secs = next(iter(SECONDS.values()))
            rows.append([gname, tname, f"{np.mean(f1):.3f} ± {np.std(f1):.3f}",
                         f"{np.mean(auc):.3f} ± {np.std(auc):.3f}", f"{np.mean(secs):.2f}"])
            print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
    print(f"\n{args.method}, dim 64, 10 walks of 40 per node, window 5, 5 negatives; seeds {seeds}")
    print_grid(["graph", "skip-gram trainer", "macro-F1", "link-prediction AUC", "skip-gram s"], rows)


if __name__ == "__main__":
    main()
