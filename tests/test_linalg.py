"""The lowest floor's helpers: top_k_rows (the one batched top-k of the library)."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.errors import InvalidParameterError
from embedlab.linalg import top_k_rows


def test_top_k_rows_matches_a_stable_full_sort_with_many_ties():
    rng = np.random.default_rng(0)
    for _ in range(200):
        m, n = int(rng.integers(1, 6)), int(rng.integers(1, 40))
        scores = rng.integers(0, 4, size=(m, n)).astype(np.float32)  # few values: ties everywhere
        k = int(rng.integers(1, n + 1))
        want = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        assert np.array_equal(top_k_rows(scores, k), want)


def test_top_k_rows_best_first_and_ties_to_the_lower_column():
    scores = np.array([[0.1, 0.9, 0.5, 0.9, 0.2],
                       [1.0, 1.0, 1.0, 1.0, 1.0]], dtype=np.float32)
    assert top_k_rows(scores, 3).tolist() == [[1, 3, 2], [0, 1, 2]]
    assert top_k_rows(scores[0], 2).tolist() == [1, 3]  # one row in, one row out
    assert top_k_rows(scores, 1).dtype == np.int64


def test_top_k_rows_k_past_n_nan_and_minus_infinity():
    assert top_k_rows([[3.0, 1.0, 2.0]], 10).tolist() == [[0, 2, 1]]  # k > n: all n columns
    assert top_k_rows([np.nan, 1.0, -np.inf, 0.5], 4).tolist() == [1, 3, 0, 2]  # NaN last but -inf
    assert top_k_rows([[5, 7, 6]], 2).tolist() == [[1, 2]]  # integers too
    assert top_k_rows(np.zeros((3, 0)), 2).shape == (3, 0)


@pytest.mark.parametrize("k", [0, -1])
def test_top_k_rows_refuses_k_below_one(k):
    with pytest.raises(InvalidParameterError, match="at least 1"):
        top_k_rows(np.ones((2, 3)), k)
