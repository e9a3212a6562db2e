"""Names for the clusters and regions of a map, computed offline (no language model).

How a group of points is named depends on what the points are (:func:`space_kind`):

- **words**: the group's most central frequent words: among its most frequent members (rank order, else
  file order; one in 50, at least 20 and at most :data:`FREQUENT_POOL`), those closest (cosine) to the
  group's mean direction;
- **text** (sentences, batch rows with a ``text`` column): TF-IDF keywords: the words frequent in the group
  and rare in the other groups (class-based TF-IDF, English stop words left out);
- **images**: the group's most common predicted ImageNet classes (as the Images page names its clusters);
- **graph nodes**: the group's best-connected nodes (highest degree).

:func:`name_groups` names given groups (the colour clusters of a map, for its legend);
:func:`map_regions` cuts a map into nested regions at a few levels (coarse → fine, each region split in
:data:`SPLIT` by k-means on the 2-D coordinates, so regions are places on the map) and names each, placing
the name at the region's centre: a map shows the coarse names zoomed out and the finer ones zoomed in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from embedlab.errors import DimensionError
from embedlab.space import EmbeddingSpace
from embedlab.words import words_of

KINDS = ("words", "text", "images", "graph")
N_NAMES = 3  # words in a name
SPLIT = 4  # sub-regions of a region at the next level (twice as many across: a level per doubling of zoom)
MAX_LEVELS = 5
MIN_REGION = 25  # points a region needs to be named (smaller ones merge into their parent's name)
FREQUENT_POOL = 200  # a word group is named from at most this many of its most frequent members
TEXT_SAMPLE = 500  # texts of a group read for its keywords at most
FIT_SAMPLE = 50_000  # k-means of regions is fitted on at most this many points, then every point assigned


@dataclass
class Region:
    """One named region of a map: its level (0 = coarsest), centre, name and number of points."""

    level: int
    x: float
    y: float
    name: str
    size: int

    def to_dict(self) -> dict:
        return asdict(self)


def space_kind(space: EmbeddingSpace) -> str:
    """What the points are, for naming: ``images``, ``graph``, ``text`` or ``words``."""
    kind, cols = space.info.get("kind"), space.meta_columns
    if kind == "images" or "predicted" in cols:
        return "images"
    if kind == "graph-nodes" or ("degree" in cols and kind != "sentences"):
        return "graph"
    if kind == "sentences" or "text" in cols:
        return "text"
    return "words"


def _frequency_order(space: EmbeddingSpace, rows: np.ndarray) -> np.ndarray:
    """``rows`` most frequent first: by the ``rank`` column when there is one, else file order."""
    if "rank" in space.meta_columns:
        rank = np.asarray(space.meta_column("rank"), dtype=np.float64)[rows]
        return rows[np.argsort(rank, kind="stable")]
    return np.sort(rows)


def _central_frequent(space: EmbeddingSpace, rows: np.ndarray, n: int, used: set[str]) -> list[str]:
    frequent = _frequency_order(space, rows)[: int(np.clip(len(rows) // 50, 20, FREQUENT_POOL))]
    vecs = space.normed
    centre = vecs[rows].mean(axis=0) if len(rows) <= 200_000 else vecs[frequent].mean(axis=0)
    order = frequent[np.argsort(-(vecs[frequent] @ centre), kind="stable")]
    picked = [space.keys[r] for r in order if space.keys[r] not in used][:n]
    return picked or [space.keys[r] for r in order[:n]]


def _texts(space: EmbeddingSpace) -> Sequence:
    return space.meta_column("text") if "text" in space.meta_columns else space.keys


def _keywords(texts: Sequence, groups: list[np.ndarray], n: int) -> list[list[str]]:
    """Class-based TF-IDF: per group, the words whose share of the group's words most exceeds what their
    frequency over all groups predicts."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    def kept(i: int) -> list[str]:
        return [w for w in words_of(str(texts[i])) if w not in ENGLISH_STOP_WORDS and len(w) > 1]

    counts = [Counter(w for i in g for w in kept(i)) for g in groups]
    total = Counter()
    for c in counts:
        total.update(c)
    avg = max(1.0, sum(total.values()) / max(1, len(groups)))
    out = []
    for c in counts:
        size = max(1, sum(c.values()))
        score = {w: (k / size) * np.log1p(avg / total[w]) for w, k in c.items()}
        out.append(sorted(score, key=lambda w: (-score[w], w))[:n])
    return out


def _top_column(space: EmbeddingSpace, rows: np.ndarray, column: str, n: int) -> list[str]:
    values = space.meta_column(column)[rows]
    return [str(v) for v, _ in Counter(map(str, values)).most_common(n)]


def _top_degree(space: EmbeddingSpace, rows: np.ndarray, n: int) -> list[str]:
    degree = np.asarray(space.meta_column("degree"), dtype=np.float64)[rows]
    return [space.keys[r] for r in rows[np.argsort(-degree, kind="stable")[:n]]]


def group_names(space: EmbeddingSpace, groups: Sequence[np.ndarray], n: int = N_NAMES,
                kind: str | None = None) -> list[str]:
    """A name for each group of rows (``", "``-joined words, keywords, classes or nodes; "" when empty).

    Word names are kept distinct where the groups allow it: bigger groups choose first and a word already
    naming another group is passed over.
    """
    kind = kind or space_kind(space)
    groups = [np.asarray(g, dtype=np.int64) for g in groups]
    if kind == "text":  # keywords from at most TEXT_SAMPLE texts a group (seeded)
        rng = np.random.default_rng(0)
        sampled = [g if len(g) <= TEXT_SAMPLE else np.sort(rng.choice(g, TEXT_SAMPLE, replace=False))
                   for g in groups]
        return [", ".join(words) for words in _keywords(_texts(space), sampled, n)]
    names = [""] * len(groups)
    used: set[str] = set()
    for i in sorted(range(len(groups)), key=lambda j: -len(groups[j])):
        rows = groups[i]
        if not len(rows):
            continue
        if kind == "images":
            picked = _top_column(space, rows, "predicted", n)
        elif kind == "graph":
            picked = _top_degree(space, rows, n)
        else:
            picked = _central_frequent(space, rows, n, used)
            used.update(picked)
        names[i] = ", ".join(picked)
    return names


