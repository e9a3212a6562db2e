"""Projection estimators in scikit-learn's shape: parameters in ``__init__``, work in ``fit``,
results in ``embedding_`` (float32, shape ``(n, n_components)``).

They are scikit-learn estimators (:class:`sklearn.base.BaseEstimator`): ``get_params`` / ``set_params`` read
the parameters from ``__init__``'s signature, so a new parameter is one argument stored under its own name.
:data:`PROJECTIONS` maps each method name (``"pca"``, ``"umap"``, ``"tsne"``, ``"axes"``) to its class.

Every estimator accepts an :class:`~embedlab.space.EmbeddingSpace` or a plain ``(n, d)`` array. A space
is projected from its unit-normalised vectors (cosine is the metric everywhere in embedlab); an array is
used as given. Seeds are fixed (``random_state``), so the same input and parameters give the same map.
``fit`` takes an optional ``progress(done, total, message)`` callback (``embedlab.jobs.JobContext.report``
fits). Parameters that had to be adjusted for a small input are listed in ``notes_`` for the page to show.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Union

import numpy as np
from sklearn.base import BaseEstimator

from embedlab.errors import DimensionError, EmptyInputError, InvalidParameterError
from embedlab.linalg import normalize_rows
from embedlab.progress import Progress, report, scaled
from embedlab.projection.knn import knn_graph
from embedlab.projection.sampled import (
    MAX_FIT,
    TqdmToProgress,
    fit_umap_model,
    place_rest,
    sample_rows,
    transform_block,
)
from embedlab.space import EmbeddingSpace

AxisSpec = Union[tuple[str, str], Sequence[str], np.ndarray, None]

_UMAP_WARM = False  # numba compiles UMAP's kernels once per process


def as_matrix(data: EmbeddingSpace | np.ndarray, min_points: int = 3) -> np.ndarray:
    """The float32 matrix a projection works on: ``space.normed`` for a space, the array itself otherwise."""
    x = data.normed if isinstance(data, EmbeddingSpace) else np.asarray(data, dtype=np.float32)
    if x.ndim != 2:
        raise DimensionError(f"Projections need a 2-D (n, d) array; got shape {x.shape}.")
    if x.shape[0] < min_points:
        raise EmptyInputError(
            f"A map needs at least 3 points; got {x.shape[0]}. Select more words (e.g. top 1,000)."
        )
    return x


def _check_components(n_components: int, allowed: tuple[int, ...] = (2, 3)) -> int:
    if int(n_components) not in allowed:
        raise InvalidParameterError(
            f"n_components must be one of {allowed} (a 2-D or 3-D map); got {n_components}."
        )
    return int(n_components)


def _noop(done: float, total: float, message: str = "") -> None:
    return None


class _Projection(BaseEstimator):
    """Shared plumbing: ``fit_transform`` with progress; ``get_params`` / ``set_params`` are sklearn's."""

    embedding_: np.ndarray

    def fit(self, X, y=None, progress: Progress | None = None):  # pragma: no cover - abstract
        raise NotImplementedError

    def fit_transform(self, X, y=None, progress: Progress | None = None) -> np.ndarray:
        """Fit and return :attr:`embedding_`."""
        return self.fit(X, progress=progress).embedding_


class PCAProjection(_Projection):
    """Principal components (scikit-learn ``PCA``); ≈ 0.15 s for 100k points."""

    def __init__(self, n_components: int = 2, random_state: int = 0) -> None:
        self.n_components = n_components
        self.random_state = random_state

    def fit(self, X, y=None, progress: Progress | None = None) -> PCAProjection:
        from sklearn.decomposition import PCA

        k = _check_components(self.n_components)
        x = as_matrix(X)
        report(progress, 0, 1, "principal components")
        k_eff = min(k, x.shape[1], x.shape[0])
        self.pca_ = PCA(n_components=k_eff, random_state=self.random_state).fit(x)
        emb = self.pca_.transform(x).astype(np.float32)
        if k_eff < k:  # fewer dimensions than requested components: pad with zeros, and say so
            emb = np.hstack([emb, np.zeros((len(emb), k - k_eff), np.float32)])
        self.notes_ = [] if k_eff == k else [f"only {k_eff} principal components exist; the rest are 0."]
        self.explained_variance_ratio_ = self.pca_.explained_variance_ratio_.astype(np.float32)
        self.embedding_ = np.ascontiguousarray(emb, dtype=np.float32)
        report(progress, 1, 1, "done")
        return self

    def transform(self, X) -> np.ndarray:
        """Project new points with the fitted components."""
        out = self.pca_.transform(as_matrix(X, min_points=1)).astype(np.float32)
        return np.ascontiguousarray(out)


