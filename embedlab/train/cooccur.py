"""Weighted word-word co-occurrence counts for GloVe, kept sparse (never a dense V×V matrix).

A pair of in-vocabulary tokens ``d`` positions apart inside one sentence (``1 <= d <= window``) adds
``1 / d`` to ``X[i, j]`` and, the window being symmetric, to ``X[j, i]``. Out-of-vocabulary tokens are
dropped before windowing (as the reference C implementation does). The counting is vectorised per offset
and reduced chunk by chunk, so memory grows with the number of distinct pairs, not with V².
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import numpy as np

from embedlab.errors import InvalidParameterError
from embedlab.progress import Progress

CHUNK_TOKENS = 1_000_000


def encode(sentences: Sequence[Sequence[str]], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Token ids (int32, OOV dropped) and the sentence number of each token (int32)."""
    n = sum(map(len, sentences))
    get = vocab.get
    ids = np.fromiter((get(w, -1) for w in chain.from_iterable(sentences)), dtype=np.int32, count=n)
    sid = np.repeat(np.arange(len(sentences), dtype=np.int32), [len(s) for s in sentences])
    keep = ids >= 0
    return ids[keep], sid[keep]


def _chunk_counts(ids: np.ndarray, sid: np.ndarray, lo: int, hi: int, window: int, vocab_size: int):
    """Right-context counts for centres in ``[lo, hi)`` as a CSR matrix (duplicates summed, no sorting)."""
    from scipy.sparse import coo_matrix

    rows, cols, weights = [], [], []
    n = len(ids)
    for d in range(1, window + 1):
        end = min(hi, n - d)
        if end <= lo:
            break
        same = sid[lo:end] == sid[lo + d:end + d]
        rows.append(ids[lo:end][same])
        cols.append(ids[lo + d:end + d][same])
        weights.append(np.full(int(same.sum()), 1.0 / d, dtype=np.float64))
    if not rows:
        return coo_matrix((vocab_size, vocab_size)).tocsr()
    return coo_matrix((np.concatenate(weights), (np.concatenate(rows), np.concatenate(cols))),
                      shape=(vocab_size, vocab_size)).tocsr()


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

    Notes
    -----
    Right-hand contexts are counted chunk by chunk into CSR matrices (scipy sums duplicates while
    converting, in linear time) and added up; the symmetric window is then ``R + R.T``.
    """
    from scipy.sparse import csr_matrix

    if int(window) < 1:
        raise InvalidParameterError(f"window must be at least 1; got {window}.")
    n = len(ids)
    acc = csr_matrix((vocab_size, vocab_size), dtype=np.float64)
    for lo in range(0, max(n, 1), CHUNK_TOKENS):
        acc = acc + _chunk_counts(ids, sid, lo, min(lo + CHUNK_TOKENS, n), int(window), vocab_size)
        if progress is not None:
            progress(min(lo + CHUNK_TOKENS, n), n, "counting co-occurrences")
    sym = (acc + acc.T).tocoo()
    sym.sum_duplicates()
    return sym
