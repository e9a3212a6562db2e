"""Per-epoch views of a space being trained: watch-word neighbours and an aligned 2-D map.

Each epoch's map is a 2-D PCA of the watch words and their nearest neighbours. PCA axes are arbitrary
up to rotation and reflection, so each map is aligned to the previous epoch's with orthogonal Procrustes
on the words both maps share; played as an animation, points move only when the vectors really change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from embedlab.linalg import pca_2d
from embedlab.neighbours import most_similar
from embedlab.space import EmbeddingSpace


@dataclass
class Snapshot:
    """One epoch's view: neighbours of each watch word and 2-D positions (``labels[i]`` at ``coords[i]``)."""

    epoch: int
    loss: float
    tokens_per_s: float
    seconds: float
    neighbours: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # the watch word each point belongs to
    coords: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.float32))


def watch_neighbours(space: EmbeddingSpace, words: list[str], k: int = 5
                     ) -> tuple[dict[str, list[tuple[str, float]]], list[str]]:
    """Nearest neighbours of each watch word present in ``space``, and the words that are missing."""
    found, missing = {}, []
    for w in words:
        if w in space:
            found[w] = most_similar(space, [w], topn=k)
        else:
            missing.append(w)
    return found, missing


def align(previous: Snapshot | None, labels: list[str], coords: np.ndarray) -> np.ndarray:
    """Rotate/reflect and shift ``coords`` onto ``previous`` (orthogonal Procrustes on shared labels)."""
    if previous is None or len(previous.labels) == 0:
        return coords
    from scipy.linalg import orthogonal_procrustes

    prev = {lab: i for i, lab in enumerate(previous.labels)}
    shared = [(i, prev[lab]) for i, lab in enumerate(labels) if lab in prev]
    if len(shared) < 2:
        return coords
    a = coords[[i for i, _ in shared]].astype(np.float64)
    b = previous.coords[[j for _, j in shared]].astype(np.float64)
    ma, mb = a.mean(axis=0), b.mean(axis=0)
    r, _ = orthogonal_procrustes(a - ma, b - mb)
    return ((coords - ma) @ r + mb).astype(np.float32)


def snapshot(space: EmbeddingSpace, words: list[str], epoch: int = 0, loss: float = float("nan"),
             tokens_per_s: float = 0.0, seconds: float = 0.0, k: int = 5,
             previous: Snapshot | None = None) -> Snapshot:
    """Neighbours and an aligned 2-D map of the watch words and their ``k`` neighbours."""
    found, missing = watch_neighbours(space, words, k)
    labels, groups = [], []
    for w, nbrs in found.items():
        for lab in [w, *(n for n, _ in nbrs)]:
            if lab not in labels:
                labels.append(lab)
                groups.append(w)
    coords = pca_2d(space.vectors[space.indices(labels)]) if labels else np.zeros((0, 2), np.float32)
    coords = align(previous, labels, coords)
    return Snapshot(epoch, float(loss), float(tokens_per_s), float(seconds), found, missing, labels, groups,
                    coords)
