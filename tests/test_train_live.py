"""word2vec wrapper callbacks, snapshots and alignment, the background job, Stop, persistence."""

from __future__ import annotations

import numpy as np
import pytest
from test_train_glove import assert_planted, planted

from embedlab import jobs, registry, workspace
from embedlab.linalg import pca_2d
from embedlab.space import EmbeddingSpace
from embedlab.train import store
from embedlab.train.live import make_params, run, start
from embedlab.train.snapshot import align, snapshot
from embedlab.train.word2vec import Word2VecParams, fit_word2vec

TINY = dict(dim=16, window=3, epochs=4, min_count=1, workers=1, seed=3)


def test_word2vec_reports_every_epoch_and_learns_planted_structure():
    states = []
    res = fit_word2vec(planted(1500), Word2VecParams(sg=True, **{**TINY, "epochs": 8}),
                       on_epoch=lambda s: states.append(s) and False)
    assert [s.epoch for s in states] == list(range(1, 9))
    assert all(s.loss > 0 and s.tokens_per_s > 0 and s.vectors.shape == (len(s.words), 16) for s in states)
    assert not np.allclose(states[0].vectors, states[-1].vectors)
    assert_planted(res.to_space("sg"))


def test_word2vec_cbow_is_deterministic_with_one_worker():
    p = Word2VecParams(sg=False, **TINY)
    a, b = fit_word2vec(planted(200), p), fit_word2vec(planted(200), p)
    np.testing.assert_array_equal(a.vectors, b.vectors)
    assert a.method == "cbow" and a.params["sg"] is False


def test_stop_keeps_partial_vectors():
    res = fit_word2vec(planted(200), Word2VecParams(**TINY), on_epoch=lambda s: s.epoch == 2)
    assert res.stopped and res.epochs_done == 2 and res.vectors.shape[1] == 16


def test_snapshots_are_aligned_not_spinning():
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(30)]
    base = rng.normal(size=(30, 10)).astype(np.float32)
    s1 = snapshot(EmbeddingSpace(words, base), ["w0", "w1"], epoch=1, k=4)
    q = np.linalg.qr(rng.normal(size=(10, 10)))[0]  # same geometry, rotated in 10-D
    s2 = snapshot(EmbeddingSpace(words, base @ q), ["w0", "w1"], epoch=2, k=4, previous=s1)
    assert s1.labels == s2.labels and len(s1.labels) >= 6
    np.testing.assert_allclose(s1.coords, s2.coords, atol=1e-3)
    assert pca_2d(base).shape == (30, 2)
    rot = np.array([[0, -1], [1, 0]], dtype=np.float32)
    np.testing.assert_allclose(align(s1, s1.labels, s1.coords @ rot), s1.coords, atol=1e-4)


def test_missing_watch_word_is_reported():
    sp = EmbeddingSpace(["a", "b", "c"], np.eye(3))
    snap = snapshot(sp, ["a", "zebra"], k=2)
    assert snap.missing == ["zebra"] and set(snap.labels) == {"a", "b", "c"}


def test_job_publishes_snapshots_stop_keeps_result_and_it_persists():
    corpus = planted(400)
    params = make_params("skipgram", **{**TINY, "epochs": 30})
    job = start("test-train-stop", corpus, params, ["cat", "apple"], "stopped-sg", evaluate=False)
    deadline = 0
    while job.running and (job.partial is None or len(job.partial.snapshots) < 2) and deadline < 600:
        job.wait(0.05)
        deadline += 1
    job.cancel()
    job.wait(60)
    assert job.status == jobs.CANCELLED and job.error is None
    trained = job.result
    assert trained.result.stopped and 2 <= trained.result.epochs_done < 30
    assert len(trained.snapshots) == trained.result.epochs_done
    assert trained.snapshots[-1].neighbours["cat"]
    back = registry.load("stopped-sg")  # by name, like the CLI
    assert back.info["stopped_early"] is True and back.info["params"]["epochs"] == 30
    np.testing.assert_array_equal(np.asarray(back.vectors), trained.space.vectors)


def test_persistence_round_trip_with_evaluation_then_delete():
    params = make_params("glove", dim=8, window=3, epochs=3, min_count=1, workers=1)
    trained = run(None, planted(200), params, ["cat"], "rt-glove", evaluate=True)
    info = workspace.read_info("rt-glove")
    assert info["method"] == "glove" and info["corpus"]["tokens"] == 1400
    assert "analogy_overall" in info["evaluation"] and info["params"]["window"] == 3
    assert trained.evaluation is not None
    listed = store.list_trained()
    assert "rt-glove" in set(listed["name"])
    store.delete_trained("rt-glove")
    assert not workspace.exists("rt-glove")


def test_bad_name_and_method_fail_before_training():
    from embedlab.errors import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="space name"):
        start("test-bad", planted(50), make_params("cbow", **TINY), ["cat"], "../evil")
    with pytest.raises(InvalidParameterError, match="fasttext"):
        make_params("fasttext")


def test_views_animation_has_one_frame_per_epoch():
    from embedlab.plots.training import loss_chart, neighbours_table, snapshot_animation

    sp = EmbeddingSpace([f"w{i}" for i in range(20)], np.random.default_rng(1).normal(size=(20, 6)))
    snaps = [snapshot(sp, ["w0", "w5"], epoch=1, loss=2.0, k=3)]
    snaps.append(snapshot(sp, ["w0", "w5"], epoch=2, loss=1.0, k=3, previous=snaps[0]))
    fig = snapshot_animation(snaps)
    assert [f.name for f in fig.frames] == ["1", "2"] and len(fig.data) == 2
    assert fig.data[0].x.dtype == np.float32
    assert list(loss_chart(snaps).data[0].y) == [2.0, 1.0]
    assert list(neighbours_table(snaps[-1]).columns) == ["w0", "w5"]
