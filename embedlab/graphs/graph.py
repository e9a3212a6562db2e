"""The graph type every method takes: nodes with string ids, CSR adjacency, optional weights/labels/features.

A :class:`Graph` is built once from edge arrays by :meth:`Graph.from_edges`, which applies the one input
policy of the package and records what it did in :class:`GraphReport`:

* **self-loops** (``a a``) are dropped (a walk that stays put teaches nothing) and counted;
* **duplicate edges** are merged into one edge whose weight is the *sum* of the duplicates' weights (for an
  undirected graph ``a b`` and ``b a`` are duplicates) and counted;
* undirected graphs store both directions; neighbour lists are sorted, so membership is a binary search.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field, replace

import numpy as np

from embedlab.errors import EmptyInputError, InvalidParameterError, UnknownKeyError


@dataclass(frozen=True)
class GraphReport:
    """What reading and cleaning the input did (shown to users next to the graph)."""

    edges_read: int = 0
    self_loops: int = 0
    duplicates: int = 0
    header: bool = False
    notes: tuple[str, ...] = ()

    def sentences(self) -> list[str]:
        """Human summary, one sentence per event worth mentioning."""
        out = []
        if self.header:
            out.append("The first line was read as a header.")
        if self.self_loops:
            out.append(f"{self.self_loops:,} self-loops were dropped.")
        if self.duplicates:
            out.append(f"{self.duplicates:,} duplicate edges were merged (weights summed).")
        return out + list(self.notes)


@dataclass(frozen=True, eq=False)
class Graph:
    """A graph in compressed sparse row form.

    Attributes
    ----------
    nodes : tuple of str
        Node ids, row order.
    indptr, indices : ndarray
        CSR adjacency: the (sorted) neighbours of node ``i`` are ``indices[indptr[i]:indptr[i+1]]``.
    weights : ndarray or None
        Edge weights aligned with ``indices`` (None: every weight is 1).
    directed : bool
    name : str
    labels : dict or None
        ``{node: label}`` for the labelled nodes (karate factions, WordNet categories, an uploaded file).
    features : ndarray or None
        ``(n_nodes, f)`` node features (GloVe vectors of WordNet words), used by GraphSAGE.
    report : GraphReport
    info : dict
        Provenance (source, licence).
    """

    nodes: tuple[str, ...]
    indptr: np.ndarray
    indices: np.ndarray
    weights: np.ndarray | None = None
    directed: bool = False
    name: str = "graph"
    labels: dict[str, str] | None = None
    features: np.ndarray | None = None
    report: GraphReport = field(default_factory=GraphReport)
    info: dict = field(default_factory=dict)

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_edges(cls, src, dst, weights=None, directed: bool = False, nodes=None, name: str = "graph",
                   header: bool = False, **kw) -> Graph:
        """Build a graph from parallel arrays of node ids (any strings) and optional weights.

        ``nodes`` fixes the node order and may include isolated nodes; otherwise nodes appear in order of
        first mention. Raises :class:`EmptyInputError` when no edge is left after dropping self-loops.
        """
        import pandas as pd

        src = np.asarray(src, dtype=object).astype(str)
        dst = np.asarray(dst, dtype=object).astype(str)
        n_read = len(src)
        if nodes is None:
            codes, uniques = pd.factorize(np.concatenate([src, dst]))
            node_ids = tuple(str(u) for u in uniques)
        else:
            node_ids = tuple(str(u) for u in nodes)
            lookup = pd.Index(node_ids)
            codes = lookup.get_indexer(np.concatenate([src, dst]))
            if (codes < 0).any():
                bad = np.concatenate([src, dst])[np.flatnonzero(codes < 0)[0]]
                raise UnknownKeyError(str(bad), name, len(node_ids))
        s, d = codes[:n_read].astype(np.int64), codes[n_read:].astype(np.int64)
        w = None if weights is None else np.asarray(weights, dtype=np.float64)
        if w is not None and (w.shape != s.shape or not np.isfinite(w).all() or (w <= 0).any()):
            raise InvalidParameterError(f"{name}: edge weights must be finite numbers > 0, one per edge.")
        loops = s == d
        n_loops = int(loops.sum())
        s, d = s[~loops], d[~loops]
        w = None if w is None else w[~loops]
        if len(s) == 0:
            raise EmptyInputError(
                f"{name}: no edges" + (f" (all {n_loops:,} were self-loops)" if n_loops else "")
                + ". A graph needs at least one edge between two different nodes: one 'source target' pair "
                "per line."
            )
        indptr, indices, wts, n_dups = _csr(s, d, w, len(node_ids), directed)
        report = GraphReport(edges_read=n_read, self_loops=n_loops, duplicates=n_dups, header=header)
        return cls(node_ids, indptr, indices, wts, directed, name, report=report, **kw)

    # ------------------------------------------------------------------ basics
    @property
    def n_nodes(self) -> int:
        return len(self.nodes)

    @property
    def n_edges(self) -> int:
        """Number of edges (an undirected edge counts once)."""
        return len(self.indices) if self.directed else len(self.indices) // 2

    @property
    def weighted(self) -> bool:
        return self.weights is not None

    @property
    def degrees(self) -> np.ndarray:
        """Out-degree of each node (degree for undirected graphs)."""
        return np.diff(self.indptr)

    @property
    def isolated(self) -> np.ndarray:
        """Rows of the nodes without any edge (in or out): walks never leave them, aggregation has only
        themselves to average."""
        linked = self.degrees > 0
        if self.directed:
            linked |= np.bincount(self.indices, minlength=self.n_nodes) > 0
        return np.flatnonzero(~linked)

    def index(self, node: str) -> int:
        """Row of ``node``; raises :class:`UnknownKeyError` naming close ids."""
        idx = self._index.get(str(node))
        if idx is None:
            close = difflib.get_close_matches(str(node), self.nodes, n=5) if self.n_nodes < 50_000 else []
            raise UnknownKeyError(str(node), self.name, self.n_nodes, close)
        return idx

    @property
    def _index(self) -> dict[str, int]:
        cached = self.__dict__.get("_idx")
        if cached is None:
            cached = {k: i for i, k in enumerate(self.nodes)}
            object.__setattr__(self, "_idx", cached)
        return cached

    def neighbours(self, node: str) -> list[str]:
        """Ids of the (out-)neighbours of ``node``, strongest edge first when weighted."""
        i = self.index(node)
        lo, hi = self.indptr[i], self.indptr[i + 1]
        nbrs = self.indices[lo:hi]
        if self.weights is not None:
            nbrs = nbrs[np.argsort(-self.weights[lo:hi], kind="stable")]
        return [self.nodes[j] for j in nbrs]

    def edge_array(self) -> np.ndarray:
        """``(m, 2)`` int array of edges (each undirected edge once, ``u < v``)."""
        src = np.repeat(np.arange(self.n_nodes), self.degrees)
        e = np.stack([src, self.indices.astype(np.int64)], axis=1)
        return e if self.directed else e[e[:, 0] < e[:, 1]]

    def edge_weights(self) -> np.ndarray | None:
        """Weights aligned with :meth:`edge_array` (None when unweighted)."""
        if self.weights is None:
            return None
        if self.directed:
            return self.weights
        src = np.repeat(np.arange(self.n_nodes), self.degrees)
        return self.weights[src < self.indices]

    def label_array(self) -> np.ndarray:
        """Label of each node in row order (``""`` for unlabelled nodes)."""
        labels = self.labels or {}
        return np.asarray([labels.get(k, "") for k in self.nodes], dtype=object)

    @property
    def fingerprint(self) -> str:
        """Short content hash (cache key for layouts and embeddings)."""
        cached = self.__dict__.get("_fp")
        if cached is None:
            h = hashlib.sha1()
            h.update("\x00".join(self.nodes).encode("utf-8", "surrogatepass"))
            for a in (self.indptr, self.indices, self.weights):
                if a is not None:
                    h.update(np.ascontiguousarray(a).tobytes())
            h.update(b"d" if self.directed else b"u")
            cached = h.hexdigest()[:16]
            object.__setattr__(self, "_fp", cached)
        return cached

    def with_labels(self, labels: dict[str, str] | None) -> Graph:
        """A copy with these labels (keys must be nodes)."""
        return replace(self, labels=dict(labels) if labels else None)

    def keep_edges(self, rows: np.ndarray, name: str | None = None) -> Graph:
        """The same nodes (labels, features) with only the edges ``edge_array()[rows]`` (weights kept)."""
        rows = np.asarray(rows)
        e = self.edge_array()[rows]
        w = self.edge_weights()
        indptr, indices, wts, _ = _csr(e[:, 0], e[:, 1], None if w is None else w[rows], self.n_nodes,
                                       self.directed)
        return replace(self, indptr=indptr, indices=indices, weights=wts, name=name or self.name)

    def to_networkx(self):
        """A networkx ``Graph``/``DiGraph`` (for layouts and community detection on small graphs)."""
        import networkx as nx

        g = nx.DiGraph() if self.directed else nx.Graph()
        g.add_nodes_from(self.nodes)
        e = self.edge_array()
        w = self.edge_weights()
        if w is None:
            g.add_edges_from((self.nodes[a], self.nodes[b]) for a, b in e)
        else:
            g.add_weighted_edges_from((self.nodes[a], self.nodes[b], float(x)) for (a, b), x in zip(e, w,
                                                                                                      strict=True))
        return g

    def __repr__(self) -> str:
        kind = "directed" if self.directed else "undirected"
        return f"Graph({self.name!r}, {self.n_nodes:,} nodes, {self.n_edges:,} edges, {kind})"


def _csr(s: np.ndarray, d: np.ndarray, w: np.ndarray | None, n: int, directed: bool):
    """Sorted, de-duplicated CSR arrays; returns ``(indptr, indices, weights, n_duplicates)``."""
    s = np.asarray(s, dtype=np.int64)
    d = np.asarray(d, dtype=np.int64)
    if not directed:  # canonical order so that a-b and b-a are the same edge
        s, d = np.minimum(s, d), np.maximum(s, d)
    key = s * n + d
    order = np.argsort(key, kind="stable")
    key = key[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    n_dups = int(len(key) - first.sum())
    group = np.cumsum(first) - 1
    uk = key[first]
    ws = None
    if w is not None:
        ws = np.zeros(len(uk), dtype=np.float64)
        np.add.at(ws, group, np.asarray(w, dtype=np.float64)[order])
    us, ud = uk // n, uk % n
    if not directed:
        us, ud = np.concatenate([us, ud]), np.concatenate([ud, us])
        ws = None if ws is None else np.concatenate([ws, ws])
    order = np.lexsort((ud, us))
    us, ud = us[order], ud[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(us, minlength=n), out=indptr[1:])
    weights = None if ws is None else ws[order].astype(np.float32)
    return indptr, ud.astype(np.int32), weights, n_dups
