"""Continued (dynamic) training and one space per slice, on planted corpora."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab import workspace
from embedlab.compare import align, bundled_slices, slices_from_table, train_slices, trajectory
from embedlab.errors import InvalidParameterError
from embedlab.registry import load
from embedlab.space import EmbeddingSpace
from embedlab.train.continued import NoTrainingStateError, continue_word2vec, has_state, load_state
from embedlab.train.corpus import Corpus, TokenOptions
from embedlab.train.live import make_params, run

FRUIT = ["banana", "cherry", "grape", "pear", "plum", "melon"]
TECH = ["computer", "laptop", "software", "phone", "tablet", "keyboard"]
WATER = ["river", "lake", "sea", "ocean", "stream", "pond"]


def _sentences(rng, n: int, groups: list[list[str]]) -> list[list[str]]:
    out = []
    for _ in range(n):
        g = groups[rng.integers(len(groups))]
        out.append(list(rng.choice(g, 8)))
    return out


def old_corpus(seed: int = 0) -> Corpus:
    """'apple' lives among fruit; tech and water words have their own sentences."""
    rng = np.random.default_rng(seed)
    return Corpus(_sentences(rng, 1500, [[*FRUIT, "apple"], TECH, WATER]), "old", TokenOptions(min_count=1))


def new_corpus(seed: int = 1) -> Corpus:
    """'apple' now lives among tech words, with a new word 'smartwatch'; no water words at all."""
    rng = np.random.default_rng(seed)
    return Corpus(_sentences(rng, 1500, [[*TECH, "apple", "smartwatch"], FRUIT]), "new",
                  TokenOptions(min_count=1))


@pytest.fixture(scope="module")
def base_space():
    params = make_params("skipgram", dim=16, epochs=8, window=4, min_count=1, workers=1, seed=3)
    run(None, old_corpus(), params, name="cmp-base", evaluate=False)
    return load("cmp-base")


def _mean_sim(space: EmbeddingSpace, word: str, group: list[str]) -> float:
    return float(np.mean([space.similarity(word, g) for g in group]))


def test_trained_word2vec_space_carries_its_training_state(base_space):
    assert has_state("cmp-base")
    state = load_state(base_space)
    assert state.words == list(base_space.keys) and state.syn1neg.shape == base_space.vectors.shape


def test_continued_training_moves_only_what_the_new_text_touches(base_space):
    res = continue_word2vec(base_space, new_corpus())
    after = res.to_space("cmp-after")
    # old words keep their rows; the new word joins at the end
    assert list(after.keys[: len(base_space)]) == list(base_space.keys) and after.keys[-1] == "smartwatch"
    assert res.extra["new_words"] == 1 and res.extra["continued_from"] == "cmp-base"
    # counts: old + occurrences in the new text (unchanged exactly for words the new text never uses)
    old_counts = dict(zip(base_space.keys, base_space.meta_column("count"), strict=True))
    new_counts = dict(zip(res.words, res.counts, strict=True))
    assert new_counts["river"] == old_counts["river"]
    assert new_counts["apple"] == old_counts["apple"] + new_corpus().counts()["apple"]
    # untouched old words: exactly where they were
    for w in WATER:
        assert after.similarity(w, "river") == pytest.approx(base_space.similarity(w, "river"), abs=1e-6)
        np.testing.assert_array_equal(after.vector(w), base_space.vector(w))
    # the word used differently moved towards its new company
    assert _mean_sim(base_space, "apple", FRUIT) > _mean_sim(base_space, "apple", TECH)
    assert _mean_sim(after, "apple", TECH) > _mean_sim(base_space, "apple", TECH) + 0.2
    # the same coordinates: no alignment needed, and a Procrustes fit is close to the identity
    al = align(base_space, after)
    assert al.mean_cosine > 0.8
    assert {"apple"} <= set(al.shared[i] for i in np.argsort(al.cosines)[:3])


def test_continuing_needs_a_saved_word2vec_state(base_space):
    glove_like = EmbeddingSpace(["a", "b"], np.eye(2), name="not-saved")
    with pytest.raises(NoTrainingStateError, match="not a space saved"):
        continue_word2vec(glove_like, new_corpus())
    workspace.save(base_space.with_vectors(base_space.vectors * 2), "cmp-changed")
    with pytest.raises(NoTrainingStateError, match="no saved word2vec training state"):
        continue_word2vec(load("cmp-changed"), new_corpus())
    # a state whose space was overwritten afterwards is refused (fingerprint check)
    import shutil

    src = workspace.spaces_dir() / "cmp-base" / "w2v_state.npz"
    shutil.copy(src, workspace.spaces_dir() / "cmp-changed" / "w2v_state.npz")
    with pytest.raises(NoTrainingStateError, match="changed after training"):
        continue_word2vec(load("cmp-changed"), new_corpus())


def test_slices_from_a_period_table_are_trained_and_aligned():
    rows = ["year,text"]
    for year, corpus in (("1990", old_corpus()), ("2020", new_corpus())):
        rows += [f"{year},{' '.join(s)}" for s in corpus.sentences[:600]]
    slices = slices_from_table("periods.csv", "\n".join(rows).encode(), TokenOptions(min_count=1))
    assert list(slices) == ["1990", "2020"]
    params = make_params("skipgram", dim=8, epochs=10, window=4, min_count=1, workers=1, seed=3)
    seen = []
    spaces = train_slices(slices, params, lambda d, t, m: seen.append(d / t), prefix="per",
                          anchors=FRUIT + TECH)
    assert [s.name for s in spaces] == ["per-1990", "per-2020"] and seen[-1] == 1.0
    assert spaces[1].info["alignment"]["to_previous"] == "1990"
    traj = trajectory(spaces, "apple")
    assert list(traj["slice"]) == ["1990", "2020"] and np.isnan(traj["cos_previous"][0])
    shared = [w for w in spaces[0].keys if w in spaces[1] and w != "apple"]
    least_stable_other = min(trajectory(spaces, w)["cos_previous"][1] for w in shared)
    assert least_stable_other > traj["cos_previous"][1] + 0.3  # apple moved most
    river = trajectory(spaces, "river")  # absent from the 2020 text
    assert river["count"][1] == 0 and np.isnan(river["cos_previous"][1])
    with pytest.raises(InvalidParameterError, match="distinct"):
        slices_from_table("one.csv", b"year,text\n1990,a b c\n1990,d e f\n")
    with pytest.raises(InvalidParameterError, match="period"):
        slices_from_table("cols.csv", b"when,what\n1,a\n2,b\n")


def test_bundled_demo_slices_split_the_default_corpus():
    slices = bundled_slices(TokenOptions(), every=200)
    assert list(slices) == ["dictionary", "encyclopedia-news"]
    dictionary, encyclopedia = slices.values()
    assert dictionary.n_tokens > 2 * encyclopedia.n_tokens > 0

    def rate(corpus, word):
        return corpus.counts()[word] / corpus.n_tokens

    assert rate(dictionary, "genus") > 10 * rate(encyclopedia, "genus")  # glosses vs articles
    assert rate(encyclopedia, "century") > 2 * rate(dictionary, "century")


def test_continuing_keeps_row_order_when_counts_tie():
    words = [f"t{i}" for i in range(120)]
    rng = np.random.default_rng(2)
    sents = [[w] * 3 for w in words] + [list(rng.choice(words, 10)) for _ in range(200)]
    params = make_params("skipgram", dim=8, epochs=1, window=3, min_count=1, workers=1)
    run(None, Corpus(sents, "ties", TokenOptions(min_count=1)), params, name="cmp-ties", evaluate=False)
    base = load("cmp-ties")
    new = Corpus([["t1", "t2", "fresh", "fresh"]] * 10, "n", TokenOptions(min_count=1))
    res = continue_word2vec(base, new)
    assert res.words[: len(base)] == list(base.keys) and res.words[len(base):] == ["fresh"]
    untouched = [i for i, w in enumerate(base.keys) if w not in ("t1", "t2")]
    np.testing.assert_array_equal(res.vectors[untouched], base.vectors[untouched])
