"""One entry point per task, shared by the page and the CLI: embed a graph, run link prediction."""

from __future__ import annotations

from embedlab.errors import InvalidParameterError
from embedlab.graphs.evaluate import link_prediction
from embedlab.graphs.graph import Graph
from embedlab.graphs.params import check_params
from embedlab.graphs.sage import GraphSAGE
from embedlab.graphs.walkembed import DeepWalk, Node2Vec
from embedlab.progress import Progress

METHODS = {
    "deepwalk": "DeepWalk (uniform random walks + skip-gram)",
    "node2vec": "node2vec (biased walks: p = return, q = in-out + skip-gram)",
    "graphsage": "GraphSAGE (mean of sampled neighbours' features; embeds unseen nodes)",
}
WALK_PARAMS = ("dim", "walk_length", "num_walks", "window", "epochs", "workers", "random_state")


def make_estimator(method: str, dim: int = 64, p: float = 1.0, q: float = 1.0, seed: int = 0, **kw):
    """The estimator for ``method`` (a key of :data:`METHODS`) with these parameters, checked against their
    bounds (:mod:`embedlab.graphs.params`) before any work.

    Extra keywords go to the estimator (``walk_length``, ``num_walks``, ``window``, ``epochs`` for the walk
    methods; ``supervised``, ``steps``, ``num_samples`` for GraphSAGE); ``None`` values are ignored.
    """
    if method not in METHODS:
        raise InvalidParameterError(f"Unknown method '{method}'; expected one of {', '.join(METHODS)}.")
    kw = {k: v for k, v in kw.items() if v is not None}
    pq = {"p": p, "q": q} if method == "node2vec" else {}
    kw = check_params(method, dim=dim, random_state=seed, **pq, **kw)
    if method == "node2vec":
        return Node2Vec(**kw)
    if method == "deepwalk":
        return DeepWalk(**kw)
    return GraphSAGE(**kw)


def embed_graph(graph: Graph, method: str = "node2vec", dim: int = 64, p: float = 1.0, q: float = 1.0,
                seed: int = 0, progress: Progress | None = None, name: str | None = None, **kw):
    """Embed the nodes of ``graph``; returns an :class:`EmbeddingSpace` (keys = node ids)."""
    est = make_estimator(method, dim=dim, p=p, q=q, seed=seed, **kw)
    return est.fit(graph, progress=progress, name=name).embedding_


def link_prediction_run(graph: Graph, method: str = "node2vec", test_fraction: float = 0.2, dim: int = 64,
                        p: float = 1.0, q: float = 1.0, seed: int = 0, progress: Progress | None = None,
                        **kw) -> dict:
    """Hide ``test_fraction`` of the edges, embed the rest with ``method``, return the scores
    (see :func:`embedlab.graphs.evaluate.link_prediction`)."""
    make_estimator(method, dim=dim, p=p, q=q, seed=seed, **kw)  # bad parameters fail before any work

    def embed(train_graph: Graph, prog: Progress | None):
        return embed_graph(train_graph, method, dim, p, q, seed, prog, **kw)

    out = link_prediction(graph, embed, test_fraction, seed, progress)
    out["method"] = method
    return out
