"""EmbeddingSpace: read-only float32 storage, no aliasing, subsetting, derived views, lookups."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from embedlab.errors import (
    DimensionError,
    EmbedlabError,
    EmptyInputError,
    InvalidParameterError,
    UnknownKeyError,
)
from embedlab.space import EmbeddingSpace


@pytest.fixture
def small():
    rng = np.random.default_rng(1)
    keys = ["the", "King", "king", "queen", "kings", "apple", "Paris", "paris"]
    meta = pd.DataFrame({"rank": np.arange(1, len(keys) + 1), "pos": list("dnnnnnnn")})
    return EmbeddingSpace(keys, rng.normal(size=(len(keys), 6)), meta, name="small", info={"source": "test"})


def test_vectors_are_float32_and_read_only(small):
    assert small.vectors.dtype == np.float32
    assert small.vectors.flags.c_contiguous
    with pytest.raises(ValueError):
        small.vectors[0, 0] = 1.0
    with pytest.raises(ValueError):
        small.normed[0, 0] = 1.0
    with pytest.raises(ValueError):
        small.norms[0] = 1.0
    with pytest.raises(ValueError):
        small.vector("king")[0] = 1.0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_callers_array_is_not_aliased(dtype):
    arr = np.arange(12, dtype=dtype).reshape(4, 3)
    sp = EmbeddingSpace(list("abcd"), arr, name="t")
    arr[0, 0] = 99.0
    assert sp.vectors[0, 0] == 0.0
    assert not np.shares_memory(sp.vectors, arr)


def test_read_only_view_of_writable_array_is_copied():
    arr = np.zeros((3, 2), dtype=np.float32)
    view = arr[:]
    view.flags.writeable = False
    sp = EmbeddingSpace(list("abc"), view, name="t")
    arr[1, 1] = 5.0
    assert sp.vectors[1, 1] == 0.0


def test_read_only_arrays_are_shared_not_copied(small):
    again = EmbeddingSpace(small.keys, small.vectors, name="again")
    assert np.shares_memory(again.vectors, small.vectors)
    assert small.renamed("x").vectors is small.vectors


def test_list_input_and_transposed_input():
    sp = EmbeddingSpace(["a", "b"], [[1, 2, 3], [4, 5, 6]], name="t")
    assert sp.vectors.dtype == np.float32 and sp.dim == 3
    t = EmbeddingSpace(["a", "b"], np.arange(6, dtype=np.float32).reshape(3, 2).T, name="t")
    assert t.vectors.flags.c_contiguous and t.vector("b").tolist() == [1.0, 3.0, 5.0]


def test_shape_mismatch_errors_name_the_problem():
    with pytest.raises(DimensionError, match="3 keys but 2 vector rows"):
        EmbeddingSpace(["a", "b", "c"], np.zeros((2, 4)), name="t")
    with pytest.raises(DimensionError, match="2-D"):
        EmbeddingSpace(["a"], np.zeros((1, 2, 2)), name="t")
    with pytest.raises(DimensionError, match="metadata has 1 rows"):
        EmbeddingSpace(["a", "b"], np.zeros((2, 2)), pd.DataFrame({"x": [1]}), name="t")


def test_meta_and_info_are_copies(small):
    m = small.meta
    m.loc[0, "rank"] = 999
    assert small.meta.loc[0, "rank"] == 1
    info = {"a": 1}
    sp = EmbeddingSpace(["x"], [[1.0]], info=info)
    info["a"] = 2
    assert sp.info == {"a": 1}


def test_subset_returns_new_space_with_matching_meta(small):
    sub = small.subset(["queen", "the", "paris"])
    assert sub is not small and sub.keys == ("queen", "the", "paris")
    assert sub.meta["rank"].tolist() == [4, 1, 8]
    assert sub.meta["pos"].tolist() == ["n", "d", "n"]
    np.testing.assert_array_equal(sub.vectors[0], small.vector("queen"))
    assert sub.info == small.info and len(small) == 8
    by_rows = small.subset(np.array([1, 2]))
    assert by_rows.keys == ("King", "king")
    mask = np.zeros(len(small), bool)
    mask[[0, 5]] = True
    assert small.subset(mask).keys == ("the", "apple")
    assert small.head(3).keys == ("the", "King", "king") and small.head(3).meta["rank"].tolist() == [1, 2, 3]
    with pytest.raises(EmptyInputError):
        small.subset([])
    with pytest.raises(InvalidParameterError, match="out of range"):
        small.subset([0, 8])
    with pytest.raises(UnknownKeyError):
        small.subset(["nope"])


def test_with_vectors_with_meta_renamed(small):
    new = small.with_vectors(np.ones((8, 6)), info={"debiased": True})
    assert new.keys == small.keys and new.info["debiased"] and new.info["source"] == "test"
    assert new.meta["rank"].tolist() == small.meta["rank"].tolist()
    m = small.with_meta(cluster=range(8), tag="x")
    assert m.meta_columns == ["rank", "pos", "cluster", "tag"] and small.meta_columns == ["rank", "pos"]
    assert m.meta_column("cluster").tolist() == list(range(8))
    with pytest.raises(EmbedlabError, match="no metadata column 'nope'"):
        small.meta_column("nope")
    assert small.renamed("other").name == "other"


def test_normed_rows_are_unit_and_zero_rows_stay_zero():
    rng = np.random.default_rng(3)
    vecs = rng.normal(size=(50, 7)) * rng.uniform(0.1, 10, size=(50, 1))
    vecs[3] = 0
    sp = EmbeddingSpace([f"w{i}" for i in range(50)], vecs)
    norms = np.linalg.norm(sp.normed, axis=1)
    np.testing.assert_allclose(np.delete(norms, 3), 1.0, rtol=1e-5)
    assert norms[3] == 0
    assert sp.normed is sp.normed  # computed once
    np.testing.assert_allclose(sp.norms, np.linalg.norm(vecs, axis=1), rtol=1e-5)


def test_fingerprint_depends_on_content_only(small):
    same = EmbeddingSpace(small.keys, small.vectors, name="other-name")
    assert same.fingerprint == small.fingerprint
    assert small.with_vectors(small.vectors * 2).fingerprint != small.fingerprint


def test_resolve_is_exact_first_then_case_folded(small):
    assert small.resolve("king") == "king"
    assert small.resolve("King") == "King"
    assert small.resolve("KING") == "King"  # first case variant in row order
    assert small.resolve("PARIS") == "Paris"
    with pytest.raises(UnknownKeyError) as err:
        small.resolve("kingg")
    assert "kingg" in str(err.value) and "Did you mean" in str(err.value)


def test_suggest_finds_close_vocabulary():
    sp = EmbeddingSpace(["king", "queen", "kingdom", "apple"], np.eye(4), name="v")
    assert sp.suggest("kingg")[0] == "king"
    assert sp.suggest("King")[0] == "king"
    assert "queen" in sp.suggest("quen")
    assert sp.suggest("zzzzzz") == []
    with pytest.raises(UnknownKeyError) as err:
        sp.index("kingg")
    assert err.value.suggestions[0] == "king"
    assert "'king'" in str(err.value)


def test_lookups_and_container_protocol(small):
    assert "queen" in small and "QUEEN" not in small
    assert list(small)[:2] == ["the", "King"] and len(small) == 8
    assert small.index("queen") == 3
    assert small.indices(["queen", "the"]).tolist() == [3, 0]
    np.testing.assert_array_equal(small["queen"], small.vectors[3])
    assert small.similarity("king", "king") == pytest.approx(1.0, abs=1e-6)
    assert "n=8" in repr(small)


def test_from_dict_and_to_frame():
    sp = EmbeddingSpace.from_dict({"a": [1, 0], "b": [0, 1]}, name="d")
    assert sp.keys == ("a", "b") and sp.to_frame()["key"].tolist() == ["a", "b"]
    with pytest.raises(EmptyInputError):
        EmbeddingSpace.from_dict({})
