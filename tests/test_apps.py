"""Applications library: classification curve, search, summaries, probes, item2vec, benefits."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.apps.classify import evaluate, learning_curve, parse_per_class, plan_points, split_indices
from embedlab.apps.data import load_collection, load_labelled, split_sentences
from embedlab.apps.search import BM25, compare_search
from embedlab.errors import InvalidParameterError


@pytest.fixture(scope="module")
def polarity():
    return load_labelled("pang-lee")


@pytest.fixture(scope="module")
def glove():
    from embedlab.registry import load

    return load("glove-50d")


def test_bundled_polarity_set_is_balanced_and_decoded(polarity):
    assert polarity.counts() == {"neg": 100, "pos": 100}
    assert all(t.strip() for t in polarity.texts)
    assert not any("\ufffd" in t for t in polarity.texts)  # cp1252 decoded, no replacement characters


def test_embedding_features_beat_bag_of_words_at_ten_per_class(polarity):
    curve = learning_curve(
        polarity.texts,
        polarity.labels,
        features=["bow", "glove-50d", "minilm"],
        per_class=[10],
        repeats=5,
        seed=0,
    )
    acc = {r["features"]: r["accuracy"] for r in curve.rows}
    assert acc["glove-50d"] > acc["bow"] + 0.05
    assert acc["minilm"] > acc["bow"] + 0.05
    assert all(r["n_train"] == 20 and r["n_test"] == 180 for r in curve.rows)


def test_curve_skips_sizes_that_leave_nothing_to_test_and_says_so(polarity):
    points, notes = plan_points(polarity.counts(), [5, 100, "all"])
    assert points == [5, 80] and len(notes) == 1 and "100" in notes[0]
    with pytest.raises(InvalidParameterError, match="at most 99"):
        plan_points(polarity.counts(), [100, 500])


def test_split_takes_first_n_per_class_and_is_seeded(polarity):
    y = np.asarray(polarity.labels)
    tr, te = split_indices(y, 7, seed=3)
    assert sorted(np.unique(y[tr], return_counts=True)[1]) == [7, 7]
    assert set(tr).isdisjoint(te) and len(tr) + len(te) == len(y)
    tr2, _ = split_indices(y, 7, seed=3)
    tr3, _ = split_indices(y, 7, seed=4)
    assert np.array_equal(tr, tr2) and not np.array_equal(tr, tr3)


def test_evaluate_gives_a_consistent_confusion_matrix_and_mistakes(polarity):
    ev = evaluate(polarity.texts, polarity.labels, "glove-50d", per_class=10, seed=0)
    assert ev.confusion.sum() == ev.n_test == 180
    assert np.trace(ev.confusion) / ev.n_test == pytest.approx(ev.accuracy)
    assert len(ev.mistakes) == ev.n_test - np.trace(ev.confusion)
    assert (ev.mistakes["true"] != ev.mistakes["predicted"]).all()


def test_parse_per_class_rejects_nonsense():
    assert parse_per_class("10, 30,all") == [10, 30, "all"]
    for bad in ("ten", "0", ""):
        with pytest.raises(InvalidParameterError):
            parse_per_class(bad)


def test_unknown_feature_is_named(polarity):
    with pytest.raises(InvalidParameterError, match="no-such-space"):
        learning_curve(polarity.texts, polarity.labels, features=["bow", "no-such-space"], per_class=[5])


def test_bm25_scores_only_documents_with_query_words():
    docs = ["the cat sat on the mat", "dogs and cats", "a cat and a cat", "nothing here"]
    s = BM25().fit(docs).score("cat")
    assert s[3] == 0 and s[1] == 0  # "cats" is another token
    assert s[2] > s[0] > 0  # more occurrences score higher (same length order)


def test_car_finds_automobile_only_semantically():
    docs = [
        "He parked his automobile outside the house.",
        "The stock market fell sharply today.",
        "She baked fresh bread for dinner.",
        "The car keys were on the kitchen table.",
        "Rain is expected over the weekend.",
    ]
    hits = compare_search(docs, "car", k=2)
    kw = hits[hits["method"] == "keyword"]
    sem = hits[hits["method"] == "semantic"]
    assert list(kw["text"]) == [docs[3]]  # only the document with the word itself
    auto = sem[sem["text"] == docs[0]]
    assert len(auto) == 1 and bool(auto["only_here"].iloc[0])


def test_mmr_removes_a_duplicate_sentence():
    from embedlab.apps.summarise import summarise

    central = "The city council approved the new budget for schools and roads."
    sents = [
        central,
        "Council members debated the school budget for hours.",
        central,
        "Road repairs will get more money next year under the budget.",
        "The mayor said the budget balances schools and roads.",
        "A cat slept in the sun.",
    ]
    plain = summarise(sents, k=2, lam=1.0)
    assert sorted(plain.picked) == [0, 2]  # pure centrality picks the sentence twice
    mmr = summarise(sents, k=2, lam=0.5)
    assert len({mmr.sentences[i] for i in mmr.picked}) == 2
    frame = mmr.to_frame()
    assert frame["in_summary"].sum() == 2 and list(frame["sentence"]) == sents


def test_split_sentences_and_collection():
    assert split_sentences("One here. Two there! Three?\nFour") == [
        "One here.",
        "Two there!",
        "Three?",
        "Four",
    ]
    news = load_collection("lee-news", limit=50)
    assert len(news) == 50 and len(set(news)) == 50


@pytest.mark.parametrize("task", ["plural", "continent", "sentiment"])
def test_probes_beat_their_shuffled_baselines(glove, task):
    from embedlab.apps.probes import run_probe

    p = run_probe(glove, task, seed=0)
    assert p.accuracy_ > p.baseline_ + 3 * p.baseline_std_
    assert p.accuracy_ > p.majority_ + 0.2
    assert p.n_test_ >= 30


def test_plural_probe_never_splits_a_pair(glove):
    from embedlab.apps.probes import run_probe
    from embedlab.apps.wordlists import NOUNS

    p = run_probe(glove, "plural")
    test_words = set(p.results_["word"])
    for s, pl in NOUNS.items():
        assert not ({s, pl} & test_words and {s, pl} & p.train_words_)


def test_probe_direction_applies_to_unseen_words(glove):
    from embedlab.apps.probes import run_probe

    p = run_probe(glove, "plural")
    out = p.predict(glove, ["pencils", "pencil", "zzqxw"])
    assert list(out["predicted"]) == ["plural", "singular", ""]
    assert out["score"].iloc[0] * out["score"].iloc[1] < 0  # opposite sides of the direction
    assert not out["seen"].iloc[0]


def test_item2vec_recovers_planted_co_occurring_items():
    from embedlab.apps.recommend import THEMES, Item2Vec, make_baskets, more_like_this

    space = Item2Vec(epochs=10, random_state=0).fit(make_baskets(n=1500, seed=1)).embedding_
    for items in THEMES.values():
        group = items.split()
        top = [k for k, _ in more_like_this(space, group[0], topn=len(group) - 1)]
        assert len(set(top) & set(group)) >= len(group) - 2, (group[0], top)


def test_bundled_baskets_parse():
    from embedlab.apps.recommend import bundled_baskets

    seqs = bundled_baskets()
    assert len(seqs) == 3000 and all(len(s) >= 2 for s in seqs)


def test_more_like_this_on_a_planted_space(planted_space):
    from embedlab.apps.recommend import more_like_this

    top = more_like_this(planted_space, "king", topn=3)
    assert len(top) == 3 and "king" not in [k for k, _ in top]


def test_one_hot_cosines_are_all_zero_dense_are_not(glove):
    from embedlab.apps.benefits import one_hot_vs_dense

    r = one_hot_vs_dense(glove, ["cat", "dog", "car", "automobile", "zzqxw"])
    assert r["missing"] == ["zzqxw"] and r["one_hot_dim"] == len(glove) and r["dense_dim"] == 50
    assert r["max_off_diagonal_one_hot"] == 0.0
    assert np.allclose(np.diag(r["one_hot_cos"]), 1)
    i, j = r["words"].index("car"), r["words"].index("automobile")
    assert r["dense_cos"][i, j] > 0.5
    assert r["one_hot_bytes_dense"] > 1000 * r["dense_bytes"]


def test_lookup_speed_rows_agree(glove):
    from embedlab.apps.benefits import lookup_speed

    rows = lookup_speed(glove, n=200, one_hot_vocab=2000)
    assert len(rows) == 2 and all(r["us_per_lookup"] > 0 for r in rows)


def test_figures_show_user_labels_literally():
    from embedlab.plots.apps import confusion_figure, direction_figure, learning_curve_figure

    bad = "<a href='x'>pos</a>"
    fig = confusion_figure(["neg", bad], np.array([[3, 1], [0, 4]]))
    assert all("<a " not in str(v) for v in fig.data[0].x)
    fig = direction_figure(["<b>w</b>", "v"], [0.2, -0.1], ["neg", bad])
    assert "<a " not in fig.layout.xaxis.title.text and "<b>" not in str(list(fig.data[0].y))
    rows = [
        {
            "features": "s",
            "label": bad,
            "per_class": n,
            "accuracy": 0.6,
            "accuracy_std": 0.01,
            "accuracy_min": 0.55,
            "accuracy_max": 0.65,
        }
        for n in (5, 10)
    ]
    fig = learning_curve_figure(rows, chance=0.5)
    assert "<a " not in fig.data[1].name
