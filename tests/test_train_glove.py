"""Co-occurrence counting (hand-checked) and our GloVe trainer on planted structure."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.train.cooccur import cooccurrence, encode
from embedlab.train.corpus import Corpus, TokenOptions
from embedlab.train.glove import GloVeParams, fit_glove


def test_cooccurrence_weights_by_inverse_distance_and_is_symmetric():
    vocab = {"a": 0, "b": 1, "c": 2}
    ids, sid = encode([["a", "b", "c", "zzz", "a"], ["c", "a"]], vocab)
    assert ids.tolist() == [0, 1, 2, 0, 2, 0] and sid.tolist() == [0, 0, 0, 0, 1, 1]  # OOV dropped
    x = cooccurrence(ids, sid, 3, window=2).toarray()
    # sentence 1 (after OOV removal): a b c a; window 2
    # a-b d1 (1) + b-a d2 (0.5 via b,_,a) ; a-c d2 (0.5) + c-a d1 (1) ; b-c d1 (1) ; sentence 2: c-a d1 (1)
    expected = np.array([[0, 1.5, 2.5], [1.5, 0, 1.0], [2.5, 1.0, 0]])
    np.testing.assert_allclose(x, expected)
    np.testing.assert_allclose(x, x.T)


def test_sentence_boundaries_are_respected():
    ids, sid = encode([["a"], ["b"]], {"a": 0, "b": 1})
    assert cooccurrence(ids, sid, 2, window=5).nnz == 0


def planted(n: int = 800, seed: int = 0) -> Corpus:
    """cat/dog share one context pool, apple/pear another; the families mix only in a quarter of sentences."""
    rng = np.random.default_rng(seed)
    pools = {("cat", "dog"): [f"pet{i}" for i in range(30)],
             ("apple", "pear"): [f"fru{i}" for i in range(30)]}
    sents = []
    for _ in range(n):
        pair, pool = list(pools.items())[rng.integers(2)]
        if rng.random() < 0.25:  # some mixing, so GloVe sees low counts across families (zeros are not fit)
            pool = [w for p in pools.values() for w in p]
        ctx = list(rng.choice(pool, 6, replace=False))
        ctx.insert(3, pair[rng.integers(2)])
        sents.append(ctx)
    return Corpus(sents, "planted", TokenOptions(min_count=1))


def assert_planted(sp) -> None:
    """Words sharing contexts are closer to each other than to anything from the other family."""
    families = (("cat", "dog", ("fru", "apple", "pear")), ("apple", "pear", ("pet", "cat", "dog")))
    for w, mate, others in families:
        far = max(sp.similarity(w, x) for x in sp.keys if x.startswith(others))
        assert sp.similarity(w, mate) > far + 0.2, (w, sp.similarity(w, mate), far)
        assert not any(n.startswith(others) for n, _ in sp.most_similar(w, topn=10))


def test_glove_loss_decreases_and_learns_planted_neighbours():
    losses = []
    res = fit_glove(planted(), GloVeParams(dim=8, window=3, epochs=25, min_count=1, workers=1),
                    on_epoch=lambda s: losses.append(s.loss) and False)
    assert len(losses) == 25 and losses[-1] < losses[0] / 3
    sp = res.to_space("g")
    assert_planted(sp)
    assert sp.info["method"] == "glove" and sp.info["params"]["x_max"] == 100.0


def test_glove_is_deterministic_with_one_worker_and_stops_early():
    p = GloVeParams(dim=4, window=2, epochs=3, min_count=1, workers=1, seed=7)
    a, b = fit_glove(planted(100), p), fit_glove(planted(100), p)
    np.testing.assert_array_equal(a.vectors, b.vectors)
    stopped = fit_glove(planted(100), p, on_epoch=lambda s: s.epoch == 1)
    assert stopped.stopped and stopped.epochs_done == 1 and stopped.vectors.shape == a.vectors.shape


def test_glove_two_workers_runs():
    res = fit_glove(planted(3000), GloVeParams(dim=8, window=3, epochs=2, min_count=1, workers=2))
    assert np.isfinite(res.vectors).all() and res.extra["nonzeros"] > 0


def test_bad_glove_params():
    from embedlab.errors import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="dim"):
        GloVeParams(dim=0)
