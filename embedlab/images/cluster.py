"""Clustering image (or any) spaces: k-means with k chosen by silhouette, or HDBSCAN; named clusters.

Vectors are L2-normalised first, so Euclidean k-means and silhouette follow cosine geometry. Clusters
are named by their most common predicted ImageNet classes; when true labels are known the agreement is
scored with the adjusted Rand index (ARI) and normalised mutual information (NMI).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from embedlab.errors import InvalidParameterError
from embedlab.linalg import normalize_rows
from embedlab.space import EmbeddingSpace

CLUSTER_METHODS = ("kmeans", "hdbscan")
SILHOUETTE_SAMPLE = 2000  # silhouette is O(n^2); larger sets are scored on a seeded sample of this size


@dataclass
class ClusterResult:
    """Cluster ids per row (-1 = noise for HDBSCAN), the k used and the quality scores."""

    labels: np.ndarray
    k: int
    method: str
    silhouette: float | None
    silhouette_by_k: dict[int, float] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    ari: float | None = None
    nmi: float | None = None

    def as_dict(self) -> dict:
        """JSON-friendly summary (for the CLI)."""
        sizes = Counter(int(c) for c in self.labels)
        return {"method": self.method, "k": self.k, "silhouette": self.silhouette,
                "silhouette_by_k": {str(k): v for k, v in self.silhouette_by_k.items()},
                "ari": self.ari, "nmi": self.nmi,
                "clusters": [{"cluster": c, "size": sizes[c], "name": self.names.get(c, "")}
                             for c in sorted(sizes)]}


def _silhouette(x: np.ndarray, labels: np.ndarray, random_state: int) -> float | None:
    from sklearn.metrics import silhouette_score

    ok = labels >= 0
    if len(set(labels[ok].tolist())) < 2 or ok.sum() < 3:
        return None
    size = min(SILHOUETTE_SAMPLE, int(ok.sum()))
    return float(silhouette_score(x[ok], labels[ok], sample_size=size, random_state=random_state))


def kmeans(x: np.ndarray, k: int, random_state: int = 0) -> np.ndarray:
    """k-means labels of the rows of ``x`` (k-means++, 4 restarts, seeded)."""
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=int(k), n_init=4, random_state=random_state).fit_predict(x).astype(np.int64)


def choose_k(x: np.ndarray, k_range: tuple[int, int] = (2, 12), random_state: int = 0
             ) -> tuple[int, dict[int, float], np.ndarray]:
    """The k in ``k_range`` (inclusive) with the best silhouette; returns ``(k, scores, labels)``."""
    lo, hi = int(k_range[0]), min(int(k_range[1]), len(x) - 1)
    if lo < 2 or hi < lo:
        raise InvalidParameterError(
            f"k range {k_range} is invalid for {len(x)} items; use 2 <= k_min <= k_max < number of items.")
    scores: dict[int, float] = {}
    best: tuple[float, int, np.ndarray] | None = None
    for k in range(lo, hi + 1):
        labels = kmeans(x, k, random_state)
        s = _silhouette(x, labels, random_state)
        scores[k] = float("nan") if s is None else s
        if s is not None and (best is None or s > best[0]):
            best = (s, k, labels)
    if best is None:
        return lo, scores, kmeans(x, lo, random_state)
    return best[1], scores, best[2]


def agreement(true_labels: Sequence, clusters: np.ndarray) -> tuple[float, float]:
    """``(ARI, NMI)`` between known labels and cluster ids (1.0 = perfect, ~0 = chance)."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    t = [str(v) for v in true_labels]
    return float(adjusted_rand_score(t, clusters)), float(normalized_mutual_info_score(t, clusters))


def name_clusters(clusters: np.ndarray, predicted: Sequence[str], n_names: int = 3) -> dict[int, str]:
    """Name each cluster by its ``n_names`` most common predicted classes (``"dog, terrier, retriever"``)."""
    out: dict[int, str] = {}
    for c in sorted(set(int(v) for v in clusters)):
        members = [p for p, cc in zip(predicted, clusters, strict=True) if int(cc) == c]
        common = Counter(members).most_common(n_names)
        out[c] = "noise" if c < 0 else ", ".join(p for p, _ in common)
    return out


def cluster_space(space: EmbeddingSpace, method: str = "kmeans", k: int | None = None,
                  k_range: tuple[int, int] = (2, 12), min_cluster_size: int = 5, random_state: int = 0,
                  label_column: str = "label", predicted_column: str = "predicted") -> ClusterResult:
    """Cluster a space's vectors.

    Parameters
    ----------
    method : {"kmeans", "hdbscan"}
    k : int, optional
        Fixed number of k-means clusters; by default the best silhouette over ``k_range``.
    min_cluster_size : int
        HDBSCAN's smallest cluster (rows in no cluster get -1, "noise").
    label_column, predicted_column : str
        Metadata columns with true labels (for ARI/NMI) and predicted classes (for names), when present.
    """
    if method not in CLUSTER_METHODS:
        raise InvalidParameterError(
            f"Unknown clustering method '{method}'; choose one of {', '.join(CLUSTER_METHODS)}.")
    if len(space) < 3:
        raise InvalidParameterError(f"{space.name} has {len(space)} items; clustering needs at least 3.")
    x = normalize_rows(np.asarray(space.vectors, dtype=np.float32))
    scores: dict[int, float] = {}
    if method == "hdbscan":
        from sklearn.cluster import HDBSCAN

        est = HDBSCAN(min_cluster_size=max(2, int(min_cluster_size)), copy=False)
        labels = est.fit_predict(x).astype(np.int64)
        k_used = len(set(labels.tolist()) - {-1})
    elif k is not None:
        if not 2 <= int(k) < len(space):
            raise InvalidParameterError(
                f"k={k} must be between 2 and {len(space) - 1} for {len(space)} items.")
        k_used, labels = int(k), kmeans(x, int(k), random_state)
    else:
        k_used, scores, labels = choose_k(x, k_range, random_state)
    res = ClusterResult(labels, k_used, method, _silhouette(x, labels, random_state), scores)
    cols = space.meta_columns
    if predicted_column in cols:
        res.names = name_clusters(labels, [str(p) for p in space.meta_column(predicted_column)])
    if label_column in cols:
        truth = space.meta_column(label_column)
        if len(set(map(str, truth))) > 1:
            res.ari, res.nmi = agreement(truth, labels)
    return res
