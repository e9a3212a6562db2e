"""What the Graphs page draws: a node sample for big graphs, a force layout, colours by label or community."""

from __future__ import annotations

import numpy as np

from embedlab.graphs.graph import Graph

MAX_DRAWN = 2000  # nodes drawn in the network view (force layouts and browsers slow down past this)


def draw_sample(graph: Graph, max_nodes: int = MAX_DRAWN, seed: int = 0) -> np.ndarray:
    """Rows to draw: every node of a small graph, else a connected "snowball" sample (breadth-first from
    seeded random starts) of ``max_nodes`` nodes, so the drawn part keeps its local structure."""
    n = graph.n_nodes
    if n <= max_nodes:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    seen = np.zeros(n, dtype=bool)
    order: list[int] = []
    while len(order) < max_nodes:
        start = int(rng.integers(n))
        if seen[start]:
            continue
        seen[start] = True
        frontier = [start]
        order.append(start)
        while frontier and len(order) < max_nodes:
            nxt = []
            for v in frontier:
                nbrs = graph.indices[graph.indptr[v]:graph.indptr[v + 1]]
                for u in rng.permutation(nbrs):
                    if not seen[u]:
                        seen[u] = True
                        order.append(int(u))
                        nxt.append(int(u))
                        if len(order) >= max_nodes:
                            break
                if len(order) >= max_nodes:
                    break
            frontier = nxt
    return np.sort(np.asarray(order, dtype=np.int64))


def force_layout(graph: Graph, rows: np.ndarray, seed: int = 0) -> np.ndarray:
    """``(len(rows), 2)`` Fruchterman-Reingold positions of the subgraph induced by ``rows``."""
    import networkx as nx

    rows = np.asarray(rows)
    pos_of = {int(r): i for i, r in enumerate(rows)}
    g = nx.Graph()
    g.add_nodes_from(range(len(rows)))
    for i, r in enumerate(rows):
        for u in graph.indices[graph.indptr[r]:graph.indptr[r + 1]]:
            j = pos_of.get(int(u))
            if j is not None and j > i:
                g.add_edge(i, j)
    iterations = 100 if len(rows) <= 500 else 50
    pos = nx.spring_layout(g, seed=seed, iterations=iterations, k=1.5 / np.sqrt(max(len(rows), 1)))
    return np.asarray([pos[i] for i in range(len(rows))], dtype=np.float32)


def community_labels(graph: Graph, seed: int = 0) -> dict[str, str]:
    """``{node: "community k"}`` from Louvain (networkx, seeded), largest community first."""
    import networkx as nx

    comms = nx.community.louvain_communities(graph.to_networkx().to_undirected(), seed=seed)
    comms = sorted(comms, key=len, reverse=True)
    return {str(n): f"community {i + 1}" for i, c in enumerate(comms) for n in c}


def colour_labels(graph: Graph, seed: int = 0) -> tuple[np.ndarray, str]:
    """Per-node colour categories and what they are: the graph's labels, else Louvain communities."""
    if graph.labels:
        return graph.label_array().astype(str), "label"
    labels = community_labels(graph, seed)
    return np.asarray([labels.get(k, "") for k in graph.nodes], dtype=object).astype(str), "community"


def induced_edges(graph: Graph, rows: np.ndarray) -> np.ndarray:
    """``(k, 2)`` positions (indices into ``rows``) of the edges among the drawn nodes."""
    rows = np.asarray(rows)
    where = np.full(graph.n_nodes, -1, dtype=np.int64)
    where[rows] = np.arange(len(rows))
    e = graph.edge_array()
    a, b = where[e[:, 0]], where[e[:, 1]]
    keep = (a >= 0) & (b >= 0)
    return np.stack([a[keep], b[keep]], axis=1)
