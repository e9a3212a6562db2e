"""Compressed neighbour indexes (FAISS): planted clusters recovered, recall ordered by compression, sizes,
persistence beside a batch output, bad parameters."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("faiss")

from embedlab.ann import CompressedIndex, IndexParams, exact_topk, recall  # noqa: E402
from embedlab.ann.compressed import index_path  # noqa: E402
from embedlab.errors import DimensionError, EmbedlabError, InvalidParameterError  # noqa: E402
from embedlab.space import EmbeddingSpace  # noqa: E402


@pytest.fixture(scope="module")
def clustered():
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(40, 64))
    labels = rng.integers(0, 40, 4000)
    x = (centres[labels] + 0.35 * rng.normal(size=(4000, 64))).astype(np.float32)
    return EmbeddingSpace([f"p{i}" for i in range(len(x))], x, name="clustered"), labels


def test_each_method_finds_planted_neighbours_and_compresses(clustered):
    space, labels = clustered
    q = np.asarray(space.normed[:100])
    truth = exact_topk(space, q, 10)
    assert np.array_equal(truth[:, 0], np.arange(100))  # each query is its own nearest row
    figures = {}
    for method in ("flat", "fp16", "sq8", "ivfpq"):
        idx = CompressedIndex.build(space, IndexParams(method, m=16, nprobe=16))
        rows, scores = idx.search(q, 10)
        same_cluster = np.mean(labels[rows] == labels[np.arange(100)][:, None])
        figures[method] = (idx.bytes_per_vector, recall(idx, q, truth=truth))
        assert same_cluster > 0.95, method  # neighbours come from the planted cluster
        assert np.all(np.diff(scores, axis=1) <= 1e-6)  # best first
    assert figures["flat"][1] == 1.0 and figures["fp16"][1] >= 0.95
    sizes = [figures[m][0] for m in ("flat", "fp16", "sq8", "ivfpq")]
    # codes: 256, 128, 64 and 16 bytes; IVF-PQ also stores ids and its trained tables (large at 4,000 rows)
    assert sizes == sorted(sizes, reverse=True) and sizes[0] / sizes[3] > 4


def test_refine_reranks_with_exact_vectors(clustered):
    space, _ = clustered
    q = np.asarray(space.normed[200:300])
    truth = exact_topk(space, q, 10)
    plain = CompressedIndex.build(space, IndexParams("ivfpq", m=8, nprobe=16))
    refined = CompressedIndex(space, plain.index, IndexParams("ivfpq", m=8, nprobe=16, refine=100))
    assert recall(refined, q, truth=truth) > recall(plain, q, truth=truth)
    rows, scores = refined.search(q[0], 5)
    assert rows.shape == (5,) and np.allclose(scores, np.asarray(space.normed[rows]) @ q[0], atol=1e-5)


def test_saved_index_round_trips_and_refuses_other_vectors(clustered, tmp_path):
    space, _ = clustered
    idx = CompressedIndex.build(space, IndexParams("sq8"))
    path = idx.save(tmp_path / "sq8.faiss")
    back = CompressedIndex.load(path, space, mmap=True)
    q = np.asarray(space.normed[:20])
    assert np.array_equal(back.search(q, 10)[0], idx.search(q, 10)[0])
    other = space.with_vectors(np.asarray(space.vectors)[::-1].copy())
    with pytest.raises(EmbedlabError, match="other vectors"):
        CompressedIndex.load(path, other)
    with pytest.raises(EmbedlabError, match="No saved index"):
        CompressedIndex.load(tmp_path / "missing.faiss", space)
    assert index_path(space, IndexParams("sq8")).name.endswith("-sq8.faiss")  # workspace cache
    batch_like = space.renamed("b")
    batch_like.info["batch_dir"] = str(tmp_path)
    assert index_path(batch_like, IndexParams("ivfpq", m=16)) == tmp_path / "index" / "ivfpq-m16-nlauto.faiss"


def test_bad_parameters_are_refused(clustered):
    space, _ = clustered
    with pytest.raises(InvalidParameterError, match="Unknown index method"):
        CompressedIndex.build(space, IndexParams("lsh"))
    with pytest.raises(InvalidParameterError, match="must divide"):
        CompressedIndex.build(space, IndexParams("ivfpq", m=7))
    with pytest.raises(InvalidParameterError, match="at least 1,000"):
        CompressedIndex.build(space.head(500), IndexParams("ivfpq", m=16))
    idx = CompressedIndex.build(space, IndexParams("fp16"))
    with pytest.raises(DimensionError):
        idx.search(np.ones(3), 5)


def test_cli_index_reports_figures(clustered, capsys):
    import json

    from embedlab import workspace
    from embedlab.cli import main

    space, _ = clustered
    workspace.save(space, "clustered-idx")
    assert main(["batch", "index", "clustered-idx", "--method", "sq8", "--queries", "50", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["built"] and d["n"] == 4000 and d["recall_at_10"] > 0.8 and d["bytes_per_vector"] < 80
    assert main(["batch", "index", "clustered-idx", "--method", "sq8", "--queries", "50", "--json"]) == 0
    assert not json.loads(capsys.readouterr().out)["built"]  # loaded from beside the space


def test_most_similar_searches_through_a_compressed_index(clustered):
    from embedlab.ann import NeighbourIndex
    from embedlab.neighbours import most_similar

    space, _ = clustered
    idx = CompressedIndex.build(space, IndexParams("sq8"))
    assert isinstance(idx, NeighbourIndex)
    got = most_similar(space, "p3", topn=5, index=idx)
    want = most_similar(space, "p3", topn=5)
    assert "p3" not in {k for k, _ in got} and len({k for k, _ in got} & {k for k, _ in want}) >= 4
    exact = dict(want)
    assert all(abs(s - exact[k]) < 1e-5 for k, s in got if k in exact)  # scores are exact, not quantised
