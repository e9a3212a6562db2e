"""Bundled sense sets ship their hidden states: the page and CLI analyse them without the transformer."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.contextual import contextual_vectors
from embedlab.senses import analyse, bundled_words, load_bundled, precomputed_vectors


@pytest.mark.parametrize("which", ["first", "all"])
def test_every_bundled_word_has_precomputed_states(which):
    for word in bundled_words():
        cv = precomputed_vectors(load_bundled(word), which)
        assert cv is not None, word
        assert cv.vectors.dtype == np.float32 and cv.vectors.shape[0] == len(cv.occurrences)


def test_precomputed_states_match_a_live_pass_and_give_the_same_scores():
    ss = load_bundled("bank")
    cached = precomputed_vectors(ss)
    live = contextual_vectors(ss.sentences, ss.word)
    assert cached.encoder == live.encoder
    assert np.abs(cached.vectors - live.vectors).max() < 2e-2 * np.abs(live.vectors).max()
    assert cached.n_pieces == live.n_pieces
    assert [o.start for o in cached.occurrences] == [o.start for o in live.occurrences]
    from embedlab.senses import layer_scores

    senses = ss.senses
    a = [s.ari for s in layer_scores(cached.vectors, senses)]
    b = [s.ari for s in layer_scores(live.vectors, senses)]
    assert a == pytest.approx(b, abs=1e-6)


def test_changed_sentences_are_not_served_from_the_cache():
    ss = load_bundled("bank")
    edited = type(ss)(ss.word, [*ss.sentences[:-1], ss.sentences[-1] + " Really."], ss.senses, "typed")
    assert precomputed_vectors(edited) is None
    assert precomputed_vectors(ss, encoder="another-encoder") is None


def test_analyse_of_a_bundled_word_does_not_load_the_model(monkeypatch):
    import embedlab.contextual as ctx

    def boom(*a, **k):
        raise AssertionError("the transformer was run for a bundled sense set")

    monkeypatch.setattr("embedlab.senses.contextual_vectors", boom)
    monkeypatch.setattr(ctx, "get_encoder", boom)
    result = analyse(load_bundled("bat"))
    assert result.vectors.info.get("precomputed") is True
    assert len(result.scores) == result.vectors.n_layers
