"""Small vector helpers used everywhere (the lowest floor: numpy and :mod:`embedlab.errors` only)."""

from __future__ import annotations

import numpy as np

from embedlab.errors import InvalidParameterError

EPS = 1e-12


def normalize_rows(x, eps: float = EPS, dtype=np.float32) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero); a new ``dtype`` array, the input is untouched.

    Parameters
    ----------
    x : array-like, shape (n, d) or (d,)
        Vectors; a single vector is normalised as one row and returned 1-D.
    eps : float
        Norms below this are treated as zero (the row is returned as zeros, never NaN).
    """
    a = np.asarray(x, dtype=dtype)
    one = a.ndim == 1
    a2 = a.reshape(1, -1) if one else a
    norms = np.linalg.norm(a2, axis=1, keepdims=True)
    out = np.divide(a2, norms, out=np.zeros_like(a2), where=norms > eps)
    return out[0] if one else out


def pca_2d(x, center: bool = True) -> np.ndarray:
    """Top-2 principal-component coordinates, shape (n, 2) float32, with a fixed sign convention.

    Each component's sign is chosen so its largest-magnitude loading is positive, so the same input gives
    the same picture on every run. Fewer than two rows (or a rank-1 input) pad with zeros.
    """
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 2 or len(a) == 0:
        return np.zeros((len(a) if a.ndim else 0, 2), np.float32)
    if center:
        a = a - a.mean(axis=0)
    if len(a) < 2:
        return np.zeros((len(a), 2), np.float32)
    _, s, vt = np.linalg.svd(a, full_matrices=False)
    comps = vt[:2]
    signs = np.sign(comps[np.arange(len(comps)), np.abs(comps).argmax(axis=1)])
    signs[signs == 0] = 1.0
    out = a @ (comps * signs[:, None]).T
    out[:, s[:2] <= s[0] * 1e-9] = 0.0  # a direction with no variance (two points: one line) is exactly 0
    if out.shape[1] < 2:
        out = np.c_[out, np.zeros((len(out), 2 - out.shape[1]))]
    return out.astype(np.float32)


def top_k_rows(scores, k: int) -> np.ndarray:
    """Columns of the ``k`` largest scores of each row, best first; ties go to the lower column (stable).

    One O(n) partition a row, then a sort of the ``k`` picked; the one batched top-k of the library (a
    1-D input is one row and gives a 1-D answer).

    Parameters
    ----------
    scores : array-like, shape (m, n) or (n,)
        Scores (higher is better); NaN counts as -inf.
    k : int
        How many columns a row; more than ``n`` gives all ``n``.

    Returns
    -------
    ndarray of int64, shape (m, min(k, n)) or (min(k, n),)

    Raises
    ------
    InvalidParameterError
        ``k`` below 1.
    """
    if int(k) < 1:
        raise InvalidParameterError(f"k must be at least 1 to pick the best scores; got {k}.")
    s = np.asarray(scores)
    one = s.ndim == 1
    s = s.reshape(1, -1) if one else s
    if s.ndim != 2:
        raise InvalidParameterError(f"top_k_rows takes a vector or a matrix of scores; got shape {s.shape}.")
    if not np.issubdtype(s.dtype, np.floating):
        s = s.astype(np.float64)
    if np.isnan(s).any():
        s = np.where(np.isnan(s), -np.inf, s)
    m, n = s.shape
    k = min(int(k), n)
    if k == n:
        cols = np.broadcast_to(np.arange(n), (m, n))
    else:
        kth = np.partition(s, n - k, axis=1)[:, n - k, None]  # the k-th largest score of each row
        above, tied = s > kth, s == kth
        need = k - above.sum(axis=1)  # how many of the tied scores each row takes: the lowest columns
        keep = above | tied
        for i in np.flatnonzero(tied.sum(axis=1) > need):  # rows with a tie across the cut (rare)
            keep[i, np.flatnonzero(tied[i])[need[i]:]] = False
        cols = np.nonzero(keep)[1].reshape(m, k)  # ascending columns
    order = np.argsort(-np.take_along_axis(s, cols, axis=1), axis=1, kind="stable")
    out = np.take_along_axis(cols, order, axis=1).astype(np.int64, copy=False)
    return out[0] if one else out
