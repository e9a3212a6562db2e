"""The numba-compiled GloVe AdaGrad pass (imported lazily by :mod:`embedlab.train.glove`).

Memory layout, chosen for cache locality: ``W`` and ``C`` are ``(V, 2, dim)`` holding each word's vector
and its AdaGrad squared-gradient sums side by side; ``B`` is ``(V, 4)``: ``[b, gb, b~, gb~]``.
``error_model="numpy"`` drops the per-division zero check so the inner loops vectorise.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(nogil=True, fastmath=True, error_model="numpy", cache=True)
def adagrad_pass(rows, cols, logx, fx, W, C, B, lr, lo, hi):  # pragma: no cover - compiled
    """AdaGrad updates for non-zeros ``lo:hi`` (pre-shuffled); returns the summed cost ``0.5 f(x) e^2``."""
    dim = W.shape[2]
    cost = 0.0
    clip = np.float32(100.0)
    for k in range(lo, hi):
        i = rows[k]
        j = cols[k]
        wi, gi, wj, gj = W[i, 0], W[i, 1], C[j, 0], C[j, 1]
        diff = B[i, 0] + B[j, 2] - logx[k]
        for d in range(dim):
            diff += wi[d] * wj[d]
        fdiff = fx[k] * diff
        cost += 0.5 * fdiff * diff
        fdiff = min(max(fdiff * lr, -clip), clip)
        for d in range(dim):
            t1 = fdiff * wj[d]
            t2 = fdiff * wi[d]
            wi[d] -= t1 / np.sqrt(gi[d])
            wj[d] -= t2 / np.sqrt(gj[d])
            gi[d] += t1 * t1
            gj[d] += t2 * t2
        B[i, 0] -= fdiff / np.sqrt(B[i, 1])
        B[j, 2] -= fdiff / np.sqrt(B[j, 3])
        B[i, 1] += fdiff * fdiff
        B[j, 3] += fdiff * fdiff
    return cost
