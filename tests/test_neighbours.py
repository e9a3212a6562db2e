"""Neighbours and analogies on planted geometry: exact top-k, 3CosAdd/3CosMul, odd-one-out, parsing."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.errors import DimensionError, EmptyInputError, InvalidParameterError, UnknownKeyError
from embedlab.neighbours import analogy, doesnt_match, most_similar, parse_expression, top_k
from embedlab.space import EmbeddingSpace


def test_top_k_matches_full_argsort_on_random_inputs():
    rng = np.random.default_rng(42)
    for _ in range(200):
        n = int(rng.integers(1, 300))
        scores = rng.normal(size=n).astype(np.float32)
        k = int(rng.integers(1, n + 3))
        exclude = set(rng.integers(0, n, size=int(rng.integers(0, 5))).tolist())
        expected = [i for i in np.argsort(-scores, kind="stable") if i not in exclude][:k]
        got = top_k(scores, k, exclude)
        assert got.tolist() == expected
        assert len(got) == min(k, n - len(exclude))


def test_top_k_edge_cases():
    s = np.array([0.1, 0.9, 0.5])
    assert top_k(s, 0).tolist() == []
    assert top_k(s, 0, exclude=[1]).tolist() == []
    assert top_k(s, 10, exclude=[0, 1, 2]).tolist() == []
    assert top_k(np.empty(0), 3).tolist() == []


def test_most_similar_excludes_inputs_and_is_sorted(planted_space):
    res = most_similar(planted_space, "king", topn=5)
    keys = [k for k, _ in res]
    assert "king" not in keys and len(res) == 5
    scores = [s for _, s in res]
    assert scores == sorted(scores, reverse=True)
    brute = planted_space.normed @ planted_space.vector("king", normed=True)
    order = [planted_space.keys[i] for i in np.argsort(-brute) if planted_space.keys[i] != "king"]
    assert keys == order[:5]
    assert res[0][1] == pytest.approx(float(np.sort(brute)[-2]), abs=1e-6)


def test_3cosadd_recovers_planted_parallelogram(planted_space):
    res = most_similar(planted_space, positive=["king", "woman"], negative=["man"], topn=3)
    assert res[0][0] == "queen"
    assert res[0][1] > res[1][1]
    assert not {"king", "woman", "man"} & {k for k, _ in res}
    assert analogy(planted_space, "man", "king", "woman")[0][0] == "queen"


def test_3cosmul_recovers_planted_parallelogram(planted_space):
    res = analogy(planted_space, "man", "king", "woman", topn=3, method="3cosmul")
    assert res[0][0] == "queen"
    assert not {"king", "woman", "man"} & {k for k, _ in res}


def test_string_and_vector_queries(planted_space):
    v = planted_space.vector("king")
    by_vec = most_similar(planted_space, [v], topn=3)
    assert by_vec[0][0] == "king"  # a raw vector excludes nothing
    assert most_similar(planted_space, "KING", topn=1) == most_similar(planted_space, "king", topn=1)
    with pytest.raises(DimensionError, match="3 dimensions"):
        most_similar(planted_space, [np.ones(3)])


def test_restrict_limits_search_to_first_rows(planted_space):
    res = most_similar(planted_space, "queen", topn=10, restrict=4)
    assert {k for k, _ in res} <= set(planted_space.keys[:4])


def test_errors_are_user_errors(planted_space):
    with pytest.raises(UnknownKeyError, match="Did you mean 'king'"):
        most_similar(planted_space, "kingg")
    with pytest.raises(InvalidParameterError, match="topn"):
        most_similar(planted_space, "king", topn=0)
    with pytest.raises(InvalidParameterError, match="3cosfoo"):
        most_similar(planted_space, "king", method="3cosfoo")
    with pytest.raises(EmptyInputError):
        most_similar(planted_space)
    with pytest.raises(InvalidParameterError, match="cancels out"):
        most_similar(planted_space, positive=["king"], negative=["king"])


def test_doesnt_match_picks_the_outlier():
    rng = np.random.default_rng(5)
    centre = rng.normal(size=12)
    words = {f"fruit{i}": centre + 0.1 * rng.normal(size=12) for i in range(4)}
    words["car"] = -centre + 0.1 * rng.normal(size=12)
    sp = EmbeddingSpace.from_dict(words, name="odd")
    assert doesnt_match(sp, ["fruit0", "fruit1", "car", "fruit2"]) == "car"
    assert doesnt_match(sp, ["FRUIT0", "Car", "fruit1"]) == "car"
    with pytest.raises(EmptyInputError):
        doesnt_match(sp, ["car"])


@pytest.mark.parametrize("text, pos, neg", [
    ("king - man + woman", ["king", "woman"], ["man"]),
    ("king -man +woman", ["king", "woman"], ["man"]),
    ("king-man", ["king-man"], []),
    ("well-known", ["well-known"], []),
    ("king queen", ["king", "queen"], []),
    ("- man + woman", ["woman"], ["man"]),
    ("  king   +woman  ", ["king", "woman"], []),
    ("king \u2212 man + woman", ["king", "woman"], ["man"]),
])
def test_parse_expression(text, pos, neg):
    assert parse_expression(text) == (pos, neg)


@pytest.mark.parametrize("text", ["", "   ", "+ -"])
def test_parse_expression_empty(text):
    with pytest.raises(EmptyInputError):
        parse_expression(text)


# ------------------------------------------------------- query: the Neighbours use case (page and CLI)
def test_query_analogy_fields(planted_space):
    from embedlab.neighbours import query

    res = query(planted_space, "King - man + woman", k=3)
    assert res.analogy == ("man", "king", "woman", "queen")
    assert list(res.table()["word"])[0] == "queen"
    assert res.positive == ["king", "woman"] and res.negative == ["man"]
    assert res.expression == "king + woman - man"
    one = query(planted_space, "king", k=2)
    assert (one.positive, one.negative, one.expression) == (["king"], [], "king")


def test_query_matches_most_similar_and_resolves_each_word_once(planted_space, monkeypatch):
    from embedlab.neighbours import query

    for method in ("3cosadd", "3cosmul"):
        res = query(planted_space, "KING - man + woman", k=4, method=method, restrict=7)
        assert res.results == most_similar(planted_space, ["king", "woman"], ["man"], topn=4, method=method,
                                           restrict=7)
    calls = []
    resolve = EmbeddingSpace.resolve
    monkeypatch.setattr(EmbeddingSpace, "resolve", lambda self, w: calls.append(w) or resolve(self, w))
    query(planted_space, "king - man + woman", k=2)
    assert sorted(calls) == ["king", "man", "woman"]


def test_query_errors_are_user_errors(planted_space):
    from embedlab.neighbours import query

    with pytest.raises(UnknownKeyError):
        query(planted_space, "king - mna")
    with pytest.raises(EmptyInputError):
        query(planted_space, " + - ")
    with pytest.raises(InvalidParameterError):
        query(planted_space, "king", k=0)
    with pytest.raises(InvalidParameterError, match="3cosadd"):
        query(planted_space, "king", method="nope")
    with pytest.raises(InvalidParameterError, match="zero vector"):
        query(planted_space, "king - king")
