"""embedlab's skip-gram for walks: negative-sampling table, subsampling, planted structure learned, seeds."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.graphs import Graph, Node2Vec
from embedlab.graphs.skipgram import SkipGram, keep_probability, unigram_table
from embedlab.graphs.walks import random_walks


def test_unigram_table_follows_counts_to_the_power_three_quarters():
    counts = np.array([1, 16, 81, 0])
    table = unigram_table(counts, size=100_000)
    share = np.bincount(table, minlength=4) / len(table)
    want = counts ** 0.75 / (counts ** 0.75).sum()
    assert np.allclose(share, want, atol=1e-3)
    assert share[3] == 0  # a node never seen is never a negative


def test_subsampling_keeps_rare_nodes_and_thins_hubs_like_word2vec():
    counts = np.array([1, 10, 100_000])
    keep = keep_probability(counts, 1e-3)
    f = counts[2] / counts.sum()
    assert keep[0] == keep[1] == 1.0
    assert keep[2] == pytest.approx((np.sqrt(f / 1e-3) + 1) * 1e-3 / f)
    assert np.all(keep_probability(counts, 0) == 1)


def _two_cliques(k: int = 12) -> Graph:
    """Two k-cliques joined by one edge: the planted structure skip-gram must find."""
    src, dst = [], []
    for base in (0, k):
        for i in range(k):
            for j in range(i + 1, k):
                src.append(f"n{base + i}")
                dst.append(f"n{base + j}")
    src.append("n0")
    dst.append(f"n{k}")
    return Graph.from_edges(src, dst, name="two-cliques")


def test_skipgram_puts_each_clique_together():
    g = _two_cliques()
    walks = random_walks(g, walk_length=20, num_walks=20, seed=0)
    counts = np.bincount(walks.ravel(), minlength=g.n_nodes)
    model = SkipGram(g.n_nodes, 16, counts, window=4, negative=5, total_walks=5 * len(walks), seed=0)
    for _ in range(5):
        model.train(walks)
    v = model.vectors / np.linalg.norm(model.vectors, axis=1, keepdims=True)
    side = np.array([int(n[1:]) >= 12 for n in g.nodes])
    cos = v @ v.T
    same = cos[side[:, None] == side[None, :]].mean()
    other = cos[side[:, None] != side[None, :]].mean()
    assert same > other + 0.5, (same, other)


def test_one_thread_gives_the_same_vectors_for_a_seed():
    g = _two_cliques()
    a = Node2Vec(dim=8, num_walks=4, workers=1, random_state=3).fit(g).embedding_.vectors
    b = Node2Vec(dim=8, num_walks=4, workers=1, random_state=3).fit(g).embedding_.vectors
    c = Node2Vec(dim=8, num_walks=4, workers=1, random_state=4).fit(g).embedding_.vectors
    assert np.array_equal(a, b)
    assert not np.allclose(a, c)


def test_walks_that_end_early_train_without_their_padding():
    g = Graph.from_edges(["a", "b", "c"], ["b", "c", "d"], directed=True)  # d is a dead end
    walks = random_walks(g, walk_length=6, num_walks=3, seed=0)
    assert (walks == -1).any()
    est = Node2Vec(dim=4, walk_length=6, num_walks=3, workers=2).fit(g)
    assert np.isfinite(est.embedding_.vectors).all()
    assert est.train_seconds_ >= 0 and est.walk_seconds_ >= 0