class UMAPProjection(_Projection):
    """UMAP (umap-learn), staged so progress can be reported: neighbour graph, then layout epochs.

    Up to ``max_fit`` points are fitted at once. Past that, UMAP is fitted on a seeded sample of ``max_fit``
    points and the others are placed from their neighbours among them, in chunks
    (:mod:`embedlab.projection.sampled`): all 400,000 GloVe words in 139 s with a peak of 0.87 GB for the
    whole process, 0.3 GB past the loaded space and imports (1.26 GB and 337 s the first time on a busy
    machine, compiling numba); one fit of all of them took 3.6 GB and more than 6.5 minutes. The first fit
    in a process spends ≈ 15-55 s compiling numba kernels; run it in a background job
    (:func:`embedlab.projection.project_in_background`).
    """

    def __init__(self, n_components: int = 2, n_neighbors: int = 15, min_dist: float = 0.1,
                 metric: str = "cosine", random_state: int = 0, max_fit: int = MAX_FIT) -> None:
        self.n_components = n_components
        self.n_neighbors = n_neighbors
        self.min_dist = min_dist
        self.metric = metric
        self.random_state = random_state
        self.max_fit = max_fit

    def _effective_neighbors(self, n: int) -> int:
        k = int(self.n_neighbors)
        if k < 2:
            raise InvalidParameterError(f"n_neighbors must be at least 2; got {k}.")
        self.notes_ = []
        if k >= n:
            self.notes_.append(f"n_neighbors lowered from {k} to {n - 1}: only {n} points are selected.")
            k = n - 1
        return k

    def _knn(self, x: np.ndarray, k: int, progress) -> tuple:
        """The neighbour graph: exact / hnswlib for cosine and euclidean, umap's own otherwise."""
        graph = knn_graph(x, k, self.metric, self.random_state, progress)
        if graph is not None:
            return graph
        from umap.umap_ import nearest_neighbors

        idx, dist, search = nearest_neighbors(
            x, k, self.metric, {}, False, np.random.RandomState(self.random_state), n_jobs=1,
        )
        return idx, dist, search

    def fit_sample(self, X, progress: Progress | None = None) -> UMAPProjection:
        """Fit umap-learn on a seeded sample of ``max_fit`` rows (``sample_rows_``) into ``model_``, for
        :meth:`transform` of any rows (``embedlab batch project`` sends ``model_`` to its workers)."""
        _check_components(self.n_components)
        x = as_matrix(X)
        if int(self.max_fit) < 3:
            raise InvalidParameterError(f"max_fit must be at least 3 points; got {self.max_fit}.")
        self._effective_neighbors(min(len(x), int(self.max_fit)))
        self.sample_rows_ = sample_rows(len(x), int(self.max_fit), self.random_state)
        report(progress, 0, 1, f"fitting UMAP on a random {len(self.sample_rows_):,} of {len(x):,} points")
        self.model_ = fit_umap_model(x[self.sample_rows_], int(self.n_components), int(self.n_neighbors),
                                     self.min_dist, self.metric, self.random_state, progress)
        return self

    def transform(self, X) -> np.ndarray:
        """Place new points from their neighbours among the fitted sample (after :meth:`fit_sample`, or a
        :meth:`fit` of more than ``max_fit`` points)."""
        if not hasattr(self, "model_"):
            raise InvalidParameterError("UMAP places new points only when fitted on a sample: call "
                                        "fit_sample(X) first.")
        return transform_block(self.model_, np.ascontiguousarray(as_matrix(X, min_points=1)))

    def fit(self, X, y=None, progress: Progress | None = None) -> UMAPProjection:
        global _UMAP_WARM
        comp = _check_components(self.n_components)
        x = as_matrix(X)
        if len(x) > int(self.max_fit):  # bounded: fit on a sample, place the rest in chunks
            self.fit_sample(x, scaled(progress, 0.0, 0.5))
            self.embedding_ = place_rest(self.model_, x, self.sample_rows_,
                                         progress=scaled(progress, 0.5, 0.5))
            self.notes_ = [f"fitted on a random {int(self.max_fit):,} of the {len(x):,} points; the others "
                           "are placed next to their nearest neighbours among them."]
            _UMAP_WARM = True
            report(progress, 1, 1, "done")
            return self
        say = progress or _noop
        k = self._effective_neighbors(x.shape[0])
        say(0.0, 1.0, f"nearest-neighbour graph ({x.shape[0]:,} points, k={k})")
        knn = self._knn(x, k, scaled(say, 0.0, 0.35))
        first = " (first run in this process: compiling numba ≈ 15–55 s)" if not _UMAP_WARM else ""
        say(0.35, 1.0, f"optimising layout{first}")

        from umap import UMAP

        # we pass our own neighbour graph on purpose; UMAP.transform of new points is not offered
        warnings.filterwarnings("ignore", message=r"precomputed_knn\[2\]", category=UserWarning)

        model = UMAP(
            n_components=comp, n_neighbors=k, min_dist=self.min_dist, metric=self.metric,
            random_state=self.random_state, precomputed_knn=knn, n_jobs=1,
            tqdm_kwds={"disable": False, "file": TqdmToProgress(say, 0.35, 0.65),
                       "bar_format": "{n}/{total}", "mininterval": 0.5},
        )
        emb = model.fit_transform(x)
        _UMAP_WARM = True
        self.embedding_ = np.ascontiguousarray(emb, dtype=np.float32)
        say(1.0, 1.0, "done")
        return self


