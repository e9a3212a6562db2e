"""DeepWalk and node2vec: random walks (``walks.py``) fed to gensim's skip-gram as a corpus file.

Walks are generated one pass (one walk per node) at a time and streamed to a temporary file, so memory is
the graph's CSR arrays plus one pass of walks, never the whole corpus. gensim's ``corpus_file`` mode reads
that file with several threads without holding Python lists of tokens.
"""

from __future__ import annotations

import math
import os
import tempfile
import time

import numpy as np

from embedlab.errors import InvalidParameterError
from embedlab.graphs.graph import Graph
from embedlab.progress import Progress, report, scaled

MIN_TOKENS = 300_000  # small graphs get more epochs so skip-gram sees at least this many tokens


def node_meta(graph: Graph):
    """Metadata for a node space: ``label`` (when the graph has labels) and ``degree``."""
    import pandas as pd

    cols = {}
    if graph.labels:
        cols["label"] = graph.label_array().astype(str)
    cols["degree"] = graph.degrees.astype(np.int64)
    return pd.DataFrame(cols)


def node_space(graph: Graph, vectors: np.ndarray, method: str, params: dict, name: str | None = None):
    """An :class:`EmbeddingSpace` whose keys are the graph's node ids."""
    from embedlab.space import EmbeddingSpace

    info = {"source": f"{method} on graph {graph.name}", "kind": "graph-nodes", "method": method,
            "graph": graph.name, "graph_fingerprint": graph.fingerprint, "n_edges": graph.n_edges,
            "directed": graph.directed, "params": params, **{k: v for k, v in graph.info.items()
                                                             if k in ("licence", "url")}}
    return EmbeddingSpace(graph.nodes, vectors, node_meta(graph), name=name or f"{graph.name}-{method}",
                          info=info)


def _epoch_reporter(progress: Progress | None, epochs: int):
    from gensim.models.callbacks import CallbackAny2Vec

    class Reporter(CallbackAny2Vec):
        def __init__(self):
            self.done = 0

        def on_epoch_end(self, model):
            self.done += 1
            report(progress, self.done, epochs, f"skip-gram: epoch {self.done} of {epochs}")

    return Reporter()


class Node2Vec:
    """node2vec (Grover & Leskovec 2016): second-order biased walks + skip-gram.

    Parameters
    ----------
    dim : int
        Embedding dimension.
    walk_length, num_walks : int
        Nodes per walk; walks started at each node.
    window : int
        Skip-gram context window.
    p, q : float
        Return and in-out parameters: low ``p`` keeps walks local (communities, BFS-like), low ``q`` pushes
        them outward (DFS-like); high ``q`` favours structural roles. ``p = q = 1`` is DeepWalk.
    epochs : int or None
        Skip-gram passes over the walks (None: enough for ~300k tokens on small graphs, at least 1).
    negative : int
        Negative samples per positive pair.
    workers : int or None
        Training threads (None: all cores).
    random_state : int

    Attributes
    ----------
    embedding_ : EmbeddingSpace
        One vector per node, keys = node ids.
    walk_seconds_, train_seconds_ : float
    """

    method = "node2vec"

    def __init__(self, dim: int = 64, walk_length: int = 40, num_walks: int = 10, window: int = 5,
                 p: float = 1.0, q: float = 1.0, epochs: int | None = None, negative: int = 5,
                 workers: int | None = None, random_state: int = 0):
        self.dim = dim
        self.walk_length = walk_length
        self.num_walks = num_walks
        self.window = window
        self.p = p
        self.q = q
        self.epochs = epochs
        self.negative = negative
        self.workers = workers
        self.random_state = random_state

    def get_params(self) -> dict:
        return {k: getattr(self, k) for k in ("dim", "walk_length", "num_walks", "window", "p", "q", "epochs",
                                               "negative", "random_state")}

    def _check(self) -> None:
        if not 2 <= int(self.dim) <= 1024:
            raise InvalidParameterError(f"dim must be between 2 and 1024; got {self.dim}.")
        if int(self.window) < 1:
            raise InvalidParameterError(f"window must be at least 1; got {self.window}.")

    def fit(self, graph: Graph, progress: Progress | None = None, name: str | None = None) -> Node2Vec:
        """Walk, then train skip-gram; sets ``embedding_``."""
        from gensim.models import Word2Vec

        from embedlab.graphs.walks import format_walks, walk_chunks

        self._check()
        tokens = graph.n_nodes * self.num_walks * self.walk_length
        epochs = self.epochs or max(1, min(50, math.ceil(MIN_TOKENS / max(tokens, 1))))
        # one thread on small graphs keeps results reproducible for a seed; several on large ones
        workers = self.workers or (1 if tokens * epochs < 5_000_000 else max(1, os.cpu_count() or 1))
        walk_progress = scaled(progress, 0.0, 0.3)
        t0 = time.perf_counter()
        fd, path = tempfile.mkstemp(prefix="embedlab-walks-", suffix=".txt")
        try:
            with os.fdopen(fd, "wb") as fh:
                chunks = walk_chunks(graph, self.walk_length, self.num_walks, self.p, self.q,
                                     self.random_state)
                counts = np.zeros(graph.n_nodes, dtype=np.int64)
                for r, chunk in enumerate(chunks, 1):
                    fh.write(format_walks(chunk, graph.n_nodes))
                    counts += np.bincount(chunk[chunk >= 0], minlength=graph.n_nodes)
                    report(walk_progress, r, self.num_walks, f"walks: pass {r} of {self.num_walks}")
            self.walk_seconds_ = time.perf_counter() - t0
            t1 = time.perf_counter()
            train_progress = scaled(progress, 0.3, 0.7)
            model = Word2Vec(vector_size=int(self.dim), window=int(self.window), min_count=1, sg=1,
                             negative=int(self.negative), workers=workers, seed=int(self.random_state))
            # the walks' token counts are known: no pass of gensim's Python tokenizer over the file
            model.build_vocab_from_freq({str(i): int(c) for i, c in enumerate(counts) if c},
                                        corpus_count=graph.n_nodes * self.num_walks)
            model.train(corpus_file=path, total_words=int(counts.sum()),
                        total_examples=graph.n_nodes * self.num_walks, epochs=epochs,
                        callbacks=[_epoch_reporter(train_progress, epochs)])
            self.train_seconds_ = time.perf_counter() - t1
        finally:
            os.unlink(path)
        vectors = np.zeros((graph.n_nodes, int(self.dim)), dtype=np.float32)
        kv = model.wv
        rows = np.fromiter((int(k) for k in kv.index_to_key), dtype=np.int64, count=len(kv.index_to_key))
        vectors[rows] = kv.vectors
        params = {**self.get_params(), "epochs": epochs}
        self.embedding_ = node_space(graph, vectors, self.method, params, name)
        return self


class DeepWalk(Node2Vec):
    """DeepWalk (Perozzi et al. 2014): uniform random walks + skip-gram (node2vec with p = q = 1)."""

    method = "deepwalk"

    def __init__(self, dim: int = 64, walk_length: int = 40, num_walks: int = 10, window: int = 5,
                 epochs: int | None = None, negative: int = 5, workers: int | None = None,
                 random_state: int = 0):
        super().__init__(dim, walk_length, num_walks, window, 1.0, 1.0, epochs, negative, workers,
                         random_state)

    def get_params(self) -> dict:
        params = super().get_params()
        params.pop("p")
        params.pop("q")
        return params
