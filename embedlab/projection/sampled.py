"""Maps of more points than one fit can hold: fit on a seeded sample, place the rest with ``transform``.

UMAP of all 400,000 GloVe words in one fit took the server from 1.2 to 3.6 GB and a core for more than
6.5 minutes. Fitted on 20,000 of them (:data:`MAX_FIT`) and with the other rows placed from their
neighbours among the fitted points (umap-learn's ``transform``) in chunks of :data:`CHUNK`, the work is
bounded by the sample and the chunk, whatever the size of the space; progress is reported per chunk, and a
progress callback that raises (:meth:`embedlab.jobs.JobContext.checkpoint`) stops the work at the next one.
Measured on GloVe 400k × 50 (``benchmarks/hostile/cases_pages.py``, a shared 2-core machine): 139 s, peak
0.87 GB for the whole process (0.58 GB with the space loaded and umap imported); the first run in a fresh
environment also compiles numba's kernels (cached on disk afterwards): 337 s on a busy machine, 1.26 GB.

:class:`~embedlab.projection.UMAPProjection` uses this past ``max_fit`` points (the Map page), and
:func:`embedlab.batch.maps.project_space` uses the same sample and fit before transforming on a Dask
cluster (``embedlab batch project``). Nothing here imports the estimators (they import this module).
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np

from embedlab.progress import Progress, report

MAX_FIT = 20_000  # points a UMAP is fitted on at most; the rest are placed by transform
CHUNK = 20_000  # rows placed per transform call (umap-learn runs 30 layout epochs for chunks past 10,000)


def sample_rows(n: int, sample: int, random_state: int = 0) -> np.ndarray:
    """Sorted rows of a seeded random sample of ``min(sample, n)`` of ``n`` rows (all rows if fewer)."""
    if int(sample) >= n:
        return np.arange(n)
    return np.sort(np.random.default_rng(random_state).choice(n, size=int(sample), replace=False))


class TqdmToProgress:
    """A file-like sink for UMAP's tqdm epoch bar that forwards ``n/total`` to a progress callback."""

    _pattern = re.compile(r"(\d+)/(\d+)")

    def __init__(self, progress: Progress, start: float, span: float) -> None:
        self.progress, self.start, self.span = progress, start, span

    def write(self, text: str) -> None:
        m = self._pattern.findall(text)
        if m:
            done, total = (int(v) for v in m[-1])
            if total:
                frac = self.start + self.span * done / total
                self.progress(frac, 1.0, f"optimising layout (epoch {done}/{total})")

    def flush(self) -> None:
        return None


def fit_umap_model(x: np.ndarray, n_components: int, n_neighbors: int, min_dist: float, metric: str,
                   random_state: int, progress: Progress | None = None, span: tuple[float, float] = (0, 1)):
    """An umap-learn ``UMAP`` fitted on the rows ``x`` (its own neighbour index, so ``transform`` works).

    Layout epochs are reported between ``span[0]`` and ``span[0] + span[1]``. The returned model carries
    no callback (it can be pickled and sent to workers).
    """
    from umap import UMAP

    tqdm = {"disable": progress is None, "bar_format": "{n}/{total}", "mininterval": 0.5}
    if progress is not None:
        tqdm["file"] = TqdmToProgress(progress, *span)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = UMAP(n_components=n_components, n_neighbors=min(int(n_neighbors), len(x) - 1),
                     min_dist=min_dist, metric=metric, random_state=random_state, n_jobs=1,
                     tqdm_kwds=tqdm).fit(x)
    model.tqdm_kwds = {"disable": True}
    return model


def transform_block(model: Any, block: np.ndarray) -> np.ndarray:
    """Coordinates of one block of rows from a fitted model (float32; runs on a worker too)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(model.transform(block), dtype=np.float32)


def place_rest(model: Any, x: np.ndarray, fitted: np.ndarray, chunk: int = CHUNK,
               progress: Progress | None = None) -> np.ndarray:
    """Coordinates of every row of ``x``: the ``fitted`` rows where the fit put them, the others from
    ``model.transform`` in chunks of ``chunk`` rows (progress after each)."""
    n = len(x)
    out = np.empty((n, model.embedding_.shape[1]), dtype=np.float32)
    out[fitted] = model.embedding_
    rest = np.setdiff1d(np.arange(n), fitted, assume_unique=True)
    report(progress, len(fitted), n, f"fitted {len(fitted):,} points; placing the other {len(rest):,}")
    for a in range(0, len(rest), chunk):
        rows = rest[a: a + chunk]
        out[rows] = transform_block(model, np.ascontiguousarray(x[rows], dtype=np.float32))
        done = len(fitted) + a + len(rows)
        report(progress, done, n, f"placed {done:,} of {n:,} points")
    return out
