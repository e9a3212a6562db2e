"""The numba-compiled GloVe AdaGrad pass (imported lazily by :mod:`embedlab.train.glove`)."""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(nogil=True, fastmath=True, cache=True)
def adagrad_pass(rows, cols, logx, fx, w, wc, b, bc, gw, gwc, gb, gbc, lr, lo, hi):  # pragma: no cover
    """AdaGrad updates for non-zeros ``lo:hi`` (pre-shuffled); returns the summed cost ``0.5 f(x) e^2``."""
    dim = w.shape[1]
    cost = 0.0
    for k in range(lo, hi):
        i, j = rows[k], cols[k]
        diff = b[i] + bc[j] - logx[k]
        for d in range(dim):
            diff += w[i, d] * wc[j, d]
        fdiff = fx[k] * diff
        cost += 0.5 * fdiff * diff
        fdiff *= lr
        if fdiff > 100.0:
            fdiff = 100.0
        elif fdiff < -100.0:
            fdiff = -100.0
        for d in range(dim):
            t1 = fdiff * wc[j, d]
            t2 = fdiff * w[i, d]
            w[i, d] -= t1 / np.sqrt(gw[i, d])
            wc[j, d] -= t2 / np.sqrt(gwc[j, d])
            gw[i, d] += t1 * t1
            gwc[j, d] += t2 * t2
        b[i] -= fdiff / np.sqrt(gb[i])
        bc[j] -= fdiff / np.sqrt(gbc[j])
        gb[i] += fdiff * fdiff
        gbc[j] += fdiff * fdiff
    return cost
