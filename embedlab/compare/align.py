"""Put two spaces into one coordinate system: orthogonal Procrustes on the keys they share.

Two embedding runs (two corpora, two methods, two random seeds) give vectors whose axes mean nothing
in common: the same geometry can come out rotated or reflected. Orthogonal Procrustes finds the rotation
``R`` (``RᵀR = I``) that brings ``A``'s unit vectors closest to ``B``'s on the shared keys (least squares),
as Hamilton et al. (2016, "Diachronic word embeddings reveal statistical laws of semantic change") do
between decades. A rotation keeps every cosine *inside* ``A`` unchanged, so the aligned copy has the
same neighbours as ``A``; only its position relative to ``B`` changes.

When the dimensions differ (GloVe 50 d vs a 100 d skip-gram) the solution is semi-orthogonal: a
``d_A × d_B`` matrix with orthonormal rows (``d_A ≤ d_B``, an isometry into ``B``'s space) or columns
(``d_A > d_B``, a projection that drops ``d_A - d_B`` directions of ``A``; cosines inside the aligned copy
then change a little and the alignment says so in ``note``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from embedlab.errors import EmptyInputError, InvalidParameterError
from embedlab.linalg import normalize_rows
from embedlab.space import EmbeddingSpace

MIN_SHARED = 2  # Procrustes on fewer keys than this is meaningless


@dataclass
class Alignment:
    """The result of :func:`align`.

    Attributes
    ----------
    space : EmbeddingSpace
        ``A`` (every key, unit-normalised) rotated into ``B``'s coordinates; ``A``'s metadata kept.
    shared : list of str
        Keys present in both spaces, in ``A``'s order.
    anchors : list of str
        Keys the rotation was fitted on (``shared`` unless anchors were given).
    rotation : ndarray, shape (d_A, d_B)
        The (semi-)orthogonal matrix: ``aligned = normalize(A) @ rotation``.
    cosines : ndarray, shape (len(shared),)
        Cosine between each shared key's aligned ``A`` vector and its ``B`` vector.
    note : str
        Anything the user should know about this fit (empty when nothing).
    """

    space: EmbeddingSpace
    shared: list[str]
    anchors: list[str]
    rotation: np.ndarray
    cosines: np.ndarray
    note: str = ""

    @property
    def mean_cosine(self) -> float:
        """Fit quality: mean cosine over the shared keys after alignment (1 = identical up to rotation)."""
        return float(self.cosines.mean()) if len(self.cosines) else float("nan")

    @property
    def anchor_cosine(self) -> float:
        """Mean cosine over the anchor keys only (what the rotation optimised)."""
        if self.anchors == self.shared:
            return self.mean_cosine
        pos = {k: i for i, k in enumerate(self.shared)}
        return float(np.mean([self.cosines[pos[k]] for k in self.anchors]))

    def summary(self) -> dict:
        """Plain numbers for JSON and the page."""
        return {"shared": len(self.shared), "anchors": len(self.anchors), "mean_cosine": self.mean_cosine,
                "anchor_cosine": self.anchor_cosine, "median_cosine": float(np.median(self.cosines)),
                "dim_a": int(self.rotation.shape[0]), "dim_b": int(self.rotation.shape[1]), "note": self.note}


def shared_keys(a: EmbeddingSpace, b: EmbeddingSpace) -> list[str]:
    """Keys present in both spaces, in ``a``'s order.

    Raises
    ------
    EmptyInputError
        Fewer than two shared keys (nothing to align on).
    """
    shared = [k for k in a.keys if k in b]
    if len(shared) < MIN_SHARED:
        raise EmptyInputError(
            f"{a.name} and {b.name} share {len(shared)} key(s); aligning needs at least {MIN_SHARED}. "
            f"Compare spaces over the same vocabulary (e.g. two spaces of English words; first keys: "
            f"{', '.join(a.keys[:3])} vs {', '.join(b.keys[:3])})."
        )
    return shared


def procrustes(x: np.ndarray, y: np.ndarray, rows_x: np.ndarray | None = None,
               rows_y: np.ndarray | None = None, batch: int = 65536) -> np.ndarray:
    """The (semi-)orthogonal ``R`` minimising ``‖x R − y‖`` (Schönemann 1966): ``R = U Vᵀ`` from ``svd(xᵀy)``.

    Works for ``x`` (n, d_x) and ``y`` (n, d_y) of different widths. With ``rows_x``/``rows_y`` only those
    rows are paired (``x[rows_x[i]]`` with ``y[rows_y[i]]``). ``xᵀy`` is summed in float64 over row
    batches, so no full-size copy of the paired rows is made.
    """
    rows_x = np.arange(len(x)) if rows_x is None else np.asarray(rows_x)
    rows_y = rows_x if rows_y is None else np.asarray(rows_y)
    m = np.zeros((x.shape[1], y.shape[1]), np.float64)
    for s in range(0, len(rows_x), batch):
        m += (np.asarray(x[rows_x[s:s + batch]], np.float64).T
              @ np.asarray(y[rows_y[s:s + batch]], np.float64))
    u, _, vt = np.linalg.svd(m, full_matrices=False)
    return (u @ vt).astype(np.float32)


def _rows(space: EmbeddingSpace, keys: Sequence[str]) -> np.ndarray:
    return np.fromiter((space._index[k] for k in keys), dtype=np.int64, count=len(keys))


def _check_anchors(anchors: Iterable[str], a: EmbeddingSpace, b: EmbeddingSpace) -> list[str]:
    anchors = list(dict.fromkeys(str(k) for k in anchors))
    usable = [k for k in anchors if k in a and k in b]
    if len(usable) < MIN_SHARED:
        missing = [k for k in anchors if k not in usable][:5]
        raise InvalidParameterError(
            f"Only {len(usable)} of {len(anchors)} anchor words are in both {a.name} and {b.name} "
            f"(missing e.g.: {', '.join(missing) or 'none'}); give at least {MIN_SHARED} shared anchor "
            "words, or no anchors to align on the whole shared vocabulary."
        )
    return usable


def row_cosines(x: np.ndarray, y: np.ndarray, rows_x: np.ndarray | None = None,
                rows_y: np.ndarray | None = None, batch: int = 65536) -> np.ndarray:
    """Cosine of row ``rows_x[i]`` of ``x`` with row ``rows_y[i]`` of ``y`` (default: same rows), batched."""
    rows_x = np.arange(len(x)) if rows_x is None else rows_x
    rows_y = rows_x if rows_y is None else rows_y
    out = np.empty(len(rows_x), np.float32)
    for s in range(0, len(rows_x), batch):
        xb = normalize_rows(x[rows_x[s:s + batch]])
        yb = normalize_rows(y[rows_y[s:s + batch]])
        out[s:s + batch] = np.einsum("ij,ij->i", xb, yb)
    return out


def align(a: EmbeddingSpace, b: EmbeddingSpace, anchors: Iterable[str] | None = None,
          name: str | None = None) -> Alignment:
    """Rotate ``a`` onto ``b`` (orthogonal Procrustes on unit vectors of the shared keys).

    Parameters
    ----------
    a, b : EmbeddingSpace
        The space to move and the reference.
    anchors : iterable of str, optional
        Fit the rotation on these keys only (stable words such as function words or numbers), so words
        that really moved do not pull the fit; cosines are still reported over every shared key.
    name : str, optional
        Name of the aligned copy (default ``"<a> aligned to <b>"``).

    Returns
    -------
    Alignment

    Raises
    ------
    EmptyInputError
        Fewer than two shared keys.
    InvalidParameterError
        Fewer than two usable anchors.
    """
    shared = shared_keys(a, b)
    fit_keys = shared if anchors is None else _check_anchors(anchors, a, b)
    ia, ib = _rows(a, fit_keys), _rows(b, fit_keys)
    rot = procrustes(a.normed, b.normed, ia, ib)
    aligned = a.normed @ rot
    note = ""
    if a.dim > b.dim:
        note = (f"{a.name} has {a.dim} dimensions and {b.name} {b.dim}: the alignment projects {a.name} onto "
                f"{b.dim} directions, so cosines inside the aligned copy differ slightly from {a.name}'s.")
    elif a.dim < b.dim:
        note = f"{a.name} ({a.dim} d) is placed isometrically inside {b.name}'s {b.dim} dimensions."
    rows_a = ia if anchors is None else _rows(a, shared)
    rows_b = ib if anchors is None else _rows(b, shared)
    cos = row_cosines(aligned, b.normed, rows_a, rows_b)
    info = {"aligned_to": b.name, "aligned_from": a.name, "alignment": {"shared": len(shared),
            "anchors": len(fit_keys), "mean_cosine": float(cos.mean())}}
    space = EmbeddingSpace(a.keys, aligned, a.meta, name or f"{a.name} aligned to {b.name}",
                           {**a.info, **info})
    return Alignment(space, shared, list(fit_keys), rot, cos, note)
