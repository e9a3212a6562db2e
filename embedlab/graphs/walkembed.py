"""DeepWalk and node2vec: random walks (``walks.py``) trained on by skip-gram (``skipgram.py``) as they come.

Walks are generated one pass (one walk per node) at a time and trained on at once, so memory is the graph's
CSR arrays, the two weight matrices and one pass of walks, never the whole corpus (unless skip-gram makes
more than one epoch, which happens only on small graphs or when asked).
"""

from __future__ import annotations

import math
import os
import time

import numpy as np

from embedlab.graphs.graph import Graph
from embedlab.graphs.params import check_params, check_walk_budget
from embedlab.progress import Progress, report
from embedlab.space import EmbeddingSpace

MIN_TOKENS = 300_000  # small graphs get more epochs so skip-gram sees at least this many tokens
DEFAULT_WINDOW = 5


def node_meta(graph: Graph):
    """Metadata for a node space: ``label`` (when the graph has labels) and ``degree``."""
    import pandas as pd

    cols = {}
    if graph.labels:
        cols["label"] = graph.label_array().astype(str)
    cols["degree"] = graph.degrees.astype(np.int64)
    return pd.DataFrame(cols)


def isolated_note(graph: Graph, method: str) -> str | None:
    """The sentence telling what ``method`` made of the nodes without edges (None when there are none)."""
    rows = graph.isolated
    if not len(rows):
        return None
    named = ", ".join(f"'{graph.nodes[i]}'" for i in rows[:5]) + (", ..." if len(rows) > 5 else "")
    verb = "has" if len(rows) == 1 else "have"
    head = f"{len(rows):,} of the {graph.n_nodes:,} nodes {verb} no edges ({named}): "
    if method != "graphsage":
        return head + ("random walks never leave them, so their vectors are untrained (random); leave them "
                       "out of comparisons.")
    if graph.features is None:
        return head + ("GraphSAGE embeds them from their own features alone, which are hashed ids here, so "
                       "their vectors are random; leave them out of comparisons.")
    return head + "GraphSAGE embeds them from their own node features alone."


def node_space(graph: Graph, vectors: np.ndarray, method: str, params: dict, name: str | None = None):
    """An :class:`EmbeddingSpace` whose keys are the graph's node ids.

    Nodes without edges keep their vectors; ``info['isolated_nodes']`` counts them and ``info['notes']``
    says what their vectors are (:func:`isolated_note`).
    """
    note = isolated_note(graph, method)
    info = {"source": f"{method} on graph {graph.name}", "kind": "graph-nodes", "method": method,
            "graph": graph.name, "graph_fingerprint": graph.fingerprint, "n_edges": graph.n_edges,
            "directed": graph.directed, "params": params, "isolated_nodes": int(len(graph.isolated)),
            "notes": [note] if note else [],
            **{k: v for k, v in graph.info.items() if k in ("licence", "url")}}
    return EmbeddingSpace(graph.nodes, vectors, node_meta(graph), name=name or f"{graph.name}-{method}",
                          info=info)


class Node2Vec:
    """node2vec (Grover & Leskovec 2016): second-order biased walks + skip-gram.

    Parameters
    ----------
    dim : int
        Embedding dimension.
    walk_length, num_walks : int
        Nodes per walk; walks started at each node.
    window : int or None
        Skip-gram context window (None: 5, or walk length - 1 for shorter walks).
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

    def __init__(self, dim: int = 64, walk_length: int = 40, num_walks: int = 10, window: int | None = None,
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

    def _checked(self, graph: Graph) -> dict:
        """The parameters checked by :mod:`embedlab.graphs.params` (bounds, then memory on ``graph``),
        with ``epochs`` resolved."""
        c = check_params(self.method, **self.get_params(), workers=self.workers)
        if c["window"] is None:
            c["window"] = min(DEFAULT_WINDOW, c["walk_length"] - 1)
        tokens = graph.n_nodes * c["num_walks"] * c["walk_length"]
        c["epochs"] = c["epochs"] or max(1, min(50, math.ceil(MIN_TOKENS / max(tokens, 1))))
        check_walk_budget(graph.n_nodes, c["dim"], c["walk_length"], c["num_walks"], c["epochs"])
        # one thread on small graphs keeps results reproducible for a seed; several on large ones
        small = tokens * c["epochs"] < 5_000_000
        c["workers"] = c["workers"] or (1 if small else max(1, os.cpu_count() or 1))
        return c

    def fit(self, graph: Graph, progress: Progress | None = None, name: str | None = None) -> Node2Vec:
        """Walk and train skip-gram one pass of walks at a time; sets ``embedding_``.

        ``progress`` is called after every block of walks and of training (a fraction of a second of work)
        and after every pass, so a callback that raises (a page's Stop) and Ctrl-C stop the run there; a pass
        of a single block (small graphs) reports once, as it ends.
        """
        from embedlab.graphs.skipgram import SkipGram
        from embedlab.graphs.walks import walk_chunks

        c = self._checked(graph)
        epochs, num_walks = c["epochs"], c["num_walks"]
        model = None
        self.walk_seconds_ = self.train_seconds_ = 0.0
        kept: list[np.ndarray] = []  # walks are kept only when skip-gram passes over them more than once
        steps = num_walks * epochs
        where = [0, ""]  # passes done, what is happening: read by the progress callbacks

        def walked(done: int, total: int) -> None:  # the last block of a pass is followed by training
            if done < total:
                report(progress, where[0], steps, where[1])

        def trained(done: int, total: int) -> None:  # the last block of a pass is followed by its report
            if done < total:
                report(progress, where[0] + done / total, steps, where[1])

        chunks = walk_chunks(graph, c["walk_length"], num_walks, c.get("p", 1.0), c.get("q", 1.0),
                             c["random_state"], on_block=walked)
        for step in range(1, steps + 1):
            epoch, r = divmod(step - 1, num_walks)
            where[:] = [step - 1, f"walks and skip-gram: pass {r + 1} of {num_walks}"
                        + (f", epoch {epoch + 1} of {epochs}" if epochs > 1 else "")]
            t0 = time.perf_counter()
            chunk = next(chunks) if step <= num_walks else kept[(step - 1) % num_walks]
            if epochs > 1 and step <= num_walks:
                kept.append(chunk)
            t1 = time.perf_counter()
            if model is None:  # negatives follow how often the first pass visits each node
                counts = np.bincount(chunk[chunk >= 0], minlength=graph.n_nodes)
                model = SkipGram(graph.n_nodes, c["dim"], counts, c["window"], c["negative"],
                                 graph.n_nodes * steps, workers=c["workers"], seed=c["random_state"])
            model.train(chunk, on_block=trained)
            self.walk_seconds_ += t1 - t0
            self.train_seconds_ += time.perf_counter() - t1
            report(progress, step, steps, where[1])
        params = {**self.get_params(), "window": c["window"], "epochs": epochs}
        self.embedding_ = node_space(graph, model.vectors, self.method, params, name)
        return self


class DeepWalk(Node2Vec):
    """DeepWalk (Perozzi et al. 2014): uniform random walks + skip-gram (node2vec with p = q = 1)."""

    method = "deepwalk"

    def __init__(self, dim: int = 64, walk_length: int = 40, num_walks: int = 10, window: int | None = None,
                 epochs: int | None = None, negative: int = 5, workers: int | None = None,
                 random_state: int = 0):
        super().__init__(dim, walk_length, num_walks, window, 1.0, 1.0, epochs, negative, workers,
                         random_state)

    def get_params(self) -> dict:
        params = super().get_params()
        params.pop("p")
        params.pop("q")
        return params
