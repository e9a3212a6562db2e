"""Weighted word-word co-occurrence counts for GloVe, kept sparse (never a dense V×V matrix).

A pair of in-vocabulary tokens ``d`` positions apart inside one sentence (``1 <= d <= window``) adds
``1 / d`` to ``X[i, j]`` and, the window being symmetric, to ``X[j, i]``. Out-of-vocabulary tokens are
dropped before windowing (as the reference C implementation does). The counting is vectorised per offset
and reduced chunk by chunk, so memory grows with the number of distinct pairs, not with V².
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from embedlab.errors import InvalidParameterError

Progress = Callable[[float, float, str], None]
CHUNK_TOKENS = 1_000_000


def encode(sentences: Sequence[Sequence[str]], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Token ids (int32, OOV dropped) and the sentence number of each token (int32)."""
    ids: list[int] = []
    sid: list[int] = []
    get = vocab.get
    for n, sent in enumerate(sentences):
        row = [i for i in map(get, sent) if i is not None]
        ids += row
        sid += [n] * len(row)
    return np.asarray(ids, dtype=np.int32), np.asarray(sid, dtype=np.int32)


def _reduce(keys: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum weights of equal keys (sorted unique keys, summed float64 weights)."""
    if len(keys) == 0:
        return keys, weights
    order = np.argsort(keys, kind="stable")
    keys, weights = keys[order], weights[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return keys[starts], np.add.reduceat(weights, starts)


def _chunk_pairs(ids: np.ndarray, sid: np.ndarray, lo: int, hi: int, window: int, vocab_size: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (centre in [lo, hi), context to its right), both directions, as packed keys and weights."""
    keys, weights = [], []
    n = len(ids)
    for d in range(1, window + 1):
        end = min(hi, n - d)
        if end <= lo:
            break
        a, b = ids[lo:end].astype(np.int64), ids[lo + d:end + d].astype(np.int64)
        same = sid[lo:end] == sid[lo + d:end + d]
        a, b = a[same], b[same]
        w = np.full(len(a), 1.0 / d, dtype=np.float64)
        keys += [a * vocab_size + b, b * vocab_size + a]
        weights += [w, w]
    if not keys:
        return np.empty(0, np.int64), np.empty(0, np.float64)
    return _reduce(np.concatenate(keys), np.concatenate(weights))


def cooccurrence(ids: np.ndarray, sid: np.ndarray, vocab_size: int, window: int = 10,
                 progress: Progress | None = None):
    """Symmetric 1/distance-weighted co-occurrence matrix as a ``scipy.sparse.coo_matrix`` (float64).

    Parameters
    ----------
    ids, sid : ndarray
        From :func:`encode`.
    vocab_size : int
    window : int
        Context words on each side.
    progress : callable, optional
        ``progress(done_tokens, total_tokens, message)`` after each chunk.
    """
    from scipy.sparse import coo_matrix

    if int(window) < 1:
        raise InvalidParameterError(f"window must be at least 1; got {window}.")
    n = len(ids)
    acc_k, acc_w = np.empty(0, np.int64), np.empty(0, np.float64)
    for lo in range(0, max(n, 1), CHUNK_TOKENS):
        k, w = _chunk_pairs(ids, sid, lo, min(lo + CHUNK_TOKENS, n), int(window), vocab_size)
        acc_k, acc_w = _reduce(np.concatenate([acc_k, k]), np.concatenate([acc_w, w]))
        if progress is not None:
            progress(min(lo + CHUNK_TOKENS, n), n, "counting co-occurrences")
    rows, cols = np.divmod(acc_k, vocab_size)
    return coo_matrix((acc_w, (rows.astype(np.int32), cols.astype(np.int32))), shape=(vocab_size, vocab_size))
