"""Alignment, shift measures and cross-space maps on planted geometry."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from embedlab.compare import (
    LinearMap,
    align,
    fit_map,
    identity_pairs,
    knn_overlap,
    most_moved,
    procrustes,
    read_pairs,
    split_pairs,
    trace_points,
)
from embedlab.errors import (
    DimensionError,
    EmptyInputError,
    FormatError,
    InputTooLargeError,
    InvalidParameterError,
    UnknownKeyError,
)
from embedlab.space import EmbeddingSpace


def _rotation(d: int, seed: int = 1) -> np.ndarray:
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(d, d)))
    return q


def _pair(n: int = 400, d: int = 16, swap: tuple[int, int] | None = None, noise: float = 0.0, seed: int = 0):
    """``a`` and ``b = a @ Q`` (+ noise), optionally with two rows swapped in ``b``; counts in both."""
    rng = np.random.default_rng(seed)
    keys = [f"w{i}" for i in range(n)]
    x = rng.normal(size=(n, d)).astype(np.float32)
    y = x @ _rotation(d) + noise * rng.normal(size=(n, d))
    if swap:
        y[list(swap)] = y[list(swap[::-1])]
    counts = pd.DataFrame({"count": np.arange(n, 0, -1) * 10})
    return EmbeddingSpace(keys, x, counts, name="a"), EmbeddingSpace(keys, y, counts, name="b")


def test_planted_rotation_is_recovered_exactly():
    a, b = _pair()
    al = align(a, b)
    assert al.mean_cosine == pytest.approx(1.0, abs=1e-5)
    assert len(al.shared) == len(a) and al.anchors == al.shared
    np.testing.assert_allclose(al.rotation, _rotation(a.dim), atol=1e-4)
    np.testing.assert_allclose(al.space.normed, b.normed, atol=1e-4)
    # a rotation keeps the aligned copy's own geometry: same neighbours as a
    assert [w for w, _ in al.space.most_similar("w5", topn=5)] == [w for w, _ in a.most_similar("w5", topn=5)]


def test_swapped_words_come_first_in_both_measures():
    a, b = _pair(swap=(3, 7), noise=0.05)
    for measure in ("cosine", "knn"):
        rep = most_moved(a, b, top=5, measure=measure)
        assert set(rep.table["key"][:2]) == {"w3", "w7"}, measure
        assert rep.table["distance"].is_monotonic_decreasing
    rep = most_moved(a, b, top=3)
    out = rep.to_dict()
    assert out["shared"] == 400 and out["mean_cosine"] > 0.95
    cols = {"key", "distance", "knn_overlap", "neighbours_a", "neighbours_b", "count_a"}
    assert cols <= set(out["moved"][0])


def test_anchors_fit_only_on_stable_words():
    a, b = _pair(swap=(3, 7))
    anchors = [f"w{i}" for i in range(10, 60)]
    al = align(a, b, anchors=anchors)
    assert al.anchors == anchors and al.anchor_cosine == pytest.approx(1.0, abs=1e-5)
    cos = dict(zip(al.shared, al.cosines, strict=True))
    assert cos["w3"] < 0.5 and cos["w10"] == pytest.approx(1.0, abs=1e-5)
    with pytest.raises(InvalidParameterError, match="anchor"):
        align(a, b, anchors=["w1", "nope"])


def test_min_count_filter_drops_rare_words_and_needs_a_count_column():
    a, b = _pair(swap=(3, 398), noise=0.05)  # w398 is rare (count 20)
    rep = most_moved(a, b, top=3, min_count=100)
    assert "w398" not in set(rep.table["key"]) and rep.table["key"][0] == "w3"
    assert rep.candidates == 391
    bare_a, bare_b = (EmbeddingSpace(s.keys, s.vectors, name=s.name) for s in (a, b))
    with pytest.raises(InvalidParameterError, match="count"):
        most_moved(bare_a, bare_b, min_count=5)
    with pytest.raises(EmptyInputError, match="frequency filter"):
        most_moved(a, b, min_count=10**9)


def test_no_shared_keys_and_bad_parameters():
    a = EmbeddingSpace(["x", "y"], np.eye(2), name="a")
    b = EmbeddingSpace(["p", "q"], np.eye(2), name="b")
    with pytest.raises(EmptyInputError, match="share 0 key"):
        align(a, b)
    a2, b2 = _pair(n=50)
    with pytest.raises(InvalidParameterError, match="measure"):
        most_moved(a2, b2, measure="euclid")
    with pytest.raises(UnknownKeyError):
        knn_overlap(a2, b2, ["nope"], k=5)
    with pytest.raises(InvalidParameterError, match="k must be"):
        knn_overlap(a2, b2, ["w1"], k=50)


def test_spaces_of_different_dimensions_align_semi_orthogonally():
    rng = np.random.default_rng(3)
    keys = [f"w{i}" for i in range(200)]
    x = rng.normal(size=(200, 8))
    embed = _rotation(12)[:8]  # 8 orthonormal rows: an isometry from 8 into 12 dimensions
    a, b = EmbeddingSpace(keys, x, name="small"), EmbeddingSpace(keys, x @ embed, name="big")
    al = align(a, b)
    assert al.rotation.shape == (8, 12) and al.mean_cosine == pytest.approx(1.0, abs=1e-5)
    assert "isometrically" in al.note
    assert "projects" in align(b, a).note


def test_orthogonal_map_recovers_a_planted_rotation_and_translates_held_out_words():
    a, b = _pair(n=300, noise=0.01)
    train, test = split_pairs(identity_pairs(a, b), 0.3, random_state=0)
    assert not {x for x, _ in train} & {x for x, _ in test}
    lm = LinearMap().fit(a, b, train)
    np.testing.assert_allclose(lm.W_, _rotation(a.dim), atol=0.02)
    res = lm.precision(a, b, test)
    assert res["p@1"] == 1.0 and res["n"] == 90
    word = test[0][0]
    assert lm.translate(a, b, word, topn=3)[0][0] == word
    mapped = lm.transform(a)
    assert mapped.dim == b.dim and mapped.info["mapping"]["pairs"] == lm.n_pairs_


def test_least_squares_map_recovers_a_general_linear_map():
    rng = np.random.default_rng(5)
    keys = [f"w{i}" for i in range(300)]
    x = rng.normal(size=(300, 10))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    m = rng.normal(size=(10, 6))  # not orthogonal, and a different dimension
    a, b = EmbeddingSpace(keys, x, name="a"), EmbeddingSpace(keys, x @ m, name="b")
    train, test = split_pairs(identity_pairs(a, b), 0.2)
    lm = LinearMap(orthogonal=False).fit(a, b, train)
    assert lm.W_.shape == (10, 6)
    assert lm.precision(a, b, test)["p@1"] >= 0.9


def test_mapping_bad_inputs():
    a, b = _pair(n=50)
    with pytest.raises(InvalidParameterError, match="not fitted"):
        LinearMap().translate(a, b, "w1")
    with pytest.raises(EmptyInputError, match="seed pairs"):
        LinearMap().fit(a, b, [("nope", "w1"), ("w1", "nada")])
    lm = LinearMap().fit(a, b, identity_pairs(a, b))
    other = EmbeddingSpace(["w1", "w2"], np.eye(2, 5), name="five-d")
    with pytest.raises(DimensionError, match="5"):
        lm.transform(other)
    with pytest.raises(UnknownKeyError):
        lm.translate(a, b, "unknown-word")
    with pytest.raises(EmptyInputError, match="test pairs"):
        lm.precision(a, b, [("x", "y")])
    with pytest.raises(InvalidParameterError, match="held-out"):
        split_pairs([("a", "a")], 0.5)


def test_seed_pairs_none_usable_names_a_few_and_what_is_missing():
    from embedlab.compare import seed_pairs

    a, b = _pair(n=50)
    pairs = [("Hund", "w1"), ("w2", "Katze"), ("Haus", "Baum"), ("x", "y")]
    with pytest.raises(EmptyInputError) as err:
        seed_pairs(pairs, a, b)
    msg = str(err.value)
    assert "None of the 4 seed pairs" in msg and "between" not in msg
    assert "'Hund' → 'w1' ('Hund' is not in a)" in msg and "'w2' → 'Katze' ('Katze' is not in b)" in msg
    assert "'Haus' is not in a, 'Baum' is not in b" in msg and "'x'" not in msg  # three examples
    with pytest.raises(EmptyInputError, match="share no keys"):
        seed_pairs([], a, b)
    assert seed_pairs([("w1", "w1"), ("nope", "w2"), ("w3", "w3")], a, b, limit=1) == [("w1", "w1")]


def test_split_pairs_of_few_source_words():
    train, test = split_pairs([("w1", "w1"), ("w2", "w2")], 0.2)  # a share holds out at least one
    assert len(train) == 1 and len(test) == 1
    with pytest.raises(InvalidParameterError, match="1 distinct source word"):
        split_pairs([("w1", "w1"), ("w1", "w2")], 0.2)


def test_procrustes_is_orthogonal():
    rng = np.random.default_rng(0)
    r = procrustes(rng.normal(size=(30, 6)), rng.normal(size=(30, 6)))
    np.testing.assert_allclose(r.T @ r, np.eye(6), atol=1e-5)


def test_trace_points_share_one_plane():
    a, b = _pair(n=60, swap=(3, 7))
    al = align(a, b)
    df = trace_points([al.space, b], ["A", "B"], ["w3", "w5"], k=3)
    words = df[df.role == "word"]
    assert list(words["slice"]) == ["A", "B", "A", "B"] and np.isfinite(df[["x", "y"]].to_numpy()).all()
    w5 = words[words.word == "w5"][["x", "y"]].to_numpy()
    w3 = words[words.word == "w3"][["x", "y"]].to_numpy()
    assert np.linalg.norm(w5[0] - w5[1]) < 1e-3 < np.linalg.norm(w3[0] - w3[1])  # only the moved word moves
    with pytest.raises(EmptyInputError):
        trace_points([a], ["A"], ["nope"])


# ------------------------------------------------- seed dictionaries: one reader and one fit for page and CLI
def test_read_pairs_tabs_spaces_comments_and_bom(tmp_path):
    text = "\ufeff# source target\nking\troi\n\n  # indented comment\nnew york\tnueva york\tx\nqueen  reine\n"
    want = [("king", "roi"), ("new york", "nueva york"), ("queen", "reine")]
    assert read_pairs(text.encode("utf-8")) == want  # an upload's bytes
    path = tmp_path / "dict.tsv"
    path.write_text(text, encoding="utf-8")
    assert read_pairs(path) == read_pairs(str(path)) == want  # a file


def test_read_pairs_errors_name_the_bad_line(tmp_path):
    with pytest.raises(FormatError, match=r"my\.tsv, line 3: 'lonely' is not a pair"):
        read_pairs(b"a\tb\n# c\nlonely\n", name="my.tsv")
    assert read_pairs(b"a\tb\n\xe9t\xe9\tsummer\n", name="latin.tsv")[1] == ("\xe9t\xe9", "summer")  # cp1252
    with pytest.raises(EmptyInputError, match="no word pairs"):
        read_pairs(b"# only a comment\n\n")
    with pytest.raises(InputTooLargeError, match="big.tsv"):
        read_pairs(b"a\tb\n" * 100, name="big.tsv", max_bytes=50)
    big = tmp_path / "big.tsv"
    big.write_bytes(b"a\tb\n" * 100)
    with pytest.raises(InputTooLargeError):
        read_pairs(big, max_bytes=50)
    with pytest.raises(InvalidParameterError, match="does not exist"):
        read_pairs(tmp_path / "missing.tsv")


def test_fit_map_on_shared_words_and_on_a_dictionary():
    a, b = _pair(n=300, noise=0.01)
    lm, prec = fit_map(a, b, test_size=0.3)
    assert lm.orthogonal and lm.n_pairs_ == 210 and prec["n"] == 90 and prec["p@1"] == 1.0
    pairs = read_pairs("\n".join(f"w{i}\tw{i}" for i in range(100)).encode())
    lm, prec = fit_map(a, b, pairs, orthogonal=False, max_pairs=50)
    assert not lm.orthogonal and lm.n_pairs_ == 40 and prec["n"] == 10
    with pytest.raises(EmptyInputError, match="Only 1 of 2 seed pairs"):
        fit_map(a, b, [("w1", "w1"), ("nope", "w2")])
