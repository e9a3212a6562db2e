"""GraphSAGE (Hamilton, Ying & Leskovec 2017) in plain torch: two mean-aggregator layers over sampled
neighbours, trained unsupervised (nodes close on short random walks get similar vectors, random nodes
different ones) or on node labels.

It is *inductive*: the learnt weights turn any node's features and neighbours into a vector, so a node that
was not in the training graph gets embedded by :meth:`GraphSAGE.transform` on a graph that contains it.

Node features: the graph's own (``Graph.features``, e.g. GloVe vectors of WordNet words), standardised; a
graph without features gets, per node, a 32-d Gaussian vector seeded by a hash of the node id (the same id
always gets the same vector, so unseen nodes have features too) — after aggregation this behaves like a
random projection of the neighbourhood. ``log(1 + degree)`` is always appended.
"""

from __future__ import annotations

import hashlib
import math
from contextlib import contextmanager

import numpy as np

from embedlab.errors import DimensionError, InvalidParameterError
from embedlab.graphs.graph import Graph
from embedlab.graphs.params import check_params
from embedlab.graphs.walkembed import node_space
from embedlab.progress import Progress, report
from embedlab.space import EmbeddingSpace

HASH_DIM = 32


def hashed_features(nodes, dim: int = HASH_DIM, seed: int = 0) -> np.ndarray:
    """One fixed Gaussian vector per node id (seeded by a hash of the id and ``seed``)."""
    out = np.empty((len(nodes), dim), dtype=np.float32)
    for i, node in enumerate(nodes):
        h = int.from_bytes(hashlib.blake2b(f"{seed}:{node}".encode(), digest_size=8).digest(), "little")
        out[i] = np.random.default_rng(h).standard_normal(dim)
    return out