class TSNEProjection(_Projection):
    """t-SNE by openTSNE (Poličar et al. 2024), initialised with PCA and seeded.

    Gradients use FFT interpolation (Linderman et al. 2019) for 2-D maps of 10,000 points or more and
    Barnes-Hut otherwise (3-D maps always). Progress is reported while the layout is optimised.
    """

    def __init__(self, n_components: int = 2, perplexity: float = 30.0, random_state: int = 0) -> None:
        self.n_components = n_components
        self.perplexity = perplexity
        self.random_state = random_state

    def _effective_perplexity(self, n: int) -> float:
        perp = float(self.perplexity)
        if perp <= 0:
            raise InvalidParameterError(f"perplexity must be positive (typically 5-50); got {perp}.")
        self.notes_ = []
        limit = max(1.0, (n - 1) / 3.0)
        if perp > limit:
            self.notes_.append(
                f"perplexity lowered from {perp:g} to {limit:.1f}: only {n} points are selected."
            )
            perp = limit
        return perp

    def fit(self, X, y=None, progress: Progress | None = None) -> TSNEProjection:
        from openTSNE import TSNE

        comp = _check_components(self.n_components)
        x = as_matrix(X)
        n = x.shape[0]
        perp = self._effective_perplexity(n)
        report(progress, 0, 1, f"t-SNE: neighbours and affinities of {n:,} points (perplexity {perp:g})")
        tsne = TSNE(n_components=comp, perplexity=perp, initialization="pca", random_state=self.random_state,
                    n_jobs=1, negative_gradient_method="fft" if comp == 2 and n >= 10_000 else "bh",
                    callbacks_every_iters=_TSNE_REPORT_EVERY)
        tsne.callbacks = _IterationsToProgress(scaled(progress, 0.1, 0.9),
                                               tsne.early_exaggeration_iter + tsne.n_iter)
        emb = tsne.fit(x)
        self.embedding_ = np.ascontiguousarray(emb, dtype=np.float32)
        report(progress, 1, 1, "done")
        return self


_TSNE_REPORT_EVERY = 10  # optimisation iterations between progress reports


