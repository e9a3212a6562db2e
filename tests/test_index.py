"""Approximate-neighbour index (hnswlib) and the exact/ANN search switch."""

from __future__ import annotations

import numpy as np
import pytest

import embedlab.index as index_mod
from embedlab.errors import DimensionError, EmbedlabError, InvalidParameterError
from embedlab.index import AnnIndex, IndexMismatchError, get_index, index_path, recall_at_k, search
from embedlab.neighbours import most_similar
from embedlab.space import EmbeddingSpace


@pytest.fixture(scope="module")
def synthetic() -> EmbeddingSpace:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(20_000, 32)).astype(np.float32)
    return EmbeddingSpace([f"w{i}" for i in range(len(x))], x, name="synthetic-20k")


@pytest.fixture(scope="module")
def built(synthetic) -> AnnIndex:
    return AnnIndex.build(synthetic)


def test_recall_at_10_on_random_queries(built, synthetic):
    queries = np.random.default_rng(1).normal(size=(200, synthetic.dim)).astype(np.float32)
    assert recall_at_k(built, queries, k=10) >= 0.95
    assert recall_at_k(built, k=10) >= 0.95  # queries drawn from the space's own rows


def test_query_shapes_and_scores_are_cosines(built, synthetic):
    rows, scores = built.query(synthetic.vectors[7], k=5)
    assert rows.shape == (5,) and rows[0] == 7 and scores[0] == pytest.approx(1.0, abs=1e-5)
    assert np.all(np.diff(scores) <= 1e-6)
    np.testing.assert_allclose(scores, synthetic.normed[rows] @ synthetic.normed[7], atol=1e-5)
    rows2, scores2 = built.query(synthetic.vectors[:3], k=4)
    assert rows2.shape == (3, 4) and scores2.shape == (3, 4)
    with pytest.raises(DimensionError, match="31 dimensions"):
        built.query(np.zeros(31, np.float32), k=3)


def test_save_load_round_trip(built, synthetic, tmp_path):
    path = built.save(tmp_path / "idx.bin")
    assert path.is_file() and (tmp_path / "idx.bin.json").is_file()
    loaded = AnnIndex.load(path, synthetic)
    q = synthetic.vectors[:20]
    np.testing.assert_array_equal(loaded.query(q, k=10, ef=100)[0], built.query(q, k=10, ef=100)[0])
    other = synthetic.with_vectors(synthetic.vectors[::-1].copy())
    with pytest.raises(IndexMismatchError, match="rebuild"):
        AnnIndex.load(path, other)
    with pytest.raises(EmbedlabError, match="No saved index"):
        AnnIndex.load(tmp_path / "missing.bin", synthetic)


def test_get_index_builds_once_then_reuses(planted_space):
    assert get_index(planted_space, build=False) is None
    messages = []
    idx = get_index(planted_space, progress=lambda d, t, m: messages.append(m))
    assert index_path(planted_space).is_file() and messages
    assert get_index(planted_space, build=False) is idx
    index_mod._LOADED.clear()  # a fresh process: loads from disk
    again = get_index(planted_space, build=False)
    assert again is not None and again is not idx


def test_exact_search_matches_most_similar(planted_space):
    q = planted_space.vector("king")
    got = search(planted_space, q, k=3, exclude=[planted_space.index("king")])
    want = most_similar(planted_space, "king", topn=3)
    assert [k for k, _ in got] == [k for k, _ in want]
    np.testing.assert_allclose([s for _, s in got], [s for _, s in want], atol=1e-6)
    with pytest.raises(InvalidParameterError, match="k must be at least 1"):
        search(planted_space, q, k=0)


def test_search_uses_index_above_the_limit(synthetic, built, monkeypatch):
    calls = []
    real_query = AnnIndex.query

    def spy(self, *a, **k):
        calls.append(1)
        return real_query(self, *a, **k)

    monkeypatch.setattr(index_mod, "EXACT_LIMIT", 1000)
    monkeypatch.setattr(AnnIndex, "query", spy)
    q = synthetic.vectors[42]
    assert search(synthetic, q, k=5)[0][0] == "w42"  # no saved index yet: exact
    assert not calls
    index_mod._LOADED[synthetic.fingerprint] = built
    try:
        ann = search(synthetic, q, k=5, exclude=[42])
        assert calls and "w42" not in [k for k, _ in ann] and len(ann) == 5
        exact = search(synthetic, q, k=5, exact=True, exclude=[42])
        assert len(calls) == 1 and {k for k, _ in ann} & {k for k, _ in exact}
    finally:
        index_mod._LOADED.pop(synthetic.fingerprint, None)