def name_groups(space: EmbeddingSpace, labels: Sequence, n: int = N_NAMES, kind: str | None = None
                ) -> dict[str, str]:
    """A name for each distinct label of ``labels`` (one per point, e.g. k-means clusters):
    ``{"cluster 1": "king, queen, prince", ...}``."""
    labels = np.asarray(labels).astype(str)
    if len(labels) != len(space):
        raise DimensionError(f"{len(labels):,} labels for a space of {len(space):,} points; give one each.")
    uniq, inverse = np.unique(labels, return_inverse=True)
    groups = [np.flatnonzero(inverse == i) for i in range(len(uniq))]
    return dict(zip(uniq.tolist(), group_names(space, groups, n, kind), strict=True))


def kmeans_labels(X: np.ndarray, k: int, random_state: int = 0) -> np.ndarray:
    """Cluster names (``"cluster 1"`` ...) from k-means on the rows of ``X`` (mini-batch past 20k rows)."""
    from sklearn.cluster import KMeans, MiniBatchKMeans

    k = int(max(2, min(k, len(X))))
    est = (MiniBatchKMeans(n_clusters=k, random_state=random_state, n_init=3, batch_size=4096)
           if len(X) > 20_000 else KMeans(n_clusters=k, random_state=random_state, n_init=3))
    labels = est.fit_predict(np.asarray(X, dtype=np.float32))
    return np.array([f"cluster {i + 1}" for i in labels], dtype=object)


def named_clusters(space: EmbeddingSpace, k: int, n: int = N_NAMES, random_state: int = 0) -> np.ndarray:
    """k-means clusters of the space's unit vectors, each named (:func:`name_groups`): one label a point,
    ``"cluster 3: king, queen, prince"``."""
    labels = kmeans_labels(space.normed, k, random_state)
    names = name_groups(space, labels, n)
    lookup = {c: f"{c}: {name}" if name else c for c, name in names.items()}
    return np.array([lookup[c] for c in labels], dtype=object)


def _split(coords: np.ndarray, rows: np.ndarray, k: int, random_state: int) -> list[np.ndarray]:
    """``rows`` cut into at most ``k`` spatial groups (k-means on their coordinates, fitted on a sample)."""
    from sklearn.cluster import KMeans

    k = min(k, len(rows) // MIN_REGION)
    if k < 2:
        return [rows]
    xy = coords[rows]
    fit = xy if len(rows) <= FIT_SAMPLE else xy[np.random.default_rng(random_state).choice(
        len(rows), FIT_SAMPLE, replace=False)]
    centres = KMeans(n_clusters=k, n_init=2, random_state=random_state).fit(fit).cluster_centers_
    nearest = np.empty(len(rows), dtype=np.int64)
    for a in range(0, len(rows), 65_536):  # assign every row to its nearest centre, in blocks
        d = ((xy[a: a + 65_536, None, :] - centres[None]) ** 2).sum(axis=2)
        nearest[a: a + 65_536] = d.argmin(axis=1)
    return [rows[nearest == c] for c in range(k) if (nearest == c).any()]


def default_levels(n: int) -> tuple[int, ...]:
    """Regions per level for a map of ``n`` points: about 8 coarse ones, then :data:`SPLIT` times more per
    level (at most :data:`MAX_LEVELS`) while regions keep about 50 points or more."""
    if n < 2 * MIN_REGION:
        return ()
    first = int(min(8, max(2, n // 40)))
    levels = [first]
    while levels[-1] * SPLIT * 50 <= n and len(levels) < MAX_LEVELS:
        levels.append(levels[-1] * SPLIT)
    return tuple(levels)


def map_regions(space: EmbeddingSpace, coords: np.ndarray, levels: Sequence[int] | None = None,
                n: int = 2, kind: str | None = None, random_state: int = 0) -> list[Region]:
    """Named regions of a map at each level, coarse to fine (level ``i`` has about ``levels[i]`` regions).

    Level 0 is k-means of the 2-D coordinates; each next level splits every region of the level before into
    up to ``levels[i] / levels[i - 1]`` parts, so finer names sit inside coarser ones. Each region is named
    from its points (:func:`group_names`, ``n`` words) and placed at the mean of their coordinates.
    """
    coords = np.asarray(coords, dtype=np.float32)[:, :2]
    if len(coords) != len(space):
        raise DimensionError(f"{len(coords):,} coordinates for a space of {len(space):,} points.")
    levels = default_levels(len(space)) if levels is None else tuple(levels)
    out: list[Region] = []
    parents = [np.arange(len(space))]
    for level, k in enumerate(levels):
        per = max(2, round(k / max(1, len(parents)))) if level else k
        groups = [g for p in parents for g in _split(coords, p, per, random_state + level)]
        names = group_names(space, groups, n, kind)
        for g, name in zip(groups, names, strict=True):
            if name:
                c = coords[g].mean(axis=0)
                out.append(Region(level, float(c[0]), float(c[1]), name, len(g)))
        parents = groups
    return out
