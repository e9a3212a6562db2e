"""Graph embeddings: read graphs, embed their nodes (DeepWalk, node2vec, GraphSAGE), evaluate.

Every node embedding is an :class:`embedlab.EmbeddingSpace` whose keys are node ids (metadata: ``label``
when the graph has labels, ``degree``). Typical use::

    from embedlab.graphs import load_graph, embed_graph, node_classification
    g = load_graph("karate")
    space = embed_graph(g, "node2vec", p=1, q=0.5, dim=32)
    node_classification(space)["macro_f1"]
"""

from __future__ import annotations

from embedlab.graphs.api import METHODS, embed_graph, link_prediction_run, make_estimator
from embedlab.graphs.datasets import BUNDLED_GRAPHS, load_bundled, load_graph
from embedlab.graphs.evaluate import link_prediction, node_classification, split_edges
from embedlab.graphs.graph import Graph, GraphReport
from embedlab.graphs.io import parse_edge_list, parse_labels, read_graph
from embedlab.graphs.sage import GraphSAGE
from embedlab.graphs.walkembed import DeepWalk, Node2Vec


def __getattr__(name: str):
    if name == "random_walks":  # numba loads only when walks are asked for (pages open faster)
        from embedlab.graphs.walks import random_walks

        return random_walks
    raise AttributeError(name)

__all__ = ["BUNDLED_GRAPHS", "METHODS", "DeepWalk", "Graph", "GraphReport", "GraphSAGE", "Node2Vec",
           "embed_graph", "link_prediction", "link_prediction_run", "load_bundled", "load_graph",
           "make_estimator", "node_classification", "parse_edge_list", "parse_labels", "random_walks",
           "read_graph", "split_edges"]
