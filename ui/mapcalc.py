"""Plain computations behind the Map page (no Streamlit): settings, projection parameters, clusters,
and turning a Plotly selection event back into keys."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from embedlab.projection.sampled import MAX_FIT
from embedlab.regions import kmeans_labels  # noqa: F401 - the Map's clusters (kept importable here)
from embedlab.space import EmbeddingSpace

MODES = {"top": "The N most frequent words", "query": "A word and its neighbours",
         "sample": "A random sample of N", "all": "All points"}
METHODS = {"pca": "PCA (instant)", "umap": "UMAP (background)",
           "tsne": "t-SNE (background, up to 100k points)", "axes": "Custom axes (word directions)"}
BACKGROUND = ("umap", "tsne")
#: Most points a 3-D map draws (Plotly WebGL); past it a stated random sample of this many.
MAX_3D_POINTS = 100_000
#: Largest selection a method is offered for (t-SNE: ~10 min for 100k points on one core, more past that).
MAX_POINTS = {"tsne": 100_000}
EXPLAIN = {
    "pca": "PCA: the flat view along the directions in which the words differ most (fast, keeps the big "
           "picture, squashes local neighbourhoods).",
    "umap": "UMAP: keeps each word next to its nearest neighbours, so groups of related words form islands; "
            f"distances between islands mean little. Past {MAX_FIT:,} points it is fitted on a random "
            f"{MAX_FIT:,} and the others are placed next to their nearest neighbours among them.",
    "tsne": "t-SNE: like UMAP, shows local groups well; the sizes of and gaps between groups mean little.",
    "axes": "Custom axes: x (and y) measure how far each word leans from one word towards another, e.g. "
            "from 'man' to 'woman'.",
}


@dataclass
class MapPage:
    """The Map page's settings for one user (kept while they visit other pages)."""

    mode: str = "top"
    n: int = 5000
    query: str = "king"
    k: int = 50
    method: str = "pca"
    dims: int = 2
    x_from: str = "man"
    x_to: str = "woman"
    y_from: str = "poor"
    y_to: str = "rich"
    y_pca: bool = False
    colour: str = "k-means clusters"
    clusters: int = 8
    highlight: str = "king queen"
    failed: dict[str, str] = field(default_factory=dict)  # background projections that failed: their error


def projection_params(s: MapPage) -> dict[str, Any]:
    """Keyword arguments for ``embedlab.projection.project`` for the chosen method (hashable values)."""
    if s.method == "axes":
        y = None if s.y_pca else (s.y_from.strip(), s.y_to.strip())
        return {"x": (s.x_from.strip(), s.x_to.strip()), "y": y}
    return {}


def too_many_points(method: str, n: int) -> str | None:
    """Why ``method`` is not offered for ``n`` points (``None`` when it is)."""
    limit = MAX_POINTS.get(method)
    if limit is None or n <= limit:
        return None
    name = METHODS[method].split(" (")[0]
    return (f"{name} is offered for up to {limit:,} points and {n:,} are selected, so the PCA map is shown. "
            f"Pick at most {limit:,} points (N in the sidebar), or use UMAP or PCA.")


def axis_words(s: MapPage) -> list[str]:
    """Words the custom axes need (they must be among the points that are projected)."""
    if s.method != "axes":
        return []
    words = [s.x_from, s.x_to] + ([] if s.y_pca else [s.y_from, s.y_to])
    return [w.strip() for w in words if w.strip()]


@dataclass
class Highlight:
    """The words of the highlight box, looked up: rows among the points shown, and what was not found."""

    rows: list[int] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)  # in the space, not among the points shown
    unknown: list[str] = field(default_factory=list)  # not in the space
    note: str = ""  # repeats and words past the cap that were dropped


def highlight_lookup(space: EmbeddingSpace, shown: EmbeddingSpace, text: str) -> Highlight:
    """Look up the highlight box's words (spaces / commas; repeats once, at most
    :data:`embedlab.selection.MAX_QUERY_WORDS`) in ``space`` and among the ``shown`` points, without seeking
    spelling suggestions (the page asks for those of the first unknown word only)."""
    from embedlab.selection import word_list

    words, note = word_list(text.replace(",", " ").split())
    out = Highlight(note=note)
    for word in words:
        key = space.find(word)
        if key is None:
            out.unknown.append(word)
        elif key in shown:
            out.rows.append(shown.index(key))
        else:
            out.absent.append(key)
    out.rows = list(dict.fromkeys(out.rows))
    return out


def _as_row(value: Any) -> int | None:
    if isinstance(value, (list, tuple, np.ndarray)):
        value = value[0] if len(value) else None
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


def selected_rows(points: Sequence[Mapping[str, Any]], fig: Any, n: int) -> list[int]:
    """Rows of the points a user clicked, boxed or lassoed on a :func:`embedlab.plots.maps.scatter_map` map.

    Map traces carry each point's row in ``customdata``; a selected point has it directly, or through its
    trace (``curve_number``) and position in that trace (``point_index``). Points without a row (the
    density layer) are ignored; rows come back in selection order, without repeats.
    """
    out: list[int] = []
    for p in points:
        row = _as_row(p.get("customdata"))
        curve, idx = p.get("curve_number"), p.get("point_index")
        if row is None and curve is not None and idx is not None and curve < len(fig.data):
            data = getattr(fig.data[curve], "customdata", None)
            if data is not None and idx < len(data):
                row = _as_row(data[idx])
        if row is not None and 0 <= row < n and row not in out:
            out.append(row)
    return out