@contextmanager
def _one_thread():
    """Small mini-batches: one torch thread is faster than several spinning on a shared machine."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class GraphSAGE:
    """GraphSAGE with mean aggregators (two layers).

    Parameters
    ----------
    dim : int
        Output dimension.
    hidden : int
        Width of the first layer.
    num_samples : tuple of int
        Neighbours sampled per node at layer 1 and 2 during training.
    supervised : bool
        Train on ``graph.labels`` (cross-entropy through a linear head) instead of the unsupervised
        random-walk objective.
    steps : int or None
        Optimiser steps (None: about 5 passes over the nodes, at least 200).
    batch_size, lr, negative : int, float, int
        Mini-batch size, Adam learning rate, negative samples per batch (unsupervised).
    random_state : int

    Attributes
    ----------
    embedding_ : EmbeddingSpace
        Vectors of the training graph's nodes.
    loss_history_ : list of float
    """

    method = "graphsage"

    def __init__(self, dim: int = 64, hidden: int = 128, num_samples: tuple[int, int] = (10, 5),
                 supervised: bool = False, steps: int | None = None, batch_size: int = 256, lr: float = 0.01,
                 negative: int = 20, random_state: int = 0):
        self.dim = dim
        self.hidden = hidden
        self.num_samples = num_samples
        self.supervised = supervised
        self.steps = steps
        self.batch_size = batch_size
        self.lr = lr
        self.negative = negative
        self.random_state = random_state

    def get_params(self) -> dict:
        return {k: getattr(self, k) for k in ("dim", "hidden", "num_samples", "supervised", "steps",
                                               "batch_size", "lr", "negative", "random_state")}

    # ------------------------------------------------------------------ features
    def _features(self, graph: Graph, fit: bool) -> np.ndarray:
        if fit:
            self.uses_graph_features_ = graph.features is not None
        if self.uses_graph_features_:
            if graph.features is None:
                raise DimensionError(f"This GraphSAGE model was trained with node features; {graph.name} has "
                                     "none. Give the new graph features of the same kind.")
            x = np.asarray(graph.features, dtype=np.float32)
            if fit:
                self.mean_, self.std_ = x.mean(axis=0), x.std(axis=0) + 1e-6
            if x.shape[1] != len(self.mean_):
                raise DimensionError(f"{graph.name} has {x.shape[1]}-d node features; the model was trained "
                                     f"on {len(self.mean_)}-d ones.")
            x = (x - self.mean_) / self.std_
        else:
            x = hashed_features(graph.nodes, HASH_DIM, self.params_["random_state"])
        deg = np.log1p(graph.degrees.astype(np.float32))[:, None]
        return np.concatenate([x, deg - 1.0], axis=1).astype(np.float32)

    # ------------------------------------------------------------------ model
    def _build(self, in_dim: int, n_classes: int):
        import torch

        c = self.params_
        torch.manual_seed(c["random_state"])
        self.layer1_ = torch.nn.Linear(2 * in_dim, c["hidden"])
        self.layer2_ = torch.nn.Linear(2 * c["hidden"], c["dim"])
        self.head_ = torch.nn.Linear(c["dim"], n_classes) if n_classes else None

    def _forward(self, x, nbr1, nbr2, batch):
        """Vectors of ``batch`` from features ``x`` with sampled neighbour indices ``nbr1`` (b, s1),
        ``nbr2`` (b*s1, s2)."""
        import torch
        import torch.nn.functional as F

        b, s1 = nbr1.shape
        flat1 = nbr1.reshape(-1)
        h_self = F.relu(self.layer1_(torch.cat([x[batch], x[nbr1].mean(dim=1)], dim=1)))
        h_nbr = F.relu(self.layer1_(torch.cat([x[flat1], x[nbr2].mean(dim=1)], dim=1)))
        h_self, h_nbr = F.normalize(h_self, dim=1), F.normalize(h_nbr, dim=1)
        return self.layer2_(torch.cat([h_self, h_nbr.reshape(b, s1, -1).mean(dim=1)], dim=1))

    @staticmethod
    def _sample(graph: Graph, nodes: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
        """``k`` neighbours per node, uniformly with replacement (a node without neighbours: itself)."""
        lo = graph.indptr[nodes]
        deg = graph.indptr[nodes + 1] - lo
        pick = lo[:, None] + (rng.random((len(nodes), k)) * np.maximum(deg, 1)[:, None]).astype(np.int64)
        nbrs = graph.indices[np.minimum(pick, len(graph.indices) - 1)].astype(np.int64)
        return np.where(deg[:, None] > 0, nbrs, nodes[:, None])

    # ------------------------------------------------------------------ training
    def fit(self, graph: Graph, progress: Progress | None = None, name: str | None = None) -> GraphSAGE:
        """Train on ``graph``; sets ``embedding_`` (vectors of its nodes).

        Parameters are checked first (:mod:`embedlab.graphs.params`); ``progress`` is called every 10 steps,
        so a callback that raises (a page's Stop) and Ctrl-C stop training there.
        """
        self.params_ = check_params(self.method, **self.get_params())
        with _one_thread():
            return self._fit(graph, progress, name)

    def _fit(self, graph: Graph, progress: Progress | None, name: str | None) -> GraphSAGE:
        import torch

        if self.supervised and not graph.labels:
            raise InvalidParameterError(f"{graph.name} has no node labels to train GraphSAGE on; load a "
                                        "label "
                                        "file or train unsupervised.")
        x = torch.from_numpy(self._features(graph, fit=True))
        classes = sorted(set(graph.labels.values())) if self.supervised else []
        self.classes_ = classes
        self._build(x.shape[1], len(classes))
        params = [*self.layer1_.parameters(), *self.layer2_.parameters()]
        if self.head_ is not None:
            params += list(self.head_.parameters())
        c = self.params_
        opt = torch.optim.Adam(params, lr=c["lr"])
        rng = np.random.default_rng(c["random_state"])
        n = graph.n_nodes
        steps = c["steps"] or max(200, 5 * math.ceil(n / c["batch_size"]))
        if self.supervised:
            lab = graph.labels
            pool = np.asarray([i for i, k in enumerate(graph.nodes) if k in lab], dtype=np.int64)
            target = np.full(n, -1, dtype=np.int64)
            target[pool] = [classes.index(lab[graph.nodes[i]]) for i in pool]
        else:
            pool = np.arange(n, dtype=np.int64)
            noise = graph.degrees.astype(np.float64) ** 0.75
            noise /= noise.sum()
        self.loss_history_ = []
        for step in range(steps):
            batch = rng.choice(pool, size=min(c["batch_size"], len(pool)), replace=False)
            if self.supervised:
                z = self._forward(x, *self._nbrs(graph, batch, rng), torch.from_numpy(batch))
                loss = torch.nn.functional.cross_entropy(self.head_(z), torch.from_numpy(target[batch]))
            else:
                loss = self._unsupervised_loss(graph, x, batch, noise, rng)
            opt.zero_grad()
            loss.backward()
            opt.step()
            self.loss_history_.append(loss.item())
            if step % 10 == 0 or step == steps - 1:
                report(progress, step + 1, steps,
                       f"GraphSAGE: step {step + 1} of {steps}, loss {self.loss_history_[-1]:.3f}")
        self.steps_ = steps
        space = self.transform(graph)
        self.embedding_ = node_space(graph, space.vectors, self.method,
                                     {**self.get_params(), "steps": steps,
                                      "features": graph.info.get("features") or
                                      ("graph" if graph.features is not None else "hashed ids + degree")},
                                     name)
        return self

    def _nbrs(self, graph: Graph, batch: np.ndarray, rng):
        import torch

        s1, s2 = self.params_["num_samples"]
        n1 = self._sample(graph, batch, s1, rng)
        n2 = self._sample(graph, n1.reshape(-1), s2, rng)
        return torch.from_numpy(n1), torch.from_numpy(n2)

    def _unsupervised_loss(self, graph: Graph, x, batch: np.ndarray, noise: np.ndarray, rng):
        import torch
        import torch.nn.functional as F

        # positive context: the end of a 1- or 2-step random walk from each batch node
        ctx = self._sample(graph, batch, 1, rng)[:, 0]
        two = rng.random(len(batch)) < 0.5
        ctx[two] = self._sample(graph, ctx[two], 1, rng)[:, 0]
        neg = rng.choice(graph.n_nodes, size=self.params_["negative"], p=noise)
        nodes = np.concatenate([batch, ctx, neg])
        z = self._forward(x, *self._nbrs(graph, nodes, rng), torch.from_numpy(nodes))
        b = len(batch)
        zu, zv, zn = z[:b], z[b:2 * b], z[2 * b:]
        pos = F.logsigmoid((zu * zv).sum(dim=1))
        negs = F.logsigmoid(-(zu @ zn.T)).mean(dim=1)
        return -(pos + negs).mean()

    # ------------------------------------------------------------------ inference
    def transform(self, graph: Graph, nodes=None, name: str | None = None):
        """Embed the nodes of ``graph`` (any graph with compatible features, e.g. the training graph plus
        new nodes) with the learnt weights, aggregating over *all* neighbours (exact mean, deterministic).

        Returns an :class:`EmbeddingSpace` of ``nodes`` (default: every node of ``graph``).
        """
        import torch
        import torch.nn.functional as F

        if not hasattr(self, "layer1_"):
            raise InvalidParameterError("GraphSAGE must be fit before transform.")
        x = torch.from_numpy(self._features(graph, fit=False))
        mean_adj = self._mean_operator(graph)
        with torch.no_grad():
            h = F.normalize(F.relu(self.layer1_(torch.cat([x, mean_adj @ x], dim=1))), dim=1)
            z = self.layer2_(torch.cat([h, mean_adj @ h], dim=1)).numpy()
        keys = list(graph.nodes)
        if nodes is not None:
            rows = [graph.index(k) for k in nodes]
            keys, z = [graph.nodes[r] for r in rows], z[rows]
        return EmbeddingSpace(keys, z, name=name or f"{graph.name}-{self.method}",
                              info={"method": self.method, "graph": graph.name})

    @staticmethod
    def _mean_operator(graph: Graph):
        """Sparse ``(n, n)`` row-normalised adjacency (isolated nodes average themselves), as torch."""
        import torch

        n = graph.n_nodes
        deg = graph.degrees
        rows = np.repeat(np.arange(n), deg)
        cols = graph.indices.astype(np.int64)
        lonely = np.flatnonzero(deg == 0)
        rows = np.concatenate([rows, lonely])
        cols = np.concatenate([cols, lonely])
        vals = 1.0 / np.maximum(np.bincount(rows, minlength=n), 1)[rows]
        idx = torch.from_numpy(np.stack([rows, cols]))
        return torch.sparse_coo_tensor(idx, torch.from_numpy(vals.astype(np.float32)), (n, n),
                                       check_invariants=False).coalesce()
