"""Neighbour indexes behind one seam: the hnswlib index, its saved sidecar, and most_similar(index=)."""

from __future__ import annotations

import numpy as np
import pytest

import embedlab.ann.hnsw as hnsw_mod
from embedlab.ann import HnswIndex, IndexMismatchError, NeighbourIndex, default_index, get_index, recall
from embedlab.ann.hnsw import index_path
from embedlab.errors import DimensionError, EmbedlabError, InvalidParameterError
from embedlab.neighbours import most_similar, query
from embedlab.space import EmbeddingSpace


@pytest.fixture(scope="module")
def synthetic() -> EmbeddingSpace:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(20_000, 32)).astype(np.float32)
    return EmbeddingSpace([f"w{i}" for i in range(len(x))], x, name="synthetic-20k")


@pytest.fixture(scope="module")
def built(synthetic) -> HnswIndex:
    return HnswIndex.build(synthetic)


def test_recall_at_10_on_random_queries(built, synthetic):
    queries = np.random.default_rng(1).normal(size=(200, synthetic.dim)).astype(np.float32)
    assert recall(built, queries, k=10) >= 0.95
    assert recall(built, k=10) >= 0.95  # queries drawn from the space's own rows


def test_search_shapes_and_scores_are_cosines(built, synthetic):
    assert isinstance(built, NeighbourIndex)
    rows, scores = built.search(synthetic.vectors[7], k=5)
    assert rows.shape == (5,) and rows[0] == 7 and scores[0] == pytest.approx(1.0, abs=1e-5)
    assert np.all(np.diff(scores) <= 1e-6)
    np.testing.assert_allclose(scores, synthetic.normed[rows] @ synthetic.normed[7], atol=1e-5)
    rows2, scores2 = built.search(synthetic.vectors[:3], k=4)
    assert rows2.shape == (3, 4) and scores2.shape == (3, 4)
    with pytest.raises(DimensionError, match="31 dimensions"):
        built.search(np.zeros(31, np.float32), k=3)


def test_save_load_round_trip(built, synthetic, tmp_path):
    path = built.save(tmp_path / "idx.bin")
    assert path.is_file() and (tmp_path / "idx.bin.json").is_file()
    loaded = HnswIndex.load(path, synthetic)
    q = synthetic.vectors[:20]
    np.testing.assert_array_equal(loaded.search(q, k=10, ef=100)[0], built.search(q, k=10, ef=100)[0])
    other = synthetic.with_vectors(synthetic.vectors[::-1].copy())
    with pytest.raises(IndexMismatchError, match="rebuild"):
        HnswIndex.load(path, other)
    with pytest.raises(EmbedlabError, match="No saved index"):
        HnswIndex.load(tmp_path / "missing.bin", synthetic)


def test_get_index_builds_once_then_reuses(planted_space):
    assert get_index(planted_space, build=False) is None
    messages = []
    idx = get_index(planted_space, progress=lambda d, t, m: messages.append(m))
    assert index_path(planted_space).is_file() and messages
    assert get_index(planted_space, build=False) is idx
    hnsw_mod._LOADED.clear()  # a fresh process: loads from disk
    again = get_index(planted_space, build=False)
    assert again is not None and again is not idx


def test_search_through_an_index_matches_exact_most_similar(planted_space):
    idx = HnswIndex.build(planted_space)
    got = most_similar(planted_space, "king", topn=3, index=idx)
    want = most_similar(planted_space, "king", topn=3)
    assert [k for k, _ in got] == [k for k, _ in want]
    np.testing.assert_allclose([s for _, s in got], [s for _, s in want], atol=1e-6)
    for method in ("3cosadd", "3cosmul"):  # an expression, scored exactly from the index's candidates
        res = query(planted_space, "king - man + woman", k=2, method=method, index=idx)
        assert res.results[0][0] == "queen"
        assert not {"king", "man", "woman"} & {k for k, _ in res.results}
    with pytest.raises(InvalidParameterError, match="at least 1"):
        most_similar(planted_space, "king", topn=0, index=idx)


def test_default_index_only_past_the_limit_and_only_a_saved_one(synthetic, built, monkeypatch):
    calls = []
    real_search = HnswIndex.search

    def spy(self, *a, **k):
        calls.append(1)
        return real_search(self, *a, **k)

    monkeypatch.setattr(hnsw_mod, "EXACT_LIMIT", 1000)
    monkeypatch.setattr(HnswIndex, "search", spy)
    assert default_index(synthetic) is None  # no saved index yet: exact
    assert most_similar(synthetic, "w42", topn=5, index=default_index(synthetic))
    assert not calls
    hnsw_mod._LOADED[synthetic.fingerprint] = built
    try:
        index = default_index(synthetic)
        assert index is built
        ann = most_similar(synthetic, "w42", topn=5, index=index)
        assert calls and "w42" not in [k for k, _ in ann] and len(ann) == 5
        exact = most_similar(synthetic, "w42", topn=5)
        assert len(calls) == 1 and {k for k, _ in ann} & {k for k, _ in exact}
        restricted = most_similar(synthetic, "w42", topn=5, restrict=5000, index=index)
        assert len(calls) == 1 and all(int(k[1:]) < 5000 for k, _ in restricted)  # restrict: exact
        monkeypatch.setattr(hnsw_mod, "EXACT_LIMIT", 10**9)
        assert default_index(synthetic) is None  # below the limit: exact, even with a saved index
    finally:
        hnsw_mod._LOADED.pop(synthetic.fingerprint, None)


def test_the_map_selection_searches_through_the_same_seam(synthetic, built, monkeypatch):
    from embedlab.selection import select_points

    calls, real = [], HnswIndex.search
    monkeypatch.setattr(HnswIndex, "search", lambda self, *a, **k: calls.append(1) or real(self, *a, **k))
    monkeypatch.setattr(hnsw_mod, "EXACT_LIMIT", 1000)
    exact = select_points(synthetic, "query", query="w42", k=5)
    assert not calls and len(exact) == 6
    hnsw_mod._LOADED[synthetic.fingerprint] = built
    try:
        approx = select_points(synthetic, "query", query="w42", k=5)
        assert calls and len(approx) == 6 and set(approx.keys) & set(exact.keys) >= {"w42"}
    finally:
        hnsw_mod._LOADED.pop(synthetic.fingerprint, None)
