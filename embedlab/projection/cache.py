"""Projections cached on disk, and computed in background jobs.

A projection is stored as ``<workspace>/cache/projections/<fingerprint>-<method>-<params hash>.npy``,
written to a temporary file and renamed into place, so reopening a computed map is a file read and a
crash never leaves half a file behind.

Background projections are shared: one job per space (by content) and parameters, whoever asks for it.
At most :data:`MAX_RUNNING` of them compute at once on a server (``EMBEDLAB_PROJECTION_JOBS``, default 1:
each takes a core and 0.3-0.7 GB past its space); the next ones wait their turn, saying so in their
progress, and past :data:`MAX_WAITING` waiting a new one is refused with a message
(:class:`ProjectionBusyError`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from embedlab import jobs
from embedlab.errors import EmbedlabError
from embedlab.progress import Progress
from embedlab.projection.estimators import make_projection
from embedlab.space import EmbeddingSpace
from embedlab.workspace import cache_dir

MAX_RUNNING = max(1, int(os.environ.get("EMBEDLAB_PROJECTION_JOBS", "1")))  # per server (process)
MAX_WAITING = 8  # background projections waiting for a turn; one more is refused
_TURNS = threading.Condition()
_BUSY = {"running": 0, "waiting": 0}


class ProjectionBusyError(EmbedlabError):
    """Too many background projections are running or waiting on this server."""


def _token(value: Any) -> str:
    """A stable text form of a parameter value for the cache key."""
    if isinstance(value, EmbeddingSpace):
        return f"space:{value.fingerprint}"
    if isinstance(value, np.ndarray):
        return "array:" + hashlib.blake2b(np.ascontiguousarray(value).tobytes(), digest_size=8).hexdigest()
    if isinstance(value, (list, tuple)):
        return "(" + ",".join(_token(v) for v in value) + ")"
    if isinstance(value, float):
        return repr(float(value))
    return repr(value)


def cache_key(space: EmbeddingSpace, method: str, n_components: int = 2, **params: Any) -> str:
    """File stem identifying ``space`` (by content) + method + all parameters (defaults included)."""
    method = str(method).lower()
    # defaults filled in, so project(s, "umap") and project(s, "umap", n_neighbors=15) share one file
    full = {**make_projection(method, n_components=n_components, **params).get_params(), **params}
    text = ";".join(f"{k}={_token(v)}" for k, v in sorted(full.items()))
    digest = hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
    return f"{space.fingerprint}-{method}-{digest}"


def _path(space: EmbeddingSpace, method: str, n_components: int, params: dict) -> Path:
    return cache_dir("projections") / f"{cache_key(space, method, n_components, **params)}.npy"


def _write_atomic(path: Path, array: np.ndarray) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".npy", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.save(fh, np.ascontiguousarray(array, dtype=np.float32))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cached_projection(space: EmbeddingSpace, method: str, n_components: int = 2, **params: Any
                      ) -> np.ndarray | None:
    """The cached coordinates, or ``None`` when this projection was never computed (never computes)."""
    path = _path(space, method, n_components, params)
    if not path.is_file():
        return None
    try:
        arr = np.load(path, allow_pickle=False)
    except (OSError, ValueError):  # a damaged cache file is ignored (and recomputed by the caller)
        return None
    if arr.shape != (len(space), n_components):
        return None
    return arr.astype(np.float32, copy=False)


def project(space: EmbeddingSpace, method: str = "pca", n_components: int = 2,
            progress: Progress | None = None, **params: Any) -> np.ndarray:
    """Coordinates ``(n, n_components)`` float32 of ``space``, from the disk cache or computed and cached.

    Parameters
    ----------
    space : EmbeddingSpace
        The points to project (usually a selection, see :func:`embedlab.selection.select_points`).
    method : {"pca", "umap", "tsne", "axes"}
    n_components : {2, 3}
    progress : callable(done, total, message), optional
    **params
        Estimator parameters (``n_neighbors``, ``perplexity``, ``x``, ``y``, ``random_state``, ...).
    """
    hit = cached_projection(space, method, n_components, **params)
    if hit is not None:
        return hit
    est = make_projection(method, n_components=n_components, **params)
    emb = est.fit_transform(space, progress=progress)
    _write_atomic(_path(space, method, n_components, params), emb)
    return emb


@contextmanager
def projection_turn(ctx) -> Iterator[None]:
    """Hold one of the server's :data:`MAX_RUNNING` turns for a background projection (``ctx``: its job's
    :class:`~embedlab.jobs.JobContext`): wait, saying so in the job's progress, or be refused past
    :data:`MAX_WAITING` waiting. A cancelled job stops waiting."""
    with _TURNS:
        if _BUSY["running"] >= MAX_RUNNING:
            if _BUSY["waiting"] >= MAX_WAITING:
                raise ProjectionBusyError(
                    f"{_BUSY['running']} map(s) are being computed on this server and {_BUSY['waiting']} are "
                    f"waiting (at most {MAX_RUNNING} at a time, {MAX_WAITING} waiting). Try again in a few "
                    "minutes, or use PCA.")
            _BUSY["waiting"] += 1
            try:
                while _BUSY["running"] >= MAX_RUNNING:
                    ctx.checkpoint(0, 1, f"waiting for a turn: {_BUSY['running']} map(s) being computed on "
                                         f"this server (at most {MAX_RUNNING} at a time)")
                    _TURNS.wait(timeout=1.0)
            finally:
                _BUSY["waiting"] -= 1
        _BUSY["running"] += 1
    try:
        yield
    finally:
        with _TURNS:
            _BUSY["running"] -= 1
            _TURNS.notify_all()


def background_key(space: EmbeddingSpace, method: str, n_components: int = 2, **params: Any) -> str:
    """The :mod:`embedlab.jobs` key of the background projection of ``space`` with these parameters."""
    return "projection:" + cache_key(space, method, n_components, **params)


def project_in_background(space: EmbeddingSpace, method: str, n_components: int = 2, **params: Any):
    """Start (or find) a background job computing :func:`project`; its ``result`` is the array.

    Returns an :class:`embedlab.jobs.Job`; poll ``job.progress`` / ``job.status`` from the page. The same
    space and parameters always map to the same job, so reruns and other sessions find the running one. The
    job waits for a turn (:func:`projection_turn`) and stops at its next progress report once cancelled.
    """
    key = background_key(space, method, n_components, **params)

    def _work(ctx, space, method, n_components, params):
        with projection_turn(ctx):
            return project(space, method, n_components, progress=ctx.checkpoint, **params)

    return jobs.submit(key, _work, space, method, n_components, params)
