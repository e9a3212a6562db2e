"""Small vector helpers used everywhere (the lowest floor: imports numpy only)."""

from __future__ import annotations

import numpy as np

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