class _IterationsToProgress:
    """An openTSNE callback (called every few iterations of each phase) that reports iterations done."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def __call__(self, iteration: int, error: float, embedding) -> bool:
        self.done = min(self.total, self.done + _TSNE_REPORT_EVERY)
        report(self.progress, self.done, self.total,
               f"t-SNE: optimising layout (iteration {self.done}/{self.total}, KL divergence {error:.2f})")
        return False  # True would stop the optimisation


def _unit_rows(X, min_points: int = 3) -> np.ndarray:
    """Unit-normalised rows (a space's ``normed``; an array's rows divided by their norms)."""
    xm = as_matrix(X, min_points=min_points)
    if isinstance(X, EmbeddingSpace):
        return xm
    return normalize_rows(xm)


def _direction(pair, source: EmbeddingSpace | None, dim: int, what: str) -> np.ndarray:
    """Unit vector a→b from a key pair (looked up in ``source``) or a raw direction vector."""
    if isinstance(pair, np.ndarray):
        v = pair.astype(np.float32).ravel()
    else:
        if isinstance(pair, str) or len(pair) != 2:
            raise InvalidParameterError(f"The {what} axis must be a pair of words (a, b); got {pair!r}.")
        if source is None:
            raise InvalidParameterError(
                f"The {what} axis {pair!r} names words, so fit on an EmbeddingSpace (or pass source=)."
            )
        a, b = (source.resolve(str(w)) for w in pair)
        v = source.vector(b, normed=True) - source.vector(a, normed=True)
    if v.shape[0] != dim:
        raise DimensionError(f"The {what} axis has {v.shape[0]} dimensions; the vectors have {dim}.")
    norm = float(np.linalg.norm(v))
    if norm == 0:
        raise InvalidParameterError(f"The {what} axis {pair!r} has zero length: pick two different words.")
    return (v / norm).astype(np.float32)


class AxesProjection(_Projection):
    """Custom semantic axes: coordinate = cosine of each vector with the direction a→b.

    ``x`` (and ``y``, ``z``) are word pairs ``(a, b)`` — "woman"-side words of ``("man", "woman")`` get
    positive x — or raw direction vectors. ``y=None`` uses the first principal component of what remains
    after removing the x direction (and ``z=None`` the next one). Axes are not orthogonalised: each
    coordinate is exactly the cosine with its own direction. ``source`` is the space to look the axis
    words up in (default: the space being projected).
    """

    def __init__(self, x: AxisSpec = ("man", "woman"), y: AxisSpec = None, z: AxisSpec = None,
                 n_components: int = 2, random_state: int = 0, source: EmbeddingSpace | None = None) -> None:
        self.x, self.y, self.z = x, y, z
        self.n_components = n_components
        self.random_state = random_state
        self.source = source

    def fit(self, X, y=None, progress: Progress | None = None) -> AxesProjection:
        comp = _check_components(self.n_components)
        xm = _unit_rows(X)
        src = self.source if self.source is not None else (X if isinstance(X, EmbeddingSpace) else None)
        report(progress, 0, 1, "projecting on axes")
        specs = [self.x, self.y, self.z][:comp]
        if specs[0] is None:
            raise InvalidParameterError(
                "AxesProjection needs an x axis: a pair of words such as ('man', 'woman')."
            )
        dirs: list[np.ndarray | None] = [
            None if s is None else _direction(s, src, xm.shape[1], name)
            for s, name in zip(specs, "xyz"[:comp], strict=True)
        ]
        self.directions_ = self._fill_with_pca(xm, dirs)
        self.embedding_ = np.ascontiguousarray(xm @ self.directions_.T, dtype=np.float32)
        report(progress, 1, 1, "done")
        return self

    def _fill_with_pca(self, xm: np.ndarray, dirs: list[np.ndarray | None]) -> np.ndarray:
        """Replace missing axes by principal components of the residual after removing the given ones."""
        from sklearn.decomposition import PCA

        given = np.array([d for d in dirs if d is not None], dtype=np.float32)
        q, _ = np.linalg.qr(given.T)  # orthonormal basis of the given directions
        resid = xm - (xm @ q) @ q.T
        missing = sum(d is None for d in dirs)
        pcs = iter(PCA(n_components=missing, random_state=self.random_state).fit(resid).components_
                   ) if missing else iter(())
        return np.array([d if d is not None else next(pcs) for d in dirs], dtype=np.float32)

    def transform(self, X) -> np.ndarray:
        """Coordinates of new points on the fitted axes (rows normalised as in :func:`as_matrix`)."""
        return (_unit_rows(X, min_points=1) @ self.directions_.T).astype(np.float32)


#: The projection methods by name, each an estimator class taking its parameters in ``__init__``.
PROJECTIONS: dict[str, type[_Projection]] = {
    "pca": PCAProjection, "umap": UMAPProjection, "tsne": TSNEProjection, "axes": AxesProjection,
}


def make_projection(method: str, **params: Any) -> _Projection:
    """An estimator by name: ``make_projection("umap", n_neighbors=30)``."""
    key = str(method).lower().replace("-", "")
    if key not in PROJECTIONS:
        raise InvalidParameterError(f"Unknown projection '{method}'; choose one of {', '.join(PROJECTIONS)}.")
    cls = PROJECTIONS[key]
    allowed = set(cls().get_params(deep=False))
    bad = sorted(set(params) - allowed)
    if bad:
        raise InvalidParameterError(
            f"{method} does not take {', '.join(bad)}; its parameters are {', '.join(sorted(allowed))}."
        )
    return cls(**params)
