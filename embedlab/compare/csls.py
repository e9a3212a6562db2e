"""Cross-domain similarity local scaling (CSLS; Conneau et al. 2018, "Word translation without parallel
data").

Nearest-neighbour retrieval across two spaces suffers from *hubs*: a few target vectors sit close to
everything and become the translation of many unrelated words. CSLS discounts each vector by how close its
own neighbourhood in the other space is::

    CSLS(x, y) = 2 cos(Wx, y) − r_T(Wx) − r_S(y)

where ``r_T(Wx)`` is the mean cosine of the mapped source vector to its ``k`` nearest target vectors and
``r_S(y)`` the mean cosine of ``y`` to its ``k`` nearest mapped source vectors (``k = 10``). A hub has a
large ``r_S`` and loses its advantage. Every function here works on unit rows, in batches of rows so that
no full ``n_source × n_target`` matrix is ever made.
"""

from __future__ import annotations

import numpy as np

from embedlab.linalg import top_k_rows

CSLS_K = 10
BATCH = 2048


def knn_mean(queries: np.ndarray, base: np.ndarray, k: int = CSLS_K, batch: int = BATCH) -> np.ndarray:
    """Mean cosine of each query row to its ``k`` nearest rows of ``base`` (unit rows): ``r`` of CSLS."""
    k = min(int(k), len(base))
    out = np.empty(len(queries), dtype=np.float32)
    for s in range(0, len(queries), batch):
        sims = queries[s:s + batch] @ base.T
        out[s:s + batch] = np.partition(sims, sims.shape[1] - k, axis=1)[:, -k:].mean(axis=1)
    return out


def nearest(queries: np.ndarray, base: np.ndarray, k: int, r_query: np.ndarray | None = None,
            r_base: np.ndarray | None = None, batch: int = BATCH) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best rows of ``base`` for each query row, best first, and their scores.

    With ``r_query`` and ``r_base`` (see :func:`knn_mean`) the score is CSLS; without them, the cosine.
    """
    rows, scores = [], []
    for s in range(0, len(queries), batch):
        sims = queries[s:s + batch] @ base.T
        if r_base is not None and r_query is not None:
            sims = 2 * sims - r_query[s:s + batch, None] - r_base[None, :]
        top = top_k_rows(sims, k)
        rows.append(top)
        scores.append(np.take_along_axis(sims, top, axis=1))
    if not rows:
        return np.zeros((0, k), np.int64), np.zeros((0, k), np.float32)
    return np.concatenate(rows), np.concatenate(scores).astype(np.float32)


def mutual_nearest(source: np.ndarray, target: np.ndarray, k: int = CSLS_K, csls: bool = True,
                   batch: int = BATCH) -> np.ndarray:
    """Index pairs ``(i, j)``: ``target[j]`` is the best match of ``source[i]`` and ``source[i]`` that of
    ``target[j]`` (by CSLS, or cosine): the dictionary a refinement round induces (Conneau et al. 2018).

    A row's own ``r`` does not change which column is its best, so the best matches both ways come from
    one more pass over ``source`` once both ``r`` are known (three products of the two matrices in all).
    Returns an int64 array of shape (m, 2), ordered by ``i``.
    """
    r_s = knn_mean(source, target, k, batch) if csls else np.zeros(len(source), np.float32)
    r_t = knn_mean(target, source, k, batch) if csls else np.zeros(len(target), np.float32)
    forward = np.empty(len(source), dtype=np.int64)
    best_back = np.full(len(target), -np.inf, dtype=np.float32)
    backward = np.zeros(len(target), dtype=np.int64)
    for s in range(0, len(source), batch):
        sims = 2 * (source[s:s + batch] @ target.T)
        forward[s:s + batch] = (sims - r_t[None, :]).argmax(axis=1)
        col = sims - r_s[s:s + batch, None]
        at = col.argmax(axis=0)
        score = col[at, np.arange(len(target))]
        better = score > best_back  # ties keep the earlier (more frequent) source row
        best_back[better], backward[better] = score[better], at[better] + s
    i = np.flatnonzero(backward[forward] == np.arange(len(source)))
    return np.stack([i, forward[i]], axis=1).astype(np.int64)
