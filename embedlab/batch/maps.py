"""Maps of millions of points: a projection fitted on a seeded sample, then applied to every row in
parallel on the Dask cluster (``transform`` in chunks), written to ``DIR/maps/<method>.npy``.

PCA's ``transform`` is exact (the same components for every row); UMAP's places each new point from its
neighbours among the fitted sample (umap-learn's ``transform``), which is how UMAP scales past what one
fit can hold. The sample and the fit are the Map page's own (:mod:`embedlab.projection.sampled`,
``UMAPProjection(max_fit=sample).fit_sample``). The coordinates are also put in the projection cache under
the space's fingerprint and the method's default parameters (UMAP's ``max_fit`` = ``sample``: the page's
default at the default 20,000), so the Map page, with "all points" selected, draws them at once (a density
layer of all points with a stated sample on top) instead of fitting again.
"""

from __future__ import annotations

import json
import time
import uuid
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from embedlab.batch.cluster import connect, worker_count
from embedlab.errors import InvalidParameterError
from embedlab.progress import Progress, report
from embedlab.space import EmbeddingSpace
from embedlab.workspace import cache_dir

METHODS = ("pca", "umap")


@dataclass
class MapResult:
    """Where the coordinates went and what it took."""

    path: str
    method: str
    rows: int
    sample: int
    fit_seconds: float
    transform_seconds: float
    workers: int
    cached_for_map_page: bool

    def to_dict(self) -> dict:
        return asdict(self)


def fit_on_sample(space: EmbeddingSpace, method: str = "pca", sample: int = 20_000, random_state: int = 0,
                  progress: Progress | None = None):
    """A fitted estimator with ``transform``: PCA (:class:`~embedlab.projection.PCAProjection`) or UMAP
    (:meth:`~embedlab.projection.UMAPProjection.fit_sample`, the Map page's parameters and sampler), fitted on
    ``sample`` seeded random unit rows."""
    from embedlab.projection import PCAProjection, UMAPProjection
    from embedlab.projection.sampled import sample_rows

    if method not in METHODS:
        raise InvalidParameterError(f"method must be one of {', '.join(METHODS)}; got {method!r}.")
    if int(sample) < 3:
        raise InvalidParameterError(f"sample must be at least 3 points; got {sample}.")
    if method == "umap":
        return UMAPProjection(random_state=random_state, max_fit=int(sample)).fit_sample(space, progress)
    rows = sample_rows(len(space), int(sample), random_state)
    x = np.ascontiguousarray(space.normed[rows], dtype=np.float32)
    return PCAProjection(n_components=2, random_state=random_state).fit(x)


def _publish(space: EmbeddingSpace, method: str, coords: np.ndarray, sample: int) -> bool:
    """Put the coordinates where the Map page looks for this space's projection (default parameters; for
    UMAP, fitted on ``sample`` points: the page's own key when ``sample`` is its ``max_fit``)."""
    from embedlab.projection.cache import _write_atomic, cache_key

    params = {"max_fit": sample} if method == "umap" else {}
    _write_atomic(cache_dir("projections") / f"{cache_key(space, method, 2, **params)}.npy", coords)
    return True


def project_space(space: EmbeddingSpace, out: str | Path, method: str = "pca", sample: int = 20_000,
                  chunk: int = 50_000, client=None, workers: int = 2, scheduler: str | None = None,
                  random_state: int = 0, publish: bool = True, progress: Progress | None = None
                  ) -> MapResult:
    """Fit ``method`` on a sample, transform every row on the cluster, write ``<out>/maps/<method>.npy``.

    Rows are sent to the workers in chunks of ``chunk`` (at most two chunks a worker in flight), so the
    client holds a few chunks at a time however big the space; results are written straight into a
    memory-mapped output file.
    """
    if int(chunk) < 1:
        raise InvalidParameterError(f"chunk must be at least 1 row; got {chunk}.")
    t0 = time.perf_counter()
    est = fit_on_sample(space, method, sample, random_state, progress)
    fit_s = time.perf_counter() - t0
    report(progress, 0, len(space), f"fitted {method} on {min(int(sample), len(space)):,} points "
                                    f"in {fit_s:.1f} s")
    if client is None:
        with connect(workers, scheduler) as c:
            return _apply(space, Path(out), method, est, int(sample), int(chunk), c, fit_s, publish, progress)
    return _apply(space, Path(out), method, est, int(sample), int(chunk), client, fit_s, publish, progress)


def _apply(space: EmbeddingSpace, out: Path, method: str, est, sample: int, chunk: int, client,
           fit_s: float, publish: bool, progress: Progress | None) -> MapResult:
    from distributed import as_completed

    from embedlab.projection.sampled import transform_block

    n = len(space)
    n_workers = max(1, worker_count(client))
    folder = out / "maps"
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{method}.{uuid.uuid4().hex[:8]}.npy"
    coords = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.float32, shape=(n, 2))
    t0 = time.perf_counter()
    try:
        [shared] = client.scatter([est], broadcast=True)
        done, pending, starts = as_completed(loop=client.loop), {}, iter(range(0, n, chunk))
        finished = 0
        for a in starts:
            while len(pending) >= 2 * n_workers:
                finished += _store(next(done), pending, coords)
                report(progress, finished, n, f"projected {finished:,} / {n:,} points")
            block = np.ascontiguousarray(space.normed[a: a + chunk], dtype=np.float32)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fut = client.submit(transform_block, shared, block, pure=False)
            pending[fut] = a
            done.add(fut)
        while pending:
            finished += _store(next(done), pending, coords)
            report(progress, finished, n, f"projected {finished:,} / {n:,} points")
        coords.flush()
        final = folder / f"{method}.npy"
        tmp.replace(final)
    finally:
        tmp.unlink(missing_ok=True)
    transform_s = time.perf_counter() - t0
    result = np.load(final, mmap_mode="r")
    cached = _publish(space, method, np.asarray(result), sample) if publish else False
    res = MapResult(str(final), method, n, min(sample, n), round(fit_s, 3), round(transform_s, 3), n_workers,
                    cached)
    (folder / f"{method}.json").write_text(json.dumps(res.to_dict(), indent=2), encoding="utf-8")
    return res


def _store(fut, pending: dict, coords: np.ndarray) -> int:
    a = pending.pop(fut)
    block = fut.result()
    coords[a: a + len(block)] = block
    return len(block)
